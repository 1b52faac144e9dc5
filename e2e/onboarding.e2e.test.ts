import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { closeContext, expectAccessible, h1, MOBILE, newPage } from './support/browser.ts';
import {
  choose,
  correctOptionLabel,
  daysAgo,
  htmlAttr,
  onStep,
  type Person,
  readOutboxCode,
  signInWithSpid,
  submit,
} from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

/**
 * Onboarding in the browser: the profile one question per page, the DID with its receipt and the
 * public verification, the digital-skills check, the NASpI estimate; with and without JavaScript,
 * on desktop and phone, in Italian, English and Arabic. axe runs on every page visited.
 */
describe('onboarding: profile, DID, digital skills, NASpI', () => {
  const suite = new BrowserSuite();

  const CONTINUE = 'Salva e continua';

  /** Step title, progress text and axe: what every profile step must show. */
  async function atStep(page: Page, step: string, title: string, n: number, label: string): Promise<void> {
    assert.equal(new URL(page.url()).pathname, `/profilo/passo/${step}`);
    assert.equal(await h1(page), title);
    await page.getByText(`Passo ${n} di 11`, { exact: true }).waitFor();
    await expectAccessible(page, `/profilo/passo/${step} (${label})`);
  }

  async function completeProfileAndDeclare(page: Page, person: Person, label: string, shot: string) {
    const { base, browser } = suite;
    await signInWithSpid(page, base, person.identity, label);

    // 1. Contacts
    await page.goto(`${base}/profilo`);
    await page.waitForURL(onStep('contatti'));
    await atStep(page, 'contatti', 'I tuoi recapiti', 1, label);
    await page.screenshot({ path: `/tmp/e2e-onb-profile-step-${shot}.png`, fullPage: true });
    await page.getByLabel('Indirizzo e-mail').fill(person.email);
    await page.getByLabel('Numero di cellulare').fill(person.mobile);
    await submit(page, CONTINUE, onStep('verifica'));

    // 2. Codes, from the demo outbox
    await atStep(page, 'verifica', 'Conferma i recapiti', 2, label);
    await page.getByRole('status').filter({ hasText: 'Ti abbiamo inviato i codici' }).waitFor();
    const emailCode = await readOutboxCode(browser, base, 'email', person.email, { label });
    const smsCode = await readOutboxCode(browser, base, 'sms', person.mobile, { label });
    await page.getByLabel(`Codice ricevuto all'indirizzo ${person.email}`).fill(emailCode);
    await page.getByLabel(`Codice ricevuto per SMS al numero ${person.mobile}`).fill(smsCode);
    await submit(page, CONTINUE, onStep('domicilio'));

    // 3. Domicile: search, then choose
    await atStep(page, 'domicilio', 'Dove vivi', 3, label);
    await page.getByLabel('Cerca il tuo Comune').fill('Peru');
    await submit(page, 'Cerca', onStep('domicilio'));
    assert.equal(new URL(page.url()).searchParams.get('q'), 'Peru');
    await expectAccessible(page, `/profilo/passo/domicilio?q=Peru (${label})`);
    await choose(page, 'Perugia (PG)');
    await submit(page, CONTINUE, onStep('istruzione'));

    // 4. Education
    await atStep(page, 'istruzione', 'Il tuo titolo di studio', 4, label);
    await page.getByLabel('Titolo di studio più alto').selectOption({ label: 'Diploma di scuola superiore' });
    await page.getByLabel('Nome del titolo (facoltativo)').fill('Diploma di ragioneria');
    await submit(page, CONTINUE, onStep('esperienze'));

    // 5. Work history: add one job, then continue
    await atStep(page, 'esperienze', 'Le tue esperienze di lavoro', 5, label);
    await page.getByText('Non hai ancora aggiunto lavori.').waitFor();
    await page.getByLabel('Che lavoro facevi').fill(person.occupation);
    await page.getByLabel('Tipo di lavoro').selectOption({ label: 'Commercio e servizi' });
    await page.getByLabel("Settore dell'azienda").selectOption({ label: 'Alloggio e ristorazione' });
    await page.getByLabel('Dal mese').fill('2019-04');
    await page.getByLabel('Al mese (lascia vuoto se lavori ancora lì)').fill('2024-10');
    await submit(page, 'Aggiungi questo lavoro', onStep('esperienze'));
    const jobs = page.locator('main table').filter({ hasText: 'Lavori che hai aggiunto' });
    await jobs.waitFor();
    assert.match(
      ((await jobs.locator('tbody tr').first().textContent()) ?? '').replace(/\s+/g, ' '),
      new RegExp(person.occupation),
    );
    await expectAccessible(page, `/profilo/passo/esperienze with a job (${label})`);
    await submit(page, CONTINUE, onStep('disoccupazione'));

    // 6. Unemployment date (an impossible date first: see the dedicated test too)
    await atStep(page, 'disoccupazione', 'Da quando sei senza lavoro', 6, label);
    await page.getByLabel('Senza lavoro dal').fill('2024-10-31');
    await submit(page, CONTINUE, onStep('sostegni'));

    // 7. Benefits
    await atStep(page, 'sostegni', 'Sostegni che ricevi', 7, label);
    await choose(page, 'NASpI (indennità di disoccupazione)');
    await submit(page, CONTINUE, onStep('lingue'));

    // 8. Languages: add one
    await atStep(page, 'lingue', 'Le lingue che conosci', 8, label);
    await page.locator('main').getByLabel('Lingua', { exact: true }).selectOption({ label: 'Inglese' });
    await page
      .locator('main')
      .getByLabel('Livello', { exact: true })
      .selectOption({ label: 'B1 — intermedio' });
    await submit(page, 'Aggiungi questa lingua', onStep('lingue'));
    await page.locator('main li').filter({ hasText: 'Inglese — B1 — intermedio' }).waitFor();
    await expectAccessible(page, `/profilo/passo/lingue with a language (${label})`);
    await submit(page, CONTINUE, onStep('patenti'));

    // 9. Driving licences
    await atStep(page, 'patenti', 'Patenti di guida', 9, label);
    await choose(page, 'B');
    await submit(page, CONTINUE, onStep('disponibilita'));

    // 10. Availability
    await atStep(page, 'disponibilita', 'La tua disponibilità', 10, label);
    await choose(page, 'Va bene tutto');
    await choose(page, 'Tempo determinato');
    await choose(page, 'Tempo indeterminato');
    await page.getByLabel('Distanza massima da casa, in km').fill('30');
    await choose(page, 'No, solo in presenza');
    await submit(page, CONTINUE, onStep('riepilogo'));

    // 11. Summary, then confirm
    await atStep(page, 'riepilogo', 'Controlla e conferma', 11, label);
    const summary = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    for (const expected of [
      person.fullName,
      person.email,
      person.mobile,
      'Perugia (PG)',
      'Diploma di scuola superiore — Diploma di ragioneria',
      person.occupation,
      '2024-10-31',
      'NASpI (indennità di disoccupazione)',
      'Inglese B1',
      'Va bene tutto, 30 km, No, solo in presenza',
    ])
      assert.ok(summary.includes(expected), `summary lacks "${expected}": ${summary}`);
    await submit(page, 'Confermo che i dati sono corretti', (u) => u.pathname === '/profilo/did');

    // DID: without the tick first, then declared
    assert.equal(await h1(page), 'Dichiarazione di immediata disponibilità (DID)');
    await expectAccessible(page, `/profilo/did (${label})`);
    await submit(page, 'Invia la dichiarazione', (u) => u.pathname === '/profilo/did');
    const alert = page.getByRole('alert').filter({ hasText: 'Ci sono errori da correggere' });
    await alert.getByRole('link', { name: 'Per inviare la dichiarazione spunta la casella.' }).waitFor();
    await expectAccessible(page, `/profilo/did with error (${label})`);
    await choose(
      page,
      "Dichiaro la mia immediata disponibilità allo svolgimento di attività lavorativa e alla partecipazione alle misure di politica attiva concordate con il Centro per l'Impiego (D.Lgs. 150/2015, art. 19).",
    );
    await submit(
      page,
      'Invia la dichiarazione',
      (u) => u.pathname === '/profilo/did' && u.search === '?ok=declared',
    );
    await page.getByRole('status').filter({ hasText: 'Dichiarazione registrata' }).waitFor();
    await page.getByText(/La tua DID è attiva dal/).waitFor();
    await expectAccessible(page, `/profilo/did declared (${label})`);
    await page.screenshot({ path: `/tmp/e2e-onb-did-${shot}.png`, fullPage: true });

    // The receipt: a PDF download
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Scarica la ricevuta (PDF)' }).click(),
    ]);
    const file = await download.path();
    assert.ok(file, 'the receipt was not saved');
    const pdf = await readFile(file);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(download.suggestedFilename(), /^ricevuta-did-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\.pdf$/);

    // The verification code shown on the page opens the public verification
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    const code = /con il codice ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(text)?.[1];
    assert.ok(code, `no verification code on the DID page: ${text}`);
    assert.ok(download.suggestedFilename().includes(code));
    await page.goto(`${base}/verifica/${code}`);
    assert.equal(await h1(page), 'Verifica di un documento');
    await page.getByRole('status').filter({ hasText: 'Il documento è autentico ed è valido.' }).waitFor();
    await expectAccessible(page, `/verifica/${code} (${label})`);
  }

  test('Mario (SPID) completes the profile, declares the DID, downloads and verifies the receipt — JavaScript on, desktop', async () => {
    const page = await newPage(suite.browser);
    try {
      await completeProfileAndDeclare(
        page,
        {
          identity: 'mario',
          fullName: 'Mario Rossi',
          email: 'mario.rossi.e2e@example.org',
          mobile: '333 7000001',
          occupation: 'Cameriere',
        },
        'Mario, JS, desktop',
        'js-desktop',
      );
    } finally {
      await closeContext(page);
    }
  });

  test('Fatima (SPID) does the same with JavaScript off on a phone', async () => {
    const page = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    try {
      await completeProfileAndDeclare(
        page,
        {
          identity: 'fatima',
          fullName: 'Fatima Benali',
          email: 'fatima.benali.e2e@example.org',
          mobile: '+39 333 7000002',
          occupation: 'Magazziniera',
        },
        'Fatima, no JS, mobile',
        'nojs-mobile',
      );
    } finally {
      await closeContext(page);
    }
  });

  /** The unemployment step with an error for an impossible date, checked for messages and axe. */
  async function expectDateError(page: Page, label: string): Promise<void> {
    assert.equal(new URL(page.url()).pathname, '/profilo/passo/disoccupazione');
    const alert = page.getByRole('alert').filter({ hasText: 'Ci sono errori da correggere' });
    await alert.getByRole('link', { name: 'Scrivi una data esistente, come 31/03/2025.' }).waitFor();
    const field = page.getByLabel('Senza lavoro dal');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match((await field.getAttribute('aria-describedby')) ?? '', /since-error/);
    await page.locator('#since-error').filter({ hasText: 'Scrivi una data esistente' }).waitFor();
    await expectAccessible(page, `/profilo/passo/disoccupazione with error (${label})`);
  }

  test('an impossible unemployment date (30/02/2024) gets a clear message and stays in the field', async () => {
    const page = await newPage(suite.browser);
    try {
      await signInWithSpid(page, suite.base, 'luca', 'Luca, bad date');
      await page.goto(`${suite.base}/profilo/passo/disoccupazione`);
      await atStep(page, 'disoccupazione', 'Da quando sei senza lavoro', 6, 'Luca, bad date');
      const field = page.getByLabel('Senza lavoro dal');
      await field.fill('30/02/2024');
      await submit(page, CONTINUE, onStep('disoccupazione'));
      await expectDateError(page, 'typed as text');
      assert.equal(await field.inputValue(), '30/02/2024', 'the typed date must stay in the field');
    } finally {
      await closeContext(page);
    }
  });

  test('digital-skills check: all answers right → level 3 of 3', async () => {
    const page = await newPage(suite.browser);
    try {
      await signInWithSpid(page, suite.base, 'giulia', 'Giulia, digital');
      await page.goto(`${suite.base}/profilo/competenze-digitali`);
      assert.equal(await h1(page), 'Competenze digitali');
      await expectAccessible(page, '/profilo/competenze-digitali');
      await submit(page, 'Inizia il test', (u) => u.pathname === '/profilo/competenze-digitali/domanda');
      let answered = 0;
      while (new URL(page.url()).pathname.endsWith('/domanda')) {
        answered += 1;
        assert.ok(answered <= 15, 'more than 15 questions');
        assert.equal(await h1(page), `Domanda ${answered}`);
        await expectAccessible(page, `digital question ${answered}`);
        const prompt = ((await page.locator('main form fieldset legend').textContent()) ?? '').trim();
        await choose(page, correctOptionLabel(prompt));
        await submit(page, 'Conferma e continua');
      }
      assert.equal(new URL(page.url()).pathname, '/profilo/competenze-digitali/risultato');
      assert.equal(await h1(page), 'Il risultato del test');
      await page.locator('main .lead strong').filter({ hasText: '3 su 3 — avanzato' }).waitFor();
      const rows = await page.locator('main table tbody tr td').allInnerTexts();
      assert.equal(rows.length, 5);
      for (const r of rows) assert.equal(r.trim(), '3 su 3 — avanzato');
      await page.getByText(`con ${answered} domande`).waitFor();
      await expectAccessible(page, 'digital result');
      await page.screenshot({ path: '/tmp/e2e-onb-digital-result.png', fullPage: true });
    } finally {
      await closeContext(page);
    }
  });

  async function fillNaspi(
    page: Page,
    labels: {
      employment: string;
      termination: string;
      endDate: string;
      weeks: string;
      weeksUsed: string;
      pay: string;
      age: string;
      no: string;
      submit: string;
    },
  ) {
    await choose(page, labels.employment);
    await choose(page, labels.termination);
    await page.getByLabel(labels.endDate).fill(daysAgo(20));
    await page.getByLabel(labels.weeks, { exact: true }).fill('104');
    await page.getByLabel(labels.weeksUsed).fill('0');
    await page.getByLabel(labels.pay).fill('54.000');
    await page.getByLabel(labels.age).fill('35');
    assert.ok(await page.locator('input[name="recentExit"][value="no"]').isChecked(), '"No" is the default');
    await choose(page, labels.no);
    await submit(page, labels.submit, (u) => u.pathname === '/sostegni/naspi/risultato');
  }

  test('NASpI estimate as an anonymous visitor without JavaScript, in Italian and English', async () => {
    const page = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    try {
      await page.goto(`${suite.base}/sostegni/naspi`);
      assert.equal(await h1(page), 'NASpI: verifica se ti spetta e quanto');
      await expectAccessible(page, '/sostegni/naspi it no-JS');
      await fillNaspi(page, {
        employment: "Dipendente di un'impresa o di un privato (anche apprendista o socio di cooperativa)",
        termination: 'Fine del contratto a tempo determinato',
        endDate: 'Ultimo giorno di lavoro',
        weeks: 'Settimane di contributi negli ultimi 4 anni',
        weeksUsed: "Settimane già usate per un'altra indennità di disoccupazione",
        pay: 'Retribuzione lorda imponibile degli ultimi 4 anni, in euro',
        age: 'La tua età quando farai domanda',
        no: 'No',
        submit: 'Calcola',
      });
      assert.equal(await h1(page), 'Il risultato della tua verifica NASpI');
      await page.getByRole('status').filter({ hasText: 'Probabilmente ti spetta la NASpI' }).waitFor();
      const table = page.getByRole('table', { name: 'Importi lordi mese per mese' });
      await table.waitFor();
      const months = await table.locator('tbody th[scope="row"]').allInnerTexts();
      assert.ok(months.length >= 12, `only ${months.length} months`);
      assert.equal(months[0]?.trim(), '1° mese');
      const amounts = await table.locator('tbody td.text-end').allInnerTexts();
      assert.equal(amounts.length, months.length);
      for (const a of amounts) assert.match(a, /\d.*€/);
      await expectAccessible(page, '/sostegni/naspi/risultato it no-JS');
      await page.screenshot({ path: '/tmp/e2e-onb-naspi-result.png', fullPage: true });

      // "Change the answers" brings the form back filled in; a bad amount is refused, text kept.
      await page.getByRole('link', { name: 'Modifica le risposte' }).click();
      await page.waitForURL((u) => u.pathname === '/sostegni/naspi');
      assert.equal(
        await page.getByLabel('Retribuzione lorda imponibile degli ultimi 4 anni, in euro').inputValue(),
        '54.000',
      );
      assert.equal(await page.getByLabel('Ultimo giorno di lavoro').inputValue(), daysAgo(20));
      assert.ok(await page.locator('input[name="termination"][value="fixedTermEnd"]').isChecked());
      await expectAccessible(page, '/sostegni/naspi with the answers it no-JS');
      await page.getByLabel('Retribuzione lorda imponibile degli ultimi 4 anni, in euro').fill('tanti');
      await submit(page, 'Calcola', (u) => u.pathname === '/sostegni/naspi/risultato');
      assert.equal(await h1(page), 'NASpI: verifica se ti spetta e quanto');
      await page
        .getByRole('alert')
        .getByRole('link', { name: /Scrivi un importo in euro senza segno meno/ })
        .waitFor();
      const pay = page.getByLabel('Retribuzione lorda imponibile degli ultimi 4 anni, in euro');
      assert.equal(await pay.inputValue(), 'tanti');
      assert.equal(await pay.getAttribute('aria-invalid'), 'true');
      await expectAccessible(page, '/sostegni/naspi/risultato with error it no-JS');

      // English
      await page.goto(`${suite.base}/sostegni/naspi?lang=en`);
      assert.equal(await htmlAttr(page, 'lang'), 'en');
      assert.equal(await h1(page), 'NASpI: check whether you are entitled, and how much');
      await expectAccessible(page, '/sostegni/naspi en no-JS');
      await fillNaspi(page, {
        employment: 'Employee of a company or a private person (also apprentice or cooperative member)',
        termination: 'End of a fixed-term contract',
        endDate: 'Last day of work',
        weeks: 'Weeks of contributions in the last 4 years',
        weeksUsed: 'Weeks already used for an earlier unemployment benefit',
        pay: 'Gross taxable pay of the last 4 years, in euro',
        age: 'Your age when you apply',
        no: 'No',
        submit: 'Calculate',
      });
      assert.equal(await htmlAttr(page, 'lang'), 'en');
      assert.equal(await h1(page), 'The result of your NASpI check');
      await page.getByRole('status').filter({ hasText: 'You are probably entitled to NASpI' }).waitFor();
      const en = page.getByRole('table', { name: 'Gross amounts month by month' });
      assert.equal(await en.locator('tbody tr').count(), months.length);
      assert.equal(((await en.locator('tbody th').first().textContent()) ?? '').trim(), 'Month 1');
      await expectAccessible(page, '/sostegni/naspi/risultato en no-JS');
      await page.screenshot({ path: '/tmp/e2e-onb-naspi-result-en.png', fullPage: true });
    } finally {
      await closeContext(page);
    }
  });

  test('Arabic (right to left): the first profile step and the NASpI form', async () => {
    const page = await newPage(suite.browser, { viewport: MOBILE });
    try {
      // Anonymous first: the public NASpI form.
      await page.goto(`${suite.base}/sostegni/naspi?lang=ar`);
      assert.equal(await htmlAttr(page, 'lang'), 'ar');
      assert.equal(await htmlAttr(page, 'dir'), 'rtl');
      assert.equal(await page.locator('main h1').evaluate((e) => getComputedStyle(e).direction), 'rtl');
      await expectAccessible(page, '/sostegni/naspi ar');
      await page.screenshot({ path: '/tmp/e2e-onb-naspi-form-ar.png', fullPage: true });

      // Back to Italian to sign in with the Italian labels, then the profile in Arabic.
      await page.goto(`${suite.base}/?lang=it`);
      await expectAccessible(page, 'home it (Arabic test)');
      await signInWithSpid(page, suite.base, 'luca', 'Luca, Arabic');
      await page.goto(`${suite.base}/profilo/passo/contatti?lang=ar`);
      assert.equal(await htmlAttr(page, 'lang'), 'ar');
      assert.equal(await htmlAttr(page, 'dir'), 'rtl');
      assert.equal(await page.locator('main h1').evaluate((e) => getComputedStyle(e).direction), 'rtl');
      assert.equal(await page.locator('main form input#email').count(), 1);
      await expectAccessible(page, '/profilo/passo/contatti ar');
      await page.screenshot({ path: '/tmp/e2e-onb-profile-step-ar.png', fullPage: true });
    } finally {
      await closeContext(page);
    }
  });
});
