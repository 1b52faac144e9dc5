-- Dossier portability between Regions (issue 8 item 6, decision 0010).
-- portability_keys: the Region's ES256 key pairs when no key is configured (PORTABILITY_SIGNING_KEY);
--   the private key encrypted with a key derived from the session secret. Retired keys stay published.
-- portability_exports: each signed dossier this Region issued (the JWS itself, so the person can
--   download it again), with a per-person sequence that a receiving Region uses to refuse older copies.
-- portability_imports: each dossier received from another Region, verified, with what it mapped.
--   One row per (Region, issuer, document): importing the same document twice changes nothing.

create table portability_keys (
  region_code text not null references regions,
  kid text not null check (length(kid) between 10 and 120),
  public_jwk jsonb not null,
  private_key_enc text not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  primary key (region_code, kid)
);
create unique index portability_keys_kid on portability_keys (kid);
-- at most one active key per Region: two processes making the first key agree on one
create unique index portability_keys_active on portability_keys (region_code) where retired_at is null;

create table portability_exports (
  region_code text not null references regions,
  id uuid not null,
  user_id uuid not null,
  sequence integer not null check (sequence > 0),
  issued_at timestamptz not null,
  kid text not null,
  jws text not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  verification_code text not null,
  requested_by text not null check (requested_by in ('person', 'operator')),
  exported_by uuid not null,
  purpose text,
  primary key (region_code, id),
  unique (region_code, user_id, sequence),
  foreign key (region_code, user_id) references users on delete cascade
);
create index portability_exports_user on portability_exports (region_code, user_id, issued_at desc);

create table portability_imports (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  issuer_region text not null check (issuer_region ~ '^[0-9]{2}$'),
  document_id uuid not null,
  sequence integer not null check (sequence > 0),
  fiscal_code text not null check (fiscal_code ~ '^[A-Z0-9]{16}$'),
  user_id uuid not null,
  issued_at timestamptz not null,
  kid text not null,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  payload jsonb not null,
  mapped jsonb not null,
  created_person boolean not null,
  imported_by uuid not null,
  imported_at timestamptz not null default now(),
  primary key (region_code, id),
  unique (region_code, issuer_region, document_id),
  foreign key (region_code, user_id) references users on delete cascade
);
create index portability_imports_person on portability_imports (region_code, fiscal_code, issuer_region, sequence desc);
create index portability_imports_recent on portability_imports (region_code, imported_at desc);
