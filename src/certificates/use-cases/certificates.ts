import { sql } from 'kysely';
import { regionName } from '../../badges/use-cases/issue.ts';
import { nearestOfficeId } from '../../casework/use-cases/help-requests.ts';
import { READ_PURPOSES, type ReadPurpose } from '../../casework/use-cases/person-record.ts';
import { type CvDocument, validateCv } from '../../cv/domain/cv.ts';
import { newVerificationCode } from '../../onboarding/adapters/pdf-documents.ts';
import { type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Config } from '../../platform/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { renderCertificatePdf } from '../adapters/certificate-pdf.ts';
import type { CertificateKind, CertificateLang } from '../adapters/certificate-tables.ts';
import { c2Content, type IssueContext, type PersonData, sapContent } from '../domain/documents.ts';

export type CertificatesDeps = { db: Db; audit: AuditLog; config: Config };

export const CERTIFICATE_KINDS = ['sap', 'c2_storico'] as const satisfies readonly CertificateKind[];
export const CERTIFICATE_LANGS = ['it', 'en'] as const satisfies readonly CertificateLang[];
export const OPERATOR_PURPOSES = READ_PURPOSES;
export type OperatorPurpose = ReadPurpose;

export function isCertificateKind(kind: string): kind is CertificateKind {
  return (CERTIFICATE_KINDS as readonly string[]).includes(kind);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Everything the two certificates show, read from the records of the person's Region. */
export async function loadPersonData(
  db: Db | Tx,
  regionCode: string,
  userId: string,
): Promise<PersonData | null> {
  const person = await db
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
    )
    .leftJoin('municipalities as dom', 'dom.istat_code', 'p.domicile_code')
    .select([
      'u.given_name',
      'u.family_name',
      'u.fiscal_code',
      'u.birth_date',
      'u.birth_place_code',
      'u.sex',
      sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      sql<string | null>`coalesce(p.mobile, u.phone)`.as('mobile'),
      'dom.name as domicile_name',
      'dom.province as domicile_province',
      'p.user_id as profile_user',
      'p.education_eqf',
      'p.education_title',
      'p.languages',
      'p.driving_licences',
      'p.availability',
      'p.benefits',
      'p.work_history',
    ])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', userId)
    .where('u.role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;

  const birthPlace = person.birth_place_code
    ? await db
        .selectFrom('municipalities')
        .select(['name', 'province'])
        .where((eb) =>
          eb.or([
            eb('belfiore', '=', person.birth_place_code ?? ''),
            eb('istat_code', '=', person.birth_place_code ?? ''),
          ]),
        )
        .executeTakeFirst()
    : undefined;

  const [cvRow, dids, didEvents, employment, conditionality, tier, pact, training] = await Promise.all([
    db
      .selectFrom('cvs')
      .select('document')
      .where('region_code', '=', regionCode)
      .where('citizen_id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('did_declarations')
      .select(['id', 'declared_at', 'status'])
      .where('region_code', '=', regionCode)
      .where('user_id', '=', userId)
      .execute(),
    db
      .selectFrom('did_events')
      .select(['did_id', 'event', 'at', 'reason'])
      .where('region_code', '=', regionCode)
      .where('user_id', '=', userId)
      .execute(),
    db
      .selectFrom('employment_outcomes')
      .select(['started_on', 'source'])
      .where('region_code', '=', regionCode)
      .where('user_id', '=', userId)
      .execute(),
    db
      .selectFrom('conditionality_events')
      .select(['decided_at', 'decision', 'kind', 'benefit'])
      .where('region_code', '=', regionCode)
      .where('citizen_id', '=', userId)
      .where('status', '=', 'decided')
      .where('decided_at', 'is not', null)
      .execute(),
    db
      .selectFrom('tier_assignments')
      .select(['tier', 'created_at'])
      .where('region_code', '=', regionCode)
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('pact_versions as v')
      .innerJoin('pacts as pa', (j) =>
        j.onRef('pa.region_code', '=', 'v.region_code').onRef('pa.id', '=', 'v.pact_id'),
      )
      .innerJoin('offices as o', (j) =>
        j.onRef('o.region_code', '=', 'pa.region_code').onRef('o.id', '=', 'pa.office_id'),
      )
      .select([
        'v.version',
        'v.signed_at',
        'v.verification_code',
        'o.name as office_name',
        'o.address as office_address',
      ])
      .where('v.region_code', '=', regionCode)
      .where('pa.citizen_id', '=', userId)
      .where('v.status', '=', 'signed')
      .where('v.signed_at', 'is not', null)
      .orderBy('v.signed_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('course_enrolments as e')
      .innerJoin('courses as c', (j) =>
        j.onRef('c.region_code', '=', 'e.region_code').onRef('c.id', '=', 'e.course_id'),
      )
      .select(['c.title', 'c.starts_on', 'e.status'])
      .where('e.region_code', '=', regionCode)
      .where('e.citizen_id', '=', userId)
      .orderBy('c.starts_on')
      .limit(50)
      .execute(),
  ]);

  // The CPI of reference: the one of the signed pact, otherwise the nearest to the domicile.
  let office: PersonData['office'] = pact ? { name: pact.office_name, address: pact.office_address } : null;
  if (!office) {
    const id = await nearestOfficeId(db as Db, { id: userId, regionCode } as SessionUser);
    const row = id
      ? await db
          .selectFrom('offices')
          .select(['name', 'address'])
          .where('region_code', '=', regionCode)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    office = row ? { name: row.name, address: row.address } : null;
  }

  let cv: CvDocument | null = null;
  if (cvRow) {
    const raw = typeof cvRow.document === 'string' ? JSON.parse(cvRow.document) : cvRow.document;
    const checked = validateCv(raw);
    cv = checked.ok ? checked.cv : null;
  }

  const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));
  return {
    givenName: person.given_name,
    familyName: person.family_name,
    fiscalCode: person.fiscal_code,
    birthDate: person.birth_date,
    birthPlace: birthPlace ? `${birthPlace.name} (${birthPlace.province})` : null,
    sex: person.sex,
    domicile: person.domicile_name ? `${person.domicile_name} (${person.domicile_province})` : null,
    email: person.email,
    mobile: person.mobile,
    office,
    profile: person.profile_user
      ? {
          educationEqf: person.education_eqf,
          educationTitle: person.education_title,
          languages: person.languages ?? [],
          drivingLicences: person.driving_licences ?? [],
          availability: person.availability,
          benefits: person.benefits ?? [],
          workHistory: person.work_history ?? [],
        }
      : null,
    cv,
    dids: dids.map((d) => ({ id: d.id, declaredAt: d.declared_at, status: d.status })),
    didEvents: didEvents.map((e) => ({ didId: e.did_id, event: e.event, at: e.at, reason: e.reason })),
    employment: employment.map((e) => ({ startedOn: asDate(e.started_on), source: e.source })),
    conditionality: conditionality.map((c) => ({
      decidedAt: c.decided_at as Date,
      decision: c.decision ?? 'archive',
      kind: c.kind,
      benefit: c.benefit,
    })),
    tier: tier ? { tier: tier.tier, at: tier.created_at } : null,
    pact: pact?.signed_at
      ? { version: pact.version, signedAt: pact.signed_at, code: pact.verification_code }
      : null,
    training: training.map((c) => ({
      title: c.title,
      status: c.status,
      startsOn: c.starts_on ? asDate(c.starts_on) : null,
    })),
  };
}

export type IssueRequest = { kind: CertificateKind; lang: CertificateLang };
export type IssueResult = { ok: true; code: string } | { ok: false; reason: 'not_found' };

/**
 * Generates the certificate from the records, stores it (issued_documents + certificate_issues) and
 * audits it, in one transaction. `actor` is the person themself or a CPI operator of their Region.
 */
async function issue(
  deps: CertificatesDeps,
  actor: SessionUser,
  personId: string,
  request: IssueRequest,
  purpose: OperatorPurpose | null,
  now: Date,
): Promise<IssueResult> {
  return deps.db.transaction().execute(async (trx) => {
    const data = await loadPersonData(trx, actor.regionCode, personId);
    if (!data) return { ok: false, reason: 'not_found' } as const;
    const t = translator(request.lang);
    const byOperator = actor.id !== personId;
    const office =
      byOperator && actor.officeId
        ? await trx
            .selectFrom('offices')
            .select('name')
            .where('region_code', '=', actor.regionCode)
            .where('id', '=', actor.officeId)
            .executeTakeFirst()
        : undefined;
    const region = await regionName(deps.db, actor.regionCode);
    const ctx: IssueContext = {
      regionName: region,
      issuedAt: now,
      operator: byOperator
        ? { name: `${actor.givenName} ${actor.familyName}`, office: office?.name ?? null }
        : null,
    };
    const content =
      request.kind === 'sap' ? sapContent(data, ctx, t, request.lang) : c2Content(data, ctx, t, request.lang);
    const code = newVerificationCode();
    const url = `${deps.config.publicUrl}/verifica/${code}`;
    const { pdf, sha256 } = await renderCertificatePdf({
      lang: request.lang,
      issuer: t('certificates.doc.issuer', { region }),
      content,
      verification: {
        code,
        url,
        heading: t('certificates.doc.verifyHeading'),
        text: t('certificates.doc.verifyText'),
        qrAlt: t('certificates.doc.qrAlt', { url }),
      },
    });
    await trx
      .insertInto('issued_documents')
      .values({
        verification_code: code,
        region_code: actor.regionCode,
        user_id: personId,
        kind: request.kind,
        title: content.title,
        sha256,
        pdf,
        issued_at: now,
      })
      .execute();
    await trx
      .insertInto('certificate_issues')
      .values({
        region_code: actor.regionCode,
        verification_code: code,
        user_id: personId,
        kind: request.kind,
        lang: request.lang,
        issued_by: actor.id,
        issued_by_role: actor.role,
        issued_by_office_id: byOperator ? actor.officeId : null,
        purpose,
        created_at: now,
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'certificate.issued',
        outcome: 'ok',
        actor: actorOf(actor),
        subjectId: personId,
        purpose,
        objectType: 'certificate',
        objectId: code,
        details: { kind: request.kind, lang: request.lang, sha256 },
      },
      trx,
    );
    if (byOperator)
      // Issuing reads the whole record: the person sees it in "who looked at my data".
      await deps.audit.record(
        {
          regionCode: actor.regionCode,
          action: 'read.certificate',
          outcome: 'ok',
          actor: actorOf(actor),
          subjectId: personId,
          purpose,
          objectType: 'certificate',
          objectId: code,
        },
        trx,
      );
    return { ok: true, code } as const;
  });
}

export function issueOwnCertificate(
  deps: CertificatesDeps,
  citizen: SessionUser,
  request: IssueRequest,
  now = new Date(),
) {
  return issue(deps, citizen, citizen.id, request, null, now);
}

/** A CPI operator issues for a person of their Region; anyone else, or another Region, is "not found". */
export async function issueForPerson(
  deps: CertificatesDeps,
  operator: SessionUser,
  personId: string,
  request: IssueRequest,
  purpose: OperatorPurpose,
  now = new Date(),
): Promise<IssueResult> {
  if (operator.role !== 'cpi_operator' || !UUID.test(personId)) return { ok: false, reason: 'not_found' };
  return issue(deps, operator, personId, request, purpose, now);
}

export type IssuedCertificate = {
  code: string;
  kind: CertificateKind;
  lang: CertificateLang;
  title: string;
  issuedAt: Date;
  revokedAt: Date | null;
  byOperator: { name: string; office: string | null } | null;
};

async function listFor(db: Db, regionCode: string, personId: string): Promise<IssuedCertificate[]> {
  const rows = await db
    .selectFrom('certificate_issues as c')
    .innerJoin('issued_documents as d', 'd.verification_code', 'c.verification_code')
    .leftJoin('users as op', (j) =>
      j.onRef('op.region_code', '=', 'c.region_code').onRef('op.id', '=', 'c.issued_by'),
    )
    .leftJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 'c.region_code').onRef('o.id', '=', 'c.issued_by_office_id'),
    )
    .select([
      'c.verification_code',
      'c.kind',
      'c.lang',
      'c.issued_by',
      'd.title',
      'd.issued_at',
      'd.revoked_at',
      'op.given_name',
      'op.family_name',
      'o.name as office_name',
    ])
    .where('c.region_code', '=', regionCode)
    .where('c.user_id', '=', personId)
    .where('d.region_code', '=', regionCode)
    .orderBy('d.issued_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    code: r.verification_code,
    kind: r.kind,
    lang: r.lang,
    title: r.title,
    issuedAt: r.issued_at,
    revokedAt: r.revoked_at,
    byOperator:
      r.issued_by === personId
        ? null
        : { name: `${r.given_name ?? ''} ${r.family_name ?? ''}`.trim(), office: r.office_name },
  }));
}

export function myCertificates(deps: CertificatesDeps, citizen: SessionUser) {
  return listFor(deps.db, citizen.regionCode, citizen.id);
}

/** The person the operator works on, only within their Region; the read is audited with its purpose. */
export async function personForOperator(
  deps: CertificatesDeps,
  operator: SessionUser,
  personId: string,
  purpose: OperatorPurpose,
) {
  if (operator.role !== 'cpi_operator' || !UUID.test(personId)) return null;
  const person = await deps.db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name', 'preferred_language'])
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', personId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  await deps.audit.recordReads(actorOf(operator), 'certificates', purpose, [
    { subjectId: person.id, objectId: person.id },
  ]);
  const certificates = await listFor(deps.db, operator.regionCode, person.id);
  const did = await deps.db
    .selectFrom('did_declarations')
    .select('id')
    .where('region_code', '=', operator.regionCode)
    .where('user_id', '=', person.id)
    .executeTakeFirst();
  return { ...person, certificates, hasDid: Boolean(did) };
}

export async function hasAnyDid(deps: CertificatesDeps, user: SessionUser): Promise<boolean> {
  const row = await deps.db
    .selectFrom('did_declarations')
    .select('id')
    .where('region_code', '=', user.regionCode)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  return Boolean(row);
}

/** The stored bytes, for the person themself. */
export async function ownCertificatePdf(deps: CertificatesDeps, citizen: SessionUser, code: string) {
  return deps.db
    .selectFrom('certificate_issues as c')
    .innerJoin('issued_documents as d', 'd.verification_code', 'c.verification_code')
    .select(['d.pdf', 'c.kind', 'c.verification_code'])
    .where('c.region_code', '=', citizen.regionCode)
    .where('c.user_id', '=', citizen.id)
    .where('c.verification_code', '=', code)
    .executeTakeFirst();
}

/** The stored bytes, for a CPI operator of the person's Region (an audited read). */
export async function certificatePdfForOperator(
  deps: CertificatesDeps,
  operator: SessionUser,
  personId: string,
  code: string,
  purpose: OperatorPurpose,
) {
  if (operator.role !== 'cpi_operator' || !UUID.test(personId)) return undefined;
  const row = await deps.db
    .selectFrom('certificate_issues as c')
    .innerJoin('issued_documents as d', 'd.verification_code', 'c.verification_code')
    .select(['d.pdf', 'c.kind', 'c.verification_code'])
    .where('c.region_code', '=', operator.regionCode)
    .where('c.user_id', '=', personId)
    .where('c.verification_code', '=', code)
    .executeTakeFirst();
  if (row)
    await deps.audit.recordReads(actorOf(operator), 'certificate', purpose, [
      { subjectId: personId, objectId: code },
    ]);
  return row;
}

/**
 * What /verifica shows for a certificate: its kind, the holder's initials (no other personal data),
 * the issue date and whether it was revoked. Codes are unguessable (60 bits), so whoever holds one
 * may also download the same bytes.
 */
export async function certificateByCode(db: Db, code: string) {
  if (!/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(code)) return null;
  const row = await db
    .selectFrom('certificate_issues as c')
    .innerJoin('issued_documents as d', 'd.verification_code', 'c.verification_code')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'c.region_code').onRef('u.id', '=', 'c.user_id'),
    )
    .select(['c.kind', 'c.lang', 'd.issued_at', 'd.revoked_at', 'u.given_name', 'u.family_name'])
    .where('c.verification_code', '=', code)
    .executeTakeFirst();
  if (!row) return null;
  const initial = (s: string) => (s.trim()[0] ?? '').toUpperCase();
  return {
    kind: row.kind,
    lang: row.lang,
    issuedAt: row.issued_at,
    revokedAt: row.revoked_at,
    initials: `${initial(row.given_name)}. ${initial(row.family_name)}.`,
  };
}

/**
 * The stored bytes for whoever holds the code. The download is written to the audit log without an
 * actor, so the person sees in "who looked at my data" that their certificate was fetched by code.
 */
export async function certificatePdfByCode(deps: CertificatesDeps, code: string) {
  if (!/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(code)) return undefined;
  const row = await deps.db
    .selectFrom('certificate_issues as c')
    .innerJoin('issued_documents as d', 'd.verification_code', 'c.verification_code')
    .select(['d.pdf', 'c.kind', 'c.region_code', 'c.user_id'])
    .where('c.verification_code', '=', code)
    .executeTakeFirst();
  if (row)
    await deps.audit.record({
      regionCode: row.region_code,
      action: 'read.certificate_by_code',
      outcome: 'ok',
      actor: null,
      subjectId: row.user_id,
      objectType: 'certificate',
      objectId: code,
    });
  return row;
}
