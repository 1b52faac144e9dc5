import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EID_CONFIRMATION_MS, type Session, type SessionUser } from '../../platform/auth/session.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
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
  commitmentLines,
  type PactContent,
  pactContentSchema,
  parseCommitmentLines,
} from '../domain/pact.ts';
import {
  accreditedAgencies,
  citizenPact,
  defaultContent,
  operatorPersonPact,
  type PactDetails,
  pactForUser,
  proposeDraft,
  requestChange,
  SERVICE_CODES,
  type SignResult,
  saveDraft,
  sendSignCode,
  signPact,
  startNewVersion,
  versionPdf,
} from '../use-cases/pact.ts';
import type { PactDeps } from '../wiring.ts';
import { EidSignForm, FullText, PartiesStatus, SignForms, VersionsList } from './pact-view.tsx';

const SERVICE_ROWS = 6;
const NOTICES = ['saved', 'proposed', 'codeSent', 'signed', 'completed', 'changeRequested', 'newVersion'];

const text = (max: number, required = true) => {
  const base = z
    .string()
    .trim()
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');
  return required ? base.min(1, 'errors.required') : base;
};

const codeSchema = z.object({
  method: z.enum(['sms_code', 'totp'], { message: 'errors.choose' }),
  code: z
    .string()
    .trim()
    .regex(/^[0-9][0-9 -]{4,10}[0-9]$/, 'pact.errors.codeFormat'),
});
const reasonSchema = z.object({ reason: text(500) });
const messageSchema = z.object({ message: text(1000) });

function notice(req: FastifyRequest): string | undefined {
  const ok = (req.query as Record<string, unknown>).ok;
  return typeof ok === 'string' && NOTICES.includes(ok) ? req.ctx.t(`pact.done.${ok}`) : undefined;
}

/** The session's SPID/CIE confirmation while it can still be used to sign (decision 0005). */
function freshConfirmation(session: Session | null, now = Date.now()) {
  const c = session?.eidConfirmation ?? null;
  return c && now - c.at.getTime() < EID_CONFIRMATION_MS ? c : null;
}

function client(req: FastifyRequest) {
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

function signError(ctx: RequestContext, r: Exclude<SignResult, { ok: true }>): string {
  return r.reason === 'wrong_code' && r.attemptsLeft !== undefined
    ? ctx.t('pact.errors.wrong_code_left', { left: r.attemptsLeft })
    : ctx.t(`pact.errors.${r.reason}`);
}

// ---------------------------------------------------------------------------------------------
// The draft form

type DraftForm = { values: FormValues; errors: FieldErrors };

function draftValues(content: PactContent, agencyId: string | null): FormValues {
  const v: FormValues = {
    agency: agencyId ?? '',
    cpi_commitments: commitmentLines(content.cpiCommitments),
    citizen_commitments: commitmentLines(content.citizenCommitments),
    notes: content.notes,
  };
  content.services.slice(0, SERVICE_ROWS).forEach((s, i) => {
    v[`service_${i}`] = s.code;
    v[`target_${i}`] = s.target;
  });
  return v;
}

function parseDraft(body: unknown, t: RequestContext['t']) {
  const raw = (body ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : '');
  const values: FormValues = {
    agency: str('agency'),
    cpi_commitments: str('cpi_commitments'),
    citizen_commitments: str('citizen_commitments'),
    notes: str('notes'),
  };
  const errors: FieldErrors = {};
  const services: PactContent['services'] = [];
  for (let i = 0; i < SERVICE_ROWS; i++) {
    const code = str(`service_${i}`);
    const target = str(`target_${i}`).trim();
    values[`service_${i}`] = code;
    values[`target_${i}`] = target;
    if (!code && !target) continue;
    if (!SERVICE_CODES.includes(code)) errors[`service_${i}`] = t('pact.errors.chooseService');
    const d = /^\d{4}-\d{2}-\d{2}$/.test(target) ? new Date(`${target}T12:00:00Z`) : null;
    if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== target)
      errors[`target_${i}`] = t('pact.errors.date');
    else if (target < new Date().toISOString().slice(0, 10))
      errors[`target_${i}`] = t('pact.errors.pastDate');
    if (!errors[`service_${i}`] && !errors[`target_${i}`]) services.push({ code, target });
  }
  const lines = z.object({
    cpi_commitments: text(8000),
    citizen_commitments: text(8000),
    notes: text(2000, false),
    agency: z.union([z.literal(''), z.string().uuid('errors.choose')]),
  });
  const form = parseForm(lines, values, t);
  if (!form.ok) Object.assign(errors, form.errors);
  const cpi = parseCommitmentLines(values.cpi_commitments ?? '');
  const citizen = parseCommitmentLines(values.citizen_commitments ?? '');
  for (const [name, items] of [
    ['cpi_commitments', cpi],
    ['citizen_commitments', citizen],
  ] as const) {
    if (
      !errors[name] &&
      (items.length > 20 || items.some((c) => c.text.length > 500 || (c.source?.length ?? 0) > 200))
    )
      errors[name] = t('pact.errors.tooManyLines');
  }
  if (
    services.length === 0 &&
    !Object.keys(errors).some((k) => k.startsWith('service_') || k.startsWith('target_'))
  )
    errors.service_0 = t('pact.errors.oneService');
  return {
    values,
    errors,
    input:
      Object.keys(errors).length === 0
        ? {
            services: services.sort((a, b) => (a.target < b.target ? -1 : 1)),
            cpiCommitments: cpi,
            citizenCommitments: citizen,
            notes: values.notes?.trim() ?? '',
            agencyId: values.agency || null,
          }
        : null,
  };
}

function DraftFormView({
  ctx,
  action,
  form,
  agencies,
  obligations,
}: {
  ctx: RequestContext;
  action: string;
  form: DraftForm;
  agencies: { id: string; name: string }[];
  obligations: PactContent['obligations'];
}) {
  const { t } = ctx;
  const serviceOptions = [
    { value: '', label: t('pact.draft.noService') },
    ...SERVICE_CODES.map((c) => ({ value: c, label: t(`agenda.services.${c}`) })),
  ];
  return (
    <form method="post" action={action} novalidate>
      <CsrfField ctx={ctx} />
      <h2 class="h4 mt-4">{t('pact.draft.servicesHeading')}</h2>
      <p>{t('pact.draft.servicesHint')}</p>
      {Array.from({ length: SERVICE_ROWS }, (_, i) => (
        <fieldset class="mb-3">
          <legend class="h5">{t('pact.draft.serviceN', { n: i + 1 })}</legend>
          <SelectField
            name={`service_${i}`}
            label={t('pact.draft.service')}
            values={form.values}
            errors={form.errors}
            options={serviceOptions}
          />
          <TextField
            name={`target_${i}`}
            type="date"
            label={t('pact.draft.target')}
            hint={t('pact.draft.targetHint')}
            values={form.values}
            errors={form.errors}
          />
        </fieldset>
      ))}
      <h2 class="h4 mt-4">{t('pact.draft.commitmentsHeading')}</h2>
      <TextArea
        name="cpi_commitments"
        label={t('pact.draft.cpiCommitments')}
        hint={t('pact.draft.linesHint')}
        values={form.values}
        errors={form.errors}
        rows={8}
      />
      <TextArea
        name="citizen_commitments"
        label={t('pact.draft.citizenCommitments')}
        hint={t('pact.draft.linesHint')}
        values={form.values}
        errors={form.errors}
        rows={8}
      />
      <h2 class="h4 mt-4">{t('pact.draft.obligationsHeading')}</h2>
      {obligations.length ? (
        <ul>
          {obligations.map((o) => (
            <li>{`${t(`pact.benefits.${o.benefit}`)}: ${o.text} (${t('pact.doc.source')}: ${o.source})`}</li>
          ))}
        </ul>
      ) : (
        <p>{t('pact.draft.noObligations')}</p>
      )}
      <h2 class="h4 mt-4">{t('pact.draft.agencyHeading')}</h2>
      <SelectField
        name="agency"
        label={t('pact.draft.agency')}
        hint={t('pact.draft.agencyHint')}
        values={form.values}
        errors={form.errors}
        options={[
          { value: '', label: t('pact.draft.noAgency') },
          ...agencies.map((a) => ({ value: a.id, label: a.name })),
        ]}
      />
      <TextArea
        name="notes"
        label={t('pact.draft.notes')}
        values={form.values}
        errors={form.errors}
        rows={3}
        maxLength={2000}
      />
      <button type="submit" class="btn btn-primary">
        {t('pact.draft.save')}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Pages

type OperatorErrors = {
  errors?: FieldErrors;
  values?: FormValues;
  draft?: DraftForm;
  notice?: string | undefined;
};

export function registerPactRoutes(routes: RouteCatalogue, deps: PactDeps): void {
  // Signing with SPID/CIE is offered where an identity provider is configured (the demo has one).
  const eidAvailable = deps.config.demo || Boolean(deps.config.spid.issuer && deps.config.spid.clientSecret);
  const { db } = deps;

  const totpEnabled = async (user: SessionUser) =>
    Boolean(
      (
        await db
          .selectFrom('users')
          .select('totp_enabled_at')
          .where('region_code', '=', user.regionCode)
          .where('id', '=', user.id)
          .executeTakeFirst()
      )?.totp_enabled_at,
    );

  /** The CPI operator's page for a person's pact. */
  const operatorPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    personId: string,
    opts: OperatorErrors = {},
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const operator = ctx.user!;
    const found = await operatorPersonPact(deps, operator, personId);
    if (!found) return reply.callNotFound();
    const { person, details } = found;
    const self = `/operatore/persone/${person.id}/patto`;
    const errors = opts.errors ?? {};
    const title = t('pact.operator.title', { name: `${person.given_name} ${person.family_name}` });
    const editing = !details || details.current.status === 'draft';
    const content = details?.current.content ?? (await defaultContent(deps, operator, person.id));
    const draft = opts.draft ?? { values: draftValues(content, details?.pact.agency_id ?? null), errors: {} };
    const agencies = editing ? await accreditedAgencies(db, operator.regionCode) : [];
    const pactBase = details ? `/operatore/patti/${details.pact.id}` : '';
    const status_ = details?.pact.status;
    const signable = status_ === 'proposed' || status_ === 'signing';
    // Requests still open, and while redrafting, those the new draft answers.
    const openRequests = (details?.changeRequests ?? []).filter(
      (c) =>
        !c.answered_at ||
        (details?.current.status === 'draft' && c.version === details.pact.current_version - 1),
    );
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        {opts.notice && <Notice kind="success">{opts.notice}</Notice>}
        <ErrorSummary ctx={ctx} errors={{ ...errors, ...draft.errors }} />
        <p class="lead">
          {details
            ? t('pact.operator.statusLine', {
                version: details.pact.current_version,
                status: t(`pact.status.${details.pact.status}`),
              })
            : t('pact.operator.noPact')}
        </p>
        {openRequests.length > 0 && (
          <div class="alert alert-warning" role="status">
            <h2 class="h5">{t('pact.operator.changeRequested')}</h2>
            {openRequests.map((c) => (
              <p>{`${t('pact.operator.changeRequestOn', { when: dateTimeFormat(ctx.lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(c.created_at) })}: ${c.message}`}</p>
            ))}
          </div>
        )}
        {details && <PartiesStatus ctx={ctx} details={details} />}
        {editing ? (
          <>
            <h2 class="h4 mt-4">{t('pact.operator.profileHeading')}</h2>
            <p>{content.tier ? t('pact.doc.tier', { tier: content.tier }) : t('pact.doc.noTier')}</p>
            <DraftFormView
              ctx={ctx}
              action={self}
              form={draft}
              agencies={agencies}
              obligations={content.obligations}
            />
            {details && (
              <form method="post" action={`${pactBase}/proponi`} class="mt-4" novalidate>
                <CsrfField ctx={ctx} />
                <p>{t('pact.operator.proposeHint')}</p>
                <button type="submit" class="btn btn-primary">
                  {t('pact.operator.propose')}
                </button>
              </form>
            )}
          </>
        ) : (
          details && (
            <>
              <h2 class="h4 mt-4">{t('pact.fullTextHeading')}</h2>
              <FullText ctx={ctx} content={details.current.content} signatures={null} />
            </>
          )
        )}
        {details && signable && details.missing.includes('cpi') && (
          <>
            <h2 class="h4 mt-4">{t('pact.operator.signHeading')}</h2>
            <SignForms
              ctx={ctx}
              idPrefix="cpi"
              sendAction={`${pactBase}/codice`}
              signAction={`${pactBase}/firma`}
              totp={await totpEnabled(operator)}
              legend={t('pact.operator.signLegend')}
              errors={errors}
              values={opts.values ?? {}}
            />
          </>
        )}
        {details && signable && details.missing.includes('citizen') && (
          <>
            <h2 class="h4 mt-4">{t('pact.operator.deskHeading')}</h2>
            <p>{t('pact.operator.deskHint')}</p>
            <form method="post" action={`${pactBase}/sportello/codice`} class="mb-3" novalidate>
              <CsrfField ctx={ctx} />
              <button type="submit" class="btn btn-outline-primary">
                {t('pact.operator.deskSend')}
              </button>
            </form>
            <form method="post" action={`${pactBase}/sportello/firma`} novalidate>
              <CsrfField ctx={ctx} />
              <fieldset class="mb-4">
                <legend class="h5">{t('pact.operator.deskLegend')}</legend>
                <input type="hidden" name="method" value="sms_code" />
                <TextField
                  id="desk-code"
                  name="desk_code"
                  label={t('pact.operator.deskCode')}
                  values={opts.values ?? {}}
                  errors={errors}
                  inputmode="numeric"
                  autocomplete="off"
                  maxLength={12}
                />
                <button type="submit" class="btn btn-primary">
                  {t('pact.operator.deskSign')}
                </button>
              </fieldset>
            </form>
          </>
        )}
        {details &&
          (details.current.status === 'changes_requested' || details.current.status === 'signed') && (
            <form method="post" action={`${pactBase}/nuova-versione`} class="mt-4" novalidate>
              <CsrfField ctx={ctx} />
              <h2 class="h4">
                {details.current.status === 'signed'
                  ? t('pact.operator.amendHeading')
                  : t('pact.operator.redraftHeading')}
              </h2>
              <TextField
                name="reason"
                label={t('pact.operator.reason')}
                values={opts.values ?? {}}
                errors={errors}
                maxLength={500}
              />
              <button type="submit" class="btn btn-primary">
                {t('pact.operator.newVersion')}
              </button>
            </form>
          )}
        {details && (
          <VersionsList ctx={ctx} details={details} pdfHref={(v) => `${pactBase}/versioni/${v}/pdf`} />
        )}
      </Layout>,
      status,
    );
  };

  const personIdOf = (req: FastifyRequest) => String((req.params as { id: string }).id);
  const pactIdOf = personIdOf;

  routes.get('/operatore/persone/:id/patto', ['cpi_operator'], async (req, reply) =>
    operatorPage(req, reply, personIdOf(req), { notice: notice(req) }),
  );

  routes.post('/operatore/persone/:id/patto', ['cpi_operator'], async (req, reply) => {
    const personId = personIdOf(req);
    const parsed = parseDraft(req.body, req.ctx.t);
    if (!parsed.input)
      return operatorPage(
        req,
        reply,
        personId,
        { draft: { values: parsed.values, errors: parsed.errors } },
        400,
      );
    const result = await saveDraft(deps, req.ctx.user!, personId, parsed.input);
    if (!result.ok) {
      if (result.reason === 'not_found') return reply.callNotFound();
      const field = result.reason === 'bad_agency' ? 'agency' : 'service_0';
      return operatorPage(
        req,
        reply,
        personId,
        { draft: { values: parsed.values, errors: { [field]: req.ctx.t(`pact.errors.${result.reason}`) } } },
        400,
      );
    }
    return reply.redirect(`/operatore/persone/${personId}/patto?ok=saved`, 303);
  });

  /** The operator's actions on a pact: resolve it (Region-scoped), then act, then back to the page. */
  const withPact = async (req: FastifyRequest, reply: FastifyReply) => {
    const details = await pactForUser(deps, req.ctx.user!, pactIdOf(req));
    if (!details) {
      reply.callNotFound();
      return null;
    }
    return details;
  };
  const pageOf = (details: PactDetails, user: SessionUser) =>
    user.role === 'cpi_operator'
      ? `/operatore/persone/${details.pact.citizen_id}/patto`
      : `/operatore/patti/${details.pact.id}`;

  routes.post('/operatore/patti/:id/proponi', ['cpi_operator'], async (req, reply) => {
    const details = await withPact(req, reply);
    if (!details) return reply;
    const ok = await proposeDraft(deps, req.ctx.user!, details.pact.id);
    if (!ok)
      return operatorPage(
        req,
        reply,
        details.pact.citizen_id,
        { errors: { propose: req.ctx.t('pact.errors.not_signable') } },
        400,
      );
    return reply.redirect(`${pageOf(details, req.ctx.user!)}?ok=proposed`, 303);
  });

  routes.post('/operatore/patti/:id/nuova-versione', ['cpi_operator'], async (req, reply) => {
    const details = await withPact(req, reply);
    if (!details) return reply;
    const form = parseForm(reasonSchema, req.body, req.ctx.t);
    if (!form.ok)
      return operatorPage(
        req,
        reply,
        details.pact.citizen_id,
        { errors: form.errors, values: form.values },
        400,
      );
    if (!(await startNewVersion(deps, req.ctx.user!, details.pact.id, form.data.reason)))
      return operatorPage(
        req,
        reply,
        details.pact.citizen_id,
        { errors: { reason: req.ctx.t('pact.errors.not_signable') } },
        400,
      );
    return reply.redirect(`${pageOf(details, req.ctx.user!)}?ok=newVersion`, 303);
  });

  /** The agency operator's (and CPI's) pact page by pact id. */
  const aplPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: OperatorErrors = {},
    status = 200,
  ) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const details = await pactForUser(deps, user, pactIdOf(req));
    if (!details) return reply.callNotFound();
    if (user.role === 'cpi_operator') return reply.redirect(pageOf(details, user), 303);
    const { t } = ctx;
    const base = `/operatore/patti/${details.pact.id}`;
    const signable = details.pact.status === 'proposed' || details.pact.status === 'signing';
    await deps.audit.recordReads(
      {
        id: user.id,
        role: user.role,
        regionCode: user.regionCode,
        officeId: user.officeId,
        agencyId: user.agencyId,
      },
      'pact',
      'taking_charge',
      [{ subjectId: details.pact.citizen_id, objectId: details.pact.id }],
    );
    const title = t('pact.apl.title', { name: details.current.content.person.name });
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} wide>
        <h1>{title}</h1>
        {opts.notice && <Notice kind="success">{opts.notice}</Notice>}
        <ErrorSummary ctx={ctx} errors={opts.errors ?? {}} />
        <p class="lead">
          {t('pact.operator.statusLine', {
            version: details.pact.current_version,
            status: t(`pact.status.${details.pact.status}`),
          })}
        </p>
        <PartiesStatus ctx={ctx} details={details} />
        {signable && details.missing.includes('apl') && (
          <>
            <h2 class="h4 mt-4">{t('pact.apl.signHeading')}</h2>
            <SignForms
              ctx={ctx}
              idPrefix="apl"
              sendAction={`${base}/codice`}
              signAction={`${base}/firma`}
              totp={await totpEnabled(user)}
              legend={t('pact.apl.signLegend')}
              errors={opts.errors ?? {}}
              values={opts.values ?? {}}
            />
          </>
        )}
        <h2 class="h4 mt-4">{t('pact.fullTextHeading')}</h2>
        <FullText ctx={ctx} content={details.current.content} signatures={null} />
        <VersionsList ctx={ctx} details={details} pdfHref={(v) => `${base}/versioni/${v}/pdf`} />
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/patti/:id', ['cpi_operator', 'apl_operator'], async (req, reply) =>
    aplPage(req, reply, { notice: notice(req) }),
  );

  const rerender = (req: FastifyRequest, reply: FastifyReply, details: PactDetails, opts: OperatorErrors) =>
    req.ctx.user!.role === 'cpi_operator'
      ? operatorPage(req, reply, details.pact.citizen_id, opts, 400)
      : aplPage(req, reply, opts, 400);

  routes.post('/operatore/patti/:id/codice', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const details = await withPact(req, reply);
    if (!details) return reply;
    const sent = await sendSignCode(deps, req.ctx.user!, details.pact.id);
    if (sent !== 'sent')
      return rerender(req, reply, details, { errors: { code: req.ctx.t(`pact.errors.${sent}`) } });
    return reply.redirect(`${pageOf(details, req.ctx.user!)}?ok=codeSent#cpi-code`, 303);
  });

  routes.post('/operatore/patti/:id/firma', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const details = await withPact(req, reply);
    if (!details) return reply;
    const form = parseForm(codeSchema, req.body, req.ctx.t);
    if (!form.ok) return rerender(req, reply, details, { errors: form.errors, values: {} });
    const r = await signPact(deps, req.ctx.user!, { pactId: details.pact.id, ...form.data, ...client(req) });
    if (!r.ok) return rerender(req, reply, details, { errors: { code: signError(req.ctx, r) } });
    return reply.redirect(
      `${pageOf(details, req.ctx.user!)}?ok=${r.completed ? 'completed' : 'signed'}`,
      303,
    );
  });

  routes.post('/operatore/patti/:id/sportello/codice', ['cpi_operator'], async (req, reply) => {
    const details = await withPact(req, reply);
    if (!details) return reply;
    const sent = await sendSignCode(deps, req.ctx.user!, details.pact.id, { forCitizenAtDesk: true });
    if (sent !== 'sent')
      return rerender(req, reply, details, { errors: { desk_code: req.ctx.t(`pact.errors.${sent}`) } });
    return reply.redirect(`${pageOf(details, req.ctx.user!)}?ok=codeSent#desk-code`, 303);
  });

  routes.post('/operatore/patti/:id/sportello/firma', ['cpi_operator'], async (req, reply) => {
    const details = await withPact(req, reply);
    if (!details) return reply;
    const form = parseForm(z.object({ desk_code: codeSchema.shape.code }), req.body, req.ctx.t);
    if (!form.ok) return rerender(req, reply, details, { errors: form.errors });
    const r = await signPact(deps, req.ctx.user!, {
      pactId: details.pact.id,
      code: form.data.desk_code,
      method: 'sms_code',
      atDesk: true,
      ...client(req),
    });
    if (!r.ok) return rerender(req, reply, details, { errors: { desk_code: signError(req.ctx, r) } });
    return reply.redirect(
      `${pageOf(details, req.ctx.user!)}?ok=${r.completed ? 'completed' : 'signed'}`,
      303,
    );
  });

  const sendPdf = async (req: FastifyRequest, reply: FastifyReply) => {
    const { id, v } = req.params as { id: string; v: string };
    const version = /^[0-9]{1,4}$/.test(v) ? Number(v) : Number.NaN;
    const doc = await versionPdf(deps, req.ctx.user!, id, version);
    if (!doc) return reply.callNotFound();
    return reply
      .type('application/pdf')
      .header(
        'Content-Disposition',
        `attachment; filename="patto-v${version}${doc.signed ? '-firmato' : ''}.pdf"`,
      )
      .send(doc.pdf);
  };
  routes.get('/operatore/patti/:id/versioni/:v/pdf', ['cpi_operator', 'apl_operator'], sendPdf);

  // -------------------------------------------------------------------------------------------
  // The citizen

  const citizenPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: OperatorErrors = {},
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const details = await citizenPact(deps, ctx.user!);
    // A draft is the operator's work in progress; the person sees what has been proposed.
    const visible = details?.versions.some((v) => v.status !== 'draft') ? details : null;
    const dayFmt = dateTimeFormat(ctx.lang, { dateStyle: 'long', timeZone: 'Europe/Rome' });
    const shown = visible
      ? visible.current.status === 'draft'
        ? (() => {
            const last = visible.versions.find((v) => v.status !== 'draft')!;
            return {
              version: last.version,
              status: last.status,
              content: pactContentSchema.parse(last.content),
              last,
            };
          })()
        : {
            version: visible.current.version,
            status: visible.current.status,
            content: visible.current.content,
            last: null,
          }
      : null;
    const signable = visible && visible.current.status === 'proposed' && visible.missing.includes('citizen');
    const base = visible ? `/patto` : '';
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('pact.citizen.title')}>
        <h1>{t('pact.citizen.title')}</h1>
        {opts.notice && <Notice kind="success">{opts.notice}</Notice>}
        <ErrorSummary ctx={ctx} errors={opts.errors ?? {}} />
        {!visible || !shown ? (
          <p>{t('pact.citizen.none')}</p>
        ) : (
          <>
            <p class="lead">{t(`pact.citizen.statusIntro.${visible.pact.status}`)}</p>
            <h2 class="h4 mt-4">{t('pact.citizen.summaryHeading')}</h2>
            <p>{t('pact.citizen.summaryIntro', { office: shown.content.office.name })}</p>
            {shown.content.agency && (
              <p>{t('pact.citizen.summaryAgency', { agency: shown.content.agency.name })}</p>
            )}
            <h3 class="h5">{t('pact.citizen.nextSteps')}</h3>
            <ul>
              {shown.content.services.map((s) => (
                <li>
                  {t('pact.citizen.serviceBy', {
                    service: t(`agenda.services.${s.code}`),
                    date: dayFmt.format(new Date(`${s.target}T12:00:00Z`)),
                  })}
                </li>
              ))}
            </ul>
            <h3 class="h5">{t('pact.citizen.youDo')}</h3>
            <ul>
              {shown.content.citizenCommitments.map((c) => (
                <li>{c.text}</li>
              ))}
            </ul>
            {shown.content.obligations.length > 0 && (
              <>
                <h3 class="h5">{t('pact.citizen.benefitRules')}</h3>
                <p>{t('pact.citizen.benefitRulesIntro')}</p>
              </>
            )}
            <PartiesStatus ctx={ctx} details={visible} />
            <p>
              <a class="btn btn-outline-primary" href={`${base}/versioni/${shown.version}/pdf`}>
                {t('pact.citizen.download')}
              </a>
            </p>
            {signable && (
              <>
                <h2 class="h4 mt-4">{t('pact.citizen.signHeading')}</h2>
                <p>{t('pact.citizen.signIntro')}</p>
                <SignForms
                  ctx={ctx}
                  idPrefix="citizen"
                  sendAction="/patto/codice"
                  signAction="/patto/firma"
                  totp={await totpEnabled(ctx.user!)}
                  legend={t('pact.citizen.signLegend')}
                  errors={opts.errors ?? {}}
                  values={opts.values ?? {}}
                />
                {eidAvailable && (
                  <EidSignForm
                    ctx={ctx}
                    confirmation={freshConfirmation(ctx.session)}
                    error={opts.errors?.eid}
                  />
                )}
                <h2 class="h4 mt-4">{t('pact.citizen.changeHeading')}</h2>
                <form method="post" action="/patto/modifica" novalidate>
                  <CsrfField ctx={ctx} />
                  <TextArea
                    name="message"
                    label={t('pact.citizen.changeLabel')}
                    hint={t('pact.citizen.changeHint')}
                    values={opts.values ?? {}}
                    errors={opts.errors ?? {}}
                    rows={4}
                    maxLength={1000}
                  />
                  <button type="submit" class="btn btn-outline-primary">
                    {t('pact.citizen.changeButton')}
                  </button>
                </form>
              </>
            )}
            <h2 class="h4 mt-4">{t('pact.fullTextHeading')}</h2>
            <FullText
              ctx={ctx}
              content={shown.content}
              signatures={shown.status === 'signed' ? visible.signaturesOf(shown.version) : null}
            />
            <VersionsList
              ctx={ctx}
              details={{ ...visible, versions: visible.versions.filter((v) => v.status !== 'draft') }}
              pdfHref={(v) => `/patto/versioni/${v}/pdf`}
            />
          </>
        )}
      </Layout>,
      status,
    );
  };

  routes.get('/patto', ['citizen'], async (req, reply) => citizenPage(req, reply, { notice: notice(req) }));

  const myPactId = async (user: SessionUser) => (await citizenPact(deps, user))?.pact.id ?? null;

  routes.post('/patto/codice', ['citizen'], async (req, reply) => {
    const id = await myPactId(req.ctx.user!);
    const sent = id ? await sendSignCode(deps, req.ctx.user!, id) : 'not_signable';
    if (sent !== 'sent')
      return citizenPage(req, reply, { errors: { code: req.ctx.t(`pact.errors.${sent}`) } }, 400);
    return reply.redirect('/patto?ok=codeSent#citizen-code', 303);
  });

  routes.post('/patto/firma', ['citizen'], async (req, reply) => {
    const form = parseForm(codeSchema, req.body, req.ctx.t);
    if (!form.ok) return citizenPage(req, reply, { errors: form.errors }, 400);
    const id = await myPactId(req.ctx.user!);
    const r: SignResult = id
      ? await signPact(deps, req.ctx.user!, { pactId: id, ...form.data, ...client(req) })
      : { ok: false, reason: 'not_found' };
    if (!r.ok) return citizenPage(req, reply, { errors: { code: signError(req.ctx, r) } }, 400);
    return reply.redirect(`/patto?ok=${r.completed ? 'completed' : 'signed'}`, 303);
  });

  routes.post('/patto/firma-eid', ['citizen'], async (req, reply) => {
    const id = await myPactId(req.ctx.user!);
    const r: SignResult = id
      ? await signPact(deps, req.ctx.user!, {
          pactId: id,
          code: '',
          method: 'eid',
          sessionIdHash: req.ctx.session!.idHash,
          ...client(req),
        })
      : { ok: false, reason: 'not_found' };
    if (!r.ok) return citizenPage(req, reply, { errors: { eid: signError(req.ctx, r) } }, 400);
    return reply.redirect(`/patto?ok=${r.completed ? 'completed' : 'signed'}`, 303);
  });

  routes.post('/patto/modifica', ['citizen'], async (req, reply) => {
    const form = parseForm(messageSchema, req.body, req.ctx.t);
    if (!form.ok) return citizenPage(req, reply, { errors: form.errors, values: form.values }, 400);
    const id = await myPactId(req.ctx.user!);
    if (!id || !(await requestChange(deps, req.ctx.user!, id, form.data.message)))
      return citizenPage(
        req,
        reply,
        { errors: { message: req.ctx.t('pact.errors.not_signable') }, values: form.values },
        400,
      );
    return reply.redirect('/patto?ok=changeRequested', 303);
  });

  routes.get('/patto/versioni/:v/pdf', ['citizen'], async (req, reply) => {
    const id = await myPactId(req.ctx.user!);
    if (!id) return reply.callNotFound();
    (req.params as Record<string, string>).id = id;
    return sendPdf(req, reply);
  });
}
