/**
 * A complete set of Region-owned objects in one Region, for the Region isolation test
 * (src/app/region-isolation.integration.test.ts): an office, an agency, a company, people of every
 * role and one object of every kind whose id appears in a URL. Rows are written directly with SQL
 * where their shape is simple, through the owning context's use case where the stored document has
 * a shape the pages rely on (the pact, the CV, the application's CV snapshot, the signed badge).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { ensureServiceCatalogue } from '../../agenda/use-cases/catalogue.ts';
import { issueBadge } from '../../badges/use-cases/issue.ts';
import { createOrRefresh } from '../../cv/use-cases/cv.ts';
import { platformSources } from '../../cv/use-cases/sources.ts';
import { apply } from '../../jobs/use-cases/applications.ts';
import { defaultContent, proposeDraft, saveDraft } from '../../pact/use-cases/pact.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import { createPortabilityObjects } from '../../portability/testing/objects.ts';
import type { TestPlatform } from './test-platform.ts';

export type RegionObjects = {
  regionCode: string;
  /** What makes this set's e-mail addresses, slugs and VAT numbers unique. */
  tag: string;
  officeId: string;
  agencyId: string;
  companyId: string;
  companySlug: string;
  users: {
    citizen: SessionUser;
    cpi_operator: SessionUser;
    apl_operator: SessionUser;
    employer: SessionUser;
    regional_manager: SessionUser;
    admin: SessionUser;
  };
  /** A second person of the company (recruiter), for the company-users actions. */
  recruiterId: string;
  appointmentId: string;
  waitlistId: string;
  pactId: string;
  pactVersion: number;
  planActionId: string;
  planEvidenceId: string;
  coachAlertId: string;
  conditionalityEventId: string;
  justificationId: string;
  didCode: string;
  documentCode: string;
  pastJobId: string;
  skillEvidenceId: string;
  courseId: string;
  enrolmentId: string;
  badgeId: string;
  badgeCode: string;
  siteId: string;
  inviteId: string;
  /** Published, so visible in the Region's own job search. */
  vacancyId: string;
  /** Waiting for the CPI's moderation. */
  submittedVacancyId: string;
  /** A draft of the employer. */
  draftVacancyId: string;
  applicationId: string;
  contactId: string;
  /** A contact request the person has not answered yet (from a second company). */
  pendingContactId: string;
  shortlistId: string;
  recruitingDayId: string;
  recruitingBookingId: string;
  threadId: string;
  attachmentId: string;
  /** A certificate (SAP) issued to the person, verifiable by its code. */
  certificateCode: string;
  /** An event for the national system that could not be delivered (dead letter). */
  deadOutboxId: string;
  scopeId: string;
  referralId: string;
  assistedSessionId: string;
  unilavImportId: string;
  campaignId: string;
  portabilityExportId: string;
  portabilityImportId: string;
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function verificationCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => CODE_CHARS[b % CODE_CHARS.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000);
const isoDay = (d: number) => inDays(d).toISOString().slice(0, 10);

/** Insert one row (columns from the object's keys) and return its generated columns. */
async function insert(pool: Pool, table: string, row: Record<string, unknown>, returning = 'id') {
  const cols = Object.keys(row);
  const values = cols.map((c) => {
    const v = row[c];
    return v !== null &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      !(v instanceof Date) &&
      !Buffer.isBuffer(v)
      ? JSON.stringify(v)
      : v;
  });
  const { rows } = await pool.query(
    `insert into ${table} (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning ${returning}`,
    values,
  );
  return rows[0] as { id: string };
}

function sessionUser(
  regionCode: string,
  id: string,
  role: SessionUser['role'],
  extra: Partial<SessionUser> = {},
): SessionUser {
  return {
    id,
    regionCode,
    role,
    officeId: null,
    agencyId: null,
    companyId: null,
    givenName: 'Prova',
    familyName: `Regione ${regionCode}`,
    email: null,
    fiscalCode: null,
    isMinor: false,
    preferredLanguage: 'it',
    ...extra,
  };
}

/**
 * Makes (or completes) Region `regionCode` with its own office, agency, company, people and one object
 * of every kind. `tag` keeps e-mails, fiscal codes and slugs unique when called for several Regions.
 */
export async function createRegionObjects(
  platform: TestPlatform,
  regionCode: string,
  tag: string,
): Promise<RegionObjects> {
  const { pool, db } = platform;
  const deps = {
    db,
    audit: platform.audit,
    notifier: platform.notifier,
    queue: platform.queue,
    config: platform.config,
  };
  await pool.query(
    'insert into regions (region_code, name, is_national) values ($1, $2, false) on conflict (region_code) do nothing',
    [regionCode, `Regione di prova ${regionCode}`],
  );
  // A municipality of the Region (Cagliari for '20'; the codes are only checked for their shape).
  const municipality = `${regionCode}${tag.padStart(4, '0').slice(-4)}`;
  await pool.query(
    `insert into municipalities (istat_code, region_code, name, province, belfiore, latitude, longitude)
     values ($1, $2, $3, 'CA', 'B354', 39.2238, 9.1217) on conflict (istat_code) do nothing`,
    [municipality, regionCode, `Comune di prova ${tag}`],
  );
  await ensureServiceCatalogue(db, regionCode);
  const service = await db
    .selectFrom('agenda_services')
    .select('code')
    .where('region_code', '=', regionCode)
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const occupation = await db
    .selectFrom('esco_occupations')
    .select('uri')
    .orderBy('uri')
    .executeTakeFirstOrThrow();
  const skill = await db
    .selectFrom('esco_skills')
    .select(['uri', 'label_it'])
    .orderBy('uri')
    .executeTakeFirstOrThrow();

  const r = regionCode;
  // 11 digits, distinct per tag (VAT numbers are unique within a Region).
  const vat = (kind: string) => `${kind}${tag.replace(/\D/g, '').padStart(10, '0').slice(-10)}`;
  const { id: officeId } = await insert(pool, 'offices', {
    region_code: r,
    name: `CPI di prova ${tag}`,
    address: 'Via Roma 1',
    municipality_code: municipality,
    hours: 'lun-ven 9-13',
    email: `cpi.${tag}@prova.example`,
    phone: '+39 070 000000',
  });
  const { id: agencyId } = await insert(pool, 'agencies', {
    region_code: r,
    name: `Agenzia di prova ${tag}`,
    vat_number: '01234567890',
    address: 'Via Garibaldi 2',
    municipality_code: municipality,
  });
  await insert(pool, 'accreditations', {
    region_code: r,
    agency_id: agencyId,
    services: ['accoglienza', 'orientamento', 'accompagnamento'],
    valid_from: isoDay(-365),
    valid_to: isoDay(365),
  });
  const companySlug = `impresa-prova-${tag}`;
  const { id: companyId } = await insert(pool, 'companies', {
    region_code: r,
    name: `Impresa di prova ${tag} S.r.l.`,
    vat_number: vat('1'),
    fiscal_code: vat('1'),
    ateco_section: 'C',
    size_band: 'small',
    description: 'Una impresa di prova.',
    public_slug: companySlug,
  });
  const person = async (role: SessionUser['role'], extra: Record<string, unknown>) =>
    (
      await insert(pool, 'users', {
        region_code: r,
        role,
        email: `${role}.${tag}@prova.example`,
        email_verified_at: new Date(),
        phone: '+39 333 1234567',
        given_name: 'Prova',
        family_name: `Regione ${r}`,
        ...extra,
      })
    ).id;
  const fiscalCode = `PRVRGN80A01B${tag.padStart(3, '0').slice(-3)}X`;
  const citizenId = await person('citizen', { fiscal_code: fiscalCode, birth_date: '1980-01-01', sex: 'M' });
  const cpiId = await person('cpi_operator', { office_id: officeId });
  const aplId = await person('apl_operator', { agency_id: agencyId });
  const employerId = await person('employer', { company_id: companyId, company_role: 'admin' });
  const managerId = await person('regional_manager', {});
  const adminId = await person('admin', {});
  const recruiterId = (
    await insert(pool, 'users', {
      region_code: r,
      role: 'employer',
      email: `recruiter.${tag}@prova.example`,
      given_name: 'Selezionatore',
      family_name: `Regione ${r}`,
      company_id: companyId,
      company_role: 'recruiter',
    })
  ).id;
  const users = {
    citizen: sessionUser(r, citizenId, 'citizen', { fiscalCode }),
    cpi_operator: sessionUser(r, cpiId, 'cpi_operator', { officeId }),
    apl_operator: sessionUser(r, aplId, 'apl_operator', { agencyId }),
    employer: sessionUser(r, employerId, 'employer', { companyId }),
    regional_manager: sessionUser(r, managerId, 'regional_manager'),
    admin: sessionUser(r, adminId, 'admin'),
  };
  const citizen = users.citizen;
  const cpi = users.cpi_operator;

  await insert(
    pool,
    'citizen_profiles',
    {
      region_code: r,
      user_id: citizenId,
      email: `citizen.${tag}@prova.example`,
      mobile: '+39 333 1234567',
      domicile_code: municipality,
      education_eqf: 4,
      education_title: 'Diploma',
      benefits: ['naspi'],
      current_step: 'riepilogo',
      completed_at: new Date(),
      unemployed_since: isoDay(-200),
    },
    'user_id',
  );
  await insert(
    pool,
    'candidate_visibility',
    { region_code: r, citizen_id: citizenId, visible: true },
    'citizen_id',
  );

  // DID and its receipt (a document verifiable at /verifica/<code>).
  const didCode = verificationCode();
  await insert(pool, 'did_declarations', {
    region_code: r,
    user_id: citizenId,
    status: 'active',
    verification_code: didCode,
  });
  await insert(
    pool,
    'issued_documents',
    {
      verification_code: didCode,
      region_code: r,
      user_id: citizenId,
      kind: 'did_receipt',
      title: 'Ricevuta DID',
      sha256: sha256(PDF),
      pdf: PDF,
    },
    'verification_code',
  );

  // Agenda: a slot with a booked appointment, and the same person waiting for another slot.
  const slot = async (days: number) =>
    (
      await insert(pool, 'agenda_slots', {
        region_code: r,
        operator_id: cpiId,
        office_id: officeId,
        starts_at: inDays(days),
        ends_at: new Date(inDays(days).getTime() + 30 * 60_000),
        mode: 'in_person',
        services: [service.code],
      })
    ).id;
  const slotId = await slot(3);
  const { id: appointmentId } = await insert(pool, 'appointments', {
    region_code: r,
    slot_id: slotId,
    citizen_id: citizenId,
    service_code: service.code,
    channel: 'in_person',
    booked_by: citizenId,
  });
  const { id: waitlistId } = await insert(pool, 'agenda_waitlist', {
    region_code: r,
    slot_id: await slot(4),
    citizen_id: citizenId,
    service_code: service.code,
    channel: 'in_person',
  });

  // Pact: drafted from the profile and proposed, through the pact context.
  const content = await defaultContent(deps, cpi, citizenId);
  const draft = await saveDraft(deps, cpi, citizenId, {
    services: content.services,
    cpiCommitments: content.cpiCommitments,
    citizenCommitments: content.citizenCommitments,
    notes: '',
    agencyId: null,
  });
  if (!draft.ok) throw new Error(`pact draft: ${draft.reason}`);
  const pactId = draft.pactId;
  if (!(await proposeDraft(deps, cpi, pactId))) throw new Error('pact not proposed');
  const documentCode = verificationCode();
  await insert(
    pool,
    'issued_documents',
    {
      verification_code: documentCode,
      region_code: r,
      user_id: citizenId,
      kind: 'pact',
      title: 'Patto di servizio',
      sha256: sha256(PDF),
      pdf: PDF,
    },
    'verification_code',
  );

  // Coaching: an action with an uploaded evidence, an open alert.
  const { id: planActionId } = await insert(pool, 'plan_actions', {
    region_code: r,
    citizen_id: citizenId,
    coach_id: cpiId,
    pact_id: pactId,
    kind: 'custom',
    title: 'Azione di prova',
    due_date: isoDay(20),
    created_by: cpiId,
  });
  const { id: planEvidenceId } = await insert(pool, 'plan_evidence', {
    region_code: r,
    action_id: planActionId,
    kind: 'upload',
    filename: 'prova.pdf',
    content_type: 'application/pdf',
    content: PDF,
    sha256: sha256(PDF),
    created_by: citizenId,
  });
  const { id: coachAlertId } = await insert(pool, 'coach_alerts', {
    region_code: r,
    citizen_id: citizenId,
    coach_id: cpiId,
    kind: 'inactive',
    details: {},
  });

  // Conditionality: an event with the person's justification.
  const { id: conditionalityEventId } = await insert(pool, 'conditionality_events', {
    region_code: r,
    citizen_id: citizenId,
    benefit: 'naspi',
    kind: 'no_show',
    source: 'operator',
    occurred_at: inDays(-2),
    description: 'Assenza di prova',
    status: 'justification_sent',
    created_by: cpiId,
  });
  const { id: justificationId } = await insert(pool, 'conditionality_justifications', {
    region_code: r,
    event_id: conditionalityEventId,
    citizen_id: citizenId,
    message: 'Ero malato.',
    filename: 'certificato.pdf',
    content: PDF,
    sha256: sha256(PDF),
  });

  // Skills: the assessment with a past job and a piece of evidence.
  const { id: assessmentId } = await insert(pool, 'skill_assessments', {
    region_code: r,
    citizen_id: citizenId,
    status: 'submitted',
    education_eqf: 4,
    submitted_at: new Date(),
  });
  const { id: pastJobId } = await insert(pool, 'skill_assessment_jobs', {
    region_code: r,
    assessment_id: assessmentId,
    occupation_uri: occupation.uri,
    years: 2,
  });
  const { id: skillEvidenceId } = await insert(pool, 'skill_evidence', {
    region_code: r,
    assessment_id: assessmentId,
    skill_uri: skill.uri,
    filename: 'attestato.pdf',
    content_type: 'application/pdf',
    size: PDF.length,
    sha256: sha256(PDF),
    content: PDF,
    scan_status: 'clean',
    created_by: citizenId,
  });

  // Training: a provider, a course, the person's enrolment request.
  const { id: providerId } = await insert(pool, 'training_providers', {
    region_code: r,
    name: `Ente di formazione ${tag}`,
    vat_number: vat('3'),
    agency_id: agencyId,
  });
  const { id: courseId } = await insert(pool, 'courses', {
    region_code: r,
    provider_id: providerId,
    title: `Corso di prova ${tag}`,
    description: 'Un corso di prova.',
    mode: 'remote',
    starts_on: isoDay(30),
    ends_on: isoDay(60),
    hours: 40,
    seats: 10,
    search_text: `corso di prova ${tag}`,
    created_by: aplId,
  });
  await insert(
    pool,
    'course_skills',
    { region_code: r, course_id: courseId, skill_uri: skill.uri },
    'course_id',
  );
  const { id: enrolmentId } = await insert(pool, 'course_enrolments', {
    region_code: r,
    course_id: courseId,
    citizen_id: citizenId,
    status: 'requested',
  });

  // A signed badge, through the badges context.
  const badge = await issueBadge(
    deps,
    {
      regionCode: r,
      citizenId,
      kind: 'course_completed',
      sourceRef: `isolation-${tag}`,
      achievement: {
        name: 'Corso di prova completato',
        description: 'Badge di prova.',
        criteria: 'Ha completato il corso.',
        skills: [{ uri: skill.uri, label: skill.label_it ?? 'competenza' }],
      },
    },
    new Date(),
  );
  if (!badge.ok) throw new Error(`badge: ${badge.reason}`);

  // The company: a site that is not the headquarters, an open invitation.
  await insert(pool, 'company_sites', {
    region_code: r,
    company_id: companyId,
    municipality_code: municipality,
    address: 'Via Sede 1',
    headquarters: true,
  });
  const { id: siteId } = await insert(pool, 'company_sites', {
    region_code: r,
    company_id: companyId,
    municipality_code: municipality,
    address: 'Via Filiale 2',
    headquarters: false,
  });
  const { id: inviteId } = await insert(pool, 'company_invites', {
    region_code: r,
    company_id: companyId,
    email: `nuovo.${tag}@prova.example`,
    company_role: 'recruiter',
    token_hash: sha256(randomBytes(32)),
    invited_by: employerId,
    expires_at: inDays(7),
  });

  // Vacancies: published, submitted for moderation, draft.
  const vacancy = async (status: string, title: string) =>
    (
      await insert(pool, 'vacancies', {
        region_code: r,
        company_id: companyId,
        site_id: siteId,
        title,
        description: 'Cerchiamo una persona per un lavoro di prova in Regione.',
        occupation_uri: occupation.uri,
        municipality_code: municipality,
        contract_type: 'indeterminato',
        hours: 'full_time',
        expires_on: isoDay(30),
        status,
        published_at: status === 'published' ? new Date() : null,
        created_by: employerId,
      })
    ).id;
  const vacancyId = await vacancy('published', `Offerta pubblicata ${tag}`);
  const submittedVacancyId = await vacancy('submitted', `Offerta da moderare ${tag}`);
  const draftVacancyId = await vacancy('draft', `Offerta in bozza ${tag}`);
  await insert(
    pool,
    'vacancy_skills',
    { region_code: r, vacancy_id: vacancyId, skill_uri: skill.uri },
    'vacancy_id',
  );

  // The person's CV and application, through the CV and jobs contexts.
  await createOrRefresh(
    { db, audit: platform.audit, sources: platformSources, publicUrl: platform.config.publicUrl },
    citizen,
    'it',
    translator('it'),
  );
  const applied = await apply(deps, citizen, vacancyId, 'Sono interessato.');
  if (!applied.id) throw new Error(`application: ${applied.result}`);

  // Candidate search: an accepted contact request with a message.
  const { id: contactId } = await insert(pool, 'contact_requests', {
    region_code: r,
    company_id: companyId,
    citizen_id: citizenId,
    vacancy_id: vacancyId,
    requested_by: employerId,
    message: 'Vorremmo conoscerti per la nostra offerta.',
    status: 'accepted',
    answered_at: new Date(),
  });
  await insert(pool, 'contact_messages', {
    region_code: r,
    contact_id: contactId,
    sender_side: 'company',
    sender_id: employerId,
    body: 'Buongiorno.',
  });

  const { id: otherCompanyId } = await insert(pool, 'companies', {
    region_code: r,
    name: `Seconda impresa di prova ${tag}`,
    vat_number: vat('2'),
    fiscal_code: vat('2'),
  });
  const { id: pendingContactId } = await insert(pool, 'contact_requests', {
    region_code: r,
    company_id: otherCompanyId,
    citizen_id: citizenId,
    requested_by: employerId,
    message: 'Vorremmo conoscerti anche noi.',
  });

  // CPI pre-selection, in progress, with the person as a candidate.
  const { id: shortlistId } = await insert(pool, 'shortlist_requests', {
    region_code: r,
    company_id: companyId,
    vacancy_id: vacancyId,
    office_id: officeId,
    requested_by: employerId,
    note: 'Cerchiamo tre profili.',
    status: 'in_progress',
    operator_id: cpiId,
  });
  await insert(
    pool,
    'shortlist_candidates',
    { region_code: r, request_id: shortlistId, citizen_id: citizenId, score: 80, added_by: cpiId },
    'request_id',
  );

  // A published recruiting day with the company, a slot and the person's booking.
  const { id: recruitingDayId } = await insert(pool, 'recruiting_days', {
    region_code: r,
    title: `Recruiting day di prova ${tag}`,
    sector: 'C',
    day: isoDay(10),
    mode: 'virtual',
    office_id: officeId,
    description: 'Una giornata di colloqui.',
    status: 'published',
    created_by: cpiId,
  });
  await insert(
    pool,
    'recruiting_day_companies',
    { region_code: r, day_id: recruitingDayId, company_id: companyId },
    'day_id',
  );
  const dayStart = new Date(`${isoDay(10)}T08:00:00Z`);
  const { id: rdSlotId } = await insert(pool, 'recruiting_day_slots', {
    region_code: r,
    day_id: recruitingDayId,
    company_id: companyId,
    vacancy_id: vacancyId,
    starts_at: dayStart,
    ends_at: new Date(dayStart.getTime() + 20 * 60_000),
  });
  const { id: recruitingBookingId } = await insert(pool, 'recruiting_day_bookings', {
    region_code: r,
    slot_id: rdSlotId,
    citizen_id: citizenId,
  });

  // Messages: a thread from the CPI with an attachment.
  const { id: threadId } = await insert(pool, 'message_threads', {
    region_code: r,
    citizen_id: citizenId,
    office_id: officeId,
    subject: 'Documenti per il colloquio',
    created_by: cpiId,
  });
  const { id: messageId } = await insert(pool, 'messages', {
    region_code: r,
    thread_id: threadId,
    author_id: cpiId,
    author_side: 'staff',
    body: 'Ti mando il modulo.',
  });
  const { id: attachmentId } = await insert(pool, 'message_attachments', {
    region_code: r,
    draft_id: randomUUID(),
    uploaded_by: cpiId,
    ordinal: 1,
    message_id: messageId,
    filename: 'modulo.pdf',
    content_type: 'application/pdf',
    size: PDF.length,
    content: PDF,
  });

  // A certificate of the person (SAP), stored like every issued document.
  const certificateCode = verificationCode();
  await insert(
    pool,
    'issued_documents',
    {
      verification_code: certificateCode,
      region_code: r,
      user_id: citizenId,
      kind: 'sap',
      title: 'Scheda anagrafico-professionale',
      sha256: sha256(PDF),
      pdf: PDF,
    },
    'verification_code',
  );
  await insert(
    pool,
    'certificate_issues',
    {
      region_code: r,
      verification_code: certificateCode,
      user_id: citizenId,
      kind: 'sap',
      lang: 'it',
      issued_by: cpiId,
      issued_by_role: 'cpi_operator',
      issued_by_office_id: officeId,
      purpose: 'interview',
    },
    'verification_code',
  );

  // An event for the national system that failed for good (dead letter), about the person.
  const { id: deadOutboxId } = await insert(pool, 'national_outbox', {
    region_code: r,
    idempotency_key: `isolation:${r}:${randomUUID()}`,
    kind: 'did.declared',
    payload: { citizenId, regionCode: r },
    attempts: 8,
    last_attempt_at: new Date(),
    last_error: 'HTTP 500',
    dead_at: new Date(),
  });

  // Issue 8's casework: an accreditation scope of the agency (made from the accreditation by a
  // trigger), an open referral to it, an active assisted-mode session, and a UNILAV import report.
  const scope = await pool.query<{ id: string }>(
    'select id from accreditation_scopes where region_code = $1 and agency_id = $2 limit 1',
    [r, agencyId],
  );
  const scopeId = scope.rows[0]?.id;
  if (!scopeId) throw new Error('no accreditation scope for the agency');
  const { id: referralId } = await insert(pool, 'agency_referrals', {
    region_code: r,
    citizen_id: citizenId,
    agency_id: agencyId,
    service: 'orientamento',
    starts_on: isoDay(0),
    referred_by: cpiId,
    office_id: officeId,
  });
  const { id: assistedSessionId } = await insert(pool, 'assisted_sessions', {
    region_code: r,
    citizen_id: citizenId,
    operator_id: cpiId,
    operator_role: 'cpi_operator',
    office_id: officeId,
    channel: 'phone',
    consent_version: 'v1',
    consent_lang: 'it',
    consent_text: 'Consenso letto al telefono.',
    identity_checked: true,
    consent_confirmed_at: new Date(),
    expires_at: new Date(Date.now() + 3_600_000),
  });
  const { id: unilavImportId } = await insert(pool, 'unilav_imports', {
    region_code: r,
    uploaded_by: cpiId,
    filename: 'x.csv',
    format: 'csv',
    size_bytes: 1,
    rows_total: 0,
    rows_accepted: 0,
    rows_duplicate: 0,
    rows_refused: 0,
    vacancies_closed: 0,
    report: '[]',
  });

  // A draft e-mail campaign of the CPI office (proactive campaigns).
  const { id: campaignId } = await insert(pool, 'campaigns', {
    region_code: r,
    name: 'Prova',
    template: 'book',
    channel: 'email',
    link_path: '/corsi',
    segment: { tier: 1 },
    // An office's campaign: its operators and the Region's managers both see it.
    office_id: officeId,
    created_by: cpiId,
  });

  // A dossier the person exported, and one imported by the CPI operator (dossier portability).
  const portability = await createPortabilityObjects(platform, users.citizen, users.cpi_operator.id);

  return {
    regionCode: r,
    tag,
    portabilityExportId: portability.exportId,
    portabilityImportId: portability.importId,
    scopeId,
    referralId,
    assistedSessionId,
    unilavImportId,
    campaignId,
    certificateCode,
    deadOutboxId: String(deadOutboxId),
    officeId,
    agencyId,
    companyId,
    companySlug,
    users,
    recruiterId,
    appointmentId,
    waitlistId,
    pactId,
    pactVersion: 1,
    planActionId,
    planEvidenceId,
    coachAlertId,
    conditionalityEventId,
    justificationId,
    didCode,
    documentCode,
    pastJobId,
    skillEvidenceId,
    courseId,
    enrolmentId,
    badgeId: badge.id,
    badgeCode: badge.code,
    siteId,
    inviteId,
    vacancyId,
    submittedVacancyId,
    draftVacancyId,
    applicationId: applied.id,
    contactId,
    pendingContactId,
    shortlistId,
    recruitingDayId,
    recruitingBookingId,
    threadId,
    attachmentId,
  };
}

/** The same kinds of ids and codes, naming nothing that exists: what "not found" answers look like. */
export function missingObjects(regionCode: string): RegionObjects {
  const id = () => randomUUID();
  const person = (role: SessionUser['role']) => sessionUser(regionCode, id(), role);
  return {
    regionCode,
    tag: 'missing',
    officeId: id(),
    agencyId: id(),
    companyId: id(),
    companySlug: 'impresa-che-non-esiste',
    users: {
      citizen: person('citizen'),
      cpi_operator: person('cpi_operator'),
      apl_operator: person('apl_operator'),
      employer: person('employer'),
      regional_manager: person('regional_manager'),
      admin: person('admin'),
    },
    recruiterId: id(),
    appointmentId: id(),
    waitlistId: id(),
    pactId: id(),
    pactVersion: 1,
    planActionId: id(),
    planEvidenceId: id(),
    coachAlertId: id(),
    conditionalityEventId: id(),
    justificationId: id(),
    didCode: verificationCode(),
    documentCode: verificationCode(),
    pastJobId: id(),
    skillEvidenceId: id(),
    courseId: id(),
    enrolmentId: id(),
    badgeId: id(),
    badgeCode: 'BZZZ-ZZZZ-ZZZZ',
    siteId: id(),
    inviteId: id(),
    vacancyId: id(),
    submittedVacancyId: id(),
    draftVacancyId: id(),
    applicationId: id(),
    contactId: id(),
    pendingContactId: id(),
    shortlistId: id(),
    recruitingDayId: id(),
    recruitingBookingId: id(),
    threadId: id(),
    attachmentId: id(),
    certificateCode: verificationCode(),
    deadOutboxId: '999999999',
    scopeId: id(),
    referralId: id(),
    assistedSessionId: id(),
    unilavImportId: id(),
    campaignId: id(),
    portabilityExportId: id(),
    portabilityImportId: id(),
  };
}

/**
 * Every row the Region owns, table by table, as text: compared before and after the requests of
 * another Region's people to prove that nothing of this Region changed. Left out: the audit entries
 * of anonymous reads (a document's PDF fetched by its verification code is recorded in the
 * document's Region, whoever asks), and sessions (their last-seen time moves).
 */
export async function regionSnapshot(pool: Pool, regionCode: string): Promise<Record<string, string[]>> {
  const { rows: tables } = await pool.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'region_code' and t.table_type = 'BASE TABLE'
        and c.table_name not in ('sessions')
      order by c.table_name`,
  );
  const out: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const { rows } = await pool.query<{ row: string }>(
      `select t::text as row from ${table_name} t where t.region_code = $1
       ${table_name === 'audit_log' ? 'and t.actor_id is not null' : ''} order by 1`,
      [regionCode],
    );
    out[table_name] = rows.map((x) => x.row);
  }
  return out;
}
