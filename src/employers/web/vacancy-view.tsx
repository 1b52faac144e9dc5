import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat, formatDay as formatDayOnce } from '../../platform/i18n/format.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { segments, type WordingMatch } from '../domain/wording.ts';
import type { VacancyEventRow, VacancyRow } from '../use-cases/vacancies.ts';

/** What the employer and the CPI operator both see of a vacancy. */
export function formatDay(ctx: RequestContext, day: string | null): string {
  if (!day) return '';
  const d = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  // Lists show the same few days again and again: each is formatted once per language.
  return formatDayOnce(ctx.lang === 'ar' ? 'ar-u-nu-latn' : ctx.lang, d, 'long');
}

export function formatTime(ctx: RequestContext, at: Date): string {
  return dateTimeFormat(ctx.lang === 'ar' ? 'ar-u-nu-latn' : ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(at);
}

export function StatusBadge({ ctx, status }: { ctx: RequestContext; status: string }) {
  return <strong>{ctx.t(`vacancies.status.${status}`)}</strong>;
}

/** Text with the matched words in <mark>, each with its category read out. */
export function Highlighted({
  ctx,
  text,
  matches,
}: {
  ctx: RequestContext;
  text: string;
  matches: WordingMatch[];
}) {
  return (
    <>
      {segments(text, matches).map((s) =>
        s.match ? (
          <mark title={ctx.t(`vacancies.wording.category.${s.match.category}`)}>{s.text}</mark>
        ) : (
          s.text
        ),
      )}
    </>
  );
}

function pay(ctx: RequestContext, v: VacancyRow): string {
  if (v.payMin === null && v.payMax === null) return ctx.t('vacancies.view.notGiven');
  const period = v.payPeriod ? ctx.t(`vacancies.payPeriod.${v.payPeriod}`) : '';
  if (v.payMin !== null && v.payMax !== null)
    return ctx.t('vacancies.view.payRange', { min: v.payMin, max: v.payMax, period });
  return ctx.t('vacancies.view.payOne', { amount: v.payMin ?? v.payMax, period });
}

export function VacancyFacts({
  ctx,
  v,
  matches = [],
}: {
  ctx: RequestContext;
  v: VacancyRow;
  matches?: WordingMatch[];
}) {
  const { t } = ctx;
  const of = (field: string) => matches.filter((m) => m.field === field);
  const place =
    v.remote === 'full'
      ? t('vacancies.remote.full')
      : `${v.municipalityName ?? ''}${v.province ? ` (${v.province})` : ''} · ${t(`vacancies.remote.${v.remote}`)}`;
  return (
    <dl class="sl-dl">
      <dt>{t('vacancies.field.title')}</dt>
      <dd>
        <Highlighted ctx={ctx} text={v.title} matches={of('title')} />
      </dd>
      <dt>{t('vacancies.field.company')}</dt>
      <dd>{v.companyName}</dd>
      <dt>{t('vacancies.field.description')}</dt>
      <dd>
        <Highlighted ctx={ctx} text={v.description} matches={of('description')} />
      </dd>
      <dt>{t('vacancies.field.occupation')}</dt>
      <dd>{v.occupationLabel ?? t('vacancies.view.notGiven')}</dd>
      <dt>{t('vacancies.field.skillsEssential')}</dt>
      <dd>
        {v.skills
          .filter((s) => s.essential)
          .map((s) => s.label)
          .join(', ') || t('vacancies.view.none')}
      </dd>
      <dt>{t('vacancies.field.skillsOptional')}</dt>
      <dd>
        {v.skills
          .filter((s) => !s.essential)
          .map((s) => s.label)
          .join(', ') || t('vacancies.view.none')}
      </dd>
      <dt>{t('vacancies.field.eqf')}</dt>
      <dd>{t(`vacancies.eqf.${v.eqfRequired}`)}</dd>
      <dt>{t('vacancies.field.languages')}</dt>
      <dd>
        {v.languages.map((l) => `${t(`vacancies.language.${l.code}`)} ${l.level}`).join(', ') ||
          t('vacancies.view.none')}
      </dd>
      <dt>{t('vacancies.field.experience')}</dt>
      <dd>{t('vacancies.view.years', { count: v.experienceYears })}</dd>
      <dt>{t('vacancies.field.place')}</dt>
      <dd>{place}</dd>
      <dt>{t('vacancies.field.contract')}</dt>
      <dd>
        {t(`vacancies.contract.${v.contractType}`)} · {t(`vacancies.hours.${v.hours}`)}
        {v.weeklyHours ? ` · ${t('vacancies.view.weeklyHours', { count: v.weeklyHours })}` : ''}
      </dd>
      <dt>{t('vacancies.field.pay')}</dt>
      <dd>{pay(ctx, v)}</dd>
      <dt>{t('vacancies.field.positions')}</dt>
      <dd>{v.positions}</dd>
      <dt>{t('vacancies.field.startDate')}</dt>
      <dd>{v.startDate ? formatDay(ctx, v.startDate) : t('vacancies.view.notGiven')}</dd>
      <dt>{t('vacancies.field.expiresOn')}</dt>
      <dd>{formatDay(ctx, v.expiresOn)}</dd>
      <dt>{t('vacancies.field.licence')}</dt>
      <dd>{v.drivingLicence ?? t('vacancies.view.none')}</dd>
      <dt>{t('vacancies.field.flags')}</dt>
      <dd>
        {[
          v.reservedL68 ? t('vacancies.field.reservedL68') : '',
          v.seasonal ? t('vacancies.field.seasonal') : '',
        ]
          .filter(Boolean)
          .join(' · ') || t('vacancies.view.none')}
      </dd>
      <dt>{t('vacancies.field.safety')}</dt>
      <dd>
        {v.safetyInfo ? (
          <Highlighted ctx={ctx} text={v.safetyInfo} matches={of('safety_info')} />
        ) : (
          t('vacancies.view.notGiven')
        )}
      </dd>
    </dl>
  );
}

export function EventList({ ctx, events }: { ctx: RequestContext; events: VacancyEventRow[] }) {
  const { t } = ctx;
  if (events.length === 0) return null;
  return (
    <section aria-labelledby="events-heading" class="mt-4">
      <h2 id="events-heading">{t('vacancies.view.history')}</h2>
      <ul>
        {events.map((e) => (
          <li>
            {formatTime(ctx, e.at)} — {t(`vacancies.event.${e.event}`)}
            {e.reason && e.event === 'rejected' ? `: ${e.reason}` : ''}
            {e.reason && e.event === 'closed' ? `: ${t(`vacancies.outcome.${e.reason}`)}` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function notFoundPage(req: FastifyRequest, reply: FastifyReply) {
  const { t } = req.ctx;
  return sendPage(
    reply,
    <Layout ctx={req.ctx} title={t('vacancies.notFoundTitle')}>
      <h1>{t('vacancies.notFoundTitle')}</h1>
      <p>{t('vacancies.notFound')}</p>
    </Layout>,
    404,
  );
}

export function conflictPage(req: FastifyRequest, reply: FastifyReply, message: string, back: string) {
  const { t } = req.ctx;
  return sendPage(
    reply,
    <Layout ctx={req.ctx} title={t('vacancies.conflictTitle')}>
      <h1>{t('vacancies.conflictTitle')}</h1>
      <p>{message}</p>
      <p>
        <a href={back}>{t('vacancies.back')}</a>
      </p>
    </Layout>,
    409,
  );
}
