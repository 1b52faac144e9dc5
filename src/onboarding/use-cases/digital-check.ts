import { randomInt } from 'node:crypto';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import {
  AREAS,
  type Area,
  answer,
  type CheckState,
  CheckStateSchema,
  type Item,
  type Level,
  newState,
  nextItem,
  result,
} from '../domain/digital-check.ts';

export type DigitalCheckDeps = { db: Db; audit: AuditLog };

/** Whose check it is. In assisted mode `operator` is the CPI operator sitting with the person. */
export type Subject = {
  regionCode: string;
  userId: string;
  givenName: string;
  familyName: string;
  operator: SessionUser | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function selfSubject(user: SessionUser): Subject {
  return {
    regionCode: user.regionCode,
    userId: user.id,
    givenName: user.givenName,
    familyName: user.familyName,
    operator: null,
  };
}

/**
 * Assisted mode: a CPI operator opens the check of a citizen of their own Region. Another Region's
 * person, or an id that does not exist, is "not found". Each call that shows the person's data
 * (`step`) is an audited read with purpose 'digital_check'.
 */
export async function assistedSubject(
  deps: DigitalCheckDeps,
  operator: SessionUser,
  personId: string,
  step: 'intro' | 'start' | 'result' | null,
): Promise<Subject | null> {
  if (operator.role !== 'cpi_operator' || !UUID.test(personId)) return null;
  const person = await deps.db
    .selectFrom('users')
    .select(['id', 'region_code', 'given_name', 'family_name'])
    .where('region_code', '=', operator.regionCode)
    .where('id', '=', personId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person) return null;
  if (step) {
    await deps.audit.record({
      regionCode: person.region_code,
      action: 'read.person',
      outcome: 'ok',
      actor: {
        id: operator.id,
        role: operator.role,
        regionCode: operator.regionCode,
        officeId: operator.officeId,
        agencyId: operator.agencyId,
      },
      subjectId: person.id,
      purpose: 'digital_check',
      objectType: 'digital_check',
      objectId: person.id,
      details: { step },
    });
  }
  return {
    regionCode: person.region_code,
    userId: person.id,
    givenName: person.given_name,
    familyName: person.family_name,
    operator,
  };
}

export type Attempt = { id: string; startedAt: Date; state: CheckState };

function parseState(raw: unknown): CheckState {
  return CheckStateSchema.parse(typeof raw === 'string' ? JSON.parse(raw) : raw);
}

/** The open attempt of this person in this mode (alone, or with this operator). */
async function openAttempt(db: Db | Tx, subject: Subject, lock = false): Promise<Attempt | null> {
  const row = await db
    .selectFrom('digital_check_attempts')
    .select(['id', 'started_at', 'state'])
    .where('region_code', '=', subject.regionCode)
    .where('user_id', '=', subject.userId)
    .where('finished_at', 'is', null)
    .$if(subject.operator === null, (q) => q.where('administered_by', 'is', null))
    .$if(subject.operator !== null, (q) => q.where('administered_by', '=', subject.operator?.id ?? ''))
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();
  return row ? { id: row.id, startedAt: row.started_at, state: parseState(row.state) } : null;
}

export async function findOpenAttempt(deps: DigitalCheckDeps, subject: Subject): Promise<Attempt | null> {
  return openAttempt(deps.db, subject);
}

/** Start a check, or resume the open one: a double click never creates two attempts. */
export async function startOrResume(deps: DigitalCheckDeps, subject: Subject): Promise<Attempt> {
  const open = await openAttempt(deps.db, subject);
  if (open) return open;
  await deps.db
    .insertInto('digital_check_attempts')
    .values({
      region_code: subject.regionCode,
      user_id: subject.userId,
      administered_by: subject.operator?.id ?? null,
      state: JSON.stringify(newState(randomInt(0x7fffffff))),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const created = await openAttempt(deps.db, subject);
  if (!created) throw new Error('digital check: the attempt was not created');
  return created;
}

export type Question = { attempt: Attempt; item: Item; number: number };

/** The question to show now, or null when there is no open attempt. */
export async function currentQuestion(deps: DigitalCheckDeps, subject: Subject): Promise<Question | null> {
  const attempt = await openAttempt(deps.db, subject);
  if (!attempt) return null;
  const item = nextItem(attempt.state);
  // An open attempt always has a next item (it is closed with its last answer); be safe anyway.
  if (!item) return null;
  return { attempt, item, number: attempt.state.answers.length + 1 };
}

export type AnswerResult =
  /** No open attempt (never started, or just finished by a duplicate submission). */
  | { kind: 'no_attempt' }
  /** This item was already answered (back button, double click, second tab): nothing changes. */
  | { kind: 'already_answered' }
  /** An item that was never presented, or an option the item does not have. */
  | { kind: 'refused'; reason: 'unexpected_item' | 'unknown_option'; question: Question }
  | { kind: 'next' }
  | { kind: 'finished'; attemptId: string };

/**
 * Record one answer. The attempt row is locked, so two submissions of the same page cannot both
 * count; only the expected next item is accepted.
 */
export async function recordAnswer(
  deps: DigitalCheckDeps,
  subject: Subject,
  input: { itemId: string; optionId: string },
): Promise<AnswerResult> {
  return deps.db.transaction().execute(async (trx): Promise<AnswerResult> => {
    const attempt = await openAttempt(trx, subject, true);
    if (!attempt) return { kind: 'no_attempt' };
    if (attempt.state.answers.some((a) => a.itemId === input.itemId)) return { kind: 'already_answered' };
    const outcome = answer(attempt.state, input.itemId, input.optionId);
    if (!outcome.ok) {
      const item = nextItem(attempt.state);
      if (outcome.reason === 'finished' || !item) return { kind: 'no_attempt' };
      return {
        kind: 'refused',
        reason: outcome.reason,
        question: { attempt, item, number: attempt.state.answers.length + 1 },
      };
    }
    const r = result(outcome.state);
    await trx
      .updateTable('digital_check_attempts')
      .set({
        state: JSON.stringify(outcome.state),
        ...(r.finished
          ? { finished_at: new Date(), overall_level: r.overall, area_levels: JSON.stringify(r.areas) }
          : {}),
      })
      .where('region_code', '=', subject.regionCode)
      .where('id', '=', attempt.id)
      .execute();
    return r.finished ? { kind: 'finished', attemptId: attempt.id } : { kind: 'next' };
  });
}

export type DigitalCheckOutcome = {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  overall: Level;
  areas: Record<Area, Level>;
  answered: number;
  administeredBy: string | null;
};

function asLevel(value: unknown): Level {
  return value === 1 || value === 2 || value === 3 ? value : 0;
}

/** The person's latest finished check, alone or assisted. */
export async function latestResult(
  deps: DigitalCheckDeps,
  subject: Pick<Subject, 'regionCode' | 'userId'>,
): Promise<DigitalCheckOutcome | null> {
  const row = await deps.db
    .selectFrom('digital_check_attempts')
    .select(['id', 'started_at', 'finished_at', 'overall_level', 'area_levels', 'state', 'administered_by'])
    .where('region_code', '=', subject.regionCode)
    .where('user_id', '=', subject.userId)
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.finished_at) return null;
  const stored = row.area_levels ?? {};
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    overall: asLevel(row.overall_level),
    areas: Object.fromEntries(AREAS.map((a) => [a, asLevel(stored[a])])) as Record<Area, Level>,
    answered: parseState(row.state).answers.length,
    administeredBy: row.administered_by,
  };
}
