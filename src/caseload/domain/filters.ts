/**
 * The caseload's filters, sorting and page, read from the query string (so the page works without
 * JavaScript and can be bookmarked) and written back to it. Pure: unit-tested.
 */
export const TIER_FILTERS = ['1', '2', '3', 'none'] as const;
export const APPOINTMENT_FILTERS = ['week', 'any', 'none'] as const;
export const CONTACT_FILTERS = ['30', '90', 'never'] as const;
export const BENEFIT_FILTERS = ['naspi', 'dis_coll', 'adi_sfl', 'other', 'none'] as const;
export const SORTS = ['name', 'tier', 'next', 'contact', 'alerts'] as const;
export const PAGE_SIZE = 25;

export type CaseloadFilters = {
  /** Name or codice fiscale (start of the family name, or the whole code). */
  q: string;
  tier: (typeof TIER_FILTERS)[number] | '';
  /** Only people with open e-coaching alerts. */
  alerts: boolean;
  appointment: (typeof APPOINTMENT_FILTERS)[number] | '';
  /** No contact for more than 30 / 90 days, or never. */
  contact: (typeof CONTACT_FILTERS)[number] | '';
  /** Only people with an open conditionality event. */
  conditionality: boolean;
  benefit: (typeof BENEFIT_FILTERS)[number] | '';
  /** 'me', 'none' (not assigned) or an operator's id. */
  operator: string;
  sort: (typeof SORTS)[number];
  dir: 'asc' | 'desc';
  page: number;
};

export const DEFAULT_FILTERS: CaseloadFilters = {
  q: '',
  tier: '',
  alerts: false,
  appointment: '',
  contact: '',
  conditionality: false,
  benefit: '',
  operator: '',
  sort: 'name',
  dir: 'asc',
  page: 1,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Letters (any script), spaces, apostrophes, hyphens and digits (a codice fiscale): nothing else.
const QUERY = /^[\p{L}\p{M}0-9 '’-]*$/u;

function one(raw: unknown): string | undefined {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' ? v : undefined;
}

function pick<T extends string>(list: readonly T[], v: string | undefined): T | '' | null {
  if (v === undefined || v === '') return '';
  return (list as readonly string[]).includes(v) ? (v as T) : null;
}

/**
 * The filters in a query string. A value that is not one of the choices is dropped and reported
 * (field name → i18n key), so the page can say which filter it ignored.
 */
export function parseFilters(query: Record<string, unknown>): {
  filters: CaseloadFilters;
  invalid: Record<string, string>;
} {
  const f: CaseloadFilters = { ...DEFAULT_FILTERS };
  const invalid: Record<string, string> = {};
  const q = (one(query.q) ?? '').trim();
  if (q.length > 60) invalid.q = 'errors.tooLong';
  else if (!QUERY.test(q)) invalid.q = 'errors.invalidCharacters';
  else f.q = q;
  const choice = <T extends string>(name: string, list: readonly T[]): T | '' => {
    const v = pick(list, one(query[name]));
    if (v === null) {
      invalid[name] = 'errors.choose';
      return '';
    }
    return v;
  };
  f.tier = choice('tier', TIER_FILTERS);
  f.appointment = choice('appointment', APPOINTMENT_FILTERS);
  f.contact = choice('contact', CONTACT_FILTERS);
  f.benefit = choice('benefit', BENEFIT_FILTERS);
  const flag = (name: string): boolean => {
    const v = one(query[name]);
    if (v === undefined || v === '') return false;
    if (v === '1') return true;
    invalid[name] = 'errors.choose';
    return false;
  };
  f.alerts = flag('alerts');
  f.conditionality = flag('conditionality');
  const op = one(query.operator) ?? '';
  if (op === '' || op === 'me' || op === 'none' || UUID.test(op)) f.operator = op;
  else invalid.operator = 'errors.choose';
  const sort = pick(SORTS, one(query.sort));
  if (sort === null) invalid.sort = 'errors.choose';
  else if (sort) f.sort = sort;
  const dir = one(query.dir);
  if (dir === 'desc' || dir === 'asc') f.dir = dir;
  else if (dir !== undefined && dir !== '') invalid.dir = 'errors.choose';
  const page = one(query.page);
  if (page !== undefined && page !== '') {
    if (/^[1-9][0-9]{0,4}$/.test(page)) f.page = Number(page);
    else invalid.page = 'errors.invalid';
  }
  return { filters: f, invalid };
}

/** The query string of these filters (defaults left out), for links, paging and redirects. */
export function toQuery(f: CaseloadFilters, change: Partial<CaseloadFilters> = {}): string {
  const all = { ...f, ...change };
  const p = new URLSearchParams();
  if (all.q) p.set('q', all.q);
  if (all.tier) p.set('tier', all.tier);
  if (all.alerts) p.set('alerts', '1');
  if (all.appointment) p.set('appointment', all.appointment);
  if (all.contact) p.set('contact', all.contact);
  if (all.conditionality) p.set('conditionality', '1');
  if (all.benefit) p.set('benefit', all.benefit);
  if (all.operator) p.set('operator', all.operator);
  if (all.sort !== 'name') p.set('sort', all.sort);
  if (all.dir !== 'asc') p.set('dir', all.dir);
  if (all.page !== 1) p.set('page', String(all.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** How many pages a result of `total` rows takes (at least one). */
export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / PAGE_SIZE));
}
