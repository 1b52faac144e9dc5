import { randomBytes, randomInt } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Job } from 'pg-boss';
import { z } from 'zod';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import { signingKey } from '../adapters/keys.ts';
import type { BadgeRequest } from '../contract.ts';
import { BADGE_QUEUE } from '../contract.ts';
import { badgeCode, buildCredential, issuerUrls, VC_JWT_TYPE } from '../domain/credential.ts';
import { STATUS_LIST_BITS } from '../domain/status-list.ts';

export type BadgesDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue; config: Config };

const RequestSchema = z.object({
  regionCode: z.string().regex(/^[0-9]{2}$/),
  citizenId: z.string().uuid(),
  kind: z.enum(['course_completed', 'competence_validated']),
  sourceRef: z.string().min(1).max(200),
  achievement: z.object({
    name: z.string().trim().min(1).max(300),
    description: z.string().trim().max(4000),
    criteria: z.string().trim().min(1).max(4000),
    skills: z
      .array(z.object({ uri: z.string().url().max(500), label: z.string().trim().min(1).max(300) }))
      .max(50),
    eqfLevel: z.number().int().min(1).max(8).nullish(),
  }),
});

export type IssueResult =
  | { ok: true; id: string; code: string; created: boolean }
  | { ok: false; reason: 'invalid_request' | 'unknown_citizen' };

export async function regionName(db: Db, regionCode: string): Promise<string> {
  const row = await db
    .selectFrom('regions')
    .select('name')
    .where('region_code', '=', regionCode)
    .executeTakeFirst();
  return row?.name ?? regionCode;
}

async function existing(db: Db, r: BadgeRequest) {
  return db
    .selectFrom('badges')
    .select(['id', 'code'])
    .where('region_code', '=', r.regionCode)
    .where('kind', '=', r.kind)
    .where('source_ref', '=', r.sourceRef)
    .executeTakeFirst();
}

/**
 * Issues (makes, signs and stores) the Open Badges 3.0 credential asked for by another context.
 * Idempotent by (Region, kind, source): asking again returns the badge already issued.
 */
export async function issueBadge(deps: BadgesDeps, request: BadgeRequest, now: Date): Promise<IssueResult> {
  const parsed = RequestSchema.safeParse(request);
  if (!parsed.success) return { ok: false, reason: 'invalid_request' };
  const r = parsed.data as BadgeRequest;
  const found = await existing(deps.db, r);
  if (found) return { ok: true, id: found.id, code: found.code, created: false };

  const person = await deps.db
    .selectFrom('users')
    .select(['id', 'fiscal_code'])
    .where('region_code', '=', r.regionCode)
    .where('id', '=', r.citizenId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return { ok: false, reason: 'unknown_citizen' };

  const urls = issuerUrls(deps.config.publicUrl);
  const key = await signingKey(deps.db, deps.config.sessionSecret, r.regionCode, urls.issuerId);
  const name = await regionName(deps.db, r.regionCode);
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);

  // A random place in the status list (so that neighbouring indices say nothing about who is who);
  // on the rare clash with another badge's index or code, try again.
  for (let attempt = 0; attempt < 8; attempt++) {
    const code = badgeCode(randomBytes(11));
    const statusIndex = randomInt(STATUS_LIST_BITS);
    const credential = buildCredential({
      publicUrl: deps.config.publicUrl,
      regionCode: r.regionCode,
      regionName: name,
      code,
      kind: r.kind,
      issuedAt,
      recipientIdentifier: person.fiscal_code
        ? { value: person.fiscal_code.toUpperCase(), type: 'nationalIdentityNumber' }
        : { value: person.id, type: 'identifier' },
      salt: randomBytes(16).toString('hex'),
      statusList: 1,
      statusIndex,
      achievement: r.achievement,
    });
    const jwt = await new SignJWT({ ...credential, iss: credential.issuer.id })
      .setProtectedHeader({ alg: 'EdDSA', typ: VC_JWT_TYPE, cty: 'vc', kid: key.kid })
      .sign(key.key);
    const inserted = await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('badges')
        .values({
          region_code: r.regionCode,
          citizen_id: r.citizenId,
          kind: r.kind,
          source_ref: r.sourceRef,
          code,
          status_list: 1,
          status_index: statusIndex,
          name: r.achievement.name,
          description: r.achievement.description,
          credential: JSON.stringify(credential),
          jwt,
          verify_url: urls.verify(code),
          kid: key.kid,
          issued_at: issuedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) return null;
      await deps.audit.record(
        {
          regionCode: r.regionCode,
          action: 'badge.issued',
          outcome: 'ok',
          subjectId: r.citizenId,
          objectType: 'badge',
          objectId: row.id,
          details: { kind: r.kind, sourceRef: r.sourceRef, code },
        },
        trx,
      );
      return row;
    });
    if (inserted) return { ok: true, id: inserted.id, code, created: true };
    const again = await existing(deps.db, r);
    if (again) return { ok: true, id: again.id, code: again.code, created: false };
  }
  throw new Error('could not allocate a badge code and status index');
}

/** The 'badge-issue' job handler (pg-boss hands a batch): issues each requested badge. */
export function badgeJobHandler(deps: BadgesDeps, clock: () => Date = () => new Date()) {
  return async (jobs: Job<BadgeRequest>[]): Promise<void> => {
    for (const job of jobs) {
      const result = await issueBadge(deps, job.data, clock());
      // A malformed request or an unknown person will not get better by retrying: drop it, loudly.
      if (!result.ok) console.warn(`badge-issue job ${job.id} refused: ${result.reason}`);
    }
  };
}

export async function startBadgeWorker(deps: BadgesDeps): Promise<void> {
  await deps.queue.boss.work<BadgeRequest>(BADGE_QUEUE, { pollingIntervalSeconds: 2 }, badgeJobHandler(deps));
}
