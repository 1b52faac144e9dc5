-- Onboarding: the citizen's profile (filled one question per page, resumable), the DID with its
-- history, documents issued with a verification code, the outbox towards the national system,
-- service tiers (with operator overrides) and the person's channel choices.

alter table one_time_codes drop constraint one_time_codes_purpose_check;
alter table one_time_codes add constraint one_time_codes_purpose_check
  check (purpose in ('sign_in', 'verify_email', 'verify_phone'));

create table citizen_profiles (
  region_code text not null,
  user_id uuid not null,
  email text,
  email_verified_at timestamptz,
  mobile text,
  mobile_verified_at timestamptz,
  domicile_code text references municipalities,
  education_eqf smallint check (education_eqf between 0 and 8),
  education_title text,
  work_history jsonb not null default '[]'::jsonb,
  unemployed_since date,
  benefits text[] not null default '{}',
  languages jsonb not null default '[]'::jsonb,
  driving_licences text[] not null default '{}',
  availability jsonb,
  current_step text not null default 'contatti',
  completed_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (region_code, user_id),
  foreign key (region_code, user_id) references users on delete cascade
);

create table did_declarations (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  status text not null check (status in ('active', 'suspended', 'withdrawn')),
  declared_at timestamptz not null default now(),
  verification_code text not null unique,
  minor_flag boolean not null default false,
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade
);
-- One DID in force per person at a time.
create unique index did_one_in_force on did_declarations (region_code, user_id) where status <> 'withdrawn';

create table did_events (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  did_id uuid not null,
  user_id uuid not null,
  event text not null check (event in ('declared', 'suspended', 'resumed', 'withdrawn')),
  reason text,
  actor_id uuid,
  at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, did_id) references did_declarations
);

-- Documents the platform issued; /verifica/<code> answers from here. The PDF is kept as issued.
create table issued_documents (
  verification_code text primary key,
  region_code text not null,
  user_id uuid not null,
  kind text not null,
  title text not null,
  sha256 text not null,
  pdf bytea not null,
  issued_at timestamptz not null default now(),
  revoked_at timestamptz,
  foreign key (region_code, user_id) references users on delete cascade
);

-- Events for the national system (SIU/ANPAL), written in the same transaction as the change;
-- delivery comes with the casework issue, exactly once per idempotency key.
create table national_outbox (
  region_code text not null,
  id bigint generated always as identity,
  idempotency_key text not null unique,
  kind text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  attempts integer not null default 0,
  primary key (region_code, id)
);

create table tier_assignments (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  tier smallint not null check (tier between 1 and 3),
  risk double precision,
  reasons text[] not null default '{}',
  digital_level smallint,
  attitude_score double precision,
  source text not null check (source in ('model', 'override')),
  override_reason text,
  actor_id uuid,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade,
  check (source <> 'override' or (override_reason is not null and actor_id is not null))
);
create index tier_assignments_latest on tier_assignments (region_code, user_id, created_at desc);

create table channel_choices (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  phase text not null check (phase in ('information', 'engagement', 'orientation', 'search', 'monitoring', 'checks')),
  channel text not null check (channel in ('remote', 'blended', 'in_person')),
  source text not null check (source in ('suggested', 'person')),
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade
);
create index channel_choices_latest on channel_choices (region_code, user_id, phase, created_at desc);

alter table help_requests add column step text;
