import { z } from 'zod';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { servicesOf } from '../use-cases/catalogue.ts';
import { addException, createGroupSession, officeDay } from '../use-cases/office.ts';
import { todayInRome } from '../use-cases/templates.ts';
import { DateField, ModeField, TimeField } from './agenda-fields.tsx';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const text = (max: number) =>
  z.string().trim().max(max, 'errors.tooLong').regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');

/** The office's day for the front desk (printable), group sessions, and absences. */
export function registerOfficeRoutes(routes: RouteCatalogue, deps: { db: Db; audit: AuditLog }): void {
  const { db } = deps;

  routes.get('/operatore/sportello', ['cpi_operator'], async (req, reply) => {
    const { t, lang } = req.ctx;
    const operator = req.ctx.user!;
    const q = req.query as Record<string, unknown>;
    const date = typeof q.giorno === 'string' && DATE.test(q.giorno) ? q.giorno : todayInRome();
    const rows = await officeDay(db, operator, date);
    await deps.audit.recordReads(
      operator,
      'appointment',
      'appointment',
      rows.map((r) => ({ subjectId: r.citizen_id, objectId: r.id })),
    );
    const time = dateTimeFormat(lang, {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Rome',
    });
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('office.title')} wide>
        <h1>{t('office.title')}</h1>
        <form method="get" action="/operatore/sportello" class="mb-3">
          <DateField
            ctx={req.ctx}
            name="giorno"
            label={t('office.day')}
            values={{ giorno: date }}
            errors={{}}
          />
          <button type="submit" class="btn btn-outline-primary btn-sm">
            {t('office.show')}
          </button>
        </form>
        {rows.length === 0 ? (
          <p>{t('office.none')}</p>
        ) : (
          <table class="table">
            <caption>{t('office.caption', { date })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('office.time')}</th>
                <th scope="col">{t('office.person')}</th>
                <th scope="col">{t('office.service')}</th>
                <th scope="col">{t('office.channel')}</th>
                <th scope="col">{t('office.operator')}</th>
                <th scope="col">{t('office.state')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{time.format(r.starts_at)}</td>
                  <td>{`${r.family_name} ${r.given_name}`}</td>
                  <td>{t(`agenda.services.${r.service_code}`)}</td>
                  <td>{t(`agenda.channels.${r.channel}`)}</td>
                  <td>{`${r.op_family} ${r.op_given}`}</td>
                  <td>
                    {t(`agenda.status.${r.status}`)}
                    {r.confirmed_at && r.status === 'booked' ? ` — ${t('office.confirmed')}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>
          <a href={`/operatore/ufficio/settimana?dal=${date}`}>{t('week.officeLink')}</a>
        </p>
      </Layout>,
    );
  });

  const planning = async (
    ctx: RequestContext,
    values: FormValues = {},
    errors: FieldErrors = {},
    notice?: string,
    exceptionValues: FormValues = {},
    exceptionErrors: FieldErrors = {},
  ) => {
    const { t } = ctx;
    const services = await servicesOf(db, ctx.user!.regionCode);
    return (
      <Layout ctx={ctx} title={t('office.planningTitle')}>
        <h1>{t('office.planningTitle')}</h1>
        {notice && <Notice kind="success">{notice}</Notice>}
        <section aria-labelledby="group-heading" class="mb-5">
          <h2 id="group-heading" class="h4">
            {t('office.groupHeading')}
          </h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <form method="post" action="/operatore/pianificazione/gruppo" novalidate>
            <CsrfField ctx={ctx} />
            <TextField
              name="title"
              label={t('office.groupTitle')}
              values={values}
              errors={errors}
              maxLength={120}
            />
            <SelectField
              name="service"
              label={t('agendaOp.services')}
              values={values}
              errors={errors}
              options={[
                { value: '', label: t('form.choose') },
                ...services.map((s) => ({ value: s.code, label: t(`agenda.services.${s.code}`) })),
              ]}
            />
            <DateField ctx={ctx} name="date" label={t('office.day')} values={values} errors={errors} />
            <TimeField ctx={ctx} name="start" label={t('agendaOp.start')} values={values} errors={errors} />
            <TimeField ctx={ctx} name="end" label={t('agendaOp.end')} values={values} errors={errors} />
            <TextField
              name="capacity"
              label={t('office.capacity')}
              values={values}
              errors={errors}
              maxLength={3}
              inputmode="numeric"
            />
            <ModeField ctx={ctx} values={values} errors={errors} />
            <button type="submit" class="btn btn-primary">
              {t('office.createGroup')}
            </button>
          </form>
        </section>
        <section aria-labelledby="absence-heading">
          <h2 id="absence-heading" class="h4">
            {t('office.absenceHeading')}
          </h2>
          <ErrorSummary ctx={ctx} errors={exceptionErrors} />
          <form method="post" action="/operatore/pianificazione/assenza" novalidate>
            <CsrfField ctx={ctx} />
            <DateField
              ctx={ctx}
              name="fromDate"
              label={t('agendaOp.validFrom')}
              values={exceptionValues}
              errors={exceptionErrors}
            />
            <DateField
              ctx={ctx}
              name="toDate"
              label={t('office.until')}
              values={exceptionValues}
              errors={exceptionErrors}
            />
            <RadioGroup
              name="reason"
              label={t('office.reason')}
              values={exceptionValues}
              errors={exceptionErrors}
              options={['leave', 'closure', 'other'].map((r) => ({
                value: r,
                label: t(`office.reasons.${r}`),
              }))}
            />
            <CheckboxGroup
              name="wholeOffice"
              label={t('office.scope')}
              options={[{ value: 'yes', label: t('office.wholeOffice') }]}
              checked={exceptionValues.wholeOffice === 'yes' ? ['yes'] : []}
              errors={exceptionErrors}
            />
            <TextField
              name="note"
              label={t('agendaOp.note')}
              values={exceptionValues}
              errors={exceptionErrors}
              maxLength={300}
            />
            <button type="submit" class="btn btn-primary">
              {t('office.saveAbsence')}
            </button>
          </form>
        </section>
      </Layout>
    );
  };

  routes.get('/operatore/pianificazione', ['cpi_operator'], async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const notice =
      q.ok === 'group'
        ? req.ctx.t('office.groupCreated')
        : q.ok === 'absence'
          ? req.ctx.t('office.absenceSaved', { blocked: String(q.b ?? 0), toMove: String(q.m ?? 0) })
          : undefined;
    return sendPage(
      reply,
      await planning(req.ctx, { capacity: '20', mode: 'both' }, {}, notice, { reason: 'leave' }),
    );
  });

  routes.post('/operatore/pianificazione/gruppo', ['cpi_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const form = parseForm(
      z.object({
        title: text(120).pipe(z.string().min(1, 'errors.required')),
        service: z.string().min(1, 'errors.choose').max(60),
        date: z.string().trim().regex(DATE, 'agendaOp.errors.date'),
        start: z.string().trim().regex(TIME, 'agendaOp.errors.time'),
        end: z.string().trim().regex(TIME, 'agendaOp.errors.time'),
        capacity: z.coerce
          .number({ message: 'office.errors.capacity' })
          .int('office.errors.capacity')
          .min(2, 'office.errors.capacity')
          .max(500, 'office.errors.capacity'),
        mode: z.enum(['in_person', 'remote', 'both'], { message: 'errors.choose' }),
      }),
      req.body,
      t,
    );
    if (!form.ok) return sendPage(reply, await planning(req.ctx, form.values, form.errors), 400);
    const result = await createGroupSession(db, req.ctx.user!, form.data);
    if (!result.ok) {
      const field =
        result.reason === 'unknown_service'
          ? 'service'
          : result.reason === 'end_before_start'
            ? 'end'
            : 'date';
      return sendPage(
        reply,
        await planning(req.ctx, form.values, { [field]: t(`office.errors.${result.reason}`) }),
        400,
      );
    }
    return reply.redirect('/operatore/pianificazione?ok=group', 303);
  });

  routes.post('/operatore/pianificazione/assenza', ['cpi_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const form = parseForm(
      z.object({
        fromDate: z.string().trim().regex(DATE, 'agendaOp.errors.date'),
        toDate: z.string().trim().regex(DATE, 'agendaOp.errors.date'),
        reason: z.enum(['leave', 'closure', 'other'], { message: 'errors.choose' }),
        wholeOffice: z.enum(['yes']).optional(),
        note: text(300).default(''),
      }),
      req.body,
      t,
    );
    if (!form.ok)
      return sendPage(reply, await planning(req.ctx, {}, {}, undefined, form.values, form.errors), 400);
    const result = await addException(db, req.ctx.user!, {
      ...form.data,
      wholeOffice: form.data.wholeOffice === 'yes',
    });
    if (!result.ok)
      return sendPage(
        reply,
        await planning(req.ctx, {}, {}, undefined, form.values, {
          toDate: t(`office.errors.${result.reason}`),
        }),
        400,
      );
    return reply.redirect(`/operatore/pianificazione?ok=absence&b=${result.blocked}&m=${result.toMove}`, 303);
  });
}
