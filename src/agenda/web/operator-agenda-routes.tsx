import { z } from 'zod';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formArray, NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CheckboxGroup,
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
import { type IsoWeekday, zonedDate } from '../domain/slots.ts';
import { servicesOf } from '../use-cases/catalogue.ts';
import {
  addDays,
  createTemplate,
  OUTCOMES,
  operatorAgendaOf,
  recordOutcome,
  todayInRome,
} from '../use-cases/templates.ts';
import { DateField, ModeField, TimeField } from './agenda-fields.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The operator's day: slots with their bookings, in person and remote side by side. */
type Day = Awaited<ReturnType<typeof operatorAgendaOf>>['day'];

/** What the operator typed in one outcome form that was refused, to show it again with the reason. */
type OutcomeRetry = {
  appointmentId: string;
  outcome: string;
  note: string;
  minutes: string;
  /** The refused field's id prefix in the form (outcome, note or minutes) and why. */
  field: 'outcome' | 'note' | 'minutes';
  error: string;
};

/** The outcome form of a past appointment; when it was refused, what was typed and why, by its field. */
function OutcomeForm({
  ctx,
  row: r,
  id,
  refused,
}: {
  ctx: RequestContext;
  row: Day[number];
  id: string;
  refused?: OutcomeRetry;
}) {
  const { t } = ctx;
  const invalid = (field: OutcomeRetry['field']) =>
    refused?.field === field
      ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${field}-${id}-error` }
      : {};
  const message = (field: OutcomeRetry['field']) =>
    refused?.field === field ? (
      <p class="text-danger small mb-1" id={`${field}-${id}-error`}>
        {refused.error}
      </p>
    ) : null;
  return (
    <form method="post" action={`/operatore/agenda/appuntamenti/${id}/esito`} class="mt-2">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="giorno" value={zonedDate(r.starts_at)} />
      <label class="visually-hidden" for={`outcome-${id}`}>
        {t('agendaOp.outcome')}
      </label>
      {message('outcome')}
      <select id={`outcome-${id}`} name="outcome" {...invalid('outcome')}>
        {OUTCOMES.map((o) => (
          <option value={o} selected={refused ? o === refused.outcome : o === r.status}>
            {t(`agenda.status.${o}`)}
          </option>
        ))}
      </select>
      <label class="small d-block mt-1" for={`minutes-${id}`}>
        {t('agendaOp.minutes')}
      </label>
      {message('minutes')}
      <input
        id={`minutes-${id}`}
        name="minuti"
        class="form-control form-control-sm"
        inputmode="numeric"
        size={4}
        value={refused ? refused.minutes : r.minutes_spent === null ? '' : String(r.minutes_spent)}
        {...invalid('minutes')}
      />
      <label class="visually-hidden" for={`note-${id}`}>
        {t('agendaOp.note')}
      </label>
      {message('note')}
      <input
        id={`note-${id}`}
        name="note"
        class="form-control my-1"
        maxLength={500}
        placeholder={t('agendaOp.note')}
        value={refused?.note}
        {...invalid('note')}
      />
      <button type="submit" class="btn btn-outline-primary btn-sm">
        {t('agendaOp.saveOutcome')}
      </button>
    </form>
  );
}

function DayColumn({
  ctx,
  title,
  rows,
  retry,
}: {
  ctx: RequestContext;
  title: string;
  rows: Day;
  retry?: OutcomeRetry;
}) {
  const { t } = ctx;
  const time = dateTimeFormat(ctx.lang, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  });
  return (
    <section class="col-12 col-lg-6" aria-label={title}>
      <h3 class="h5">{title}</h3>
      {rows.length === 0 ? (
        <p>{t('agendaOp.emptyColumn')}</p>
      ) : (
        <ul class="list-group">
          {rows.map((r) => (
            <li class="list-group-item">
              <strong>{time.format(r.starts_at)}</strong>{' '}
              {r.appointment_id ? (
                <>
                  {`${r.given_name} ${r.family_name} — ${t(`agenda.services.${r.service_code}`)} (${t(`agenda.channels.${r.channel}`)})`}
                  <span class="d-block small">{t(`agenda.status.${r.status}`)}</span>
                  {r.status === 'booked' && r.starts_at > new Date() && (
                    <a class="small" href={`/operatore/agenda/appuntamenti/${r.appointment_id}/sposta`}>
                      {t('agendaOp.move')}
                    </a>
                  )}
                  {r.starts_at <= new Date() && r.appointment_id ? (
                    <OutcomeForm
                      ctx={ctx}
                      row={r}
                      id={r.appointment_id}
                      refused={retry?.appointmentId === r.appointment_id ? retry : undefined}
                    />
                  ) : null}
                </>
              ) : (
                <span class="text-muted">{t('agendaOp.free')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function registerOperatorAgendaRoutes(
  routes: RouteCatalogue,
  deps: { db: Db; audit: AuditLog },
): void {
  const { db } = deps;

  /** The operator's day and weekly hours. */
  const render = async (ctx: RequestContext, date: string, notice?: string, retry?: OutcomeRetry) => {
    const { t } = ctx;
    const operator = ctx.user!;
    const { templates, day } = await operatorAgendaOf(db, operator, date);
    await deps.audit.recordReads(
      operator,
      'appointment',
      'appointment',
      day.filter((r) => r.citizen_id).map((r) => ({ subjectId: r.citizen_id, objectId: r.appointment_id })),
    );
    const remote = day.filter((r) => (r.appointment_id ? r.channel !== 'in_person' : r.mode === 'remote'));
    const inPerson = day.filter((r) => !remote.includes(r));
    const fmtDay = dateTimeFormat(ctx.lang, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    return (
      <Layout ctx={ctx} title={t('agendaOp.title')} wide>
        <h1>{t('agendaOp.title')}</h1>
        {notice && <Notice kind="success">{notice}</Notice>}
        {retry ? (
          <ErrorSummary ctx={ctx} errors={{ [`${retry.field}-${retry.appointmentId}`]: retry.error }} />
        ) : null}
        <section aria-labelledby="day-heading" class="mb-5">
          <h2 id="day-heading" class="h4">
            {fmtDay.format(new Date(`${date}T00:00:00Z`))}
          </h2>
          <nav aria-label={t('agendaOp.days')}>
            <ul class="sl-inline-list">
              <li>
                <a href={`/operatore/agenda?giorno=${addDays(date, -1)}`}>{t('agendaOp.previousDay')}</a>
              </li>
              <li>
                <a href={`/operatore/agenda?giorno=${todayInRome()}`}>{t('agendaOp.today')}</a>
              </li>
              <li>
                <a href={`/operatore/agenda?giorno=${addDays(date, 1)}`}>{t('agendaOp.nextDay')}</a>
              </li>
              <li>
                <a href={`/operatore/agenda/settimana?dal=${date}`}>{t('week.link')}</a>
              </li>
            </ul>
          </nav>
          <div class="row">
            <DayColumn ctx={ctx} title={t('agendaOp.inPerson')} rows={inPerson} retry={retry} />
            <DayColumn ctx={ctx} title={t('agendaOp.remote')} rows={remote} retry={retry} />
          </div>
        </section>
        <section aria-labelledby="templates-heading">
          <h2 id="templates-heading" class="h4">
            {t('agendaOp.templates')}
          </h2>
          {templates.length === 0 ? (
            <p>{t('agendaOp.noTemplates')}</p>
          ) : (
            <ul>
              {templates.map((tp) => (
                <li>{`${t(`agendaOp.weekdays.${tp.weekday}`)} ${String(Math.floor(tp.start_minute / 60)).padStart(2, '0')}:${String(tp.start_minute % 60).padStart(2, '0')}–${String(Math.floor(tp.end_minute / 60)).padStart(2, '0')}:${String(tp.end_minute % 60).padStart(2, '0')}, ${tp.slot_minutes} min, ${t(`agendaOp.modes.${tp.mode}`)}`}</li>
              ))}
            </ul>
          )}
          {operator.role === 'cpi_operator' ? (
            <p>
              <a class="btn btn-outline-primary" href="/operatore/agenda/modelli/nuovo">
                {t('agendaOp.addTemplate')}
              </a>
            </p>
          ) : null}
        </section>
      </Layout>
    );
  };

  /** Weekly hours are set up now and then: their form has a page of its own, not the daily view's. */
  const renderTemplateForm = async (
    ctx: RequestContext,
    values: FormValues,
    errors: FieldErrors = {},
    checked: string[] = [],
  ) => {
    const { t } = ctx;
    const services = await servicesOf(db, ctx.user!.regionCode);
    return (
      <Layout ctx={ctx} title={t('agendaOp.addTemplate')}>
        <p>
          <a href="/operatore/agenda">{t('agendaOp.backToAgenda')}</a>
        </p>
        <h1>{t('agendaOp.addTemplate')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action="/operatore/agenda/modelli" novalidate>
          <CsrfField ctx={ctx} />
          <SelectField
            name="weekday"
            label={t('agendaOp.weekday')}
            values={values}
            errors={errors}
            options={['1', '2', '3', '4', '5', '6', '7'].map((d) => ({
              value: d,
              label: t(`agendaOp.weekdays.${d}`),
            }))}
          />
          <TimeField ctx={ctx} name="start" label={t('agendaOp.start')} values={values} errors={errors} />
          <TimeField ctx={ctx} name="end" label={t('agendaOp.end')} values={values} errors={errors} />
          <TextField
            name="slot"
            label={t('agendaOp.slotMinutes')}
            values={values}
            errors={errors}
            maxLength={3}
            inputmode="numeric"
          />
          <ModeField ctx={ctx} values={values} errors={errors} />
          <CheckboxGroup
            name="services"
            label={t('agendaOp.services')}
            options={services.map((s) => ({ value: s.code, label: t(`agenda.services.${s.code}`) }))}
            checked={checked}
            errors={errors}
          />
          <DateField ctx={ctx} name="from" label={t('agendaOp.validFrom')} values={values} errors={errors} />
          <DateField ctx={ctx} name="to" label={t('agendaOp.validTo')} values={values} errors={errors} />
          <button type="submit" class="btn btn-primary">
            {t('agendaOp.saveTemplate')}
          </button>
        </form>
      </Layout>
    );
  };
  const blankTemplate = () => ({ from: todayInRome(), slot: '30', mode: 'both' });

  routes.get('/operatore/agenda', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const date = typeof q.giorno === 'string' && DATE.test(q.giorno) ? q.giorno : todayInRome();
    const notice =
      q.ok === 'template'
        ? req.ctx.t('agendaOp.templateSaved', { n: String(q.n ?? '0') })
        : q.ok === 'outcome'
          ? req.ctx.t('agendaOp.outcomeSaved')
          : q.ok === 'moved'
            ? req.ctx.t('agenda.done.moved')
            : q.ok === 'future'
              ? req.ctx.t('agendaOp.errors.future')
              : undefined;
    return sendPage(reply, await render(req.ctx, date, notice));
  });

  routes.get('/operatore/agenda/modelli/nuovo', ['cpi_operator'], async (req, reply) =>
    sendPage(reply, await renderTemplateForm(req.ctx, blankTemplate())),
  );

  routes.post('/operatore/agenda/modelli', ['cpi_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const services = formArray(req.body, 'services');
    const form = parseForm(
      z.object({
        weekday: z.enum(['1', '2', '3', '4', '5', '6', '7'], { message: 'errors.choose' }),
        start: z.string().trim().regex(TIME, 'agendaOp.errors.time'),
        end: z.string().trim().regex(TIME, 'agendaOp.errors.time'),
        slot: z.coerce
          .number({ message: 'agendaOp.errors.slot' })
          .int('agendaOp.errors.slot')
          .min(5, 'agendaOp.errors.slot')
          .max(240, 'agendaOp.errors.slot'),
        mode: z.enum(['in_person', 'remote', 'both'], { message: 'errors.choose' }),
        from: z.string().trim().regex(DATE, 'agendaOp.errors.date'),
        to: z.union([z.literal(''), z.string().trim().regex(DATE, 'agendaOp.errors.date')]).default(''),
      }),
      req.body,
      t,
    );
    if (!form.ok || services.length === 0) {
      const errors = form.ok ? {} : form.errors;
      if (services.length === 0) errors.services = t('errors.choose');
      return sendPage(reply, await renderTemplateForm(req.ctx, form.values, errors, services), 400);
    }
    const d = form.data;
    const result = await createTemplate(db, req.ctx.user!, {
      weekday: Number(d.weekday) as IsoWeekday,
      start: d.start,
      end: d.end,
      slotMinutes: d.slot,
      mode: d.mode,
      services,
      validFrom: d.from,
      validTo: d.to || null,
    });
    if (!result.ok) {
      const field = result.errors.includes('overlap')
        ? 'start'
        : result.errors.includes('unknown_service')
          ? 'services'
          : 'end';
      return sendPage(
        reply,
        await renderTemplateForm(
          req.ctx,
          form.values,
          { [field]: t(`agendaOp.errors.${result.errors[0]}`) },
          services,
        ),
        400,
      );
    }
    return reply.redirect(`/operatore/agenda?ok=template&n=${result.slots}`, 303);
  });

  routes.post(
    '/operatore/agenda/appuntamenti/:id/esito',
    ['cpi_operator', 'apl_operator'],
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!UUID.test(id)) return reply.callNotFound();
      const form = parseForm(
        z.object({
          outcome: z.enum(OUTCOMES, { message: 'errors.choose' }),
          note: z
            .string()
            .trim()
            .max(500, 'errors.tooLong')
            .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
            .default(''),
          minuti: z
            .string()
            .trim()
            .regex(/^(|[1-9]\d{0,2})$/, 'agendaOp.errors.minutes')
            .refine((v) => v === '' || Number(v) <= 480, 'agendaOp.errors.minutes')
            .default(''),
        }),
        req.body,
        req.ctx.t,
      );
      const body = req.body as Record<string, unknown>;
      const day = body.giorno;
      const date = typeof day === 'string' && DATE.test(day) ? day : todayInRome();
      if (!form.ok) {
        // Shown again on the day, with what was typed and why it was refused.
        const typed = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, 500) : '');
        const field = form.errors.minuti ? 'minutes' : form.errors.note ? 'note' : 'outcome';
        const error =
          form.errors.minuti ?? form.errors.note ?? form.errors.outcome ?? req.ctx.t('errors.choose');
        return sendPage(
          reply,
          await render(req.ctx, date, undefined, {
            appointmentId: id,
            outcome: typed('outcome'),
            note: typed('note'),
            minutes: typed('minuti'),
            field,
            error,
          }),
          400,
        );
      }
      const minutes = form.data.minuti === '' ? null : Number(form.data.minuti);
      const result = await recordOutcome(db, req.ctx.user!, id, form.data.outcome, form.data.note, minutes);
      if (result === 'not_found') return reply.callNotFound();
      // Back to the day the operator was looking at.
      const dayQuery = typeof day === 'string' && DATE.test(day) ? `&giorno=${day}` : '';
      return reply.redirect(`/operatore/agenda?ok=${result === 'ok' ? 'outcome' : 'future'}${dayQuery}`, 303);
    },
  );
}
