/**
 * Importer of the ISTAT municipalities (`npx sportello import comuni <file> [--geo <file>]`).
 *
 * Reads a municipalities file in the comuni-2018 layout (`italy_cities.json`: istat, comune, regione,
 * provincia, cod_fisco, …) and optionally a coordinates file (`italy_geo.json`: istat, lng, lat),
 * validates them, and upserts into `municipalities` in batches inside one transaction. Re-running
 * with the same files changes nothing. Nothing is ever deleted: municipalities merge over time and
 * offices, agencies and citizen profiles keep referring to the old codes, so codes in the table that
 * the file lacks are reported instead. Coordinates the files do not give keep their current value.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';

/** A failure of the input files, in one line naming the file and the field. */
export class MunicipalityImportError extends Error {}

/** The 20 Italian Regions with their ISTAT codes. */
const REGIONS: readonly { code: string; names: readonly string[] }[] = [
  { code: '01', names: ['Piemonte'] },
  { code: '02', names: ["Valle d'Aosta", "Vallée d'Aoste", "Valle d'Aosta/Vallée d'Aoste"] },
  { code: '03', names: ['Lombardia'] },
  {
    code: '04',
    names: ['Trentino-Alto Adige', 'Trentino-Südtirol', 'Trentino-Alto Adige/Südtirol'],
  },
  { code: '05', names: ['Veneto'] },
  { code: '06', names: ['Friuli-Venezia Giulia', 'Friuli Venezia Giulia'] },
  { code: '07', names: ['Liguria'] },
  { code: '08', names: ['Emilia-Romagna'] },
  { code: '09', names: ['Toscana'] },
  { code: '10', names: ['Umbria'] },
  { code: '11', names: ['Marche'] },
  { code: '12', names: ['Lazio'] },
  { code: '13', names: ['Abruzzo'] },
  { code: '14', names: ['Molise'] },
  { code: '15', names: ['Campania'] },
  { code: '16', names: ['Puglia'] },
  { code: '17', names: ['Basilicata'] },
  { code: '18', names: ['Calabria'] },
  { code: '19', names: ['Sicilia'] },
  { code: '20', names: ['Sardegna', 'Sardigna'] },
];

/** Lower case, without accents, punctuation and spacing differences: "Vallée d'Aoste" → "vallee d aoste". */
function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const REGION_BY_NAME = new Map<string, string>(
  REGIONS.flatMap((r) => r.names.map((n) => [normaliseName(n), r.code] as const)),
);

/**
 * The 2-digit ISTAT code of a Region given its name (any case, with or without accents, either
 * half of a bilingual name) or its code ("4", "04"); undefined when it is not an Italian Region.
 */
export function regionCodeOf(value: string): string | undefined {
  const trimmed = value.trim();
  if (/^[0-9]{1,2}$/.test(trimmed)) {
    const n = Number(trimmed);
    return n >= 1 && n <= 20 ? String(n).padStart(2, '0') : undefined;
  }
  const whole = REGION_BY_NAME.get(normaliseName(trimmed));
  if (whole) return whole;
  const halves = trimmed.split('/').map((part) => REGION_BY_NAME.get(normaliseName(part)));
  return halves.find((code) => code !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Reading and validating the files

/** A text field (numbers accepted: some exports write codes as numbers), trimmed. */
function textField(expected: string) {
  return z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${expected}`),
    })
    .transform((value) => String(value).trim());
}

function patternField(pattern: RegExp, expected: string) {
  return textField(expected).superRefine((value, ctx) => {
    if (!pattern.test(value)) {
      ctx.addIssue({ code: 'custom', message: `must be ${expected}, got ${JSON.stringify(value)}` });
    }
  });
}

const istatCode = patternField(/^[0-9]{1,6}$/, 'an ISTAT code of up to 6 digits').transform((value) =>
  value.padStart(6, '0'),
);

const MunicipalityRecord = z.object(
  {
    istat: istatCode,
    comune: patternField(/^\S.{0,199}$/su, 'a non-empty name of at most 200 characters'),
    regione: textField('the name of an Italian Region').transform((value, ctx) => {
      const code = regionCodeOf(value);
      if (code === undefined) {
        ctx.addIssue({ code: 'custom', message: `is not an Italian Region: ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      return code;
    }),
    provincia: patternField(/^[A-Z]{2}$/, 'a two-letter province abbreviation (e.g. PG)'),
    cod_fisco: patternField(/^[A-Z][0-9]{3}$/, 'a Belfiore code (a letter and three digits, e.g. G478)'),
  },
  { error: 'must be an object' },
);

function coordinate(name: string, limit: number) {
  return textField(`a ${name} in decimal degrees`).transform((value, ctx) => {
    const n = value === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n) || Math.abs(n) > limit) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a ${name} in decimal degrees (−${limit} to ${limit}), got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return n;
  });
}

const CoordinatesRecord = z.object(
  { istat: istatCode, lat: coordinate('latitude', 90), lng: coordinate('longitude', 180) },
  { error: 'must be an object' },
);

export type MunicipalityInput = {
  istatCode: string;
  regionCode: string;
  name: string;
  province: string;
  belfiore: string;
};

export type Coordinates = { latitude: number; longitude: number };

export type MunicipalityFiles = {
  municipalities: MunicipalityInput[];
  /** Coordinates by 6-digit ISTAT code; undefined when no coordinates file was given. */
  coordinates: Map<string, Coordinates> | undefined;
  /** Summary rows skipped (e.g. the trailing "Total" row of the comuni-2018 files), per file. */
  skippedRows: { municipalities: number; coordinates: number };
};

async function readJsonArray(file: string): Promise<unknown[]> {
  const name = path.basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MunicipalityImportError(`${file}: cannot read the file (${code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new MunicipalityImportError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new MunicipalityImportError(`${name}: expected a JSON array of records`);
  return data;
}

/**
 * A row that is not a municipality: no numeric ISTAT code and no name, like the trailing
 * `{"istat": "Total", "comune": "", …}` and `{"istat": ""}` rows of the comuni-2018 files.
 */
function isSummaryRow(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const row = raw as Record<string, unknown>;
  const istat = typeof row.istat === 'number' ? String(row.istat) : row.istat;
  const noCode = typeof istat !== 'string' || !/^\s*[0-9]+\s*$/.test(istat);
  const noName = row.comune === undefined || row.comune === null || row.comune === '';
  return noCode && noName;
}

function parseRecords<T extends { istat: string }>(
  file: string,
  rows: unknown[],
  schema: z.ZodType<T>,
): { records: T[]; skipped: number } {
  const name = path.basename(file);
  const records: T[] = [];
  const seen = new Map<string, number>();
  let skipped = 0;
  for (const [index, raw] of rows.entries()) {
    if (isSummaryRow(raw)) {
      skipped++;
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length ? `field "${issue.path.join('.')}"` : 'the record';
      const rawIstat = (raw as { istat?: unknown } | null)?.istat;
      const which =
        typeof rawIstat === 'string' || typeof rawIstat === 'number' ? ` (istat ${rawIstat})` : '';
      const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
      throw new MunicipalityImportError(
        `${name}: record ${index + 1}${which}: ${field} ${issue.message}${more}`,
      );
    }
    const earlier = seen.get(parsed.data.istat);
    if (earlier !== undefined) {
      throw new MunicipalityImportError(
        `${name}: ISTAT code ${parsed.data.istat} appears twice (records ${earlier + 1} and ${index + 1})`,
      );
    }
    seen.set(parsed.data.istat, index);
    records.push(parsed.data);
  }
  return { records, skipped };
}

/** Read and validate the files; throws MunicipalityImportError with a one-line message. */
export async function readMunicipalityFiles(files: {
  municipalities: string;
  coordinates?: string;
}): Promise<MunicipalityFiles> {
  const cities = parseRecords(
    files.municipalities,
    await readJsonArray(files.municipalities),
    MunicipalityRecord,
  );
  if (cities.records.length === 0) {
    throw new MunicipalityImportError(
      `${path.basename(files.municipalities)}: no municipalities in the file`,
    );
  }
  let coordinates: Map<string, Coordinates> | undefined;
  let skippedCoordinates = 0;
  if (files.coordinates) {
    const geo = parseRecords(files.coordinates, await readJsonArray(files.coordinates), CoordinatesRecord);
    coordinates = new Map(geo.records.map((r) => [r.istat, { latitude: r.lat, longitude: r.lng }]));
    skippedCoordinates = geo.skipped;
  }
  return {
    municipalities: cities.records.map((r) => ({
      istatCode: r.istat,
      regionCode: r.regione,
      name: r.comune,
      province: r.provincia,
      belfiore: r.cod_fisco,
    })),
    coordinates,
    skippedRows: { municipalities: cities.skipped, coordinates: skippedCoordinates },
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

export type ImportReport = {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Imported municipalities that still have no coordinates after the import. */
  missingCoordinates: number;
  /** Municipalities in the table that the file lacks (kept, never deleted): count and the first few. */
  notInFile: { count: number; examples: { istatCode: string; name: string }[] };
  /** Codes of the coordinates file that match no municipality of the file: count and the first few. */
  unmatchedCoordinates: { count: number; examples: string[] };
};

const EXAMPLES = 5;

/** Upsert the municipalities in batches inside one transaction. Idempotent; never deletes. */
export async function importMunicipalities(
  db: Db,
  input: Pick<MunicipalityFiles, 'municipalities' | 'coordinates'>,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 1000;
  const { municipalities, coordinates } = input;
  const codes = municipalities.map((m) => m.istatCode);
  const known = new Set(codes);
  const unmatched = coordinates ? [...coordinates.keys()].filter((code) => !known.has(code)).sort() : [];

  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    let updated = 0;
    for (let start = 0; start < municipalities.length; start += batchSize) {
      const batch = municipalities.slice(start, start + batchSize);
      const rows = await trx
        .insertInto('municipalities')
        .values(
          batch.map((m) => {
            const at = coordinates?.get(m.istatCode);
            return {
              istat_code: m.istatCode,
              region_code: m.regionCode,
              name: m.name,
              province: m.province,
              belfiore: m.belfiore,
              latitude: at?.latitude ?? null,
              longitude: at?.longitude ?? null,
            };
          }),
        )
        .onConflict((oc) =>
          oc
            .column('istat_code')
            .doUpdateSet({
              region_code: (eb) => eb.ref('excluded.region_code'),
              name: (eb) => eb.ref('excluded.name'),
              province: (eb) => eb.ref('excluded.province'),
              belfiore: (eb) => eb.ref('excluded.belfiore'),
              // Coordinates the files do not give keep their current value.
              latitude: sql<number | null>`coalesce(excluded.latitude, municipalities.latitude)`,
              longitude: sql<number | null>`coalesce(excluded.longitude, municipalities.longitude)`,
            })
            // Only rows that actually change are written (and returned): re-running changes nothing.
            .where(
              sql<boolean>`(municipalities.region_code, municipalities.name, municipalities.province,
                municipalities.belfiore, municipalities.latitude, municipalities.longitude)
                is distinct from (excluded.region_code, excluded.name, excluded.province, excluded.belfiore,
                coalesce(excluded.latitude, municipalities.latitude),
                coalesce(excluded.longitude, municipalities.longitude))`,
            ),
        )
        // xmax is 0 for a freshly inserted row version, non-zero for one written by the update.
        .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
        .execute();
      for (const row of rows) {
        if (row.inserted) inserted++;
        else updated++;
      }
      options.onProgress?.(Math.min(start + batch.length, municipalities.length), municipalities.length);
    }

    const missing = await trx
      .selectFrom('municipalities')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(sql<boolean>`istat_code = any(${codes}::text[])`)
      .where((eb) => eb.or([eb('latitude', 'is', null), eb('longitude', 'is', null)]))
      .executeTakeFirstOrThrow();

    const absent = await trx
      .selectFrom('municipalities')
      .select(['istat_code', 'name', sql<string>`count(*) over ()`.as('n')])
      .where(sql<boolean>`istat_code <> all(${codes}::text[])`)
      .orderBy('istat_code')
      .limit(EXAMPLES)
      .execute();

    return {
      total: municipalities.length,
      inserted,
      updated,
      unchanged: municipalities.length - inserted - updated,
      missingCoordinates: Number(missing.n),
      notInFile: {
        count: absent.length ? Number(absent[0]!.n) : 0,
        examples: absent.map((r) => ({ istatCode: r.istat_code, name: r.name })),
      },
      unmatchedCoordinates: { count: unmatched.length, examples: unmatched.slice(0, EXAMPLES) },
    };
  });
}
