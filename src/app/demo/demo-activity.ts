/**
 * A year of past service activity for the demo: the demo Region (Umbria) and a second demo Region
 * (Marche, ISTAT code 11) with one office and its own citizens, so that the managers' dashboards,
 * the national comparison between Regions and the §4 decision table show real figures computed by
 * the same use cases as in production (issue 9). The two Regions differ on purpose: Marche serves
 * more people remotely, misses fewer appointments and is a little happier.
 *
 * Loaded by `sportello demo` once (it does nothing when Marche already has its office); the daily
 * facts of both Regions are then refreshed, as the nightly job would.
 */
import type pg from 'pg';
import { ensureServiceCatalogue } from '../../agenda/use-cases/catalogue.ts';
import { refreshFacts } from '../../indicators/use-cases/facts.ts';
import type { Db } from '../../platform/db/database.ts';
import { romeDay } from '../../platform/i18n/format.ts';
import { DEMO_REGION } from './demo-region.ts';
import { type ActivityCounts, type ActivityProfile, generateServiceActivity } from './service-activity.ts';

export const SECOND_DEMO_REGION = { code: '11', name: 'Marche' } as const;

/**
 * Ancona. Source: ISTAT via the comuni-2018 data set (code, province, Belfiore code), coordinates
 * rounded to 5 decimals. The office and its contacts are fictional.
 */
const ANCONA = {
  istatCode: '042002',
  name: 'Ancona',
  province: 'AN',
  belfiore: 'A271',
  latitude: 43.61583,
  longitude: 13.51889,
};

const PROFILES: Record<string, ActivityProfile> = {
  [DEMO_REGION.code]: {
    noShowEvery: 7,
    remoteOfFour: 1,
    invitedEvery: 3,
    answeredOfFour: 2,
    scoreBonus: 0,
    conditionalityEvery: 9,
  },
  [SECOND_DEMO_REGION.code]: {
    noShowEvery: 13,
    remoteOfFour: 2,
    invitedEvery: 3,
    answeredOfFour: 3,
    scoreBonus: 1,
    conditionalityEvery: 15,
  },
};

/** Serialises concurrent loads (two `sportello demo` at once). */
const ACTIVITY_LOCK = 724_011;

export type DemoActivityOptions = {
  /** Citizens per Region given an activity (the demo Region's oldest synthetic citizens). */
  people: number;
  /** The first day after the year of activity; default today (Rome). */
  now?: Date;
};

export type DemoActivityResult =
  | { loaded: false }
  | { loaded: true; regions: Record<string, ActivityCounts> };

async function secondRegion(c: pg.ClientBase, people: number): Promise<void> {
  const r = SECOND_DEMO_REGION;
  await c.query(
    `insert into municipalities (istat_code, region_code, name, province, belfiore, latitude, longitude)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (istat_code) do nothing`,
    [
      ANCONA.istatCode,
      r.code,
      ANCONA.name,
      ANCONA.province,
      ANCONA.belfiore,
      ANCONA.latitude,
      ANCONA.longitude,
    ],
  );
  const office = await c.query<{ id: string }>(
    `insert into offices (region_code, name, address, municipality_code, hours, email, phone)
     values ($1, 'CPI Ancona', 'Via Umberto Trevi 4, 60127 Ancona AN', $2, 'Lun–Ven 9:00–12:30',
             'cpi.ancona@sportello.example', '+39 071 0000100')
     returning id`,
    [r.code, ANCONA.istatCode],
  );
  // The operator who held the year's appointments; no password: nobody signs in as them.
  await c.query(
    `insert into users (region_code, role, given_name, family_name, email, office_id)
     values ($1, 'cpi_operator', 'Marco', 'Santini', 'operatore.ancona@demo.sportello.example', $2)`,
    [r.code, office.rows[0]!.id],
  );
  await c.query(
    `insert into users (region_code, role, given_name, family_name, birth_date, preferred_language)
     select $1, 'citizen', 'Persona', 'Marche ' || i, date '1960-01-01' + (i * 7919 % 15000),
            (array['it','it','it','it','en','ar'])[1 + i % 6]
       from generate_series(1, $2::int) i`,
    [r.code, people],
  );
}

/**
 * Load the year of activity for both demo Regions in one transaction, then refresh their daily
 * facts. Does nothing (and says so) when it was loaded before.
 */
export async function loadDemoActivity(
  db: Db,
  pool: pg.Pool,
  options: DemoActivityOptions,
): Promise<DemoActivityResult> {
  const now = options.now ?? new Date();
  const until = romeDay(now);
  // The Region and its services first: both idempotent, and the catalogue has its own statements.
  await db
    .insertInto('regions')
    .values({ region_code: SECOND_DEMO_REGION.code, name: SECOND_DEMO_REGION.name, is_national: false })
    .onConflict((oc) => oc.column('region_code').doNothing())
    .execute();
  for (const code of [DEMO_REGION.code, SECOND_DEMO_REGION.code]) await ensureServiceCatalogue(db, code);
  const c = await pool.connect();
  const regions: Record<string, ActivityCounts> = {};
  try {
    await c.query('begin');
    await c.query('select pg_advisory_xact_lock($1)', [ACTIVITY_LOCK]);
    const done = await c.query(`select 1 from offices where region_code = $1 limit 1`, [
      SECOND_DEMO_REGION.code,
    ]);
    if (done.rowCount) {
      await c.query('rollback');
      return { loaded: false };
    }
    await secondRegion(c, options.people);
    for (const code of [DEMO_REGION.code, SECOND_DEMO_REGION.code]) {
      regions[code] = await generateServiceActivity(c, {
        regionCode: code,
        people: options.people,
        days: 365,
        until,
        profile: PROFILES[code]!,
      });
    }
    await c.query('commit');
  } catch (error) {
    await c.query('rollback').catch(() => {});
    throw error;
  } finally {
    c.release();
  }
  for (const code of Object.keys(regions)) await refreshFacts(db, code, now, { full: true });
  return { loaded: true, regions };
}
