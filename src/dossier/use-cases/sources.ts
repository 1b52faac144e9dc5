import type { TimelineEntry, TimelineSource } from '../domain/timeline.ts';

/**
 * The dossier's timeline sources, one per group of tables another context writes. Each reads only the
 * person of the scope, in the scope's Region, and returns plain facts (titles are i18n keys with
 * plain-text variables). At most LIMIT lines per source: the dossier shows the recent history.
 */
const LIMIT = 300;

/** DID: declared, suspended, resumed, withdrawn. */
export const didSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('did_events')
    .select(['event', 'at'])
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .orderBy('at', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    at: r.at,
    kind: 'did',
    titleKey: `dossier.entry.did_${r.event}`,
    visibleToApl: true,
    personHref: '/profilo/did',
  }));
};

/** The profile: completed, and each service tier (from the model or an operator's override). */
export const profileSource: TimelineSource = async (db, { regionCode, personId }) => {
  const profile = await db
    .selectFrom('citizen_profiles')
    .select(['completed_at'])
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .executeTakeFirst();
  const tiers = await db
    .selectFrom('tier_assignments')
    .select(['tier', 'source', 'created_at'])
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .orderBy('created_at', 'desc')
    .limit(LIMIT)
    .execute();
  const out: TimelineEntry[] = tiers.map((r) => ({
    at: r.created_at,
    kind: 'profile',
    titleKey: r.source === 'override' ? 'dossier.entry.tier_override' : 'dossier.entry.tier_model',
    titleVars: { tier: r.tier },
    visibleToApl: true,
  }));
  if (profile?.completed_at)
    out.push({
      at: profile.completed_at,
      kind: 'profile',
      titleKey: 'dossier.entry.profile_completed',
      visibleToApl: true,
    });
  return out;
};

/** The digital-skills checks that were finished. */
export const digitalCheckSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('digital_check_attempts')
    .select(['finished_at', 'overall_level', 'administered_by'])
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    at: r.finished_at as Date,
    kind: 'digital_check',
    href: `/operatore/persone/${personId}/competenze-digitali`,
    titleKey: r.administered_by ? 'dossier.entry.digital_check_assisted' : 'dossier.entry.digital_check',
    titleVars: { level: r.overall_level ?? 0 },
    visibleToApl: true,
  }));
};

/** Appointments, at their time, with what became of them. */
export const appointmentSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .select(['a.id', 'a.status', 'a.service_code', 's.starts_at'])
    .where('a.region_code', '=', regionCode)
    .where('a.citizen_id', '=', personId)
    .orderBy('s.starts_at', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    at: r.starts_at,
    kind: 'appointment',
    titleKey: `dossier.entry.appointment_${r.status}`,
    titleVarKeys: { service: `agenda.services.${r.service_code}` },
    visibleToApl: true,
    personHref: '/appuntamenti',
  }));
};

/** Pact versions (proposed, signed) and each party's signature. */
export const pactSource: TimelineSource = async (db, { regionCode, personId }) => {
  const versions = await db
    .selectFrom('pact_versions as v')
    .innerJoin('pacts as p', (j) =>
      j.onRef('p.region_code', '=', 'v.region_code').onRef('p.id', '=', 'v.pact_id'),
    )
    .select(['v.version', 'v.proposed_at', 'v.signed_at'])
    .where('p.region_code', '=', regionCode)
    .where('p.citizen_id', '=', personId)
    .orderBy('v.created_at', 'desc')
    .limit(LIMIT)
    .execute();
  const signatures = await db
    .selectFrom('pact_signatures as g')
    .innerJoin('pacts as p', (j) =>
      j.onRef('p.region_code', '=', 'g.region_code').onRef('p.id', '=', 'g.pact_id'),
    )
    .select(['g.version', 'g.party', 'g.signed_at'])
    .where('p.region_code', '=', regionCode)
    .where('p.citizen_id', '=', personId)
    .orderBy('g.signed_at', 'desc')
    .limit(LIMIT)
    .execute();
  const out: TimelineEntry[] = [];
  for (const v of versions) {
    if (v.proposed_at)
      out.push({
        at: v.proposed_at,
        kind: 'pact',
        href: `/operatore/persone/${personId}/patto`,
        titleKey: 'dossier.entry.pact_proposed',
        titleVars: { version: v.version },
        visibleToApl: true,
        personHref: '/patto',
      });
    if (v.signed_at)
      out.push({
        at: v.signed_at,
        kind: 'pact',
        href: `/operatore/persone/${personId}/patto`,
        titleKey: 'dossier.entry.pact_signed',
        titleVars: { version: v.version },
        visibleToApl: true,
        personHref: '/patto',
      });
  }
  for (const g of signatures)
    out.push({
      at: g.signed_at,
      kind: 'pact',
      href: `/operatore/persone/${personId}/patto`,
      titleKey: 'dossier.entry.pact_signature',
      titleVars: { version: g.version },
      titleVarKeys: { party: `dossier.party.${g.party}` },
      visibleToApl: true,
    });
  return out;
};

/** The action plan: actions added and done. */
export const planSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('plan_actions')
    .select(['title', 'created_at', 'done_at', 'status'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', personId)
    .orderBy('created_at', 'desc')
    .limit(LIMIT)
    .execute();
  const out: TimelineEntry[] = [];
  for (const r of rows) {
    out.push({
      at: r.created_at,
      kind: 'plan',
      href: `/operatore/persone/${personId}/piano`,
      titleKey: 'dossier.entry.plan_added',
      titleVars: { title: r.title },
      visibleToApl: true,
      personHref: '/piano',
    });
    if (r.done_at)
      out.push({
        at: r.done_at,
        kind: 'plan',
        href: `/operatore/persone/${personId}/piano`,
        titleKey: 'dossier.entry.plan_done',
        titleVars: { title: r.title },
        visibleToApl: true,
        personHref: '/piano',
      });
  }
  return out;
};

/** Applications to vacancies, with their current state. */
export const applicationSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('applications as a')
    .innerJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 'a.region_code').onRef('v.id', '=', 'a.vacancy_id'),
    )
    .select(['a.created_at', 'a.status', 'v.title'])
    .where('a.region_code', '=', regionCode)
    .where('a.citizen_id', '=', personId)
    .orderBy('a.created_at', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    at: r.created_at,
    kind: 'application',
    titleKey: 'dossier.entry.application',
    titleVars: { title: r.title },
    titleVarKeys: { status: `dossier.applicationStatus.${r.status}` },
    visibleToApl: true,
  }));
};

/** Course enrolments: asked, and completed. */
export const courseSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('course_enrolments as e')
    .innerJoin('courses as c', (j) =>
      j.onRef('c.region_code', '=', 'e.region_code').onRef('c.id', '=', 'e.course_id'),
    )
    .select(['e.requested_at', 'e.completed_at', 'e.status', 'c.title'])
    .where('e.region_code', '=', regionCode)
    .where('e.citizen_id', '=', personId)
    .orderBy('e.requested_at', 'desc')
    .limit(LIMIT)
    .execute();
  const out: TimelineEntry[] = [];
  for (const r of rows) {
    out.push({
      at: r.requested_at,
      kind: 'course',
      titleKey: 'dossier.entry.course_enrolment',
      titleVars: { title: r.title },
      titleVarKeys: { status: `dossier.enrolmentStatus.${r.status}` },
      visibleToApl: true,
    });
    if (r.completed_at)
      out.push({
        at: r.completed_at,
        kind: 'course',
        titleKey: 'dossier.entry.course_completed',
        titleVars: { title: r.title },
        visibleToApl: true,
      });
  }
  return out;
};

/** Open Badges issued (and revoked). */
export const badgeSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('badges')
    .select(['name', 'issued_at', 'revoked_at'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', personId)
    .orderBy('issued_at', 'desc')
    .limit(LIMIT)
    .execute();
  const out: TimelineEntry[] = [];
  for (const r of rows) {
    out.push({
      at: r.issued_at,
      kind: 'badge',
      titleKey: 'dossier.entry.badge_issued',
      titleVars: { name: r.name },
      visibleToApl: true,
    });
    if (r.revoked_at)
      out.push({
        at: r.revoked_at,
        kind: 'badge',
        titleKey: 'dossier.entry.badge_revoked',
        titleVars: { name: r.name },
        visibleToApl: true,
      });
  }
  return out;
};

/** The conditionality ledger: facts and decisions (the CPI's own task: never shown to agencies). */
export const conditionalitySource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('conditionality_events')
    .select(['kind', 'occurred_at', 'decision', 'decided_at'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', personId)
    .orderBy('occurred_at', 'desc')
    .limit(LIMIT)
    .execute();
  const out: TimelineEntry[] = [];
  for (const r of rows) {
    out.push({
      at: r.occurred_at,
      kind: 'conditionality',
      href: `/operatore/persone/${personId}/condizionalita`,
      titleKey: 'dossier.entry.conditionality_event',
      titleVarKeys: { fact: `dossier.conditionalityKind.${r.kind}` },
      visibleToApl: false,
      personHref: '/obblighi',
    });
    if (r.decided_at && r.decision)
      out.push({
        at: r.decided_at,
        kind: 'conditionality',
        href: `/operatore/persone/${personId}/condizionalita`,
        titleKey: 'dossier.entry.conditionality_decided',
        titleVarKeys: { decision: `dossier.conditionalityDecision.${r.decision}` },
        visibleToApl: false,
        personHref: '/obblighi',
      });
  }
  return out;
};

/** Message threads: their subjects only, never the messages. An agency sees the threads it takes part in. */
export const messageSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('message_threads')
    .select(['subject', 'created_at', 'agency_id'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', personId)
    .orderBy('created_at', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    at: r.created_at,
    kind: 'message',
    href: `/operatore/persone/${personId}/messaggi`,
    titleKey: 'dossier.entry.message_thread',
    titleVars: { subject: r.subject },
    visibleToApl: r.agency_id !== null,
    personHref: '/messaggi',
  }));
};

/** Documents issued to the person: DID receipt, signed pacts, certificates. */
export const certificateSource: TimelineSource = async (db, { regionCode, personId }) => {
  const rows = await db
    .selectFrom('issued_documents')
    .select(['title', 'issued_at', 'revoked_at'])
    .where('region_code', '=', regionCode)
    .where('user_id', '=', personId)
    .orderBy('issued_at', 'desc')
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    at: r.issued_at,
    kind: 'certificate',
    titleKey: r.revoked_at ? 'dossier.entry.document_revoked' : 'dossier.entry.document_issued',
    titleVars: { title: r.title },
    visibleToApl: false,
    personHref: '/certificati',
  }));
};
