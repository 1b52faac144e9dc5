import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { createApiToken } from '../platform/api/api.ts';
import { addMonths, romeDay } from './domain/vacancy.ts';
import { expireVacancies } from './use-cases/moderation.ts';

/**
 * Vacancies end to end on a real database: the employer's form (each bad input), CPI moderation with
 * the wording check, expiry with a moved clock, closing, the open-data feed and the employer API.
 */
let platform: TestPlatform;
let employer: Visitor;
let operator: Visitor;
let companyId: string;
const MAGAZZINIERE = 'http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f';
const STOCK = 'urn:sportello:skill:stock-goods';
const today = () => romeDay(new Date());

before(async () => {
  platform = await startTestPlatform();
  employer = await platform.signInAs('employer');
  operator = await platform.signInAs('cpi_operator');
  const me = await platform.db
    .selectFrom('users')
    .select('company_id')
    .where('id', '=', employer.userId as string)
    .executeTakeFirstOrThrow();
  companyId = me.company_id as string;
});
after(async () => {
  await platform.stop();
});

function valid(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    title: 'Magazziniere con patente B',
    description: 'Gestione del magazzino, carico e scarico merci, inventario settimanale.',
    occupation_uri: MAGAZZINIERE,
    eqf_required: '3',
    experience_years: '1',
    skill_essential: [STOCK],
    lang_it: 'B1',
    remote: 'no',
    site_id: 'other',
    municipality: 'Perugia (PG)',
    contract_type: 'determinato',
    hours: 'full_time',
    weekly_hours: '40',
    pay_min: '1400',
    pay_max: '1700',
    pay_period: 'month',
    positions: '2',
    start_date: '',
    expires_on: addMonths(today(), 2),
    driving_licence: 'B',
    safety_info: 'Scarpe antinfortunistiche fornite; corso carrellisti previsto.',
    action: 'save',
    ...overrides,
  };
}

const idFrom = (location: unknown) =>
  /\/azienda\/offerte\/([0-9a-f-]{36})/.exec(String(location))?.[1] as string;

async function create(fields: Record<string, string | string[]> = {}): Promise<string> {
  const res = await platform.post(employer, '/azienda/offerte/nuova', valid(fields));
  assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
  return idFrom(res.headers.location);
}

async function status(id: string) {
  return platform.db.selectFrom('vacancies').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function events(id: string) {
  const rows = await platform.db
    .selectFrom('vacancy_events')
    .select(['event', 'reason'])
    .where('vacancy_id', '=', id)
    .orderBy('at')
    .execute();
  return rows.map((r) => r.event);
}

/** A second company of the Region with its own employer user. */
async function otherEmployer(): Promise<Visitor> {
  const company = await platform.db
    .insertInto('companies')
    .values({
      region_code: '10',
      name: 'Altra Impresa S.r.l.',
      vat_number: '00743110157',
      fiscal_code: '00743110157',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await platform.db
    .insertInto('users')
    .values({
      region_code: '10',
      role: 'employer',
      company_id: company.id,
      company_role: 'admin',
      given_name: 'Marta',
      family_name: 'Bruni',
      email: 'marta.bruni@altra.example',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return platform.signInAsUser(user.id, '10');
}

test('the form refuses bad input clearly, keeping what was typed', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ pay_min: '2000', pay_max: '1500' }, /La retribuzione massima non può essere più bassa della minima/],
    [{ expires_on: '2020-01-10' }, /La scadenza deve essere una data futura/],
    [{ expires_on: addMonths(today(), 7) }, /al massimo fra 6 mesi/],
    [{ expires_on: '2027-02-30' }, /Scrivi una data valida/],
    [{ site_id: '', municipality: '' }, /Scegli una sede o un comune/],
    [{ municipality: 'Atlantide' }, /Non troviamo questo comune/],
    [{ pay_min: '12,50' }, /Scrivi una cifra intera in euro/],
    [{ pay_period: '' }, /Indica se la retribuzione è all&#39;ora|Indica se la retribuzione è all'ora/],
    [{ title: '' }, /Questo campo è obbligatorio/],
    [{ contract_type: 'schiavitù' }, /Scegli una delle opzioni/],
    [{ lang_it: 'Z9' }, /Scegli una delle opzioni/],
  ];
  for (const [fields, message] of cases) {
    const res = await platform.post(employer, '/azienda/offerte/nuova', valid(fields));
    assert.equal(res.statusCode, 400, JSON.stringify(fields));
    assert.match(res.body, message, JSON.stringify(fields));
    assert.match(res.body, /id="error-summary"/);
    // The typed values are kept.
    assert.match(res.body, /value="Magazziniere con patente B"|Questo campo è obbligatorio/);
    assert.match(res.body, /Gestione del magazzino, carico e scarico merci/);
  }
  const upsideDown = await platform.post(
    employer,
    '/azienda/offerte/nuova',
    valid({ pay_min: '2000', pay_max: '1500' }),
  );
  assert.match(upsideDown.body, /value="2000"/);
  assert.match(upsideDown.body, /value="1500"/);
  const count = await platform.db
    .selectFrom('vacancies')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('company_id', '=', companyId)
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0, 'nothing was saved');
});

test('occupation and skills are chosen from ESCO matches on a second step, without JavaScript', async () => {
  const found = await platform.post(
    employer,
    '/azienda/offerte/nuova',
    valid({ occupation_uri: '', skill_essential: [], occupation_q: 'magazzin', action: 'findOccupation' }),
  );
  assert.equal(found.statusCode, 200);
  assert.match(found.body, new RegExp(`type="radio" name="occupation_uri"[^>]*value="${MAGAZZINIERE}"`));
  assert.match(found.body, /value="Magazziniere con patente B"/);
  const short = await platform.post(
    employer,
    '/azienda/offerte/nuova',
    valid({ occupation_q: 'm', action: 'findOccupation' }),
  );
  assert.equal(short.statusCode, 200);
  assert.match(short.body, /Per cercare una professione scrivi almeno 2 lettere/);
  const skills = await platform.post(
    employer,
    '/azienda/offerte/nuova',
    valid({ skill_essential: [], action: 'findSkills' }),
  );
  assert.equal(skills.statusCode, 200);
  assert.match(skills.body, new RegExp(`name="skill_essential"[^>]*value="${STOCK}"`));
});

test('a draft is saved with its requirements, then submitted to the CPI', async () => {
  const id = await create();
  const v = await status(id);
  assert.equal(v.status, 'draft');
  assert.equal(v.municipality_code, '054039');
  assert.equal(v.pay_min, 1400);
  const skills = await platform.db
    .selectFrom('vacancy_skills')
    .selectAll()
    .where('vacancy_id', '=', id)
    .execute();
  assert.deepEqual(
    skills.map((s) => [s.skill_uri, s.essential]),
    [[STOCK, true]],
  );
  const langs = await platform.db
    .selectFrom('vacancy_languages')
    .selectAll()
    .where('vacancy_id', '=', id)
    .execute();
  assert.deepEqual(
    langs.map((l) => [l.language, l.level]),
    [['it', 'B1']],
  );
  const page = await platform.get(employer, `/azienda/offerte/${id}?ok=saved`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Offerta salvata/);
  const sent = await platform.post(employer, `/azienda/offerte/${id}/invia`, {});
  assert.equal(sent.statusCode, 303);
  assert.equal((await status(id)).status, 'submitted');
  assert.deepEqual(await events(id), ['created', 'submitted']);
  const list = await platform.get(employer, '/azienda/offerte');
  assert.match(list.body, /In verifica al CPI/);
});

test("someone else's vacancy id answers 404 not found, never 403", async () => {
  const id = await create();
  const other = await otherEmployer();
  for (const url of [
    `/azienda/offerte/${id}`,
    `/azienda/offerte/${id}/modifica`,
    `/azienda/offerte/${id}/chiudi`,
  ]) {
    const res = await platform.get(other, url);
    assert.equal(res.statusCode, 404, url);
    assert.match(res.body, /Offerta non trovata/);
  }
  for (const url of [
    `/azienda/offerte/${id}/modifica`,
    `/azienda/offerte/${id}/invia`,
    `/azienda/offerte/${id}/chiudi`,
  ]) {
    const res = await platform.post(other, url, valid({ outcome: 'not_filled' }));
    assert.equal(res.statusCode, 404, url);
  }
  for (const bad of ['11111111-2222-4333-8444-555555555555', 'not-a-uuid', "1' or '1'='1"]) {
    const res = await platform.get(employer, `/azienda/offerte/${encodeURIComponent(bad)}`);
    assert.equal(res.statusCode, 404, bad);
  }
  assert.equal((await status(id)).status, 'draft', 'unchanged');
});

test('moderation: discriminatory wording blocks publication; reject with a reason; fixed text is published', async () => {
  const id = await create({
    title: 'Magazziniere bella presenza',
    description: 'Cerchiamo magazzinieri, solo uomini, max 30 anni, per il reparto spedizioni.',
    action: 'submit',
  });
  assert.equal((await status(id)).status, 'submitted');
  const queue = await platform.get(operator, '/operatore/offerte');
  assert.equal(queue.statusCode, 200);
  assert.match(queue.body, new RegExp(`/operatore/offerte/${id}`));
  assert.match(queue.body, /Parole da correggere/);
  const detail = await platform.get(operator, `/operatore/offerte/${id}`);
  assert.equal(detail.statusCode, 200);
  assert.match(detail.body, /<mark[^>]*>bella presenza<\/mark>/);
  assert.match(detail.body, /<mark[^>]*>solo uomini<\/mark>/);
  assert.match(detail.body, /<mark[^>]*>max 30 anni<\/mark>/);
  assert.match(detail.body, /D.Lgs. 198\/2006 art. 27/);
  assert.doesNotMatch(detail.body, /\/pubblica"/, 'no publish button');
  // The reason is prefilled with the matched terms.
  assert.match(
    detail.body,
    /&quot;bella presenza&quot;, &quot;solo uomini&quot;, &quot;max 30 anni&quot;|"bella presenza", "solo uomini", "max 30 anni"/,
  );
  const forced = await platform.post(operator, `/operatore/offerte/${id}/pubblica`, {});
  assert.equal(forced.statusCode, 409);
  assert.equal((await status(id)).status, 'submitted');
  const noReason = await platform.post(operator, `/operatore/offerte/${id}/rifiuta`, { reason: '' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /Questo campo è obbligatorio/);
  const reason = 'Togliere "bella presenza", "solo uomini" e "max 30 anni": sono discriminatori.';
  const rejected = await platform.post(operator, `/operatore/offerte/${id}/rifiuta`, { reason });
  assert.equal(rejected.statusCode, 303);
  const v = await status(id);
  assert.equal(v.status, 'rejected');
  assert.equal(v.moderation_reason, reason);
  const mail = await platform.lastQueuedEmail('vacancy-rejected:%');
  assert.equal(mail?.to, 'datore@demo.sportello.example');
  assert.ok(mail?.text.includes(reason));
  const seen = await platform.get(employer, `/azienda/offerte/${id}`);
  assert.match(seen.body, /Cosa chiede di correggere il CPI/);
  // The employer fixes the text and sends it again; now the operator may publish.
  const fixed = await platform.post(
    employer,
    `/azienda/offerte/${id}/modifica`,
    valid({
      title: 'Magazziniere',
      description: 'Cerchiamo magazzinieri per il reparto spedizioni, turni diurni.',
      action: 'submit',
    }),
  );
  assert.equal(fixed.statusCode, 303);
  assert.equal((await status(id)).status, 'submitted');
  const clean = await platform.get(operator, `/operatore/offerte/${id}`);
  assert.match(clean.body, /non ha trovato parole discriminatorie/);
  const published = await platform.post(operator, `/operatore/offerte/${id}/pubblica`, {});
  assert.equal(published.statusCode, 303);
  const after = await status(id);
  assert.equal(after.status, 'published');
  assert.ok(after.published_at);
  assert.deepEqual(await events(id), [
    'created',
    'submitted',
    'rejected',
    'edited',
    'submitted',
    'published',
  ]);
  assert.ok(await platform.lastQueuedEmail('vacancy-published:%'));
  const outbox = await platform.db
    .selectFrom('national_outbox')
    .select('kind')
    .where('idempotency_key', 'like', `vacancy.published:10:${id}:%`)
    .execute();
  assert.equal(outbox.length, 1);
  const audit = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('object_id', '=', id)
    .where('action', 'in', ['vacancy.published', 'vacancy.rejected'])
    .execute();
  assert.equal(audit.length, 2);
  // Editing a published vacancy sends it back to moderation.
  const edited = await platform.post(
    employer,
    `/azienda/offerte/${id}/modifica`,
    valid({ title: 'Magazziniere esperto' }),
  );
  assert.equal(edited.statusCode, 303);
  assert.equal((await status(id)).status, 'submitted');
  // The employer may not use the operator's pages.
  assert.equal((await platform.get(employer, '/operatore/offerte')).statusCode, 403);
});

async function publishNow(fields: Record<string, string | string[]> = {}): Promise<string> {
  const id = await create({ ...fields, action: 'submit' });
  const res = await platform.post(operator, `/operatore/offerte/${id}/pubblica`, {});
  assert.equal(res.statusCode, 303);
  return id;
}

test('the daily job expires published vacancies past their last day (moved clock), once', async () => {
  const tomorrow = addMonths(today(), 0);
  const expiresOn = new Date(Date.parse(`${tomorrow}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const id = await publishNow({ expires_on: expiresOn });
  const deps = { db: platform.db, notifier: platform.notifier, config: platform.config };
  const same = await expireVacancies(deps, new Date());
  assert.equal((await status(id)).status, 'published', `not yet (${same.expired})`);
  const later = new Date(Date.parse(`${expiresOn}T12:00:00Z`) + 86_400_000);
  const first = await expireVacancies(deps, later);
  assert.ok(first.expired >= 1);
  assert.equal((await status(id)).status, 'expired');
  assert.equal((await expireVacancies(deps, later)).expired, 0);
  assert.deepEqual((await events(id)).slice(-1), ['expired']);
  assert.ok(await platform.lastQueuedEmail('vacancy-expired:%'));
});

test('closing records the outcome; the hired person must have applied', async () => {
  const id = await publishNow();
  const citizen = await platform.signInAs('citizen');
  const stranger = await platform.db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'citizen')
    .where('id', '<>', citizen.userId as string)
    .executeTakeFirst();
  await platform.db
    .insertInto('applications')
    .values({
      region_code: '10',
      vacancy_id: id,
      citizen_id: citizen.userId as string,
      cv_snapshot: JSON.stringify({}) as never,
      cv_version: 1,
    })
    .execute();
  const form = await platform.get(employer, `/azienda/offerte/${id}/chiudi`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Giulia Conti/);
  const noOutcome = await platform.post(employer, `/azienda/offerte/${id}/chiudi`, {});
  assert.equal(noOutcome.statusCode, 400);
  if (stranger) {
    const notApplicant = await platform.post(employer, `/azienda/offerte/${id}/chiudi`, {
      outcome: 'filled_platform',
      hired_citizen_id: stranger.id,
    });
    assert.equal(notApplicant.statusCode, 400);
    assert.match(notApplicant.body, /solo una persona che si è candidata/);
  }
  const closed = await platform.post(employer, `/azienda/offerte/${id}/chiudi`, {
    outcome: 'filled_platform',
    hired_citizen_id: citizen.userId as string,
  });
  assert.equal(closed.statusCode, 303);
  const v = await status(id);
  assert.equal(v.status, 'closed');
  assert.equal(v.outcome, 'filled_platform');
  assert.equal(v.hired_citizen_id, citizen.userId);
  assert.deepEqual((await events(id)).slice(-1), ['closed']);
  const again = await platform.post(employer, `/azienda/offerte/${id}/chiudi`, { outcome: 'not_filled' });
  assert.equal(again.statusCode, 409);
  const edit = await platform.get(employer, `/azienda/offerte/${id}/modifica`);
  assert.equal(edit.statusCode, 409);
});

test('the open-data feed lists published, unexpired vacancies as schema.org JobPosting, cacheable', async () => {
  const id = await publishNow({ title: 'Operatore di magazzino feed' });
  const draft = await create({ title: 'Bozza che non deve uscire' });
  const res = await platform.get(platform.anonymous(), '/offerte.json');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'public, max-age=300');
  assert.match(String(res.headers['content-type']), /application\/json/);
  const body = res.json() as { total: number; items: Record<string, unknown>[]; page: number };
  const mine = body.items.find((i) => (i.identifier as { value: string }).value === id);
  assert.ok(mine, 'published vacancy is in the feed');
  assert.equal(mine['@type'], 'JobPosting');
  assert.equal(mine.title, 'Operatore di magazzino feed');
  assert.deepEqual(mine.employmentType, ['FULL_TIME', 'TEMPORARY']);
  assert.equal((mine.hiringOrganization as { name: string }).name, 'Tessiture del Chiascio S.r.l.');
  assert.equal(
    (mine.jobLocation as { address: { addressLocality: string } }).address.addressLocality,
    'Perugia',
  );
  assert.equal(mine.occupationalCategory, '9333');
  assert.ok(!body.items.some((i) => (i.identifier as { value: string }).value === draft));
  assert.equal((await platform.get(platform.anonymous(), '/offerte.json?page=abc')).statusCode, 400);
  const far = (await platform.get(platform.anonymous(), '/offerte.json?page=999')).json() as {
    items: unknown[];
  };
  assert.deepEqual(far.items, []);
  const api = await platform.app.inject({ method: 'GET', url: '/api/v1/public/vacancies' });
  assert.equal(api.statusCode, 200);
  assert.ok(
    (api.json() as { items: { identifier: { value: string } }[] }).items.some(
      (i) => i.identifier.value === id,
    ),
  );
});

test('employer API with a token: list, create, get, submit, close; another company is 404', async () => {
  const token = await createApiToken(platform.db, {
    regionCode: '10',
    userId: employer.userId as string,
    name: 'test',
    days: 1,
  });
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown, bearer = token) =>
    platform.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(payload ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload ? { payload: JSON.stringify(payload) } : {}),
    });
  const input = {
    title: 'Addetto alle spedizioni',
    description: 'Preparazione dei colli e gestione delle spedizioni giornaliere.',
    occupationUri: MAGAZZINIERE,
    essentialSkills: [STOCK],
    languages: [{ code: 'it', level: 'B1' }],
    municipalityCode: '054039',
    contractType: 'indeterminato',
    hours: 'full_time',
    payMin: 1500,
    payMax: 1800,
    payPeriod: 'month',
    expiresOn: addMonths(today(), 1),
  };
  const upside = await call('POST', '/api/v1/employer/vacancies', { ...input, payMin: 2000, payMax: 1000 });
  assert.equal(upside.statusCode, 400);
  assert.match(upside.body, /payOrder/);
  const past = await call('POST', '/api/v1/employer/vacancies', { ...input, expiresOn: '2020-01-01' });
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /expiryPast/);
  const created = await call('POST', '/api/v1/employer/vacancies', input);
  assert.equal(created.statusCode, 201, created.body);
  const v = created.json() as { id: string; status: string; skills: { uri: string }[] };
  assert.equal(v.status, 'draft');
  assert.deepEqual(
    v.skills.map((s) => s.uri),
    [STOCK],
  );
  const list = await call('GET', '/api/v1/employer/vacancies');
  assert.ok((list.json() as { id: string }[]).some((x) => x.id === v.id));
  const got = await call('GET', `/api/v1/employer/vacancies/${v.id}`);
  assert.equal(got.statusCode, 200);
  const submitted = await call('POST', `/api/v1/employer/vacancies/${v.id}/submit`);
  assert.equal(submitted.statusCode, 200, submitted.body);
  assert.equal((submitted.json() as { status: string }).status, 'submitted');
  assert.equal((await call('POST', `/api/v1/employer/vacancies/${v.id}/submit`)).statusCode, 409);
  const closed = await call('POST', `/api/v1/employer/vacancies/${v.id}/close`, { outcome: 'not_filled' });
  assert.equal(closed.statusCode, 200, closed.body);
  assert.equal((closed.json() as { status: string }).status, 'closed');
  // Another company's token sees nothing of it.
  const other = await otherEmployerToken();
  assert.equal((await call('GET', `/api/v1/employer/vacancies/${v.id}`, undefined, other)).statusCode, 404);
  assert.equal(
    (await call('POST', `/api/v1/employer/vacancies/${v.id}/close`, { outcome: 'not_filled' }, other))
      .statusCode,
    404,
  );
  assert.equal((await call('GET', '/api/v1/employer/vacancies/not-a-uuid')).statusCode, 404);
  // A citizen's token is refused; no token is unauthorised.
  const citizen = await platform.signInAs('citizen');
  const citizenToken = await createApiToken(platform.db, {
    regionCode: '10',
    userId: citizen.userId as string,
    name: 't',
    days: 1,
  });
  assert.equal((await call('GET', '/api/v1/employer/vacancies', undefined, citizenToken)).statusCode, 403);
  assert.equal(
    (await platform.app.inject({ method: 'GET', url: '/api/v1/employer/vacancies' })).statusCode,
    401,
  );
  const openapi = await platform.app.inject({ method: 'GET', url: '/api/openapi.json' });
  const paths = (openapi.json() as { paths: Record<string, unknown> }).paths;
  for (const p of [
    '/api/v1/employer/vacancies',
    '/api/v1/employer/vacancies/{id}',
    '/api/v1/employer/vacancies/{id}/submit',
    '/api/v1/employer/vacancies/{id}/close',
    '/api/v1/public/vacancies',
  ])
    assert.ok(paths[p], p);
});

async function otherEmployerToken(): Promise<string> {
  const visitor = await otherEmployer2();
  return createApiToken(platform.db, { regionCode: '10', userId: visitor, name: 'other', days: 1 });
}

async function otherEmployer2(): Promise<string> {
  const company = await platform.db
    .insertInto('companies')
    .values({
      region_code: '10',
      name: 'Terza S.r.l.',
      vat_number: '00488410010',
      fiscal_code: '00488410010',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await platform.db
    .insertInto('users')
    .values({
      region_code: '10',
      role: 'employer',
      company_id: company.id,
      company_role: 'recruiter',
      given_name: 'Luca',
      family_name: 'Neri',
      email: 'luca.neri@terza.example',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return user.id;
}

test("an operator of another Region neither sees nor moderates this Region's vacancies", async () => {
  const id = await create({ title: 'Offerta solo umbra', action: 'submit' });
  await platform.db
    .insertInto('regions')
    .values({ region_code: '12', name: 'Lazio' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const office = await platform.db
    .insertInto('offices')
    .values({
      region_code: '12',
      name: 'CPI Roma Test',
      address: 'Via Test 1',
      municipality_code: '054039',
      hours: 'lun-ven 9-13',
      email: 'cpi.roma@test.example',
      phone: '06 000000',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await platform.db
    .insertInto('users')
    .values({
      region_code: '12',
      role: 'cpi_operator',
      office_id: office.id,
      given_name: 'Anna',
      family_name: 'Verdi',
      email: 'anna.verdi@lazio.example',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const lazio = await platform.signInAsUser(user.id, '12');
  const queue = await platform.get(lazio, '/operatore/offerte');
  assert.equal(queue.statusCode, 200);
  assert.doesNotMatch(queue.body, /Offerta solo umbra/);
  assert.equal((await platform.get(lazio, `/operatore/offerte/${id}`)).statusCode, 404);
  assert.equal((await platform.post(lazio, `/operatore/offerte/${id}/pubblica`, {})).statusCode, 404);
  assert.equal(
    (await platform.post(lazio, `/operatore/offerte/${id}/rifiuta`, { reason: 'Motivo abbastanza lungo' }))
      .statusCode,
    404,
  );
  assert.equal((await status(id)).status, 'submitted');
});

test('hostile input to every vacancy form never gives a server error', async () => {
  const id = await create({ action: 'submit' });
  const hostile = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ minLength: 3000, maxLength: 12000 }),
    fc.constantFrom(
      '<script>alert(1)</script>',
      "' or 1=1 --",
      '\u0000\u0001',
      '-1',
      '1e9',
      '2027-02-30',
      '𝕏'.repeat(300),
      '',
    ),
  );
  const specs: { url: string; visitor: Visitor; fields: string[] }[] = [
    {
      url: '/azienda/offerte/nuova',
      visitor: employer,
      fields: [
        'title',
        'description',
        'occupation_uri',
        'occupation_q',
        'skill_q',
        'skill_essential',
        'eqf_required',
        'experience_years',
        'lang_it',
        'remote',
        'site_id',
        'municipality',
        'contract_type',
        'hours',
        'weekly_hours',
        'pay_min',
        'pay_max',
        'pay_period',
        'positions',
        'start_date',
        'expires_on',
        'driving_licence',
        'safety_info',
        'action',
      ],
    },
    { url: `/azienda/offerte/${id}/chiudi`, visitor: employer, fields: ['outcome', 'hired_citizen_id'] },
    { url: `/operatore/offerte/${id}/rifiuta`, visitor: operator, fields: ['reason'] },
  ];
  for (const spec of specs) {
    await fc.assert(
      fc.asyncProperty(
        fc.record(Object.fromEntries(spec.fields.map((f) => [f, hostile]))),
        async (values) => {
          const res = await platform.post(spec.visitor, spec.url, values as Record<string, string>);
          assert.ok(res.statusCode < 500, `${spec.url} answered ${res.statusCode}`);
          assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/);
        },
      ),
      { numRuns: 20 },
    );
  }
  // The occupation search with hostile text also stays calm.
  const search = await platform.post(
    employer,
    '/azienda/offerte/nuova',
    valid({ occupation_q: "%_' or 1=1", action: 'findOccupation' }),
  );
  assert.equal(search.statusCode, 200);
});

test("a vacancy placed at one of the company's sites takes its municipality; another company's site is refused", async () => {
  const site = await platform.db
    .insertInto('company_sites')
    .values({
      region_code: '10',
      company_id: companyId,
      municipality_code: '054018',
      address: 'Via dei Tessitori 4',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const page = await platform.get(employer, '/azienda/offerte/nuova');
  assert.match(page.body, /Via dei Tessitori 4, Foligno \(PG\)/);
  const id = await create({ site_id: site.id, municipality: '' });
  const v = await status(id);
  assert.equal(v.site_id, site.id);
  assert.equal(v.municipality_code, '054018');
  const other = await platform.db
    .insertInto('companies')
    .values({
      region_code: '10',
      name: 'Quarta S.r.l.',
      vat_number: '00159560366',
      fiscal_code: '00159560366',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const foreign = await platform.db
    .insertInto('company_sites')
    .values({ region_code: '10', company_id: other.id, municipality_code: '055032', address: 'Via Altrui 1' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const res = await platform.post(
    employer,
    '/azienda/offerte/nuova',
    valid({ site_id: foreign.id, municipality: '' }),
  );
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Scegli una delle opzioni/);
  // Fully remote needs no place at all.
  const remote = await create({ remote: 'full', site_id: '', municipality: '' });
  assert.equal((await status(remote)).municipality_code, null);
});
