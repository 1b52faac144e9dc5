import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { RequestContext } from '../http/context.ts';
import { LANGUAGES } from '../i18n/i18n.ts';
import { ForgetfulMap } from '../memory/bounded-maps.ts';
import { asset } from './assets.ts';

export function Icon({ name, className = '' }: { name: string; className?: string }) {
  return (
    <svg class={`icon ${className}`.trim()} aria-hidden="true" focusable="false">
      <use href={`${asset('sprites.svg')}#${name}`} />
    </svg>
  );
}

/** Links for the signed-in person's role, shown under the header. */
function roleLinks(ctx: RequestContext): { href: string; label: string }[] {
  const { user, t } = ctx;
  if (!user) return [];
  const links = [{ href: '/', label: t('nav.home') }];
  switch (user.role) {
    case 'citizen':
      links.push({ href: '/profilo', label: t('nav.profile') });
      links.push({ href: '/appuntamenti', label: t('nav.appointments') });
      links.push({ href: '/patto', label: t('nav.pact') });
      links.push({ href: '/piano', label: t('nav.plan') });
      links.push({ href: '/obblighi', label: t('nav.obligations') });
      links.push({ href: '/competenze', label: t('nav.skills') });
      links.push({ href: '/corsi/consigliati', label: t('nav.courses') });
      links.push({ href: '/cv', label: t('nav.cv') });
      links.push({ href: '/offerte', label: t('nav.jobs') });
      links.push({ href: '/candidature', label: t('nav.applications') });
      links.push({ href: '/contatti', label: t('nav.contacts') });
      links.push({ href: '/messaggi', label: t('nav.messages') });
      links.push({ href: '/badge', label: t('nav.badges') });
      links.push({ href: '/i-miei-dati', label: t('nav.myData') });
      break;
    case 'cpi_operator':
    case 'apl_operator':
      links.push({ href: '/operatore/agenda', label: t('nav.agenda') });
      if (user.role === 'cpi_operator') {
        links.push({ href: '/operatore/sportello', label: t('nav.frontDesk') });
        links.push({ href: '/operatore/pianificazione', label: t('nav.planning') });
      }
      links.push({ href: '/operatore/richieste-aiuto', label: t('nav.helpRequests') });
      if (user.role === 'cpi_operator') links.push({ href: '/operatore/casi', label: t('nav.caseload') });
      if (user.role === 'apl_operator') links.push({ href: '/apl/persone', label: t('nav.referredPeople') });
      links.push({ href: '/operatore/persone', label: t('nav.people') });
      links.push({ href: '/operatore/messaggi', label: t('nav.messages') });
      links.push({ href: '/operatore/coaching', label: t('nav.coaching') });
      links.push({ href: '/operatore/corsi', label: t('nav.operatorCourses') });
      if (user.role === 'cpi_operator') {
        links.push({ href: '/operatore/condizionalita', label: t('nav.conditionality') });
        links.push({ href: '/operatore/badge', label: t('nav.operatorBadges') });
        links.push({ href: '/operatore/offerte', label: t('nav.moderation') });
        links.push({ href: '/operatore/preselezioni', label: t('nav.shortlists') });
        links.push({ href: '/operatore/recruiting-day', label: t('nav.recruitingDays') });
        links.push({ href: '/operatore/esiti', label: t('nav.outcomes') });
        links.push({ href: '/operatore/portabilita/importa', label: t('nav.portabilityImport') });
        links.push({ href: '/campagne', label: t('nav.campaigns') });
        links.push({ href: '/regione/indicatori', label: t('nav.indicators') });
        links.push({ href: '/regione/previsioni', label: t('nav.forecasts') });
        links.push({ href: '/report/attivazione', label: t('nav.report') });
      }
      break;
    case 'employer':
      links.push({ href: '/azienda', label: t('nav.company') });
      links.push({ href: '/azienda/offerte', label: t('nav.companyVacancies') });
      links.push({ href: '/azienda/candidati', label: t('nav.candidates') });
      links.push({ href: '/azienda/preselezioni', label: t('nav.shortlists') });
      links.push({ href: '/azienda/recruiting-day', label: t('nav.recruitingDays') });
      links.push({ href: '/valutazioni', label: t('nav.surveys') });
      break;
    case 'regional_manager':
      links.push({ href: '/report/attivazione', label: t('nav.report') });
      links.push({ href: '/regione/indicatori', label: t('nav.indicators') });
      links.push({ href: '/regione/soddisfazione', label: t('nav.satisfaction') });
      links.push({ href: '/regione/previsioni', label: t('nav.forecasts') });
      links.push({ href: '/campagne', label: t('nav.campaigns') });
      links.push({ href: '/nazionale/confronto', label: t('nav.comparison') });
      links.push({ href: '/regione/autovalutazione', label: t('nav.selfAssessment') });
      links.push({ href: '/regione/accreditamenti', label: t('nav.accreditations') });
      links.push({ href: '/admin/outbox', label: t('nav.nationalOutbox') });
      break;
    case 'national_manager':
      links.push({ href: '/nazionale/confronto', label: t('nav.comparison') });
      break;
    case 'admin':
      links.push({ href: '/admin/utenti', label: t('nav.users') });
      links.push({ href: '/regione/accreditamenti', label: t('nav.accreditations') });
      links.push({ href: '/operatore/esiti', label: t('nav.outcomes') });
      links.push({ href: '/admin/conservazione', label: t('nav.retention') });
      links.push({ href: '/admin/outbox', label: t('nav.nationalOutbox') });
      break;
    default:
      break;
  }
  links.push({ href: '/account/sicurezza', label: t('nav.security') });
  return links;
}

/**
 * Parts of the page frame that depend only on a few values (the role's links on the language, the
 * role and whether the page is one of them; the footer on the language, the Region and the page's
 * help link) are rendered once per combination and kept as HTML. Rendering is a fifth to a third of a
 * simple page's CPU and these parts are about half of a short page's elements (issue 10, profiled
 * under bench/load.ts). The HTML comes only from rendering our own components, escaped as usual.
 */
const frames = new ForgetfulMap<string, { __html: string }>(5000);

export function renderedOnce(key: string, make: () => VNode): { __html: string } {
  let html = frames.get(key);
  if (html === undefined) {
    html = { __html: renderToString(make()) };
    frames.set(key, html);
  }
  return html;
}

/** The role's links by role (their targets do not depend on the language). */
const navTargets = new Map<string, Set<string>>();

/** The page's path if it is one of the role's links (it is then marked as the current page), else ''. */
function currentLink(ctx: RequestContext, role: string): string {
  let targets = navTargets.get(role);
  if (!targets) {
    targets = new Set(roleLinks(ctx).map((l) => l.href));
    navTargets.set(role, targets);
  }
  return targets.has(ctx.path) ? ctx.path : '';
}

function RoleNav({ links, current }: { links: { href: string; label: string }[]; current: string }) {
  return (
    <div class="container">
      <ul class="sl-inline-list">
        {links.map((l) => (
          <li>
            <a href={l.href} aria-current={l.href === current ? 'page' : undefined}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Footer({ ctx, helpHref }: { ctx: RequestContext; helpHref: string }) {
  const { t } = ctx;
  return (
    <div class="it-footer-main">
      <div class="container py-4">
        <p class="h5 text-white">{t('app.name')}</p>
        <p class="text-white">{t('shell.footerBody', { region: ctx.regionName })}</p>
        <ul class="sl-inline-list sl-footer-links">
          <li>
            <a href={helpHref}>{t('shell.needHelp')}</a>
          </li>
          <li>
            <a href="/offerte">{t('nav.jobs')}</a>
          </li>
          <li>
            <a href="/recruiting-day">{t('nav.recruitingDays')}</a>
          </li>
          <li>
            <a href="/corsi">{t('nav.findCourses')}</a>
          </li>
          <li>
            <a href="/professioni">{t('nav.occupations')}</a>
          </li>
          <li>
            <a href="/accessibilita">{t('shell.accessibility')}</a>
          </li>
          <li>
            <a href="/privacy">{t('shell.privacy')}</a>
          </li>
          <li>
            <a href="/dati-aperti/indicatori">{t('shell.openData')}</a>
          </li>
          <li>
            <a href="/rapporto">{t('shell.report2021')}</a>
          </li>
          <li>
            <a href="/api/docs">{t('shell.api')}</a>
          </li>
          {ctx.demo && (
            <li>
              <a href="/dev/outbox">{t('shell.devOutbox')}</a>
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}

function withLang(ctx: RequestContext, code: string): string {
  const u = new URL(ctx.url, 'http://x');
  u.searchParams.set('lang', code);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

export function Layout({
  ctx,
  title,
  children,
  wide = false,
}: {
  ctx: RequestContext;
  title: string;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const { t, user } = ctx;
  // The help request knows which page the person was on.
  const helpHref = ctx.path.startsWith('/aiuto') ? '/aiuto' : `/aiuto?da=${encodeURIComponent(ctx.path)}`;
  // The role's links and the footer, as HTML rendered once per combination (`renderedOnce`).
  const current = user ? currentLink(ctx, user.role) : '';
  const nav = user
    ? renderedOnce(`nav\u0000${ctx.lang}\u0000${user.role}\u0000${current}`, () => (
        <RoleNav links={roleLinks(ctx)} current={current} />
      ))
    : null;
  const footer = renderedOnce(
    `footer\u0000${ctx.lang}\u0000${ctx.regionName}\u0000${ctx.demo}\u0000${helpHref}`,
    () => <Footer ctx={ctx} helpHref={helpHref} />,
  );
  return (
    <html lang={ctx.lang} dir={ctx.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t('app.name')}`}</title>
        <meta name="description" content={t('app.description')} />
        <meta name="theme-color" content="#0066cc" />
        <link rel="stylesheet" href={asset('app.css')} />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href={asset('icon-192.png')} type="image/png" />
      </head>
      <body>
        <div class="skiplinks">
          <a class="visually-hidden-focusable" href="#main">
            {t('shell.skipToContent')}
          </a>
        </div>
        <header class="it-header-wrapper">
          <div class="it-header-slim-wrapper">
            <div class="container">
              <div class="it-header-slim-wrapper-content">
                <span class="navbar-brand">{t('shell.region', { region: ctx.regionName })}</span>
                <div class="it-header-slim-right-zone">
                  <nav aria-label={t('shell.language')} class="sl-langs">
                    <ul class="sl-inline-list">
                      {LANGUAGES.map((l) => (
                        <li>
                          {l.code === ctx.lang ? (
                            <span class="sl-lang-current" lang={l.code} aria-current="true">
                              {l.name}
                            </span>
                          ) : (
                            <a href={withLang(ctx, l.code)} lang={l.code} hreflang={l.code}>
                              {l.name}
                            </a>
                          )}
                        </li>
                      ))}
                    </ul>
                  </nav>
                  {user ? (
                    <form method="post" action="/esci" class="sl-signout">
                      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                      <span class="sl-user-name">{`${user.givenName} ${user.familyName}`}</span>
                      <button type="submit" class="btn btn-primary btn-sm">
                        {t('shell.signOut')}
                      </button>
                    </form>
                  ) : (
                    <a class="btn btn-primary btn-sm" href="/accedi">
                      {t('shell.signIn')}
                    </a>
                  )}
                </div>
              </div>
            </div>
          </div>
          <div class="it-header-center-wrapper">
            <div class="container">
              <div class="it-header-center-content-wrapper">
                <div class="it-brand-wrapper">
                  <a href="/">
                    <div class="it-brand-text">
                      <div class="it-brand-title">{t('app.name')}</div>
                      <div class="it-brand-tagline">{t('app.tagline')}</div>
                    </div>
                  </a>
                </div>
                <div class="it-right-zone">
                  <a class="btn btn-outline-light sl-help-button" href={helpHref}>
                    {t('shell.needHelp')}
                  </a>
                </div>
              </div>
            </div>
          </div>
          {nav && <nav class="sl-role-nav" aria-label={t('shell.mainNav')} dangerouslySetInnerHTML={nav} />}
        </header>
        <main id="main" class={`container ${wide ? '' : 'sl-narrow'} my-4`} tabindex={-1}>
          {children}
          <aside class="callout sl-help-callout" aria-label={t('shell.needHelp')}>
            <p class="mb-0">
              {t('shell.helpCallout')} <a href={helpHref}>{t('shell.needHelp')}</a>
            </p>
          </aside>
        </main>
        <footer class="it-footer" dangerouslySetInnerHTML={footer} />
      </body>
    </html>
  );
}
