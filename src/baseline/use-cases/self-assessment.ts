import { sql } from 'kysely';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { SelfAnswers } from '../domain/self-assessment.ts';

type Deps = Pick<CaseworkPorts, 'db' | 'audit'>;

export type StoredAssessment = { year: number; answers: SelfAnswers; submittedAt: Date };

/** The Region's self-assessments, newest first (Region-scoped). */
export async function assessmentsOf(deps: Deps, region: string): Promise<StoredAssessment[]> {
  const { rows } = await sql<{ year: number; answers: SelfAnswers; submitted_at: Date }>`
    select year, answers, submitted_at from baseline_self_assessments
     where region_code = ${region} order by year desc`.execute(deps.db);
  return rows.map((r) => ({ year: r.year, answers: r.answers, submittedAt: r.submitted_at }));
}

/** Saves this year's answers of the manager's Region (replacing an earlier submission of the same year), audited. */
export async function saveAssessment(
  deps: Deps,
  user: SessionUser,
  year: number,
  answers: SelfAnswers,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await sql`
      insert into baseline_self_assessments (region_code, year, answers, submitted_by)
      values (${user.regionCode}, ${year}, ${JSON.stringify(answers)}::jsonb, ${user.id})
      on conflict (region_code, year)
      do update set answers = excluded.answers, submitted_by = excluded.submitted_by, submitted_at = now()`.execute(
      trx,
    );
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'baseline.self_assessment.saved',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'baseline_self_assessment',
        objectId: `${user.regionCode}-${year}`,
        details: { year },
      },
      trx,
    );
  });
}
