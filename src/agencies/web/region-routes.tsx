import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  SelectField,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { AGENCY_SERVICES, romeDay, scopeState } from '../domain/services.ts';
import { type AgencyDeps, agenciesWithScopes, grantScope, revokeScope } from '../use-cases/scopes.ts';
import { day, service } from './schemas.ts';

const REGION = ['regional_manager', 'admin'] as const;

const grantSchema = z.object({
  agency: z.string({ message: 'errors.choose' }).min(1, 'errors.choose').max(36, 'errors.choose'),
  service,
  from: day,
  to: day,
});

/** The Region grants and revokes accreditation scopes (service × period) to its agencies. */
export function regionRoutes(routes: RouteCatalogue, deps: AgencyDeps): void {
  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const me = req.ctx.user!;
    const agencies = await agenciesWithScopes(deps.db, me.regionCode);
    const today = romeDay(new Date());
    const ok = (req.query as Record<string, unknown>).ok;
    const fmt = dateTimeFormat(req.ctx.lang, { dateStyle: 'medium', timeZone: 'UTC' });
    const d = (iso: string) => fmt.format(new Date(`${iso}T00:00:00Z`));
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('agencies.region.title')} wide>
        <h1>{t('agencies.region.title')}</h1>
        {status === 200 && (ok === 'granted' || ok === 'revoked') && (
          <Notice kind="success">{t(`agencies.region.${ok}`)}</Notice>
        )}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p class="lead">{t('agencies.region.intro')}</p>
        {agencies.length === 0 && <p>{t('agencies.region.noAgencies')}</p>}
        {agencies.map((a) => (
          <section class="mb-4">
            <h2 class="h4">{a.name}</h2>
            <p class="small text-muted">{`${t('agencies.region.vat', { vat: a.vat_number })} — ${a.address}`}</p>
            {a.scopes.length === 0 ? (
              <p>{t('agencies.region.noScopes')}</p>
            ) : (
              <div class="table-responsive">
                <table class="table">
                  <caption class="visually-hidden">
                    {t('agencies.region.caption', { agency: a.name })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('agencies.region.service')}</th>
                      <th scope="col">{t('agencies.region.period')}</th>
                      <th scope="col">{t('agencies.region.state')}</th>
                      <th scope="col">{t('agencies.region.action')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.scopes.map((s) => {
                      const state = scopeState(s, today);
                      const label = t(`agencies.services.${s.service}`);
                      return (
                        <tr>
                          <th scope="row">{label}</th>
                          <td>
                            {t('agencies.region.periodValue', { from: d(s.valid_from), to: d(s.valid_to) })}
                          </td>
                          <td>{t(`agencies.states.${state}`)}</td>
                          <td>
                            {state === 'revoked' || state === 'expired' ? (
                              '—'
                            ) : (
                              <form method="post" action={`/regione/accreditamenti/${s.id}/revoca`}>
                                <CsrfField ctx={req.ctx} />
                                <button type="submit" class="btn btn-outline-primary btn-sm">
                                  {t('agencies.region.revoke')}
                                  <span class="visually-hidden">
                                    {` — ${t('agencies.region.revokeLabel', { service: label, agency: a.name })}`}
                                  </span>
                                </button>
                              </form>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))}
        {agencies.length > 0 && (
          <section class="mt-4">
            <h2 class="h4">{t('agencies.region.grantHeading')}</h2>
            <form method="post" action="/regione/accreditamenti" novalidate>
              <CsrfField ctx={req.ctx} />
              <SelectField
                name="agency"
                label={t('agencies.region.agency')}
                values={values}
                errors={errors}
                required
                options={[
                  { value: '', label: t('agencies.region.chooseAgency') },
                  ...agencies.map((a) => ({ value: a.id, label: a.name })),
                ]}
              />
              <SelectField
                name="service"
                label={t('agencies.region.service')}
                values={values}
                errors={errors}
                required
                options={[
                  { value: '', label: t('agencies.region.chooseService') },
                  ...AGENCY_SERVICES.map((s) => ({ value: s, label: t(`agencies.services.${s}`) })),
                ]}
              />
              <TextField
                name="from"
                type="date"
                label={t('agencies.region.from')}
                hint={t('agencies.region.dateHint')}
                values={values}
                errors={errors}
                required
              />
              <TextField
                name="to"
                type="date"
                label={t('agencies.region.to')}
                hint={t('agencies.region.dateHint')}
                values={values}
                errors={errors}
                required
              />
              <button type="submit" class="btn btn-primary">
                {t('agencies.region.grant')}
              </button>
            </form>
          </section>
        )}
      </Layout>,
      status,
    );
  };

  routes.get('/regione/accreditamenti', [...REGION], (req, reply) => render(req, reply, {}, {}));

  routes.post('/regione/accreditamenti', [...REGION], async (req, reply) => {
    const { t } = req.ctx;
    const form = parseForm(grantSchema, req.body, t);
    if (!form.ok) return render(req, reply, form.values, form.errors, 400);
    const out = await grantScope(deps, req.ctx.user!, {
      agencyId: form.data.agency,
      service: form.data.service,
      from: form.data.from,
      to: form.data.to,
    });
    if (!out.ok) return render(req, reply, form.values, { [out.field]: t(out.error) }, 400);
    return reply.redirect('/regione/accreditamenti?ok=granted', 303);
  });

  routes.post('/regione/accreditamenti/:id/revoca', [...REGION], async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!(await revokeScope(deps, req.ctx.user!, id))) return reply.callNotFound();
    return reply.redirect('/regione/accreditamenti?ok=revoked', 303);
  });
}
