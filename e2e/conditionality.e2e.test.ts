import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { runConditionalityScan } from '../src/conditionality/use-cases/events.ts';
import { waitForOutbox } from './support/agenda.ts';
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

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
const REASONS = 'Il certificato medico giustifica l’assenza: nessuna conseguenza.';

/**
 * The conditionality ledger end to end: a missed appointment of a person with a NASpI obligation
 * becomes an event (the daily scan, called here with the suite's database), Giulia explains it from a
 * phone without JavaScript with a PDF (a non-PDF is refused first), the operator archives it with
 * reasons, and Giulia sees the decision. Tests run in order and share the pages below.
 */
describe('conditionality: missed appointment, justification with a PDF, decision', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let giulia: Page;
  let operator: Page;
  let eventId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. a missed appointment of a person with a NASpI obligation becomes an event', async () => {
    const db = suite.platform.db;
    const op = await db
      .selectFrom('users')
      .select(['id', 'office_id', 'region_code'])
      .where('email', '=', OPERATOR_EMAIL)
      .executeTakeFirstOrThrow();
    const citizen = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    const pact = await db
      .insertInto('pacts')
      .values({
        region_code: op.region_code,
        citizen_id: citizen.id,
        office_id: op.office_id!,
        coach_id: op.id,
        created_by: op.id,
        status: 'signed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('pact_versions')
      .values({ region_code: op.region_code, pact_id: pact.id, version: 1, content: '{}', created_by: op.id })
      .execute();
    await db
      .insertInto('benefit_obligations')
      .values({
        region_code: op.region_code,
        citizen_id: citizen.id,
        pact_id: pact.id,
        version: 1,
        benefit: 'naspi',
        obligation: 'Presentarti ai colloqui fissati con il Centro per l’impiego',
      })
      .execute();
    // Yesterday's appointment, recorded by the operator as a no-show.
    const startsAt = new Date(Date.now() - 26 * 3600_000);
    const slot = await db
      .insertInto('agenda_slots')
      .values({
        region_code: op.region_code,
        operator_id: op.id,
        office_id: op.office_id!,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 1800_000),
        mode: 'both',
        services: ['accoglienza'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const appointment = await db
      .insertInto('appointments')
      .values({
        region_code: op.region_code,
        slot_id: slot.id,
        citizen_id: citizen.id,
        service_code: 'accoglienza',
        channel: 'in_person',
        status: 'no_show',
        booked_by: citizen.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('agenda_events')
      .values({
        region_code: op.region_code,
        appointment_id: appointment.id,
        citizen_id: citizen.id,
        event: 'no_show',
        actor_id: op.id,
      })
      .execute();

    const { notifier, config } = suite.platform;
    const result = await runConditionalityScan({ db, notifier, config }, new Date());
    assert.equal(result.created, 1);
    const event = await db
      .selectFrom('conditionality_events')
      .select(['id', 'kind', 'benefit', 'status'])
      .where('citizen_id', '=', citizen.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([event.kind, event.benefit, event.status], ['no_show', 'naspi', 'open']);
    eventId = event.id;
    const email = await waitForOutbox(db, 'email', CITIZEN_EMAIL, 'Assenza a un appuntamento');
    assert.match(email.body, /\/obblighi/);
  });

  test('2. Giulia, on a phone without JavaScript, sees the event; a non-PDF is refused and kept', async () => {
    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/obblighi`);
    assert.equal(await h1(giulia), 'I miei obblighi');
    await giulia.getByRole('heading', { name: 'NASpI (indennità di disoccupazione)' }).waitFor();
    await giulia.getByText('Presentarti ai colloqui fissati', { exact: false }).waitFor();
    const card = giulia.locator(`#evento-${eventId}`);
    assert.match((await card.textContent()) ?? '', /Assenza a un appuntamento/);
    assert.match((await card.textContent()) ?? '', /Aspetta la tua spiegazione/);
    await expectAccessible(giulia, '/obblighi (open event)');

    await card.getByLabel('La tua spiegazione').fill('Ero dal medico, ecco il certificato.');
    await card.getByLabel('Documento che lo dimostra (facoltativo)').setInputFiles({
      name: 'certificato.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('this is a picture, not a PDF'),
    });
    await submit(giulia, 'Invia la spiegazione');
    await giulia.locator('#error-summary').waitFor();
    await giulia.getByText('Il file non è un PDF', { exact: false }).first().waitFor();
    assert.equal(
      await giulia.locator(`#evento-${eventId}`).getByLabel('La tua spiegazione').inputValue(),
      'Ero dal medico, ecco il certificato.',
    );
    await expectAccessible(giulia, '/obblighi (not a PDF)');
    const none = await suite.platform.db
      .selectFrom('conditionality_justifications')
      .select('id')
      .where('event_id', '=', eventId)
      .execute();
    assert.equal(none.length, 0);
  });

  test('3. Giulia sends the explanation with a PDF', async () => {
    const card = giulia.locator(`#evento-${eventId}`);
    await card.getByLabel('Documento che lo dimostra (facoltativo)').setInputFiles({
      name: 'certificato medico.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await submit(giulia, 'Invia la spiegazione', (u) => u.pathname === '/obblighi');
    await giulia.getByText('Spiegazione inviata.', { exact: false }).first().waitFor();
    const text = (await giulia.locator(`#evento-${eventId}`).textContent()) ?? '';
    assert.match(text, /Spiegazione inviata, il Centro la sta valutando/);
    assert.match(text, /Documento allegato: certificato medico\.pdf/);
    await expectAccessible(giulia, '/obblighi (justification sent)');
    await giulia.screenshot({ path: '/tmp/e2e-conditionality-citizen-phone.png', fullPage: true });
    const stored = await suite.platform.db
      .selectFrom('conditionality_justifications')
      .select(['content'])
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored.content, PDF);
    await waitForOutbox(suite.platform.db, 'email', OPERATOR_EMAIL, `/operatore/condizionalita/${eventId}`);
  });

  test('4. the operator reviews the event with the suggested decision and archives it with reasons', async () => {
    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/condizionalita`);
    assert.equal(await h1(operator), 'Condizionalità');
    await expectAccessible(operator, '/operatore/condizionalita');
    await Promise.all([
      operator.waitForNavigation({ waitUntil: 'load' }),
      operator.getByRole('link', { name: 'Conti Giulia' }).click(),
    ]);
    assert.equal(await h1(operator), 'Valuta il fatto');
    const suggestion = (await operator.locator('#suggestion-heading').locator('..').textContent()) ?? '';
    assert.match(suggestion, /Proposta di sanzione — taglio di un quarto di una mensilità/);
    assert.match(suggestion, /D\.Lgs\. 150\/2015, art\. 21, c\. 7, lett\. a\)/);
    await operator.getByText('Ero dal medico, ecco il certificato.').waitFor();
    const download = operator.getByRole('link', { name: /Scarica il documento: certificato medico\.pdf/ });
    assert.match((await download.getAttribute('href')) ?? '', /\/giustificazioni\//);
    await expectAccessible(operator, '/operatore/condizionalita/:id');

    // Without reasons the decision is refused and the choice kept.
    await choose(operator, 'Archiviato');
    await submit(operator, 'Registra la decisione');
    await operator.locator('#error-summary').waitFor();
    await operator.getByText('Scrivi i motivi della decisione.').first().waitFor();
    assert.ok(await operator.getByLabel('Archiviato').isChecked());
    await expectAccessible(operator, 'decision without reasons');

    await operator.getByLabel('Motivi della decisione').fill(REASONS);
    await submit(operator, 'Registra la decisione');
    await operator.getByText('Decisione registrata.', { exact: false }).waitFor();
    await expectAccessible(operator, 'decision recorded');
    await operator.screenshot({ path: '/tmp/e2e-conditionality-operator-decided.png', fullPage: true });
    const outbox = await suite.platform.db
      .selectFrom('national_outbox')
      .select(['idempotency_key'])
      .where('kind', '=', 'conditionality.decision')
      .execute();
    assert.equal(outbox.length, 1);
  });

  test('5. Giulia sees the decision and its reasons, in Italian, English and Arabic', async () => {
    await waitForOutbox(suite.platform.db, 'email', CITIZEN_EMAIL, REASONS);
    await giulia.goto(`${suite.base}/obblighi`);
    const text = (await giulia.locator(`#evento-${eventId}`).textContent()) ?? '';
    assert.match(text, /Archiviato/);
    assert.ok(text.includes(REASONS));
    assert.equal(await giulia.getByRole('button', { name: 'Invia la spiegazione' }).count(), 0);
    await expectAccessible(giulia, '/obblighi (decided)');
    await giulia.screenshot({ path: '/tmp/e2e-conditionality-citizen-decided.png', fullPage: true });
    await giulia.goto(`${suite.base}/i-miei-dati/accessi`);
    await giulia.getByText('I tuoi obblighi e i fatti da valutare').first().waitFor();
    await expectAccessible(giulia, '/i-miei-dati/accessi');
    await giulia.goto(`${suite.base}/obblighi?lang=en`);
    assert.equal(await h1(giulia), 'My obligations');
    await expectAccessible(giulia, '/obblighi?lang=en');
    await giulia.goto(`${suite.base}/obblighi?lang=ar`);
    assert.equal(await giulia.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await h1(giulia), 'التزاماتي');
    await expectAccessible(giulia, '/obblighi?lang=ar');
    await giulia.goto(`${suite.base}/obblighi?lang=it`);
  });

  test('6. the operator records a new fact by hand: bad input is refused and kept', async () => {
    await operator.goto(`${suite.base}/operatore/condizionalita/${eventId}`);
    await Promise.all([
      operator.waitForNavigation({ waitUntil: 'load' }),
      operator.getByRole('link', { name: 'Registra un nuovo fatto per questa persona' }).click(),
    ]);
    assert.equal(await h1(operator), 'Condizionalità di Giulia Conti');
    await expectAccessible(operator, '/operatore/persone/:id/condizionalita');
    await operator.getByLabel('Data del fatto').fill('2099-01-01');
    await operator.getByLabel('Descrizione').fill('Non si è presentata al laboratorio CV');
    await submit(operator, 'Registra il fatto');
    await operator.locator('#error-summary').waitFor();
    await operator.getByText('La data non può essere nel futuro.').first().waitFor();
    assert.equal(
      await operator.getByLabel('Descrizione').inputValue(),
      'Non si è presentata al laboratorio CV',
    );
    await expectAccessible(operator, 'manual fact: bad input');
    await operator.getByLabel('Tipo di fatto').selectOption('action_not_done');
    await operator
      .getByLabel('Data del fatto')
      .fill(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()));
    await submit(operator, 'Registra il fatto');
    await operator.getByText('Fatto registrato.', { exact: false }).waitFor();
    await expectAccessible(operator, 'manual fact: recorded');
    const events = await suite.platform.db
      .selectFrom('conditionality_events')
      .select(['kind', 'source'])
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      events.map((e) => [e.kind, e.source]),
      [
        ['no_show', 'automatic'],
        ['action_not_done', 'operator'],
      ],
    );
  });
});
