-- The electronic dossier (issue 8, item 2): notes written by operators on a person's dossier, each
-- with who may read it: the CPI office only, also the accredited agency (APL), or also the person.
-- The timeline itself is read from the other contexts' tables.

create table dossier_notes (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  author_id uuid not null,
  author_role text not null check (author_role in ('cpi_operator', 'apl_operator')),
  author_office_id uuid,
  author_agency_id uuid,
  visibility text not null check (visibility in ('office', 'apl', 'person')),
  body text not null check (char_length(body) between 1 and 2000),
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users on delete cascade,
  foreign key (region_code, author_id) references users,
  -- An agency's note is never hidden from the agency that wrote it.
  check (author_role <> 'apl_operator' or visibility <> 'office')
);
create index dossier_notes_citizen on dossier_notes (region_code, citizen_id, created_at desc);

-- A note is never edited.
create function dossier_notes_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'dossier notes are never edited' using errcode = '55000';
end $$;
create trigger dossier_notes_no_update before update on dossier_notes
  for each row execute function dossier_notes_frozen();
