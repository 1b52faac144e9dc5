import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isHoliday } from './holidays.ts';
import {
  addDays,
  type Exception,
  generateSlots,
  type IsoWeekday,
  isoWeekday,
  parseTime,
  resolveWallTime,
  romeWallTimeToUtc,
  type Slot,
  templatesOverlap,
  validateTemplate,
  type WeeklyTemplate,
  zonedParts,
} from './slots.ts';
import { waitingDays } from './waiting.ts';

const iso = (d: Date): string => d.toISOString();
const noHolidays = (): boolean => false;

function template(over: Partial<WeeklyTemplate> = {}): WeeklyTemplate {
  return {
    id: 't1',
    operatorId: 'op1',
    officeId: 'off1',
    weekday: 1,
    start: '09:00',
    end: '13:00',
    slotMinutes: 30,
    mode: 'in_person',
    services: ['did'],
    validFrom: '2025-01-01',
    validTo: null,
    ...over,
  };
}

function workWeek(over: Partial<WeeklyTemplate> = {}): WeeklyTemplate[] {
  return ([1, 2, 3, 4, 5] as const).map((weekday) => template({ id: `t${weekday}`, weekday, ...over }));
}

describe('romeWallTimeToUtc', () => {
  it('uses CET in winter and CEST in summer', () => {
    assert.equal(iso(romeWallTimeToUtc('2026-01-15', '09:00')), '2026-01-15T08:00:00.000Z');
    assert.equal(iso(romeWallTimeToUtc('2026-07-15', '09:00')), '2026-07-15T07:00:00.000Z');
  });

  it('handles the last Sunday of March (02:00 → 03:00)', () => {
    assert.equal(iso(romeWallTimeToUtc('2026-03-28', '09:00')), '2026-03-28T08:00:00.000Z');
    assert.equal(iso(romeWallTimeToUtc('2026-03-29', '01:59')), '2026-03-29T00:59:00.000Z');
    assert.equal(iso(romeWallTimeToUtc('2026-03-29', '03:00')), '2026-03-29T01:00:00.000Z');
    assert.equal(iso(romeWallTimeToUtc('2026-03-29', '09:00')), '2026-03-29T07:00:00.000Z');
    // 02:30 does not exist: moved forward by the gap (= 03:30 CEST).
    assert.deepEqual(resolveWallTime('2026-03-29', '02:30'), {
      instant: new Date('2026-03-29T01:30:00Z'),
      status: 'skipped',
    });
    assert.equal(iso(romeWallTimeToUtc('2025-03-30', '09:00')), '2025-03-30T07:00:00.000Z');
  });

  it('handles the last Sunday of October (03:00 → 02:00)', () => {
    assert.equal(iso(romeWallTimeToUtc('2026-10-24', '09:00')), '2026-10-24T07:00:00.000Z');
    assert.equal(iso(romeWallTimeToUtc('2026-10-25', '01:59')), '2026-10-24T23:59:00.000Z');
    // 02:30 happens twice: the earlier (CEST) is taken.
    assert.deepEqual(resolveWallTime('2026-10-25', '02:30'), {
      instant: new Date('2026-10-25T00:30:00Z'),
      status: 'ambiguous',
    });
    assert.equal(iso(romeWallTimeToUtc('2026-10-25', '03:00')), '2026-10-25T02:00:00.000Z');
    assert.equal(iso(romeWallTimeToUtc('2026-10-25', '09:00')), '2026-10-25T08:00:00.000Z');
    assert.equal(iso(romeWallTimeToUtc('2025-10-26', '09:00')), '2025-10-26T08:00:00.000Z');
  });

  it('round-trips with zonedParts (exactly, or one hour earlier in the repeated hour)', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2028, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: from / 60_000, max: to / 60_000 }), (minute) => {
        const instant = new Date(minute * 60_000);
        const p = zonedParts(instant, 'Europe/Rome');
        const back = resolveWallTime(p.date, p.time);
        assert.notEqual(back.status, 'skipped');
        const diff = instant.getTime() - back.instant.getTime();
        assert.ok(diff === 0 || (back.status === 'ambiguous' && diff === 3_600_000), `${iso(instant)}`);
      }),
    );
  });

  it('zonedParts gives what Intl gives, for any instant and zone, old offset changes included', () => {
    // Zones with half- and quarter-hour offsets and a half-hour summer time; Kathmandu left its local
    // mean time (+5:41:16) at 18:18:44 UTC on 31 December 1919, which is not on a quarter hour.
    const zones = [
      'Europe/Rome',
      'America/St_Johns',
      'Asia/Kathmandu',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
      'UTC',
    ];
    const reference = new Map(
      zones.map((timeZone) => [
        timeZone,
        new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        }),
      ]),
    );
    const check = (ms: number, timeZone: string) => {
      const fields = Object.fromEntries(
        (reference.get(timeZone)?.formatToParts(new Date(ms)) ?? [])
          .filter((p) => p.type !== 'literal')
          .map((p) => [p.type, Number(p.value)]),
      );
      const p = zonedParts(new Date(ms), timeZone);
      assert.deepEqual(
        [p.year, p.month, p.day, p.hour, p.minute, p.second],
        [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second],
        `${new Date(ms).toISOString()} in ${timeZone}`,
      );
    };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1880, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, timeZone) => check(ms, timeZone),
      ),
      { numRuns: 3000 },
    );
    // Every second around those two changes and around Rome's summer time of 2026.
    const changes: [number, string][] = [
      [Date.UTC(1919, 11, 31, 18, 18, 44), 'Asia/Kathmandu'],
      [Date.UTC(2026, 2, 29, 1, 0, 0), 'Europe/Rome'],
    ];
    for (const [around, timeZone] of changes) {
      for (let ms = around - 20 * 60_000; ms <= around + 20 * 60_000; ms += 1000) check(ms, timeZone);
    }
  });

  it('refuses malformed input', () => {
    assert.throws(() => romeWallTimeToUtc('2026-01-15', '24:00'), RangeError);
    assert.throws(() => romeWallTimeToUtc('2026-01-15', '9:00'), RangeError);
    assert.throws(() => romeWallTimeToUtc('2026-02-29', '09:00'), RangeError);
  });
});

describe('validateTemplate', () => {
  it('accepts a good template', () => {
    assert.deepEqual(validateTemplate(template()), { errors: [], warnings: [] });
  });

  it('reports errors and warnings', () => {
    assert.deepEqual(validateTemplate(template({ start: '9:00' })).errors, ['bad_time']);
    assert.deepEqual(validateTemplate(template({ end: '09:00' })).errors, ['end_before_start']);
    assert.deepEqual(validateTemplate(template({ end: '08:00' })).errors, ['end_before_start']);
    assert.deepEqual(validateTemplate(template({ end: '09:20' })).errors, ['slot_too_long']);
    assert.deepEqual(validateTemplate(template({ slotMinutes: 0 })).errors, ['bad_slot_minutes']);
    assert.deepEqual(validateTemplate(template({ slotMinutes: 12.5 })).errors, ['bad_slot_minutes']);
    assert.deepEqual(validateTemplate(template({ weekday: 8 as IsoWeekday })).errors, ['bad_weekday']);
    assert.deepEqual(validateTemplate(template({ validTo: '2024-12-31' })).errors, ['bad_validity']);
    assert.deepEqual(validateTemplate(template({ validFrom: '2025-13-01' })).errors, ['bad_validity']);
    assert.deepEqual(validateTemplate(template({ services: [] })).errors, ['no_services']);
    assert.deepEqual(validateTemplate(template({ slotMinutes: 45 })), {
      errors: [],
      warnings: ['slot_not_dividing'],
    });
  });
});

describe('templatesOverlap', () => {
  it('needs same operator, weekday, validity and hours', () => {
    const a = template({ start: '09:00', end: '12:00' });
    assert.ok(templatesOverlap(a, template({ id: 'b', start: '11:30', end: '13:00' })));
    assert.ok(templatesOverlap(a, template({ id: 'b', officeId: 'off2', start: '08:00', end: '09:30' })));
    assert.ok(!templatesOverlap(a, template({ id: 'b', start: '12:00', end: '13:00' })));
    assert.ok(!templatesOverlap(a, template({ id: 'b', operatorId: 'op2' })));
    assert.ok(!templatesOverlap(a, template({ id: 'b', weekday: 2 })));
    const closed = template({ validFrom: '2025-01-01', validTo: '2025-06-30' });
    assert.ok(!templatesOverlap(closed, template({ id: 'b', validFrom: '2025-07-01' })));
    assert.ok(templatesOverlap(closed, template({ id: 'b', validFrom: '2025-06-30' })));
    assert.ok(templatesOverlap(template({ validTo: null }), template({ id: 'b', validFrom: '2099-01-01' })));
  });
});

describe('generateSlots', () => {
  it('counts a simple week', () => {
    const slots = generateSlots(workWeek(), [], { from: '2026-03-23', days: 7, holidays: noHolidays });
    assert.equal(slots.length, 5 * 8);
    assert.equal(iso(slots[0]?.startsAt ?? new Date(0)), '2026-03-23T08:00:00.000Z');
    assert.equal(iso(slots[0]?.endsAt ?? new Date(0)), '2026-03-23T08:30:00.000Z');
    assert.deepEqual(slots[0]?.services, ['did']);
  });

  it('skips holidays (Easter Monday, a patron saint) through the callback', () => {
    const easterWeek = generateSlots(workWeek(), [], {
      from: '2026-04-06',
      days: 7,
      holidays: (date) => isHoliday(date),
    });
    assert.equal(easterWeek.length, 4 * 8);
    const offices: Record<string, string> = { off1: '054039', off2: '055032' };
    const templates = [...workWeek(), ...workWeek({ operatorId: 'op2', officeId: 'off2' })];
    const sanCostanzo = generateSlots(templates, [], {
      from: '2026-01-26',
      days: 7,
      holidays: (date, officeId) => isHoliday(date, offices[officeId]),
    });
    assert.equal(sanCostanzo.filter((s) => s.officeId === 'off1').length, 4 * 8);
    assert.equal(sanCostanzo.filter((s) => s.officeId === 'off2').length, 5 * 8);
  });

  it('removes slots overlapping an exception, for the operator or the whole office', () => {
    const leave: Exception = {
      operatorId: 'op1',
      officeId: 'off9',
      from: '2026-03-25T10:00:00+01:00',
      to: '2026-03-25T12:00:00+01:00',
      reason: 'leave',
    };
    const slots = generateSlots(workWeek(), [leave], { from: '2026-03-23', days: 7, holidays: noHolidays });
    assert.equal(slots.length, 40 - 4);
    const closure: Exception = {
      operatorId: null,
      officeId: 'off1',
      from: new Date('2026-03-26T09:15:00Z'),
      to: new Date('2026-03-26T09:16:00Z'),
      reason: 'closure',
    };
    const otherOffice: Exception = { ...closure, officeId: 'off2' };
    const slots2 = generateSlots(workWeek(), [closure, otherOffice], {
      from: '2026-03-23',
      days: 7,
      holidays: noHolidays,
    });
    assert.equal(slots2.length, 40 - 1);
    assert.throws(
      () =>
        generateSlots(workWeek(), [{ ...closure, from: '2026-03-26T09:00:00' }], {
          from: '2026-03-23',
          days: 7,
          holidays: noHolidays,
        }),
      RangeError,
    );
  });

  it('respects validity and refuses invalid templates', () => {
    const t = template({ validFrom: '2026-03-30', validTo: '2026-04-06' });
    const slots = generateSlots([t], [], { from: '2026-03-23', days: 21, holidays: noHolidays });
    assert.deepEqual(
      [...new Set(slots.map((s) => zonedParts(s.startsAt).date))],
      ['2026-03-30', '2026-04-06'],
    );
    assert.throws(
      () =>
        generateSlots([template({ end: '08:00' })], [], {
          from: '2026-03-23',
          days: 7,
          holidays: noHolidays,
        }),
      /template t1: end_before_start/,
    );
    assert.throws(
      () => generateSlots([], [], { from: '2026-03-23', days: -1, holidays: noHolidays }),
      RangeError,
    );
  });

  it('keeps the wall-clock time across the DST changes', () => {
    const t = template({ start: '09:00', end: '09:30' });
    const spring = generateSlots([t], [], { from: '2026-03-23', days: 14, holidays: noHolidays });
    assert.deepEqual(
      spring.map((s) => iso(s.startsAt)),
      ['2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z'],
    );
    const autumn = generateSlots([t], [], { from: '2026-10-19', days: 14, holidays: noHolidays });
    assert.deepEqual(
      autumn.map((s) => iso(s.startsAt)),
      ['2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z'],
    );
  });

  it('drops slots in the skipped hour and across the repeated hour', () => {
    const night = template({ weekday: 7, start: '00:00', end: '04:00', slotMinutes: 60 });
    const spring = generateSlots([night], [], { from: '2026-03-29', days: 1, holidays: noHolidays });
    assert.deepEqual(
      spring.map((s) => [iso(s.startsAt), iso(s.endsAt)]),
      [
        ['2026-03-28T23:00:00.000Z', '2026-03-29T00:00:00.000Z'],
        ['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z'],
      ],
    );
    const autumn = generateSlots([night], [], { from: '2026-10-25', days: 1, holidays: noHolidays });
    assert.deepEqual(
      autumn.map((s) => [iso(s.startsAt), iso(s.endsAt)]),
      [
        ['2026-10-24T22:00:00.000Z', '2026-10-24T23:00:00.000Z'],
        ['2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z'],
        ['2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z'],
      ],
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

const OPERATORS = ['op1', 'op2', 'op3'] as const;
const OFFICES = ['off1', 'off2'] as const;
const DST_WEEKS = ['2026-03-23', '2026-10-19', '2025-03-24', '2025-10-20'] as const;

const templateArb: fc.Arbitrary<WeeklyTemplate> = fc
  .record({
    id: fc.uuid(),
    operatorId: fc.constantFrom(...OPERATORS),
    officeId: fc.constantFrom(...OFFICES),
    weekday: fc.constantFrom<IsoWeekday>(1, 2, 3, 4, 5, 6, 7),
    startQ: fc.integer({ min: 0, max: 90 }),
    lengthQ: fc.integer({ min: 1, max: 24 }),
    slotMinutes: fc.constantFrom(10, 15, 20, 30, 45, 60),
    mode: fc.constantFrom('in_person' as const, 'remote' as const, 'both' as const),
    services: fc.array(fc.constantFrom('did', 'pact', 'cv'), { minLength: 1, maxLength: 3 }),
    validFromOffset: fc.integer({ min: -30, max: 30 }),
    validLength: fc.option(fc.integer({ min: 0, max: 60 })),
  })
  .map((r) => {
    const startMin = r.startQ * 15;
    const endMin = Math.min(startMin + r.lengthQ * 15, 23 * 60 + 45);
    const hhmm = (m: number): string =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const validFrom = addDays('2026-03-23', r.validFromOffset);
    return {
      id: r.id,
      operatorId: r.operatorId,
      officeId: r.officeId,
      weekday: r.weekday,
      start: hhmm(startMin),
      end: hhmm(endMin),
      slotMinutes: r.slotMinutes,
      mode: r.mode,
      services: r.services,
      validFrom,
      validTo: r.validLength === null ? null : addDays(validFrom, r.validLength),
    };
  })
  .filter((t) => validateTemplate(t).errors.length === 0);

/** Keeps the templates that do not clash with an earlier one. */
function nonOverlapping(templates: WeeklyTemplate[]): WeeklyTemplate[] {
  const kept: WeeklyTemplate[] = [];
  for (const t of templates) if (!kept.some((k) => templatesOverlap(k, t))) kept.push(t);
  return kept;
}

const fromArb = fc.oneof(
  fc.constantFrom(...DST_WEEKS),
  fc.integer({ min: -60, max: 60 }).map((n) => addDays('2026-03-23', n)),
);

const exceptionArb: fc.Arbitrary<Exception> = fc.record({
  operatorId: fc.option(fc.constantFrom(...OPERATORS)),
  officeId: fc.constantFrom(...OFFICES),
  from: fc
    .integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2026, 11, 31) / 60_000 })
    .map((m) => new Date(m * 60_000)),
  to: fc.constant(new Date(0)),
  reason: fc.constantFrom('holiday' as const, 'leave' as const, 'closure' as const, 'other' as const),
});

function byOperator(slots: Slot[]): Map<string, Slot[]> {
  const map = new Map<string, Slot[]>();
  for (const s of slots) map.set(s.operatorId, [...(map.get(s.operatorId) ?? []), s]);
  return map;
}

describe('generateSlots properties', () => {
  it('never gives one operator overlapping slots when templates do not clash', () => {
    fc.assert(
      fc.property(
        fc.array(templateArb, { maxLength: 12 }),
        fromArb,
        fc.integer({ min: 1, max: 21 }),
        (ts, from, days) => {
          const slots = generateSlots(nonOverlapping(ts), [], { from, days, holidays: noHolidays });
          for (const list of byOperator(slots).values()) {
            for (let i = 1; i < list.length; i++) {
              const prev = list[i - 1];
              const cur = list[i];
              assert.ok(prev && cur);
              assert.ok(
                prev.endsAt.getTime() <= cur.startsAt.getTime(),
                `${iso(prev.startsAt)} / ${iso(cur.startsAt)}`,
              );
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('puts no slot on a holiday or inside an exception', () => {
    fc.assert(
      fc.property(
        fc.array(templateArb, { maxLength: 8 }),
        fc.array(
          exceptionArb.chain((e) =>
            fc.integer({ min: 0, max: 3 * 24 * 60 }).map((len) => ({
              ...e,
              to: new Date((e.from as Date).getTime() + len * 60_000),
            })),
          ),
          { maxLength: 6 },
        ),
        fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 5 }),
        fc.constantFrom(...OFFICES),
        fromArb,
        (ts, exceptions, holidayOffsets, holidayOffice, from) => {
          const holidayDates = new Set(holidayOffsets.map((n) => addDays(from, n)));
          const holidays = (date: string, officeId: string): boolean =>
            officeId === holidayOffice && holidayDates.has(date);
          const slots = generateSlots(ts, exceptions, { from, days: 21, holidays });
          for (const s of slots) {
            assert.ok(!holidays(zonedParts(s.startsAt).date, s.officeId));
            for (const e of exceptions) {
              const applies =
                e.operatorId === null ? e.officeId === s.officeId : e.operatorId === s.operatorId;
              const overlaps =
                s.startsAt.getTime() < new Date(e.to).getTime() &&
                new Date(e.from).getTime() < s.endsAt.getTime();
              assert.ok(!(applies && overlaps));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps every slot inside its template window', () => {
    fc.assert(
      fc.property(fc.array(templateArb, { maxLength: 8 }), fromArb, (ts, from) => {
        const slots = generateSlots(ts, [], { from, days: 28, holidays: noHolidays });
        const byId = new Map(ts.map((t) => [t.id, t]));
        for (const s of slots) {
          const t = byId.get(s.templateId);
          assert.ok(t);
          const start = zonedParts(s.startsAt);
          const end = zonedParts(s.endsAt);
          assert.equal(isoWeekday(start.date), t.weekday);
          assert.equal(end.date, start.date);
          assert.ok(start.date >= t.validFrom && (t.validTo === null || start.date <= t.validTo));
          assert.ok(
            start.time >= t.start && end.time <= t.end,
            `${start.time}-${end.time} in ${t.start}-${t.end}`,
          );
          assert.equal(s.endsAt.getTime() - s.startsAt.getTime(), t.slotMinutes * 60_000);
          assert.equal((parseTime(start.time)! - parseTime(t.start)!) % t.slotMinutes, 0);
          assert.equal(s.operatorId, t.operatorId);
          assert.equal(s.mode, t.mode);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives, away from DST changes, floor(window / slot) slots per template-day', () => {
    fc.assert(
      fc.property(templateArb, (t0) => {
        const t = { ...t0, validFrom: '2025-01-01', validTo: null };
        const slots = generateSlots([t], [], { from: '2026-05-04', days: 7, holidays: noHolidays });
        const window = parseTime(t.end)! - parseTime(t.start)!;
        assert.equal(slots.length, Math.floor(window / t.slotMinutes));
      }),
    );
  });
});

describe('waitingDays', () => {
  it('counts calendar days in Europe/Rome', () => {
    // Tuesday 00:30 in Rome, still Monday in UTC.
    assert.equal(waitingDays(new Date('2026-03-23T23:30:00Z'), new Date('2026-03-24T08:00:00Z')), 0);
    assert.equal(waitingDays(new Date('2026-03-23T22:30:00Z'), new Date('2026-03-24T07:00:00Z')), 1);
    assert.equal(waitingDays(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-30T07:00:00Z')), 2);
    assert.equal(waitingDays(new Date('2026-10-24T22:30:00Z'), new Date('2026-10-24T22:30:00Z')), 0);
    assert.equal(waitingDays(new Date('2026-03-24T08:00:00Z'), new Date('2026-03-20T08:00:00Z')), -4);
    assert.equal(waitingDays(new Date('2026-12-31T12:00:00Z'), new Date('2027-01-04T08:00:00Z')), 4);
  });
});
