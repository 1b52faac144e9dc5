-- Profiling: the attitude questionnaire (as in the Dutch model) and the employment outcomes the
-- model is re-fitted from (`sportello profiling fit`).

create table attitude_responses (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  answers jsonb not null,
  score double precision not null check (score between 0 and 1),
  dimensions jsonb not null,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade
);
create index attitude_latest on attitude_responses (region_code, user_id, created_at desc);

-- Work found by a person (recorded by operators, applications or the national system). The model's
-- label is "still without work 12 months after profiling".
create table employment_outcomes (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  started_on date not null,
  source text not null check (source in ('operator', 'application', 'national_system', 'self_reported')),
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade
);
create index employment_outcomes_person on employment_outcomes (region_code, user_id, started_on);

-- The model inputs as they were when the tier was assigned: the re-fit learns from these.
alter table tier_assignments add column features jsonb;
