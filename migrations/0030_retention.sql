-- Retention (issue 8 item 10): the daily job's run reports and the people's erasure requests.
-- Periods per data category are configuration (src/retention/config.ts), not data.

-- One run of the retention job for one Region: what each category erased or pseudonymised.
create table retention_runs (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  -- The instant the job treated as "now" (the cut-offs are computed from it).
  run_at timestamptz not null,
  finished_at timestamptz not null default now(),
  trigger text not null check (trigger in ('schedule', 'admin')),
  -- [{ category, action, days, cutoff, affected }]
  results jsonb not null,
  total_affected integer not null,
  primary key (region_code, id)
);
create index retention_runs_recent on retention_runs (region_code, run_at desc);

-- A person's request to erase their data (GDPR art. 17) and its answer: what was erased, what was
-- kept and why (art. 17(3)(b): the public employment service's task).
create table erasure_requests (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  requested_at timestamptz not null default now(),
  asked text[] not null,
  erased text[] not null,
  refused text[] not null,
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users on delete cascade
);
create index erasure_requests_citizen on erasure_requests (region_code, citizen_id, requested_at desc);
