import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { assessedSkills } from '../use-cases/assessed-skills.ts';
import { skillField } from '../use-cases/assessment.ts';
import { currentGaps } from '../use-cases/gap.ts';

let platform: TestPlatform;
let citizen: Visitor;
let other: Visitor;
let operator: Visitor;

const E = 'http://test.local/esco';
const COOK = `${E}/occupation/cook-zeta`;
const WAITER = `${E}/occupation/waiter-zeta`;
const SK = {
  knife: `${E}/skill/knife`,
  hygiene: `${E}/skill/hygiene`,
  menu: `${E}/skill/menu`,
  wine: `${E}/skill/wine`,
  plating: `${E}/skill/plating`,
  serve: `${E}/skill/serve`,
};
const LABEL: Record<string, string> = {
  [SK.knife]: 'Usare i coltelli zeta',
  [SK.hygiene]: 'Igiene alimentare zeta',
  [SK.menu]: 'Preparare menu zeta',
  [SK.wine]: 'Abbinare vini zeta',
  [SK.plating]: 'Impiattare zeta',
  [SK.serve]: 'Servire ai tavoli zeta',
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'),
  Buffer.alloc(512, 0x41),
]);

async function escoFixture(p: TestPlatform) {
  await p.db
    .insertInto('esco_occupations')
    .values([
      {
        uri: COOK,
        isco_code: '5120',
        label_it: 'Cuoco zeta',
        label_en: 'Zeta cook',
        search_text: 'cuoco zeta zeta cook',
      },
      {
        uri: WAITER,
        isco_code: '5131',
        label_it: 'Cameriere zeta',
        label_en: 'Zeta waiter',
        search_text: 'cameriere zeta zeta waiter',
      },
    ])
    .onConflict((oc) => oc.column('uri').doNothing())
    .execute();
  await p.db
    .insertInto('esco_skills')
    .values(
      Object.values(SK).map((uri) => ({
        uri,
        skill_type: 'skill/competence' as const,
        label_it: LABEL[uri] ?? uri,
        label_en: `${LABEL[uri]} (en)`,
        search_text: (LABEL[uri] ?? '').toLowerCase(),
      })),
    )
    .onConflict((oc) => oc.column('uri').doNothing())
    .execute();
  await p.db
    .insertInto('esco_occupation_skills')
    .values([
      { occupation_uri: COOK, skill_uri: SK.knife, relation: 'essential' },
      { occupation_uri: COOK, skill_uri: SK.hygiene, relation: 'essential' },
      { occupation_uri: COOK, skill_uri: SK.menu, relation: 'essential' },
      { occupation_uri: COOK, skill_uri: SK.wine, relation: 'optional' },
      { occupation_uri: COOK, skill_uri: SK.plating, relation: 'optional' },
      { occupation_uri: WAITER, skill_uri: SK.serve, relation: 'essential' },
      { occupation_uri: WAITER, skill_uri: SK.hygiene, relation: 'essential' },
      { occupation_uri: WAITER, skill_uri: SK.wine, relation: 'optional' },
    ])
    .onConflict((oc) => oc.columns(['occupation_uri', 'skill_uri']).doNothing())
    .execute();
}

async function newCitizen(p: TestPlatform, name: string): Promise<Visitor> {
  const row = await p.db
    .insertInto('users')
    .values({
      region_code: '10',
      role: 'citizen',
      given_name: name,
      family_name: 'Prova',
      email: `${name}@example.org`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return p.signInAsUser(row.id, '10');
}

function upload(
  visitor: Visitor,
  fields: Record<string, string>,
  file: { name: string; type: string; data: Buffer },
) {
  const boundary = '----skills-test-boundary';
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitor.csrf}\r\n`),
  ];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return platform.app.inject({
    method: 'POST',
    url: '/competenze/prove',
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  });
}

const evidenceCount = async (citizenId: string) =>
  Number(
    (
      await platform.db
        .selectFrom('skill_evidence as e')
        .innerJoin('skill_assessments as a', (j) =>
          j.onRef('a.region_code', '=', 'e.region_code').onRef('a.id', '=', 'e.assessment_id'),
        )
        .select((eb) => eb.fn.countAll().as('n'))
        .where('a.citizen_id', '=', citizenId)
        .executeTakeFirstOrThrow()
    ).n,
  );

before(async () => {
  platform = await startTestPlatform();
  await escoFixture(platform);
  citizen = await platform.signInAs('citizen');
  other = await newCitizen(platform, 'altra');
  operator = await platform.signInAs('cpi_operator');
});

after(async () => {
  await platform?.stop();
});

test('a citizen chooses targets, tells their story, self-assesses and uploads evidence', async () => {
  const start = await platform.get(citizen, '/competenze');
  assert.equal(start.statusCode, 200);
  assert.match(start.body, /href="\/competenze\/obiettivo"/);

  const search = await platform.get(citizen, '/competenze/obiettivo?q=cuoco%20zeta');
  assert.equal(search.statusCode, 200);
  assert.match(search.body, /Cuoco zeta/);
  assert.match(search.body, /type="radio"/);

  // Nothing chosen: the same page, the search kept.
  const none = await platform.post(citizen, '/competenze/obiettivo', { q: 'cuoco zeta' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Cuoco zeta/);

  assert.equal((await platform.post(citizen, '/competenze/obiettivo', { occupation: COOK })).statusCode, 303);
  assert.equal(
    (await platform.post(citizen, '/competenze/obiettivo', { occupation: WAITER })).statusCode,
    303,
  );
  const unknown = await platform.post(citizen, '/competenze/obiettivo', {
    occupation: `${E}/occupation/nope`,
  });
  assert.equal(unknown.statusCode, 400);

  // Past jobs: a wrong number of years is refused with the title kept; an ESCO label is recognised.
  const badYears = await platform.post(citizen, '/competenze/esperienze', {
    title: 'Cuoco zeta',
    years: 'tanti',
  });
  assert.equal(badYears.statusCode, 400);
  assert.match(badYears.body, /value="Cuoco zeta"/);
  assert.equal(
    (await platform.post(citizen, '/competenze/esperienze', { title: 'Cuoco zeta', years: '3' })).statusCode,
    303,
  );
  const job = await platform.db
    .selectFrom('skill_assessment_jobs')
    .select(['occupation_uri', 'years'])
    .where('title', '=', 'Cuoco zeta')
    .executeTakeFirstOrThrow();
  assert.equal(job.occupation_uri, COOK);
  assert.equal(job.years, 3);

  const badEqf = await platform.post(citizen, '/competenze/formazione', {
    eqf: '9',
    educationTitle: 'Diploma alberghiero',
    informal: 'Volontariato in mensa',
  });
  assert.equal(badEqf.statusCode, 400);
  assert.match(badEqf.body, /Diploma alberghiero/);
  assert.equal(
    (
      await platform.post(citizen, '/competenze/formazione', {
        eqf: '4',
        educationTitle: 'Diploma alberghiero',
        informal: 'Volontariato in mensa',
      })
    ).statusCode,
    303,
  );

  // The checklist: the target's essential skills come before its optional ones; shared skills once.
  const list = await platform.get(citizen, '/competenze/abilita');
  assert.equal(list.statusCode, 200);
  const at = (uri: string) => list.body.indexOf(LABEL[uri] ?? '∅');
  for (const uri of Object.values(SK)) assert.ok(at(uri) > 0, `${LABEL[uri]} listed`);
  assert.ok(at(SK.menu) < at(SK.wine) && at(SK.knife) < at(SK.plating), 'essential before optional');
  assert.equal(list.body.split(LABEL[SK.hygiene] ?? '∅').length - 1, 1, 'a shared skill is listed once');
  assert.match(list.body, /Non la possiedo/);

  const saved = await platform.post(citizen, '/competenze/abilita', {
    [skillField(SK.knife)]: '3',
    [skillField(SK.hygiene)]: '0',
    [skillField(SK.wine)]: '2',
    [skillField(SK.serve)]: '7', // not a level: ignored
    k0000000000000000: '4', // not a skill of the checklist: ignored
  });
  assert.equal(saved.statusCode, 303);
  const mine = await assessedSkills(platform.db, '10', citizen.userId!);
  assert.deepEqual(
    mine.map((s) => [s.uri, s.level, s.validated]),
    [
      [SK.knife, 3, false],
      [SK.wine, 2, false],
    ],
  );

  // Evidence: a real PDF is stored; an EXE renamed .pdf is refused, nothing stored, the choice kept.
  const ok = await upload(
    citizen,
    { skill: SK.knife },
    { name: 'attestato.pdf', type: 'application/pdf', data: PDF },
  );
  assert.equal(ok.statusCode, 303);
  assert.equal(await evidenceCount(citizen.userId!), 1);
  const exe = await upload(
    citizen,
    { skill: SK.knife },
    { name: 'attestato.pdf', type: 'application/pdf', data: EXE },
  );
  assert.equal(exe.statusCode, 400);
  assert.match(exe.body, /non è un PDF, un JPEG o un PNG/);
  assert.match(exe.body, new RegExp(`value="${SK.knife.replace(/[/.]/g, '\\$&')}" selected`));
  assert.equal(await evidenceCount(citizen.userId!), 1);

  const file = await platform.db
    .selectFrom('skill_evidence')
    .select(['id', 'content_type', 'sha256', 'scan_status', 'size'])
    .where('skill_uri', '=', SK.knife)
    .executeTakeFirstOrThrow();
  assert.equal(file.content_type, 'application/pdf');
  assert.equal(file.scan_status, 'not_scanned');
  assert.equal(file.size, PDF.length);
  assert.match(file.sha256, /^[0-9a-f]{64}$/);
  const download = await platform.get(citizen, `/competenze/prove/${file.id}`);
  assert.equal(download.statusCode, 200);
  assert.match(String(download.headers['content-disposition']), /^attachment;/);
  assert.equal(download.headers['x-content-type-options'], 'nosniff');
  assert.equal(download.rawPayload.toString('latin1'), PDF.toString('latin1'));

  // Another person's assessment and evidence are not found.
  assert.equal((await platform.get(other, `/competenze/prove/${file.id}`)).statusCode, 404);
  assert.equal((await platform.post(other, `/competenze/prove/${file.id}/rimuovi`, {})).statusCode, 404);
  const otherOverview = await platform.get(other, '/competenze');
  assert.doesNotMatch(otherOverview.body, /Cuoco zeta/);

  assert.equal((await platform.post(citizen, '/competenze/invia', {})).statusCode, 303);
  const a = await platform.db
    .selectFrom('skill_assessments')
    .select(['status', 'education_eqf'])
    .where('citizen_id', '=', citizen.userId!)
    .executeTakeFirstOrThrow();
  assert.equal(a.status, 'submitted');
  assert.equal(a.education_eqf, 4);
});

test('an empty assessment cannot be submitted', async () => {
  const res = await platform.post(other, '/competenze/invia', {});
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Scegli almeno un lavoro/);
});

test('the gaps list missing essential skills first, per target', async () => {
  const gaps = await currentGaps(platform.db, '10', citizen.userId!, 'it');
  assert.deepEqual(
    gaps.map((g) => g.occupationUri),
    [COOK, WAITER],
  );
  const cook = gaps[0]!;
  assert.deepEqual(
    cook.missing.map((m) => [m.uri, m.relation]),
    [
      [SK.hygiene, 'essential'],
      [SK.menu, 'essential'],
      [SK.plating, 'optional'],
    ],
  );
  assert.equal(cook.occupationLabel, 'Cuoco zeta');
  const waiter = gaps[1]!;
  assert.deepEqual(
    waiter.missing.map((m) => m.uri),
    [SK.hygiene, SK.serve],
  );
  assert.equal((await currentGaps(platform.db, '10', other.userId!, 'en')).length, 0);
  assert.equal((await currentGaps(platform.db, '99', citizen.userId!, 'it')).length, 0);

  const page = await platform.get(citizen, '/competenze/divario');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.indexOf(LABEL[SK.menu]!) < page.body.indexOf(LABEL[SK.plating]!));
});

test('operators: only those allowed see the assessment; the operator validates and a badge is queued', async () => {
  const id = citizen.userId!;
  assert.equal((await platform.get(citizen, `/operatore/persone/${id}/competenze`)).statusCode, 403);
  // Without a pact only CPI operators of the Region may see it.
  const apl = await platform.signInAs('apl_operator');
  assert.equal((await platform.get(apl, `/operatore/persone/${id}/competenze`)).statusCode, 404);
  assert.equal((await platform.get(operator, '/operatore/persone/not-a-uuid/competenze')).statusCode, 404);
  assert.equal(
    (await platform.get(operator, '/operatore/persone/00000000-0000-4000-8000-000000000000/competenze'))
      .statusCode,
    404,
  );

  const page = await platform.get(operator, `/operatore/persone/${id}/competenze`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Usare i coltelli zeta/);
  assert.match(page.body, /attestato\.pdf/);
  const reads = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'read.skill_assessment')
    .where('subject_id', '=', id)
    .execute();
  assert.ok(reads.length > 0);

  const file = await platform.db
    .selectFrom('skill_evidence')
    .select('id')
    .where('skill_uri', '=', SK.knife)
    .executeTakeFirstOrThrow();
  const dl = await platform.get(operator, `/operatore/persone/${id}/competenze/prove/${file.id}`);
  assert.equal(dl.statusCode, 200);
  assert.equal(dl.headers['x-content-type-options'], 'nosniff');
  assert.match(String(dl.headers['content-disposition']), /^attachment;/);
  const audited = await platform.db
    .selectFrom('audit_log')
    .select('object_id')
    .where('action', '=', 'skills.evidence_read')
    .executeTakeFirst();
  assert.equal(audited?.object_id, file.id);
  assert.equal(
    (await platform.get(apl, `/operatore/persone/${id}/competenze/prove/${file.id}`)).statusCode,
    404,
  );

  const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const bad = await platform.post(operator, `/operatore/persone/${id}/competenze`, {
    sessionDate: future,
    sessionMode: 'in_person',
    notes: 'Colloquio',
    [skillField(SK.knife)]: '3',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /nel futuro/);

  const today = new Date().toISOString().slice(0, 10);
  const res = await platform.post(operator, `/operatore/persone/${id}/competenze`, {
    sessionDate: today,
    sessionMode: 'remote',
    notes: 'Verificato con prova pratica',
    [skillField(SK.knife)]: '3',
    [skillField(SK.hygiene)]: '2',
    [skillField(SK.menu)]: '0',
    [skillField(SK.wine)]: '1',
    [skillField(SK.plating)]: '0',
    [skillField(SK.serve)]: '0',
  });
  assert.equal(res.statusCode, 303);
  const a = await platform.db
    .selectFrom('skill_assessments')
    .select(['id', 'status', 'session_mode', 'validated_by'])
    .where('citizen_id', '=', id)
    .executeTakeFirstOrThrow();
  assert.equal(a.status, 'validated');
  assert.equal(a.session_mode, 'remote');
  assert.equal(a.validated_by, operator.userId);

  const { rows } = await platform.pool.query<{
    data: { kind: string; achievement: { name: string; skills: { uri: string }[] } };
  }>("select data from pgboss.job where name = 'badge-issue' and data->>'sourceRef' = $1", [a.id]);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.data.kind, 'competence_validated');
  assert.match(rows[0]!.data.achievement.name, /^Competenze convalidate: Cuoco zeta/);
  assert.deepEqual(rows[0]!.data.achievement.skills.map((s) => s.uri).sort(), [SK.hygiene, SK.knife].sort());
  const mail = await platform.lastQueuedEmail('skills-validated:%');
  assert.ok(mail);
  assert.match(mail.subject, /convalidato/);

  // Validated: the operator's levels count for the gaps and the CV; the person can no longer change it.
  const gaps = await currentGaps(platform.db, '10', id, 'it');
  assert.deepEqual(
    gaps[0]!.missing.map((m) => m.uri),
    [SK.menu, SK.plating],
  );
  const skills = await assessedSkills(platform.db, '10', id);
  assert.deepEqual(
    skills.map((s) => [s.uri, s.level, s.validated]),
    [
      [SK.knife, 3, true],
      [SK.hygiene, 2, true],
      [SK.wine, 1, true],
    ],
  );
  const locked = await platform.post(citizen, '/competenze/obiettivo', { occupation: COOK });
  assert.equal(locked.statusCode, 400);
  await platform.post(citizen, '/competenze/abilita', { [skillField(SK.menu)]: '4' });
  assert.equal((await assessedSkills(platform.db, '10', id)).length, 3);
  const again = await platform.post(operator, `/operatore/persone/${id}/competenze`, {
    sessionDate: today,
    sessionMode: 'remote',
    notes: '',
  });
  assert.equal(again.statusCode, 303);
  const { rows: jobs } = await platform.pool.query(
    "select 1 from pgboss.job where name = 'badge-issue' and data->>'sourceRef' = $1",
    [a.id],
  );
  assert.equal(jobs.length, 1);
});

test('hostile values never reach a 500', async () => {
  const nasty = [
    '\u0000',
    'x'.repeat(20_000),
    "' or 1=1 --",
    '%',
    '_',
    '<script>alert(1)</script>',
    '../../etc',
    '\u202e',
  ];
  const hostile = await newCitizen(platform, 'ostile');
  for (const v of nasty) {
    const responses = await Promise.all([
      platform.get(hostile, `/competenze/obiettivo?q=${encodeURIComponent(v)}`),
      platform.post(hostile, '/competenze/obiettivo', { occupation: v, q: v }),
      platform.post(hostile, '/competenze/obiettivo/rimuovi', { occupation: v }),
      platform.post(hostile, '/competenze/esperienze', { title: v, years: v }),
      platform.post(hostile, `/competenze/esperienze/${encodeURIComponent(v)}/rimuovi`, {}),
      platform.post(hostile, '/competenze/formazione', { eqf: v, educationTitle: v, informal: v }),
      platform.post(hostile, '/competenze/abilita', { [skillField(SK.knife)]: v, [v.slice(0, 50)]: v }),
      platform.get(hostile, `/competenze/prove/${encodeURIComponent(v)}`),
      platform.post(operator, `/operatore/persone/${hostile.userId}/competenze`, {
        sessionDate: v,
        sessionMode: v,
        notes: v,
      }),
      platform.get(operator, `/operatore/persone/${encodeURIComponent(v)}/competenze`),
    ]);
    for (const r of responses)
      assert.ok(r.statusCode < 500, `${r.statusCode} for ${JSON.stringify(v.slice(0, 20))}`);
  }
  const arrays = await platform.post(hostile, '/competenze/esperienze', {
    title: ['a', 'b'],
    years: ['1', '2'],
  });
  assert.ok(arrays.statusCode < 500);
  const empty = await upload(
    hostile,
    { skill: `${E}/skill/not-mine` },
    { name: 'x.pdf', type: 'application/pdf', data: PDF },
  );
  assert.equal(empty.statusCode, 400);
  assert.equal(await evidenceCount(hostile.userId!), 0);
});

test('with a virus scanner configured, an infected file is refused and not stored', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'skills-scan-'));
  const scanner = path.join(dir, 'scan.sh');
  // A stand-in for `clamdscan -`: exit 1 when the file carries the test signature, 0 otherwise.
  writeFileSync(scanner, '#!/bin/sh\nif grep -q EICAR-STANDIN; then exit 1; fi\nexit 0\n');
  chmodSync(scanner, 0o755);
  const before = process.env.VIRUS_SCAN_COMMAND;
  process.env.VIRUS_SCAN_COMMAND = scanner;
  try {
    const person = await newCitizen(platform, 'scansione');
    const infected = Buffer.from('%PDF-1.4\nEICAR-STANDIN\n%%EOF\n', 'latin1');
    const refused = await upload(
      person,
      { skill: '' },
      { name: 'virus.pdf', type: 'application/pdf', data: infected },
    );
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /antivirus/);
    assert.equal(await evidenceCount(person.userId!), 0);
    const clean = await upload(
      person,
      { skill: '' },
      { name: 'pulito.pdf', type: 'application/pdf', data: PDF },
    );
    assert.equal(clean.statusCode, 303);
    const row = await platform.db
      .selectFrom('skill_evidence')
      .select(['scan_status', 'skill_uri'])
      .where('created_by', '=', person.userId!)
      .executeTakeFirstOrThrow();
    assert.equal(row.scan_status, 'clean');
    assert.equal(row.skill_uri, null);
  } finally {
    if (before === undefined) delete process.env.VIRUS_SCAN_COMMAND;
    else process.env.VIRUS_SCAN_COMMAND = before;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the occupation search tolerates typos and ignores wildcards', async () => {
  const person = await newCitizen(platform, 'ricerca');
  const typo = await platform.get(person, '/competenze/obiettivo?q=cameirere');
  assert.equal(typo.statusCode, 200);
  assert.match(typo.body, /Cameriere zeta/);
  const wildcard = await platform.get(person, '/competenze/obiettivo?q=%25%25');
  assert.equal(wildcard.statusCode, 200);
  assert.doesNotMatch(wildcard.body, /Cameriere zeta/);
});

test('a file over the upload limit is refused next to its field, nothing stored', async () => {
  const person = await newCitizen(platform, 'grande');
  const big = Buffer.concat([
    PDF,
    Buffer.alloc(platform.config.uploadMaxBytes + 10, 0x20),
    Buffer.from('%%EOF\n'),
  ]);
  const res = await upload(person, { skill: '' }, { name: 'enorme.pdf', type: 'application/pdf', data: big });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /troppo grande/);
  assert.match(res.body, /id="file-error"/);
  assert.equal(await evidenceCount(person.userId!), 0);
});

test('with a three-party pact the APL operator of its agency may review; with a two-party pact not', async () => {
  const apl = await platform.signInAs('apl_operator');
  const aplUser = await platform.db
    .selectFrom('users')
    .select(['agency_id'])
    .where('id', '=', apl.userId!)
    .executeTakeFirstOrThrow();
  const cpi = await platform.db
    .selectFrom('users')
    .select(['office_id'])
    .where('id', '=', operator.userId!)
    .executeTakeFirstOrThrow();
  const withPact = async (name: string, agencyId: string | null) => {
    const person = await newCitizen(platform, name);
    await platform.db
      .insertInto('pacts')
      .values({
        region_code: '10',
        citizen_id: person.userId!,
        office_id: cpi.office_id!,
        agency_id: agencyId,
        coach_id: operator.userId!,
        created_by: operator.userId!,
      })
      .execute();
    return person.userId!;
  };
  const threeParty = await withPact('tripartito', aplUser.agency_id);
  const twoParty = await withPact('bipartito', null);
  assert.equal((await platform.get(apl, `/operatore/persone/${threeParty}/competenze`)).statusCode, 200);
  assert.equal((await platform.get(apl, `/operatore/persone/${twoParty}/competenze`)).statusCode, 404);
  assert.equal((await platform.get(operator, `/operatore/persone/${twoParty}/competenze`)).statusCode, 200);
});
