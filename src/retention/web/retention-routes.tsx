import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../platform/audit/audit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formArray } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  Notice,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { RETENTION_CATEGORIES } from '../config.ts';
import {
  ALL_CATEGORIES,
  ERASABLE,
  type ErasureRow,
  erasureCounts,
  isCategory,
  KEPT,
  myErasureRequests,
  requestErasure,
} from '../use-cases/erasure.ts';
import {
  type RetentionDeps,
  type RunRow,
  recentRuns,
  runRetentionForRegion,
} from '../use-cases/run-retention.ts';

function when(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(d);
}

function list(ctx: RequestContext, cats: string[]): string {
  return cats.length === 0 ? '—' : cats.map((c) => ctx.t(`retention.erasure.categories.${c}`)).join(', ');
}

function ErasurePage(props: {
  ctx: RequestContext;
  requests: ErasureRow[];
  checked: string[];
  errors: FieldErrors;
  fresh: boolean;
}) {
  const { ctx, requests } = props;
  const { t } = ctx;
  const latest = props.fresh ? requests[0] : undefined;
  return (
    <Layout ctx={ctx} title={t('retention.erasure.title')}>
      <h1>{t('retention.erasure.title')}</h1>
      {latest && (
        <Notice kind={latest.refused.length > 0 ? 'info' : 'success'}>
          <h2 class="h5">{t('retention.erasure.answer')}</h2>
          {latest.erased.length > 0 && (
            <p>{t('retention.erasure.erasedNow', { list: list(ctx, latest.erased) })}</p>
          )}
          {latest.refused.length > 0 && (
            <>
              <p>{t('retention.erasure.refusedNow')}</p>
              <ul>
                {latest.refused.map((c) => (
                  <li>
                    <strong>{t(`retention.erasure.categories.${c}`)}</strong>:{' '}
                    {t(`retention.erasure.reasons.${c}`)}
                  </li>
                ))}
              </ul>
              <p class="mb-0">{t('retention.erasure.complaint')}</p>
            </>
          )}
        </Notice>
      )}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <p class="lead">{t('retention.erasure.intro')}</p>
      <h2 class="h4 mt-4">{t('retention.erasure.canTitle')}</h2>
      <ul>
        {ERASABLE.map((c) => (
          <li>
            <strong>{t(`retention.erasure.categories.${c}`)}</strong>: {t(`retention.erasure.explain.${c}`)}
          </li>
        ))}
      </ul>
      <h2 class="h4 mt-4">{t('retention.erasure.keepTitle')}</h2>
      <p>{t('retention.erasure.keepIntro')}</p>
      <ul>
        {KEPT.map((c) => (
          <li>
            <strong>{t(`retention.erasure.categories.${c}`)}</strong>: {t(`retention.erasure.reasons.${c}`)}
          </li>
        ))}
      </ul>
      <form method="post" action="/i-miei-dati/cancellazione" class="mt-4">
        <CsrfField ctx={ctx} />
        <CheckboxGroup
          name="categories"
          label={t('retention.erasure.choose')}
          hint={t('retention.erasure.chooseHint')}
          options={ALL_CATEGORIES.map((c) => ({ value: c, label: t(`retention.erasure.categories.${c}`) }))}
          checked={props.checked}
          errors={props.errors}
        />
        <button type="submit" class="btn btn-primary">
          {t('retention.erasure.submit')}
        </button>
      </form>
      <h2 class="h4 mt-5">{t('retention.erasure.historyTitle')}</h2>
      {requests.length === 0 ? (
        <p>{t('retention.erasure.historyEmpty')}</p>
      ) : (
        <div class="table-responsive">
          <table class="table">
            <caption class="visually-hidden">{t('retention.erasure.historyTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('retention.erasure.when')}</th>
                <th scope="col">{t('retention.erasure.erased')}</th>
                <th scope="col">{t('retention.erasure.refused')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr>
                  <td>{when(ctx, r.requested_at)}</td>
                  <td>{list(ctx, r.erased)}</td>
                  <td>{list(ctx, r.refused)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function AdminPage(props: {
  ctx: RequestContext;
  deps: RetentionDeps;
  runs: RunRow[];
  counts: { total: number; withRefusal: number };
  notice: boolean;
}) {
  const { ctx, deps, runs } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('retention.admin.title')} wide>
      <h1>{t('retention.admin.title')}</h1>
      {props.notice && <Notice kind="success">{t('retention.admin.ran')}</Notice>}
      <p class="lead">{t('retention.admin.intro')}</p>
      <h2 class="h4 mt-4">{t('retention.admin.periodsTitle')}</h2>
      <div class="table-responsive">
        <table class="table">
          <caption class="visually-hidden">{t('retention.admin.periodsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('retention.admin.category')}</th>
              <th scope="col">{t('retention.admin.period')}</th>
              <th scope="col">{t('retention.admin.action')}</th>
              <th scope="col">{t('retention.admin.basis')}</th>
            </tr>
          </thead>
          <tbody>
            {RETENTION_CATEGORIES.map((c) => {
              const p = deps.retention[c];
              return (
                <tr>
                  <th scope="row">
                    {t(`retention.categories.${c}`)}
                    <span class="d-block small text-muted">
                      <code>{`RETENTION_${c.toUpperCase()}_DAYS`}</code>
                    </span>
                  </th>
                  <td>
                    {t('retention.admin.days', { n: p.days, from: t(`retention.from.${c}`) })}
                    <span class="d-block small text-muted">
                      {t('retention.admin.bounds', { min: p.min, max: p.max })}
                    </span>
                  </td>
                  <td>{t(`retention.actions.${p.action}`)}</td>
                  <td lang="en">{p.basis}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <form method="post" action="/admin/conservazione/esegui" class="mt-4">
        <CsrfField ctx={ctx} />
        <button type="submit" class="btn btn-primary">
          {t('retention.admin.runNow')}
        </button>
      </form>
      <h2 class="h4 mt-5">{t('retention.admin.runsTitle')}</h2>
      {runs.length === 0 ? (
        <p>{t('retention.admin.noRuns')}</p>
      ) : (
        <div class="table-responsive">
          <table class="table">
            <caption class="visually-hidden">{t('retention.admin.runsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('retention.admin.when')}</th>
                <th scope="col">{t('retention.admin.trigger')}</th>
                <th scope="col">{t('retention.admin.total')}</th>
                <th scope="col">{t('retention.admin.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => {
                const touched = r.results.filter((x) => x.affected > 0 || x.failed);
                return (
                  <tr>
                    <td>{when(ctx, r.run_at)}</td>
                    <td>{t(`retention.triggers.${r.trigger}`)}</td>
                    <td>{r.total_affected}</td>
                    <td>
                      {touched.length === 0 ? (
                        t('retention.admin.nothing')
                      ) : (
                        <ul class="mb-0">
                          {touched.map((x) => (
                            <li>
                              {t(`retention.categories.${x.category}`)}:{' '}
                              {x.failed
                                ? t('retention.admin.failed')
                                : `${x.affected} (${t(`retention.actions.${x.action}`)})`}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h2 class="h4 mt-5">{t('retention.admin.requestsTitle')}</h2>
      <p>{t('retention.admin.requests', { total: props.counts.total, refused: props.counts.withRefusal })}</p>
    </Layout>
  );
}

export function registerRetentionRoutes(routes: RouteCatalogue, deps: RetentionDeps): void {
  const erasurePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    checked: string[],
    errors: FieldErrors,
    status = 200,
  ) => {
    const requests = await myErasureRequests(deps.db, req.ctx.user!);
    const fresh = (req.query as Record<string, unknown>).ok === '1';
    return sendPage(
      reply,
      <ErasurePage
        ctx={req.ctx}
        requests={requests}
        checked={checked}
        errors={errors}
        fresh={fresh && status === 200}
      />,
      status,
    );
  };

  routes.get('/i-miei-dati/cancellazione', ['citizen'], async (req, reply) =>
    erasurePage(req, reply, [], {}),
  );

  routes.post('/i-miei-dati/cancellazione', ['citizen'], async (req, reply) => {
    const { t } = req.ctx;
    const raw = formArray(req.body, 'categories', 20);
    const chosen = raw.filter(isCategory);
    if (raw.length === 0)
      return erasurePage(req, reply, [], { categories: t('retention.erasure.chooseOne') }, 400);
    if (chosen.length !== raw.length)
      return erasurePage(req, reply, chosen, { categories: t('errors.choose') }, 400);
    await requestErasure(deps, req.ctx.user!, chosen, new Date());
    return reply.redirect('/i-miei-dati/cancellazione?ok=1', 303);
  });

  routes.get('/admin/conservazione', ['admin'], async (req, reply) => {
    const region = req.ctx.user!.regionCode;
    const [runs, counts] = await Promise.all([
      recentRuns(deps.db, region),
      erasureCounts(deps.db, region, new Date(Date.now() - 365 * 86_400_000)),
    ]);
    const notice = (req.query as Record<string, unknown>).ok === 'run';
    return sendPage(
      reply,
      <AdminPage ctx={req.ctx} deps={deps} runs={runs} counts={counts} notice={notice} />,
    );
  });

  routes.post('/admin/conservazione/esegui', ['admin'], async (req, reply) => {
    const user = req.ctx.user!;
    await runRetentionForRegion(deps, user.regionCode, new Date(), 'admin', actorOf(user));
    return reply.redirect('/admin/conservazione?ok=run', 303);
  });
}
