import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat, numberFormat } from '../../platform/i18n/format.ts';
import type { CourseMode, FundingCode } from '../adapters/training-tables.ts';

export function formatDate(ctx: RequestContext, d: Date | string): string {
  const date = typeof d === 'string' ? new Date(`${d}T00:00:00Z`) : d;
  return dateTimeFormat(ctx.lang, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

export function formatCost(ctx: RequestContext, cost: number | string): string {
  const n = Number(cost);
  if (n === 0) return ctx.t('training.free');
  return numberFormat(ctx.lang, { style: 'currency', currency: 'EUR' }).format(n);
}

export function formatKm(ctx: RequestContext, km: number): string {
  return ctx.t('training.km', {
    km: numberFormat(ctx.lang, { maximumFractionDigits: 1 }).format(km),
  });
}

export function modeLabel(ctx: RequestContext, mode: CourseMode): string {
  return ctx.t(`training.modes.${mode}`);
}

export function fundingLabel(ctx: RequestContext, funding: FundingCode): string {
  return ctx.t(`training.funding.${funding}`);
}

/** Where a course takes place, in words. */
export function placeLabel(ctx: RequestContext, mode: CourseMode, municipality: string | null): string {
  if (mode === 'remote') return modeLabel(ctx, mode);
  return municipality ? `${modeLabel(ctx, mode)} — ${municipality}` : modeLabel(ctx, mode);
}

export function str(query: unknown, key: string, max = 200): string {
  const v = (query as Record<string, unknown> | undefined)?.[key];
  const s = Array.isArray(v) ? v[0] : v;
  // Query values go into SQL parameters: PostgreSQL refuses NUL bytes, and control characters mean nothing here.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters
  return typeof s === 'string' ? s.slice(0, max).replace(/[\u0000-\u001F\u007F]/g, '') : '';
}
