import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { type Placeholders, stripPersonalData } from '../domain/strip-personal-data.ts';
import {
  addDays,
  type Cell,
  MIN_CELL,
  PROBLEMS,
  type Problem,
  SERVICE_KINDS,
  type ServiceKind,
} from '../domain/survey.ts';

export type StatsFilter = { regionCode: string; from: string; to: string; officeId: string | null };

export type KindStats = Cell & { kind: ServiceKind; problems: Record<Problem, number> };

export type SatisfactionStats = {
  kinds: KindStats[];
  total: Cell;
  /** Every service together, per office of the Region (null: no office, e.g. a course without a pact). */
  offices: (Cell & { officeId: string | null; officeName: string | null })[];
  /** Comments of the kinds with at least MIN_CELL answers, personal data stripped, newest first. */
  comments: { kind: ServiceKind; score: number; month: string; text: string }[];
};

/** The offices of the manager's Region, for the filter. */
export async function regionOffices(db: Db, regionCode: string) {
  return db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('region_code', '=', regionCode)
    .orderBy('name')
    .execute();
}

/**
 * Invitations, answers and average score per service kind for the invitations sent in the period
 * (Rome days, both included), in the manager's Region, optionally for one office.
 */
export async function satisfactionStats(
  db: Db,
  filter: StatsFilter,
  placeholders: Placeholders,
  commentLimit = 50,
): Promise<SatisfactionStats> {
  const start = sql`(${filter.from}::date::timestamp at time zone 'Europe/Rome')`;
  const end = sql`(${addDays(filter.to, 1)}::date::timestamp at time zone 'Europe/Rome')`;
  const office = filter.officeId ? sql`and i.office_id = ${filter.officeId}` : sql``;
  const { rows: counts } = await sql<{
    kind: ServiceKind;
    invited: string;
    answered: string;
    score_sum: string;
  }>`
    select i.service_kind as kind, count(*) as invited, count(a.invitation_id) as answered,
           coalesce(sum(a.score), 0) as score_sum
      from satisfaction_invitations i
      left join satisfaction_answers a on a.region_code = i.region_code and a.invitation_id = i.id
     where i.region_code = ${filter.regionCode} and i.invited_at >= ${start} and i.invited_at < ${end} ${office}
     group by i.service_kind
  `.execute(db);
  const { rows: problemRows } = await sql<{ kind: ServiceKind; problem: Problem; n: string }>`
    select i.service_kind as kind, p.problem, count(*) as n
      from satisfaction_invitations i
      join satisfaction_answers a on a.region_code = i.region_code and a.invitation_id = i.id
      cross join lateral unnest(a.problems) as p(problem)
     where i.region_code = ${filter.regionCode} and i.invited_at >= ${start} and i.invited_at < ${end} ${office}
     group by i.service_kind, p.problem
  `.execute(db);
  const { rows: officeRows } = await sql<{
    office_id: string | null;
    name: string | null;
    invited: string;
    answered: string;
    score_sum: string;
  }>`
    select i.office_id, o.name, count(*) as invited, count(a.invitation_id) as answered,
           coalesce(sum(a.score), 0) as score_sum
      from satisfaction_invitations i
      left join satisfaction_answers a on a.region_code = i.region_code and a.invitation_id = i.id
      left join offices o on o.region_code = i.region_code and o.id = i.office_id
     where i.region_code = ${filter.regionCode} and i.invited_at >= ${start} and i.invited_at < ${end} ${office}
     group by i.office_id, o.name
     order by o.name nulls last
  `.execute(db);
  const offices = officeRows.map((r) => ({
    officeId: r.office_id,
    officeName: r.name,
    invited: Number(r.invited),
    answered: Number(r.answered),
    scoreSum: Number(r.score_sum),
  }));
  const kinds: KindStats[] = SERVICE_KINDS.map((kind) => {
    const c = counts.find((r) => r.kind === kind);
    const problems = Object.fromEntries(PROBLEMS.map((p) => [p, 0])) as Record<Problem, number>;
    for (const r of problemRows) if (r.kind === kind) problems[r.problem] = Number(r.n);
    return {
      kind,
      invited: Number(c?.invited ?? 0),
      answered: Number(c?.answered ?? 0),
      scoreSum: Number(c?.score_sum ?? 0),
      problems,
    };
  });
  const total = kinds.reduce<Cell>(
    (acc, k) => ({
      invited: acc.invited + k.invited,
      answered: acc.answered + k.answered,
      scoreSum: acc.scoreSum + k.scoreSum,
    }),
    { invited: 0, answered: 0, scoreSum: 0 },
  );
  const shown = kinds.filter((k) => k.answered >= MIN_CELL).map((k) => k.kind);
  const comments =
    shown.length === 0
      ? []
      : (
          await sql<{
            kind: ServiceKind;
            score: number;
            answered_at: Date;
            comment: string;
            given_name: string;
            family_name: string;
          }>`
            select i.service_kind as kind, a.score, a.answered_at, a.comment, u.given_name, u.family_name
              from satisfaction_invitations i
              join satisfaction_answers a on a.region_code = i.region_code and a.invitation_id = i.id
              join users u on u.region_code = i.region_code and u.id = i.respondent_id
             where i.region_code = ${filter.regionCode} and i.invited_at >= ${start} and i.invited_at < ${end} ${office}
               and a.comment is not null and i.service_kind in (${sql.join(shown)})
             order by a.answered_at desc
             limit ${commentLimit}
          `.execute(db)
        ).rows.map((r) => ({
          kind: r.kind,
          score: r.score,
          // Only the month: the exact time could point at the person.
          month: dateTimeFormat('en-CA', {
            timeZone: 'Europe/Rome',
            year: 'numeric',
            month: '2-digit',
          }).format(r.answered_at),
          text: stripPersonalData(r.comment, [r.given_name, r.family_name], placeholders),
        }));
  return { kinds, total, offices, comments };
}
