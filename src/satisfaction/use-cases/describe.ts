import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import type { ServiceKind } from '../domain/survey.ts';

/** "your appointment «Accoglienza» of 12 March 2026": what a survey is about, in the reader's language. */
export function describeService(
  t: Translate,
  lang: string,
  row: { service_kind: ServiceKind; detail: string | null; delivered_at: Date },
): string {
  const date = dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(row.delivered_at);
  const detail =
    row.service_kind === 'appointment' && row.detail
      ? t(`agenda.services.${row.detail}`)
      : (row.detail ?? '');
  return t(`satisfaction.about.${row.service_kind}`, { detail, date });
}
