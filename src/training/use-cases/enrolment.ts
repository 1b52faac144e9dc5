import { sql } from 'kysely';
import { requestBadge } from '../../badges/contract.ts';
import { recordActivity } from '../../coaching/use-cases/activity.ts';
import { type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import type { EnrolmentStatus } from '../adapters/training-tables.ts';
import { isCourseManager, isoDate, type Operator, todayInRome, UUID } from './catalogue.ts';

export type EnrolmentDeps = { db: Db; audit: AuditLog; notifier: Notifier; queue: Queue };

type Citizen = Pick<SessionUser, 'id' | 'regionCode' | 'role' | 'officeId' | 'agencyId'>;

function isConstraint(error: unknown, code: string, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === code && e.constraint === constraint;
}

export type RequestResult = 'ok' | 'not_found' | 'started' | 'full' | 'already';

/** The citizen asks for a place: only on a course of their Region that has not started and is not full. */
export async function requestEnrolment(
  deps: EnrolmentDeps,
  citizen: Citizen,
  courseId: string,
  now = new Date(),
): Promise<RequestResult> {
  if (citizen.role !== 'citizen' || !UUID.test(courseId)) return 'not_found';
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const course = await trx
        .selectFrom('courses')
        .select(['id', 'starts_on', 'seats', 'seats_taken'])
        .where('region_code', '=', citizen.regionCode)
        .where('id', '=', courseId)
        .executeTakeFirst();
      if (!course) return 'not_found';
      if (isoDate(course.starts_on) < todayInRome(now)) return 'started';
      if (course.seats_taken >= course.seats) return 'full';
      const row = await trx
        .insertInto('course_enrolments')
        .values({
          region_code: citizen.regionCode,
          course_id: courseId,
          citizen_id: citizen.id,
          requested_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.audit.record(
        {
          regionCode: citizen.regionCode,
          action: 'training.enrolment_requested',
          outcome: 'ok',
          actor: actorOf(citizen),
          subjectId: citizen.id,
          purpose: 'training',
          objectType: 'course_enrolment',
          objectId: row.id,
          details: { course: courseId },
        },
        trx,
      );
      return 'ok' as const;
    });
  } catch (error) {
    if (isConstraint(error, '23505', 'course_enrolments_one_live')) return 'already';
    throw error;
  }
}

/** The citizen withdraws a request or a confirmed place (the seat is freed by the database). */
export async function withdrawEnrolment(
  deps: EnrolmentDeps,
  citizen: Citizen,
  enrolmentId: string,
  now = new Date(),
): Promise<'ok' | 'not_found'> {
  if (citizen.role !== 'citizen' || !UUID.test(enrolmentId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('course_enrolments')
      .set({ status: 'withdrawn', updated_at: now })
      .where('region_code', '=', citizen.regionCode)
      .where('id', '=', enrolmentId)
      .where('citizen_id', '=', citizen.id)
      .where('status', 'in', ['requested', 'confirmed'])
      .returning('id')
      .executeTakeFirst();
    if (!row) return 'not_found';
    await deps.audit.record(
      {
        regionCode: citizen.regionCode,
        action: 'training.enrolment_withdrawn',
        outcome: 'ok',
        actor: actorOf(citizen),
        subjectId: citizen.id,
        purpose: 'training',
        objectType: 'course_enrolment',
        objectId: enrolmentId,
      },
      trx,
    );
    return 'ok';
  });
}

export type Decision = 'confirm' | 'refuse' | 'complete' | 'not_complete';
export const DECISIONS: readonly Decision[] = ['confirm', 'refuse', 'complete', 'not_complete'];

const TRANSITIONS: Record<Decision, { from: EnrolmentStatus[]; to: EnrolmentStatus }> = {
  confirm: { from: ['requested'], to: 'confirmed' },
  refuse: { from: ['requested', 'confirmed'], to: 'refused' },
  complete: { from: ['confirmed'], to: 'completed' },
  not_complete: { from: ['confirmed'], to: 'not_completed' },
};

export type DecisionResult = { result: 'ok' | 'not_found' | 'wrong_status' | 'full'; courseId?: string };

/**
 * An operator who manages the course decides on an enrolment. Confirming takes a seat (the database
 * refuses overbooking); completing records the person's activity, asks for the badge and e-mails
 * them, all in one transaction.
 */
export async function decideEnrolment(
  deps: EnrolmentDeps,
  op: Operator,
  enrolmentId: string,
  decision: Decision,
  now = new Date(),
): Promise<DecisionResult> {
  if (!isCourseManager(op) || !UUID.test(enrolmentId)) return { result: 'not_found' };
  try {
    return await deps.db.transaction().execute(async (trx): Promise<DecisionResult> => {
      const e = await trx
        .selectFrom('course_enrolments as e')
        .innerJoin('courses as c', (j) =>
          j.onRef('c.region_code', '=', 'e.region_code').onRef('c.id', '=', 'e.course_id'),
        )
        .innerJoin('training_providers as p', (j) =>
          j.onRef('p.region_code', '=', 'c.region_code').onRef('p.id', '=', 'c.provider_id'),
        )
        .select([
          'e.id',
          'e.status',
          'e.citizen_id',
          'c.id as course_id',
          'c.title',
          'c.description',
          'c.hours',
          'c.eqf_level',
          'c.starts_on',
          'p.name as provider_name',
        ])
        .where('e.region_code', '=', op.regionCode)
        .where('e.id', '=', enrolmentId)
        .where(
          op.role === 'cpi_operator'
            ? sql<boolean>`true`
            : sql<boolean>`p.agency_id = ${op.agencyId ?? '00000000-0000-0000-0000-000000000000'}::uuid`,
        )
        .forUpdate('e')
        .executeTakeFirst();
      if (!e) return { result: 'not_found' };
      const tr = TRANSITIONS[decision];
      if (!tr.from.includes(e.status)) return { result: 'wrong_status', courseId: e.course_id };
      const completing = decision === 'complete' || decision === 'not_complete';
      await trx
        .updateTable('course_enrolments')
        .set({
          status: tr.to,
          updated_at: now,
          ...(completing
            ? { outcome_by: op.id, completed_at: decision === 'complete' ? now : null }
            : { decided_at: now, decided_by: op.id }),
        })
        .where('region_code', '=', op.regionCode)
        .where('id', '=', enrolmentId)
        .execute();
      await deps.audit.record(
        {
          regionCode: op.regionCode,
          action: `training.enrolment_${tr.to}`,
          outcome: 'ok',
          actor: actorOf(op as SessionUser),
          subjectId: e.citizen_id,
          purpose: 'training',
          objectType: 'course_enrolment',
          objectId: enrolmentId,
          details: { course: e.course_id },
        },
        trx,
      );
      if (decision === 'complete') {
        await recordActivity(trx, {
          regionCode: op.regionCode,
          citizenId: e.citizen_id,
          kind: 'course_attended',
          at: now,
          ref: enrolmentId,
        });
        const skills = await trx
          .selectFrom('course_skills as cs')
          .innerJoin('esco_skills as s', 's.uri', 'cs.skill_uri')
          .select(['s.uri', 's.label_it', 's.label_en'])
          .where('cs.region_code', '=', op.regionCode)
          .where('cs.course_id', '=', e.course_id)
          .orderBy('s.uri')
          .execute();
        await requestBadge(deps.queue, trx, {
          regionCode: op.regionCode,
          citizenId: e.citizen_id,
          kind: 'course_completed',
          sourceRef: enrolmentId,
          achievement: {
            name: e.title,
            description: e.description || `${e.title} — ${e.provider_name}`,
            criteria: `Corso di ${e.hours} ore erogato da ${e.provider_name}, iniziato il ${isoDate(e.starts_on)}; completamento registrato dall'ente o dal Centro per l'Impiego.`,
            skills: skills.map((s) => ({ uri: s.uri, label: s.label_it ?? s.label_en ?? s.uri })),
            eqfLevel: e.eqf_level,
          },
        });
      }
      if (decision === 'confirm' || decision === 'complete' || decision === 'refuse')
        await mailCitizen(deps, trx, op.regionCode, e.citizen_id, enrolmentId, tr.to, e.title);
      return { result: 'ok', courseId: e.course_id };
    });
  } catch (error) {
    if (isConstraint(error, '23514', 'courses_seats_not_overbooked')) return { result: 'full' };
    throw error;
  }
}

async function mailCitizen(
  deps: EnrolmentDeps,
  trx: Tx,
  regionCode: string,
  citizenId: string,
  enrolmentId: string,
  status: EnrolmentStatus,
  title: string,
): Promise<void> {
  const person = await trx
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as cp', (j) =>
      j.onRef('cp.region_code', '=', 'u.region_code').onRef('cp.user_id', '=', 'u.id'),
    )
    .select([
      'u.given_name',
      'u.preferred_language',
      sql<string | null>`coalesce(cp.email, u.email)`.as('email'),
    ])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', citizenId)
    .executeTakeFirst();
  if (!person?.email) return;
  const lang = (
    ['it', 'en', 'ar'].includes(person.preferred_language) ? person.preferred_language : 'it'
  ) as Lang;
  const t = translator(lang);
  await deps.notifier.email(trx, {
    key: `training-${status}:${regionCode}:${enrolmentId}`,
    to: person.email,
    subject: t(`training.mail.${status}.subject`, { title }),
    text: t(`training.mail.${status}.text`, { name: person.given_name, title }),
  });
}

/** The citizen's enrolments, newest first. */
export async function myEnrolments(db: Db, citizen: Citizen) {
  return db
    .selectFrom('course_enrolments as e')
    .innerJoin('courses as c', (j) =>
      j.onRef('c.region_code', '=', 'e.region_code').onRef('c.id', '=', 'e.course_id'),
    )
    .innerJoin('training_providers as p', (j) =>
      j.onRef('p.region_code', '=', 'c.region_code').onRef('p.id', '=', 'c.provider_id'),
    )
    .select([
      'e.id',
      'e.status',
      'e.requested_at',
      'e.completed_at',
      'c.id as course_id',
      'c.title',
      'c.starts_on',
      'p.name as provider_name',
    ])
    .where('e.region_code', '=', citizen.regionCode)
    .where('e.citizen_id', '=', citizen.id)
    .orderBy('e.requested_at', 'desc')
    .limit(200)
    .execute();
}

/** The citizen's live enrolment on a course, if any. */
export async function myEnrolmentOn(db: Db, citizen: Citizen, courseId: string) {
  return db
    .selectFrom('course_enrolments')
    .select(['id', 'status'])
    .where('region_code', '=', citizen.regionCode)
    .where('citizen_id', '=', citizen.id)
    .where('course_id', '=', courseId)
    .where('status', 'not in', ['refused', 'withdrawn'])
    .executeTakeFirst();
}

/** The enrolments of a course the operator manages (call after `managedCourse`). */
export async function courseEnrolments(db: Db, op: Operator, courseId: string) {
  return db
    .selectFrom('course_enrolments as e')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'e.region_code').onRef('u.id', '=', 'e.citizen_id'),
    )
    .select(['e.id', 'e.status', 'e.requested_at', 'e.citizen_id', 'u.given_name', 'u.family_name'])
    .where('e.region_code', '=', op.regionCode)
    .where('e.course_id', '=', courseId)
    .orderBy('e.requested_at')
    .limit(1000)
    .execute();
}
