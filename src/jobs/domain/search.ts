/**
 * Job search, the pure part: reading the query string (with a clear message per bad field and the
 * typed values kept), the place's bounding box for the database's first cut, the exact km with the
 * matcher's distance, the orders (by distance then newest; by explained score) and the pages.
 */
import { CONTRACT_TYPES, type ContractType } from '../../employers/adapters/employer-tables.ts';
import { distanceKm } from '../../matching/domain/score.ts';

export const RADIUS_MIN = 1;
export const RADIUS_MAX = 200;
export const DEFAULT_RADIUS = 30;
export const PAGE_SIZE = 20;
/** "Published in the last N days". */
export const DAYS_CHOICES = ['1', '3', '7', '14', '30'] as const;
export const HOURS = ['full_time', 'part_time'] as const;
export const REMOTE_CHOICES = ['si', 'solo'] as const;
export const MAX_QUERY = 200;
export const MAX_PLACE = 100;

export type SearchInput = {
  q: string;
  contract: ContractType | null;
  hours: (typeof HOURS)[number] | null;
  /** 'si': remote possible (hybrid or full); 'solo': fully remote only. */
  remote: (typeof REMOTE_CHOICES)[number] | null;
  l68: boolean;
  seasonal: boolean;
  days: number | null;
  /** The municipality as typed, and the ISTAT code chosen from an ambiguous list. */
  place: string;
  placeCode: string;
  /** null: the default (the person's commute km, or 30). */
  radius: number | null;
  page: number;
};

/** Field → i18n key of the problem. */
export type SearchErrors = Partial<
  Record<'q' | 'contratto' | 'orario' | 'remoto' | 'giorni' | 'luogo' | 'raggio', string>
>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removed from the values put back in the form
const ANY_CONTROL = /[\u0000-\u001F\u007F]/g;

function first(query: unknown, key: string): string {
  const v = (query as Record<string, unknown> | undefined)?.[key];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

/** The raw values as typed (cut, control characters removed), to put back in the form. */
export function typedValues(query: unknown): Record<string, string> {
  const keys = [
    'q',
    'contratto',
    'orario',
    'remoto',
    'giorni',
    'luogo',
    'comune',
    'raggio',
    'l68',
    'stagionale',
  ];
  const out: Record<string, string> = {};
  for (const k of keys) {
    out[k] = first(query, k).slice(0, 300).replace(ANY_CONTROL, ' ');
  }
  return out;
}

/** Read the search form (a GET); unknown or bad values become messages, never a crash. */
export function parseSearch(query: unknown): { input: SearchInput; errors: SearchErrors } {
  const errors: SearchErrors = {};
  const rawQ = first(query, 'q');
  let q = rawQ.trim();
  if (q.length > MAX_QUERY) {
    errors.q = 'errors.tooLong';
    q = '';
  } else if (CONTROL.test(q)) {
    errors.q = 'errors.invalidCharacters';
    q = '';
  }
  const pick = <T extends string>(key: keyof SearchErrors, raw: string, list: readonly T[]): T | null => {
    if (raw === '') return null;
    const found = list.find((x) => x === raw);
    if (!found) errors[key] = 'errors.choose';
    return found ?? null;
  };
  const contract = pick('contratto', first(query, 'contratto'), CONTRACT_TYPES);
  const hours = pick('orario', first(query, 'orario'), HOURS);
  const remote = pick('remoto', first(query, 'remoto'), REMOTE_CHOICES);
  const daysRaw = pick('giorni', first(query, 'giorni'), DAYS_CHOICES);
  let place = first(query, 'luogo').trim();
  if (place.length > MAX_PLACE) {
    errors.luogo = 'errors.tooLong';
    place = '';
  } else if (CONTROL.test(place)) {
    errors.luogo = 'errors.invalidCharacters';
    place = '';
  }
  const codeRaw = first(query, 'comune');
  const placeCode = /^[0-9]{6}$/.test(codeRaw) ? codeRaw : '';
  const radiusRaw = first(query, 'raggio').trim();
  let radius: number | null = null;
  if (radiusRaw !== '') {
    const n = /^[0-9]{1,6}$/.test(radiusRaw) ? Number(radiusRaw) : Number.NaN;
    if (Number.isInteger(n) && n >= RADIUS_MIN && n <= RADIUS_MAX) radius = n;
    else errors.raggio = 'jobs.search.errors.radius';
  }
  const pageRaw = first(query, 'pagina');
  const page = /^[0-9]{1,4}$/.test(pageRaw) ? Number(pageRaw) : 0;
  return {
    input: {
      q,
      contract,
      hours,
      remote,
      l68: first(query, 'l68') === 'si',
      seasonal: first(query, 'stagionale') === 'si',
      days: daysRaw === null ? null : Number(daysRaw),
      place,
      placeCode,
      radius,
      page,
    },
    errors,
  };
}

/** Degrees → the matcher's fixed point (micro-degrees, rounded). */
export function toMicro(deg: number): number {
  return Math.round(deg * 1e6);
}

/** km between two points given in degrees, with the matcher's own distance (rounded to 0.1 km). */
export function kmBetween(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const km = distanceKm(toMicro(aLat), toMicro(aLon), toMicro(bLat), toMicro(bLon));
  return Math.round(km * 10) / 10;
}

/**
 * A box (degrees) that surely holds every point within `km` of the centre: the database's first cut,
 * the exact distance is computed afterwards. 2% margin over the equirectangular distance.
 */
export function boundingBox(lat: number, lon: number, km: number) {
  const dLat = (km * 1.02) / 111.19;
  const cos = Math.max(0.05, Math.cos(((Math.abs(lat) + dLat) * Math.PI) / 180));
  const dLon = dLat / cos;
  return { minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon };
}

export type Candidate = {
  id: string;
  remote: 'no' | 'hybrid' | 'full';
  latitude: number | null;
  longitude: number | null;
  publishedAt: Date;
};

export type Placed = Candidate & {
  /** km from the search's place; null when fully remote or when there is no place. */
  km: number | null;
  /** The distance the order uses: fully remote is 0 km away; without a place all are equal (0). */
  sortKm: number;
};

/**
 * Distances from the place (when there is one) and the radius applied: fully remote vacancies are
 * 0 km away (always inside); a vacancy with no coordinates is outside any radius.
 */
export function placeAndFilter(
  candidates: readonly Candidate[],
  origin: { lat: number; lon: number } | null,
  radiusKm: number | null,
): Placed[] {
  const out: Placed[] = [];
  for (const c of candidates) {
    if (c.remote === 'full' || !origin) {
      out.push({ ...c, km: null, sortKm: 0 });
      continue;
    }
    const km = placedKm(c, origin);
    if (km === null || (radiusKm !== null && km > radiusKm)) continue;
    out.push({ ...c, km, sortKm: km });
  }
  return out;
}

/** The km shown for a vacancy: from the search's place, null when fully remote, without a place or coordinates. */
export function placedKm(
  c: Pick<Candidate, 'remote' | 'latitude' | 'longitude'>,
  origin: { lat: number; lon: number } | null,
): number | null {
  if (c.remote === 'full' || !origin || c.latitude === null || c.longitude === null) return null;
  return kmBetween(origin.lat, origin.lon, c.latitude, c.longitude);
}

/** Whether the search asks for more than text and place: a filter that can leave out a ranked vacancy. */
export function narrowsResults(input: SearchInput): boolean {
  return (
    input.contract !== null ||
    input.hours !== null ||
    input.remote !== null ||
    input.l68 ||
    input.seasonal ||
    input.days !== null
  );
}

/** Anonymous order: nearest first (fully remote counts as 0 km), then newest, then id (deterministic). */
export function byDistanceThenNewest(a: Placed, b: Placed): number {
  const d = a.sortKm - b.sortKm;
  if (d !== 0) return d;
  const t = b.publishedAt.getTime() - a.publishedAt.getTime();
  if (t !== 0) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Higher score first; equal scores by distance then newest. */
export function byScore(scores: ReadonlyMap<string, number>) {
  return (a: Placed, b: Placed): number => {
    const d = (scores.get(b.id) ?? -1) - (scores.get(a.id) ?? -1);
    return d !== 0 ? d : byDistanceThenNewest(a, b);
  };
}

/**
 * The matcher's order first (only those that passed the filters), then the filtered ones the
 * matcher did not return (beyond its limit or radius), nearest first.
 */
export function mergeRanked(rankedIds: readonly string[], placed: readonly Placed[]): Placed[] {
  const byId = new Map(placed.map((p) => [p.id, p]));
  const seen = new Set<string>();
  const out: Placed[] = [];
  for (const id of rankedIds) {
    const p = byId.get(id);
    if (p && !seen.has(id)) {
      out.push(p);
      seen.add(id);
    }
  }
  const rest = placed.filter((p) => !seen.has(p.id)).sort(byDistanceThenNewest);
  return [...out, ...rest];
}

/** One page of a list (20 a page) and whether there is a next one. */
export function pageOf<T>(list: readonly T[], page: number): { items: T[]; hasNext: boolean; page: number } {
  const last = Math.max(0, Math.ceil(list.length / PAGE_SIZE) - 1);
  const p = Math.min(Math.max(0, page), last);
  return {
    items: list.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE),
    hasNext: (p + 1) * PAGE_SIZE < list.length,
    page: p,
  };
}

/** A wider radius to suggest when nothing was found (null: already at the widest). */
export function widerRadius(radius: number): number | null {
  if (radius >= RADIUS_MAX) return null;
  const steps = [10, 20, 30, 50, 100, 150, 200];
  return steps.find((s) => s > radius) ?? RADIUS_MAX;
}
