-- Caseload (issue 8, item 1): which operator of the office follows each person, and the history of
-- every assignment and transfer (who, to whom, why, when). The person's office is the one of their
-- assignment; without one, the office of their latest pact, else appointment, else message thread.

create table case_assignments (
  region_code text not null,
  citizen_id uuid not null,
  office_id uuid not null,
  operator_id uuid not null,
  assigned_by uuid not null,
  assigned_at timestamptz not null default now(),
  primary key (region_code, citizen_id),
  foreign key (region_code, citizen_id) references users on delete cascade,
  foreign key (region_code, office_id) references offices,
  foreign key (region_code, operator_id) references users
);
create index case_assignments_operator on case_assignments (region_code, operator_id);
create index case_assignments_office on case_assignments (region_code, office_id);

create table case_assignment_history (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  office_id uuid not null,
  from_operator_id uuid,
  to_operator_id uuid not null,
  kind text not null check (kind in ('assigned', 'transferred')),
  reason text check (reason is null or char_length(reason) between 1 and 500),
  actor_id uuid not null,
  at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users on delete cascade,
  check (kind <> 'transferred' or reason is not null)
);
create index case_assignment_history_citizen on case_assignment_history (region_code, citizen_id, at desc);

-- The history is never rewritten.
create function case_assignment_history_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'case assignment history is append-only' using errcode = '55000';
end $$;
create trigger case_assignment_history_no_update before update on case_assignment_history
  for each row execute function case_assignment_history_frozen();

-- The caseload finds the people of an office through these.
create index if not exists pacts_office on pacts (region_code, office_id);
create index if not exists appointments_office_citizen on appointments (region_code, office_id, citizen_id);
