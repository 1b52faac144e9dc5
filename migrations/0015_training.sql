-- Training catalogue (catalogo formativo, seed §2.2 and §3.9, issue 6 part 3): training providers
-- (enti di formazione, optionally linked to an accredited agency whose apl_operators manage them),
-- courses with their ESCO skills, and enrolments from request to completion. Seats are enforced by
-- the database: a trigger keeps `courses.seats_taken` equal to the enrolments holding a seat
-- (confirmed, completed, not completed) and a check refuses going over `seats`, so concurrent
-- confirmations can never overbook. Completed enrolments carry `completed_at` (indexed) for the
-- insight metric "coherent employment within 6 months of the course".

create table training_providers (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  vat_number text not null check (vat_number ~ '^[0-9]{11}$'),
  accreditation_code text check (length(accreditation_code) between 1 and 50),
  agency_id uuid,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, agency_id) references agencies
);
create unique index training_providers_vat on training_providers (region_code, vat_number);
create index training_providers_agency on training_providers (region_code, agency_id) where agency_id is not null;

create table courses (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  provider_id uuid not null,
  title text not null check (length(title) between 1 and 200),
  description text not null default '' check (length(description) <= 4000),
  eqf_level smallint check (eqf_level between 1 and 8),
  mode text not null check (mode in ('remote', 'in_person', 'blended')),
  municipality_code text references municipalities,
  address text check (length(address) <= 200),
  starts_on date not null,
  ends_on date not null,
  hours integer not null check (hours between 1 and 5000),
  seats integer not null check (seats between 1 and 10000),
  seats_taken integer not null default 0,
  cost_eur numeric(10, 2) not null default 0 check (cost_eur >= 0 and cost_eur <= 100000),
  funding text not null default 'none'
    check (funding in ('gol', 'garanzia_giovani', 'fse_plus', 'fondi_interprofessionali', 'none')),
  -- lower-cased title and description, searched with pg_trgm
  search_text text not null default '',
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, provider_id) references training_providers,
  check (ends_on >= starts_on),
  check (mode = 'remote' or municipality_code is not null),
  constraint courses_seats_not_overbooked check (seats_taken >= 0 and seats_taken <= seats)
);
create index courses_region_start on courses (region_code, starts_on);
create index courses_provider on courses (region_code, provider_id, starts_on);
create index courses_search on courses using gin (search_text gin_trgm_ops);

create table course_skills (
  region_code text not null,
  course_id uuid not null,
  skill_uri text not null references esco_skills,
  primary key (region_code, course_id, skill_uri),
  foreign key (region_code, course_id) references courses on delete cascade
);
-- The recommendation's candidate query: courses of the Region teaching any of the missing skills.
create index course_skills_skill on course_skills (region_code, skill_uri, course_id);

create table course_enrolments (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  course_id uuid not null,
  citizen_id uuid not null,
  status text not null default 'requested'
    check (status in ('requested', 'confirmed', 'refused', 'withdrawn', 'completed', 'not_completed')),
  requested_at timestamptz not null default now(),
  decided_at timestamptz,
  decided_by uuid,
  completed_at timestamptz,
  outcome_by uuid,
  updated_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, course_id) references courses,
  foreign key (region_code, citizen_id) references users,
  check (status <> 'completed' or completed_at is not null)
);
-- One live enrolment per person and course (a refused or withdrawn one may be asked again).
create unique index course_enrolments_one_live on course_enrolments (region_code, course_id, citizen_id)
  where status not in ('refused', 'withdrawn');
create index course_enrolments_course on course_enrolments (region_code, course_id, status);
create index course_enrolments_citizen on course_enrolments (region_code, citizen_id, requested_at);
create index course_enrolments_completed on course_enrolments (region_code, completed_at)
  where status = 'completed';

-- Seats: every enrolment holding a seat counts; the check on courses refuses overbooking.
create function course_enrolments_seats() returns trigger language plpgsql as $$
declare
  before_holds integer := 0;
  after_holds integer := 0;
begin
  if tg_op in ('UPDATE', 'DELETE') and old.status in ('confirmed', 'completed', 'not_completed') then
    before_holds := 1;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.status in ('confirmed', 'completed', 'not_completed') then
    after_holds := 1;
  end if;
  if tg_op = 'UPDATE' and old.course_id <> new.course_id then
    raise exception 'an enrolment cannot move to another course';
  end if;
  if after_holds <> before_holds then
    if tg_op = 'DELETE' then
      update courses set seats_taken = seats_taken - before_holds
      where region_code = old.region_code and id = old.course_id;
    else
      update courses set seats_taken = seats_taken + (after_holds - before_holds)
      where region_code = new.region_code and id = new.course_id;
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end;
$$;
create trigger course_enrolments_seats after insert or update or delete on course_enrolments
  for each row execute function course_enrolments_seats();
