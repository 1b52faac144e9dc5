import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkRow, contractTypeOf, MAX_FILE_BYTES, parseDay, readUnilavFile } from './unilav.ts';

const TODAY = '2026-11-27';
const HEADER =
  'codice_comunicazione;cf_lavoratore;cf_datore;data_inizio;data_fine;tipologia_contrattuale;qualifica_istat;occupazione_esco;comune_sede;riferimento_offerta';
const GOOD = '1026000000000101;CNTGLI94E54G478J;04152630549;2026-12-01;;A.01.00;7.2.6.1.0;;G478;';

test('the example files read as CSV and XML with the same communications, all valid', () => {
  const csv = readUnilavFile(readFileSync(new URL('../data/esempio-unilav.csv', import.meta.url)));
  const xml = readUnilavFile(readFileSync(new URL('../data/esempio-unilav.xml', import.meta.url)));
  assert.ok(csv.ok && xml.ok);
  assert.equal(csv.format, 'csv');
  assert.equal(xml.format, 'xml');
  assert.deepEqual(
    csv.rows.map((r) => r.line),
    [2, 3],
  );
  assert.deepEqual(
    xml.rows.map((r) => r.line),
    [3, 21],
  );
  const a = csv.rows.map((r) => checkRow(r, TODAY));
  const b = xml.rows.map((r) => checkRow(r, TODAY));
  assert.deepEqual(a, b);
  assert.ok(a.every((r) => r.ok));
  const second = a[1];
  assert.ok(second?.ok);
  assert.equal(second.value.startedOn, '2026-12-15');
  assert.equal(second.value.endedOn, '2027-06-14');
  assert.equal(second.value.contractType, 'determinato');
});

test('every problem of a row is reported, each with its key', () => {
  const file = readUnilavFile(
    Buffer.from(
      `${HEADER}\nabc;CNTGLI94E54G478X;12345678901;31/02/2026;2020-01-01;X1;7;ftp://x;Perugia;not-a-uuid\n`,
    ),
  );
  assert.ok(file.ok);
  const r = checkRow(file.rows[0]!, TODAY);
  assert.equal(r.ok, false);
  const keys = r.ok ? [] : r.reasons.map((x) => x.key);
  assert.deepEqual(keys, [
    'outcomes.errors.code',
    'outcomes.errors.workerCf',
    'outcomes.errors.employerCf',
    'outcomes.errors.startDate',
    'outcomes.errors.contract',
    'outcomes.errors.istat',
    'outcomes.errors.esco',
    'outcomes.errors.workplace',
    'outcomes.errors.vacancyRef',
  ]);
});

test('missing values, short rows and end before start are refused', () => {
  const file = readUnilavFile(
    Buffer.from(
      `${HEADER}\n${GOOD}\n1026000000000102;;04152630549;2026-12-01;;A.01.00;7.2.6.1.0;;G478;\n1026000000000103;CNTGLI94E54G478J\n1026000000000104;CNTGLI94E54G478J;04152630549;2026-12-01;2026-11-01;A.02.00;7.2.6.1.0;;G478;\n`,
    ),
  );
  assert.ok(file.ok);
  const checks = file.rows.map((r) => checkRow(r, TODAY));
  assert.equal(checks[0]?.ok, true);
  assert.deepEqual(checks[1]?.ok ? [] : checks[1]?.reasons, [
    { key: 'outcomes.errors.required', values: { field: 'cf_lavoratore' } },
  ]);
  assert.equal(checks[2]?.ok ? '' : checks[2]?.reasons[0]?.key, 'outcomes.errors.columnCount');
  assert.equal(checks[3]?.ok ? '' : checks[3]?.reasons[0]?.key, 'outcomes.errors.endBeforeStart');
  assert.deepEqual(
    file.rows.map((r) => r.line),
    [2, 3, 4, 5],
  );
});

test('whole-file problems: empty, too big, not UTF-8, unknown or missing columns, DOCTYPE, broken XML', () => {
  const err = (data: Buffer | string) => {
    const r = readUnilavFile(Buffer.isBuffer(data) ? data : Buffer.from(data));
    return r.ok ? 'ok' : r.error.key;
  };
  assert.equal(err(''), 'outcomes.errors.fileEmpty');
  assert.equal(err('  \n '), 'outcomes.errors.fileEmpty');
  assert.equal(err(Buffer.alloc(MAX_FILE_BYTES + 1, 0x41)), 'outcomes.errors.fileTooLarge');
  assert.equal(err(Buffer.from([0xff, 0xfe, 0x00, 0x41])), 'outcomes.errors.notText');
  assert.equal(err(`${HEADER};colonna_strana\n`), 'outcomes.errors.unknownColumn');
  assert.equal(err('codice_comunicazione;cf_lavoratore\n1;2\n'), 'outcomes.errors.missingColumn');
  assert.equal(err(`${HEADER}\n`), 'outcomes.errors.noRows');
  assert.equal(err(`${HEADER}\n"unterminated;x\n`), 'outcomes.errors.csvBroken');
  assert.equal(
    err('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ComunicazioniUnilav/>'),
    'outcomes.errors.xmlDoctype',
  );
  assert.equal(
    err('<ComunicazioniUnilav><Comunicazione></ComunicazioniUnilav>'),
    'outcomes.errors.xmlBroken',
  );
  assert.equal(err('<Altro><Comunicazione/></Altro>'), 'outcomes.errors.xmlRoot');
  assert.equal(err('<ComunicazioniUnilav></ComunicazioniUnilav>'), 'outcomes.errors.noRows');
});

test('an XML field holding elements instead of a value is refused on its row', () => {
  const r = readUnilavFile(
    Buffer.from(
      '<ComunicazioniUnilav><Comunicazione><CodiceComunicazione><x>1</x></CodiceComunicazione></Comunicazione></ComunicazioniUnilav>',
    ),
  );
  assert.ok(r.ok);
  const c = checkRow(r.rows[0]!, TODAY);
  assert.equal(c.ok ? '' : c.reasons[0]?.key, 'outcomes.errors.notAValue');
});

test('dates and contract codes', () => {
  assert.equal(parseDay('2026-02-28'), '2026-02-28');
  assert.equal(parseDay('29/02/2024'), '2024-02-29');
  assert.equal(parseDay('29/02/2025'), null);
  assert.equal(parseDay('2026-13-01'), null);
  assert.equal(contractTypeOf('A.01.00'), 'indeterminato');
  assert.equal(contractTypeOf('A.03.08'), 'apprendistato');
  assert.equal(contractTypeOf('Z.99.99'), null);
});
