-- The conditionality ledger (§1.4, §2.9, §3.7 of the research report: "tracciabilità e gestione in
-- tempo reale degli obblighi delle persone"): events that may breach the obligations a person took on
-- with a benefit (NASpI, DIS-COLL, ADI, SFL), the person's justifications (a message and, optionally,
-- a PDF), and the operator's decisions, each once.

create table conditionality_events (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  benefit text check (benefit in ('naspi', 'dis_coll', 'adi', 'sfl', 'other')),
  kind text not null
    check (kind in ('no_show', 'refused_offer', 'did_not_confirmed', 'action_not_done', 'other')),
  source text not null check (source in ('automatic', 'operator')),
  -- What raised it (an agenda event id, a DID event id, a plan action id…): automatic scans and other
  -- contexts never raise the same event twice (unique index below).
  source_ref text,
  occurred_at timestamptz not null,
  description text,
  status text not null default 'open' check (status in ('open', 'justification_sent', 'decided')),
  decision text check (decision in ('archive', 'warning', 'sanction_proposal')),
  decision_reasons text,
  decided_by uuid,
  decided_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users,
  check ((status = 'decided') = (decision is not null))
);
create unique index conditionality_events_source
  on conditionality_events (region_code, kind, source_ref) where source_ref is not null;
create index conditionality_events_citizen on conditionality_events (region_code, citizen_id, occurred_at desc);
create index conditionality_events_pending on conditionality_events (region_code, status) where status <> 'decided';

create table conditionality_justifications (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  event_id uuid not null,
  citizen_id uuid not null,
  message text not null,
  filename text,
  content bytea,
  sha256 text,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, event_id) references conditionality_events,
  check ((content is null) = (sha256 is null))
);
create index conditionality_justifications_event on conditionality_justifications (region_code, event_id);

-- Each decision with what the rules suggested at the time and why the operator decided so: one per
-- event (a decided event is not decided again; a new fact is a new event).
create table conditionality_decisions (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  event_id uuid not null,
  decision text not null check (decision in ('archive', 'warning', 'sanction_proposal')),
  reasons text not null,
  suggested_decision text check (suggested_decision in ('archive', 'warning', 'sanction_proposal')),
  suggested_rule text,
  earlier_events integer not null default 0,
  decided_by uuid not null,
  decided_at timestamptz not null default now(),
  primary key (region_code, id),
  unique (region_code, event_id),
  foreign key (region_code, event_id) references conditionality_events
);
