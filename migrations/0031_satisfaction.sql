-- Satisfaction after every service (issue 9 item 1, seed §2.5 and §2.7.2): one invitation per
-- service delivered and respondent (a person after an appointment, a pact, a course or an application
-- outcome; a company after a CPI shortlist or a recruiting day), reachable by a single-use link
-- (random token kept hashed, expiring) or in the signed-in page, and at most one answer to each.

create table satisfaction_invitations (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  service_kind text not null
    check (service_kind in ('appointment', 'pact', 'course', 'application', 'shortlist', 'recruiting_day')),
  service_id uuid not null,
  respondent_id uuid not null,
  respondent_side text not null check (respondent_side in ('person', 'company')),
  -- The office that delivered the service (null when none did, e.g. a course of a provider).
  office_id uuid,
  -- What the page names (a service code, a course or vacancy title): a copy, so the page never
  -- needs to read the other context again.
  detail text check (length(detail) <= 300),
  delivered_at timestamptz not null,
  invited_at timestamptz not null,
  expires_at timestamptz not null,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  channel text not null check (channel in ('email', 'sms', 'none')),
  language text not null default 'it',
  answered_at timestamptz,
  primary key (region_code, id),
  unique (region_code, service_kind, service_id, respondent_id),
  foreign key (region_code, respondent_id) references users on delete cascade,
  foreign key (region_code, office_id) references offices,
  check (expires_at > invited_at)
);
create index satisfaction_invitations_pending on satisfaction_invitations (region_code, respondent_id, invited_at desc)
  where answered_at is null;
create index satisfaction_invitations_period on satisfaction_invitations (region_code, invited_at);

create table satisfaction_answers (
  region_code text not null,
  invitation_id uuid not null,
  score smallint not null check (score between 1 and 5),
  comment text check (length(comment) <= 1000),
  problems text[] not null default '{}'
    check (problems <@ array['waiting', 'information', 'staff', 'digital', 'accessibility', 'usefulness', 'other']::text[]),
  via text not null check (via in ('link', 'page')),
  answered_at timestamptz not null default now(),
  -- One answer per invitation: the database refuses a second one.
  primary key (region_code, invitation_id),
  foreign key (region_code, invitation_id) references satisfaction_invitations on delete cascade
);
