import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import servicesData from '../../agenda/data/services.json' with { type: 'json' };
import { readPersonRecord } from '../../casework/use-cases/person-record.ts';
import {
  codeMatches,
  hashCode,
  MAX_CODE_ATTEMPTS,
  newSmsCode,
  normaliseCode,
  SMS_CODE_TTL_MS,
  totpMatches,
} from '../../identity/domain/second-factor.ts';
import { newVerificationCode, renderTaggedPdf } from '../../onboarding/adapters/pdf-documents.ts';
import { currentTier, personChannelPlan } from '../../onboarding/use-cases/profiling.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import { hit } from '../../platform/auth/rate-limit.ts';
import { consumeEidConfirmation, type SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { PactParty, SignatureMethod } from '../adapters/pact-tables.ts';
import commitmentsData from '../data/commitments.json' with { type: 'json' };
import obligationsData from '../data/obligations.json' with { type: 'json' };
import {
  missingParties,
  type ObligationData,
  obligationsFor,
  type PactContent,
  pactContentSchema,
  pactSections,
  requiredParties,
  type SignatureView,
} from '../domain/pact.ts';
import type { PactDeps } from '../wiring.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const SERVICE_CODES = servicesData.services.map((s) => s.code);
/** The pact document is the Italian legal text; pages around it follow the reader's language. */
const DOC_LANG = 'it' as const;

type Ports = Pick<PactDeps, 'db' | 'audit' | 'notifier' | 'config'>;

// ---------------------------------------------------------------------------------------------
// Reading

/** A pact the user may see: their own (citizen), any in their Region (CPI), their agency's (APL). */
async function findPact(db: Db | Tx, user: SessionUser, pactId: string, lock = false) {
  if (!UUID.test(pactId)) return null;
  let q = db
    .selectFrom('pacts')
    .selectAll()
    .where('region_code', '=', user.regionCode)
    .where('id', '=', pactId);
  if (user.role === 'citizen') q = q.where('citizen_id', '=', user.id);
  else if (user.role === 'apl_operator')
    q = q.where('agency_id', '=', user.agencyId ?? '00000000-0000-0000-0000-000000000000');
  else if (user.role !== 'cpi_operator') return null;
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

/** The pact's current version row (content, status, hash), read in the caller's transaction. */
function currentVersionOf(trx: Tx, pact: { region_code: string; id: string; current_version: number }) {
  return trx
    .selectFrom('pact_versions')
    .select(['content', 'status', 'sha256'])
    .where('region_code', '=', pact.region_code)
    .where('pact_id', '=', pact.id)
    .where('version', '=', pact.current_version)
    .executeTakeFirstOrThrow();
}

export type PactRow = NonNullable<Awaited<ReturnType<typeof findPact>>>;

export async function pactDetails(db: Db | Tx, pact: PactRow) {
  const versions = await db
    .selectFrom('pact_versions')
    .select([
      'version',
      'content',
      'status',
      'sha256',
      'verification_code',
      'change_reason',
      'created_at',
      'proposed_at',
      'signed_at',
    ])
    .where('region_code', '=', pact.region_code)
    .where('pact_id', '=', pact.id)
    .orderBy('version', 'desc')
    .execute();
  const signatures = await db
    .selectFrom('pact_signatures as s')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 's.region_code').onRef('u.id', '=', 's.signer_id'),
    )
    .select(['s.version', 's.party', 's.method', 's.signed_at', 's.at_desk', 'u.given_name', 'u.family_name'])
    .where('s.region_code', '=', pact.region_code)
    .where('s.pact_id', '=', pact.id)
    .orderBy('s.signed_at')
    .execute();
  const changeRequests = await db
    .selectFrom('pact_change_requests')
    .select(['id', 'version', 'message', 'created_at', 'answered_at'])
    .where('region_code', '=', pact.region_code)
    .where('pact_id', '=', pact.id)
    .orderBy('created_at', 'desc')
    .execute();
  const agency = pact.agency_id
    ? await db
        .selectFrom('agencies')
        .select(['id', 'name'])
        .where('region_code', '=', pact.region_code)
        .where('id', '=', pact.agency_id)
        .executeTakeFirst()
    : undefined;
  const current = versions.find((v) => v.version === pact.current_version)!;
  const sigView = (version: number): SignatureView[] =>
    signatures
      .filter((s) => s.version === version)
      .map((s) => ({
        party: s.party,
        signerName: `${s.given_name} ${s.family_name}`,
        method: s.method,
        signedAt: s.signed_at,
        atDesk: s.at_desk,
      }));
  const required = requiredParties(pact.agency_id);
  const currentSignatures = sigView(pact.current_version);
  return {
    pact,
    agency: agency ?? null,
    current: { ...current, content: pactContentSchema.parse(current.content) },
    versions,
    currentSignatures,
    required,
    missing: missingParties(required, currentSignatures),
    changeRequests,
    signaturesOf: sigView,
  };
}
export type PactDetails = Awaited<ReturnType<typeof pactDetails>>;

export async function pactForUser(deps: Pick<PactDeps, 'db'>, user: SessionUser, pactId: string) {
  const pact = await findPact(deps.db, user, pactId);
  return pact ? pactDetails(deps.db, pact) : null;
}

/** The citizen's pact (the newest), if any. */
export async function citizenPact(deps: Pick<PactDeps, 'db'>, citizen: SessionUser) {
  const pact = await deps.db
    .selectFrom('pacts')
    .selectAll()
    .where('region_code', '=', citizen.regionCode)
    .where('citizen_id', '=', citizen.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (!pact) return null;
  const details = await pactDetails(deps.db, pact);
  // A draft is the operator's work in progress: the person sees versions once proposed.
  return details;
}

/** A CPI operator opens a person for their pact: audited read; null when not found. */
export async function operatorPersonPact(deps: Ports, operator: SessionUser, personId: string) {
  const person = await readPersonRecord(
    { db: deps.db, audit: deps.audit, notifier: deps.notifier, defaultRegion: operator.regionCode },
    operator,
    personId,
    'taking_charge',
  );
  if (!person) return null;
  const pact = await deps.db
    .selectFrom('pacts')
    .selectAll()
    .where('region_code', '=', operator.regionCode)
    .where('citizen_id', '=', person.id)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return { person, details: pact ? await pactDetails(deps.db, pact) : null };
}

export async function accreditedAgencies(db: Db, regionCode: string, today = new Date()) {
  const day = today.toISOString().slice(0, 10);
  return db
    .selectFrom('agencies as a')
    .select(['a.id', 'a.name'])
    .where('a.region_code', '=', regionCode)
    .where((eb) =>
      eb.exists(
        eb
          // The Region's accreditation scopes (agencies context): a revoked scope no longer counts.
          .selectFrom('accreditation_scopes as c')
          .select('c.id')
          .whereRef('c.region_code', '=', 'a.region_code')
          .whereRef('c.agency_id', '=', 'a.id')
          .where('c.revoked_at', 'is', null)
          .where('c.valid_from', '<=', day as never)
          .where('c.valid_to', '>=', day as never),
      ),
    )
    .orderBy('a.name')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Drafting

/** The draft prefilled from the profile: tier, channel plan, a first timeline, commitments, obligations. */
export async function defaultContent(
  deps: Ports,
  operator: SessionUser,
  personId: string,
): Promise<PactContent> {
  const db = deps.db;
  const person = await db
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
    )
    .select(['u.given_name', 'u.family_name', 'u.fiscal_code', 'p.benefits'])
    .where('u.region_code', '=', operator.regionCode)
    .where('u.id', '=', personId)
    .executeTakeFirstOrThrow();
  const office = await db
    .selectFrom('offices')
    .select('name')
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', operator.officeId ?? '00000000-0000-0000-0000-000000000000')
    .executeTakeFirst();
  const who = { regionCode: operator.regionCode, userId: personId };
  const tierRow = await currentTier(
    { db, audit: deps.audit, notifier: deps.notifier, config: deps.config },
    who,
  );
  const tier = (tierRow?.tier ?? null) as 1 | 2 | 3 | null;
  const plan = tier
    ? await personChannelPlan(
        { db, audit: deps.audit, notifier: deps.notifier, config: deps.config },
        who,
        tier,
      )
    : null;
  const inWeeks = (w: number) => new Date(Date.now() + w * 7 * 86_400_000).toISOString().slice(0, 10);
  return {
    person: { name: `${person.given_name} ${person.family_name}`, fiscalCode: person.fiscal_code },
    office: { name: office?.name ?? '' },
    agency: null,
    tier,
    channels: plan ? Object.fromEntries(Object.entries(plan).map(([phase, c]) => [phase, c.channel])) : {},
    services: [
      { code: 'colloquio_specialistico', target: inWeeks(2) },
      { code: 'orientamento', target: inWeeks(4) },
      ...(tier === 3 ? [{ code: 'bilancio_competenze', target: inWeeks(6) }] : []),
      { code: 'accompagnamento', target: inWeeks(8) },
    ],
    cpiCommitments: commitmentsData.cpi,
    citizenCommitments: commitmentsData.citizen,
    obligations: obligationsFor(person.benefits ?? [], obligationsData as unknown as ObligationData),
    notes: '',
  };
}

export type DraftInput = Pick<PactContent, 'services' | 'cpiCommitments' | 'citizenCommitments' | 'notes'> & {
  agencyId: string | null;
};

export type DraftResult =
  | { ok: true; pactId: string }
  | { ok: false; reason: 'not_found' | 'not_editable' | 'bad_agency' };

/**
 * Save the draft: creates the pact (version 1) the first time, otherwise rewrites the current
 * version while it is still a draft. Obligations and tier are re-read from the profile.
 */
export async function saveDraft(
  deps: Ports,
  operator: SessionUser,
  personId: string,
  input: DraftInput,
): Promise<DraftResult> {
  if (!UUID.test(personId) || operator.role !== 'cpi_operator' || !operator.officeId)
    return { ok: false, reason: 'not_found' };
  const citizen = await deps.db
    .selectFrom('users')
    .select('id')
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', personId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!citizen) return { ok: false, reason: 'not_found' };
  let agency: { id: string; name: string } | null = null;
  if (input.agencyId) {
    agency =
      (await accreditedAgencies(deps.db, operator.regionCode)).find((a) => a.id === input.agencyId) ?? null;
    if (!agency) return { ok: false, reason: 'bad_agency' };
  }
  const base = await defaultContent(deps, operator, personId);
  const content: PactContent = pactContentSchema.parse({
    ...base,
    agency,
    services: input.services,
    cpiCommitments: input.cpiCommitments,
    citizenCommitments: input.citizenCommitments,
    notes: input.notes,
  });
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('pacts')
      .selectAll()
      .where('region_code', '=', operator.regionCode)
      .where('citizen_id', '=', personId)
      .orderBy('created_at', 'desc')
      .forUpdate()
      .executeTakeFirst();
    let pactId: string;
    if (!existing) {
      const pact = await trx
        .insertInto('pacts')
        .values({
          region_code: operator.regionCode,
          citizen_id: personId,
          office_id: operator.officeId!,
          agency_id: agency?.id ?? null,
          coach_id: operator.id,
          created_by: operator.id,
          status: 'draft',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      pactId = pact.id;
      await trx
        .insertInto('pact_versions')
        .values({
          region_code: operator.regionCode,
          pact_id: pactId,
          version: 1,
          content: JSON.stringify(content),
          status: 'draft',
          created_by: operator.id,
        })
        .execute();
    } else {
      pactId = existing.id;
      const updated = await trx
        .updateTable('pact_versions')
        .set({ content: JSON.stringify(content) })
        .where('region_code', '=', operator.regionCode)
        .where('pact_id', '=', pactId)
        .where('version', '=', existing.current_version)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'not_editable' } as const;
      await trx
        .updateTable('pacts')
        .set({ agency_id: agency?.id ?? null, updated_at: new Date() })
        .where('region_code', '=', operator.regionCode)
        .where('id', '=', pactId)
        .execute();
    }
    await deps.audit.record(
      {
        regionCode: operator.regionCode,
        action: 'pact.draft_saved',
        outcome: 'ok',
        actor: actorOf(operator),
        subjectId: personId,
        purpose: 'taking_charge',
        objectType: 'pact',
        objectId: pactId,
      },
      trx,
    );
    return { ok: true, pactId } as const;
  });
}

async function contactsOf(db: Db | Tx, regionCode: string, userId: string) {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
    )
    .select([
      'u.given_name',
      'u.preferred_language',
      sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      // The mobile the person verified on their profile, else the one of their account.
      sql<string | null>`case when p.mobile_verified_at is not null then p.mobile else u.phone end`.as(
        'mobile',
      ),
    ])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
  const lang = isLang(row.preferred_language) ? row.preferred_language : 'it';
  return { ...row, lang, t: translator(lang) };
}

async function notifyCitizen(deps: Ports, trx: Tx, pact: PactRow, key: string, what: 'proposed' | 'signed') {
  const c = await contactsOf(trx, pact.region_code, pact.citizen_id);
  const url = `${deps.config.publicUrl}/patto`;
  const text = c.t(`pact.notify.${what}.text`, { name: c.given_name, url });
  if (c.email)
    await deps.notifier.email(trx, {
      key: `${key}:email`,
      to: c.email,
      subject: c.t(`pact.notify.${what}.subject`),
      text,
    });
  if (c.mobile)
    await deps.notifier.sms(trx, {
      key: `${key}:sms`,
      to: c.mobile,
      text: c.t(`pact.notify.${what}.sms`, { url }),
    });
}

/** Propose the draft: the PDF is rendered and its SHA-256 stored (then frozen by the trigger). */
export async function proposeDraft(deps: Ports, operator: SessionUser, pactId: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const pact = operator.role === 'cpi_operator' ? await findPact(trx, operator, pactId, true) : null;
    if (!pact) return false;
    const version = await currentVersionOf(trx, pact);
    if (version.status !== 'draft') return false;
    const content = pactContentSchema.parse(version.content);
    const { pdf, sha256 } = await renderPactPdf(deps, content, pact, null, null);
    await trx
      .updateTable('pact_versions')
      .set({ pdf, sha256, status: 'proposed', proposed_at: new Date() })
      .where('region_code', '=', pact.region_code)
      .where('pact_id', '=', pact.id)
      .where('version', '=', pact.current_version)
      .execute();
    await trx
      .updateTable('pacts')
      .set({ status: 'proposed', updated_at: new Date() })
      .where('region_code', '=', pact.region_code)
      .where('id', '=', pact.id)
      .execute();
    await notifyCitizen(deps, trx, pact, `pact:${pact.id}:v${pact.current_version}:proposed`, 'proposed');
    await deps.audit.record(
      {
        regionCode: pact.region_code,
        action: 'pact.proposed',
        outcome: 'ok',
        actor: actorOf(operator),
        subjectId: pact.citizen_id,
        objectType: 'pact',
        objectId: pact.id,
        details: { version: pact.current_version, sha256 },
      },
      trx,
    );
    return true;
  });
}

async function renderPactPdf(
  deps: Ports,
  content: PactContent,
  pact: PactRow,
  signatures: SignatureView[] | null,
  code: string | null,
) {
  const t = translator(DOC_LANG);
  const verification = code ?? t('pact.doc.versionN', { version: pact.current_version });
  const url = code ? `${deps.config.publicUrl}/verifica/${code}` : `${deps.config.publicUrl}/patto`;
  return renderTaggedPdf({
    lang: DOC_LANG,
    title: t('pact.doc.title'),
    issuer: t('pact.doc.issuer'),
    sections: [
      ...pactSections(content, t, DOC_LANG, signatures),
      ...(code ? [] : [{ paragraphs: [t('pact.doc.proposedNote', { id: pact.id })] }]),
    ],
    verification: {
      code: verification,
      url,
      label: code ? t('pact.doc.verifyHeading') : t('pact.doc.proposedHeading'),
      qrAlt: t('pact.doc.qrAlt', { url }),
    },
  });
}

/** From a pact awaiting changes or signed: a new draft version (amendment with a reason). */
export async function startNewVersion(
  deps: Ports,
  operator: SessionUser,
  pactId: string,
  reason: string,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const pact = operator.role === 'cpi_operator' ? await findPact(trx, operator, pactId, true) : null;
    if (!pact) return false;
    const current = await currentVersionOf(trx, pact);
    if (current.status !== 'changes_requested' && current.status !== 'signed') return false;
    const next = pact.current_version + 1;
    await trx
      .insertInto('pact_versions')
      .values({
        region_code: pact.region_code,
        pact_id: pact.id,
        version: next,
        content: JSON.stringify(current.content),
        status: 'draft',
        change_reason: reason,
        created_by: operator.id,
      })
      .execute();
    await trx
      .updateTable('pacts')
      .set({ current_version: next, status: 'draft', updated_at: new Date() })
      .where('region_code', '=', pact.region_code)
      .where('id', '=', pact.id)
      .execute();
    await trx
      .updateTable('pact_change_requests')
      .set({ answered_at: new Date() })
      .where('region_code', '=', pact.region_code)
      .where('pact_id', '=', pact.id)
      .where('answered_at', 'is', null)
      .execute();
    await deps.audit.record(
      {
        regionCode: pact.region_code,
        action: 'pact.new_version',
        outcome: 'ok',
        actor: actorOf(operator),
        subjectId: pact.citizen_id,
        objectType: 'pact',
        objectId: pact.id,
        details: { version: next, reason },
      },
      trx,
    );
    return true;
  });
}

/** The person asks for a change of the proposed version (no signature yet by anyone). */
export async function requestChange(
  deps: Ports,
  citizen: SessionUser,
  pactId: string,
  message: string,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const pact = citizen.role === 'citizen' ? await findPact(trx, citizen, pactId, true) : null;
    if (pact?.status !== 'proposed') return false;
    await trx
      .insertInto('pact_change_requests')
      .values({
        region_code: pact.region_code,
        pact_id: pact.id,
        version: pact.current_version,
        citizen_id: citizen.id,
        message,
      })
      .execute();
    await trx
      .updateTable('pact_versions')
      .set({ status: 'changes_requested' })
      .where('region_code', '=', pact.region_code)
      .where('pact_id', '=', pact.id)
      .where('version', '=', pact.current_version)
      .execute();
    await trx
      .updateTable('pacts')
      .set({ status: 'changes_requested', updated_at: new Date() })
      .where('region_code', '=', pact.region_code)
      .where('id', '=', pact.id)
      .execute();
    await deps.audit.record(
      {
        regionCode: pact.region_code,
        action: 'pact.change_requested',
        outcome: 'ok',
        actor: actorOf(citizen),
        subjectId: citizen.id,
        objectType: 'pact',
        objectId: pact.id,
        details: { version: pact.current_version },
      },
      trx,
    );
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Signing

/** Which party the user signs for on this pact (null: they may not sign it). */
export function partyOf(user: SessionUser, pact: PactRow): PactParty | null {
  if (user.role === 'citizen' && pact.citizen_id === user.id) return 'citizen';
  if (user.role === 'cpi_operator') return 'cpi';
  if (user.role === 'apl_operator' && pact.agency_id && pact.agency_id === user.agencyId) return 'apl';
  return null;
}

export type SendCodeResult = 'sent' | 'no_phone' | 'not_signable' | 'rate_limited';

/**
 * Send a 6-digit signing code by SMS to the signer (the citizen's verified mobile, the operator's
 * phone). `forCitizenAtDesk`: an operator asks for the citizen's code, to be typed at the desk.
 */
export async function sendSignCode(
  deps: Ports,
  user: SessionUser,
  pactId: string,
  options: { forCitizenAtDesk?: boolean } = {},
): Promise<SendCodeResult> {
  return deps.db.transaction().execute(async (trx) => {
    const pact = await findPact(trx, user, pactId, true);
    if (!pact || !['proposed', 'signing'].includes(pact.status)) return 'not_signable';
    const desk = Boolean(options.forCitizenAtDesk) && user.role === 'cpi_operator';
    const signerId = desk ? pact.citizen_id : user.id;
    const party = desk ? 'citizen' : partyOf(user, pact);
    if (!party) return 'not_signable';
    const already = await trx
      .selectFrom('pact_signatures')
      .select('id')
      .where('region_code', '=', pact.region_code)
      .where('pact_id', '=', pact.id)
      .where('version', '=', pact.current_version)
      .where('party', '=', party)
      .executeTakeFirst();
    if (already) return 'not_signable';
    const recent = await trx
      .selectFrom('pact_sign_codes')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('region_code', '=', pact.region_code)
      .where('user_id', '=', signerId)
      .where('created_at', '>', new Date(Date.now() - 15 * 60_000))
      .executeTakeFirstOrThrow();
    if (recent.n >= 5) return 'rate_limited';
    const c = await contactsOf(trx, pact.region_code, signerId);
    if (!c.mobile) return 'no_phone';
    const code = newSmsCode();
    const row = await trx
      .insertInto('pact_sign_codes')
      .values({
        region_code: pact.region_code,
        pact_id: pact.id,
        version: pact.current_version,
        user_id: signerId,
        code_hash: hashCode(deps.config.sessionSecret, code),
        expires_at: new Date(Date.now() + SMS_CODE_TTL_MS),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.notifier.sms(trx, {
      key: `pact-sign-code:${row.id}`,
      to: c.mobile,
      text: c.t('pact.notify.code', { code }),
    });
    return 'sent';
  });
}

export type SignInput = {
  pactId: string;
  code: string;
  /** 'eid': the fresh SPID/CIE confirmation held by the signer's session (decision 0005). */
  method: 'sms_code' | 'totp' | 'eid';
  sessionIdHash?: Buffer;
  atDesk?: boolean;
  ip: string | null;
  userAgent: string | null;
};

export type SignResult =
  | { ok: true; completed: boolean; verificationCode: string | null }
  | {
      ok: false;
      reason:
        | 'not_found'
        | 'not_signable'
        | 'already_signed'
        | 'wrong_code'
        | 'expired'
        | 'too_many_attempts'
        | 'no_code'
        | 'no_confirmation';
      attemptsLeft?: number;
    };

/**
 * Sign the current version. The code is checked in the same transaction that writes the signature;
 * a refusal writes nothing but the attempt count. When every required party has signed, the
 * signed copy, the obligations and the national event are written in that transaction too.
 */
export async function signPact(
  deps: Ports,
  user: SessionUser,
  input: SignInput,
  now = new Date(),
): Promise<SignResult> {
  const result = await deps.db.transaction().execute(async (trx): Promise<SignResult> => {
    const pact = await findPact(trx, user, input.pactId, true);
    if (!pact) return { ok: false, reason: 'not_found' };
    const desk = Boolean(input.atDesk) && user.role === 'cpi_operator';
    const party: PactParty | null = desk ? 'citizen' : partyOf(user, pact);
    const signerId = desk ? pact.citizen_id : user.id;
    if (!party) return { ok: false, reason: 'not_found' };
    if (!['proposed', 'signing'].includes(pact.status)) return { ok: false, reason: 'not_signable' };
    const version = await currentVersionOf(trx, pact);
    if (version.status !== 'proposed' || !version.sha256) return { ok: false, reason: 'not_signable' };
    const existing = await trx
      .selectFrom('pact_signatures')
      .select('party')
      .where('region_code', '=', pact.region_code)
      .where('pact_id', '=', pact.id)
      .where('version', '=', pact.current_version)
      .execute();
    if (existing.some((s) => s.party === party)) return { ok: false, reason: 'already_signed' };

    const code = normaliseCode(input.code);
    let method: SignatureMethod;
    if (input.method === 'eid') {
      // Only the person themselves, with the confirmation their own session holds, used once.
      const provider =
        !desk && input.sessionIdHash ? await consumeEidConfirmation(trx, input.sessionIdHash, now) : null;
      if (!provider) return { ok: false, reason: 'no_confirmation' };
      method = provider;
    } else if (input.method === 'totp' && !desk) {
      const u = await trx
        .selectFrom('users')
        .select(['totp_secret', 'totp_enabled_at'])
        .where('region_code', '=', pact.region_code)
        .where('id', '=', signerId)
        .executeTakeFirstOrThrow();
      // Authenticator codes are not single-row codes: at most 5 tries per 15 minutes per signer.
      if (!(await hit(trx, `pact:totp:${signerId}`, MAX_CODE_ATTEMPTS, 900)))
        return { ok: false, reason: 'too_many_attempts' };
      if (!u.totp_secret || !u.totp_enabled_at || !totpMatches(u.totp_secret, code, now.getTime()))
        return { ok: false, reason: 'wrong_code' };
      method = 'totp';
    } else {
      const row = await trx
        .selectFrom('pact_sign_codes')
        .select(['id', 'code_hash', 'expires_at', 'attempts'])
        .where('region_code', '=', pact.region_code)
        .where('pact_id', '=', pact.id)
        .where('version', '=', pact.current_version)
        .where('user_id', '=', signerId)
        .where('used_at', 'is', null)
        .orderBy('created_at', 'desc')
        .forUpdate()
        .executeTakeFirst();
      if (!row) return { ok: false, reason: 'no_code' };
      if (row.attempts >= MAX_CODE_ATTEMPTS) return { ok: false, reason: 'too_many_attempts' };
      if (row.expires_at <= now) return { ok: false, reason: 'expired' };
      if (!/^[0-9]{6}$/.test(code) || !codeMatches(deps.config.sessionSecret, code, row.code_hash)) {
        await trx
          .updateTable('pact_sign_codes')
          .set({ attempts: sql`attempts + 1` })
          .where('region_code', '=', pact.region_code)
          .where('id', '=', row.id)
          .execute();
        const left = MAX_CODE_ATTEMPTS - row.attempts - 1;
        return left > 0
          ? { ok: false, reason: 'wrong_code', attemptsLeft: left }
          : { ok: false, reason: 'too_many_attempts' };
      }
      await trx
        .updateTable('pact_sign_codes')
        .set({ used_at: now })
        .where('region_code', '=', pact.region_code)
        .where('id', '=', row.id)
        .execute();
      method = 'sms_code';
    }

    await trx
      .insertInto('pact_signatures')
      .values({
        region_code: pact.region_code,
        pact_id: pact.id,
        version: pact.current_version,
        party,
        signer_id: signerId,
        method,
        document_sha256: version.sha256,
        signed_at: now,
        at_desk: desk,
        ip_address: input.ip,
        user_agent: input.userAgent?.slice(0, 500) ?? null,
      })
      .execute();
    await deps.audit.record(
      {
        regionCode: pact.region_code,
        action: 'pact.signed_by',
        outcome: 'ok',
        actor: actorOf(user),
        onBehalfOf: desk ? pact.citizen_id : null,
        subjectId: pact.citizen_id,
        objectType: 'pact',
        objectId: pact.id,
        details: { version: pact.current_version, party, method, atDesk: desk, sha256: version.sha256 },
      },
      trx,
    );
    const missing = missingParties(requiredParties(pact.agency_id), [...existing, { party }]);
    if (missing.length > 0) {
      await trx
        .updateTable('pacts')
        .set({ status: 'signing', updated_at: now })
        .where('region_code', '=', pact.region_code)
        .where('id', '=', pact.id)
        .execute();
      return { ok: true, completed: false, verificationCode: null };
    }
    const verificationCode = await completePact(
      deps,
      trx,
      pact,
      pactContentSchema.parse(version.content),
      now,
    );
    return { ok: true, completed: true, verificationCode };
  });
  if (
    !result.ok &&
    ['wrong_code', 'too_many_attempts', 'expired', 'no_code', 'no_confirmation'].includes(result.reason)
  )
    await deps.audit.record({
      regionCode: user.regionCode,
      action: 'pact.signature_refused',
      outcome: 'refused',
      actor: actorOf(user),
      objectType: 'pact',
      objectId: UUID.test(input.pactId) ? input.pactId : null,
      details: { reason: result.reason, atDesk: Boolean(input.atDesk) },
    });
  return result;
}

/** Every party has signed: the signed copy, obligations, national event, notice — in `trx`. */
async function completePact(deps: Ports, trx: Tx, pact: PactRow, content: PactContent, now: Date) {
  const details = await pactDetails(trx, pact);
  const signatures = details.signaturesOf(pact.current_version);
  const code = newVerificationCode();
  const t = translator(DOC_LANG);
  const { pdf, sha256 } = await renderPactPdf(deps, content, pact, signatures, code);
  await trx
    .insertInto('issued_documents')
    .values({
      verification_code: code,
      region_code: pact.region_code,
      user_id: pact.citizen_id,
      kind: 'pact',
      title: `${t('pact.doc.title')} — ${t('pact.doc.versionN', { version: pact.current_version })}`,
      sha256,
      pdf,
    })
    .execute();
  await trx
    .updateTable('pact_versions')
    .set({ status: 'superseded' })
    .where('region_code', '=', pact.region_code)
    .where('pact_id', '=', pact.id)
    .where('status', '=', 'signed')
    .execute();
  await trx
    .updateTable('pact_versions')
    .set({ status: 'signed', signed_at: now, verification_code: code })
    .where('region_code', '=', pact.region_code)
    .where('pact_id', '=', pact.id)
    .where('version', '=', pact.current_version)
    .execute();
  await trx
    .updateTable('pacts')
    .set({ status: 'signed', updated_at: now })
    .where('region_code', '=', pact.region_code)
    .where('id', '=', pact.id)
    .execute();
  await trx
    .updateTable('benefit_obligations')
    .set({ active: false })
    .where('region_code', '=', pact.region_code)
    .where('citizen_id', '=', pact.citizen_id)
    .where('active', '=', true)
    .execute();
  if (content.obligations.length)
    await trx
      .insertInto('benefit_obligations')
      .values(
        content.obligations.map((o) => ({
          region_code: pact.region_code,
          citizen_id: pact.citizen_id,
          pact_id: pact.id,
          version: pact.current_version,
          benefit: o.benefit,
          obligation: o.code,
          active: true,
        })),
      )
      .execute();
  const person = await trx
    .selectFrom('users')
    .select('fiscal_code')
    .where('region_code', '=', pact.region_code)
    .where('id', '=', pact.citizen_id)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('national_outbox')
    .values({
      region_code: pact.region_code,
      idempotency_key: `pact:${pact.id}:v${pact.current_version}:signed`,
      kind: 'pact.signed',
      payload: JSON.stringify({
        pactId: pact.id,
        version: pact.current_version,
        fiscalCode: person.fiscal_code,
        officeId: pact.office_id,
        agencyId: pact.agency_id,
        signedAt: now.toISOString(),
        sha256,
        verificationCode: code,
        services: content.services,
        obligations: content.obligations.map((o) => ({ benefit: o.benefit, obligation: o.code })),
      }),
    })
    .execute();
  await notifyCitizen(deps, trx, pact, `pact:${pact.id}:v${pact.current_version}:signed`, 'signed');
  await deps.audit.record(
    {
      regionCode: pact.region_code,
      action: 'pact.completed',
      outcome: 'ok',
      actor: null,
      subjectId: pact.citizen_id,
      objectType: 'pact',
      objectId: pact.id,
      details: { version: pact.current_version, verificationCode: code, sha256 },
    },
    trx,
  );
  return code;
}

// ---------------------------------------------------------------------------------------------
// Documents and verification

/** A version's PDF for a user who may see the pact: the signed copy once signed, else the proposal. */
export async function versionPdf(
  deps: Pick<PactDeps, 'db'>,
  user: SessionUser,
  pactId: string,
  version: number,
) {
  const pact = await findPact(deps.db, user, pactId);
  if (!pact || !Number.isInteger(version)) return null;
  const row = await deps.db
    .selectFrom('pact_versions as v')
    .leftJoin('issued_documents as d', 'd.verification_code', 'v.verification_code')
    .select(['v.pdf', 'v.status', 'd.pdf as signed_pdf'])
    .where('v.region_code', '=', pact.region_code)
    .where('v.pact_id', '=', pact.id)
    .where('v.version', '=', version)
    .executeTakeFirst();
  if (!row) return null;
  const pdf = row.signed_pdf ?? row.pdf;
  return pdf ? { pdf, signed: Boolean(row.signed_pdf) } : null;
}

/** Public: the signatures of a signed pact, by its verification code (names of the parties only). */
export async function pactSignaturesByCode(deps: Pick<PactDeps, 'db'>, code: string) {
  return deps.db
    .selectFrom('pact_versions as v')
    .innerJoin('pact_signatures as s', (j) =>
      j
        .onRef('s.region_code', '=', 'v.region_code')
        .onRef('s.pact_id', '=', 'v.pact_id')
        .onRef('s.version', '=', 'v.version'),
    )
    .select(['v.version', 's.party', 's.method', 's.signed_at', 's.at_desk'])
    .where('v.verification_code', '=', code)
    .orderBy('s.signed_at')
    .execute();
}

export function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
