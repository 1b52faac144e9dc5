import type { Db } from '../../platform/db/database.ts';
import { labelFor, missingSkills, type Relation } from '../domain/gap.ts';

export type SkillGap = {
  occupationUri: string;
  occupationLabel: string;
  missing: { uri: string; label: string; relation: 'essential' | 'optional' }[];
};

/**
 * The person's current gaps: for each target occupation of their assessment (in the order they chose
 * them), the ESCO skills they do not have (no level or "non la possiedo"; the operator's level counts
 * once validated), missing essential skills first. No assessment or no target → [].
 */
export async function currentGaps(
  db: Db,
  regionCode: string,
  citizenId: string,
  lang: 'it' | 'en' | 'ar',
): Promise<SkillGap[]> {
  if (!/^[0-9a-f-]{36}$/i.test(citizenId)) return [];
  const assessment = await db
    .selectFrom('skill_assessments')
    .select(['id', 'status'])
    .where('region_code', '=', regionCode)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  if (!assessment) return [];
  const targets = await db
    .selectFrom('skill_assessment_targets as t')
    .innerJoin('esco_occupations as o', 'o.uri', 't.occupation_uri')
    .select(['o.uri', 'o.label_it', 'o.label_en'])
    .where('t.region_code', '=', regionCode)
    .where('t.assessment_id', '=', assessment.id)
    .orderBy('t.position')
    .execute();
  if (targets.length === 0) return [];
  const rows = await db
    .selectFrom('esco_occupation_skills as os')
    .innerJoin('esco_skills as s', 's.uri', 'os.skill_uri')
    .leftJoin('skill_assessment_skills as a', (j) =>
      j
        .onRef('a.skill_uri', '=', 'os.skill_uri')
        .on('a.region_code', '=', regionCode)
        .on('a.assessment_id', '=', assessment.id),
    )
    .select([
      'os.occupation_uri',
      'os.relation',
      's.uri',
      's.label_it',
      's.label_en',
      'a.self_level',
      'a.validated_level',
    ])
    .where(
      'os.occupation_uri',
      'in',
      targets.map((t) => t.uri),
    )
    .execute();
  const validated = assessment.status === 'validated';
  const locale = lang === 'en' ? 'en' : 'it';
  return targets.map((t) => ({
    occupationUri: t.uri,
    occupationLabel: labelFor(lang, t.label_it, t.label_en, t.uri),
    missing: missingSkills(
      rows
        .filter((r) => r.occupation_uri === t.uri)
        .map((r) => ({
          uri: r.uri,
          label: labelFor(lang, r.label_it, r.label_en, r.uri),
          relation: r.relation as Relation,
          selfLevel: r.self_level,
          validatedLevel: r.validated_level,
        })),
      validated,
      locale,
    ),
  }));
}
