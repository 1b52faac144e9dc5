import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { isMultipart, looksLikePdf, readMultipart } from '../../platform/http/uploads.ts';
import { ErrorPage } from '../../platform/ui/error-page.tsx';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { ConditionalityDeps } from '../use-cases/events.ts';
import { citizenLedger, isUuid, type LedgerEvent, sendJustification } from '../use-cases/ledger.ts';
import { EventFacts, eventTitle } from './shared.tsx';

const JustificationSchema = z.object({
  message: z
    .string()
    .trim()
    .min(1, 'conditionality.errors.messageRequired')
    .max(4000, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

/** A file name safe to keep and show: no path, no control characters, at most 120 characters. */
function safeFilename(name: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .slice(-120)
    .trim();
  return base && base !== '.' ? base : 'giustificativo.pdf';
}

type FormState = { eventId: string; values: FormValues; errors: FieldErrors };

function JustifyForm({
  ctx,
  event,
  state,
  maxMb,
}: {
  ctx: RequestContext;
  event: LedgerEvent;
  state?: FormState | undefined;
  maxMb: number;
}) {
  const { t } = ctx;
  const mine = state?.eventId === event.id ? state : undefined;
  const messageId = `message-${event.id}`;
  const documentId = `document-${event.id}`;
  const messageError = mine?.errors[messageId];
  const documentError = mine?.errors[documentId];
  return (
    <form
      method="post"
      action={`/obblighi/${event.id}/giustificazione`}
      enctype="multipart/form-data"
      novalidate
      class="mt-3"
    >
      <CsrfField ctx={ctx} />
      <fieldset>
        <legend class="h6">
          {event.status === 'open'
            ? t('conditionality.justify.legend')
            : t('conditionality.justify.legendMore')}
        </legend>
        <div class="form-group mb-4">
          <label for={messageId} class="active sl-label">
            {t('conditionality.justify.message')}
          </label>
          <textarea
            id={messageId}
            name="message"
            rows={4}
            maxLength={4000}
            class={`form-control${messageError ? ' is-invalid' : ''}`}
            aria-invalid={messageError ? 'true' : undefined}
            aria-describedby={`${messageId}-hint${messageError ? ` ${messageId}-error` : ''}`}
          >
            {mine?.values.message ?? ''}
          </textarea>
          <small id={`${messageId}-hint`} class="form-text d-block">
            {t('conditionality.justify.messageHint')}
          </small>
          {messageError && (
            <div id={`${messageId}-error`} class="sl-field-error">
              {messageError}
            </div>
          )}
        </div>
        <div class="form-group mb-4">
          <label for={documentId} class="active sl-label">
            {t('conditionality.justify.document')}
          </label>
          <input
            id={documentId}
            name="document"
            type="file"
            accept="application/pdf,.pdf"
            class={`form-control${documentError ? ' is-invalid' : ''}`}
            aria-invalid={documentError ? 'true' : undefined}
            aria-describedby={`${documentId}-hint${documentError ? ` ${documentId}-error` : ''}`}
          />
          <small id={`${documentId}-hint`} class="form-text d-block">
            {t('conditionality.justify.documentHint', { mb: maxMb })}
          </small>
          {documentError && (
            <div id={`${documentId}-error`} class="sl-field-error">
              {documentError}
            </div>
          )}
        </div>
        <button type="submit" class="btn btn-primary">
          {t('conditionality.justify.submit')}
        </button>
      </fieldset>
    </form>
  );
}

export function registerCitizenRoutes(routes: RouteCatalogue, deps: ConditionalityDeps): void {
  const render = async (req: FastifyRequest, reply: FastifyReply, state?: FormState, status = 200) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const { obligations, events } = await citizenLedger(deps.db, ctx.user!);
    const ok = (req.query as Record<string, unknown>).ok;
    const pending = events.filter((e) => e.status !== 'decided');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('conditionality.mine.title')}>
        <h1>{t('conditionality.mine.title')}</h1>
        {ok === 'sent' && <Notice kind="success">{t('conditionality.mine.sent')}</Notice>}
        {state && <ErrorSummary ctx={ctx} errors={state.errors} />}
        <p class="lead">{t('conditionality.mine.intro')}</p>
        <section aria-labelledby="obligations-heading" class="mb-5">
          <h2 id="obligations-heading" class="h4">
            {t('conditionality.mine.obligations')}
          </h2>
          {obligations.length === 0 ? (
            <p>{t('conditionality.mine.noObligations')}</p>
          ) : (
            obligations.map((o) => (
              <div class="mb-4">
                <h3 class="h5">{t(`conditionality.benefits.${o.benefit}`)}</h3>
                <p>{t(`conditionality.plain.${o.benefit}`)}</p>
                <p class="mb-1">{t('conditionality.mine.fromPact')}</p>
                <ul>
                  {o.obligations.map((text) => (
                    <li>{text}</li>
                  ))}
                </ul>
              </div>
            ))
          )}
          <p class="small">{t('conditionality.mine.justifiedReason')}</p>
        </section>
        <section aria-labelledby="events-heading">
          <h2 id="events-heading" class="h4">
            {t('conditionality.mine.events')}
          </h2>
          {events.length === 0 ? (
            <p>{t('conditionality.mine.noEvents')}</p>
          ) : (
            <>
              {pending.length > 0 && <p>{t('conditionality.mine.pending', { count: pending.length })}</p>}
              <ul class="list-unstyled">
                {events.map((e) => (
                  <li class="card mb-3" id={`evento-${e.id}`}>
                    <div class="card-body">
                      <h3 class="h5">{eventTitle(ctx, e)}</h3>
                      <EventFacts ctx={ctx} event={e} />
                      {e.status !== 'decided' && (
                        <JustifyForm
                          ctx={ctx}
                          event={e}
                          state={state}
                          maxMb={Math.floor(deps.config.uploadMaxBytes / (1024 * 1024))}
                        />
                      )}
                    </div>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </Layout>,
      status,
    );
  };

  routes.get('/obblighi', ['citizen'], async (req, reply) => render(req, reply));

  routes.post('/obblighi/:id/giustificazione', ['citizen'], async (req, reply) => {
    const { t } = req.ctx;
    const { id } = req.params as { id: string };
    if (!isUuid(id)) return reply.callNotFound();
    if (!isMultipart(req.headers['content-type'])) {
      const page = ErrorPage({
        ctx: req.ctx,
        status: 400,
        title: t('errors.badRequestTitle'),
        body: t('errors.badRequestBody'),
      });
      return sendPage(reply, page, 400);
    }
    const { fields, files } = await readMultipart(req.body);
    const parsed = parseForm(JustificationSchema, fields, t);
    const errors: FieldErrors = {};
    if (!parsed.ok && parsed.errors.message) errors[`message-${id}`] = parsed.errors.message;
    const file = files.find((f) => f.field === 'document' && f.data.length > 0) ?? null;
    if (file?.truncated)
      errors[`document-${id}`] = t('upload.tooLarge', {
        mb: Math.floor(deps.config.uploadMaxBytes / 1048576),
      });
    else if (file && !looksLikePdf(file.data)) errors[`document-${id}`] = t('conditionality.errors.notPdf');
    const values = { message: fields.message?.slice(0, 4000) ?? '' };
    // An unknown event, or another person's, is not found before any form error is shown.
    const mine = await citizenLedger(deps.db, req.ctx.user!);
    if (!mine.events.some((e) => e.id === id)) return reply.callNotFound();
    if (Object.keys(errors).length > 0 || !parsed.ok) {
      return render(req, reply, { eventId: id, values, errors }, 400);
    }
    const result = await sendJustification(deps, req.ctx.user!, id, {
      message: parsed.data.message,
      file: file ? { filename: safeFilename(file.filename), data: file.data } : null,
    });
    if (!result.ok && result.reason === 'not_found') return reply.callNotFound();
    if (!result.ok) {
      return render(
        req,
        reply,
        { eventId: id, values, errors: { [`evento-${id}`]: t('conditionality.errors.alreadyDecided') } },
        409,
      );
    }
    return reply.redirect(`/obblighi?ok=sent#evento-${id}`, 303);
  });
}
