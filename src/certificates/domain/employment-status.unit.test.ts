import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addMonths,
  type DidEventRecord,
  type DidRecord,
  employmentHistory,
  employmentStatus,
} from './employment-status.ts';

const d = (iso: string) => new Date(iso);
const NOW = d('2026-11-27T09:00:00Z');
const did = (id: string, at: string, status: DidRecord['status'] = 'active'): DidRecord => ({
  id,
  declaredAt: d(at),
  status,
});
const ev = (didId: string, event: DidEventRecord['event'], at: string, reason: string | null = null) => ({
  didId,
  event,
  at: d(at),
  reason,
});
const none = { dids: [], didEvents: [], employment: [] };

test('no DID: the status says so', () => {
  assert.deepEqual(employmentStatus(none, NOW), { status: 'no_did' });
});

test('an active DID with nothing after it: unemployed since the declaration', () => {
  const s = employmentStatus(
    {
      ...none,
      dids: [did('a', '2026-03-02T10:00:00Z')],
      didEvents: [ev('a', 'declared', '2026-03-02T10:00:00Z')],
    },
    NOW,
  );
  assert.equal(s.status, 'unemployed');
  assert.ok(s.status === 'unemployed' && s.since.toISOString() === '2026-03-02T10:00:00.000Z');
});

test('a job started after the DID: employed since the start; a job before the DID does not count', () => {
  const base = { dids: [did('a', '2026-03-02T10:00:00Z')], didEvents: [] };
  const after = employmentStatus(
    { ...base, employment: [{ startedOn: d('2026-06-01T00:00:00Z'), source: 'application' }] },
    NOW,
  );
  assert.equal(after.status, 'employed');
  assert.ok(after.status === 'employed' && after.since.toISOString().startsWith('2026-06-01'));
  const before = employmentStatus(
    { ...base, employment: [{ startedOn: d('2025-01-10T00:00:00Z'), source: 'operator' }] },
    NOW,
  );
  assert.equal(before.status, 'unemployed');
  const future = employmentStatus(
    { ...base, employment: [{ startedOn: d('2027-01-10T00:00:00Z'), source: 'operator' }] },
    NOW,
  );
  assert.equal(future.status, 'unemployed', 'a job that has not started yet does not change today');
});

test('suspended within six months: suspended until six months after the suspension', () => {
  const s = employmentStatus(
    {
      dids: [did('a', '2026-03-02T10:00:00Z', 'suspended')],
      didEvents: [
        ev('a', 'declared', '2026-03-02T10:00:00Z'),
        ev('a', 'suspended', '2026-09-15T08:00:00Z', 'job'),
      ],
      employment: [],
    },
    NOW,
  );
  assert.equal(s.status, 'suspended');
  assert.ok(s.status === 'suspended' && s.until.toISOString().startsWith('2027-03-15'));
});

test('suspended for more than six months: the suspension no longer holds', () => {
  const s = employmentStatus(
    {
      dids: [did('a', '2025-01-02T10:00:00Z', 'suspended')],
      didEvents: [ev('a', 'suspended', '2026-04-10T08:00:00Z')],
      employment: [],
    },
    NOW,
  );
  assert.equal(s.status, 'suspension_expired');
});

test('a job, then a suspension, then resumed: unemployed again since the resumption', () => {
  const s = employmentStatus(
    {
      dids: [did('a', '2026-01-05T10:00:00Z', 'active')],
      didEvents: [ev('a', 'suspended', '2026-05-01T08:00:00Z'), ev('a', 'resumed', '2026-08-01T08:00:00Z')],
      employment: [{ startedOn: d('2026-04-30T00:00:00Z'), source: 'national_system' }],
    },
    NOW,
  );
  assert.equal(s.status, 'unemployed');
  assert.ok(s.status === 'unemployed' && s.since.toISOString().startsWith('2026-08-01'));
});

test('the DID record is the truth for suspension: active DID never reads as suspended', () => {
  const s = employmentStatus(
    {
      dids: [did('a', '2026-01-05T10:00:00Z', 'active')],
      didEvents: [ev('a', 'suspended', '2026-05-01T08:00:00Z')],
      employment: [],
    },
    NOW,
  );
  assert.equal(s.status, 'unemployed');
  const t = employmentStatus(
    { dids: [did('a', '2026-10-05T10:00:00Z', 'suspended')], didEvents: [], employment: [] },
    NOW,
  );
  assert.equal(t.status, 'suspended', 'a suspended DID without its event counts from the declaration');
});

test('withdrawn DID, then a new one: the latest DID decides', () => {
  const withdrawnOnly = employmentStatus(
    {
      dids: [did('a', '2025-01-05T10:00:00Z', 'withdrawn')],
      didEvents: [ev('a', 'withdrawn', '2025-07-01T08:00:00Z')],
      employment: [],
    },
    NOW,
  );
  assert.equal(withdrawnOnly.status, 'did_withdrawn');
  assert.ok(
    withdrawnOnly.status === 'did_withdrawn' && withdrawnOnly.since.toISOString().startsWith('2025-07-01'),
  );
  const again = employmentStatus(
    {
      dids: [did('a', '2025-01-05T10:00:00Z', 'withdrawn'), did('b', '2026-02-01T10:00:00Z', 'active')],
      didEvents: [ev('a', 'withdrawn', '2025-07-01T08:00:00Z')],
      employment: [{ startedOn: d('2025-03-01T00:00:00Z'), source: 'operator' }],
    },
    NOW,
  );
  assert.equal(again.status, 'unemployed', 'the job before the new DID belongs to the old one');
});

test('history: oldest first, same-instant events in the order they happen, proposals listed, archives not', () => {
  const h = employmentHistory({
    dids: [did('a', '2026-01-05T10:00:00Z'), did('b', '2026-09-01T10:00:00Z')],
    didEvents: [
      ev('a', 'withdrawn', '2026-06-01T08:00:00Z', 'moved'),
      ev('a', 'declared', '2026-01-05T10:00:00Z'),
      ev('a', 'suspended', '2026-03-01T00:00:00Z', 'short job'),
    ],
    employment: [{ startedOn: d('2026-03-01T00:00:00Z'), source: 'operator' }],
    conditionality: [
      {
        decidedAt: d('2026-04-01T09:00:00Z'),
        decision: 'sanction_proposal',
        kind: 'no_show',
        benefit: 'naspi',
      },
      { decidedAt: d('2026-04-02T09:00:00Z'), decision: 'archive', kind: 'no_show', benefit: 'naspi' },
    ],
  });
  assert.deepEqual(
    h.map((e) => `${e.at.toISOString().slice(0, 10)} ${e.kind}`),
    [
      '2026-01-05 did_declared',
      '2026-03-01 employment_started',
      '2026-03-01 did_suspended',
      '2026-04-01 sanction_proposal',
      '2026-06-01 did_withdrawn',
      '2026-09-01 did_declared',
    ],
  );
});

test('addMonths keeps the day, or the month end when the day does not exist', () => {
  assert.equal(addMonths(d('2026-08-31T10:00:00Z'), 6).toISOString(), '2027-02-28T10:00:00.000Z');
  assert.equal(addMonths(d('2026-01-15T00:00:00Z'), 6).toISOString(), '2026-07-15T00:00:00.000Z');
});
