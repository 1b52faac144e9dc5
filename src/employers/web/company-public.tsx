import { todayInRome } from '../../agenda/use-cases/templates.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { ErrorPage } from '../../platform/ui/error-page.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { SLUG } from '../domain/ateco.ts';
import { type CompanyDeps, publicCompany } from '../use-cases/company.ts';

/** JSON for a <script> data block: "<" escaped so the text can never close the element. */
const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** `/aziende/:slug` (public): the company page with its published, unexpired vacancies. */
export function registerCompanyPublicPage(
  routes: RouteCatalogue,
  deps: CompanyDeps,
  region: () => Promise<string>,
): void {
  routes.get('/aziende/:slug', 'public', async (req, reply) => {
    const { t } = req.ctx;
    const slug = String((req.params as { slug: string }).slug).toLowerCase();
    const found =
      SLUG.test(slug) && slug.length <= 60
        ? await publicCompany(deps.db, await region(), slug, todayInRome())
        : null;
    if (!found)
      return sendPage(
        reply,
        ErrorPage({
          ctx: req.ctx,
          status: 404,
          title: t('company.public.notFoundTitle'),
          body: t('company.public.notFoundBody'),
        }),
        404,
      );
    const { company, places, vacancies } = found;
    const sector = company.ateco_section ? t(`profile.ateco.${company.ateco_section}`) : null;
    const jsonLd = {
      '@context': 'https://schema.org',
      '@type': 'Organization',
      name: company.name,
      ...(company.description ? { description: company.description } : {}),
      ...(company.website ? { url: company.website } : {}),
      ...(places[0]
        ? {
            address: {
              '@type': 'PostalAddress',
              addressLocality: places[0].name,
              addressRegion: places[0].province,
              addressCountry: 'IT',
            },
          }
        : {}),
    };
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={company.name}>
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: safeJson(jsonLd) }} />
        <h1>{company.name}</h1>
        <dl class="sl-dl">
          {sector && (
            <>
              <dt>{t('company.public.sector')}</dt>
              <dd>{sector}</dd>
            </>
          )}
          {company.size_band && (
            <>
              <dt>{t('company.fields.sizeBand')}</dt>
              <dd>{t(`company.sizes.${company.size_band}`)}</dd>
            </>
          )}
          {places.length > 0 && (
            <>
              <dt>{t('company.public.places')}</dt>
              <dd>{places.map((p) => `${p.name} (${p.province})`).join(', ')}</dd>
            </>
          )}
          {company.website && (
            <>
              <dt>{t('company.fields.website')}</dt>
              <dd>
                <a href={company.website} rel="noopener nofollow">
                  {company.website}
                </a>
              </dd>
            </>
          )}
        </dl>
        {company.description && <p class="lead">{company.description}</p>}
        <h2>{t('company.public.vacancies')}</h2>
        {vacancies.length === 0 ? (
          <p>{t('company.public.noVacancies')}</p>
        ) : (
          <ul class="list-unstyled">
            {vacancies.map((v) => (
              <li class="mb-3">
                <a href={`/offerte/${v.id}`}>{v.title}</a>
                <br />
                <span>
                  {[
                    v.remote === 'full' ? t('company.public.remote') : (v.place ?? ''),
                    t(`company.contracts.${v.contract_type}`),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });
}
