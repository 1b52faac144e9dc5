-- Employment outcomes from the hiring communications (comunicazioni obbligatorie, UNILAV; issue 8 item 8).
-- An operator uploads a file (CSV or XML, src/outcomes/README.md); every accepted communication records
-- an employment outcome (source 'unilav'), may close the company's matching published vacancy, and
-- writes a 'placement' event to the national outbox, all in one transaction. A communication code is
-- imported once per Region: importing the same file again changes nothing.

alter table employment_outcomes drop constraint if exists employment_outcomes_source_check;
alter table employment_outcomes add constraint employment_outcomes_source_check
  check (source in ('operator', 'application', 'national_system', 'self_reported', 'unilav'));

-- One upload and its report: each row of the file with its line, its outcome and the reason (an i18n
-- key and its values, so the report is shown in the reader's language).
create table unilav_imports (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  uploaded_by uuid not null,
  filename text not null check (char_length(filename) between 1 and 200),
  format text not null check (format in ('csv', 'xml')),
  size_bytes integer not null check (size_bytes >= 0),
  rows_total integer not null,
  rows_accepted integer not null,
  rows_duplicate integer not null,
  rows_refused integer not null,
  vacancies_closed integer not null,
  report jsonb not null,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, uploaded_by) references users
);
create index unilav_imports_recent on unilav_imports (region_code, created_at desc);

-- Each communication imported: the idempotency key is (region_code, communication_code).
create table unilav_communications (
  region_code text not null,
  communication_code text not null check (communication_code ~ '^[0-9A-Z]{8,20}$'),
  import_id uuid not null,
  worker_id uuid not null,
  outcome_id uuid not null,
  employer_tax_code text not null,
  company_id uuid,
  started_on date not null,
  ended_on date,
  contract_code text not null,
  istat_code text not null,
  esco_uri text,
  workplace_code text not null,
  vacancy_id uuid,
  created_at timestamptz not null default now(),
  primary key (region_code, communication_code),
  foreign key (region_code, import_id) references unilav_imports,
  foreign key (region_code, worker_id) references users on delete cascade,
  foreign key (region_code, outcome_id) references employment_outcomes on delete cascade,
  foreign key (region_code, company_id) references companies,
  foreign key (region_code, vacancy_id) references vacancies
);
create index unilav_communications_vacancy on unilav_communications (region_code, vacancy_id)
  where vacancy_id is not null;
