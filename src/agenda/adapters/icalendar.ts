/**
 * iCalendar (RFC 5545) invitation for one appointment, with iTIP (RFC 5546) METHOD:REQUEST to send or
 * update it and METHOD:CANCEL to cancel it. Built with ical-generator 10 (the last major that runs on
 * Node 20; 11 needs Node 22).
 *
 * Times: DTSTART/DTEND carry TZID=Europe/Rome and the Rome wall-clock time, and the calendar includes a
 * VTIMEZONE for Europe/Rome written here (no extra package): the EU rule in force since 1996 (CEST from
 * 01:00 UTC of the last Sunday of March to 01:00 UTC of the last Sunday of October). If the EU rule
 * changes, update EUROPE_ROME_VTIMEZONE. The wall-clock time is computed with Intl (the tz database),
 * never with the server's time zone: ical-generator would format a native Date with the process's local
 * zone, so the dates are handed over as Temporal-like ZonedDateTime objects (a shape ical-generator
 * supports and types). DTSTAMP stays in UTC.
 *
 * SEQUENCE: the caller keeps it per appointment, 0 for the first invitation, +1 for every later
 * REQUEST (new time, place…) and for the CANCEL; the UID never changes.
 */
import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  type ICalTemporalInstantStub,
  type ICalTemporalPlainDateTimeStub,
  type ICalTemporalZonedDateTimeStub,
} from 'ical-generator';
import { zonedParts, zonedWallTimeToUtc } from '../domain/slots.ts';

export const ICAL_TIME_ZONE = 'Europe/Rome';

export const EUROPE_ROME_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Rome',
  'X-LIC-LOCATION:Europe/Rome',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

export interface Person {
  name: string;
  email: string;
}

export interface AppointmentCalendarInput {
  /** Stable for the appointment's whole life, globally unique (e.g. '<appointment id>@<domain>'). */
  uid: string;
  /** 0 for the first REQUEST, incremented on every update and on the CANCEL. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description: string;
  location: string;
  url?: string;
  organizer: Person;
  attendee: Person;
  /** DTSTAMP (when this message was created); defaults to now. */
  stamp?: Date;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function instantStub(ms: number): ICalTemporalInstantStub {
  const iso = new Date(ms).toISOString();
  return {
    epochMilliseconds: ms,
    epochSeconds: Math.floor(ms / 1000),
    toJSON: () => iso,
    toString: () => iso,
    toZonedDateTimeISO: (timeZone) => zonedStub(ms, timeZone),
  };
}

function plainStub(ms: number, timeZone: string): ICalTemporalPlainDateTimeStub {
  const p = zonedParts(new Date(ms), timeZone);
  const text = `${p.date}T${p.time}:${pad(p.second)}`;
  return {
    year: p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
    toJSON: () => text,
    toString: () => text,
    toPlainDate: () => ({
      year: p.year,
      month: p.month,
      day: p.day,
      toJSON: () => p.date,
      toString: () => p.date,
    }),
    toZonedDateTime: (zone) =>
      zonedStub(zonedWallTimeToUtc(p.date, p.time, zone).getTime() + p.second * 1000, zone),
  };
}

/** The instant `ms` seen in `timeZone`, shaped like a Temporal.ZonedDateTime for ical-generator. */
function zonedStub(ms: number, timeZone: string): ICalTemporalZonedDateTimeStub {
  const p = zonedParts(new Date(ms), timeZone);
  const text = `${p.date}T${p.time}:${pad(p.second)}[${timeZone}]`;
  return {
    year: p.year,
    month: p.month,
    day: p.day,
    hour: p.hour,
    minute: p.minute,
    second: p.second,
    timeZoneId: timeZone,
    toInstant: () => instantStub(ms),
    toJSON: () => text,
    toString: () => text,
    toPlainDateTime: () => plainStub(ms, timeZone),
    withTimeZone: (zone) => zonedStub(ms, zone),
  };
}

function checkDate(d: Date, what: string): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${what}: invalid Date`);
  return ms;
}

/** The .ics text (CRLF line ends, lines folded at 75 octets) of an appointment's invitation or cancellation. */
export function appointmentCalendar(input: AppointmentCalendarInput): string {
  if (!Number.isInteger(input.sequence) || input.sequence < 0) {
    throw new RangeError(`sequence must be a non-negative integer: ${input.sequence}`);
  }
  if (input.uid.trim() === '') throw new RangeError('uid is empty');
  const start = checkDate(input.startsAt, 'startsAt');
  const end = checkDate(input.endsAt, 'endsAt');
  if (end <= start) throw new RangeError('endsAt must be after startsAt');
  const cancel = input.method === 'CANCEL';

  const calendar = ical({
    prodId: { company: 'Sportello Lavoro', product: 'Agenda', language: 'IT' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide name (it would also move DTSTAMP out of UTC); the event carries the TZID.
    timezone: { name: null, generator: (tz) => (tz === ICAL_TIME_ZONE ? EUROPE_ROME_VTIMEZONE : null) },
  });
  calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    stamp: input.stamp ?? new Date(),
    timezone: ICAL_TIME_ZONE,
    start: zonedStub(start, ICAL_TIME_ZONE),
    end: zonedStub(end, ICAL_TIME_ZONE),
    summary: input.summary,
    description: input.description,
    location: input.location,
    url: input.url ?? null,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: input.organizer.name, email: input.organizer.email },
    attendees: [
      {
        name: input.attendee.name,
        email: input.attendee.email,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
        rsvp: false,
      },
    ],
  });
  // RFC 5545 ends every content line, the last one included, with CRLF; ical-generator omits the last.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
