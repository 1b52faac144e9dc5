import { z } from 'zod';
import { readPersonRecord } from '../../casework/use-cases/person-record.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Channel, JourneyPhase } from '../../platform/db/schema.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formValues, NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
  TextArea,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { ATTITUDE_ITEMS } from '../domain/attitude.ts';
import { CHANNELS, JOURNEY_PHASES } from '../domain/tiers.ts';
import type { OnboardingDeps } from '../use-cases/profile.ts';
import {
  assignTier,
  chooseChannel,
  currentTier,
  journeyOverview,
  overrideTier,
  personChannelPlan,
  saveAttitude,
} from '../use-cases/profiling.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Tier = Awaited<ReturnType<typeof currentTier>>;
type Plan = Awaited<ReturnType<typeof personChannelPlan>>;

function TierSummary({ ctx, tier }: { ctx: RequestContext; tier: NonNullable<Tier> }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="tier-heading" class="mb-4">
      <h2 id="tier-heading" class="h4">
        {t('journey.tierHeading', { title: t(`profiling.tiers.${tier.tier}.title`) })}
      </h2>
      <p>{t(`profiling.tiers.${tier.tier}.text`)}</p>
      {tier.source === 'override' ? (
        <Notice kind="info">
          {t('journey.overridden', {
            name: `${tier.given_name ?? ''} ${tier.family_name ?? ''}`.trim(),
            reason: tier.override_reason ?? '',
          })}
        </Notice>
      ) : null}
      {tier.reasons.length > 0 && (
        <>
          <h3 class="h5">{t('journey.reasonsHeading')}</h3>
          <ul>
            {tier.reasons.map((r) => (
              <li>{t(`profiling.reasons.${r}`)}</li>
            ))}
          </ul>
        </>
      )}
      <p class="small">{t('journey.notADecision')}</p>
    </section>
  );
}

function ChannelPlanSection({ ctx, plan }: { ctx: RequestContext; plan: Plan }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="channels-heading" class="mb-4">
      <h2 id="channels-heading" class="h4">
        {t('journey.channelsHeading')}
      </h2>
      <p>{t('journey.channelsIntro')}</p>
      <div class="table-responsive">
        <table class="table">
          <caption class="visually-hidden">{t('journey.channelsHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('journey.phase')}</th>
              <th scope="col">{t('journey.channel')}</th>
              <th scope="col">{t('journey.change')}</th>
            </tr>
          </thead>
          <tbody>
            {JOURNEY_PHASES.map((phase) => (
              <tr>
                <th scope="row">{t(`journey.phases.${phase}`)}</th>
                <td>
                  {t(`journey.channels.${plan[phase].channel}`)}
                  <span class="d-block small text-muted">
                    {plan[phase].chosen ? t('journey.yourChoice') : t('journey.suggested')}
                  </span>
                </td>
                <td>
                  <form method="post" action="/profilo/canali" class="d-flex flex-wrap gap-2 align-items-end">
                    <CsrfField ctx={ctx} />
                    <input type="hidden" name="phase" value={phase} />
                    <label class="visually-hidden" for={`channel-${phase}`}>
                      {t('journey.channelFor', { phase: t(`journey.phases.${phase}`) })}
                    </label>
                    <select id={`channel-${phase}`} name="channel">
                      {CHANNELS.map((c) => (
                        <option value={c} selected={c === plan[phase].channel}>
                          {t(`journey.channels.${c}`)}
                        </option>
                      ))}
                    </select>
                    <button type="submit" class="btn btn-outline-primary btn-sm">
                      {t('journey.save')}
                      <span class="visually-hidden">{` — ${t(`journey.phases.${phase}`)}`}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The citizen's journey: tier with reasons, channel plan, and what to do next. Used on the home page. */
export async function CitizenJourney({ ctx, deps }: { ctx: RequestContext; deps: OnboardingDeps }) {
  const user = ctx.user!;
  const person = { regionCode: user.regionCode, userId: user.id };
  const overview = await journeyOverview(deps, person);
  const done = overview.done;
  let tier = overview.tier;
  // The tier is assigned once the profile and the digital check are done (assignTier's own
  // condition); asking before that would cost three more queries on every visit to the home page.
  if (!tier && done.profile && done.digital) {
    const status = await assignTier(deps, person);
    if (status.assigned) tier = await currentTier(deps, person);
  }
  const steps = [
    { done: done.profile, href: '/profilo', key: 'journey.next.profile' },
    { done: done.did, href: '/profilo/did', key: 'journey.next.did' },
    { done: done.digital, href: '/profilo/competenze-digitali', key: 'journey.next.digital' },
    { done: done.attitude, href: '/profilo/atteggiamento', key: 'journey.next.attitude' },
    { done: false, href: '/sostegni/naspi', key: 'journey.next.naspi' },
  ];
  const { t } = ctx;
  return (
    <>
      {tier && <TierSummary ctx={ctx} tier={tier} />}
      {tier && (
        <ChannelPlanSection ctx={ctx} plan={await personChannelPlan(deps, person, tier.tier as 1 | 2 | 3)} />
      )}
      <section aria-labelledby="next-heading" class="mb-4">
        <h2 id="next-heading" class="h4">
          {t('journey.nextHeading')}
        </h2>
        <ol>
          {steps.map((s) => (
            <li>
              {s.done ? (
                <span>
                  {t(s.key)} <span class="badge bg-success">{t('journey.done')}</span>
                </span>
              ) : (
                <a href={s.href}>{t(s.key)}</a>
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function AttitudePage({
  ctx,
  values,
  errors = {},
}: {
  ctx: RequestContext;
  values: FormValues;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const scale = [1, 2, 3, 4, 5].map((v) => ({ value: String(v), label: t(`attitude.scale.${v}`) }));
  return (
    <Layout ctx={ctx} title={t('attitude.title')}>
      <h1>{t('attitude.title')}</h1>
      <p>{t('attitude.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/profilo/atteggiamento" novalidate>
        <CsrfField ctx={ctx} />
        {ATTITUDE_ITEMS.map((item, i) => (
          <RadioGroup
            name={item.id}
            label={`${i + 1}. ${t(`attitude.items.${item.id}`)}`}
            values={values}
            errors={errors}
            options={scale}
          />
        ))}
        <button type="submit" class="btn btn-primary">
          {t('attitude.submit')}
        </button>
      </form>
    </Layout>
  );
}

function OperatorTierPage({
  ctx,
  personId,
  name,
  tier,
  errors = {},
  values = {},
}: {
  ctx: RequestContext;
  personId: string;
  name: string;
  tier: Tier;
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('journey.operatorTitle', { name })}>
      <h1>{t('journey.operatorTitle', { name })}</h1>
      {tier ? (
        <>
          <TierSummary ctx={ctx} tier={tier} />
          <p class="small">
            {t('journey.risk', { risk: tier.risk === null ? '—' : `${Math.round(tier.risk * 100)}%` })}
          </p>
        </>
      ) : (
        <p>{t('journey.noTier')}</p>
      )}
      <h2 class="h4">{t('journey.overrideHeading')}</h2>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`/operatore/persone/${personId}/livello`} novalidate>
        <CsrfField ctx={ctx} />
        <SelectField
          name="tier"
          label={t('journey.newTier')}
          values={values}
          errors={errors}
          options={[
            { value: '', label: t('form.choose') },
            ...['1', '2', '3'].map((v) => ({ value: v, label: t(`profiling.tiers.${v}.title`) })),
          ]}
        />
        <TextArea
          name="reason"
          label={t('journey.overrideReason')}
          hint={t('journey.overrideHint')}
          values={values}
          errors={errors}
          maxLength={1000}
        />
        <button type="submit" class="btn btn-primary">
          {t('journey.overrideSubmit')}
        </button>
      </form>
      <p class="mt-4">
        <a href={`/operatore/persone/${personId}/competenze-digitali`}>{t('journey.assistedDigital')}</a>
      </p>
    </Layout>
  );
}

export function registerJourneyRoutes(routes: RouteCatalogue, deps: OnboardingDeps): void {
  routes.get('/profilo/atteggiamento', ['citizen'], async (req, reply) =>
    sendPage(reply, AttitudePage({ ctx: req.ctx, values: {} })),
  );

  routes.post('/profilo/atteggiamento', ['citizen'], async (req, reply) => {
    const values = formValues(req.body);
    const answers: Record<string, number> = {};
    const errors: FieldErrors = {};
    for (const item of ATTITUDE_ITEMS) {
      const v = values[item.id];
      if (v && /^[1-5]$/.test(v)) answers[item.id] = Number(v);
      else errors[item.id] = req.ctx.t('attitude.missing', { n: ATTITUDE_ITEMS.indexOf(item) + 1 });
    }
    if (Object.keys(errors).length > 0)
      return sendPage(reply, AttitudePage({ ctx: req.ctx, values, errors }), 400);
    await saveAttitude(deps, req.ctx.user!, answers);
    await assignTier(deps, { regionCode: req.ctx.user!.regionCode, userId: req.ctx.user!.id });
    return reply.redirect('/?ok=attitude', 303);
  });

  routes.post('/profilo/canali', ['citizen'], async (req, reply) => {
    const form = parseForm(
      z.object({
        phase: z.enum(JOURNEY_PHASES as [JourneyPhase, ...JourneyPhase[]], { message: 'errors.choose' }),
        channel: z.enum(CHANNELS as [Channel, ...Channel[]], { message: 'errors.choose' }),
      }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) return reply.redirect('/?error=channel', 303);
    await chooseChannel(deps, req.ctx.user!, form.data.phase, form.data.channel);
    return reply.redirect('/?ok=channel#channels-heading', 303);
  });

  const loadPerson = async (operator: SessionUser, id: string) => {
    if (!UUID.test(id)) return null;
    return readPersonRecord(
      { db: deps.db, audit: deps.audit, notifier: deps.notifier, defaultRegion: operator.regionCode },
      operator,
      id,
      'taking_charge',
    );
  };

  routes.get('/operatore/persone/:id/livello', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const person = await loadPerson(req.ctx.user!, id);
    if (!person) return reply.callNotFound();
    const tier = await currentTier(deps, { regionCode: person.region_code, userId: person.id });
    return sendPage(
      reply,
      OperatorTierPage({
        ctx: req.ctx,
        personId: person.id,
        name: `${person.given_name} ${person.family_name}`,
        tier,
      }),
    );
  });

  routes.post('/operatore/persone/:id/livello', ['cpi_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const operator = req.ctx.user!;
    const person = await loadPerson(operator, id);
    if (!person) return reply.callNotFound();
    const form = parseForm(
      z.object({
        tier: z.enum(['1', '2', '3'], { message: 'errors.choose' }),
        reason: z
          .string()
          .trim()
          .min(10, 'journey.errors.reason')
          .max(1000, 'errors.tooLong')
          .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
      }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) {
      const tier = await currentTier(deps, { regionCode: person.region_code, userId: person.id });
      return sendPage(
        reply,
        OperatorTierPage({
          ctx: req.ctx,
          personId: person.id,
          name: `${person.given_name} ${person.family_name}`,
          tier,
          errors: form.errors,
          values: form.values,
        }),
        400,
      );
    }
    await overrideTier(deps, operator, person.id, Number(form.data.tier) as 1 | 2 | 3, form.data.reason);
    return reply.redirect(`/operatore/persone/${person.id}/livello`, 303);
  });
}
