-- Issue 9, indicator "operator time per service" (seed §2.7.2): the minutes the operator actually
-- spent on an appointment, written with its outcome (optional; only for an attended appointment).
alter table appointments add column minutes_spent smallint check (minutes_spent between 1 and 480);
