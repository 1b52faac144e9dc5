import type { MatchExplanation } from '../../matching/contract.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat, displayNames, numberFormat } from '../../platform/i18n/format.ts';

/** How the jobs pages write dates, km, pay, languages and a match explained. */
export function formatDate(ctx: RequestContext, d: Date | string): string {
  const date = typeof d === 'string' ? new Date(`${d.slice(0, 10)}T00:00:00Z`) : d;
  return dateTimeFormat(ctx.lang, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** A calendar day stored as a `date` column (its UTC day). */
export function formatDay(ctx: RequestContext, d: Date | string): string {
  return formatDate(ctx, typeof d === 'string' ? d : d.toISOString().slice(0, 10));
}

export function formatDateTime(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(d);
}

export function formatKm(ctx: RequestContext, km: number): string {
  return ctx.t('jobs.km', { km: numberFormat(ctx.lang, { maximumFractionDigits: 1 }).format(km) });
}

export function languageName(code: string, lang: string): string {
  try {
    return displayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function payLabel(
  ctx: RequestContext,
  min: number | null,
  max: number | null,
  period: 'hour' | 'month' | 'year' | null,
): string | null {
  if ((min === null && max === null) || !period) return null;
  const money = (n: number) =>
    numberFormat(ctx.lang, { style: 'currency', currency: 'EUR', maximumFractionDigits: 2 }).format(n);
  const per = ctx.t(`jobs.payPeriod.${period}`);
  if (min !== null && max !== null && min !== max)
    return ctx.t('jobs.payRange', { min: money(min), max: money(max), per });
  return ctx.t('jobs.payOne', { amount: money((min ?? max) as number), per });
}

/** Where the vacancy is, and how far: "12,3 km · Perugia (PG)", "Da remoto", or the place only. */
export function placeLine(
  ctx: RequestContext,
  v: { remote: 'no' | 'hybrid' | 'full'; municipality: string | null; province: string | null },
  km: number | null,
): string {
  const { t } = ctx;
  if (v.remote === 'full') return t('jobs.remoteFull');
  const place = v.municipality ? `${v.municipality}${v.province ? ` (${v.province})` : ''}` : '';
  const parts = [
    km !== null ? formatKm(ctx, km) : '',
    place,
    v.remote === 'hybrid' ? t('jobs.remoteHybrid') : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

/** The requirements of a match, in two lists: what the person has and what is missing. */
export function requirementLines(
  ctx: RequestContext,
  e: MatchExplanation,
): { met: string[]; missing: string[] } {
  const { t, lang } = ctx;
  const met: string[] = [];
  const missing: string[] = [];
  for (const s of e.skillsMet) met.push(t('jobs.req.skill', { skill: s.label }));
  for (const s of e.skillsMissing) missing.push(t('jobs.req.skill', { skill: s.label }));
  if (e.eqfRequired > 0) (e.eqfMet ? met : missing).push(t('jobs.req.eqf', { level: e.eqfRequired }));
  const lang1 = (l: { code: string; level: string }) =>
    t('jobs.req.language', { language: languageName(l.code, lang), level: l.level });
  for (const l of e.languagesMet) met.push(lang1(l));
  for (const l of e.languagesMissing) missing.push(lang1(l));
  (e.contractMet ? met : missing).push(
    t('jobs.req.contract', { contract: t(`jobs.contract.${e.contract}`) }),
  );
  if (e.licenceRequired)
    (e.licenceMet ? met : missing).push(t('jobs.req.licence', { licence: e.licenceRequired }));
  return { met, missing };
}

export function Requirements({ ctx, e, id }: { ctx: RequestContext; e: MatchExplanation; id: string }) {
  const { met, missing } = requirementLines(ctx, e);
  const { t } = ctx;
  return (
    <div>
      <p class="mb-1" id={`met-${id}`}>
        <strong>{t('jobs.req.metHeading')}</strong> {met.length ? met.join('; ') : t('jobs.req.none')}
      </p>
      <p class="mb-0" id={`missing-${id}`}>
        <strong>{t('jobs.req.missingHeading')}</strong>{' '}
        {missing.length ? missing.join('; ') : t('jobs.req.nothingMissing')}
      </p>
    </div>
  );
}

export function str(query: unknown, key: string, max = 200): string {
  const v = (query as Record<string, unknown> | undefined)?.[key];
  const s = Array.isArray(v) ? v[0] : v;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters
  return typeof s === 'string' ? s.slice(0, max).replace(/[\u0000-\u001F\u007F]/g, '') : '';
}
