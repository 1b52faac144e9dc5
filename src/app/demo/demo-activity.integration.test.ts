import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureServiceCatalogue } from '../../agenda/use-cases/catalogue.ts';
import { regionComparison } from '../../baseline/use-cases/benchmark.ts';
import { measuredByService } from '../../baseline/use-cases/measured.ts';
import { indicatorFigures } from '../../indicators/use-cases/dashboard.ts';
import { type TestDatabase, testDb } from '../../platform/testing/test-database.ts';
import { loadDemoActivity, SECOND_DEMO_REGION } from './demo-activity.ts';
import { DEMO_REGION } from './demo-region.ts';
import { loadDemoRegion, loadSyntheticCitizens } from './load-demo.ts';
import type { ActivityCounts } from './service-activity.ts';

const NOW = new Date('2026-11-27T11:00:00Z');
const YEAR = { from: '2025-11-28', to: '2026-11-27' };
const PEOPLE = 600;

let t: TestDatabase;
before(async () => {
  t = await testDb();
  await loadDemoRegion(t.db);
  await ensureServiceCatalogue(t.db, DEMO_REGION.code);
  await loadSyntheticCitizens(t.db, { count: PEOPLE, seed: 1, today: '2026-11-27' });
});
after(async () => {
  await t?.close();
});

describe('a year of demo activity in two Regions', () => {
  it('fills both Regions once, and leaves the demo accounts out', async () => {
    const result = await loadDemoActivity(t.db, t.pool, { people: PEOPLE, now: NOW });
    if (!result.loaded) return assert.fail('the first load should load');
    for (const code of [DEMO_REGION.code, SECOND_DEMO_REGION.code]) {
      const counts: ActivityCounts = result.regions[code]!;
      assert.equal(counts.people, PEOPLE);
      assert.equal(counts.dids, PEOPLE);
      assert.equal(counts.appointments, 3 * PEOPLE);
      assert.ok(
        counts.satisfactionAnswers > 0 && counts.satisfactionAnswers < counts.satisfactionInvitations,
      );
    }
    const { rows: giulia } = await t.pool.query(
      `select 1 from appointments a join users u on u.id = a.citizen_id
        where u.password_hash is not null`,
    );
    assert.equal(giulia.length, 0, 'no made-up history for the accounts people sign in with');
    const { rows: future } = await t.pool.query(
      `select 1 from agenda_slots s join appointments a on a.slot_id = s.id where s.starts_at >= $1`,
      [NOW],
    );
    assert.equal(future.length, 0, 'only the past');

    // A second load changes nothing.
    assert.deepEqual(await loadDemoActivity(t.db, t.pool, { people: PEOPLE, now: NOW }), { loaded: false });
    const { rows } = await t.pool.query<{ n: number }>(
      `select count(*)::int as n from appointments where region_code = $1`,
      [SECOND_DEMO_REGION.code],
    );
    assert.equal(rows[0]!.n, 3 * PEOPLE);
  });

  it('gives the dashboards, the comparison and the §4 table figures that differ between the Regions', async () => {
    const figures = await indicatorFigures(t.db, DEMO_REGION.code, {
      period: YEAR,
      officeId: null,
      target: 'all',
    });
    const served = figures.find((f) => f.id === 'people_served');
    assert.ok(served && !served.total.suppressed, 'people served is shown');

    const comparison = await regionComparison(t.db, YEAR);
    const remote = comparison.find((c) => c.id === 'remote_share')!;
    const byRegion = new Map(remote.regions.map((r) => [r.region, r.figure.value]));
    assert.deepEqual([...byRegion.keys()].sort(), [DEMO_REGION.code, SECOND_DEMO_REGION.code]);
    // Umbria: one attended appointment in four remote; Marche: two in four (percentages).
    assert.ok(
      Math.abs(byRegion.get(DEMO_REGION.code)! - 25) <= 1,
      `Umbria ${byRegion.get(DEMO_REGION.code)}`,
    );
    assert.ok(
      Math.abs(byRegion.get(SECOND_DEMO_REGION.code)! - 50) <= 1,
      `Marche ${byRegion.get(SECOND_DEMO_REGION.code)}`,
    );
    const noShow = comparison.find((c) => c.id === 'no_show_rate')!;
    assert.deepEqual(
      noShow.regions.map((r) => [r.region, r.rank]),
      [
        [SECOND_DEMO_REGION.code, 1],
        [DEMO_REGION.code, 2],
      ],
      'fewer missed appointments ranks first',
    );

    const measured = await measuredByService(t.db, DEMO_REGION.code, NOW);
    const welcome = measured.get('accoglienza');
    assert.ok(welcome, 'the welcome service has figures');
    assert.equal(welcome.remoteShare.suppressed, false);
    assert.equal(welcome.satisfaction.suppressed, false);
  });
});
