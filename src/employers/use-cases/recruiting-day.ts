/**
 * Recruiting days and virtual fairs by sector (§1.4, §2.2, §3.6): a CPI operator creates, publishes
 * and cancels an event; companies join it and open interview slots; signed-in people book one slot
 * per company per event; operators and companies mark attendance. Every query is scoped to the
 * actor's Region; another Region's event, slot or booking is "not found".
 */
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { appointmentCalendar } from '../../agenda/adapters/icalendar.ts';
import { romeWallTimeToUtc, zonedDate } from '../../agenda/domain/slots.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { isLang, translator } from '../../platform/i18n/i18n.ts';
import type { EmployerDeps } from '../deps.ts';
import { type Interval, slotBatch, timeOf } from '../domain/recruiting-day.ts';

type Deps = Pick<EmployerDeps, 'db' | 'audit' | 'notifier' | 'config'>;

/** The person's notice that an interview is off, with the iCalendar CANCEL of the invitation (same UID). */
async function emailBookingCancelled(
  deps: Deps,
  trx: Tx,
  m: {
    bookingId: string;
    to: string;
    subject: string;
    text: string;
    startsAt: Date;
    endsAt: Date;
    title: string;
    location: string;
    organizer: { name: string; email: string };
    attendee: { name: string; email: string };
  },
): Promise<void> {
  await deps.notifier.email(trx, {
    key: `recruiting-day:booking:${m.bookingId}:cancelled`,
    to: m.to,
    subject: m.subject,
    text: m.text,
    calendar: {
      method: 'CANCEL',
      content: appointmentCalendar({
        uid: `rd-${m.bookingId}@sportello-lavoro`,
        sequence: 1,
        method: 'CANCEL',
        startsAt: m.startsAt,
        endsAt: m.endsAt,
        summary: m.title,
        description: m.text,
        location: m.location,
        organizer: m.organizer,
        attendee: m.attendee,
      }),
    },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export type DayMode = 'virtual' | 'in_person';
export type DayInput = {
  title: string;
  sector: string;
  day: string;
  mode: DayMode;
  venue: string | null;
  municipalityCode: string | null;
  description: string | null;
};

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The video room of one booking: an HMAC of its id, so only who holds the link can join. */
export function recruitingVideoLink(
  config: { sessionSecret: string; videoBaseUrl: string },
  bookingId: string,
) {
  const room = createHmac('sha256', config.sessionSecret)
    .update(`recruiting-day:${bookingId}`)
    .digest('base64url')
    .slice(0, 24);
  return `${config.videoBaseUrl.replace(/\/?$/, '/')}SportelloLavoro-RD-${room}`;
}

export async function municipalitiesOf(db: Db, regionCode: string) {
  return db
    .selectFrom('municipalities')
    .select(['istat_code', 'name'])
    .where('region_code', '=', regionCode)
    .orderBy('name')
    .execute();
}

// ── Operator ────────────────────────────────────────────────────────────────────────────────────

export async function createDay(
  deps: Deps,
  user: SessionUser,
  input: DayInput,
  today: string,
): Promise<{ ok: true; id: string } | { ok: false; field: string; error: string }> {
  if (!user.officeId) return { ok: false, field: 'title', error: 'no_office' };
  if (input.day < today) return { ok: false, field: 'day', error: 'pastDay' };
  if (input.mode === 'in_person') {
    if (!input.venue) return { ok: false, field: 'venue', error: 'venue' };
    const m = input.municipalityCode
      ? await deps.db
          .selectFrom('municipalities')
          .select('istat_code')
          .where('region_code', '=', user.regionCode)
          .where('istat_code', '=', input.municipalityCode)
          .executeTakeFirst()
      : undefined;
    if (!m) return { ok: false, field: 'municipality', error: 'municipality' };
  }
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('recruiting_days')
      .values({
        region_code: user.regionCode,
        title: input.title,
        sector: input.sector,
        day: input.day,
        mode: input.mode,
        office_id: user.officeId as string,
        venue: input.mode === 'in_person' ? input.venue : null,
        municipality_code: input.mode === 'in_person' ? input.municipalityCode : null,
        description: input.description,
        created_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'recruiting_day.created',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'recruiting_day',
        objectId: row.id,
      },
      trx,
    );
    return row.id;
  });
  return { ok: true, id };
}

export async function daysOfRegion(db: Db, regionCode: string) {
  return db
    .selectFrom('recruiting_days as d')
    .leftJoin('municipalities as m', 'm.istat_code', 'd.municipality_code')
    .select([
      'd.id',
      'd.title',
      'd.sector',
      'd.day',
      'd.mode',
      'd.venue',
      'd.status',
      'd.description',
      'd.office_id',
      'm.name as municipality',
    ])
    .where('d.region_code', '=', regionCode)
    .orderBy('d.day', 'desc')
    .orderBy('d.id')
    .execute();
}

export async function dayOf(db: Db | Tx, regionCode: string, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('recruiting_days as d')
    .leftJoin('municipalities as m', 'm.istat_code', 'd.municipality_code')
    .innerJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 'd.region_code').onRef('o.id', '=', 'd.office_id'),
    )
    .select([
      'd.id',
      'd.region_code',
      'd.title',
      'd.sector',
      'd.day',
      'd.mode',
      'd.venue',
      'd.status',
      'd.description',
      'm.name as municipality',
      'o.name as office',
      'o.email as office_email',
    ])
    .where('d.region_code', '=', regionCode)
    .where('d.id', '=', id)
    .executeTakeFirst();
}

export async function publishDay(
  deps: Deps,
  user: SessionUser,
  id: string,
): Promise<'ok' | 'not_found' | 'state'> {
  if (!isUuid(id)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const day = await dayOf(trx, user.regionCode, id);
    if (!day) return 'not_found';
    if (day.status !== 'draft') return 'state';
    await trx
      .updateTable('recruiting_days')
      .set({ status: 'published' })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'recruiting_day.published',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'recruiting_day',
        objectId: id,
      },
      trx,
    );
    return 'ok';
  });
}

/** Cancel the event: bookings are cancelled and every participant (people and companies) is e-mailed. */
export async function cancelDay(
  deps: Deps,
  user: SessionUser,
  id: string,
): Promise<'ok' | 'not_found' | 'state'> {
  if (!isUuid(id)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const day = await dayOf(trx, user.regionCode, id);
    if (!day) return 'not_found';
    if (day.status === 'cancelled') return 'state';
    await trx
      .updateTable('recruiting_days')
      .set({ status: 'cancelled' })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', id)
      .execute();
    const booked = await trx
      .updateTable('recruiting_day_bookings as b')
      .from('recruiting_day_slots as s')
      .set({ status: 'cancelled', updated_at: new Date() })
      .whereRef('s.region_code', '=', 'b.region_code')
      .whereRef('s.id', '=', 'b.slot_id')
      .where('s.region_code', '=', user.regionCode)
      .where('s.day_id', '=', id)
      .where('b.status', '=', 'booked')
      .returning(['b.id', 'b.citizen_id', 's.starts_at', 's.ends_at'])
      .execute();
    const people = booked.length
      ? await trx
          .selectFrom('users as u')
          .leftJoin('citizen_profiles as p', (j) =>
            j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
          )
          .select([
            'u.id',
            'u.given_name',
            'u.family_name',
            sql<string | null>`coalesce(p.email, u.email)`.as('email'),
            'u.preferred_language',
          ])
          .where('u.region_code', '=', user.regionCode)
          .where(
            'u.id',
            'in',
            booked.map((b) => b.citizen_id),
          )
          .execute()
      : [];
    const byId = new Map(people.map((p) => [p.id, p]));
    // Each booking: a notice with the iCalendar CANCEL of the invitation sent at booking (same UID).
    for (const b of booked) {
      const p = byId.get(b.citizen_id);
      if (!p?.email) continue;
      const t = translator(isLang(p.preferred_language) ? p.preferred_language : 'it');
      await emailBookingCancelled(deps, trx, {
        bookingId: b.id,
        to: p.email,
        subject: t('recruiting.mail.cancelledSubject', { title: day.title }),
        text: t('recruiting.mail.cancelledText', { title: day.title, day: isoDay(day.day) }),
        startsAt: b.starts_at,
        endsAt: b.ends_at,
        title: day.title,
        location: day.mode === 'virtual' ? '' : `${day.venue ?? ''}, ${day.municipality ?? ''}`,
        organizer: { name: day.office, email: day.office_email },
        attendee: { name: `${p.given_name} ${p.family_name}`, email: p.email },
      });
    }
    const companyUsers = await trx
      .selectFrom('recruiting_day_companies as c')
      .innerJoin('users as u', (j) =>
        j.onRef('u.region_code', '=', 'c.region_code').onRef('u.company_id', '=', 'c.company_id'),
      )
      .select(['u.id', 'u.email', 'u.preferred_language'])
      .where('c.region_code', '=', user.regionCode)
      .where('c.day_id', '=', id)
      .where('u.role', '=', 'employer')
      .where('u.disabled_at', 'is', null)
      .execute();
    for (const p of companyUsers) {
      if (!p.email) continue;
      const t = translator(isLang(p.preferred_language) ? p.preferred_language : 'it');
      await deps.notifier.email(trx, {
        key: `recruiting-day:${id}:cancelled:${p.id}`,
        to: p.email,
        subject: t('recruiting.mail.cancelledSubject', { title: day.title }),
        text: t('recruiting.mail.cancelledText', { title: day.title, day: isoDay(day.day) }),
      });
    }
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'recruiting_day.cancelled',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'recruiting_day',
        objectId: id,
        details: { bookings: booked.length },
      },
      trx,
    );
    return 'ok';
  });
}

// ── Public ──────────────────────────────────────────────────────────────────────────────────────

export async function publishedDays(db: Db, regionCode: string, today: string) {
  return db
    .selectFrom('recruiting_days as d')
    .leftJoin('municipalities as m', 'm.istat_code', 'd.municipality_code')
    .select([
      'd.id',
      'd.title',
      'd.sector',
      'd.day',
      'd.mode',
      'd.venue',
      'd.status',
      'm.name as municipality',
    ])
    .where('d.region_code', '=', regionCode)
    .where('d.status', '=', 'published')
    .where('d.day', '>=', new Date(`${today}T00:00:00Z`))
    .orderBy('d.day')
    .orderBy('d.id')
    .execute();
}

/** The event's companies and their slots, each with whether it is free (no names of who booked). */
export async function daySlots(db: Db | Tx, regionCode: string, dayId: string) {
  const companies = await db
    .selectFrom('recruiting_day_companies as c')
    .innerJoin('companies as co', (j) =>
      j.onRef('co.region_code', '=', 'c.region_code').onRef('co.id', '=', 'c.company_id'),
    )
    .select(['c.company_id', 'co.name'])
    .where('c.region_code', '=', regionCode)
    .where('c.day_id', '=', dayId)
    .orderBy('co.name')
    .execute();
  const slots = await db
    .selectFrom('recruiting_day_slots as s')
    .leftJoin('vacancies as v', (j) =>
      j.onRef('v.region_code', '=', 's.region_code').onRef('v.id', '=', 's.vacancy_id'),
    )
    .leftJoin('recruiting_day_bookings as b', (j) =>
      j
        .onRef('b.region_code', '=', 's.region_code')
        .onRef('b.slot_id', '=', 's.id')
        .on('b.status', '<>', 'cancelled'),
    )
    .select(['s.id', 's.company_id', 's.starts_at', 's.ends_at', 'v.title as vacancy', 'b.citizen_id'])
    .where('s.region_code', '=', regionCode)
    .where('s.day_id', '=', dayId)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute();
  return companies.map((c) => ({
    companyId: c.company_id,
    name: c.name,
    slots: slots
      .filter((s) => s.company_id === c.company_id)
      .map((s) => ({
        id: s.id,
        startsAt: s.starts_at,
        endsAt: s.ends_at,
        vacancy: s.vacancy,
        free: s.citizen_id === null,
        bookedBy: s.citizen_id,
      })),
  }));
}

// ── Employer ────────────────────────────────────────────────────────────────────────────────────

export async function joinedDayIds(db: Db, user: SessionUser): Promise<Set<string>> {
  if (!user.companyId) return new Set();
  const rows = await db
    .selectFrom('recruiting_day_companies')
    .select('day_id')
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId)
    .execute();
  return new Set(rows.map((r) => r.day_id));
}

export async function joinDay(deps: Deps, user: SessionUser, dayId: string, today: string) {
  if (!user.companyId || !isUuid(dayId)) return 'not_found' as const;
  const day = await dayOf(deps.db, user.regionCode, dayId);
  if (!day) return 'not_found' as const;
  if (day.status !== 'published' || isoDay(day.day) < today) return 'state' as const;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('recruiting_day_companies')
      .values({ region_code: user.regionCode, day_id: dayId, company_id: user.companyId as string })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'recruiting_day.joined',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'recruiting_day',
        objectId: dayId,
      },
      trx,
    );
  });
  return 'ok' as const;
}

export async function companyVacancies(db: Db, user: SessionUser) {
  if (!user.companyId) return [];
  return db
    .selectFrom('vacancies')
    .select(['id', 'title'])
    .where('region_code', '=', user.regionCode)
    .where('company_id', '=', user.companyId)
    .where('status', '=', 'published')
    .orderBy('title')
    .execute();
}

export type SlotsResult =
  | { ok: true; count: number }
  | {
      ok: false;
      error:
        | 'not_found'
        | 'state'
        | 'vacancy'
        | 'time'
        | 'order'
        | 'length'
        | 'outside_day'
        | 'overlap'
        | 'too_many';
    };

/** Add a batch of interview slots for the employer's company (which must have joined the event). */
export async function addSlots(
  deps: Deps,
  user: SessionUser,
  dayId: string,
  input: { from: string; to: string; length: number; vacancyId: string | null },
): Promise<SlotsResult> {
  if (!user.companyId || !isUuid(dayId)) return { ok: false, error: 'not_found' };
  const companyId = user.companyId;
  return deps.db.transaction().execute(async (trx): Promise<SlotsResult> => {
    const day = await dayOf(trx, user.regionCode, dayId);
    if (!day) return { ok: false, error: 'not_found' };
    const joined = await trx
      .selectFrom('recruiting_day_companies')
      .select('day_id')
      .where('region_code', '=', user.regionCode)
      .where('day_id', '=', dayId)
      .where('company_id', '=', companyId)
      .forUpdate()
      .executeTakeFirst();
    if (!joined) return { ok: false, error: 'not_found' };
    if (day.status !== 'published') return { ok: false, error: 'state' };
    if (input.vacancyId) {
      const v = isUuid(input.vacancyId)
        ? await trx
            .selectFrom('vacancies')
            .select('id')
            .where('region_code', '=', user.regionCode)
            .where('company_id', '=', companyId)
            .where('id', '=', input.vacancyId)
            .executeTakeFirst()
        : undefined;
      if (!v) return { ok: false, error: 'vacancy' };
    }
    const date = isoDay(day.day);
    const midnight = romeWallTimeToUtc(date, '00:00').getTime();
    const existing: Interval[] = (
      await trx
        .selectFrom('recruiting_day_slots')
        .select(['starts_at', 'ends_at'])
        .where('region_code', '=', user.regionCode)
        .where('day_id', '=', dayId)
        .where('company_id', '=', companyId)
        .execute()
    ).map((s) => ({
      start: Math.round((s.starts_at.getTime() - midnight) / 60_000),
      end: Math.round((s.ends_at.getTime() - midnight) / 60_000),
    }));
    const batch = slotBatch(input.from, input.to, input.length, existing);
    if (!batch.ok) return { ok: false, error: batch.error };
    const values = batch.slots.map((s) => {
      const startsAt = romeWallTimeToUtc(date, timeOf(s.start));
      return {
        region_code: user.regionCode,
        day_id: dayId,
        company_id: companyId,
        vacancy_id: input.vacancyId,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + (s.end - s.start) * 60_000),
      };
    });
    await trx.insertInto('recruiting_day_slots').values(values).execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'recruiting_day.slots_added',
        outcome: 'ok',
        actor: actorOf(user),
        objectType: 'recruiting_day',
        objectId: dayId,
        details: { count: values.length, from: input.from, to: input.to, length: input.length },
      },
      trx,
    );
    return { ok: true, count: values.length };
  });
}

// ── Citizen ─────────────────────────────────────────────────────────────────────────────────────

export type BookResult =
  | { ok: true; bookingId: string }
  | { ok: false; error: 'not_found' | 'cancelled' | 'past' | 'taken' | 'one_per_company' };

/** Book one free slot; one live booking per company per event; the unique index settles races. */
export async function bookSlot(
  deps: Deps,
  user: SessionUser,
  dayId: string,
  slotId: string,
  now = new Date(),
) {
  if (!isUuid(dayId) || !isUuid(slotId)) return { ok: false, error: 'not_found' } as BookResult;
  let result: BookResult;
  try {
    result = await deps.db.transaction().execute(async (trx): Promise<BookResult> => {
      const slot = await trx
        .selectFrom('recruiting_day_slots as s')
        .innerJoin('recruiting_days as d', (j) =>
          j.onRef('d.region_code', '=', 's.region_code').onRef('d.id', '=', 's.day_id'),
        )
        .select(['s.id', 's.company_id', 's.starts_at', 'd.status'])
        .where('s.region_code', '=', user.regionCode)
        .where('s.id', '=', slotId)
        .where('s.day_id', '=', dayId)
        .executeTakeFirst();
      if (!slot || slot.status === 'draft') return { ok: false, error: 'not_found' };
      if (slot.status === 'cancelled') return { ok: false, error: 'cancelled' };
      if (slot.starts_at <= now) return { ok: false, error: 'past' };
      // One person, one company, one event: serialise this person's bookings with that company.
      await sql`select pg_advisory_xact_lock(hashtext(${`rd:${user.id}:${dayId}:${slot.company_id}`}))`.execute(
        trx,
      );
      const already = await trx
        .selectFrom('recruiting_day_bookings as b')
        .innerJoin('recruiting_day_slots as s', (j) =>
          j.onRef('s.region_code', '=', 'b.region_code').onRef('s.id', '=', 'b.slot_id'),
        )
        .select('b.id')
        .where('b.region_code', '=', user.regionCode)
        .where('b.citizen_id', '=', user.id)
        .where('b.status', '<>', 'cancelled')
        .where('s.day_id', '=', dayId)
        .where('s.company_id', '=', slot.company_id)
        .executeTakeFirst();
      if (already) return { ok: false, error: 'one_per_company' };
      const row = await trx
        .insertInto('recruiting_day_bookings')
        .values({ region_code: user.regionCode, slot_id: slotId, citizen_id: user.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await deps.audit.record(
        {
          regionCode: user.regionCode,
          action: 'recruiting_day.booked',
          outcome: 'ok',
          actor: actorOf(user),
          subjectId: user.id,
          objectType: 'recruiting_day_booking',
          objectId: row.id,
        },
        trx,
      );
      await notifyBooking(deps, trx, user.regionCode, row.id);
      return { ok: true, bookingId: row.id };
    });
  } catch (e) {
    const err = e as { code?: string; constraint?: string };
    if (err.code === '23505' && err.constraint === 'recruiting_day_bookings_slot')
      return { ok: false, error: 'taken' } as BookResult;
    throw e;
  }
  return result;
}

async function notifyBooking(deps: Deps, trx: Tx, regionCode: string, bookingId: string) {
  const b = await trx
    .selectFrom('recruiting_day_bookings as b')
    .innerJoin('recruiting_day_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'b.region_code').onRef('s.id', '=', 'b.slot_id'),
    )
    .innerJoin('recruiting_days as d', (j) =>
      j.onRef('d.region_code', '=', 's.region_code').onRef('d.id', '=', 's.day_id'),
    )
    .innerJoin('companies as co', (j) =>
      j.onRef('co.region_code', '=', 's.region_code').onRef('co.id', '=', 's.company_id'),
    )
    .innerJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 'd.region_code').onRef('o.id', '=', 'd.office_id'),
    )
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'b.region_code').onRef('u.id', '=', 'b.citizen_id'),
    )
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'd.municipality_code')
    .select([
      'b.id',
      's.starts_at',
      's.ends_at',
      'd.id as day_id',
      'd.title',
      'd.mode',
      'd.venue',
      'm.name as municipality',
      'co.name as company',
      'o.name as office',
      'o.email as office_email',
      'u.given_name',
      'u.family_name',
      'u.preferred_language',
      sql<string | null>`coalesce(p.email, u.email)`.as('email'),
    ])
    .where('b.region_code', '=', regionCode)
    .where('b.id', '=', bookingId)
    .executeTakeFirstOrThrow();
  if (!b.email) return;
  const lang = isLang(b.preferred_language) ? b.preferred_language : 'it';
  const t = translator(lang);
  const when = dateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(b.starts_at);
  const where =
    b.mode === 'virtual'
      ? recruitingVideoLink(deps.config, b.id)
      : `${b.venue ?? ''}, ${b.municipality ?? ''}`;
  const lines = [
    t('recruiting.mail.bookedIntro', { name: b.given_name }),
    '',
    `${b.title} — ${b.company}`,
    when,
    `${t(b.mode === 'virtual' ? 'recruiting.mail.videoLink' : 'recruiting.mail.place')}: ${where}`,
    '',
    `${deps.config.publicUrl}/recruiting-day/${b.day_id}`,
  ];
  const calendar = appointmentCalendar({
    uid: `rd-${b.id}@sportello-lavoro`,
    sequence: 0,
    method: 'REQUEST',
    startsAt: b.starts_at,
    endsAt: b.ends_at,
    summary: `${b.title} — ${b.company}`,
    description: lines.join('\n'),
    location: where,
    ...(b.mode === 'virtual' ? { url: recruitingVideoLink(deps.config, b.id) } : {}),
    organizer: { name: b.office, email: b.office_email },
    attendee: { name: `${b.given_name} ${b.family_name}`, email: b.email },
  });
  await deps.notifier.email(trx, {
    key: `recruiting-day:booking:${b.id}:booked`,
    to: b.email,
    subject: t('recruiting.mail.bookedSubject', { title: b.title, when }),
    text: lines.join('\n'),
    calendar: { method: 'REQUEST', content: calendar },
  });
}

/** The person's bookings (newest events first), with the video link when the event is virtual. */
export async function myBookings(deps: Pick<Deps, 'db' | 'config'>, user: SessionUser) {
  const rows = await deps.db
    .selectFrom('recruiting_day_bookings as b')
    .innerJoin('recruiting_day_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'b.region_code').onRef('s.id', '=', 'b.slot_id'),
    )
    .innerJoin('recruiting_days as d', (j) =>
      j.onRef('d.region_code', '=', 's.region_code').onRef('d.id', '=', 's.day_id'),
    )
    .innerJoin('companies as co', (j) =>
      j.onRef('co.region_code', '=', 's.region_code').onRef('co.id', '=', 's.company_id'),
    )
    .select([
      'b.id',
      'b.status',
      's.starts_at',
      'd.id as day_id',
      'd.title',
      'd.mode',
      'd.status as day_status',
      'co.name as company',
    ])
    .where('b.region_code', '=', user.regionCode)
    .where('b.citizen_id', '=', user.id)
    .orderBy('s.starts_at', 'desc')
    .execute();
  return rows.map((r) => ({
    ...r,
    videoLink: r.mode === 'virtual' && r.status === 'booked' ? recruitingVideoLink(deps.config, r.id) : null,
  }));
}

// ── Bookings seen by the operator and the companies; attendance ───────────────────────────────

/** Bookings of an event (all companies for an operator, its own for a company); audited personal reads. */
export async function dayBookings(
  deps: Pick<Deps, 'db' | 'audit' | 'config'>,
  user: SessionUser,
  dayId: string,
) {
  if (!isUuid(dayId)) return [];
  let q = deps.db
    .selectFrom('recruiting_day_bookings as b')
    .innerJoin('recruiting_day_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'b.region_code').onRef('s.id', '=', 'b.slot_id'),
    )
    .innerJoin('recruiting_days as d', (j) =>
      j.onRef('d.region_code', '=', 's.region_code').onRef('d.id', '=', 's.day_id'),
    )
    .innerJoin('companies as co', (j) =>
      j.onRef('co.region_code', '=', 's.region_code').onRef('co.id', '=', 's.company_id'),
    )
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'b.region_code').onRef('u.id', '=', 'b.citizen_id'),
    )
    .select([
      'b.id',
      'b.status',
      'b.citizen_id',
      's.starts_at',
      'd.mode',
      'co.name as company',
      'u.given_name',
      'u.family_name',
    ])
    .where('b.region_code', '=', user.regionCode)
    .where('s.day_id', '=', dayId)
    .where('b.status', '<>', 'cancelled');
  if (user.role === 'employer')
    q = q.where('s.company_id', '=', user.companyId ?? '00000000-0000-0000-0000-000000000000');
  const rows = await q.orderBy('s.starts_at').orderBy('b.id').execute();
  await deps.audit.recordReads(
    actorOf(user),
    'recruiting_day_booking',
    'recruiting_day',
    rows.map((r) => ({ subjectId: r.citizen_id, objectId: r.id })),
  );
  return rows.map((r) => ({
    ...r,
    videoLink: r.mode === 'virtual' ? recruitingVideoLink(deps.config, r.id) : null,
  }));
}

export async function markAttendance(
  deps: Deps,
  user: SessionUser,
  bookingId: string,
  status: 'attended' | 'no_show',
  now = new Date(),
): Promise<{ ok: true; dayId: string } | { ok: false; error: 'not_found' | 'future' }> {
  if (!isUuid(bookingId)) return { ok: false, error: 'not_found' };
  return deps.db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('recruiting_day_bookings as b')
      .innerJoin('recruiting_day_slots as s', (j) =>
        j.onRef('s.region_code', '=', 'b.region_code').onRef('s.id', '=', 'b.slot_id'),
      )
      .select(['b.id', 'b.citizen_id', 'b.status', 's.day_id', 's.starts_at'])
      .where('b.region_code', '=', user.regionCode)
      .where('b.id', '=', bookingId)
      .where('b.status', '<>', 'cancelled');
    if (user.role === 'employer')
      q = q.where('s.company_id', '=', user.companyId ?? '00000000-0000-0000-0000-000000000000');
    const b = await q.executeTakeFirst();
    if (!b) return { ok: false as const, error: 'not_found' as const };
    if (b.starts_at > now) return { ok: false as const, error: 'future' as const };
    await trx
      .updateTable('recruiting_day_bookings')
      .set({ status, updated_at: now })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', bookingId)
      .execute();
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'recruiting_day.attendance',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: b.citizen_id,
        objectType: 'recruiting_day_booking',
        objectId: bookingId,
        details: { status },
      },
      trx,
    );
    return { ok: true as const, dayId: b.day_id };
  });
}

export function todayRome(now = new Date()): string {
  return zonedDate(now);
}

/** The person cancels their own future booking: the slot is free again; the invitation is withdrawn. */
export async function cancelBooking(
  deps: Deps,
  user: SessionUser,
  bookingId: string,
  now = new Date(),
): Promise<'ok' | 'not_found' | 'past'> {
  if (!isUuid(bookingId)) return 'not_found';
  return deps.db.transaction().execute(async (trx) => {
    const b = await trx
      .selectFrom('recruiting_day_bookings as b')
      .innerJoin('recruiting_day_slots as s', (j) =>
        j.onRef('s.region_code', '=', 'b.region_code').onRef('s.id', '=', 'b.slot_id'),
      )
      .innerJoin('recruiting_days as d', (j) =>
        j.onRef('d.region_code', '=', 's.region_code').onRef('d.id', '=', 's.day_id'),
      )
      .innerJoin('offices as o', (j) =>
        j.onRef('o.region_code', '=', 'd.region_code').onRef('o.id', '=', 'd.office_id'),
      )
      .innerJoin('users as u', (j) =>
        j.onRef('u.region_code', '=', 'b.region_code').onRef('u.id', '=', 'b.citizen_id'),
      )
      .leftJoin('citizen_profiles as p', (j) =>
        j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
      )
      .select([
        'b.id',
        's.starts_at',
        's.ends_at',
        'd.title',
        'o.name as office',
        'o.email as office_email',
        'u.given_name',
        'u.family_name',
        'u.preferred_language',
        sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      ])
      .where('b.region_code', '=', user.regionCode)
      .where('b.id', '=', bookingId)
      .where('b.citizen_id', '=', user.id)
      .where('b.status', '=', 'booked')
      .forUpdate('b')
      .executeTakeFirst();
    if (!b) return 'not_found';
    if (b.starts_at <= now) return 'past';
    await trx
      .updateTable('recruiting_day_bookings')
      .set({ status: 'cancelled', updated_at: now })
      .where('region_code', '=', user.regionCode)
      .where('id', '=', bookingId)
      .execute();
    if (b.email) {
      const t = translator(isLang(b.preferred_language) ? b.preferred_language : 'it');
      await emailBookingCancelled(deps, trx, {
        bookingId: b.id,
        to: b.email,
        subject: t('recruiting.mail.bookingCancelledSubject', { title: b.title }),
        text: t('recruiting.mail.bookingCancelledText', { title: b.title }),
        startsAt: b.starts_at,
        endsAt: b.ends_at,
        title: b.title,
        location: '',
        organizer: { name: b.office, email: b.office_email },
        attendee: { name: `${b.given_name} ${b.family_name}`, email: b.email },
      });
    }
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: 'recruiting_day.booking_cancelled',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: user.id,
        objectType: 'recruiting_day_booking',
        objectId: bookingId,
      },
      trx,
    );
    return 'ok';
  });
}
