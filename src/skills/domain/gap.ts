/** Gap analysis, pure: which of a target occupation's skills the person is missing, essential first. */
import { effectiveLevel, isMissing } from './levels.ts';

export type Relation = 'essential' | 'optional';
export type TargetSkill = {
  uri: string;
  label: string;
  relation: Relation;
  selfLevel: number | null;
  validatedLevel: number | null;
};

export type MissingSkill = { uri: string; label: string; relation: Relation };

/** The missing skills: essential ones first, then optional; within each, by label (locale-aware). */
export function missingSkills(skills: TargetSkill[], validated: boolean, locale = 'it'): MissingSkill[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  return skills
    .filter((s) => isMissing(effectiveLevel(s.selfLevel, s.validatedLevel, validated)))
    .map((s) => ({ uri: s.uri, label: s.label, relation: s.relation }))
    .sort(
      (a, b) =>
        (a.relation === b.relation ? 0 : a.relation === 'essential' ? -1 : 1) ||
        collator.compare(a.label, b.label) ||
        a.uri.localeCompare(b.uri),
    );
}

/** Skills of a target, for the checklist: essential first, then optional, by label. */
export function orderForChecklist<T extends { relation: Relation; label: string; uri: string }>(
  skills: T[],
  locale = 'it',
): T[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  return [...skills].sort(
    (a, b) =>
      (a.relation === b.relation ? 0 : a.relation === 'essential' ? -1 : 1) ||
      collator.compare(a.label, b.label) ||
      a.uri.localeCompare(b.uri),
  );
}

/** The label in the person's language; ESCO has no Arabic, so Arabic readers get the Italian label. */
export function labelFor(
  lang: 'it' | 'en' | 'ar',
  labelIt: string | null,
  labelEn: string | null,
  fallback = '',
): string {
  return (lang === 'en' ? (labelEn ?? labelIt) : (labelIt ?? labelEn)) ?? fallback;
}
