import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createRegionObjects } from '../app/testing/other-region.ts';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { type CvDocument, emptyCv } from '../cv/domain/cv.ts';
import { translator } from '../platform/i18n/i18n.ts';
import { c2Content, sapContent } from './domain/documents.ts';
import { loadPersonData } from './use-cases/certificates.ts';

/**
 * Certificates by self-service: the SAP and the C2 storico generated from the records, stored with
 * their SHA-256, downloadable by the person and by a CPI operator of their Region (audited), and
 * verifiable at /verifica/<code> with the holder's initials only.
 */
let platform: TestPlatform;
const region = '10';
let fullId: string;
let minimalId: string;
let full: Visitor;
let minimal: Visitor;
let operator: Visitor;
let operatorId: string;
const CODE_IN_URL = /\/certificati\/scarica\/([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})$/;

async function newCitizen(
  given: string,
  family: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const row = await platform.db
    .insertInto('users')
    .values({ region_code: region, role: 'citizen', given_name: given, family_name: family, ...extra })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function issue(visitor: Visitor, kind: string, lang: string): Promise<string> {
  const res = await platform.post(visitor, '/certificati', { kind, lang });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  const m = CODE_IN_URL.exec(String(res.headers.location));
  assert.ok(m?.[1], `redirect to the download: ${res.headers.location}`);
  return m[1];
}

async function stored(code: string) {
  return platform.db
    .selectFrom('issued_documents')
    .selectAll()
    .where('verification_code', '=', code)
    .executeTakeFirstOrThrow();
}

const auditRows = (subjectId: string, action: string) =>
  platform.db
    .selectFrom('audit_log')
    .select(['action', 'actor_id', 'actor_role', 'purpose', 'object_id', 'details'])
    .where('region_code', '=', region)
    .where('subject_id', '=', subjectId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();

before(async () => {
  platform = await startTestPlatform();
  const perugia = await platform.db
    .selectFrom('municipalities')
    .select('istat_code')
    .where('belfiore', '=', 'G478')
    .executeTakeFirstOrThrow();
  const office = await platform.db
    .selectFrom('offices')
    .select(['id'])
    .where('region_code', '=', region)
    .executeTakeFirstOrThrow();
  operator = await platform.signInAs('cpi_operator');
  operatorId = operator.userId ?? '';

  // A person with everything recorded.
  fullId = await newCitizen('Marta', 'Ferri', {
    fiscal_code: 'FRRMRT85M41G478X',
    birth_date: '1985-08-01',
    birth_place_code: 'G478',
    sex: 'F',
    email: 'marta.ferri@example.org',
  });
  await platform.db
    .insertInto('citizen_profiles')
    .values({
      region_code: region,
      user_id: fullId,
      mobile: '+393331112222',
      domicile_code: perugia.istat_code,
      education_eqf: 6,
      education_title: 'Laurea in Economia',
      languages: JSON.stringify([{ code: 'en', level: 'B2' }]),
      driving_licences: ['B'],
      availability: JSON.stringify({
        hours: 'full_time',
        contracts: ['determinato'],
        maxCommuteKm: 30,
        remote: 'yes',
      }),
      benefits: ['naspi'],
      completed_at: new Date(),
    })
    .execute();
  const cv: CvDocument = {
    ...emptyCv('Marta', 'Ferri'),
    work: [
      {
        title: 'Impiegata amministrativa',
        employer: 'Alfa Srl',
        place: 'Perugia',
        from: '2015-02',
        to: '2025-12',
        description: '',
        occupationUri: null,
      },
    ],
    education: [
      { title: 'Laurea in Economia', organisation: 'Università di Perugia', eqf: 6, from: null, to: null },
    ],
    skills: [{ uri: null, label: 'Contabilità generale', level: null, validated: true }],
  };
  await platform.db
    .insertInto('cvs')
    .values({ region_code: region, citizen_id: fullId, document: JSON.stringify(cv) })
    .execute();
  const did = await platform.db
    .insertInto('did_declarations')
    .values({
      region_code: region,
      user_id: fullId,
      status: 'suspended',
      declared_at: new Date('2026-01-12T09:30:00Z'),
      verification_code: 'TEST-DIDX-0001',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('did_events')
    .values([
      {
        region_code: region,
        did_id: did.id,
        user_id: fullId,
        event: 'declared',
        at: new Date('2026-01-12T09:30:00Z'),
      },
      {
        region_code: region,
        did_id: did.id,
        user_id: fullId,
        event: 'suspended',
        reason: 'Contratto a termine di 3 mesi',
        at: new Date(Date.now() - 30 * 86_400_000),
      },
    ])
    .execute();
  await platform.db
    .insertInto('employment_outcomes')
    .values({
      region_code: region,
      user_id: fullId,
      started_on: new Date(Date.now() - 31 * 86_400_000).toISOString().slice(0, 10),
      source: 'national_system',
    })
    .execute();
  await platform.db
    .insertInto('tier_assignments')
    .values({ region_code: region, user_id: fullId, tier: 2, source: 'model' })
    .execute();
  const pact = await platform.db
    .insertInto('pacts')
    .values({
      region_code: region,
      citizen_id: fullId,
      office_id: office.id,
      coach_id: operatorId,
      created_by: operatorId,
      status: 'signed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('pact_versions')
    .values({
      region_code: region,
      pact_id: pact.id,
      version: 1,
      content: '{}',
      status: 'signed',
      created_by: operatorId,
      signed_at: new Date('2026-02-03T10:00:00Z'),
      verification_code: 'PACT-TEST-0001',
    })
    .execute();

  // A person with nothing but a name.
  minimalId = await newCitizen('Ugo', 'Neri');
  full = await platform.signInAsUser(fullId, region);
  minimal = await platform.signInAsUser(minimalId, region);
});

after(async () => {
  await platform?.stop();
});

test('the data read for a full record reaches the SAP and the C2 (profile, CV, DID, pact, tier, outcome)', async () => {
  const data = await loadPersonData(platform.db, region, fullId);
  assert.ok(data);
  const ctx = { regionName: 'Umbria', issuedAt: new Date(), operator: null };
  const t = translator('it');
  const flat = (c: ReturnType<typeof sapContent>) =>
    c.blocks
      .map((b) =>
        b.type === 'table' ? b.rows.flat().join(' ') : b.type === 'fields' ? b.rows.flat().join(' ') : b.text,
      )
      .join('\n');
  const sap = flat(sapContent(data, ctx, t, 'it'));
  for (const expected of [
    'FRRMRT85M41G478X',
    '1 agosto 1985',
    'Perugia (PG)',
    'Femmina',
    'marta.ferri@example.org',
    '+393331112222',
    'Laurea in Economia',
    'EQF 6',
    'Impiegata amministrativa',
    'Alfa Srl, Perugia',
    'Contabilità generale',
    'Tempo pieno',
    'Versione 1 firmata il 3 febbraio 2026 (codice PACT-TEST-0001)',
    'Livello 2',
    'NASpI',
    'In stato di disoccupazione sospeso',
  ])
    assert.ok(sap.includes(expected), `SAP shows ${expected}`);
  const c2 = c2Content(data, ctx, t, 'it');
  const table = c2.blocks.find((b) => b.type === 'table');
  assert.ok(table && table.type === 'table');
  assert.deepEqual(
    table.rows.map((r) => r[1]),
    ['DID rilasciata', 'Inizio di un lavoro', 'DID sospesa'],
    'history oldest first',
  );
  assert.equal(table.rows[2]?.[2], 'Contratto a termine di 3 mesi');
});

test('a person with full data downloads a SAP: PDF tagged, stored with its SHA-256, audited', async () => {
  const code = await issue(full, 'sap', 'it');
  const res = await platform.get(full, `/certificati/scarica/${code}`);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  assert.match(String(res.headers['content-disposition']), new RegExp(`sap-${code}\\.pdf`));
  assert.match(String(res.headers['cache-control']), /no-store/);
  const pdf = res.rawPayload;
  const row = await stored(code);
  assert.equal(createHash('sha256').update(pdf).digest('hex'), row.sha256);
  assert.equal(row.kind, 'sap');
  assert.equal(row.user_id, fullId);
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.7'));
  assert.match(text, /\/StructTreeRoot/);
  assert.match(text, /\/MarkInfo/);
  assert.match(text, /\/Lang \(it\)/);
  assert.match(text, /\/S \/Table/);
  assert.match(text, /\/S \/TH/);
  assert.match(text, /\/FontFile2/, 'fonts embedded');
  assert.match(text, /\/DisplayDocTitle true/);
  const audit = await auditRows(fullId, 'certificate.issued');
  const entry = audit.find((a) => a.object_id === code);
  assert.ok(entry);
  assert.equal(entry.actor_id, fullId);
  assert.deepEqual(entry.details, { kind: 'sap', lang: 'it', sha256: row.sha256 });
  // The list shows it, issued by the person.
  const page = await platform.get(full, '/certificati');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(code));
  assert.match(page.body, /da te, online/);
});

test('a person with minimal data gets both certificates; the C2 says there is no DID', async () => {
  const page = await platform.get(minimal, '/certificati');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Non risulta una tua DID/);
  assert.match(page.body, /Non hai ancora chiesto nessun certificato/);
  const sap = await issue(minimal, 'sap', 'en');
  const c2 = await issue(minimal, 'c2_storico', 'it');
  const c2Row = await stored(c2);
  assert.equal(c2Row.kind, 'c2_storico');
  assert.equal(c2Row.title, 'Certificato dello stato occupazionale con storico (C2 storico)');
  assert.equal((await stored(sap)).title, 'Personal and Professional Record (SAP)');
  const pdf = (await platform.get(minimal, `/certificati/scarica/${sap}`)).rawPayload;
  assert.match(pdf.toString('latin1'), /\/Lang \(en\)/);
  const data = await loadPersonData(platform.db, region, minimalId);
  assert.ok(data);
  const c2Text = c2Content(
    data,
    { regionName: 'Umbria', issuedAt: new Date(), operator: null },
    translator('it'),
    'it',
  )
    .blocks.map((b) => ('text' in b ? b.text : ''))
    .join('\n');
  assert.match(c2Text, /Non risulta una dichiarazione di immediata disponibilità/);
  assert.match(c2Text, /Nessun evento registrato/);
});

test('bad input is answered on the same page, the language kept; nobody downloads another person’s certificate', async () => {
  const res = await platform.post(minimal, '/certificati', { kind: 'passport', lang: 'en' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Scegli quale certificato vuoi/);
  assert.match(res.body, /value="en"[^>]*checked/);
  const noLang = await platform.post(minimal, '/certificati', { kind: 'sap', lang: 'ar' });
  assert.equal(noLang.statusCode, 400);
  const code = await issue(full, 'c2_storico', 'en');
  assert.equal((await platform.get(minimal, `/certificati/scarica/${code}`)).statusCode, 404);
  assert.equal((await platform.get(minimal, '/certificati/scarica/not-a-code')).statusCode, 404);
});

test('the verification page shows kind, initials, date and revocation, and gives the same bytes', async () => {
  const code = await issue(full, 'c2_storico', 'it');
  const anon = platform.anonymous();
  const page = await platform.get(anon, `/verifica/${code}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Certificato dello stato occupazionale con storico/);
  assert.match(page.body, /M\. F\./);
  assert.doesNotMatch(page.body, /Marta|Ferri|FRRMRT85M41G478X/, 'no personal data beyond the initials');
  assert.match(page.body, new RegExp(`/verifica/${code}/pdf`));
  const download = await platform.get(anon, `/verifica/${code}/pdf`);
  assert.equal(download.statusCode, 200);
  const row = await stored(code);
  assert.ok(download.rawPayload.equals(row.pdf));
  assert.equal(createHash('sha256').update(download.rawPayload).digest('hex'), row.sha256);
  const byCode = await auditRows(fullId, 'read.certificate_by_code');
  assert.ok(
    byCode.some((a) => a.object_id === code && a.actor_id === null),
    'the download by code is audited for the holder',
  );
  await platform.db
    .updateTable('issued_documents')
    .set({ revoked_at: new Date() })
    .where('verification_code', '=', code)
    .execute();
  const revoked = await platform.get(anon, `/verifica/${code}`);
  assert.match(revoked.body, /Revocato/);
  // Codes of other documents are not served as certificates.
  assert.equal((await platform.get(anon, '/verifica/TEST-DIDX-0001/pdf')).statusCode, 404);
  assert.equal((await platform.get(anon, '/verifica/AAAA-BBBB-CCCC/pdf')).statusCode, 404);
});

test('a CPI operator of the Region issues for the person: purpose asked, audited, shown to the person', async () => {
  const base = `/operatore/persone/${minimalId}/certificati`;
  const ask = await platform.get(operator, base);
  assert.equal(ask.statusCode, 200);
  assert.match(ask.body, /name="purpose"/);
  const page = await platform.get(operator, `${base}?purpose=interview`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Certificati di Ugo Neri/);
  assert.match(page.body, /Questa persona non ha una DID/);
  const bad = await platform.post(operator, base, { purpose: 'interview', kind: '', lang: 'it' });
  assert.equal(bad.statusCode, 400);
  const res = await platform.post(operator, base, { purpose: 'interview', kind: 'c2_storico', lang: 'it' });
  assert.equal(res.statusCode, 303);
  const code = /ok=([A-Z2-9-]{14})/.exec(String(res.headers.location))?.[1];
  assert.ok(code);
  const row = await platform.db
    .selectFrom('certificate_issues')
    .selectAll()
    .where('verification_code', '=', code)
    .executeTakeFirstOrThrow();
  assert.equal(row.issued_by, operatorId);
  assert.equal(row.purpose, 'interview');
  assert.equal(row.user_id, minimalId);
  const download = await platform.get(operator, `${base}/${code}?purpose=interview`);
  assert.equal(download.statusCode, 200);
  assert.equal(createHash('sha256').update(download.rawPayload).digest('hex'), (await stored(code)).sha256);

  const issued = await auditRows(minimalId, 'certificate.issued');
  const mine = issued.find((a) => a.object_id === code);
  assert.ok(mine);
  assert.equal(mine.actor_id, operatorId);
  assert.equal(mine.actor_role, 'cpi_operator');
  assert.equal(mine.purpose, 'interview');
  assert.ok((await auditRows(minimalId, 'read.certificate')).some((a) => a.object_id === code));
  assert.ok((await auditRows(minimalId, 'read.certificates')).some((a) => a.purpose === 'interview'));

  // The person sees that an operator issued it, and who.
  const list = await platform.get(minimal, '/certificati');
  assert.ok(list.body.includes(code));
  assert.match(list.body, /dall&#39;operatore Chiara Baldelli|dall'operatore Chiara Baldelli/);
  const whoRead = await platform.get(minimal, '/i-miei-dati/accessi');
  assert.match(whoRead.body, /Baldelli/);
  assert.match(
    whoRead.body,
    /Un tuo certificato \(SAP o C2 storico\), rilasciato o scaricato da un operatore/,
  );
  assert.doesNotMatch(whoRead.body, /auditActions\./);
});

test('an operator of another Region, an APL operator, or a made-up person: not found or refused', async () => {
  const other = await createRegionObjects(platform, '20', '9021');
  const stranger = await platform.signInAsUser(other.users.cpi_operator.id, '20');
  const base = `/operatore/persone/${minimalId}/certificati`;
  assert.equal((await platform.get(stranger, `${base}?purpose=interview`)).statusCode, 404);
  const post = await platform.post(stranger, base, { purpose: 'interview', kind: 'sap', lang: 'it' });
  assert.equal(post.statusCode, 404);
  const someCode = (
    await platform.db
      .selectFrom('certificate_issues')
      .select('verification_code')
      .where('user_id', '=', minimalId)
      .executeTakeFirstOrThrow()
  ).verification_code;
  assert.equal((await platform.get(stranger, `${base}/${someCode}?purpose=interview`)).statusCode, 404);
  const before = await platform.db
    .selectFrom('certificate_issues')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', minimalId)
    .executeTakeFirstOrThrow();
  assert.equal(Number(before.n), 3, 'nothing issued by the refused attempts');
  const apl = await platform.signInAs('apl_operator');
  assert.equal((await platform.get(apl, `${base}?purpose=interview`)).statusCode, 403);
  assert.equal(
    (
      await platform.get(
        operator,
        '/operatore/persone/11111111-2222-4333-8444-555555555555/certificati?purpose=interview',
      )
    ).statusCode,
    404,
  );
});

test('hostile values never reach a server error nor issue anything', async () => {
  const hostile = [
    '',
    '<script>alert(1)</script>',
    "' or 1=1 --",
    '\u0000',
    'x'.repeat(20000),
    'SAP',
    'c2_storico ',
    '𝕏',
  ];
  const count = async () =>
    Number(
      (
        await platform.db
          .selectFrom('certificate_issues')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();
  for (const value of hostile) {
    for (const [kind, lang] of [
      [value, 'it'],
      ['sap', value],
    ] as const) {
      const mine = await platform.post(minimal, '/certificati', { kind, lang });
      assert.equal(mine.statusCode, 400, `citizen kind=${kind.slice(0, 20)} lang=${lang.slice(0, 20)}`);
      const op = await platform.post(operator, `/operatore/persone/${minimalId}/certificati`, {
        purpose: value || 'interview',
        kind,
        lang,
      });
      assert.ok(op.statusCode === 400 || op.statusCode === 303, `operator answered ${op.statusCode}`);
    }
    const weird = await platform.get(
      platform.anonymous(),
      `/verifica/${encodeURIComponent(value.slice(0, 40))}/pdf`,
    );
    assert.ok(weird.statusCode < 500);
  }
  assert.equal(await count(), before);
});
