-- Proactive campaigns (issue 9 item 8, seed §1.5 and §2.2): a manager or a CPI operator writes to a
-- segment of people (tier, province, age band, inactivity) by e-mail or SMS from a multilingual
-- template. Sending snapshots the segment into recipients; a job queues their messages throttled per
-- Region, once per campaign and person, honouring each person's opt-out. Results: link opened
-- (through /c/<token>) and appointment booked within 30 days.

create table campaigns (
  region_code text not null references regions,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 120),
  template text not null check (template in ('book', 'courses', 'recruiting_day')),
  channel text not null check (channel in ('email', 'sms')),
  -- The internal page the message's link leads to (never another site).
  link_path text not null check (link_path ~ '^/[A-Za-z0-9/_-]*$' and length(link_path) <= 200),
  -- {tier?, province?, ageBand?, inactiveDays?}: at least one criterion.
  segment jsonb not null check (segment <> '{}'::jsonb),
  -- A CPI operator's campaign reaches only the people of their office; a manager's the whole Region.
  office_id uuid,
  created_by uuid not null,
  created_at timestamptz not null default now(),
  status text not null default 'draft' check (status in ('draft', 'sending', 'sent')),
  sent_by uuid,
  sent_at timestamptz,
  completed_at timestamptz,
  primary key (region_code, id),
  foreign key (region_code, office_id) references offices,
  foreign key (region_code, created_by) references users,
  foreign key (region_code, sent_by) references users,
  check ((status = 'draft') = (sent_at is null))
);
create index campaigns_sending on campaigns (region_code, sent_at) where status = 'sending';

create table campaign_recipients (
  region_code text not null,
  campaign_id uuid not null,
  person_id uuid not null,
  status text not null default 'pending' check (status in ('pending', 'queued', 'opted_out', 'no_contact')),
  channel text check (channel in ('email', 'sms')),
  language text,
  -- Hashes of the message's tracked link and of its single-use unsubscribe link (set when queued).
  link_hash text unique check (link_hash ~ '^[0-9a-f]{64}$'),
  unsubscribe_hash text unique check (unsubscribe_hash ~ '^[0-9a-f]{64}$'),
  queued_at timestamptz,
  opened_at timestamptz,
  clicks integer not null default 0,
  unsubscribed_at timestamptz,
  -- One message per campaign and person, whatever happens.
  primary key (region_code, campaign_id, person_id),
  foreign key (region_code, campaign_id) references campaigns on delete cascade,
  foreign key (region_code, person_id) references users on delete cascade
);
create index campaign_recipients_pending on campaign_recipients (region_code, campaign_id)
  where status = 'pending';
create index campaign_recipients_queued on campaign_recipients (region_code, queued_at)
  where queued_at is not null;

-- A person who does not want campaign messages (from a message's link or from their page).
create table campaign_opt_outs (
  region_code text not null,
  person_id uuid not null,
  via text not null check (via in ('link', 'page')),
  opted_out_at timestamptz not null default now(),
  primary key (region_code, person_id),
  foreign key (region_code, person_id) references users on delete cascade
);

-- How many campaign messages a Region queues per minute at most (absent: the default).
create table campaign_settings (
  region_code text not null references regions,
  per_minute integer not null check (per_minute between 1 and 10000),
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (region_code)
);
