import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Lang } from '../../platform/i18n/i18n.ts';
import type { SkillRelation } from '../adapters/esco-tables.ts';
import { normaliseText } from '../domain/normalise.ts';

/**
 * Label search with typo tolerance: pg_trgm's word similarity between the normalised query and the
 * normalised labels (Italian and English together, so "infermeire" finds the nurse in both
 * languages). The GIN trigram index on search_text serves `%>` and `like`. Results in the person's
 * language first: a match in the labels of that language ranks a little higher.
 */
export const OCCUPATION_URI_PREFIX = 'http://data.europa.eu/esco/occupation/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Below 0.6 (the pg_trgm default) so that one swapped pair of letters in a short word still matches. */
const WORD_SIMILARITY_THRESHOLD = 0.45;

export type ConceptHit = {
  uri: string;
  label: string;
  /** The label in the other language, when there is one and it differs. */
  otherLabel: string | null;
  /** The language of `label` (for the lang attribute when it is not the page's). */
  labelLang: 'it' | 'en';
  score: number;
};
export type OccupationHit = ConceptHit & { iscoCode: string; id: string | null };
export type SkillHit = ConceptHit & { skillType: string | null };

function pick(
  lang: Lang,
  it: string | null,
  en: string | null,
): { label: string; labelLang: 'it' | 'en'; other: string | null } {
  // Arabic pages show the Italian label (the name used at the CPI and in vacancies) with the English one beside it.
  if (lang === 'en' && en) return { label: en, labelLang: 'en', other: it && it !== en ? it : null };
  if (it) return { label: it, labelLang: 'it', other: en && en !== it ? en : null };
  return { label: en ?? '', labelLang: 'en', other: null };
}

/** The UUID at the end of an ESCO occupation URI: the id in /professioni/<uuid>. */
export function occupationId(uri: string): string | null {
  if (!uri.startsWith(OCCUPATION_URI_PREFIX)) return null;
  const id = uri.slice(OCCUPATION_URI_PREFIX.length);
  return UUID.test(id) ? id : null;
}

type Table = 'esco_occupations' | 'esco_skills';

async function searchConcepts<Extra extends string>(
  db: Db,
  table: Table,
  extra: Extra,
  q: string,
  lang: Lang,
  limit: number,
): Promise<
  (Record<Extra, string | null> & {
    uri: string;
    label_it: string | null;
    label_en: string | null;
    score: number;
  })[]
> {
  const query = normaliseText(q).slice(0, 100);
  if (query.length < 2) return [];
  const mine = sql.raw(lang === 'en' ? 'search_en' : 'search_it');
  const n = Math.max(1, Math.min(limit, 100));
  return db.transaction().execute(async (trx) => {
    // Both settings last only for this transaction. The planner does not know that word_similarity on
    // a long list of labels costs ~0.15 ms a row and picks a sequential scan (≈400 ms over the 3,000
    // ESCO occupations); through the trigram index the same query takes a few ms
    // (bench/results/esco-import.json, search.medianMs).
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true),
                     set_config('enable_seqscan', 'off', true)`.execute(trx);
    const result = await sql<
      Record<Extra, string | null> & {
        uri: string;
        label_it: string | null;
        label_en: string | null;
        score: number;
      }
    >`
      select uri, label_it, label_en, ${sql.ref(extra)},
             greatest(word_similarity(${query}, search_text), word_similarity(${query}, ${mine}) + 0.05)
               + case when search_text like ${`${query}%`} or search_text like ${`%| ${query}%`} then 0.2 else 0 end as score
        from ${sql.table(table)}
       where search_text %> ${query} or search_text like ${`%${query}%`}
       order by score desc, length(coalesce(label_it, label_en)), uri
       limit ${n}`.execute(trx);
    return result.rows;
  });
}

export async function searchOccupations(db: Db, q: string, lang: Lang, limit = 20): Promise<OccupationHit[]> {
  const rows = await searchConcepts(db, 'esco_occupations', 'isco_code', q, lang, limit);
  return rows.map((r) => {
    const p = pick(lang, r.label_it, r.label_en);
    return {
      uri: r.uri,
      id: occupationId(r.uri),
      label: p.label,
      labelLang: p.labelLang,
      otherLabel: p.other,
      iscoCode: r.isco_code ?? '',
      score: Number(r.score),
    };
  });
}

export async function searchSkills(db: Db, q: string, lang: Lang, limit = 20): Promise<SkillHit[]> {
  const rows = await searchConcepts(db, 'esco_skills', 'skill_type', q, lang, limit);
  return rows.map((r) => {
    const p = pick(lang, r.label_it, r.label_en);
    return {
      uri: r.uri,
      label: p.label,
      labelLang: p.labelLang,
      otherLabel: p.other,
      skillType: r.skill_type,
      score: Number(r.score),
    };
  });
}

export type OccupationSkill = {
  uri: string;
  label: string;
  labelLang: 'it' | 'en';
  relation: SkillRelation;
  skillType: string | null;
};

export type OccupationDetail = {
  uri: string;
  id: string | null;
  label: string;
  labelLang: 'it' | 'en';
  otherLabel: string | null;
  altLabels: string[];
  description: string | null;
  descriptionLang: 'it' | 'en';
  code: string | null;
  isco: { code: string; label: string | null; labelLang: 'it' | 'en' };
  curated: boolean;
  /** Essential skills first, then optional ones; each by label. */
  skills: OccupationSkill[];
};

/** An occupation by URI (or by the UUID of an ESCO occupation URI) with its skills, essential first. */
export async function occupation(db: Db, uriOrId: string, lang: Lang): Promise<OccupationDetail | null> {
  const uri = UUID.test(uriOrId) ? `${OCCUPATION_URI_PREFIX}${uriOrId}` : uriOrId;
  const row = await db
    .selectFrom('esco_occupations as o')
    .leftJoin('esco_isco_groups as g', 'g.code', 'o.isco_code')
    .select([
      'o.uri',
      'o.isco_code',
      'o.code',
      'o.label_it',
      'o.label_en',
      'o.alt_labels_it',
      'o.alt_labels_en',
      'o.description_it',
      'o.description_en',
      'o.curated',
      'g.label_it as isco_it',
      'g.label_en as isco_en',
    ])
    .where('o.uri', '=', uri)
    .executeTakeFirst();
  if (!row) return null;
  const skills = await db
    .selectFrom('esco_occupation_skills as x')
    .innerJoin('esco_skills as s', 's.uri', 'x.skill_uri')
    .select(['s.uri', 's.label_it', 's.label_en', 's.skill_type', 'x.relation'])
    .where('x.occupation_uri', '=', uri)
    .execute();
  const p = pick(lang, row.label_it, row.label_en);
  const isco = pick(lang, row.isco_it, row.isco_en);
  const descriptionIt = lang !== 'en' && row.description_it;
  const list = skills
    .map((s) => {
      const sp = pick(lang, s.label_it, s.label_en);
      return {
        uri: s.uri,
        label: sp.label,
        labelLang: sp.labelLang,
        relation: s.relation,
        skillType: s.skill_type,
      };
    })
    .sort(
      (a, b) =>
        (a.relation === b.relation ? 0 : a.relation === 'essential' ? -1 : 1) ||
        a.label.localeCompare(b.label, lang),
    );
  return {
    uri: row.uri,
    id: occupationId(row.uri),
    label: p.label,
    labelLang: p.labelLang,
    otherLabel: p.other,
    altLabels: p.labelLang === 'en' ? row.alt_labels_en : row.alt_labels_it,
    description: (descriptionIt ? row.description_it : (row.description_en ?? row.description_it)) || null,
    descriptionLang: descriptionIt ? 'it' : row.description_en ? 'en' : 'it',
    code: row.code,
    isco: { code: row.isco_code, label: isco.label || null, labelLang: isco.labelLang },
    curated: row.curated,
    skills: list,
  };
}
