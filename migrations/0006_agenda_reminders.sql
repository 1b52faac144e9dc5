-- One-click links in confirmations and reminders (confirm, cancel, ask for another time): random
-- 256-bit tokens, stored hashed, single use, expiring. And an attachment column for the dev outbox.

create table appointment_tokens (
  token_hash text primary key,
  region_code text not null,
  appointment_id uuid not null,
  action text not null check (action in ('confirm', 'cancel', 'reschedule')),
  sequence integer not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  foreign key (region_code, appointment_id) references appointments
);

alter table dev_outbox add column attachment_name text;
alter table dev_outbox add column attachment text;

-- One live booking per person per slot, also under concurrent requests (found by bench/agenda.ts).
create unique index appointments_one_per_citizen on appointments (region_code, slot_id, citizen_id) where status = 'booked';
-- Slot search by service uses the array containment operator with this index.
create index agenda_slots_open_services on agenda_slots using gin (services) where status = 'open';
