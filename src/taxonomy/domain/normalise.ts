/**
 * Text normalisation for label search. Labels and queries go through the same function, so the
 * trigram comparison in PostgreSQL (pg_trgm) sees "Infermière", "infermiere" and "INFERMIERE" alike.
 * Done in TypeScript rather than with the `unaccent` extension: one fewer extension to install,
 * and the same result in tests without a database.
 */
const SPECIAL: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i' };

export function normaliseText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđı]/g, (c) => SPECIAL[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The searchable text of a concept: its preferred and alternative labels, normalised, each once. */
export function searchTextOf(labels: readonly (string | null | undefined)[]): string {
  const seen = new Set<string>();
  for (const label of labels) {
    if (!label) continue;
    const n = normaliseText(label);
    if (n) seen.add(n);
  }
  return [...seen].join(' | ');
}

/**
 * Alternative labels as ESCO writes them: one per line in the main files (`occupations_xx.csv`,
 * `skills_xx.csv`), separated by " | " in the collection files. Trimmed, empty ones dropped, each once.
 */
export function splitAltLabels(value: string | undefined | null, separator: 'newline' | 'pipe'): string[] {
  if (!value) return [];
  const parts = separator === 'newline' ? value.split(/\r?\n/) : value.split(/\s+\|\s+/);
  const out: string[] = [];
  for (const p of parts) {
    const label = p.trim();
    if (label && !out.includes(label)) out.push(label);
  }
  return out;
}
