import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { CsrfField, Notice } from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { Pager, pageOf } from '../../platform/ui/pager.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { FUNDING_CODES, isIsoDate, MODES } from '../domain/course-input.ts';
import {
  courseDetail,
  courseSkills,
  isCourseManager,
  isoDate,
  managedCourse,
  municipalitiesOf,
  searchCourses,
  todayInRome,
} from '../use-cases/catalogue.ts';
import {
  type EnrolmentDeps,
  myEnrolmentOn,
  myEnrolments,
  requestEnrolment,
  withdrawEnrolment,
} from '../use-cases/enrolment.ts';
import { recommendForCitizen } from '../use-cases/recommend.ts';
import { formatCost, formatDate, formatKm, fundingLabel, modeLabel, placeLabel, str } from './shared.tsx';

export const KM_CHOICES = ['10', '20', '30', '50', '100'];

export function registerPublicTrainingRoutes(
  routes: RouteCatalogue,
  deps: EnrolmentDeps,
  defaultRegion: () => string,
): void {
  const { db } = deps;
  const regionOf = (ctx: RequestContext) => ctx.user?.regionCode ?? defaultRegion();

  routes.get('/corsi', 'public', async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const region = regionOf(ctx);
    const q = req.query;
    const text = str(q, 'q', 100).trim();
    const skill = str(q, 'competenza', 300).trim();
    const modeRaw = str(q, 'modalita');
    const mode = MODES.find((m) => m === modeRaw);
    const free = str(q, 'gratuiti') === 'si';
    const fundingRaw = str(q, 'finanziamento');
    const funding = FUNDING_CODES.find((f) => f === fundingRaw);
    const near = /^\d{6}$/.test(str(q, 'comune')) ? str(q, 'comune') : '';
    const kmRaw = str(q, 'km');
    const km = KM_CHOICES.includes(kmRaw) ? Number(kmRaw) : undefined;
    const dalRaw = str(q, 'dal');
    const today = todayInRome();
    const from = isIsoDate(dalRaw) && dalRaw > today ? dalRaw : today;
    const page = pageOf(str(q, 'pagina'));
    const [municipalities, result] = await Promise.all([
      municipalitiesOf(db, region),
      searchCourses(db, region, {
        text: text || undefined,
        skill: skill || undefined,
        mode,
        freeOnly: free,
        funding,
        near: near || undefined,
        km: near ? (km ?? 30) : undefined,
        from,
        page,
      }),
    ]);
    const params = {
      q: text,
      competenza: skill,
      modalita: mode,
      gratuiti: free ? 'si' : undefined,
      finanziamento: funding,
      comune: near,
      km: near ? String(km ?? 30) : undefined,
      dal: from === today ? undefined : from,
    };
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('training.search.title')} wide>
        <h1>{t('training.search.title')}</h1>
        <p>{t('training.search.intro')}</p>
        {ctx.user?.role === 'citizen' && (
          <ul class="sl-inline-list">
            <li>
              <a href="/corsi/consigliati">{t('training.recommend.title')}</a>
            </li>
            <li>
              <a href="/corsi/mie-iscrizioni">{t('training.mine.title')}</a>
            </li>
          </ul>
        )}
        <form method="get" action="/corsi" class="mb-3">
          <fieldset class="mb-4">
            <legend class="sl-label">{t('training.search.filters')}</legend>
            <div class="row">
              <div class="col-12 col-lg-6">
                <div class="form-group mb-4">
                  <label for="q" class="active sl-label">
                    {t('training.search.text')}
                  </label>
                  <input id="q" name="q" class="form-control" value={text} maxLength={100} />
                </div>
                <div class="form-group mb-4">
                  <label for="competenza" class="active sl-label">
                    {t('training.search.skill')}
                  </label>
                  <input
                    id="competenza"
                    name="competenza"
                    class="form-control"
                    value={skill}
                    maxLength={300}
                  />
                </div>
                <div class="select-wrapper mb-4">
                  <label for="modalita" class="sl-label">
                    {t('training.search.mode')}
                  </label>
                  <select id="modalita" name="modalita">
                    <option value="">{t('training.search.any')}</option>
                    {MODES.map((m) => (
                      <option value={m} selected={m === mode}>
                        {modeLabel(ctx, m)}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="select-wrapper mb-4">
                  <label for="finanziamento" class="sl-label">
                    {t('training.search.funding')}
                  </label>
                  <select id="finanziamento" name="finanziamento">
                    <option value="">{t('training.search.any')}</option>
                    {FUNDING_CODES.map((f) => (
                      <option value={f} selected={f === funding}>
                        {fundingLabel(ctx, f)}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div class="col-12 col-lg-6">
                <div class="select-wrapper mb-4">
                  <label for="comune" class="sl-label">
                    {t('training.search.near')}
                  </label>
                  <select id="comune" name="comune">
                    <option value="">{t('training.search.anywhere')}</option>
                    {municipalities.map((m) => (
                      <option value={m.istat_code} selected={m.istat_code === near}>
                        {m.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="select-wrapper mb-4">
                  <label for="km" class="sl-label">
                    {t('training.search.within')}
                  </label>
                  <select id="km" name="km">
                    {KM_CHOICES.map((k) => (
                      <option value={k} selected={Number(k) === (km ?? 30)}>
                        {formatKm(ctx, Number(k))}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="form-group mb-4">
                  <label for="dal" class="active sl-label">
                    {t('training.search.from')}
                  </label>
                  <input id="dal" name="dal" type="date" class="form-control" value={from} />
                </div>
                <div class="form-check mb-4">
                  <input
                    class="form-check-input"
                    type="checkbox"
                    id="gratuiti"
                    name="gratuiti"
                    value="si"
                    checked={free}
                  />
                  <label class="form-check-label" for="gratuiti">
                    {t('training.search.freeOnly')}
                  </label>
                </div>
              </div>
            </div>
          </fieldset>
          <button type="submit" class="btn btn-primary">
            {t('training.search.submit')}
          </button>
        </form>
        <h2 class="h4" id="results">
          {result.rows.length === 0 ? t('training.search.none') : t('training.search.results')}
        </h2>
        <ul class="list-unstyled">
          {result.rows.map((c) => (
            <li class="card card-body mb-3">
              <h3 class="h5">
                <a href={`/corsi/${c.id}`}>{c.title}</a>
              </h3>
              <p class="mb-0">
                {c.provider_name} · {placeLabel(ctx, c.mode, c.municipality_name)}
                {c.distance_km !== null && c.mode !== 'remote'
                  ? ` · ${formatKm(ctx, Number(c.distance_km))}`
                  : ''}
              </p>
              <p class="mb-0 small">
                {t('training.startsOn', { date: formatDate(ctx, c.starts_on) })} ·{' '}
                {t('training.hours', { n: c.hours })} · {formatCost(ctx, c.cost_eur)} ·{' '}
                {fundingLabel(ctx, c.funding)}
                {c.seats_taken >= c.seats ? ` · ${t('training.full')}` : ''}
              </p>
            </li>
          ))}
        </ul>
        <Pager
          ctx={ctx}
          path="/corsi"
          params={params}
          page={page}
          hasNext={result.hasNext}
          label={ctx.t('training.pages')}
        />
      </Layout>,
    );
  });

  const renderDetail = async (
    req: FastifyRequest,
    reply: FastifyReply,
    courseId: string,
    error?: string,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t, user } = ctx;
    const region = regionOf(ctx);
    const c = await courseDetail(db, region, courseId);
    if (!c) return reply.callNotFound();
    const skills = await courseSkills(db, region, c.id, ctx.lang);
    const mine = user?.role === 'citizen' ? await myEnrolmentOn(db, user, c.id) : undefined;
    const manages = user && isCourseManager(user) ? await managedCourse(db, user, c.id) : undefined;
    const started = isoDate(c.starts_on) < todayInRome();
    const full = c.seats_taken >= c.seats;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={c.title}>
        <h1>{c.title}</h1>
        {error && (
          <div class="alert alert-danger" role="alert">
            {error}
          </div>
        )}
        {c.description && <p>{c.description}</p>}
        <dl class="sl-dl">
          <dt>{t('training.fields.provider')}</dt>
          <dd>{c.accreditation_code ? `${c.provider_name} (${c.accreditation_code})` : c.provider_name}</dd>
          <dt>{t('training.fields.mode')}</dt>
          <dd>{placeLabel(ctx, c.mode, c.municipality_name)}</dd>
          {c.address && (
            <>
              <dt>{t('training.fields.address')}</dt>
              <dd>{c.address}</dd>
            </>
          )}
          <dt>{t('training.fields.dates')}</dt>
          <dd>
            {t('training.fromTo', { from: formatDate(ctx, c.starts_on), to: formatDate(ctx, c.ends_on) })}
          </dd>
          <dt>{t('training.fields.hours')}</dt>
          <dd>{t('training.hours', { n: c.hours })}</dd>
          <dt>{t('training.fields.seats')}</dt>
          <dd>{full ? t('training.full') : t('training.seatsLeft', { n: c.seats - c.seats_taken })}</dd>
          <dt>{t('training.fields.cost')}</dt>
          <dd>{formatCost(ctx, c.cost_eur)}</dd>
          <dt>{t('training.fields.funding')}</dt>
          <dd>{fundingLabel(ctx, c.funding)}</dd>
          <dt>{t('training.fields.eqf')}</dt>
          <dd>{c.eqf_level ? t('training.eqfN', { n: c.eqf_level }) : '—'}</dd>
        </dl>
        <h2 class="h4">{t('training.fields.skills')}</h2>
        {skills.length === 0 ? (
          <p>{t('training.noSkills')}</p>
        ) : (
          <ul>
            {skills.map((s) => (
              <li>{s.label}</li>
            ))}
          </ul>
        )}
        <h2 class="h4">{t('training.detail.enrolHeading')}</h2>
        {!user ? (
          <p>
            <a href="/accedi">{t('training.detail.signInToEnrol')}</a>
          </p>
        ) : user.role !== 'citizen' ? (
          manages ? (
            <p>
              <a href={`/operatore/corsi/${c.id}`}>{t('training.detail.manage')}</a>
            </p>
          ) : (
            <p>{t('training.detail.citizensOnly')}</p>
          )
        ) : mine ? (
          <p>
            {t('training.detail.yourStatus', { status: t(`training.status.${mine.status}`) })}{' '}
            <a href="/corsi/mie-iscrizioni">{t('training.mine.title')}</a>
          </p>
        ) : started ? (
          <p>{t('training.detail.started')}</p>
        ) : full ? (
          <p>{t('training.detail.full')}</p>
        ) : (
          <form method="post" action={`/corsi/${c.id}/iscrizione`}>
            <CsrfField ctx={ctx} />
            <p>{t('training.detail.enrolHint')}</p>
            <button type="submit" class="btn btn-primary">
              {t('training.detail.enrol')}
            </button>
          </form>
        )}
        <p class="mt-3">
          <a href="/corsi">{t('training.backToSearch')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/corsi/:id', 'public', async (req, reply) => {
    const { id } = req.params as { id: string };
    return renderDetail(req, reply, id);
  });

  routes.post('/corsi/:id/iscrizione', ['citizen'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const user = req.ctx.user;
    if (!user) return reply.callNotFound();
    const r = await requestEnrolment(deps, user, id);
    if (r === 'not_found') return reply.callNotFound();
    if (r === 'ok') return reply.redirect('/corsi/mie-iscrizioni?ok=requested', 303);
    return renderDetail(req, reply, id, req.ctx.t(`training.detail.errors.${r}`), 400);
  });

  routes.get('/corsi/consigliati', ['citizen'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = ctx.user!;
    const { gaps, missing, recommendations } = await recommendForCitizen(
      db,
      user.regionCode,
      user.id,
      ctx.lang,
    );
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('training.recommend.title')}>
        <h1>{t('training.recommend.title')}</h1>
        {gaps.length === 0 ? (
          <p>{t('training.recommend.noGaps')}</p>
        ) : (
          <>
            <p>{t('training.recommend.intro')}</p>
            <ul>
              {gaps.map((g) => (
                <li>
                  {t('training.recommend.gapLine', {
                    occupation: g.occupationLabel,
                    essential: g.missing.filter((m) => m.relation === 'essential').length,
                    optional: g.missing.filter((m) => m.relation === 'optional').length,
                  })}
                </li>
              ))}
            </ul>
          </>
        )}
        {gaps.length > 0 && missing.length === 0 && <p>{t('training.recommend.nothingMissing')}</p>}
        {missing.length > 0 && recommendations.length === 0 && <p>{t('training.recommend.none')}</p>}
        {recommendations.length > 0 && (
          <>
            <h2 class="h4">{t('training.recommend.listHeading')}</h2>
            <ol class="list-unstyled">
              {recommendations.map((r, i) => {
                const e = r.explanation;
                return (
                  <li class="card card-body mb-3">
                    <h3 class="h5">
                      {`${i + 1}. `}
                      <a href={`/corsi/${r.course.id}`}>{r.course.title}</a>
                    </h3>
                    <p class="mb-0">{r.course.providerName}</p>
                    <p class="mb-0">
                      {t('training.recommend.covers')} {e.covers.map((s) => s.label).join(', ')}
                      {e.coveredEssential > 0
                        ? ` (${t('training.recommend.essentialCount', { n: e.coveredEssential })})`
                        : ''}
                    </p>
                    <p class="mb-0">
                      {r.course.mode === 'remote'
                        ? t('training.recommend.remote')
                        : e.distanceKm === null
                          ? t('training.recommend.distanceUnknown', {
                              place: placeLabel(ctx, r.course.mode, r.course.municipalityName),
                            })
                          : t('training.recommend.distance', {
                              km: formatKm(ctx, e.distanceKm),
                              place: placeLabel(ctx, r.course.mode, r.course.municipalityName),
                            })}
                    </p>
                    <p class="mb-0">
                      {t('training.recommend.starts', {
                        date: formatDate(ctx, e.startsOn),
                        n: e.daysToStart,
                      })}
                    </p>
                    <p class="mb-0">
                      {e.free ? t('training.free') : formatCost(ctx, e.costEur)} ·{' '}
                      {fundingLabel(ctx, e.funding)}
                    </p>
                  </li>
                );
              })}
            </ol>
          </>
        )}
        <p>
          <a href="/corsi">{t('training.recommend.searchAll')}</a>
        </p>
      </Layout>,
    );
  });

  routes.get('/corsi/mie-iscrizioni', ['citizen'], async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const rows = await myEnrolments(db, ctx.user!);
    const ok = str(req.query, 'ok');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('training.mine.title')}>
        <h1>{t('training.mine.title')}</h1>
        {ok === 'requested' && <Notice kind="success">{t('training.mine.requested')}</Notice>}
        {ok === 'withdrawn' && <Notice kind="success">{t('training.mine.withdrawn')}</Notice>}
        {rows.length === 0 ? (
          <p>{t('training.mine.none')}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <caption class="visually-hidden">{t('training.mine.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('training.fields.course')}</th>
                  <th scope="col">{t('training.fields.start')}</th>
                  <th scope="col">{t('training.fields.status')}</th>
                  <th scope="col">{t('training.fields.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/corsi/${r.course_id}`}>{r.title}</a>
                      <span class="d-block small">{r.provider_name}</span>
                    </th>
                    <td>{formatDate(ctx, r.starts_on)}</td>
                    <td>{t(`training.status.${r.status}`)}</td>
                    <td>
                      {r.status === 'requested' || r.status === 'confirmed' ? (
                        <form method="post" action={`/corsi/iscrizioni/${r.id}/ritira`}>
                          <CsrfField ctx={ctx} />
                          <button type="submit" class="btn btn-outline-primary btn-sm">
                            {t('training.mine.withdraw')}
                            <span class="visually-hidden">{`: ${r.title}`}</span>
                          </button>
                        </form>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ul class="sl-inline-list">
          <li>
            <a href="/corsi/consigliati">{t('training.recommend.title')}</a>
          </li>
          <li>
            <a href="/corsi">{t('training.search.title')}</a>
          </li>
        </ul>
      </Layout>,
    );
  });

  routes.post('/corsi/iscrizioni/:id/ritira', ['citizen'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const r = await withdrawEnrolment(deps, req.ctx.user!, id);
    if (r === 'not_found') return reply.callNotFound();
    return reply.redirect('/corsi/mie-iscrizioni?ok=withdrawn', 303);
  });
}
