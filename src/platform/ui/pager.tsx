/**
 * Page links for a list split into pages: "Pagina precedente · Pagina 2 · Pagina successiva".
 * `pagina` in the URL counts from 0 and the first page has none, so a search's URL stays the same
 * until the person asks for another page; the links keep the list's other parameters (its filters).
 */
import type { RequestContext } from '../http/context.ts';

/** Query string for a link, keeping the given parameters (empty ones are left out). */
export function withParams(path: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The page asked for by `pagina` (0 when missing or not a number: a page link is never an error). */
export function pageOf(raw: unknown, last = 9999): number {
  const s = typeof raw === 'string' ? raw : '';
  return /^\d{1,4}$/.test(s) ? Math.min(Number(s), last) : 0;
}

/** `label` names the list for screen readers ("Pagine dei risultati"). Nothing when there is one page. */
export function Pager({
  ctx,
  path,
  params,
  page,
  hasNext,
  label,
}: {
  ctx: RequestContext;
  path: string;
  params: Record<string, string | undefined>;
  page: number;
  hasNext: boolean;
  label: string;
}) {
  if (page === 0 && !hasNext) return null;
  const { t } = ctx;
  return (
    <nav aria-label={label} class="mt-3">
      <ul class="sl-inline-list">
        {page > 0 && (
          <li>
            <a href={withParams(path, { ...params, pagina: page > 1 ? String(page - 1) : undefined })}>
              {t('pager.previous')}
            </a>
          </li>
        )}
        <li aria-current="page">{t('pager.pageN', { n: page + 1 })}</li>
        {hasNext && (
          <li>
            <a href={withParams(path, { ...params, pagina: String(page + 1) })}>{t('pager.next')}</a>
          </li>
        )}
      </ul>
    </nav>
  );
}
