import { sql } from 'kysely';
import { type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';

/**
 * The person's request to erase their data (GDPR art. 17). The public employment service processes
 * data for a task in the public interest laid down by law (D.Lgs. 150/2015): art. 17(3)(b) lets it
 * keep what that task needs. So the answer is per category:
 * - erasable (optional, given by choice): profile contacts, the CV, the visibility to companies;
 * - kept, with the reason shown in plain language: the DID, the pact, the conditionality record,
 *   the employment outcomes (for their period), and the identity data that ties them together.
 */
export const ERASABLE = ['contacts', 'cv', 'visibility'] as const;
export const KEPT = ['did', 'pact', 'conditionality', 'outcomes', 'identity'] as const;
export type ErasureCategory = (typeof ERASABLE)[number] | (typeof KEPT)[number];
export const ALL_CATEGORIES: readonly ErasureCategory[] = [...ERASABLE, ...KEPT];

export function isCategory(v: string): v is ErasureCategory {
  return (ALL_CATEGORIES as readonly string[]).includes(v);
}

export type ErasureDeps = { db: Db; audit: AuditLog };
export type ErasureOutcome = { id: string; erased: ErasureCategory[]; refused: ErasureCategory[] };

/** Record and carry out a request, in one transaction with its audit entry. */
export async function requestErasure(
  deps: ErasureDeps,
  user: SessionUser,
  asked: ErasureCategory[],
  now: Date,
): Promise<ErasureOutcome> {
  const region = user.regionCode;
  const wanted = ALL_CATEGORIES.filter((c) => asked.includes(c));
  const erased = wanted.filter((c): c is (typeof ERASABLE)[number] =>
    (ERASABLE as readonly string[]).includes(c),
  );
  const refused = wanted.filter((c) => (KEPT as readonly string[]).includes(c));
  return deps.db.transaction().execute(async (trx) => {
    const effects: Record<string, number> = {};
    if (erased.includes('contacts')) {
      const r = await trx
        .updateTable('citizen_profiles')
        .set({ email: null, email_verified_at: null, mobile: null, mobile_verified_at: null })
        .where('region_code', '=', region)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      effects.contacts = Number(r.numUpdatedRows);
    }
    if (erased.includes('cv')) {
      const r = await trx
        .deleteFrom('cvs')
        .where('region_code', '=', region)
        .where('citizen_id', '=', user.id)
        .executeTakeFirst();
      effects.cv = Number(r.numDeletedRows);
    }
    if (erased.includes('visibility')) {
      const r = await trx
        .deleteFrom('candidate_visibility')
        .where('region_code', '=', region)
        .where('citizen_id', '=', user.id)
        .executeTakeFirst();
      // Companies waiting for an answer see "declined", as when the person turns visibility off.
      const d = await trx
        .updateTable('contact_requests')
        .set({ status: 'declined', answered_at: now })
        .where('region_code', '=', region)
        .where('citizen_id', '=', user.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      effects.visibility = Number(r.numDeletedRows);
      effects.declinedRequests = Number(d.numUpdatedRows);
    }
    const row = await trx
      .insertInto('erasure_requests')
      .values({ region_code: region, citizen_id: user.id, requested_at: now, asked: wanted, erased, refused })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: region,
        action: 'retention.erasure_requested',
        outcome: refused.length > 0 && erased.length === 0 ? 'refused' : 'ok',
        actor: actorOf(user),
        subjectId: user.id,
        purpose: 'erasure_request',
        objectType: 'erasure_request',
        objectId: row.id,
        details: {
          asked: wanted,
          erased,
          refused,
          legalBasisRefused: refused.length ? 'GDPR 17(3)(b)' : null,
          effects,
        },
      },
      trx,
    );
    return { id: row.id, erased, refused };
  });
}

export type ErasureRow = {
  id: string;
  requested_at: Date;
  asked: string[];
  erased: string[];
  refused: string[];
};

/** The person's own requests, newest first. */
export async function myErasureRequests(db: Db, user: SessionUser): Promise<ErasureRow[]> {
  return db
    .selectFrom('erasure_requests')
    .select(['id', 'requested_at', 'asked', 'erased', 'refused'])
    .where('region_code', '=', user.regionCode)
    .where('citizen_id', '=', user.id)
    .orderBy('requested_at', 'desc')
    .limit(20)
    .execute();
}

/** For the admin page: how many requests in the Region since a date, and how many had a refusal. */
export async function erasureCounts(
  db: Db,
  region: string,
  since: Date,
): Promise<{ total: number; withRefusal: number }> {
  const r = await db
    .selectFrom('erasure_requests')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      sql<string>`count(*) filter (where cardinality(refused) > 0)`.as('with_refusal'),
    ])
    .where('region_code', '=', region)
    .where('requested_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), withRefusal: Number(r.with_refusal) };
}
