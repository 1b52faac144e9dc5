import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import { ALERTS_WITH_MESSAGE, type AlertFinding, evaluateAlerts } from '../domain/rules.ts';
import { recordActivity } from './activity.ts';

export type DailyDeps = { db: Db; notifier: Notifier };
const DAY = 86_400_000;
const JOB = 'coaching-daily';

/** The people followed through a pact: their latest pact's coach. */
export async function followedPeople(db: Db) {
  return db
    .selectFrom('pacts')
    .distinctOn(['region_code', 'citizen_id'])
    .select(['region_code', 'citizen_id', 'coach_id', 'created_at'])
    .orderBy('region_code')
    .orderBy('citizen_id')
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * The daily job: records attended appointments as activity (once each), then evaluates the alert
 * rules for every person followed through a pact. Opens at most one alert per person and kind; never
 * closes one (the e-coach does, with a note). Returns the alerts opened.
 */
export async function runDailyCoaching(deps: DailyDeps, now: Date): Promise<{ opened: number }> {
  const attended = await deps.db
    .selectFrom('agenda_events as e')
    .select(['e.region_code', 'e.citizen_id', 'e.appointment_id', 'e.at'])
    .where('e.event', '=', 'attended')
    .where('e.at', '<', new Date(now.getTime() + 1))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('citizen_activity as c')
            .select('c.id')
            .whereRef('c.region_code', '=', 'e.region_code')
            .whereRef('c.citizen_id', '=', 'e.citizen_id')
            .where('c.kind', '=', 'appointment_attended')
            .where(sql<boolean>`c.ref = e.appointment_id::text`),
        ),
      ),
    )
    .execute();
  for (const a of attended)
    await recordActivity(deps.db, {
      regionCode: a.region_code,
      citizenId: a.citizen_id,
      kind: 'appointment_attended',
      at: a.at,
      ref: a.appointment_id,
    });

  const runs = new Map(
    (await deps.db.selectFrom('coaching_runs').selectAll().where('job', '=', JOB).execute()).map((r) => [
      r.region_code,
      r.last_run_at,
    ]),
  );
  let opened = 0;
  const regions = new Set<string>();
  for (const p of await followedPeople(deps.db)) {
    regions.add(p.region_code);
    const since = runs.get(p.region_code) ?? new Date(now.getTime() - DAY);
    const findings = evaluateAlerts(
      await factsOf(deps.db, p.region_code, p.citizen_id, p.created_at, since, now),
      now,
    );
    for (const f of findings)
      if (await openAlert(deps, p.region_code, p.citizen_id, p.coach_id, f, now)) opened++;
  }
  for (const r of regions)
    await deps.db
      .insertInto('coaching_runs')
      .values({ region_code: r, job: JOB, last_run_at: now })
      .onConflict((oc) => oc.columns(['region_code', 'job']).doUpdateSet({ last_run_at: now }))
      .execute();
  return { opened };
}

async function factsOf(
  db: Db,
  regionCode: string,
  citizenId: string,
  followedSince: Date,
  since: Date,
  now: Date,
) {
  // The last completed sign-in, and the last page seen in a session still open.
  const user = await db
    .selectFrom('users')
    .select('last_signed_in_at as at')
    .where('region_code', '=', regionCode)
    .where('id', '=', citizenId)
    .executeTakeFirst();
  const seen = await db
    .selectFrom('sessions')
    .select(sql<Date | null>`max(last_seen_at)`.as('at'))
    .where('region_code', '=', regionCode)
    .where('user_id', '=', citizenId)
    .where('stage', '=', 'active')
    .executeTakeFirst();
  const seenTimes = [seen?.at, user?.at].filter((d): d is Date => d instanceof Date && d <= now);
  const lastSeenAt = seenTimes.length ? new Date(Math.max(...seenTimes.map((d) => d.getTime()))) : null;

  const actions = await db
    .selectFrom('plan_actions')
    .select(['id', 'due_date', 'created_at', 'updated_at'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .where('status', '=', 'open')
    .execute();
  const noShows = await db
    .selectFrom('agenda_events')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .where('event', '=', 'no_show')
    .where('at', '>', since)
    .where('at', '<', new Date(now.getTime() + 1))
    .executeTakeFirst();
  const apps = await db
    .selectFrom('citizen_activity as a')
    .select(['a.at', 'a.ref', 'a.details'])
    .select(({ exists, selectFrom }) =>
      exists(
        selectFrom('citizen_activity as r')
          .select('r.id')
          .whereRef('r.region_code', '=', 'a.region_code')
          .whereRef('r.citizen_id', '=', 'a.citizen_id')
          .where('r.kind', '=', 'application_replied')
          .whereRef('r.ref', '=', 'a.ref'),
      ).as('replied'),
    )
    .where('a.region_code', '=', regionCode)
    .where('a.citizen_id', '=', citizenId)
    .where('a.kind', '=', 'application_sent')
    .where('a.at', '>', new Date(now.getTime() - 90 * DAY))
    .where('a.at', '<', new Date(now.getTime() + 1))
    .execute();
  const profile = await db
    .selectFrom('citizen_profiles')
    .select('availability')
    .where('region_code', '=', regionCode)
    .where('user_id', '=', citizenId)
    .executeTakeFirst();
  const km = Number((profile?.availability as { maxCommuteKm?: unknown } | null)?.maxCommuteKm);
  return {
    lastSeenAt,
    followedSince,
    openActions: actions.map((a) => ({ id: a.id, dueDate: a.due_date, lastProgressAt: a.updated_at })),
    noShowsSinceLastRun: noShows?.n ?? 0,
    applications: apps.map((a) => {
      const d = Number((a.details as { distanceKm?: unknown } | null)?.distanceKm);
      return { at: a.at, replied: Boolean(a.replied), distanceKm: Number.isFinite(d) ? d : null };
    }),
    maxCommuteKm: Number.isFinite(km) && km >= 0 ? km : null,
  };
}

async function openAlert(
  deps: DailyDeps,
  regionCode: string,
  citizenId: string,
  coachId: string,
  f: AlertFinding,
  now: Date,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('coach_alerts')
      .values({
        region_code: regionCode,
        citizen_id: citizenId,
        coach_id: coachId,
        kind: f.kind,
        details: JSON.stringify(f.details),
        opened_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['region_code', 'citizen_id', 'kind']).where('closed_at', 'is', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    if (ALERTS_WITH_MESSAGE.includes(f.kind)) {
      const person = await trx
        .selectFrom('users as u')
        .leftJoin('citizen_profiles as p', (j) =>
          j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
        )
        .select([
          'u.given_name',
          'u.preferred_language',
          sql<string | null>`coalesce(p.email, u.email)`.as('email'),
        ])
        .where('u.region_code', '=', regionCode)
        .where('u.id', '=', citizenId)
        .executeTakeFirst();
      if (person?.email) {
        const t = translator(
          (['it', 'en', 'ar'].includes(person.preferred_language) ? person.preferred_language : 'it') as Lang,
        );
        await deps.notifier.email(trx, {
          key: `coaching-alert:${row.id}`,
          to: person.email,
          subject: t(`coaching.mail.${f.kind}.subject`),
          text: t(`coaching.mail.${f.kind}.text`, { name: person.given_name }),
        });
      }
    }
    return true;
  });
}
