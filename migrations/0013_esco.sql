-- ESCO taxonomy (European Skills, Competences, Qualifications and Occupations), shared by all Regions:
-- occupations with their ISCO group, skills and knowledge with their groups and hierarchy, and the
-- occupation → essential/optional skill relations when the export carries them. Labels in Italian and
-- English side by side; `search_text` (lower-cased labels and alternative labels) is searched with
-- pg_trgm for typo tolerance. Imported by `sportello import esco <dir>`; the demo ships a curated set.
create extension if not exists pg_trgm;

create table esco_isco_groups (
  code text primary key,                 -- '2', '21', '216', '2166'
  uri text not null unique,
  parent_code text,                      -- one digit less; null for major groups
  label_en text,
  label_it text,
  updated_at timestamptz not null default now()
);

create table esco_occupations (
  uri text primary key,
  isco_code text not null,               -- the 4-digit unit group (ESCO occupations sit below it)
  code text,                             -- ESCO code, e.g. '2166.1', when the export has it
  label_en text,
  label_it text,
  alt_labels_en text[] not null default '{}',
  alt_labels_it text[] not null default '{}',
  description_en text,
  description_it text,
  search_text text not null default '',
  curated boolean not null default false, -- part of the project's demo set
  updated_at timestamptz not null default now(),
  check (label_en is not null or label_it is not null)
);
create index esco_occupations_isco on esco_occupations (isco_code);
create index esco_occupations_search on esco_occupations using gin (search_text gin_trgm_ops);

create table esco_skill_groups (
  uri text primary key,
  code text,
  label_en text,
  label_it text,
  updated_at timestamptz not null default now()
);

create table esco_skills (
  uri text primary key,
  skill_type text check (skill_type in ('skill/competence', 'knowledge')),
  reuse_level text check (reuse_level in ('transversal', 'cross-sector', 'sector-specific', 'occupation-specific')),
  label_en text,
  label_it text,
  alt_labels_en text[] not null default '{}',
  alt_labels_it text[] not null default '{}',
  description_en text,
  description_it text,
  is_language boolean not null default false,
  is_digital boolean not null default false,
  is_transversal boolean not null default false,
  search_text text not null default '',
  curated boolean not null default false,
  updated_at timestamptz not null default now(),
  check (label_en is not null or label_it is not null)
);
create index esco_skills_search on esco_skills using gin (search_text gin_trgm_ops);

-- Hierarchy: a skill or group below a broader skill group (or skill), as in skillsHierarchy and the
-- broaderConceptUri columns.
create table esco_broader (
  narrower_uri text not null,
  broader_uri text not null,
  primary key (narrower_uri, broader_uri)
);
create index esco_broader_broader on esco_broader (broader_uri);

create table esco_occupation_skills (
  occupation_uri text not null references esco_occupations on delete cascade,
  skill_uri text not null references esco_skills on delete cascade,
  relation text not null check (relation in ('essential', 'optional')),
  primary key (occupation_uri, skill_uri)
);
create index esco_occupation_skills_skill on esco_occupation_skills (skill_uri);

-- One row per import run: what was read, how long it took (for the import report and the bench).
create table esco_imports (
  id uuid primary key default gen_random_uuid(),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  source text not null,
  languages text[] not null default '{}',
  counts jsonb not null default '{}'
);
