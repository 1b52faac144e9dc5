-- Indicators from operational data (issue 9 items 2, 3, 7; seed §2.7.2 and §2.8): daily facts
-- pre-aggregated per Region × office × day × indicator × dimension × target, so a dashboard sums a
-- few thousand rows instead of scanning raw events. Filled by the daily job (incremental by day, each
-- indicator recomputing the trailing days in which its cohorts can still change), or on demand.
-- office_key is the office id as text, or '' when no office is known (e.g. no pact yet).

create table indicator_daily_facts (
  region_code text not null references regions,
  office_key text not null,
  day date not null,
  indicator text not null check (indicator ~ '^[a-z_0-9]{1,40}$'),
  dimension text not null check (length(dimension) between 1 and 80),
  target text not null
    check (target in ('all', 'remote_rural', 'low_digital', 'non_native', 'disability', 'over_60')),
  -- People (or events, one per person) the cell is about: the suppression rule counts these.
  subjects bigint not null check (subjects >= 0),
  numerator double precision not null,
  denominator double precision not null,
  primary key (region_code, day, indicator, dimension, target, office_key)
);
create index indicator_daily_facts_office on indicator_daily_facts (region_code, office_key, day);

-- When each Region's facts were last computed, and up to which day.
create table indicator_refreshes (
  region_code text not null references regions,
  computed_at timestamptz not null,
  through_day date not null,
  primary key (region_code)
);
