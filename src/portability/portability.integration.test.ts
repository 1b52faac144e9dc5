/**
 * Dossier portability between two running instances of the platform (issue 8 item 6): instance A
 * (its own database and port) serves Region 10, instance B (another database and port) serves
 * Region 20 and trusts Region 10's published key set, fetched over HTTP. A person of Region 10
 * downloads their signed dossier from A; an operator of Region 20 uploads it to B; importing it
 * again changes nothing; a broken signature, an unknown Region, an unreachable Region, an older
 * copy, a field too long and a file that is not a JWS are refused with nothing written.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createRegionObjects } from '../app/testing/other-region.ts';
import { form, startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { computeCodiceFiscale } from '../identity/domain/codice-fiscale.ts';
import { ROLES, type Role } from '../platform/auth/roles.ts';
import { allows } from '../platform/http/routes.ts';
import { publishedKeys } from './adapters/keys.ts';
import type { Dossier } from './domain/dossier.ts';
import { createPortabilityObjects } from './testing/objects.ts';
import { exportDossier, type PortabilityDeps, signDossier } from './use-cases/export.ts';

let a: TestPlatform;
let b: TestPlatform;
let citizenA: Visitor;
let citizenIdA: string;
let operatorB: Visitor;
let depsA: PortabilityDeps;
const FISCAL_CODE = computeCodiceFiscale({
  givenName: 'Marta',
  familyName: 'Ferri',
  birthDate: '1990-05-12',
  sex: 'F',
  birthPlaceCode: 'G478',
});

before(async () => {
  a = await startTestPlatform();
  const saved = process.env.PORTABILITY_TRUSTED_ISSUERS;
  // Region 10 is instance A; Region 30 is trusted but its key set cannot be reached.
  process.env.PORTABILITY_TRUSTED_ISSUERS = `10=${a.config.publicUrl}/.well-known/sportello/jwks.json,30=http://127.0.0.1:9/.well-known/sportello/jwks.json`;
  process.env.PORTABILITY_JWKS_TIMEOUT_MS = '2000';
  try {
    b = await startTestPlatform();
  } finally {
    if (saved === undefined) delete process.env.PORTABILITY_TRUSTED_ISSUERS;
    else process.env.PORTABILITY_TRUSTED_ISSUERS = saved;
    delete process.env.PORTABILITY_JWKS_TIMEOUT_MS;
  }

  // A: a person of Region 10 with a DID, a pact, a plan, a course, skills, a badge.
  const objects = await createRegionObjects(a, '10', '71');
  citizenIdA = objects.users.citizen.id;
  await a.db
    .updateTable('users')
    .set({ fiscal_code: FISCAL_CODE, given_name: 'Marta', family_name: 'Ferri', birth_date: '1990-05-12' })
    .where('id', '=', citizenIdA)
    .execute();
  await a.db
    .updateTable('citizen_profiles')
    .set({
      languages: JSON.stringify([{ code: 'en', level: 'B2' }]),
      education_eqf: 6,
      education_title: 'Laurea',
    })
    .where('user_id', '=', citizenIdA)
    .execute();
  await a.db
    .insertInto('tier_assignments')
    .values({ region_code: '10', user_id: citizenIdA, tier: 2, risk: 0.4, source: 'model' })
    .execute();
  await a.pool.query(
    `insert into skill_assessment_skills (region_code, assessment_id, skill_uri, self_level, validated_level)
     select '10', sa.id, s.uri, 3, 2 from skill_assessments sa, (select uri from esco_skills order by uri limit 2) s
      where sa.region_code = '10' and sa.citizen_id = $1`,
    [citizenIdA],
  );
  await a.pool.query(
    "insert into regions (region_code, name, is_national) values ('30', 'Regione irraggiungibile', false), ('40', 'Regione sconosciuta', false) on conflict do nothing",
  );
  citizenA = await a.signInAsUser(citizenIdA, '10');
  // The shared Region fixture already made one export for the person (for the isolation test).
  const made = await a.pool.query<{ n: number | null }>(
    "select max(sequence)::int as n from portability_exports where region_code = '10' and user_id = $1",
    [citizenIdA],
  );
  earlierExports = made.rows[0]?.n ?? 0;
  depsA = {
    db: a.db,
    audit: a.audit,
    config: a.config,
    portability: { signingKey: null, trustedIssuers: new Map(), jwksTimeoutMs: 2000 },
  };

  // B: Region 20 with its own office and CPI operator.
  await b.pool.query(
    "insert into regions (region_code, name, is_national) values ('20', 'Regione B', false)",
  );
  await b.pool.query(
    "insert into municipalities (istat_code, region_code, name, province, belfiore, latitude, longitude) values ('200001', '20', 'Comune B', 'CA', 'B354', 39.2, 9.1)",
  );
  const office = await b.pool.query<{ id: string }>(
    "insert into offices (region_code, name, address, municipality_code, hours, email, phone) values ('20', 'CPI B', 'Via Roma 1', '200001', 'lun-ven', 'cpi@b.example', '+39 070 1') returning id",
  );
  const op = await b.pool.query<{ id: string }>(
    "insert into users (region_code, role, email, given_name, family_name, office_id) values ('20', 'cpi_operator', 'op@b.example', 'Operatrice', 'Bi', $1) returning id",
    [office.rows[0]?.id],
  );
  operatorB = await b.signInAsUser(op.rows[0]!.id, '20');
});

after(async () => {
  await b?.stop();
  await a?.stop();
});

/** Upload a file to B's import page as the operator (multipart built by hand). */
function upload(content: string | Buffer, filename = 'fascicolo.jws') {
  const boundary = `----portability${randomUUID()}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${operatorB.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return b.app.inject({
    method: 'POST',
    url: '/operatore/portabilita/importa',
    headers: { cookie: operatorB.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

/** Everything an import may write in B, as text. */
async function snapshotB(): Promise<string> {
  const q = async (sql: string) => JSON.stringify((await b.pool.query(sql)).rows);
  return [
    await q(
      "select id, region_code, given_name, family_name, birth_date from users where role = 'citizen' order by id",
    ),
    await q('select user_id, education_eqf, languages, updated_at from citizen_profiles order by user_id'),
    await q('select id, document_id, sequence from portability_imports order by id'),
    await q("select idempotency_key from national_outbox where kind = 'dossier.imported' order by id"),
  ].join('\n');
}

async function exportFromA(): Promise<{ id: string; jws: string }> {
  const res = await a.post(citizenA, '/i-miei-dati/portabilita', {});
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const id = /ok=([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '';
  const file = await a.get(citizenA, `/i-miei-dati/portabilita/${id}/fascicolo.jws`);
  assert.equal(file.statusCode, 200);
  return { id, jws: file.body };
}

const payloadOf = (jws: string) =>
  JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Dossier;

let first: { id: string; jws: string };
let earlierExports = 0;

test('the person downloads their signed dossier and its readable PDF from instance A', async () => {
  const page = await a.get(citizenA, '/i-miei-dati/portabilita');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Prepara il mio fascicolo/);
  first = await exportFromA();
  const d = payloadOf(first.jws);
  assert.equal(d.version, 1);
  assert.equal(d.sequence, earlierExports + 1);
  assert.equal(d.issuer.regionCode, '10');
  assert.equal(d.person.fiscalCode, FISCAL_CODE);
  assert.equal(d.profile.support?.level, 'medium');
  assert.equal(d.profile.education.eqf, 6);
  assert.deepEqual(d.profile.languages, [{ code: 'en', level: 'B2' }]);
  assert.ok(d.did.length >= 1, 'the DID is in the dossier');
  assert.ok(
    d.pacts.length >= 1 && d.planActions.length >= 1 && d.courses.length >= 1 && d.badges.length >= 1,
  );
  assert.ok(d.skills.length >= 1 && d.skills.every((s) => s.uri.startsWith('http://data.europa.eu/esco/')));

  const pdf = await a.get(citizenA, `/i-miei-dati/portabilita/${first.id}/fascicolo.pdf`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.ok(pdf.rawPayload.subarray(0, 5).toString() === '%PDF-');
  const verify = await a.get(a.anonymous(), `/verifica/${d.readableCopy.verificationCode}`);
  assert.equal(verify.statusCode, 200);
  assert.doesNotMatch(verify.body, /Ferri/, 'the public verification page does not name the person');

  // Somebody else's dossier is "not found".
  const other = await a.signInAs('citizen');
  assert.equal((await a.get(other, `/i-miei-dati/portabilita/${first.id}/fascicolo.jws`)).statusCode, 404);

  // The key set and the schema are published.
  const jwks = (await (await fetch(`${a.config.publicUrl}/.well-known/sportello/jwks.json`)).json()) as {
    keys: { kid: string; alg: string; d?: string }[];
  };
  assert.ok(jwks.keys.some((k) => k.kid.startsWith('10.') && k.alg === 'ES256'));
  assert.ok(
    jwks.keys.every((k) => k.d === undefined),
    'no private key is published',
  );
  const schema = await fetch(`${a.config.publicUrl}/schemi/fascicolo-v1.json`);
  assert.equal(schema.status, 200);
  assert.match(String((await schema.json()).$schema), /2020-12/);

  const audit = await a.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'portability.exported')
    .where('subject_id', '=', citizenIdA)
    .execute();
  assert.equal(audit.length, earlierExports + 1);
});

test('instance B imports the dossier once; the second import changes nothing and says so', async () => {
  const page = await b.get(operatorB, '/operatore/portabilita/importa');
  assert.equal(page.statusCode, 200);

  const res = await upload(first.jws);
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  assert.match(String(res.headers.location), /\?ok=[0-9a-f-]{36}$/);
  const person = await b.db
    .selectFrom('users')
    .select(['id', 'region_code', 'given_name', 'family_name'])
    .where('fiscal_code', '=', FISCAL_CODE)
    .executeTakeFirstOrThrow();
  assert.equal(person.region_code, '20');
  assert.equal(person.family_name, 'Ferri');
  const profile = await b.db
    .selectFrom('citizen_profiles')
    .select(['education_eqf', 'languages'])
    .where('region_code', '=', '20')
    .where('user_id', '=', person.id)
    .executeTakeFirstOrThrow();
  assert.equal(profile.education_eqf, 6);
  assert.deepEqual(profile.languages, [{ code: 'en', level: 'B2' }]);
  const done = await b.get(operatorB, String(res.headers.location));
  assert.equal(done.statusCode, 200);
  assert.match(done.body, /caricato/);
  const importId = /ok=([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  const detail = await b.get(operatorB, `/operatore/portabilita/importazioni/${importId}`);
  assert.equal(detail.statusCode, 200);
  assert.match(detail.body, /Ferri/);
  assert.match(detail.body, /fascia 2/);

  const before = await snapshotB();
  const again = await upload(first.jws);
  assert.equal(again.statusCode, 303);
  assert.match(String(again.headers.location), /esito=invariato/);
  const said = await b.get(operatorB, String(again.headers.location));
  assert.match(said.body, /non è cambiato niente/);
  assert.equal(await snapshotB(), before, 'the second import changed nothing');

  // The person sees, in B, that their dossier arrived from Region 10.
  const citizenB = await b.signInAsUser(person.id, '20');
  const mine = await b.get(citizenB, '/i-miei-dati/portabilita');
  assert.equal(mine.statusCode, 200);
  assert.match(mine.body, /Dalla Regione 10/);

  // An operator of another Region of B does not see the import.
  const demoOperator = await b.signInAs('cpi_operator');
  assert.equal(
    (await b.get(demoOperator, `/operatore/portabilita/importazioni/${importId}`)).statusCode,
    404,
  );
});

test('bad dossiers are refused clearly and nothing is imported', async () => {
  const before = await snapshotB();
  const refused = async (content: string | Buffer, pattern: RegExp, filename?: string) => {
    const res = await upload(content, filename);
    assert.equal(res.statusCode, 400, res.body.slice(0, 300));
    assert.match(res.body, pattern);
    assert.equal(await snapshotB(), before);
  };
  const [header, payload, signature] = first.jws.split('.') as [string, string, string];

  // A broken signature: the payload changed after signing.
  const changed = {
    ...payloadOf(first.jws),
    person: { ...payloadOf(first.jws).person, familyName: 'Rossi' },
  };
  const tampered = `${header}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
  await refused(tampered, /firma del fascicolo non è valida/);
  await refused(`${header}.${payload}.${signature.slice(0, -4)}AAAA`, /firma del fascicolo non è valida/);

  // A Region not in the trusted list, and a trusted one whose keys cannot be reached.
  const fresh = (over: Partial<Dossier> = {}): Dossier => ({
    ...payloadOf(first.jws),
    documentId: randomUUID(),
    sequence: 50,
    ...over,
  });
  const from40 = await signDossier(depsA, '40', fresh({ issuer: { ...fresh().issuer, regionCode: '40' } }));
  await refused(from40!.jws, /Regione 40 non è tra quelle di cui ci fidiamo/);
  const from30 = await signDossier(depsA, '30', fresh({ issuer: { ...fresh().issuer, regionCode: '30' } }));
  await refused(from30!.jws, /Non riusciamo a raggiungere le chiavi pubbliche della Regione 30/);
  // Signed by Region 10 but claiming Region 40.
  const claims = await signDossier(depsA, '10', fresh({ issuer: { ...fresh().issuer, regionCode: '40' } }));
  await refused(
    claims!.jws,
    /Regione diversa da quella che l&#x27;ha firmato|Regione diversa da quella che l'ha firmato/,
  );

  // A field too long, validly signed.
  const long = fresh({ person: { ...fresh().person, givenName: 'M'.repeat(101) } });
  await refused((await signDossier(depsA, '10', long))!.jws, /person\.givenName è troppo lungo/);
  // An unknown field.
  const extra = { ...fresh(), secret: 'x' } as unknown as Dossier;
  await refused((await signDossier(depsA, '10', extra))!.jws, /non rispetta il formato/);

  // Not a JWS at all.
  await refused(Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n'), /non è un fascicolo firmato/, 'f.pdf');
  await refused('{"schema":"x"}', /non è un fascicolo firmato/);

  // An older copy: the person prepares two more, B gets the newest, then the older one.
  const second = await exportFromA();
  const third = await exportFromA();
  assert.equal(payloadOf(third.jws).sequence, earlierExports + 3);
  const newest = await upload(third.jws);
  assert.equal(newest.statusCode, 303);
  const afterNewest = await snapshotB();
  const older = await upload(second.jws);
  assert.equal(older.statusCode, 400);
  assert.match(older.body, /già un fascicolo più recente/);
  assert.equal(await snapshotB(), afterNewest);

  const refusals = await b.db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'portability.import_refused')
    .execute();
  assert.ok(refusals.length >= 9, `refusals audited: ${refusals.length}`);
});

test('an operator prepares the dossier on the person request, with the purpose recorded', async () => {
  const operator = await a.signInAs('cpi_operator');
  const base = `/operatore/persone/${citizenIdA}/portabilita`;
  const ask = await a.get(operator, base);
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /name="purpose"/);
  const page = await a.get(operator, `${base}?purpose=interview`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Ferri/);
  const res = await a.post(operator, base, { purpose: 'interview' });
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  const id = /ok=([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  const jws = await a.get(operator, `${base}/${id}/fascicolo.jws?purpose=interview`);
  assert.equal(jws.statusCode, 200);
  assert.equal(payloadOf(jws.body).requestedBy, 'operator');
  // Without a purpose, or for a person who does not exist, nothing is shown.
  assert.equal((await a.get(operator, `${base}/${id}/fascicolo.jws`)).statusCode, 404);
  assert.equal(
    (await a.get(operator, `/operatore/persone/${randomUUID()}/portabilita?purpose=interview`)).statusCode,
    404,
  );
  const audit = await a.db
    .selectFrom('audit_log')
    .select(['action', 'purpose'])
    .where('subject_id', '=', citizenIdA)
    .where('actor_id', '=', operator.userId)
    .where('action', 'in', ['portability.exported', 'read.dossier_export'])
    .execute();
  assert.ok(audit.some((e) => e.action === 'portability.exported' && e.purpose === 'interview'));
  assert.ok(audit.some((e) => e.action === 'read.dossier_export' && e.purpose === 'interview'));
  // A citizen cannot use the operator's pages.
  assert.equal((await a.get(citizenA, `${base}?purpose=interview`)).statusCode, 403);
});

test('a person without a fiscal code is told why no dossier can be prepared', async () => {
  const { rows } = await a.pool.query<{ id: string }>(
    "insert into users (region_code, role, email, given_name, family_name) values ('10', 'citizen', 'senza.cf@prova.example', 'Senza', 'Codice') returning id",
  );
  const visitor = await a.signInAsUser(rows[0]!.id, '10');
  const page = await a.get(visitor, '/i-miei-dati/portabilita');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /serve il codice fiscale/);
  const res = await a.post(visitor, '/i-miei-dati/portabilita', {});
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /serve il codice fiscale/);
  const count = await a.db
    .selectFrom('portability_exports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', rows[0]!.id)
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0);
});

test('the objects for the Region isolation test work, and another Region sees none of them', async () => {
  const citizen = {
    id: citizenIdA,
    regionCode: '10',
    role: 'citizen' as const,
    officeId: null,
    agencyId: null,
    companyId: null,
    givenName: 'Marta',
    familyName: 'Ferri',
    email: null,
    fiscalCode: FISCAL_CODE,
    isMinor: false,
    preferredLanguage: 'it',
  };
  const own = await a.signInAs('cpi_operator');
  const { exportId, importId } = await createPortabilityObjects(a, citizen, own.userId!);
  await a.pool.query(
    "insert into regions (region_code, name, is_national) values ('20', 'Regione B', false) on conflict do nothing",
  );
  await a.pool.query(
    "insert into municipalities (istat_code, region_code, name, province, belfiore, latitude, longitude) values ('200009', '20', 'Comune B', 'CA', 'B354', 39.2, 9.1) on conflict do nothing",
  );
  const office = await a.pool.query<{ id: string }>(
    "insert into offices (region_code, name, address, municipality_code, hours, email, phone) values ('20', 'CPI B', 'Via Roma 1', '200009', 'lun-ven', 'cpi@b.example', '+39 070 1') returning id",
  );
  const op = await a.pool.query<{ id: string }>(
    "insert into users (region_code, role, email, given_name, family_name, office_id) values ('20', 'cpi_operator', 'op20@a.example', 'Operatore', 'Venti', $1) returning id",
    [office.rows[0]?.id],
  );
  const stranger = await a.signInAsUser(op.rows[0]!.id, '20');
  const urls = [
    `/operatore/portabilita/importazioni/${importId}`,
    `/operatore/persone/${citizenIdA}/portabilita?purpose=interview`,
    `/operatore/persone/${citizenIdA}/portabilita/${exportId}/fascicolo.jws?purpose=interview`,
    `/operatore/persone/${citizenIdA}/portabilita/${exportId}/fascicolo.pdf?purpose=interview`,
  ];
  for (const url of urls) {
    assert.equal((await a.get(own, url)).statusCode, 200, url);
    assert.equal((await a.get(stranger, url)).statusCode, 404, url);
  }
  assert.equal((await a.get(citizenA, `/i-miei-dati/portabilita/${exportId}/fascicolo.jws`)).statusCode, 200);
  const post = await a.post(stranger, `/operatore/persone/${citizenIdA}/portabilita`, {
    purpose: 'interview',
  });
  assert.equal(post.statusCode, 404);
  // Nonsense ids and file names are "not found", never an error.
  for (const url of [
    '/operatore/portabilita/importazioni/nonsense',
    `/operatore/persone/${citizenIdA}/portabilita/${exportId}/fascicolo.exe?purpose=interview`,
    '/operatore/persone/nonsense/portabilita?purpose=interview',
  ])
    assert.equal((await a.get(own, url)).statusCode, 404, url);
  assert.equal((await a.get(citizenA, '/i-miei-dati/portabilita/nonsense/fascicolo.jws')).statusCode, 404);
  // A form post instead of a file upload is answered on the page.
  const form = await b.post(operatorB, '/operatore/portabilita/importa', { file: 'x' });
  assert.equal(form.statusCode, 400);
  assert.match(form.body, /Scegli il file \.jws/);
});

test('a configured key replaces the generated one, both stay published; production without a key issues nothing', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const configured: PortabilityDeps = { ...depsA, portability: { ...depsA.portability, signingKey: pem } };
  const before = await publishedKeys(a.db);
  const signed = await signDossier(configured, '10', payloadOf(first.jws));
  assert.ok(signed?.kid.startsWith('10.'));
  const again = await signDossier(configured, '10', payloadOf(first.jws));
  assert.equal(again?.kid, signed?.kid, 'the same configured key is published once');
  const after = await publishedKeys(a.db);
  assert.deepEqual(
    after.keys.map((k) => k.kid).sort(),
    [...before.keys.map((k) => k.kid), signed!.kid].sort(),
  );
  const active = await a.db
    .selectFrom('portability_keys')
    .select(['kid', 'private_key_enc'])
    .where('region_code', '=', '10')
    .where('retired_at', 'is', null)
    .execute();
  assert.deepEqual(active, [{ kid: signed!.kid, private_key_enc: 'configured' }]);

  const production: PortabilityDeps = { ...depsA, config: { ...a.config, demo: false } };
  const citizen = {
    id: citizenIdA,
    regionCode: '10',
    role: 'citizen' as const,
    officeId: null,
    agencyId: null,
    companyId: null,
    givenName: 'Marta',
    familyName: 'Ferri',
    email: null,
    fiscalCode: FISCAL_CODE,
    isMinor: false,
    preferredLanguage: 'it',
  };
  const count = async () =>
    Number(
      (
        await a.db
          .selectFrom('portability_exports')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const n = await count();
  assert.deepEqual(await exportDossier(production, citizen, citizenIdA, null, 'it'), {
    ok: false,
    reason: 'no_key',
  });
  assert.equal(await count(), n);
});

test('every portability route answers every role and anonymous visitors without an error', async () => {
  const OTHER_ID = '11111111-2222-4333-8444-555555555555';
  const mine = a.routes.routes.filter((r) =>
    /portabilit|well-known\/sportello|schemi\/fascicolo/.test(r.url),
  );
  assert.ok(mine.length >= 10, `${mine.length} routes`);
  for (const route of mine) {
    const visitors: [Role | null, Visitor][] = [[null, a.anonymous()]];
    for (const role of ROLES) visitors.push([role, await a.signInAs(role)]);
    for (const [role, visitor] of visitors) {
      const res = await a.app.inject({
        method: route.method,
        url: route.url.replace(/:(id|doc)\b/g, OTHER_ID).replace(/:file\b/, 'fascicolo.jws'),
        headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        ...(route.method === 'POST' ? { payload: form(visitor, {}) } : {}),
      });
      const label = `${route.method} ${route.url} as ${role ?? 'anonymous'}`;
      assert.ok(res.statusCode < 500, `${label}: ${res.statusCode}`);
      if (allows(route.access, role)) assert.notEqual(res.statusCode, 403, label);
      else if (role === null) assert.equal(res.statusCode, route.method === 'GET' ? 303 : 401, label);
      else assert.equal(res.statusCode, 403, label);
    }
  }
});
