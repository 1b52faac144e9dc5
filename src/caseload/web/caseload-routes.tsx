import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../platform/audit/audit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formArray, NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
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
import {
  APPOINTMENT_FILTERS,
  BENEFIT_FILTERS,
  type CaseloadFilters,
  CONTACT_FILTERS,
  PAGE_SIZE,
  pageCount,
  parseFilters,
  SORTS,
  TIER_FILTERS,
  toQuery,
} from '../domain/filters.ts';
import {
  assignPeople,
  type CaseloadDeps,
  type CaseRow,
  caseOf,
  isUuid,
  listCaseload,
  operatorsOfOffice,
  transferPerson,
  type Workload,
  workloadOf,
} from '../use-cases/caseload.ts';

type Operator = { id: string; given_name: string; family_name: string };
const fullName = (p: { given_name: string | null; family_name: string | null }) =>
  `${p.given_name ?? ''} ${p.family_name ?? ''}`.trim();

function FilterForm({
  ctx,
  f,
  operators,
  invalid,
}: {
  ctx: RequestContext;
  f: CaseloadFilters;
  operators: Operator[];
  invalid: FieldErrors;
}) {
  const { t } = ctx;
  const values: FormValues = {
    q: f.q,
    tier: f.tier,
    appointment: f.appointment,
    contact: f.contact,
    benefit: f.benefit,
    operator: f.operator,
    sort: f.sort,
    dir: f.dir,
  };
  const any = { value: '', label: t('caseload.filters.any') };
  return (
    <form method="get" action="/operatore/casi" novalidate>
      <fieldset class="mb-4">
        <legend class="h4">{t('caseload.filters.legend')}</legend>
        <div class="row">
          <div class="col-12 col-lg-6">
            <TextField
              name="q"
              label={t('caseload.filters.q')}
              hint={t('caseload.filters.qHint')}
              values={values}
              errors={invalid}
              maxLength={60}
            />
            <SelectField
              name="tier"
              label={t('caseload.filters.tier')}
              values={values}
              errors={invalid}
              options={[any, ...TIER_FILTERS.map((v) => ({ value: v, label: t(`caseload.tier.${v}`) }))]}
            />
            <SelectField
              name="appointment"
              label={t('caseload.filters.appointment')}
              values={values}
              errors={invalid}
              options={[
                any,
                ...APPOINTMENT_FILTERS.map((v) => ({ value: v, label: t(`caseload.appointment.${v}`) })),
              ]}
            />
            <SelectField
              name="contact"
              label={t('caseload.filters.contact')}
              values={values}
              errors={invalid}
              options={[
                any,
                ...CONTACT_FILTERS.map((v) => ({ value: v, label: t(`caseload.contact.${v}`) })),
              ]}
            />
          </div>
          <div class="col-12 col-lg-6">
            <SelectField
              name="benefit"
              label={t('caseload.filters.benefit')}
              values={values}
              errors={invalid}
              options={[
                any,
                ...BENEFIT_FILTERS.map((v) => ({ value: v, label: t(`caseload.benefit.${v}`) })),
              ]}
            />
            <SelectField
              name="operator"
              label={t('caseload.filters.operator')}
              values={values}
              errors={invalid}
              options={[
                any,
                { value: 'me', label: t('caseload.filters.me') },
                { value: 'none', label: t('caseload.filters.unassigned') },
                ...operators.map((o) => ({ value: o.id, label: fullName(o) })),
              ]}
            />
            <SelectField
              name="sort"
              label={t('caseload.filters.sort')}
              values={values}
              errors={invalid}
              options={SORTS.map((v) => ({ value: v, label: t(`caseload.sort.${v}`) }))}
            />
            <SelectField
              name="dir"
              label={t('caseload.filters.dir')}
              values={values}
              errors={invalid}
              options={[
                { value: 'asc', label: t('caseload.filters.asc') },
                { value: 'desc', label: t('caseload.filters.desc') },
              ]}
            />
            <fieldset class="mb-4">
              <legend class="sl-label">{t('caseload.filters.only')}</legend>
              <div class="form-check">
                <input
                  class="form-check-input"
                  type="checkbox"
                  name="alerts"
                  id="alerts"
                  value="1"
                  checked={f.alerts}
                />
                <label class="form-check-label" for="alerts">
                  {t('caseload.filters.alerts')}
                </label>
              </div>
              <div class="form-check">
                <input
                  class="form-check-input"
                  type="checkbox"
                  name="conditionality"
                  id="conditionality"
                  value="1"
                  checked={f.conditionality}
                />
                <label class="form-check-label" for="conditionality">
                  {t('caseload.filters.conditionality')}
                </label>
              </div>
            </fieldset>
          </div>
        </div>
        <button type="submit" class="btn btn-primary">
          {t('caseload.filters.apply')}
        </button>{' '}
        <a href="/operatore/casi" class="btn btn-outline-primary">
          {t('caseload.filters.reset')}
        </a>
      </fieldset>
    </form>
  );
}

function CaseTable({ ctx, rows, checked }: { ctx: RequestContext; rows: CaseRow[]; checked: string[] }) {
  const { t } = ctx;
  const day = dateTimeFormat(ctx.lang, { dateStyle: 'medium', timeZone: 'Europe/Rome' });
  const when = dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  return (
    <div class="table-responsive">
      <table class="table">
        <caption class="visually-hidden">{t('caseload.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">{t('caseload.col.select')}</span>
            </th>
            <th scope="col">{t('caseload.col.person')}</th>
            <th scope="col">{t('caseload.col.tier')}</th>
            <th scope="col">{t('caseload.col.alerts')}</th>
            <th scope="col">{t('caseload.col.next')}</th>
            <th scope="col">{t('caseload.col.contact')}</th>
            <th scope="col">{t('caseload.col.conditionality')}</th>
            <th scope="col">{t('caseload.col.benefits')}</th>
            <th scope="col">{t('caseload.col.operator')}</th>
            <th scope="col">{t('caseload.col.dossier')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const name = fullName(r);
            return (
              <tr key={r.id}>
                <td>
                  <input
                    class="form-check-input"
                    type="checkbox"
                    name="persone"
                    id={`p-${r.id}`}
                    value={r.id}
                    checked={checked.includes(r.id)}
                  />
                  <label class="visually-hidden" for={`p-${r.id}`}>
                    {t('caseload.selectPerson', { name })}
                  </label>
                </td>
                <th scope="row">
                  <a href={`/operatore/casi/${r.id}`}>{name}</a>
                </th>
                <td>{r.tier ? t(`caseload.tier.${r.tier}`) : t('caseload.tier.none')}</td>
                <td>{String(r.open_alerts)}</td>
                <td>{r.next_appointment ? when.format(r.next_appointment) : '—'}</td>
                <td>{r.last_contact ? day.format(r.last_contact) : t('caseload.never')}</td>
                <td>{String(r.open_conditionality)}</td>
                <td>
                  {r.benefits.length ? r.benefits.map((b) => t(`caseload.benefit.${b}`)).join(', ') : '—'}
                </td>
                <td>
                  {r.operator_id
                    ? fullName({ given_name: r.operator_given_name, family_name: r.operator_family_name })
                    : t('caseload.unassigned')}
                </td>
                <td>
                  <a href={`/operatore/persone/${r.id}/fascicolo`}>
                    {t('caseload.openDossier')}
                    <span class="visually-hidden">{` — ${name}`}</span>
                  </a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Pager({ ctx, f, total }: { ctx: RequestContext; f: CaseloadFilters; total: number }) {
  const { t } = ctx;
  const pages = pageCount(total);
  if (pages <= 1 && f.page === 1) return null;
  return (
    <nav aria-label={t('caseload.pages')}>
      <ul class="sl-inline-list list-unstyled">
        {f.page > 1 && (
          <li>
            <a href={`/operatore/casi${toQuery(f, { page: Math.min(f.page - 1, pages) })}`} rel="prev">
              {t('caseload.previous')}
            </a>
          </li>
        )}
        <li aria-current="page">{t('caseload.pageOf', { page: f.page, pages })}</li>
        {f.page < pages && (
          <li>
            <a href={`/operatore/casi${toQuery(f, { page: f.page + 1 })}`} rel="next">
              {t('caseload.next')}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

function WorkloadTable({
  ctx,
  workload,
}: {
  ctx: RequestContext;
  workload: { operators: Workload[]; unassigned: number };
}) {
  const { t } = ctx;
  return (
    <>
      <h2 class="h4 mt-5" id="carico">
        {t('caseload.workload.title')}
      </h2>
      <table class="table">
        <caption class="visually-hidden">{t('caseload.workload.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('caseload.workload.operator')}</th>
            <th scope="col">{t('caseload.workload.people')}</th>
            <th scope="col">{t('caseload.workload.appointments')}</th>
          </tr>
        </thead>
        <tbody>
          {workload.operators.map((o) => (
            <tr key={o.id}>
              <th scope="row">
                <a href={`/operatore/casi?operator=${o.id}`}>{fullName(o)}</a>
              </th>
              <td>{String(o.people)}</td>
              <td>{String(o.appointments_week)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/operatore/casi?operator=none">
          {t('caseload.workload.unassigned', { count: workload.unassigned })}
        </a>
      </p>
    </>
  );
}

type PageProps = {
  ctx: RequestContext;
  f: CaseloadFilters;
  rows: CaseRow[];
  total: number;
  operators: Operator[];
  workload: { operators: Workload[]; unassigned: number };
  invalid: FieldErrors;
  errors: FieldErrors;
  values: FormValues;
  checked: string[];
  notice?: string | undefined;
};

function CaseloadPage(p: PageProps) {
  const { ctx, f } = p;
  const { t } = ctx;
  const ignored = Object.fromEntries(
    Object.entries(p.invalid).map(([k, v]) => [
      k,
      t('caseload.ignored', { filter: t(`caseload.filters.${k}`), reason: v }),
    ]),
  );
  return (
    <Layout ctx={ctx} title={t('caseload.title')} wide>
      <h1>{t('caseload.title')}</h1>
      <p class="lead">{t('caseload.intro')}</p>
      {p.notice && <Notice kind="success">{p.notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={{ ...ignored, ...p.errors }} />
      <FilterForm ctx={ctx} f={f} operators={p.operators} invalid={p.invalid} />
      <h2 class="h4 mt-4" id="risultati">
        {t('caseload.results', { count: p.total })}
      </h2>
      {p.rows.length === 0 ? (
        <p>{p.total > 0 ? t('caseload.pastLastPage') : t('caseload.empty')}</p>
      ) : (
        <form method="post" action="/operatore/casi/assegna" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="ritorno" value={toQuery(f)} />
          <CaseTable ctx={ctx} rows={p.rows} checked={p.checked} />
          <fieldset class="mb-4">
            <legend class="h5">{t('caseload.assign.legend')}</legend>
            {p.errors.persone && (
              <div id="persone" class="sl-field-error" tabindex={-1}>
                {p.errors.persone}
              </div>
            )}
            <SelectField
              name="operatore"
              label={t('caseload.assign.operator')}
              hint={t('caseload.assign.hint')}
              values={p.values}
              errors={p.errors}
              options={[
                { value: '', label: t('form.choose') },
                ...p.operators.map((o) => ({ value: o.id, label: fullName(o) })),
              ]}
            />
            <button type="submit" class="btn btn-primary">
              {t('caseload.assign.submit')}
            </button>
          </fieldset>
        </form>
      )}
      <Pager ctx={ctx} f={f} total={p.total} />
      <WorkloadTable ctx={ctx} workload={p.workload} />
    </Layout>
  );
}

const TransferForm = z.object({
  operatore: z.string().uuid('errors.choose'),
  motivo: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(500, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

export function caseloadRoutes(routes: RouteCatalogue, deps: CaseloadDeps): void {
  const ops = ['cpi_operator'] as const;

  const renderList = async (
    req: FastifyRequest,
    reply: FastifyReply,
    query: Record<string, unknown>,
    extra: { errors?: FieldErrors; values?: FormValues; checked?: string[]; status?: number } = {},
  ) => {
    const user = req.ctx.user!;
    const { filters, invalid } = parseFilters(query);
    const now = new Date();
    const [list, operators, workload] = await Promise.all([
      listCaseload(deps.db, user, filters, now),
      user.officeId ? operatorsOfOffice(deps.db, user.regionCode, user.officeId) : Promise.resolve([]),
      workloadOf(deps.db, user, now),
    ]);
    await deps.audit.recordReads(
      actorOf(user),
      'caseload',
      'caseload_management',
      list.rows.map((r) => ({ subjectId: r.id, objectId: null })),
    );
    const ok = query.ok;
    const n = typeof query.n === 'string' && /^[0-9]{1,4}$/.test(query.n) ? Number(query.n) : 0;
    const notice = ok === 'assigned' ? req.ctx.t('caseload.assign.done', { count: n }) : undefined;
    const status = extra.status ?? (Object.keys(invalid).length ? 400 : 200);
    return sendPage(
      reply,
      <CaseloadPage
        ctx={req.ctx}
        f={filters}
        rows={list.rows}
        total={list.total}
        operators={operators}
        workload={workload}
        invalid={invalid}
        errors={extra.errors ?? {}}
        values={extra.values ?? {}}
        checked={extra.checked ?? []}
        notice={status === 200 ? notice : undefined}
      />,
      status,
    );
  };

  routes.get('/operatore/casi', [...ops], async (req, reply) =>
    renderList(req, reply, req.query as Record<string, unknown>),
  );

  routes.post('/operatore/casi/assegna', [...ops], async (req, reply) => {
    const user = req.ctx.user!;
    const { t } = req.ctx;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = typeof body.ritorno === 'string' ? body.ritorno.slice(0, 1000) : '';
    const query = Object.fromEntries(new URLSearchParams(back.startsWith('?') ? back.slice(1) : back));
    const filters = parseFilters(query).filters;
    const people = formArray(body, 'persone', PAGE_SIZE * 4);
    const operator = typeof body.operatore === 'string' ? body.operatore : '';
    const errors: FieldErrors = {};
    if (people.length === 0 || !people.every(isUuid)) errors.persone = t('caseload.assign.choosePeople');
    if (!isUuid(operator)) errors.operatore = t('caseload.assign.chooseOperator');
    const fail = (e: FieldErrors) =>
      renderList(
        req,
        reply,
        { ...query },
        { errors: e, values: { operatore: operator }, checked: people, status: 400 },
      );
    if (Object.keys(errors).length) return fail(errors);
    const result = await assignPeople(deps, user, people, operator, new Date());
    if (!result.ok)
      return fail(
        result.error === 'operator'
          ? { operatore: t('caseload.assign.chooseOperator') }
          : { persone: t('caseload.assign.notInOffice') },
      );
    const q = toQuery(filters);
    return reply.redirect(`/operatore/casi${q ? `${q}&` : '?'}ok=assigned&n=${result.changed}`, 303);
  });

  const renderCase = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const user = req.ctx.user!;
    const { t } = req.ctx;
    const { id } = req.params as { id: string };
    const found = await caseOf(deps.db, user, id, new Date());
    if (!found) return reply.callNotFound();
    await deps.audit.recordReads(actorOf(user), 'case_assignment', 'caseload_management', [
      { subjectId: found.person.id, objectId: found.person.id },
    ]);
    const operators = (await operatorsOfOffice(deps.db, user.regionCode, user.officeId!)).filter(
      (o) => o.id !== found.person.operator_id,
    );
    const name = fullName(found.person);
    const when = dateTimeFormat(req.ctx.lang, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Rome',
    });
    const ok = (req.query as Record<string, unknown>).ok;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('caseload.case.title', { name })}>
        <h1>{t('caseload.case.title', { name })}</h1>
        {status === 200 && ok === 'transferred' && (
          <Notice kind="success">{t('caseload.case.transferred')}</Notice>
        )}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p>
          {found.current
            ? t('caseload.case.current', { operator: fullName(found.current) })
            : t('caseload.case.noOperator')}
        </p>
        <p>
          <a href={`/operatore/persone/${found.person.id}/fascicolo`}>{t('caseload.openDossier')}</a>
        </p>
        <form method="post" action={`/operatore/casi/${found.person.id}/trasferisci`} novalidate>
          <CsrfField ctx={req.ctx} />
          <fieldset class="mb-4">
            <legend class="h4">
              {found.current ? t('caseload.case.transferLegend') : t('caseload.case.assignLegend')}
            </legend>
            <SelectField
              name="operatore"
              label={t('caseload.case.to')}
              values={values}
              errors={errors}
              options={[
                { value: '', label: t('form.choose') },
                ...operators.map((o) => ({ value: o.id, label: fullName(o) })),
              ]}
            />
            <TextArea
              name="motivo"
              label={t('caseload.case.reason')}
              hint={t('caseload.case.reasonHint')}
              values={values}
              errors={errors}
              maxLength={500}
              rows={3}
            />
            <button type="submit" class="btn btn-primary">
              {found.current ? t('caseload.case.transfer') : t('caseload.case.assign')}
            </button>
          </fieldset>
        </form>
        <h2 class="h4 mt-4">{t('caseload.case.history')}</h2>
        {found.history.length === 0 ? (
          <p>{t('caseload.case.noHistory')}</p>
        ) : (
          <table class="table">
            <caption class="visually-hidden">{t('caseload.case.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('caseload.case.when')}</th>
                <th scope="col">{t('caseload.case.change')}</th>
                <th scope="col">{t('caseload.case.by')}</th>
                <th scope="col">{t('caseload.case.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {found.history.map((h) => (
                <tr key={h.id}>
                  <td>{when.format(h.at)}</td>
                  <td>
                    {h.from_given_name
                      ? t('caseload.case.fromTo', {
                          from: fullName({ given_name: h.from_given_name, family_name: h.from_family_name }),
                          to: fullName({ given_name: h.to_given_name, family_name: h.to_family_name }),
                        })
                      : t('caseload.case.toOnly', {
                          to: fullName({ given_name: h.to_given_name, family_name: h.to_family_name }),
                        })}
                  </td>
                  <td>{fullName({ given_name: h.actor_given_name, family_name: h.actor_family_name })}</td>
                  <td>{h.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p>
          <a href="/operatore/casi">{t('caseload.case.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/casi/:id', [...ops], async (req, reply) => renderCase(req, reply, {}, {}));

  routes.post('/operatore/casi/:id/trasferisci', [...ops], async (req, reply) => {
    const user = req.ctx.user!;
    const { t } = req.ctx;
    const { id } = req.params as { id: string };
    if (!isUuid(id)) return reply.callNotFound();
    const form = parseForm(TransferForm, req.body, t);
    if (!form.ok) return renderCase(req, reply, form.values, form.errors, 400);
    const result = await transferPerson(deps, user, id, form.data.operatore, form.data.motivo, new Date());
    if (!result.ok) {
      if (result.error === 'notFound') return reply.callNotFound();
      const message = result.error === 'same' ? t('caseload.case.same') : t('caseload.assign.chooseOperator');
      return renderCase(req, reply, form.values, { operatore: message }, 400);
    }
    return reply.redirect(`/operatore/casi/${id}?ok=transferred`, 303);
  });
}
