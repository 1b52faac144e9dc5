import type { RouteCatalogue } from '../../platform/http/routes.ts';
import type { EmployerDeps } from '../deps.ts';
import { jobPosting } from '../domain/job-posting.ts';
import { FEED_PAGE_SIZE, publishedPostings } from '../use-cases/vacancy-feed.ts';

/** The page number of `?page`: 1 when missing, null when not a sensible number. */
export function pageOf(query: unknown): number | null {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 ? n : null;
}

export async function feedBody(deps: EmployerDeps, page: number, now: Date) {
  const baseUrl = deps.config.publicUrl;
  const regionCode = deps.defaultRegion;
  const { total, items } = await publishedPostings(deps.db, regionCode, now, page);
  const pages = Math.max(1, Math.ceil(total / FEED_PAGE_SIZE));
  const link = (p: number) => `${baseUrl.replace(/\/+$/, '')}/offerte.json?page=${p}`;
  return {
    total,
    page,
    pageSize: FEED_PAGE_SIZE,
    pages,
    next: page < pages ? link(page + 1) : null,
    previous: page > 1 ? link(Math.min(page - 1, pages)) : null,
    items: items.map((i) => jobPosting(i, baseUrl)),
  };
}

/** GET /offerte.json: the open-data feed of published vacancies (schema.org JobPosting), cacheable. */
export function feedRoute(routes: RouteCatalogue, deps: EmployerDeps): void {
  routes.add({
    method: 'GET',
    url: '/offerte.json',
    access: 'public',
    personal: false,
    // Open data, the same for everyone: shared caches keep it five minutes.
    publicMaxAge: 300,
    handler: async (req, reply) => {
      const page = pageOf(req.query);
      if (page === null)
        return reply
          .status(400)
          .type('application/json; charset=utf-8')
          .send({ error: 'invalid_page', message: 'page must be a whole number from 1' });
      const body = await feedBody(deps, page, new Date());
      return reply
        .header('Access-Control-Allow-Origin', '*')
        .type('application/json; charset=utf-8')
        .send(body);
    },
  });
}
