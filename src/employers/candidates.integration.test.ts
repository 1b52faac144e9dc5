import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { emptyCv } from '../cv/domain/cv.ts';
import type { LiveMatcher } from '../matching/use-cases/live-matcher.ts';
import type { RequestContext } from '../platform/http/context.ts';
import { translator } from '../platform/i18n/i18n.ts';
import { CandidateConsentBlock } from './web/candidate-consent-block.tsx';

const REGION = '10';
const SKILL = 'http://data.europa.eu/esco/skill/test-cand-';
const OCC = 'http://data.europa.eu/esco/occupation/test-cand-';
const PERUGIA = '054039';
const TERNI = '055032';

let platform: TestPlatform;
let employer: Visitor;
let companyId: string;
let employerId: string;
let vacancyId: string;
let closedVacancyId: string;
let otherEmployer: Visitor;
let otherVacancyId: string;

type Person = { id: string; given: string; family: string; email: string; visitor: Visitor };

async function insertVacancy(company: string, createdBy: string, status: 'published' | 'draft' | 'closed') {
  const row = await platform.db
    .insertInto('vacancies')
    .values({
      region_code: REGION,
      company_id: company,
      title: 'Tessitore addetto ai telai',
      description: 'Conduzione di telai jacquard in reparto tessitura, turni diurni.',
      occupation_uri: `${OCC}weaver`,
      eqf_required: 3,
      municipality_code: PERUGIA,
      contract_type: 'determinato',
      hours: 'full_time',
      expires_on: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      status,
      outcome: status === 'closed' ? 'not_filled' : null,
      created_by: createdBy,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('vacancy_skills')
    .values([
      { region_code: REGION, vacancy_id: row.id, skill_uri: `${SKILL}loom`, essential: true },
      { region_code: REGION, vacancy_id: row.id, skill_uri: `${SKILL}quality`, essential: true },
    ])
    .execute();
  return row.id;
}

async function insertPerson(options: {
  visible: boolean | null;
  eqf?: number;
  domicile?: string | null;
  years?: number;
  contracts?: string[];
  pastOccupation?: boolean;
}): Promise<Person> {
  const given = `Ottavia${Math.floor(Math.random() * 1e6)}`;
  const family = `Quercetti${Math.floor(Math.random() * 1e6)}`;
  const email = `${randomUUID()}@cittadini.test`;
  const { id } = await platform.db
    .insertInto('users')
    .values({ region_code: REGION, role: 'citizen', given_name: given, family_name: family, email })
    .returning('id')
    .executeTakeFirstOrThrow();
  const years = options.years ?? 0;
  const now = new Date();
  const from = `${now.getUTCFullYear() - years - 1}-01`;
  const to = `${now.getUTCFullYear() - 1}-01`;
  await platform.db
    .insertInto('citizen_profiles')
    .values({
      region_code: REGION,
      user_id: id,
      mobile: '+393331234567',
      domicile_code: options.domicile === undefined ? PERUGIA : options.domicile,
      education_eqf: options.eqf ?? 4,
      languages: JSON.stringify([{ code: 'en', level: 'B1' }]),
      work_history: JSON.stringify(
        years > 0 ? [{ from, to, occupation: 'Tessitore', iscoGroup: '7', sector: 'C' }] : [],
      ),
      availability: JSON.stringify({
        hours: 'full_time',
        contracts: options.contracts ?? ['determinato', 'indeterminato'],
        maxCommuteKm: 40,
        remote: 'no',
      }),
    } as never)
    .execute();
  const assessment = await platform.db
    .insertInto('skill_assessments')
    .values({ region_code: REGION, citizen_id: id } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('skill_assessment_skills')
    .values([
      { region_code: REGION, assessment_id: assessment.id, skill_uri: `${SKILL}loom`, self_level: 3 },
    ] as never)
    .execute();
  if (options.pastOccupation)
    await platform.db
      .insertInto('skill_assessment_jobs')
      .values({
        region_code: REGION,
        assessment_id: assessment.id,
        occupation_uri: `${OCC}weaver`,
        years: 3,
      } as never)
      .execute();
  if (options.visible !== null)
    await platform.db
      .insertInto('candidate_visibility')
      .values({ region_code: REGION, citizen_id: id, visible: options.visible })
      .execute();
  return { id, given, family, email, visitor: await platform.signInAsUser(id, REGION) };
}

/** The matcher applies PostgreSQL notifications shortly after commit: wait for the condition. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await (platform.matcher as LiveMatcher).settled();
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = platform.matcher as LiveMatcher;
  const list = await m.rankPeopleForVacancy(REGION, vacancyId, { radiusKm: 100, limit: 200 });
  assert.fail(
    `timed out waiting for ${what} (index sizes ${JSON.stringify(m.sizes)}, ranked ${list.length})`,
  );
}

async function search(query = '') {
  return platform.get(employer, `/azienda/candidati?offerta=${vacancyId}&raggio=100${query}`);
}

async function ranked(citizenId: string): Promise<boolean> {
  const list = await platform.matcher.rankPeopleForVacancy(REGION, vacancyId, { radiusKm: 100, limit: 200 });
  return list.some((p) => p.citizenId === citizenId);
}

/** The pseudonym label and the contact link of the result card that is ranked i-th with this label. */
function askLinks(html: string): { code: string; href: string }[] {
  return [
    ...html.matchAll(
      /href="(\/azienda\/candidati\/contatto\?c=[^"]+)"[^>]*>[^<]*?([0-9A-Z]{4}-[0-9A-Z]{2})/g,
    ),
  ].map((m) => ({ href: (m[1] ?? '').replaceAll('&amp;', '&'), code: m[2] ?? '' }));
}

async function pseudonymOf(person: Person): Promise<string> {
  // The pseudonym is derived from the company and the person: read it from a search that finds them.
  const { candidatePseudonym } = await import('./domain/pseudonym.ts');
  return candidatePseudonym(platform.config.sessionSecret, companyId, person.id);
}

async function askContact(person: Person, message = 'Buongiorno, la sua esperienza ci interessa molto.') {
  const code = await pseudonymOf(person);
  const html = (await search()).body;
  const link = askLinks(html).find((l) => l.code === code);
  assert.ok(link, `no contact link for ${code}`);
  const params = new URL(link.href, 'http://x').searchParams;
  return platform.post(employer, '/azienda/candidati/contatto', {
    c: params.get('c') ?? '',
    offerta: params.get('offerta') ?? '',
    messaggio: message,
  });
}

async function contactIdOf(person: Person): Promise<string> {
  const row = await platform.db
    .selectFrom('contact_requests')
    .select('id')
    .where('citizen_id', '=', person.id)
    .where('company_id', '=', companyId)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.id;
}

before(async () => {
  platform = await startTestPlatform();
  const db = platform.db;
  await db
    .insertInto('esco_skills')
    .values(
      ['loom', 'quality'].map((k) => ({
        uri: `${SKILL}${k}`,
        skill_type: 'skill/competence' as const,
        label_it: `Competenza candidati ${k}`,
        label_en: `Candidate skill ${k}`,
        search_text: `competenza candidati ${k}`,
      })),
    )
    .execute();
  await db
    .insertInto('esco_occupations')
    .values({
      uri: `${OCC}weaver`,
      isco_code: '7318',
      label_it: 'Tessitore di prova',
      label_en: 'Test weaver',
    })
    .execute();
  employer = await platform.signInAs('employer');
  const me = await db
    .selectFrom('users')
    .select(['id', 'company_id'])
    .where('id', '=', employer.userId ?? '')
    .executeTakeFirstOrThrow();
  employerId = me.id;
  companyId = me.company_id ?? '';
  vacancyId = await insertVacancy(companyId, employerId, 'draft');
  closedVacancyId = await insertVacancy(companyId, employerId, 'closed');
  const other = await db
    .insertInto('companies')
    .values({
      region_code: REGION,
      name: 'Altra Azienda di Prova S.r.l.',
      vat_number: '01234567897',
      fiscal_code: '01234567897',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const otherUser = await db
    .insertInto('users')
    .values({
      region_code: REGION,
      role: 'employer',
      company_id: other.id,
      company_role: 'admin',
      given_name: 'Altro',
      family_name: 'Datore',
      email: `${randomUUID()}@azienda.test`,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  otherEmployer = await platform.signInAsUser(otherUser.id, REGION);
  otherVacancyId = await insertVacancy(other.id, otherUser.id, 'published');
});

after(async () => {
  await platform?.stop();
});

test('consent on and off changes who is found; the page is pseudonymous', async () => {
  const shown = await insertPerson({ visible: true });
  const hidden = await insertPerson({ visible: false });
  const never = await insertPerson({ visible: null });
  await eventually(() => ranked(shown.id), 'the visible person to be indexed');
  // The matcher itself never ranks people without consent.
  assert.equal(await ranked(hidden.id), false);
  assert.equal(await ranked(never.id), false);

  const res = await search();
  assert.equal(res.statusCode, 200);
  assert.ok(res.body.includes(`Candidato ${await pseudonymOf(shown)}`));
  assert.ok(!res.body.includes(await pseudonymOf(hidden)));
  for (const p of [shown, hidden, never]) {
    assert.ok(!res.body.includes(p.family), 'no family name before acceptance');
    assert.ok(!res.body.includes(p.given), 'no given name before acceptance');
    assert.ok(!res.body.includes(p.email), 'no e-mail before acceptance');
    assert.ok(!res.body.includes(p.id), 'no id in the page');
  }
  assert.ok(!res.body.includes('Perugia'), 'no municipality, only the province');
  assert.ok(res.body.includes('PG'));
  assert.ok(res.body.includes('Competenza candidati loom'));
  assert.ok(res.body.includes('Competenza candidati quality'));

  // The hidden person turns consent on from /contatti, then off again.
  const page = await platform.get(hidden.visitor, '/contatti');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Fatti trovare dalle aziende/);
  const arabic = await platform.get(hidden.visitor, '/contatti?lang=ar');
  assert.equal(arabic.statusCode, 200);
  assert.match(arabic.body, /dir="rtl"/);
  assert.match(arabic.body, /اسمح للشركات بالعثور عليك/);
  // Without a domicile the person is told why companies cannot find them even with consent on.
  const homeless = await insertPerson({ visible: true, domicile: null });
  assert.match((await platform.get(homeless.visitor, '/contatti')).body, /Comune di domicilio/);
  assert.doesNotMatch((await platform.get(shown.visitor, '/contatti')).body, /Comune di domicilio/);
  const on = await platform.post(hidden.visitor, '/contatti/visibilita', { visibile: 'si' });
  assert.equal(on.statusCode, 303);
  await eventually(() => ranked(hidden.id), 'consent on to reach the index');
  assert.ok((await search()).body.includes(await pseudonymOf(hidden)));
  const off = await platform.post(hidden.visitor, '/contatti/visibilita', { visibile: 'no' });
  assert.equal(off.statusCode, 303);
  await eventually(async () => !(await ranked(hidden.id)), 'consent off to reach the index');
  assert.ok(!(await search()).body.includes(await pseudonymOf(hidden)));

  const row = await platform.db
    .selectFrom('candidate_visibility')
    .select(['visible', 'changed_at'])
    .where('citizen_id', '=', hidden.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.visible, false);
  const audits = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('subject_id', '=', hidden.id)
    .where('action', 'like', 'candidates.visibility%')
    .execute();
  assert.deepEqual(audits.map((a) => a.action).sort(), [
    'candidates.visibility_off',
    'candidates.visibility_on',
  ]);

  // A choice that is not on the list is answered on the same page.
  const bad = await platform.post(hidden.visitor, '/contatti/visibilita', { visibile: 'forse' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /alert-danger/);
});

test('filters narrow the results and bad values are answered clearly, with the typed values kept', async () => {
  const graduate = await insertPerson({ visible: true, eqf: 6, years: 5, pastOccupation: true });
  const beginner = await insertPerson({ visible: true, eqf: 3, years: 0, contracts: ['tirocinio'] });
  const far = await insertPerson({ visible: true, domicile: TERNI });
  await eventually(
    async () => (await ranked(graduate.id)) && (await ranked(beginner.id)) && (await ranked(far.id)),
    'three people to be indexed',
  );
  const [g, b, f] = [await pseudonymOf(graduate), await pseudonymOf(beginner), await pseudonymOf(far)];
  const all = (await search()).body;
  assert.ok(all.includes(g) && all.includes(b) && all.includes(f));

  const eqf = (await search('&eqf=5')).body;
  assert.ok(eqf.includes(g) && !eqf.includes(b));
  const years = (await search('&anni=4')).body;
  assert.ok(years.includes(g) && !years.includes(b) && !years.includes(f));
  const occupation = (await search(`&occupazione=${encodeURIComponent(`${OCC}weaver`)}`)).body;
  assert.ok(occupation.includes(g) && !occupation.includes(b));
  const contract = (await search('&contratto=determinato')).body;
  assert.ok(contract.includes(g) && !contract.includes(b));
  // Terni is about 65 km from Perugia (as the crow flies).
  const near = (await platform.get(employer, `/azienda/candidati?offerta=${vacancyId}&raggio=40`)).body;
  assert.ok(near.includes(g) && !near.includes(f));

  const tooFar = await platform.get(employer, `/azienda/candidati?offerta=${vacancyId}&raggio=10000`);
  assert.equal(tooFar.statusCode, 400);
  assert.match(tooFar.body, /numero intero da 1 a 200/);
  assert.match(tooFar.body, /value="10000"/);
  const words = await platform.get(employer, `/azienda/candidati?offerta=${vacancyId}&raggio=tanti&anni=-3`);
  assert.equal(words.statusCode, 400);
  assert.match(words.body, /value="tanti"/);
  assert.match(words.body, /da 0 a 40/);
  const badContract = await platform.get(
    employer,
    `/azienda/candidati?offerta=${vacancyId}&raggio=30&contratto=nero`,
  );
  assert.equal(badContract.statusCode, 400);
  const badOccupation = await platform.get(
    employer,
    `/azienda/candidati?offerta=${vacancyId}&raggio=30&occupazione=${encodeURIComponent('https://example.org/x')}`,
  );
  assert.equal(badOccupation.statusCode, 400);
  assert.match(badOccupation.body, /Scegli una professione dall'elenco\./);
  assert.match(badOccupation.body, /value="30"/, 'what the person typed is kept');
  const english = await platform.get(employer, `/azienda/candidati?offerta=${vacancyId}&raggio=0&lang=en`);
  assert.equal(english.statusCode, 400);
  assert.match(english.body, /whole number from 1 to 200/);
});

test("another company's vacancy, a closed one or a made-up id is not found", async () => {
  const searched = async () =>
    (
      await platform.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('action', '=', 'candidates.searched')
        .executeTakeFirstOrThrow()
    ).n;
  const before = await searched();
  assert.equal(
    (await platform.get(employer, `/azienda/candidati?offerta=${otherVacancyId}&raggio=30`)).statusCode,
    404,
  );
  assert.equal(
    (await platform.get(employer, `/azienda/candidati?offerta=${closedVacancyId}&raggio=30`)).statusCode,
    404,
  );
  assert.equal(
    (await platform.get(employer, `/azienda/candidati?offerta=${randomUUID()}&raggio=30`)).statusCode,
    404,
  );
  const bad = await platform.get(employer, '/azienda/candidati?offerta=nonsense&raggio=30');
  assert.equal(bad.statusCode, 400);
  // Nothing was searched, so nothing is recorded as searched (the ranking made before the check is dropped).
  assert.equal(await searched(), before);
  // The citizen pages are not the company's, and vice versa.
  const citizen = await platform.signInAs('citizen');
  assert.equal((await platform.get(citizen, '/azienda/candidati')).statusCode, 403);
  assert.equal((await platform.get(employer, '/contatti')).statusCode, 403);
});

test('contact request, twice, accept, reveal, messages both ways with notifications', async () => {
  const person = await insertPerson({ visible: true });
  await platform.db
    .insertInto('cvs')
    .values({
      region_code: REGION,
      citizen_id: person.id,
      document: JSON.stringify({
        ...emptyCv(person.given, person.family),
        about: 'Tessitrice con esperienza su telai jacquard.',
      }),
    } as never)
    .execute();
  await eventually(() => ranked(person.id), 'the person to be indexed');
  const code = await pseudonymOf(person);

  // The form page, then a message too short: same page, 400, the typed text kept.
  const link = askLinks((await search()).body).find((l) => l.code === code);
  assert.ok(link);
  const form = await platform.get(employer, link.href);
  assert.equal(form.statusCode, 200);
  assert.ok(form.body.includes(`Candidato ${code}`));
  assert.ok(!form.body.includes(person.family));
  const params = new URL(link.href, 'http://x').searchParams;
  assert.equal(
    (await platform.get(employer, `/azienda/candidati/contatto?c=garbage&offerta=${vacancyId}`)).statusCode,
    404,
  );
  assert.equal(
    (
      await platform.get(
        otherEmployer,
        `/azienda/candidati/contatto?c=${params.get('c')}&offerta=${otherVacancyId}`,
      )
    ).statusCode,
    404,
  );
  const control = await platform.post(employer, '/azienda/candidati/contatto', {
    c: params.get('c') ?? '',
    offerta: params.get('offerta') ?? '',
    messaggio: 'Messaggio con un carattere \u0007 di controllo',
  });
  assert.equal(control.statusCode, 400);
  const short = await platform.post(employer, '/azienda/candidati/contatto', {
    c: params.get('c') ?? '',
    offerta: params.get('offerta') ?? '',
    messaggio: 'Ciao',
  });
  assert.equal(short.statusCode, 400);
  assert.match(short.body, /tra 10 e 2000 caratteri/);
  assert.match(short.body, />Ciao<\/textarea>/);

  const first = await askContact(person);
  assert.equal(first.statusCode, 303);
  const contactId = await contactIdOf(person);
  const mail = await platform.lastQueuedEmail(`contact-request:${contactId}`);
  assert.ok(mail);
  assert.equal(mail.to, person.email);
  assert.match(mail.text, /Tessiture del Chiascio/);

  // A second request while one is open: the company is told so.
  const code2 = askLinks((await search()).body).find((l) => l.code === code);
  assert.equal(code2, undefined, 'the result shows the open request instead of the button');
  const twice = await platform.post(employer, '/azienda/candidati/contatto', {
    c: params.get('c') ?? '',
    offerta: params.get('offerta') ?? '',
    messaggio: 'Seconda richiesta per la stessa persona, grazie.',
  });
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /già una richiesta aperta/);
  assert.match(twice.body, /Seconda richiesta per la stessa persona/);

  // Another company cannot use this company's handle, nor open its contact.
  const foreign = await platform.post(otherEmployer, '/azienda/candidati/contatto', {
    c: params.get('c') ?? '',
    offerta: otherVacancyId,
    messaggio: 'Buongiorno, vorremmo conoscerla meglio.',
  });
  assert.equal(foreign.statusCode, 404);
  assert.equal(
    (await platform.get(otherEmployer, `/azienda/candidati/contatti/${contactId}`)).statusCode,
    404,
  );

  // Before acceptance the company sees only the pseudonym; no message thread yet.
  const pending = await platform.get(employer, `/azienda/candidati/contatti/${contactId}`);
  assert.equal(pending.statusCode, 200);
  assert.ok(!pending.body.includes(person.family));
  assert.ok(!pending.body.includes(person.email));
  assert.equal(
    (await platform.post(employer, `/azienda/candidati/contatti/${contactId}/messaggi`, { testo: 'Ciao' }))
      .statusCode,
    404,
  );
  assert.ok(!pending.body.includes('telai jacquard'));
  assert.equal(
    (await platform.get(employer, `/azienda/candidati/contatti/${contactId}/cv.pdf`)).statusCode,
    404,
  );

  // The person sees the request and accepts it; another person cannot answer it.
  const mine = await platform.get(person.visitor, '/contatti');
  assert.match(mine.body, /Richiesta da Tessiture del Chiascio/);
  const stranger = await insertPerson({ visible: true });
  assert.equal((await platform.post(stranger.visitor, `/contatti/${contactId}/accetta`, {})).statusCode, 404);
  assert.equal((await platform.get(stranger.visitor, `/contatti/${contactId}`)).statusCode, 404);
  const accepted = await platform.post(person.visitor, `/contatti/${contactId}/accetta`, {});
  assert.equal(accepted.statusCode, 303);
  assert.equal((await platform.post(person.visitor, `/contatti/${contactId}/accetta`, {})).statusCode, 404);
  assert.ok(await platform.lastQueuedEmail(`contact-accepted:${contactId}`));

  // Now the company sees name, e-mail and phone, and the read is audited.
  const revealed = await platform.get(employer, `/azienda/candidati/contatti/${contactId}`);
  assert.equal(revealed.statusCode, 200);
  assert.ok(revealed.body.includes(person.family));
  assert.ok(revealed.body.includes(person.email));
  assert.ok(revealed.body.includes('+393331234567'));
  assert.ok(revealed.body.includes('Tessitrice con esperienza su telai jacquard.'));
  const reads = await platform.db
    .selectFrom('audit_log')
    .select(['actor_id', 'object_id'])
    .where('action', '=', 'read.candidate_contact')
    .where('subject_id', '=', person.id)
    .execute();
  assert.equal(reads.length, 1);
  assert.equal(reads[0]?.actor_id, employerId);
  assert.equal(reads[0]?.object_id, contactId);
  const pdf = await platform.get(employer, `/azienda/candidati/contatti/${contactId}/cv.pdf`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.equal(
    (await platform.get(otherEmployer, `/azienda/candidati/contatti/${contactId}/cv.pdf`)).statusCode,
    404,
  );

  // Messages both ways; each side gets an e-mail without the message's text.
  const toPerson = await platform.post(employer, `/azienda/candidati/contatti/${contactId}/messaggi`, {
    testo: 'Possiamo sentirci giovedì alle 10?',
  });
  assert.equal(toPerson.statusCode, 303);
  const note1 = await platform.lastQueuedEmail('contact-message:%:citizen');
  assert.ok(note1);
  assert.equal(note1.to, person.email);
  assert.ok(!note1.text.includes('giovedì'));
  const thread = await platform.get(person.visitor, `/contatti/${contactId}`);
  assert.match(thread.body, /Possiamo sentirci giovedì alle 10\?/);
  const empty = await platform.post(person.visitor, `/contatti/${contactId}/messaggi`, { testo: '   ' });
  assert.equal(empty.statusCode, 400);
  const reply = await platform.post(person.visitor, `/contatti/${contactId}/messaggi`, {
    testo: 'Sì, giovedì va benissimo.',
  });
  assert.equal(reply.statusCode, 303);
  const note2 = await platform.lastQueuedEmail('contact-message:%:company');
  assert.ok(note2);
  assert.equal(note2.to, 'datore@demo.sportello.example');
  assert.ok(!note2.text.includes('benissimo'));
  const companyThread = await platform.get(employer, `/azienda/candidati/contatti/${contactId}`);
  assert.match(companyThread.body, /Sì, giovedì va benissimo\./);
  assert.match(companyThread.body, /Possiamo sentirci giovedì/);
  // Nobody else writes into the thread.
  assert.equal(
    (await platform.post(stranger.visitor, `/contatti/${contactId}/messaggi`, { testo: 'Intruso' }))
      .statusCode,
    404,
  );
  assert.equal(
    (
      await platform.post(otherEmployer, `/azienda/candidati/contatti/${contactId}/messaggi`, {
        testo: 'Intruso',
      })
    ).statusCode,
    404,
  );
  const list = await platform.get(employer, '/azienda/candidati/contatti');
  assert.match(list.body, new RegExp(`Candidato ${code}`));
});

test('a declined request blocks a new one for 90 days; withdrawing consent declines pending requests', async () => {
  const declines = await insertPerson({ visible: true });
  const withdraws = await insertPerson({ visible: true });
  await eventually(
    async () => (await ranked(declines.id)) && (await ranked(withdraws.id)),
    'two people to be indexed',
  );
  assert.equal((await askContact(declines)).statusCode, 303);
  const contactId = await contactIdOf(declines);
  assert.equal((await platform.post(declines.visitor, `/contatti/${contactId}/rifiuta`, {})).statusCode, 303);
  const seen = await platform.get(employer, `/azienda/candidati/contatti/${contactId}`);
  assert.match(seen.body, /Rifiutata\./);
  assert.ok(!seen.body.includes(declines.family));
  assert.match(seen.body, /Potrai chiedere di nuovo/);
  assert.ok(await platform.lastQueuedEmail(`contact-declined:${contactId}`));
  // The search offers no button; a crafted request is refused with the reason.
  const { sealCandidate } = await import('./domain/pseudonym.ts');
  const again = await platform.post(employer, '/azienda/candidati/contatto', {
    c: sealCandidate(platform.config.sessionSecret, companyId, declines.id),
    offerta: vacancyId,
    messaggio: 'Ci riproviamo: siamo ancora interessati.',
  });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /ultimi 90 giorni/);

  assert.equal((await askContact(withdraws)).statusCode, 303);
  const pendingId = await contactIdOf(withdraws);
  assert.equal(
    (await platform.post(withdraws.visitor, '/contatti/visibilita', { visibile: 'no' })).statusCode,
    303,
  );
  const row = await platform.db
    .selectFrom('contact_requests')
    .select(['status', 'answered_at'])
    .where('id', '=', pendingId)
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'declined');
  assert.ok(row.answered_at);
  // Not visible any more: asking is "not found".
  const hidden = await platform.post(employer, '/azienda/candidati/contatto', {
    c: sealCandidate(platform.config.sessionSecret, companyId, withdraws.id),
    offerta: vacancyId,
    messaggio: 'Buongiorno, la contattiamo per un colloquio.',
  });
  assert.equal(hidden.statusCode, 404);
});

test('the short consent block for other pages says the current choice and links to /contatti', () => {
  const ctx = { t: translator('it'), lang: 'it' } as unknown as RequestContext;
  const on = renderToString(CandidateConsentBlock({ ctx, visible: true }));
  const off = renderToString(CandidateConsentBlock({ ctx, visible: false }));
  assert.match(on, /Le aziende possono trovare il tuo profilo anonimo/);
  assert.match(off, /Le aziende non possono trovarti/);
  for (const html of [on, off]) assert.match(html, /href="\/contatti#fatti-trovare"/);
});

test('results come 20 a page, best first; the page links keep the search and nothing else', async () => {
  const people: Person[] = [];
  for (let i = 0; i < 23; i++) people.push(await insertPerson({ visible: true }));
  await eventually(
    async () => (await Promise.all(people.map((p) => ranked(p.id)))).every(Boolean),
    '23 more people to be indexed',
  );
  const cards = (html: string) => [...html.matchAll(/<h3 class="h5">Candidato ([0-9A-Z]{4}-[0-9A-Z]{2})/g)];
  const nextLink = (html: string) =>
    /<a href="([^"]+)">Pagina successiva<\/a>/.exec(html)?.[1]?.replaceAll('&amp;', '&');

  const first = await search('&eqf=0&estraneo=1');
  assert.equal(first.statusCode, 200);
  assert.equal(cards(first.body).length, 20, 'a full first page');
  assert.match(first.body, /Candidati dal 1° al 20°, in ordine di punteggio\./);
  assert.doesNotMatch(first.body, /Pagina precedente/);
  const next = nextLink(first.body);
  assert.ok(next, 'a link to the next page');
  const url = new URL(next, 'http://x');
  assert.equal(url.pathname, '/azienda/candidati');
  assert.equal(url.searchParams.get('offerta'), vacancyId);
  assert.equal(url.searchParams.get('raggio'), '100');
  assert.equal(url.searchParams.get('eqf'), '0');
  assert.equal(url.searchParams.get('pagina'), '1');
  assert.equal(url.searchParams.has('estraneo'), false, 'the page links carry only the search');

  // Every page until the last: nobody twice, everybody once.
  const seen: string[] = cards(first.body).map((m) => m[1] ?? '');
  let href: string | undefined = next;
  let page = 1;
  while (href) {
    const res = await platform.get(employer, href);
    assert.equal(res.statusCode, 200);
    const here = cards(res.body).map((m) => m[1] ?? '');
    assert.ok(here.length > 0 && here.length <= 20);
    assert.match(res.body, new RegExp(`Candidati dal ${page * 20 + 1}° al ${page * 20 + here.length}°`));
    assert.match(res.body, /Pagina precedente/);
    seen.push(...here);
    href = nextLink(res.body);
    page++;
  }
  assert.equal(new Set(seen).size, seen.length, 'nobody on two pages');
  for (const p of people) assert.ok(seen.includes(await pseudonymOf(p)), 'everybody on some page');
  const total = (
    await platform.matcher.rankPeopleForVacancy(REGION, vacancyId, { radiusKm: 100, limit: 200 })
  ).length;
  assert.equal(seen.length, total, 'as many as the matcher ranks (all of them agreed to be found)');

  // A page that is not a number is the first; one past the end says so and links back to the first.
  const junk = await search('&pagina=due');
  assert.deepEqual(
    cards(junk.body).map((m) => m[1]),
    cards(first.body).map((m) => m[1]),
  );
  const past = await search('&pagina=9');
  assert.equal(past.statusCode, 200);
  assert.equal(cards(past.body).length, 0);
  assert.match(past.body, /Non ci sono altri candidati dopo quelli delle pagine precedenti\./);
  assert.match(
    past.body,
    /href="\/azienda\/candidati\?offerta=[^"]+&amp;raggio=100"[^>]*>Torna alla prima pagina/,
  );
});
