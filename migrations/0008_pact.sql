-- The Patto di servizio personalizzato (§2.2): a pact per person, immutable versions (an amendment is
-- a new version; old ones stay readable), signatures by each party (citizen, CPI, and the accredited
-- agency in the 3-party form), one-time signing codes, and the obligations tied to the person's
-- benefits that the conditionality ledger reads.

create table pacts (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  office_id uuid not null,
  -- The accredited agency of a 3-party pact (citizen + CPI + APL); null for a 2-party pact.
  agency_id uuid,
  -- The operator who follows the person as e-coach (by default the one who drafted the pact).
  coach_id uuid not null,
  current_version integer not null default 1,
  status text not null default 'draft'
    check (status in ('draft', 'proposed', 'changes_requested', 'signing', 'signed', 'superseded')),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users,
  foreign key (region_code, office_id) references offices,
  foreign key (region_code, coach_id) references users
);
create index pacts_citizen on pacts (region_code, citizen_id, created_at desc);
create index pacts_coach on pacts (region_code, coach_id);

create table pact_versions (
  region_code text not null,
  pact_id uuid not null,
  version integer not null check (version >= 1),
  -- Everything the document says: tier, channel plan, services with a timeline, commitments of both
  -- sides, obligations by benefit. Frozen once proposed (see the trigger below).
  content jsonb not null,
  status text not null default 'draft'
    check (status in ('draft', 'proposed', 'changes_requested', 'signed', 'superseded')),
  -- The rendered PDF of the proposed text and its SHA-256: what every party signs.
  pdf bytea,
  sha256 text,
  -- Once every party has signed: the signed copy, verifiable at /verifica/<code> (issued_documents).
  verification_code text,
  change_reason text,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  proposed_at timestamptz,
  signed_at timestamptz,
  primary key (region_code, pact_id, version),
  foreign key (region_code, pact_id) references pacts
);

-- A proposed version's text and document never change.
create function pact_version_frozen() returns trigger language plpgsql as $$
begin
  if old.status <> 'draft' and (new.content is distinct from old.content
      or new.pdf is distinct from old.pdf or new.sha256 is distinct from old.sha256) then
    raise exception 'pact version % of % is frozen', old.version, old.pact_id using errcode = '55000';
  end if;
  return new;
end $$;
create trigger pact_versions_frozen before update on pact_versions
  for each row execute function pact_version_frozen();

create table pact_change_requests (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  pact_id uuid not null,
  version integer not null,
  citizen_id uuid not null,
  message text not null,
  created_at timestamptz not null default now(),
  answered_at timestamptz,
  primary key (region_code, id),
  foreign key (region_code, pact_id, version) references pact_versions
);

create table pact_signatures (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  pact_id uuid not null,
  version integer not null,
  party text not null check (party in ('citizen', 'cpi', 'apl')),
  signer_id uuid not null,
  method text not null check (method in ('sms_code', 'totp', 'spid', 'cie')),
  -- The SHA-256 of the document signed (pact_versions.sha256 at the time).
  document_sha256 text not null,
  signed_at timestamptz not null default now(),
  -- Signed at the CPI desk (the person typed their code in the office) rather than remotely.
  at_desk boolean not null default false,
  ip_address text,
  user_agent text,
  primary key (region_code, id),
  unique (region_code, pact_id, version, party),
  foreign key (region_code, pact_id, version) references pact_versions,
  foreign key (region_code, signer_id) references users
);

-- Signatures are never changed or removed.
create function pact_signatures_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'pact signatures are append-only' using errcode = '55000';
end $$;
create trigger pact_signatures_no_change before update or delete on pact_signatures
  for each row execute function pact_signatures_append_only();

-- One-time codes to sign (SMS), hashed, single use, expiring, with an attempt limit.
create table pact_sign_codes (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  pact_id uuid not null,
  version integer not null,
  user_id uuid not null,
  code_hash text not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, pact_id, version) references pact_versions
);

-- Obligations tied to benefits, from the signed pact (the conditionality ledger reads them).
create table benefit_obligations (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  pact_id uuid not null,
  version integer not null,
  benefit text not null check (benefit in ('naspi', 'dis_coll', 'adi', 'sfl', 'other')),
  obligation text not null,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, pact_id, version) references pact_versions
);
create index benefit_obligations_citizen on benefit_obligations (region_code, citizen_id) where active;
