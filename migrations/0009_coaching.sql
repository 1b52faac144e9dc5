-- The personal action plan followed by an e-coach (issue 5, items 2-4; seed §3.6): actions with
-- evidence, the platform's own activity events, automatic alerts for the e-coach, and the monthly
-- peer feedback of the Dutch model.

create table plan_actions (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  coach_id uuid,
  pact_id uuid,
  kind text not null
    check (kind in ('apply_vacancies', 'attend_course', 'update_cv', 'attend_appointment', 'custom')),
  title text not null check (length(title) between 1 and 200),
  target integer check (target is null or target between 1 and 100),
  progress integer not null default 0 check (progress >= 0),
  due_date date not null,
  appointment_id uuid,
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  done_at timestamptz,
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users
);
create index plan_actions_citizen on plan_actions (region_code, citizen_id, due_date);

create table plan_evidence (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  action_id uuid not null,
  kind text not null check (kind in ('link', 'upload', 'automatic')),
  url text check (url is null or url ~ '^https?://'),
  filename text,
  content_type text,
  content bytea,
  sha256 text,
  activity_id uuid,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, action_id) references plan_actions
);
create index plan_evidence_action on plan_evidence (region_code, action_id);

create table citizen_activity (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  kind text not null check (kind in ('application_sent', 'application_replied', 'appointment_attended',
    'cv_updated', 'course_attended', 'sign_in')),
  at timestamptz not null default now(),
  ref text,
  details jsonb not null default '{}'::jsonb,
  primary key (region_code, id)
);
create index citizen_activity_citizen on citizen_activity (region_code, citizen_id, at desc);
-- The daily job picks attended appointments up from agenda_events idempotently.
create unique index citizen_activity_once on citizen_activity (region_code, citizen_id, kind, ref)
  where kind = 'appointment_attended';

create table coach_alerts (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  coach_id uuid,
  kind text not null,
  details jsonb not null default '{}'::jsonb,
  opened_at timestamptz not null default now(),
  closed_at timestamptz,
  closed_by uuid,
  close_note text,
  primary key (region_code, id),
  check ((closed_at is null) = (closed_by is null))
);
create unique index coach_alerts_one_open on coach_alerts (region_code, citizen_id, kind)
  where closed_at is null;
create index coach_alerts_coach on coach_alerts (region_code, coach_id) where closed_at is null;

-- Last run of the daily job (for "no-shows since the last run").
create table coaching_runs (
  region_code text not null,
  job text not null,
  last_run_at timestamptz not null,
  primary key (region_code, job)
);

create table peer_feedback_optouts (
  region_code text not null,
  user_id uuid not null,
  at timestamptz not null default now(),
  primary key (region_code, user_id)
);

create table peer_feedback_messages (
  region_code text not null,
  user_id uuid not null,
  month date not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  unique (region_code, user_id, month)
);
