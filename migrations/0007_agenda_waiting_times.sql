-- Waiting time for the indicators (§2.6): at each booking, the days from the request to the first
-- slot the office had free for that service and channel (whatever the person then picked), next to
-- the days to the slot they booked (waiting_days). Aggregated per office, service, channel and month.

alter table appointments add column first_available_days integer;
-- The office the waiting time was measured for (set at booking; a later move does not change it).
alter table appointments add column office_id uuid;

update appointments a
   set office_id = s.office_id
  from agenda_slots s
 where s.region_code = a.region_code and s.id = a.slot_id and a.office_id is null;

create view agenda_waiting_times as
select a.region_code,
       a.office_id,
       a.service_code,
       a.channel,
       date_trunc('month', a.requested_at at time zone 'Europe/Rome')::date as month,
       count(*) as bookings,
       round(avg(a.first_available_days), 1) as avg_first_available_days,
       percentile_cont(0.5) within group (order by a.first_available_days) as median_first_available_days,
       round(avg(a.waiting_days), 1) as avg_booked_days
  from appointments a
 where a.first_available_days is not null
 group by 1, 2, 3, 4, 5;
