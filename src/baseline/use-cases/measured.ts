import { sql } from 'kysely';
import { type Figure, figureOf } from '../../indicators/domain/indicators.ts';
import type { Db } from '../../platform/db/database.ts';

/** What the platform's own data says for one agenda service (§4 beside the report's opinion). */
export type Measured = { remoteShare: Figure; noShowRate: Figure; satisfaction: Figure };

export const MEASURE_MONTHS = 12;

type Row = {
  service_code: string;
  attended_people: number;
  attended: number;
  remote: number;
  missed_people: number;
  missed: number;
  booked_people: number;
};
type SatRow = { service_code: string; respondents: number; score_sum: number; answers: number };

/**
 * Per agenda service of one Region, over the 12 months before `now` (by the slot's start): remote
 * share (attended by phone or video ÷ attended), no-show rate (missed ÷ attended or missed) and the
 * mean satisfaction score of the answers to invitations sent after those appointments. The same
 * definitions as `docs/indicators.md`; a cell about fewer than 10 people is suppressed (figureOf).
 */
export async function measuredByService(db: Db, region: string, now: Date): Promise<Map<string, Measured>> {
  const since = new Date(now.getTime());
  since.setUTCMonth(since.getUTCMonth() - MEASURE_MONTHS);
  const { rows } = await sql<Row>`
    select a.service_code,
           count(distinct a.citizen_id) filter (where a.status = 'attended')::int as attended_people,
           count(*) filter (where a.status = 'attended')::int as attended,
           count(*) filter (where a.status = 'attended' and a.channel in ('phone', 'video'))::int as remote,
           count(distinct a.citizen_id)
             filter (where a.status in ('attended', 'no_show', 'no_show_justified'))::int as booked_people,
           count(*) filter (where a.status in ('no_show', 'no_show_justified'))::int as missed,
           count(distinct a.citizen_id) filter (where a.status in ('no_show', 'no_show_justified'))::int as missed_people
      from appointments a
      join agenda_slots s on s.region_code = a.region_code and s.id = a.slot_id
     where a.region_code = ${region} and s.starts_at >= ${since} and s.starts_at < ${now}
     group by a.service_code`.execute(db);
  const sat = await sql<SatRow>`
    select a.service_code, count(distinct i.respondent_id)::int as respondents,
           sum(ans.score)::int as score_sum, count(*)::int as answers
      from satisfaction_answers ans
      join satisfaction_invitations i on i.region_code = ans.region_code and i.id = ans.invitation_id
      join appointments a on a.region_code = i.region_code and a.id = i.service_id
     where ans.region_code = ${region} and i.service_kind = 'appointment'
       and ans.answered_at >= ${since} and ans.answered_at < ${now}
     group by a.service_code`.execute(db);
  const out = new Map<string, Measured>();
  const empty = figureOf('rate', { subjects: 0, numerator: 0, denominator: 0 });
  for (const r of rows) {
    out.set(r.service_code, {
      remoteShare: figureOf('rate', {
        subjects: r.attended_people,
        numerator: r.remote,
        denominator: r.attended,
      }),
      noShowRate: figureOf('rate', {
        subjects: r.booked_people,
        numerator: r.missed,
        denominator: r.attended + r.missed,
      }),
      satisfaction: empty,
    });
  }
  for (const s of sat.rows) {
    const m = out.get(s.service_code) ?? { remoteShare: empty, noShowRate: empty, satisfaction: empty };
    m.satisfaction = figureOf('mean', {
      subjects: s.respondents,
      numerator: s.score_sum,
      denominator: s.answers,
    });
    out.set(s.service_code, m);
  }
  return out;
}
