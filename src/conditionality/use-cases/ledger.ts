import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import type { Decision } from '../adapters/conditionality-tables.ts';
import {
  type Benefit,
  type EventKind,
  periodMonthsOf,
  type Suggestion,
  suggestDecision,
  windowStart,
} from '../domain/rules.ts';
import { type ConditionalityDeps, contactOf, dayOf, RULES, recordConditionalityEvent } from './events.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (s: string) => UUID.test(s);

/** Every read of the ledger by an operator is recorded with this purpose. */
export const PURPOSE = 'conditionality_check';

export type Justification = {
  id: string;
  message: string;
  filename: string | null;
  has_document: boolean;
  size: number | null;
  created_at: Date;
};

export type LedgerEvent = {
  id: string;
  citizen_id: string;
  benefit: Benefit | null;
  kind: EventKind;
  source: 'automatic' | 'operator';
  occurred_at: Date;
  created_at: Date;
  description: string | null;
  status: 'open' | 'justification_sent' | 'decided';
  decision: Decision | null;
  decision_reasons: string | null;
  decided_at: Date | null;
  service_code: string | null;
  justifications: Justification[];
};

/** Events of one person, newest first, with the appointment of automatic no-shows and the justifications. */
async function eventsOf(db: Db | Tx, regionCode: string, citizenId: string, onlyId?: string) {
  let q = db
    .selectFrom('conditionality_events as e')
    .leftJoin('agenda_events as ae', (j) =>
      j
        .onRef('ae.region_code', '=', 'e.region_code')
        .on(sql<boolean>`ae.id::text = e.source_ref and e.kind = 'no_show' and e.source = 'automatic'`),
    )
    .leftJoin('appointments as a', (j) =>
      j.onRef('a.region_code', '=', 'ae.region_code').onRef('a.id', '=', 'ae.appointment_id'),
    )
    .select([
      'e.id',
      'e.citizen_id',
      'e.benefit',
      'e.kind',
      'e.source',
      'e.occurred_at',
      'e.created_at',
      'e.description',
      'e.status',
      'e.decision',
      'e.decision_reasons',
      'e.decided_at',
      'a.service_code',
    ])
    .where('e.region_code', '=', regionCode)
    .where('e.citizen_id', '=', citizenId);
  if (onlyId) q = q.where('e.id', '=', onlyId);
  const rows = await q.orderBy('e.occurred_at', 'desc').orderBy('e.created_at', 'desc').execute();
  if (rows.length === 0) return [];
  const justifications = await db
    .selectFrom('conditionality_justifications')
    .select([
      'id',
      'event_id',
      'message',
      'filename',
      sql<boolean>`content is not null`.as('has_document'),
      sql<number | null>`octet_length(content)`.as('size'),
      'created_at',
    ])
    .where('region_code', '=', regionCode)
    .where(
      'event_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .execute();
  return rows.map(
    (r): LedgerEvent => ({
      ...r,
      justifications: justifications
        .filter((j) => j.event_id === r.id)
        .map((j) => ({ ...j, size: j.size === null ? null : Number(j.size) })),
    }),
  );
}

/** Active obligations by benefit, from the signed pact. */
export async function obligationsOf(db: Db | Tx, regionCode: string, citizenId: string) {
  const rows = await db
    .selectFrom('benefit_obligations')
    .select(['benefit', 'obligation', 'created_at'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .where('active', '=', true)
    .orderBy('benefit')
    .orderBy('created_at')
    .execute();
  const byBenefit = new Map<Benefit, string[]>();
  for (const r of rows) {
    const list = byBenefit.get(r.benefit as Benefit) ?? [];
    if (!list.includes(r.obligation)) list.push(r.obligation);
    byBenefit.set(r.benefit as Benefit, list);
  }
  return [...byBenefit.entries()].map(([benefit, obligations]) => ({ benefit, obligations }));
}

/** The citizen's own ledger (their own data: not an audited read). */
export async function citizenLedger(db: Db, me: SessionUser) {
  return {
    obligations: await obligationsOf(db, me.regionCode, me.id),
    events: await eventsOf(db, me.regionCode, me.id),
  };
}

export type SendResult =
  | { ok: true; justificationId: string }
  | { ok: false; reason: 'not_found' | 'decided' };

/**
 * The person explains an event: a message and, optionally, a PDF (already checked by its bytes).
 * In one transaction: the justification, the event's status, the message to the operator, the audit.
 */
export async function sendJustification(
  deps: ConditionalityDeps,
  me: SessionUser,
  eventId: string,
  input: { message: string; file: { filename: string; data: Buffer } | null },
): Promise<SendResult> {
  if (!isUuid(eventId)) return { ok: false, reason: 'not_found' };
  return deps.db.transaction().execute(async (trx): Promise<SendResult> => {
    const event = await trx
      .selectFrom('conditionality_events')
      .select(['id', 'status', 'kind', 'occurred_at'])
      .where('region_code', '=', me.regionCode)
      .where('id', '=', eventId)
      .where('citizen_id', '=', me.id)
      .forUpdate()
      .executeTakeFirst();
    if (!event) return { ok: false, reason: 'not_found' };
    if (event.status === 'decided') return { ok: false, reason: 'decided' };
    const sha256 = input.file ? createHash('sha256').update(input.file.data).digest('hex') : null;
    const j = await trx
      .insertInto('conditionality_justifications')
      .values({
        region_code: me.regionCode,
        event_id: eventId,
        citizen_id: me.id,
        message: input.message,
        filename: input.file?.filename ?? null,
        content: input.file?.data ?? null,
        sha256,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('conditionality_events')
      .set({ status: 'justification_sent' })
      .where('region_code', '=', me.regionCode)
      .where('id', '=', eventId)
      .execute();
    // The operator who follows the person (e-coach of the latest pact) is told.
    const coach = await trx
      .selectFrom('pacts as p')
      .innerJoin('users as u', (jn) =>
        jn.onRef('u.region_code', '=', 'p.region_code').onRef('u.id', '=', 'p.coach_id'),
      )
      .select(['u.email', 'u.preferred_language'])
      .where('p.region_code', '=', me.regionCode)
      .where('p.citizen_id', '=', me.id)
      .where('p.status', '<>', 'superseded')
      .orderBy('p.created_at', 'desc')
      .executeTakeFirst();
    if (coach?.email) {
      const t = translator(
        coach.preferred_language === 'en' || coach.preferred_language === 'ar'
          ? coach.preferred_language
          : 'it',
      );
      await deps.notifier.email(trx, {
        key: `conditionality:justification:${j.id}`,
        to: coach.email,
        subject: t('conditionality.notify.justificationSubject'),
        text: [
          t('conditionality.notify.justificationIntro', {
            name: `${me.givenName} ${me.familyName}`,
            what: t(`conditionality.kinds.${event.kind}`),
            when: dayOf('it', event.occurred_at),
          }),
          `${t('conditionality.notify.open')}: ${deps.config.publicUrl}/operatore/condizionalita/${eventId}`,
        ].join('\n'),
      });
    }
    await deps.audit.record(
      {
        regionCode: me.regionCode,
        action: 'conditionality.justification_sent',
        outcome: 'ok',
        actor: actorOf(me),
        subjectId: me.id,
        objectType: 'conditionality_event',
        objectId: eventId,
        details: { justificationId: j.id, document: Boolean(input.file), sha256 },
      },
      trx,
    );
    return { ok: true, justificationId: j.id };
  });
}

/** People an operator may see here: a pact of their office, or one they follow as e-coach. */
function followedBy(operator: SessionUser, citizenRef: string) {
  return sql<boolean>`exists (
    select 1 from pacts p
     where p.region_code = ${operator.regionCode} and p.citizen_id = ${sql.ref(citizenRef)}
       and p.status <> 'superseded'
       and (p.coach_id = ${operator.id} or p.office_id = ${operator.officeId}))`;
}

/** A person the operator may act for (Region scope and pact scope in the query), or null. */
export async function personForOperator(db: Db | Tx, operator: SessionUser, personId: string) {
  if (!isUuid(personId) || operator.role !== 'cpi_operator') return null;
  return (
    (await db
      .selectFrom('users as u')
      .select(['u.id', 'u.given_name', 'u.family_name', 'u.fiscal_code'])
      .where('u.region_code', '=', operator.regionCode)
      .where('u.id', '=', personId)
      .where('u.role', '=', 'citizen')
      .where(followedBy(operator, 'u.id'))
      .executeTakeFirst()) ?? null
  );
}

/** The operator's queue: events of the people they may see, those to decide first (justified first). */
export async function reviewQueue(deps: ConditionalityDeps, operator: SessionUser) {
  const rows = await deps.db
    .selectFrom('conditionality_events as e')
    .innerJoin('users as u', (j) =>
      j.onRef('u.region_code', '=', 'e.region_code').onRef('u.id', '=', 'e.citizen_id'),
    )
    .select([
      'e.id',
      'e.citizen_id',
      'e.benefit',
      'e.kind',
      'e.source',
      'e.occurred_at',
      'e.status',
      'e.decision',
      'e.decided_at',
      'u.given_name',
      'u.family_name',
    ])
    .where('e.region_code', '=', operator.regionCode)
    .where(followedBy(operator, 'e.citizen_id'))
    .where((eb) =>
      eb.or([
        eb('e.status', '<>', 'decided'),
        eb('e.decided_at', '>', sql<Date>`now() - interval '90 days'`),
      ]),
    )
    .orderBy(sql`case e.status when 'justification_sent' then 0 when 'open' then 1 else 2 end`)
    .orderBy('e.occurred_at', 'asc')
    .limit(300)
    .execute();
  await deps.audit.recordReads(
    operator,
    'conditionality_ledger',
    PURPOSE,
    rows.map((r) => ({ subjectId: r.citizen_id, objectId: r.id })),
  );
  return rows;
}

/** Earlier events of the same kind and benefit in the window: counted (decided, not archived) and still pending. */
async function earlierEvents(db: Db | Tx, regionCode: string, event: LedgerEvent) {
  if (!event.benefit) return { counted: 0, pending: 0, periodMonths: periodMonthsOf(RULES, null) };
  const periodMonths = periodMonthsOf(RULES, event.benefit);
  const row = await db
    .selectFrom('conditionality_events')
    .select([
      sql<string>`count(*) filter (where status = 'decided' and decision <> 'archive')`.as('counted'),
      sql<string>`count(*) filter (where status <> 'decided')`.as('pending'),
    ])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', event.citizen_id)
    .where('benefit', '=', event.benefit)
    .where('kind', '=', event.kind)
    .where('id', '<>', event.id)
    // Earlier: occurred before, or the same moment but recorded before.
    .where((eb) =>
      eb.or([
        eb('occurred_at', '<', event.occurred_at),
        eb.and([eb('occurred_at', '=', event.occurred_at), eb('created_at', '<', event.created_at)]),
      ]),
    )
    .where('occurred_at', '>=', windowStart(event.occurred_at, periodMonths))
    .executeTakeFirstOrThrow();
  return { counted: Number(row.counted), pending: Number(row.pending), periodMonths };
}

export type Review = {
  event: LedgerEvent;
  person: { id: string; given_name: string; family_name: string; fiscal_code: string | null };
  obligations: Awaited<ReturnType<typeof obligationsOf>>;
  history: LedgerEvent[];
  suggestion: Suggestion | null;
  earlier: { counted: number; pending: number; periodMonths: number };
};

/** One event for the operator, with what the rules suggest (an audited read), or null. */
export async function reviewEvent(
  deps: ConditionalityDeps,
  operator: SessionUser,
  eventId: string,
): Promise<Review | null> {
  if (!isUuid(eventId) || operator.role !== 'cpi_operator') return null;
  const head = await deps.db
    .selectFrom('conditionality_events as e')
    .select(['e.citizen_id'])
    .where('e.region_code', '=', operator.regionCode)
    .where('e.id', '=', eventId)
    .where(followedBy(operator, 'e.citizen_id'))
    .executeTakeFirst();
  if (!head) return null;
  const person = await personForOperator(deps.db, operator, head.citizen_id);
  if (!person) return null;
  const all = await eventsOf(deps.db, operator.regionCode, head.citizen_id);
  const event = all.find((e) => e.id === eventId);
  if (!event) return null;
  const earlier = await earlierEvents(deps.db, operator.regionCode, event);
  await deps.audit.recordReads(operator, 'conditionality_ledger', PURPOSE, [
    { subjectId: head.citizen_id, objectId: eventId },
  ]);
  return {
    event,
    person,
    obligations: await obligationsOf(deps.db, operator.regionCode, head.citizen_id),
    history: all.filter((e) => e.id !== eventId),
    suggestion: suggestDecision(RULES, {
      benefit: event.benefit,
      kind: event.kind,
      earlier: earlier.counted,
    }),
    earlier,
  };
}

/** A person's ledger for the operator page where events are added by hand (an audited read). */
export async function personLedger(deps: ConditionalityDeps, operator: SessionUser, personId: string) {
  const person = await personForOperator(deps.db, operator, personId);
  if (!person) return null;
  const events = await eventsOf(deps.db, operator.regionCode, person.id);
  await deps.audit.recordReads(operator, 'conditionality_ledger', PURPOSE, [
    { subjectId: person.id, objectId: person.id },
  ]);
  return { person, events, obligations: await obligationsOf(deps.db, operator.regionCode, person.id) };
}

/** An operator records an event by hand (the person is told they can justify it). */
export async function addOperatorEvent(
  deps: ConditionalityDeps,
  operator: SessionUser,
  personId: string,
  input: { kind: EventKind; benefit: Benefit; occurredAt: Date; description: string },
): Promise<{ ok: true; id: string } | { ok: false }> {
  return deps.db.transaction().execute(async (trx) => {
    const person = await personForOperator(trx, operator, personId);
    if (!person) return { ok: false as const };
    const { id } = await recordConditionalityEvent(
      trx,
      {
        regionCode: operator.regionCode,
        citizenId: person.id,
        benefit: input.benefit,
        kind: input.kind,
        source: 'operator',
        occurredAt: input.occurredAt,
        description: input.description,
        createdBy: operator.id,
      },
      { notifier: deps.notifier, publicUrl: deps.config.publicUrl },
    );
    await deps.audit.record(
      {
        regionCode: operator.regionCode,
        action: 'conditionality.event_recorded',
        outcome: 'ok',
        actor: actorOf(operator),
        subjectId: person.id,
        purpose: PURPOSE,
        objectType: 'conditionality_event',
        objectId: id,
        details: { kind: input.kind, benefit: input.benefit },
      },
      trx,
    );
    return { ok: true as const, id };
  });
}

export type DecideResult = { ok: true } | { ok: false; reason: 'not_found' | 'decided' };

/**
 * The operator's decision, once. In one transaction: the event, the decision history (with what the
 * rules suggested), the person's e-mail (and SMS), the national outbox row and the audit entry.
 */
export async function decideEvent(
  deps: ConditionalityDeps,
  operator: SessionUser,
  eventId: string,
  input: { decision: Decision; reasons: string },
): Promise<DecideResult> {
  if (!isUuid(eventId) || operator.role !== 'cpi_operator') return { ok: false, reason: 'not_found' };
  try {
    return await deps.db.transaction().execute(async (trx): Promise<DecideResult> => {
      const locked = await trx
        .selectFrom('conditionality_events as e')
        .select(['e.id', 'e.citizen_id', 'e.status'])
        .where('e.region_code', '=', operator.regionCode)
        .where('e.id', '=', eventId)
        .where(followedBy(operator, 'e.citizen_id'))
        .forUpdate()
        .executeTakeFirst();
      if (!locked) return { ok: false, reason: 'not_found' };
      if (locked.status === 'decided') return { ok: false, reason: 'decided' };
      const [event] = await eventsOf(trx, operator.regionCode, locked.citizen_id, eventId);
      if (!event) return { ok: false, reason: 'not_found' };
      const earlier = await earlierEvents(trx, operator.regionCode, event);
      const suggestion = suggestDecision(RULES, {
        benefit: event.benefit,
        kind: event.kind,
        earlier: earlier.counted,
      });
      const decidedAt = new Date();
      const updated = await trx
        .updateTable('conditionality_events')
        .set({
          status: 'decided',
          decision: input.decision,
          decision_reasons: input.reasons,
          decided_by: operator.id,
          decided_at: decidedAt,
        })
        .where('region_code', '=', operator.regionCode)
        .where('id', '=', eventId)
        .where('status', '<>', 'decided')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'decided' };
      await trx
        .insertInto('conditionality_decisions')
        .values({
          region_code: operator.regionCode,
          event_id: eventId,
          decision: input.decision,
          reasons: input.reasons,
          suggested_decision: suggestion?.decision ?? null,
          suggested_rule: suggestion
            ? `${suggestion.source} — ${suggestion.effect} (${suggestion.step}/${suggestion.steps})`
            : null,
          earlier_events: earlier.counted,
          decided_by: operator.id,
          decided_at: decidedAt,
        })
        .execute();

      const person = await contactOf(trx, operator.regionCode, event.citizen_id);
      if (person) {
        const t = translator(person.lang);
        const what = t(`conditionality.kinds.${event.kind}`);
        const when = dayOf(person.lang, event.occurred_at);
        const key = `conditionality:decision:${eventId}`;
        if (person.email) {
          await deps.notifier.email(trx, {
            key,
            to: person.email,
            subject: t('conditionality.notify.decisionSubject'),
            text: [
              t('conditionality.notify.decisionIntro', { name: person.given_name }),
              '',
              `${what} — ${when}`,
              `${t('conditionality.decisionLabel')}: ${t(`conditionality.decisions.${input.decision}`)}`,
              t(`conditionality.decisionExplain.${input.decision}`),
              `${t('conditionality.reasonsLabel')}: ${input.reasons}`,
              '',
              `${t('conditionality.notify.open')}: ${deps.config.publicUrl}/obblighi`,
            ].join('\n'),
          });
        }
        if (person.mobile) {
          await deps.notifier.sms(trx, {
            key,
            to: person.mobile,
            text: t('conditionality.notify.decisionSms', { when }),
          });
        }
      }

      await trx
        .insertInto('national_outbox')
        .values({
          region_code: operator.regionCode,
          idempotency_key: `conditionality.decision:${operator.regionCode}:${eventId}:${input.decision}`,
          kind: 'conditionality.decision',
          payload: JSON.stringify({
            eventId,
            citizenId: event.citizen_id,
            fiscalCode: person?.fiscal_code ?? null,
            benefit: event.benefit,
            kind: event.kind,
            source: event.source,
            occurredAt: event.occurred_at.toISOString(),
            decision: input.decision,
            reasons: input.reasons,
            suggested: suggestion
              ? {
                  decision: suggestion.decision,
                  effect: suggestion.effect,
                  legalSource: suggestion.source,
                  toVerify: suggestion.toVerify,
                }
              : null,
            officeId: operator.officeId,
            decidedAt: decidedAt.toISOString(),
          }),
        })
        .execute();

      await deps.audit.record(
        {
          regionCode: operator.regionCode,
          action: 'conditionality.decided',
          outcome: 'ok',
          actor: actorOf(operator),
          subjectId: event.citizen_id,
          purpose: PURPOSE,
          objectType: 'conditionality_event',
          objectId: eventId,
          details: {
            decision: input.decision,
            suggested: suggestion?.decision ?? null,
            followedSuggestion: suggestion ? suggestion.decision === input.decision : null,
          },
        },
        trx,
      );
      return { ok: true };
    });
  } catch (error) {
    // Two operators deciding at once: the second meets the unique decision per event.
    if ((error as { code?: string }).code === '23505') return { ok: false, reason: 'decided' };
    throw error;
  }
}

/** A justification's PDF for the operator (an audited read), or null. */
export async function justificationDocument(
  deps: ConditionalityDeps,
  operator: SessionUser,
  eventId: string,
  justificationId: string,
) {
  if (!isUuid(eventId) || !isUuid(justificationId) || operator.role !== 'cpi_operator') return null;
  const row = await deps.db
    .selectFrom('conditionality_justifications as j')
    .innerJoin('conditionality_events as e', (jn) =>
      jn.onRef('e.region_code', '=', 'j.region_code').onRef('e.id', '=', 'j.event_id'),
    )
    .select(['j.id', 'j.filename', 'j.content', 'j.sha256', 'e.citizen_id'])
    .where('j.region_code', '=', operator.regionCode)
    .where('j.id', '=', justificationId)
    .where('j.event_id', '=', eventId)
    .where(followedBy(operator, 'e.citizen_id'))
    .executeTakeFirst();
  if (!row?.content) return null;
  await deps.audit.record({
    regionCode: operator.regionCode,
    action: 'read.conditionality_document',
    outcome: 'ok',
    actor: actorOf(operator),
    subjectId: row.citizen_id,
    purpose: PURPOSE,
    objectType: 'conditionality_document',
    objectId: row.id,
    details: { sha256: row.sha256 },
  });
  return { filename: row.filename ?? 'giustificativo.pdf', content: row.content };
}
