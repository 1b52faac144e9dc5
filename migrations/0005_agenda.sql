-- Appointments: the service catalogue, operators' weekly templates and exceptions, the slots they
-- generate, bookings (never two on one seat: the database enforces it), waiting lists, and events.

create extension if not exists btree_gist;

create table agenda_services (
  region_code text not null references regions,
  code text not null,
  duration_minutes integer not null check (duration_minutes between 5 and 480),
  channels text[] not null check (channels <@ array['in_person', 'phone', 'video']::text[] and cardinality(channels) > 0),
  providers text[] not null check (providers <@ array['cpi', 'apl']::text[] and cardinality(providers) > 0),
  group_session boolean not null default false,
  primary key (region_code, code)
);

create table agenda_templates (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  operator_id uuid not null,
  office_id uuid not null,
  weekday smallint not null check (weekday between 1 and 7),
  start_minute smallint not null check (start_minute between 0 and 1439),
  end_minute smallint not null check (end_minute between 1 and 1440),
  slot_minutes smallint not null check (slot_minutes between 5 and 240),
  mode text not null check (mode in ('in_person', 'remote', 'both')),
  services text[] not null,
  valid_from date not null,
  valid_to date,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, operator_id) references users,
  foreign key (region_code, office_id) references offices,
  check (end_minute > start_minute),
  check (valid_to is null or valid_to >= valid_from),
  -- One operator cannot have two templates covering the same time of the same weekday.
  exclude using gist (
    region_code with =,
    operator_id with =,
    weekday with =,
    daterange(valid_from, coalesce(valid_to, 'infinity'::date), '[]') with &&,
    int4range(start_minute, end_minute) with &&
  )
);

create table agenda_exceptions (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  office_id uuid not null,
  operator_id uuid,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  reason text not null check (reason in ('holiday', 'leave', 'closure', 'other')),
  note text,
  primary key (region_code, id),
  foreign key (region_code, office_id) references offices,
  check (ends_at > starts_at)
);

create table agenda_slots (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  operator_id uuid not null,
  office_id uuid not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  mode text not null check (mode in ('in_person', 'remote', 'both')),
  services text[] not null,
  capacity smallint not null default 1 check (capacity between 1 and 500),
  title text,
  status text not null default 'open' check (status in ('open', 'blocked')),
  primary key (region_code, id),
  unique (region_code, operator_id, starts_at),
  foreign key (region_code, operator_id) references users,
  foreign key (region_code, office_id) references offices,
  check (ends_at > starts_at)
);
create index agenda_slots_search on agenda_slots (region_code, starts_at) where status = 'open';
create index agenda_slots_office on agenda_slots (region_code, office_id, starts_at);

create table appointments (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  slot_id uuid not null,
  seat smallint not null default 1,
  citizen_id uuid not null,
  service_code text not null,
  channel text not null check (channel in ('in_person', 'phone', 'video')),
  status text not null default 'booked' check (status in ('booked', 'cancelled', 'moved', 'attended', 'no_show', 'no_show_justified', 'late_cancellation')),
  booked_by uuid not null,
  requested_at timestamptz not null default now(),
  booked_at timestamptz not null default now(),
  waiting_days integer,
  reason text,
  sequence integer not null default 0,
  confirmed_at timestamptz,
  primary key (region_code, id),
  foreign key (region_code, slot_id) references agenda_slots,
  foreign key (region_code, citizen_id) references users,
  foreign key (region_code, service_code) references agenda_services
);
-- A seat holds at most one live booking: the database, not the application, prevents double booking.
create unique index appointments_one_per_seat on appointments (region_code, slot_id, seat) where status = 'booked';
create index appointments_citizen on appointments (region_code, citizen_id, booked_at desc);

create table agenda_waitlist (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  slot_id uuid not null,
  citizen_id uuid not null,
  service_code text not null,
  channel text not null,
  created_at timestamptz not null default now(),
  promoted_at timestamptz,
  appointment_id uuid,
  primary key (region_code, id),
  unique (region_code, slot_id, citizen_id),
  foreign key (region_code, slot_id) references agenda_slots
);

-- What happened to appointments, for the conditionality ledger and the indicators.
create table agenda_events (
  region_code text not null,
  id bigint generated always as identity,
  appointment_id uuid not null,
  citizen_id uuid not null,
  event text not null,
  reason text,
  actor_id uuid,
  at timestamptz not null default now(),
  primary key (region_code, id)
);
