import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { addDaysIso } from './testing/fixtures.ts';
import { todayInRome } from './use-cases/catalogue.ts';

const REGION = '10';
const ESCO = 'http://data.europa.eu/esco/skill/test-training-';
const OCC = 'http://data.europa.eu/esco/occupation/test-training-';
const SKILLS = {
  weld: `${ESCO}weld`,
  drawings: `${ESCO}drawings`,
  safety: `${ESCO}safety`,
  cut: `${ESCO}cut`,
  excel: `${ESCO}excel`,
  english: `${ESCO}english`,
};
const PERUGIA = '054039';
const TERNI = '055032';
const ASSISI = '054001';

let platform: TestPlatform;
let cpi: Visitor;
let apl: Visitor;
let otherApl: Visitor;
let citizen: Visitor;
let providerId: string;
let aplProviderId: string;
let agencyId: string;

const today = todayInRome();

async function insertUser(
  role: 'citizen' | 'apl_operator',
  extra: { agency_id?: string; email?: string } = {},
) {
  const row = await platform.db
    .insertInto('users')
    .values({
      region_code: REGION,
      role,
      given_name: role === 'citizen' ? 'Mario' : 'Operatrice',
      family_name: `Prova${Math.floor(Math.random() * 1e6)}`,
      email: extra.email ?? `${randomUUID()}@test.example`,
      agency_id: extra.agency_id ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function courseFields(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    azione: 'salva',
    provider_id: providerId,
    title: 'Saldatura TIG di base',
    description: 'Corso pratico in officina',
    mode: 'in_person',
    municipality_code: PERUGIA,
    address: 'Via del Lavoro 1',
    starts_on: addDaysIso(today, 10),
    ends_on: addDaysIso(today, 40),
    hours: '80',
    seats: '12',
    cost_eur: '0',
    funding: 'gol',
    eqf_level: '3',
    // A skill the recommendation test's person already has, so these courses never compete there.
    skills: [SKILLS.cut],
    ...over,
  };
}

async function createCourse(visitor: Visitor, over: Record<string, string | string[]> = {}): Promise<string> {
  const res = await platform.post(visitor, '/operatore/corsi/nuovo', courseFields(over));
  assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
  const m = /^\/operatore\/corsi\/([0-9a-f-]{36})\?ok=saved$/.exec(String(res.headers.location));
  assert.ok(m, String(res.headers.location));
  return m[1] as string;
}

function multipart(visitor: Visitor, url: string, csv: string): Promise<LightMyRequestResponse> {
  const boundary = '----training-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitor.csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="corsi.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(csv, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

before(async () => {
  platform = await startTestPlatform();
  const db = platform.db;
  // Our own small ESCO fixture: 2 occupations, 6 skills.
  await db
    .insertInto('esco_skills')
    .values(
      Object.entries(SKILLS).map(([k, uri]) => ({
        uri,
        skill_type: 'skill/competence' as const,
        label_it: `Competenza di prova ${k}`,
        label_en: `Test skill ${k}`,
        search_text: `competenza di prova ${k} test skill ${k}`,
      })),
    )
    .execute();
  await db
    .insertInto('esco_occupations')
    .values([
      { uri: `${OCC}welder`, isco_code: '7212', label_it: 'Saldatore di prova', label_en: 'Test welder' },
      { uri: `${OCC}clerk`, isco_code: '4110', label_it: 'Impiegato di prova', label_en: 'Test clerk' },
    ])
    .execute();
  await db
    .insertInto('esco_occupation_skills')
    .values([
      { occupation_uri: `${OCC}welder`, skill_uri: SKILLS.weld, relation: 'essential' },
      { occupation_uri: `${OCC}welder`, skill_uri: SKILLS.drawings, relation: 'essential' },
      { occupation_uri: `${OCC}welder`, skill_uri: SKILLS.safety, relation: 'optional' },
      { occupation_uri: `${OCC}welder`, skill_uri: SKILLS.cut, relation: 'essential' },
      { occupation_uri: `${OCC}clerk`, skill_uri: SKILLS.excel, relation: 'essential' },
      { occupation_uri: `${OCC}clerk`, skill_uri: SKILLS.english, relation: 'optional' },
    ])
    .execute();

  cpi = await platform.signInAs('cpi_operator');
  apl = await platform.signInAs('apl_operator');
  citizen = await platform.signInAs('citizen');
  const aplUser = await db
    .selectFrom('users')
    .select('agency_id')
    .where('id', '=', apl.userId!)
    .executeTakeFirstOrThrow();
  agencyId = aplUser.agency_id!;
  const other = await db
    .insertInto('agencies')
    .values({
      region_code: REGION,
      name: 'Altra Agenzia Srl',
      vat_number: '09876543217',
      address: 'Via Altra 2',
      municipality_code: TERNI,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  otherApl = await platform.signInAsUser(await insertUser('apl_operator', { agency_id: other.id }), REGION);

  // Providers: one by the CPI (no agency), one linked to the demo agency.
  const p1 = await platform.post(cpi, '/operatore/corsi/enti', {
    name: 'Ente Formazione Umbria',
    vat_number: '01234567897',
    accreditation_code: 'UMB-001',
    agency_id: '',
  });
  assert.equal(p1.headers.location, '/operatore/corsi/enti?ok=created');
  const p2 = await platform.post(cpi, '/operatore/corsi/enti', {
    name: 'Agenzia Formazione Collegata',
    vat_number: '11111111115',
    accreditation_code: '',
    agency_id: agencyId,
  });
  assert.equal(p2.headers.location, '/operatore/corsi/enti?ok=created');
  const providers = await db
    .selectFrom('training_providers')
    .select(['id', 'vat_number'])
    .where('region_code', '=', REGION)
    .execute();
  providerId = providers.find((p) => p.vat_number === '01234567897')!.id;
  aplProviderId = providers.find((p) => p.vat_number === '11111111115')!.id;
});

after(async () => {
  await platform.stop();
});

test('a CPI operator creates a course with ESCO skills found by search, and it is public', async () => {
  const search = await platform.post(cpi, '/operatore/corsi/nuovo', {
    ...courseFields({ skills: [SKILLS.weld] }),
    azione: 'cerca',
    skill_query: 'prova drawings',
  });
  assert.equal(search.statusCode, 200);
  assert.match(search.body, /Competenza di prova drawings/);
  assert.match(search.body, /value="Saldatura TIG di base"/, 'typed values are kept');

  const invalid = await platform.post(
    cpi,
    '/operatore/corsi/nuovo',
    courseFields({ title: '', hours: 'tanti' }),
  );
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.body, /Questo campo è obbligatorio/);
  assert.match(invalid.body, /Scrivi un numero intero/);

  const id = await createCourse(cpi);
  const page = await platform.get(platform.anonymous(), `/corsi/${id}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Saldatura TIG di base/);
  assert.match(page.body, /Competenza di prova cut/);
  assert.match(page.body, /Gratuito/);
  assert.match(page.body, /Programma GOL/);
});

test('search filters: text, skill, mode, free only, funding, distance and start date, with paging', async () => {
  const mk = (over: Record<string, string | string[]>) => createCourse(cpi, over);
  const terni = await mk({
    title: 'Filtri Terni paid',
    municipality_code: TERNI,
    cost_eur: '300',
    funding: 'none',
  });
  const assisi = await mk({ title: 'Filtri Assisi', municipality_code: ASSISI, skills: [SKILLS.excel] });
  const remote = await mk({
    title: 'Filtri Online',
    mode: 'remote',
    municipality_code: '',
    funding: 'fse_plus',
  });
  const late = await mk({
    title: 'Filtri Tardi',
    starts_on: addDaysIso(today, 100),
    ends_on: addDaysIso(today, 120),
  });
  const anon = platform.anonymous();
  const ids = async (query: string) => {
    const res = await platform.get(anon, `/corsi?${query}`);
    assert.equal(res.statusCode, 200);
    return new Set([...res.body.matchAll(/href="\/corsi\/([0-9a-f-]{36})"/g)].map((m) => m[1]));
  };
  const text = await ids('q=filtri');
  for (const id of [terni, assisi, remote, late]) assert.ok(text.has(id));
  const near = await ids(`q=filtri&comune=${PERUGIA}&km=30`);
  assert.ok(near.has(assisi) && near.has(remote) && near.has(late), 'Assisi ~20 km, remote at 0');
  assert.ok(!near.has(terni), 'Terni is ~66 km from Perugia');
  assert.ok((await ids(`q=filtri&comune=${PERUGIA}&km=100`)).has(terni));
  const free = await ids('q=filtri&gratuiti=si');
  assert.ok(!free.has(terni) && free.has(assisi));
  const mode = await ids('q=filtri&modalita=remote');
  assert.deepEqual([...mode], [remote]);
  assert.deepEqual([...(await ids('q=filtri&finanziamento=fse_plus'))], [remote]);
  const skill = await ids(`q=filtri&competenza=${encodeURIComponent('prova excel')}`);
  assert.deepEqual([...skill], [assisi]);
  const from = await ids(`q=filtri&dal=${addDaysIso(today, 50)}`);
  assert.deepEqual([...from], [late]);

  // Paging on the server: 20 per page.
  for (let i = 0; i < 21; i++) await mk({ title: `Paginazione ${String(i).padStart(2, '0')}` });
  assert.equal((await ids('q=paginazione')).size, 20);
  const page2 = await platform.get(anon, '/corsi?q=paginazione&pagina=1');
  assert.equal([...page2.body.matchAll(/href="\/corsi\/[0-9a-f-]{36}"/g)].length, 1);
});

test('recommendations follow the person gaps: coverage of essential skills, then distance, explained', async () => {
  const db = platform.db;
  const person = await insertUser('citizen');
  await db
    .insertInto('citizen_profiles')
    .values({ region_code: REGION, user_id: person, domicile_code: PERUGIA })
    .execute();
  const assessment = await db
    .insertInto('skill_assessments')
    .values({ region_code: REGION, citizen_id: person, status: 'submitted' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('skill_assessment_targets')
    .values([
      { region_code: REGION, assessment_id: assessment.id, occupation_uri: `${OCC}welder`, position: 1 },
      { region_code: REGION, assessment_id: assessment.id, occupation_uri: `${OCC}clerk`, position: 2 },
    ])
    .execute();
  // Has "cut" already; misses weld, drawings (essential), safety (optional), excel (essential), english (optional).
  await db
    .insertInto('skill_assessment_skills')
    .values({ region_code: REGION, assessment_id: assessment.id, skill_uri: SKILLS.cut, self_level: 3 })
    .execute();

  const best = await createCourse(cpi, {
    title: 'Consiglio A tre essenziali',
    skills: [SKILLS.weld, SKILLS.drawings, SKILLS.excel],
  });
  const farBest = await createCourse(cpi, {
    title: 'Consiglio B tre essenziali lontano',
    municipality_code: TERNI,
    skills: [SKILLS.weld, SKILLS.drawings, SKILLS.excel],
  });
  const optional = await createCourse(cpi, { title: 'Consiglio C facoltativa', skills: [SKILLS.english] });
  const already = await createCourse(cpi, { title: 'Consiglio D già posseduta', skills: [SKILLS.cut] });
  const started = await createCourse(cpi, {
    title: 'Consiglio E iniziato',
    starts_on: addDaysIso(today, -3),
    skills: [SKILLS.weld],
  });

  const visitor = await platform.signInAsUser(person, REGION);
  const res = await platform.get(visitor, '/corsi/consigliati');
  assert.equal(res.statusCode, 200);
  const order = [...res.body.matchAll(/href="\/corsi\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
  const pos = (id: string) => order.indexOf(id);
  assert.ok(pos(best) >= 0 && pos(farBest) >= 0 && pos(optional) >= 0);
  assert.ok(pos(best) < pos(farBest), 'same coverage: nearer first');
  assert.ok(pos(farBest) < pos(optional), 'essential coverage beats distance');
  assert.equal(pos(already), -1, 'a skill the person has is not a gap');
  assert.equal(pos(started), -1, 'courses already started are left out');
  assert.match(res.body, /Saldatore di prova: ti mancano 2 competenze essenziali e 1 facoltative/);
  assert.match(res.body, /Ti insegna:/);
  assert.match(res.body, /Competenza di prova weld/);
  assert.match(res.body, /da casa tua \(In presenza — Terni\)/);
  assert.match(res.body, /Gratuito/);

  // Without an assessment: a kind explanation, no error.
  const empty = await platform.get(citizen, '/corsi/consigliati');
  assert.equal(empty.statusCode, 200);
});

test('enrol, confirm and complete: activity written, badge job queued, e-mails sent', async () => {
  const courseId = await createCourse(cpi, { title: 'Corso per completare' });
  const enrol = await platform.post(citizen, `/corsi/${courseId}/iscrizione`, {});
  assert.equal(enrol.headers.location, '/corsi/mie-iscrizioni?ok=requested');
  const again = await platform.post(citizen, `/corsi/${courseId}/iscrizione`, {});
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /Hai già chiesto di iscriverti/);
  const mine = await platform.get(citizen, '/corsi/mie-iscrizioni');
  assert.match(mine.body, /Richiesta inviata/);
  const enrolment = await platform.db
    .selectFrom('course_enrolments')
    .select('id')
    .where('course_id', '=', courseId)
    .where('citizen_id', '=', citizen.userId!)
    .executeTakeFirstOrThrow();

  const opPage = await platform.get(cpi, `/operatore/corsi/${courseId}`);
  assert.match(opPage.body, /Giulia/);
  const confirm = await platform.post(cpi, `/operatore/corsi/iscrizioni/${enrolment.id}`, {
    decisione: 'confirm',
  });
  assert.equal(confirm.headers.location, `/operatore/corsi/${courseId}?ok=confirm`);
  const confirmedMail = await platform.lastQueuedEmail(`training-confirmed:${REGION}:${enrolment.id}`);
  assert.ok(confirmedMail);
  assert.match(confirmedMail.subject, /Iscrizione confermata: Corso per completare/);
  const seats = await platform.db
    .selectFrom('courses')
    .select('seats_taken')
    .where('id', '=', courseId)
    .executeTakeFirstOrThrow();
  assert.equal(seats.seats_taken, 1);

  const complete = await platform.post(cpi, `/operatore/corsi/iscrizioni/${enrolment.id}`, {
    decisione: 'complete',
  });
  assert.equal(complete.headers.location, `/operatore/corsi/${courseId}?ok=complete`);
  const row = await platform.db
    .selectFrom('course_enrolments')
    .select(['status', 'completed_at'])
    .where('id', '=', enrolment.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'completed');
  assert.ok(row.completed_at);
  const activity = await platform.db
    .selectFrom('citizen_activity')
    .select(['kind', 'ref'])
    .where('citizen_id', '=', citizen.userId!)
    .where('kind', '=', 'course_attended')
    .where('ref', '=', enrolment.id)
    .execute();
  assert.equal(activity.length, 1);
  const { rows } = await platform.pool.query<{
    data: {
      kind: string;
      sourceRef: string;
      achievement: { name: string; skills: unknown[]; eqfLevel: number };
    };
  }>("select data from pgboss.job where name = 'badge-issue' and data->>'sourceRef' = $1", [enrolment.id]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.data.kind, 'course_completed');
  assert.equal(rows[0]!.data.achievement.name, 'Corso per completare');
  assert.equal(rows[0]!.data.achievement.skills.length, 1);
  assert.equal(rows[0]!.data.achievement.eqfLevel, 3);
  assert.ok(await platform.lastQueuedEmail(`training-completed:${REGION}:${enrolment.id}`));
  // A second completion is refused as a wrong status, nothing queued twice.
  const twice = await platform.post(cpi, `/operatore/corsi/iscrizioni/${enrolment.id}`, {
    decisione: 'complete',
  });
  assert.equal(twice.headers.location, `/operatore/corsi/${courseId}?errore=wrong_status`);
});

test('20 concurrent confirmations for 5 seats: exactly 5 confirmed, the database refuses the rest', async () => {
  const courseId = await createCourse(cpi, { title: 'Corso affollato', seats: '5' });
  const people = await Promise.all(Array.from({ length: 20 }, () => insertUser('citizen')));
  const enrolments = await platform.db
    .insertInto('course_enrolments')
    .values(people.map((p) => ({ region_code: REGION, course_id: courseId, citizen_id: p })))
    .returning('id')
    .execute();
  const results = await Promise.all(
    enrolments.map((e) =>
      platform.post(cpi, `/operatore/corsi/iscrizioni/${e.id}`, { decisione: 'confirm' }),
    ),
  );
  assert.ok(
    results.every((r) => r.statusCode === 303),
    results.map((r) => r.statusCode).join(','),
  );
  assert.equal(results.filter((r) => String(r.headers.location).endsWith('?ok=confirm')).length, 5);
  assert.equal(results.filter((r) => String(r.headers.location).endsWith('?errore=full')).length, 15);
  const counts = await platform.db
    .selectFrom('course_enrolments')
    .select(['status'])
    .where('course_id', '=', courseId)
    .execute();
  assert.equal(counts.filter((c) => c.status === 'confirmed').length, 5);
  const course = await platform.db
    .selectFrom('courses')
    .select(['seats_taken', 'seats'])
    .where('id', '=', courseId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(course, { seats_taken: 5, seats: 5 });
  // Even a direct write cannot overbook.
  const waiting = await platform.db
    .selectFrom('course_enrolments')
    .select('id')
    .where('course_id', '=', courseId)
    .where('status', '=', 'requested')
    .executeTakeFirstOrThrow();
  await assert.rejects(
    platform.db
      .updateTable('course_enrolments')
      .set({ status: 'confirmed' })
      .where('id', '=', waiting.id)
      .execute(),
    /courses_seats_not_overbooked/,
  );
  // The course is full for new requests.
  const fullRes = await platform.post(citizen, `/corsi/${courseId}/iscrizione`, {});
  assert.equal(fullRes.statusCode, 400);
  assert.match(fullRes.body, /I posti sono esauriti/);
  // Withdrawing a confirmed place frees the seat (the trigger counts down).
  const confirmed = await platform.db
    .selectFrom('course_enrolments')
    .select(['id', 'citizen_id'])
    .where('course_id', '=', courseId)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  const withdrawer = await platform.signInAsUser(confirmed.citizen_id, REGION);
  const withdraw = await platform.post(withdrawer, `/corsi/iscrizioni/${confirmed.id}/ritira`, {});
  assert.equal(withdraw.headers.location, '/corsi/mie-iscrizioni?ok=withdrawn');
  const after1 = await platform.db
    .selectFrom('courses')
    .select('seats_taken')
    .where('id', '=', courseId)
    .executeTakeFirstOrThrow();
  assert.equal(after1.seats_taken, 4);
  await platform.db
    .updateTable('course_enrolments')
    .set({ status: 'confirmed' })
    .where('id', '=', waiting.id)
    .execute();
  await platform.db.deleteFrom('course_enrolments').where('id', '=', waiting.id).execute();
  const after2 = await platform.db
    .selectFrom('courses')
    .select('seats_taken')
    .where('id', '=', courseId)
    .executeTakeFirstOrThrow();
  assert.equal(after2.seats_taken, 4, 'a deleted confirmed enrolment gives its seat back');
  // And the course is open again to a request.
  const again = await platform.post(citizen, `/corsi/${courseId}/iscrizione`, {});
  assert.equal(again.headers.location, '/corsi/mie-iscrizioni?ok=requested');
});

test('CSV import: a bad row imports nothing and lists row and column; a good file imports all', async () => {
  const header =
    'provider_vat,title,mode,municipality_code,starts_on,ends_on,hours,seats,cost_eur,funding,skills';
  const good1 = `01234567897,Import Uno,in_person,${PERUGIA},${addDaysIso(today, 5)},${addDaysIso(today, 9)},20,10,0,gol,${SKILLS.weld}`;
  const good2 = `01234567897,"Import Due, online",remote,,${addDaysIso(today, 5)},${addDaysIso(today, 9)},20,10,"99,50",none,${SKILLS.excel}|${SKILLS.english}`;
  const bad = `01234567897,Import Tre,in_person,,${addDaysIso(today, 5)},2020-01-01,venti,10,0,lotteria,${SKILLS.weld}`;
  const res = await multipart(cpi, '/operatore/corsi/importa', [header, good1, good2, bad].join('\n'));
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Riga 4, colonna municipality_code/);
  assert.match(res.body, /Riga 4, colonna hours/);
  assert.match(res.body, /Riga 4, colonna funding/);
  assert.match(res.body, /Riga 4, colonna ends_on/);
  const none = await platform.db
    .selectFrom('courses')
    .select('id')
    .where('title', 'like', 'Import %')
    .execute();
  assert.equal(none.length, 0);

  const unknown = await multipart(
    cpi,
    '/operatore/corsi/importa',
    [
      header,
      good1,
      `99999999999,Import X,remote,,${addDaysIso(today, 5)},${addDaysIso(today, 9)},20,10,0,gol,${ESCO}nope`,
    ].join('\n'),
  );
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /Riga 3, colonna provider_vat/);
  assert.match(unknown.body, /Riga 3, colonna skills/);

  const ok = await multipart(cpi, '/operatore/corsi/importa', [header, good1, good2].join('\r\n'));
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/operatore/corsi?ok=imported&n=2');
  const imported = await platform.db
    .selectFrom('courses')
    .select(['title', 'cost_eur', 'mode'])
    .where('title', 'like', 'Import %')
    .orderBy('title')
    .execute();
  assert.deepEqual(
    imported.map((c) => [c.title, Number(c.cost_eur), c.mode]),
    [
      ['Import Due, online', 99.5, 'remote'],
      ['Import Uno', 0, 'in_person'],
    ],
  );
  const page = await platform.get(cpi, '/operatore/corsi/importa');
  assert.match(page.body, /provider_vat/);
});

test('an apl_operator manages only the courses of providers linked to their agency', async () => {
  const aplCourse = await createCourse(apl, { title: 'Corso APL', provider_id: aplProviderId });
  // The APL cannot use the CPI's provider.
  const refused = await platform.post(
    apl,
    '/operatore/corsi/nuovo',
    courseFields({ provider_id: providerId }),
  );
  assert.equal(refused.statusCode, 400);
  const cpiCourse = await createCourse(cpi, { title: 'Corso del CPI' });
  assert.equal((await platform.get(apl, `/operatore/corsi/${cpiCourse}`)).statusCode, 404);
  // Another agency's operator cannot see, edit or decide on the APL's course.
  assert.equal((await platform.get(otherApl, `/operatore/corsi/${aplCourse}`)).statusCode, 404);
  assert.equal((await platform.get(otherApl, `/operatore/corsi/${aplCourse}/modifica`)).statusCode, 404);
  const edit = await platform.post(
    otherApl,
    `/operatore/corsi/${aplCourse}/modifica`,
    courseFields({ provider_id: aplProviderId }),
  );
  assert.equal(edit.statusCode, 404);
  await platform.post(citizen, `/corsi/${aplCourse}/iscrizione`, {});
  const e = await platform.db
    .selectFrom('course_enrolments')
    .select('id')
    .where('course_id', '=', aplCourse)
    .executeTakeFirstOrThrow();
  const decide = await platform.post(otherApl, `/operatore/corsi/iscrizioni/${e.id}`, {
    decisione: 'confirm',
  });
  assert.equal(decide.statusCode, 404);
  assert.doesNotMatch((await platform.get(otherApl, '/operatore/corsi')).body, /Corso APL/);
  // Their own operator confirms; a provider cannot be created by an APL.
  const mine = await platform.post(apl, `/operatore/corsi/iscrizioni/${e.id}`, { decisione: 'confirm' });
  assert.equal(mine.headers.location, `/operatore/corsi/${aplCourse}?ok=confirm`);
  const prov = await platform.post(apl, '/operatore/corsi/enti', { name: 'X', vat_number: '22222222222' });
  assert.equal(prov.statusCode, 403);
  // Citizens cannot reach the operator pages.
  assert.equal((await platform.get(citizen, '/operatore/corsi')).statusCode, 403);
});

test('hostile values never cause a 500', async () => {
  const anon = platform.anonymous();
  const hostile = [
    '/corsi?q=%00%27%22<script>&competenza=%25%5F&modalita=x&finanziamento=%27&comune=999999&km=-1&dal=2026-13-45&pagina=99999999',
    `/corsi?pagina=-1&q=${'a'.repeat(5000)}`,
    '/corsi/not-a-uuid',
    `/corsi/${randomUUID()}`,
  ];
  for (const url of hostile) {
    const res = await platform.get(anon, url);
    assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
  }
  for (const url of [
    '/operatore/corsi/not-a-uuid',
    `/operatore/corsi/${randomUUID()}/modifica`,
    '/operatore/corsi?pagina=abc',
  ]) {
    const res = await platform.get(cpi, url);
    assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
  }
  const posts: [Visitor, string, Record<string, string | string[]>][] = [
    [citizen, '/corsi/not-a-uuid/iscrizione', {}],
    [citizen, `/corsi/${randomUUID()}/iscrizione`, {}],
    [citizen, '/corsi/iscrizioni/zzz/ritira', {}],
    [cpi, '/operatore/corsi/iscrizioni/zzz', { decisione: 'confirm' }],
    [cpi, `/operatore/corsi/iscrizioni/${randomUUID()}`, { decisione: 'drop table' }],
    [
      cpi,
      '/operatore/corsi/nuovo',
      courseFields({
        provider_id: 'x',
        seats: '99999999999999',
        starts_on: "'; drop",
        skills: ['javascript:alert(1)', SKILLS.weld],
        eqf_level: '0',
        cost_eur: 'NaN',
      }),
    ],
    [cpi, '/operatore/corsi/nuovo', courseFields({ municipality_code: '000000' })],
    [cpi, '/operatore/corsi/nuovo', courseFields({ skills: [`${ESCO}does-not-exist`] })],
    [cpi, '/operatore/corsi/enti', { name: '\u0000', vat_number: 'abc', agency_id: 'nope' }],
    [cpi, '/operatore/corsi/enti', { name: 'Duplicato', vat_number: '01234567897' }],
  ];
  for (const [visitor, url, fields] of posts) {
    const res = await platform.post(visitor, url, fields);
    assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
  }
  for (const csv of [
    '',
    '\u0000\u0001binary',
    'title\n"unterminated',
    'a,b,c\n1,2,3',
    `${'x,'.repeat(3)}\n`,
  ]) {
    const res = await multipart(cpi, '/operatore/corsi/importa', csv);
    assert.ok(res.statusCode < 500 && res.statusCode !== 303, `${JSON.stringify(csv)} → ${res.statusCode}`);
  }
});
