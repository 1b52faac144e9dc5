import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { emptyCv } from '../src/cv/domain/cv.ts';
import { linkAfter, waitForOutbox } from './support/agenda.ts';
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

const REGION = '10';
const EMPLOYER_EMAIL = 'datore@demo.sportello.example';
const EMPLOYER_PHONE = '+39 333 0000002';
const VACANCY = 'Tessitrice per la preselezione';
const EVENT = 'Fiera virtuale del tessile umbro';

/**
 * CPI pre-selection and a recruiting day end to end, JavaScript off: the employer asks for a
 * shortlist, the operator takes it, adds the demo citizen from the matcher's suggestions, reads and
 * validates her CV and asks her consent; she accepts from the e-mail link; the operator sends it;
 * the employer reads it and rates it. Then the operator creates and publishes a virtual recruiting
 * day, the company joins and opens slots, the citizen books an interview. axe on every page.
 */
describe('pre-selection and recruiting day', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let employer: Page;
  let operator: Page;
  let citizen: Page;
  let citizenId = '';
  let citizenName = '';
  let requestPath = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const page = async (mobile = false) => {
    const p = await newPage(suite.browser, { javaScript: false, ...(mobile ? { viewport: MOBILE } : {}) });
    open.push(p);
    return p;
  };

  test('0. data: a published vacancy; the demo citizen can be found and has a CV', async () => {
    const db = suite.platform.db;
    const boss = await db
      .selectFrom('users')
      .select(['id', 'company_id'])
      .where('email', '=', EMPLOYER_EMAIL)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('vacancies')
      .values({
        region_code: REGION,
        company_id: boss.company_id!,
        title: VACANCY,
        description: 'Tessitura su telai jacquard, turni diurni, reparto di Bastia Umbra.',
        municipality_code: '054039',
        contract_type: 'indeterminato',
        hours: 'full_time',
        expires_on: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        status: 'published',
        created_by: boss.id,
      })
      .execute();
    const me = await db
      .selectFrom('users')
      .select(['id', 'given_name', 'family_name'])
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    citizenId = me.id;
    citizenName = `${me.given_name} ${me.family_name}`;
    await db
      .insertInto('citizen_profiles')
      .values({ region_code: REGION, user_id: citizenId, domicile_code: '054039', education_eqf: 4 })
      .onConflict((oc) => oc.columns(['region_code', 'user_id']).doUpdateSet({ domicile_code: '054039' }))
      .execute();
    await db
      .insertInto('candidate_visibility')
      .values({ region_code: REGION, citizen_id: citizenId, visible: true })
      .onConflict((oc) => oc.columns(['region_code', 'citizen_id']).doUpdateSet({ visible: true }))
      .execute();
    const doc = {
      ...emptyCv(me.given_name, me.family_name),
      about: 'Tessitrice con dieci anni di esperienza.',
    };
    await db
      .insertInto('cvs')
      .values({ region_code: REGION, citizen_id: citizenId, document: JSON.stringify(doc) })
      .onConflict((oc) =>
        oc.columns(['region_code', 'citizen_id']).doUpdateSet({ document: JSON.stringify(doc) }),
      )
      .execute();
    await suite.platform.matcher.settled();
  });

  test('1. the employer asks CPI Perugia for a shortlist', async () => {
    employer = await page();
    await signInWithPassword(employer, suite.base, { email: EMPLOYER_EMAIL, phone: EMPLOYER_PHONE });
    await employer.goto(`${suite.base}/azienda/preselezioni`);
    assert.equal(await h1(employer), "Preselezioni del Centro per l'impiego");
    await expectAccessible(employer, '/azienda/preselezioni');
    await submit(employer, 'Invia la richiesta');
    await employer.locator('#error-summary').waitFor();
    await expectAccessible(employer, '/azienda/preselezioni (errors)');
    await employer.getByLabel('Offerta').selectOption({ label: VACANCY });
    await employer.getByLabel("Centro per l'impiego").selectOption({ label: 'CPI Perugia' });
    await employer.getByLabel('Nota per il CPI').fill('Vorremmo incontrare tre persone.');
    await submit(employer, 'Invia la richiesta', (u) => u.searchParams.get('ok') === 'requested');
    await employer.getByRole('link', { name: VACANCY }).waitFor();
    await expectAccessible(employer, '/azienda/preselezioni (sent)');
  });

  test('2. the operator takes it, adds the person, validates her CV and asks her consent', async () => {
    operator = await page();
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/preselezioni`);
    await expectAccessible(operator, '/operatore/preselezioni');
    await operator.getByRole('link', { name: VACANCY }).click();
    requestPath = new URL(operator.url()).pathname;
    await expectAccessible(operator, 'request (new)');
    await submit(operator, 'Prendi in carico');
    await operator.getByText('scelto di farsi trovare dalle aziende').first().waitFor();
    await expectAccessible(operator, 'request (suggestions)');
    await submit(operator, `Aggiungi alla rosa: ${citizenName}`);
    await operator.getByRole('link', { name: citizenName }).click();
    assert.equal(await h1(operator), `CV di ${citizenName}`);
    await operator.getByText('Tessitrice con dieci anni di esperienza.').waitFor();
    await expectAccessible(operator, 'candidate CV');
    await submit(operator, 'Segna il CV come verificato');
    await operator.getByText('CV verificato dal CPI').first().waitFor();
    await operator.getByRole('link', { name: 'Torna alla richiesta' }).click();
    await submit(operator, "Invia all'azienda");
    await operator.getByText('Nessuna persona ha ancora dato il consenso').waitFor();
    await expectAccessible(operator, 'request (send refused)');
    await submit(operator, 'Chiedi il consenso');
    await operator.getByText('Abbiamo chiesto il consenso').waitFor();
  });

  test('3. the person accepts from the e-mail link; the operator sends the shortlist', async () => {
    const db = suite.platform.db;
    const mail = await waitForOutbox(db, 'email', CITIZEN_EMAIL, '/preselezioni/');
    const url = mail.body.match(/https?:\/\/\S+\/preselezioni\/[0-9a-f-]{36}/)?.[0];
    assert.ok(url, mail.body);
    citizen = await page(true);
    await signInWithPassword(citizen, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await citizen.goto(url);
    assert.equal(await h1(citizen), "Un'azienda può ricevere il tuo CV");
    await expectAccessible(citizen, '/preselezioni/:id');
    await choose(citizen, 'Sì, invia il mio CV');
    await submit(citizen, 'Invia la risposta', (u) => u.searchParams.get('ok') === 'answered');
    await citizen.getByText("Il tuo CV sarà inviato all'azienda").waitFor();
    await expectAccessible(citizen, '/preselezioni/:id (answered)');

    await operator.goto(`${suite.base}${requestPath}`);
    await submit(operator, "Invia all'azienda");
    await operator.getByText("Rosa inviata all'azienda.").waitFor();
    await expectAccessible(operator, 'request (sent)');
  });

  test('4. the employer reads the validated CV and rates the shortlist', async () => {
    const mail = await waitForOutbox(suite.platform.db, 'email', EMPLOYER_EMAIL, '/azienda/preselezioni/');
    assert.match(mail.body, /1 persone|1 people/);
    await employer.goto(`${suite.base}/azienda/preselezioni`);
    await employer.getByRole('link', { name: VACANCY }).click();
    await employer.getByRole('heading', { name: citizenName }).waitFor();
    await employer.getByText('CV verificato dal CPI').first().waitFor();
    await expectAccessible(employer, '/azienda/preselezioni/:id');
    await choose(employer, '4 — utile');
    await employer.getByLabel('Commento (facoltativo)').fill('Persone adatte, grazie.');
    await submit(employer, 'Salva la valutazione', (u) => u.searchParams.get('ok') === 'rated');
    await employer.getByText('La tua valutazione: 4 su 5.').waitFor();
    await expectAccessible(employer, '/azienda/preselezioni/:id (rated)');
  });

  test('5. a virtual recruiting day: created, published, joined, slots opened, an interview booked', async () => {
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await operator.goto(`${suite.base}/operatore/recruiting-day`);
    await expectAccessible(operator, '/operatore/recruiting-day');
    await operator.getByLabel("Titolo dell'evento").fill(EVENT);
    await operator.getByLabel('Settore (ATECO)').selectOption('C');
    await operator.getByLabel('Data', { exact: true }).fill(day);
    await choose(operator, 'Virtuale (colloqui in video)');
    await submit(operator, "Crea l'evento (bozza)");
    assert.equal(await h1(operator), EVENT);
    await expectAccessible(operator, 'event (draft)');
    await submit(operator, "Pubblica l'evento");
    await operator.getByText('Evento pubblicato.').waitFor();

    await employer.goto(`${suite.base}/azienda/recruiting-day`);
    await expectAccessible(employer, '/azienda/recruiting-day');
    await submit(employer, `Partecipa a ${EVENT}`);
    assert.equal(await h1(employer), EVENT);
    await employer.getByLabel('Dalle ore', { exact: true }).fill('09:00');
    await employer.getByLabel('Alle ore', { exact: true }).fill('08:00');
    await submit(employer, 'Crea gli orari');
    await employer.locator('#error-summary').waitFor();
    await expectAccessible(employer, 'company slots (error)');
    await employer.getByLabel('Alle ore', { exact: true }).fill('10:00');
    await employer.getByLabel('Durata di ogni colloquio (minuti)').fill('20');
    await submit(employer, 'Crea gli orari', (u) => u.searchParams.get('ok') === 'slots');
    await employer.getByText('Creati 3 orari di colloquio.').waitFor();
    await expectAccessible(employer, 'company slots');

    await citizen.goto(`${suite.base}/recruiting-day`);
    await expectAccessible(citizen, '/recruiting-day');
    await citizen.getByRole('link', { name: EVENT }).click();
    await expectAccessible(citizen, '/recruiting-day/:id');
    await choose(citizen, '09:20–09:40');
    await submit(citizen, 'Prenota il colloquio', (u) => u.searchParams.get('ok') === 'booked');
    await citizen.getByRole('link', { name: 'Entra nel colloquio video' }).waitFor();
    await expectAccessible(citizen, '/recruiting-day/:id (booked)');
    const mail = await waitForOutbox(suite.platform.db, 'email', CITIZEN_EMAIL, 'SportelloLavoro-RD-');
    assert.equal(mail.attachment_name, 'appuntamento.ics');
    assert.match(mail.attachment ?? '', /BEGIN:VEVENT/);
    assert.ok(linkAfter(mail.body, 'Link del colloquio video').includes('SportelloLavoro-RD-'));
    await citizen.goto(`${suite.base}/recruiting-day`);
    await citizen.getByRole('heading', { name: 'Le mie prenotazioni' }).waitFor();
    await expectAccessible(citizen, '/recruiting-day (my bookings)');

    await employer.reload();
    await employer.getByText(citizenName).first().waitFor();
    await expectAccessible(employer, 'company slots (booked)');

    // The same pages in English and Arabic.
    for (const lang of ['en', 'ar']) {
      await citizen.goto(`${suite.base}/recruiting-day?lang=${lang}`);
      await expectAccessible(citizen, `/recruiting-day (${lang})`);
      await employer.goto(`${suite.base}/azienda/preselezioni?lang=${lang}`);
      await expectAccessible(employer, `/azienda/preselezioni (${lang})`);
      await operator.goto(`${suite.base}${requestPath}?lang=${lang}`);
      await expectAccessible(operator, `request (${lang})`);
    }
    await citizen.goto(`${suite.base}/recruiting-day?lang=en`);
    await citizen.getByRole('heading', { name: 'My bookings' }).waitFor();
  });
});
