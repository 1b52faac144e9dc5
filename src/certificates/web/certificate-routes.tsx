import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { hit } from '../../platform/auth/rate-limit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { CsrfField, ErrorSummary, type FieldErrors, Notice, RadioGroup } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { CertificateKind } from '../adapters/certificate-tables.ts';
import {
  CERTIFICATE_KINDS,
  CERTIFICATE_LANGS,
  type CertificatesDeps,
  certificatePdfByCode,
  certificatePdfForOperator,
  hasAnyDid,
  type IssuedCertificate,
  issueForPerson,
  issueOwnCertificate,
  myCertificates,
  OPERATOR_PURPOSES,
  type OperatorPurpose,
  ownCertificatePdf,
  personForOperator,
} from '../use-cases/certificates.ts';

const CODE = /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/;
/** Generating a PDF costs CPU: a person (or an operator) may ask for this many per hour. */
const ISSUES_PER_HOUR = 30;

const IssueSchema = z.object({
  kind: z.enum(CERTIFICATE_KINDS, { message: 'certificates.errors.kind' }),
  lang: z.enum(CERTIFICATE_LANGS, { message: 'errors.choose' }),
});

function fileName(kind: CertificateKind, code: string): string {
  return `${kind === 'sap' ? 'sap' : 'c2-storico'}-${code}.pdf`;
}

function sendPdf(reply: FastifyReply, kind: CertificateKind, code: string, pdf: Buffer) {
  return reply
    .type('application/pdf')
    .header('Content-Disposition', `attachment; filename="${fileName(kind, code)}"`)
    .send(pdf);
}

function defaultLang(ctx: RequestContext): string {
  return ctx.lang === 'en' ? 'en' : 'it';
}

/** The language choice and one "Scarica" button per certificate, in one form (works without JavaScript). */
function IssueForm(props: {
  ctx: RequestContext;
  action: string;
  values: Record<string, string>;
  errors: FieldErrors;
  hasDid: boolean;
  noDidText: string;
  hidden?: Record<string, string>;
}) {
  const { t } = props.ctx;
  return (
    <form method="post" action={props.action} novalidate>
      <CsrfField ctx={props.ctx} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <RadioGroup
        name="lang"
        label={t('certificates.langLabel')}
        hint={t('certificates.langHint')}
        values={props.values}
        errors={props.errors}
        options={CERTIFICATE_LANGS.map((l) => ({ value: l, label: t(`certificates.langs.${l}`) }))}
      />
      {props.errors.kind && (
        <div id="kind" class="sl-field-error" tabindex={-1}>
          {props.errors.kind}
        </div>
      )}
      {CERTIFICATE_KINDS.map((kind) => (
        <section class="mb-4" aria-labelledby={`h-${kind}`}>
          <h2 class="h4" id={`h-${kind}`}>
            {t(`certificates.kinds.${kind}.title`)}
          </h2>
          <p>{t(`certificates.kinds.${kind}.explain`)}</p>
          {kind === 'c2_storico' && !props.hasDid && (
            <div class="alert alert-warning" role="note">
              {props.noDidText}
            </div>
          )}
          <button type="submit" name="kind" value={kind} class="btn btn-primary">
            {t(`certificates.kinds.${kind}.button`)}
          </button>
        </section>
      ))}
    </form>
  );
}

function IssuedTable(props: {
  ctx: RequestContext;
  rows: IssuedCertificate[];
  heading: string;
  downloadHref: (code: string) => string;
}) {
  const { t, lang } = props.ctx;
  const fmt = dateTimeFormat(lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  return (
    <>
      <h2 class="h4 mt-5">{props.heading}</h2>
      {props.rows.length === 0 ? (
        <p>{t('certificates.noneIssued')}</p>
      ) : (
        <div class="table-responsive">
          <table class="table">
            <caption class="visually-hidden">{props.heading}</caption>
            <thead>
              <tr>
                <th scope="col">{t('certificates.colCertificate')}</th>
                <th scope="col">{t('certificates.colLanguage')}</th>
                <th scope="col">{t('certificates.colIssued')}</th>
                <th scope="col">{t('certificates.colCode')}</th>
                <th scope="col">{t('certificates.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((c) => (
                <tr>
                  <th scope="row">
                    {t(`certificates.kinds.${c.kind}.short`)}
                    {c.revokedAt && <span class="d-block small">{t('certificates.revoked')}</span>}
                  </th>
                  <td>{t(`certificates.langs.${c.lang}`)}</td>
                  <td>
                    {fmt.format(c.issuedAt)}
                    <span class="d-block small">
                      {c.byOperator
                        ? t('certificates.byOperator', {
                            name: c.byOperator.name,
                            office: c.byOperator.office ?? '—',
                          })
                        : t('certificates.bySelf')}
                    </span>
                  </td>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>
                    <a
                      href={props.downloadHref(c.code)}
                      aria-label={t('certificates.downloadNamed', {
                        title: t(`certificates.kinds.${c.kind}.short`),
                        date: fmt.format(c.issuedAt),
                      })}
                    >
                      {t('certificates.download')}
                    </a>
                    <br />
                    <a
                      href={`/verifica/${c.code}`}
                      aria-label={t('certificates.verifyNamed', { code: c.code })}
                    >
                      {t('certificates.verify')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function registerCertificateRoutes(routes: RouteCatalogue, deps: CertificatesDeps): void {
  // ——— The person ———
  const citizenPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { values?: Record<string, string>; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    const { ctx } = req;
    const { t } = ctx;
    const user = ctx.user!;
    const [rows, did] = await Promise.all([myCertificates(deps, user), hasAnyDid(deps, user)]);
    const q = req.query as Record<string, unknown>;
    const okCode =
      typeof q.ok === 'string' && CODE.test(q.ok) && rows.some((r) => r.code === q.ok) ? q.ok : null;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('certificates.title')}>
        <h1>{t('certificates.title')}</h1>
        <ErrorSummary ctx={ctx} errors={opts.errors ?? {}} />
        {okCode && status === 200 && (
          <Notice kind="success">
            {t('certificates.issuedNotice', { code: okCode })}{' '}
            <a href={`/certificati/scarica/${okCode}`}>{t('certificates.downloadNow')}</a>
          </Notice>
        )}
        <p>{t('certificates.intro')}</p>
        <IssueForm
          ctx={ctx}
          action="/certificati"
          values={opts.values ?? { lang: defaultLang(ctx) }}
          errors={opts.errors ?? {}}
          hasDid={did}
          noDidText={t('certificates.noDidNote')}
        />
        <IssuedTable
          ctx={ctx}
          rows={rows}
          heading={t('certificates.issuedHeading')}
          downloadHref={(code) => `/certificati/scarica/${code}`}
        />
      </Layout>,
      status,
    );
  };

  routes.get('/certificati', ['citizen'], async (req, reply) => citizenPage(req, reply), true);

  routes.post('/certificati', ['citizen'], async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { lang: typeof body.lang === 'string' ? body.lang.slice(0, 5) : '' };
    const form = parseForm(IssueSchema, req.body, t);
    if (!form.ok) return citizenPage(req, reply, { values, errors: form.errors }, 400);
    if (!(await hit(deps.db, `certificates:${user.regionCode}:${user.id}`, ISSUES_PER_HOUR, 3600)))
      return citizenPage(req, reply, { values, errors: { kind: t('certificates.tooMany') } }, 429);
    const result = await issueOwnCertificate(deps, user, form.data);
    if (!result.ok) return reply.callNotFound();
    return reply.redirect(`/certificati/scarica/${result.code}`, 303);
  });

  routes.get(
    '/certificati/scarica/:code',
    ['citizen'],
    async (req, reply) => {
      const code = String((req.params as { code: string }).code).toUpperCase();
      if (!CODE.test(code)) return reply.callNotFound();
      const doc = await ownCertificatePdf(deps, req.ctx.user!, code);
      if (!doc) return reply.callNotFound();
      return sendPdf(reply, doc.kind, code, doc.pdf);
    },
    true,
  );

  // ——— A CPI operator, for a person of their Region ———
  const purposeOf = (value: unknown): OperatorPurpose | undefined =>
    OPERATOR_PURPOSES.find((p) => p === value);

  const operatorPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    purpose: OperatorPurpose,
    opts: { values?: Record<string, string>; errors?: FieldErrors } = {},
    status = 200,
  ) => {
    const { ctx } = req;
    const { t } = ctx;
    const { id } = req.params as { id: string };
    const person = await personForOperator(deps, ctx.user!, id, purpose);
    if (!person) return reply.callNotFound();
    const name = `${person.given_name} ${person.family_name}`;
    const q = req.query as Record<string, unknown>;
    const okCode =
      typeof q.ok === 'string' && CODE.test(q.ok) && person.certificates.some((c) => c.code === q.ok)
        ? q.ok
        : null;
    const base = `/operatore/persone/${person.id}/certificati`;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('certificates.operator.title', { name })}>
        <h1>{t('certificates.operator.title', { name })}</h1>
        <ErrorSummary ctx={ctx} errors={opts.errors ?? {}} />
        {okCode && status === 200 && (
          <Notice kind="success">
            {t('certificates.operator.issuedNotice', { code: okCode })}{' '}
            <a href={`${base}/${okCode}?purpose=${purpose}`}>{t('certificates.downloadNow')}</a>
          </Notice>
        )}
        <p>{t('certificates.operator.intro')}</p>
        <p class="small">{t('certificates.operator.purposeShown', { purpose: t(`purposes.${purpose}`) })}</p>
        <IssueForm
          ctx={ctx}
          action={base}
          values={opts.values ?? { lang: person.preferred_language === 'en' ? 'en' : 'it' }}
          errors={opts.errors ?? {}}
          hasDid={person.hasDid}
          noDidText={t('certificates.operator.noDid')}
          hidden={{ purpose }}
        />
        <IssuedTable
          ctx={ctx}
          rows={person.certificates}
          heading={t('certificates.operator.issuedHeading')}
          downloadHref={(code) => `${base}/${code}?purpose=${purpose}`}
        />
        <p class="mt-4">
          <a href={`/operatore/persone/${person.id}?purpose=${purpose}`}>{name}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/persone/:id/certificati',
    ['cpi_operator'],
    async (req, reply) => {
      const { t } = req.ctx;
      const { id } = req.params as { id: string };
      const purpose = purposeOf((req.query as Record<string, unknown>).purpose);
      if (purpose) return operatorPage(req, reply, purpose);
      // The purpose of every look at a person's data is recorded: ask for it first.
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('certificates.operator.purposeTitle')}>
          <h1>{t('certificates.operator.purposeTitle')}</h1>
          <p>{t('certificates.operator.purposeIntro')}</p>
          <form method="get" action={`/operatore/persone/${encodeURIComponent(id)}/certificati`}>
            <RadioGroup
              name="purpose"
              label={t('certificates.operator.purpose')}
              values={{ purpose: 'interview' }}
              errors={{}}
              options={OPERATOR_PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))}
            />
            <button type="submit" class="btn btn-primary">
              {t('certificates.operator.open')}
            </button>
          </form>
        </Layout>,
      );
    },
    true,
  );

  routes.post('/operatore/persone/:id/certificati', ['cpi_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const operator = req.ctx.user!;
    const { id } = req.params as { id: string };
    const body = (req.body ?? {}) as Record<string, unknown>;
    const purpose = purposeOf(body.purpose);
    if (!purpose) return reply.redirect(`/operatore/persone/${encodeURIComponent(id)}/certificati`, 303);
    const values = { lang: typeof body.lang === 'string' ? body.lang.slice(0, 5) : '' };
    const form = parseForm(IssueSchema, req.body, t);
    if (!form.ok) return operatorPage(req, reply, purpose, { values, errors: form.errors }, 400);
    if (
      !(await hit(deps.db, `certificates:${operator.regionCode}:${operator.id}`, ISSUES_PER_HOUR * 4, 3600))
    )
      return operatorPage(req, reply, purpose, { values, errors: { kind: t('certificates.tooMany') } }, 429);
    const result = await issueForPerson(deps, operator, id, form.data, purpose);
    if (!result.ok) return reply.callNotFound();
    return reply.redirect(`/operatore/persone/${id}/certificati?purpose=${purpose}&ok=${result.code}`, 303);
  });

  routes.get(
    '/operatore/persone/:id/certificati/:code',
    ['cpi_operator'],
    async (req, reply) => {
      const { id, code: raw } = req.params as { id: string; code: string };
      const code = raw.toUpperCase();
      const purpose = purposeOf((req.query as Record<string, unknown>).purpose);
      if (!purpose || !CODE.test(code)) return reply.callNotFound();
      const doc = await certificatePdfForOperator(deps, req.ctx.user!, id, code, purpose);
      if (!doc) return reply.callNotFound();
      return sendPdf(reply, doc.kind, code, doc.pdf);
    },
    true,
  );

  // ——— Anyone holding the code: the same bytes that were issued ———
  routes.get(
    '/verifica/:code/pdf',
    'public',
    async (req, reply) => {
      const code = String((req.params as { code: string }).code)
        .toUpperCase()
        .slice(0, 20);
      const ip = req.ip ?? 'unknown';
      if (!(await hit(deps.db, `certificate-download:${ip}`, 120, 3600))) return reply.code(429).send();
      const doc = await certificatePdfByCode(deps, code);
      if (!doc) return reply.callNotFound();
      return sendPdf(reply, doc.kind, code, doc.pdf);
    },
    true,
  );
}
