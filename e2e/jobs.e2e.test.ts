import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { emptyCv } from '../src/cv/domain/cv.ts';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  signInWithPassword,
} from './support/browser.ts';
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const EMPLOYER_EMAIL = 'datore@demo.sportello.example';
const EMPLOYER_PHONE = '+39 333 0000002';
const SKILL = 'http://data.europa.eu/esco/skill/e2e-jobs-';
const TITLE = 'Tessitrice su telai jacquard';

function isoIn(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Job search and applications end to end: Giulia, on a phone without JavaScript, finds a vacancy of
 * the demo company near her home, sees the km and the skill she is missing, tries a radius of 10,000
 * km (refused next to the field), applies with her CV; the employer opens the application and invites
 * her to an interview; she sees the new status, in Italian and in English. axe on every page.
 */
describe('jobs: search, vacancy, application, employer status', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let giulia: Page;
  let employer: Page;
  let vacancyId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. Giulia finds the vacancy with JavaScript off and sees km and missing skills', async () => {
    const db = suite.platform.db;
    await db
      .insertInto('esco_skills')
      .values([
        {
          uri: `${SKILL}weave`,
          label_it: 'Utilizzare telai jacquard',
          label_en: 'Operate jacquard looms',
          search_text: 'telai',
        },
        {
          uri: `${SKILL}quality`,
          label_it: 'Controllare la qualità dei tessuti',
          label_en: 'Check fabric quality',
          search_text: 'qualita',
        },
      ])
      .execute();
    const me = await db
      .selectFrom('users')
      .select(['id', 'region_code', 'given_name', 'family_name'])
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('citizen_profiles')
      .values({
        region_code: me.region_code,
        user_id: me.id,
        domicile_code: '054039',
        education_eqf: 4,
        driving_licences: ['B'],
        availability: JSON.stringify({
          hours: 'full_time',
          contracts: ['determinato'],
          maxCommuteKm: 30,
          remote: 'no',
        }),
      })
      .onConflict((oc) =>
        oc.columns(['region_code', 'user_id']).doUpdateSet({
          domicile_code: '054039',
          education_eqf: 4,
          availability: JSON.stringify({
            hours: 'full_time',
            contracts: ['determinato'],
            maxCommuteKm: 30,
            remote: 'no',
          }),
        }),
      )
      .execute();
    const assessment = await db
      .insertInto('skill_assessments')
      .values({ region_code: me.region_code, citizen_id: me.id, status: 'submitted' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('skill_assessment_skills')
      .values({
        region_code: me.region_code,
        assessment_id: assessment.id,
        skill_uri: `${SKILL}weave`,
        self_level: 3,
      })
      .execute();
    const cv = emptyCv(me.given_name, me.family_name);
    cv.about = 'Tessitrice con esperienza su telai jacquard.';
    await db
      .insertInto('cvs')
      .values({ region_code: me.region_code, citizen_id: me.id, document: JSON.stringify(cv) })
      .execute();
    const company = await db
      .selectFrom('users')
      .select(['id', 'company_id'])
      .where('email', '=', EMPLOYER_EMAIL)
      .executeTakeFirstOrThrow();
    const v = await db
      .insertInto('vacancies')
      .values({
        region_code: me.region_code,
        company_id: company.company_id as string,
        title: TITLE,
        description:
          'Cerchiamo una persona per la produzione di tessuti jacquard nel nostro stabilimento di Assisi.',
        municipality_code: '054001',
        contract_type: 'determinato',
        hours: 'full_time',
        expires_on: isoIn(30),
        status: 'published',
        published_at: new Date(),
        safety_info: 'Formazione sulla sicurezza il primo giorno.',
        created_by: company.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    vacancyId = v.id;
    await db
      .insertInto('vacancy_skills')
      .values([
        { region_code: me.region_code, vacancy_id: v.id, skill_uri: `${SKILL}weave`, essential: true },
        { region_code: me.region_code, vacancy_id: v.id, skill_uri: `${SKILL}quality`, essential: true },
      ])
      .execute();

    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/offerte`);
    assert.equal(await h1(giulia), 'Offerte di lavoro');
    await expectAccessible(giulia, '/offerte');
    assert.equal(await giulia.getByLabel('Comune').inputValue(), 'Perugia', 'starts from her domicile');
    assert.equal(await giulia.getByLabel('Distanza massima in km').inputValue(), '30');

    await giulia.getByLabel('Distanza massima in km').fill('10000');
    await giulia.getByLabel('Parole chiave').fill('jacquard');
    await submit(giulia, 'Cerca');
    await giulia.locator('#error-summary').waitFor();
    await giulia
      .locator('#raggio-error')
      .getByText('La distanza deve essere un numero intero di km, da 1 a 200.')
      .waitFor();
    assert.equal(await giulia.getByLabel('Parole chiave').inputValue(), 'jacquard', 'typed values kept');
    assert.equal(await giulia.getByLabel('Distanza massima in km').inputValue(), '10000');
    await expectAccessible(giulia, '/offerte (radius error)');

    await giulia.getByLabel('Distanza massima in km').fill('30');
    await submit(giulia, 'Cerca');
    const card = giulia.locator('main li.card').filter({ hasText: TITLE });
    assert.equal(await card.count(), 1);
    const text = (await card.textContent()) ?? '';
    assert.match(text, /\d+,\d km/, 'the km are shown');
    assert.match(text, /Requisiti che hai:.*Utilizzare telai jacquard/s);
    assert.match(text, /Requisiti che ti mancano:.*Controllare la qualità dei tessuti/s);
    await expectAccessible(giulia, '/offerte (results)');
  });

  test('2. she opens the vacancy and applies with her CV', async () => {
    await giulia.getByRole('link', { name: TITLE }).click();
    await giulia.waitForURL((u) => u.pathname === `/offerte/${vacancyId}`);
    assert.equal(await h1(giulia), TITLE);
    await giulia.getByText('Controllare la qualità dei tessuti').first().waitFor();
    await expectAccessible(giulia, '/offerte/:id');
    await giulia.getByLabel("Messaggio per l'azienda (facoltativo)").fill('Sono disponibile da lunedì.');
    await submit(giulia, 'Invia la candidatura', (u) => u.pathname === '/candidature');
    assert.equal(await h1(giulia), 'Le mie candidature');
    await giulia.getByText('Candidatura inviata.').waitFor();
    await giulia.getByText('Stato: Inviata').waitFor();
    await expectAccessible(giulia, '/candidature');
  });

  test('3. the employer opens the application and invites her to an interview', async () => {
    employer = await newPage(suite.browser);
    open.push(employer);
    await signInWithPassword(employer, suite.base, { email: EMPLOYER_EMAIL, phone: EMPLOYER_PHONE });
    await employer.goto(`${suite.base}/azienda/offerte/${vacancyId}/candidature`);
    assert.equal(await h1(employer), `Candidature per "${TITLE}"`);
    await expectAccessible(employer, '/azienda/offerte/:id/candidature');
    await employer.getByRole('link', { name: 'Giulia Conti' }).click();
    await employer.waitForURL((u) => u.pathname.startsWith('/azienda/candidature/'));
    assert.equal(await h1(employer), 'Candidatura di Giulia Conti');
    await employer.getByText('Tessitrice con esperienza su telai jacquard.').waitFor();
    await employer.getByText('Sono disponibile da lunedì.').waitFor();
    await expectAccessible(employer, '/azienda/candidature/:id');
    await submit(employer, 'Aggiorna lo stato');
    await employer.locator('#error-summary').waitFor();
    await expectAccessible(employer, '/azienda/candidature/:id (errors)');
    await choose(employer, 'Invita a un colloquio');
    await employer.getByLabel('Nota per la persona (facoltativa)').fill('Ti aspettiamo giovedì alle 9.');
    await submit(employer, 'Aggiorna lo stato', (u) => u.searchParams.get('ok') === 'interview');
    await employer.getByText('Stato aggiornato: Colloquio.').waitFor();
    await expectAccessible(employer, '/azienda/candidature/:id (updated)');
  });

  test('4. Giulia sees the new status, in Italian and in English', async () => {
    await giulia.goto(`${suite.base}/candidature`);
    await giulia.getByText('Stato: Colloquio').waitFor();
    await giulia.getByText('Ti aspettiamo giovedì alle 9.').first().waitFor();
    await expectAccessible(giulia, '/candidature (interview)');
    await giulia.goto(`${suite.base}/candidature?lang=en`);
    assert.equal(await h1(giulia), 'My applications');
    await giulia.getByText('Status: Interview').waitFor();
    await expectAccessible(giulia, '/candidature (English)');
    await giulia.goto(`${suite.base}/offerte?lang=en`);
    assert.equal(await h1(giulia), 'Job vacancies');
    await giulia.getByText('Requirements you are missing:').first().waitFor();
    await expectAccessible(giulia, '/offerte (English)');
    await giulia.goto(`${suite.base}/offerte/${vacancyId}?lang=en`);
    await giulia.getByText('You applied on').waitFor();
    await expectAccessible(giulia, '/offerte/:id (English)');
  });
  test('5. anyone, without JavaScript, picks one of two municipalities with the same name', async () => {
    await suite.platform.db
      .insertInto('municipalities')
      .values([
        {
          istat_code: '016065',
          region_code: '03',
          name: 'Castro',
          province: 'BG',
          belfiore: 'C337',
          latitude: 45.8,
          longitude: 10.07,
        },
        {
          istat_code: '075019',
          region_code: '16',
          name: 'Castro',
          province: 'LE',
          belfiore: 'C336',
          latitude: 40.0,
          longitude: 18.42,
        },
      ])
      .execute();
    const visitor = await newPage(suite.browser, { javaScript: false });
    open.push(visitor);
    await visitor.goto(`${suite.base}/offerte`);
    await expectAccessible(visitor, '/offerte (anonymous)');
    await visitor.getByLabel('Comune').fill('Castro');
    await submit(visitor, 'Cerca');
    await visitor.getByText('Ci sono più comuni che si chiamano "Castro": scegli quale.').first().waitFor();
    await expectAccessible(visitor, '/offerte (choose the municipality)');
    await choose(visitor, 'Castro (LE)');
    await submit(visitor, 'Cerca');
    await visitor.getByText('Entro 30 km da Castro.').waitFor();
    await visitor.getByRole('link', { name: 'Prova ad allargare la distanza a 50 km.' }).waitFor();
    await expectAccessible(visitor, '/offerte (nothing near, widen)');
  });
});
