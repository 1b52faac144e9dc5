import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

/** Typed tables of migrations/0013_esco.sql (merged into `Database` in platform/db/schema.ts). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type SkillType = 'skill/competence' | 'knowledge';
export type ReuseLevel = 'transversal' | 'cross-sector' | 'sector-specific' | 'occupation-specific';
export type SkillRelation = 'essential' | 'optional';

export interface EscoIscoGroupsTable {
  code: string;
  uri: string;
  parent_code: string | null;
  label_en: string | null;
  label_it: string | null;
  updated_at: Timestamp;
}

export interface EscoOccupationsTable {
  uri: string;
  isco_code: string;
  code: string | null;
  label_en: string | null;
  label_it: string | null;
  alt_labels_en: TextArray;
  alt_labels_it: TextArray;
  description_en: string | null;
  description_it: string | null;
  search_text: ColumnType<string, string | undefined, string>;
  /** migrations/0018_esco_import.sql: the normalised labels of each language. */
  search_en: ColumnType<string, string | undefined, string>;
  search_it: ColumnType<string, string | undefined, string>;
  curated: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

export interface EscoSkillGroupsTable {
  uri: string;
  code: string | null;
  label_en: string | null;
  label_it: string | null;
  updated_at: Timestamp;
}

export interface EscoSkillsTable {
  uri: string;
  /** Dense integer used by the in-process matching index (identity, migration 0019). */
  match_id: GeneratedAlways<number>;
  skill_type: SkillType | null;
  reuse_level: ReuseLevel | null;
  label_en: string | null;
  label_it: string | null;
  alt_labels_en: TextArray;
  alt_labels_it: TextArray;
  description_en: string | null;
  description_it: string | null;
  is_language: ColumnType<boolean, boolean | undefined, boolean>;
  is_digital: ColumnType<boolean, boolean | undefined, boolean>;
  is_transversal: ColumnType<boolean, boolean | undefined, boolean>;
  search_text: ColumnType<string, string | undefined, string>;
  search_en: ColumnType<string, string | undefined, string>;
  search_it: ColumnType<string, string | undefined, string>;
  curated: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Timestamp;
}

export interface EscoBroaderTable {
  narrower_uri: string;
  broader_uri: string;
}

export interface EscoOccupationSkillsTable {
  occupation_uri: string;
  skill_uri: string;
  relation: SkillRelation;
}

export interface EscoImportsTable {
  id: Generated<string>;
  started_at: Timestamp;
  finished_at: Date | null;
  source: string;
  languages: TextArray;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
}

export interface EscoTables {
  esco_isco_groups: EscoIscoGroupsTable;
  esco_occupations: EscoOccupationsTable;
  esco_skill_groups: EscoSkillGroupsTable;
  esco_skills: EscoSkillsTable;
  esco_broader: EscoBroaderTable;
  esco_occupation_skills: EscoOccupationSkillsTable;
  esco_imports: EscoImportsTable;
}
