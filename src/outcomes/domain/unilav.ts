import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isValidPartitaIva, validateCodiceFiscale } from '../../identity/domain/codice-fiscale.ts';

/**
 * Reading a file of hiring communications (comunicazioni obbligatorie, modello UNILAV) and checking
 * every row. Pure: no database, no clock (today is given). The accepted layouts are described in
 * src/outcomes/README.md and on the import page; `data/esempio-unilav.{csv,xml}` are examples.
 */

/** Largest file accepted, and most communications in one file. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_ROWS = 2000;
const MAX_FIELD = 200;

/** The fields of one communication, by their CSV column name. */
export const FIELDS = [
  'codice_comunicazione',
  'cf_lavoratore',
  'cf_datore',
  'data_inizio',
  'data_fine',
  'tipologia_contrattuale',
  'qualifica_istat',
  'occupazione_esco',
  'comune_sede',
  'riferimento_offerta',
] as const;
export type Field = (typeof FIELDS)[number];
export const REQUIRED: readonly Field[] = [
  'codice_comunicazione',
  'cf_lavoratore',
  'cf_datore',
  'data_inizio',
  'tipologia_contrattuale',
  'qualifica_istat',
  'comune_sede',
];

/** Where each field is in the XML layout (path under <Comunicazione>). */
export const XML_PATHS: Record<Field, readonly string[]> = {
  codice_comunicazione: ['CodiceComunicazione'],
  cf_lavoratore: ['Lavoratore', 'CodiceFiscale'],
  cf_datore: ['DatoreLavoro', 'CodiceFiscale'],
  data_inizio: ['Rapporto', 'DataInizio'],
  data_fine: ['Rapporto', 'DataFine'],
  tipologia_contrattuale: ['Rapporto', 'TipologiaContrattuale'],
  qualifica_istat: ['Rapporto', 'QualificaIstat'],
  occupazione_esco: ['Rapporto', 'OccupazioneEsco'],
  comune_sede: ['SedeLavoro', 'Comune'],
  riferimento_offerta: ['Rapporto', 'RiferimentoOfferta'],
};

export type Reason = { key: string; values?: Record<string, string> };
export type RawRow = { line: number; fields: Partial<Record<Field, string>>; problems: Reason[] };
export type FileResult = { ok: true; format: 'csv' | 'xml'; rows: RawRow[] } | { ok: false; error: Reason };

/** A checked communication, ready to be recorded. */
export type Communication = {
  code: string;
  workerFiscalCode: string;
  employerTaxCode: string;
  startedOn: string;
  endedOn: string | null;
  contractCode: string;
  /** The platform's own contract type, when the Ministry's code maps to one. */
  contractType: 'indeterminato' | 'determinato' | 'apprendistato' | 'tirocinio' | null;
  istatCode: string;
  escoUri: string | null;
  workplaceCode: string;
  vacancyRef: string | null;
};
export type RowCheck = { ok: true; value: Communication } | { ok: false; reasons: Reason[] };

/** CSV or XML, decided by the content (the first character that is not a space), never by the name. */
export function readUnilavFile(data: Buffer): FileResult {
  if (data.length === 0) return { ok: false, error: { key: 'outcomes.errors.fileEmpty' } };
  if (data.length > MAX_FILE_BYTES)
    return {
      ok: false,
      error: { key: 'outcomes.errors.fileTooLarge', values: { kb: String(MAX_FILE_BYTES / 1024) } },
    };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { ok: false, error: { key: 'outcomes.errors.notText' } };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) return { ok: false, error: { key: 'outcomes.errors.notText' } };
  const trimmed = text.trimStart();
  if (trimmed.length === 0) return { ok: false, error: { key: 'outcomes.errors.fileEmpty' } };
  return trimmed.startsWith('<') ? readXml(text) : readCsv(text);
}

function normaliseHeader(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function readCsv(text: string): FileResult {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      delimiter: [';', ','],
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      max_record_size: 64 * 1024,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      ok: false,
      error: { key: 'outcomes.errors.csvBroken', values: { line: String(line ?? 1) } },
    };
  }
  const [head, ...body] = records;
  if (!head) return { ok: false, error: { key: 'outcomes.errors.fileEmpty' } };
  const header = head.record.map(normaliseHeader);
  const unknown = header.filter((h) => !(FIELDS as readonly string[]).includes(h));
  if (unknown.length > 0)
    return {
      ok: false,
      error: { key: 'outcomes.errors.unknownColumn', values: { column: unknown[0]!.slice(0, 60) } },
    };
  const missing = REQUIRED.filter((f) => !header.includes(f));
  if (missing.length > 0)
    return { ok: false, error: { key: 'outcomes.errors.missingColumn', values: { column: missing[0]! } } };
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup) return { ok: false, error: { key: 'outcomes.errors.duplicateColumn', values: { column: dup } } };
  if (body.length === 0) return { ok: false, error: { key: 'outcomes.errors.noRows' } };
  if (body.length > MAX_ROWS)
    return { ok: false, error: { key: 'outcomes.errors.tooManyRows', values: { max: String(MAX_ROWS) } } };
  const rows: RawRow[] = body.map(({ record, info }) => {
    const newlines = record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
    const line = info.lines - newlines;
    const fields: Partial<Record<Field, string>> = {};
    const problems: Reason[] = [];
    if (record.length !== header.length)
      problems.push({
        key: 'outcomes.errors.columnCount',
        values: { found: String(record.length), expected: String(header.length) },
      });
    header.forEach((h, i) => {
      fields[h as Field] = record[i] ?? '';
    });
    return { line, fields, problems };
  });
  return { ok: true, format: 'csv', rows };
}

const COMMUNICATION_TAG = /<Comunicazione[\s>/]/g;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function readXml(text: string): FileResult {
  // No document type declarations: they are how entity-expansion attacks arrive, and UNILAV has none.
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text))
    return { ok: false, error: { key: 'outcomes.errors.xmlDoctype' } };
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    return {
      ok: false,
      error: { key: 'outcomes.errors.xmlBroken', values: { line: String(valid.err.line ?? 1) } },
    };
  let doc: Record<string, unknown>;
  try {
    doc = new XMLParser({
      ignoreAttributes: true,
      parseTagValue: false,
      trimValues: true,
      processEntities: true,
      isArray: (name) => name === 'Comunicazione',
    }).parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, error: { key: 'outcomes.errors.xmlBroken', values: { line: '1' } } };
  }
  const root = doc.ComunicazioniUnilav;
  if (root === undefined || root === null) return { ok: false, error: { key: 'outcomes.errors.xmlRoot' } };
  const items = typeof root === 'object' ? (root as Record<string, unknown>).Comunicazione : undefined;
  if (!Array.isArray(items) || items.length === 0)
    return { ok: false, error: { key: 'outcomes.errors.noRows' } };
  if (items.length > MAX_ROWS)
    return { ok: false, error: { key: 'outcomes.errors.tooManyRows', values: { max: String(MAX_ROWS) } } };
  // The parser gives no positions: the n-th <Comunicazione> element starts at the n-th opening tag.
  const starts: number[] = [];
  for (const m of text.matchAll(COMMUNICATION_TAG)) starts.push(lineAt(text, m.index));
  const rows: RawRow[] = items.map((item, i) => {
    const fields: Partial<Record<Field, string>> = {};
    const problems: Reason[] = [];
    for (const field of FIELDS) {
      let node: unknown = item;
      for (const step of XML_PATHS[field])
        node = node && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined;
      if (node === undefined || node === null || node === '') continue;
      if (typeof node === 'string' || typeof node === 'number') fields[field] = String(node).trim();
      else problems.push({ key: 'outcomes.errors.notAValue', values: { field } });
    }
    return { line: starts[i] ?? 1, fields, problems };
  });
  return { ok: true, format: 'xml', rows };
}

// ── Checking one row ─────────────────────────────────────────────────────────────────────────────

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001F\u007F]/;
const CODE = /^[0-9A-Z]{8,20}$/;
const CONTRACT = /^[A-Z]\.\d{2}\.\d{2}$/;
const ISTAT = /^\d(\.\d{1,2}){2,5}$/;
const ESCO = /^http:\/\/data\.europa\.eu\/esco\/occupation\/[0-9a-f-]{36}$/;
const WORKPLACE = /^(?:[A-Z]\d{3}|\d{6})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** YYYY-MM-DD or DD/MM/YYYY, a real calendar day; returned as YYYY-MM-DD. */
export function parseDay(s: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  let iso: string | null = null;
  if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  if (m) iso = `${m[3]}-${m[2]}-${m[1]}`;
  if (!iso) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/** The Ministry's contract codes (tabella "Tipologie contrattuali") the platform's vacancies know. */
export function contractTypeOf(code: string): Communication['contractType'] {
  if (code === 'A.01.00') return 'indeterminato';
  if (code.startsWith('A.02.')) return 'determinato';
  if (code.startsWith('A.03.')) return 'apprendistato';
  if (code.startsWith('C.01.')) return 'tirocinio';
  return null;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Check one row: every problem is listed (not only the first), each an i18n key with its values. */
export function checkRow(row: RawRow, today: string): RowCheck {
  const reasons: Reason[] = [...row.problems];
  const v = (f: Field) => (row.fields[f] ?? '').trim();
  for (const f of FIELDS) {
    const value = v(f);
    if (value.length > MAX_FIELD) reasons.push({ key: 'outcomes.errors.tooLong', values: { field: f } });
    else if (CONTROL.test(value)) reasons.push({ key: 'outcomes.errors.control', values: { field: f } });
  }
  for (const f of REQUIRED)
    if (v(f) === '') reasons.push({ key: 'outcomes.errors.required', values: { field: f } });
  if (reasons.length > 0) return { ok: false, reasons };

  const code = v('codice_comunicazione').toUpperCase();
  if (!CODE.test(code)) reasons.push({ key: 'outcomes.errors.code' });
  const worker = validateCodiceFiscale(v('cf_lavoratore'), today);
  if (!worker.ok) reasons.push({ key: 'outcomes.errors.workerCf' });
  const employer = v('cf_datore').toUpperCase().replace(/\s+/g, '');
  const employerOk = /^\d{11}$/.test(employer)
    ? isValidPartitaIva(employer)
    : validateCodiceFiscale(employer, today).ok;
  if (!employerOk) reasons.push({ key: 'outcomes.errors.employerCf' });
  const start = parseDay(v('data_inizio'));
  if (!start) reasons.push({ key: 'outcomes.errors.startDate' });
  else if (start < '1990-01-01' || start > addDays(today, 366))
    reasons.push({ key: 'outcomes.errors.startRange' });
  let end: string | null = null;
  if (v('data_fine') !== '') {
    end = parseDay(v('data_fine'));
    if (!end) reasons.push({ key: 'outcomes.errors.endDate' });
    else if (start && end < start) reasons.push({ key: 'outcomes.errors.endBeforeStart' });
  }
  const contract = v('tipologia_contrattuale').toUpperCase();
  if (!CONTRACT.test(contract)) reasons.push({ key: 'outcomes.errors.contract' });
  const istat = v('qualifica_istat');
  if (!ISTAT.test(istat)) reasons.push({ key: 'outcomes.errors.istat' });
  const esco = v('occupazione_esco');
  if (esco !== '' && !ESCO.test(esco)) reasons.push({ key: 'outcomes.errors.esco' });
  const workplace = v('comune_sede').toUpperCase();
  if (!WORKPLACE.test(workplace)) reasons.push({ key: 'outcomes.errors.workplace' });
  const ref = v('riferimento_offerta').toLowerCase();
  if (ref !== '' && !UUID.test(ref)) reasons.push({ key: 'outcomes.errors.vacancyRef' });
  if (reasons.length > 0 || !worker.ok || !start) return { ok: false, reasons };
  return {
    ok: true,
    value: {
      code,
      workerFiscalCode: worker.value,
      employerTaxCode: employer,
      startedOn: start,
      endedOn: end,
      contractCode: contract,
      contractType: contractTypeOf(contract),
      istatCode: istat,
      escoUri: esco === '' ? null : esco,
      workplaceCode: workplace,
      vacancyRef: ref === '' ? null : ref,
    },
  };
}
