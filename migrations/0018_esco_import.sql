-- ESCO import: the searchable text is kept per language (search_en, search_it) so that importing the
-- Italian files after the English ones (or the other way round) rebuilds `search_text` from both
-- in one upsert, without reading the rows back. Both hold labels normalised in TypeScript
-- (lower case, accents removed: src/taxonomy/domain/normalise.ts).
alter table esco_occupations
  add column search_en text not null default '',
  add column search_it text not null default '';
alter table esco_skills
  add column search_en text not null default '',
  add column search_it text not null default '';
