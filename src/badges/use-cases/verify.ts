import { decodeProtectedHeader, importJWK, type JWTPayload, jwtVerify } from 'jose';
import type { Db } from '../../platform/db/database.ts';
import type { PublicJwk } from '../adapters/keys.ts';
import { BADGE_CODE_PATTERN, VC_JWT_TYPE } from '../domain/credential.ts';

export type VerifyFailure =
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'wrong_type'
  | 'wrong_issuer'
  | 'not_yet_valid'
  | 'expired'
  | 'bad_status'
  | 'revoked';

export type BadgeVerification = {
  valid: boolean;
  revoked: boolean;
  reason?: VerifyFailure;
  issuer: { id: string; name: string } | null;
  achievement: { name: string; description: string; skills: { uri: string; label: string }[] } | null;
  issuedAt: Date | null;
  revokedAt: Date | null;
  code: string | null;
};

const failed = (reason: VerifyFailure): BadgeVerification => ({
  valid: false,
  revoked: false,
  reason,
  issuer: null,
  achievement: null,
  issuedAt: null,
  revokedAt: null,
  code: null,
});

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Verifies a badge as secured by the Region (VC-JOSE): the header (`typ: vc+jwt`, EdDSA, a `kid` of
 * the published key set), the signature, the credential's type and issuer, its validity dates and
 * its revocation bit.
 */
export async function verifyBadgeJwt(db: Db, jwt: string, now: Date): Promise<BadgeVerification> {
  if (typeof jwt !== 'string' || jwt.length > 100_000 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jwt.trim()))
    return failed('malformed');
  const token = jwt.trim();
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return failed('malformed');
  }
  if (header.typ !== VC_JWT_TYPE || header.alg !== 'EdDSA') return failed('wrong_type');
  if (typeof header.kid !== 'string' || header.kid.length > 100) return failed('unknown_key');
  const keyRow = await db
    .selectFrom('badge_keys')
    .select(['region_code', 'issuer_id', 'public_jwk'])
    .where('kid', '=', header.kid)
    .executeTakeFirst();
  if (!keyRow) return failed('unknown_key');

  let payload: JWTPayload;
  try {
    const key = await importJWK(keyRow.public_jwk as unknown as PublicJwk, 'EdDSA');
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['EdDSA'],
      typ: VC_JWT_TYPE,
      currentDate: now,
    }));
  } catch {
    return failed('bad_signature');
  }

  const types = Array.isArray(payload.type) ? payload.type : [];
  if (!types.includes('VerifiableCredential') || !types.includes('OpenBadgeCredential'))
    return failed('wrong_type');
  const issuer = isObj(payload.issuer) ? payload.issuer : null;
  const issuerId = str(issuer?.id);
  if (!issuer || issuerId !== keyRow.issuer_id || (payload.iss !== undefined && payload.iss !== issuerId))
    return failed('wrong_issuer');
  const validFrom = Date.parse(str(payload.validFrom) ?? '');
  if (Number.isNaN(validFrom)) return failed('malformed');
  if (validFrom > now.getTime()) return failed('not_yet_valid');
  const validUntil = str(payload.validUntil);
  if (validUntil && Date.parse(validUntil) <= now.getTime()) return failed('expired');

  const status = isObj(payload.credentialStatus) ? payload.credentialStatus : null;
  const expectedList = issuerId.replace(/\/emittente$/, '/stato/1');
  const index = Number(str(status?.statusListIndex));
  if (
    status?.type !== 'BitstringStatusListEntry' ||
    status.statusPurpose !== 'revocation' ||
    status.statusListCredential !== expectedList ||
    !Number.isInteger(index)
  )
    return failed('bad_status');
  const row = await db
    .selectFrom('badges')
    .select(['code', 'revoked_at', 'issued_at'])
    .where('region_code', '=', keyRow.region_code)
    .where('status_list', '=', 1)
    .where('status_index', '=', index)
    .executeTakeFirst();
  // The bit belongs to this credential only if the badge at that index is this one.
  if (!row || payload.id !== issuerId.replace(/\/emittente$/, `/${row.code}`)) return failed('bad_status');

  const subject = isObj(payload.credentialSubject) ? payload.credentialSubject : {};
  const achievement = isObj(subject.achievement) ? subject.achievement : {};
  const alignment = Array.isArray(achievement.alignment) ? achievement.alignment.filter(isObj) : [];
  const result: BadgeVerification = {
    valid: row.revoked_at === null,
    revoked: row.revoked_at !== null,
    issuer: { id: issuerId, name: str(issuer.name) ?? '' },
    achievement: {
      name: str(achievement.name) ?? '',
      description: str(achievement.description) ?? '',
      skills: alignment
        .filter((a) => a.targetFramework === 'ESCO')
        .map((a) => ({ uri: str(a.targetUrl) ?? '', label: str(a.targetName) ?? '' })),
    },
    issuedAt: new Date(validFrom),
    revokedAt: row.revoked_at,
    code: row.code,
  };
  if (row.revoked_at) result.reason = 'revoked';
  return result;
}

/** The badge behind a public code, verified; null when no badge has that code. */
export async function verifyBadgeByCode(db: Db, code: string, now: Date): Promise<BadgeVerification | null> {
  const normal = code.trim().toUpperCase();
  if (!BADGE_CODE_PATTERN.test(normal)) return null;
  const row = await db.selectFrom('badges').select(['jwt']).where('code', '=', normal).executeTakeFirst();
  if (!row) return null;
  return verifyBadgeJwt(db, row.jwt, now);
}
