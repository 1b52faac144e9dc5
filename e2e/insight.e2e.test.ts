import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { loadDemoActivity, SECOND_DEMO_REGION } from '../src/app/demo/demo-activity.ts';
import { DEMO_REGION } from '../src/app/demo/demo-region.ts';
import { loadSyntheticCitizens } from '../src/app/demo/load-demo.ts';
import { romeDay } from '../src/platform/i18n/format.ts';
import { recordAnswer } from '../src/satisfaction/use-cases/answers.ts';
import { linkAfter, waitForOutbox } from './support/agenda.ts';
import {
  CITIZEN_EMAIL,
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  signInWithPassword,
} from './support/browser.ts';
import { choose, submit } from './support/onboarding.ts';
import { inviteNow, pastAppointment } from './support/satisfaction.ts';
import { BrowserSuite } from './support/suite.ts';

const REGIONAL = { email: 'responsabile.regionale@demo.sportello.example', phone: '+39 333 0000005' };
const NATIONAL = { email: 'responsabile.nazionale@demo.sportello.example', phone: '+39 333 0000006' };
const PEOPLE = 300;

/**
 * Issue 9's check in one go, as `sportello demo` leaves the platform: a year of activity in the demo
 * Region and in a second one (Marche). Giulia answers the one-question survey from her e-mail on a
 * phone without JavaScript, nine other people answer too, and the regional manager's dashboard for
 * today shows exactly those ten answers once recomputed; the national manager compares the two
 * Regions (a regional manager does not see the other Region); the §4 decision table shows the
 * report's opinion beside the figures measured on the platform. The campaign part of the check is
 * `campaigns.e2e.test.ts`. axe on every page.
 */
describe("insight: from a survey answer to the dashboards, the comparison and the report's table", () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  const page = async (options: Parameters<typeof newPage>[1] = {}) => {
    const p = await newPage(suite.browser, options);
    open.push(p);
    return p;
  };

  after(async () => {
    for (const p of open) await closeContext(p).catch(() => {});
  });

  test('0. a year of activity in two Regions, as `sportello demo` loads it', async () => {
    const { db, pool } = suite.platform;
    await loadSyntheticCitizens(db, { count: PEOPLE, seed: 1 });
    const loaded = await loadDemoActivity(db, pool, { people: PEOPLE });
    assert.ok(loaded.loaded);
  });

  test('1. Giulia and nine other people answer the survey after their appointment', async () => {
    const db = suite.platform.db;
    const giulia = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    const others = await db
      .selectFrom('users')
      .select('id')
      .where('region_code', '=', DEMO_REGION.code)
      .where('role', '=', 'citizen')
      .where('password_hash', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(9)
      .execute();
    const today = [giulia, ...others];
    const appointments = [];
    for (const [i, person] of today.entries())
      appointments.push((await pastAppointment(suite.platform, person.id, 1 + i / 10, 'attended')).id);
    await inviteNow(suite.platform);

    const email = await waitForOutbox(db, 'email', CITIZEN_EMAIL, '/valuta/');
    const phone = await page({ javaScript: false, viewport: MOBILE });
    await phone.goto(linkAfter(email.body, 'Rispondi qui'));
    assert.equal(await h1(phone), "Com'è andata?");
    await choose(phone, '4');
    await submit(phone, 'Invia la risposta', (u) => u.pathname === '/valuta/grazie');
    await expectAccessible(phone, 'survey thanks');

    // The other nine answer in their own page (the use case behind it): a 2 each.
    const invitations = await db
      .selectFrom('satisfaction_invitations')
      .select(['region_code', 'id', 'service_id'])
      .where('service_id', 'in', appointments.slice(1))
      .execute();
    assert.equal(invitations.length, 9);
    for (const inv of invitations)
      assert.deepEqual(
        await recordAnswer(
          db,
          { regionCode: inv.region_code, id: inv.id },
          { score: 2, comment: '', problems: [] },
          'page',
          new Date(),
        ),
        { ok: true },
      );
  });

  test("2. the regional manager recomputes today's indicators and finds the ten answers", async () => {
    const manager = await page({ javaScript: false });
    await signInWithPassword(manager, suite.base, REGIONAL);
    const today = romeDay(new Date());
    await manager.goto(`${suite.base}/regione/indicatori?dal=${today}&al=${today}`);
    assert.equal(await h1(manager), 'Indicatori dei servizi');
    await submit(manager, 'Ricalcola ora gli indicatori');
    await manager.getByText('Indicatori ricalcolati', { exact: false }).first().waitFor();
    await manager.goto(`${suite.base}/regione/indicatori?dal=${today}&al=${today}`);
    const table = manager.getByRole('table', { name: 'Dati del grafico: Soddisfazione (da 1 a 5)' });
    // (4 + 9 × 2) / 10 = 2.2: only today's answers, none of the year before.
    assert.equal(await table.getByRole('row', { name: 'Totale 2,2' }).count(), 1);
    await expectAccessible(manager, '/regione/indicatori (today)');

    // A Region sees the others only in aggregate: with two Regions, not even that.
    await manager.goto(`${suite.base}/nazionale/confronto`);
    assert.equal(await h1(manager), 'Confronto tra Regioni');
    assert.equal(await manager.getByText(SECOND_DEMO_REGION.name).count(), 0);
    await expectAccessible(manager, '/nazionale/confronto (regional manager)');
  });

  test('3. the national manager compares the two demo Regions, with rank', async () => {
    const national = await page();
    await signInWithPassword(national, suite.base, NATIONAL);
    await national.goto(`${suite.base}/nazionale/confronto`);
    const remote = national.getByRole('table', { name: 'Dati del grafico: Servizi a distanza' });
    // Marche holds about half its appointments remotely, Umbria a quarter: Marche ranks first.
    const rows = remote.locator('tbody tr');
    assert.match((await rows.nth(0).textContent()) ?? '', /^Marche\s*1\s*(4\d|5\d)(,\d)?\s?%/);
    assert.match((await rows.nth(1).textContent()) ?? '', /^Umbria\s*2\s*(1\d|2\d)(,\d)?\s?%/);
    assert.match((await rows.nth(2).textContent()) ?? '', /^Totale nazionale/);
    await expectAccessible(national, '/nazionale/confronto (two Regions)');
  });

  test("4. the §4 table shows the report's opinion beside the platform's own figures", async () => {
    const manager = await page({ javaScript: false });
    await signInWithPassword(manager, suite.base, REGIONAL);
    await manager.goto(`${suite.base}/rapporto/decisioni`);
    const row = manager.locator('tbody tr').filter({ hasText: 'Accoglienza e accesso ai servizi' });
    assert.equal(await row.count(), 1);
    const text = (await row.textContent()) ?? '';
    assert.match(text, /Si compresa la firma del patto/, "the report's opinion");
    assert.match(text, /Accoglienza e prime informazioni/, 'the agenda service it is measured on');
    assert.match(text, /\(rapporto, §4\.1\)/, 'the source, once');
    assert.match(
      text,
      /caricoAccoglienza e prime informazioni\d+(,\d)?\s?%\d(,\d)?\/5\d+(,\d)?\s?%$/,
      'remote share, satisfaction and no-shows measured this year',
    );
    await expectAccessible(manager, '/rapporto/decisioni (measured)');
  });
});
