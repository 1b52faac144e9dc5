import { sql } from 'kysely';
import { type Actor, actorOf } from '../../platform/audit/audit.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { BadgesDeps } from './issue.ts';

export type OperatorBadge = {
  id: string;
  code: string;
  name: string;
  citizenId: string;
  givenName: string;
  familyName: string;
  issuedAt: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
};

/** A badge of the operator's Region (by id or public code), or null: another Region's is "not found". */
export async function badgeForOperator(
  deps: BadgesDeps,
  user: Actor,
  by: { id: string } | { code: string },
): Promise<OperatorBadge | null> {
  let q = deps.db
    .selectFrom('badges as b')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'b.region_code').onRef('u.id', '=', 'b.citizen_id'),
    )
    .select([
      'b.id',
      'b.code',
      'b.name',
      'b.citizen_id',
      'u.given_name',
      'u.family_name',
      'b.issued_at',
      'b.revoked_at',
      'b.revocation_reason',
    ])
    .where('b.region_code', '=', user.regionCode);
  q = 'id' in by ? q.where('b.id', '=', by.id) : q.where('b.code', '=', by.code.trim().toUpperCase());
  const row = await q.executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    citizenId: row.citizen_id,
    givenName: row.given_name,
    familyName: row.family_name,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
  };
}

/**
 * An operator revokes a badge of their Region: the bit in the status list turns on, the act is
 * audited and the person is told by e-mail, all in one transaction.
 */
export async function revokeBadge(
  deps: BadgesDeps,
  user: Actor,
  badgeId: string,
  reason: string,
  now: Date,
): Promise<'revoked' | 'already' | 'not_found'> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('badges')
      .set({ revoked_at: now, revoked_by: user.id, revocation_reason: reason })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', badgeId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'citizen_id', 'name', 'code'])
      .executeTakeFirst();
    if (!row) {
      const exists = await trx
        .selectFrom('badges')
        .select('id')
        .where('region_code', '=', user.regionCode)
        .where('id', '=', badgeId)
        .executeTakeFirst();
      return exists ? 'already' : 'not_found';
    }
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'badge.revoked',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: row.citizen_id,
        objectType: 'badge',
        objectId: row.id,
        details: { code: row.code, reason },
      },
      trx,
    );
    const person = await trx
      .selectFrom('users as u')
      .leftJoin('citizen_profiles as p', (j) =>
        j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
      )
      .select([
        'u.given_name',
        'u.preferred_language',
        sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      ])
      .where('u.region_code', '=', user.regionCode)
      .where('u.id', '=', row.citizen_id)
      .executeTakeFirst();
    if (person?.email) {
      const t = translator(isLang(person.preferred_language) ? person.preferred_language : 'it');
      await deps.notifier.email(trx, {
        key: `badge-revoked:${row.id}`,
        to: person.email,
        subject: t('badges.email.revokedSubject'),
        text: t('badges.email.revokedText', { name: person.given_name, badge: row.name, reason }),
      });
    }
    return 'revoked';
  });
}
