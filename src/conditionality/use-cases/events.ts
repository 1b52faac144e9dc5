import { sql } from 'kysely';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Config } from '../../platform/config.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { isLang, type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import type { Queue } from '../../platform/queue/queue.ts';
import rulesData from '../data/sanction-rules.json' with { type: 'json' };
import { BENEFITS, type Benefit, type EventKind, parseRules } from '../domain/rules.ts';

export type ConditionalityDeps = {
  db: Db;
  audit: AuditLog;
  notifier: Notifier;
  queue: Queue;
  config: Config;
};

/** The shipped rules, checked when the module loads (a bad file stops the platform at start). */
export const RULES = parseRules(rulesData);

/** How far back the daily scan looks for facts (older ones are left to the operator). */
export const SCAN_LOOKBACK_DAYS = 60;

/** Days after its due date before an open action of the plan counts as not done. */
export const ACTION_GRACE_DAYS = 7;

export type NewEvent = {
  regionCode: string;
  citizenId: string;
  benefit: Benefit | null;
  kind: EventKind;
  source: 'automatic' | 'operator';
  /** What raised it (agenda event id, DID event id, plan action id…); the same ref never raises twice. */
  sourceRef?: string | null;
  occurredAt: Date;
  description?: string | null;
  createdBy?: string | null;
};

/** The person's name, contacts and language, for the messages of this context. */
export async function contactOf(db: Db | Tx, regionCode: string, citizenId: string) {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'u.region_code').onRef('p.user_id', '=', 'u.id'),
    )
    .select([
      'u.given_name',
      'u.family_name',
      'u.fiscal_code',
      'u.preferred_language',
      sql<string | null>`coalesce(p.email, u.email)`.as('email'),
      sql<string | null>`coalesce(p.mobile, u.phone)`.as('mobile'),
    ])
    .where('u.region_code', '=', regionCode)
    .where('u.id', '=', citizenId)
    .executeTakeFirst();
  if (!row) return null;
  const lang: Lang = isLang(row.preferred_language) ? row.preferred_language : 'it';
  return { ...row, lang };
}

/** "12 novembre 2026" in the person's language (Rome time). */
export function dayOf(lang: Lang, at: Date): string {
  return dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(at);
}

/**
 * Record an event (idempotent by `sourceRef`: a second call with the same kind and ref returns the
 * first event, `created: false`). Other contexts call it for overdue plan actions or refused offers.
 * With `notifier`, the person is told in the same transaction that they can send a justification.
 */
export async function recordConditionalityEvent(
  db: Db | Tx,
  input: NewEvent,
  options: { notifier?: Notifier; publicUrl?: string } = {},
): Promise<{ id: string; created: boolean }> {
  const run = async (trx: Tx) => {
    const inserted = await trx
      .insertInto('conditionality_events')
      .values({
        region_code: input.regionCode,
        citizen_id: input.citizenId,
        benefit: input.benefit,
        kind: input.kind,
        source: input.source,
        source_ref: input.sourceRef ?? null,
        occurred_at: input.occurredAt,
        description: input.description ?? null,
        created_by: input.createdBy ?? null,
      })
      .onConflict((oc) =>
        oc.columns(['region_code', 'kind', 'source_ref']).where('source_ref', 'is not', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom('conditionality_events')
        .select('id')
        .where('region_code', '=', input.regionCode)
        .where('kind', '=', input.kind)
        .where('source_ref', '=', input.sourceRef ?? '')
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    }
    if (options.notifier) {
      await notifyNewEvent(trx, options.notifier, options.publicUrl ?? '', {
        ...input,
        id: inserted.id,
      });
    }
    return { id: inserted.id, created: true };
  };
  // Inside a caller's transaction, join it; otherwise open one.
  if (db.isTransaction) return run(db as Tx);
  return (db as Db).transaction().execute(run);
}

async function notifyNewEvent(
  trx: Tx,
  notifier: Notifier,
  publicUrl: string,
  event: NewEvent & { id: string },
): Promise<void> {
  const person = await contactOf(trx, event.regionCode, event.citizenId);
  if (!person) return;
  const t = translator(person.lang);
  const what = t(`conditionality.kinds.${event.kind}`);
  const when = dayOf(person.lang, event.occurredAt);
  const link = `${publicUrl}/obblighi`;
  const key = `conditionality:event:${event.id}`;
  if (person.email) {
    await notifier.email(trx, {
      key,
      to: person.email,
      subject: t('conditionality.notify.eventSubject'),
      text: [
        t('conditionality.notify.eventIntro', { name: person.given_name }),
        '',
        `${what} — ${when}`,
        '',
        t('conditionality.notify.eventExplain'),
        `${t('conditionality.notify.open')}: ${link}`,
      ].join('\n'),
    });
  }
  if (person.mobile) {
    await notifier.sms(trx, { key, to: person.mobile, text: t('conditionality.notify.eventSms', { when }) });
  }
}

/** The benefit an automatic event is tied to: the first of the person's benefits with active obligations. */
function pickBenefit(benefits: string[]): Benefit | null {
  for (const b of BENEFITS) if (benefits.includes(b)) return b;
  return null;
}

/**
 * The daily job `conditionality-daily`: unjustified no-shows and suspended DIDs of people with active
 * obligations become events (once each: the source ref is the agenda or DID event id). `now` is a
 * parameter so tests move the clock. Runs across Regions; each event carries its own Region.
 */
export async function runConditionalityScan(
  deps: Pick<ConditionalityDeps, 'db' | 'notifier' | 'config'>,
  now: Date = new Date(),
): Promise<{ created: number; seen: number }> {
  const since = new Date(now.getTime() - SCAN_LOOKBACK_DAYS * 86_400_000);
  // `now` has millisecond precision, PostgreSQL microseconds: a fact of the same millisecond as `now`
  // (written just before the scan) is already in the past.
  const upTo = new Date(now.getTime() + 1);
  // One row per missed appointment (its first no-show record), still a no-show now (not later marked
  // as justified), of a person with active obligations.
  const noShows = await sql<{
    region_code: string;
    event_id: string;
    citizen_id: string;
    starts_at: Date;
    service_code: string;
    benefits: string[];
  }>`
    select distinct on (e.region_code, e.appointment_id)
           e.region_code, e.id::text as event_id, e.citizen_id, s.starts_at, a.service_code,
           (select array_agg(distinct o.benefit) from benefit_obligations o
             where o.region_code = e.region_code and o.citizen_id = e.citizen_id and o.active) as benefits
      from agenda_events e
      join appointments a on a.region_code = e.region_code and a.id = e.appointment_id
      join agenda_slots s on s.region_code = a.region_code and s.id = a.slot_id
     where e.event = 'no_show' and a.status = 'no_show'
       and e.at < ${upTo} and e.at > ${since}
       and exists (select 1 from benefit_obligations o
                    where o.region_code = e.region_code and o.citizen_id = e.citizen_id and o.active)
     order by e.region_code, e.appointment_id, e.id
  `.execute(deps.db);

  // A DID whose latest change is a suspension: the person did not confirm being available.
  const suspended = await sql<{
    region_code: string;
    event_id: string;
    citizen_id: string;
    at: Date;
    benefits: string[];
  }>`
    select d.region_code, ev.id::text as event_id, d.user_id as citizen_id, ev.at,
           (select array_agg(distinct o.benefit) from benefit_obligations o
             where o.region_code = d.region_code and o.citizen_id = d.user_id and o.active) as benefits
      from did_declarations d
      join lateral (
        select id, at, event from did_events
         where region_code = d.region_code and did_id = d.id
         order by at desc, id desc limit 1
      ) ev on true
     where d.status = 'suspended' and ev.event = 'suspended'
       and ev.at < ${upTo} and ev.at > ${since}
       and exists (select 1 from benefit_obligations o
                    where o.region_code = d.region_code and o.citizen_id = d.user_id and o.active)
  `.execute(deps.db);

  // An action of the plan still open ACTION_GRACE_DAYS after its due date: "action not done".
  const overdue = await sql<{
    region_code: string;
    action_id: string;
    citizen_id: string;
    title: string;
    became_overdue: Date;
    benefits: string[];
  }>`
    select pa.region_code, pa.id::text as action_id, pa.citizen_id, pa.title,
           ((pa.due_date + 1)::timestamp at time zone 'Europe/Rome') as became_overdue,
           (select array_agg(distinct o.benefit) from benefit_obligations o
             where o.region_code = pa.region_code and o.citizen_id = pa.citizen_id and o.active) as benefits
      from plan_actions pa
     where pa.status = 'open'
       and pa.due_date < (${now}::timestamptz at time zone 'Europe/Rome')::date - ${ACTION_GRACE_DAYS}::int
       and pa.due_date >= (${since}::timestamptz at time zone 'Europe/Rome')::date
       and exists (select 1 from benefit_obligations o
                    where o.region_code = pa.region_code and o.citizen_id = pa.citizen_id and o.active)
  `.execute(deps.db);

  const automatic = (
    r: { region_code: string; citizen_id: string; benefits: string[] | null },
    kind: EventKind,
    sourceRef: string,
    occurredAt: Date,
    description: string | null = null,
  ): NewEvent => ({
    regionCode: r.region_code,
    citizenId: r.citizen_id,
    benefit: pickBenefit(r.benefits ?? []),
    kind,
    source: 'automatic',
    sourceRef,
    occurredAt,
    description,
  });
  const facts = [
    ...noShows.rows.map((r) => automatic(r, 'no_show', r.event_id, r.starts_at)),
    ...suspended.rows.map((r) => automatic(r, 'did_not_confirmed', r.event_id, r.at)),
    ...overdue.rows.map((r) => automatic(r, 'action_not_done', r.action_id, r.became_overdue, r.title)),
  ];
  let created = 0;
  const options = { notifier: deps.notifier, publicUrl: deps.config.publicUrl };
  for (const fact of facts) {
    if ((await recordConditionalityEvent(deps.db, fact, options)).created) created++;
  }
  return { created, seen: facts.length };
}

export const DAILY_JOB = 'conditionality-daily';

/** In a worker process: the daily scan at 06:15 Rome time. */
export async function startConditionalityJob(deps: ConditionalityDeps): Promise<void> {
  await deps.queue.boss.createQueue(DAILY_JOB);
  await deps.queue.boss.schedule(DAILY_JOB, '15 6 * * *', {}, { tz: 'Europe/Rome' });
  await deps.queue.boss.work(DAILY_JOB, { pollingIntervalSeconds: 30 }, async () => {
    await runConditionalityScan(deps, new Date());
  });
}
