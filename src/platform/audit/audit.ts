import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db, Tx } from '../db/database.ts';

/**
 * The audit log: append-only (a trigger refuses UPDATE/DELETE/TRUNCATE) and hash-chained per
 * Region, so that a changed or removed row breaks the chain (`sportello audit verify`).
 */
export type Actor = {
  id: string;
  role: string;
  regionCode: string;
  officeId: string | null;
  agencyId: string | null;
};

/** The actor fields of a signed-in user (or anything shaped like one). */
export function actorOf(user: Actor): Actor {
  return {
    id: user.id,
    role: user.role,
    regionCode: user.regionCode,
    officeId: user.officeId,
    agencyId: user.agencyId,
  };
}

export type AuditEntry = {
  regionCode: string;
  action: string;
  outcome: 'ok' | 'refused' | 'failed';
  actor?: Actor | null;
  onBehalfOf?: string | null;
  subjectId?: string | null;
  purpose?: string | null;
  objectType?: string | null;
  objectId?: string | null;
  details?: Record<string, unknown>;
};

export const GENESIS = '0'.repeat(64);

type Hashable = {
  region_code: string;
  seq: string;
  at: string;
  action: string;
  outcome: string;
  actor_id: string | null;
  actor_role: string | null;
  actor_region: string | null;
  actor_office_id: string | null;
  actor_agency_id: string | null;
  on_behalf_of: string | null;
  subject_id: string | null;
  purpose: string | null;
  object_type: string | null;
  object_id: string | null;
  details: string;
  prev_hash: string;
};

export function entryHash(e: Hashable): string {
  const canonical = JSON.stringify([
    e.region_code,
    e.seq,
    e.at,
    e.action,
    e.outcome,
    e.actor_id,
    e.actor_role,
    e.actor_region,
    e.actor_office_id,
    e.actor_agency_id,
    e.on_behalf_of,
    e.subject_id,
    e.purpose,
    e.object_type,
    e.object_id,
    e.details,
    e.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Stable JSON (sorted keys) so the stored jsonb and the hashed text agree. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

/** The entries as rows of their Region's chain after its current end `last` (none: the chain starts). */
function chainRows(
  regionCode: string,
  entries: readonly AuditEntry[],
  last: { seq: string; hash: string } | undefined,
) {
  let seq = BigInt(last?.seq ?? '0');
  let prev = last?.hash ?? GENESIS;
  const at = new Date().toISOString();
  return entries.map((entry) => {
    seq += 1n;
    const row: Hashable = {
      region_code: regionCode,
      seq: seq.toString(),
      at,
      action: entry.action,
      outcome: entry.outcome,
      actor_id: entry.actor?.id ?? null,
      actor_role: entry.actor?.role ?? null,
      actor_region: entry.actor?.regionCode ?? null,
      actor_office_id: entry.actor?.officeId ?? null,
      actor_agency_id: entry.actor?.agencyId ?? null,
      on_behalf_of: entry.onBehalfOf ?? null,
      subject_id: entry.subjectId ?? null,
      purpose: entry.purpose ?? null,
      object_type: entry.objectType ?? null,
      object_id: entry.objectId ?? null,
      details: stableJson(entry.details ?? {}),
      prev_hash: prev,
    };
    prev = entryHash(row);
    return { ...row, at: new Date(at), hash: prev };
  });
}

/** The one Region all `entries` belong to (undefined for none). */
function regionOf(entries: readonly AuditEntry[]): string | undefined {
  const regionCode = entries[0]?.regionCode;
  if (entries.some((e) => e.regionCode !== regionCode)) throw new Error('audit entries of several Regions');
  return regionCode;
}

const lockKey = (regionCode: string) => `audit:${regionCode}`;

/**
 * Appends entries to their Region's chain inside a business transaction, in order: one lock, one read
 * of the chain's end, one insert.
 */
async function appendIn(trx: Tx, entries: readonly AuditEntry[]): Promise<void> {
  const regionCode = regionOf(entries);
  if (regionCode === undefined) return;
  // One writer at a time per Region keeps the chain linear. The lock is its own statement so that the
  // read below takes its snapshot after the previous writer committed.
  await sql`select pg_advisory_xact_lock(hashtext(${lockKey(regionCode)}))`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('region_code', '=', regionCode)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  await trx
    .insertInto('audit_log')
    .values(chainRows(regionCode, entries, last))
    .execute();
}

/**
 * Appends entries in a transaction of their own, in three round trips to PostgreSQL instead of five:
 * `begin`, the lock and the read of the chain's end travel together as one simple query (each of its
 * statements takes its own snapshot, so the read still sees the previous writer's commit), then the
 * insert (with parameters, compiled by Kysely), then `commit`. The Region's lock is held for two round
 * trips instead of three. (Measured in bench/load.ts on the audited candidate search page.)
 */
async function appendAlone(db: Db, pool: pg.Pool, entries: readonly AuditEntry[]): Promise<void> {
  const regionCode = regionOf(entries);
  if (regionCode === undefined) return;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const results = (await client.query(
      `begin; select pg_advisory_xact_lock(hashtext(${client.escapeLiteral(lockKey(regionCode))})); ` +
        `select seq, hash from audit_log where region_code = ${client.escapeLiteral(regionCode)} order by seq desc limit 1`,
    )) as unknown as pg.QueryResult<{ seq: string; hash: string }>[];
    const insert = db
      .insertInto('audit_log')
      .values(chainRows(regionCode, entries, results[2]?.rows[0]))
      .compile();
    await client.query(insert.sql, [...insert.parameters]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch((e: Error) => {
      broken = e; // the connection is unusable: the pool must not hand it out again
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

export type AuditLog = {
  record: (entry: AuditEntry, trx?: Tx) => Promise<void>;
  /** One `read.<objectType>` entry per person shown on a page, in one transaction. */
  recordReads: (
    actor: Actor,
    objectType: string,
    purpose: string,
    reads: { subjectId: string | null; objectId: string | null }[],
  ) => Promise<void>;
};

/**
 * Appends that are not part of a business transaction go through one writer per process (group
 * commit). The Region's lock is held from the read of the chain's end to the commit, so one
 * transaction per audited page would make every audited page of a Region wait in line; instead,
 * the entries that arrive while an append is committing wait for it and are then appended together,
 * in arrival order, in one transaction. Each caller still returns only once its own entries are
 * committed. If a group fails, each caller's entries are tried alone, so a bad entry fails only its
 * own caller.
 */
function groupCommitter(db: Db, pool: pg.Pool): (entries: readonly AuditEntry[]) => Promise<void> {
  type Waiting = { entries: readonly AuditEntry[]; resolve: () => void; reject: (error: unknown) => void };
  const alone = (entries: readonly AuditEntry[]) => appendAlone(db, pool, entries);
  let queue: Waiting[] = [];
  let writing = false;
  const write = async () => {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        const byRegion = new Map<string, Waiting[]>();
        for (const w of batch) {
          const region = w.entries[0]?.regionCode ?? '';
          byRegion.set(region, [...(byRegion.get(region) ?? []), w]);
        }
        for (const group of byRegion.values()) {
          try {
            await alone(group.flatMap((w) => w.entries));
            for (const w of group) w.resolve();
          } catch (error) {
            if (group.length === 1) {
              group[0]?.reject(error);
              continue;
            }
            for (const w of group) await alone(w.entries).then(w.resolve, w.reject);
          }
        }
      }
    } finally {
      writing = false;
    }
  };
  return (entries) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ entries, resolve, reject });
      if (!writing) void write();
    });
}

export function makeAuditLog(db: Db, pool: pg.Pool): AuditLog {
  const append = groupCommitter(db, pool);
  return {
    record: async (entry, trx) => {
      if (trx) return appendIn(trx, [entry]);
      await append([entry]);
    },
    recordReads: async (actor, objectType, purpose, reads) => {
      if (reads.length === 0) return;
      await append(
        reads.map((r) => ({
          regionCode: actor.regionCode,
          action: `read.${objectType}`,
          outcome: 'ok' as const,
          actor: actorOf(actor),
          subjectId: r.subjectId,
          purpose,
          objectType,
          objectId: r.objectId,
        })),
      );
    },
  };
}

export type VerifyResult = { regionCode: string; entries: number; ok: boolean; brokenAt?: string };

/** Recompute every chain; report the first entry whose hash or link does not match. */
export async function verifyAuditChains(db: Db): Promise<VerifyResult[]> {
  const regions = await db.selectFrom('audit_log').select('region_code').distinct().execute();
  const results: VerifyResult[] = [];
  for (const { region_code } of regions) {
    let prev = GENESIS;
    let count = 0;
    let brokenAt: string | undefined;
    let after = '0';
    for (;;) {
      const rows = await db
        .selectFrom('audit_log')
        .select([
          'region_code',
          'seq',
          sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as('at_text'),
          'action',
          'outcome',
          'actor_id',
          'actor_role',
          'actor_region',
          'actor_office_id',
          'actor_agency_id',
          'on_behalf_of',
          'subject_id',
          'purpose',
          'object_type',
          'object_id',
          sql<unknown>`details`.as('details_json'),
          'prev_hash',
          'hash',
        ])
        .where('region_code', '=', region_code)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(5000)
        .execute();
      if (rows.length === 0) break;
      for (const r of rows) {
        count++;
        const expected = entryHash({ ...r, at: r.at_text, details: stableJson(r.details_json) });
        if (r.prev_hash !== prev || r.hash !== expected) {
          brokenAt ??= r.seq;
        }
        prev = r.hash;
        after = r.seq;
      }
      if (brokenAt) break;
    }
    results.push(
      brokenAt
        ? { regionCode: region_code, entries: count, ok: false, brokenAt }
        : { regionCode: region_code, entries: count, ok: true },
    );
  }
  return results;
}
