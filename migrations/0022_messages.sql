-- Secure messages between a person and the operators who follow them (issue 8, item 5; seed §3.8).
-- A thread belongs to one person and one CPI office (the person's office when it was opened); when an
-- accredited agency (APL) named on the person's pact takes part, agency_id is set and the agency's
-- operators see it too. Read receipts are kept per side: when the person, and when any operator of the
-- office or agency, last opened the thread. The application never edits a message.

create table message_threads (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  citizen_id uuid not null,
  office_id uuid not null,
  agency_id uuid,
  subject text not null check (char_length(subject) between 1 and 200),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  last_message_at timestamptz not null default now(),
  -- Read receipts, one per side.
  citizen_read_at timestamptz,
  staff_read_at timestamptz,
  primary key (region_code, id),
  foreign key (region_code, citizen_id) references users on delete cascade,
  foreign key (region_code, office_id) references offices,
  foreign key (region_code, agency_id) references agencies,
  foreign key (region_code, created_by) references users
);
create index message_threads_citizen on message_threads (region_code, citizen_id, last_message_at desc);
create index message_threads_office on message_threads (region_code, office_id, last_message_at desc);
create index message_threads_agency on message_threads (region_code, agency_id, last_message_at desc)
  where agency_id is not null;

create table messages (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  thread_id uuid not null,
  author_id uuid not null,
  -- 'citizen' when the person wrote it, 'staff' when an operator (CPI or APL) did.
  author_side text not null check (author_side in ('citizen', 'staff')),
  body text not null check (char_length(body) between 1 and 5000),
  -- The template an operator started from, if any (document_request, appointment_reminder, …).
  template text,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  foreign key (region_code, thread_id) references message_threads on delete cascade,
  foreign key (region_code, author_id) references users
);
create index messages_thread on messages (region_code, thread_id, created_at);

-- Files are uploaded one per request (the forms work without JavaScript): they wait on a draft
-- (draft_id, chosen by the form) until the message is sent, then carry its message_id. At most three
-- per draft and per message: the ordinal is 1..3 and unique.
create table message_attachments (
  region_code text not null,
  id uuid not null default gen_random_uuid(),
  draft_id uuid not null,
  uploaded_by uuid not null,
  ordinal smallint not null check (ordinal between 1 and 3),
  message_id uuid,
  filename text not null check (char_length(filename) between 1 and 200),
  content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
  size integer not null check (size between 1 and 5242880),
  content bytea not null,
  created_at timestamptz not null default now(),
  primary key (region_code, id),
  unique (region_code, uploaded_by, draft_id, ordinal),
  foreign key (region_code, message_id) references messages on delete cascade,
  foreign key (region_code, uploaded_by) references users on delete cascade
);
create index message_attachments_message on message_attachments (region_code, message_id)
  where message_id is not null;
