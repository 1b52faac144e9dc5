import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { formArray, NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { readMultipart } from '../../platform/http/uploads.ts';
import { translator } from '../../platform/i18n/i18n.ts';
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
import { renderCvPdf } from '../adapters/cv-pdf.ts';
import {
  CEFR_LEVELS,
  CEFR_SKILLS,
  type CvDocument,
  type CvIssue,
  DIGCOMP_AREAS,
  LICENCE_CODES,
  LIMITS,
  MONTH,
  normaliseDay,
  normaliseMonth,
  normalisePhone,
  normaliseText,
} from '../domain/cv.ts';
import { fromEuropassXml, toEuropassXml } from '../domain/europass.ts';
import {
  type CvUseCaseDeps,
  createOrRefresh,
  getCv,
  importCv,
  type SaveResult,
  updateCv,
} from '../use-cases/cv.ts';
import { dayLabel, gridLine, issueText, languageName, pdfSections, periodLabel } from './cv-format.ts';

/** Sections as they appear in addresses (Italian, like the rest of the citizen's pages). */
const SLUGS = {
  personali: 'personal',
  presentazione: 'about',
  esperienze: 'work',
  istruzione: 'education',
  lingue: 'languages',
  digitali: 'digital',
  competenze: 'skills',
  badge: 'badges',
  patenti: 'licences',
} as const;
type Slug = keyof typeof SLUGS;
const isSlug = (s: string): s is Slug => Object.hasOwn(SLUGS, s);
const slugOf = (section: (typeof SLUGS)[Slug]) =>
  (Object.keys(SLUGS) as Slug[]).find((k) => SLUGS[k] === section) as Slug;

/** Languages offered in the lists (those most declared in CPI caseloads, as in the profile). */
const LANGUAGE_CHOICES = [
  'it',
  'en',
  'fr',
  'de',
  'es',
  'ro',
  'sq',
  'ar',
  'zh',
  'uk',
  'ru',
  'pt',
  'hi',
  'bn',
  'tl',
  'ur',
  'pa',
  'wo',
  'pl',
  'el',
  'nl',
  'tr',
  'sr',
  'hr',
  'bg',
  'fa',
  'so',
  'ti',
  'am',
] as const;

const text = (max: number) =>
  z.string().trim().max(max, 'errors.tooLong').regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');
const required = (max: number) => text(max).min(1, 'errors.required');
const month = z.string().transform(normaliseMonth).pipe(z.string().regex(MONTH, 'cv.errors.month'));
const optionalMonth = z
  .string()
  .default('')
  .transform(normaliseMonth)
  .pipe(z.union([z.literal(''), z.string().regex(MONTH, 'cv.errors.month')]));
const thisMonth = () => new Date().toISOString().slice(0, 7);

const WorkForm = z
  .object({
    title: required(200),
    employer: text(200).default(''),
    place: text(120).default(''),
    from: month,
    to: optionalMonth,
    description: text(4000).default(''),
  })
  .refine((w) => !w.to || w.to >= w.from, { message: 'cv.errors.periodOrder', path: ['to'] })
  .refine((w) => w.from <= thisMonth(), { message: 'cv.errors.future', path: ['from'] });

const EducationForm = z
  .object({
    title: required(200),
    organisation: text(200).default(''),
    eqf: z.enum(['', '1', '2', '3', '4', '5', '6', '7', '8'], { message: 'errors.choose' }).default(''),
    from: optionalMonth,
    to: optionalMonth,
  })
  .refine((e) => !e.to || !e.from || e.to >= e.from, { message: 'cv.errors.periodOrder', path: ['to'] });

const PersonalForm = z.object({
  givenName: required(100),
  familyName: required(100),
  email: z
    .string()
    .trim()
    .max(254, 'errors.tooLong')
    .pipe(z.union([z.literal(''), z.email('cv.errors.email')])),
  phone: z
    .string()
    .default('')
    .transform(normalisePhone)
    .pipe(z.union([z.literal(''), z.string().regex(/^\+?[0-9]{6,15}$/, 'cv.errors.phone')])),
  city: text(100).default(''),
  birthDate: z
    .string()
    .default('')
    .transform(normaliseDay)
    .pipe(
      z.union([
        z.literal(''),
        z.string().refine((d) => {
          const parsed = new Date(`${d}T00:00:00Z`);
          return (
            /^\d{4}-\d{2}-\d{2}$/.test(d) &&
            !Number.isNaN(parsed.getTime()) &&
            parsed.toISOString().slice(0, 10) === d &&
            d > '1900-01-01' &&
            parsed.getTime() < Date.now()
          );
        }, 'cv.errors.date'),
      ]),
    ),
});

const cefrField = z.enum(CEFR_LEVELS, { message: 'errors.choose' });
const OtherLanguageForm = z.object({
  code: z.string().regex(/^[a-z]{2}$/, 'errors.choose'),
  listening: cefrField,
  reading: cefrField,
  spokenProduction: cefrField,
  spokenInteraction: cefrField,
  writing: cefrField,
});

type PageState = { values?: FormValues; errors?: FieldErrors; issues?: string[] };

export function cvRoutes(routes: RouteCatalogue, deps: CvUseCaseDeps): void {
  const citizen = ['citizen'] as const;

  // ------------------------------------------------------------------ overview
  const overview = async (req: FastifyRequest, reply: FastifyReply, state: PageState = {}, status = 200) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const stored = await getCv(deps.db, ctx.user as SessionUser);
    const q = req.query as Record<string, unknown>;
    const notices: Record<string, string> = {
      created: t('cv.notice.created'),
      refreshed: t('cv.notice.refreshed'),
      saved: t('cv.notice.saved'),
      imported: t('cv.notice.imported'),
    };
    const notice = status === 200 && typeof q.ok === 'string' ? notices[q.ok] : undefined;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('cv.title')}>
        <h1>{t('cv.title')}</h1>
        {notice && <Notice kind="success">{notice}</Notice>}
        {state.issues && <IssueList ctx={ctx} issues={state.issues} />}
        {!stored ? (
          <>
            <p>{t('cv.intro')}</p>
            <form method="post" action="/cv/crea">
              <CsrfField ctx={ctx} />
              <button type="submit" class="btn btn-primary">
                {t('cv.create')}
              </button>
            </form>
            <p class="mt-4">
              <a href="/cv/importa">{t('cv.importLink')}</a>
            </p>
          </>
        ) : (
          <>
            <p>
              {t('cv.updated', { date: dayLabel(stored.updatedAt.toISOString().slice(0, 10), ctx.lang) })}
            </p>
            <h2 class="h4">{t('cv.downloads')}</h2>
            <ul>
              <li>
                <a href="/cv/cv.pdf" download="cv.pdf">
                  {t('cv.downloadPdf')}
                </a>
              </li>
              <li>
                <a href="/cv/europass.xml" download="cv-europass.xml">
                  {t('cv.downloadXml')}
                </a>
              </li>
              <li>
                <a href="/cv/cv.json" download="cv.json">
                  {t('cv.downloadJson')}
                </a>
              </li>
            </ul>
            <form method="post" action="/cv/crea" class="mb-4">
              <CsrfField ctx={ctx} />
              <p>{t('cv.refreshHint')}</p>
              <button type="submit" class="btn btn-outline-primary">
                {t('cv.refresh')}
              </button>
            </form>
            <p>
              <a href="/cv/importa">{t('cv.importLink')}</a>
            </p>
            <CvSummary ctx={ctx} cv={stored.cv} />
          </>
        )}
      </Layout>,
      status,
    );
  };

  routes.get('/cv', citizen, async (req, reply) => overview(req, reply), true);

  routes.post('/cv/crea', citizen, async (req, reply) => {
    const user = req.ctx.user as SessionUser;
    const r = await createOrRefresh(deps, user, req.ctx.lang, req.ctx.t);
    return reply.redirect(`/cv?ok=${r}`, 303);
  });

  // ------------------------------------------------------------------ sections
  const sectionPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    slug: Slug,
    state: PageState = {},
    status = 200,
  ) => {
    const ctx = req.ctx;
    const stored = await getCv(deps.db, ctx.user as SessionUser);
    if (!stored) return reply.redirect('/cv', 303);
    const section = SLUGS[slug];
    const title = ctx.t(`cv.sections.${section}`);
    const q = req.query as Record<string, unknown>;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <p>
          <a href="/cv">{ctx.t('cv.back')}</a>
        </p>
        <h1>{title}</h1>
        {status === 200 && q.ok === 'saved' && <Notice kind="success">{ctx.t('cv.notice.saved')}</Notice>}
        <ErrorSummary ctx={ctx} errors={state.errors ?? {}} />
        {state.issues && <IssueList ctx={ctx} issues={state.issues} />}
        <SectionForms
          ctx={ctx}
          slug={slug}
          cv={stored.cv}
          values={state.values ?? {}}
          errors={state.errors ?? {}}
        />
      </Layout>,
      status,
    );
  };

  routes.get(
    '/cv/sezione/:slug',
    citizen,
    async (req, reply) => {
      const { slug } = req.params as { slug: string };
      if (!isSlug(slug)) return reply.callNotFound();
      return sectionPage(req, reply, slug);
    },
    true,
  );

  routes.post('/cv/sezione/:slug', citizen, async (req, reply) => {
    const { slug } = req.params as { slug: string };
    if (!isSlug(slug)) return reply.callNotFound();
    const ctx = req.ctx;
    const user = ctx.user as SessionUser;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : 'save';
    const done = async (r: SaveResult | null, values: FormValues = {}) => {
      if (r === null) return reply.redirect('/cv', 303);
      if (!r.ok)
        return sectionPage(
          req,
          reply,
          slug,
          { values, issues: r.issues.map((i) => issueText(ctx.t, i)) },
          400,
        );
      return reply.redirect(`/cv/sezione/${slug}?ok=saved`, 303);
    };
    const invalid = (values: FormValues, errors: FieldErrors) =>
      sectionPage(req, reply, slug, { values, errors }, 400);
    const tooMany = (values: FormValues, field: string) =>
      invalid(values, { [field]: ctx.t('cv.errors.tooMany') });
    const removeIndex = (prefix: string) => {
      const m = new RegExp(`^${prefix}-(\\d{1,3})$`).exec(action);
      return m ? Number(m[1]) : null;
    };
    const removeAt = <T,>(list: T[], i: number | null) =>
      i === null ? list : list.filter((_, j) => j !== i);

    switch (SLUGS[slug]) {
      case 'personal': {
        const form = parseForm(PersonalForm, body, ctx.t);
        if (!form.ok) return invalid(form.values, form.errors);
        return done(await updateCv(deps, user, (cv) => ({ ...cv, personal: form.data })), form.values);
      }
      case 'about': {
        const form = parseForm(z.object({ about: text(3000).default('') }), body, ctx.t);
        if (!form.ok) return invalid(form.values, form.errors);
        return done(await updateCv(deps, user, (cv) => ({ ...cv, about: normaliseText(form.data.about) })));
      }
      case 'work': {
        if (action.startsWith('remove-'))
          return done(
            await updateCv(deps, user, (cv) => ({ ...cv, work: removeAt(cv.work, removeIndex('remove')) })),
          );
        const form = parseForm(WorkForm, body, ctx.t);
        if (!form.ok) return invalid(form.values, form.errors);
        const current = await getCv(deps.db, user);
        if (current && current.cv.work.length >= LIMITS.work) return tooMany(form.values, 'title');
        const w = form.data;
        const esco = await deps.db
          .selectFrom('esco_occupations')
          .select('uri')
          .where((eb) =>
            eb.or([
              eb(eb.fn('lower', ['label_it']), '=', w.title.toLowerCase()),
              eb(eb.fn('lower', ['label_en']), '=', w.title.toLowerCase()),
            ]),
          )
          .limit(1)
          .executeTakeFirst();
        const entry = {
          title: w.title,
          employer: w.employer,
          place: w.place,
          from: w.from,
          to: w.to || null,
          description: normaliseText(w.description),
          occupationUri: esco?.uri ?? null,
        };
        return done(
          await updateCv(deps, user, (cv) => ({
            ...cv,
            work: [...cv.work, entry].sort((a, b) => b.from.localeCompare(a.from)),
          })),
          form.values,
        );
      }
      case 'education': {
        if (action.startsWith('remove-'))
          return done(
            await updateCv(deps, user, (cv) => ({
              ...cv,
              education: removeAt(cv.education, removeIndex('remove')),
            })),
          );
        const form = parseForm(EducationForm, body, ctx.t);
        if (!form.ok) return invalid(form.values, form.errors);
        const current = await getCv(deps.db, user);
        if (current && current.cv.education.length >= LIMITS.education) return tooMany(form.values, 'title');
        const e = form.data;
        const entry = {
          title: e.title,
          organisation: e.organisation,
          eqf: e.eqf ? Number(e.eqf) : null,
          from: e.from || null,
          to: e.to || null,
        };
        return done(
          await updateCv(deps, user, (cv) => ({ ...cv, education: [...cv.education, entry] })),
          form.values,
        );
      }
      case 'languages': {
        if (action.startsWith('remove-mother-'))
          return done(
            await updateCv(deps, user, (cv) => ({
              ...cv,
              languages: {
                ...cv.languages,
                mother: removeAt(cv.languages.mother, removeIndex('remove-mother')),
              },
            })),
          );
        if (action.startsWith('remove-other-'))
          return done(
            await updateCv(deps, user, (cv) => ({
              ...cv,
              languages: {
                ...cv.languages,
                others: removeAt(cv.languages.others, removeIndex('remove-other')),
              },
            })),
          );
        const current = (await getCv(deps.db, user))?.cv;
        if (!current) return reply.redirect('/cv', 303);
        if (action === 'add-mother') {
          const form = parseForm(
            z.object({ mother: z.enum(LANGUAGE_CHOICES, { message: 'errors.choose' }) }),
            body,
            ctx.t,
          );
          if (!form.ok) return invalid(form.values, form.errors);
          const code = form.data.mother;
          if (
            current.languages.mother.includes(code) ||
            current.languages.others.some((o) => o.code === code)
          )
            return invalid(form.values, { mother: ctx.t('cv.errors.languageTwice') });
          if (current.languages.mother.length >= LIMITS.motherTongues) return tooMany(form.values, 'mother');
          return done(
            await updateCv(deps, user, (cv) => ({
              ...cv,
              languages: { ...cv.languages, mother: [...cv.languages.mother, code] },
            })),
            form.values,
          );
        }
        const form = parseForm(OtherLanguageForm, body, ctx.t);
        if (!form.ok) return invalid(form.values, form.errors);
        const l = form.data;
        if (
          current.languages.mother.includes(l.code) ||
          current.languages.others.some((o) => o.code === l.code)
        )
          return invalid(form.values, { code: ctx.t('cv.errors.languageTwice') });
        if (current.languages.others.length >= LIMITS.languages) return tooMany(form.values, 'code');
        return done(
          await updateCv(deps, user, (cv) => ({
            ...cv,
            languages: { ...cv.languages, others: [...cv.languages.others, l] },
          })),
          form.values,
        );
      }
      case 'digital': {
        if (action.startsWith('remove-'))
          return done(
            await updateCv(deps, user, (cv) => ({
              ...cv,
              digital: { ...cv.digital, items: removeAt(cv.digital.items, removeIndex('remove')) },
            })),
          );
        const form = parseForm(z.object({ item: required(100) }), body, ctx.t);
        if (!form.ok) return invalid(form.values, form.errors);
        const current = (await getCv(deps.db, user))?.cv;
        if (!current) return reply.redirect('/cv', 303);
        const item = form.data.item;
        if (current.digital.items.some((i) => i.trim().toLowerCase() === item.toLowerCase()))
          return invalid(form.values, { item: ctx.t('cv.errors.duplicate') });
        if (current.digital.items.length >= LIMITS.digitalItems) return tooMany(form.values, 'item');
        return done(
          await updateCv(deps, user, (cv) => ({
            ...cv,
            digital: { ...cv.digital, items: [...cv.digital.items, item] },
          })),
          form.values,
        );
      }
      case 'skills': {
        if (action.startsWith('remove-'))
          return done(
            await updateCv(deps, user, (cv) => ({
              ...cv,
              skills: removeAt(cv.skills, removeIndex('remove')),
            })),
          );
        const form = parseForm(z.object({ label: required(200) }), body, ctx.t);
        if (!form.ok) return invalid(form.values, form.errors);
        const current = (await getCv(deps.db, user))?.cv;
        if (!current) return reply.redirect('/cv', 303);
        if (current.skills.length >= LIMITS.skills) return tooMany(form.values, 'label');
        const skill = { uri: null, label: form.data.label, level: null, validated: false };
        return done(
          await updateCv(deps, user, (cv) => ({ ...cv, skills: [...cv.skills, skill] })),
          form.values,
        );
      }
      case 'badges': {
        return done(
          await updateCv(deps, user, (cv) => ({ ...cv, badges: removeAt(cv.badges, removeIndex('remove')) })),
        );
      }
      case 'licences': {
        const chosen = formArray(body, 'licences', 20);
        const valid = chosen.filter((c): c is (typeof LICENCE_CODES)[number] =>
          (LICENCE_CODES as readonly string[]).includes(c),
        );
        if (valid.length !== chosen.length) return invalid({}, { licences: ctx.t('errors.choose') });
        const ordered = LICENCE_CODES.filter((c) => valid.includes(c));
        return done(await updateCv(deps, user, (cv) => ({ ...cv, drivingLicences: ordered })));
      }
    }
  });

  // ------------------------------------------------------------------ downloads
  const attachment = (reply: FastifyReply, type: string, name: string, content: string | Buffer) =>
    reply
      .header('Content-Type', type)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Disposition', `attachment; filename="${name}"`)
      .send(content);

  routes.get(
    '/cv/cv.pdf',
    citizen,
    async (req, reply) => {
      const stored = await getCv(deps.db, req.ctx.user as SessionUser);
      if (!stored) return reply.redirect('/cv', 303);
      // The PDF's fonts cover Latin scripts: an Arabic interface gets an Italian CV (for employers in Italy).
      const lang = req.ctx.lang === 'en' ? 'en' : 'it';
      const t = translator(lang);
      const p = stored.cv.personal;
      const pdf = await renderCvPdf({
        lang: lang === 'en' ? 'en-GB' : 'it-IT',
        title: `${p.givenName} ${p.familyName}`,
        author: `${p.givenName} ${p.familyName}`,
        sections: pdfSections(t, lang, stored.cv),
      });
      return attachment(reply, 'application/pdf', 'cv.pdf', pdf);
    },
    true,
  );

  routes.get(
    '/cv/europass.xml',
    citizen,
    async (req, reply) => {
      const stored = await getCv(deps.db, req.ctx.user as SessionUser);
      if (!stored) return reply.redirect('/cv', 303);
      const xml = toEuropassXml(stored.cv, {
        documentId: stored.id,
        lang: req.ctx.lang === 'en' ? 'en' : 'it',
        supplier: 'Sportello Lavoro',
      });
      return attachment(reply, 'application/xml; charset=utf-8', 'cv-europass.xml', xml);
    },
    true,
  );

  routes.get(
    '/cv/cv.json',
    citizen,
    async (req, reply) => {
      const stored = await getCv(deps.db, req.ctx.user as SessionUser);
      if (!stored) return reply.redirect('/cv', 303);
      const json = JSON.stringify(
        {
          format: 'sportello-lavoro-cv',
          version: stored.version,
          updatedAt: stored.updatedAt,
          cv: stored.cv,
        },
        null,
        2,
      );
      return attachment(reply, 'application/json; charset=utf-8', 'cv.json', json);
    },
    true,
  );

  // ------------------------------------------------------------------ import
  const importPage = (req: FastifyRequest, reply: FastifyReply, state: PageState = {}, status = 200) => {
    const ctx = req.ctx;
    const { t } = ctx;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('cv.import.title')}>
        <p>
          <a href="/cv">{t('cv.back')}</a>
        </p>
        <h1>{t('cv.import.title')}</h1>
        <p>{t('cv.import.intro')}</p>
        <p>{t('cv.import.trust')}</p>
        <ErrorSummary ctx={ctx} errors={state.errors ?? {}} />
        {state.issues && <IssueList ctx={ctx} issues={state.issues} />}
        <form method="post" action="/cv/importa" enctype="multipart/form-data">
          <CsrfField ctx={ctx} />
          <label class="sl-label" for="file">
            {t('cv.import.file')}
          </label>
          <input
            type="file"
            id="file"
            name="file"
            accept=".xml,application/xml,text/xml"
            aria-describedby={state.errors?.file ? 'file-hint file-error' : 'file-hint'}
            aria-invalid={state.errors?.file ? 'true' : undefined}
          />
          <small id="file-hint" class="form-text d-block">
            {t('cv.import.fileHint')}
          </small>
          {state.errors?.file && (
            <div id="file-error" class="sl-field-error">
              {state.errors.file}
            </div>
          )}
          <p>
            <button type="submit" class="btn btn-primary mt-4">
              {t('cv.import.submit')}
            </button>
          </p>
        </form>
      </Layout>,
      status,
    );
  };

  routes.get('/cv/importa', citizen, async (req, reply) => importPage(req, reply), true);

  routes.post('/cv/importa', citizen, async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const user = ctx.user as SessionUser;
    const refuse = (message: string, issues?: string[]) =>
      importPage(
        req,
        reply,
        issues ? { errors: { file: message }, issues } : { errors: { file: message } },
        400,
      );
    const { files } = await readMultipart(req.body);
    const file = files.find((f) => f.field === 'file');
    if (!file || file.data.length === 0) return refuse(t('cv.import.errors.missing'));
    if (file.truncated) return refuse(t('cv.import.errors.tooLarge', { mb: 2 }));
    const parsed = fromEuropassXml(file.data);
    if (!parsed.ok) {
      if (parsed.error.kind === 'file') return refuse(t(parsed.error.key, parsed.error.params));
      const issues = parsed.error.issues.map((i) => issueText(t, i));
      return refuse(t('cv.import.errors.invalid'), issues);
    }
    const saved = await importCv(deps, user, parsed.cv, ctx.lang);
    if (!saved.ok)
      return refuse(
        t('cv.import.errors.invalid'),
        saved.issues.map((i: CvIssue) => issueText(t, i)),
      );
    return reply.redirect('/cv?ok=imported', 303);
  });
}

// ---------------------------------------------------------------------- views

function IssueList({ ctx, issues }: { ctx: RequestContext; issues: string[] }) {
  return (
    <div class="alert alert-danger" role="alert">
      <h2 class="h5">{ctx.t('cv.issue.title')}</h2>
      <ul class="mb-0">
        {issues.map((i) => (
          <li>{i}</li>
        ))}
      </ul>
    </div>
  );
}

function SectionBlock({
  ctx,
  section,
  children,
}: {
  ctx: RequestContext;
  section: (typeof SLUGS)[Slug];
  children: ComponentChildren;
}) {
  const title = ctx.t(`cv.sections.${section}`);
  return (
    <section class="mb-4">
      <h2 class="h4">{title}</h2>
      {children}
      <p>
        <a href={`/cv/sezione/${slugOf(section)}`}>
          {ctx.t('cv.edit')}
          <span class="visually-hidden">{` ${title}`}</span>
        </a>
      </p>
    </section>
  );
}

const Empty = ({ ctx }: { ctx: RequestContext }) => <p>{ctx.t('cv.empty')}</p>;

function CvSummary({ ctx, cv }: { ctx: RequestContext; cv: CvDocument }) {
  const { t, lang } = ctx;
  const p = cv.personal;
  return (
    <>
      <SectionBlock ctx={ctx} section="personal">
        <dl class="sl-dl">
          <dt>{t('cv.fields.name')}</dt>
          <dd>{`${p.givenName} ${p.familyName}`}</dd>
          <dt>{t('cv.fields.email')}</dt>
          <dd>{p.email || '—'}</dd>
          <dt>{t('cv.fields.phone')}</dt>
          <dd>{p.phone || '—'}</dd>
          <dt>{t('cv.fields.city')}</dt>
          <dd>{p.city || '—'}</dd>
          <dt>{t('cv.fields.birthDate')}</dt>
          <dd>{p.birthDate ? dayLabel(p.birthDate, lang) : '—'}</dd>
        </dl>
      </SectionBlock>
      <SectionBlock ctx={ctx} section="about">
        {cv.about ? cv.about.split('\n').map((l) => <p>{l}</p>) : <Empty ctx={ctx} />}
      </SectionBlock>
      <SectionBlock ctx={ctx} section="work">
        {cv.work.length ? (
          <ul>
            {cv.work.map((w) => (
              <li>{[w.title, w.employer, periodLabel(t, lang, w.from, w.to)].filter(Boolean).join(' — ')}</li>
            ))}
          </ul>
        ) : (
          <Empty ctx={ctx} />
        )}
      </SectionBlock>
      <SectionBlock ctx={ctx} section="education">
        {cv.education.length ? (
          <ul>
            {cv.education.map((e) => (
              <li>
                {[e.title, e.organisation, e.eqf !== null ? t('cv.eqf', { level: e.eqf }) : '']
                  .filter(Boolean)
                  .join(' — ')}
              </li>
            ))}
          </ul>
        ) : (
          <Empty ctx={ctx} />
        )}
      </SectionBlock>
      <SectionBlock ctx={ctx} section="languages">
        {cv.languages.mother.length + cv.languages.others.length ? (
          <ul>
            {cv.languages.mother.length > 0 && (
              <li>{`${t('cv.fields.mother')}: ${cv.languages.mother.map((c) => languageName(c, lang)).join(', ')}`}</li>
            )}
            {cv.languages.others.map((l) => (
              <li>{`${languageName(l.code, lang)}: ${gridLine(t, l)}`}</li>
            ))}
          </ul>
        ) : (
          <Empty ctx={ctx} />
        )}
      </SectionBlock>
      <SectionBlock ctx={ctx} section="digital">
        {cv.digital.areas.length + cv.digital.items.length ? (
          <ul>
            {cv.digital.areas.map((a) => (
              <li>{`${t(`cv.areas.${a.area}`)}: ${t(`cv.digitalLevels.${a.level}`)}`}</li>
            ))}
            {cv.digital.items.map((i) => (
              <li>{i}</li>
            ))}
          </ul>
        ) : (
          <Empty ctx={ctx} />
        )}
      </SectionBlock>
      <SectionBlock ctx={ctx} section="skills">
        {cv.skills.length ? (
          <ul>
            {cv.skills.map((s) => (
              <li>{s.validated ? `${s.label} — ${t('cv.validated')}` : s.label}</li>
            ))}
          </ul>
        ) : (
          <Empty ctx={ctx} />
        )}
      </SectionBlock>
      <SectionBlock ctx={ctx} section="badges">
        {cv.badges.length ? (
          <ul>
            {cv.badges.map((b) => (
              <li>
                {`${b.name} — ${t('cv.badgeIssued', { date: dayLabel(b.issuedAt, lang) })} `}
                <a href={b.verifyUrl}>
                  {t('cv.badgeVerify')}
                  <span class="visually-hidden">{` ${b.name}`}</span>
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <Empty ctx={ctx} />
        )}
      </SectionBlock>
      <SectionBlock ctx={ctx} section="licences">
        {cv.drivingLicences.length ? <p>{cv.drivingLicences.join(', ')}</p> : <Empty ctx={ctx} />}
      </SectionBlock>
    </>
  );
}

/** A table of entries, each with its own "Remove" button (one form, the button's value says which). */
function RemovableList({
  ctx,
  slug,
  caption,
  rows,
  prefix = 'remove',
}: {
  ctx: RequestContext;
  slug: Slug;
  caption: string;
  rows: { label: string; detail?: string }[];
  prefix?: string;
}) {
  if (rows.length === 0) return <p>{ctx.t('cv.empty')}</p>;
  return (
    <form method="post" action={`/cv/sezione/${slug}`}>
      <CsrfField ctx={ctx} />
      <div class="table-responsive">
        <table class="table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{ctx.t('cv.entry')}</th>
              <th scope="col">{ctx.t('cv.details')}</th>
              <th scope="col">
                <span class="visually-hidden">{ctx.t('cv.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr>
                <th scope="row">{r.label}</th>
                <td>{r.detail ?? ''}</td>
                <td>
                  <button
                    type="submit"
                    name="action"
                    value={`${prefix}-${i}`}
                    class="btn btn-outline-primary btn-sm"
                  >
                    {ctx.t('cv.remove')}
                    <span class="visually-hidden">{` ${r.label}`}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </form>
  );
}

function AddForm({
  ctx,
  slug,
  legend,
  action = 'add',
  children,
}: {
  ctx: RequestContext;
  slug: Slug;
  legend: string;
  action?: string;
  children: ComponentChildren;
}) {
  return (
    <form method="post" action={`/cv/sezione/${slug}`} novalidate class="mt-4">
      <CsrfField ctx={ctx} />
      <fieldset class="mb-3">
        <legend class="h5">{legend}</legend>
        {children}
      </fieldset>
      <button type="submit" name="action" value={action} class="btn btn-primary">
        {legend}
      </button>
    </form>
  );
}

function SectionForms({
  ctx,
  slug,
  cv,
  values,
  errors,
}: {
  ctx: RequestContext;
  slug: Slug;
  cv: CvDocument;
  values: FormValues;
  errors: FieldErrors;
}) {
  const { t, lang } = ctx;
  const monthHint = t('cv.monthHint');
  switch (SLUGS[slug]) {
    case 'personal': {
      const p = cv.personal;
      const v = { ...p, ...values };
      return (
        <form method="post" action="/cv/sezione/personali" novalidate>
          <CsrfField ctx={ctx} />
          <TextField
            name="givenName"
            label={t('cv.fields.givenName')}
            values={v}
            errors={errors}
            autocomplete="given-name"
            maxLength={100}
          />
          <TextField
            name="familyName"
            label={t('cv.fields.familyName')}
            values={v}
            errors={errors}
            autocomplete="family-name"
            maxLength={100}
          />
          <TextField
            name="email"
            type="email"
            label={t('cv.fields.email')}
            values={v}
            errors={errors}
            autocomplete="email"
          />
          <TextField
            name="phone"
            type="tel"
            label={t('cv.fields.phone')}
            values={v}
            errors={errors}
            autocomplete="tel"
          />
          <TextField name="city" label={t('cv.fields.city')} values={v} errors={errors} maxLength={100} />
          <TextField
            name="birthDate"
            label={t('cv.fields.birthDate')}
            hint={t('cv.dayHint')}
            values={{
              ...v,
              birthDate: values.birthDate ?? (p.birthDate ? p.birthDate.split('-').reverse().join('/') : ''),
            }}
            errors={errors}
            autocomplete="bday"
          />
          <button type="submit" name="action" value="save" class="btn btn-primary">
            {t('cv.save')}
          </button>
        </form>
      );
    }
    case 'about':
      return (
        <form method="post" action="/cv/sezione/presentazione" novalidate>
          <CsrfField ctx={ctx} />
          <TextArea
            name="about"
            label={t('cv.fields.about')}
            hint={t('cv.aboutHint')}
            values={{ about: cv.about, ...values }}
            errors={errors}
            rows={8}
            maxLength={3000}
          />
          <button type="submit" name="action" value="save" class="btn btn-primary">
            {t('cv.save')}
          </button>
        </form>
      );
    case 'work':
      return (
        <>
          <RemovableList
            ctx={ctx}
            slug={slug}
            caption={t('cv.sections.work')}
            rows={cv.work.map((w) => ({
              label: w.employer ? `${w.title} — ${w.employer}` : w.title,
              detail: [periodLabel(t, lang, w.from, w.to), w.place].filter(Boolean).join(' · '),
            }))}
          />
          <AddForm ctx={ctx} slug={slug} legend={t('cv.addWork')}>
            <TextField
              name="title"
              label={t('cv.fields.title')}
              hint={t('cv.titleHint')}
              values={values}
              errors={errors}
              maxLength={200}
            />
            <TextField
              name="employer"
              label={t('cv.fields.employer')}
              values={values}
              errors={errors}
              maxLength={200}
            />
            <TextField
              name="place"
              label={t('cv.fields.place')}
              values={values}
              errors={errors}
              maxLength={120}
            />
            <TextField
              name="from"
              label={t('cv.fields.from')}
              hint={monthHint}
              values={values}
              errors={errors}
            />
            <TextField
              name="to"
              label={t('cv.fields.to')}
              hint={t('cv.toHint')}
              values={values}
              errors={errors}
            />
            <TextArea
              name="description"
              label={t('cv.fields.description')}
              values={values}
              errors={errors}
              rows={4}
              maxLength={4000}
            />
          </AddForm>
        </>
      );
    case 'education':
      return (
        <>
          <RemovableList
            ctx={ctx}
            slug={slug}
            caption={t('cv.sections.education')}
            rows={cv.education.map((e) => ({
              label: e.title,
              detail: [
                e.organisation,
                e.eqf !== null ? t('cv.eqf', { level: e.eqf }) : '',
                periodLabel(t, lang, e.from, e.to),
              ]
                .filter(Boolean)
                .join(' · '),
            }))}
          />
          <AddForm ctx={ctx} slug={slug} legend={t('cv.addEducation')}>
            <TextField
              name="title"
              label={t('cv.fields.title')}
              values={values}
              errors={errors}
              maxLength={200}
            />
            <TextField
              name="organisation"
              label={t('cv.fields.organisation')}
              values={values}
              errors={errors}
              maxLength={200}
            />
            <SelectField
              name="eqf"
              label={t('cv.fields.eqf')}
              hint={t('cv.eqfHint')}
              values={values}
              errors={errors}
              options={[
                { value: '', label: t('cv.eqfUnknown') },
                ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
                  value: String(n),
                  label: t('cv.eqf', { level: n }),
                })),
              ]}
            />
            <TextField
              name="from"
              label={t('cv.fields.from')}
              hint={monthHint}
              values={values}
              errors={errors}
            />
            <TextField
              name="to"
              label={t('cv.fields.to')}
              hint={t('cv.toHint')}
              values={values}
              errors={errors}
            />
          </AddForm>
        </>
      );
    case 'languages': {
      const choices = LANGUAGE_CHOICES.map((c) => ({ value: c, label: languageName(c, lang) })).sort((a, b) =>
        a.label.localeCompare(b.label, lang),
      );
      const cefrOptions = [
        { value: '', label: t('form.choose') },
        ...CEFR_LEVELS.map((l) => ({ value: l, label: `${l} — ${t(`cv.cefrLevels.${l}`)}` })),
      ];
      return (
        <>
          <h2 class="h4">{t('cv.fields.mother')}</h2>
          <RemovableList
            ctx={ctx}
            slug={slug}
            prefix="remove-mother"
            caption={t('cv.fields.mother')}
            rows={cv.languages.mother.map((c) => ({ label: languageName(c, lang) }))}
          />
          <AddForm ctx={ctx} slug={slug} legend={t('cv.addMother')} action="add-mother">
            <SelectField
              name="mother"
              label={t('cv.fields.language')}
              values={values}
              errors={errors}
              options={[{ value: '', label: t('form.choose') }, ...choices]}
            />
          </AddForm>
          <h2 class="h4 mt-4">{t('cv.fields.others')}</h2>
          <p>{t('cv.gridHint')}</p>
          <RemovableList
            ctx={ctx}
            slug={slug}
            prefix="remove-other"
            caption={t('cv.fields.others')}
            rows={cv.languages.others.map((l) => ({
              label: languageName(l.code, lang),
              detail: gridLine(t, l),
            }))}
          />
          <AddForm ctx={ctx} slug={slug} legend={t('cv.addLanguage')} action="add-other">
            <SelectField
              name="code"
              label={t('cv.fields.language')}
              values={values}
              errors={errors}
              options={[{ value: '', label: t('form.choose') }, ...choices]}
            />
            {CEFR_SKILLS.map((s) => (
              <SelectField
                name={s}
                label={t(`cv.cefr.${s}`)}
                values={values}
                errors={errors}
                options={cefrOptions}
              />
            ))}
          </AddForm>
        </>
      );
    }
    case 'digital':
      return (
        <>
          <h2 class="h4">{t('cv.digitalCheck')}</h2>
          {cv.digital.areas.length ? (
            <div class="table-responsive">
              <table class="table">
                <caption>{t('cv.digitalCheckCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('cv.fields.area')}</th>
                    <th scope="col">{t('cv.digitalLevel')}</th>
                  </tr>
                </thead>
                <tbody>
                  {DIGCOMP_AREAS.filter((a) => cv.digital.areas.some((x) => x.area === a)).map((a) => (
                    <tr>
                      <th scope="row">{t(`cv.areas.${a}`)}</th>
                      <td>
                        {t(`cv.digitalLevels.${cv.digital.areas.find((x) => x.area === a)?.level ?? 0}`)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>
              {t('cv.noDigitalCheck')} <a href="/profilo/competenze-digitali">{t('cv.takeDigitalCheck')}</a>
            </p>
          )}
          <h2 class="h4 mt-4">{t('cv.digitalItems')}</h2>
          <RemovableList
            ctx={ctx}
            slug={slug}
            caption={t('cv.digitalItems')}
            rows={cv.digital.items.map((i) => ({ label: i }))}
          />
          <AddForm ctx={ctx} slug={slug} legend={t('cv.addDigital')}>
            <TextField
              name="item"
              label={t('cv.fields.item')}
              hint={t('cv.itemHint')}
              values={values}
              errors={errors}
              maxLength={100}
            />
          </AddForm>
        </>
      );
    case 'skills':
      return (
        <>
          <p>{t('cv.skillsHint')}</p>
          <RemovableList
            ctx={ctx}
            slug={slug}
            caption={t('cv.sections.skills')}
            rows={cv.skills.map((s) => ({
              label: s.label,
              detail: s.validated ? t('cv.validated') : t('cv.declared'),
            }))}
          />
          <AddForm ctx={ctx} slug={slug} legend={t('cv.addSkill')}>
            <TextField
              name="label"
              label={t('cv.fields.label')}
              values={values}
              errors={errors}
              maxLength={200}
            />
          </AddForm>
        </>
      );
    case 'badges':
      return (
        <>
          <p>{t('cv.badgesHint')}</p>
          <RemovableList
            ctx={ctx}
            slug={slug}
            caption={t('cv.sections.badges')}
            rows={cv.badges.map((b) => ({
              label: b.name,
              detail: `${t('cv.badgeIssued', { date: dayLabel(b.issuedAt, lang) })} · ${b.verifyUrl}`,
            }))}
          />
        </>
      );
    case 'licences':
      return (
        <form method="post" action="/cv/sezione/patenti">
          <CsrfField ctx={ctx} />
          <fieldset class="mb-4">
            <legend class="sl-label">{t('cv.fields.licences')}</legend>
            {LICENCE_CODES.map((c, i) => {
              const id = i === 0 ? 'licences' : `licences-${c}`;
              return (
                <div class="form-check">
                  <input
                    class="form-check-input"
                    type="checkbox"
                    name="licences"
                    id={id}
                    value={c}
                    checked={cv.drivingLicences.includes(c)}
                  />
                  <label class="form-check-label" for={id}>
                    {c}
                  </label>
                </div>
              );
            })}
            {errors.licences && <div class="sl-field-error">{errors.licences}</div>}
          </fieldset>
          <button type="submit" name="action" value="save" class="btn btn-primary">
            {t('cv.save')}
          </button>
        </form>
      );
  }
}
