-- Accredited agencies (issue 8 item 3; seed §2.3). The Region grants an agency accreditation scopes,
-- one service over one period each, and may revoke them; the person may choose an agency per service
-- (or say they have no preference); the CPI refers a person to an agency for a service (one open
-- referral per person and service), honouring the choice or recording why not; the agency records its
-- activities on the referral, which join the person's dossier.

-- The closed list of services an agency can be accredited for (src/agencies/domain/services.ts).
create function agency_service_codes() returns text[] language sql immutable as $$
  select array['accoglienza', 'orientamento', 'accompagnamento', 'tirocini', 'formazione',
               'autoimpiego', 'incontro_domanda_offerta', 'validazione_competenze']::text[]
$$;

create table accreditation_scopes (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  agency_id uuid not null,
  service text not null check (service = any (agency_service_codes())),
  valid_from date not null,
  valid_to date not null,
  granted_by uuid,
  granted_at timestamptz not null default now(),
  -- A foundation `accreditations` row (several services, one period) the scope comes from, if any.
  source_accreditation_id uuid,
  revoked_at timestamptz,
  revoked_by uuid,
  primary key (region_code, id),
  foreign key (region_code, agency_id) references agencies,
  check (valid_to >= valid_from),
  check (revoked_by is null or revoked_at is not null)
);
create index accreditation_scopes_service on accreditation_scopes (region_code, service, valid_from, valid_to)
  where revoked_at is null;
create index accreditation_scopes_agency on accreditation_scopes (region_code, agency_id);

-- The foundation's accreditations (services × one period) are scopes too: those already there now,
-- new ones (the demo data, test Regions) as they are inserted. Unknown service names are left out.
insert into accreditation_scopes (region_code, agency_id, service, valid_from, valid_to, source_accreditation_id)
select a.region_code, a.agency_id, s.service, a.valid_from, a.valid_to, a.id
  from accreditations a cross join lateral unnest(a.services) as s(service)
 where s.service = any (agency_service_codes());

create function accreditation_scopes_from_accreditation() returns trigger language plpgsql as $$
begin
  insert into accreditation_scopes (region_code, agency_id, service, valid_from, valid_to, source_accreditation_id)
  select new.region_code, new.agency_id, s.service, new.valid_from, new.valid_to, new.id
    from unnest(new.services) as s(service)
   where s.service = any (agency_service_codes());
  return new;
end
$$;
create trigger accreditations_to_scopes after insert on accreditations
  for each row execute function accreditation_scopes_from_accreditation();

-- The person's choice of agency per service; agency_id null = "no preference".
create table agency_choices (
  region_code text not null,
  user_id uuid not null,
  service text not null check (service = any (agency_service_codes())),
  agency_id uuid,
  chosen_at timestamptz not null default now(),
  primary key (region_code, user_id, service),
  foreign key (region_code, user_id) references users on delete cascade,
  foreign key (region_code, agency_id) references agencies
);

create table agency_referrals (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  agency_id uuid not null,
  service text not null check (service = any (agency_service_codes())),
  starts_on date not null,
  note text not null default '' check (char_length(note) <= 2000),
  -- The person's choice when referred (null: none or no preference) and, when the chosen agency
  -- could be referred to but another was, the operator's written reason.
  chosen_agency_id uuid,
  override_reason text check (char_length(override_reason) between 1 and 2000),
  status text not null default 'open' check (status in ('open', 'closed', 'withdrawn')),
  referred_by uuid not null,
  office_id uuid,
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  ended_by uuid,
  end_note text check (char_length(end_note) <= 2000),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users on delete cascade,
  foreign key (region_code, agency_id) references agencies,
  foreign key (region_code, chosen_agency_id) references agencies,
  foreign key (region_code, referred_by) references users,
  foreign key (region_code, office_id) references offices,
  check ((status = 'open') = (ended_at is null))
);
-- One open referral per person and service.
create unique index agency_referrals_one_open on agency_referrals (region_code, citizen_id, service)
  where status = 'open';
create index agency_referrals_agency on agency_referrals (region_code, agency_id, status, created_at desc);
create index agency_referrals_citizen on agency_referrals (region_code, citizen_id, created_at desc);

create table agency_activities (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  referral_id uuid not null,
  citizen_id uuid not null,
  agency_id uuid not null,
  occurred_on date not null,
  kind text not null check (kind in ('interview', 'orientation', 'job_search', 'workshop', 'job_proposal', 'other')),
  outcome text not null check (char_length(outcome) between 1 and 2000),
  recorded_by uuid not null,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, referral_id) references agency_referrals on delete cascade,
  foreign key (region_code, citizen_id) references users on delete cascade,
  foreign key (region_code, agency_id) references agencies,
  foreign key (region_code, recorded_by) references users
);
create index agency_activities_referral on agency_activities (region_code, referral_id, occurred_on desc);
create index agency_activities_citizen on agency_activities (region_code, citizen_id, occurred_on desc);
