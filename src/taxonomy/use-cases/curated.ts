import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { SkillType } from '../adapters/esco-tables.ts';
import { collectionFlags } from '../domain/esco-files.ts';
import { searchTextOf } from '../domain/normalise.ts';

/**
 * The project's curated ESCO set (src/taxonomy/data/curated-esco.json): occupations common in CPI
 * caseloads with real ESCO URIs, ISCO codes and English labels, Italian labels by the project, and
 * 4–8 key skills each (real ESCO URIs from the collections, otherwise `urn:sportello:skill:` ones).
 * Loaded by the demo and the test platform; never overwrites what an official import wrote (labels
 * are only filled where empty), only marks the rows as curated.
 */
export type CuratedSkill = {
  uri: string;
  skillType: SkillType | null;
  labelEn: string;
  labelIt: string;
  collection?: string;
  projectDefined: boolean;
};
export type CuratedOccupation = {
  uri: string;
  iscoCode: string;
  labelEn: string;
  labelIt: string;
  altLabelsEn: string[];
  descriptionEn: string | null;
  essentialSkills: string[];
  optionalSkills: string[];
};
export type CuratedSet = {
  source: string;
  version: number;
  iscoGroups: { code: string; uri: string; labelEn: string }[];
  skills: CuratedSkill[];
  occupations: CuratedOccupation[];
};

let cached: CuratedSet | undefined;

export function curatedSet(): CuratedSet {
  cached ??= JSON.parse(
    readFileSync(new URL('../data/curated-esco.json', import.meta.url), 'utf8'),
  ) as CuratedSet;
  return cached;
}

// Serialises concurrent first starts (distinct from the migration and demo locks).
const CURATED_LOCK = 727280;

async function isLoaded(db: Db, set: CuratedSet): Promise<boolean> {
  const row = await db
    .selectFrom('esco_occupations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('curated', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n) >= set.occupations.length;
}

/** Idempotent: returns false when the set was already there (one count query). */
export async function ensureCuratedEsco(db: Db): Promise<boolean> {
  const set = curatedSet();
  if (await isLoaded(db, set)) return false;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${CURATED_LOCK})`.execute(trx);
    if (await isLoaded(trx, set)) return false;

    const groups = set.iscoGroups.map((g) => ({
      code: g.code,
      uri: g.uri,
      parent: g.code.length > 1 ? g.code.slice(0, -1) : null,
      label: g.labelEn,
    }));
    await sql`
      insert into esco_isco_groups as g (code, uri, parent_code, label_en)
      select code, uri, parent, label from jsonb_to_recordset(${JSON.stringify(groups)}::jsonb)
        as r(code text, uri text, parent text, label text)
      on conflict (code) do update set label_en = coalesce(g.label_en, excluded.label_en)`.execute(trx);

    const skills = set.skills.map((s) => ({
      uri: s.uri,
      skill_type: s.skillType,
      en: s.labelEn,
      it: s.labelIt,
      search_en: searchTextOf([s.labelEn]),
      search_it: searchTextOf([s.labelIt]),
      ...collectionFlags(s.collection),
    }));
    await sql`
      insert into esco_skills as s (uri, skill_type, label_en, label_it, search_en, search_it, search_text,
                                    is_language, is_digital, is_transversal, curated)
      select uri, skill_type, en, it, search_en, search_it, concat_ws(' | ', search_en, search_it),
             coalesce(is_language, false), coalesce(is_digital, false), coalesce(is_transversal, false), true
        from jsonb_to_recordset(${JSON.stringify(skills)}::jsonb)
          as r(uri text, skill_type text, en text, it text, search_en text, search_it text,
               is_language boolean, is_digital boolean, is_transversal boolean)
      on conflict (uri) do update set
        curated = true,
        skill_type = coalesce(s.skill_type, excluded.skill_type),
        label_en = coalesce(s.label_en, excluded.label_en),
        label_it = coalesce(s.label_it, excluded.label_it),
        search_en = case when s.search_en = '' then excluded.search_en else s.search_en end,
        search_it = case when s.search_it = '' then excluded.search_it else s.search_it end,
        search_text = concat_ws(' | ',
          nullif(case when s.search_en = '' then excluded.search_en else s.search_en end, ''),
          nullif(case when s.search_it = '' then excluded.search_it else s.search_it end, ''))`.execute(trx);

    const occupations = set.occupations.map((o) => ({
      uri: o.uri,
      isco: o.iscoCode,
      en: o.labelEn,
      it: o.labelIt,
      alts_en: o.altLabelsEn,
      descr_en: o.descriptionEn,
      search_en: searchTextOf([o.labelEn, ...o.altLabelsEn]),
      search_it: searchTextOf([o.labelIt]),
    }));
    await sql`
      insert into esco_occupations as o (uri, isco_code, label_en, label_it, alt_labels_en, description_en,
                                         search_en, search_it, search_text, curated)
      select uri, isco, en, it, coalesce(alts_en, '{}'), descr_en, search_en, search_it,
             concat_ws(' | ', search_en, search_it), true
        from jsonb_to_recordset(${JSON.stringify(occupations)}::jsonb)
          as r(uri text, isco text, en text, it text, alts_en text[], descr_en text, search_en text, search_it text)
      on conflict (uri) do update set
        curated = true,
        label_en = coalesce(o.label_en, excluded.label_en),
        label_it = coalesce(o.label_it, excluded.label_it),
        alt_labels_en = case when o.label_en is null then excluded.alt_labels_en else o.alt_labels_en end,
        description_en = coalesce(o.description_en, excluded.description_en),
        search_en = case when o.search_en = '' then excluded.search_en else o.search_en end,
        search_it = case when o.search_it = '' then excluded.search_it else o.search_it end,
        search_text = concat_ws(' | ',
          nullif(case when o.search_en = '' then excluded.search_en else o.search_en end, ''),
          nullif(case when o.search_it = '' then excluded.search_it else o.search_it end, ''))`.execute(trx);

    const relations = set.occupations.flatMap((o) => [
      ...o.essentialSkills.map((s) => ({ o: o.uri, s, r: 'essential' })),
      ...o.optionalSkills.map((s) => ({ o: o.uri, s, r: 'optional' })),
    ]);
    await sql`
      insert into esco_occupation_skills (occupation_uri, skill_uri, relation)
      select o, s, r from jsonb_to_recordset(${JSON.stringify(relations)}::jsonb) as x(o text, s text, r text)
      on conflict do nothing`.execute(trx);
    return true;
  });
}
