import { sql } from 'kysely';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';

/**
 * The activation report (issue 5, item 6), per operator and per office, for one calendar month in
 * Europe/Rome: pacts signed and the share signed remotely, action-plan completion, alerts opened and
 * closed, conditionality events by outcome. Each person counts with the operator who follows them
 * as e-coach (pacts.coach_id of their latest pact) and that pact's office.
 */
export type ReportRow = {
  officeId: string;
  officeName: string;
  operatorId: string | null;
  operatorName: string | null;
  pactsSigned: number;
  pactsSignedRemotely: number;
  actionsDue: number;
  actionsDone: number;
  alertsOpened: number;
  alertsClosed: number;
  eventsOpen: number;
  eventsJustified: number;
  eventsArchived: number;
  eventsWarning: number;
  eventsSanctionProposal: number;
};

export type ReportScope = { kind: 'office'; officeId: string } | { kind: 'region' };

/** The scope a user may see: a CPI operator their office, a regional manager the whole Region. */
export function scopeOf(user: SessionUser): ReportScope | null {
  if (user.role === 'regional_manager') return { kind: 'region' };
  if (user.role === 'cpi_operator' && user.officeId) return { kind: 'office', officeId: user.officeId };
  return null;
}

/** First instant of the month and of the next one, in Europe/Rome, for 'YYYY-MM'. */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

type Raw = {
  office_id: string;
  office_name: string;
  operator_id: string | null;
  operator_name: string | null;
  pacts_signed: string;
  pacts_remote: string;
  actions_due: string;
  actions_done: string;
  alerts_opened: string;
  alerts_closed: string;
  ev_open: string;
  ev_justified: string;
  ev_archive: string;
  ev_warning: string;
  ev_sanction: string;
};

export async function activationReport(
  db: Db,
  regionCode: string,
  scope: ReportScope,
  month: string,
): Promise<ReportRow[]> {
  const { from, to } = monthBounds(month);
  const officeFilter = scope.kind === 'office' ? sql`and p.office_id = ${scope.officeId}::uuid` : sql``;
  const result = await sql<Raw>`
    with bounds as (
      select (${from}::date)::timestamp at time zone 'Europe/Rome' as t0,
             (${to}::date)::timestamp at time zone 'Europe/Rome' as t1,
             ${from}::date as d0, ${to}::date as d1
    ),
    -- Each person's latest pact gives their e-coach and office.
    follow as (
      select distinct on (p.citizen_id) p.citizen_id, p.coach_id, p.office_id
        from pacts p
       where p.region_code = ${regionCode} ${officeFilter}
       order by p.citizen_id, p.created_at desc
    ),
    signed as (
      select p.coach_id, p.office_id,
             count(*) as n,
             count(*) filter (where not coalesce(s.at_desk, false)) as remote
        from pact_versions v
        join pacts p on p.region_code = v.region_code and p.id = v.pact_id
        left join pact_signatures s on s.region_code = v.region_code and s.pact_id = v.pact_id
             and s.version = v.version and s.party = 'citizen'
        , bounds b
       where v.region_code = ${regionCode} ${officeFilter}
         and v.signed_at >= b.t0 and v.signed_at < b.t1
       group by 1, 2
    ),
    actions as (
      select f.coach_id, f.office_id,
             count(*) as due,
             count(*) filter (where a.status = 'done') as done
        from plan_actions a
        join follow f on f.citizen_id = a.citizen_id, bounds b
       where a.region_code = ${regionCode} and a.status <> 'cancelled'
         and a.due_date >= b.d0 and a.due_date < b.d1
       group by 1, 2
    ),
    alerts as (
      select f.coach_id, f.office_id,
             count(*) filter (where al.opened_at >= b.t0 and al.opened_at < b.t1) as opened,
             count(*) filter (where al.closed_at >= b.t0 and al.closed_at < b.t1) as closed
        from coach_alerts al
        join follow f on f.citizen_id = al.citizen_id, bounds b
       where al.region_code = ${regionCode}
       group by 1, 2
    ),
    events as (
      select f.coach_id, f.office_id,
             count(*) filter (where e.status = 'open') as ev_open,
             count(*) filter (where e.status = 'justification_sent') as ev_justified,
             count(*) filter (where e.decision = 'archive') as ev_archive,
             count(*) filter (where e.decision = 'warning') as ev_warning,
             count(*) filter (where e.decision = 'sanction_proposal') as ev_sanction
        from conditionality_events e
        join follow f on f.citizen_id = e.citizen_id, bounds b
       where e.region_code = ${regionCode}
         and e.created_at >= b.t0 and e.created_at < b.t1
       group by 1, 2
    ),
    keys as (
      select coach_id, office_id from signed
      union select coach_id, office_id from actions
      union select coach_id, office_id from alerts
      union select coach_id, office_id from events
    )
    select k.office_id, o.name as office_name, k.coach_id as operator_id,
           u.given_name || ' ' || u.family_name as operator_name,
           coalesce(s.n, 0) as pacts_signed, coalesce(s.remote, 0) as pacts_remote,
           coalesce(a.due, 0) as actions_due, coalesce(a.done, 0) as actions_done,
           coalesce(al.opened, 0) as alerts_opened, coalesce(al.closed, 0) as alerts_closed,
           coalesce(e.ev_open, 0) as ev_open, coalesce(e.ev_justified, 0) as ev_justified,
           coalesce(e.ev_archive, 0) as ev_archive, coalesce(e.ev_warning, 0) as ev_warning,
           coalesce(e.ev_sanction, 0) as ev_sanction
      from keys k
      join offices o on o.region_code = ${regionCode} and o.id = k.office_id
      left join users u on u.region_code = ${regionCode} and u.id = k.coach_id
      left join signed s on s.coach_id = k.coach_id and s.office_id = k.office_id
      left join actions a on a.coach_id = k.coach_id and a.office_id = k.office_id
      left join alerts al on al.coach_id = k.coach_id and al.office_id = k.office_id
      left join events e on e.coach_id = k.coach_id and e.office_id = k.office_id
     order by o.name, operator_name
  `.execute(db);
  return result.rows
    .map((r) => ({
      officeId: r.office_id,
      officeName: r.office_name,
      operatorId: r.operator_id,
      operatorName: r.operator_name,
      pactsSigned: Number(r.pacts_signed),
      pactsSignedRemotely: Number(r.pacts_remote),
      actionsDue: Number(r.actions_due),
      actionsDone: Number(r.actions_done),
      alertsOpened: Number(r.alerts_opened),
      alertsClosed: Number(r.alerts_closed),
      eventsOpen: Number(r.ev_open),
      eventsJustified: Number(r.ev_justified),
      eventsArchived: Number(r.ev_archive),
      eventsWarning: Number(r.ev_warning),
      eventsSanctionProposal: Number(r.ev_sanction),
    }))
    .filter(hasActivity);
}

/** A row counts for the month only if something happened in it (alerts are grouped over all time). */
export function hasActivity(r: ReportRow): boolean {
  return (
    r.pactsSigned +
      r.actionsDue +
      r.alertsOpened +
      r.alertsClosed +
      r.eventsOpen +
      r.eventsJustified +
      r.eventsArchived +
      r.eventsWarning +
      r.eventsSanctionProposal >
    0
  );
}

/** Office totals from operator rows (an office row sums its operators). */
export function officeTotals(rows: ReportRow[]): ReportRow[] {
  const byOffice = new Map<string, ReportRow>();
  for (const r of rows) {
    const total = byOffice.get(r.officeId) ?? {
      ...r,
      operatorId: null,
      operatorName: null,
      pactsSigned: 0,
      pactsSignedRemotely: 0,
      actionsDue: 0,
      actionsDone: 0,
      alertsOpened: 0,
      alertsClosed: 0,
      eventsOpen: 0,
      eventsJustified: 0,
      eventsArchived: 0,
      eventsWarning: 0,
      eventsSanctionProposal: 0,
    };
    total.pactsSigned += r.pactsSigned;
    total.pactsSignedRemotely += r.pactsSignedRemotely;
    total.actionsDue += r.actionsDue;
    total.actionsDone += r.actionsDone;
    total.alertsOpened += r.alertsOpened;
    total.alertsClosed += r.alertsClosed;
    total.eventsOpen += r.eventsOpen;
    total.eventsJustified += r.eventsJustified;
    total.eventsArchived += r.eventsArchived;
    total.eventsWarning += r.eventsWarning;
    total.eventsSanctionProposal += r.eventsSanctionProposal;
    byOffice.set(r.officeId, total);
  }
  return [...byOffice.values()];
}

/** A share as a whole percentage, or null when there is nothing to divide. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((100 * part) / whole);
}
