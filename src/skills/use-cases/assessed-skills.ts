import type { Db } from '../../platform/db/database.ts';
import { effectiveLevel } from '../domain/levels.ts';

/**
 * The skills the person has (level 1–4) according to their assessment: the operator's validated level
 * once the assessment is validated (`validated: true`), otherwise the self-assessed one. Skills marked
 * "non la possiedo" or not answered are left out. Highest level first, then by Italian label.
 */
export async function assessedSkills(
  db: Db,
  regionCode: string,
  citizenId: string,
): Promise<
  { uri: string; labelIt: string | null; labelEn: string | null; level: number; validated: boolean }[]
> {
  if (!/^[0-9a-f-]{36}$/i.test(citizenId)) return [];
  const rows = await db
    .selectFrom('skill_assessments as a')
    .innerJoin('skill_assessment_skills as k', (j) =>
      j.onRef('k.region_code', '=', 'a.region_code').onRef('k.assessment_id', '=', 'a.id'),
    )
    .innerJoin('esco_skills as s', 's.uri', 'k.skill_uri')
    .select(['s.uri', 's.label_it', 's.label_en', 'k.self_level', 'k.validated_level', 'a.status'])
    .where('a.region_code', '=', regionCode)
    .where('a.citizen_id', '=', citizenId)
    .execute();
  const collator = new Intl.Collator('it', { sensitivity: 'base' });
  return rows
    .map((r) => {
      const validated = r.status === 'validated' && r.validated_level !== null;
      return {
        uri: r.uri,
        labelIt: r.label_it,
        labelEn: r.label_en,
        level: effectiveLevel(r.self_level, r.validated_level, r.status === 'validated') ?? 0,
        validated,
      };
    })
    .filter((r) => r.level >= 1)
    .sort(
      (a, b) =>
        b.level - a.level || collator.compare(a.labelIt ?? a.labelEn ?? '', b.labelIt ?? b.labelEn ?? ''),
    );
}
