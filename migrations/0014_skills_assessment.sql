-- Skills assessment (bilancio di competenze / di prossimità, issue 6 part 2): one assessment per
-- person, guided by 1..3 target ESCO occupations, with past jobs, education and informal experience;
-- the person's self-assessed level per skill (scale in src/skills/domain/levels.ts: 0 = "I don't have
-- it", 1..4 from "with help" to "I can teach it"), the operator's validated level after a blended
-- session, and an evidence portfolio stored in the database (outside the web root).

create table skill_assessments (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  status text not null default 'draft' check (status in ('draft', 'submitted', 'validated')),
  education_eqf smallint check (education_eqf between 1 and 8),
  education_title text check (length(education_title) <= 200),
  informal_experience text check (length(informal_experience) <= 4000),
  submitted_at timestamptz,
  validated_at timestamptz,
  validated_by uuid,
  session_date date,
  session_mode text check (session_mode in ('in_person', 'remote')),
  session_notes text check (length(session_notes) <= 4000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users,
  check (status <> 'validated' or (validated_at is not null and validated_by is not null
    and session_date is not null and session_mode is not null))
);
create unique index skill_assessments_one_per_person on skill_assessments (region_code, citizen_id);
create index skill_assessments_status on skill_assessments (region_code, status);

create table skill_assessment_targets (
  region_code text not null,
  assessment_id uuid not null,
  occupation_uri text not null references esco_occupations,
  position smallint not null check (position between 1 and 3),
  created_at timestamptz not null default now(),
  primary key (region_code, assessment_id, occupation_uri),
  unique (region_code, assessment_id, position),
  foreign key (region_code, assessment_id) references skill_assessments on delete cascade
);

create table skill_assessment_jobs (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  assessment_id uuid not null,
  occupation_uri text references esco_occupations,
  title text check (length(title) between 1 and 200),
  years smallint not null check (years between 0 and 60),
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, assessment_id) references skill_assessments on delete cascade,
  check (occupation_uri is not null or title is not null)
);
create index skill_assessment_jobs_assessment on skill_assessment_jobs (region_code, assessment_id);

create table skill_assessment_skills (
  region_code text not null,
  assessment_id uuid not null,
  skill_uri text not null references esco_skills,
  self_level smallint check (self_level between 0 and 4),
  validated_level smallint check (validated_level between 0 and 4),
  updated_at timestamptz not null default now(),
  primary key (region_code, assessment_id, skill_uri),
  foreign key (region_code, assessment_id) references skill_assessments on delete cascade
);

create table skill_evidence (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  assessment_id uuid not null,
  skill_uri text references esco_skills,   -- null: general evidence
  filename text not null check (length(filename) between 1 and 200),
  content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
  size integer not null check (size > 0),           -- the limit is the platform's upload limit
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null,
  scan_status text not null check (scan_status in ('clean', 'infected', 'not_scanned')), -- infected files are refused, never stored
  created_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, assessment_id) references skill_assessments on delete cascade
);
create index skill_evidence_assessment on skill_evidence (region_code, assessment_id, created_at);
