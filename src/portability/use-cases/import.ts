import { createHash } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors } from 'jose';
import { sql } from 'kysely';
import { ageOn, validateCodiceFiscale } from '../../identity/domain/codice-fiscale.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Tx } from '../../platform/db/database.ts';
import { remoteKeySet } from '../adapters/keys.ts';
import { type MappedDossier, mapDossier, mergeLanguages, normaliseEscoUri } from '../domain/codes.ts';
import { checkDossier, DOSSIER_JWS_TYPE, type Dossier, type DossierProblem } from '../domain/dossier.ts';
import { type PortabilityDeps, UUID } from './export.ts';

/** The largest dossier accepted (the schema's bounds keep a real one well below this). */
export const MAX_JWS_BYTES = 2 * 1024 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const KID = /^([0-9]{2})\.[A-Za-z0-9_-]{43}$/;

export type ImportRefusal =
  | 'not_jws'
  | 'too_large'
  | 'unknown_issuer'
  | 'same_region'
  | 'keys_unavailable'
  | 'bad_signature'
  | 'issuer_mismatch'
  | 'schema_invalid'
  | 'replayed'
  | 'older_version'
  | 'person_elsewhere';

export type ImportResult =
  | { ok: true; outcome: 'imported' | 'unchanged'; importId: string; createdPerson: boolean }
  | { ok: false; reason: ImportRefusal; issuer?: string; problems?: DossierProblem[] };

type Verified = { dossier: Dossier; kid: string; sha256: string; issuer: string };

/** Format, trust, signature and schema: nothing is written until all of them pass. */
async function verify(
  deps: PortabilityDeps,
  importer: SessionUser,
  raw: string,
): Promise<{ ok: true; v: Verified } | Extract<ImportResult, { ok: false }>> {
  const jws = raw.trim();
  if (Buffer.byteLength(jws) > MAX_JWS_BYTES) return { ok: false, reason: 'too_large' };
  if (!COMPACT_JWS.test(jws)) return { ok: false, reason: 'not_jws' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return { ok: false, reason: 'not_jws' };
  }
  const kidMatch = typeof header.kid === 'string' ? KID.exec(header.kid) : null;
  if (header.typ !== DOSSIER_JWS_TYPE || !kidMatch?.[1]) return { ok: false, reason: 'not_jws' };
  if (header.alg !== 'ES256') return { ok: false, reason: 'bad_signature' };
  const issuer = kidMatch[1];
  if (issuer === importer.regionCode) return { ok: false, reason: 'same_region', issuer };
  const url = deps.portability.trustedIssuers.get(issuer);
  if (!url) return { ok: false, reason: 'unknown_issuer', issuer };

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, remoteKeySet(url, deps.portability.jwksTimeoutMs), {
      algorithms: ['ES256'],
    }));
  } catch (e) {
    if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey)
      return { ok: false, reason: 'bad_signature', issuer };
    if (e instanceof errors.JWSInvalid) return { ok: false, reason: 'not_jws', issuer };
    if (e instanceof errors.JOSEAlgNotAllowed || e instanceof errors.JWKSMultipleMatchingKeys)
      return { ok: false, reason: 'bad_signature', issuer };
    // Timeouts, network errors, a key set that is not a JWK Set: the issuer cannot be checked now.
    return { ok: false, reason: 'keys_unavailable', issuer };
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return {
      ok: false,
      reason: 'schema_invalid',
      issuer,
      problems: [{ path: '(document)', code: 'invalid' }],
    };
  }
  const checked = checkDossier(value);
  if (!checked.ok) return { ok: false, reason: 'schema_invalid', issuer, problems: checked.problems };
  if (checked.dossier.issuer.regionCode !== issuer) return { ok: false, reason: 'issuer_mismatch', issuer };
  const cf = validateCodiceFiscale(checked.dossier.person.fiscalCode);
  if (!cf.ok)
    return {
      ok: false,
      reason: 'schema_invalid',
      issuer,
      problems: [{ path: 'person.fiscalCode', code: 'invalid' }],
    };
  return {
    ok: true,
    v: {
      dossier: checked.dossier,
      kid: header.kid as string,
      sha256: createHash('sha256').update(jws).digest('hex'),
      issuer,
    },
  };
}

/**
 * A CPI operator imports a dossier signed by another Region. Verified first (nothing written when
 * refused); then, in one transaction serialised per person: the same document again changes nothing;
 * an older or equal sequence from that Region is refused; the person is found by fiscal code (or
 * created), their profile completed with the mapped codes (what they already have is kept), and the
 * document with its mapping recorded. Refusals and imports are audited.
 */
export async function importDossier(
  deps: PortabilityDeps,
  importer: SessionUser,
  raw: string,
  now = new Date(),
): Promise<ImportResult> {
  const result = await importChecked(deps, importer, raw, now);
  if (!result.ok)
    await deps.audit.record({
      regionCode: importer.regionCode,
      action: 'portability.import_refused',
      outcome: 'refused',
      actor: actorOf(importer),
      objectType: 'dossier',
      details: {
        reason: result.reason,
        ...(result.issuer ? { issuer: result.issuer } : {}),
        ...(result.problems ? { problems: result.problems } : {}),
      },
    });
  return result;
}

async function importChecked(
  deps: PortabilityDeps,
  importer: SessionUser,
  raw: string,
  now: Date,
): Promise<ImportResult> {
  if (importer.role !== 'cpi_operator') return { ok: false, reason: 'unknown_issuer' };
  const checked = await verify(deps, importer, raw);
  if (!checked.ok) return checked;
  const { dossier, kid, sha256, issuer } = checked.v;
  const region = importer.regionCode;
  const cf = dossier.person.fiscalCode;
  const known = new Set(
    dossier.skills.length
      ? (
          await deps.db
            .selectFrom('esco_skills')
            .select('uri')
            .where(
              'uri',
              'in',
              dossier.skills.map((s) => normaliseEscoUri(s.uri)),
            )
            .execute()
        ).map((r) => r.uri)
      : [],
  );
  const mapped = mapDossier(dossier, known);

  return deps.db.transaction().execute(async (trx): Promise<ImportResult> => {
    // One import at a time per person in this Region.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`portability:${region}:${cf}`}, 0))`.execute(
      trx,
    );
    const same = await trx
      .selectFrom('portability_imports')
      .select(['id', 'sha256'])
      .where('region_code', '=', region)
      .where('issuer_region', '=', issuer)
      .where('document_id', '=', dossier.documentId)
      .executeTakeFirst();
    if (same) {
      if (same.sha256 !== sha256) return { ok: false, reason: 'replayed', issuer };
      await deps.audit.record(
        {
          regionCode: region,
          action: 'portability.import_unchanged',
          outcome: 'ok',
          actor: actorOf(importer),
          objectType: 'dossier',
          objectId: dossier.documentId,
          details: { issuer, importId: same.id },
        },
        trx,
      );
      return { ok: true, outcome: 'unchanged', importId: same.id, createdPerson: false };
    }
    const newer = await trx
      .selectFrom('portability_imports')
      .select('sequence')
      .where('region_code', '=', region)
      .where('issuer_region', '=', issuer)
      .where('fiscal_code', '=', cf)
      .where('sequence', '>=', dossier.sequence)
      .executeTakeFirst();
    if (newer) return { ok: false, reason: 'older_version', issuer };

    const existing = await trx
      .selectFrom('users')
      .select(['id', 'region_code'])
      .where('fiscal_code', '=', cf)
      .where('role', '=', 'citizen')
      .executeTakeFirst();
    if (existing && existing.region_code !== region) return { ok: false, reason: 'person_elsewhere', issuer };
    const personId = existing?.id ?? (await createPerson(trx, region, dossier, now));
    await completeProfile(trx, region, personId, dossier, mapped);
    const inserted = await trx
      .insertInto('portability_imports')
      .values({
        region_code: region,
        issuer_region: issuer,
        document_id: dossier.documentId,
        sequence: dossier.sequence,
        fiscal_code: cf,
        user_id: personId,
        issued_at: dossier.issuedAt,
        kid,
        sha256,
        payload: JSON.stringify(dossier),
        mapped: JSON.stringify(mapped),
        created_person: !existing,
        imported_by: importer.id,
        imported_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('national_outbox')
      .values({
        region_code: region,
        idempotency_key: `dossier-import:${region}:${issuer}:${dossier.documentId}`,
        kind: 'dossier.imported',
        payload: JSON.stringify({
          citizenId: personId,
          fromRegion: issuer,
          toRegion: region,
          documentId: dossier.documentId,
          sequence: dossier.sequence,
        }),
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: region,
        action: 'portability.imported',
        outcome: 'ok',
        actor: actorOf(importer),
        subjectId: personId,
        purpose: 'taking_charge',
        objectType: 'dossier',
        objectId: dossier.documentId,
        details: {
          issuer,
          sequence: dossier.sequence,
          importId: inserted.id,
          createdPerson: !existing,
          unknownSkills: mapped.unknownSkills.length,
          unmappedLanguages: mapped.unmappedLanguages,
        },
      },
      trx,
    );
    return { ok: true, outcome: 'imported', importId: inserted.id, createdPerson: !existing };
  });
}

async function createPerson(trx: Tx, region: string, d: Dossier, now: Date): Promise<string> {
  const cf = validateCodiceFiscale(d.person.fiscalCode, now);
  const birthDate = d.person.birthDate ?? (cf.ok ? cf.birthDate : null);
  const row = await trx
    .insertInto('users')
    .values({
      region_code: region,
      role: 'citizen',
      fiscal_code: d.person.fiscalCode,
      given_name: d.person.givenName,
      family_name: d.person.familyName,
      birth_date: birthDate,
      sex: d.person.sex ?? (cf.ok ? cf.sex : null),
      birth_place_code: cf.ok ? cf.birthPlaceCode : null,
      is_minor: birthDate ? ageOn(birthDate, now) < 18 : false,
      email: null,
      phone: null,
      password_hash: null,
      office_id: null,
      agency_id: null,
      company_id: null,
      totp_secret: null,
      totp_enabled_at: null,
      email_verified_at: null,
      locked_until: null,
      disabled_at: null,
      last_signed_in_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A new profile gets the dossier's data; an existing one keeps its own and gains what it lacked. */
async function completeProfile(trx: Tx, region: string, personId: string, d: Dossier, m: MappedDossier) {
  const profile = await trx
    .selectFrom('citizen_profiles')
    .select(['education_eqf', 'education_title', 'languages', 'driving_licences', 'unemployed_since'])
    .where('region_code', '=', region)
    .where('user_id', '=', personId)
    .forUpdate()
    .executeTakeFirst();
  if (!profile) {
    await trx
      .insertInto('citizen_profiles')
      .values({
        region_code: region,
        user_id: personId,
        email: null,
        email_verified_at: null,
        mobile: null,
        mobile_verified_at: null,
        domicile_code: null,
        education_eqf: m.eqf,
        education_title: d.profile.education.title,
        work_history: JSON.stringify(d.profile.workHistory),
        unemployed_since: d.profile.unemployedSince,
        languages: JSON.stringify(m.languages),
        driving_licences: d.profile.drivingLicences,
        availability: null,
        completed_at: null,
      })
      .execute();
    return;
  }
  const languages = mergeLanguages(profile.languages ?? [], m.languages);
  const licences = [...new Set([...(profile.driving_licences ?? []), ...d.profile.drivingLicences])];
  const changes = {
    ...(profile.education_eqf === null && m.eqf !== null ? { education_eqf: m.eqf } : {}),
    ...(profile.education_title === null && d.profile.education.title
      ? { education_title: d.profile.education.title }
      : {}),
    ...(languages.length !== (profile.languages ?? []).length
      ? { languages: JSON.stringify(languages) }
      : {}),
    ...(licences.length !== (profile.driving_licences ?? []).length ? { driving_licences: licences } : {}),
    ...(profile.unemployed_since === null && d.profile.unemployedSince
      ? { unemployed_since: d.profile.unemployedSince }
      : {}),
  };
  if (Object.keys(changes).length === 0) return;
  await trx
    .updateTable('citizen_profiles')
    .set({ ...changes, updated_at: new Date() })
    .where('region_code', '=', region)
    .where('user_id', '=', personId)
    .execute();
}

export type ImportRow = {
  id: string;
  issuerRegion: string;
  documentId: string;
  sequence: number;
  issuedAt: Date;
  importedAt: Date;
  createdPerson: boolean;
  personId: string;
  name: string;
};

/** The Region's latest imports (names of people: the read is audited by the caller's page). */
export async function recentImports(deps: PortabilityDeps, operator: SessionUser): Promise<ImportRow[]> {
  if (operator.role !== 'cpi_operator') return [];
  const rows = await deps.db
    .selectFrom('portability_imports as i')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'i.region_code').onRef('u.id', '=', 'i.user_id'),
    )
    .select([
      'i.id',
      'i.issuer_region',
      'i.document_id',
      'i.sequence',
      'i.issued_at',
      'i.imported_at',
      'i.created_person',
      'i.user_id',
      'u.given_name',
      'u.family_name',
    ])
    .where('i.region_code', '=', operator.regionCode)
    .orderBy('i.imported_at', 'desc')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    issuerRegion: r.issuer_region,
    documentId: r.document_id,
    sequence: r.sequence,
    issuedAt: r.issued_at,
    importedAt: r.imported_at,
    createdPerson: r.created_person,
    personId: r.user_id,
    name: `${r.given_name} ${r.family_name}`,
  }));
}

/** One import with the history it brought, for a CPI operator of the importing Region (audited). */
export async function importDetail(deps: PortabilityDeps, operator: SessionUser, importId: string) {
  if (operator.role !== 'cpi_operator' || !UUID.test(importId)) return null;
  const row = await deps.db
    .selectFrom('portability_imports')
    .select(['id', 'user_id', 'issuer_region', 'payload', 'mapped', 'imported_at', 'created_person'])
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', importId)
    .executeTakeFirst();
  if (!row) return null;
  const parsed = checkDossier(row.payload);
  if (!parsed.ok) return null;
  await deps.audit.recordReads(actorOf(operator), 'dossier_import', 'taking_charge', [
    { subjectId: row.user_id, objectId: row.id },
  ]);
  return {
    id: row.id,
    personId: row.user_id,
    issuerRegion: row.issuer_region,
    importedAt: row.imported_at,
    createdPerson: row.created_person,
    dossier: parsed.dossier,
    mapped: row.mapped as unknown as MappedDossier,
  };
}
