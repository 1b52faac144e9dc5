-- Digital badges (issue 6 part 5): Open Badges 3.0 credentials signed by the Region (EdDSA, VC-JOSE).
-- badge_keys holds the Region's Ed25519 key pairs (the private key encrypted with a key derived from
-- the session secret); badges holds each issued credential, its public verification code, its index
-- in the revocation list (Bitstring Status List 1) and, once revoked, when, by whom and why. One badge
-- per (Region, kind, source): a repeated request returns the same badge.

create table badge_keys (
  region_code text not null references regions,
  kid text not null check (length(kid) between 20 and 100),
  -- the issuer Profile id the key signs for (<public url>/badge/emittente)
  issuer_id text not null,
  public_jwk jsonb not null,
  private_key_enc text not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  primary key (region_code, kid)
);
create unique index badge_keys_kid on badge_keys (kid);
-- at most one active key per Region, so that first use by two workers cannot make two
create unique index badge_keys_active on badge_keys (region_code) where retired_at is null;

create table badges (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  kind text not null check (kind in ('course_completed', 'competence_validated')),
  source_ref text not null check (length(source_ref) between 1 and 200),
  code text not null check (code ~ '^B[0-9A-Z]{3}-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
  status_list integer not null default 1,
  status_index integer not null check (status_index >= 0 and status_index < 131072),
  name text not null check (length(name) between 1 and 300),
  description text not null check (length(description) <= 4000),
  credential jsonb not null,
  jwt text not null,
  -- the public page of the badge (absolute: it goes on the CV and in shared links)
  verify_url text not null,
  kid text not null references badge_keys (kid),
  issued_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by uuid,
  revocation_reason text check (length(revocation_reason) <= 1000),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users,
  check ((revoked_at is null) = (revocation_reason is null))
);
create unique index badges_source on badges (region_code, kind, source_ref);
create unique index badges_code on badges (code);
create unique index badges_status on badges (status_list, status_index);
create index badges_citizen on badges (region_code, citizen_id, issued_at desc);
