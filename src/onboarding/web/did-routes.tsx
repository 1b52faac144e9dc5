import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  Notice,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { changeDid, declareDid, didHistory, receiptPdf } from '../use-cases/did.ts';
import { loadProfile, type OnboardingDeps } from '../use-cases/profile.ts';

type History = Awaited<ReturnType<typeof didHistory>>;

function DidPage({
  ctx,
  history,
  completed,
  errors = {},
  notice,
}: {
  ctx: RequestContext;
  history: History;
  completed: boolean;
  errors?: FieldErrors;
  notice?: string | undefined;
}) {
  const { t, lang } = ctx;
  const fmt = dateTimeFormat(lang, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  const did = history.current;
  return (
    <Layout ctx={ctx} title={t('did.title')}>
      <h1>{t('did.title')}</h1>
      {notice && <Notice kind="success">{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      {!completed ? (
        <>
          <p>{t('did.completeProfileFirst')}</p>
          <a class="btn btn-primary" href="/profilo">
            {t('did.goToProfile')}
          </a>
        </>
      ) : did ? (
        <>
          <p class="lead">{t(`did.status.${did.status}`, { date: fmt.format(did.declared_at) })}</p>
          {did.minor_flag && <p>{t('did.minorNote')}</p>}
          <p>
            <a class="btn btn-primary" href={`/profilo/did/ricevuta/${did.verification_code}`}>
              {t('did.downloadReceipt')}
            </a>
          </p>
          <p>
            {t('did.verifyWith', { code: did.verification_code })}{' '}
            <a href={`/verifica/${did.verification_code}`}>{t('did.verifyLink')}</a>
          </p>
          <h2 class="h4 mt-4">{t('did.changeHeading')}</h2>
          <form method="post" action="/profilo/did/cambia" novalidate>
            <CsrfField ctx={ctx} />
            <TextField
              name="reason"
              label={t('did.reason')}
              hint={t('did.reasonHint')}
              values={{}}
              errors={errors}
              maxLength={500}
            />
            {did.status === 'active' ? (
              <button type="submit" name="change" value="suspended" class="btn btn-outline-primary me-2">
                {t('did.suspend')}
              </button>
            ) : (
              <button type="submit" name="change" value="resumed" class="btn btn-outline-primary me-2">
                {t('did.resume')}
              </button>
            )}
            <button type="submit" name="change" value="withdrawn" class="btn btn-outline-primary">
              {t('did.withdraw')}
            </button>
          </form>
        </>
      ) : (
        <>
          <p>{t('did.explain')}</p>
          <form method="post" action="/profilo/did" novalidate>
            <CsrfField ctx={ctx} />
            <CheckboxGroup
              name="declare"
              label={t('did.declareLegend')}
              options={[{ value: 'yes', label: t('did.declareText') }]}
              checked={[]}
              errors={errors}
            />
            <button type="submit" class="btn btn-primary">
              {t('did.submit')}
            </button>
          </form>
        </>
      )}
      {history.events.length > 0 && (
        <>
          <h2 class="h4 mt-5">{t('did.historyHeading')}</h2>
          <ul>
            {history.events.map((e) => (
              <li>
                {`${fmt.format(e.at)} — ${t(`did.events.${e.event}`)}${e.reason ? `: ${e.reason}` : ''}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

export function registerDidRoutes(routes: RouteCatalogue, deps: OnboardingDeps): void {
  const render = async (
    ctx: RequestContext,
    options: { errors?: FieldErrors; notice?: string | undefined } = {},
  ) => {
    const profile = await loadProfile(deps.db, ctx.user!);
    return DidPage({
      ctx,
      history: await didHistory(deps, ctx.user!),
      completed: Boolean(profile.completed_at),
      ...options,
    });
  };

  routes.get('/profilo/did', ['citizen'], async (req, reply) => {
    const ok = (req.query as Record<string, unknown>).ok;
    return sendPage(
      reply,
      await render(req.ctx, {
        notice: typeof ok === 'string' && /^[a-z]+$/.test(ok) ? req.ctx.t(`did.done.${ok}`) : undefined,
      }),
    );
  });

  routes.post('/profilo/did', ['citizen'], async (req, reply) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (body?.declare !== 'yes')
      return sendPage(
        reply,
        await render(req.ctx, { errors: { declare: req.ctx.t('did.errors.mustDeclare') } }),
        400,
      );
    const result = await declareDid(deps, req.ctx.user!, req.ctx.lang);
    if (!result.ok)
      return sendPage(
        reply,
        await render(req.ctx, { errors: { declare: req.ctx.t(`did.errors.${result.reason}`) } }),
        400,
      );
    return reply.redirect('/profilo/did?ok=declared', 303);
  });

  routes.post('/profilo/did/cambia', ['citizen'], async (req, reply) => {
    const form = parseForm(
      z.object({
        change: z.enum(['suspended', 'resumed', 'withdrawn'], { message: 'errors.choose' }),
        reason: z
          .string()
          .trim()
          .min(1, 'errors.required')
          .max(500, 'errors.tooLong')
          .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
      }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) return sendPage(reply, await render(req.ctx, { errors: form.errors }), 400);
    const done = await changeDid(deps, req.ctx.user!, form.data.change, form.data.reason);
    if (!done)
      return sendPage(
        reply,
        await render(req.ctx, { errors: { reason: req.ctx.t('did.errors.cannotChange') } }),
        400,
      );
    return reply.redirect(`/profilo/did?ok=${form.data.change}`, 303);
  });

  routes.get('/profilo/did/ricevuta/:code', ['citizen'], async (req, reply) => {
    const { code } = req.params as { code: string };
    const doc = await receiptPdf(deps, req.ctx.user!, code);
    if (!doc) return reply.callNotFound();
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="ricevuta-did-${code}.pdf"`)
      .send(doc.pdf);
  });
}
