-- Certificates by self-service (issue 8, item 9): the SAP and the C2 storico. The document itself
-- (PDF, SHA-256, verification code, revocation) lives in issued_documents like every issued document;
-- this table records who asked for it (the person, or an operator on their behalf), why, and in
-- which language, so the person sees in their list that an operator issued it and who.
create table certificate_issues (
  region_code text not null,
  verification_code text not null references issued_documents (verification_code) on delete cascade,
  user_id uuid not null,
  kind text not null check (kind in ('sap', 'c2_storico')),
  lang text not null check (lang in ('it', 'en')),
  issued_by uuid not null,
  issued_by_role text not null,
  issued_by_office_id uuid,
  purpose text,
  created_at timestamptz not null default now(),
  primary key (region_code, verification_code),
  foreign key (region_code, user_id) references users on delete cascade
);
create index certificate_issues_person on certificate_issues (region_code, user_id, created_at desc);
