import type { FastifyReply, FastifyRequest } from 'fastify';
import { hit } from '../../platform/auth/rate-limit.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { readMultipart } from '../../platform/http/uploads.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { CsrfField, ErrorSummary, type FieldErrors, Notice, RadioGroup } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { publishedKeys } from '../adapters/keys.ts';
import { dossierJsonSchema, JWKS_PATH, SCHEMA_PATH } from '../domain/dossier.ts';
import {
  type ExportResult,
  type ExportRow,
  exportDossier,
  exportFile,
  myPortability,
  type PortabilityDeps,
  PURPOSES,
  type Purpose,
  personForOperator,
  UUID,
} from '../use-cases/export.ts';
import {
  type ImportResult,
  importDetail,
  importDossier,
  MAX_JWS_BYTES,
  recentImports,
} from '../use-cases/import.ts';

const EXPORTS_PER_HOUR = 20;
const FILES = { 'fascicolo.jws': 'jws', 'fascicolo.pdf': 'pdf' } as const;

function dateTime(lang: string) {
  return dateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Rome' });
}

function sendFile(reply: FastifyReply, file: { kind: 'jws' | 'pdf'; body: Buffer | string; name: string }) {
  return reply
    .type(file.kind === 'jws' ? 'application/jose' : 'application/pdf')
    .header('Content-Disposition', `attachment; filename="${file.name}"`)
    .send(file.body);
}

function exportError(ctx: RequestContext, reason: Exclude<ExportResult, { ok: true }>['reason']): string {
  return ctx.t(`portability.errors.${reason}`);
}

function ExportsTable(props: {
  ctx: RequestContext;
  rows: ExportRow[];
  href: (id: string, file: string) => string;
}) {
  const { t, lang } = props.ctx;
  const fmt = dateTime(lang);
  if (props.rows.length === 0) return <p>{t('portability.noExports')}</p>;
  return (
    <div class="table-responsive">
      <table class="table">
        <caption class="visually-hidden">{t('portability.exportsHeading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('portability.colIssued')}</th>
            <th scope="col">{t('portability.colBy')}</th>
            <th scope="col">{t('portability.colCode')}</th>
            <th scope="col">{t('portability.colFiles')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row">
                {fmt.format(r.issuedAt)}
                <span class="d-block small">{t('portability.sequence', { n: r.sequence })}</span>
              </th>
              <td>{t(`portability.requestedBy.${r.requestedBy}`)}</td>
              <td>
                <a
                  href={`/verifica/${r.verificationCode}`}
                  aria-label={t('portability.verifyNamed', { code: r.verificationCode })}
                >
                  <code>{r.verificationCode}</code>
                </a>
              </td>
              <td>
                <a
                  href={props.href(r.id, 'fascicolo.jws')}
                  aria-label={t('portability.downloadJwsNamed', { date: fmt.format(r.issuedAt) })}
                >
                  {t('portability.downloadJws')}
                </a>
                <br />
                <a
                  href={props.href(r.id, 'fascicolo.pdf')}
                  aria-label={t('portability.downloadPdfNamed', { date: fmt.format(r.issuedAt) })}
                >
                  {t('portability.downloadPdf')}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function importErrorText(ctx: RequestContext, r: Extract<ImportResult, { ok: false }>): string {
  const { t } = ctx;
  const base = t(`portability.import.errors.${r.reason}`, { issuer: r.issuer ?? '—' });
  if (!r.problems?.length) return base;
  const list = r.problems
    .map((p) => t(`portability.import.problems.${p.code}`, { field: p.path }))
    .join('; ');
  return `${base} ${list}`;
}

export function registerPortabilityRoutes(routes: RouteCatalogue, deps: PortabilityDeps): void {
  // ——— Published for other Regions: the key set and the schema ———
  routes.add({
    method: 'GET',
    url: JWKS_PATH,
    access: 'public',
    publicMaxAge: 300,
    handler: async (_req, reply) =>
      reply.type('application/jwk-set+json').send(JSON.stringify(await publishedKeys(deps.db))),
  });
  const schema = JSON.stringify(dossierJsonSchema(), null, 2);
  routes.add({
    method: 'GET',
    url: SCHEMA_PATH,
    access: 'public',
    publicMaxAge: 3600,
    handler: async (_req, reply) => reply.type('application/schema+json').send(schema),
  });

  // ——— The person ———
  const citizenPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { ctx } = req;
    const { t, lang } = ctx;
    const user = ctx.user!;
    const data = await myPortability(deps, user);
    const q = req.query as Record<string, unknown>;
    const ok = typeof q.ok === 'string' && data.exports.some((e) => e.id === q.ok) ? q.ok : null;
    const fmt = dateTime(lang);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('portability.title')}>
        <h1>{t('portability.title')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        {ok && status === 200 && (
          <Notice kind="success">
            {t('portability.readyNotice')}{' '}
            <a href={`/i-miei-dati/portabilita/${ok}/fascicolo.jws`}>{t('portability.downloadJws')}</a>
            {' · '}
            <a href={`/i-miei-dati/portabilita/${ok}/fascicolo.pdf`}>{t('portability.downloadPdf')}</a>
          </Notice>
        )}
        <p>{t('portability.intro')}</p>
        <ul>
          <li>{t('portability.explainJws')}</li>
          <li>{t('portability.explainPdf')}</li>
          <li>{t('portability.explainNext')}</li>
        </ul>
        {errors.prepare && (
          <div id="prepare" class="sl-field-error" tabindex={-1}>
            {errors.prepare}
          </div>
        )}
        {data.hasFiscalCode ? (
          <form method="post" action="/i-miei-dati/portabilita">
            <CsrfField ctx={ctx} />
            <button type="submit" class="btn btn-primary">
              {t('portability.prepare')}
            </button>
          </form>
        ) : (
          <div class="alert alert-warning" role="note">
            {t('portability.errors.no_fiscal_code')}
          </div>
        )}
        <h2 class="h4 mt-5">{t('portability.exportsHeading')}</h2>
        <ExportsTable
          ctx={ctx}
          rows={data.exports}
          href={(id, file) => `/i-miei-dati/portabilita/${id}/${file}`}
        />
        <h2 class="h4 mt-5">{t('portability.receivedHeading')}</h2>
        {data.received.length === 0 ? (
          <p>{t('portability.noneReceived')}</p>
        ) : (
          <ul>
            {data.received.map((r) => (
              <li>
                {t('portability.receivedLine', {
                  region: r.issuerRegion,
                  issued: fmt.format(r.issuedAt),
                  imported: fmt.format(r.importedAt),
                })}
              </li>
            ))}
          </ul>
        )}
      </Layout>,
      status,
    );
  };

  routes.get('/i-miei-dati/portabilita', ['citizen'], async (req, reply) => citizenPage(req, reply), true);

  routes.post('/i-miei-dati/portabilita', ['citizen'], async (req, reply) => {
    const { ctx } = req;
    const user = ctx.user!;
    if (!(await hit(deps.db, `portability:${user.regionCode}:${user.id}`, EXPORTS_PER_HOUR, 3600)))
      return citizenPage(req, reply, { prepare: ctx.t('portability.errors.tooMany') }, 429);
    const result = await exportDossier(deps, user, user.id, null, ctx.lang);
    if (!result.ok) {
      if (result.reason === 'not_found') return reply.callNotFound();
      return citizenPage(req, reply, { prepare: exportError(ctx, result.reason) }, 400);
    }
    return reply.redirect(`/i-miei-dati/portabilita?ok=${result.documentId}`, 303);
  });

  routes.get(
    '/i-miei-dati/portabilita/:doc/:file',
    ['citizen'],
    async (req, reply) => {
      const { doc, file } = req.params as { doc: string; file: string };
      const kind = FILES[file as keyof typeof FILES];
      if (!kind || !UUID.test(doc)) return reply.callNotFound();
      const user = req.ctx.user!;
      const found = await exportFile(deps, user, user.id, doc, kind, null);
      if (!found) return reply.callNotFound();
      return sendFile(reply, found);
    },
    true,
  );

  // ——— A CPI operator, on the person's request ———
  const purposeOf = (value: unknown): Purpose | undefined => PURPOSES.find((p) => p === value);

  const operatorPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    purpose: Purpose,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { ctx } = req;
    const { t } = ctx;
    const { id } = req.params as { id: string };
    const person = await personForOperator(deps, ctx.user!, id, purpose);
    if (!person) return reply.callNotFound();
    const name = `${person.given_name} ${person.family_name}`;
    const base = `/operatore/persone/${person.id}/portabilita`;
    const q = req.query as Record<string, unknown>;
    const ok = typeof q.ok === 'string' && person.exports.some((e) => e.id === q.ok) ? q.ok : null;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('portability.operator.title', { name })}>
        <h1>{t('portability.operator.title', { name })}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        {ok && status === 200 && (
          <Notice kind="success">
            {t('portability.operator.readyNotice')}{' '}
            <a href={`${base}/${ok}/fascicolo.jws?purpose=${purpose}`}>{t('portability.downloadJws')}</a>
            {' · '}
            <a href={`${base}/${ok}/fascicolo.pdf?purpose=${purpose}`}>{t('portability.downloadPdf')}</a>
          </Notice>
        )}
        <p>{t('portability.operator.intro')}</p>
        <p class="small">{t('portability.operator.purposeShown', { purpose: t(`purposes.${purpose}`) })}</p>
        {errors.prepare && (
          <div id="prepare" class="sl-field-error" tabindex={-1}>
            {errors.prepare}
          </div>
        )}
        {person.fiscal_code ? (
          <form method="post" action={base}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="purpose" value={purpose} />
            <button type="submit" class="btn btn-primary">
              {t('portability.operator.prepare')}
            </button>
          </form>
        ) : (
          <div class="alert alert-warning" role="note">
            {t('portability.errors.no_fiscal_code')}
          </div>
        )}
        <h2 class="h4 mt-5">{t('portability.operator.exportsHeading')}</h2>
        <ExportsTable
          ctx={ctx}
          rows={person.exports}
          href={(doc, file) => `${base}/${doc}/${file}?purpose=${purpose}`}
        />
        <p class="mt-4">
          <a href={`/operatore/persone/${person.id}?purpose=${purpose}`}>{name}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/persone/:id/portabilita',
    ['cpi_operator'],
    async (req, reply) => {
      const { t } = req.ctx;
      const { id } = req.params as { id: string };
      const purpose = purposeOf((req.query as Record<string, unknown>).purpose);
      if (purpose) return operatorPage(req, reply, purpose);
      if (!UUID.test(id)) return reply.callNotFound();
      // The purpose of every look at a person's data is recorded: ask for it first.
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('portability.operator.purposeTitle')}>
          <h1>{t('portability.operator.purposeTitle')}</h1>
          <p>{t('portability.operator.purposeIntro')}</p>
          <form method="get" action={`/operatore/persone/${id}/portabilita`}>
            <RadioGroup
              name="purpose"
              label={t('portability.operator.purpose')}
              values={{ purpose: 'interview' }}
              errors={{}}
              options={PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))}
            />
            <button type="submit" class="btn btn-primary">
              {t('portability.operator.open')}
            </button>
          </form>
        </Layout>,
      );
    },
    true,
  );

  routes.post('/operatore/persone/:id/portabilita', ['cpi_operator'], async (req, reply) => {
    const { ctx } = req;
    const operator = ctx.user!;
    const { id } = req.params as { id: string };
    const purpose = purposeOf((req.body as Record<string, unknown> | undefined)?.purpose);
    if (!UUID.test(id)) return reply.callNotFound();
    if (!purpose) return reply.redirect(`/operatore/persone/${id}/portabilita`, 303);
    if (
      !(await hit(deps.db, `portability:${operator.regionCode}:${operator.id}`, EXPORTS_PER_HOUR * 4, 3600))
    )
      return operatorPage(req, reply, purpose, { prepare: ctx.t('portability.errors.tooMany') }, 429);
    const result = await exportDossier(deps, operator, id, purpose, ctx.lang);
    if (!result.ok) {
      if (result.reason === 'not_found') return reply.callNotFound();
      return operatorPage(req, reply, purpose, { prepare: exportError(ctx, result.reason) }, 400);
    }
    return reply.redirect(
      `/operatore/persone/${id}/portabilita?purpose=${purpose}&ok=${result.documentId}`,
      303,
    );
  });

  routes.get(
    '/operatore/persone/:id/portabilita/:doc/:file',
    ['cpi_operator'],
    async (req, reply) => {
      const { id, doc, file } = req.params as { id: string; doc: string; file: string };
      const kind = FILES[file as keyof typeof FILES];
      const purpose = purposeOf((req.query as Record<string, unknown>).purpose);
      if (!kind || !purpose) return reply.callNotFound();
      const found = await exportFile(deps, req.ctx.user!, id, doc, kind, purpose);
      if (!found) return reply.callNotFound();
      return sendFile(reply, found);
    },
    true,
  );

  // ——— A CPI operator imports a dossier from another Region ———
  const importPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { ctx } = req;
    const { t, lang } = ctx;
    const operator = ctx.user!;
    const rows = await recentImports(deps, operator);
    if (rows.length)
      await deps.audit.recordReads(
        operator,
        'dossier_import',
        'taking_charge',
        rows.map((r) => ({ subjectId: r.personId, objectId: r.id })),
      );
    const q = req.query as Record<string, unknown>;
    const done = typeof q.ok === 'string' ? rows.find((r) => r.id === q.ok) : undefined;
    const outcome = q.esito === 'invariato' ? 'unchanged' : 'imported';
    const fmt = dateTime(lang);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('portability.import.title')}>
        <h1>{t('portability.import.title')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        {done && status === 200 && (
          <Notice kind={outcome === 'unchanged' ? 'info' : 'success'}>
            {t(`portability.import.${outcome}Notice`, { name: done.name, region: done.issuerRegion })}{' '}
            <a href={`/operatore/portabilita/importazioni/${done.id}`}>{t('portability.import.see')}</a>
          </Notice>
        )}
        <p>{t('portability.import.intro')}</p>
        <form method="post" action="/operatore/portabilita/importa" enctype="multipart/form-data" novalidate>
          <CsrfField ctx={ctx} />
          <div class="form-group mb-4">
            <label for="file" class="active sl-label">
              {t('portability.import.fileLabel')}
            </label>
            <p id="file-hint" class="small">
              {t('portability.import.fileHint')}
            </p>
            <input
              id="file"
              name="file"
              type="file"
              accept=".jws,application/jose"
              class="form-control"
              aria-describedby={errors.file ? 'file-hint file-error' : 'file-hint'}
              aria-invalid={errors.file ? 'true' : undefined}
            />
            {errors.file && (
              <div id="file-error" class="sl-field-error">
                {errors.file}
              </div>
            )}
          </div>
          <button type="submit" class="btn btn-primary">
            {t('portability.import.submit')}
          </button>
        </form>
        <h2 class="h4 mt-5">{t('portability.import.recentHeading')}</h2>
        {rows.length === 0 ? (
          <p>{t('portability.import.none')}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <caption class="visually-hidden">{t('portability.import.recentHeading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('portability.import.colPerson')}</th>
                  <th scope="col">{t('portability.import.colFrom')}</th>
                  <th scope="col">{t('portability.import.colImported')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/operatore/portabilita/importazioni/${r.id}`}>{r.name}</a>
                      {r.createdPerson && (
                        <span class="d-block small">{t('portability.import.newPerson')}</span>
                      )}
                    </th>
                    <td>{t('portability.import.fromLine', { region: r.issuerRegion, n: r.sequence })}</td>
                    <td>{fmt.format(r.importedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/portabilita/importa',
    ['cpi_operator'],
    async (req, reply) => importPage(req, reply),
    true,
  );

  routes.post('/operatore/portabilita/importa', ['cpi_operator'], async (req, reply) => {
    const { ctx } = req;
    const { t } = ctx;
    const operator = ctx.user!;
    const { files } = await readMultipart(req.body);
    const file = files.find((f) => f.field === 'file');
    if (!file || file.data.length === 0)
      return importPage(req, reply, { file: t('portability.import.errors.missing') }, 400);
    if (file.truncated || file.data.length > MAX_JWS_BYTES)
      return importPage(req, reply, { file: t('portability.import.errors.too_large') }, 400);
    if (!(await hit(deps.db, `portability-import:${operator.regionCode}:${operator.id}`, 120, 3600)))
      return importPage(req, reply, { file: t('portability.errors.tooMany') }, 429);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.data);
    } catch {
      return importPage(req, reply, { file: t('portability.import.errors.not_jws') }, 400);
    }
    const result = await importDossier(deps, operator, text);
    if (!result.ok) return importPage(req, reply, { file: importErrorText(ctx, result) }, 400);
    const esito = result.outcome === 'unchanged' ? '&esito=invariato' : '';
    return reply.redirect(`/operatore/portabilita/importa?ok=${result.importId}${esito}`, 303);
  });

  routes.get(
    '/operatore/portabilita/importazioni/:id',
    ['cpi_operator'],
    async (req, reply) => {
      const { ctx } = req;
      const { t, lang } = ctx;
      const { id } = req.params as { id: string };
      const detail = await importDetail(deps, ctx.user!, id);
      if (!detail) return reply.callNotFound();
      const d = detail.dossier;
      const fmt = dateTime(lang);
      const day = dateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'Europe/Rome' });
      const fmtDay = (s: string | null) => (s ? day.format(new Date(`${s}T12:00:00Z`)) : '—');
      const name = `${d.person.givenName} ${d.person.familyName}`;
      const section = (heading: string, items: string[]) => (
        <>
          <h2 class="h4 mt-4">{heading}</h2>
          {items.length === 0 ? (
            <p>{t('portability.pdf.none')}</p>
          ) : (
            <ul>
              {items.map((i) => (
                <li>{i}</li>
              ))}
            </ul>
          )}
        </>
      );
      return sendPage(
        reply,
        <Layout ctx={ctx} title={t('portability.detail.title', { name })}>
          <h1>{t('portability.detail.title', { name })}</h1>
          <dl class="sl-dl">
            <dt>{t('portability.pdf.fiscalCode')}</dt>
            <dd>{d.person.fiscalCode}</dd>
            <dt>{t('portability.pdf.issuer')}</dt>
            <dd>{`${d.issuer.name} (${d.issuer.regionCode})`}</dd>
            <dt>{t('portability.detail.issued')}</dt>
            <dd>{fmt.format(new Date(d.issuedAt))}</dd>
            <dt>{t('portability.detail.imported')}</dt>
            <dd>{fmt.format(detail.importedAt)}</dd>
            <dt>{t('portability.pdf.support')}</dt>
            <dd>
              {d.profile.support
                ? t('portability.detail.tier', {
                    level: t(`portability.support.${d.profile.support.level}`),
                    tier: detail.mapped.tier ?? '—',
                  })
                : t('portability.pdf.none')}
            </dd>
            <dt>{t('portability.pdf.education')}</dt>
            <dd>
              {detail.mapped.eqf !== null ? `EQF ${detail.mapped.eqf}` : '—'}
              {d.profile.education.title ? ` — ${d.profile.education.title}` : ''}
            </dd>
            <dt>{t('portability.pdf.languages')}</dt>
            <dd>
              {detail.mapped.languages.map((l) => `${l.code.toUpperCase()} ${l.level}`).join(', ') || '—'}
              {detail.mapped.unmappedLanguages.length > 0 &&
                ` (${t('portability.detail.unmapped', { codes: detail.mapped.unmappedLanguages.join(', ') })})`}
            </dd>
          </dl>
          {section(
            t('portability.pdf.did'),
            d.did.map(
              (x) => `${fmt.format(new Date(x.declaredAt))} — ${t(`portability.didStatus.${x.status}`)}`,
            ),
          )}
          {section(
            t('portability.pdf.skills'),
            d.skills.map((s) =>
              detail.mapped.unknownSkills.includes(s.uri.replace(/^https:/, 'http:'))
                ? `${s.label} (${t('portability.detail.unknownSkill')})`
                : s.label,
            ),
          )}
          {section(
            t('portability.pdf.pacts'),
            d.pacts.map(
              (p) =>
                `${t('portability.pdf.version')} ${p.version} — ${t(`portability.pactStatus.${p.status}`)}${p.signedAt ? ` (${fmt.format(new Date(p.signedAt))})` : ''}`,
            ),
          )}
          {section(
            t('portability.pdf.plan'),
            d.planActions.map(
              (a) => `${a.title} — ${fmtDay(a.dueDate)} — ${t(`portability.actionStatus.${a.status}`)}`,
            ),
          )}
          {section(
            t('portability.pdf.courses'),
            d.courses.map((c) => `${c.title} (${c.provider}) — ${t(`portability.courseStatus.${c.status}`)}`),
          )}
          {section(
            t('portability.pdf.badges'),
            d.badges.map((b) => `${b.name}${b.revoked ? ` (${t('portability.pdf.revoked')})` : ''}`),
          )}
          {section(
            t('portability.pdf.employment'),
            d.employment.map(
              (e) => `${fmtDay(e.startedOn)} — ${t(`portability.employmentSource.${e.source}`)}`,
            ),
          )}
          <p class="mt-4">
            <a href="/operatore/portabilita/importa">{t('portability.import.title')}</a>
          </p>
        </Layout>,
      );
    },
    true,
  );
}
