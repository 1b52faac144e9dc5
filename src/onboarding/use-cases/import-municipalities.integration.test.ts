import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type TestDatabase, testDb } from '../../platform/testing/test-database.ts';
import {
  importMunicipalities,
  MunicipalityImportError,
  readMunicipalityFiles,
  regionCodeOf,
} from './import-municipalities.ts';

const FIXTURES = fileURLToPath(new URL('../testing/fixtures/', import.meta.url));
const CITIES = path.join(FIXTURES, 'comuni.json');
const GEO = path.join(FIXTURES, 'comuni-geo.json');

let t: TestDatabase;
let scratch: string;
before(async () => {
  t = await testDb();
  scratch = await mkdtemp(path.join(tmpdir(), 'comuni-'));
});
after(async () => {
  await t.close();
  await rm(scratch, { recursive: true, force: true });
});

test('Region names map to their ISTAT codes whatever the spelling', () => {
  assert.equal(regionCodeOf('Piemonte'), '01');
  assert.equal(regionCodeOf("Valle d'Aosta/Vallée d'Aoste"), '02');
  assert.equal(regionCodeOf('VALLEE D’AOSTE'), '02');
  assert.equal(regionCodeOf('Trentino-Alto Adige/Südtirol'), '04');
  assert.equal(regionCodeOf('trentino alto adige'), '04');
  assert.equal(regionCodeOf('Friuli Venezia Giulia'), '06');
  assert.equal(regionCodeOf('Emilia-ROmagna'), '08');
  assert.equal(regionCodeOf('Sardegna'), '20');
  assert.equal(regionCodeOf('4'), '04');
  assert.equal(regionCodeOf('21'), undefined);
  assert.equal(regionCodeOf('Padania'), undefined);
});

test('imports the fixture, pads codes, counts missing coordinates, and a second run changes nothing', async () => {
  // A municipality already in the table that the file lacks (e.g. merged since): kept and reported.
  await t.db
    .insertInto('municipalities')
    .values({
      istat_code: '022001',
      region_code: '04',
      name: 'Ala',
      province: 'TN',
      belfiore: 'A116',
      latitude: null,
      longitude: null,
    })
    .execute();

  const input = await readMunicipalityFiles({ municipalities: CITIES, coordinates: GEO });
  assert.equal(input.municipalities.length, 5);
  assert.deepEqual(input.skippedRows, { municipalities: 2, coordinates: 1 });

  const progress: number[] = [];
  const first = await importMunicipalities(t.db, input, {
    batchSize: 2,
    onProgress: (done) => progress.push(done),
  });
  assert.deepEqual(progress, [2, 4, 5]);
  assert.deepEqual(
    { ...first },
    {
      total: 5,
      inserted: 5,
      updated: 0,
      unchanged: 0,
      missingCoordinates: 1,
      notInFile: { count: 1, examples: [{ istatCode: '022001', name: 'Ala' }] },
      unmatchedCoordinates: { count: 1, examples: ['001001'] },
    },
  );

  const rows = await t.db.selectFrom('municipalities').selectAll().orderBy('istat_code').execute();
  assert.deepEqual(
    rows.map((r) => [r.istat_code, r.region_code, r.province, r.belfiore]),
    [
      ['007003', '02', 'AO', 'A326'],
      ['022001', '04', 'TN', 'A116'],
      ['022205', '04', 'TN', 'L378'],
      ['034050', '08', 'PR', 'M367'],
      ['054039', '10', 'PG', 'G478'],
      ['111107', '20', 'SU', 'M026'],
    ],
  );
  const perugia = rows.find((r) => r.istat_code === '054039')!;
  assert.equal(perugia.name, 'Perugia');
  assert.equal(perugia.latitude, 43.1067584);
  assert.equal(perugia.longitude, 12.38824699);
  assert.equal(rows.find((r) => r.istat_code === '111107')!.latitude, null);

  const second = await importMunicipalities(
    t.db,
    await readMunicipalityFiles({ municipalities: CITIES, coordinates: GEO }),
  );
  assert.equal(second.inserted, 0);
  assert.equal(second.updated, 0);
  assert.equal(second.unchanged, 5);
  assert.equal(second.missingCoordinates, 1);
  assert.deepEqual(await t.db.selectFrom('municipalities').selectAll().orderBy('istat_code').execute(), rows);

  // Without the coordinates file the coordinates already there are kept.
  const noGeo = await importMunicipalities(t.db, await readMunicipalityFiles({ municipalities: CITIES }));
  assert.equal(noGeo.unchanged, 5);
  assert.equal(noGeo.missingCoordinates, 1);

  // A renamed municipality is updated, the others are left alone.
  const renamed = await readMunicipalityFiles({ municipalities: CITIES, coordinates: GEO });
  renamed.municipalities[3] = { ...renamed.municipalities[3]!, name: 'Perugia (PG)' };
  const third = await importMunicipalities(t.db, renamed);
  assert.deepEqual([third.inserted, third.updated, third.unchanged], [0, 1, 4]);
});

async function readError(content: string, coordinates?: string): Promise<string> {
  const file = path.join(scratch, 'comuni.json');
  await writeFile(file, content);
  let geo: string | undefined;
  if (coordinates !== undefined) {
    geo = path.join(scratch, 'geo.json');
    await writeFile(geo, coordinates);
  }
  const error = await readMunicipalityFiles({ municipalities: file, coordinates: geo }).then(
    () => assert.fail('the file was accepted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MunicipalityImportError, String(error));
  return error.message;
}

test('a malformed file is refused with a message naming the file and the field', async () => {
  const error = await readMunicipalityFiles({
    municipalities: path.join(FIXTURES, 'comuni-malformed.json'),
  }).then(
    () => assert.fail('the file was accepted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof MunicipalityImportError);
  assert.equal(error.message, 'comuni-malformed.json: record 2 (istat 54001): field "cod_fisco" is missing');

  const perugia = {
    istat: '54039',
    comune: 'Perugia',
    regione: 'Umbria',
    provincia: 'PG',
    cod_fisco: 'G478',
  };
  assert.match(
    await readError(JSON.stringify([{ ...perugia, regione: 'Atlantide' }])),
    /^comuni\.json: record 1 \(istat 54039\): field "regione" is not an Italian Region: "Atlantide"$/,
  );
  assert.match(
    await readError(JSON.stringify([{ ...perugia, istat: '1234567' }])),
    /^comuni\.json: record 1 \(istat 1234567\): field "istat" must be an ISTAT code of up to 6 digits/,
  );
  assert.match(
    await readError(JSON.stringify([{ ...perugia, provincia: 'Perugia' }])),
    /field "provincia" must be a two-letter province abbreviation/,
  );
  assert.match(
    await readError(JSON.stringify([perugia, perugia])),
    /ISTAT code 054039 appears twice \(records 1 and 2\)/,
  );
  assert.match(await readError('{"istat": "54039"}'), /^comuni\.json: expected a JSON array/);
  assert.match(await readError('[{"istat": "54039",'), /^comuni\.json: not valid JSON/);
  assert.match(
    await readError(JSON.stringify([perugia]), JSON.stringify([{ istat: '54039', lng: '12.4' }])),
    /^geo\.json: record 1 \(istat 54039\): field "lat" is missing$/,
  );
  assert.match(
    await readError(
      JSON.stringify([perugia]),
      JSON.stringify([{ istat: '54039', lng: '12.4', lat: 'north' }]),
    ),
    /^geo\.json: record 1 \(istat 54039\): field "lat" must be a latitude in decimal degrees/,
  );
  const missing = await readMunicipalityFiles({ municipalities: path.join(scratch, 'nope.json') }).catch(
    (e: unknown) => e,
  );
  assert.ok(missing instanceof MunicipalityImportError);
  assert.match(missing.message, /nope\.json: cannot read the file \(ENOENT\)/);
});
