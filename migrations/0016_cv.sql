-- CV builder (Europass): one CV per person, a JSON document validated by the cv context's domain
-- (src/cv/domain/cv.ts) before it is written. version goes up by one at every save.
-- Keys lead with region_code (Citus-ready).

create table cvs (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  document jsonb not null,
  version integer not null default 1 check (version >= 1),
  source text not null default 'platform' check (source in ('platform', 'import')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (region_code, id),
  unique (region_code, citizen_id),
  foreign key (region_code, citizen_id) references users on delete cascade
);
