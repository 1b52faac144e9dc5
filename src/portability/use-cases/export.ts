import { createHash } from 'node:crypto';
import { CompactSign, importJWK } from 'jose';
import { regionName } from '../../badges/use-cases/issue.ts';
import { READ_PURPOSES, type ReadPurpose } from '../../casework/use-cases/person-record.ts';
import { renderCertificatePdf } from '../../certificates/adapters/certificate-pdf.ts';
import { newVerificationCode } from '../../onboarding/adapters/pdf-documents.ts';
import { type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Config } from '../../platform/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { type Lang, translator } from '../../platform/i18n/i18n.ts';
import { signingKey } from '../adapters/keys.ts';
import type { PortabilityConfig } from '../config.ts';
import { checkDossier, DOSSIER_JWS_TYPE, type Dossier } from '../domain/dossier.ts';
import { readableDossier } from '../domain/readable.ts';
import { buildDossier } from './build.ts';

export type PortabilityDeps = { db: Db; audit: AuditLog; config: Config; portability: PortabilityConfig };
export const PURPOSES = READ_PURPOSES;
export type Purpose = ReadPurpose;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function keyOptions(deps: PortabilityDeps) {
  return {
    secret: deps.config.sessionSecret,
    configuredKey: deps.portability.signingKey,
    mayGenerate: deps.config.demo,
  };
}

/** Signs a dossier as a compact JWS with the Region's key (ES256, kid and typ in the header). */
export async function signDossier(deps: PortabilityDeps, regionCode: string, dossier: Dossier) {
  const key = await signingKey(deps.db, keyOptions(deps), regionCode);
  if (!key) return null;
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(dossier)))
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: DOSSIER_JWS_TYPE, cty: 'json' })
    .sign(await importJWK({ ...key.privateJwk, alg: 'ES256' }, 'ES256'));
  return { jws, kid: key.kid };
}

export type ExportResult =
  | { ok: true; documentId: string }
  | { ok: false; reason: 'not_found' | 'no_fiscal_code' | 'no_key' };

/**
 * Makes a new dossier for the person (actor = the person, or a CPI operator of their Region with a
 * purpose): signed JWS and readable PDF (in issued_documents, verifiable at /verifica/<code>),
 * stored and audited in one transaction. Each dossier has the next sequence number of the person.
 */
export async function exportDossier(
  deps: PortabilityDeps,
  actor: SessionUser,
  personId: string,
  purpose: Purpose | null,
  lang: Lang,
  now = new Date(),
): Promise<ExportResult> {
  const byOperator = actor.id !== personId;
  if (byOperator && (actor.role !== 'cpi_operator' || !purpose)) return { ok: false, reason: 'not_found' };
  if (!byOperator && actor.role !== 'citizen') return { ok: false, reason: 'not_found' };
  if (!UUID.test(personId)) return { ok: false, reason: 'not_found' };
  const region = actor.regionCode;
  return deps.db.transaction().execute(async (trx): Promise<ExportResult> => {
    const person = await trx
      .selectFrom('users')
      .select(['id', 'fiscal_code'])
      .where('region_code', '=', region)
      .where('id', '=', personId)
      .where('role', '=', 'citizen')
      .forUpdate()
      .executeTakeFirst();
    if (!person) return { ok: false, reason: 'not_found' };
    const last = await trx
      .selectFrom('portability_exports')
      .select((eb) => eb.fn.max('sequence').as('n'))
      .where('region_code', '=', region)
      .where('user_id', '=', personId)
      .executeTakeFirst();
    const name = await regionName(deps.db, region);
    const code = newVerificationCode();
    const dossier = await buildDossier(trx, {
      regionCode: region,
      regionName: name,
      publicUrl: deps.config.publicUrl,
      personId,
      sequence: Number(last?.n ?? 0) + 1,
      issuedAt: now,
      requestedBy: byOperator ? 'operator' : 'person',
      verificationCode: code,
    });
    if (!dossier) return { ok: false, reason: 'no_fiscal_code' };
    const checked = checkDossier(dossier);
    if (!checked.ok) throw new Error(`dossier not valid: ${JSON.stringify(checked.problems)}`);
    const signed = await signDossier(deps, region, dossier);
    if (!signed) return { ok: false, reason: 'no_key' };

    const pdfLang = lang === 'it' ? 'it' : 'en';
    const t = translator(pdfLang);
    const url = `${deps.config.publicUrl}/verifica/${code}`;
    const content = readableDossier(dossier, t, pdfLang);
    const { pdf, sha256 } = await renderCertificatePdf({
      lang: pdfLang,
      issuer: t('portability.pdf.issuerLine', { region: name }),
      content,
      verification: {
        code,
        url,
        heading: t('portability.pdf.verifyHeading'),
        text: t('portability.pdf.verifyText'),
        qrAlt: t('portability.pdf.qrAlt', { url }),
      },
    });
    await trx
      .insertInto('issued_documents')
      .values({
        verification_code: code,
        region_code: region,
        user_id: personId,
        kind: 'fascicolo',
        title: content.title,
        sha256,
        pdf,
        issued_at: now,
      })
      .execute();
    await trx
      .insertInto('portability_exports')
      .values({
        region_code: region,
        id: dossier.documentId,
        user_id: personId,
        sequence: dossier.sequence,
        issued_at: now,
        kid: signed.kid,
        jws: signed.jws,
        sha256: createHash('sha256').update(signed.jws).digest('hex'),
        verification_code: code,
        requested_by: dossier.requestedBy,
        exported_by: actor.id,
        purpose,
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: region,
        action: 'portability.exported',
        outcome: 'ok',
        actor: actorOf(actor),
        subjectId: personId,
        purpose,
        objectType: 'dossier',
        objectId: dossier.documentId,
        details: { sequence: dossier.sequence, kid: signed.kid, pdf: code },
      },
      trx,
    );
    if (byOperator)
      await deps.audit.record(
        {
          regionCode: region,
          action: 'read.dossier_export',
          outcome: 'ok',
          actor: actorOf(actor),
          subjectId: personId,
          purpose,
          objectType: 'dossier',
          objectId: dossier.documentId,
        },
        trx,
      );
    return { ok: true, documentId: dossier.documentId };
  });
}

export type ExportRow = {
  id: string;
  sequence: number;
  issuedAt: Date;
  requestedBy: 'person' | 'operator';
  verificationCode: string;
};

async function exportsOf(db: Db | Tx, regionCode: string, personId: string): Promise<ExportRow[]> {
  const rows = await db
    .selectFrom('portability_exports')
    .select(['id', 'sequence', 'issued_at', 'requested_by', 'verification_code'])
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .orderBy('sequence', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    sequence: r.sequence,
    issuedAt: r.issued_at,
    requestedBy: r.requested_by,
    verificationCode: r.verification_code,
  }));
}

export type ReceivedRow = { id: string; issuerRegion: string; issuedAt: Date; importedAt: Date };

async function importsAbout(db: Db, regionCode: string, personId: string): Promise<ReceivedRow[]> {
  const rows = await db
    .selectFrom('portability_imports')
    .select(['id', 'issuer_region', 'issued_at', 'imported_at'])
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .orderBy('imported_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    issuerRegion: r.issuer_region,
    issuedAt: r.issued_at,
    importedAt: r.imported_at,
  }));
}

/** The person's own page: their dossiers and the ones other Regions sent here. */
export async function myPortability(deps: PortabilityDeps, citizen: SessionUser) {
  const [exports, received, person] = await Promise.all([
    exportsOf(deps.db, citizen.regionCode, citizen.id),
    importsAbout(deps.db, citizen.regionCode, citizen.id),
    deps.db
      .selectFrom('users')
      .select('fiscal_code')
      .where('region_code', '=', citizen.regionCode)
      .where('id', '=', citizen.id)
      .executeTakeFirst(),
  ]);
  return { exports, received, hasFiscalCode: Boolean(person?.fiscal_code) };
}

/** A person of the operator's Region (citizens only), with their dossiers; the read is audited. */
export async function personForOperator(
  deps: PortabilityDeps,
  operator: SessionUser,
  personId: string,
  purpose: Purpose,
) {
  if (operator.role !== 'cpi_operator' || !UUID.test(personId)) return null;
  const person = await deps.db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name', 'fiscal_code'])
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', personId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  const exports = await exportsOf(deps.db, operator.regionCode, personId);
  await deps.audit.recordReads(actorOf(operator), 'dossier_export', purpose, [
    { subjectId: personId, objectId: personId },
  ]);
  return { ...person, exports };
}

export type ExportFile = { kind: 'jws' | 'pdf'; body: Buffer | string; name: string };

/** One stored dossier as its JWS or its PDF, if it belongs to `personId` in the actor's Region. */
export async function exportFile(
  deps: PortabilityDeps,
  actor: SessionUser,
  personId: string,
  documentId: string,
  kind: 'jws' | 'pdf',
  purpose: Purpose | null,
): Promise<ExportFile | null> {
  if (!UUID.test(documentId) || !UUID.test(personId)) return null;
  const byOperator = actor.id !== personId;
  if (byOperator && (actor.role !== 'cpi_operator' || !purpose)) return null;
  const row = await deps.db
    .selectFrom('portability_exports as x')
    .innerJoin('issued_documents as d', (j) =>
      j.onRef('d.verification_code', '=', 'x.verification_code').onRef('d.region_code', '=', 'x.region_code'),
    )
    .select(['x.jws', 'x.sequence', 'd.pdf'])
    .where('x.region_code', '=', actor.regionCode)
    .where('x.user_id', '=', personId)
    .where('x.id', '=', documentId)
    .executeTakeFirst();
  if (!row) return null;
  if (byOperator)
    await deps.audit.recordReads(actorOf(actor), 'dossier_export', purpose ?? 'interview', [
      { subjectId: personId, objectId: documentId },
    ]);
  const name = `fascicolo-${actor.regionCode}-${row.sequence}`;
  return kind === 'jws'
    ? { kind, body: row.jws, name: `${name}.jws` }
    : { kind, body: row.pdf, name: `${name}.pdf` };
}
