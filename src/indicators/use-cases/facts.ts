import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { romeDay } from '../../platform/i18n/format.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import {
  addDays,
  INDICATORS,
  type IndicatorId,
  recomputeFrom,
  SMALL_TOWN_MAX_POPULATION,
} from '../domain/indicators.ts';

export { romeDay };

/** The earliest day the first refresh covers. */
export const ORIGIN = '2020-01-01';

type Bounds = { d0: string; d1: string };

/** Rome-time instants of [d0, d1) as SQL. */
const t0 = (b: Bounds) => sql`((${b.d0}::date)::timestamp at time zone 'Europe/Rome')`;
const t1 = (b: Bounds) => sql`((${b.d1}::date)::timestamp at time zone 'Europe/Rome')`;
const dayOf = (col: RawBuilder<unknown>) => sql`(${col} at time zone 'Europe/Rome')::date`;

const latestTier = sql`(select t.tier::text from tier_assignments t
  where t.region_code = a.region_code and t.user_id = a.citizen_id order by t.created_at desc limit 1)`;
const pactOffice = (person: RawBuilder<unknown>) => sql`coalesce((select p.office_id::text from pacts p
  where p.region_code = ${sql.raw('x.region_code')} and p.citizen_id = ${person} order by p.created_at desc limit 1), '')`;

/**
 * Each indicator's event rows for the days [d0, d1): office_key, day, dimension, user_id (the person
 * the event is about), num, den. One row per dimension value ('all' always).
 */
function events(id: IndicatorId, region: string, b: Bounds): RawBuilder<unknown> {
  const appts = (where: RawBuilder<unknown>, dims: RawBuilder<unknown>, num: RawBuilder<unknown>) => sql`
    select s.office_id::text as office_key, ${dayOf(sql`s.starts_at`)} as day, d.dim as dimension,
           a.citizen_id as user_id, ${num}::float8 as num, 1::float8 as den
      from appointments a
      join agenda_slots s on s.region_code = a.region_code and s.id = a.slot_id
      cross join lateral (values ${dims}) d(dim)
     where a.region_code = ${region} and s.starts_at >= ${t0(b)} and s.starts_at < ${t1(b)} and ${where}`;
  switch (id) {
    case 'people_served':
      return appts(
        sql`a.status = 'attended'`,
        sql`('all'), ('channel:' || a.channel), ('tier:' || coalesce(${latestTier}, 'none'))`,
        sql`1`,
      );
    case 'no_show_rate':
      return appts(
        sql`a.status in ('attended', 'no_show', 'no_show_justified')`,
        sql`('all'), ('service:' || a.service_code)`,
        sql`(a.status <> 'attended')::int`,
      );
    case 'remote_share':
      return appts(
        sql`a.status = 'attended'`,
        sql`('all'), ('service:' || a.service_code)`,
        sql`(a.channel in ('phone', 'video'))::int`,
      );
    case 'operator_time':
      return appts(
        sql`a.status = 'attended' and a.minutes_spent is not null`,
        sql`('all'), ('service:' || a.service_code)`,
        sql`a.minutes_spent`,
      );
    case 'wait_first_contact':
      return sql`
        select s.office_id::text as office_key, ${dayOf(sql`s.starts_at`)} as day, 'all' as dimension,
               a.citizen_id as user_id,
               extract(epoch from (s.starts_at - dd.declared_at)) / 86400.0 as num, 1::float8 as den
          from appointments a
          join agenda_slots s on s.region_code = a.region_code and s.id = a.slot_id
          join did_declarations dd on dd.region_code = a.region_code and dd.user_id = a.citizen_id
               and dd.status <> 'withdrawn' and dd.declared_at <= s.starts_at
         where a.region_code = ${region} and a.status = 'attended'
           and s.starts_at >= ${t0(b)} and s.starts_at < ${t1(b)}
           and not exists (
             select 1 from appointments a2
               join agenda_slots s2 on s2.region_code = a2.region_code and s2.id = a2.slot_id
              where a2.region_code = a.region_code and a2.citizen_id = a.citizen_id
                and a2.status = 'attended' and s2.starts_at >= dd.declared_at and s2.starts_at < s.starts_at)`;
    case 'satisfaction':
      return sql`
        select coalesce(i.office_id::text, '') as office_key, ${dayOf(sql`s.answered_at`)} as day, d.dim as dimension,
               i.respondent_id as user_id, s.score::float8 as num, 1::float8 as den
          from satisfaction_answers s
          join satisfaction_invitations i on i.region_code = s.region_code and i.id = s.invitation_id
          cross join lateral (values ('all'), ('kind:' || i.service_kind)) d(dim)
         where s.region_code = ${region} and s.answered_at >= ${t0(b)} and s.answered_at < ${t1(b)}`;
    case 'response_rate':
      return sql`
        select coalesce(i.office_id::text, '') as office_key, ${dayOf(sql`i.invited_at`)} as day, d.dim as dimension,
               i.respondent_id as user_id, (i.answered_at is not null)::int::float8 as num, 1::float8 as den
          from satisfaction_invitations i
          cross join lateral (values ('all'), ('kind:' || i.service_kind)) d(dim)
         where i.region_code = ${region} and i.invited_at >= ${t0(b)} and i.invited_at < ${t1(b)}`;
    case 'conditionality_events':
      return sql`
        select ${pactOffice(sql`x.citizen_id`)} as office_key, ${dayOf(sql`x.occurred_at`)} as day, d.dim as dimension,
               x.citizen_id as user_id, 1::float8 as num, 1::float8 as den
          from conditionality_events x
          cross join lateral (values ('all'), ('kind:' || x.kind), ('outcome:' || coalesce(x.decision, 'pending'))) d(dim)
         where x.region_code = ${region} and x.occurred_at >= ${t0(b)} and x.occurred_at < ${t1(b)}`;
    case 'pact_within_30':
      return sql`
        select ${pactOffice(sql`x.user_id`)} as office_key, ${dayOf(sql`x.declared_at`)} as day, 'all' as dimension,
               x.user_id, (exists (
                 select 1 from pact_versions v join pacts p on p.region_code = v.region_code and p.id = v.pact_id
                  where p.region_code = x.region_code and p.citizen_id = x.user_id and v.signed_at is not null
                    and v.signed_at >= x.declared_at and v.signed_at < x.declared_at + interval '30 days'))::int::float8 as num,
               1::float8 as den
          from did_declarations x
         where x.region_code = ${region} and x.declared_at >= ${t0(b)} and x.declared_at < ${t1(b)}`;
    case 'placement_6m':
      return sql`
        select p.office_id::text as office_key, ${dayOf(sql`v.signed_at`)} as day, 'all' as dimension,
               p.citizen_id as user_id, (exists (
                 select 1 from employment_outcomes e
                  where e.region_code = p.region_code and e.user_id = p.citizen_id
                    and e.started_on >= ${dayOf(sql`v.signed_at`)}
                    and e.started_on <= ${dayOf(sql`v.signed_at`)} + 183))::int::float8 as num,
               1::float8 as den
          from pact_versions v
          join pacts p on p.region_code = v.region_code and p.id = v.pact_id
         where v.region_code = ${region} and v.signed_at >= ${t0(b)} and v.signed_at < ${t1(b)}
           and not exists (
             select 1 from pact_versions v2 join pacts p2 on p2.region_code = v2.region_code and p2.id = v2.pact_id
              where p2.region_code = p.region_code and p2.citizen_id = p.citizen_id
                and v2.signed_at is not null and v2.signed_at < v.signed_at)`;
  }
}

/**
 * Recomputes one indicator's facts for the days [d0, d1) in one statement pair (delete, insert), with
 * the person's targets of §2.8 as they are now: over 60 (birth date), low digital skill (latest
 * digital level 0–1), non-native speaker (preferred language not Italian), living in a small
 * municipality (domicile of up to SMALL_TOWN_MAX_POPULATION residents).
 */
async function recompute(db: Db, region: string, id: IndicatorId, b: Bounds): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // One refresh of a Region's indicator at a time (the job and an on-demand refresh may overlap).
    await sql`select pg_advisory_xact_lock(hashtext(${`indicators:${region}:${id}`}))`.execute(trx);
    await sql`delete from indicator_daily_facts
      where region_code = ${region} and indicator = ${id} and day >= ${b.d0}::date and day < ${b.d1}::date`.execute(
      trx,
    );
    await sql`
      insert into indicator_daily_facts
        (region_code, office_key, day, indicator, dimension, target, subjects, numerator, denominator)
      select ${region}, e.office_key, e.day, ${id}, e.dimension, tg.target,
             count(distinct e.user_id), sum(e.num), sum(e.den)
        from (${events(id, region, b)}) e
        join users u on u.region_code = ${region} and u.id = e.user_id
        cross join lateral (
          select 'all' as target
          union all select 'over_60' where u.birth_date <= e.day - interval '60 years'
          union all select 'non_native' where u.preferred_language <> 'it'
          union all select 'small_town' where exists (
            select 1 from citizen_profiles cp join municipalities m on m.istat_code = cp.domicile_code
             where cp.region_code = u.region_code and cp.user_id = u.id
               and m.population <= ${SMALL_TOWN_MAX_POPULATION})
          union all select 'low_digital' where (
            select t.digital_level from tier_assignments t
             where t.region_code = u.region_code and t.user_id = u.id order by t.created_at desc limit 1) <= 1
        ) tg
       group by e.office_key, e.day, e.dimension, tg.target`.execute(trx);
  });
}

/**
 * The daily job's logic (and the on-demand refresh): for each indicator, recompute from the last day
 * computed minus the days in which its facts can still change, through `now`'s day. The first run
 * covers everything since ORIGIN. `full` recomputes everything (tests, repairs).
 */
export async function refreshFacts(
  db: Db,
  region: string,
  now: Date,
  options: { full?: boolean } = {},
): Promise<{ from: string; through: string }> {
  const today = romeDay(now);
  const last = options.full
    ? undefined
    : await db
        .selectFrom('indicator_refreshes')
        .select(sql<string>`through_day::text`.as('through'))
        .where('region_code', '=', region)
        .executeTakeFirst();
  let earliest = today;
  for (const def of INDICATORS) {
    const d0 = recomputeFrom(last?.through ?? null, today, def.maturityDays, ORIGIN);
    if (d0 < earliest) earliest = d0;
    await recompute(db, region, def.id, { d0, d1: addDays(today, 1) });
  }
  await sql`insert into indicator_refreshes (region_code, computed_at, through_day)
    values (${region}, ${now}, ${today}::date)
    on conflict (region_code) do update set computed_at = excluded.computed_at, through_day = excluded.through_day`.execute(
    db,
  );
  return { from: earliest, through: today };
}

export const REFRESH_QUEUE = 'indicators-refresh';

/** The daily job: refresh every Region's facts at 02:30 Rome time. */
export async function startIndicatorsWorker(deps: { db: Db; queue: Queue }): Promise<void> {
  const { boss } = deps.queue;
  await boss.createQueue(REFRESH_QUEUE);
  await boss.schedule(REFRESH_QUEUE, '30 2 * * *', {}, { tz: 'Europe/Rome' });
  await boss.work(REFRESH_QUEUE, async () => {
    const regions = await deps.db.selectFrom('regions').select('region_code').execute();
    for (const r of regions) await refreshFacts(deps.db, r.region_code, new Date());
  });
}
