export { romeDay } from '../../platform/i18n/format.ts';

/**
 * Proactive campaigns, the pure part: what a segment is and how it is checked, the templates, the
 * link a message may carry, the throttle and the suppression of small counts.
 */

export const TEMPLATES = ['book', 'courses', 'recruiting_day'] as const;
export type TemplateId = (typeof TEMPLATES)[number];
export const CHANNELS = ['email', 'sms'] as const;
export type CampaignChannel = (typeof CHANNELS)[number];
export const TIERS = [1, 2, 3] as const;
export const AGE_BANDS = ['18-29', '30-49', '50-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Where each template's link leads by default (an internal page). */
export const DEFAULT_LINK: Record<TemplateId, string> = {
  book: '/appuntamenti/nuovo',
  courses: '/corsi',
  recruiting_day: '/offerte',
};

/** A segment: at least one criterion; every criterion given must hold (AND). */
export type Segment = {
  tier?: number;
  province?: string;
  ageBand?: AgeBand;
  /** No sign-in, no appointment and no message for this many days. */
  inactiveDays?: number;
};

/** Counts under this are shown as "fewer than 10". */
export const MIN_CELL = 10;
/** How long after sending an appointment booked counts as a result. */
export const BOOKED_WITHIN_DAYS = 30;
/** Messages per minute per Region when the Region has not chosen. */
export const DEFAULT_PER_MINUTE = 100;
export const MAX_PER_MINUTE = 10_000;
export const MAX_INACTIVE_DAYS = 3650;

export type CampaignForm = {
  name: string;
  template: TemplateId;
  channel: CampaignChannel;
  link: string;
  segment: Segment;
};

/** Error values are i18n keys. */
export type FormErrors = Partial<
  Record<
    'name' | 'template' | 'channel' | 'link' | 'segment' | 'tier' | 'province' | 'ageBand' | 'inactiveDays',
    string
  >
>;

// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to find control characters
const CONTROL = /[\u0000-\u001F\u007F]/;

/**
 * A path of this site only: one leading slash (not `//host`), letters, digits, `/`, `-`, `_`.
 * No scheme, no backslash, no query: the redirect can never leave the site.
 */
export function isSafeInternalPath(path: unknown): path is string {
  return typeof path === 'string' && path.length <= 200 && /^\/(?!\/)[A-Za-z0-9/_-]*$/.test(path);
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The form's values → a campaign, or the errors (i18n keys) by field. */
export function parseCampaignForm(
  raw: Record<string, string | undefined>,
  provinces: readonly string[],
): { ok: true; form: CampaignForm } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const name = text(raw.nome);
  if (!name) errors.name = 'errors.required';
  else if (name.length > 120) errors.name = 'errors.tooLong';
  else if (CONTROL.test(name)) errors.name = 'errors.invalidCharacters';
  const template = text(raw.modello);
  if (!(TEMPLATES as readonly string[]).includes(template)) errors.template = 'errors.choose';
  const channel = text(raw.canale);
  if (!(CHANNELS as readonly string[]).includes(channel)) errors.channel = 'errors.choose';
  const link = text(raw.collegamento);
  if (!link) errors.link = 'errors.required';
  else if (!isSafeInternalPath(link)) errors.link = 'campaigns.errors.link';

  const segment: Segment = {};
  const tier = text(raw.fascia);
  if (tier) {
    if ((TIERS as readonly number[]).includes(Number(tier)) && /^\d$/.test(tier)) segment.tier = Number(tier);
    else errors.tier = 'errors.choose';
  }
  const province = text(raw.provincia);
  if (province) {
    if (provinces.includes(province)) segment.province = province;
    else errors.province = 'errors.choose';
  }
  const band = text(raw.eta);
  if (band) {
    if ((AGE_BANDS as readonly string[]).includes(band)) segment.ageBand = band as AgeBand;
    else errors.ageBand = 'errors.choose';
  }
  const days = text(raw.inattivita);
  if (days) {
    const n = Number(days);
    if (/^\d{1,5}$/.test(days) && n >= 1 && n <= MAX_INACTIVE_DAYS) segment.inactiveDays = n;
    else errors.inactiveDays = 'campaigns.errors.inactiveDays';
  }
  const criteriaTyped = Boolean(tier || province || band || days);
  if (!criteriaTyped) errors.segment = 'campaigns.errors.noSegment';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    form: { name, template: template as TemplateId, channel: channel as CampaignChannel, link, segment },
  };
}

/** A segment read back from the database (jsonb): only known criteria, or null when none is valid. */
export function segmentOf(value: unknown): Segment | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const s: Segment = {};
  if (typeof v.tier === 'number' && (TIERS as readonly number[]).includes(v.tier)) s.tier = v.tier;
  if (typeof v.province === 'string' && /^[A-Z]{2}$/.test(v.province)) s.province = v.province;
  if (typeof v.ageBand === 'string' && (AGE_BANDS as readonly string[]).includes(v.ageBand))
    s.ageBand = v.ageBand as AgeBand;
  if (
    typeof v.inactiveDays === 'number' &&
    Number.isInteger(v.inactiveDays) &&
    v.inactiveDays >= 1 &&
    v.inactiveDays <= MAX_INACTIVE_DAYS
  )
    s.inactiveDays = v.inactiveDays;
  return Object.keys(s).length > 0 ? s : null;
}

/** The age band as completed years: [min, max] (max null: no upper bound). */
export function ageLimits(band: AgeBand): { min: number; max: number | null } {
  switch (band) {
    case '18-29':
      return { min: 18, max: 29 };
    case '30-49':
      return { min: 30, max: 49 };
    case '50-59':
      return { min: 50, max: 59 };
    default:
      return { min: 60, max: null };
  }
}

/**
 * Birth dates (YYYY-MM-DD, Rome calendar day of `now`) of the people in the band:
 * born on or before `bornBy`, and after `bornAfter` when the band has an upper age.
 */
export function birthRange(band: AgeBand, today: string): { bornBy: string; bornAfter: string | null } {
  const { min, max } = ageLimits(band);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const shift = (years: number) => {
    // 29 February on a year without it: the person has their birthday on 1 March.
    const date = new Date(Date.UTC(y - years, m - 1, d));
    if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
    return date.toISOString().slice(0, 10);
  };
  return { bornBy: shift(min), bornAfter: max === null ? null : shift(max + 1) };
}

/** How many messages may be queued now: the Region's rate less what went out in the last minute. */
export function throttleBudget(perMinute: number, queuedInLastMinute: number): number {
  const rate = Math.max(1, Math.min(MAX_PER_MINUTE, Math.floor(perMinute)));
  return Math.max(0, rate - Math.max(0, queuedInLastMinute));
}

/** The plan for `total` messages at `perMinute`: batches per minute and minutes needed. */
export function throttlePlan(total: number, perMinute: number): { minutes: number; batches: number[] } {
  const rate = Math.max(1, Math.min(MAX_PER_MINUTE, Math.floor(perMinute)));
  const batches: number[] = [];
  for (let left = Math.max(0, total); left > 0; left -= rate) batches.push(Math.min(rate, left));
  return { minutes: batches.length, batches };
}

/** A count as shown: suppressed when under MIN_CELL. */
export type ShownCount = { suppressed: true } | { suppressed: false; value: number };
export const showCount = (n: number): ShownCount =>
  n < MIN_CELL ? { suppressed: true } : { suppressed: false, value: n };
