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
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { ACTIVITY_KINDS, MAX_NOTE, romeDay } from '../domain/services.ts';
import { aplCaseload, aplPerson, recordAgencyActivity } from '../use-cases/apl.ts';
import type { AgencyDeps } from '../use-cases/scopes.ts';
import { activityKind, day, text } from './schemas.ts';

const APL = ['apl_operator'] as const;

const activitySchema = z.object({
  referral: z.string({ message: 'errors.choose' }).min(1, 'errors.choose').max(36, 'errors.choose'),
  day,
  kind: activityKind,
  outcome: text().pipe(z.string().min(1, 'errors.required')),
});

/** The agency's operators: the people referred to their agency, and activities on the referrals. */
export function aplRoutes(routes: RouteCatalogue, deps: AgencyDeps): void {
  routes.get(
    '/apl/persone',
    [...APL],
    async (req, reply) => {
      const { t } = req.ctx;
      const rows = await aplCaseload(deps, req.ctx.user!);
      const fmt = dateTimeFormat(req.ctx.lang, { dateStyle: 'medium', timeZone: 'UTC' });
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('agencies.apl.title')}>
          <h1>{t('agencies.apl.title')}</h1>
          <p class="lead">{t('agencies.apl.intro')}</p>
          {rows.length === 0 ? (
            <p>{t('agencies.apl.none')}</p>
          ) : (
            <div class="table-responsive">
              <table class="table">
                <caption class="visually-hidden">{t('agencies.apl.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('agencies.apl.person')}</th>
                    <th scope="col">{t('agencies.apl.service')}</th>
                    <th scope="col">{t('agencies.apl.from')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr>
                      <th scope="row">
                        <a href={`/apl/persone/${r.citizen_id}`}>{`${r.family_name} ${r.given_name}`}</a>
                      </th>
                      <td>{t(`agencies.services.${r.service}`)}</td>
                      <td>{fmt.format(r.starts_on)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Layout>,
      );
    },
    true,
  );

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const seen = await aplPerson(deps, req.ctx.user!, personId);
    if (!seen) return reply.callNotFound();
    const { person, tier, referrals, activities } = seen;
    const name = `${person.given_name} ${person.family_name}`;
    const fmt = dateTimeFormat(req.ctx.lang, { dateStyle: 'long', timeZone: 'UTC' });
    const ok = (req.query as Record<string, unknown>).ok;
    const formValues: FormValues = {
      referral: referrals.length === 1 ? referrals[0]!.id : '',
      day: romeDay(new Date()),
      kind: '',
      ...values,
    };
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={name}>
        <h1>{name}</h1>
        {status === 200 && ok === 'recorded' && <Notice kind="success">{t('agencies.apl.recorded')}</Notice>}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <h2 class="h4">{t('agencies.apl.contacts')}</h2>
        <dl class="sl-dl">
          <dt>{t('agencies.apl.email')}</dt>
          <dd>{person.email ?? '—'}</dd>
          <dt>{t('agencies.apl.mobile')}</dt>
          <dd>{person.mobile ?? '—'}</dd>
          <dt>{t('agencies.apl.tier')}</dt>
          <dd>{tier === null ? t('agencies.apl.tierNone') : t('agencies.apl.tierValue', { tier })}</dd>
        </dl>
        <h2 class="h4 mt-4">{t('agencies.apl.referralsHeading')}</h2>
        {referrals.map((r) => {
          const mine = activities.filter((a) => a.referral_id === r.id);
          return (
            <section class="mb-4" aria-labelledby={`ref-${r.id}`}>
              <h3 class="h5" id={`ref-${r.id}`}>
                {`${t(`agencies.services.${r.service}`)} — ${t('agencies.apl.from')} ${fmt.format(r.starts_on)}`}
              </h3>
              <dl class="sl-dl">
                <dt>{t('agencies.apl.note')}</dt>
                <dd>{r.note || t('agencies.apl.noNote')}</dd>
              </dl>
              <h4 class="h6">{t('agencies.apl.activitiesHeading')}</h4>
              {mine.length === 0 ? (
                <p>{t('agencies.apl.noActivities')}</p>
              ) : (
                <ul>
                  {mine.map((a) => (
                    <li>
                      <strong>{`${fmt.format(a.occurred_on)} — ${t(`agencies.activityKinds.${a.kind}`)}`}</strong>
                      {` (${a.author}): `}
                      {a.outcome}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
        <h2 class="h4 mt-4">{t('agencies.apl.recordHeading')}</h2>
        <form method="post" action={`/apl/persone/${person.id}/attivita`}>
          <CsrfField ctx={req.ctx} />
          <SelectField
            name="referral"
            label={t('agencies.apl.referral')}
            values={formValues}
            errors={errors}
            options={[
              ...(referrals.length > 1 ? [{ value: '', label: t('agencies.region.chooseService') }] : []),
              ...referrals.map((r) => ({ value: r.id, label: t(`agencies.services.${r.service}`) })),
            ]}
          />
          <TextField
            name="day"
            type="date"
            label={t('agencies.apl.day')}
            hint={t('agencies.apl.dayHint')}
            values={formValues}
            errors={errors}
          />
          <SelectField
            name="kind"
            label={t('agencies.apl.kind')}
            values={formValues}
            errors={errors}
            options={[
              { value: '', label: t('agencies.apl.chooseKind') },
              ...ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`agencies.activityKinds.${k}`) })),
            ]}
          />
          <TextArea
            name="outcome"
            label={t('agencies.apl.outcome')}
            hint={t('agencies.apl.outcomeHint')}
            values={formValues}
            errors={errors}
            rows={5}
            maxLength={MAX_NOTE}
          />
          <button type="submit" class="btn btn-primary">
            {t('agencies.apl.submit')}
          </button>
        </form>
        <p class="mt-4">
          <a href="/apl/persone">{t('agencies.apl.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/apl/persone/:id',
    [...APL],
    (req, reply) => render(req, reply, (req.params as { id: string }).id, {}, {}),
    true,
  );

  routes.post('/apl/persone/:id/attivita', [...APL], async (req, reply) => {
    const { t } = req.ctx;
    const { id } = req.params as { id: string };
    const form = parseForm(activitySchema, req.body, t);
    if (!form.ok) return render(req, reply, id, form.values, form.errors, 400);
    const out = await recordAgencyActivity(deps, req.ctx.user!, id, {
      referralId: form.data.referral,
      day: form.data.day,
      kind: form.data.kind,
      outcome: form.data.outcome,
    });
    if (!out.ok) {
      if (out.errors._form) return reply.callNotFound();
      const errors: FieldErrors = {};
      for (const [field, key] of Object.entries(out.errors)) errors[field] = t(key);
      return render(req, reply, id, form.values, errors, 400);
    }
    return reply.redirect(`/apl/persone/${id}?ok=recorded`, 303);
  });
}
