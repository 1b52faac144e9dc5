-- Assisted mode (issue 8, item 4; seed §1.1, §2.7.1 "operatori di supporto"): an operator acts for a
-- person, by phone or at the desk, with the person's consent recorded. A session keeps the exact
-- statement the operator read out (its version, language and text), the channel, who started it and
-- until when it lasts (at most the end of the day, Europe/Rome). It ends when it expires, when the
-- operator ends it, or when the person does. Every action done during the session is written to the
-- audit log with on_behalf_of = the person, and listed in assisted_actions so pages can mark it.

create table assisted_sessions (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  operator_id uuid not null,
  operator_role text not null check (operator_role in ('cpi_operator', 'apl_operator')),
  office_id uuid,
  agency_id uuid,
  channel text not null check (channel in ('phone', 'desk')),
  consent_version text not null check (char_length(consent_version) between 1 and 20),
  consent_lang text not null check (consent_lang in ('it', 'en', 'ar')),
  consent_text text not null check (char_length(consent_text) between 1 and 4000),
  identity_checked boolean not null,
  consent_confirmed_at timestamptz not null,
  started_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ended_at timestamptz,
  -- Who ended it: the operator, the person, or nobody (it expired; ended_at = expires_at, written
  -- when a later session of the same pair starts).
  ended_by text check (ended_by in ('operator', 'person', 'expired')),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users on delete cascade,
  foreign key (region_code, operator_id) references users,
  foreign key (region_code, office_id) references offices,
  foreign key (region_code, agency_id) references agencies,
  check (expires_at > started_at and expires_at <= started_at + interval '24 hours'),
  check ((ended_at is null) = (ended_by is null)),
  check (ended_at is null or ended_at >= started_at)
);
-- One open session per operator and person: a new one closes the expired one first.
create unique index assisted_sessions_one_open on assisted_sessions (region_code, operator_id, citizen_id)
  where ended_at is null;
create index assisted_sessions_citizen on assisted_sessions (region_code, citizen_id, started_at desc);

create table assisted_actions (
  region_code text not null,
  id bigint generated always as identity,
  session_id uuid not null,
  citizen_id uuid not null,
  operator_id uuid not null,
  -- The audit action (e.g. 'appointment.booked') and the object it touched.
  action text not null check (char_length(action) between 1 and 100),
  object_type text,
  object_id text,
  at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, session_id) references assisted_sessions on delete cascade
);
create index assisted_actions_session on assisted_actions (region_code, session_id, at);
create index assisted_actions_object on assisted_actions (region_code, object_type, object_id);
