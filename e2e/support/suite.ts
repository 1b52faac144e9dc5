import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '../../src/app/testing/test-platform.ts';
import { launch } from './browser.ts';

/**
 * The common frame of a browser suite: a platform on its own database (with the queue worker, so
 * SMS codes reach /dev/outbox) and one Chromium, both started before the tests and stopped after.
 */
export class BrowserSuite {
  private started: { platform: TestPlatform; browser: Browser } | null = null;

  constructor() {
    before(async () => {
      const platform = await startTestPlatform({ worker: true });
      this.started = { platform, browser: await launch() };
    });
    after(async () => {
      await this.started?.browser.close();
      await this.started?.platform.stop();
    });
  }

  private get ready() {
    if (!this.started) throw new Error('the suite has not started yet');
    return this.started;
  }
  get platform(): TestPlatform {
    return this.ready.platform;
  }
  get browser(): Browser {
    return this.ready.browser;
  }
  get base(): string {
    return this.ready.platform.config.publicUrl;
  }
}
