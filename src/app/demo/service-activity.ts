/**
 * Past service activity, generated in SQL: what a Region's CPIs did over a stretch of days, so that
 * the indicators, the managers' dashboards, the comparison between Regions and the §4 decision table
 * have figures to show (issue 9). Used by `sportello demo` (a year for the demo Region and for a second
 * demo Region, Marche) and by `npm run bench -- indicators` (two years over 1,000,000 people).
 *
 * Everything is seeded by row number: the same people and the same options give the same rows. For
 * `people` citizens of the Region (the oldest accounts nobody signs in to with a password, so never
 * the demo accounts): one DID each; 3 appointments each on 500-seat slots of the Region's operators
 * (weekdays, 9–12, Rome time), attended or missed, in person or remote; a satisfaction invitation
 * after about one attended appointment in `invitedEvery`, part of them answered; a conditionality
 * event for one person in `conditionalityEvery`. The rows go straight into the tables, as a
 * migration would: no audit, no notification, no national-outbox event (the history is not news).
 */
import type pg from 'pg';

export type ActivityProfile = {
  /** One appointment in `noShowEvery` is missed; odd. */
  noShowEvery: number;
  /** Of every four attended appointments, how many were by phone or video (0–4). */
  remoteOfFour: number;
  /** One attended appointment in `invitedEvery` is followed by a satisfaction invitation. */
  invitedEvery: number;
  /** Of every four invitations, how many were answered (0–4). */
  answeredOfFour: number;
  /** Added to every score (1–5, capped): a Region whose people are happier. */
  scoreBonus: number;
  /** One person in `conditionalityEvery` has a conditionality event. */
  conditionalityEvery: number;
};

export type ActivityOptions = {
  regionCode: string;
  /** How many of the Region's citizens took part (at most those there are). */
  people: number;
  /** The stretch of days before `until` (exclusive) that the activity covers. */
  days: number;
  /** The first day after the activity, Rome time (YYYY-MM-DD). */
  until: string;
  profile: ActivityProfile;
};

export type ActivityCounts = {
  people: number;
  dids: number;
  slots: number;
  appointments: number;
  conditionalityEvents: number;
  satisfactionInvitations: number;
  satisfactionAnswers: number;
};

const count = async (c: pg.ClientBase, table: string): Promise<number> =>
  (await c.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

/**
 * Generate the activity on one connection (its temporary tables live in the session); the caller
 * decides the transaction. Returns what was inserted.
 */
export async function generateServiceActivity(c: pg.ClientBase, o: ActivityOptions): Promise<ActivityCounts> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.until) || !Number.isInteger(o.days) || o.days < 1)
    throw new Error('The activity needs a day (YYYY-MM-DD) and a whole number of days.');
  const p = o.profile;
  if (p.noShowEvery % 2 === 0) throw new Error('noShowEvery must be odd (independent of the channel).');
  const region = o.regionCode;
  await c.query('drop table if exists activity_people, activity_slots, activity_services');
  await c.query(
    `create temp table activity_people as
     select id, row_number() over (order by created_at, id) as rn
       from (select id, created_at from users
              where region_code = $1 and role = 'citizen'
                and password_hash is null
              order by created_at, id limit $2) x`,
    [region, o.people],
  );
  const people = await count(c, 'activity_people');
  if (people === 0) throw new Error(`Region ${region} has no citizens to give an activity to.`);
  const from = `(date '${o.until}' - ${o.days})`;
  const catalogue = await c.query('select 1 from agenda_services where region_code = $1 limit 1', [region]);
  if (!catalogue.rowCount) throw new Error(`Region ${region} has no agenda services to book.`);
  await c.query(
    `insert into did_declarations (region_code, user_id, status, declared_at, verification_code)
     select $1, id, 'active',
            ((${from} + ((rn * 104729) % $2)::int)::timestamp + interval '9 hours') at time zone 'Europe/Rome',
            'ATT-' || $1 || '-' || rn
       from activity_people
     on conflict do nothing`,
    [region, o.days],
  );
  const dids = (
    await c.query<{ n: number }>(
      `select count(*)::int as n from did_declarations where region_code = $1 and verification_code like 'ATT-%'`,
      [region],
    )
  ).rows[0]!.n;
  await c.query('create temp table activity_slots (id uuid, starts_at timestamptz, rn bigint)');
  await c.query(
    `with ins as (
       insert into agenda_slots (region_code, operator_id, office_id, starts_at, ends_at, mode, services, capacity)
       select $1, u.id, u.office_id, t, t + interval '30 minutes', 'both',
              (select array_agg(code) from agenda_services where region_code = $1), 500
         from users u
         cross join generate_series(${from}::timestamp, (date '${o.until}' - 1)::timestamp, interval '1 day') d
         cross join generate_series(9, 12) h
         cross join lateral (select (d + h * interval '1 hour') at time zone 'Europe/Rome' as t) x
        where u.region_code = $1 and u.role = 'cpi_operator' and u.office_id is not null
          and extract(isodow from d) < 6
       on conflict do nothing
       returning id, starts_at)
     insert into activity_slots select id, starts_at, row_number() over (order by starts_at, id) from ins`,
    [region],
  );
  const slots = await count(c, 'activity_slots');
  if (slots === 0) throw new Error(`Region ${region} has no CPI operator with an office to hold the slots.`);
  await c.query(
    `create temp table activity_services as
     select code, row_number() over (order by code) as rn from agenda_services where region_code = $1`,
    [region],
  );
  const services = await count(c, 'activity_services');
  // Row i goes to person 1 + (i × step) mod people, step coprime with people: three rows each.
  // Channel and status are drawn on i / services, so every service gets the same remote share and
  // no-show rate; `noShowEvery` is odd, so the two do not depend on each other (and both repeat
  // every few days, so every period has the same rates). Minutes spent: 15, 25, 35 or 45 for an
  // attended appointment.
  const step = [7, 11, 13, 17, 19, 23].find((k) => people % k !== 0)!;
  await c.query(
    `insert into appointments (region_code, slot_id, seat, citizen_id, service_code, channel, status, booked_by,
                               requested_at, booked_at, minutes_spent)
     select $1, s.id, 1 + (i / $3::int) % 500, p.id, sv.code,
            case when (i / $4::int) % 4 < $5::int then (array['phone','video'])[1 + i % 2] else 'in_person' end,
            case when (i / $4::int) % $6::int = 0 then 'no_show' else 'attended' end, p.id,
            s.starts_at - interval '6 days', s.starts_at - interval '6 days',
            case when (i / $4::int) % $6::int <> 0 then 15 + (i % 4) * 10 end
       from generate_series(0, 3 * $2::int - 1) i
       join activity_slots s on s.rn = 1 + i % $3::int
       join activity_people p on p.rn = 1 + (i::bigint * $7::int) % $2::int
       join activity_services sv on sv.rn = 1 + i % $4::int`,
    [region, people, slots, services, p.remoteOfFour, p.noShowEvery, step],
  );
  const appointments = 3 * people;
  const conditionality = await c.query(
    `insert into conditionality_events (region_code, citizen_id, kind, source, occurred_at)
     select $1, id, (array['no_show','refused_offer','action_not_done','other'])[1 + rn % 4], 'automatic',
            ((${from} + (rn % $2)::int)::timestamp + interval '10 hours') at time zone 'Europe/Rome'
       from activity_people where rn % $3 = 0`,
    [region, o.days, p.conditionalityEvery],
  );
  // Invited an hour after the appointment (about one attended appointment in `invitedEvery`, drawn
  // by a hash of its place in slot and seat order, so that no service is left out); answered the
  // same afternoon, so that nothing is answered after the activity's last day. The token is never
  // sent, but it must be unique and well formed, so it is the hash of the appointment. Scores 1, 3,
  // 3 or 5 (plus the bonus), drawn the same way.
  const invited = await c.query<{ answered: number; invitations: number }>(
    `with attended as (
       select a.region_code, a.id, a.citizen_id, s.starts_at + interval '1 hour' as t,
              row_number() over (order by s.rn, a.seat) as k
         from appointments a
         join activity_slots s on s.id = a.slot_id
        where a.region_code = $1 and a.status = 'attended'),
     chosen as (
       select *, abs(hashtext('answered' || k)::bigint) % 4 < $3::int as answered
         from attended where abs(hashtext('invited' || k)::bigint) % $2::int = 0),
     inv as (
       insert into satisfaction_invitations (region_code, service_kind, service_id, respondent_id, respondent_side,
         delivered_at, invited_at, expires_at, token_hash, channel, answered_at)
       select region_code, 'appointment', id, citizen_id, 'person', t, t, t + interval '30 days',
              encode(sha256(convert_to('activity' || id::text, 'utf8')), 'hex'), 'email',
              case when answered then t + interval '3 hours' end
         from chosen
       returning id, region_code, service_id, answered_at),
     ans as (
       insert into satisfaction_answers (region_code, invitation_id, score, via, answered_at)
       select inv.region_code, inv.id, least(5, (array[1, 3, 3, 5])[1 + abs(hashtext('score' || c.k)::bigint) % 4] + $4::int),
              'link', inv.answered_at
         from inv join chosen c on c.id = inv.service_id
        where inv.answered_at is not null
       returning 1)
     select (select count(*) from ans)::int as answered, (select count(*) from inv)::int as invitations`,
    [region, p.invitedEvery, p.answeredOfFour, p.scoreBonus],
  );
  await c.query('drop table activity_people, activity_slots, activity_services');
  return {
    people,
    dids,
    slots,
    appointments,
    conditionalityEvents: conditionality.rowCount ?? 0,
    satisfactionInvitations: invited.rows[0]!.invitations,
    satisfactionAnswers: invited.rows[0]!.answered,
  };
}
