import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmployerDeps } from '../../employers/deps.ts';
import { jobPosting } from '../../employers/domain/job-posting.ts';
import { explainVacanciesForPerson, personLocation } from '../../matching/contract.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  TextArea,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { kmBetween } from '../domain/search.ts';
import { applicationOn, cvOf, MAX_MESSAGE } from '../use-cases/applications.ts';
import { vacancyDetail } from '../use-cases/search.ts';
import { formatDate, formatDay, languageName, payLabel, placeLine, Requirements } from './shared.tsx';

/** JSON for a `<script>` element: nothing in it can close the element. */
function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export type VacancyPageState = {
  errors?: FieldErrors;
  values?: FormValues;
  /** A message about the application attempt (already applied, no CV). */
  alert?: string;
  alertLinkToCv?: boolean;
};

/** The public vacancy page (`GET /offerte/:id`), also re-rendered by the application form on errors. */
export async function renderVacancyPage(
  deps: EmployerDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  state: VacancyPageState = {},
  status = 200,
) {
  const ctx = req.ctx;
  const { t, user } = ctx;
  const { db } = deps;
  const region = user?.regionCode ?? deps.defaultRegion;
  const v = await vacancyDetail(db, region, id, ctx.lang);
  if (!v) return reply.callNotFound();
  const citizen = user?.role === 'citizen' ? user : null;
  const [home, explained, mine, cv] = citizen
    ? await Promise.all([
        personLocation(db, region, citizen.id, deps.matcher.facts),
        explainVacanciesForPerson(db, region, citizen.id, [v.id], ctx.lang, deps.matcher.facts),
        applicationOn(db, citizen, v.id),
        cvOf(db, citizen),
      ])
    : [null, null, undefined, undefined];
  const km =
    home && v.remote !== 'full' && v.latitude !== null && v.longitude !== null
      ? kmBetween(home.lat, home.lon, v.latitude, v.longitude)
      : null;
  const e = explained?.get(v.id) ?? null;
  const pay = payLabel(ctx, v.payMin, v.payMax, v.payPeriod);
  const essential = v.skills.filter((s) => s.essential);
  const optional = v.skills.filter((s) => !s.essential);
  const posting = jobPosting(
    {
      id: v.id,
      title: v.title,
      description: v.description,
      datePosted: v.publishedAt,
      expiresOn: v.expiresOn,
      contractType: v.contract as Parameters<typeof jobPosting>[0]['contractType'],
      hours: v.hours,
      company: { name: v.companyName, publicSlug: v.companySlug },
      place: v.municipality ? { municipality: v.municipality, province: v.province } : null,
      remote: v.remote,
      pay: v.payPeriod ? { min: v.payMin, max: v.payMax, period: v.payPeriod } : null,
      occupation: { uri: v.occupationUri, iscoCode: v.iscoCode, label: v.occupationLabel },
      eqfRequired: v.eqfRequired,
      skills: v.skills.map((s) => s.label),
      positions: v.positions,
      experienceYears: v.experienceYears,
      startDate: v.startDate,
      weeklyHours: v.weeklyHours,
    },
    deps.config.publicUrl,
  );
  const ownCompany = user?.role === 'employer' && user.companyId === v.companyId;
  const errors = state.errors ?? {};
  const values = state.values ?? {};
  return sendPage(
    reply,
    <Layout ctx={ctx} title={v.title}>
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: safeJson(posting) }} />
      <h1>{v.title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      {state.alert && (
        <div class="alert alert-warning" role="alert">
          <p class="mb-0">
            {state.alert}
            {state.alertLinkToCv && (
              <>
                {' '}
                <a href="/cv">{t('jobs.apply.buildCv')}</a>
              </>
            )}
          </p>
        </div>
      )}
      <p class="lead">
        {v.companySlug ? (
          <a href={`/aziende/${encodeURIComponent(v.companySlug)}`}>{v.companyName}</a>
        ) : (
          v.companyName
        )}
      </p>
      {(v.reservedL68 || v.seasonal) && (
        <ul class="sl-inline-list">
          {v.reservedL68 && <li>{t('jobs.badges.l68')}</li>}
          {v.seasonal && <li>{t('jobs.badges.seasonal')}</li>}
        </ul>
      )}
      <dl class="sl-dl">
        <dt>{t('jobs.fields.place')}</dt>
        <dd>
          {placeLine(ctx, v, km)}
          {km !== null && home ? ` — ${t('jobs.fromHome', { place: home.name })}` : ''}
        </dd>
        <dt>{t('jobs.fields.contract')}</dt>
        <dd>{t(`jobs.contract.${v.contract}`)}</dd>
        <dt>{t('jobs.fields.hours')}</dt>
        <dd>
          {t(`jobs.hours.${v.hours}`)}
          {v.weeklyHours ? ` — ${t('jobs.weeklyHours', { n: v.weeklyHours })}` : ''}
        </dd>
        <dt>{t('jobs.fields.pay')}</dt>
        <dd>{pay ?? t('jobs.notStated')}</dd>
        <dt>{t('jobs.fields.positions')}</dt>
        <dd>{v.positions}</dd>
        <dt>{t('jobs.fields.start')}</dt>
        <dd>{v.startDate ? formatDay(ctx, v.startDate) : t('jobs.notStated')}</dd>
        <dt>{t('jobs.fields.expires')}</dt>
        <dd>{formatDay(ctx, v.expiresOn)}</dd>
        <dt>{t('jobs.fields.published')}</dt>
        <dd>{formatDate(ctx, v.publishedAt)}</dd>
        {v.occupationLabel && (
          <>
            <dt>{t('jobs.fields.occupation')}</dt>
            <dd>{v.occupationLabel}</dd>
          </>
        )}
      </dl>
      <h2 class="h4">{t('jobs.fields.description')}</h2>
      {v.description.split(/\n+/).map((p) => (
        <p>{p}</p>
      ))}
      <h2 class="h4">{t('jobs.fields.requirements')}</h2>
      <dl class="sl-dl">
        <dt>{t('jobs.fields.essentialSkills')}</dt>
        <dd>{essential.length ? essential.map((s) => s.label).join('; ') : t('jobs.none')}</dd>
        {optional.length > 0 && (
          <>
            <dt>{t('jobs.fields.optionalSkills')}</dt>
            <dd>{optional.map((s) => s.label).join('; ')}</dd>
          </>
        )}
        <dt>{t('jobs.fields.education')}</dt>
        <dd>{v.eqfRequired > 0 ? t('jobs.eqfN', { n: v.eqfRequired }) : t('jobs.none')}</dd>
        <dt>{t('jobs.fields.languages')}</dt>
        <dd>
          {v.languages.length
            ? v.languages.map((l) => `${languageName(l.code, ctx.lang)} ${l.level}`).join('; ')
            : t('jobs.none')}
        </dd>
        <dt>{t('jobs.fields.experience')}</dt>
        <dd>{v.experienceYears > 0 ? t('jobs.years', { count: v.experienceYears }) : t('jobs.none')}</dd>
        <dt>{t('jobs.fields.licence')}</dt>
        <dd>{v.drivingLicence ?? t('jobs.none')}</dd>
      </dl>
      {citizen &&
        (e ? (
          <>
            <h2 class="h4">{t('jobs.yourMatch')}</h2>
            <Requirements ctx={ctx} e={e} id={v.id} />
          </>
        ) : (
          <p>
            {t('jobs.completeProfile')} <a href="/profilo">{t('jobs.completeProfileLink')}</a>
          </p>
        ))}
      <h2 class="h4">{t('jobs.fields.safety')}</h2>
      <p>{v.safetyInfo ?? t('jobs.noSafety')}</p>
      <h2 class="h4" id="candidatura">
        {t('jobs.apply.heading')}
      </h2>
      {!user ? (
        <p>
          <a href={`/accedi?da=${encodeURIComponent(`/offerte/${v.id}`)}`}>{t('jobs.apply.signIn')}</a>
        </p>
      ) : !citizen ? (
        ownCompany ? (
          <p>
            <a href={`/azienda/offerte/${v.id}/candidature`}>{t('jobs.apply.seeApplications')}</a>
          </p>
        ) : (
          <p>{t('jobs.apply.citizensOnly')}</p>
        )
      ) : mine ? (
        <p>
          {t('jobs.apply.already', {
            date: formatDate(ctx, mine.created_at),
            status: t(`jobs.status.${mine.status}`),
          })}{' '}
          <a href="/candidature">{t('jobs.mine.title')}</a>
        </p>
      ) : !cv ? (
        <p>
          {t('jobs.apply.noCv')} <a href="/cv">{t('jobs.apply.buildCv')}</a>
        </p>
      ) : (
        <form method="post" action={`/offerte/${v.id}/candidatura`}>
          <CsrfField ctx={ctx} />
          <p>
            {t('jobs.apply.cvNote', { version: cv.version, date: formatDate(ctx, cv.updated_at) })}{' '}
            <a href="/cv">{t('jobs.apply.reviewCv')}</a>
          </p>
          <TextArea
            name="messaggio"
            label={t('jobs.apply.message')}
            hint={t('jobs.apply.messageHint')}
            values={values}
            errors={errors}
            rows={5}
            maxLength={MAX_MESSAGE}
          />
          <button type="submit" class="btn btn-primary">
            {t('jobs.apply.submit')}
          </button>
        </form>
      )}
      <p class="mt-4">
        <a href="/offerte">{t('jobs.backToSearch')}</a>
      </p>
    </Layout>,
    status,
  );
}
