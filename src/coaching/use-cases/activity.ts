import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { ActivityKind } from '../adapters/coaching-tables.ts';
import { monthBounds } from '../domain/rules.ts';

export type ActivityInput = {
  regionCode: string;
  citizenId: string;
  kind: ActivityKind;
  at: Date;
  ref?: string | null;
  details?: Record<string, unknown>;
};

/**
 * Stores one of the platform's own events about a person and, in the same transaction, advances the
 * person's matching open actions with 'automatic' evidence. Returns the activity id, or null when the
 * event was already recorded (attended appointments are recorded once per appointment).
 */
export async function recordActivity(db: Db | Tx, input: ActivityInput): Promise<string | null> {
  const run = async (trx: Tx) => {
    const row = await trx
      .insertInto('citizen_activity')
      .values({
        region_code: input.regionCode,
        citizen_id: input.citizenId,
        kind: input.kind,
        at: input.at,
        ref: input.ref ?? null,
        details: JSON.stringify(input.details ?? {}),
      })
      .onConflict((oc) =>
        oc
          .columns(['region_code', 'citizen_id', 'kind', 'ref'])
          .where('kind', '=', 'appointment_attended')
          .doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (!row) return null;
    await advanceActions(trx, input, row.id);
    return row.id;
  };
  if (db.isTransaction) return run(db as Tx);
  return (db as Db).transaction().execute(run);
}

async function advanceActions(trx: Tx, input: ActivityInput, activityId: string): Promise<void> {
  const base = trx
    .selectFrom('plan_actions')
    .select(['id', 'kind', 'target', 'progress', 'due_date', 'appointment_id'])
    .where('region_code', '=', input.regionCode)
    .where('citizen_id', '=', input.citizenId)
    .where('status', '=', 'open')
    .forUpdate();
  let candidates: { id: string; target: number | null; progress: number; due_date: Date }[] = [];
  if (input.kind === 'application_sent') {
    const rows = await base.where('kind', '=', 'apply_vacancies').execute();
    candidates = rows.filter((r) => {
      const { start, end } = monthBounds(r.due_date);
      return input.at >= start && input.at < end;
    });
  } else if (input.kind === 'appointment_attended' && input.ref) {
    candidates = await base
      .where('kind', '=', 'attend_appointment')
      .where('appointment_id', '=', input.ref)
      .execute();
  } else if (input.kind === 'cv_updated') {
    candidates = await base.where('kind', '=', 'update_cv').execute();
  } else if (input.kind === 'course_attended') {
    candidates = await base.where('kind', '=', 'attend_course').execute();
  }
  for (const a of candidates) {
    const progress = a.progress + 1;
    const done = a.target === null || progress >= a.target;
    await trx
      .updateTable('plan_actions')
      .set({
        progress,
        status: done ? 'done' : 'open',
        done_at: done ? input.at : null,
        updated_at: sql<Date>`now()`,
      })
      .where('region_code', '=', input.regionCode)
      .where('id', '=', a.id)
      .execute();
    await trx
      .insertInto('plan_evidence')
      .values({ region_code: input.regionCode, action_id: a.id, kind: 'automatic', activity_id: activityId })
      .execute();
  }
}
