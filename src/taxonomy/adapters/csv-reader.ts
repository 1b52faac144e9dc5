import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import { type FileSpec, headerProblem } from '../domain/esco-files.ts';

/** A file that cannot be imported: the message names the file and, when it is about one, the column. */
export class EscoFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'EscoFileError';
  }
}

export type CsvRow = Record<string, string>;

const PARSE_OPTIONS = { bom: true, relax_quotes: false, skip_empty_lines: true } as const;

/** The header row of a CSV file (reads only the first record). */
export async function readHeader(file: string): Promise<string[]> {
  const name = path.basename(file);
  const parser = createReadStream(file).pipe(parse({ ...PARSE_OPTIONS, to: 1 }));
  try {
    for await (const record of parser) return (record as string[]).map((h) => h.trim());
  } catch (error) {
    throw new EscoFileError(`${name}: the header cannot be read (${(error as Error).message}).`, name);
  }
  throw new EscoFileError(`${name}: the file is empty (no header row).`, name);
}

/** Checks the header against the spec; throws an EscoFileError naming the file and the missing column. */
export async function checkHeader(file: string, spec: FileSpec): Promise<string[]> {
  const name = path.basename(file);
  const header = await readHeader(file);
  const problem = headerProblem(name, header, spec);
  if (problem) {
    const column = spec.required.find((c) => !header.includes(c));
    throw new EscoFileError(problem, name, column);
  }
  return header;
}

export type RowBatch = { rows: { row: CsvRow; line: number }[]; bytes: number };

/**
 * Streams a CSV file with csv-parse, in batches, with the byte position for a progress bar.
 * Malformed CSV (unbalanced quotes, a row with a different number of fields) is an EscoFileError
 * with the file name and the line.
 */
export async function* readBatches(file: string, batchSize: number): AsyncGenerator<RowBatch> {
  const name = path.basename(file);
  const parser = createReadStream(file).pipe(parse({ ...PARSE_OPTIONS, columns: true, info: true }));
  let rows: RowBatch['rows'] = [];
  let bytes = 0;
  try {
    for await (const item of parser as AsyncIterable<{
      record: CsvRow;
      info: { lines: number; bytes: number };
    }>) {
      rows.push({ row: item.record, line: item.info.lines });
      bytes = item.info.bytes;
      if (rows.length >= batchSize) {
        yield { rows, bytes };
        rows = [];
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new EscoFileError(`${name}${line ? ` line ${line}` : ''}: ${error.message}`, name);
    }
    throw error;
  }
  if (rows.length > 0) yield { rows, bytes };
}

export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
