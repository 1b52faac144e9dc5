import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDay } from './format.ts';

test('a calendar day reads as Intl writes it in each language, the same the second time', () => {
  const days = [
    new Date('1985-03-12T00:00:00Z'),
    new Date('2000-02-29T00:00:00Z'),
    new Date('1931-12-31T00:00:00Z'),
  ];
  for (const lang of ['it', 'en', 'ar']) {
    const intl = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
    for (const day of days) {
      assert.equal(formatDay(lang, day), intl.format(day));
      assert.equal(formatDay(lang, day), intl.format(day));
    }
  }
  // A `date` column is midnight UTC: the day does not slip into the previous one in any zone.
  assert.equal(formatDay('it', days[0] as Date), '12 mar 1985');
  // The long style is kept apart from the medium one.
  const long = new Intl.DateTimeFormat('it', { dateStyle: 'long', timeZone: 'UTC' });
  assert.equal(formatDay('it', days[0] as Date, 'long'), long.format(days[0] as Date));
  assert.equal(formatDay('it', days[0] as Date), '12 mar 1985');
  // Each language keeps its own text for the same day.
  assert.notEqual(formatDay('en', days[0] as Date), formatDay('it', days[0] as Date));
});
