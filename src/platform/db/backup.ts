import { createWriteStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * Logical backup of the application's tables (schema `public`): a gzip file of sections, each a JSON
 * header line followed by the table's rows in PostgreSQL COPY text format, ended by `\.`.
 * Restore runs into a freshly migrated, empty database, parents before children.
 */
const FORMAT = 'sportello-backup/1';

async function tablesInDependencyOrder(client: pg.PoolClient): Promise<string[]> {
  const tables = (
    await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'schema_migrations' order by table_name",
    )
  ).rows.map((r) => r.name);
  const deps = (
    await client.query<{ child: string; parent: string }>(
      `select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where c.contype = 'f' and n.nspname = 'public'`,
    )
  ).rows;
  const ordered: string[] = [];
  const remaining = new Set(tables);
  while (remaining.size > 0) {
    const ready = [...remaining].filter(
      (t) => !deps.some((d) => d.child === t && d.parent !== t && remaining.has(d.parent)),
    );
    if (ready.length === 0) throw new Error('circular foreign keys');
    for (const t of ready) {
      ordered.push(t);
      remaining.delete(t);
    }
  }
  return ordered;
}

export async function backup(
  pool: pg.Pool,
  file: string,
  onTable?: (name: string) => void,
): Promise<{ tables: number }> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const migrations = (
      await client.query<{ name: string }>('select name from schema_migrations order by name')
    ).rows.map((r) => r.name);
    const tables = await tablesInDependencyOrder(client);
    async function* sections() {
      yield `${JSON.stringify({ format: FORMAT, migrations, createdAt: new Date().toISOString() })}\n`;
      for (const table of tables) {
        onTable?.(table);
        yield `${JSON.stringify({ table })}\n`;
        const stream = client.query(copyTo(`copy "${table}" to stdout`));
        for await (const chunk of stream) yield chunk as Buffer;
        yield '\\.\n';
      }
    }
    await pipeline(Readable.from(sections()), createGzip(), createWriteStream(file));
    await client.query('commit');
    return { tables: tables.length };
  } finally {
    client.release();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function restore(
  pool: pg.Pool,
  file: string,
  onTable?: (name: string) => void,
): Promise<{ tables: number; rows: number }> {
  // Read whole: COPY text format escapes newlines, so a line is a row. (Streaming is a later step.)
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const client = await pool.connect();
  let tables = 0;
  let rows = 0;
  try {
    await client.query('begin');
    let header: { format?: string; migrations?: string[] } | null = null;
    let current: { table: string; buffer: string[] } | null = null;
    const flush = async () => {
      if (!current) return;
      const { table, buffer } = current;
      const copy = client.query(copyFrom(`copy "${table}" from stdin`));
      await pipeline(Readable.from(buffer.map((l) => `${l}\n`)), copy);
      rows += buffer.length;
      tables++;
      current = null;
    };
    for (const line of lines) {
      if (!header) {
        header = JSON.parse(line) as { format?: string; migrations?: string[] };
        if (header.format !== FORMAT) throw new Error('not a Sportello Lavoro backup file');
        const have = (
          await client.query<{ name: string }>('select name from schema_migrations order by name')
        ).rows.map((r) => r.name);
        if (JSON.stringify(have) !== JSON.stringify(header.migrations)) {
          throw new Error('the backup was made with a different set of migrations than this database has');
        }
        const users = await client.query('select 1 from users limit 1');
        if (users.rowCount) throw new Error('the target database is not empty: restore into a new database');
        continue;
      }
      if (!current) {
        const { table } = JSON.parse(line) as { table: string };
        if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad table name in backup: ${table}`);
        onTable?.(table);
        current = { table, buffer: [] };
      } else if (line === '\\.') {
        await flush();
      } else {
        current.buffer.push(line);
      }
    }
    // Every identity or serial column continues after the restored rows (COPY writes the values but
    // does not move their sequences): dev_outbox ids, vacancies' and profiles' matching keys, ESCO's.
    const sequences = await client.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = current_schema()
          and (is_identity = 'YES' or column_default like 'nextval(%')
          and pg_get_serial_sequence(quote_ident(table_name), column_name) is not null`,
    );
    for (const { table_name: t, column_name: c } of sequences.rows) {
      await client.query(
        `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${quoteIdent(c)}) from ${quoteIdent(t)}), 0) + 1, false)`,
        [quoteIdent(t), c],
      );
    }
    await client.query('commit');
    return { tables, rows };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
