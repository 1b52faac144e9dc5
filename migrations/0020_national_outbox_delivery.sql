-- Delivery of national_outbox events to the national system (issue 8, item 7; decision 0009).
--
-- Each event gets an ordering key (the person when there is one, else the vacancy, else the event
-- itself) and a sequence within that key assigned in commit order, so that workers can keep the
-- order per person; plus the retry state (next_attempt_at, last_error), the dead letter (dead_at)
-- and the admin's discard.

alter table national_outbox
  add column subject_id uuid,
  add column order_key text,
  add column sequence bigint,
  add column next_attempt_at timestamptz not null default now(),
  add column last_attempt_at timestamptz,
  add column last_error text,
  add column dead_at timestamptz,
  add column discarded_at timestamptz,
  add column discarded_by uuid,
  add column discard_reason text;

-- The last sequence given per ordering key. The row is locked by the inserting transaction until it
-- commits, so two transactions writing events for the same person are serialised and the sequence
-- follows commit order (an event never becomes visible after a later one of the same person).
create table national_outbox_sequences (
  region_code text not null,
  order_key text not null,
  last_sequence bigint not null,
  primary key (region_code, order_key)
);

-- The person of an event, from what each writer puts in the payload:
--   placement, conditionality.decision: citizenId; pact.*: pactId → pacts.citizen_id;
--   did.*: didId → did_declarations.user_id; otherwise fiscalCode → the citizen of the Region,
--   or a generic subjectId / userId / personId.
-- Never raises: malformed values are ignored, so a writer's transaction is never refused here.
create function national_outbox_subject(p_region text, p_kind text, p_payload jsonb) returns uuid
language plpgsql stable as $$
declare
  uuid_re constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  v text;
  found uuid;
begin
  foreach v in array array[p_payload->>'citizenId', p_payload->>'subjectId', p_payload->>'personId', p_payload->>'userId'] loop
    if v is not null and v ~ uuid_re then return v::uuid; end if;
  end loop;
  v := p_payload->>'pactId';
  if p_kind like 'pact.%' and v is not null and v ~ uuid_re then
    select citizen_id into found from pacts where region_code = p_region and id = v::uuid;
    if found is not null then return found; end if;
  end if;
  v := p_payload->>'didId';
  if p_kind like 'did.%' and v is not null and v ~ uuid_re then
    select user_id into found from did_declarations where region_code = p_region and id = v::uuid;
    if found is not null then return found; end if;
  end if;
  v := p_payload->>'fiscalCode';
  if v is not null and length(v) <= 32 then
    select id into found from users
      where region_code = p_region and fiscal_code = upper(v) and role = 'citizen'
      order by created_at limit 1;
    if found is not null then return found; end if;
  end if;
  return null;
end $$;

create function national_outbox_order_key(p_subject uuid, p_payload jsonb, p_key text) returns text
language sql immutable as $$
  select case
    when p_subject is not null then 'person:' || p_subject::text
    when p_payload ? 'vacancyId' and length(p_payload->>'vacancyId') <= 64 then 'vacancy:' || (p_payload->>'vacancyId')
    else 'event:' || p_key
  end
$$;

create function national_outbox_before_insert() returns trigger language plpgsql as $$
begin
  if new.subject_id is null then
    new.subject_id := national_outbox_subject(new.region_code, new.kind, new.payload);
  end if;
  if new.order_key is null then
    new.order_key := national_outbox_order_key(new.subject_id, new.payload, new.idempotency_key);
  end if;
  if new.sequence is null then
    if new.order_key like 'event:%' then
      new.sequence := 1; -- an ordering key of its own: nothing to keep in order
    else
      insert into national_outbox_sequences as s (region_code, order_key, last_sequence)
        values (new.region_code, new.order_key, 1)
        on conflict (region_code, order_key) do update set last_sequence = s.last_sequence + 1
        returning last_sequence into new.sequence;
    end if;
  end if;
  return new;
end $$;

create trigger national_outbox_before_insert before insert on national_outbox
  for each row execute function national_outbox_before_insert();

-- Wake the delivery workers at commit (one notification per inserting statement; identical
-- notifications of one transaction are folded into one by PostgreSQL).
create function national_outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('national_outbox', '');
  return null;
end $$;

create trigger national_outbox_notify after insert on national_outbox
  for each statement execute function national_outbox_notify();

-- Backfill what was written before this migration, in id order.
update national_outbox o set subject_id = national_outbox_subject(o.region_code, o.kind, o.payload);
update national_outbox o set order_key = national_outbox_order_key(o.subject_id, o.payload, o.idempotency_key);
update national_outbox o set sequence = r.seq
  from (
    select region_code, id, row_number() over (partition by region_code, order_key order by id) as seq
    from national_outbox
  ) r
  where r.region_code = o.region_code and r.id = o.id;
insert into national_outbox_sequences (region_code, order_key, last_sequence)
  select region_code, order_key, max(sequence) from national_outbox
  where order_key not like 'event:%'
  group by region_code, order_key;
-- Already-delivered rows stay delivered; the rest start now.
update national_outbox set next_attempt_at = now() where delivered_at is null;

alter table national_outbox
  alter column order_key set not null,
  alter column sequence set not null,
  add constraint national_outbox_state check (
    (delivered_at is null or (dead_at is null and discarded_at is null))
    and (discarded_at is null or (dead_at is not null and discard_reason is not null))
  ),
  add constraint national_outbox_discard_reason_length check (discard_reason is null or length(discard_reason) <= 2000),
  add constraint national_outbox_last_error_length check (last_error is null or length(last_error) <= 1000);

-- The worker's query: due events that are neither delivered, dead nor discarded.
create index national_outbox_due on national_outbox (next_attempt_at, id)
  where delivered_at is null and dead_at is null and discarded_at is null;
-- "Is there an earlier open event of the same person?" (open = not delivered and not discarded).
create index national_outbox_open_by_key on national_outbox (region_code, order_key, sequence)
  where delivered_at is null and discarded_at is null;
-- The dead-letter view.
create index national_outbox_dead on national_outbox (region_code, dead_at desc, id)
  where dead_at is not null and discarded_at is null and delivered_at is null;
