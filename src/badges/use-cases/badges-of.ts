import type { Db } from '../../platform/db/database.ts';

export type BadgeSummary = { id: string; name: string; issuedAt: Date; verifyUrl: string; revoked: boolean };

/** The badges of a person (newest first), for their CV and their badge page. */
export async function badgesOf(db: Db, regionCode: string, citizenId: string): Promise<BadgeSummary[]> {
  const rows = await db
    .selectFrom('badges')
    .select(['id', 'name', 'issued_at', 'verify_url', 'revoked_at'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .orderBy('issued_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    issuedAt: r.issued_at,
    verifyUrl: r.verify_url,
    revoked: r.revoked_at !== null,
  }));
}

export type CitizenBadge = BadgeSummary & { code: string; kind: string; description: string };

/** The person's badges with their public codes, for their own badge page. */
export async function citizenBadges(db: Db, regionCode: string, citizenId: string): Promise<CitizenBadge[]> {
  const rows = await db
    .selectFrom('badges')
    .select(['id', 'code', 'kind', 'name', 'description', 'issued_at', 'verify_url', 'revoked_at'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .orderBy('issued_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    kind: r.kind,
    name: r.name,
    description: r.description,
    issuedAt: r.issued_at,
    verifyUrl: r.verify_url,
    revoked: r.revoked_at !== null,
  }));
}

/** One of the person's own badges, signed and as JSON, for download; null if not theirs. */
export async function ownBadge(db: Db, regionCode: string, citizenId: string, code: string) {
  return (
    (await db
      .selectFrom('badges')
      .select(['code', 'jwt', 'credential'])
      .where('region_code', '=', regionCode)
      .where('citizen_id', '=', citizenId)
      .where('code', '=', code.trim().toUpperCase())
      .executeTakeFirst()) ?? null
  );
}
