import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../../platform/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { isLang, type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import { appointmentCalendar } from '../adapters/icalendar.ts';
import { cancelAppointment } from './booking.ts';

/**
 * Confirmations and reminders that ask to confirm: e-mail (with the iCalendar invitation) and SMS,
 * each with one-click links that work without signing in. Links carry random 256-bit tokens kept
 * hashed, valid once and only until the appointment starts.
 */
export type AgendaNotifyDeps = { db: Db; notifier: Notifier; queue: Queue; config: Config };

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function videoLink(config: Config, appointmentId: string): string {
  const room = createHmac('sha256', config.sessionSecret)
    .update(`video:${appointmentId}`)
    .digest('base64url')
    .slice(0, 22);
  return `${config.videoBaseUrl.replace(/\/?$/, '/')}SportelloLavoro-${room}`;
}

async function details(db: Db | Tx, regionCode: string, appointmentId: string) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .innerJoin('offices as o', (j) =>
      j.onRef('o.region_code', '=', 's.region_code').onRef('o.id', '=', 's.office_id'),
    )
    .innerJoin('users as c', (j) =>
      j.onRef('c.region_code', '=', 'a.region_code').onRef('c.id', '=', 'a.citizen_id'),
    )
    .innerJoin('users as op', (j) =>
      j.onRef('op.region_code', '=', 's.region_code').onRef('op.id', '=', 's.operator_id'),
    )
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'a.region_code').onRef('p.user_id', '=', 'a.citizen_id'),
    )
    .select([
      'a.id',
      'a.status',
      'a.channel',
      'a.service_code',
      'a.sequence',
      's.starts_at',
      's.ends_at',
      'o.name as office',
      'o.address',
      'o.email as office_email',
      'c.given_name',
      'c.family_name',
      'c.preferred_language',
      sql<string | null>`coalesce(p.email, c.email)`.as('email'),
      sql<string | null>`coalesce(p.mobile, c.phone)`.as('mobile'),
      'op.given_name as op_given',
      'op.family_name as op_family',
    ])
    .where('a.region_code', '=', regionCode)
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
}

async function issueLinks(
  db: Db | Tx,
  config: Config,
  regionCode: string,
  appointmentId: string,
  sequence: number,
  expiresAt: Date,
) {
  const links: Record<'confirm' | 'cancel' | 'reschedule', string> = {
    confirm: '',
    cancel: '',
    reschedule: '',
  };
  for (const action of ['confirm', 'cancel', 'reschedule'] as const) {
    const token = randomBytes(32).toString('base64url');
    await db
      .insertInto('appointment_tokens')
      .values({
        token_hash: tokenHash(token),
        region_code: regionCode,
        appointment_id: appointmentId,
        action,
        sequence,
        expires_at: expiresAt,
      })
      .execute();
    links[action] = `${config.publicUrl}/appuntamento/${token}`;
  }
  return links;
}

/** Send the confirmation (on booking), a reminder, or a cancellation notice. */
export async function notifyAppointment(
  deps: AgendaNotifyDeps,
  regionCode: string,
  appointmentId: string,
  kind: 'booked' | 'moved' | 'reminder' | 'cancelled',
  tag = '',
  /** The transaction of the change, so the notice is committed with it (or not at all). */
  within?: Tx,
): Promise<boolean> {
  const { db, config, notifier } = deps;
  const a = await details(within ?? db, regionCode, appointmentId);
  if (!a) return false;
  if (kind !== 'cancelled' && (a.status !== 'booked' || a.starts_at <= new Date())) return false;
  const lang: Lang = isLang(a.preferred_language) ? a.preferred_language : 'it';
  const t = translator(lang);
  const when = dateTimeFormat(lang, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(a.starts_at);
  const service = t(`agenda.services.${a.service_code}`);
  const where =
    a.channel === 'in_person'
      ? `${a.office}, ${a.address}`
      : a.channel === 'video'
        ? videoLink(config, a.id)
        : t('agenda.notify.byPhone');
  const links =
    kind === 'cancelled'
      ? null
      : await issueLinks(within ?? db, config, regionCode, a.id, a.sequence, a.starts_at);
  const lines = [
    t(`agenda.notify.${kind}Intro`, { name: a.given_name }),
    '',
    `${service} — ${when}`,
    `${t(`agenda.channels.${a.channel}`)}: ${where}`,
    `${t('agenda.notify.with')}: ${a.op_given} ${a.op_family}`,
  ];
  if (links)
    lines.push(
      '',
      `${t('agenda.notify.confirm')}: ${links.confirm}`,
      `${t('agenda.notify.cancel')}: ${links.cancel}`,
      `${t('agenda.notify.reschedule')}: ${links.reschedule}`,
    );
  const calendar = appointmentCalendar({
    uid: `${a.id}@sportello-lavoro`,
    sequence: a.sequence,
    method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST',
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    summary: `${service} — Sportello Lavoro`,
    description: lines.join('\n'),
    location: where,
    ...(a.channel === 'video' ? { url: videoLink(config, a.id) } : {}),
    organizer: { name: a.office, email: a.office_email },
    attendee: { name: `${a.given_name} ${a.family_name}`, email: a.email ?? 'noreply@sportello.example' },
  });
  const key = `appointment:${a.id}:${kind}:${a.sequence}${tag}`;
  const queueNotices = async (trx: Tx) => {
    if (a.email) {
      await notifier.email(trx, {
        key,
        to: a.email,
        subject: `${t(`agenda.notify.${kind}Subject`)}: ${service}, ${when}`,
        text: lines.join('\n'),
        calendar: { method: kind === 'cancelled' ? 'CANCEL' : 'REQUEST', content: calendar },
      });
    }
    if (a.mobile) {
      const sms = links
        ? `${t(`agenda.notify.${kind}Sms`, { service, when })} ${t('agenda.notify.confirm')}: ${links.confirm}`
        : t(`agenda.notify.${kind}Sms`, { service, when });
      await notifier.sms(trx, { key, to: a.mobile, text: sms });
    }
  };
  if (within) await queueNotices(within);
  else await db.transaction().execute(queueNotices);
  return true;
}

/**
 * After a booking or a move: the confirmation now (for a move, the same iCalendar UID with a higher
 * sequence, so calendars update the event), and reminders at the configured offsets before it.
 */
export async function afterBooking(
  deps: AgendaNotifyDeps,
  regionCode: string,
  appointmentId: string,
  kind: 'booked' | 'moved' = 'booked',
  /** The booking's own transaction: confirmation and reminders are committed with the booking. */
  within?: Tx,
): Promise<void> {
  await notifyAppointment(deps, regionCode, appointmentId, kind, '', within);
  const a = await (within ?? deps.db)
    .selectFrom('appointments as a')
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .select(['a.sequence', 's.starts_at'])
    .where('a.region_code', '=', regionCode)
    .where('a.id', '=', appointmentId)
    .executeTakeFirst();
  if (!a) return;
  for (const hours of deps.config.reminderOffsetsHours) {
    const at = new Date(a.starts_at.getTime() - hours * 3600_000);
    if (at <= new Date()) continue;
    await deps.queue.enqueue(
      within ?? deps.db,
      'appointment-reminder',
      { regionCode, appointmentId, sequence: a.sequence, hours },
      `reminder:${appointmentId}:${a.sequence}:${hours}`,
      at,
    );
  }
}

export async function startReminderWorker(deps: AgendaNotifyDeps): Promise<void> {
  await deps.queue.boss.work<{ regionCode: string; appointmentId: string; sequence: number; hours: number }>(
    'appointment-reminder',
    { pollingIntervalSeconds: 2 },
    async (jobs) => {
      for (const job of jobs) {
        const current = await deps.db
          .selectFrom('appointments')
          .select(['sequence', 'status'])
          .where('region_code', '=', job.data.regionCode)
          .where('id', '=', job.data.appointmentId)
          .executeTakeFirst();
        // A moved or cancelled appointment has a new sequence or status: its old reminders are void.
        if (current?.status !== 'booked' || current.sequence !== job.data.sequence) continue;
        await notifyAppointment(
          deps,
          job.data.regionCode,
          job.data.appointmentId,
          'reminder',
          `:${job.data.hours}h`,
        );
      }
    },
  );
}

export type TokenLookup =
  | {
      ok: true;
      action: 'confirm' | 'cancel' | 'reschedule';
      regionCode: string;
      appointmentId: string;
      startsAt: Date;
      service: string;
      channel: string;
    }
  | { ok: false; reason: 'invalid' | 'used' | 'expired' | 'changed' };

export async function lookupToken(db: Db, token: string): Promise<TokenLookup> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, reason: 'invalid' };
  const row = await db
    .selectFrom('appointment_tokens as k')
    .innerJoin('appointments as a', (j) =>
      j.onRef('a.region_code', '=', 'k.region_code').onRef('a.id', '=', 'k.appointment_id'),
    )
    .innerJoin('agenda_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
    )
    .select([
      'k.action',
      'k.region_code',
      'k.appointment_id',
      'k.sequence',
      'k.expires_at',
      'k.used_at',
      'a.sequence as current',
      'a.status',
      's.starts_at',
      'a.service_code',
      'a.channel',
    ])
    .where('k.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'invalid' };
  if (row.used_at) return { ok: false, reason: 'used' };
  if (row.expires_at <= new Date()) return { ok: false, reason: 'expired' };
  if (row.sequence !== row.current || row.status !== 'booked') return { ok: false, reason: 'changed' };
  return {
    ok: true,
    action: row.action,
    regionCode: row.region_code,
    appointmentId: row.appointment_id,
    startsAt: row.starts_at,
    service: row.service_code,
    channel: row.channel,
  };
}

/** Carry out a one-click action; the token is spent first, so a replay does nothing. */
export async function useToken(deps: AgendaNotifyDeps, token: string): Promise<TokenLookup> {
  const found = await lookupToken(deps.db, token);
  if (!found.ok) return found;
  const spent = await deps.db
    .updateTable('appointment_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) return { ok: false, reason: 'used' };
  if (found.action === 'confirm') {
    await deps.db
      .updateTable('appointments')
      .set({ confirmed_at: new Date() })
      .where('region_code', '=', found.regionCode)
      .where('id', '=', found.appointmentId)
      .execute();
    await deps.db
      .insertInto('agenda_events')
      .values({
        region_code: found.regionCode,
        appointment_id: found.appointmentId,
        citizen_id: (await citizenOf(deps.db, found)) ?? '',
        event: 'confirmed',
      })
      .execute();
  } else {
    const citizen = await citizenOf(deps.db, found);
    const reason = found.action === 'cancel' ? 'cancelled by link' : 'another time requested by link';
    const result = await cancelAppointment(deps.db, {
      regionCode: found.regionCode,
      appointmentId: found.appointmentId,
      actorId: citizen ?? found.appointmentId,
      reason,
    });
    if (result.ok) {
      await notifyAppointment(deps, found.regionCode, found.appointmentId, 'cancelled');
      if (result.promoted) await afterBooking(deps, found.regionCode, result.promoted);
    }
    if (found.action === 'reschedule' && citizen) {
      // Someone from the office calls back to agree on another time.
      const office = await deps.db
        .selectFrom('appointments as a')
        .innerJoin('agenda_slots as s', (j) =>
          j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
        )
        .innerJoin('users as u', (j) =>
          j.onRef('u.region_code', '=', 'a.region_code').onRef('u.id', '=', 'a.citizen_id'),
        )
        .select(['s.office_id', 'u.given_name', 'u.family_name', 'u.phone', 'u.email'])
        .where('a.region_code', '=', found.regionCode)
        .where('a.id', '=', found.appointmentId)
        .executeTakeFirstOrThrow();
      await deps.db
        .insertInto('help_requests')
        .values({
          region_code: found.regionCode,
          office_id: office.office_id,
          user_id: citizen,
          name: `${office.given_name} ${office.family_name}`,
          contact: office.phone ?? office.email ?? '—',
          channel: 'phone',
          topic: 'appointment',
          message: 'Ha chiesto un altro orario per il suo appuntamento (dal collegamento nel promemoria).',
          language: 'it',
          step: '/appuntamento',
        })
        .execute();
    }
  }
  return found;
}

async function citizenOf(db: Db, found: { regionCode: string; appointmentId: string }) {
  const row = await db
    .selectFrom('appointments')
    .select('citizen_id')
    .where('region_code', '=', found.regionCode)
    .where('id', '=', found.appointmentId)
    .executeTakeFirst();
  return row?.citizen_id ?? null;
}
