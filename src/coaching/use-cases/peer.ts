import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import { iscoGroupOf, type PeerPerson, peerPercentiles, previousMonth } from '../domain/rules.ts';
import { followedPeople } from './daily.ts';

export type PeerDeps = { db: Db; notifier: Notifier };
export type PeerPayload = {
  month: string;
  score: number;
  percentile: number;
  groupSize: number;
  median: number;
};

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The monthly peer feedback (Dutch model, seed §3.6): each person with a pact and no opt-out is
 * compared with people like them (tier, ISCO major group of the latest job, province) on last month's
 * activity (applications sent + actions completed). Groups under the threshold get no message; the
 * message carries only the person's own numbers and the group's size and median — never anyone's name.
 */
export async function runMonthlyPeerFeedback(deps: PeerDeps, now: Date): Promise<{ sent: number }> {
  const { start, end } = previousMonth(now);
  const month = iso(start);
  const people: (PeerPerson & { regionCode: string })[] = [];
  for (const p of await followedPeople(deps.db)) {
    const row = await deps.db
      .selectFrom('users as u')
      .leftJoin('citizen_profiles as c', (j) =>
        j.onRef('c.region_code', '=', 'u.region_code').onRef('c.user_id', '=', 'u.id'),
      )
      .leftJoin('municipalities as m', 'm.istat_code', 'c.domicile_code')
      .leftJoin('peer_feedback_optouts as o', (j) =>
        j.onRef('o.region_code', '=', 'u.region_code').onRef('o.user_id', '=', 'u.id'),
      )
      .select(['c.work_history', 'm.province', 'o.user_id as opted_out'])
      .select((eb) =>
        eb
          .selectFrom('tier_assignments as t')
          .select('t.tier')
          .whereRef('t.region_code', '=', 'u.region_code')
          .whereRef('t.user_id', '=', 'u.id')
          .orderBy('t.created_at', 'desc')
          .limit(1)
          .as('tier'),
      )
      .select((eb) =>
        eb
          .selectFrom('citizen_activity as a')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('a.region_code', '=', 'u.region_code')
          .whereRef('a.citizen_id', '=', 'u.id')
          .where('a.kind', '=', 'application_sent')
          .where('a.at', '>=', start)
          .where('a.at', '<', end)
          .as('applications'),
      )
      .select((eb) =>
        eb
          .selectFrom('plan_actions as pa')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('pa.region_code', '=', 'u.region_code')
          .whereRef('pa.citizen_id', '=', 'u.id')
          .where('pa.status', '=', 'done')
          .where('pa.done_at', '>=', start)
          .where('pa.done_at', '<', end)
          .as('done'),
      )
      .where('u.region_code', '=', p.region_code)
      .where('u.id', '=', p.citizen_id)
      .executeTakeFirst();
    if (!row || row.opted_out) continue;
    people.push({
      regionCode: p.region_code,
      userId: p.citizen_id,
      tier: row.tier ?? null,
      iscoGroup: iscoGroupOf(row.work_history),
      province: `${p.region_code}:${row.province ?? 'none'}`,
      score: (row.applications ?? 0) + (row.done ?? 0),
    });
  }
  const results = peerPercentiles(people);
  let sent = 0;
  for (const p of people) {
    const r = results.get(p.userId);
    if (!r) continue;
    const payload: PeerPayload = { month, score: p.score, ...r };
    const done = await deps.db.transaction().execute(async (trx) => {
      const ins = await trx
        .insertInto('peer_feedback_messages')
        .values({ region_code: p.regionCode, user_id: p.userId, month, payload: JSON.stringify(payload) })
        .onConflict((oc) => oc.columns(['region_code', 'user_id', 'month']).doNothing())
        .returning('user_id')
        .executeTakeFirst();
      if (!ins) return false;
      const person = await trx
        .selectFrom('users as u')
        .leftJoin('citizen_profiles as c', (j) =>
          j.onRef('c.region_code', '=', 'u.region_code').onRef('c.user_id', '=', 'u.id'),
        )
        .select([
          'u.given_name',
          'u.preferred_language',
          sql<string | null>`coalesce(c.email, u.email)`.as('email'),
        ])
        .where('u.region_code', '=', p.regionCode)
        .where('u.id', '=', p.userId)
        .executeTakeFirstOrThrow();
      if (person.email) {
        const t = translator(
          (['it', 'en', 'ar'].includes(person.preferred_language) ? person.preferred_language : 'it') as Lang,
        );
        await deps.notifier.email(trx, {
          key: `peer-feedback:${p.regionCode}:${p.userId}:${month}`,
          to: person.email,
          subject: t('coaching.peer.mailSubject'),
          text: `${t('coaching.peer.mailHello', { name: person.given_name })}\n\n${peerText(t, payload)}\n\n${t('coaching.peer.mailOptOut')}`,
        });
      }
      return true;
    });
    if (done) sent++;
  }
  return { sent };
}

export function peerText(t: (k: string, v?: Record<string, unknown>) => string, p: PeerPayload): string {
  return t('coaching.peer.text', {
    count: p.score,
    percentile: p.percentile,
    groupSize: p.groupSize,
    median: p.median,
  });
}

export async function setPeerOptOut(db: Db, regionCode: string, userId: string, optOut: boolean) {
  if (optOut)
    await db
      .insertInto('peer_feedback_optouts')
      .values({ region_code: regionCode, user_id: userId })
      .onConflict((oc) => oc.columns(['region_code', 'user_id']).doNothing())
      .execute();
  else
    await db
      .deleteFrom('peer_feedback_optouts')
      .where('region_code', '=', regionCode)
      .where('user_id', '=', userId)
      .execute();
}
