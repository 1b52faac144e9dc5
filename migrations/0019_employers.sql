-- Issue 7: the company space, vacancies with CPI moderation, applications, consent-gated candidate
-- search with contact requests and messages, CPI pre-selection, recruiting days, and what the
-- in-process matching index needs (integer keys and change notifications).
-- Keys lead with region_code (Citus-ready); an object of another Region is "not found".

-- ── Company space ──────────────────────────────────────────────────────────────────────────────
alter table companies
  add column ateco_section text check (ateco_section ~ '^[A-U]$'),
  add column ateco_code text check (ateco_code ~ '^[0-9]{2}(\.[0-9]{1,2}(\.[0-9]{1,2})?)?$'),
  add column size_band text check (size_band in ('micro', 'small', 'medium', 'large')),
  add column description text check (length(description) <= 2000),
  add column website text check (website ~ '^https://[^\s]{3,200}$'),
  add column public_slug text check (public_slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  add column created_at timestamptz not null default now();
create unique index companies_vat on companies (region_code, vat_number);
create unique index companies_slug on companies (region_code, public_slug) where public_slug is not null;

-- The company user's role inside the company: admin (manages users and the company page) or recruiter.
alter table users add column company_role text check (company_role in ('admin', 'recruiter'));
update users set company_role = 'admin' where role = 'employer';
alter table users add constraint users_company_role check (role <> 'employer' or company_role is not null);

create table company_sites (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  company_id uuid not null,
  municipality_code text not null references municipalities,
  address text not null check (length(address) between 3 and 200),
  headquarters boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, company_id) references companies on delete cascade
);
create index company_sites_company on company_sites (region_code, company_id);
create unique index company_sites_one_hq on company_sites (region_code, company_id) where headquarters;

create table company_invites (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  company_id uuid not null,
  email text not null check (length(email) between 3 and 254),
  company_role text not null check (company_role in ('admin', 'recruiter')),
  token_hash text not null unique,
  invited_by uuid not null,
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_user_id uuid,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, company_id) references companies on delete cascade
);
create unique index company_invites_open on company_invites (region_code, company_id, lower(email))
  where accepted_at is null and revoked_at is null;

-- ── Vacancies ──────────────────────────────────────────────────────────────────────────────────
create table vacancies (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  -- The matching index's integer key (deterministic ties: lower first).
  match_seq integer generated always as identity unique,
  company_id uuid not null,
  site_id uuid,
  title text not null check (length(title) between 3 and 150),
  description text not null check (length(description) between 20 and 5000),
  occupation_uri text references esco_occupations,
  eqf_required smallint not null default 0 check (eqf_required between 0 and 8),
  experience_years smallint not null default 0 check (experience_years between 0 and 40),
  municipality_code text references municipalities,
  remote text not null default 'no' check (remote in ('no', 'hybrid', 'full')),
  contract_type text not null check (contract_type in
    ('indeterminato', 'determinato', 'apprendistato', 'somministrazione', 'tirocinio', 'stagionale')),
  hours text not null check (hours in ('full_time', 'part_time')),
  weekly_hours smallint check (weekly_hours between 1 and 48),
  pay_min integer check (pay_min >= 0),
  pay_max integer check (pay_max >= 0),
  pay_period text check (pay_period in ('hour', 'month', 'year')),
  positions smallint not null default 1 check (positions between 1 and 500),
  start_date date,
  expires_on date not null,
  -- Reserved for the "collocamento mirato" (L. 68/1999, people with disabilities and protected categories).
  reserved_l68 boolean not null default false,
  -- Summer or temporary work (§1.4).
  seasonal boolean not null default false,
  -- Driving licence category required (null: none).
  driving_licence text check (driving_licence in ('AM', 'A1', 'A2', 'A', 'B', 'BE', 'C', 'CE', 'D', 'DE', 'CQC')),
  safety_info text check (length(safety_info) <= 2000),
  status text not null default 'draft' check (status in ('draft', 'submitted', 'published', 'rejected', 'expired', 'closed')),
  moderation_reason text check (length(moderation_reason) <= 1000),
  moderated_by uuid,
  moderated_at timestamptz,
  published_at timestamptz,
  closed_at timestamptz,
  outcome text check (outcome in ('filled_platform', 'filled_elsewhere', 'not_filled')),
  hired_citizen_id uuid,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    to_tsvector('italian'::regconfig, title || ' ' || description)
  ) stored,
  primary key (region_code, id),
  foreign key (region_code, company_id) references companies,
  foreign key (region_code, site_id) references company_sites,
  check (pay_min is null or pay_max is null or pay_min <= pay_max),
  check ((pay_min is null and pay_max is null) or pay_period is not null),
  check (remote = 'full' or municipality_code is not null),
  check (status <> 'rejected' or moderation_reason is not null),
  check (status <> 'closed' or outcome is not null)
);
create index vacancies_company on vacancies (region_code, company_id, status);
create index vacancies_published on vacancies (region_code, status, expires_on);
create index vacancies_search on vacancies using gin (search_vector);

create table vacancy_skills (
  region_code text not null,
  vacancy_id uuid not null,
  skill_uri text not null references esco_skills,
  essential boolean not null default true,
  primary key (region_code, vacancy_id, skill_uri),
  foreign key (region_code, vacancy_id) references vacancies on delete cascade
);

create table vacancy_languages (
  region_code text not null,
  vacancy_id uuid not null,
  language text not null check (language ~ '^[a-z]{2}$'),
  level text not null check (level in ('A1', 'A2', 'B1', 'B2', 'C1', 'C2')),
  primary key (region_code, vacancy_id, language),
  foreign key (region_code, vacancy_id) references vacancies on delete cascade
);

-- Every step of a vacancy's life (submitted, published, rejected with its reason, expired, closed).
create table vacancy_events (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  vacancy_id uuid not null,
  event text not null check (event in ('created', 'edited', 'submitted', 'published', 'rejected', 'expired', 'closed')),
  actor_id uuid,
  reason text check (length(reason) <= 1000),
  at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, vacancy_id) references vacancies on delete cascade
);
create index vacancy_events_vacancy on vacancy_events (region_code, vacancy_id, at);

-- ── The person's consent to be found by employers (pseudonymous until a contact is accepted) ──
alter table citizen_profiles add column match_seq integer generated always as identity;
create unique index citizen_profiles_match_seq on citizen_profiles (match_seq);

create table candidate_visibility (
  region_code text not null,
  citizen_id uuid not null,
  visible boolean not null,
  changed_at timestamptz not null default now(),
  primary key (region_code, citizen_id),
  foreign key (region_code, citizen_id) references users on delete cascade
);

-- ── Applications ───────────────────────────────────────────────────────────────────────────────
create table applications (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  vacancy_id uuid not null,
  citizen_id uuid not null,
  -- The CV as it was when the person applied (cv context's document), and its version.
  cv_snapshot jsonb not null,
  cv_version integer not null,
  message text check (length(message) <= 2000),
  status text not null default 'sent' check (status in ('sent', 'viewed', 'interview', 'rejected', 'hired', 'withdrawn')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (region_code, id),
  unique (region_code, vacancy_id, citizen_id),
  foreign key (region_code, vacancy_id) references vacancies,
  foreign key (region_code, citizen_id) references users on delete cascade
);
create index applications_citizen on applications (region_code, citizen_id, created_at desc);

create table application_events (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  application_id uuid not null,
  status text not null check (status in ('sent', 'viewed', 'interview', 'rejected', 'hired', 'withdrawn')),
  actor_id uuid,
  note text check (length(note) <= 1000),
  at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, application_id) references applications on delete cascade
);
create index application_events_application on application_events (region_code, application_id, at);

-- ── Contact requests and messages (candidate search) ─────────────────────────────────────────
create table contact_requests (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  company_id uuid not null,
  citizen_id uuid not null,
  vacancy_id uuid,
  requested_by uuid not null,
  message text not null check (length(message) between 10 and 2000),
  status text not null default 'pending' check (status in ('pending', 'accepted', 'declined', 'withdrawn')),
  answered_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, company_id) references companies,
  foreign key (region_code, citizen_id) references users on delete cascade,
  foreign key (region_code, vacancy_id) references vacancies
);
create unique index contact_requests_open on contact_requests (region_code, company_id, citizen_id)
  where status in ('pending', 'accepted');
create index contact_requests_citizen on contact_requests (region_code, citizen_id, created_at desc);

create table contact_messages (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  contact_id uuid not null,
  sender_side text not null check (sender_side in ('citizen', 'company')),
  sender_id uuid not null,
  body text not null check (length(body) between 1 and 4000),
  created_at timestamptz not null default now(),
  read_at timestamptz,
  primary key (region_code, id),
  foreign key (region_code, contact_id) references contact_requests on delete cascade
);
create index contact_messages_contact on contact_messages (region_code, contact_id, created_at);

-- ── CPI pre-selection (§2.2) ───────────────────────────────────────────────────────────────────
create table shortlist_requests (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  company_id uuid not null,
  vacancy_id uuid not null,
  office_id uuid not null,
  requested_by uuid not null,
  note text check (length(note) <= 2000),
  status text not null default 'requested' check (status in ('requested', 'in_progress', 'sent', 'cancelled')),
  operator_id uuid,
  sent_at timestamptz,
  rating smallint check (rating between 1 and 5),
  rating_comment text check (length(rating_comment) <= 1000),
  rated_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, company_id) references companies,
  foreign key (region_code, vacancy_id) references vacancies,
  foreign key (region_code, office_id) references offices,
  check (rating is null or status = 'sent')
);
create index shortlist_requests_office on shortlist_requests (region_code, office_id, status);

create table shortlist_candidates (
  region_code text not null,
  request_id uuid not null,
  citizen_id uuid not null,
  score integer not null,
  cv_validated boolean not null default false,
  validated_by uuid,
  consent text not null default 'pending' check (consent in ('pending', 'given', 'refused')),
  consent_at timestamptz,
  added_by uuid not null,
  added_at timestamptz not null default now(),
  primary key (region_code, request_id, citizen_id),
  foreign key (region_code, request_id) references shortlist_requests on delete cascade,
  foreign key (region_code, citizen_id) references users on delete cascade
);
create index shortlist_candidates_citizen on shortlist_candidates (region_code, citizen_id);

-- ── Recruiting days and virtual fairs by sector (§1.4, §2.2, §3.6) ───────────────────────────
create table recruiting_days (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  title text not null check (length(title) between 3 and 150),
  sector text not null check (sector ~ '^[A-U]$'),
  day date not null,
  mode text not null check (mode in ('virtual', 'in_person')),
  office_id uuid not null,
  venue text check (length(venue) <= 200),
  municipality_code text references municipalities,
  description text check (length(description) <= 2000),
  status text not null default 'draft' check (status in ('draft', 'published', 'cancelled')),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, office_id) references offices,
  check (mode = 'virtual' or (venue is not null and municipality_code is not null))
);

create table recruiting_day_companies (
  region_code text not null,
  day_id uuid not null,
  company_id uuid not null,
  joined_at timestamptz not null default now(),
  primary key (region_code, day_id, company_id),
  foreign key (region_code, day_id) references recruiting_days on delete cascade,
  foreign key (region_code, company_id) references companies
);

create table recruiting_day_slots (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  day_id uuid not null,
  company_id uuid not null,
  vacancy_id uuid,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  primary key (region_code, id),
  foreign key (region_code, day_id, company_id) references recruiting_day_companies on delete cascade,
  foreign key (region_code, vacancy_id) references vacancies,
  check (ends_at > starts_at)
);
create index recruiting_day_slots_day on recruiting_day_slots (region_code, day_id, starts_at);

create table recruiting_day_bookings (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  slot_id uuid not null,
  citizen_id uuid not null,
  status text not null default 'booked' check (status in ('booked', 'cancelled', 'attended', 'no_show')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, slot_id) references recruiting_day_slots on delete cascade,
  foreign key (region_code, citizen_id) references users on delete cascade
);
-- One live booking per interview slot; a person books a slot once.
create unique index recruiting_day_bookings_slot on recruiting_day_bookings (region_code, slot_id) where status <> 'cancelled';
create index recruiting_day_bookings_citizen on recruiting_day_bookings (region_code, citizen_id);

-- ── The matching index: dense skill numbers and change notifications ─────────────────────────
alter table esco_skills add column match_id integer generated always as identity;
create unique index esco_skills_match_id on esco_skills (match_id);

-- Each web process keeps its own in-process index current by LISTENing on 'matching_changes'.
-- The payload names what changed; the process reloads that record (notifications are sent at commit).
create function matching_notify() returns trigger language plpgsql as $$
declare
  rec record;
  kind text := tg_argv[0];
  key_column text := tg_argv[1];
  key_value text;
begin
  if tg_op = 'DELETE' then rec := old; else rec := new; end if;
  execute format('select ($1).%I::text', key_column) into key_value using rec;
  perform pg_notify('matching_changes', kind || ':' || rec.region_code || ':' || key_value);
  return null;
end $$;

create trigger vacancies_matching after insert or update or delete on vacancies
  for each row execute function matching_notify('vacancy', 'id');
create trigger vacancy_skills_matching after insert or update or delete on vacancy_skills
  for each row execute function matching_notify('vacancy', 'vacancy_id');
create trigger vacancy_languages_matching after insert or update or delete on vacancy_languages
  for each row execute function matching_notify('vacancy', 'vacancy_id');
create trigger citizen_profiles_matching after insert or update or delete on citizen_profiles
  for each row execute function matching_notify('person', 'user_id');
create trigger candidate_visibility_matching after insert or update or delete on candidate_visibility
  for each row execute function matching_notify('person', 'citizen_id');

-- A person's assessed skills live in the skills context; their change is a change of the person.
create function matching_notify_assessment() returns trigger language plpgsql as $$
declare
  rec record;
  citizen uuid;
begin
  if tg_op = 'DELETE' then rec := old; else rec := new; end if;
  select a.citizen_id into citizen from skill_assessments a
    where a.region_code = rec.region_code and a.id = rec.assessment_id;
  if citizen is not null then
    perform pg_notify('matching_changes', 'person:' || rec.region_code || ':' || citizen::text);
  end if;
  return null;
end $$;
create trigger skill_assessment_skills_matching after insert or update or delete on skill_assessment_skills
  for each row execute function matching_notify_assessment();
