import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import type { CvDocument } from '../domain/cv.ts';
import { EUROPASS_NS, toEuropassXml } from '../domain/europass.ts';
import { createOrRefresh, getCv, importCv, saveCv } from '../use-cases/cv.ts';
import type { CvSources } from '../use-cases/sources.ts';

let platform: TestPlatform;
let person: Visitor;
let personId: string;
const region = '10';
const OCCUPATION = 'http://data.europa.eu/esco/occupation/cv-test-warehouse';

function multipart(visitor: Visitor, file: { name: string; type: string; data: Buffer } | null) {
  const boundary = '----cv-test-boundary';
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitor.csrf}\r\n`),
  ];
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  };
}

const upload = (visitor: Visitor, data: Buffer | string, name = 'cv.xml') =>
  platform.app.inject({
    method: 'POST',
    url: '/cv/importa',
    ...multipart(visitor, { name, type: 'application/xml', data: Buffer.from(data) }),
  });

async function newCitizen(given: string): Promise<string> {
  const row = await platform.db
    .insertInto('users')
    .values({
      region_code: region,
      role: 'citizen',
      given_name: given,
      family_name: 'Bianchi',
      email: `${given.toLowerCase()}@example.org`,
      birth_date: '1988-04-12',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function cvRow(userId: string) {
  return platform.db
    .selectFrom('cvs')
    .selectAll()
    .where('region_code', '=', region)
    .where('citizen_id', '=', userId)
    .executeTakeFirst();
}

before(async () => {
  platform = await startTestPlatform();
  await platform.db
    .insertInto('esco_occupations')
    .values({
      uri: OCCUPATION,
      isco_code: '9333',
      label_it: 'Magazziniere CV test',
      label_en: 'Warehouse CV test',
    })
    .onConflict((oc) => oc.column('uri').doNothing())
    .execute();
  personId = await newCitizen('Lucia');
  await platform.db
    .insertInto('citizen_profiles')
    .values({
      region_code: region,
      user_id: personId,
      mobile: '333 765 4321',
      education_eqf: 4,
      education_title: 'Diploma di perito commerciale',
      work_history: JSON.stringify([
        { from: '2015-02', to: '2020-11', occupation: 'Magazziniere CV test', iscoGroup: '9', sector: 'H' },
        { from: '2021-01', to: null, occupation: 'Commessa', iscoGroup: '5', sector: 'G' },
      ]),
      languages: JSON.stringify([
        { code: 'it', level: 'native' },
        { code: 'en', level: 'B1' },
      ]),
      driving_licences: ['B', 'CQC'],
    })
    .execute();
  await platform.db
    .insertInto('digital_check_attempts')
    .values({
      region_code: region,
      user_id: personId,
      state: '{}',
      finished_at: new Date(),
      overall_level: 2,
      area_levels: JSON.stringify({
        information: 2,
        communication: 3,
        content: 1,
        safety: 2,
        problem_solving: 1,
      }),
    })
    .execute();
  person = await platform.signInAsUser(personId, region);
});
after(async () => platform.stop());

test('the CV is made from the profile and the digital check, nothing retyped', async () => {
  const empty = await platform.get(person, '/cv');
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /Crea il CV dai tuoi dati/);
  assert.equal((await platform.get(person, '/cv/cv.pdf')).statusCode, 303);

  const created = await platform.post(person, '/cv/crea', {});
  assert.equal(created.statusCode, 303);
  assert.equal(created.headers.location, '/cv?ok=created');
  const page = await platform.get(person, '/cv?ok=created');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Il tuo curriculum è pronto/);
  assert.match(page.body, /Diploma di perito commerciale/);

  const stored = await cvRow(personId);
  assert.ok(stored);
  const cv = stored.document as CvDocument;
  assert.equal(cv.personal.givenName, 'Lucia');
  assert.equal(cv.personal.email, 'lucia@example.org');
  assert.equal(cv.personal.phone, '+393337654321');
  assert.equal(cv.personal.birthDate, '1988-04-12');
  assert.deepEqual(
    cv.work.map((w) => [w.title, w.from, w.to, w.occupationUri]),
    [
      ['Commessa', '2021-01', null, null],
      ['Magazziniere CV test', '2015-02', '2020-11', OCCUPATION],
    ],
  );
  assert.deepEqual(cv.education, [
    { title: 'Diploma di perito commerciale', organisation: '', eqf: 4, from: null, to: null },
  ]);
  assert.deepEqual(cv.languages.mother, ['it']);
  assert.equal(cv.languages.others[0]?.spokenInteraction, 'B1');
  assert.deepEqual(cv.drivingLicences, ['B']);
  assert.deepEqual(
    cv.digital.areas.find((a) => a.area === 'communication'),
    { area: 'communication', level: 3 },
  );

  // Saving advanced the "update the CV" activity in the same transaction.
  const activity = await platform.db
    .selectFrom('citizen_activity')
    .select(['kind', 'ref'])
    .where('region_code', '=', region)
    .where('citizen_id', '=', personId)
    .execute();
  assert.deepEqual(activity, [{ kind: 'cv_updated', ref: stored.id }]);
});

test('a section edited with a bad date is refused, explained, and the typed values kept', async () => {
  const before = await cvRow(personId);
  const bad = await platform.post(person, '/cv/sezione/esperienze', {
    action: 'add',
    title: 'Cuoca <capo>',
    employer: 'Trattoria da Gino',
    from: '13/2022',
    to: '',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Scrivi mese e anno, per esempio 03\/2021/);
  assert.match(bad.body, /value="13\/2022"/);
  assert.match(bad.body, /value="Cuoca &lt;capo>"/);
  assert.equal((await cvRow(personId))?.version, before?.version);

  const order = await platform.post(person, '/cv/sezione/esperienze', {
    action: 'add',
    title: 'Cuoca',
    from: '05/2022',
    to: '01/2022',
  });
  assert.equal(order.statusCode, 400);
  assert.match(
    order.body,
    /La fine non può venire prima dell&#39;inizio|La fine non può venire prima dell'inizio/,
  );

  const ok = await platform.post(person, '/cv/sezione/esperienze', {
    action: 'add',
    title: 'Cuoca',
    employer: 'Trattoria da Gino',
    place: 'Assisi',
    from: '05/2022',
    to: '12/2022',
    description: 'Primi piatti.\r\nOrdini ai fornitori.',
  });
  assert.equal(ok.statusCode, 303);
  const cv = (await cvRow(personId))?.document as CvDocument;
  assert.equal(cv.work.length, 3);
  assert.deepEqual(cv.work[0], {
    title: 'Cuoca',
    employer: 'Trattoria da Gino',
    place: 'Assisi',
    from: '2022-05',
    to: '2022-12',
    description: 'Primi piatti.\nOrdini ai fornitori.',
    occupationUri: null,
  });

  const lang = await platform.post(person, '/cv/sezione/lingue', {
    action: 'add-other',
    code: 'fr',
    listening: 'B2',
    reading: 'B2',
    spokenProduction: 'A2',
    spokenInteraction: 'A2',
    writing: 'Z9',
  });
  assert.equal(lang.statusCode, 400);
  assert.match(lang.body, /id="writing"/);
  const lang2 = await platform.post(person, '/cv/sezione/lingue', {
    action: 'add-other',
    code: 'fr',
    listening: 'B2',
    reading: 'B2',
    spokenProduction: 'A2',
    spokenInteraction: 'A2',
    writing: 'A1',
  });
  assert.equal(lang2.statusCode, 303);
  const personal = await platform.post(person, '/cv/sezione/personali', {
    action: 'save',
    givenName: 'Lucia',
    familyName: 'Bianchi',
    email: 'lucia@example.org',
    phone: '333 765 4321',
    city: 'Foligno',
    birthDate: '31/02/1988',
  });
  assert.equal(personal.statusCode, 400);
  assert.match(personal.body, /Scrivi una data vera/);
  for (const slug of [
    'personali',
    'presentazione',
    'esperienze',
    'istruzione',
    'lingue',
    'digitali',
    'competenze',
    'badge',
    'patenti',
  ]) {
    const page = await platform.get(person, `/cv/sezione/${slug}`);
    assert.equal(page.statusCode, 200, slug);
  }
  assert.equal((await platform.get(person, '/cv/sezione/altro')).statusCode, 404);
});

test('the CV downloads as a tagged PDF, as Europass XML and as JSON, and the XML imports back to the same content', async () => {
  const pdf = await platform.get(person, '/cv/cv.pdf');
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  const bytes = pdf.rawPayload.toString('latin1');
  assert.ok(bytes.startsWith('%PDF'));
  assert.ok(bytes.includes('/StructTreeRoot'));
  assert.ok(bytes.includes('/Lang'));

  const xml = await platform.get(person, '/cv/europass.xml');
  assert.equal(xml.statusCode, 200);
  assert.match(String(xml.headers['content-type']), /application\/xml/);
  assert.ok(xml.body.includes(`xmlns="${EUROPASS_NS}"`));
  assert.ok(
    xml.body.includes(
      '<hr:CompetencyDimensionTypeCode>CEF-Writing-Production</hr:CompetencyDimensionTypeCode>',
    ),
  );

  const json = await platform.get(person, '/cv/cv.json');
  assert.equal(json.statusCode, 200);
  const before = (await cvRow(personId))?.document as CvDocument;
  assert.deepEqual(JSON.parse(json.body).cv, before);

  // Change something, then import the downloaded file: the CV is back as it was.
  await platform.post(person, '/cv/sezione/presentazione', {
    action: 'save',
    about: 'Testo da sovrascrivere',
  });
  const imported = await upload(person, xml.rawPayload);
  assert.equal(imported.statusCode, 303, imported.body);
  assert.equal(imported.headers.location, '/cv?ok=imported');
  const row = await cvRow(personId);
  assert.deepEqual(row?.document, before);
  assert.equal(row?.source, 'import');
  const audit = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('region_code', '=', region)
    .where('action', '=', 'cv.imported')
    .execute();
  assert.equal(audit.length, 1);
});

test('hostile or broken uploads are refused clearly, never a 500, and nothing is written', async () => {
  const before = await cvRow(personId);
  const laughs = Array.from({ length: 10 }, (_, i) =>
    i === 0 ? '<!ENTITY a0 "ha">' : `<!ENTITY a${i} "${`&a${i - 1};`.repeat(10)}">`,
  ).join('');
  const cases: [string, Buffer | string, RegExp][] = [
    [
      'XXE',
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Candidate xmlns="${EUROPASS_NS}">&e;</Candidate>`,
      /DOCTYPE o ENTITY/,
    ],
    [
      'bomb',
      `<?xml version="1.0"?><!DOCTYPE l [${laughs}]><Candidate xmlns="${EUROPASS_NS}">&a9;</Candidate>`,
      /DOCTYPE o ENTITY/,
    ],
    ['malformed', `<Candidate xmlns="${EUROPASS_NS}"><CandidatePerson></Candidate>`, /rovinato o incompleto/],
    [
      'namespace',
      '<Candidate xmlns="http://example.org/other"><CandidatePerson/></Candidate>',
      /spazio dei nomi/,
    ],
    ['not xml', Buffer.from('%PDF-1.7 not a cv'), /non è un file XML/],
    ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x3c]), /UTF-8/],
    [
      'bad content',
      toEuropassXml(
        { ...(before?.document as CvDocument), drivingLicences: [] },
        { documentId: 'x', lang: 'it', supplier: 's' },
      ).replace(
        '<hr:FormattedDateTime>2022-05</hr:FormattedDateTime>',
        '<hr:FormattedDateTime>maggio</hr:FormattedDateTime>',
      ),
      /Esperienza lavorativa, voce \d, Dal: Scrivi mese e anno/,
    ],
    ['too large', Buffer.alloc(2 * 1024 * 1024 + 10, 0x20), /troppo grande/],
  ];
  for (const [name, data, message] of cases) {
    const r = await upload(person, data);
    assert.equal(r.statusCode, 400, name);
    assert.match(r.body, message, name);
    assert.match(r.body, /role="alert"/, name);
  }
  const none = await platform.app.inject({ method: 'POST', url: '/cv/importa', ...multipart(person, null) });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Scegli il file XML/);
  const after = await cvRow(personId);
  assert.equal(after?.version, before?.version);
  assert.deepEqual(after?.document, before?.document);
});

test('only the person reaches their CV: anonymous visitors sign in, operators are refused', async () => {
  const anon = await platform.get(platform.anonymous(), '/cv/europass.xml');
  assert.equal(anon.statusCode, 303);
  assert.match(String(anon.headers.location), /^\/accedi/);
  const operator = await platform.signInAs('cpi_operator');
  assert.equal((await platform.get(operator, '/cv')).statusCode, 403);
  const other = await platform.signInAsUser(await newCitizen('Marta'), region);
  assert.equal((await platform.get(other, '/cv/cv.json')).statusCode, 303);
});

test('an import never makes a skill validated or a badge the person does not hold', async () => {
  const id = await newCitizen('Nadia');
  const user: SessionUser = {
    id,
    regionCode: region,
    role: 'citizen',
    officeId: null,
    agencyId: null,
    companyId: null,
    givenName: 'Nadia',
    familyName: 'Bianchi',
    email: null,
    fiscalCode: null,
    isMinor: false,
    preferredLanguage: 'it',
  };
  const sources: CvSources = {
    assessedSkills: async () => [
      {
        uri: 'http://data.europa.eu/esco/skill/s-1',
        labelIt: 'gestire le scorte',
        labelEn: 'manage stock',
        level: 3,
        validated: true,
      },
      {
        uri: 'http://data.europa.eu/esco/skill/s-2',
        labelIt: 'usare il muletto',
        labelEn: 'use a forklift',
        level: 2,
        validated: false,
      },
    ],
    badgesOf: async () => [
      {
        id: 'b-1',
        name: 'Sicurezza',
        issuedAt: new Date('2025-03-01T10:00:00Z'),
        verifyUrl: 'https://x.example/b/b-1',
        revoked: false,
      },
      {
        id: 'b-2',
        name: 'Revocato',
        issuedAt: new Date('2025-03-01T10:00:00Z'),
        verifyUrl: 'https://x.example/b/b-2',
        revoked: true,
      },
    ],
  };
  const deps = { db: platform.db, audit: platform.audit, sources, publicUrl: platform.config.publicUrl };
  await createOrRefresh(deps, user, 'it', translator('it'));
  const made = await getCv(platform.db, user);
  assert.deepEqual(
    made?.cv.skills.map((s) => [s.label, s.level, s.validated]),
    [
      ['gestire le scorte', '3', true],
      ['usare il muletto', '2', false],
    ],
  );
  assert.deepEqual(
    made?.cv.badges.map((b) => [b.id, b.issuedAt]),
    [['b-1', '2025-03-01']],
  );

  const forged: CvDocument = {
    ...(made?.cv as CvDocument),
    skills: (made?.cv.skills ?? []).map((s) => ({ ...s, validated: true })),
    badges: [
      ...(made?.cv.badges ?? []),
      { id: 'b-forged', name: 'Finto', issuedAt: '2025-01-01', verifyUrl: 'https://evil.example/b' },
    ],
    digital: { areas: [{ area: 'safety', level: 3 }], items: [] },
  };
  const r = await importCv(deps, user, forged, 'it');
  assert.equal(r.ok, true);
  const after = await getCv(platform.db, user);
  assert.deepEqual(
    after?.cv.skills.map((s) => s.validated),
    [true, false],
  );
  assert.deepEqual(
    after?.cv.badges.map((b) => b.id),
    ['b-1'],
  );
  assert.deepEqual(after?.cv.digital.areas, []);
  const refused = await saveCv(deps, user, {
    ...forged,
    languages: {
      mother: ['it'],
      others: [
        {
          code: 'it',
          listening: 'A1',
          reading: 'A1',
          spokenProduction: 'A1',
          spokenInteraction: 'A1',
          writing: 'A1',
        },
      ],
    },
  });
  assert.equal(refused.ok, false);
});

test('a badge the person holds shows on the CV with its verification link; a revoked one does not', async () => {
  const id = await newCitizen('Sara');
  const kid = `cv-test-key-${Date.now()}-0123456789`;
  await platform.db
    .insertInto('badge_keys')
    .values({
      region_code: region,
      kid,
      issuer_id: `${platform.config.publicUrl}/badge/emittente`,
      public_jwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'test' }),
      private_key_enc: 'test',
      retired_at: new Date(),
    } as never)
    .execute();
  const badge = (code: string, name: string, revoked: boolean, index: number) => ({
    region_code: region,
    citizen_id: id,
    kind: 'course_completed',
    source_ref: `cv-test-${code}`,
    code,
    status_index: 100_000 + index,
    name,
    description: '',
    credential: '{}',
    jwt: 'x.y.z',
    verify_url: `${platform.config.publicUrl}/badge/${code}`,
    kid,
    issued_at: new Date('2026-03-02T09:00:00Z'),
    revoked_at: revoked ? new Date() : null,
    revocation_reason: revoked ? 'errore' : null,
  });
  await platform.db
    .insertInto('badges')
    .values([
      badge('BCV1-AAAA-BBBB', 'Addetto antincendio', false, 1),
      badge('BCV2-AAAA-BBBB', 'Revocato', true, 2),
    ] as never)
    .execute();
  const sara = await platform.signInAsUser(id, region);
  assert.equal((await platform.post(sara, '/cv/crea', {})).statusCode, 303);
  const page = await platform.get(sara, '/cv');
  assert.match(page.body, /Addetto antincendio/);
  assert.ok(page.body.includes(`href="${platform.config.publicUrl}/badge/BCV1-AAAA-BBBB"`));
  assert.doesNotMatch(page.body, /Revocato/);
  const xml = await platform.get(sara, '/cv/europass.xml');
  assert.match(xml.body, /<hr:CertificationName>Addetto antincendio<\/hr:CertificationName>/);
});

test('two additions sent at once are both kept (no lost update)', async () => {
  const before = (await cvRow(personId))?.document as CvDocument;
  const adds = ['Videoscrittura', 'Navigazione web', 'Videochiamate'].map((item) =>
    platform.post(person, '/cv/sezione/digitali', { action: 'add', item }),
  );
  for (const r of await Promise.all(adds)) assert.equal(r.statusCode, 303);
  const after = (await cvRow(personId))?.document as CvDocument;
  assert.deepEqual(
    [...after.digital.items].sort(),
    [...before.digital.items, 'Videoscrittura', 'Navigazione web', 'Videochiamate'].sort(),
  );
});
