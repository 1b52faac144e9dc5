import type { VNode } from 'preact';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { asset } from '../../platform/ui/assets.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';

/** Home page: what the service offers, and for a signed-in person what their role can do. */
function HomePage({ ctx, panel }: { ctx: RequestContext; panel?: VNode | null }) {
  const { t, user } = ctx;
  if (!user) {
    return (
      <Layout ctx={ctx} title={t('home.title')}>
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.intro')}</p>
        <p>
          <a class="btn btn-primary" href="/accedi">
            {t('shell.signIn')}
          </a>
        </p>
        <h2 class="h4 mt-5">{t('home.whatHeading')}</h2>
        <ul>
          <li>{t('home.what1')}</li>
          <li>{t('home.what2')}</li>
          <li>{t('home.what3')}</li>
          <li>{t('home.what4')}</li>
        </ul>
        <h2 class="h4 mt-4">{t('home.humanHeading')}</h2>
        <p>{t('home.human')}</p>
      </Layout>
    );
  }
  const role = user.role;
  return (
    <Layout ctx={ctx} title={t(`home.${role}.title`)}>
      <h1>{t(`home.${role}.title`)}</h1>
      <p class="lead">{t('home.welcome', { name: user.givenName })}</p>
      {user.isMinor && (
        <div class="alert alert-info" role="note">
          {t('home.minorNotice')}
        </div>
      )}
      <p>{t(`home.${role}.intro`)}</p>
      {panel}
      <ul class="list-group mb-4">
        {homeLinks(role).map((l) => (
          <li class="list-group-item">
            <a href={l.href}>{t(l.key)}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function homeLinks(role: string): { href: string; key: string }[] {
  switch (role) {
    case 'citizen':
      return [
        { href: '/profilo', key: 'nav.profile' },
        { href: '/i-miei-dati', key: 'nav.myData' },
        { href: '/aiuto', key: 'shell.needHelp' },
        { href: '/account/sicurezza', key: 'nav.security' },
      ];
    case 'cpi_operator':
    case 'apl_operator':
      return [
        { href: '/operatore/richieste-aiuto', key: 'nav.helpRequests' },
        { href: '/operatore/persone', key: 'nav.people' },
        { href: '/account/sicurezza', key: 'nav.security' },
      ];
    case 'admin':
      return [
        { href: '/admin/utenti', key: 'nav.users' },
        { href: '/account/sicurezza', key: 'nav.security' },
      ];
    default:
      return [{ href: '/account/sicurezza', key: 'nav.security' }];
  }
}

const FeedbackForm = z.object({
  page_url: z
    .string()
    .trim()
    .max(500, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
    .default(''),
  message: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(4000, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
  contact: z
    .string()
    .trim()
    .max(200, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
    .default(''),
});

function AccessibilityPage({
  ctx,
  values = {},
  errors = {},
  sent = false,
}: {
  ctx: RequestContext;
  values?: FormValues;
  errors?: FieldErrors;
  sent?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('a11y.title')}>
      <h1>{t('a11y.title')}</h1>
      <p>{t('a11y.intro')}</p>
      <h2 class="h4">{t('a11y.statusHeading')}</h2>
      <p>{t('a11y.status')}</p>
      <h2 class="h4">{t('a11y.limitsHeading')}</h2>
      <p>{t('a11y.limits')}</p>
      <h2 class="h4">{t('a11y.howHeading')}</h2>
      <p>{t('a11y.how')}</p>
      <h2 class="h4" id="feedback">
        {t('a11y.feedbackHeading')}
      </h2>
      {sent && <Notice kind="success">{t('a11y.feedbackSent')}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/accessibilita" novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          name="page_url"
          label={t('a11y.pageUrl')}
          hint={t('a11y.pageUrlHint')}
          values={values}
          errors={errors}
          maxLength={500}
        />
        <TextArea name="message" label={t('a11y.message')} values={values} errors={errors} maxLength={4000} />
        <TextField
          name="contact"
          label={t('a11y.contact')}
          hint={t('a11y.contactHint')}
          values={values}
          errors={errors}
          maxLength={200}
        />
        <button type="submit" class="btn btn-primary">
          {t('a11y.submit')}
        </button>
      </form>
      <h2 class="h4 mt-5">{t('a11y.enforcementHeading')}</h2>
      <p>{t('a11y.enforcement')}</p>
    </Layout>
  );
}

function PrivacyPage({ ctx }: { ctx: RequestContext }) {
  const { t } = ctx;
  const sections = [
    'controller',
    'data',
    'purposes',
    'legalBasis',
    'recipients',
    'retention',
    'rights',
    'cookies',
  ];
  return (
    <Layout ctx={ctx} title={t('privacy.title')}>
      <h1>{t('privacy.title')}</h1>
      <p class="lead">{t('privacy.intro', { region: ctx.regionName })}</p>
      {sections.map((s) => (
        <>
          <h2 class="h4">{t(`privacy.${s}Heading`)}</h2>
          <p>{t(`privacy.${s}`)}</p>
        </>
      ))}
    </Layout>
  );
}

export function registerPublicPages(
  routes: RouteCatalogue,
  deps: { db: Db; defaultRegion: string; citizenPanel?: (ctx: RequestContext) => Promise<VNode> },
): void {
  routes.get(
    '/',
    'public',
    async (req, reply) => {
      const panel =
        req.ctx.user?.role === 'citizen' && deps.citizenPanel ? await deps.citizenPanel(req.ctx) : null;
      return sendPage(reply, HomePage({ ctx: req.ctx, panel }));
    },
    false,
  );
  routes.get('/privacy', 'public', async (req, reply) => sendPage(reply, PrivacyPage({ ctx: req.ctx })));
  routes.get('/accessibilita', 'public', async (req, reply) => {
    const sent = (req.query as Record<string, unknown>).ok === 'sent';
    return sendPage(reply, AccessibilityPage({ ctx: req.ctx, sent }));
  });
  routes.post('/accessibilita', 'public', async (req, reply) => {
    const form = parseForm(FeedbackForm, req.body, req.ctx.t);
    if (!form.ok)
      return sendPage(
        reply,
        AccessibilityPage({ ctx: req.ctx, values: form.values, errors: form.errors }),
        400,
      );
    await deps.db
      .insertInto('accessibility_feedback')
      .values({
        region_code: req.ctx.user?.regionCode ?? deps.defaultRegion,
        page_url: form.data.page_url,
        message: form.data.message,
        contact: form.data.contact || null,
      })
      .execute();
    return reply.redirect('/accessibilita?ok=sent#feedback', 303);
  });
}

/** Installable web app: the manifest names the app, its colours and icons. */
export function manifest(lang: string) {
  const it = lang === 'it';
  return {
    name: 'Sportello Lavoro',
    short_name: 'Lavoro',
    description: it
      ? 'Il servizio pubblico per il lavoro della tua Regione'
      : "Your Region's public employment service",
    lang,
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: '#ffffff',
    theme_color: '#0066cc',
    icons: [
      { src: asset('icon-192.png'), sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: asset('icon-512.png'), sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
    ],
  };
}
