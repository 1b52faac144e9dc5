import { createHash, randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { CURRENT_OFFICE } from '../../caseload/use-cases/caseload.ts';
import type { CaseworkPorts } from '../../casework/deps.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { isLang, type Lang, translator } from '../../platform/i18n/i18n.ts';
import {
  BOOKED_WITHIN_DAYS,
  birthRange,
  type CampaignChannel,
  type CampaignForm,
  DEFAULT_PER_MINUTE,
  isSafeInternalPath,
  romeDay,
  type Segment,
  segmentOf,
  type TemplateId,
  throttleBudget,
} from '../domain/segment.ts';

/**
 * Proactive campaigns (issue 9 item 8). Who may do what:
 * - a regional manager writes to people of the whole Region and sees every campaign of the Region;
 * - a CPI operator writes only to the people of their office (the office of the person's case
 *   assignment, else latest pact, else latest appointment, else latest message thread — the
 *   caseload's order) and sees only their office's campaigns;
 * - everything else, and anything of another Region, is "not found".
 */
export type CampaignDeps = Pick<CaseworkPorts, 'db' | 'audit' | 'notifier' | 'config'>;
export type Actor = Pick<SessionUser, 'id' | 'role' | 'regionCode' | 'officeId' | 'agencyId'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
/** 256 random bits, URL-safe: 43 characters. */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export const DISPATCH_JOB = 'campaign-dispatch';

/** The office an operator's campaign is limited to; null for a manager (the whole Region). */
function scopeOf(actor: Actor): { ok: true; officeId: string | null } | { ok: false } {
  if (actor.role === 'regional_manager') return { ok: true, officeId: null };
  if (actor.role === 'cpi_operator' && actor.officeId) return { ok: true, officeId: actor.officeId };
  return { ok: false };
}

/** The provinces of the Region's municipalities (the segment's choices). */
export async function regionProvinces(db: Db, regionCode: string): Promise<string[]> {
  const rows = await db
    .selectFrom('municipalities')
    .select('province')
    .distinct()
    .where('region_code', '=', regionCode)
    .orderBy('province')
    .execute();
  return rows.map((r) => r.province);
}

/**
 * The citizens of the segment (active accounts of the Region, of the office when given), as a SQL
 * condition on `u` (users) and `cp` (their profile). Inactivity: no sign-in, no appointment booked
 * or held and no message for N days (an account newer than that is not inactive).
 */
function segmentWhere(regionCode: string, officeId: string | null, segment: Segment, now: Date) {
  const parts: RawBuilder<unknown>[] = [
    sql`u.region_code = ${regionCode}`,
    sql`u.role = 'citizen'`,
    sql`u.disabled_at is null`,
  ];
  if (officeId) parts.push(sql`${CURRENT_OFFICE} = ${officeId}`);
  if (segment.tier !== undefined)
    parts.push(sql`(select ta.tier from tier_assignments ta where ta.region_code = u.region_code
      and ta.user_id = u.id order by ta.created_at desc limit 1) = ${segment.tier}`);
  if (segment.province !== undefined)
    parts.push(sql`exists (select 1 from municipalities m where m.region_code = u.region_code
      and m.istat_code = cp.domicile_code and m.province = ${segment.province})`);
  if (segment.ageBand !== undefined) {
    const { bornBy, bornAfter } = birthRange(segment.ageBand, romeDay(now));
    parts.push(sql`u.birth_date <= ${bornBy}::date`);
    if (bornAfter) parts.push(sql`u.birth_date > ${bornAfter}::date`);
  }
  if (segment.inactiveDays !== undefined) {
    const since = new Date(now.getTime() - segment.inactiveDays * 86_400_000);
    parts.push(sql`greatest(
      u.created_at,
      u.last_signed_in_at,
      (select max(greatest(a.booked_at, s.starts_at)) from appointments a join agenda_slots s
          on s.region_code = a.region_code and s.id = a.slot_id
        where a.region_code = u.region_code and a.citizen_id = u.id and s.starts_at <= ${now}),
      (select max(a.booked_at) from appointments a where a.region_code = u.region_code and a.citizen_id = u.id),
      (select max(m.created_at) from messages m join message_threads t
          on t.region_code = m.region_code and t.id = m.thread_id
        where t.region_code = u.region_code and t.citizen_id = u.id)
    ) < ${since}`);
  }
  return sql.join(parts, sql` and `);
}

const notOptedOut = sql`not exists (select 1 from campaign_opt_outs o
  where o.region_code = u.region_code and o.person_id = u.id)`;

/** How many people of the segment the actor may write to, and how many of them opted out. */
export async function countSegment(
  db: Db,
  actor: Actor,
  segment: Segment,
  now: Date,
): Promise<{ reachable: number; optedOut: number }> {
  const scope = scopeOf(actor);
  if (!scope.ok) return { reachable: 0, optedOut: 0 };
  const { rows } = await sql<{ reachable: number; opted_out: number }>`
    select count(*) filter (where ${notOptedOut})::int as reachable,
           count(*) filter (where not ${notOptedOut})::int as opted_out
      from users u
      left join citizen_profiles cp on cp.region_code = u.region_code and cp.user_id = u.id
     where ${segmentWhere(actor.regionCode, scope.officeId, segment, now)}`.execute(db);
  return { reachable: rows[0]?.reachable ?? 0, optedOut: rows[0]?.opted_out ?? 0 };
}

export type Campaign = {
  region_code: string;
  id: string;
  name: string;
  template: TemplateId;
  channel: CampaignChannel;
  link_path: string;
  segment: Segment;
  office_id: string | null;
  created_by: string;
  created_at: Date;
  status: 'draft' | 'sending' | 'sent';
  sent_by: string | null;
  sent_at: Date | null;
  completed_at: Date | null;
};

/** A campaign the actor may see, or null ("not found"). */
export async function campaignFor(db: Db | Tx, actor: Actor, id: unknown): Promise<Campaign | null> {
  const scope = scopeOf(actor);
  if (!scope.ok || !isUuid(id)) return null;
  let q = db
    .selectFrom('campaigns')
    .selectAll()
    .where('region_code', '=', actor.regionCode)
    .where('id', '=', id);
  if (scope.officeId) q = q.where('office_id', '=', scope.officeId);
  const row = await q.executeTakeFirst();
  if (!row) return null;
  const segment = segmentOf(row.segment);
  if (!segment) return null;
  return { ...row, segment };
}

/** The actor's campaigns, newest first. */
export async function listCampaigns(db: Db, actor: Actor): Promise<Campaign[]> {
  const scope = scopeOf(actor);
  if (!scope.ok) return [];
  let q = db
    .selectFrom('campaigns')
    .selectAll()
    .where('region_code', '=', actor.regionCode)
    .orderBy('created_at', 'desc')
    .limit(200);
  if (scope.officeId) q = q.where('office_id', '=', scope.officeId);
  const rows = await q.execute();
  return rows.flatMap((r) => {
    const segment = segmentOf(r.segment);
    return segment ? [{ ...r, segment }] : [];
  });
}

/** A draft campaign (audited). */
export async function createCampaign(
  deps: CampaignDeps,
  actor: Actor,
  form: CampaignForm,
): Promise<{ ok: true; id: string } | { ok: false }> {
  const scope = scopeOf(actor);
  if (!scope.ok || !isSafeInternalPath(form.link)) return { ok: false };
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('campaigns')
      .values({
        region_code: actor.regionCode,
        name: form.name,
        template: form.template,
        channel: form.channel,
        link_path: form.link,
        segment: JSON.stringify(form.segment),
        office_id: scope.officeId,
        created_by: actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'campaign.created',
        outcome: 'ok',
        actor: actorOf(actor),
        objectType: 'campaign',
        objectId: row.id,
        details: {
          template: form.template,
          channel: form.channel,
          segment: form.segment,
          officeId: scope.officeId,
        },
      },
      trx,
    );
    return { ok: true as const, id: row.id };
  });
}

export type SendResult =
  | { ok: true; recipients: number }
  | { ok: false; reason: 'notFound' | 'alreadySent' | 'empty' };

/**
 * Send a draft: the segment's people who have not opted out become its recipients (a snapshot, in
 * one transaction with the campaign's new status and the audit entry); the dispatch job queues
 * their messages, throttled.
 */
export async function sendCampaign(
  deps: CampaignDeps,
  actor: Actor,
  id: unknown,
  now: Date,
): Promise<SendResult> {
  const scope = scopeOf(actor);
  if (!scope.ok) return { ok: false, reason: 'notFound' };
  return deps.db.transaction().execute(async (trx) => {
    const found = await campaignFor(trx, actor, id);
    if (!found) return { ok: false as const, reason: 'notFound' as const };
    // Two clicks at once: the row lock lets one of them through.
    const locked = await trx
      .selectFrom('campaigns')
      .select('status')
      .where('region_code', '=', actor.regionCode)
      .where('id', '=', found.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status !== 'draft') return { ok: false as const, reason: 'alreadySent' as const };
    const inserted = await sql`
      insert into campaign_recipients (region_code, campaign_id, person_id)
      select u.region_code, ${found.id}::uuid, u.id
        from users u
        left join citizen_profiles cp on cp.region_code = u.region_code and cp.user_id = u.id
       where ${segmentWhere(actor.regionCode, found.office_id, found.segment, now)} and ${notOptedOut}
      on conflict do nothing`.execute(trx);
    const recipients = Number(inserted.numAffectedRows ?? 0n);
    if (recipients === 0) return { ok: false as const, reason: 'empty' as const };
    await trx
      .updateTable('campaigns')
      .set({ status: 'sending', sent_at: now, sent_by: actor.id })
      .where('region_code', '=', actor.regionCode)
      .where('id', '=', found.id)
      .execute();
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'campaign.sent',
        outcome: 'ok',
        actor: actorOf(actor),
        objectType: 'campaign',
        objectId: found.id,
        details: {
          name: found.name,
          template: found.template,
          channel: found.channel,
          link: found.link_path,
          segment: found.segment,
          officeId: found.office_id,
          recipients,
        },
      },
      trx,
    );
    return { ok: true as const, recipients };
  });
}

/** The Region's messages per minute. */
export async function perMinuteOf(db: Db | Tx, regionCode: string): Promise<number> {
  const row = await db
    .selectFrom('campaign_settings')
    .select('per_minute')
    .where('region_code', '=', regionCode)
    .executeTakeFirst();
  return row?.per_minute ?? DEFAULT_PER_MINUTE;
}

/** A manager sets the Region's rate (audited). */
export async function setPerMinute(deps: CampaignDeps, actor: Actor, perMinute: number): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('campaign_settings')
      .values({
        region_code: actor.regionCode,
        per_minute: perMinute,
        updated_by: actor.id,
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc
          .column('region_code')
          .doUpdateSet({ per_minute: perMinute, updated_by: actor.id, updated_at: new Date() }),
      )
      .execute();
    await deps.audit.record(
      {
        regionCode: actor.regionCode,
        action: 'campaign.settings_changed',
        outcome: 'ok',
        actor: actorOf(actor),
        objectType: 'campaign_settings',
        objectId: actor.regionCode,
        details: { perMinute },
      },
      trx,
    );
  });
}

type Pending = {
  campaign_id: string;
  person_id: string;
  template: string;
  channel: 'email' | 'sms';
  link_path: string;
  given_name: string;
  preferred_language: string;
  email: string | null;
  mobile: string | null;
  opted_out: boolean;
};

/** One Region's step: queue at most what the throttle allows now. */
export async function dispatchRegion(
  deps: CampaignDeps,
  regionCode: string,
  now: Date,
): Promise<{ queued: number; skipped: number }> {
  return deps.db.transaction().execute(async (trx) => {
    // One dispatcher per Region at a time (two workers would both see the same budget).
    await sql`select pg_advisory_xact_lock(hashtext('campaign-dispatch'), hashtext(${regionCode}))`.execute(
      trx,
    );
    const perMinute = await perMinuteOf(trx, regionCode);
    const { rows: used } = await sql<{ n: number }>`
      select count(*)::int as n from campaign_recipients
       where region_code = ${regionCode} and queued_at > ${new Date(now.getTime() - 60_000)}
         and queued_at <= ${now}`.execute(trx);
    const budget = throttleBudget(perMinute, used[0]?.n ?? 0);
    let queued = 0;
    let skipped = 0;
    if (budget > 0) {
      const { rows } = await sql<Pending>`
        select r.campaign_id, r.person_id, c.template, c.channel, c.link_path,
               u.given_name, u.preferred_language,
               coalesce(cp.email, u.email) as email, coalesce(cp.mobile, u.phone) as mobile,
               exists (select 1 from campaign_opt_outs o
                        where o.region_code = r.region_code and o.person_id = r.person_id) as opted_out
          from campaign_recipients r
          join campaigns c on c.region_code = r.region_code and c.id = r.campaign_id
          join users u on u.region_code = r.region_code and u.id = r.person_id
          left join citizen_profiles cp on cp.region_code = r.region_code and cp.user_id = r.person_id
         where r.region_code = ${regionCode} and r.status = 'pending' and c.status = 'sending'
           and c.sent_at <= ${now}
         order by c.sent_at, r.campaign_id, r.person_id
         limit ${budget}
         for update of r skip locked`.execute(trx);
      for (const p of rows) {
        const where = (q: ReturnType<typeof update>) =>
          q
            .where('region_code', '=', regionCode)
            .where('campaign_id', '=', p.campaign_id)
            .where('person_id', '=', p.person_id);
        const update = () => trx.updateTable('campaign_recipients');
        // An e-mail campaign reaches a person without e-mail by SMS; an SMS campaign only by SMS.
        const channel: CampaignChannel = p.channel === 'email' && p.email ? 'email' : 'sms';
        const to = channel === 'email' ? p.email : p.mobile;
        if (p.opted_out || !to) {
          await where(update().set({ status: p.opted_out ? 'opted_out' : 'no_contact' })).execute();
          skipped++;
          continue;
        }
        const lang: Lang = isLang(p.preferred_language) ? p.preferred_language : 'it';
        const link = newToken();
        const stop = newToken();
        await where(
          update().set({
            status: 'queued',
            channel,
            language: lang,
            link_hash: tokenHash(link),
            unsubscribe_hash: tokenHash(stop),
            queued_at: now,
          }),
        ).execute();
        const t = translator(lang);
        const values = {
          name: p.given_name,
          link: `${deps.config.publicUrl}/c/${link}`,
          stop: `${deps.config.publicUrl}/campagne/disiscriviti/${stop}`,
        };
        const key = `campaign:${regionCode}:${p.campaign_id}:${p.person_id}`;
        if (channel === 'email') {
          await deps.notifier.email(trx, {
            key,
            to,
            subject: t(`campaigns.templates.${p.template}.subject`),
            text: [
              t(`campaigns.templates.${p.template}.body`, values),
              '',
              t('campaigns.mail.why'),
              t('campaigns.mail.unsubscribe', values),
            ].join('\n'),
          });
        } else {
          await deps.notifier.sms(trx, {
            key,
            to,
            text: `${t(`campaigns.templates.${p.template}.sms`, values)} ${t('campaigns.mail.smsStop', values)}`,
          });
        }
        queued++;
      }
    }
    await sql`
      update campaigns c set status = 'sent', completed_at = ${now}
       where c.region_code = ${regionCode} and c.status = 'sending'
         and not exists (select 1 from campaign_recipients r
                          where r.region_code = c.region_code and r.campaign_id = c.id and r.status = 'pending')`.execute(
      trx,
    );
    return { queued, skipped };
  });
}

/** The job: every Region with a campaign being sent, at `now` (tests pass a later clock). */
export async function dispatchCampaigns(
  deps: CampaignDeps,
  now: Date,
): Promise<{ queued: number; skipped: number }> {
  const regions = await deps.db
    .selectFrom('campaigns')
    .select('region_code')
    .distinct()
    .where('status', '=', 'sending')
    .orderBy('region_code')
    .execute();
  let queued = 0;
  let skipped = 0;
  for (const r of regions) {
    const step = await dispatchRegion(deps, r.region_code, now);
    queued += step.queued;
    skipped += step.skipped;
  }
  return { queued, skipped };
}

export type Results = {
  recipients: number;
  pending: number;
  sent: number;
  opened: number;
  booked: number;
  optedOut: number;
  skippedOptOut: number;
  noContact: number;
};

/** What a campaign achieved: sent, link opened, appointment booked within 30 days, opted out. */
export async function campaignResults(
  db: Db,
  campaign: Pick<Campaign, 'region_code' | 'id'>,
): Promise<Results> {
  const { rows } = await sql<Results>`
    select count(*)::int as recipients,
           count(*) filter (where r.status = 'pending')::int as pending,
           count(*) filter (where r.status = 'queued')::int as sent,
           count(*) filter (where r.opened_at is not null)::int as opened,
           count(*) filter (where r.status = 'queued' and exists (
             select 1 from appointments a
              where a.region_code = r.region_code and a.citizen_id = r.person_id
                and a.booked_at >= r.queued_at
                and a.booked_at < r.queued_at + make_interval(days => ${BOOKED_WITHIN_DAYS})))::int as booked,
           count(*) filter (where r.unsubscribed_at is not null)::int as "optedOut",
           count(*) filter (where r.status = 'opted_out')::int as "skippedOptOut",
           count(*) filter (where r.status = 'no_contact')::int as "noContact"
      from campaign_recipients r
     where r.region_code = ${campaign.region_code} and r.campaign_id = ${campaign.id}`.execute(db);
  return rows[0]!;
}

/** A click on a message's link: recorded, and the internal page to go to (null: unknown link). */
export async function recordClick(db: Db, token: unknown, now: Date): Promise<string | null> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return null;
  const { rows } = await sql<{ link_path: string }>`
    update campaign_recipients r set opened_at = coalesce(r.opened_at, ${now}), clicks = r.clicks + 1
      from campaigns c
     where r.link_hash = ${tokenHash(token)} and c.region_code = r.region_code and c.id = r.campaign_id
    returning c.link_path`.execute(db);
  const path = rows[0]?.link_path;
  if (path === undefined) return null;
  return isSafeInternalPath(path) ? path : '/';
}

type UnsubscribeLink = { region_code: string; person_id: string; campaign_id: string; used: boolean };

async function unsubscribeLink(db: Db | Tx, token: unknown): Promise<UnsubscribeLink | null> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return null;
  const row = await db
    .selectFrom('campaign_recipients')
    .select(['region_code', 'person_id', 'campaign_id', 'unsubscribed_at'])
    .where('unsubscribe_hash', '=', tokenHash(token))
    .executeTakeFirst();
  return row
    ? {
        region_code: row.region_code,
        person_id: row.person_id,
        campaign_id: row.campaign_id,
        used: row.unsubscribed_at !== null,
      }
    : null;
}

export type LinkState = 'valid' | 'unknown' | 'used';

export async function unsubscribeState(db: Db, token: unknown): Promise<LinkState> {
  const link = await unsubscribeLink(db, token);
  return !link ? 'unknown' : link.used ? 'used' : 'valid';
}

/** The single-use unsubscribe link: the person opts out of every campaign (audited). */
export async function unsubscribe(deps: CampaignDeps, token: unknown, now: Date): Promise<LinkState> {
  return deps.db.transaction().execute(async (trx) => {
    const link = await unsubscribeLink(trx, token);
    if (!link) return 'unknown' as const;
    const used = await trx
      .updateTable('campaign_recipients')
      .set({ unsubscribed_at: now })
      .where('region_code', '=', link.region_code)
      .where('campaign_id', '=', link.campaign_id)
      .where('person_id', '=', link.person_id)
      .where('unsubscribed_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) return 'used' as const;
    await trx
      .insertInto('campaign_opt_outs')
      .values({ region_code: link.region_code, person_id: link.person_id, via: 'link', opted_out_at: now })
      .onConflict((oc) => oc.columns(['region_code', 'person_id']).doNothing())
      .execute();
    await deps.audit.record(
      {
        regionCode: link.region_code,
        action: 'campaign.opted_out',
        outcome: 'ok',
        actor: null,
        subjectId: link.person_id,
        objectType: 'campaign',
        objectId: link.campaign_id,
        details: { via: 'link' },
      },
      trx,
    );
    return 'valid' as const;
  });
}

/** Whether the person receives campaign messages. */
export async function receivesCampaigns(db: Db, user: Actor): Promise<boolean> {
  const row = await db
    .selectFrom('campaign_opt_outs')
    .select('person_id')
    .where('region_code', '=', user.regionCode)
    .where('person_id', '=', user.id)
    .executeTakeFirst();
  return !row;
}

/** The person's own choice, from their page (audited when it changes). */
export async function setReceivesCampaigns(deps: CampaignDeps, user: Actor, receive: boolean): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const changed = receive
      ? Number(
          (
            await trx
              .deleteFrom('campaign_opt_outs')
              .where('region_code', '=', user.regionCode)
              .where('person_id', '=', user.id)
              .executeTakeFirst()
          ).numDeletedRows,
        )
      : (
          await trx
            .insertInto('campaign_opt_outs')
            .values({
              region_code: user.regionCode,
              person_id: user.id,
              via: 'page',
              opted_out_at: new Date(),
            })
            .onConflict((oc) => oc.columns(['region_code', 'person_id']).doNothing())
            .returning('person_id')
            .execute()
        ).length;
    if (changed === 0) return;
    await deps.audit.record(
      {
        regionCode: user.regionCode,
        action: receive ? 'campaign.opted_in' : 'campaign.opted_out',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: user.id,
        objectType: 'campaign_preferences',
        objectId: user.id,
        details: { via: 'page' },
      },
      trx,
    );
  });
}
