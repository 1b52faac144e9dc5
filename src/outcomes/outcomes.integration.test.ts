import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { computeCodiceFiscale, partitaIvaCheckDigit } from '../identity/domain/codice-fiscale.ts';

let platform: TestPlatform;
let operator: Visitor;
let lazio: Visitor;
const region = '10';
const ESCO_A = 'http://data.europa.eu/esco/occupation/2b136e51-154b-4cb2-8130-f73228f14b11';
const ESCO_B = 'http://data.europa.eu/esco/occupation/cbad55a4-c7cf-4ab6-9540-eac72b26729b';
const HEADER =
  'codice_comunicazione;cf_lavoratore;cf_datore;data_inizio;data_fine;tipologia_contrattuale;qualifica_istat;occupazione_esco;comune_sede;riferimento_offerta';

const vat = (first10: string) => `${first10}${partitaIvaCheckDigit(first10)}`;
const COMPANY_VAT = vat('0987654321');
const OTHER_VAT = vat('0123123123');
const cf = (given: string, family: string) =>
  computeCodiceFiscale({
    givenName: given,
    familyName: family,
    birthDate: '1990-03-04',
    sex: 'M',
    birthPlaceCode: 'G478',
  });
const CF_A = cf('Marco', 'Rossetti');
const CF_B = cf('Luca', 'Bianchini');
const CF_LAZIO = cf('Pietro', 'Romani');

let personA: string;
let personB: string;
let companyId: string;
let v1: string;
let v2: string;
let draft: string;

function upload(visitor: Visitor, name: string, data: string | Buffer, url = '/operatore/esiti') {
  const boundary = '----outcomes-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitor.csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`,
    ),
    Buffer.isBuffer(data) ? data : Buffer.from(data),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

async function citizen(regionCode: string, given: string, family: string, fiscalCode: string) {
  const row = await platform.db
    .insertInto('users')
    .values({
      region_code: regionCode,
      role: 'citizen',
      given_name: given,
      family_name: family,
      fiscal_code: fiscalCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function vacancy(
  title: string,
  occupation: string | null,
  positions: number,
  status: 'published' | 'draft',
) {
  const row = await platform.db
    .insertInto('vacancies')
    .values({
      region_code: region,
      company_id: companyId,
      title,
      description: 'Descrizione di prova per il test degli esiti.',
      occupation_uri: occupation,
      municipality_code: '054039',
      contract_type: 'indeterminato',
      hours: 'full_time',
      positions,
      expires_on: '2027-06-30',
      status,
      published_at: status === 'published' ? new Date('2026-10-01T08:00:00Z') : null,
      created_by: operator.userId as string,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function count(
  table: 'employment_outcomes' | 'national_outbox' | 'unilav_imports' | 'unilav_communications',
) {
  const r = await platform.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function vacancyStatus(id: string) {
  return platform.db
    .selectFrom('vacancies')
    .select(['status', 'outcome', 'hired_citizen_id'])
    .where('region_code', '=', region)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function reportUrl(res: { statusCode: number; headers: Record<string, unknown> }): string {
  assert.equal(res.statusCode, 303);
  const location = String(res.headers.location);
  assert.match(location, /^\/operatore\/esiti\/importazioni\/[0-9a-f-]{36}\?ok=1$/);
  return location;
}

before(async () => {
  platform = await startTestPlatform();
  operator = await platform.signInAs('cpi_operator');
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
  const lazioUser = await platform.db
    .insertInto('users')
    .values({
      region_code: '12',
      role: 'cpi_operator',
      office_id: office.id,
      given_name: 'Anna',
      family_name: 'Verdi',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  lazio = await platform.signInAsUser(lazioUser.id, '12');
  personA = await citizen(region, 'Marco', 'Rossetti', CF_A);
  personB = await citizen(region, 'Luca', 'Bianchini', CF_B);
  await citizen('12', 'Pietro', 'Romani', CF_LAZIO);
  const company = await platform.db
    .insertInto('companies')
    .values({
      region_code: region,
      name: 'Lanificio Prova S.r.l.',
      vat_number: COMPANY_VAT,
      fiscal_code: COMPANY_VAT,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  companyId = company.id;
  v1 = await vacancy('Operatore telai (prova)', ESCO_A, 1, 'published');
  v2 = await vacancy('Addetto pulizie (prova)', ESCO_B, 2, 'published');
  draft = await vacancy('Bozza non pubblicata', ESCO_A, 1, 'draft');
});
after(async () => platform.stop());

const firstCsv = () =>
  [
    HEADER,
    `1026000000000001;${CF_A};${COMPANY_VAT};2026-12-01;;A.01.00;7.2.6.1.0;${ESCO_A};G478;`,
    `1026000000000002;${CF_B};${COMPANY_VAT};01/12/2026;31/05/2027;A.02.00;8.1.4.2.0;;054039;${v2}`,
    `1026000000000003;RSSMRA90C04G478Z;${COMPANY_VAT};2026-12-01;;A.01.00;7.2.6.1.0;;G478;`,
    `1026000000000001;${CF_A};${COMPANY_VAT};2026-12-01;;A.01.00;7.2.6.1.0;${ESCO_A};G478;`,
    `1026000000000004;${CF_LAZIO};${COMPANY_VAT};2026-12-01;;A.01.00;7.2.6.1.0;;G478;`,
    `1026000000000005;${CF_A};${OTHER_VAT};2026-12-02;;A.01.00;7.2.6.1.0;${ESCO_A};G478;`,
    `1026000000000006;${CF_B};${COMPANY_VAT};2026-12-03;;A.01.00;7.2.6.1.0;;G478;${draft}`,
  ].join('\n');

test('a CSV import records outcomes, closes the matching vacancy and reports every row with its line', async () => {
  const page = await platform.get(operator, '/operatore/esiti');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  assert.match(page.body, /codice_comunicazione/);
  assert.match(page.body, /esempio\.csv/);
  const example = await platform.get(operator, '/operatore/esiti/esempio.xml');
  assert.equal(example.statusCode, 200);
  assert.match(String(example.headers['content-disposition']), /attachment/);
  assert.match(example.body, /<ComunicazioniUnilav>/);

  const outboxBefore = await count('national_outbox');
  const res = await upload(operator, 'unilav.csv', firstCsv());
  const url = reportUrl(res);
  const report = await platform.get(operator, url);
  assert.equal(report.statusCode, 200);
  assert.match(report.body, /Importazione completata. Comunicazioni registrate: 4\./);
  assert.match(report.body, /Accettate: 4 · già importate: 1 · rifiutate: 2 · offerte chiuse: 1/);
  assert.match(report.body, /<td>4<\/td>\s*<td>1026000000000003<\/td>/);
  assert.match(report.body, /Il codice fiscale del lavoratore non è valido/);
  assert.match(report.body, /Stesso codice comunicazione della riga 2 di questo file/);
  assert.match(report.body, /Nessuna persona con questo codice fiscale è registrata nella tua Regione/);
  assert.match(report.body, /Offerta chiusa: Operatore telai \(prova\)/);
  assert.match(
    report.body,
    /Abbinata all&#39;offerta Addetto pulizie \(prova\)|Abbinata all'offerta Addetto pulizie \(prova\)/,
  );
  assert.match(
    report.body,
    /il datore di lavoro non è un&#39;azienda registrata|il datore di lavoro non è un'azienda registrata/,
  );
  assert.match(report.body, /l&#39;offerta indicata non è pubblicata|l'offerta indicata non è pubblicata/);
  assert.match(report.body, /Esito occupazionale registrato per Marco Rossetti/);

  const outcomes = await platform.db
    .selectFrom('employment_outcomes')
    .select(['user_id', 'source', 'started_on'])
    .where('region_code', '=', region)
    .where('source', '=', 'unilav' as never)
    .execute();
  assert.equal(outcomes.length, 4);
  assert.equal(outcomes.filter((o) => o.user_id === personA).length, 2);
  assert.equal(outcomes.filter((o) => o.user_id === personB).length, 2);

  assert.deepEqual(await vacancyStatus(v1), {
    status: 'closed',
    outcome: 'filled_elsewhere',
    hired_citizen_id: null,
  });
  assert.equal((await vacancyStatus(v2)).status, 'published');
  assert.equal((await vacancyStatus(draft)).status, 'draft');
  const events = await platform.db
    .selectFrom('vacancy_events')
    .select(['event', 'reason', 'actor_id'])
    .where('region_code', '=', region)
    .where('vacancy_id', '=', v1)
    .execute();
  assert.deepEqual(events, [{ event: 'closed', reason: 'filled_elsewhere', actor_id: operator.userId }]);

  const outbox = await platform.db
    .selectFrom('national_outbox')
    .select(['kind', 'idempotency_key', 'payload'])
    .where('region_code', '=', region)
    .where('kind', 'in', ['placement', 'vacancy.closed'])
    .execute();
  const placements = outbox.filter((o) => o.kind === 'placement');
  assert.equal(placements.length, 4);
  assert.ok(placements.some((p) => p.idempotency_key === `placement:unilav:${region}:1026000000000001`));
  const first = placements.find((p) => p.idempotency_key.endsWith(':1026000000000002'));
  assert.equal(first?.payload.endedOn, '2027-05-31');
  assert.equal(first?.payload.vacancyId, v2);
  assert.equal(outbox.filter((o) => o.kind === 'vacancy.closed').length, 1);
  assert.equal((await count('national_outbox')) - outboxBefore, 5);

  const audit = await platform.db
    .selectFrom('audit_log')
    .select(['action', 'subject_id'])
    .where('region_code', '=', region)
    .where('action', 'in', [
      'outcomes.placement_recorded',
      'outcomes.unilav_imported',
      'read.employment_outcome',
    ])
    .execute();
  assert.equal(audit.filter((a) => a.action === 'outcomes.placement_recorded').length, 4);
  assert.equal(audit.filter((a) => a.action === 'outcomes.unilav_imported').length, 1);
  assert.ok(audit.some((a) => a.action === 'read.employment_outcome' && a.subject_id === personA));

  // The reasons are kept as keys: the same report reads in English for an English reader.
  const en = await platform.get(operator, `${url.split('?')[0]}?lang=en`);
  assert.match(en.body, /The worker&#39;s fiscal code is not valid|The worker's fiscal code is not valid/);
  assert.match(en.body, /No person with this fiscal code is registered in your Region/);
});

test('importing the same file again changes nothing and says so', async () => {
  const before = {
    outcomes: await count('employment_outcomes'),
    outbox: await count('national_outbox'),
    comms: await count('unilav_communications'),
  };
  const res = await upload(operator, 'unilav.csv', firstCsv());
  const report = await platform.get(operator, reportUrl(res));
  assert.match(report.body, /Nessuna comunicazione è stata registrata: non è cambiato nulla/);
  assert.match(report.body, /Accettate: 0 · già importate: 5 · rifiutate: 2 · offerte chiuse: 0/);
  assert.match(report.body, /Comunicazione già importata: non cambia nulla/);
  assert.deepEqual(
    {
      outcomes: await count('employment_outcomes'),
      outbox: await count('national_outbox'),
      comms: await count('unilav_communications'),
    },
    before,
  );
  // Only the good rows, already imported: the notice says the file had already been imported.
  const again = await upload(operator, 'solo-buone.csv', [HEADER, firstCsv().split('\n')[1]].join('\n'));
  const page = await platform.get(operator, reportUrl(again));
  assert.match(page.body, /Queste comunicazioni erano già state importate: non è cambiato nulla/);
  assert.equal(await count('employment_outcomes'), before.outcomes);
});

test('an XML import fills the second position of a vacancy and closes it', async () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ComunicazioniUnilav>
  <Comunicazione>
    <CodiceComunicazione>1026000000000010</CodiceComunicazione>
    <DatoreLavoro><CodiceFiscale>${COMPANY_VAT}</CodiceFiscale></DatoreLavoro>
    <Lavoratore><CodiceFiscale>${CF_A}</CodiceFiscale></Lavoratore>
    <SedeLavoro><Comune>G478</Comune></SedeLavoro>
    <Rapporto>
      <DataInizio>2026-12-10</DataInizio>
      <TipologiaContrattuale>A.02.00</TipologiaContrattuale>
      <QualificaIstat>8.1.4.2.0</QualificaIstat>
      <OccupazioneEsco>${ESCO_B}</OccupazioneEsco>
    </Rapporto>
  </Comunicazione>
  <Comunicazione>
    <CodiceComunicazione>1026000000000011</CodiceComunicazione>
    <DatoreLavoro><CodiceFiscale>${COMPANY_VAT}</CodiceFiscale></DatoreLavoro>
    <Lavoratore><CodiceFiscale>${CF_B}</CodiceFiscale></Lavoratore>
    <SedeLavoro><Comune>Perugia</Comune></SedeLavoro>
    <Rapporto>
      <DataInizio>2026-12-10</DataInizio>
      <TipologiaContrattuale>A.02.00</TipologiaContrattuale>
      <QualificaIstat>8.1.4.2.0</QualificaIstat>
    </Rapporto>
  </Comunicazione>
</ComunicazioniUnilav>`;
  const res = await upload(operator, 'unilav.xml', xml);
  const report = await platform.get(operator, reportUrl(res));
  assert.match(report.body, /Accettate: 1 · già importate: 0 · rifiutate: 1 · offerte chiuse: 1/);
  assert.match(report.body, /<td>15<\/td>\s*<td>1026000000000011<\/td>/);
  assert.match(report.body, /Il comune della sede deve essere un codice catastale/);
  assert.deepEqual(await vacancyStatus(v2), {
    status: 'closed',
    outcome: 'filled_elsewhere',
    hired_citizen_id: null,
  });
  const list = await platform.get(operator, '/operatore/esiti');
  assert.match(list.body, /unilav\.xml \(XML\)/);
});

test('bad files are refused on the same page with a clear message, never a 500, nothing recorded', async () => {
  const imports = await count('unilav_imports');
  const cases: [string, string | Buffer, RegExp][] = [
    ['vuoto.csv', '', /Scegli il file da importare|Il file è vuoto/],
    ['grande.csv', Buffer.alloc(1024 * 1024 + 10, 0x41), /Il file è troppo grande/],
    ['doctype.xml', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><ComunicazioniUnilav/>', /DOCTYPE/],
    [
      'rotto.xml',
      '<ComunicazioniUnilav><Comunicazione></ComunicazioniUnilav>',
      /non è ben formato vicino alla riga 1/,
    ],
    ['colonne.csv', 'nome;cognome\nA;B\n', /non fa parte del formato/],
    ['binario.csv', Buffer.from([0xff, 0xfe, 0xfd, 0x00]), /non è un testo UTF-8/],
  ];
  for (const [name, data, message] of cases) {
    const res = await upload(operator, name, data);
    assert.equal(res.statusCode, 400, name);
    assert.match(res.body, message, name);
    assert.match(res.body, /id="error-summary"/, name);
  }
  const none = await platform.app.inject({
    method: 'POST',
    url: '/operatore/esiti',
    headers: { cookie: operator.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: `_csrf=${encodeURIComponent(operator.csrf)}`,
  });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Scegli il file da importare/);
  assert.equal(await count('unilav_imports'), imports);
});

test('Region scoping: another Region neither reads the report nor matches this Region’s people; citizens are refused', async () => {
  const mine = await platform.db
    .selectFrom('unilav_imports')
    .select('id')
    .where('region_code', '=', region)
    .executeTakeFirstOrThrow();
  assert.equal((await platform.get(lazio, `/operatore/esiti/importazioni/${mine.id}`)).statusCode, 404);
  assert.equal((await platform.get(lazio, '/operatore/esiti/importazioni/not-a-uuid')).statusCode, 404);
  const list = await platform.get(lazio, '/operatore/esiti');
  assert.equal(list.statusCode, 200);
  assert.doesNotMatch(list.body, /unilav\.csv/);

  const before = await count('employment_outcomes');
  const res = await upload(
    lazio,
    'lazio.csv',
    [
      HEADER,
      `1226000000000001;${CF_A};${COMPANY_VAT};2026-12-01;;A.01.00;7.2.6.1.0;${ESCO_A};G478;`,
      `1026000000000001;${CF_LAZIO};${COMPANY_VAT};2026-12-01;;A.01.00;7.2.6.1.0;;G478;`,
    ].join('\n'),
  );
  const report = await platform.get(lazio, reportUrl(res));
  // The Umbrian person is unknown in Lazio; the Lazio person's code is new in Lazio (codes are per Region).
  assert.match(report.body, /Accettate: 1 · già importate: 0 · rifiutate: 1/);
  assert.match(report.body, /Nessuna persona con questo codice fiscale/);
  assert.match(report.body, /il datore di lavoro non è un/);
  assert.equal(await count('employment_outcomes'), before + 1);

  const citizen = await platform.signInAs('citizen');
  assert.equal((await platform.get(citizen, '/operatore/esiti')).statusCode, 403);
  assert.equal((await upload(citizen, 'x.csv', firstCsv())).statusCode, 403);
});

test('a hiring of a person who applied closes the vacancy as filled through the platform; parallel imports of one file record it once', async () => {
  const v3 = await vacancy('Tessitore (candidatura)', null, 1, 'published');
  await platform.pool.query(
    `insert into applications (region_code, vacancy_id, citizen_id, cv_snapshot, cv_version)
     values ($1, $2, $3, '{}', 1)`,
    [region, v3, personB],
  );
  const csv = [
    HEADER,
    `1026000000000020;${CF_B};${COMPANY_VAT};2026-12-20;;A.01.00;7.2.6.1.0;;G478;${v3}`,
  ].join('\n');
  const before = await count('employment_outcomes');
  const [a, b] = await Promise.all([
    upload(operator, 'parallelo.csv', csv),
    upload(operator, 'parallelo.csv', csv),
  ]);
  assert.equal(a.statusCode, 303);
  assert.equal(b.statusCode, 303);
  assert.equal(await count('employment_outcomes'), before + 1);
  assert.deepEqual(await vacancyStatus(v3), {
    status: 'closed',
    outcome: 'filled_platform',
    hired_citizen_id: personB,
  });
  const { rows } = await platform.pool.query<{ n: string }>(
    "select count(*) as n from national_outbox where idempotency_key = $1 and kind = 'placement'",
    [`placement:unilav:${region}:1026000000000020`],
  );
  assert.equal(Number(rows[0]?.n), 1);
});
