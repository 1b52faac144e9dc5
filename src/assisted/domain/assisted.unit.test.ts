import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assistedExpiry, endOfRomeDay, isActive } from './assisted.ts';

test('the end of the day is the next midnight in Rome, winter and summer time', () => {
  // 10:15 UTC on 27 November 2026 is 11:15 in Rome (CET, UTC+1): midnight is 23:00 UTC.
  assert.equal(endOfRomeDay(new Date('2026-11-27T10:15:00Z')).toISOString(), '2026-11-27T23:00:00.000Z');
  // In July (CEST, UTC+2) midnight is 22:00 UTC.
  assert.equal(endOfRomeDay(new Date('2026-07-01T08:00:00Z')).toISOString(), '2026-07-01T22:00:00.000Z');
  // 23:30 UTC on the 27th is already 00:30 of the 28th in Rome.
  assert.equal(endOfRomeDay(new Date('2026-11-27T23:30:00Z')).toISOString(), '2026-11-28T23:00:00.000Z');
});

test('a session lasts the chosen minutes, never past midnight in Rome; unknown durations are refused', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  assert.equal(assistedExpiry(now, '30')?.toISOString(), '2026-11-27T10:30:00.000Z');
  assert.equal(assistedExpiry(now, '120')?.toISOString(), '2026-11-27T12:00:00.000Z');
  assert.equal(assistedExpiry(now, 'day')?.toISOString(), '2026-11-27T23:00:00.000Z');
  const late = new Date('2026-11-27T22:30:00Z'); // 23:30 in Rome
  assert.equal(assistedExpiry(late, '120')?.toISOString(), '2026-11-27T23:00:00.000Z');
  for (const bad of ['0', '-5', '45', '600', '1e9', '', 'forever'])
    assert.equal(assistedExpiry(now, bad), null, bad);
});

test('a session is active until it ends or expires', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  assert.equal(isActive({ ended_at: null, expires_at: new Date('2026-11-27T10:01:00Z') }, now), true);
  assert.equal(isActive({ ended_at: null, expires_at: now }, now), false);
  assert.equal(
    isActive(
      { ended_at: new Date('2026-11-27T09:59:00Z'), expires_at: new Date('2026-11-27T12:00:00Z') },
      now,
    ),
    false,
  );
});
