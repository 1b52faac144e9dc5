import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { LedgerEvent } from '../use-cases/ledger.ts';

/** Shared pieces of the citizen's and the operator's pages. */
export function dateFmt(ctx: RequestContext) {
  return dateTimeFormat(ctx.lang, { dateStyle: 'long', timeZone: 'Europe/Rome' });
}

export function dateTimeFmt(ctx: RequestContext) {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
}

/** "Assenza all'appuntamento — 12 novembre 2026 (Accoglienza e prime informazioni)". */
export function eventTitle(ctx: RequestContext, e: LedgerEvent): string {
  const { t } = ctx;
  const base = `${t(`conditionality.kinds.${e.kind}`)} — ${dateFmt(ctx).format(e.occurred_at)}`;
  return e.service_code ? `${base} (${t(`agenda.services.${e.service_code}`)})` : base;
}

export function kb(size: number | null): string {
  return size === null ? '' : `${Math.max(1, Math.round(size / 1024))} KB`;
}

/** Status, justifications and decision of an event, as a definition list. */
export function EventFacts({
  ctx,
  event,
  forOperator,
}: {
  ctx: RequestContext;
  event: LedgerEvent;
  forOperator?: boolean;
}) {
  const { t } = ctx;
  const when = dateTimeFmt(ctx);
  return (
    <>
      <dl class="sl-dl">
        <dt>{t('conditionality.statusLabel')}</dt>
        <dd>{t(`conditionality.status.${event.status}`)}</dd>
        <dt>{t('conditionality.benefitLabel')}</dt>
        <dd>{event.benefit ? t(`conditionality.benefits.${event.benefit}`) : '—'}</dd>
        <dt>{t('conditionality.sourceLabel')}</dt>
        <dd>{t(`conditionality.sources.${event.source}`)}</dd>
        {event.description && (
          <>
            <dt>{t('conditionality.descriptionLabel')}</dt>
            <dd>{event.description}</dd>
          </>
        )}
        {event.decision && (
          <>
            <dt>{t('conditionality.decisionLabel')}</dt>
            <dd>
              <strong>{t(`conditionality.decisions.${event.decision}`)}</strong>
              {event.decided_at && ` — ${when.format(event.decided_at)}`}
              <span class="d-block">{t(`conditionality.decisionExplain.${event.decision}`)}</span>
            </dd>
            <dt>{t('conditionality.reasonsLabel')}</dt>
            <dd>{event.decision_reasons ?? '—'}</dd>
          </>
        )}
      </dl>
      {event.justifications.length > 0 && (
        <>
          <p class="mb-1 fw-bold">
            {forOperator ? t('conditionality.op.justifications') : t('conditionality.justificationsSent')}
          </p>
          <ul>
            {event.justifications.map((j) => (
              <li>
                <span class="d-block small text-muted">{when.format(j.created_at)}</span>
                <span class="d-block">{j.message}</span>
                {j.has_document &&
                  (forOperator ? (
                    <a href={`/operatore/condizionalita/${event.id}/giustificazioni/${j.id}`}>
                      {t('conditionality.op.download', { name: j.filename ?? 'PDF', size: kb(j.size) })}
                    </a>
                  ) : (
                    <span class="d-block small">
                      {t('conditionality.attached', { name: j.filename ?? 'PDF', size: kb(j.size) })}
                    </span>
                  ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
