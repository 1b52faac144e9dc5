import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
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
import { Pager, pageOf, withParams } from '../../platform/ui/pager.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { CONTRACT_TYPES } from '../adapters/employer-tables.ts';
import type { EmployerDeps, WireOptions } from '../deps.ts';
import { candidatePseudonym, openCandidate } from '../domain/pseudonym.ts';
import {
  type CandidatePage,
  type CandidateResult,
  LAST_PAGE,
  RADIUS_DEFAULT,
  RADIUS_MAX,
  RADIUS_MIN,
  type SearchFilters,
  type SearchForm,
  searchCandidates,
  searchFormOf,
  visibleCandidate,
} from '../use-cases/candidate-search.ts';
import { requestContact } from '../use-cases/contact.ts';
import { registerContactRoutes } from './contact-pages.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPLOYER = ['employer'] as const;

/** The search form's fields (a GET form: the URL is the search, so it can be bookmarked and works JS-off). */
const SearchSchema = z.object({
  offerta: z.string().regex(UUID, 'candidates.errors.vacancy'),
  raggio: z
    .string()
    .trim()
    .transform((s) => (s === '' ? String(RADIUS_DEFAULT) : s))
    .pipe(
      z
        .string()
        .regex(/^[0-9]{1,6}$/, 'candidates.errors.radius')
        .transform(Number)
        .refine((n) => n >= RADIUS_MIN && n <= RADIUS_MAX, 'candidates.errors.radius'),
    ),
  eqf: z
    .string()
    .optional()
    .transform((s) => (s === undefined || s === '' ? '0' : s))
    .pipe(
      z
        .string()
        .regex(/^[0-8]$/, 'candidates.errors.eqf')
        .transform(Number),
    ),
  anni: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === '' ? '0' : s))
    .pipe(
      z
        .string()
        .regex(/^[0-9]{1,3}$/, 'candidates.errors.years')
        .transform(Number)
        .refine((n) => n <= 40, 'candidates.errors.years'),
    ),
  occupazione: z
    .string()
    .optional()
    .transform((s) => s ?? '')
    .pipe(
      z
        .string()
        .max(300, 'candidates.errors.occupation')
        .regex(/^(https?:\/\/\S+)?$/, 'candidates.errors.occupation'),
    ),
  contratto: z
    .string()
    .optional()
    .transform((s) => s ?? '')
    .pipe(z.union([z.literal(''), z.enum(CONTRACT_TYPES)], { message: 'candidates.errors.contract' })),
});

const MessageSchema = z.object({
  c: z.string().min(1, 'errors.required').max(300, 'errors.invalid'),
  offerta: z.string().regex(UUID, 'candidates.errors.vacancy'),
  messaggio: z
    .string()
    .trim()
    .min(10, 'candidates.errors.messageLength')
    .max(2000, 'candidates.errors.messageLength')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

function query(req: FastifyRequest): Record<string, unknown> {
  return (req.query ?? {}) as Record<string, unknown>;
}

/** Routes (and jobs, when options.worker) of this part of the employers context. */
export async function wireCandidates(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {
  const { db } = deps;

  // ── Candidate search ────────────────────────────────────────────────────────────────────────
  routes.get('/azienda/candidati', EMPLOYER, async (req, reply) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const q = query(req);
    const page = (form: SearchForm, values: FormValues, errors: FieldErrors, found: Found, status = 200) =>
      sendPage(
        reply,
        <SearchPage
          ctx={ctx}
          vacancies={form.vacancies}
          occupations={form.occupations}
          values={values}
          errors={errors}
          found={found}
        />,
        status,
      );
    const parsed = q.offerta === undefined ? null : parseForm(SearchSchema, q, ctx.t);
    if (!parsed?.ok) {
      // The empty form (the company's newest vacancy chosen), or the form with its errors: no search.
      const form = await searchFormOf(db, user, ctx.lang, typeof q.offerta === 'string' ? q.offerta : null);
      if (parsed) return page(form, parsed.values, parsed.errors, null, 400);
      return page(
        form,
        { raggio: String(RADIUS_DEFAULT), eqf: '0', offerta: form.vacancies[0]?.id ?? '' },
        {},
        null,
      );
    }
    const f = parsed.data;
    const filters: SearchFilters = {
      vacancyId: f.offerta,
      radiusKm: f.raggio,
      minEqf: f.eqf,
      minYears: f.anni,
      occupationUri: f.occupazione || null,
      contract: f.contratto || null,
    };
    const { form, found, unknownOccupation } = await searchCandidates(
      deps,
      user,
      filters,
      ctx.lang,
      pageOf(q.pagina, LAST_PAGE),
    );
    if (unknownOccupation)
      return page(form, parsed.values, { occupazione: ctx.t('candidates.errors.occupation') }, null, 400);
    // Someone else's vacancy, a closed one, or one that does not exist: not found.
    if (!found) return reply.callNotFound();
    return page(form, parsed.values, {}, found);
  });

  // ── Contact request form ────────────────────────────────────────────────────────────────────
  const contactForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const companyId = user.companyId ?? '';
    const citizenId = openCandidate(deps.config.sessionSecret, companyId, values.c);
    const vacancy = UUID.test(values.offerta ?? '')
      ? await db
          .selectFrom('vacancies')
          .select(['id', 'title'])
          .where('region_code', '=', user.regionCode)
          .where('company_id', '=', companyId)
          .where('id', '=', values.offerta ?? '')
          .where('status', '<>', 'closed')
          .executeTakeFirst()
      : undefined;
    if (!citizenId || !vacancy || !(await visibleCandidate(db, user.regionCode, citizenId)))
      return reply.callNotFound();
    const pseudonym = candidatePseudonym(deps.config.sessionSecret, companyId, citizenId);
    const t = ctx.t;
    const back = `/azienda/candidati?offerta=${encodeURIComponent(vacancy.id)}`;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('candidates.request.title')}>
        <h1>{t('candidates.request.title')}</h1>
        <ErrorSummary ctx={ctx} errors={errors} />
        <p>
          {t('candidates.request.intro', {
            pseudonym: t('candidates.pseudonym', { code: pseudonym }),
            vacancy: vacancy.title,
          })}
        </p>
        <p>{t('candidates.request.privacy')}</p>
        <form method="post" action="/azienda/candidati/contatto" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="c" value={values.c ?? ''} />
          <input type="hidden" name="offerta" value={vacancy.id} />
          <TextArea
            name="messaggio"
            label={t('candidates.request.message')}
            hint={t('candidates.request.messageHint')}
            values={values}
            errors={errors}
            rows={6}
            maxLength={2000}
            required
          />
          <button type="submit" class="btn btn-primary">
            {t('candidates.request.send')}
          </button>
        </form>
        <p class="mt-4">
          <a href={back}>{t('candidates.request.back')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/azienda/candidati/contatto', EMPLOYER, async (req, reply) => {
    const q = query(req);
    const values: FormValues = {
      c: typeof q.c === 'string' ? q.c : '',
      offerta: typeof q.offerta === 'string' ? q.offerta : '',
    };
    return contactForm(req, reply, values, {});
  });

  routes.post('/azienda/candidati/contatto', EMPLOYER, async (req, reply) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const form = parseForm(MessageSchema, req.body, ctx.t);
    if (!form.ok) return contactForm(req, reply, form.values, form.errors, 400);
    const citizenId = openCandidate(deps.config.sessionSecret, user.companyId ?? '', form.data.c);
    if (!citizenId) return reply.callNotFound();
    const result = await requestContact(deps, user, {
      citizenId,
      vacancyId: form.data.offerta,
      message: form.data.messaggio,
    });
    if (!result.ok) {
      if (result.reason === 'vacancy' || result.reason === 'notVisible') return reply.callNotFound();
      return contactForm(
        req,
        reply,
        form.values,
        { messaggio: ctx.t(`candidates.errors.${result.reason}`) },
        409,
      );
    }
    return reply.redirect(`/azienda/candidati/contatti/${result.id}?ok=sent`, 303);
  });

  registerContactRoutes(routes, deps);
}

type Found = CandidatePage | null;

function SearchPage({
  ctx,
  vacancies,
  occupations,
  values,
  errors,
  found,
}: {
  ctx: RequestContext;
  vacancies: { id: string; title: string; status: string }[];
  occupations: { uri: string; label: string }[];
  values: FormValues;
  errors: FieldErrors;
  found: Found;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('candidates.search.title')} wide>
      <h1>{t('candidates.search.title')}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('candidates.search.intro')}</p>
      <p>
        <a href="/azienda/candidati/contatti">{t('candidates.search.myRequests')}</a>
      </p>
      {vacancies.length === 0 ? (
        <Notice kind="info">
          {t('candidates.search.noVacancies')}{' '}
          <a href="/azienda/offerte">{t('candidates.search.toVacancies')}</a>
        </Notice>
      ) : (
        <form method="get" action="/azienda/candidati" novalidate>
          <SelectField
            name="offerta"
            label={t('candidates.search.vacancy')}
            hint={t('candidates.search.vacancyHint')}
            values={values}
            errors={errors}
            options={vacancies.map((v) => ({
              value: v.id,
              label: `${v.title} (${t(`candidates.vacancyStatus.${v.status}`)})`,
            }))}
          />
          <TextField
            name="raggio"
            label={t('candidates.search.radius')}
            hint={t('candidates.search.radiusHint', { min: RADIUS_MIN, max: RADIUS_MAX })}
            values={values}
            errors={errors}
            inputmode="numeric"
            maxLength={6}
          />
          <SelectField
            name="eqf"
            label={t('candidates.search.eqf')}
            values={values}
            errors={errors}
            options={[0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
              value: String(n),
              label: n === 0 ? t('candidates.search.any') : `${t(`profile.eqfLevels.${n}`)} (EQF ${n})`,
            }))}
          />
          <TextField
            name="anni"
            label={t('candidates.search.years')}
            hint={t('candidates.search.yearsHint')}
            values={values}
            errors={errors}
            inputmode="numeric"
            maxLength={3}
          />
          <SelectField
            name="occupazione"
            label={t('candidates.search.occupation')}
            hint={t('candidates.search.occupationHint')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('candidates.search.any') },
              ...occupations.map((o) => ({ value: o.uri, label: o.label })),
            ]}
          />
          <SelectField
            name="contratto"
            label={t('candidates.search.contract')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('candidates.search.any') },
              ...CONTRACT_TYPES.map((c) => ({ value: c, label: t(`profile.contractTypes.${c}`) })),
            ]}
          />
          <button type="submit" class="btn btn-primary">
            {t('candidates.search.submit')}
          </button>
        </form>
      )}
      {found && <Results ctx={ctx} found={found} values={values} />}
    </Layout>
  );
}

function Results({
  ctx,
  found,
  values,
}: {
  ctx: RequestContext;
  found: NonNullable<Found>;
  values: FormValues;
}) {
  const { t } = ctx;
  const onePage = found.page === 0 && !found.hasNext;
  // The page links keep the search: its criteria as typed, and nothing else of the URL.
  const params = Object.fromEntries(Object.keys(SearchSchema.shape).map((k) => [k, values[k]]));
  return (
    <section aria-labelledby="results-heading" class="mt-4">
      <h2 id="results-heading">{t('candidates.results.title', { vacancy: found.vacancy.title })}</h2>
      <p role="status">
        {onePage || found.results.length === 0
          ? t('candidates.results.count', { count: found.results.length })
          : t('candidates.results.range', { from: found.from, to: found.from + found.results.length - 1 })}
      </p>
      {found.results.length === 0 &&
        (found.page === 0 ? (
          <p>{t('candidates.results.none')}</p>
        ) : (
          // A page past the last one (an old bookmark, or a URL typed by hand).
          <p>
            {t('candidates.results.pastEnd')}{' '}
            <a href={withParams('/azienda/candidati', params)}>{t('candidates.results.firstPage')}</a>
          </p>
        ))}
      <ul class="list-unstyled">
        {found.results.map((r) => (
          <li class="card mb-3">
            <div class="card-body">
              <Candidate ctx={ctx} r={r} vacancyId={found.vacancy.id} />
            </div>
          </li>
        ))}
      </ul>
      {found.results.length > 0 && (
        <Pager
          ctx={ctx}
          path="/azienda/candidati"
          params={params}
          page={found.page}
          hasNext={found.hasNext}
          label={t('candidates.results.pages')}
        />
      )}
    </section>
  );
}

function Candidate({ ctx, r, vacancyId }: { ctx: RequestContext; r: CandidateResult; vacancyId: string }) {
  const { t } = ctx;
  const e = r.explanation;
  const list = (xs: string[]) => (xs.length === 0 ? t('candidates.results.nothing') : xs.join(', '));
  return (
    <>
      <h3 class="h5">{t('candidates.pseudonym', { code: r.pseudonym })}</h3>
      <dl class="sl-dl">
        <dt>{t('candidates.results.score')}</dt>
        <dd>{t('candidates.results.points', { score: r.score })}</dd>
        <dt>{t('candidates.results.distance')}</dt>
        <dd>{t(`candidates.bands.${r.band}`)}</dd>
        <dt>{t('candidates.results.province')}</dt>
        <dd>{r.province ?? t('candidates.results.unknown')}</dd>
        <dt>{t('candidates.results.skillsMet')}</dt>
        <dd>{list(e.skillsMet.map((s) => s.label))}</dd>
        <dt>{t('candidates.results.skillsMissing')}</dt>
        <dd>{list(e.skillsMissing.map((s) => s.label))}</dd>
        <dt>{t('candidates.results.education')}</dt>
        <dd>
          {`${t(`profile.eqfLevels.${r.eqf}`)} (EQF ${r.eqf}) — `}
          {e.eqfMet ? t('candidates.results.met') : t('candidates.results.notMet')}
        </dd>
        <dt>{t('candidates.results.experience')}</dt>
        <dd>{t('candidates.results.years', { count: r.years })}</dd>
        <dt>{t('candidates.results.languages')}</dt>
        <dd>{list(r.languages.map((l) => `${t(`profile.languageNames.${l.code}`)} ${l.level}`))}</dd>
        <dt>{t('candidates.results.contracts')}</dt>
        <dd>
          {r.contracts.length === 0
            ? t('candidates.results.anyContract')
            : r.contracts.map((c) => t(`profile.contractTypes.${c}`)).join(', ')}
        </dd>
        {r.hours && (
          <>
            <dt>{t('candidates.results.hours')}</dt>
            <dd>{t(`profile.hoursTypes.${r.hours}`)}</dd>
          </>
        )}
      </dl>
      {r.contact?.recent ? (
        <p class="mb-0">
          {t(`candidates.contactStatus.${r.contact.status}`)}{' '}
          <a href={`/azienda/candidati/contatti/${r.contact.id}`}>
            {t('candidates.results.openRequest', { code: r.pseudonym })}
          </a>
        </p>
      ) : (
        <p class="mb-0">
          <a
            class="btn btn-outline-primary btn-sm"
            href={`/azienda/candidati/contatto?c=${encodeURIComponent(r.handle)}&offerta=${encodeURIComponent(vacancyId)}`}
          >
            {t('candidates.results.ask', { code: r.pseudonym })}
          </a>
        </p>
      )}
    </>
  );
}
