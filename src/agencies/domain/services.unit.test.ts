import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AGENCY_SERVICES,
  addDays,
  isAgencyService,
  isIsoDay,
  needsOverrideReason,
  romeDay,
  scopeState,
} from './services.ts';

describe('agency services and scopes', () => {
  test('the closed list of services', () => {
    assert.ok(AGENCY_SERVICES.includes('orientamento'));
    assert.equal(isAgencyService('accompagnamento'), true);
    assert.equal(isAgencyService('sanzioni'), false);
    assert.equal(isAgencyService(undefined), false);
  });

  test('calendar days', () => {
    assert.equal(isIsoDay('2026-02-28'), true);
    assert.equal(isIsoDay('2026-02-30'), false);
    assert.equal(isIsoDay('28/02/2026'), false);
    assert.equal(isIsoDay('0000-01-01'), false);
    assert.equal(isIsoDay('2200-01-01'), false);
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    // 23:30 UTC on 31 December is already 1 January in Rome.
    assert.equal(romeDay(new Date('2026-12-31T23:30:00Z')), '2027-01-01');
  });

  test('a scope on a day', () => {
    const s = { valid_from: '2026-03-01', valid_to: '2026-06-30', revoked: false };
    assert.equal(scopeState(s, '2026-02-28'), 'future');
    assert.equal(scopeState(s, '2026-03-01'), 'active');
    assert.equal(scopeState(s, '2026-06-30'), 'active');
    assert.equal(scopeState(s, '2026-07-01'), 'expired');
    assert.equal(scopeState({ ...s, revoked: true }, '2026-04-01'), 'revoked');
  });

  test('choosing another agency than the person needs a reason', () => {
    assert.equal(needsOverrideReason(null, 'a'), false);
    assert.equal(needsOverrideReason('a', 'a'), false);
    assert.equal(needsOverrideReason('a', 'b'), true);
  });
});
