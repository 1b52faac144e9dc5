import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { isLang, type Lang, translator } from '../../platform/i18n/i18n.ts';
import type { Notifier } from '../../platform/messaging/messaging.ts';
import { linkExpiry, lookbackStart, type ServiceKind, SIDE_OF } from '../domain/survey.ts';
import { describeService } from './describe.ts';

export type SatisfactionDeps = { db: Db; notifier: Notifier; config: Config };

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
/** 256 random bits, URL-safe: 43 characters. */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** How many services one run invites for at most, per Region (the next run takes the rest). */
const BATCH = 500;

type Delivered = {
  kind: ServiceKind;
  service_id: string;
  respondent_id: string;
  office_id: string | null;
  detail: string | null;
  delivered_at: Date;
  given_name: string;
  preferred_language: string;
  email: string | null;
  mobile: string | null;
};

/**
 * Services delivered in the last LOOKBACK_DAYS (and not after `now`) whose respondent has no
 * invitation yet: attended appointments, signed pacts, finished courses and application outcomes
 * for the person; a CPI shortlist sent and a recruiting day held for the company.
 */
export async function servicesToSurvey(db: Db, regionCode: string, now: Date): Promise<Delivered[]> {
  const from = lookbackStart(now);
  // A course or an application has no office of its own: the office of the person's latest pact.
  const pactOffice = (citizen: string) =>
    sql`(select p.office_id from pacts p where p.region_code = ${regionCode} and p.citizen_id = ${sql.ref(citizen)}
      order by p.created_at desc limit 1)`;
  const { rows } = await sql<Delivered>`
    with delivered as (
      select 'appointment' as kind, a.id as service_id, a.citizen_id as respondent_id, s.office_id,
             a.service_code as detail,
             coalesce((select max(e.at) from agenda_events e
                       where e.region_code = a.region_code and e.appointment_id = a.id and e.event = 'attended'),
                      s.ends_at) as delivered_at
        from appointments a
        join agenda_slots s on s.region_code = a.region_code and s.id = a.slot_id
       where a.region_code = ${regionCode} and a.status = 'attended'
         and s.starts_at > ${from}::timestamptz - interval '30 days'
      union all
      select 'pact', p.id, p.citizen_id, p.office_id, null,
             (select max(g.signed_at) from pact_signatures g
               where g.region_code = p.region_code and g.pact_id = p.id and g.version = p.current_version)
        from pacts p
       where p.region_code = ${regionCode} and p.status = 'signed' and p.updated_at > ${from}::timestamptz - interval '1 day'
      union all
      select 'course', e.id, e.citizen_id, ${pactOffice('e.citizen_id')}, c.title,
             coalesce(e.completed_at, e.updated_at)
        from course_enrolments e
        join courses c on c.region_code = e.region_code and c.id = e.course_id
       where e.region_code = ${regionCode} and e.status in ('completed', 'not_completed')
         and e.updated_at > ${from}::timestamptz - interval '1 day'
      union all
      select 'application', a.id, a.citizen_id, ${pactOffice('a.citizen_id')}, v.title, a.updated_at
        from applications a
        join vacancies v on v.region_code = a.region_code and v.id = a.vacancy_id
       where a.region_code = ${regionCode} and a.status in ('rejected', 'hired')
         and a.updated_at > ${from}::timestamptz - interval '1 day'
      union all
      select 'shortlist', r.id, r.requested_by, r.office_id, v.title, r.sent_at
        from shortlist_requests r
        join vacancies v on v.region_code = r.region_code and v.id = r.vacancy_id
       where r.region_code = ${regionCode} and r.status = 'sent' and r.sent_at is not null
      union all
      -- A recruiting day counts as held at 18:00 (Rome time) of its day; the company answers through
      -- one of its people (an admin first, the oldest account first).
      select 'recruiting_day', d.id, who.id, d.office_id, d.title,
             (d.day::timestamp + interval '18 hours') at time zone 'Europe/Rome'
        from recruiting_days d
        join recruiting_day_companies rc on rc.region_code = d.region_code and rc.day_id = d.id
        join lateral (
          select u.id from users u
           where u.region_code = d.region_code and u.company_id = rc.company_id and u.role = 'employer'
             and u.disabled_at is null
           order by (u.company_role = 'admin') desc, u.created_at
           limit 1
        ) who on true
       where d.region_code = ${regionCode} and d.status = 'published'
         and d.day between (${from}::timestamptz - interval '1 day')::date and ${now}::timestamptz::date
    )
    select d.kind, d.service_id, d.respondent_id, d.office_id, d.detail, d.delivered_at,
           u.given_name, u.preferred_language,
           coalesce(cp.email, u.email) as email, coalesce(cp.mobile, u.phone) as mobile
      from delivered d
      join users u on u.region_code = ${regionCode} and u.id = d.respondent_id and u.disabled_at is null
      left join citizen_profiles cp on cp.region_code = ${regionCode} and cp.user_id = d.respondent_id
     where d.delivered_at > ${from} and d.delivered_at <= ${now}
       and not exists (
         select 1 from satisfaction_invitations i
          where i.region_code = ${regionCode} and i.service_kind = d.kind
            and i.service_id = d.service_id and i.respondent_id = d.respondent_id)
     order by d.delivered_at
     limit ${BATCH}
  `.execute(db);
  return rows;
}

/**
 * One invitation per service and respondent (the database's unique key makes a second run, or two
 * workers at once, do nothing), with its e-mail — or its SMS when there is no e-mail — in the
 * respondent's language, committed together.
 */
export async function inviteRegion(
  deps: SatisfactionDeps,
  regionCode: string,
  now: Date,
): Promise<{ invited: number }> {
  const candidates = await servicesToSurvey(deps.db, regionCode, now);
  let invited = 0;
  for (const c of candidates) {
    const token = randomBytes(32).toString('base64url');
    const lang: Lang = isLang(c.preferred_language) ? c.preferred_language : 'it';
    const channel = c.email ? 'email' : c.mobile ? 'sms' : 'none';
    const expiresAt = linkExpiry(now);
    const created = await deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('satisfaction_invitations')
        .values({
          region_code: regionCode,
          service_kind: c.kind,
          service_id: c.service_id,
          respondent_id: c.respondent_id,
          respondent_side: SIDE_OF[c.kind],
          office_id: c.office_id,
          detail: c.detail ? c.detail.slice(0, 300) : null,
          delivered_at: c.delivered_at,
          invited_at: now,
          expires_at: expiresAt,
          token_hash: tokenHash(token),
          channel,
          language: lang,
        })
        .onConflict((oc) =>
          oc.columns(['region_code', 'service_kind', 'service_id', 'respondent_id']).doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      const t = translator(lang);
      const link = `${deps.config.publicUrl}/valuta/${token}`;
      const about = describeService(t, lang, {
        service_kind: c.kind,
        detail: c.detail,
        delivered_at: c.delivered_at,
      });
      const until = dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(expiresAt);
      const key = `satisfaction:${regionCode}:${row.id}`;
      if (c.email) {
        await deps.notifier.email(trx, {
          key,
          to: c.email,
          subject: t('satisfaction.mail.subject'),
          text: [
            t('satisfaction.mail.intro', { name: c.given_name }),
            '',
            t('satisfaction.mail.about', { about }),
            t('satisfaction.mail.ask'),
            '',
            `${t('satisfaction.mail.answer')}: ${link}`,
            '',
            t('satisfaction.mail.noSignIn', { date: until }),
            t('satisfaction.mail.inPage'),
          ].join('\n'),
        });
      } else if (c.mobile) {
        await deps.notifier.sms(trx, { key, to: c.mobile, text: `${t('satisfaction.mail.sms')} ${link}` });
      }
      return true;
    });
    if (created) invited++;
  }
  return { invited };
}

/** The job: every Region served by this installation, at `now` (tests pass a later clock). */
export async function runSatisfactionInvitations(
  deps: SatisfactionDeps,
  now: Date,
): Promise<{ invited: number }> {
  const regions = await deps.db
    .selectFrom('regions')
    .select('region_code')
    .where('is_national', '=', false)
    .orderBy('region_code')
    .execute();
  let invited = 0;
  for (const r of regions) invited += (await inviteRegion(deps, r.region_code, now)).invited;
  return { invited };
}

export const INVITE_JOB = 'satisfaction-invitations';
