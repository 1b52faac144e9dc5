import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { CsrfField } from '../../platform/ui/forms.tsx';
import type { OnBehalfRow } from '../use-cases/assisted.ts';

export function whenFmt(ctx: RequestContext): Intl.DateTimeFormat {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
}

export function timeFmt(ctx: RequestContext): Intl.DateTimeFormat {
  return dateTimeFormat(ctx.lang, { timeStyle: 'short', timeZone: 'Europe/Rome' });
}

/**
 * "Stai operando per conto di …": shown to the operator on every page where they act for the person
 * while a session is active, with the button that ends it.
 */
export function AssistedBanner({
  ctx,
  personId,
  personName,
  session,
}: {
  ctx: RequestContext;
  personId: string;
  personName: string;
  session: { channel: string; expires_at: Date };
}) {
  const { t } = ctx;
  return (
    <div class="alert alert-warning" role="note" id="assisted-banner">
      <p class="mb-1">
        <strong>{t('assisted.operator.banner', { name: personName })}</strong>
      </p>
      <p class="mb-2">
        {t('assisted.operator.bannerDetail', {
          channel: t(`assisted.operator.channels.${session.channel}`),
          until: timeFmt(ctx).format(session.expires_at),
        })}
      </p>
      <form method="post" action={`/operatore/persone/${personId}/assistenza/termina`}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="btn btn-outline-primary btn-sm">
          {t('assisted.operator.end')}
        </button>
      </form>
    </div>
  );
}

const ACTION_KEYS: Record<string, string> = {
  'appointment.booked': 'booked',
  'pact.signed_by': 'pactSigned',
};

/** One action done on the person's behalf, in plain language, told to the person or to the operator. */
export function actionText(
  ctx: RequestContext,
  r: OnBehalfRow,
  audience: 'person' | 'operator' = 'person',
): string {
  const { t } = ctx;
  const section = audience === 'person' ? 'assisted.actions' : 'assisted.operatorActions';
  const who = r.given_name
    ? `${r.given_name} ${r.family_name}${r.agency_name || r.office_name ? ` (${r.agency_name ?? r.office_name})` : ''}`
    : t('assisted.someone');
  const key = ACTION_KEYS[r.action] ?? 'other';
  if (key === 'booked') {
    if (!r.service_code || !r.starts_at) return t(`${section}.bookedGone`, { who });
    return t(`${section}.booked`, {
      who,
      service: t(`agenda.services.${r.service_code}`),
      when: whenFmt(ctx).format(r.starts_at),
    });
  }
  return t(`${section}.${key}`, { who });
}
