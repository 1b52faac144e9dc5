import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { ErrorSummary, type FieldErrors, TextField } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { normaliseText } from '../domain/normalise.ts';
import { type OccupationHit, occupation, searchOccupations } from '../use-cases/search.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RESULTS = 25;

const searchSchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
    .refine((q) => q === '' || normaliseText(q).length >= 2, 'taxonomy.search.tooShort')
    .default(''),
});

/** `lang` (and `dir` on right-to-left pages) for text that is not in the page's language. */
function foreign(ctx: RequestContext, textLang: 'it' | 'en'): { lang?: string; dir?: 'ltr' } {
  if (textLang === ctx.lang) return {};
  return ctx.dir === 'rtl' ? { lang: textLang, dir: 'ltr' } : { lang: textLang };
}

function EscoAttribution({ ctx }: { ctx: RequestContext }) {
  return <p class="small text-muted mt-5">{ctx.t('taxonomy.attribution')}</p>;
}

function SearchPage({
  ctx,
  q,
  errors,
  hits,
}: {
  ctx: RequestContext;
  q: string;
  errors: FieldErrors;
  hits: OccupationHit[] | null;
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={q && hits ? t('taxonomy.search.titleWithQuery', { q }) : t('taxonomy.search.title')}
    >
      <h1>{t('taxonomy.search.title')}</h1>
      <p class="lead">{t('taxonomy.search.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="get" action="/professioni" novalidate class="mb-4">
        <TextField
          name="q"
          type="search"
          label={t('taxonomy.search.label')}
          hint={t('taxonomy.search.hint')}
          values={{ q }}
          errors={errors}
          maxLength={100}
          autocomplete="off"
        />
        <button type="submit" class="btn btn-primary">
          {t('taxonomy.search.submit')}
        </button>
      </form>
      {hits && (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading" class="h4">
            {hits.length === 0
              ? t('taxonomy.search.none', { q })
              : t('taxonomy.search.results', { count: hits.length, q })}
          </h2>
          {hits.length === 0 ? (
            <p>{t('taxonomy.search.noneHint')}</p>
          ) : (
            <ul class="list-group mb-4">
              {hits.map((h) => (
                <li class="list-group-item">
                  {h.id ? (
                    <a href={`/professioni/${h.id}`} {...foreign(ctx, h.labelLang)}>
                      {h.label}
                    </a>
                  ) : (
                    <span {...foreign(ctx, h.labelLang)}>{h.label}</span>
                  )}
                  {h.otherLabel && (
                    <span class="small text-muted">
                      {' — '}
                      <span {...foreign(ctx, h.labelLang === 'it' ? 'en' : 'it')}>{h.otherLabel}</span>
                    </span>
                  )}
                  <span class="d-block small text-muted">{t('taxonomy.isco', { code: h.iscoCode })}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <EscoAttribution ctx={ctx} />
    </Layout>
  );
}

/** Public pages: search ESCO occupations by name (typos allowed) and read one with its skills. */
export function registerTaxonomyRoutes(routes: RouteCatalogue, deps: { db: Db }): void {
  const { db } = deps;

  routes.get('/professioni', 'public', async (req, reply) => {
    const ctx = req.ctx;
    const form = parseForm(searchSchema, req.query, ctx.t);
    if (!form.ok) {
      return sendPage(
        reply,
        <SearchPage ctx={ctx} q={form.values.q ?? ''} errors={form.errors} hits={null} />,
        400,
      );
    }
    const q = form.data.q;
    const hits = q ? await searchOccupations(db, q, ctx.lang, RESULTS) : null;
    return sendPage(reply, <SearchPage ctx={ctx} q={q} errors={{}} hits={hits} />);
  });

  routes.get('/professioni/:id', 'public', async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const id = (req.params as { id: string }).id;
    if (!UUID.test(id)) return reply.callNotFound();
    const o = await occupation(db, id, ctx.lang);
    if (!o) return reply.callNotFound();
    const essential = o.skills.filter((s) => s.relation === 'essential');
    const optional = o.skills.filter((s) => s.relation === 'optional');
    const skillList = (list: typeof o.skills, empty: string) =>
      list.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ul>
          {list.map((s) => (
            <li {...foreign(ctx, s.labelLang)}>{s.label}</li>
          ))}
        </ul>
      );
    return sendPage(
      reply,
      <Layout ctx={ctx} title={o.label}>
        <p class="mb-1">
          <a href="/professioni">{t('taxonomy.detail.back')}</a>
        </p>
        <h1 {...foreign(ctx, o.labelLang)}>{o.label}</h1>
        {o.otherLabel && (
          <p class="lead" {...foreign(ctx, o.labelLang === 'it' ? 'en' : 'it')}>
            {o.otherLabel}
          </p>
        )}
        <dl class="sl-dl">
          <dt>{t('taxonomy.detail.iscoGroup')}</dt>
          <dd>
            {o.isco.code}
            {o.isco.label && (
              <>
                {' — '}
                <span {...foreign(ctx, o.isco.labelLang)}>{o.isco.label}</span>
              </>
            )}
          </dd>
          {o.code && (
            <>
              <dt>{t('taxonomy.detail.escoCode')}</dt>
              <dd>{o.code}</dd>
            </>
          )}
          {o.altLabels.length > 0 && (
            <>
              <dt>{t('taxonomy.detail.alsoCalled')}</dt>
              <dd {...foreign(ctx, o.labelLang)}>{o.altLabels.slice(0, 12).join(', ')}</dd>
            </>
          )}
        </dl>
        <h2 class="h4 mt-4">{t('taxonomy.detail.description')}</h2>
        {o.description ? (
          <p {...foreign(ctx, o.descriptionLang)}>{o.description}</p>
        ) : (
          <p>{t('taxonomy.detail.noDescription')}</p>
        )}
        <h2 class="h4 mt-4">{t('taxonomy.detail.essential')}</h2>
        {skillList(essential, t('taxonomy.detail.noSkills'))}
        <h2 class="h4 mt-4">{t('taxonomy.detail.optional')}</h2>
        {skillList(optional, t('taxonomy.detail.noSkills'))}
        <p class="mt-4">
          <a href={`${o.uri}`} rel="noopener">
            {t('taxonomy.detail.escoLink')}
          </a>
        </p>
        <EscoAttribution ctx={ctx} />
      </Layout>,
    );
  });
}
