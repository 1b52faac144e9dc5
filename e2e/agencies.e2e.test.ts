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
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const APL_EMAIL = 'operatore.apl@demo.sportello.example';
const APL_PHONE = '+39 333 0000004';
const MANAGER_EMAIL = 'responsabile.regionale@demo.sportello.example';
const MANAGER_PHONE = '+39 333 0000005';
const AGENCY = 'Lavoro Insieme Servizi S.r.l.';
const SERVICE = 'Accompagnamento al lavoro';
const NOTE = 'Cerca lavoro nel tessile, disponibile da subito.';
const OUTCOME = 'Primo colloquio: CV aggiornato e tre candidature inviate.';

/**
 * Accredited agencies end to end: the Region looks at its accreditations and grants one, the CPI
 * refers Giulia to the demo agency (after a first try without an agency), Giulia sees it on her page
 * without JavaScript, the agency's operator sees only her and records an activity (after a first try
 * without an outcome), and the CPI sees it. axe on every page. The tests share the pages below.
 */
describe('accredited agencies: the CPI refers, the APL sees only that person and records an activity', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let chiara: Page;
  let referPath = '';
  let giuliaId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the Region sees its accredited agencies and grants a scope', async () => {
    const manager = await newPage(suite.browser);
    open.push(manager);
    await signInWithPassword(manager, suite.base, { email: MANAGER_EMAIL, phone: MANAGER_PHONE });
    await manager.goto(`${suite.base}/regione/accreditamenti`);
    assert.equal(await h1(manager), 'Agenzie accreditate');
    await manager.getByRole('heading', { name: AGENCY }).waitFor();
    await expectAccessible(manager, '/regione/accreditamenti');
    await manager.getByLabel('Agenzia', { exact: true }).selectOption({ label: AGENCY });
    await manager.getByLabel('Servizio', { exact: true }).selectOption({ label: 'Promozione di tirocini' });
    await manager.getByLabel('Valido dal').fill('2026-12-01');
    await manager.getByLabel('Valido fino al').fill('2026-01-31');
    await submit(manager, 'Accredita');
    await manager
      .getByText('La data di fine deve essere uguale o successiva alla data di inizio.')
      .first()
      .waitFor();
    assert.equal(await manager.getByLabel('Valido dal').inputValue(), '2026-12-01');
    await expectAccessible(manager, '/regione/accreditamenti (error)');
    await manager.getByLabel('Valido fino al').fill('2027-12-31');
    await submit(manager, 'Accredita');
    await manager.getByText('Accreditamento registrato.').waitFor();
    await manager.getByRole('rowheader', { name: 'Promozione di tirocini' }).waitFor();
    await expectAccessible(manager, '/regione/accreditamenti (granted)');
  });

  test('2. the CPI operator refers Giulia to the demo agency', async () => {
    const giulia = await suite.platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    giuliaId = giulia.id;
    chiara = await newPage(suite.browser);
    open.push(chiara);
    await signInWithPassword(chiara, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    referPath = `/operatore/persone/${giuliaId}/invio-apl`;
    await chiara.goto(`${suite.base}${referPath}`);
    assert.equal(await h1(chiara), "Invio a un'agenzia: Giulia Conti");
    await chiara.getByText('Nessun invio.').waitFor();
    await expectAccessible(chiara, 'invio-apl (empty)');
    await chiara.getByLabel('Servizio', { exact: true }).selectOption({ label: SERVICE });
    await submit(chiara, 'Mostra le agenzie');
    await chiara.getByText("La persona non ha indicato un'agenzia.").waitFor();
    await expectAccessible(chiara, 'invio-apl (agencies)');
    await chiara.getByLabel("Nota per l'agenzia").fill(NOTE);
    await submit(chiara, "Invia all'agenzia");
    await chiara.getByText('Scegli una delle opzioni.').first().waitFor();
    assert.equal(await chiara.getByLabel("Nota per l'agenzia").inputValue(), NOTE);
    await expectAccessible(chiara, 'invio-apl (error)');
    await choose(chiara, `${AGENCY} — Via Settevalli 320, 06129 Perugia PG`);
    await submit(chiara, "Invia all'agenzia");
    await chiara.getByText("Invio registrato. La persona riceve un'e-mail.").waitFor();
    await chiara.getByRole('heading', { name: `${SERVICE} — ${AGENCY}` }).waitFor();
    await expectAccessible(chiara, 'invio-apl (referred)');
  });

  test('3. Giulia sees the referral on her page without JavaScript', async () => {
    const giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/agenzia`);
    assert.equal(await h1(giulia), 'Agenzie per il lavoro');
    await giulia.getByRole('rowheader', { name: SERVICE }).waitFor();
    await giulia.getByRole('cell', { name: /In corso/ }).waitFor();
    await expectAccessible(giulia, '/agenzia');
    await choose(
      giulia,
      'Nessuna preferenza',
      giulia.locator('fieldset').filter({ hasText: 'Orientamento' }),
    );
    await submit(giulia, 'Salva le preferenze');
    await giulia.getByText('Preferenze salvate.').waitFor();
    await expectAccessible(giulia, '/agenzia (saved)');
  });

  test('4. the agency operator sees only Giulia and records an activity', async () => {
    const apl = await newPage(suite.browser);
    open.push(apl);
    await signInWithPassword(apl, suite.base, { email: APL_EMAIL, phone: APL_PHONE });
    await apl.goto(`${suite.base}/apl/persone`);
    assert.equal(await h1(apl), 'Persone inviate alla mia agenzia');
    assert.equal(await apl.locator('main tbody tr').count(), 1);
    await expectAccessible(apl, '/apl/persone');
    await apl.getByRole('link', { name: 'Conti Giulia' }).click();
    await apl.waitForURL(new RegExp(`/apl/persone/${giuliaId}$`));
    assert.equal(await h1(apl), 'Giulia Conti');
    await apl.getByText(NOTE).waitFor();
    assert.equal(await apl.getByText('CNTGLI94E54G478J').count(), 0, 'no fiscal code for the agency');
    await expectAccessible(apl, '/apl/persone/:id');
    await apl.getByLabel('Tipo di attività').selectOption({ label: 'Colloquio' });
    await submit(apl, "Registra l'attività");
    await apl.getByText('Questo campo è obbligatorio.').first().waitFor();
    assert.equal(await apl.getByLabel('Tipo di attività').inputValue(), 'interview');
    await expectAccessible(apl, '/apl/persone/:id (error)');
    await apl.getByLabel('Esito').fill(OUTCOME);
    await submit(apl, "Registra l'attività");
    await apl.getByText('Attività registrata.').waitFor();
    await apl.getByText(OUTCOME).waitFor();
    await expectAccessible(apl, '/apl/persone/:id (recorded)');
    // Someone else is "not found" for the agency.
    const other = await suite.platform.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'citizen')
      .where('id', '!=', giuliaId)
      .executeTakeFirst();
    if (other) {
      const res = await apl.goto(`${suite.base}/apl/persone/${other.id}`);
      assert.equal(res?.status(), 404);
    }
  });

  test('5. the CPI sees the activity on the referral', async () => {
    await chiara.goto(`${suite.base}${referPath}`);
    await chiara.getByText(OUTCOME).waitFor();
    await expectAccessible(chiara, 'invio-apl (activity)');
  });
});
