import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkDigitOf } from '../src/employers/domain/partita-iva.ts';
import { waitForOutbox } from './support/agenda.ts';
import {
  closeContext,
  existingSms,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  readSmsCode,
} from './support/browser.ts';
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const first10 = '0456789054';
const VAT = `${first10}${checkDigitOf(first10)}`;
const WRONG_VAT = `${first10}${(checkDigitOf(first10) + 1) % 10}`;
const EMAIL = 'giovanna.ferri@ceramiche-deruta.example';
const PHONE = '+393356667788';
const PASSWORD = 'maiolica blu di Deruta';
const INVITEE = 'stefano.neri@ceramiche-deruta.example';

/**
 * The company space end to end: a company signs up from a phone with JavaScript off (a wrong check
 * digit first), its admin signs in with password + SMS code, edits the company page, invites a
 * colleague who creates their account from the e-mail link; the admin links SPID and signs in with it;
 * the public page in Italian and English.
 */
describe('company space: sign-up, sign-in, invitation, public page', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const page = async (javaScript = true) => {
    const p = await newPage(suite.browser, { javaScript, viewport: javaScript ? undefined : MOBILE });
    open.push(p);
    return p;
  };

  const signIn = async (p: Page, email: string, phone: string, password: string) => {
    const before = await existingSms(suite.browser, suite.base, phone);
    await p.goto(`${suite.base}/accedi`);
    await p.getByLabel('Indirizzo e-mail').fill(email);
    await p.getByLabel('Password', { exact: true }).fill(password);
    await p.getByRole('button', { name: 'Continua' }).click();
    await p.waitForURL(/\/accedi\/codice/);
    const code = await readSmsCode(suite.browser, suite.base, phone, { after: before });
    await p.getByLabel('Codice di verifica').fill(code);
    await p.getByRole('button', { name: 'Verifica e accedi' }).click();
    await p.waitForURL((u) => !u.pathname.startsWith('/accedi'));
  };

  test('a company signs up with JavaScript off; a wrong partita IVA is explained and the form kept', async () => {
    const p = await page(false);
    await p.goto(`${suite.base}/azienda/registrati?lang=en`);
    assert.equal(await h1(p), 'Register your company');
    await expectAccessible(p, '/azienda/registrati (en)');
    await p.goto(`${suite.base}/azienda/registrati?lang=it`);
    assert.equal(await h1(p), 'Registra la tua azienda');
    await expectAccessible(p, '/azienda/registrati');
    await p.getByLabel('Ragione sociale').fill('Ceramiche Artistiche di Deruta S.n.c.');
    await p.getByLabel('Partita IVA').fill(WRONG_VAT);
    await p.getByLabel('Settore (sezione ATECO)').selectOption('C');
    await p.getByLabel('Codice ATECO (facoltativo)').fill('23.41');
    await choose(p, 'Piccola (da 10 a 49 addetti)');
    await p.getByLabel('Comune').fill('Perugia');
    await p.getByLabel('Indirizzo', { exact: true }).fill('Via Tiberina 40');
    await p.getByLabel('Nome', { exact: true }).fill('Giovanna');
    await p.getByLabel('Cognome').fill('Ferri');
    await p.getByLabel('E-mail di lavoro').fill(EMAIL);
    await p.getByLabel('Cellulare').fill(PHONE);
    await p.getByLabel('Password').fill(PASSWORD);
    await submit(p, "Registra l'azienda");
    await expectAccessible(p, '/azienda/registrati (errors)');
    const summary = await p.locator('#error-summary').textContent();
    assert.match(summary ?? '', /cifra di controllo/);
    assert.equal(await p.getByLabel('Ragione sociale').inputValue(), 'Ceramiche Artistiche di Deruta S.n.c.');
    assert.equal(await p.getByLabel('Partita IVA').inputValue(), WRONG_VAT);
    await p.getByLabel('Partita IVA').fill(VAT);
    await p.getByLabel('Password').fill(PASSWORD);
    await submit(p, "Registra l'azienda", (u) => u.pathname === '/azienda/benvenuto');
    assert.equal(await h1(p), 'Account creato');
    await expectAccessible(p, '/azienda/benvenuto');
  });

  test('the admin signs in with password + SMS code, edits the company and invites a colleague', async () => {
    const p = await page();
    await signIn(p, EMAIL, PHONE, PASSWORD);
    await p.goto(`${suite.base}/azienda`);
    assert.equal(await h1(p), 'Ceramiche Artistiche di Deruta S.n.c.');
    await expectAccessible(p, '/azienda');
    await p.getByLabel("Descrizione dell'azienda").fill('Maioliche dipinte a mano dal 1921.');
    await p.getByLabel('Sito web').fill('https://ceramiche-deruta.example');
    await submit(p, 'Salva i dati', (u) => u.pathname === '/azienda');
    assert.match((await p.locator('main').textContent()) ?? '', /Dati dell'azienda salvati/);
    await p.goto(`${suite.base}/azienda?lang=en`);
    await expectAccessible(p, '/azienda (en)');
    await p.goto(`${suite.base}/azienda/utenti?lang=it`);
    assert.equal(await h1(p), "Utenti dell'azienda");
    await expectAccessible(p, '/azienda/utenti');
    await p.getByLabel('E-mail di lavoro').fill(INVITEE);
    await choose(p, 'Selezionatore: pubblica offerte e cerca candidati');
    await submit(p, "Manda l'invito", (u) => u.pathname === '/azienda/utenti');
    await expectAccessible(p, '/azienda/utenti (invited)');
    assert.match((await p.locator('main').textContent()) ?? '', new RegExp(INVITEE.replace(/\./g, '\\.')));

    const mail = await waitForOutbox(suite.platform.db, 'email', INVITEE, '/azienda/invito/');
    const link = /(https?:\/\/\S+\/azienda\/invito\/[A-Za-z0-9_-]{43})/.exec(mail.body)?.[1];
    assert.ok(link);
    const invitee = await page(false);
    await invitee.goto(link);
    assert.equal(await h1(invitee), 'Crea il tuo account aziendale');
    await expectAccessible(invitee, '/azienda/invito/:token');
    await invitee.getByLabel('Nome', { exact: true }).fill('Stefano');
    await invitee.getByLabel('Cognome').fill('Neri');
    await invitee.getByLabel('Cellulare').fill('+39 347 000 1122');
    await invitee.getByLabel('Password').fill('girasoli e vasi 2026');
    await submit(invitee, "Crea l'account", (u) => u.pathname === '/azienda/benvenuto');
    await invitee.goto(link);
    assert.equal(await h1(invitee), 'Invito già usato');
    await expectAccessible(invitee, '/azienda/invito/:token (used)');
  });

  test('the admin links SPID, then signs in to the company account with SPID', async () => {
    const p = await page();
    await signIn(p, EMAIL, PHONE, PASSWORD);
    await p.goto(`${suite.base}/azienda`);
    await p.getByRole('link', { name: 'Collega SPID' }).click();
    await p.waitForLoadState('load');
    assert.match(await h1(p), /Gestore di identità di prova/);
    await p.locator('label[for="id-fatima"]').click();
    await p.getByRole('button', { name: 'Entra con questa identità' }).click();
    await p.waitForURL((u) => u.pathname === '/azienda');
    assert.match((await p.locator('main').textContent()) ?? '', /Identità digitale collegata/);
    await expectAccessible(p, '/azienda (SPID linked)');

    const fresh = await page();
    await fresh.goto(`${suite.base}/azienda/benvenuto`);
    await expectAccessible(fresh, '/azienda/benvenuto');
    await fresh.getByRole('link', { name: 'Entra con SPID nel tuo account aziendale' }).click();
    await fresh.waitForLoadState('load');
    await fresh.locator('label[for="id-fatima"]').click();
    await fresh.getByRole('button', { name: 'Entra con questa identità' }).click();
    await fresh.waitForURL((u) => u.pathname === '/azienda');
    assert.equal(await h1(fresh), 'Ceramiche Artistiche di Deruta S.n.c.');
  });

  test('the public company page, in Italian and English; an unknown company is a 404 page', async () => {
    const p = await page(false);
    const { public_slug } = await suite.platform.db
      .selectFrom('companies')
      .select('public_slug')
      .where('vat_number', '=', VAT)
      .executeTakeFirstOrThrow();
    await p.goto(`${suite.base}/aziende/${public_slug}`);
    assert.equal(await h1(p), 'Ceramiche Artistiche di Deruta S.n.c.');
    assert.match((await p.locator('main').textContent()) ?? '', /Maioliche dipinte a mano/);
    await expectAccessible(p, '/aziende/:slug');
    await p.goto(`${suite.base}/aziende/${public_slug}?lang=en`);
    assert.match((await p.locator('main').textContent()) ?? '', /Open vacancies/);
    await expectAccessible(p, '/aziende/:slug (en)');
    const missing = await p.goto(`${suite.base}/aziende/nessuna-azienda-qui`);
    assert.equal(missing?.status(), 404);
    await expectAccessible(p, '/aziende/unknown');
  });
});
