import { CONTRACT_TYPES } from '../../employers/adapters/employer-tables.ts';
import type { EmployerDeps, WireOptions } from '../../employers/deps.ts';
import { explainVacanciesForPerson, type MatchExplanation, personLocation } from '../../matching/contract.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { ErrorSummary, type FieldErrors } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { Pager, withParams } from '../../platform/ui/pager.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  byDistanceThenNewest,
  byScore,
  DAYS_CHOICES,
  DEFAULT_RADIUS,
  HOURS,
  MAX_PLACE,
  MAX_QUERY,
  mergeRanked,
  narrowsResults,
  PAGE_SIZE,
  type Placed,
  pageOf,
  parseSearch,
  placeAndFilter,
  placedKm,
  RADIUS_MAX,
  RADIUS_MIN,
  typedValues,
  widerRadius,
} from '../domain/search.ts';
import { type Municipality, resolvePlace, searchCandidates, vacancyCards } from '../use-cases/search.ts';
import { placeLine, Requirements } from './shared.tsx';
import { renderVacancyPage } from './vacancy-page.tsx';

/** How many of the best text matches (nearest first) are ranked by their explained score. */
const RANK_TEXT_MATCHES = 200;
/** How many vacancies the in-process matcher returns before the filters. */
const MATCHER_LIMIT = 200;

type Origin = { code: string; name: string; province: string; lat: number; lon: number };

function SearchForm({
  ctx,
  values,
  errors,
  choices,
}: {
  ctx: RequestContext;
  values: Record<string, string>;
  errors: FieldErrors;
  choices: Municipality[];
}) {
  const { t } = ctx;
  const field = (name: string, label: string, hint?: string, extra: Record<string, unknown> = {}) => {
    const error = errors[name];
    const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
    return (
      <div class="form-group mb-4">
        <label for={name} class="active sl-label">
          {label}
        </label>
        <input
          id={name}
          name={name}
          class={`form-control${error ? ' is-invalid' : ''}`}
          value={values[name] ?? ''}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy || undefined}
          {...extra}
        />
        {hint && (
          <small id={`${name}-hint`} class="form-text d-block">
            {hint}
          </small>
        )}
        {error && (
          <div id={`${name}-error`} class="sl-field-error">
            {error}
          </div>
        )}
      </div>
    );
  };
  const select = (name: string, label: string, options: { value: string; label: string }[]) => {
    const error = errors[name];
    return (
      <div class="select-wrapper mb-4">
        <label for={name} class="sl-label">
          {label}
        </label>
        <select
          id={name}
          name={name}
          class={error ? 'is-invalid' : undefined}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${name}-error` : undefined}
        >
          <option value="">{t('jobs.search.any')}</option>
          {options.map((o) => (
            <option value={o.value} selected={o.value === values[name]}>
              {o.label}
            </option>
          ))}
        </select>
        {error && (
          <div id={`${name}-error`} class="sl-field-error">
            {error}
          </div>
        )}
      </div>
    );
  };
  const check = (name: string, label: string) => (
    <div class="form-check">
      <input
        class="form-check-input"
        type="checkbox"
        id={name}
        name={name}
        value="si"
        checked={values[name] === 'si'}
      />
      <label class="form-check-label" for={name}>
        {label}
      </label>
    </div>
  );
  return (
    <form method="get" action="/offerte" class="mb-4">
      <fieldset class="mb-2">
        <legend class="sl-label">{t('jobs.search.legend')}</legend>
        <div class="row">
          <div class="col-12 col-lg-6">
            {field('q', t('jobs.search.text'), t('jobs.search.textHint'), {
              maxLength: MAX_QUERY,
              type: 'search',
            })}
            {field('luogo', t('jobs.search.place'), t('jobs.search.placeHint'), {
              maxLength: MAX_PLACE,
              autocomplete: 'address-level2',
            })}
            {choices.length > 0 && (
              <fieldset class="mb-4" aria-describedby="comune-hint">
                <legend class="sl-label">{t('jobs.search.choosePlace')}</legend>
                <small id="comune-hint" class="form-text d-block">
                  {t('jobs.search.choosePlaceHint')}
                </small>
                {choices.map((m, i) => (
                  <div class="form-check">
                    <input
                      class="form-check-input"
                      type="radio"
                      name="comune"
                      id={i === 0 ? 'comune' : `comune-${m.code}`}
                      value={m.code}
                    />
                    <label class="form-check-label" for={i === 0 ? 'comune' : `comune-${m.code}`}>
                      {`${m.name} (${m.province})`}
                    </label>
                  </div>
                ))}
              </fieldset>
            )}
            {choices.length === 0 && values.comune && (
              <input type="hidden" name="comune" value={values.comune} />
            )}
            {field(
              'raggio',
              t('jobs.search.radius'),
              t('jobs.search.radiusHint', { min: RADIUS_MIN, max: RADIUS_MAX }),
              {
                inputMode: 'numeric',
                maxLength: 6,
              },
            )}
          </div>
          <div class="col-12 col-lg-6">
            {select(
              'contratto',
              t('jobs.search.contract'),
              CONTRACT_TYPES.map((c) => ({ value: c, label: t(`jobs.contract.${c}`) })),
            )}
            {select(
              'orario',
              t('jobs.search.hours'),
              HOURS.map((h) => ({ value: h, label: t(`jobs.hours.${h}`) })),
            )}
            {select('remoto', t('jobs.search.remote'), [
              { value: 'si', label: t('jobs.search.remoteYes') },
              { value: 'solo', label: t('jobs.search.remoteOnly') },
            ])}
            {select(
              'giorni',
              t('jobs.search.days'),
              DAYS_CHOICES.map((d) => ({ value: d, label: t('jobs.search.lastDays', { count: Number(d) }) })),
            )}
            <fieldset class="mb-4">
              <legend class="sl-label">{t('jobs.search.more')}</legend>
              {check('l68', t('jobs.search.l68'))}
              {check('stagionale', t('jobs.search.seasonal'))}
            </fieldset>
          </div>
        </div>
      </fieldset>
      <button type="submit" class="btn btn-primary">
        {t('jobs.search.submit')}
      </button>
    </form>
  );
}

/** Routes (and jobs, when options.worker) of this part of the jobs context. */
export async function wireJobSearch(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {
  const { db } = deps;

  routes.get(
    '/offerte',
    'public',
    async (req, reply) => {
      const ctx = req.ctx;
      const { t, user } = ctx;
      const region = user?.regionCode ?? deps.defaultRegion;
      const citizen = user?.role === 'citizen' ? user : null;
      const { input, errors: parseErrors } = parseSearch(req.query);
      const values = typedValues(req.query);
      const errors: FieldErrors = {};
      for (const [k, key] of Object.entries(parseErrors)) {
        errors[k] =
          key === 'jobs.search.errors.radius' ? t(key, { min: RADIUS_MIN, max: RADIUS_MAX }) : t(key);
      }
      const home = citizen ? await personLocation(db, region, citizen.id, deps.matcher.facts) : null;

      // The place: typed (name → ISTAT code) or, for a citizen, their domicile.
      let origin: Origin | null = null;
      let choices: Municipality[] = [];
      if (input.place && !errors.luogo) {
        const r = await resolvePlace(db, input.place, input.placeCode);
        if (r.kind === 'found') {
          origin = r.municipality;
          values.luogo = r.municipality.name;
          values.comune = r.municipality.code;
        } else if (r.kind === 'ambiguous') {
          choices = r.options;
          values.comune = '';
          errors.luogo = t('jobs.search.errors.ambiguous', { place: input.place });
        } else {
          values.comune = '';
          errors.luogo = t('jobs.search.errors.unknownPlace', { place: input.place });
        }
      } else if (!input.place && home) {
        origin = { code: home.municipalityCode, name: home.name, province: '', lat: home.lat, lon: home.lon };
        values.luogo = home.name;
        values.comune = home.municipalityCode;
      } else {
        values.comune = '';
      }
      const atHome = origin !== null && home !== null && origin.code === home.municipalityCode;
      const homeKm = home
        ? Math.min(RADIUS_MAX, Math.max(RADIUS_MIN, Math.round(home.maxKm)))
        : DEFAULT_RADIUS;
      const radius = origin ? (input.radius ?? (atHome ? homeKm : DEFAULT_RADIUS)) : null;
      if (radius !== null && !errors.raggio) values.raggio = String(radius);

      const hasErrors = Object.values(errors).some(Boolean);
      // What the page needs of each result: its id, and its km when it was placed by the database.
      let ordered: Pick<Placed, 'id' | 'km'>[] = [];
      // The km of the page's cards, from their own coordinates (when the index's list was used as is).
      let kmFromCards = false;
      let explained = new Map<string, MatchExplanation>();
      if (!hasErrors) {
        const box = origin && radius !== null ? { lat: origin.lat, lon: origin.lon, km: radius } : null;
        const placedAmong = async (onlyIds?: readonly string[]) =>
          placeAndFilter(await searchCandidates(db, region, input, box, onlyIds), origin, radius);
        if (citizen && !input.q && (atHome || !origin)) {
          // No text: the in-process matcher's order (the person's own place and radius), then the filters.
          // If the index cannot answer, the search still does: nearest first.
          const ranked = await deps.matcher
            .rankVacanciesForPerson(region, citizen.id, { radiusKm: radius ?? homeKm, limit: MATCHER_LIMIT })
            .catch((error: unknown) => {
              req.log.error({ err: error }, 'matcher unavailable: job search falls back to distance order');
              return [];
            });
          const rankedIds = ranked.map((r) => r.vacancyId);
          if (!narrowsResults(input) && (input.page + 1) * PAGE_SIZE < rankedIds.length) {
            // No filter: the index's list is the answer. It holds published, unexpired vacancies within
            // the radius only, and the page's cards below are read again from PostgreSQL as live ones.
            ordered = rankedIds.map((id) => ({ id, km: null }));
            kmFromCards = true;
          } else {
            // The filters checked on the ranked ones only (a primary-key lookup); the whole area is read
            // only when the page asked for reaches past them.
            ordered = mergeRanked(rankedIds, rankedIds.length > 0 ? await placedAmong(rankedIds) : []);
            if ((input.page + 1) * PAGE_SIZE >= ordered.length)
              ordered = mergeRanked(rankedIds, await placedAmong());
          }
        } else if (citizen) {
          // Text (or another place): the best text matches ranked by their explained score.
          const near = [...(await placedAmong())].sort(byDistanceThenNewest);
          const head = near.slice(0, RANK_TEXT_MATCHES);
          explained = await explainVacanciesForPerson(
            db,
            region,
            citizen.id,
            head.map((p) => p.id),
            ctx.lang,
            deps.matcher.facts,
          );
          const scores = new Map([...explained].map(([id, e]) => [id, e.score]));
          ordered = [...head.sort(byScore(scores)), ...near.slice(RANK_TEXT_MATCHES)];
        } else {
          ordered = [...(await placedAmong())].sort(byDistanceThenNewest);
        }
      }
      const { items, hasNext, page } = pageOf(ordered, input.page);
      const cards = await vacancyCards(
        db,
        region,
        items.map((p) => p.id),
      );
      if (citizen && cards.length > 0 && cards.some((c) => !explained.has(c.id))) {
        // One call for the whole page.
        explained = await explainVacanciesForPerson(
          db,
          region,
          citizen.id,
          cards.map((c) => c.id),
          ctx.lang,
          deps.matcher.facts,
        );
      }
      const kmOf = new Map(
        kmFromCards ? cards.map((c) => [c.id, placedKm(c, origin)]) : items.map((p) => [p.id, p.km]),
      );
      const params: Record<string, string | undefined> = {
        q: input.q,
        luogo: origin ? origin.name : undefined,
        comune: origin?.code,
        raggio: origin && radius !== null ? String(radius) : undefined,
        contratto: input.contract ?? undefined,
        orario: input.hours ?? undefined,
        remoto: input.remote ?? undefined,
        giorni: input.days !== null ? String(input.days) : undefined,
        l68: input.l68 ? 'si' : undefined,
        stagionale: input.seasonal ? 'si' : undefined,
      };
      const wider = origin && radius !== null ? widerRadius(radius) : null;
      const status = hasErrors && choices.length === 0 ? 400 : 200;
      return sendPage(
        reply,
        <Layout ctx={ctx} title={t('jobs.search.title')} wide>
          <h1>{t('jobs.search.title')}</h1>
          <p>{t('jobs.search.intro')}</p>
          {citizen && (
            <p>
              <a href="/candidature">{t('jobs.mine.title')}</a>
            </p>
          )}
          <ErrorSummary ctx={ctx} errors={errors} />
          <SearchForm ctx={ctx} values={values} errors={errors} choices={choices} />
          {!hasErrors && (
            <section aria-labelledby="results">
              <h2 class="h4" id="results">
                {t('jobs.search.found', { count: ordered.length })}
              </h2>
              {origin && radius !== null && (
                <p>{t('jobs.search.around', { place: origin.name, km: radius })}</p>
              )}
              {!origin && <p>{t('jobs.search.noPlace')}</p>}
              {citizen && !home && <p>{t('jobs.search.noDomicile')}</p>}
              {ordered.length === 0 && (
                <p>
                  {t('jobs.search.none')}{' '}
                  {wider !== null ? (
                    <a href={withParams('/offerte', { ...params, raggio: String(wider) })}>
                      {t('jobs.search.widen', { km: wider })}
                    </a>
                  ) : (
                    t('jobs.search.fewerFilters')
                  )}
                </p>
              )}
              <ul class="list-unstyled">
                {cards.map((c) => {
                  const e = explained.get(c.id);
                  return (
                    <li class="card card-body mb-3">
                      <h3 class="h5">
                        <a href={`/offerte/${c.id}`}>{c.title}</a>
                      </h3>
                      <p class="mb-1">{c.companyName}</p>
                      <p class="mb-1">
                        <strong>{placeLine(ctx, c, kmOf.get(c.id) ?? null)}</strong>
                      </p>
                      <p class="mb-1 small">
                        {[
                          t(`jobs.contract.${c.contract}`),
                          t(`jobs.hours.${c.hours}`),
                          c.reservedL68 ? t('jobs.badges.l68') : '',
                          c.seasonal ? t('jobs.badges.seasonal') : '',
                          t('jobs.publishedOn', {
                            date: dateTimeFormat(ctx.lang, {
                              dateStyle: 'medium',
                              timeZone: 'Europe/Rome',
                            }).format(c.publishedAt),
                          }),
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </p>
                      {e && <Requirements ctx={ctx} e={e} id={c.id} />}
                    </li>
                  );
                })}
              </ul>
              <Pager
                ctx={ctx}
                path="/offerte"
                params={params}
                page={page}
                hasNext={hasNext}
                label={ctx.t('jobs.search.pages')}
              />
            </section>
          )}
        </Layout>,
        status,
      );
    },
    true,
  );

  routes.get(
    '/offerte/:id',
    'public',
    async (req, reply) => {
      const { id } = req.params as { id: string };
      return renderVacancyPage(deps, req, reply, id);
    },
    true,
  );
}
