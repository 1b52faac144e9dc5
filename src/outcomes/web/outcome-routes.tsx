import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { readMultipart, sendAttachment } from '../../platform/http/uploads.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { CsrfField, ErrorSummary, type FieldErrors, Notice } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { ReportRow } from '../adapters/outcome-tables.ts';
import { FIELDS, MAX_FILE_BYTES, MAX_ROWS, REQUIRED, XML_PATHS } from '../domain/unilav.ts';
import {
  type ImportReport,
  type ImportSummary,
  importReport,
  importUnilav,
  type OutcomeDeps,
  recentImports,
} from '../use-cases/import-unilav.ts';

const ROLES = ['cpi_operator', 'admin'] as const;
const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data');
const EXAMPLES = {
  csv: { file: 'esempio-unilav.csv', type: 'text/csv; charset=utf-8' },
  xml: { file: 'esempio-unilav.xml', type: 'application/xml; charset=utf-8' },
} as const;

function when(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(d);
}

/** The accepted layouts, as shown on the page (and in README.md). */
function Layouts({ ctx }: { ctx: RequestContext }) {
  const { t } = ctx;
  return (
    <>
      <h2 class="h4 mt-5">{t('outcomes.layout.title')}</h2>
      <p>{t('outcomes.layout.intro', { kb: MAX_FILE_BYTES / 1024, max: MAX_ROWS })}</p>
      <p>{t('outcomes.layout.csv')}</p>
      <p>{t('outcomes.layout.xml')}</p>
      <div class="table-responsive">
        <table class="table">
          <caption class="visually-hidden">{t('outcomes.layout.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outcomes.layout.field')}</th>
              <th scope="col">{t('outcomes.layout.column')}</th>
              <th scope="col">{t('outcomes.layout.element')}</th>
              <th scope="col">{t('outcomes.layout.format')}</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((f) => (
              <tr>
                <th scope="row">
                  {t(`outcomes.fields.${f}`)}
                  <span class="d-block small text-muted">
                    {REQUIRED.includes(f) ? t('outcomes.layout.required') : t('outcomes.layout.optional')}
                  </span>
                </th>
                <td>
                  <code>{f}</code>
                </td>
                <td>
                  <code>{XML_PATHS[f].join('/')}</code>
                </td>
                <td>{t(`outcomes.formats.${f}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3 class="h5 mt-4">{t('outcomes.rule.title')}</h3>
      <p>{t('outcomes.rule.text')}</p>
      <p>{t('outcomes.rule.idempotent')}</p>
      <ul>
        <li>
          <a href="/operatore/esiti/esempio.csv" download>
            {t('outcomes.example.csv')}
          </a>
        </li>
        <li>
          <a href="/operatore/esiti/esempio.xml" download>
            {t('outcomes.example.xml')}
          </a>
        </li>
      </ul>
    </>
  );
}

function ImportsTable({ ctx, imports }: { ctx: RequestContext; imports: ImportSummary[] }) {
  const { t } = ctx;
  if (imports.length === 0) return <p>{t('outcomes.recent.empty')}</p>;
  return (
    <div class="table-responsive">
      <table class="table">
        <caption class="visually-hidden">{t('outcomes.recent.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('outcomes.recent.when')}</th>
            <th scope="col">{t('outcomes.recent.file')}</th>
            <th scope="col">{t('outcomes.recent.by')}</th>
            <th scope="col">{t('outcomes.recent.result')}</th>
          </tr>
        </thead>
        <tbody>
          {imports.map((i) => (
            <tr>
              <td>{when(ctx, i.created_at)}</td>
              <td>
                <a href={`/operatore/esiti/importazioni/${i.id}`}>
                  {i.filename} ({i.format.toUpperCase()})
                </a>
              </td>
              <td>{i.uploader}</td>
              <td>
                {t('outcomes.counts', {
                  accepted: i.rows_accepted,
                  duplicates: i.rows_duplicate,
                  refused: i.rows_refused,
                  closed: i.vacancies_closed,
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UploadPage(props: { ctx: RequestContext; imports: ImportSummary[]; errors: FieldErrors }) {
  const { ctx } = props;
  const { t } = ctx;
  const error = props.errors.file;
  return (
    <Layout ctx={ctx} title={t('outcomes.title')} wide>
      <h1>{t('outcomes.title')}</h1>
      <p class="lead">{t('outcomes.intro')}</p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <form method="post" action="/operatore/esiti" enctype="multipart/form-data" class="mt-4">
        <CsrfField ctx={ctx} />
        <div class="form-group mb-4">
          <label class="sl-label" for="file">
            {t('outcomes.upload.label')}
          </label>
          <small id="file-hint" class="form-text d-block">
            {t('outcomes.upload.hint', { kb: MAX_FILE_BYTES / 1024 })}
          </small>
          <input
            type="file"
            id="file"
            name="file"
            accept=".csv,.xml,text/csv,application/xml,text/xml"
            aria-describedby={error ? 'file-hint file-error' : 'file-hint'}
            aria-invalid={error ? 'true' : undefined}
          />
          {error && (
            <div id="file-error" class="sl-field-error">
              {error}
            </div>
          )}
        </div>
        <button type="submit" class="btn btn-primary">
          {t('outcomes.upload.submit')}
        </button>
      </form>
      <h2 class="h4 mt-5">{t('outcomes.recent.title')}</h2>
      <ImportsTable ctx={ctx} imports={props.imports} />
      <Layouts ctx={ctx} />
    </Layout>
  );
}

function reasonText(ctx: RequestContext, r: { key: string; values?: Record<string, string> }): string {
  const values: Record<string, string> = { ...(r.values ?? {}) };
  if (values.field) values.field = ctx.t(`outcomes.fields.${values.field}`);
  return ctx.t(r.key, values);
}

function RowDetails({ ctx, row, report }: { ctx: RequestContext; row: ReportRow; report: ImportReport }) {
  const { t } = ctx;
  if (row.status !== 'accepted')
    return (
      <ul class="mb-0">
        {row.reasons.map((r) => (
          <li>{reasonText(ctx, r)}</li>
        ))}
      </ul>
    );
  const name = row.personId ? (report.names.get(row.personId) ?? '—') : '—';
  const title = row.vacancyId ? (report.vacancies.get(row.vacancyId) ?? '—') : '';
  return (
    <ul class="mb-0">
      <li>{t('outcomes.report.recorded', { name })}</li>
      <li>
        {row.vacancyId
          ? t(row.vacancyClosed ? 'outcomes.report.vacancyClosed' : 'outcomes.report.vacancyLinked', {
              title,
            })
          : t(row.vacancyNote ?? 'outcomes.vacancy.noCriteria')}
      </li>
    </ul>
  );
}

function ReportPage({ ctx, report, fresh }: { ctx: RequestContext; report: ImportReport; fresh: boolean }) {
  const { t } = ctx;
  const nothing = report.rows_accepted === 0;
  return (
    <Layout ctx={ctx} title={t('outcomes.report.title')} wide>
      <h1>{t('outcomes.report.title')}</h1>
      {fresh &&
        (nothing ? (
          <Notice kind="warning">
            {report.rows_duplicate > 0 && report.rows_refused === 0
              ? t('outcomes.report.alreadyImported')
              : t('outcomes.report.nothingChanged')}
          </Notice>
        ) : (
          <Notice kind="success">{t('outcomes.report.done', { n: report.rows_accepted })}</Notice>
        ))}
      <dl>
        <dt>{t('outcomes.recent.file')}</dt>
        <dd>
          {report.filename} ({report.format.toUpperCase()})
        </dd>
        <dt>{t('outcomes.recent.when')}</dt>
        <dd>
          {when(ctx, report.created_at)} — {report.uploader}
        </dd>
        <dt>{t('outcomes.recent.result')}</dt>
        <dd>
          {t('outcomes.counts', {
            accepted: report.rows_accepted,
            duplicates: report.rows_duplicate,
            refused: report.rows_refused,
            closed: report.vacancies_closed,
          })}
        </dd>
      </dl>
      <div class="table-responsive">
        <table class="table">
          <caption>{t('outcomes.report.caption', { n: report.rows_total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('outcomes.report.line')}</th>
              <th scope="col">{t('outcomes.fields.codice_comunicazione')}</th>
              <th scope="col">{t('outcomes.fields.cf_lavoratore')}</th>
              <th scope="col">{t('outcomes.report.status')}</th>
              <th scope="col">{t('outcomes.report.details')}</th>
            </tr>
          </thead>
          <tbody>
            {report.report.map((row) => (
              <tr>
                <td>{row.line}</td>
                <td>{row.code ?? '—'}</td>
                <td>{row.fiscalCode ?? '—'}</td>
                <td>{t(`outcomes.status.${row.status}`)}</td>
                <td>
                  <RowDetails ctx={ctx} row={row} report={report} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="mt-4">
        <a href="/operatore/esiti">{t('outcomes.report.back')}</a>
      </p>
    </Layout>
  );
}

export function registerOutcomeRoutes(
  routes: RouteCatalogue,
  deps: OutcomeDeps,
  uploadMaxBytes: number,
): void {
  const page = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors, status = 200) => {
    const imports = await recentImports(deps.db, req.ctx.user!);
    return sendPage(reply, <UploadPage ctx={req.ctx} imports={imports} errors={errors} />, status);
  };

  routes.get('/operatore/esiti', ROLES, async (req, reply) => page(req, reply, {}));

  routes.post('/operatore/esiti', ROLES, async (req, reply) => {
    const { t } = req.ctx;
    const { files } = await readMultipart(req.body);
    const file = files.find((f) => f.field === 'file');
    if (!file || (file.data.length === 0 && !file.truncated))
      return page(req, reply, { file: t('outcomes.errors.fileMissing') }, 400);
    if (file.truncated || file.data.length > MAX_FILE_BYTES)
      return page(
        req,
        reply,
        {
          file: t('outcomes.errors.fileTooLarge', {
            kb: String(Math.min(MAX_FILE_BYTES, uploadMaxBytes) / 1024),
          }),
        },
        400,
      );
    const result = await importUnilav(deps, req.ctx.user!, file, new Date());
    if (!result.ok) return page(req, reply, { file: t(result.error.key, result.error.values ?? {}) }, 400);
    return reply.redirect(`/operatore/esiti/importazioni/${result.importId}?ok=1`, 303);
  });

  routes.get('/operatore/esiti/importazioni/:id', ROLES, async (req, reply) => {
    const { id } = req.params as { id: string };
    const report = await importReport(deps, req.ctx.user!, id);
    if (!report) return reply.callNotFound();
    const fresh = (req.query as Record<string, unknown>).ok === '1';
    return sendPage(reply, <ReportPage ctx={req.ctx} report={report} fresh={fresh} />);
  });

  for (const [ext, ex] of Object.entries(EXAMPLES)) {
    routes.get(`/operatore/esiti/esempio.${ext}`, ROLES, async (_req, reply) =>
      sendAttachment(reply, {
        filename: ex.file,
        contentType: ex.type,
        content: readFileSync(path.join(DATA_DIR, ex.file)),
      }),
    );
  }
}
