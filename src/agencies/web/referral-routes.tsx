import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readPersonRecord } from '../../casework/use-cases/person-record.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  AGENCY_SERVICES,
  type AgencyService,
  isAgencyService,
  isIsoDay,
  MAX_NOTE,
} from '../domain/services.ts';
import {
  activitiesOf,
  choiceOf,
  endReferral,
  MAX_DAYS_AHEAD,
  refer,
  referralsOf,
  referralWindow,
} from '../use-cases/referrals.ts';
import { type AgencyDeps, agenciesAccreditedFor } from '../use-cases/scopes.ts';
import { day, optionalText, service } from './schemas.ts';

const CPI = ['cpi_operator'] as const;

const referSchema = z.object({
  service,
  day,
  agency: z.string({ message: 'errors.choose' }).min(1, 'errors.choose').max(36, 'errors.choose'),
  note: optionalText(),
  reason: optionalText(),
});
const endSchema = z.object({
  action: z.enum(['closed', 'withdrawn'], { message: 'errors.choose' }),
  note: optionalText(),
});

type Person = { id: string; given_name: string; family_name: string };

/** A CPI operator refers a person to an accredited agency for a service, and closes or withdraws it. */
export function referralRoutes(routes: RouteCatalogue, deps: AgencyDeps): void {
  const loadPerson = (op: SessionUser, id: string) => readPersonRecord(deps, op, id, 'taking_charge');

  const render = async (
    req: FastifyRequest,
    reply: FastifyReply,
    person: Person,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    const op = req.ctx.user!;
    const name = `${person.given_name} ${person.family_name}`;
    const self = `/operatore/persone/${person.id}/invio-apl`;
    const referrals = await referralsOf(deps.db, op.regionCode, person.id);
    const activities = await activitiesOf(
      deps.db,
      op.regionCode,
      referrals.map((r) => r.id),
    );
    const window = referralWindow(new Date());
    const chosenService: AgencyService | null = isAgencyService(values.service) ? values.service : null;
    const chosenDay = values.day && isIsoDay(values.day) ? values.day : null;
    const step2 =
      chosenService !== null &&
      chosenDay !== null &&
      chosenDay >= window.min &&
      chosenDay <= window.max &&
      !errors.service &&
      !errors.day;
    const agencies = step2
      ? await agenciesAccreditedFor(deps.db, op.regionCode, chosenService, chosenDay)
      : [];
    const choice = step2 ? await choiceOf(deps.db, op.regionCode, person.id, chosenService) : undefined;
    const choiceAgency = typeof choice === 'string' ? agencies.find((a) => a.id === choice) : undefined;
    let choiceText = t('agencies.refer.choiceNever');
    if (choice === null) choiceText = t('agencies.refer.choiceNone');
    else if (choiceAgency) choiceText = t('agencies.refer.choiceAgency', { agency: choiceAgency.name });
    else if (typeof choice === 'string') {
      const gone = await deps.db
        .selectFrom('agencies')
        .select('name')
        .where('region_code', '=', op.regionCode)
        .where('id', '=', choice)
        .executeTakeFirst();
      choiceText = t('agencies.refer.choiceUnavailable', { agency: gone?.name ?? '—' });
    }
    const step2Values: FormValues = { ...values, agency: values.agency ?? choiceAgency?.id ?? '' };
    const fmt = dateTimeFormat(req.ctx.lang, { dateStyle: 'long', timeZone: 'UTC' });
    const ok = (req.query as Record<string, unknown>).ok;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('agencies.refer.title', { name })}>
        <h1>{t('agencies.refer.title', { name })}</h1>
        {status === 200 && (ok === 'created' || ok === 'closed' || ok === 'withdrawn') && (
          <Notice kind="success">{t(`agencies.refer.${ok}`)}</Notice>
        )}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p class="lead">{t('agencies.refer.intro')}</p>

        <h2 class="h4">{t('agencies.refer.listHeading')}</h2>
        {referrals.length === 0 && <p>{t('agencies.refer.none')}</p>}
        {referrals.map((r) => {
          const label = t(`agencies.services.${r.service}`);
          const mine = activities.filter((a) => a.referral_id === r.id);
          return (
            <section class="mb-4" aria-labelledby={`ref-${r.id}`}>
              <h3 class="h5" id={`ref-${r.id}`}>{`${label} — ${r.agency_name}`}</h3>
              <dl class="sl-dl">
                <dt>{t('agencies.refer.statusCol')}</dt>
                <dd>{t(`agencies.statuses.${r.status}`)}</dd>
                <dt>{t('agencies.refer.fromCol')}</dt>
                <dd>{fmt.format(r.starts_on)}</dd>
                <dt>{t('agencies.refer.noteLabel')}</dt>
                <dd>{r.note || '—'}</dd>
                {r.override_reason && (
                  <>
                    <dt>{t('agencies.refer.overrideLabel')}</dt>
                    <dd>{r.override_reason}</dd>
                  </>
                )}
              </dl>
              <h4 class="h6">{t('agencies.refer.activitiesLabel')}</h4>
              {mine.length === 0 ? (
                <p>{t('agencies.refer.noActivities')}</p>
              ) : (
                <ul>
                  {mine.map((a) => (
                    <li>
                      <strong>{`${fmt.format(a.occurred_on)} — ${t(`agencies.activityKinds.${a.kind}`)}`}</strong>
                      {` (${a.author}, ${a.agency_name}): `}
                      {a.outcome}
                    </li>
                  ))}
                </ul>
              )}
              {r.status === 'open' && (
                <form method="post" action={`${self}/${r.id}/chiudi`}>
                  <CsrfField ctx={req.ctx} />
                  <TextField
                    id={`end-note-${r.id}`}
                    name="note"
                    label={t('agencies.refer.endNoteFor', { service: label })}
                    values={{}}
                    errors={{}}
                    maxLength={MAX_NOTE}
                  />
                  <button type="submit" name="action" value="closed" class="btn btn-outline-primary me-2">
                    {t('agencies.refer.close')}
                  </button>
                  <button type="submit" name="action" value="withdrawn" class="btn btn-outline-primary">
                    {t('agencies.refer.withdraw')}
                  </button>
                </form>
              )}
            </section>
          );
        })}

        <h2 class="h4 mt-4">{t('agencies.refer.step1')}</h2>
        <form method="get" action={self}>
          <SelectField
            name="service"
            label={t('agencies.refer.service')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('agencies.region.chooseService') },
              ...AGENCY_SERVICES.map((s) => ({ value: s, label: t(`agencies.services.${s}`) })),
            ]}
          />
          <TextField
            name="day"
            type="date"
            label={t('agencies.refer.day')}
            hint={t('agencies.refer.dayHint', { days: MAX_DAYS_AHEAD })}
            values={{ ...values, day: values.day ?? window.min }}
            errors={errors}
          />
          <button type="submit" class="btn btn-outline-primary">
            {t('agencies.refer.showAgencies')}
          </button>
        </form>

        {step2 && chosenService && chosenDay && (
          <>
            <h2 class="h4 mt-4">{t('agencies.refer.step2')}</h2>
            <p>
              <strong>{t(`agencies.services.${chosenService}`)}</strong>
              {` — ${fmt.format(new Date(`${chosenDay}T00:00:00Z`))}`}
            </p>
            {agencies.length === 0 ? (
              <p>{t('agencies.refer.noAgencies')}</p>
            ) : (
              <form method="post" action={self}>
                <CsrfField ctx={req.ctx} />
                <input type="hidden" name="service" value={chosenService} />
                <input type="hidden" name="day" value={chosenDay} />
                <p id="choice-note">{choiceText}</p>
                <RadioGroup
                  name="agency"
                  label={t('agencies.refer.agency')}
                  values={step2Values}
                  errors={errors}
                  options={agencies.map((a) => ({
                    value: a.id,
                    label:
                      a.id === choiceAgency?.id
                        ? t('agencies.refer.chosenMark', { agency: `${a.name} — ${a.address}` })
                        : `${a.name} — ${a.address}`,
                  }))}
                />
                <TextArea
                  name="note"
                  label={t('agencies.refer.note')}
                  hint={t('agencies.refer.noteHint')}
                  values={values}
                  errors={errors}
                  rows={4}
                  maxLength={MAX_NOTE}
                />
                {choiceAgency && (
                  <TextArea
                    name="reason"
                    label={t('agencies.refer.reason')}
                    hint={t('agencies.refer.reasonHint')}
                    values={values}
                    errors={errors}
                    rows={3}
                    maxLength={MAX_NOTE}
                  />
                )}
                <button type="submit" class="btn btn-primary">
                  {t('agencies.refer.submit')}
                </button>
              </form>
            )}
          </>
        )}
        <p class="mt-4">
          <a href={`/operatore/persone/${person.id}?purpose=taking_charge`}>{t('agencies.refer.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/persone/:id/invio-apl',
    [...CPI],
    async (req, reply) => {
      const { t } = req.ctx;
      const person = await loadPerson(req.ctx.user!, (req.params as { id: string }).id);
      if (!person) return reply.callNotFound();
      const q = req.query as Record<string, unknown>;
      const values: FormValues = {};
      const errors: FieldErrors = {};
      if (q.service !== undefined || q.day !== undefined) {
        values.service = typeof q.service === 'string' ? q.service.slice(0, 60) : '';
        values.day = typeof q.day === 'string' ? q.day.slice(0, 20) : '';
        if (!isAgencyService(values.service)) errors.service = t('errors.choose');
        const window = referralWindow(new Date());
        if (!isIsoDay(values.day)) errors.day = t('agencies.errors.date');
        else if (values.day < window.min || values.day > window.max)
          errors.day = t('agencies.errors.dayWindow', { days: MAX_DAYS_AHEAD });
      }
      return render(req, reply, person, values, errors, Object.keys(errors).length > 0 ? 400 : 200);
    },
    true,
  );

  routes.post('/operatore/persone/:id/invio-apl', [...CPI], async (req, reply) => {
    const { t } = req.ctx;
    const op = req.ctx.user!;
    const person = await loadPerson(op, (req.params as { id: string }).id);
    if (!person) return reply.callNotFound();
    const form = parseForm(referSchema, req.body, t);
    if (!form.ok) return render(req, reply, person, form.values, form.errors, 400);
    const out = await refer(deps, op, person.id, {
      service: form.data.service,
      day: form.data.day,
      agencyId: form.data.agency,
      note: form.data.note,
      reason: form.data.reason,
    });
    if (!out.ok) {
      const errors: FieldErrors = {};
      for (const [field, key] of Object.entries(out.errors)) errors[field] = t(key, { days: MAX_DAYS_AHEAD });
      return render(req, reply, person, form.values, errors, 400);
    }
    return reply.redirect(`/operatore/persone/${person.id}/invio-apl?ok=created`, 303);
  });

  routes.post('/operatore/persone/:id/invio-apl/:referral/chiudi', [...CPI], async (req, reply) => {
    const { t } = req.ctx;
    const op = req.ctx.user!;
    const { id, referral } = req.params as { id: string; referral: string };
    const person = await loadPerson(op, id);
    if (!person) return reply.callNotFound();
    const form = parseForm(endSchema, req.body, t);
    if (!form.ok) return render(req, reply, person, {}, form.errors, 400);
    if (!(await endReferral(deps, op, person.id, referral, form.data.action, form.data.note)))
      return reply.callNotFound();
    return reply.redirect(`/operatore/persone/${person.id}/invio-apl?ok=${form.data.action}`, 303);
  });
}
