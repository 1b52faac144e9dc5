/**
 * The level scale of the skills assessment: four steps in plain words, so a person can place
 * themself without knowing any framework, plus 0 for "I don't have it".
 *
 * 0 — "non la possiedo"                       (I don't have it)
 * 1 — "con aiuto"                              (with help)
 * 2 — "da solo/a in situazioni semplici"       (on my own in simple situations)
 * 3 — "da solo/a anche in situazioni nuove"    (on my own, also in new situations)
 * 4 — "so insegnarlo ad altri"                 (I can teach it to others)
 *
 * A skill is "missing" for the gap analysis when it has no level or level 0. The operator's validated
 * level, once the assessment is validated, takes the place of the self-assessed one. Validated skills
 * at level 2 or more (autonomous) go into the competence badge.
 */
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];
export type LevelOrNone = 0 | Level;

/** Levels from which a validated skill is attested in a badge. */
export const BADGE_MIN_LEVEL = 2;

/** i18n key of a level's plain-words label (namespace `skills`). */
export function levelKey(level: number): string {
  return level >= 1 && level <= 4 ? `skills.level.l${level}` : 'skills.level.l0';
}

/** A form value ('0'..'4') → level, or null when it is not one. */
export function parseLevel(value: unknown): LevelOrNone | null {
  if (typeof value !== 'string' || !/^[0-4]$/.test(value)) return null;
  return Number(value) as LevelOrNone;
}

/** The level that counts: the operator's when the assessment is validated and they gave one. */
export function effectiveLevel(
  selfLevel: number | null,
  validatedLevel: number | null,
  validated: boolean,
): number | null {
  if (validated && validatedLevel !== null) return validatedLevel;
  return selfLevel;
}

export function isMissing(level: number | null): boolean {
  return level === null || level <= 0;
}
