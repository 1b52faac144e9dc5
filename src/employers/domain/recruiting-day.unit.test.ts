import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minutesOf, overlaps, slotBatch, timeOf } from './recruiting-day.ts';

test('a batch from 09:00 to 12:00 every 20 minutes makes nine slots', () => {
  const r = slotBatch('09:00', '12:00', 20);
  assert.ok(r.ok);
  assert.equal(r.slots.length, 9);
  assert.deepEqual(r.slots[0], { start: 540, end: 560 });
  assert.deepEqual(r.slots[8], { start: 700, end: 720 });
});

test('a remainder shorter than one interview is left out', () => {
  const r = slotBatch('09:00', '10:10', 30);
  assert.ok(r.ok);
  assert.deepEqual(
    r.slots.map((s) => timeOf(s.start)),
    ['09:00', '09:30'],
  );
});

test('bad times, order, length and the end of the day are refused', () => {
  assert.deepEqual(slotBatch('9', '12:00', 20), { ok: false, error: 'time' });
  assert.deepEqual(slotBatch('25:00', '26:00', 20), { ok: false, error: 'time' });
  assert.deepEqual(slotBatch('12:00', '09:00', 20), { ok: false, error: 'order' });
  assert.deepEqual(slotBatch('09:00', '12:00', 3), { ok: false, error: 'length' });
  assert.deepEqual(slotBatch('09:00', '12:00', 20.5), { ok: false, error: 'length' });
  assert.deepEqual(slotBatch('23:50', '24:00', 20), { ok: false, error: 'outside_day' });
  assert.deepEqual(slotBatch('00:00', '24:00', 5), { ok: false, error: 'too_many' });
  const lastOfDay = slotBatch('23:30', '24:00', 30);
  assert.ok(lastOfDay.ok);
  assert.equal(lastOfDay.slots[0]?.end, 1440);
});

test('slots overlapping the company’s existing ones are refused; touching ones are fine', () => {
  const existing = [{ start: minutesOf('10:00')!, end: minutesOf('10:20')! }];
  assert.deepEqual(slotBatch('09:50', '10:30', 20, existing), { ok: false, error: 'overlap' });
  assert.ok(slotBatch('10:20', '11:00', 20, existing).ok);
  assert.ok(slotBatch('09:00', '10:00', 20, existing).ok);
  assert.equal(overlaps({ start: 0, end: 10 }, { start: 10, end: 20 }), false);
  assert.equal(overlaps({ start: 0, end: 11 }, { start: 10, end: 20 }), true);
});
