-- Foundation: Regions, offices, agencies, accounts, sessions, sign-in codes, rate limits,
-- audit log (append-only, hash-chained), help requests, accessibility feedback, dev outbox, API tokens.
-- Every Region-owned table carries region_code and leads its keys with it (Citus-ready).

create extension if not exists pgcrypto;

create table regions (
  region_code text primary key check (region_code ~ '^[0-9]{2}$'),
  name text not null,
  is_national boolean not null default false
);

create table municipalities (
  istat_code text primary key check (istat_code ~ '^[0-9]{6}$'),
  region_code text not null,
  name text not null,
  province text not null,
  belfiore text not null,
  latitude double precision,
  longitude double precision
);
create index municipalities_region on municipalities (region_code, name);
create index municipalities_belfiore on municipalities (belfiore);

create table offices (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  name text not null,
  address text not null,
  municipality_code text not null references municipalities,
  hours text not null,
  email text not null,
  phone text not null,
  primary key (region_code, id)
);

create table agencies (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  name text not null,
  vat_number text not null,
  address text not null,
  municipality_code text not null references municipalities,
  primary key (region_code, id)
);

create table accreditations (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  agency_id uuid not null,
  services text[] not null,
  valid_from date not null,
  valid_to date not null,
  primary key (region_code, id),
  foreign key (region_code, agency_id) references agencies,
  check (valid_to >= valid_from)
);

create table companies (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  name text not null,
  vat_number text not null,
  fiscal_code text not null,
  primary key (region_code, id)
);

create table users (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  role text not null check (role in ('citizen','employer','cpi_operator','apl_operator','regional_manager','national_manager','admin')),
  email text,
  email_verified_at timestamptz,
  phone text,
  password_hash text,
  fiscal_code text,
  given_name text not null,
  family_name text not null,
  birth_date date,
  sex text check (sex in ('M','F')),
  birth_place_code text,
  is_minor boolean not null default false,
  office_id uuid,
  agency_id uuid,
  company_id uuid,
  totp_secret text,
  totp_enabled_at timestamptz,
  sms_second_factor boolean not null default false,
  preferred_language text not null default 'it',
  locked_until timestamptz,
  failed_code_attempts integer not null default 0,
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, office_id) references offices,
  foreign key (region_code, agency_id) references agencies,
  foreign key (region_code, company_id) references companies,
  check (role <> 'cpi_operator' or office_id is not null),
  check (role <> 'apl_operator' or agency_id is not null),
  check (role <> 'employer' or company_id is not null)
);
create unique index users_email on users (lower(email)) where email is not null;
create unique index users_fiscal_code on users (fiscal_code) where fiscal_code is not null and role = 'citizen';
create unique index users_id on users (id);

create table sessions (
  id_hash bytea primary key,
  region_code text not null,
  user_id uuid not null,
  stage text not null check (stage in ('second_factor', 'active')),
  auth_method text not null,
  csrf_seed text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  ip text,
  user_agent text,
  foreign key (region_code, user_id) references users on delete cascade
);
create index sessions_user on sessions (region_code, user_id);

create table one_time_codes (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  purpose text not null check (purpose in ('sign_in')),
  code_hash text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade
);

create table password_resets (
  token_hash text primary key,
  region_code text not null,
  user_id uuid not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  foreign key (region_code, user_id) references users on delete cascade
);

create table oidc_transactions (
  state text primary key,
  code_verifier text not null,
  nonce text not null,
  provider text not null,
  created_at timestamptz not null default now()
);

create table rate_limits (
  key text primary key,
  window_start timestamptz not null,
  hits integer not null
);

create table api_tokens (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  token_hash text not null unique,
  name text not null,
  user_id uuid not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  primary key (region_code, id),
  foreign key (region_code, user_id) references users on delete cascade
);

-- Audit: one hash chain per Region. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE
-- for every role, and the privileges are revoked from PUBLIC.
create table audit_log (
  region_code text not null,
  seq bigint not null,
  at timestamptz not null default clock_timestamp(),
  action text not null,
  outcome text not null,
  actor_id uuid,
  actor_role text,
  actor_region text,
  actor_office_id uuid,
  actor_agency_id uuid,
  on_behalf_of uuid,
  subject_id uuid,
  purpose text,
  object_type text,
  object_id text,
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null,
  primary key (region_code, seq)
);
create index audit_subject on audit_log (region_code, subject_id, at desc) where subject_id is not null;

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_is_append_only();
revoke update, delete, truncate on audit_log from public;

create table help_requests (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  office_id uuid not null,
  user_id uuid,
  name text not null,
  contact text not null,
  channel text not null check (channel in ('phone','email','in_person','video')),
  topic text not null,
  message text not null,
  language text not null,
  status text not null default 'open' check (status in ('open','in_progress','closed')),
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, office_id) references offices
);
create index help_requests_office on help_requests (region_code, office_id, status, created_at desc);

create table accessibility_feedback (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  page_url text not null,
  message text not null,
  contact text,
  created_at timestamptz not null default now(),
  primary key (region_code, id)
);

-- Messages captured in demo mode instead of being sent (shown at /dev/outbox).
create table dev_outbox (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  channel text not null check (channel in ('email','sms')),
  recipient text not null,
  subject text,
  body text not null,
  created_at timestamptz not null default now()
);

-- Messages accepted for sending: written in the same transaction as the change, sent by a worker
-- once per idempotency key.
create table sent_messages (
  idempotency_key text primary key,
  channel text not null,
  recipient text not null,
  sent_at timestamptz not null default now()
);
