import { sql } from 'kysely';
import type { Actor, AuditLog } from '../../platform/audit/audit.ts';
import { ABSOLUTE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { RetentionResult } from '../adapters/retention-tables.ts';
import { RETENTION_CATEGORIES, type RetentionCategory, type RetentionConfig } from '../config.ts';

export type RetentionDeps = { db: Db; audit: AuditLog; retention: RetentionConfig; defaultRegion: string };

const DAY = 86_400_000;

function affected(r: { numDeletedRows?: bigint; numUpdatedRows?: bigint } | undefined): number {
  if (!r) return 0;
  return Number(r.numDeletedRows ?? r.numUpdatedRows ?? 0n);
}

function sum(results: { numDeletedRows?: bigint; numUpdatedRows?: bigint }[][]): number {
  return results.reduce((n, rs) => n + rs.reduce((m, r) => m + affected(r), 0), 0);
}

/**
 * What one category does for one Region, given its cut-off (now minus the period). Tables without a
 * Region (sign-in transactions, rate limits, the delivery log) are handled in the run of the Region
 * this deployment serves (`global`).
 */
async function apply(
  trx: Tx,
  category: RetentionCategory,
  region: string,
  cutoff: Date,
  global: boolean,
): Promise<number> {
  switch (category) {
    case 'sessions':
      return sum([
        await trx
          .deleteFrom('sessions')
          .where('region_code', '=', region)
          .where((eb) =>
            eb.or([
              eb('last_seen_at', '<', new Date(cutoff.getTime() - IDLE_TIMEOUT_MS)),
              eb('created_at', '<', new Date(cutoff.getTime() - ABSOLUTE_TIMEOUT_MS)),
            ]),
          )
          .execute(),
      ]);
    case 'one_time_tokens': {
      // Used or expired sign-in codes, password reset links, pact signing codes, one-click links.
      let n = 0;
      for (const table of ['one_time_codes', 'password_resets', 'pact_sign_codes', 'appointment_tokens']) {
        const r = await sql`delete from ${sql.table(table)} where region_code = ${region}
          and (expires_at < ${cutoff} or (used_at is not null and used_at < ${cutoff}))`.execute(trx);
        n += Number(r.numAffectedRows ?? 0n);
      }
      return n;
    }
    case 'oidc_transactions':
      return global
        ? sum([await trx.deleteFrom('oidc_transactions').where('created_at', '<', cutoff).execute()])
        : 0;
    case 'rate_limits':
      return global
        ? sum([await trx.deleteFrom('rate_limits').where('window_start', '<', cutoff).execute()])
        : 0;
    case 'sent_messages':
      return global
        ? sum([await trx.deleteFrom('sent_messages').where('sent_at', '<', cutoff).execute()])
        : 0;
    case 'draft_attachments':
      return sum([
        await trx
          .deleteFrom('message_attachments')
          .where('region_code', '=', region)
          .where('message_id', 'is', null)
          .where('created_at', '<', cutoff)
          .execute(),
      ]);
    case 'message_attachments':
      return sum([
        await trx
          .deleteFrom('message_attachments')
          .where('region_code', '=', region)
          .where('message_id', 'is not', null)
          .where('created_at', '<', cutoff)
          .execute(),
      ]);
    case 'closed_accounts':
      return pseudonymiseClosedAccounts(trx, region, cutoff);
    case 'help_requests':
      return sum([
        await trx
          .updateTable('help_requests')
          .set({ name: '—', contact: '—', message: '—', user_id: null })
          .where('region_code', '=', region)
          .where('status', '=', 'closed')
          .where('created_at', '<', cutoff)
          .where((eb) => eb.or([eb('name', '<>', '—'), eb('contact', '<>', '—'), eb('message', '<>', '—')]))
          .execute(),
      ]);
    case 'accessibility_contacts':
      return sum([
        await trx
          .updateTable('accessibility_feedback')
          .set({ contact: null })
          .where('region_code', '=', region)
          .where('contact', 'is not', null)
          .where('created_at', '<', cutoff)
          .execute(),
      ]);
    case 'employment_outcomes':
      return sum([
        await trx
          .deleteFrom('employment_outcomes')
          .where('region_code', '=', region)
          .where('started_on', '<', cutoff)
          .execute(),
      ]);
    case 'audit_log':
      // Kept: the log is append-only and hash-chained, and never erased before its period (≥ 24 months).
      return 0;
  }
}

/**
 * Closed accounts past their period keep only what identifies the service records (name, fiscal code,
 * birth data): contacts, credentials, second factor, sessions, API tokens, CV and visibility go.
 */
async function pseudonymiseClosedAccounts(trx: Tx, region: string, cutoff: Date): Promise<number> {
  const ids = (
    await trx
      .selectFrom('users as u')
      .select('u.id')
      .where('u.region_code', '=', region)
      .where('u.disabled_at', 'is not', null)
      .where('u.disabled_at', '<', cutoff)
      .where((eb) =>
        eb.or([
          eb('u.email', 'is not', null),
          eb('u.phone', 'is not', null),
          eb('u.password_hash', 'is not', null),
          eb('u.totp_secret', 'is not', null),
          eb.exists(
            eb
              .selectFrom('citizen_profiles as p')
              .select('p.user_id')
              .whereRef('p.region_code', '=', 'u.region_code')
              .whereRef('p.user_id', '=', 'u.id')
              .where((e) => e.or([e('p.email', 'is not', null), e('p.mobile', 'is not', null)])),
          ),
          eb.exists(
            eb
              .selectFrom('cvs as c')
              .select('c.id')
              .whereRef('c.region_code', '=', 'u.region_code')
              .whereRef('c.citizen_id', '=', 'u.id'),
          ),
          eb.exists(
            eb
              .selectFrom('candidate_visibility as v')
              .select('v.citizen_id')
              .whereRef('v.region_code', '=', 'u.region_code')
              .whereRef('v.citizen_id', '=', 'u.id'),
          ),
        ]),
      )
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  await trx
    .updateTable('users')
    .set({
      email: null,
      email_verified_at: null,
      phone: null,
      password_hash: null,
      totp_secret: null,
      totp_enabled_at: null,
    })
    .where('region_code', '=', region)
    .where('id', 'in', ids)
    .execute();
  await trx
    .updateTable('citizen_profiles')
    .set({ email: null, email_verified_at: null, mobile: null, mobile_verified_at: null })
    .where('region_code', '=', region)
    .where('user_id', 'in', ids)
    .execute();
  await trx.deleteFrom('cvs').where('region_code', '=', region).where('citizen_id', 'in', ids).execute();
  await trx
    .deleteFrom('candidate_visibility')
    .where('region_code', '=', region)
    .where('citizen_id', 'in', ids)
    .execute();
  await trx.deleteFrom('sessions').where('region_code', '=', region).where('user_id', 'in', ids).execute();
  await trx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('region_code', '=', region)
    .where('user_id', 'in', ids)
    .where('revoked_at', 'is', null)
    .execute();
  return ids.length;
}

export type RunReport = { regionCode: string; runId: string; results: RetentionResult[]; total: number };

/** One run for one Region, in one transaction, with its report row and an audit entry. */
export async function runRetentionForRegion(
  deps: RetentionDeps,
  region: string,
  now: Date,
  trigger: 'schedule' | 'admin',
  actor: Actor | null = null,
): Promise<RunReport> {
  const global = region === deps.defaultRegion;
  return deps.db.transaction().execute(async (trx) => {
    // Two runs for the same Region never overlap (a manual run during the scheduled one waits).
    await sql`select pg_advisory_xact_lock(hashtext(${`retention:${region}`}))`.execute(trx);
    const results: RetentionResult[] = [];
    for (const category of RETENTION_CATEGORIES) {
      const policy = deps.retention[category];
      const cutoff = new Date(now.getTime() - policy.days * DAY);
      // Each category in its own savepoint: one that fails (a constraint another context added) is
      // reported and rolled back alone, and the others still run.
      await sql`savepoint retention_category`.execute(trx);
      let n = 0;
      let failed: string | undefined;
      try {
        n = await apply(trx, category, region, cutoff, global);
        await sql`release savepoint retention_category`.execute(trx);
      } catch (error) {
        await sql`rollback to savepoint retention_category`.execute(trx);
        failed = String((error as Error).message ?? error).slice(0, 300);
      }
      results.push({
        category,
        action: policy.action,
        days: policy.days,
        cutoff: cutoff.toISOString(),
        affected: n,
        ...(failed ? { failed } : {}),
      });
    }
    const total = results.reduce((n, r) => n + r.affected, 0);
    const run = await trx
      .insertInto('retention_runs')
      .values({
        region_code: region,
        run_at: now,
        trigger,
        results: JSON.stringify(results),
        total_affected: total,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: region,
        action: 'retention.run',
        outcome: 'ok',
        actor,
        purpose: 'retention',
        objectType: 'retention_run',
        objectId: run.id,
        details: {
          trigger,
          total,
          failed: results.filter((r) => r.failed).map((r) => r.category),
          affected: Object.fromEntries(
            results.filter((r) => r.affected > 0).map((r) => [r.category, r.affected]),
          ),
        },
      },
      trx,
    );
    return { regionCode: region, runId: run.id, results, total };
  });
}

/** The daily job: every Region served by this database, each in its own transaction. */
export async function runRetention(deps: RetentionDeps, now: Date): Promise<RunReport[]> {
  const regions = await deps.db.selectFrom('regions').select('region_code').orderBy('region_code').execute();
  const out: RunReport[] = [];
  for (const r of regions) out.push(await runRetentionForRegion(deps, r.region_code, now, 'schedule'));
  return out;
}

export type RunRow = {
  id: string;
  run_at: Date;
  trigger: 'schedule' | 'admin';
  total_affected: number;
  results: RetentionResult[];
};

/** The Region's latest runs, newest first. */
export async function recentRuns(db: Db, region: string, limit = 10): Promise<RunRow[]> {
  return db
    .selectFrom('retention_runs')
    .select(['id', 'run_at', 'trigger', 'total_affected', 'results'])
    .where('region_code', '=', region)
    .orderBy('run_at', 'desc')
    .orderBy('finished_at', 'desc')
    .limit(limit)
    .execute();
}
