import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { READ_PURPOSES, type ReadPurpose } from '../../casework/use-cases/person-record.ts';
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
  RadioGroup,
  SelectField,
  TextArea,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { NOTE_MAX, NOTE_VISIBILITIES, visibilitiesForWriter } from '../domain/notes.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import { addNote, type DossierDeps, type DossierNote, myDossier, openDossier } from '../use-cases/dossier.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KIND = /^[a-z_]{1,40}$/;

const purposeOf = (v: unknown): ReadPurpose | undefined => READ_PURPOSES.find((p) => p === v);
const kindOf = (v: unknown): string | undefined => (typeof v === 'string' && KIND.test(v) ? v : undefined);

const NoteForm = z.object({
  testo: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(NOTE_MAX, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
  visibilita: z.enum(NOTE_VISIBILITIES, { message: 'errors.choose' }),
});

function entryTitle(t: RequestContext['t'], e: TimelineEntry): string {
  const vars: Record<string, string | number> = { ...(e.titleVars ?? {}) };
  for (const [k, key] of Object.entries(e.titleVarKeys ?? {})) vars[k] = t(key);
  return t(e.titleKey, vars);
}

const kindLabel = (t: RequestContext['t'], kind: string) =>
  t(`dossier.kinds.${kind}`, { defaultValue: kind });

function Timeline({
  ctx,
  entries,
  linkOf,
}: {
  ctx: RequestContext;
  entries: TimelineEntry[];
  linkOf: (e: TimelineEntry) => string | undefined;
}) {
  const { t } = ctx;
  const when = dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  if (entries.length === 0) return <p>{t('dossier.timeline.empty')}</p>;
  return (
    <ol class="list-group mb-4">
      {entries.map((e) => {
        const href = linkOf(e);
        const title = entryTitle(t, e);
        return (
          <li class="list-group-item">
            <span class="d-block small text-muted">
              <time datetime={e.at.toISOString()}>{when.format(e.at)}</time> · {kindLabel(t, e.kind)}
            </span>
            {href ? <a href={href}>{title}</a> : title}
          </li>
        );
      })}
    </ol>
  );
}

function Notes({
  ctx,
  notes,
  showVisibility,
}: {
  ctx: RequestContext;
  notes: DossierNote[];
  showVisibility: boolean;
}) {
  const { t } = ctx;
  const when = dateTimeFormat(ctx.lang, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  });
  if (notes.length === 0) return <p>{t('dossier.notes.empty')}</p>;
  return (
    <ul class="list-group mb-4">
      {notes.map((n) => (
        <li class="list-group-item">
          <span class="d-block small text-muted">
            <time datetime={n.created_at.toISOString()}>{when.format(n.created_at)}</time> ·{' '}
            {`${n.given_name} ${n.family_name}`}
            {n.office_name || n.agency_name ? `, ${n.office_name ?? n.agency_name}` : ''}
            {showVisibility ? ` · ${t(`dossier.visibility.${n.visibility}`)}` : ''}
          </span>
          <p class="mb-0">
            {n.body.split('\n').map((line, i) => (
              <>
                {i > 0 && <br />}
                {line}
              </>
            ))}
          </p>
        </li>
      ))}
    </ul>
  );
}

function KindFilter({
  ctx,
  action,
  kinds,
  kind,
  purpose,
}: {
  ctx: RequestContext;
  action: string;
  kinds: string[];
  kind: string | undefined;
  purpose?: string;
}) {
  const { t } = ctx;
  return (
    <form method="get" action={action} novalidate>
      {purpose && <input type="hidden" name="purpose" value={purpose} />}
      <SelectField
        name="tipo"
        label={t('dossier.timeline.filter')}
        values={{ tipo: kind ?? '' }}
        errors={{}}
        options={[
          { value: '', label: t('dossier.timeline.all') },
          ...kinds.map((k) => ({ value: k, label: kindLabel(t, k) })),
        ]}
      />
      <button type="submit" class="btn btn-outline-primary mb-4">
        {t('dossier.timeline.apply')}
      </button>
    </form>
  );
}

export function dossierRoutes(routes: RouteCatalogue, deps: DossierDeps): void {
  const ops = ['cpi_operator', 'apl_operator'] as const;

  const choosePurpose = (req: FastifyRequest, reply: FastifyReply, id: string, invalid: boolean) => {
    const { t } = req.ctx;
    const errors: FieldErrors = invalid ? { purpose: t('errors.choose') } : {};
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('dossier.purposeTitle')}>
        <h1>{t('dossier.purposeTitle')}</h1>
        <p>{t('dossier.purposeIntro')}</p>
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <form method="get" action={`/operatore/persone/${id}/fascicolo`} novalidate>
          <RadioGroup
            name="purpose"
            label={t('operator.purpose')}
            values={{ purpose: invalid ? '' : 'interview' }}
            errors={errors}
            options={READ_PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))}
          />
          <button type="submit" class="btn btn-primary">
            {t('dossier.open')}
          </button>
        </form>
      </Layout>,
      invalid ? 400 : 200,
    );
  };

  const renderOperator = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    purpose: ReadPurpose,
    kind: string | undefined,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const user = req.ctx.user!;
    const { t } = req.ctx;
    const dossier = await openDossier(deps, user, id, purpose, kind);
    if (!dossier) return reply.callNotFound();
    const name = `${dossier.person.given_name} ${dossier.person.family_name}`;
    const writer = user.role === 'apl_operator' ? 'apl' : 'cpi';
    const choices = visibilitiesForWriter(writer);
    const ok = (req.query as Record<string, unknown>).ok;
    const self = `/operatore/persone/${dossier.person.id}/fascicolo`;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('dossier.title', { name })} wide>
        <h1>{t('dossier.title', { name })}</h1>
        <p class="small text-muted">{t('dossier.auditNotice', { purpose: t(`purposes.${purpose}`) })}</p>
        {status === 200 && ok === 'note' && <Notice kind="success">{t('dossier.notes.saved')}</Notice>}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <div class="row">
          <div class="col-12 col-lg-6">
            <h2 class="h4">{t('dossier.timeline.title')}</h2>
            {dossier.reader === 'apl' && <p>{t('dossier.timeline.aplNotice')}</p>}
            <KindFilter ctx={req.ctx} action={self} kinds={dossier.kinds} kind={kind} purpose={purpose} />
            <Timeline
              ctx={req.ctx}
              entries={dossier.entries}
              linkOf={(e) => (dossier.reader === 'cpi' ? e.href : undefined)}
            />
          </div>
          <div class="col-12 col-lg-6">
            <h2 class="h4">{t('dossier.notes.title')}</h2>
            <form method="post" action={`${self}/note`} novalidate>
              <CsrfField ctx={req.ctx} />
              <input type="hidden" name="purpose" value={purpose} />
              <TextArea
                name="testo"
                label={t('dossier.notes.text')}
                hint={t('dossier.notes.textHint')}
                values={values}
                errors={errors}
                maxLength={NOTE_MAX}
                rows={4}
              />
              <RadioGroup
                name="visibilita"
                label={t('dossier.notes.visibility')}
                values={{ visibilita: values.visibilita ?? choices[0] }}
                errors={errors}
                options={choices.map((v) => ({ value: v, label: t(`dossier.visibility.${v}`) }))}
              />
              <button type="submit" class="btn btn-primary mb-4">
                {t('dossier.notes.add')}
              </button>
            </form>
            <Notes ctx={req.ctx} notes={dossier.notes} showVisibility />
          </div>
        </div>
      </Layout>,
      status,
    );
  };

  routes.get(`/operatore/persone/:id/fascicolo`, [...ops], async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return reply.callNotFound();
    const q = req.query as Record<string, unknown>;
    const purpose = purposeOf(q.purpose);
    if (!purpose) return choosePurpose(req, reply, id, q.purpose !== undefined);
    return renderOperator(req, reply, id, purpose, kindOf(q.tipo), {}, {});
  });

  routes.post(`/operatore/persone/:id/fascicolo/note`, [...ops], async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return reply.callNotFound();
    const { t } = req.ctx;
    const purpose = purposeOf((req.body as Record<string, unknown> | undefined)?.purpose);
    if (!purpose) return reply.redirect(`/operatore/persone/${id}/fascicolo`, 303);
    const form = parseForm(NoteForm, req.body, t);
    if (!form.ok) return renderOperator(req, reply, id, purpose, undefined, form.values, form.errors, 400);
    const result = await addNote(deps, req.ctx.user!, id, purpose, {
      body: form.data.testo,
      visibility: form.data.visibilita,
    });
    if (!result.ok) {
      if (result.error === 'notFound') return reply.callNotFound();
      return renderOperator(
        req,
        reply,
        id,
        purpose,
        undefined,
        form.values,
        { visibilita: t('errors.choose') },
        400,
      );
    }
    return reply.redirect(`/operatore/persone/${id}/fascicolo?purpose=${purpose}&ok=note`, 303);
  });

  routes.get('/fascicolo', ['citizen'], async (req, reply) => {
    const { t } = req.ctx;
    const kind = kindOf((req.query as Record<string, unknown>).tipo);
    const mine = await myDossier(deps.db, req.ctx.user!, kind);
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('dossier.mine.title')}>
        <h1>{t('dossier.mine.title')}</h1>
        <p class="lead">{t('dossier.mine.intro')}</p>
        <p>
          <a href="/i-miei-dati/accessi">{t('dossier.mine.accessLink')}</a>
        </p>
        <h2 class="h4 mt-4">{t('dossier.mine.notes')}</h2>
        <Notes ctx={req.ctx} notes={mine.notes} showVisibility={false} />
        <h2 class="h4 mt-4">{t('dossier.mine.timeline')}</h2>
        <KindFilter ctx={req.ctx} action="/fascicolo" kinds={mine.kinds} kind={kind} />
        <Timeline ctx={req.ctx} entries={mine.entries} linkOf={(e) => e.personHref} />
      </Layout>,
    );
  });
}
