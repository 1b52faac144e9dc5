import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readPersonRecord } from '../../casework/use-cases/person-record.ts';
import { formArray, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { CHANNELS, CONSENT_VERSION, DURATIONS } from '../domain/assisted.ts';
import {
  type AssistedDeps,
  actionsOnBehalfOf,
  activeSession,
  consentStatement,
  endByOperator,
  sessionsOf,
  startAssisted,
  workplaceOf,
} from '../use-cases/assisted.ts';
import { AssistedBanner, actionText, whenFmt } from './components.tsx';

const OPS = ['cpi_operator', 'apl_operator'] as const;
const NOTICES = ['started', 'ended', 'booked', 'already'] as const;

const StartForm = z.object({
  canale: z.enum(CHANNELS, 'assisted.errors.channel'),
  durata: z.enum(DURATIONS, 'assisted.errors.duration'),
});

type Person = { id: string; given_name: string; family_name: string };

/**
 * The operator's pages: start assisted mode for a person (channel, duration, the statement read out,
 * identity and consent confirmed), see it active with the banner and what was done, end it.
 * The person is opened through `readPersonRecord` (Region scope, APL referrals, audited read).
 */
export function operatorAssistedRoutes(routes: RouteCatalogue, deps: AssistedDeps): void {
  const personFor = (req: FastifyRequest) => {
    const { id } = req.params as { id: string };
    const op = req.ctx.user!;
    return readPersonRecord(
      { db: deps.db, audit: deps.audit, notifier: deps.notifier, defaultRegion: op.regionCode },
      op,
      id,
      'interview',
    );
  };

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    person: Person,
    values: FormValues,
    checked: { identity: boolean; consent: boolean },
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const op = req.ctx.user!;
    const name = `${person.given_name} ${person.family_name}`;
    const active = await activeSession(deps.db, op, person.id);
    const mine = await sessionsOf(deps.db, op.regionCode, person.id, op.id);
    const done = active ? await actionsOnBehalfOf(deps.db, op.regionCode, person.id, active.id) : [];
    const ok = (req.query as Record<string, unknown>).ok;
    const notice = NOTICES.find((n) => n === ok);
    const when = whenFmt(req.ctx);
    const statement = consentStatement(req.ctx.lang, {
      operator: `${op.givenName} ${op.familyName}`,
      workplace: await workplaceOf(deps.db, op),
      person: name,
    });
    const past = mine.filter((s) => s.id !== active?.id);
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('assisted.operator.title', { name })}>
        <p>
          <a href={`/operatore/persone/${person.id}?purpose=interview`}>{t('assisted.operator.back')}</a>
        </p>
        <h1>{t('assisted.operator.title', { name })}</h1>
        {notice && <Notice kind="success">{t(`assisted.done.${notice}`)}</Notice>}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        {active ? (
          <>
            <AssistedBanner ctx={req.ctx} personId={person.id} personName={name} session={active} />
            <h2 class="h4 mt-4">{t('assisted.operator.whatNow')}</h2>
            <ul>
              <li>
                <a href={`/operatore/persone/${person.id}/appuntamento`}>
                  {t('assisted.operator.bookLink', { name })}
                </a>
              </li>
            </ul>
            <h2 class="h4 mt-4">{t('assisted.operator.doneHeading')}</h2>
            {done.length === 0 ? (
              <p>{t('assisted.operator.doneNone')}</p>
            ) : (
              <ul>
                {done.map((d) => (
                  <li>
                    {when.format(d.at)} — {actionText(req.ctx, d, 'operator')}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <>
            <p class="lead">{t('assisted.operator.intro')}</p>
            <form method="post" action={`/operatore/persone/${person.id}/assistenza`} novalidate>
              <CsrfField ctx={req.ctx} />
              <RadioGroup
                name="canale"
                label={t('assisted.operator.channel')}
                values={values}
                errors={errors}
                options={CHANNELS.map((c) => ({ value: c, label: t(`assisted.operator.channels.${c}`) }))}
              />
              <RadioGroup
                name="durata"
                label={t('assisted.operator.duration')}
                hint={t('assisted.operator.durationHint')}
                values={values}
                errors={errors}
                options={DURATIONS.map((d) => ({ value: d, label: t(`assisted.operator.durations.${d}`) }))}
              />
              <h2 class="h4" id="statement-heading">
                {t('assisted.operator.statementHeading')}
              </h2>
              <blockquote class="card card-body mb-2">
                <p class="mb-0">{statement}</p>
              </blockquote>
              <p class="small text-muted">
                {t('assisted.operator.statementVersion', { version: CONSENT_VERSION })}
              </p>
              <input type="hidden" name="versione" value={CONSENT_VERSION} />
              <CheckboxGroup
                name="identita"
                label={t('assisted.operator.identity')}
                options={[{ value: 'yes', label: t('assisted.operator.identityLabel') }]}
                checked={checked.identity ? ['yes'] : []}
                errors={errors}
              />
              <CheckboxGroup
                name="consenso"
                label={t('assisted.operator.consent')}
                options={[{ value: 'yes', label: t('assisted.operator.consentLabel') }]}
                checked={checked.consent ? ['yes'] : []}
                errors={errors}
              />
              <button type="submit" class="btn btn-primary">
                {t('assisted.operator.start')}
              </button>
            </form>
          </>
        )}
        {past.length > 0 && (
          <section aria-labelledby="history-heading" class="mt-4">
            <h2 id="history-heading" class="h4">
              {t('assisted.operator.historyHeading')}
            </h2>
            <section class="table-responsive" tabindex={0} aria-label={t('assisted.operator.historyCaption')}>
              <table class="table">
                <caption class="visually-hidden">{t('assisted.operator.historyCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('assisted.operator.cols.started')}</th>
                    <th scope="col">{t('assisted.operator.cols.channel')}</th>
                    <th scope="col">{t('assisted.operator.cols.ended')}</th>
                    <th scope="col">{t('assisted.operator.cols.endedBy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {past.map((s) => (
                    <tr>
                      <td>{when.format(s.started_at)}</td>
                      <td>{t(`assisted.operator.channels.${s.channel}`)}</td>
                      <td>{when.format(s.ended_at ?? s.expires_at)}</td>
                      <td>{t(`assisted.endedBy.${s.ended_by ?? 'expired'}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </section>
        )}
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/persone/:id/assistenza',
    [...OPS],
    async (req, reply) => {
      const person = await personFor(req);
      if (!person) return reply.callNotFound();
      return render(req, reply, person, {}, { identity: false, consent: false }, {});
    },
    true,
  );

  routes.post('/operatore/persone/:id/assistenza', [...OPS], async (req, reply) => {
    const person = await personFor(req);
    if (!person) return reply.callNotFound();
    const { t, lang } = req.ctx;
    const op = req.ctx.user!;
    const form = parseForm(StartForm, req.body, t);
    const identity = formArray(req.body, 'identita').includes('yes');
    const consent = formArray(req.body, 'consenso').includes('yes');
    const checked = { identity, consent };
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    if (!identity) errors.identita = t('assisted.errors.identity');
    if (!consent) errors.consenso = t('assisted.errors.consent');
    if (!form.ok || Object.keys(errors).length > 0)
      return render(req, reply, person, form.values, checked, errors, 400);
    const result = await startAssisted(deps, op, person, {
      channel: form.data.canale,
      duration: form.data.durata,
      identityChecked: identity,
      consentConfirmed: consent,
      lang,
    });
    if (!result.ok) {
      if (result.reason === 'already_active')
        return reply.redirect(`/operatore/persone/${person.id}/assistenza`, 303);
      const field = { consent: 'consenso', identity: 'identita', duration: 'durata' }[result.reason];
      return render(
        req,
        reply,
        person,
        form.values,
        checked,
        { [field]: t(`assisted.errors.${result.reason}`) },
        400,
      );
    }
    return reply.redirect(`/operatore/persone/${person.id}/assistenza?ok=started`, 303);
  });

  routes.post('/operatore/persone/:id/assistenza/termina', [...OPS], async (req, reply) => {
    // Ending one's own session never needs the person's record (a referral may have closed since).
    const { id } = req.params as { id: string };
    if (await endByOperator(deps, req.ctx.user!, id))
      return reply.redirect(`/operatore/persone/${id}/assistenza?ok=ended`, 303);
    const person = await personFor(req);
    if (!person) return reply.callNotFound();
    return reply.redirect(`/operatore/persone/${person.id}/assistenza?ok=already`, 303);
  });
}
