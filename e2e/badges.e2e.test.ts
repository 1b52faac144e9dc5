import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { requestBadge } from '../src/badges/contract.ts';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { BrowserSuite } from './support/suite.ts';

const BADGE = 'Saldatura TIG di base';

/**
 * Digital badges end to end, with JavaScript off: a completed course asks for a badge, the worker
 * issues it, the citizen sees it, downloads it and opens its public page; an anonymous visitor
 * verifies it at /verifica/<code>; an operator revokes it and the check says so.
 */
describe('badges: issue, show, download, share, verify, revoke', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let code = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the citizen sees the issued badge, downloads it and opens the share page (no JS)', async () => {
    const { db, queue } = suite.platform;
    const citizen = await db
      .selectFrom('users')
      .select(['id', 'region_code'])
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    await requestBadge(queue, db, {
      regionCode: citizen.region_code,
      citizenId: citizen.id,
      kind: 'course_completed',
      sourceRef: 'e2e-enrolment-1',
      achievement: {
        name: BADGE,
        description: 'Corso di 80 ore sulla saldatura TIG.',
        criteria: 'Frequenza di almeno il 70% delle ore e prova pratica superata.',
        skills: [{ uri: 'http://data.europa.eu/esco/skill/e2e-welding', label: 'saldare metalli' }],
        eqfLevel: 3,
      },
    });
    for (let i = 0; i < 80 && !code; i++) {
      const row = await db
        .selectFrom('badges')
        .select('code')
        .where('source_ref', '=', 'e2e-enrolment-1')
        .executeTakeFirst();
      code = row?.code ?? '';
      if (!code) await sleep(250);
    }
    assert.ok(code, 'the worker issued the badge');

    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await signInWithPassword(page, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await page.goto(`${suite.base}/badge`);
    assert.equal(await h1(page), 'I miei badge');
    await page.getByRole('heading', { level: 2, name: BADGE }).waitFor();
    assert.ok(((await page.locator('main').textContent()) ?? '').includes(`${suite.base}/verifica/${code}`));
    await expectAccessible(page, '/badge');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Scarica «${BADGE}» firmato (.jwt)` }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `badge-${code}.jwt`);
    const jwt = (await readFile((await download.path()) ?? '', 'utf8')).trim();
    assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const header = JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8'));
    assert.equal(header.typ, 'vc+jwt');

    await page.getByRole('link', { name: `Apri la pagina pubblica di «${BADGE}»` }).click();
    await page.waitForURL(new RegExp(`/badge/${code}$`));
    assert.equal(await h1(page), 'Verifica del badge');
    await page.getByRole('status').filter({ hasText: 'Badge valido' }).waitFor();
    await page.getByText('Regione Umbria').first().waitFor();
    await expectAccessible(page, '/badge/<code>');
  });

  test('2. an anonymous visitor verifies it at /verifica/<code> (no JS)', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await page.goto(`${suite.base}/verifica/${code}`);
    assert.equal(await h1(page), 'Verifica del badge');
    await page.getByRole('status').filter({ hasText: 'Badge valido' }).waitFor();
    await page.getByRole('link', { name: 'saldare metalli' }).waitFor();
    await expectAccessible(page, '/verifica/<badge code>');
    const unknown = await page.goto(`${suite.base}/verifica/BZZZ-ZZZZ-ZZZZ`);
    assert.equal(unknown?.status(), 404);
  });

  test('3. an operator revokes it with a reason; the check then says revoked (no JS)', async () => {
    const page = await newPage(suite.browser, { javaScript: false });
    open.push(page);
    await signInWithPassword(page, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await page.goto(`${suite.base}/operatore/badge`);
    assert.equal(await h1(page), 'Cerca un badge');
    await expectAccessible(page, '/operatore/badge');
    await page.getByLabel('Codice del badge').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Cerca' }).click();
    await page.waitForURL(/\/operatore\/badge\/[0-9a-f-]+\/revoca$/);
    assert.equal(await h1(page), 'Revoca del badge');
    await expectAccessible(page, '/operatore/badge/:id/revoca');

    await page.getByRole('button', { name: 'Revoca il badge' }).click();
    await page.getByRole('alert').filter({ hasText: 'Questo campo è obbligatorio.' }).waitFor();
    await expectAccessible(page, '/operatore/badge/:id/revoca with errors');
    await page.getByLabel('Motivo della revoca').fill('Prova pratica non registrata correttamente.');
    await page.getByRole('button', { name: 'Revoca il badge' }).click();
    await page.waitForURL(/\?ok=revoked$/);
    await page.getByRole('status').filter({ hasText: 'Badge revocato' }).waitFor();
    await expectAccessible(page, '/operatore/badge/:id/revoca revoked');

    const visitor = await newPage(suite.browser, { javaScript: false });
    open.push(visitor);
    await visitor.goto(`${suite.base}/verifica/${code}`);
    await visitor.getByRole('status').filter({ hasText: 'Badge revocato' }).waitFor();
    await expectAccessible(visitor, '/verifica/<badge code> revoked');
  });
});
