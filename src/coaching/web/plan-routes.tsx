import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../platform/audit/audit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { readMultipart, sendAttachment, sniffUploadType } from '../../platform/http/uploads.ts';
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
import { dayOf } from '../domain/rules.ts';
import { peerText, setPeerOptOut } from '../use-cases/peer.ts';
import {
  addAction,
  addEvidence,
  cancelAction,
  citizenPlanOf,
  editAction,
  evidenceFile,
  evidenceFileForOperator,
  listActions,
  markDone,
  personForOperator,
} from '../use-cases/plan.ts';
import type { CoachingDeps } from '../wiring.ts';

const KINDS = ['apply_vacancies', 'attend_course', 'update_cv', 'attend_appointment', 'custom'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Action = Awaited<ReturnType<typeof listActions>>[number];

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const actionSchema = z
  .object({
    kind: z.enum(KINDS, { message: 'errors.choose' }),
    title: z
      .string()
      .trim()
      .min(1, 'errors.required')
      .max(200, 'errors.tooLong')
      .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
    target: z.string().trim().max(3, 'coaching.errors.target'),
    dueDate: z.string().trim().refine(validDate, 'coaching.errors.date'),
    appointmentId: z.string().trim().max(36, 'errors.invalid'),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'apply_vacancies' && !/^(?:[1-9]|[1-9]\d|100)$/.test(v.target))
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'coaching.errors.target' });
    if (v.kind === 'attend_appointment' && v.appointmentId !== '' && !UUID.test(v.appointmentId))
      ctx.addIssue({ code: 'custom', path: ['appointmentId'], message: 'errors.choose' });
  });

function fmtDate(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

function ActionSummary({
  ctx,
  a,
  today,
  fileHref,
}: {
  ctx: RequestContext;
  a: Action;
  today: Date;
  fileHref: (evidenceId: string) => string;
}) {
  const { t } = ctx;
  const when = dateTimeFormat(ctx.lang, { dateStyle: 'medium', timeZone: 'Europe/Rome' });
  const overdue = a.status === 'open' && a.due_date.getTime() < today.getTime();
  return (
    <>
      <p class="mb-1">
        {t(`coaching.kinds.${a.kind}`)} · {t('coaching.due', { date: fmtDate(ctx, a.due_date) })}
        {overdue && <strong> — {t('coaching.overdue')}</strong>}
      </p>
      <p class="mb-1">
        {a.target !== null
          ? t('coaching.progress', { done: String(a.progress), total: String(a.target) })
          : t(`coaching.status.${a.status}`)}
        {a.status === 'done' && a.target !== null && ` — ${t('coaching.status.done')}`}
      </p>
      <p class="mb-1">{t('coaching.evidenceCount', { count: Number(a.evidence_count ?? 0) })}</p>
      {a.evidence.length > 0 && (
        <ul class="small mb-1">
          {a.evidence.map((e) => (
            <li>
              {when.format(e.created_at)} —{' '}
              {e.kind === 'link' && e.url ? (
                <a href={e.url} rel="noopener noreferrer nofollow">
                  {e.url}
                </a>
              ) : e.kind === 'upload' ? (
                <a href={fileHref(e.id)}>
                  {t('coaching.evidenceFile', {
                    name: e.filename ?? '',
                    size: Math.max(1, Math.round((e.size ?? 0) / 1024)),
                  })}
                </a>
              ) : (
                t('coaching.evidenceAutomatic')
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function OperatorPlanPage(props: {
  ctx: RequestContext;
  person: { id: string; given_name: string; family_name: string };
  actions: Action[];
  values: FormValues;
  errors: FieldErrors;
  notice?: string | undefined;
  appointments: { id: string; label: string }[];
  editing?: string | undefined;
  editValues?: FormValues;
  editErrors?: FieldErrors;
}) {
  const { ctx, person } = props;
  const { t } = ctx;
  const today = dayOf(new Date());
  return (
    <Layout
      ctx={ctx}
      title={t('coaching.opPlan.title', { name: `${person.given_name} ${person.family_name}` })}
    >
      <h1>{t('coaching.opPlan.title', { name: `${person.given_name} ${person.family_name}` })}</h1>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={props.editing ? (props.editErrors ?? {}) : props.errors} />
      <h2 class="h4 mt-4">{t('coaching.opPlan.actions')}</h2>
      {props.actions.length === 0 ? (
        <p>{t('coaching.empty')}</p>
      ) : (
        <ul class="list-unstyled">
          {props.actions.map((a) => (
            <li class="mb-4" key={a.id}>
              <h3 class="h5">{a.title}</h3>
              <ActionSummary
                ctx={ctx}
                a={a}
                today={today}
                fileHref={(e) => `/operatore/persone/${person.id}/piano/prove/${e}`}
              />
              {a.status === 'open' && (
                <form
                  method="post"
                  action={`/operatore/persone/${person.id}/piano/${a.id}/modifica`}
                  novalidate
                >
                  <CsrfField ctx={ctx} />
                  <fieldset>
                    <legend class="h5">{t('coaching.opPlan.edit', { title: a.title })}</legend>
                    <TextField
                      name="title"
                      id={`title-${a.id}`}
                      label={t('coaching.fields.title')}
                      values={
                        props.editing === a.id && props.editValues ? props.editValues : { title: a.title }
                      }
                      errors={props.editing === a.id && props.editErrors ? props.editErrors : {}}
                      maxLength={200}
                    />
                    {a.kind === 'apply_vacancies' && (
                      <TextField
                        name="target"
                        id={`target-${a.id}`}
                        label={t('coaching.fields.target')}
                        inputmode="numeric"
                        values={
                          props.editing === a.id && props.editValues
                            ? props.editValues
                            : { target: String(a.target ?? '') }
                        }
                        errors={props.editing === a.id && props.editErrors ? props.editErrors : {}}
                      />
                    )}
                    <TextField
                      name="dueDate"
                      id={`dueDate-${a.id}`}
                      type="date"
                      label={t('coaching.fields.dueDate')}
                      values={
                        props.editing === a.id
                          ? props.values
                          : { dueDate: a.due_date.toISOString().slice(0, 10) }
                      }
                      errors={props.editing === a.id && props.editErrors ? props.editErrors : {}}
                    />
                    <button type="submit" class="btn btn-outline-primary">
                      {t('coaching.opPlan.save')}
                    </button>
                  </fieldset>
                </form>
              )}
              {a.status === 'open' && (
                <form method="post" action={`/operatore/persone/${person.id}/piano/${a.id}/annulla`}>
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="btn btn-outline-primary">
                    {t('coaching.opPlan.cancel', { title: a.title })}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2 class="h4 mt-4">{t('coaching.opPlan.add')}</h2>
      <form method="post" action={`/operatore/persone/${person.id}/piano`} novalidate>
        <CsrfField ctx={ctx} />
        <SelectField
          name="kind"
          label={t('coaching.fields.kind')}
          values={props.values}
          errors={props.errors}
          options={KINDS.map((k) => ({ value: k, label: t(`coaching.kinds.${k}`) }))}
        />
        <TextField
          name="title"
          label={t('coaching.fields.title')}
          values={props.values}
          errors={props.errors}
          maxLength={200}
        />
        <TextField
          name="target"
          label={t('coaching.fields.target')}
          hint={t('coaching.fields.targetHint')}
          inputmode="numeric"
          values={props.values}
          errors={props.errors}
        />
        <TextField
          name="dueDate"
          type="date"
          label={t('coaching.fields.dueDate')}
          hint={t('coaching.fields.dueDateHint')}
          values={props.values}
          errors={props.errors}
        />
        <SelectField
          name="appointmentId"
          label={t('coaching.fields.appointment')}
          values={props.values}
          errors={props.errors}
          options={[
            { value: '', label: t('coaching.fields.noAppointment') },
            ...props.appointments.map((a) => ({ value: a.id, label: a.label })),
          ]}
        />
        <button type="submit" class="btn btn-primary">
          {t('coaching.opPlan.submit')}
        </button>
      </form>
    </Layout>
  );
}

function CitizenPlanPage(props: {
  ctx: RequestContext;
  actions: Action[];
  errors: FieldErrors;
  values: FormValues;
  actionWithError?: string | undefined;
  notice?: string | undefined;
  peer: string | null;
  optedOut: boolean;
}) {
  const { ctx } = props;
  const { t } = ctx;
  const today = dayOf(new Date());
  return (
    <Layout ctx={ctx} title={t('coaching.plan.title')}>
      <h1>{t('coaching.plan.title')}</h1>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {props.actions.length === 0 && <p>{t('coaching.plan.empty')}</p>}
      <ol class="list-unstyled">
        {props.actions.map((a) => {
          const errs = props.actionWithError === a.id ? props.errors : {};
          const vals = props.actionWithError === a.id ? props.values : {};
          return (
            <li class="mb-4" key={a.id}>
              <h2 class="h4">{a.title}</h2>
              <ActionSummary ctx={ctx} a={a} today={today} fileHref={(e) => `/piano/prove/${e}`} />
              {a.status === 'open' && (
                <>
                  <form method="post" action={`/piano/${a.id}/link`} novalidate>
                    <CsrfField ctx={ctx} />
                    <TextField
                      name="url"
                      id={`url-${a.id}`}
                      type="url"
                      label={t('coaching.plan.link', { title: a.title })}
                      hint={t('coaching.plan.linkHint')}
                      values={vals}
                      errors={errs}
                    />
                    <button type="submit" class="btn btn-outline-primary">
                      {t('coaching.plan.addLink')}
                    </button>
                  </form>
                  <form
                    method="post"
                    action={`/piano/${a.id}/file`}
                    enctype="multipart/form-data"
                    class="mt-4"
                  >
                    <CsrfField ctx={ctx} />
                    <label class="sl-label" for={`file-${a.id}`}>
                      {t('coaching.plan.file', { title: a.title })}
                    </label>
                    <input
                      type="file"
                      id={`file-${a.id}`}
                      name="file"
                      accept="application/pdf,image/jpeg,image/png"
                    />
                    {errs.file && <div class="sl-field-error">{errs.file}</div>}
                    <p>
                      <button type="submit" class="btn btn-outline-primary mt-4">
                        {t('coaching.plan.addFile')}
                      </button>
                    </p>
                  </form>
                  <form method="post" action={`/piano/${a.id}/fatto`}>
                    <CsrfField ctx={ctx} />
                    <button type="submit" class="btn btn-primary">
                      {t('coaching.plan.markDone', { title: a.title })}
                    </button>
                  </form>
                </>
              )}
            </li>
          );
        })}
      </ol>
      <h2 class="h4 mt-4">{t('coaching.peer.title')}</h2>
      {props.optedOut ? <p>{t('coaching.peer.optedOut')}</p> : <p>{props.peer ?? t('coaching.peer.none')}</p>}
      <form method="post" action="/piano/confronto">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="optOut" value={props.optedOut ? 'no' : 'yes'} />
        <button type="submit" class="btn btn-outline-primary">
          {props.optedOut ? t('coaching.peer.optIn') : t('coaching.peer.optOut')}
        </button>
      </form>
    </Layout>
  );
}

export function planRoutes(routes: RouteCatalogue, deps: CoachingDeps): void {
  const ops = ['cpi_operator', 'apl_operator'] as const;

  const appointmentsOf = async (regionCode: string, citizenId: string, lang: string) => {
    const rows = await deps.db
      .selectFrom('appointments as a')
      .innerJoin('agenda_slots as s', (j) =>
        j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
      )
      .select(['a.id', 's.starts_at'])
      .where('a.region_code', '=', regionCode)
      .where('a.citizen_id', '=', citizenId)
      .where('a.status', '=', 'booked')
      .orderBy('s.starts_at')
      .limit(20)
      .execute();
    const f = dateTimeFormat(lang, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Rome',
    });
    return rows.map((r) => ({ id: r.id, label: f.format(r.starts_at) }));
  };

  const renderOp = async (
    req: Parameters<Parameters<RouteCatalogue['get']>[2]>[0],
    reply: Parameters<Parameters<RouteCatalogue['get']>[2]>[1],
    id: string,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
    editing?: string,
  ) => {
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const person = await personForOperator(deps.db, user, id);
    if (!person) return reply.callNotFound();
    const actions = await listActions(deps.db, user.regionCode, id);
    await deps.audit.recordReads(actorOf(user), 'plan_actions', 'action_plan', [
      { subjectId: id, objectId: null },
    ]);
    const q = req.query as Record<string, unknown>;
    const notices: Record<string, string> = {
      added: req.ctx.t('coaching.opPlan.added'),
      cancelled: req.ctx.t('coaching.opPlan.cancelled'),
      saved: req.ctx.t('coaching.opPlan.saved'),
    };
    const notice = typeof q.ok === 'string' ? notices[q.ok] : undefined;
    return sendPage(
      reply,
      <OperatorPlanPage
        ctx={req.ctx}
        person={person}
        actions={actions}
        values={editing ? { kind: 'apply_vacancies' } : values}
        errors={editing ? {} : errors}
        editing={editing}
        editValues={values}
        editErrors={errors}
        notice={status === 200 ? notice : undefined}
        appointments={await appointmentsOf(user.regionCode, id, req.ctx.lang)}
      />,
      status,
    );
  };

  routes.get(
    '/operatore/persone/:id/piano',
    [...ops],
    async (req, reply) =>
      renderOp(req, reply, (req.params as { id: string }).id, { kind: 'apply_vacancies' }, {}),
    true,
  );

  routes.post('/operatore/persone/:id/piano', [...ops], async (req, reply) => {
    const { id } = req.params as { id: string };
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const form = parseForm(actionSchema, req.body, req.ctx.t);
    if (!form.ok) return renderOp(req, reply, id, form.values, form.errors, 400);
    const d = form.data;
    const created = await addAction(deps, user, id, {
      kind: d.kind,
      title: d.title,
      target: d.kind === 'apply_vacancies' ? Number(d.target) : null,
      dueDate: d.dueDate,
      appointmentId: d.kind === 'attend_appointment' && d.appointmentId ? d.appointmentId : null,
    });
    if (!created) return reply.callNotFound();
    return reply.redirect(`/operatore/persone/${id}/piano?ok=added`, 303);
  });

  routes.post('/operatore/persone/:id/piano/:action/modifica', [...ops], async (req, reply) => {
    const { id, action } = req.params as { id: string; action: string };
    const user = req.ctx.user;
    if (!user || !UUID.test(action)) return reply.callNotFound();
    const current = await deps.db
      .selectFrom('plan_actions')
      .select(['kind'])
      .where('region_code', '=', user.regionCode)
      .where('citizen_id', '=', id)
      .where('id', '=', action)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (!current) return reply.callNotFound();
    const body = {
      kind: current.kind,
      appointmentId: '',
      target: '',
      ...(req.body as Record<string, unknown>),
    };
    const form = parseForm(actionSchema, body, req.ctx.t);
    if (!form.ok) {
      const errors = { ...form.errors };
      delete errors.kind;
      delete errors.appointmentId;
      return renderOp(req, reply, id, form.values, errors, 400, action);
    }
    const ok = await editAction(deps, user, id, action, {
      title: form.data.title,
      target: current.kind === 'apply_vacancies' ? Number(form.data.target) : null,
      dueDate: form.data.dueDate,
    });
    if (!ok) return reply.callNotFound();
    return reply.redirect(`/operatore/persone/${id}/piano?ok=saved`, 303);
  });

  routes.post('/operatore/persone/:id/piano/:action/annulla', [...ops], async (req, reply) => {
    const { id, action } = req.params as { id: string; action: string };
    const user = req.ctx.user;
    if (!user || !(await cancelAction(deps, user, id, action))) return reply.callNotFound();
    return reply.redirect(`/operatore/persone/${id}/piano?ok=cancelled`, 303);
  });

  const renderCitizen = async (
    req: Parameters<Parameters<RouteCatalogue['get']>[2]>[0],
    reply: Parameters<Parameters<RouteCatalogue['get']>[2]>[1],
    values: FormValues,
    errors: FieldErrors,
    actionWithError?: string,
    status = 200,
  ) => {
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const { actions, peer } = await citizenPlanOf(deps.db, user.regionCode, user.id);
    const q = req.query as Record<string, unknown>;
    const notices: Record<string, string> = {
      evidence: req.ctx.t('coaching.plan.evidenceAdded'),
      done: req.ctx.t('coaching.plan.doneNotice'),
      peer: req.ctx.t('coaching.peer.saved'),
    };
    return sendPage(
      reply,
      <CitizenPlanPage
        ctx={req.ctx}
        actions={actions}
        values={values}
        errors={errors}
        actionWithError={actionWithError}
        notice={status === 200 && typeof q.ok === 'string' ? notices[q.ok] : undefined}
        peer={peer.payload ? peerText(req.ctx.t, peer.payload) : null}
        optedOut={peer.optedOut}
      />,
      status,
    );
  };

  routes.get('/piano', ['citizen'], async (req, reply) => renderCitizen(req, reply, {}, {}), true);

  const sendEvidence = (
    reply: FastifyReply,
    file: { filename: string; content_type: string | null; content: Buffer } | null,
  ) => sendAttachment(reply, file && { ...file, contentType: file.content_type });
  routes.get('/piano/prove/:eid', ['citizen'], async (req, reply) => {
    const user = req.ctx.user!;
    const { eid } = req.params as { eid: string };
    return sendEvidence(reply, await evidenceFile(deps.db, user.regionCode, user.id, eid));
  });
  routes.get('/operatore/persone/:id/piano/prove/:eid', [...ops], async (req, reply) => {
    const { id, eid } = req.params as { id: string; eid: string };
    return sendEvidence(reply, await evidenceFileForOperator(deps, req.ctx.user!, id, eid));
  });

  routes.post('/piano/:action/link', ['citizen'], async (req, reply) => {
    const { action } = req.params as { action: string };
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const form = parseForm(
      z.object({
        url: z
          .string()
          .trim()
          .min(1, 'errors.required')
          .max(2000, 'errors.tooLong')
          .refine((u) => {
            try {
              const p = new URL(u);
              return (p.protocol === 'http:' || p.protocol === 'https:') && !/\s/.test(u);
            } catch {
              return false;
            }
          }, 'coaching.errors.url'),
      }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) {
      const mine = await listActions(deps.db, user.regionCode, user.id);
      if (!mine.some((a) => a.id === action)) return reply.callNotFound();
      return renderCitizen(req, reply, form.values, form.errors, action, 400);
    }
    const r = await addEvidence(deps, user, action, { kind: 'link', url: form.data.url });
    if (r === 'not_found') return reply.callNotFound();
    return reply.redirect('/piano?ok=evidence', 303);
  });

  routes.post('/piano/:action/file', ['citizen'], async (req, reply) => {
    const { action } = req.params as { action: string };
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const { files } = await readMultipart(req.body);
    const file = files.find((f) => f.field === 'file');
    const mine = await listActions(deps.db, user.regionCode, user.id);
    if (!mine.some((a) => a.id === action)) return reply.callNotFound();
    if (!file || file.data.length === 0)
      return renderCitizen(req, reply, {}, { file: req.ctx.t('coaching.errors.fileMissing') }, action, 400);
    if (file.truncated) {
      const mb = Math.floor(deps.config.uploadMaxBytes / 1048576);
      return renderCitizen(req, reply, {}, { file: req.ctx.t('upload.tooLarge', { mb }) }, action, 400);
    }
    const type = sniffUploadType(file.data);
    if (!type)
      return renderCitizen(req, reply, {}, { file: req.ctx.t('coaching.errors.fileType') }, action, 400);
    const r = await addEvidence(deps, user, action, {
      kind: 'upload',
      filename: file.filename || 'file',
      contentType: type,
      content: file.data,
    });
    if (r === 'not_found') return reply.callNotFound();
    return reply.redirect('/piano?ok=evidence', 303);
  });

  routes.post('/piano/:action/fatto', ['citizen'], async (req, reply) => {
    const { action } = req.params as { action: string };
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const r = await markDone(deps, user, action);
    if (r === 'not_found') return reply.callNotFound();
    return reply.redirect('/piano?ok=done', 303);
  });

  routes.post('/piano/confronto', ['citizen'], async (req, reply) => {
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const v = (req.body as Record<string, unknown> | undefined)?.optOut;
    await setPeerOptOut(deps.db, user.regionCode, user.id, v === 'yes');
    return reply.redirect('/piano?ok=peer', 303);
  });
}
