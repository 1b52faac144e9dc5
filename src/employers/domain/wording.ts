import wordingData from '../data/discriminatory-wording.json' with { type: 'json' };

/**
 * The automatic wording check of a vacancy (CPI moderation): a curated list of discriminatory
 * expressions (src/employers/data/discriminatory-wording.json) with the category and the legal
 * reference. Matching is on whole words, case- and accent-insensitive; positions refer to the
 * original text so that the moderator sees the words highlighted where the employer wrote them.
 */
export const WORDING_CATEGORIES = [
  'sex_gender',
  'age',
  'origin',
  'religion',
  'disability',
  'family_status',
  'appearance',
] as const;
export type WordingCategory = (typeof WORDING_CATEGORIES)[number];

type Entry = {
  id: string;
  category: WordingCategory;
  pattern: string;
  allowedForContracts?: string[];
};
type WordingData = { references: Record<WordingCategory, string>; entries: Entry[] };

export type WordingMatch = {
  /** Which field of the vacancy. */
  field: string;
  /** Offsets in the original text (end exclusive). */
  start: number;
  end: number;
  /** The words as the employer wrote them. */
  text: string;
  category: WordingCategory;
  reference: string;
  ruleId: string;
};

const data = wordingData as WordingData;

/** A space in a pattern stands for a run of blanks or hyphens (" ?": maybe none); whole words only. */
export function compilePattern(pattern: string): RegExp {
  const source = pattern.replace(/ \?/g, '[\\s\\-]*').replace(/ /g, '[\\s\\-]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'gu');
}

const RULES = data.entries.map((e) => ({
  ...e,
  regex: compilePattern(e.pattern),
  reference: data.references[e.category],
}));

/**
 * Lower case without accents, with a map from each normalised character to its original offset;
 * typographic apostrophes become spaces-equivalents ("bell’aspetto" → "bell aspetto").
 */
export function normaliseForCheck(text: string): { text: string; map: number[] } {
  let out = '';
  const map: number[] = [];
  let i = 0;
  for (const ch of text) {
    let n = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    if (/['’‘`´]/.test(n)) n = ' ';
    for (let k = 0; k < n.length; k++) map.push(i);
    out += n;
    i += ch.length;
  }
  map.push(i);
  return { text: out, map };
}

/** Matches in one text, sorted by position; overlapping matches keep the earliest (longest first). */
export function checkText(
  field: string,
  text: string,
  options: { contractType?: string } = {},
): WordingMatch[] {
  if (!text) return [];
  const norm = normaliseForCheck(text);
  const found: WordingMatch[] = [];
  for (const rule of RULES) {
    if (options.contractType && rule.allowedForContracts?.includes(options.contractType)) continue;
    rule.regex.lastIndex = 0;
    for (const m of norm.text.matchAll(rule.regex)) {
      const s = m.index;
      const e = s + m[0].length;
      if (e <= s) continue;
      const start = norm.map[s] ?? 0;
      const last = norm.map[e - 1] ?? start;
      // The end is just past the original character that produced the last matched one.
      const end = last + (text.codePointAt(last)! > 0xffff ? 2 : 1);
      found.push({
        field,
        start,
        end,
        text: text.slice(start, end),
        category: rule.category,
        reference: rule.reference,
        ruleId: rule.id,
      });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: WordingMatch[] = [];
  for (const m of found) {
    const prev = kept[kept.length - 1];
    if (prev && m.start < prev.end) continue;
    kept.push(m);
  }
  return kept;
}

/** The whole vacancy: every free-text field. */
export function checkVacancyWording(
  fields: Record<string, string | null | undefined>,
  options: { contractType?: string } = {},
): WordingMatch[] {
  const out: WordingMatch[] = [];
  for (const [field, text] of Object.entries(fields)) if (text) out.push(...checkText(field, text, options));
  return out;
}

export type Segment = { text: string; match: WordingMatch | null };

/** The text cut into plain and matched pieces, for highlighting with <mark>. */
export function segments(text: string, matches: WordingMatch[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    if (m.start < at) continue;
    if (m.start > at) out.push({ text: text.slice(at, m.start), match: null });
    out.push({ text: text.slice(m.start, m.end), match: m });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: null });
  return out;
}

/** Distinct matched words (as written), for the rejection reason the moderator starts from. */
export function matchedTerms(matches: WordingMatch[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of matches) {
    const key = m.text.toLowerCase().replace(/\s+/g, ' ').trim();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m.text.replace(/\s+/g, ' ').trim());
  }
  return out;
}
