import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { emptyCv } from '../cv/domain/cv.ts';

const REGION = '10';
const PERUGIA = '054039';
let platform: TestPlatform;
let employer: Visitor;
let operator: Visitor;
let companyId: string;
let vacancyId: string;
let otherVacancyId: string;
let people: { ana: string; bruno: string; carla: string; dario: string };
let requestId: string;

async function citizen(givenName: string, opts: { visible: boolean; cv: boolean }): Promise<string> {
  const db = platform.db;
  const { id } = await db
    .insertInto('users')
    .values({
      region_code: REGION,
      role: 'citizen',
      given_name: givenName,
      family_name: `Presel${Math.floor(Math.random() * 1e6)}`,
      email: `${randomUUID()}@test.example`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('citizen_profiles')
    .values({ region_code: REGION, user_id: id, domicile_code: PERUGIA, education_eqf: 4 })
    .execute();
  await db
    .insertInto('candidate_visibility')
    .values({ region_code: REGION, citizen_id: id, visible: opts.visible })
    .execute();
  if (opts.cv) {
    const doc = { ...emptyCv(givenName, 'Prova'), about: `Sono ${givenName}, tessitore con esperienza.` };
    await db
      .insertInto('cvs')
      .values({ region_code: REGION, citizen_id: id, document: JSON.stringify(doc) })
      .execute();
  }
  return id;
}

async function vacancy(company: string, createdBy: string, title: string): Promise<string> {
  const { id } = await platform.db
    .insertInto('vacancies')
    .values({
      region_code: REGION,
      company_id: company,
      title,
      description: 'Cerchiamo una persona per il reparto tessitura, turni diurni.',
      municipality_code: PERUGIA,
      contract_type: 'indeterminato',
      hours: 'full_time',
      expires_on: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
      status: 'published',
      created_by: createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

before(async () => {
  platform = await startTestPlatform();
  employer = await platform.signInAs('employer');
  operator = await platform.signInAs('cpi_operator');
  const company = await platform.db
    .selectFrom('companies')
    .select('id')
    .where('region_code', '=', REGION)
    .where('vat_number', '=', '04152630549')
    .executeTakeFirstOrThrow();
  companyId = company.id;
  vacancyId = await vacancy(companyId, employer.userId!, 'Tessitore esperto');
  // Another company of the Region, with its own employer and vacancy: its ids are foreign to Paolo.
  const other = await platform.db
    .insertInto('companies')
    .values({
      region_code: REGION,
      name: 'Altra Impresa S.r.l.',
      vat_number: '01234567897',
      fiscal_code: '01234567897',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const otherEmployer = await platform.db
    .insertInto('users')
    .values({
      region_code: REGION,
      role: 'employer',
      company_id: other.id,
      company_role: 'admin',
      given_name: 'Olga',
      family_name: 'Altri',
      email: `${randomUUID()}@test.example`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  otherVacancyId = await vacancy(other.id, otherEmployer.id, 'Magazziniere altrove');
  people = {
    ana: await citizen('Ana', { visible: true, cv: true }),
    bruno: await citizen('Bruno', { visible: true, cv: true }),
    carla: await citizen('Carla', { visible: false, cv: true }),
    dario: await citizen('Dario', { visible: true, cv: false }),
  };
  await platform.matcher.settled();
});

after(async () => {
  await platform.stop();
});

async function office(): Promise<string> {
  const o = await platform.db
    .selectFrom('offices')
    .select('id')
    .where('region_code', '=', REGION)
    .where('name', '=', 'CPI Perugia')
    .executeTakeFirstOrThrow();
  return o.id;
}

test('the employer asks for a shortlist; bad input is answered with the typed note kept', async () => {
  const page = await platform.get(employer, '/azienda/preselezioni');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Tessitore esperto/);
  assert.doesNotMatch(page.body, /Magazziniere altrove/);

  const empty = await platform.post(employer, '/azienda/preselezioni', {
    vacancy: '',
    office: '',
    note: 'Entro marzo',
  });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /Entro marzo/);
  assert.match(empty.body, /error-summary/);

  const foreign = await platform.post(employer, '/azienda/preselezioni', {
    vacancy: otherVacancyId,
    office: await office(),
    note: 'Altrui',
  });
  assert.equal(foreign.statusCode, 400);

  const badOffice = await platform.post(employer, '/azienda/preselezioni', {
    vacancy: vacancyId,
    office: randomUUID(),
    note: '',
  });
  assert.equal(badOffice.statusCode, 400);

  const ok = await platform.post(employer, '/azienda/preselezioni', {
    vacancy: vacancyId,
    office: await office(),
    note: 'Vorremmo incontrare cinque persone.',
  });
  assert.equal(ok.statusCode, 303);
  const row = await platform.db
    .selectFrom('shortlist_requests')
    .selectAll()
    .where('region_code', '=', REGION)
    .where('vacancy_id', '=', vacancyId)
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'requested');
  assert.equal(row.company_id, companyId);
  requestId = row.id;
  assert.ok(await platform.lastQueuedEmail(`preselection:${requestId}:requested`));
});

test('rating before the shortlist is sent is refused clearly', async () => {
  const res = await platform.post(employer, `/azienda/preselezioni/${requestId}/valutazione`, {
    rating: '4',
    comment: 'Presto',
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /solo dopo che il CPI/);
  assert.doesNotMatch(res.body, /href="#rating"/);
});

test('the operator takes the request and sees only people who agreed to be found', async () => {
  const list = await platform.get(operator, '/operatore/preselezioni');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Tessitore esperto/);
  const take = await platform.post(operator, `/operatore/preselezioni/${requestId}/prendi`, {});
  assert.equal(take.statusCode, 303);
  const again = await platform.post(operator, `/operatore/preselezioni/${requestId}/prendi`, {});
  assert.equal(again.statusCode, 400);
  const r = await platform.db
    .selectFrom('shortlist_requests')
    .select(['status', 'operator_id'])
    .where('region_code', '=', REGION)
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  assert.equal(r.status, 'in_progress');
  assert.equal(r.operator_id, operator.userId);

  const detail = await platform.get(operator, `/operatore/preselezioni/${requestId}`);
  assert.equal(detail.statusCode, 200);
  assert.match(detail.body, /scelto di farsi trovare/);
  assert.match(detail.body, /Ana Presel/);
  assert.match(detail.body, /Bruno Presel/);
  assert.doesNotMatch(detail.body, /Carla Presel/);
});

test('the operator builds the shortlist; a person not visible cannot be added; sending needs consent', async () => {
  for (const id of [people.ana, people.bruno, people.dario]) {
    const res = await platform.post(operator, `/operatore/preselezioni/${requestId}/candidati`, {
      citizen: id,
    });
    assert.equal(res.statusCode, 303);
  }
  const hidden = await platform.post(operator, `/operatore/preselezioni/${requestId}/candidati`, {
    citizen: people.carla,
  });
  assert.equal(hidden.statusCode, 400);
  assert.match(hidden.body, /non ha scelto di farsi trovare/);

  const rows = await platform.db
    .selectFrom('shortlist_candidates')
    .select(['citizen_id', 'score'])
    .where('region_code', '=', REGION)
    .where('request_id', '=', requestId)
    .execute();
  assert.equal(rows.length, 3);
  assert.ok(rows.every((r) => r.score > 0));

  const askTooSoon = await platform.post(operator, `/operatore/preselezioni/${requestId}/consenso`, {});
  assert.equal(askTooSoon.statusCode, 400);
  assert.match(askTooSoon.body, /Verifica prima almeno un CV/);

  const sendTooSoon = await platform.post(operator, `/operatore/preselezioni/${requestId}/invia`, {});
  assert.equal(sendTooSoon.statusCode, 400);
  assert.match(sendTooSoon.body, /Nessuna persona ha ancora dato il consenso/);
});

test('the operator reads each CV (audited) and validates it; no CV, nothing to validate', async () => {
  const cv = await platform.get(operator, `/operatore/preselezioni/${requestId}/candidati/${people.ana}`);
  assert.equal(cv.statusCode, 200);
  assert.match(cv.body, /tessitore con esperienza/);
  const read = await platform.db
    .selectFrom('audit_log')
    .select(['purpose', 'actor_id'])
    .where('action', '=', 'read.cv')
    .where('subject_id', '=', people.ana)
    .executeTakeFirst();
  assert.equal(read?.purpose, 'preselection');
  assert.equal(read?.actor_id, operator.userId);

  for (const id of [people.ana, people.bruno]) {
    const res = await platform.post(
      operator,
      `/operatore/preselezioni/${requestId}/candidati/${id}/verifica`,
      {},
    );
    assert.equal(res.statusCode, 303);
  }
  const noCv = await platform.post(
    operator,
    `/operatore/preselezioni/${requestId}/candidati/${people.dario}/verifica`,
    {},
  );
  assert.equal(noCv.statusCode, 400);
  const notInList = await platform.get(
    operator,
    `/operatore/preselezioni/${requestId}/candidati/${people.carla}`,
  );
  assert.equal(notInList.statusCode, 404);
  const validated = await platform.get(
    operator,
    `/operatore/preselezioni/${requestId}/candidati/${people.ana}`,
  );
  assert.match(validated.body, /CV verificato dal CPI/);
});

test('consent is asked by e-mail; each person answers on a signed-in page; others get 404', async () => {
  const ask = await platform.post(operator, `/operatore/preselezioni/${requestId}/consenso`, {});
  assert.equal(ask.statusCode, 303);
  const mail = await platform.lastQueuedEmail(`preselection:${requestId}:consent:${people.ana}`);
  assert.ok(mail);
  assert.match(mail.text, new RegExp(`/preselezioni/${requestId}`));
  assert.equal(await platform.lastQueuedEmail(`preselection:${requestId}:consent:${people.dario}`), null);

  const ana = await platform.signInAsUser(people.ana, REGION);
  const page = await platform.get(ana, `/preselezioni/${requestId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Tessiture del Chiascio/);
  const none = await platform.post(ana, `/preselezioni/${requestId}`, {});
  assert.equal(none.statusCode, 400);
  assert.equal((await platform.post(ana, `/preselezioni/${requestId}`, { answer: 'given' })).statusCode, 303);

  const bruno = await platform.signInAsUser(people.bruno, REGION);
  assert.equal(
    (await platform.post(bruno, `/preselezioni/${requestId}`, { answer: 'refused' })).statusCode,
    303,
  );

  const carla = await platform.signInAsUser(people.carla, REGION);
  assert.equal((await platform.get(carla, `/preselezioni/${requestId}`)).statusCode, 404);
  assert.equal(
    (await platform.post(carla, `/preselezioni/${requestId}`, { answer: 'given' })).statusCode,
    404,
  );
  assert.equal((await platform.get(ana, `/preselezioni/${randomUUID()}`)).statusCode, 404);
  assert.equal((await platform.get(ana, '/preselezioni/not-a-uuid')).statusCode, 404);
});

test('sending passes only consented people; the employer reads them (audited) and rates 1–5', async () => {
  const send = await platform.post(operator, `/operatore/preselezioni/${requestId}/invia`, {});
  assert.equal(send.statusCode, 303);
  assert.ok(await platform.lastQueuedEmail(`preselection:${requestId}:sent`));

  const page = await platform.get(employer, `/azienda/preselezioni/${requestId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Ana Presel/);
  assert.match(page.body, /CV verificato dal CPI/);
  assert.doesNotMatch(page.body, /Bruno Presel/);
  assert.doesNotMatch(page.body, /Dario Presel/);
  const read = await platform.db
    .selectFrom('audit_log')
    .select('purpose')
    .where('action', '=', 'read.cv')
    .where('subject_id', '=', people.ana)
    .where('actor_id', '=', employer.userId)
    .executeTakeFirst();
  assert.equal(read?.purpose, 'preselection');

  const late = await platform.post(
    await platform.signInAsUser(people.ana, REGION),
    `/preselezioni/${requestId}`,
    {
      answer: 'refused',
    },
  );
  assert.equal(late.statusCode, 400);

  const bad = await platform.post(employer, `/azienda/preselezioni/${requestId}/valutazione`, {
    rating: '9',
    comment: 'Ottima rosa',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Ottima rosa/);
  const rate = await platform.post(employer, `/azienda/preselezioni/${requestId}/valutazione`, {
    rating: '4',
    comment: 'Ottima rosa',
  });
  assert.equal(rate.statusCode, 303);
  const r = await platform.db
    .selectFrom('shortlist_requests')
    .select(['status', 'rating', 'rating_comment'])
    .where('region_code', '=', REGION)
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(r, { status: 'sent', rating: 4, rating_comment: 'Ottima rosa' });
});

test('foreign ids are not found: another company, unknown ids, citizens on operator pages', async () => {
  const other = await platform.db
    .selectFrom('users')
    .select('id')
    .where('region_code', '=', REGION)
    .where('given_name', '=', 'Olga')
    .executeTakeFirstOrThrow();
  const olga = await platform.signInAsUser(other.id, REGION);
  assert.equal((await platform.get(olga, `/azienda/preselezioni/${requestId}`)).statusCode, 404);
  assert.equal(
    (
      await platform.post(olga, `/azienda/preselezioni/${requestId}/valutazione`, {
        rating: '1',
        comment: '',
      })
    ).statusCode,
    404,
  );
  assert.doesNotMatch((await platform.get(olga, '/azienda/preselezioni')).body, /Tessitore esperto/);
  assert.equal((await platform.get(employer, `/azienda/preselezioni/${randomUUID()}`)).statusCode, 404);
  assert.equal((await platform.get(operator, `/operatore/preselezioni/${randomUUID()}`)).statusCode, 404);
  assert.equal(
    (await platform.post(operator, `/operatore/preselezioni/${randomUUID()}/invia`, {})).statusCode,
    404,
  );
  assert.equal((await platform.get(operator, '/operatore/preselezioni/xyz')).statusCode, 404);
  const ana = await platform.signInAsUser(people.ana, REGION);
  assert.equal((await platform.get(ana, `/operatore/preselezioni/${requestId}`)).statusCode, 403);
});

test('every page reads in English and Arabic without raw keys', async () => {
  const ana = await platform.signInAsUser(people.ana, REGION);
  const pages: [Visitor, string][] = [
    [employer, '/azienda/preselezioni'],
    [employer, `/azienda/preselezioni/${requestId}`],
    [operator, '/operatore/preselezioni'],
    [operator, `/operatore/preselezioni/${requestId}`],
    [operator, `/operatore/preselezioni/${requestId}/candidati/${people.ana}`],
    [ana, `/preselezioni/${requestId}`],
  ];
  for (const lang of ['en', 'ar']) {
    for (const [visitor, url] of pages) {
      const res = await platform.get(visitor, `${url}?lang=${lang}`);
      assert.equal(res.statusCode, 200, `${url} ${lang}`);
      assert.match(res.body, new RegExp(`<html lang="${lang}"`));
      assert.doesNotMatch(res.body, /preselection\.[a-zA-Z]/, `${url} ${lang}`);
    }
  }
  const en = await platform.get(employer, `/azienda/preselezioni/${requestId}?lang=en`);
  assert.match(en.body, /CV verified by the job centre/);
  const ar = await platform.get(ana, `/preselezioni/${requestId}?lang=ar`);
  assert.match(ar.body, /dir="rtl"/);
});

/** An operator of another Region (created here): everything of Region 10 is "not found" for them. */
async function operatorOfAnotherRegion(): Promise<Visitor> {
  const db = platform.db;
  await db
    .insertInto('regions')
    .values({ region_code: '12', name: 'Lazio (prova)' })
    .onConflict((oc) => oc.column('region_code').doNothing())
    .execute();
  const office = await db
    .insertInto('offices')
    .values({
      region_code: '12',
      name: 'CPI Roma (prova)',
      address: 'Via di prova 1, Roma',
      municipality_code: '054039',
      hours: 'lun-ven 9-13',
      email: 'cpi.roma@test.example',
      phone: '+39 06 0000000',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({
      region_code: '12',
      role: 'cpi_operator',
      office_id: office.id,
      given_name: 'Romana',
      family_name: 'Altrove',
      email: `${randomUUID()}@test.example`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return platform.signInAsUser(user.id, '12');
}

test("another Region's operator finds nothing of this Region", async () => {
  const roma = await operatorOfAnotherRegion();
  assert.equal((await platform.get(roma, `/operatore/preselezioni/${requestId}`)).statusCode, 404);
  assert.equal((await platform.post(roma, `/operatore/preselezioni/${requestId}/invia`, {})).statusCode, 404);
  assert.equal(
    (await platform.get(roma, `/operatore/preselezioni/${requestId}/candidati/${people.ana}`)).statusCode,
    404,
  );
  assert.doesNotMatch((await platform.get(roma, '/operatore/preselezioni')).body, /Tessitore esperto/);
});
