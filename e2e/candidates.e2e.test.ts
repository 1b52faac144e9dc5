import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { candidatePseudonym } from '../src/employers/domain/pseudonym.ts';
import type { LiveMatcher } from '../src/matching/use-cases/live-matcher.ts';
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

const REGION = '10';
const SKILL = 'http://data.europa.eu/esco/skill/e2e-cand-';
const EMPLOYER_EMAIL = 'datore@demo.sportello.example';
const EMPLOYER_PHONE = '+39 333 0000002';

/**
 * Candidate search end to end, JavaScript off on a phone: the person lets companies find them, the
 * employer searches with one of its vacancies (a radius of 10,000 km first), sees only a pseudonym,
 * asks for contact; the person accepts; both write in the thread; every page passes axe.
 */
describe('candidate search: consent, pseudonymous results, contact request, messages', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let citizen: Page;
  let employer: Page;
  let citizenId = '';
  let companyId = '';
  let vacancyId = '';
  let family = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const page = async () => {
    const p = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(p);
    return p;
  };

  test('0. data: a vacancy of the demo company and the demo citizen profile with a skill', async () => {
    const db = suite.platform.db;
    await db
      .insertInto('esco_skills')
      .values({
        uri: `${SKILL}loom`,
        skill_type: 'skill/competence',
        label_it: 'Conduzione telai di prova',
        label_en: 'Test loom operation',
        search_text: 'conduzione telai di prova',
      })
      .execute();
    const boss = await db
      .selectFrom('users')
      .select(['id', 'company_id'])
      .where('email', '=', EMPLOYER_EMAIL)
      .executeTakeFirstOrThrow();
    companyId = boss.company_id ?? '';
    const v = await db
      .insertInto('vacancies')
      .values({
        region_code: REGION,
        company_id: companyId,
        title: 'Addetto ai telai',
        description: 'Conduzione di telai in reparto tessitura, turni diurni.',
        eqf_required: 3,
        municipality_code: '054039',
        contract_type: 'determinato',
        hours: 'full_time',
        expires_on: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        status: 'published',
        created_by: boss.id,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    vacancyId = v.id;
    await db
      .insertInto('vacancy_skills')
      .values({ region_code: REGION, vacancy_id: vacancyId, skill_uri: `${SKILL}loom`, essential: true })
      .execute();
    const me = await db
      .selectFrom('users')
      .select(['id', 'family_name'])
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    citizenId = me.id;
    family = me.family_name;
    const profile = {
      domicile_code: '054039',
      education_eqf: 4,
      availability: JSON.stringify({
        hours: 'full_time',
        contracts: ['determinato'],
        maxCommuteKm: 30,
        remote: 'no',
      }),
    };
    await db
      .insertInto('citizen_profiles')
      .values({ region_code: REGION, user_id: citizenId, ...profile } as never)
      .onConflict((oc) => oc.columns(['region_code', 'user_id']).doUpdateSet(profile as never))
      .execute();
    const existing = await db
      .selectFrom('skill_assessments')
      .select('id')
      .where('region_code', '=', REGION)
      .where('citizen_id', '=', citizenId)
      .executeTakeFirst();
    const assessmentId =
      existing?.id ??
      (
        await db
          .insertInto('skill_assessments')
          .values({ region_code: REGION, citizen_id: citizenId } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    await db
      .insertInto('skill_assessment_skills')
      .values({
        region_code: REGION,
        assessment_id: assessmentId,
        skill_uri: `${SKILL}loom`,
        self_level: 3,
      } as never)
      .execute();
  });

  test('1. the person lets companies find them (JavaScript off)', async () => {
    citizen = await page();
    await signInWithPassword(citizen, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await citizen.goto(`${suite.base}/contatti`);
    assert.equal(await h1(citizen), 'Contatti con le aziende');
    await citizen.getByText('Ora le aziende non possono trovarti.').waitFor();
    await expectAccessible(citizen, '/contatti (off)');
    await choose(citizen, 'Sì, fatti trovare');
    await submit(citizen, 'Salva la scelta', (u) => u.pathname === '/contatti');
    await citizen.getByText('Fatto: ora le aziende possono trovarti.').waitFor();
    await expectAccessible(citizen, '/contatti (on)');
  });

  test('2. the employer searches: a radius of 10,000 km is explained, then a pseudonymous result', async () => {
    const matcher = suite.platform.matcher as LiveMatcher;
    for (let i = 0; i < 300; i++) {
      await matcher.settled();
      const found = await matcher.rankPeopleForVacancy(REGION, vacancyId, { radiusKm: 30, limit: 200 });
      if (found.some((p) => p.citizenId === citizenId)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    employer = await page();
    await signInWithPassword(employer, suite.base, { email: EMPLOYER_EMAIL, phone: EMPLOYER_PHONE });
    await employer.goto(`${suite.base}/azienda/candidati`);
    assert.equal(await h1(employer), 'Cerca candidati');
    await expectAccessible(employer, '/azienda/candidati (form)');
    await employer.getByLabel('Offerta da usare come criterio').selectOption(vacancyId);
    await employer.getByLabel('Distanza massima (km)').fill('10000');
    await submit(employer, 'Cerca');
    await employer
      .locator('#error-summary')
      .getByText('Scrivi una distanza in km con un numero intero da 1 a 200.')
      .waitFor();
    assert.equal(await employer.getByLabel('Distanza massima (km)').inputValue(), '10000');
    await expectAccessible(employer, '/azienda/candidati (bad radius)');
    await employer.getByLabel('Distanza massima (km)').fill('30');
    await submit(employer, 'Cerca');
    const code = candidatePseudonym(suite.platform.config.sessionSecret, companyId, citizenId);
    await employer.getByRole('heading', { name: `Candidato ${code}` }).waitFor();
    assert.ok(!(await employer.content()).includes(family), 'no name before acceptance');
    await expectAccessible(employer, '/azienda/candidati (results)');

    await employer.getByRole('link', { name: `Chiedi il contatto a ${code}` }).click();
    assert.equal(await h1(employer), 'Chiedi il contatto');
    await expectAccessible(employer, '/azienda/candidati/contatto');
    await employer
      .getByLabel('Il tuo messaggio')
      .fill('Buongiorno, cerchiamo una persona per i telai: possiamo parlarne?');
    await submit(employer, 'Invia la richiesta', (u) =>
      u.pathname.startsWith('/azienda/candidati/contatti/'),
    );
    await employer.getByText('Richiesta inviata.', { exact: false }).waitFor();
    assert.ok(!(await employer.content()).includes(family));
    await expectAccessible(employer, '/azienda/candidati/contatti/:id (pending)');
  });

  test('3. the person accepts and writes; the employer sees the name and answers', async () => {
    await citizen.goto(`${suite.base}/contatti`);
    await citizen.getByText('Richiesta da Tessiture del Chiascio S.r.l.').waitFor();
    await expectAccessible(citizen, '/contatti (request)');
    await submit(citizen, 'Accetta la richiesta di Tessiture del Chiascio S.r.l.', (u) =>
      u.pathname.startsWith('/contatti/'),
    );
    await citizen.getByLabel('Scrivi un messaggio').fill('Grazie, sono disponibile da lunedì.');
    await submit(citizen, 'Invia il messaggio');
    await citizen.getByText('Grazie, sono disponibile da lunedì.').waitFor();
    await expectAccessible(citizen, '/contatti/:id (thread)');

    await employer.reload();
    await employer.getByText(family, { exact: false }).first().waitFor();
    await employer.getByText('Grazie, sono disponibile da lunedì.').waitFor();
    await employer.getByLabel('Scrivi un messaggio').fill('Perfetto, la aspettiamo lunedì alle 9.');
    await submit(employer, 'Invia il messaggio');
    await employer.getByText('Perfetto, la aspettiamo lunedì alle 9.').waitFor();
    await expectAccessible(employer, '/azienda/candidati/contatti/:id (thread)');
    await employer.goto(`${suite.base}/azienda/candidati/contatti`);
    assert.equal(await h1(employer), 'Richieste di contatto ai candidati');
    await expectAccessible(employer, '/azienda/candidati/contatti');
    await employer.goto(`${suite.base}/azienda/candidati/contatti?lang=en`);
    assert.equal(await h1(employer), 'Contact requests to candidates');
    await expectAccessible(employer, '/azienda/candidati/contatti (en)');
  });
});
