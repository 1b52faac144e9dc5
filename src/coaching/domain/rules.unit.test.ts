import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type AlertRules,
  evaluateAlerts,
  iscoGroupOf,
  monthBounds,
  type PeerPerson,
  peerPercentiles,
  percentile,
  previousMonth,
} from './rules.ts';

const rules: AlertRules = {
  noSignInDays: 21,
  noProgressDays: 30,
  overdueGraceDays: 0,
  noReply: { minApplications: 10, windowDays: 30 },
  distance: { factor: 2, minApplications: 3 },
  peerGroupMin: 20,
};
const now = new Date('2026-11-26T08:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const quiet = {
  lastSeenAt: daysAgo(1),
  followedSince: daysAgo(100),
  openActions: [],
  noShowsSinceLastRun: 0,
  applications: [],
  maxCommuteKm: 30,
};

test('a person active yesterday with nothing open raises no alert', () => {
  assert.deepEqual(evaluateAlerts(quiet, now, rules), []);
});

test('no sign-in for N days raises no_sign_in, N-1 does not', () => {
  assert.deepEqual(
    evaluateAlerts({ ...quiet, lastSeenAt: daysAgo(21) }, now, rules).map((a) => a.kind),
    ['no_sign_in'],
  );
  assert.deepEqual(evaluateAlerts({ ...quiet, lastSeenAt: daysAgo(20) }, now, rules), []);
});

test('overdue and stalled actions', () => {
  const kinds = evaluateAlerts(
    {
      ...quiet,
      openActions: [{ id: 'a', dueDate: new Date('2026-11-25T00:00:00Z'), lastProgressAt: daysAgo(31) }],
    },
    now,
    rules,
  ).map((a) => a.kind);
  assert.deepEqual(kinds, ['no_progress', 'overdue_action']);
  const today = evaluateAlerts(
    {
      ...quiet,
      openActions: [{ id: 'a', dueDate: new Date('2026-11-26T00:00:00Z'), lastProgressAt: daysAgo(2) }],
    },
    now,
    rules,
  );
  assert.deepEqual(today, [], 'an action due today is not overdue');
});

test('no-shows, unanswered applications and far applications', () => {
  const apps = Array.from({ length: 10 }, () => ({ at: daysAgo(35), replied: false, distanceKm: 5 }));
  assert.deepEqual(
    evaluateAlerts({ ...quiet, applications: apps, noShowsSinceLastRun: 1 }, now, rules).map((a) => a.kind),
    ['missed_appointment', 'cv_review'],
  );
  const nine = apps.slice(1);
  assert.deepEqual(evaluateAlerts({ ...quiet, applications: nine }, now, rules), []);
  const far = Array.from({ length: 3 }, () => ({ at: daysAgo(3), replied: false, distanceKm: 61 }));
  assert.deepEqual(
    evaluateAlerts({ ...quiet, applications: far }, now, rules).map((a) => a.kind),
    ['inconsistent_distance'],
  );
  const near = Array.from({ length: 3 }, () => ({ at: daysAgo(3), replied: false, distanceKm: 60 }));
  assert.deepEqual(evaluateAlerts({ ...quiet, applications: near }, now, rules), []);
  assert.deepEqual(evaluateAlerts({ ...quiet, applications: far, maxCommuteKm: null }, now, rules), []);
});

test('percentile is mid-rank and bounded', () => {
  assert.equal(percentile(5, [1, 2, 3, 4]), 100);
  assert.equal(percentile(0, [1, 2, 3, 4]), 0);
  assert.equal(percentile(2, [1, 2, 3, 4]), 38);
  assert.equal(percentile(3, [3, 3, 3, 3]), 50);
});

test('groups under 20 people get no percentile', () => {
  const mk = (n: number, province: string): PeerPerson[] =>
    Array.from({ length: n }, (_, i) => ({
      userId: `${province}${i}`,
      tier: 2,
      iscoGroup: '5',
      province,
      score: i,
    }));
  const result = peerPercentiles([...mk(20, 'PG'), ...mk(19, 'TR')], 20);
  assert.equal(result.size, 20);
  assert.equal(result.get('PG19')?.percentile, 98);
  assert.equal(result.get('PG19')?.groupSize, 20);
  assert.equal(result.has('TR0'), false);
});

test('month boundaries, including December and the Rome day', () => {
  assert.deepEqual(monthBounds(new Date('2026-12-31T00:00:00Z')), {
    start: new Date('2026-12-01T00:00:00Z'),
    end: new Date('2027-01-01T00:00:00Z'),
  });
  // 23:30 UTC on 31 January is already 1 February in Rome: the previous month is January.
  assert.deepEqual(previousMonth(new Date('2027-01-31T23:30:00Z')).start, new Date('2027-01-01T00:00:00Z'));
  assert.deepEqual(previousMonth(new Date('2027-01-01T10:00:00Z')).start, new Date('2026-12-01T00:00:00Z'));
});

test('ISCO group of the latest job', () => {
  assert.equal(iscoGroupOf([]), 'none');
  assert.equal(iscoGroupOf([{ iscoGroup: '7' }]), '7');
  assert.equal(iscoGroupOf([{ iscoGroup: 'x' }]), 'none');
});
