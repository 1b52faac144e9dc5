import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import { sendAttachment } from '../../platform/http/uploads.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const LEVEL_OPTIONS = ['1', '2', '3', '4', '0'] as const;

export function langOf(ctx: RequestContext): 'it' | 'en' | 'ar' {
  return ctx.lang === 'en' || ctx.lang === 'ar' ? ctx.lang : 'it';
}

export function levelOptions(ctx: RequestContext) {
  return LEVEL_OPTIONS.map((v) => ({ value: v, label: ctx.t(`skills.level.l${v}`) }));
}

export function levelText(ctx: RequestContext, level: number | null | undefined): string {
  return level === null || level === undefined ? ctx.t('skills.level.none') : ctx.t(`skills.level.l${level}`);
}

export function sizeKb(size: number): number {
  return Math.max(1, Math.round(size / 1024));
}

/** A file of the portfolio, always as a download and never sniffed by the browser. */
export function sendEvidence(
  reply: FastifyReply,
  file: { filename: string; content_type: string; content: Buffer } | null,
) {
  return sendAttachment(reply, file && { ...file, contentType: file.content_type });
}

export function fmtDate(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(d);
}

export function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
