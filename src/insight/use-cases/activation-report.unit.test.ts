import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  hasActivity,
  monthBounds,
  officeTotals,
  percent,
  type ReportRow,
  scopeOf,
} from './activation-report.ts';

test('month bounds, December rolling into the next year', () => {
  assert.deepEqual(monthBounds('2026-11'), { from: '2026-11-01', to: '2026-12-01' });
  assert.deepEqual(monthBounds('2026-12'), { from: '2026-12-01', to: '2027-01-01' });
});

test('percentages round and say nothing when there is nothing to divide', () => {
  assert.equal(percent(2, 3), 67);
  assert.equal(percent(0, 0), null);
});

test('office totals sum their operators', () => {
  const row = (office: string, operator: string, pacts: number, remote: number): ReportRow => ({
    officeId: office,
    officeName: `CPI ${office}`,
    operatorId: operator,
    operatorName: operator,
    pactsSigned: pacts,
    pactsSignedRemotely: remote,
    actionsDue: 4,
    actionsDone: 1,
    alertsOpened: 1,
    alertsClosed: 0,
    eventsOpen: 0,
    eventsJustified: 1,
    eventsArchived: 0,
    eventsWarning: 0,
    eventsSanctionProposal: 0,
  });
  const totals = officeTotals([row('a', 'x', 3, 2), row('a', 'y', 1, 1), row('b', 'z', 5, 0)]);
  assert.equal(totals.length, 2);
  const a = totals.find((t) => t.officeId === 'a')!;
  assert.deepEqual([a.pactsSigned, a.pactsSignedRemotely, a.actionsDue, a.operatorId], [4, 3, 8, null]);
  assert.equal(hasActivity(a), true);
  const idle = {
    ...a,
    pactsSigned: 0,
    pactsSignedRemotely: 0,
    actionsDue: 0,
    actionsDone: 0,
    alertsOpened: 0,
    eventsJustified: 0,
  };
  assert.equal(hasActivity(idle), false);
});

test('who sees what: an operator their office, a regional manager the Region, others nothing', () => {
  const base = {
    id: 'u',
    regionCode: '10',
    agencyId: null,
    companyId: null,
    givenName: 'A',
    familyName: 'B',
    email: null,
    fiscalCode: null,
    isMinor: false,
    preferredLanguage: 'it',
  };
  assert.deepEqual(scopeOf({ ...base, role: 'cpi_operator', officeId: 'o1' }), {
    kind: 'office',
    officeId: 'o1',
  });
  assert.deepEqual(scopeOf({ ...base, role: 'regional_manager', officeId: null }), { kind: 'region' });
  assert.equal(scopeOf({ ...base, role: 'citizen', officeId: null }), null);
});
