-- Digital-skills check (report §1.4, §3.7): one row per attempt, with its answers (state) and,
-- once finished, the overall and per-area levels (0–3). administered_by is the CPI operator who ran
-- the check with the person (assisted mode), null when the person took it alone.
-- Keys lead with region_code (Citus-ready).

create table digital_check_attempts (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  administered_by uuid,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  state jsonb not null,
  overall_level integer check (overall_level between 0 and 3),
  area_levels jsonb,
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade,
  foreign key (region_code, administered_by) references users on delete set null (administered_by),
  check ((finished_at is null) = (overall_level is null)),
  check ((finished_at is null) = (area_levels is null))
);

-- The latest attempts of a person.
create index digital_check_attempts_user on digital_check_attempts (region_code, user_id, started_at desc);

-- At most one open attempt per person and mode (alone, or with a given operator): a double click on
-- "start" resumes instead of creating a second attempt.
create unique index digital_check_attempts_open on digital_check_attempts
  (region_code, user_id, coalesce(administered_by, '00000000-0000-0000-0000-000000000000'::uuid))
  where finished_at is null;
