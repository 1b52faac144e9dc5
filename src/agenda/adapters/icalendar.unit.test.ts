import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AppointmentCalendarInput, appointmentCalendar } from './icalendar.ts';

const base: AppointmentCalendarInput = {
  uid: 'appt-42@sportello-lavoro.example',
  sequence: 0,
  method: 'REQUEST',
  startsAt: new Date('2026-03-30T07:00:00Z'),
  endsAt: new Date('2026-03-30T07:30:00Z'),
  summary: 'Colloquio al Centro per l’impiego; patto di servizio, DID',
  description:
    'Porta un documento d’identità e la tessera sanitaria. Se non puoi venire, disdici dall’area personale: ' +
    'il posto tornerà disponibile per altre persone. Città, università, perché: àèéìòù.',
  location: 'CPI Perugia, Via Palermo 86/A, 06124 Perugia',
  url: 'https://sportello-lavoro.example/appuntamenti/42',
  organizer: { name: 'CPI Perugia', email: 'cpi.perugia@example.org' },
  attendee: { name: 'Maria Rossi', email: 'maria.rossi@example.org' },
  stamp: new Date('2026-03-01T10:00:00Z'),
};

/** Unfolds RFC 5545 lines (CRLF + one space or tab continues the previous line). */
function unfold(text: string): string[] {
  return text.replace(/\r\n[ \t]/g, '').split('\r\n');
}

describe('appointmentCalendar', () => {
  it('builds a REQUEST with UID, SEQUENCE, Rome times and a VTIMEZONE', () => {
    const lines = unfold(appointmentCalendar(base));
    assert.equal(lines[0], 'BEGIN:VCALENDAR');
    for (const expected of [
      'METHOD:REQUEST',
      'UID:appt-42@sportello-lavoro.example',
      'SEQUENCE:0',
      'STATUS:CONFIRMED',
      'DTSTAMP:20260301T100000Z',
      'DTSTART;TZID=Europe/Rome:20260330T090000',
      'DTEND;TZID=Europe/Rome:20260330T093000',
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Rome',
      'LOCATION:CPI Perugia\\, Via Palermo 86/A\\, 06124 Perugia',
      'ORGANIZER;CN="CPI Perugia":mailto:cpi.perugia@example.org',
      'URL;VALUE=URI:https://sportello-lavoro.example/appuntamenti/42',
      'END:VCALENDAR',
    ]) {
      assert.ok(lines.includes(expected), `missing ${expected}`);
    }
    assert.ok(lines.some((l) => l.startsWith('ATTENDEE;') && l.endsWith(':MAILTO:maria.rossi@example.org')));
    assert.ok(lines.some((l) => l.startsWith('SUMMARY:') && l.includes('\\; patto di servizio\\, DID')));
  });

  it('builds a CANCEL with STATUS:CANCELLED and the new SEQUENCE', () => {
    const text = appointmentCalendar({ ...base, method: 'CANCEL', sequence: 2 });
    const lines = unfold(text);
    assert.ok(lines.includes('METHOD:CANCEL'));
    assert.ok(lines.includes('STATUS:CANCELLED'));
    assert.ok(lines.includes('SEQUENCE:2'));
    assert.ok(lines.includes('UID:appt-42@sportello-lavoro.example'));
    assert.ok(!lines.includes('STATUS:CONFIRMED'));
  });

  it('uses CET in winter and does not depend on the server time zone', () => {
    const previous = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const lines = unfold(
        appointmentCalendar({
          ...base,
          startsAt: new Date('2026-01-15T08:00:00Z'),
          endsAt: new Date('2026-01-15T08:45:00Z'),
        }),
      );
      assert.ok(lines.includes('DTSTART;TZID=Europe/Rome:20260115T090000'));
      assert.ok(lines.includes('DTEND;TZID=Europe/Rome:20260115T094500'));
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('folds lines at 75 octets and ends every line with CRLF', () => {
    const text = appointmentCalendar({ ...base, description: `${base.description} `.repeat(5) });
    assert.ok(text.endsWith('END:VCALENDAR\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'bare LF');
    const physical = text.split('\r\n');
    assert.ok(
      physical.some((l) => l.startsWith(' ')),
      'expected folded lines',
    );
    for (const line of physical) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `too long: ${line}`);
    // Folding counts octets but never splits a character: unfolding gives the text back.
    assert.ok(unfold(text).some((l) => l.includes('àèéìòù')));
  });

  it('refuses bad input', () => {
    assert.throws(() => appointmentCalendar({ ...base, sequence: -1 }), RangeError);
    assert.throws(() => appointmentCalendar({ ...base, sequence: 1.5 }), RangeError);
    assert.throws(() => appointmentCalendar({ ...base, endsAt: base.startsAt }), RangeError);
    assert.throws(() => appointmentCalendar({ ...base, uid: ' ' }), RangeError);
    assert.throws(() => appointmentCalendar({ ...base, startsAt: new Date(Number.NaN) }), RangeError);
  });
});
