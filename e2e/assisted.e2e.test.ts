import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { addWeeklyHours, isoWeekday, nextOpenDay, romeDate, waitForOutbox } from './support/agenda.ts';
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

const ACCOGLIENZA = 'Accoglienza e prime informazioni';

/**
 * Assisted mode end to end: the CPI operator, on the phone with Giulia, reads her the consent
 * statement, starts acting on her behalf, books an appointment for her with the banner in view;
 * Giulia is told by e-mail, signs in on her phone without JavaScript, sees the booking marked
 * "prenotato per tuo conto da Chiara Baldelli" and withdraws the permission. Axe on every page.
 */
describe('assisted mode: consent by phone, a booking on the person behalf, the person sees it', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let operator: Page;
  let giuliaId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the operator opens hours and starts assisted mode by phone, with the consent recorded', async () => {
    const db = suite.platform.db;
    const op = await db
      .selectFrom('users as u')
      .innerJoin('offices as o', (j) =>
        j.onRef('o.region_code', '=', 'u.region_code').onRef('o.id', '=', 'u.office_id'),
      )
      .select(['o.municipality_code'])
      .where('u.email', '=', OPERATOR_EMAIL)
      .executeTakeFirstOrThrow();
    giuliaId = (
      await db.selectFrom('users').select('id').where('email', '=', CITIZEN_EMAIL).executeTakeFirstOrThrow()
    ).id;
    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/agenda`);
    const day = nextOpenDay(op.municipality_code);
    await addWeeklyHours(operator, {
      weekday: isoWeekday(day),
      start: '09:00',
      end: '11:00',
      slotMinutes: '30',
      mode: 'Di persona e a distanza',
      services: [ACCOGLIENZA],
      from: romeDate(new Date()),
    });

    await operator.goto(`${suite.base}/operatore/persone/${giuliaId}/assistenza`);
    assert.equal(await h1(operator), 'Operare per conto di Giulia Conti');
    await operator.getByRole('heading', { name: 'Dichiarazione da leggere alla persona' }).waitFor();
    assert.match(
      (await operator.locator('main blockquote').textContent()) ?? '',
      /^\s*Sono Chiara Baldelli di /,
    );
    await expectAccessible(operator, '/operatore/persone/:id/assistenza (start)');
    await operator.screenshot({ path: '/tmp/e2e-assisted-operator-start.png', fullPage: true });

    // Without the consent: refused, the choices kept.
    await choose(operator, 'Al telefono');
    await choose(operator, '1 ora');
    await choose(
      operator,
      "Ho verificato l'identità della persona (allo sportello con un documento; al telefono con codice fiscale e data di nascita)",
    );
    await submit(operator, 'Inizia a operare per suo conto');
    await operator.locator('#error-summary').getByText('Registra il consenso della persona').waitFor();
    assert.ok(await operator.getByRole('radio', { name: 'Al telefono', exact: true }).isChecked());
    assert.ok(await operator.getByRole('radio', { name: '1 ora', exact: true }).isChecked());
    await expectAccessible(operator, '/operatore/persone/:id/assistenza (no consent)');

    await choose(operator, "Ho letto la dichiarazione e la persona ha detto di essere d'accordo");
    await submit(operator, 'Inizia a operare per suo conto', (u) => u.searchParams.get('ok') === 'started');
    await operator.getByText('Stai operando per conto di Giulia Conti').waitFor();
    await operator.getByRole('button', { name: 'Termina la modalità assistita' }).waitFor();
    await expectAccessible(operator, '/operatore/persone/:id/assistenza (active)');

    const email = await waitForOutbox(db, 'email', CITIZEN_EMAIL, '/i-miei-dati/per-tuo-conto');
    assert.equal(email.subject, 'Un operatore sta usando Sportello Lavoro per tuo conto');
    assert.match(email.body, /Chiara Baldelli/);
    await waitForOutbox(db, 'sms', CITIZEN_PHONE, 'opera per tuo conto');
  });

  test('2. the operator books an appointment for Giulia, with the banner on every step', async () => {
    await operator.getByRole('link', { name: 'Prenota un appuntamento per Giulia Conti' }).click();
    await operator.waitForURL(/\/appuntamento$/);
    assert.equal(await h1(operator), 'Per che cosa vuoi un appuntamento?');
    await operator.getByText('Stai operando per conto di Giulia Conti').waitFor();
    await expectAccessible(operator, 'operator picker: service (assisted)');
    await choose(operator, `${ACCOGLIENZA} (30 min)`);
    await submit(operator, 'Continua', (u) => u.searchParams.has('servizio'));
    await operator.getByText('Stai operando per conto di Giulia Conti').waitFor();
    await expectAccessible(operator, 'operator picker: channel (assisted)');
    await choose(operator, 'Per telefono');
    await submit(operator, 'Continua', (u) => u.searchParams.has('canale'));
    assert.equal(await h1(operator), 'Scegli giorno e ora');
    await operator.getByText('Stai operando per conto di Giulia Conti').waitFor();
    await expectAccessible(operator, 'operator picker: slot (assisted)');
    await operator.screenshot({ path: '/tmp/e2e-assisted-operator-picker.png', fullPage: true });
    const first = operator.locator('main fieldset label.form-check-label').first();
    await choose(operator, ((await first.textContent()) ?? '').trim());
    await submit(operator, 'Prenota', (u) => u.pathname.endsWith('/assistenza'));
    await operator.getByText('Appuntamento prenotato per conto della persona.').waitFor();
    const done =
      (await operator
        .locator('main ul li')
        .filter({ hasText: 'prenotato per conto della persona' })
        .textContent()) ?? '';
    assert.match(
      done,
      /Appuntamento «Accoglienza e prime informazioni» del .+: prenotato per conto della persona da Chiara Baldelli/,
    );
    await expectAccessible(operator, '/operatore/persone/:id/assistenza (booked)');
    await operator.screenshot({ path: '/tmp/e2e-assisted-operator-booked.png', fullPage: true });
    const audit = await suite.platform.db
      .selectFrom('audit_log')
      .select(['action', 'on_behalf_of'])
      .where('on_behalf_of', '=', giuliaId)
      .execute();
    assert.deepEqual(audit, [{ action: 'appointment.booked', on_behalf_of: giuliaId }]);
  });

  test('3. Giulia, on her phone without JavaScript, sees the booking done on her behalf and withdraws the permission', async () => {
    const giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    // Her appointments list marks the booking, with a link to everything done on her behalf.
    await giulia.goto(`${suite.base}/appuntamenti`);
    assert.equal(await h1(giulia), 'I miei appuntamenti');
    const card = giulia.locator('main li.card').filter({ hasText: ACCOGLIENZA });
    assert.equal(await card.count(), 1);
    assert.match((await card.textContent()) ?? '', /Per telefono/);
    await expectAccessible(giulia, '/appuntamenti (booked on her behalf)');
    await card.getByRole('link', { name: 'Prenotato per tuo conto da Chiara Baldelli' }).click();
    await giulia.waitForURL(/\/i-miei-dati\/per-tuo-conto$/);

    assert.equal(await h1(giulia), 'Fatto per tuo conto');
    const row = (await giulia.locator('main table tbody tr').first().textContent()) ?? '';
    assert.match(
      row,
      /Appuntamento «Accoglienza e prime informazioni» del .+: prenotato per tuo conto da Chiara Baldelli/,
    );
    await giulia.getByText(/Chiara Baldelli di .+ può operare per tuo conto fino a/).waitFor();
    await expectAccessible(giulia, '/i-miei-dati/per-tuo-conto (active)');
    await giulia.screenshot({ path: '/tmp/e2e-assisted-citizen.png', fullPage: true });

    await submit(giulia, 'Togli il permesso', (u) => u.searchParams.get('ok') === 'ended');
    await giulia
      .getByText("Hai tolto il permesso. L'operatore non può più fare niente per tuo conto.")
      .waitFor();
    await giulia.getByText('Nessun operatore può operare per tuo conto in questo momento.').waitFor();
    await giulia.getByRole('cell', { name: 'Tolto da te' }).waitFor();
    await expectAccessible(giulia, '/i-miei-dati/per-tuo-conto (ended)');

    // The operator's page no longer shows the banner: a new start would need a new consent.
    await operator.goto(`${suite.base}/operatore/persone/${giuliaId}/assistenza`);
    assert.equal(await operator.getByText('Stai operando per conto di Giulia Conti').count(), 0);
    await operator.getByRole('button', { name: 'Inizia a operare per suo conto' }).waitFor();
    await expectAccessible(operator, '/operatore/persone/:id/assistenza (after the person ended it)');

    // The same pages in English and Arabic (right to left).
    await operator.goto(`${suite.base}/operatore/persone/${giuliaId}/assistenza?lang=en`);
    assert.equal(await h1(operator), 'Acting on behalf of Giulia Conti');
    await expectAccessible(operator, '/operatore/persone/:id/assistenza (en)');
    await giulia.goto(`${suite.base}/i-miei-dati/per-tuo-conto?lang=ar`);
    assert.equal(await h1(giulia), 'ما تم نيابةً عنك');
    assert.equal(await giulia.locator('html').getAttribute('dir'), 'rtl');
    await expectAccessible(giulia, '/i-miei-dati/per-tuo-conto (ar)');
  });
});
