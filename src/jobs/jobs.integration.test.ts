import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { emptyCv } from '../cv/domain/cv.ts';
import { kmBetween } from './domain/search.ts';

/**
 * Job search and applications against a real PostgreSQL: vacancies inserted directly (the vacancy
 * form is another part), a few ESCO skills of our own, citizens with a domicile, skills and a CV.
 */
const REGION = '10';
const OTHER_REGION = '11';
const SKILL = 'http://data.europa.eu/esco/skill/jobs-test-';
const SKILLS = { weld: `${SKILL}weld`, forklift: `${SKILL}forklift`, excel: `${SKILL}excel` };
const PERUGIA = { code: '054039', lat: 43.10676, lon: 12.38825 };
const ASSISI = { code: '054001', lat: 43.07083, lon: 12.6154 };
const TERNI = { code: '055032', lat: 42.56071, lon: 12.64669 };

let platform: TestPlatform;
let companyId: string;
let otherCompanyId: string;
let employer: Visitor;
let otherEmployer: Visitor;
let anna: { id: string; visitor: Visitor };
let bruno: { id: string; visitor: Visitor };
let noCv: { id: string; visitor: Visitor };
const V: Record<string, string> = {};

type VacancyInput = {
  title: string;
  description?: string;
  place?: { code: string } | null;
  contract?:
    | 'indeterminato'
    | 'determinato'
    | 'apprendistato'
    | 'somministrazione'
    | 'tirocinio'
    | 'stagionale';
  hours?: 'full_time' | 'part_time';
  remote?: 'no' | 'hybrid' | 'full';
  l68?: boolean;
  seasonal?: boolean;
  skills?: string[];
  optionalSkills?: string[];
  languages?: { language: string; level: 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2' }[];
  eqf?: number;
  licence?: string | null;
  publishedDaysAgo?: number;
  status?: 'draft' | 'published' | 'closed';
  expiresInDays?: number;
  company?: string;
  region?: string;
};

function isoIn(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function insertVacancy(v: VacancyInput): Promise<string> {
  const db = platform.db;
  const region = v.region ?? REGION;
  const status = v.status ?? 'published';
  const published = new Date(Date.now() - (v.publishedDaysAgo ?? 1) * 86_400_000 - 60_000);
  const row = await db
    .insertInto('vacancies')
    .values({
      region_code: region,
      company_id: v.company ?? companyId,
      title: v.title,
      description: v.description ?? `${v.title}: un lavoro serio in un'azienda seria, descritto bene.`,
      municipality_code: v.place === null ? null : (v.place ?? PERUGIA).code,
      remote: v.remote ?? 'no',
      contract_type: v.contract ?? 'determinato',
      hours: v.hours ?? 'full_time',
      eqf_required: v.eqf ?? 0,
      driving_licence: v.licence ?? null,
      reserved_l68: v.l68 ?? false,
      seasonal: v.seasonal ?? false,
      expires_on: isoIn(v.expiresInDays ?? 30),
      status,
      outcome: status === 'closed' ? 'not_filled' : null,
      published_at: status === 'draft' ? null : published,
      created_at: published,
      safety_info: 'Scarpe antinfortunistiche fornite dall’azienda.',
      pay_min: 1400,
      pay_max: 1700,
      pay_period: 'month',
      created_by: randomUUID(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const skills = [
    ...(v.skills ?? []).map((uri) => ({ uri, essential: true })),
    ...(v.optionalSkills ?? []).map((uri) => ({ uri, essential: false })),
  ];
  if (skills.length)
    await db
      .insertInto('vacancy_skills')
      .values(
        skills.map((s) => ({
          region_code: region,
          vacancy_id: row.id,
          skill_uri: s.uri,
          essential: s.essential,
        })),
      )
      .execute();
  if (v.languages?.length)
    await db
      .insertInto('vacancy_languages')
      .values(v.languages.map((l) => ({ region_code: region, vacancy_id: row.id, ...l })))
      .execute();
  return row.id;
}

async function insertCitizen(name: string, options: { cv: boolean; skills: string[] }) {
  const db = platform.db;
  const user = await db
    .insertInto('users')
    .values({
      region_code: REGION,
      role: 'citizen',
      given_name: name,
      family_name: 'Prova',
      email: `${name.toLowerCase()}-${randomUUID()}@test.example`,
      preferred_language: 'it',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('citizen_profiles')
    .values({
      region_code: REGION,
      user_id: user.id,
      domicile_code: PERUGIA.code,
      education_eqf: 4,
      languages: JSON.stringify([{ code: 'en', level: 'B1' }]),
      driving_licences: ['B'],
      availability: JSON.stringify({
        hours: 'full_time',
        contracts: ['determinato', 'indeterminato'],
        maxCommuteKm: 40,
        remote: 'no',
      }),
    })
    .execute();
  if (options.skills.length) {
    const a = await db
      .insertInto('skill_assessments')
      .values({ region_code: REGION, citizen_id: user.id, status: 'submitted' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('skill_assessment_skills')
      .values(
        options.skills.map((uri) => ({
          region_code: REGION,
          assessment_id: a.id,
          skill_uri: uri,
          self_level: 3,
        })),
      )
      .execute();
  }
  if (options.cv) {
    const cv = emptyCv(name, 'Prova');
    cv.about = `Sono ${name}, saldatrice con cinque anni di esperienza.`;
    await db
      .insertInto('cvs')
      .values({ region_code: REGION, citizen_id: user.id, document: JSON.stringify(cv) })
      .execute();
  }
  return { id: user.id, visitor: await platform.signInAsUser(user.id, REGION) };
}

/** The in-process index learns of changes by notification after commit: wait until it has them. */
async function waitForIndex(citizenId: string, vacancyIds: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await platform.matcher.settled();
    const ranked = await platform.matcher.rankVacanciesForPerson(REGION, citizenId, {
      radiusKm: 200,
      limit: 500,
    });
    const ids = new Set(ranked.map((r) => r.vacancyId));
    if (vacancyIds.every((id) => ids.has(id))) return;
    if (Date.now() > deadline) throw new Error('the matching index did not catch up');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Vacancy ids of the result list, in order. */
function resultIds(html: string): string[] {
  return [...html.matchAll(/<h3 class="h5"><a href="\/offerte\/([0-9a-f-]{36})">/g)].map(
    (m) => m[1] as string,
  );
}

const km = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  `${new Intl.NumberFormat('it', { maximumFractionDigits: 1 }).format(kmBetween(a.lat, a.lon, b.lat, b.lon))} km`;

before(async () => {
  platform = await startTestPlatform();
  const db = platform.db;
  await db
    .insertInto('esco_skills')
    .values(
      Object.entries(SKILLS).map(([k, uri]) => ({
        uri,
        skill_type: 'skill/competence' as const,
        label_it: `Competenza di prova ${k}`,
        label_en: `Test skill ${k}`,
        search_text: `competenza di prova ${k}`,
      })),
    )
    .execute();
  // Two municipalities with the same name (a real case: Castro BG and Castro LE).
  await db
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
  await db
    .insertInto('regions')
    .values({ region_code: OTHER_REGION, name: 'Marche', is_national: false })
    .execute();
  const demo = await db
    .selectFrom('users')
    .select(['company_id'])
    .where('email', '=', 'datore@demo.sportello.example')
    .executeTakeFirstOrThrow();
  companyId = demo.company_id as string;
  await db
    .updateTable('companies')
    .set({ public_slug: 'tessiture-prova' })
    .where('id', '=', companyId)
    .execute();
  employer = await platform.signInAs('employer');
  const other = await db
    .insertInto('companies')
    .values({
      region_code: REGION,
      name: 'Altra Impresa S.r.l.',
      vat_number: '01234567897',
      fiscal_code: '01234567897',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  otherCompanyId = other.id;
  const otherUser = await db
    .insertInto('users')
    .values({
      region_code: REGION,
      role: 'employer',
      given_name: 'Olga',
      family_name: 'Altri',
      email: `olga-${randomUUID()}@test.example`,
      company_id: otherCompanyId,
      company_role: 'admin',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  otherEmployer = await platform.signInAsUser(otherUser.id, REGION);
  const marcheCompany = await db
    .insertInto('companies')
    .values({
      region_code: OTHER_REGION,
      name: 'Marche S.p.A.',
      vat_number: '01234567897',
      fiscal_code: '01234567897',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  anna = await insertCitizen('Anna', { cv: true, skills: [SKILLS.weld] });
  bruno = await insertCitizen('Bruno', { cv: true, skills: [] });
  noCv = await insertCitizen('Carla', { cv: false, skills: [] });

  V.weldAssisi = await insertVacancy({
    title: 'Saldatore TIG',
    place: ASSISI,
    skills: [SKILLS.weld],
    optionalSkills: [SKILLS.excel],
    publishedDaysAgo: 10,
  });
  V.forkliftPerugia = await insertVacancy({
    title: 'Magazziniere con patentino',
    skills: [SKILLS.forklift],
    languages: [{ language: 'de', level: 'B2' }],
    licence: 'C',
    eqf: 6,
    publishedDaysAgo: 1,
  });
  V.terni = await insertVacancy({
    title: 'Operaio tessile a Terni',
    place: TERNI,
    contract: 'indeterminato',
    publishedDaysAgo: 2,
  });
  V.remote = await insertVacancy({
    title: 'Assistenza clienti da casa',
    place: null,
    remote: 'full',
    hours: 'part_time',
    publishedDaysAgo: 3,
  });
  V.hybrid = await insertVacancy({
    title: 'Impiegata amministrativa',
    remote: 'hybrid',
    publishedDaysAgo: 4,
    l68: true,
  });
  V.seasonal = await insertVacancy({
    title: 'Bagnino stagione estiva',
    contract: 'stagionale',
    seasonal: true,
    publishedDaysAgo: 20,
  });
  V.otherCompany = await insertVacancy({
    title: 'Cuoco di linea',
    company: otherCompanyId,
    publishedDaysAgo: 5,
  });
  V.draft = await insertVacancy({ title: 'Bozza da non mostrare', status: 'draft' });
  V.expired = await insertVacancy({ title: 'Scaduta da non mostrare', expiresInDays: -1 });
  V.marche = await insertVacancy({
    title: 'Offerta delle Marche da non mostrare',
    region: OTHER_REGION,
    company: marcheCompany.id,
    place: { code: '054039' },
  });
  await waitForIndex(anna.id, [V.weldAssisi, V.forkliftPerugia, V.hybrid]);
});

after(async () => {
  await platform?.stop();
});

describe('job search', () => {
  test('anonymous: published, unexpired vacancies of the default Region only, no km without a place', async () => {
    const res = await platform.get(platform.anonymous(), '/offerte');
    assert.equal(res.statusCode, 200);
    const ids = resultIds(res.body);
    for (const k of [
      'weldAssisi',
      'forkliftPerugia',
      'terni',
      'remote',
      'hybrid',
      'seasonal',
      'otherCompany',
    ])
      assert.ok(ids.includes(V[k] as string), k);
    for (const k of ['draft', 'expired', 'marche']) assert.ok(!ids.includes(V[k] as string), k);
    assert.match(res.body, /Indica un comune per vedere la distanza/);
    assert.match(res.body, /Da remoto/);
    // Newest first without a place (equal distance): the forklift one was published yesterday.
    assert.equal(ids[0], V.forkliftPerugia);
  });

  test('full text (Italian stemming) finds the matching title only', async () => {
    const res = await platform.get(platform.anonymous(), `/offerte?q=${encodeURIComponent('saldatori')}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(resultIds(res.body), [V.weldAssisi]);
    const none = await platform.get(platform.anonymous(), '/offerte?q=astronauta');
    assert.deepEqual(resultIds(none.body), []);
    assert.match(none.body, /Nessuna offerta corrisponde/);
  });

  test('filters: contract, hours, remote yes/only, L. 68/99, seasonal, published in the last days', async () => {
    const get = async (qs: string) =>
      resultIds((await platform.get(platform.anonymous(), `/offerte?${qs}`)).body);
    assert.deepEqual(await get('contratto=indeterminato'), [V.terni]);
    assert.deepEqual(await get('orario=part_time'), [V.remote]);
    assert.deepEqual(await get('remoto=solo'), [V.remote]);
    assert.deepEqual((await get('remoto=si')).sort(), [V.remote, V.hybrid].sort());
    assert.deepEqual(await get('l68=si'), [V.hybrid]);
    assert.deepEqual(await get('stagionale=si'), [V.seasonal]);
    const week = await get('giorni=7');
    assert.ok(!week.includes(V.seasonal as string) && !week.includes(V.weldAssisi as string));
    assert.ok(week.includes(V.forkliftPerugia as string));
  });

  test('place and radius: km on every result, nearest first, far ones left out, the widening link when empty', async () => {
    const res = await platform.get(platform.anonymous(), '/offerte?luogo=perugia&raggio=20');
    assert.equal(res.statusCode, 200);
    const ids = resultIds(res.body);
    assert.ok(!ids.includes(V.terni as string), 'Terni is ~65 km away');
    assert.ok(ids.includes(V.weldAssisi as string));
    assert.ok(res.body.includes(km(PERUGIA, ASSISI)), km(PERUGIA, ASSISI));
    assert.match(res.body, /0 km/);
    assert.match(res.body, /Entro 20 km da Perugia/);
    // Fully remote ones are in, shown as "Da remoto"; the nearest (0 km, newest) first.
    assert.ok(ids.includes(V.remote as string));
    assert.equal(ids[0], V.forkliftPerugia);
    assert.equal(ids[ids.length - 1], V.weldAssisi);
    const wide = await platform.get(platform.anonymous(), '/offerte?luogo=Perugia&raggio=100');
    assert.ok(resultIds(wide.body).includes(V.terni as string));
    assert.ok(wide.body.includes(km(PERUGIA, TERNI)));
    const empty = await platform.get(
      platform.anonymous(),
      '/offerte?luogo=Perugia&raggio=5&contratto=indeterminato',
    );
    assert.deepEqual(resultIds(empty.body), []);
    assert.match(empty.body, /Prova ad allargare la distanza a 10 km/);
    assert.match(empty.body, /raggio=10/);
  });

  test('a radius of 10000 km is refused next to the field, with the typed values kept (400, not 500)', async () => {
    const res = await platform.get(
      platform.anonymous(),
      '/offerte?q=saldatore&luogo=Perugia&raggio=10000&contratto=determinato',
    );
    assert.equal(res.statusCode, 400);
    assert.match(
      res.body,
      /id="raggio-error"[^>]*>La distanza deve essere un numero intero di km, da 1 a 200\./,
    );
    assert.match(res.body, /id="raggio"[^>]*value="10000"/);
    assert.match(res.body, /id="q"[^>]*value="saldatore"/);
    assert.match(res.body, /<option value="determinato" selected/);
    assert.match(res.body, /href="#raggio"/);
    const en = await platform.get(platform.anonymous(), '/offerte?raggio=abc&lang=en');
    assert.equal(en.statusCode, 400);
    assert.match(en.body, /The distance must be a whole number of km, from 1 to 200\./);
    const junk = await platform.get(
      platform.anonymous(),
      '/offerte?contratto=x&giorni=9999&pagina=abc&q=%00',
    );
    assert.equal(junk.statusCode, 400);
  });

  test('a municipality name shared by two places gets a choice list; the choice then searches; unknown names are told', async () => {
    const res = await platform.get(platform.anonymous(), '/offerte?luogo=Castro');
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      /Ci sono più comuni che si chiamano &quot;Castro&quot;|Ci sono più comuni che si chiamano "Castro"/,
    );
    assert.match(res.body, /Castro \(BG\)/);
    assert.match(res.body, /Castro \(LE\)/);
    assert.deepEqual(resultIds(res.body), []);
    const chosen = await platform.get(platform.anonymous(), '/offerte?luogo=Castro&comune=075019&raggio=200');
    assert.equal(chosen.statusCode, 200);
    assert.match(chosen.body, /Entro 200 km da Castro/);
    // Only the fully remote vacancy is within 200 km of Castro (LE).
    assert.deepEqual(resultIds(chosen.body), [V.remote]);
    const unknown = await platform.get(platform.anonymous(), '/offerte?luogo=Atlantide');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Non troviamo un comune che si chiama/);
    assert.match(unknown.body, /id="luogo"[^>]*value="Atlantide"/);
  });

  test('signed-in citizen: starts from the domicile and commute km, sees met and missing requirements', async () => {
    const res = await platform.get(anna.visitor, '/offerte');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Entro 40 km da Perugia/);
    const ids = resultIds(res.body);
    assert.ok(!ids.includes(V.terni as string), 'outside her 40 km');
    assert.ok(res.body.includes(km(PERUGIA, ASSISI)));
    // The forklift vacancy: skill, German B2, EQF 6 and licence C missing; her contract met.
    const card = res.body.slice(res.body.indexOf(`/offerte/${V.forkliftPerugia}`));
    const missing = card.slice(card.indexOf(`id="missing-${V.forkliftPerugia}"`), card.indexOf('</li>'));
    assert.match(missing, /Competenza di prova forklift/);
    assert.match(missing, /tedesco livello B2/);
    assert.match(missing, /livello EQF 6/);
    assert.match(missing, /patente C/);
    const met = card.slice(card.indexOf(`id="met-${V.forkliftPerugia}"`), card.indexOf(`id="missing-`));
    assert.match(met, /contratto Tempo determinato/);
    const weld = res.body.slice(res.body.indexOf(`id="met-${V.weldAssisi}"`));
    assert.match(weld.slice(0, 400), /Competenza di prova weld/);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('ranking: by the matcher for a citizen without text, by distance for the anonymous', async () => {
    const anon = resultIds(
      (await platform.get(platform.anonymous(), '/offerte?luogo=Perugia&raggio=40')).body,
    );
    assert.ok(
      anon.indexOf(V.forkliftPerugia as string) < anon.indexOf(V.weldAssisi as string),
      'nearer first',
    );
    const ranked = await platform.matcher.rankVacanciesForPerson(REGION, anna.id, {
      radiusKm: 40,
      limit: 200,
    });
    const mine = resultIds((await platform.get(anna.visitor, '/offerte')).body);
    // She has the welding skill: the Assisi vacancy beats the nearer, newer forklift one (missing all).
    assert.ok(mine.indexOf(V.weldAssisi as string) < mine.indexOf(V.forkliftPerugia as string));
    assert.ok(ranked.length > 0);
    assert.deepEqual(
      mine.filter((id) => ranked.some((r) => r.vacancyId === id)),
      ranked.map((r) => r.vacancyId).filter((id) => mine.includes(id)),
    );
    // With text, the text matches ranked by their explained score (still one result here, with km).
    const text = await platform.get(anna.visitor, '/offerte?q=saldatore');
    assert.deepEqual(resultIds(text.body), [V.weldAssisi]);
    assert.ok(text.body.includes(km(PERUGIA, ASSISI)));
    const broad = resultIds(
      (await platform.get(anna.visitor, `/offerte?q=${encodeURIComponent('saldatore OR magazziniere')}`))
        .body,
    );
    assert.deepEqual(broad, [V.weldAssisi, V.forkliftPerugia]);
  });

  test("a person of another Region sees that Region's vacancies only; Arabic pages render right to left", async () => {
    const marcheUser = await platform.db
      .insertInto('users')
      .values({ region_code: OTHER_REGION, role: 'citizen', given_name: 'Dario', family_name: 'Marche' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const visitor = await platform.signInAsUser(marcheUser.id, OTHER_REGION);
    const res = await platform.get(visitor, '/offerte');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(resultIds(res.body), [V.marche]);
    assert.equal((await platform.get(visitor, `/offerte/${V.weldAssisi}`)).statusCode, 404);
    const ar = await platform.get(anna.visitor, '/offerte?lang=ar&luogo=Perugia&raggio=30');
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /<html lang="ar" dir="rtl">/);
    assert.match(ar.body, /الشروط التي تنقصك/);
    const arBad = await platform.get(platform.anonymous(), '/offerte?lang=ar&raggio=10000');
    assert.equal(arBad.statusCode, 400);
    assert.match(arBad.body, /يجب أن تكون المسافة عدداً صحيحاً/);
  });

  test('pagination: 20 a page with plain links keeping the filters', async () => {
    for (let i = 0; i < 21; i++)
      await insertVacancy({ title: `Addetto pulizie numero ${i}`, publishedDaysAgo: 6 });
    const first = await platform.get(platform.anonymous(), '/offerte?q=pulizie');
    assert.equal(resultIds(first.body).length, 20);
    assert.match(first.body, /href="\/offerte\?q=pulizie&amp;pagina=1"/);
    const second = await platform.get(platform.anonymous(), '/offerte?q=pulizie&pagina=1');
    assert.equal(resultIds(second.body).length, 1);
    assert.match(second.body, /21 offerte trovate/);
  });

  test('a citizen with more than a page of ranked vacancies and no filter: the index order page by page, with km', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 22; i++)
      ids.push(
        await insertVacancy({ title: `Operaio tessile turno ${i}`, place: ASSISI, skills: [SKILLS.weld] }),
      );
    await waitForIndex(anna.id, ids);
    const first = await platform.get(anna.visitor, '/offerte');
    assert.equal(first.statusCode, 200);
    assert.equal(resultIds(first.body).length, 20);
    // The other tests' vacancies are ranked too: read every page.
    const shown = resultIds(first.body);
    let bodies = first.body;
    for (let p = 1; p < 10; p++) {
      const body = (await platform.get(anna.visitor, `/offerte?pagina=${p}`)).body;
      const page = resultIds(body);
      if (page.length === 0 || shown.includes(page[0] as string)) break;
      shown.push(...page);
      bodies += body;
    }
    assert.equal(new Set(shown).size, shown.length, 'no vacancy on two pages');
    // The new ones in the matcher's order, and their km from home (Perugia) on their cards.
    const ranked = (
      await platform.matcher.rankVacanciesForPerson(REGION, anna.id, { radiusKm: 200, limit: 200 })
    ).map((r) => r.vacancyId);
    assert.deepEqual(
      shown.filter((id) => ids.includes(id)),
      ranked.filter((id) => ids.includes(id)),
    );
    assert.ok(ids.every((id) => shown.includes(id)));
    assert.ok(bodies.includes(km(PERUGIA, ASSISI)));
    // The first page is the index's list as it is: its km come from the cards' own coordinates.
    assert.ok(first.body.includes(`${km(PERUGIA, PERUGIA)} · Perugia (PG)`));
    // A filter still reads the ranked ones back: none of these is a permanent contract.
    const filtered = resultIds((await platform.get(anna.visitor, '/offerte?contratto=indeterminato')).body);
    assert.ok(ids.every((id) => !filtered.includes(id)));
  });
});

describe('vacancy page', () => {
  test('public page with everything, the company link and the JobPosting JSON-LD', async () => {
    const res = await platform.get(platform.anonymous(), `/offerte/${V.weldAssisi}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Saldatore TIG<\/h1>/);
    assert.match(res.body, /href="\/aziende\/tessiture-prova"/);
    assert.match(res.body, /Assisi \(PG\)/);
    assert.match(res.body, /Scarpe antinfortunistiche/);
    assert.match(res.body, /Competenza di prova weld/);
    assert.match(res.body, /Competenza di prova excel/);
    assert.match(res.body, /Accedi per candidarti/);
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(res.body)?.[1];
    assert.ok(json);
    const posting = JSON.parse(json) as Record<string, unknown>;
    assert.equal(posting['@type'], 'JobPosting');
    assert.equal(posting.title, 'Saldatore TIG');
    assert.equal((posting.hiringOrganization as { name: string }).name, 'Tessiture del Chiascio S.r.l.');
    const remote = await platform.get(platform.anonymous(), `/offerte/${V.remote}`);
    assert.match(remote.body, /Da remoto/);
    assert.match(remote.body, /TELECOMMUTE/);
  });

  test("the company's own employer gets a link to the applications; another company's does not", async () => {
    const own = await platform.get(employer, `/offerte/${V.weldAssisi}`);
    assert.match(own.body, new RegExp(`href="/azienda/offerte/${V.weldAssisi}/candidature"`));
    const other = await platform.get(otherEmployer, `/offerte/${V.weldAssisi}`);
    assert.equal(other.statusCode, 200);
    assert.doesNotMatch(other.body, /\/candidature"/);
    assert.match(other.body, /Solo le persone in cerca di lavoro possono candidarsi/);
  });

  test('for a citizen: km from home and the requirements met and missing', async () => {
    const res = await platform.get(anna.visitor, `/offerte/${V.forkliftPerugia}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /0 km/);
    assert.match(res.body, /Requisiti che ti mancano:/);
    assert.match(res.body, /Competenza di prova forklift/);
  });

  test('unknown, unpublished, expired, other-Region and malformed ids are a 404 page', async () => {
    for (const id of [randomUUID(), V.draft, V.expired, V.marche, 'not-a-uuid', "1' or '1'='1"]) {
      const res = await platform.get(platform.anonymous(), `/offerte/${encodeURIComponent(id as string)}`);
      assert.equal(res.statusCode, 404, id);
      assert.match(res.body, /Pagina non trovata/);
    }
  });
});

describe('applications', () => {
  let annaApplication = '';

  test('without a CV: a clear message with a link to build one', async () => {
    const page = await platform.get(noCv.visitor, `/offerte/${V.weldAssisi}`);
    assert.match(page.body, /Per candidarti serve il tuo CV\./);
    assert.match(page.body, /href="\/cv"/);
    const res = await platform.post(noCv.visitor, `/offerte/${V.weldAssisi}/candidatura`, { messaggio: '' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Non hai ancora un CV/);
    const count = await platform.db
      .selectFrom('applications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('citizen_id', '=', noCv.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  test('a message too long is refused with what was typed kept', async () => {
    const long = 'x'.repeat(2001);
    const res = await platform.post(anna.visitor, `/offerte/${V.weldAssisi}/candidatura`, {
      messaggio: long,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Il testo è troppo lungo/);
    assert.ok(res.body.includes(long));
  });

  test('with a CV: the application is sent with the CV snapshot; a second attempt says so', async () => {
    const res = await platform.post(anna.visitor, `/offerte/${V.weldAssisi}/candidatura`, {
      messaggio: 'Buongiorno, sono disponibile da subito.',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/candidature?ok=sent');
    const row = await platform.db
      .selectFrom('applications')
      .selectAll()
      .where('citizen_id', '=', anna.id)
      .where('vacancy_id', '=', V.weldAssisi as string)
      .executeTakeFirstOrThrow();
    annaApplication = row.id;
    assert.equal(row.status, 'sent');
    assert.equal(row.cv_version, 1);
    assert.equal(
      (row.cv_snapshot as { about: string }).about,
      'Sono Anna, saldatrice con cinque anni di esperienza.',
    );
    // Changing the CV afterwards does not change what the company received.
    await platform.db
      .updateTable('cvs')
      .set({ document: JSON.stringify(emptyCv('Anna', 'Cambiata')), version: 2 })
      .where('citizen_id', '=', anna.id)
      .execute();
    const again = await platform.post(anna.visitor, `/offerte/${V.weldAssisi}/candidatura`, {
      messaggio: '',
    });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Hai già inviato una candidatura per questa offerta/);
    // The company's user is told by e-mail, with the link to the application.
    const employerUser = await platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'datore@demo.sportello.example')
      .executeTakeFirstOrThrow();
    const mail = await platform.lastQueuedEmail(
      `application-new:${REGION}:${annaApplication}:${employerUser.id}`,
    );
    assert.ok(mail);
    assert.equal(mail.to, 'datore@demo.sportello.example');
    assert.match(mail.text, new RegExp(`http://127\\.0\\.0\\.1:\\d+/azienda/candidature/${annaApplication}`));
    const list = await platform.get(anna.visitor, '/candidature?ok=sent');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Candidatura inviata/);
    assert.match(list.body, /Saldatore TIG/);
    assert.match(list.body, /Stato: Inviata/);
    const page = await platform.get(anna.visitor, `/offerte/${V.weldAssisi}`);
    assert.match(page.body, /Hai inviato la candidatura il/);
  });

  test('applying to an unknown, draft or other-Region vacancy is a 404', async () => {
    for (const id of [randomUUID(), V.draft, V.marche, 'zzz']) {
      const res = await platform.post(bruno.visitor, `/offerte/${id}/candidatura`, { messaggio: '' });
      assert.equal(res.statusCode, 404, id);
    }
  });

  test("the employer sees their own vacancy's applications; another company gets 404", async () => {
    const list = await platform.get(employer, `/azienda/offerte/${V.weldAssisi}/candidature`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Anna Prova/);
    assert.match(list.body, new RegExp(`/azienda/candidature/${annaApplication}`));
    assert.equal(
      (await platform.get(otherEmployer, `/azienda/offerte/${V.weldAssisi}/candidature`)).statusCode,
      404,
    );
    assert.equal(
      (await platform.get(otherEmployer, `/azienda/candidature/${annaApplication}`)).statusCode,
      404,
    );
    const post = await platform.post(otherEmployer, `/azienda/candidature/${annaApplication}/stato`, {
      azione: 'hired',
    });
    assert.equal(post.statusCode, 404);
    assert.equal(
      (await platform.get(employer, `/azienda/offerte/${V.otherCompany}/candidature`)).statusCode,
      404,
    );
    assert.equal(
      (await platform.get(anna.visitor, `/azienda/candidature/${annaApplication}`)).statusCode,
      403,
    );
  });

  test("opening the application shows the CV snapshot, sets 'viewed' once and audits the read", async () => {
    const first = await platform.get(employer, `/azienda/candidature/${annaApplication}`);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /Sono Anna, saldatrice con cinque anni di esperienza\./);
    assert.match(first.body, /Buongiorno, sono disponibile da subito\./);
    assert.match(first.body, /Vista dall&#39;azienda|Vista dall'azienda/);
    await platform.get(employer, `/azienda/candidature/${annaApplication}`);
    const events = await platform.db
      .selectFrom('application_events')
      .select('status')
      .where('application_id', '=', annaApplication)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      events.map((e) => e.status),
      ['sent', 'viewed'],
    );
    const reads = await platform.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'purpose'])
      .where('action', '=', 'read.application')
      .where('object_id', '=', annaApplication)
      .execute();
    assert.ok(reads.length >= 2);
    assert.equal(reads[0]?.subject_id, anna.id);
  });

  test('interview: status, history with the note, and an e-mail to the person', async () => {
    const bad = await platform.post(employer, `/azienda/candidature/${annaApplication}/stato`, {
      azione: 'promosso',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Scegli una delle opzioni/);
    const res = await platform.post(employer, `/azienda/candidature/${annaApplication}/stato`, {
      azione: 'interview',
      nota: 'Ti aspettiamo martedì alle 10.',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/azienda/candidature/${annaApplication}?ok=interview`);
    const mail = await platform.lastQueuedEmail(`application-interview:${REGION}:${annaApplication}`);
    assert.ok(mail);
    assert.match(mail.subject, /Colloquio per "Saldatore TIG"/);
    assert.match(mail.text, /Ti aspettiamo martedì alle 10\./);
    const mine = await platform.get(anna.visitor, '/candidature');
    assert.match(mine.body, /Stato: Colloquio/);
    assert.match(mine.body, /Ti aspettiamo martedì alle 10\./);
    // Interview again is not a valid move now.
    const again = await platform.post(employer, `/azienda/candidature/${annaApplication}/stato`, {
      azione: 'interview',
    });
    assert.equal(again.statusCode, 409);
  });

  test('hired: outcome, national placement event and status in one go; a bad start date is refused', async () => {
    const bad = await platform.post(employer, `/azienda/candidature/${annaApplication}/stato`, {
      azione: 'hired',
      inizio: '2026-02-30',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Scrivi una data valida/);
    assert.match(bad.body, /value="2026-02-30"/);
    const start = isoIn(7);
    const res = await platform.post(employer, `/azienda/candidature/${annaApplication}/stato`, {
      azione: 'hired',
      inizio: start,
    });
    assert.equal(res.statusCode, 303);
    const outcome = await platform.db
      .selectFrom('employment_outcomes')
      .selectAll()
      .where('user_id', '=', anna.id)
      .executeTakeFirstOrThrow();
    assert.equal(outcome.source, 'application');
    assert.equal(new Date(outcome.started_on).toISOString().slice(0, 10) <= start, true);
    const outbox = await platform.db
      .selectFrom('national_outbox')
      .selectAll()
      .where('idempotency_key', '=', `placement:${annaApplication}`)
      .executeTakeFirstOrThrow();
    assert.equal(outbox.kind, 'placement');
    assert.equal((outbox.payload as { startedOn: string }).startedOn, start);
    const status = await platform.db
      .selectFrom('applications')
      .select('status')
      .where('id', '=', annaApplication)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'hired');
    assert.ok(await platform.lastQueuedEmail(`application-hired:${REGION}:${annaApplication}`));
    // Closed: no more moves, no withdrawal.
    const after = await platform.post(employer, `/azienda/candidature/${annaApplication}/stato`, {
      azione: 'rejected',
    });
    assert.equal(after.statusCode, 409);
    const withdraw = await platform.post(anna.visitor, `/candidature/${annaApplication}/ritira`, {});
    assert.equal(withdraw.statusCode, 303);
    assert.equal(withdraw.headers.location, '/candidature?ok=closed');
  });

  test("withdrawing: the person's own open application only; someone else's id is a 404", async () => {
    const res = await platform.post(bruno.visitor, `/offerte/${V.forkliftPerugia}/candidatura`, {
      messaggio: '',
    });
    assert.equal(res.statusCode, 303);
    const row = await platform.db
      .selectFrom('applications')
      .select('id')
      .where('citizen_id', '=', bruno.id)
      .executeTakeFirstOrThrow();
    assert.equal((await platform.post(anna.visitor, `/candidature/${row.id}/ritira`, {})).statusCode, 404);
    assert.equal((await platform.post(anna.visitor, '/candidature/not-a-uuid/ritira', {})).statusCode, 404);
    const ok = await platform.post(bruno.visitor, `/candidature/${row.id}/ritira`, {});
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/candidature?ok=withdrawn');
    const list = await platform.get(bruno.visitor, '/candidature');
    assert.match(list.body, /Stato: Ritirata/);
    const employerView = await platform.get(employer, `/azienda/candidature/${row.id}`);
    assert.match(employerView.body, /La candidatura è chiusa/);
  });
});
