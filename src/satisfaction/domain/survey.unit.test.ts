import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkPeriod,
  isCalendarDay,
  LINK_DAYS,
  linkExpiry,
  linkState,
  MIN_CELL,
  showCell,
} from './survey.ts';

test('a cell with fewer than 10 answers shows only how many were invited', () => {
  assert.equal(MIN_CELL, 10);
  assert.deepEqual(showCell({ invited: 40, answered: 9, scoreSum: 40 }), { suppressed: true, invited: 40 });
  assert.deepEqual(showCell({ invited: 40, answered: 10, scoreSum: 37 }), {
    suppressed: false,
    invited: 40,
    answered: 10,
    rate: 25,
    average: 3.7,
  });
  assert.deepEqual(showCell({ invited: 0, answered: 0, scoreSum: 0 }), { suppressed: true, invited: 0 });
});

test('a link is open until answered or 30 days after the invitation', () => {
  const invited = new Date('2026-01-01T10:00:00Z');
  const expires = linkExpiry(invited);
  assert.equal(LINK_DAYS, 30);
  assert.equal(expires.toISOString(), '2026-01-31T10:00:00.000Z');
  assert.equal(
    linkState({ answered_at: null, expires_at: expires }, new Date('2026-01-31T09:59:59Z')),
    'open',
  );
  assert.equal(linkState({ answered_at: null, expires_at: expires }, expires), 'expired');
  assert.equal(linkState({ answered_at: invited, expires_at: expires }, new Date('2027-01-01')), 'answered');
});

test('the period: real days, in order, not longer than five years', () => {
  assert.equal(isCalendarDay('2026-02-28'), true);
  assert.equal(isCalendarDay('2026-02-30'), false);
  assert.equal(isCalendarDay('26-2-1'), false);
  assert.deepEqual(checkPeriod({ from: '2026-01-01', to: '2026-03-31' }), {
    ok: true,
    from: '2026-01-01',
    to: '2026-03-31',
  });
  assert.deepEqual(checkPeriod({ from: '2026-01-01', to: '2026-01-01' }).ok, true);
  assert.deepEqual(checkPeriod({ from: '2026-04-01', to: '2026-03-31' }), {
    ok: false,
    errors: { al: 'order' },
  });
  assert.deepEqual(checkPeriod({ from: 'ieri', to: '2026-13-01' }), {
    ok: false,
    errors: { dal: 'day', al: 'day' },
  });
  assert.deepEqual(checkPeriod({ from: '2010-01-01', to: '2026-01-01' }), {
    ok: false,
    errors: { al: 'tooLong' },
  });
});
