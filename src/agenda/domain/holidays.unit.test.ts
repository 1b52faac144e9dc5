import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  easterSunday,
  holidayName,
  isHoliday,
  nationalHolidays,
  PATRON_SAINT_DAYS,
  parseIsoDate,
  patronSaintHoliday,
} from './holidays.ts';

describe('easterSunday', () => {
  it('matches known dates', () => {
    const known: [number, string][] = [
      [2000, '2000-04-23'],
      [2019, '2019-04-21'],
      [2024, '2024-03-31'],
      [2025, '2025-04-20'],
      [2026, '2026-04-05'],
      [2027, '2027-03-28'],
      [2038, '2038-04-25'],
      [2285, '2285-03-22'],
    ];
    for (const [year, date] of known) assert.equal(easterSunday(year), date, String(year));
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const date = easterSunday(year);
        const { month, day } = parseIsoDate(date);
        assert.equal(new Date(Date.UTC(year, month - 1, day)).getUTCDay(), 0);
        const md = date.slice(5);
        assert.ok(md >= '03-22' && md <= '04-25', date);
      }),
    );
  });

  it('refuses years outside the Gregorian range', () => {
    assert.throws(() => easterSunday(1582), RangeError);
    assert.throws(() => easterSunday(2026.5), RangeError);
  });
});

describe('nationalHolidays', () => {
  it('lists the 2025 holidays, without 4 October', () => {
    assert.deepEqual(
      nationalHolidays(2025).map((h) => h.date),
      [
        '2025-01-01',
        '2025-01-06',
        '2025-04-20',
        '2025-04-21',
        '2025-04-25',
        '2025-05-01',
        '2025-06-02',
        '2025-08-15',
        '2025-11-01',
        '2025-12-08',
        '2025-12-25',
        '2025-12-26',
      ],
    );
  });

  it('adds San Francesco (4 October) from 2026, L. 151/2025', () => {
    const h2026 = nationalHolidays(2026);
    assert.equal(h2026.length, 13);
    assert.ok(h2026.some((h) => h.date === '2026-10-04' && h.name.startsWith('San Francesco')));
    assert.ok(isHoliday('2027-10-04'));
    assert.ok(!isHoliday('2025-10-04'));
  });

  it('puts Easter Monday the day after Easter, also across months', () => {
    const h2024 = nationalHolidays(2024);
    assert.ok(h2024.some((h) => h.date === '2024-03-31' && h.name === 'Pasqua'));
    assert.ok(h2024.some((h) => h.date === '2024-04-01' && h.name.startsWith("Lunedì dell'Angelo")));
  });

  it('merges Easter falling on 25 April into one entry', () => {
    const h2011 = nationalHolidays(2011).filter((h) => h.date === '2011-04-25');
    assert.deepEqual(h2011, [
      { date: '2011-04-25', name: "Festa della Liberazione / Lunedì dell'Angelo (Pasquetta)" },
    ]);
    assert.equal(holidayName('2038-04-25'), 'Festa della Liberazione / Pasqua');
  });

  it('is sorted, without duplicates, and returns fresh copies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
        const dates = nationalHolidays(year).map((h) => h.date);
        assert.deepEqual([...dates].sort(), dates);
        assert.equal(new Set(dates).size, dates.length);
      }),
    );
    const a = nationalHolidays(2026);
    const first = a[0];
    assert.ok(first);
    first.name = 'changed';
    assert.equal(nationalHolidays(2026)[0]?.name, 'Capodanno');
  });
});

describe('isHoliday / holidayName', () => {
  it('knows national holidays and working days', () => {
    assert.equal(holidayName('2026-12-26'), 'Santo Stefano');
    assert.ok(isHoliday('2026-04-06'));
    assert.ok(!isHoliday('2026-04-07'));
    assert.ok(!isHoliday('2026-03-01'), 'Sundays are not listed');
  });

  it('adds the patron saint only for that municipality', () => {
    assert.ok(isHoliday('2026-01-29', '054039'));
    assert.ok(!isHoliday('2026-01-29', '055032'));
    assert.ok(!isHoliday('2026-01-29'));
    assert.ok(isHoliday('2026-02-14', '055032'));
    assert.ok(isHoliday('2026-01-24', '054018'));
    assert.equal(holidayName('2026-01-24', '054018'), 'San Feliciano, patrono di Foligno');
    assert.ok(!isHoliday('2026-01-24', '999999'));
    assert.equal(patronSaintHoliday('999999', 2026), null);
    assert.deepEqual(Object.keys(PATRON_SAINT_DAYS).sort(), ['054018', '054039', '055032']);
  });

  it('refuses malformed dates', () => {
    assert.throws(() => isHoliday('2026-02-30'), RangeError);
    assert.throws(() => isHoliday('26-01-01'), RangeError);
    assert.throws(() => isHoliday('2026-1-1'), RangeError);
  });
});
