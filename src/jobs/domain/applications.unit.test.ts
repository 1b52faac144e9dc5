import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPLICATION_STATUSES } from '../adapters/jobs-tables.ts';
import {
  actionsFrom,
  canDecide,
  canWithdraw,
  hireStartDate,
  isRealDay,
  viewedStatus,
} from './applications.ts';

test('the employer moves open applications only; interview only before an interview', () => {
  assert.deepEqual(actionsFrom('sent'), ['interview', 'rejected', 'hired']);
  assert.deepEqual(actionsFrom('viewed'), ['interview', 'rejected', 'hired']);
  assert.deepEqual(actionsFrom('interview'), ['rejected', 'hired']);
  for (const closed of ['rejected', 'hired', 'withdrawn'] as const) {
    assert.deepEqual(actionsFrom(closed), [], closed);
    assert.equal(canDecide(closed, 'hired'), false);
  }
});

test('the person withdraws while the application is open', () => {
  assert.deepEqual(
    APPLICATION_STATUSES.filter((s) => canWithdraw(s)),
    ['sent', 'viewed', 'interview'],
  );
});

test("opening a 'sent' application makes it 'viewed', once", () => {
  assert.equal(viewedStatus('sent'), 'viewed');
  for (const s of APPLICATION_STATUSES.filter((x) => x !== 'sent')) assert.equal(viewedStatus(s), null);
});

test('the start date of a hire: empty is today, a real day within a year, else a message', () => {
  const today = '2026-11-27';
  assert.deepEqual(hireStartDate('', today), { ok: true, day: today });
  assert.deepEqual(hireStartDate(' 2026-12-01 ', today), { ok: true, day: '2026-12-01' });
  assert.deepEqual(hireStartDate('2026-02-30', today), { ok: false, error: 'jobs.employer.errors.date' });
  assert.deepEqual(hireStartDate('01/12/2026', today), { ok: false, error: 'jobs.employer.errors.date' });
  assert.deepEqual(hireStartDate('2030-01-01', today), {
    ok: false,
    error: 'jobs.employer.errors.dateRange',
  });
  assert.deepEqual(hireStartDate('2020-01-01', today), {
    ok: false,
    error: 'jobs.employer.errors.dateRange',
  });
  assert.equal(isRealDay('2028-02-29'), true);
  assert.equal(isRealDay('2027-02-29'), false);
});
