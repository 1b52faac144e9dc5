-- Issue 9, the fragile target "remote or rural areas" of seed §2.8: the resident population of each
-- municipality (ISTAT), so that people living in a small municipality ("piccoli comuni", up to 5,000
-- inhabitants: Legge 6 ottobre 2017, n. 158, art. 1) can be counted. Unknown stays null: such people
-- are simply not in the target.
alter table municipalities add column population integer check (population >= 0);

-- The daily facts take the new target (remote_rural was reserved for it; the name says what is measured).
alter table indicator_daily_facts drop constraint indicator_daily_facts_target_check;
alter table indicator_daily_facts add constraint indicator_daily_facts_target_check
  check (target in ('all', 'small_town', 'low_digital', 'non_native', 'disability', 'over_60'));
