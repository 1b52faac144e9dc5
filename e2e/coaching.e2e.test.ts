import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const TITLE = 'Candidati a 3 offerte';

/**
 * The action plan end to end: the e-coach adds "apply to 3 vacancies" (a bad date is refused first),
 * Giulia sees it on a phone without JavaScript and adds a link as evidence, and the caseload page shows
 * her progress. The tests run in order and share the pages below.
 */
describe('coaching: action plan, evidence, caseload', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let operator: Page;
  let giuliaId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the e-coach adds "apply to 3 vacancies" to Giulia’s plan', async () => {
    const db = suite.platform.db;
    const op = await db
      .selectFrom('users')
      .select(['id', 'region_code', 'office_id'])
      .where('email', '=', OPERATOR_EMAIL)
      .executeTakeFirstOrThrow();
    const citizen = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    giuliaId = citizen.id;
    const pact = await db
      .insertInto('pacts')
      .values({
        region_code: op.region_code,
        citizen_id: citizen.id,
        office_id: op.office_id as string,
        coach_id: op.id,
        status: 'signed',
        current_version: 1,
        created_by: op.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('pact_versions')
      .values({ region_code: op.region_code, pact_id: pact.id, version: 1, content: '{}', created_by: op.id })
      .execute();

    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/persone/${giuliaId}/piano`);
    assert.match(await h1(operator), /Piano di azione di Giulia/);
    await expectAccessible(operator, '/operatore/persone/:id/piano');
    await operator.getByLabel('Tipo di attività').selectOption({ label: 'Candidarsi a offerte di lavoro' });
    await operator.getByLabel('Titolo').fill(TITLE);
    await operator.getByLabel('Quante volte (per le candidature)').fill('3');
    // Left empty: refused with a message, the other values kept.
    await submit(operator, 'Aggiungi');
    await operator.getByText('Scrivi una data valida').first().waitFor();
    assert.equal(await operator.getByLabel('Titolo').inputValue(), TITLE);
    await expectAccessible(operator, '/operatore/persone/:id/piano (errors)');
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await operator.getByLabel('Scadenza').fill(due);
    await submit(operator, 'Aggiungi');
    await operator.getByText('Attività aggiunta.').waitFor();
    await operator.getByText('0 di 3').waitFor();
  });

  test('2. Giulia sees the action on a phone without JavaScript and adds a link', async () => {
    const giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/piano`);
    assert.equal(await h1(giulia), 'Il mio piano');
    await giulia.getByRole('heading', { name: TITLE }).waitFor();
    await giulia.getByText('0 di 3').waitFor();
    await expectAccessible(giulia, '/piano');
    await giulia.getByLabel(`Link a una prova per «${TITLE}»`).fill('https://example.org/candidatura-1');
    await submit(giulia, 'Aggiungi il link');
    await giulia.getByText('Prova aggiunta. Grazie!').waitFor();
    await giulia.getByText('1 prova allegata').waitFor();
    await expectAccessible(giulia, '/piano (evidence added)');
    await giulia.screenshot({ path: '/tmp/e2e-coaching-plan-phone.png', fullPage: true });
  });

  test('3. the caseload page shows Giulia’s progress', async () => {
    await operator.goto(`${suite.base}/operatore/coaching`);
    assert.equal(await h1(operator), 'Le persone che segui');
    const row = operator.getByRole('row').filter({ hasText: 'Giulia' });
    await row.getByText('0 di 1').waitFor();
    await expectAccessible(operator, '/operatore/coaching');
    await operator.screenshot({ path: '/tmp/e2e-coaching-caseload.png', fullPage: true });
  });
});
