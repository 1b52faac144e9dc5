import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { requestBadge } from '../../badges/contract.ts';
import { type Actor, type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { NO_CONTROL_CHARS } from '../../platform/http/forms.ts';
import { sniffUploadType } from '../../platform/http/uploads.ts';
import { type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { AssessmentStatus, SessionMode } from '../adapters/assessment-tables.ts';
import { scanFile, type VirusScanner } from '../adapters/virus-scan.ts';
import { cleanFilename } from '../domain/content-type.ts';
import { labelFor, orderForChecklist, type Relation } from '../domain/gap.ts';
import { BADGE_MIN_LEVEL, type LevelOrNone } from '../domain/levels.ts';

export type AssessmentDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue };
export type Citizen = Actor & { id: string; regionCode: string };
export type Operator = Actor & { id: string; regionCode: string; role: string; officeId: string | null };
type Language = 'it' | 'en' | 'ar';

export const MAX_TARGETS = 3;
export const MAX_JOBS = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The form field name of a skill (a short, stable hash of its URI: URIs make poor ids). */
export function skillField(uri: string): string {
  return `k${createHash('sha256').update(uri).digest('hex').slice(0, 16)}`;
}

/** ESCO occupations whose labels match the text (substring, or trigram word similarity for typos), best first. */
export async function searchOccupations(db: Db, q: string, lang: Language, limit = 20) {
  const text = q.trim().toLowerCase().slice(0, 100);
  if (text.length < 2 || !NO_CONTROL_CHARS.test(text)) return [];
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('esco_occupations')
    .select(['uri', 'label_it', 'label_en'])
    // Substring (served by the trigram index), or pg_trgm word similarity for typos: the threshold is
    // lower than `<%`'s default 0.6, so "cameirere" still finds "cameriere" (ESCO has ~3,000 occupations).
    .where((eb) =>
      eb.or([
        eb('search_text', 'ilike', like),
        eb(sql<number>`word_similarity(${text}, search_text)`, '>=', 0.4),
      ]),
    )
    .orderBy(sql`search_text ilike ${like}`, 'desc')
    .orderBy(sql`word_similarity(${text}, search_text)`, 'desc')
    .orderBy('uri')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ uri: r.uri, label: labelFor(lang, r.label_it, r.label_en, r.uri) }));
}

export async function findAssessment(db: Db | Tx, regionCode: string, citizenId: string) {
  if (!UUID.test(citizenId)) return undefined;
  return db
    .selectFrom('skill_assessments')
    .selectAll()
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
}

/** The person's assessment, created as a draft on first use (locked row for the transaction). */
async function ownAssessment(trx: Tx, c: Citizen) {
  await trx
    .insertInto('skill_assessments')
    .values({ region_code: c.regionCode, citizen_id: c.id })
    .onConflict((oc) => oc.columns(['region_code', 'citizen_id']).doNothing())
    .execute();
  return trx
    .selectFrom('skill_assessments')
    .select(['id', 'status'])
    .where('region_code', '=', c.regionCode)
    .where('citizen_id', '=', c.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

type Locked = 'locked';
/** Runs a change of the person's own assessment, refused once validated; bumps updated_at. */
async function changeOwn<T>(
  deps: AssessmentDeps,
  c: Citizen,
  fn: (trx: Tx, a: { id: string; status: AssessmentStatus }) => Promise<T>,
): Promise<T | Locked> {
  return deps.db.transaction().execute(async (trx) => {
    const a = await ownAssessment(trx, c);
    if (a.status === 'validated') return 'locked' as const;
    const r = await fn(trx, a);
    await trx
      .updateTable('skill_assessments')
      .set({ updated_at: sql<Date>`now()` })
      .where('region_code', '=', c.regionCode)
      .where('id', '=', a.id)
      .execute();
    return r;
  });
}

export type AssessmentView = NonNullable<Awaited<ReturnType<typeof loadAssessment>>>;

/** Everything about the person's assessment for the pages (null when there is none yet). */
export async function loadAssessment(db: Db, regionCode: string, citizenId: string, lang: Language) {
  const a = await findAssessment(db, regionCode, citizenId);
  if (!a) return null;
  const targets = await db
    .selectFrom('skill_assessment_targets as t')
    .innerJoin('esco_occupations as o', 'o.uri', 't.occupation_uri')
    .select(['o.uri', 'o.label_it', 'o.label_en', 't.position'])
    .where('t.region_code', '=', regionCode)
    .where('t.assessment_id', '=', a.id)
    .orderBy('t.position')
    .execute();
  const jobs = await db
    .selectFrom('skill_assessment_jobs as j')
    .leftJoin('esco_occupations as o', 'o.uri', 'j.occupation_uri')
    .select(['j.id', 'j.title', 'j.years', 'j.occupation_uri', 'o.label_it', 'o.label_en'])
    .where('j.region_code', '=', regionCode)
    .where('j.assessment_id', '=', a.id)
    .orderBy('j.created_at')
    .execute();
  const levels = await db
    .selectFrom('skill_assessment_skills')
    .select(['skill_uri', 'self_level', 'validated_level'])
    .where('region_code', '=', regionCode)
    .where('assessment_id', '=', a.id)
    .execute();
  const evidence = await db
    .selectFrom('skill_evidence as e')
    .leftJoin('esco_skills as s', 's.uri', 'e.skill_uri')
    .select([
      'e.id',
      'e.skill_uri',
      'e.filename',
      'e.content_type',
      'e.size',
      'e.scan_status',
      'e.created_at',
      's.label_it',
      's.label_en',
    ])
    .where('e.region_code', '=', regionCode)
    .where('e.assessment_id', '=', a.id)
    .orderBy('e.created_at')
    .execute();
  const byUri = new Map(levels.map((l) => [l.skill_uri, l]));
  return {
    assessment: a,
    targets: targets.map((t) => ({ uri: t.uri, label: labelFor(lang, t.label_it, t.label_en, t.uri) })),
    jobs: jobs.map((j) => ({
      id: j.id,
      title: j.title ?? labelFor(lang, j.label_it, j.label_en, ''),
      occupationLabel: j.occupation_uri ? labelFor(lang, j.label_it, j.label_en, j.occupation_uri) : null,
      years: j.years,
    })),
    levels: byUri,
    evidence: evidence.map((e) => ({
      id: e.id,
      skillUri: e.skill_uri,
      skillLabel: e.skill_uri ? labelFor(lang, e.label_it, e.label_en, e.skill_uri) : null,
      filename: e.filename,
      contentType: e.content_type,
      size: e.size,
      scanStatus: e.scan_status,
      createdAt: e.created_at,
    })),
  };
}

export type ChecklistSkill = {
  uri: string;
  label: string;
  labelIt: string;
  relation: Relation;
  field: string;
};
export type ChecklistSection = { occupationUri: string; occupationLabel: string; skills: ChecklistSkill[] };

/**
 * The checklist: per target (in order), its essential then optional skills. A skill already listed
 * under an earlier target is not repeated.
 */
export async function checklist(
  db: Db | Tx,
  regionCode: string,
  assessmentId: string,
  lang: Language,
): Promise<ChecklistSection[]> {
  const targets = await db
    .selectFrom('skill_assessment_targets as t')
    .innerJoin('esco_occupations as o', 'o.uri', 't.occupation_uri')
    .select(['o.uri', 'o.label_it', 'o.label_en'])
    .where('t.region_code', '=', regionCode)
    .where('t.assessment_id', '=', assessmentId)
    .orderBy('t.position')
    .execute();
  if (targets.length === 0) return [];
  const rows = await db
    .selectFrom('esco_occupation_skills as os')
    .innerJoin('esco_skills as s', 's.uri', 'os.skill_uri')
    .select(['os.occupation_uri', 'os.relation', 's.uri', 's.label_it', 's.label_en'])
    .where(
      'os.occupation_uri',
      'in',
      targets.map((t) => t.uri),
    )
    .execute();
  const seen = new Set<string>();
  const locale = lang === 'en' ? 'en' : 'it';
  return targets.map((t) => {
    const skills = orderForChecklist(
      rows
        .filter((r) => r.occupation_uri === t.uri)
        .map((r) => ({
          uri: r.uri,
          label: labelFor(lang, r.label_it, r.label_en, r.uri),
          labelIt: labelFor('it', r.label_it, r.label_en, r.uri),
          relation: r.relation as Relation,
          field: skillField(r.uri),
        })),
      locale,
    ).filter((s) => {
      if (seen.has(s.uri)) return false;
      seen.add(s.uri);
      return true;
    });
    return { occupationUri: t.uri, occupationLabel: labelFor(lang, t.label_it, t.label_en, t.uri), skills };
  });
}

async function audit(
  deps: AssessmentDeps,
  trx: Tx,
  c: Actor,
  action: string,
  objectId: string,
  details = {},
) {
  await deps.audit.record(
    {
      regionCode: c.regionCode,
      action,
      outcome: 'ok',
      actor: actorOf(c),
      subjectId: c.role === 'citizen' ? c.id : null,
      purpose: 'skills_assessment',
      objectType: 'skill_assessment',
      objectId,
      details,
    },
    trx,
  );
}

/** A URI as it may reach the database (PostgreSQL refuses NUL bytes in text). */
function plausibleUri(uri: string): boolean {
  return uri.length > 0 && uri.length <= 500 && NO_CONTROL_CHARS.test(uri);
}

export async function addTarget(deps: AssessmentDeps, c: Citizen, occupationUri: string) {
  if (!plausibleUri(occupationUri)) return 'not_found' as const;
  const exists = await deps.db
    .selectFrom('esco_occupations')
    .select('uri')
    .where('uri', '=', occupationUri.slice(0, 500))
    .executeTakeFirst();
  if (!exists) return 'not_found' as const;
  return changeOwn(deps, c, async (trx, a) => {
    const current = await trx
      .selectFrom('skill_assessment_targets')
      .select(['occupation_uri', 'position'])
      .where('region_code', '=', c.regionCode)
      .where('assessment_id', '=', a.id)
      .execute();
    if (current.some((t) => t.occupation_uri === exists.uri)) return 'duplicate' as const;
    if (current.length >= MAX_TARGETS) return 'full' as const;
    const used = new Set(current.map((t) => t.position));
    const position = [1, 2, 3].find((p) => !used.has(p)) ?? 1;
    await trx
      .insertInto('skill_assessment_targets')
      .values({ region_code: c.regionCode, assessment_id: a.id, occupation_uri: exists.uri, position })
      .execute();
    await audit(deps, trx, c, 'skills.target_added', a.id, { occupation: exists.uri });
    return 'ok' as const;
  });
}

export async function removeTarget(deps: AssessmentDeps, c: Citizen, occupationUri: string) {
  if (!plausibleUri(occupationUri)) return 'not_found' as const;
  return changeOwn(deps, c, async (trx, a) => {
    const r = await trx
      .deleteFrom('skill_assessment_targets')
      .where('region_code', '=', c.regionCode)
      .where('assessment_id', '=', a.id)
      .where('occupation_uri', '=', occupationUri.slice(0, 500))
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0 ? ('ok' as const) : ('not_found' as const);
  });
}

/** A past job; its title is matched to an ESCO occupation when a label or alternative label is equal. */
export async function addJob(deps: AssessmentDeps, c: Citizen, job: { title: string; years: number }) {
  const title = job.title.trim();
  const match = await deps.db
    .selectFrom('esco_occupations')
    .select('uri')
    .where((eb) =>
      eb.or([
        eb(sql`lower(label_it)`, '=', title.toLowerCase()),
        eb(sql`lower(label_en)`, '=', title.toLowerCase()),
        eb(
          sql<boolean>`${title.toLowerCase()} = any(select lower(x) from unnest(alt_labels_it) x)`,
          '=',
          true,
        ),
      ]),
    )
    .orderBy('uri')
    .limit(1)
    .executeTakeFirst();
  return changeOwn(deps, c, async (trx, a) => {
    const n = await trx
      .selectFrom('skill_assessment_jobs')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('region_code', '=', c.regionCode)
      .where('assessment_id', '=', a.id)
      .executeTakeFirstOrThrow();
    if (n.n >= MAX_JOBS) return 'full' as const;
    await trx
      .insertInto('skill_assessment_jobs')
      .values({
        region_code: c.regionCode,
        assessment_id: a.id,
        occupation_uri: match?.uri ?? null,
        title,
        years: job.years,
      })
      .execute();
    return 'ok' as const;
  });
}

export async function removeJob(deps: AssessmentDeps, c: Citizen, jobId: string) {
  if (!UUID.test(jobId)) return 'not_found' as const;
  return changeOwn(deps, c, async (trx, a) => {
    const r = await trx
      .deleteFrom('skill_assessment_jobs')
      .where('region_code', '=', c.regionCode)
      .where('assessment_id', '=', a.id)
      .where('id', '=', jobId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0 ? ('ok' as const) : ('not_found' as const);
  });
}

export async function saveEducation(
  deps: AssessmentDeps,
  c: Citizen,
  e: { eqf: number | null; title: string | null; informal: string | null },
) {
  return changeOwn(deps, c, async (trx, a) => {
    await trx
      .updateTable('skill_assessments')
      .set({ education_eqf: e.eqf, education_title: e.title, informal_experience: e.informal })
      .where('region_code', '=', c.regionCode)
      .where('id', '=', a.id)
      .execute();
    return 'ok' as const;
  });
}

/** Saves the self-assessed levels given for skills of the checklist (others are ignored). */
export async function saveSelfLevels(
  deps: AssessmentDeps,
  c: Citizen,
  levelOf: (field: string) => LevelOrNone | null,
  lang: Language,
) {
  return changeOwn(deps, c, async (trx, a) => {
    const sections = await checklist(trx, c.regionCode, a.id, lang);
    let saved = 0;
    for (const s of sections.flatMap((x) => x.skills)) {
      const level = levelOf(s.field);
      if (level === null) continue;
      await trx
        .insertInto('skill_assessment_skills')
        .values({ region_code: c.regionCode, assessment_id: a.id, skill_uri: s.uri, self_level: level })
        .onConflict((oc) =>
          oc
            .columns(['region_code', 'assessment_id', 'skill_uri'])
            .doUpdateSet({ self_level: level, updated_at: sql<Date>`now()` }),
        )
        .execute();
      saved++;
    }
    return { saved };
  });
}

export type UploadOutcome = 'ok' | 'bad_type' | 'infected' | 'bad_skill' | Locked;

/**
 * Adds a file to the portfolio: its type decided by its bytes (PDF, JPEG, PNG), scanned by the
 * virus-scanner hook; an infected or unrecognised file is refused and nothing is stored.
 */
export async function addEvidence(
  deps: AssessmentDeps & { scan?: VirusScanner },
  c: Citizen,
  f: { skillUri: string | null; filename: string; data: Buffer },
  lang: Language,
): Promise<UploadOutcome> {
  if (f.skillUri !== null && !plausibleUri(f.skillUri)) return 'bad_skill';
  const type = sniffUploadType(f.data);
  if (!type || f.data.length === 0) return 'bad_type';
  const scan = await (deps.scan ?? scanFile)(f.data);
  if (scan === 'infected') {
    await deps.audit.record({
      regionCode: c.regionCode,
      action: 'skills.evidence_infected',
      outcome: 'refused',
      actor: actorOf(c),
      subjectId: c.id,
      purpose: 'skills_assessment',
      objectType: 'skill_evidence',
      details: { size: f.data.length },
    });
    return 'infected';
  }
  return changeOwn(deps, c, async (trx, a) => {
    if (f.skillUri) {
      const sections = await checklist(trx, c.regionCode, a.id, lang);
      if (!sections.some((s) => s.skills.some((k) => k.uri === f.skillUri))) return 'bad_skill' as const;
    }
    const row = await trx
      .insertInto('skill_evidence')
      .values({
        region_code: c.regionCode,
        assessment_id: a.id,
        skill_uri: f.skillUri,
        filename: cleanFilename(f.filename, type === 'application/pdf' ? 'documento.pdf' : 'immagine'),
        content_type: type,
        size: f.data.length,
        sha256: createHash('sha256').update(f.data).digest('hex'),
        content: f.data,
        scan_status: scan,
        created_by: c.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(deps, trx, c, 'skills.evidence_added', a.id, { evidence: row.id, type, scan });
    return 'ok' as const;
  });
}

export async function removeEvidence(deps: AssessmentDeps, c: Citizen, evidenceId: string) {
  if (!UUID.test(evidenceId)) return 'not_found' as const;
  return changeOwn(deps, c, async (trx, a) => {
    const r = await trx
      .deleteFrom('skill_evidence')
      .where('region_code', '=', c.regionCode)
      .where('assessment_id', '=', a.id)
      .where('id', '=', evidenceId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0 ? ('ok' as const) : ('not_found' as const);
  });
}

/** Submit for the operator's review: needs a target and at least one answered skill. */
export async function submitAssessment(deps: AssessmentDeps, c: Citizen) {
  return changeOwn(deps, c, async (trx, a) => {
    const counts = await trx
      .selectFrom('skill_assessments as a')
      .select((eb) => [
        eb
          .selectFrom('skill_assessment_targets')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('region_code', '=', c.regionCode)
          .where('assessment_id', '=', a.id)
          .as('targets'),
        eb
          .selectFrom('skill_assessment_skills')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('region_code', '=', c.regionCode)
          .where('assessment_id', '=', a.id)
          .where('self_level', 'is not', null)
          .as('answered'),
      ])
      .where('a.region_code', '=', c.regionCode)
      .where('a.id', '=', a.id)
      .executeTakeFirstOrThrow();
    if (!counts.targets) return 'no_target' as const;
    if (!counts.answered) return 'no_levels' as const;
    await trx
      .updateTable('skill_assessments')
      .set({ status: 'submitted', submitted_at: sql<Date>`now()` })
      .where('region_code', '=', c.regionCode)
      .where('id', '=', a.id)
      .execute();
    await audit(deps, trx, c, 'skills.submitted', a.id);
    return 'ok' as const;
  });
}

/** An evidence file of the person's own assessment. */
export async function evidenceFile(db: Db, regionCode: string, citizenId: string, evidenceId: string) {
  if (!UUID.test(evidenceId) || !UUID.test(citizenId)) return null;
  const row = await db
    .selectFrom('skill_evidence as e')
    .innerJoin('skill_assessments as a', (j) =>
      j.onRef('a.region_code', '=', 'e.region_code').onRef('a.id', '=', 'e.assessment_id'),
    )
    .select(['e.id', 'e.filename', 'e.content_type', 'e.content'])
    .where('e.region_code', '=', regionCode)
    .where('e.id', '=', evidenceId)
    .where('a.citizen_id', '=', citizenId)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * May this operator review the person's assessment? As for the action plan: the e-coach, an operator
 * of the pact's CPI, or of its agency for an APL operator; without a pact, any CPI operator of the
 * Region. Returns the person or null (→ "not found").
 */
export async function personForOperator(db: Db, op: Operator, citizenId: string) {
  if (!UUID.test(citizenId)) return null;
  const person = await db
    .selectFrom('users')
    .select(['id', 'given_name', 'family_name', 'preferred_language'])
    .where('region_code', '=', op.regionCode)
    .where('id', '=', citizenId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  const pact = await db
    .selectFrom('pacts')
    .select(['coach_id', 'office_id', 'agency_id'])
    .where('region_code', '=', op.regionCode)
    .where('citizen_id', '=', citizenId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const allowed = pact
    ? pact.coach_id === op.id ||
      (op.role === 'cpi_operator' && op.officeId !== null && op.officeId === pact.office_id) ||
      (op.role === 'apl_operator' && op.agencyId !== null && op.agencyId === pact.agency_id)
    : op.role === 'cpi_operator';
  return allowed ? person : null;
}

export async function evidenceFileForOperator(
  deps: AssessmentDeps,
  op: Operator,
  citizenId: string,
  evidenceId: string,
) {
  const person = await personForOperator(deps.db, op, citizenId);
  if (!person) return null;
  const file = await evidenceFile(deps.db, op.regionCode, citizenId, evidenceId);
  if (!file) return null;
  await deps.audit.record({
    regionCode: op.regionCode,
    action: 'skills.evidence_read',
    outcome: 'ok',
    actor: actorOf(op),
    subjectId: citizenId,
    purpose: 'skills_assessment',
    objectType: 'skill_evidence',
    objectId: file.id,
  });
  return file;
}

export type Validation = {
  levelOf: (field: string) => LevelOrNone | null;
  sessionDate: string;
  sessionMode: SessionMode;
  notes: string | null;
};

/**
 * The operator validates the assessment after the blended session: a validated level for each skill
 * of the checklist, the session's date, mode and notes; status → validated; the person is told by
 * e-mail; the skills validated at level ≥ 2 are attested by a badge requested in the same transaction.
 */
export async function validateAssessment(
  deps: AssessmentDeps,
  op: Operator,
  citizenId: string,
  v: Validation,
) {
  const person = await personForOperator(deps.db, op, citizenId);
  if (!person) return 'not_found' as const;
  return deps.db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom('skill_assessments')
      .select(['id', 'status'])
      .where('region_code', '=', op.regionCode)
      .where('citizen_id', '=', citizenId)
      .forUpdate()
      .executeTakeFirst();
    if (!a) return 'not_found' as const;
    if (a.status === 'validated') return 'locked' as const;
    const sections = await checklist(trx, op.regionCode, a.id, 'it');
    if (sections.length === 0) return 'no_target' as const;
    const attested: { uri: string; label: string }[] = [];
    const seen = new Set<string>();
    for (const s of sections.flatMap((x) => x.skills)) {
      const level = v.levelOf(s.field);
      if (level === null) continue;
      await trx
        .insertInto('skill_assessment_skills')
        .values({ region_code: op.regionCode, assessment_id: a.id, skill_uri: s.uri, validated_level: level })
        .onConflict((oc) =>
          oc
            .columns(['region_code', 'assessment_id', 'skill_uri'])
            .doUpdateSet({ validated_level: level, updated_at: sql<Date>`now()` }),
        )
        .execute();
      if (level >= BADGE_MIN_LEVEL && !seen.has(s.uri)) {
        seen.add(s.uri);
        attested.push({ uri: s.uri, label: s.labelIt });
      }
    }
    await trx
      .updateTable('skill_assessments')
      .set({
        status: 'validated',
        validated_at: sql<Date>`now()`,
        validated_by: op.id,
        session_date: v.sessionDate,
        session_mode: v.sessionMode,
        session_notes: v.notes,
        updated_at: sql<Date>`now()`,
      })
      .where('region_code', '=', op.regionCode)
      .where('id', '=', a.id)
      .execute();
    await deps.audit.record(
      {
        regionCode: op.regionCode,
        action: 'skills.validated',
        outcome: 'ok',
        actor: actorOf(op),
        subjectId: citizenId,
        purpose: 'skills_assessment',
        objectType: 'skill_assessment',
        objectId: a.id,
        details: { attested: attested.length, mode: v.sessionMode },
      },
      trx,
    );
    const occupations = sections.map((s) => s.occupationLabel).join(', ');
    if (attested.length > 0) {
      const it = translator('it');
      await requestBadge(deps.queue, trx, {
        regionCode: op.regionCode,
        citizenId,
        kind: 'competence_validated',
        sourceRef: a.id,
        achievement: {
          name: it('skills.badge.name', { occupation: occupations }),
          description: it('skills.badge.description', { occupation: occupations, count: attested.length }),
          criteria: it('skills.badge.criteria'),
          skills: attested,
        },
      });
    }
    const contact = await trx
      .selectFrom('users as u')
      .leftJoin('citizen_profiles as p', (j) =>
        j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
      )
      .select([
        'u.given_name',
        'u.preferred_language',
        sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      ])
      .where('u.region_code', '=', op.regionCode)
      .where('u.id', '=', citizenId)
      .executeTakeFirst();
    if (contact?.email) {
      const lang = (
        ['it', 'en', 'ar'].includes(contact.preferred_language) ? contact.preferred_language : 'it'
      ) as Lang;
      const t = translator(lang);
      await deps.notifier.email(trx, {
        key: `skills-validated:${a.id}`,
        to: contact.email,
        subject: t('skills.mail.validated.subject'),
        text: t('skills.mail.validated.text', { name: contact.given_name }),
      });
    }
    return 'ok' as const;
  });
}
