import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withDates } from './compiled.ts';

test('withDates makes the named JSON times Dates again, keeps nulls and leaves other fields alone', () => {
  const row = {
    id: 'a',
    starts_at: '2026-11-28T09:30:00+00:00',
    done_at: null as string | null,
    note: '2026',
  };
  const revived = withDates(row, ['starts_at', 'done_at']);
  assert.ok(revived.starts_at instanceof Date);
  assert.equal(revived.starts_at.toISOString(), '2026-11-28T09:30:00.000Z');
  assert.equal(revived.done_at, null);
  assert.equal(revived.note, '2026', 'a field not named stays text');
  assert.equal(row.starts_at, '2026-11-28T09:30:00+00:00', 'the row read is not changed');
});
