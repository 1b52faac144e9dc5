import type { FastifyReply, FastifyRequest } from 'fastify';
import { formValues } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { AGENCY_SERVICES, type AgencyService } from '../domain/services.ts';
import { myChoices, saveChoices } from '../use-cases/choices.ts';
import { referralsOf } from '../use-cases/referrals.ts';
import type { AgencyDeps } from '../use-cases/scopes.ts';

/** The person chooses an accredited agency per service (or no preference) and sees their referrals. */
export function citizenRoutes(routes: RouteCatalogue, deps: AgencyDeps): void {
  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    submitted: FormValues | null,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const me = req.ctx.user!;
    const offers = await myChoices(deps, me);
    const referrals = await referralsOf(deps.db, me.regionCode, me.id);
    const values: FormValues = {};
    for (const o of offers) {
      const name = `choice_${o.service}`;
      values[name] = submitted?.[name] ?? (o.choice === undefined ? '' : (o.choice ?? 'none'));
    }
    const ok = (req.query as Record<string, unknown>).ok;
    const fmt = dateTimeFormat(req.ctx.lang, { dateStyle: 'long', timeZone: 'UTC' });
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('agencies.citizen.title')}>
        <h1>{t('agencies.citizen.title')}</h1>
        {status === 200 && ok === 'saved' && <Notice kind="success">{t('agencies.citizen.saved')}</Notice>}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p class="lead">{t('agencies.citizen.intro')}</p>
        <h2 class="h4">{t('agencies.citizen.referralsHeading')}</h2>
        {referrals.length === 0 ? (
          <p>{t('agencies.citizen.noReferrals')}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <caption class="visually-hidden">{t('agencies.citizen.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('agencies.citizen.service')}</th>
                  <th scope="col">{t('agencies.citizen.agency')}</th>
                  <th scope="col">{t('agencies.citizen.from')}</th>
                  <th scope="col">{t('agencies.citizen.status')}</th>
                </tr>
              </thead>
              <tbody>
                {referrals.map((r) => (
                  <tr>
                    <th scope="row">{t(`agencies.services.${r.service}`)}</th>
                    <td>
                      {r.agency_name}
                      <span class="d-block small text-muted">{r.agency_address}</span>
                    </td>
                    <td>{fmt.format(r.starts_on)}</td>
                    <td>{t(`agencies.statuses.${r.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h2 class="h4 mt-4">{t('agencies.citizen.choicesHeading')}</h2>
        <form method="post" action="/agenzia">
          <CsrfField ctx={req.ctx} />
          {offers
            .filter((o) => o.agencies.length > 0)
            .map((o) => (
              <RadioGroup
                name={`choice_${o.service}`}
                label={t('agencies.citizen.choiceFor', { service: t(`agencies.services.${o.service}`) })}
                values={values}
                errors={errors}
                options={[
                  { value: 'none', label: t('agencies.citizen.noPreference') },
                  ...o.agencies.map((a) => ({ value: a.id, label: `${a.name} — ${a.address}` })),
                ]}
              />
            ))}
          {offers.some((o) => o.agencies.length === 0) && (
            <p>
              {t('agencies.citizen.noAgencies', {
                services: offers
                  .filter((o) => o.agencies.length === 0)
                  .map((o) => t(`agencies.services.${o.service}`))
                  .join('; '),
              })}
            </p>
          )}
          <button type="submit" class="btn btn-primary">
            {t('agencies.citizen.save')}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  routes.get('/agenzia', ['citizen'], (req, reply) => render(req, reply, null, {}));

  routes.post('/agenzia', ['citizen'], async (req, reply) => {
    const { t } = req.ctx;
    const values = formValues(req.body);
    const submitted: Partial<Record<AgencyService, string>> = {};
    for (const s of AGENCY_SERVICES) {
      const v = values[`choice_${s}`];
      if (v !== undefined) submitted[s] = v.slice(0, 40);
    }
    const out = await saveChoices(deps, req.ctx.user!, submitted);
    if (!out.ok) {
      const errors: FieldErrors = {};
      for (const [field, key] of Object.entries(out.errors)) errors[field] = t(key);
      return render(req, reply, values, errors, 400);
    }
    return reply.redirect('/agenzia?ok=saved', 303);
  });
}
