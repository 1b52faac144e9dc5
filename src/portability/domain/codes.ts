import { ISO_639_2 } from '../../cv/domain/europass.ts';
import { LANGUAGE_CODES } from '../../onboarding/domain/profile-steps.ts';
import type { Dossier } from './dossier.ts';

/**
 * Mapping between this Region's codes and the dossier's shared ones. Pure: the export calls the
 * `to…` functions, the import the `from…` ones, and what cannot be mapped is reported, never guessed.
 */
export type SupportLevel = 'low' | 'medium' | 'high';

/** Tier 1 = mostly self-service, 2 = accompanied, 3 = intensive support (decision 0004). */
export function supportLevelOfTier(tier: number): SupportLevel | null {
  if (tier === 1) return 'low';
  if (tier === 2) return 'medium';
  if (tier === 3) return 'high';
  return null;
}

export function tierOfSupportLevel(level: SupportLevel): 1 | 2 | 3 {
  return level === 'low' ? 1 : level === 'medium' ? 2 : 3;
}

/** EQF levels are European: 1–8 pass as they are, 0 (no formal qualification) too; anything else is dropped. */
export function mapEqf(eqf: number | null): number | null {
  return eqf !== null && Number.isInteger(eqf) && eqf >= 0 && eqf <= 8 ? eqf : null;
}

/** A language code this Region's profile knows (ISO 639-1 of the profile's list), or null. */
export function mapLanguageCode(code: string): string | null {
  const lower = code.toLowerCase();
  const two = lower.length === 3 ? ISO_639_2[lower] : lower;
  return two && (LANGUAGE_CODES as readonly string[]).includes(two) ? two : null;
}

/** ESCO URIs are http:// in ESCO itself; an https:// copy names the same concept. */
export function normaliseEscoUri(uri: string): string {
  return uri.replace(/^https:\/\//, 'http://');
}

export type MappedDossier = {
  tier: 1 | 2 | 3 | null;
  eqf: number | null;
  languages: { code: string; level: string }[];
  unmappedLanguages: string[];
  knownSkills: string[];
  unknownSkills: string[];
};

/** What of the dossier this Region can use as its own codes; `knownSkillUris` are the ESCO URIs it holds. */
export function mapDossier(dossier: Dossier, knownSkillUris: ReadonlySet<string>): MappedDossier {
  const languages: { code: string; level: string }[] = [];
  const unmappedLanguages: string[] = [];
  for (const l of dossier.profile.languages) {
    const code = mapLanguageCode(l.code);
    if (!code) unmappedLanguages.push(l.code);
    else if (!languages.some((x) => x.code === code)) languages.push({ code, level: l.level });
  }
  const knownSkills: string[] = [];
  const unknownSkills: string[] = [];
  for (const s of dossier.skills) {
    const uri = normaliseEscoUri(s.uri);
    if (knownSkillUris.has(uri)) knownSkills.push(uri);
    else unknownSkills.push(uri);
  }
  return {
    tier: dossier.profile.support ? tierOfSupportLevel(dossier.profile.support.level) : null,
    eqf: mapEqf(dossier.profile.education.eqf),
    languages,
    unmappedLanguages,
    knownSkills,
    unknownSkills,
  };
}

/** Languages the person already has, plus the imported ones they did not have (existing levels kept). */
export function mergeLanguages(
  existing: { code: string; level: string }[],
  imported: { code: string; level: string }[],
): { code: string; level: string }[] {
  const out = [...existing];
  for (const l of imported) if (!out.some((x) => x.code === l.code)) out.push(l);
  return out;
}
