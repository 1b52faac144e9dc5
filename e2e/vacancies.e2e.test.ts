import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { addMonths, romeDay } from '../src/employers/domain/vacancy.ts';
import {
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

const EMPLOYER_EMAIL = 'datore@demo.sportello.example';
const EMPLOYER_PHONE = '+39 333 0000002';

/**
 * Vacancies end to end with JavaScript off: the employer writes a vacancy (an upside-down pay range
 * first), picks the ESCO occupation and its skills on the second step, sends it to the CPI; the
 * operator sees discriminatory wording highlighted and rejects it with the prefilled reason; the
 * employer fixes it and sends it again; the operator publishes it; it appears in the open-data feed.
 */
describe('vacancies: employer writes and submits, CPI moderates and publishes', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let employer: Page;
  let operator: Page;
  let vacancyUrl = '';
  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the employer writes a vacancy without JavaScript; bad input is explained and kept', async () => {
    employer = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(employer);
    await signInWithPassword(employer, suite.base, { email: EMPLOYER_EMAIL, phone: EMPLOYER_PHONE });
    await employer.goto(`${suite.base}/azienda/offerte`);
    assert.equal(await h1(employer), 'Le offerte di lavoro');
    await expectAccessible(employer, '/azienda/offerte (empty)');
    await employer.getByRole('link', { name: 'Nuova offerta' }).click();
    assert.equal(await h1(employer), 'Nuova offerta di lavoro');
    await expectAccessible(employer, '/azienda/offerte/nuova');
    await employer.getByLabel("Titolo dell'offerta", { exact: true }).fill('Magazziniere bella presenza');
    await employer
      .getByLabel('Descrizione', { exact: true })
      .fill('Carico e scarico merci, inventario. Richiesta patente B. Cerchiamo solo uomini.');
    await employer.getByLabel('Cerca la professione', { exact: true }).fill('magazziniere');
    await submit(employer, 'Cerca professione');
    await choose(employer, 'magazziniere (ISCO 9333)');
    await submit(employer, 'Mostra le competenze della professione scelta');
    await expectAccessible(employer, '/azienda/offerte/nuova (occupation and skills)');
    await choose(
      employer,
      'stoccare la merce in magazzino',
      employer.locator('fieldset', { hasText: 'Competenze indispensabili' }).last(),
    );
    await employer.getByLabel('Italiano', { exact: true }).selectOption('B1');
    await employer.getByLabel('Sede', { exact: true }).selectOption({ label: 'Altro comune' });
    await employer.getByLabel('Comune', { exact: true }).fill('Perugia (PG)');
    await employer.getByLabel('Tipo di contratto', { exact: true }).selectOption('determinato');
    await employer.getByLabel('Da (euro)', { exact: true }).fill('1700');
    await employer.getByLabel('A (euro)', { exact: true }).fill('1400');
    await employer.getByLabel('Periodo', { exact: true }).selectOption('month');
    await employer
      .getByLabel("Scadenza dell'offerta", { exact: true })
      .fill(addMonths(romeDay(new Date()), 1));
    await submit(employer, 'Invia alla verifica del CPI');
    await employer
      .getByText('La retribuzione massima non può essere più bassa della minima.')
      .first()
      .waitFor();
    assert.equal(await employer.getByLabel('Da (euro)', { exact: true }).inputValue(), '1700');
    assert.equal(await employer.getByLabel('Comune', { exact: true }).inputValue(), 'Perugia (PG)');
    await expectAccessible(employer, '/azienda/offerte/nuova (errors)');
    await employer.getByLabel('Da (euro)', { exact: true }).fill('1400');
    await employer.getByLabel('A (euro)', { exact: true }).fill('1700');
    await submit(employer, 'Invia alla verifica del CPI');
    await employer.getByText('Offerta inviata alla verifica del CPI.').waitFor();
    vacancyUrl = new URL(employer.url()).pathname;
    assert.match(vacancyUrl, /^\/azienda\/offerte\/[0-9a-f-]{36}$/);
    await expectAccessible(employer, '/azienda/offerte/:id (submitted)');
  });

  test('2. the operator sees the discriminatory wording highlighted and rejects with the reason', async () => {
    operator = await newPage(suite.browser, { javaScript: false });
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/offerte`);
    assert.equal(await h1(operator), 'Offerte da verificare');
    await expectAccessible(operator, '/operatore/offerte');
    await operator.getByRole('link', { name: 'Magazziniere bella presenza' }).click();
    await operator.locator('mark', { hasText: 'solo uomini' }).first().waitFor();
    await operator.locator('mark', { hasText: 'bella presenza' }).first().waitFor();
    assert.equal(await operator.getByRole('button', { name: "Pubblica l'offerta" }).count(), 0);
    await expectAccessible(operator, '/operatore/offerte/:id (blocked)');
    const reason = await operator.getByLabel('Motivo del rifiuto', { exact: true }).inputValue();
    assert.match(reason, /"bella presenza"/);
    assert.match(reason, /"solo uomini"/);
    await submit(operator, 'Respingi con il motivo');
    await operator.getByText("Offerta respinta. L'azienda riceve un'e-mail con il motivo.").waitFor();
  });

  test('3. the employer fixes the text and sends it again; the operator publishes it', async () => {
    await employer.goto(`${suite.base}${vacancyUrl}`);
    await employer.getByText('Cosa chiede di correggere il CPI').waitFor();
    await expectAccessible(employer, '/azienda/offerte/:id (rejected)');
    await employer.getByRole('link', { name: 'Modifica' }).click();
    await employer.getByLabel("Titolo dell'offerta", { exact: true }).fill('Magazziniere');
    await employer
      .getByLabel('Descrizione', { exact: true })
      .fill('Carico e scarico merci, inventario. Richiesta patente B.');
    await submit(employer, 'Invia alla verifica del CPI');
    await employer.getByText('Offerta inviata alla verifica del CPI.').waitFor();

    await operator.goto(`${suite.base}/operatore/offerte`);
    await operator.getByRole('link', { name: 'Magazziniere', exact: true }).click();
    await operator
      .getByText('Il controllo automatico non ha trovato parole discriminatorie.', { exact: false })
      .waitFor();
    await expectAccessible(operator, '/operatore/offerte/:id (clean)');
    await submit(operator, "Pubblica l'offerta");
    await operator.getByText("Offerta pubblicata. L'azienda riceve un'e-mail.").waitFor();

    await employer.goto(`${suite.base}${vacancyUrl}`);
    await employer.getByText('Pubblicata', { exact: true }).first().waitFor();
    await employer.goto(`${suite.base}${vacancyUrl}?lang=en`);
    assert.equal(await h1(employer), 'Magazziniere');
    await expectAccessible(employer, '/azienda/offerte/:id (published, English)');
    const feed = await employer.request.get(`${suite.base}/offerte.json`);
    const body = (await feed.json()) as { items: { title: string; url: string }[] };
    const id = vacancyUrl.split('/').pop();
    assert.ok(body.items.some((i) => i.title === 'Magazziniere' && i.url.endsWith(`/offerte/${id}`)));
  });
});
