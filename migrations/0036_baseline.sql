-- The 2021 research questionnaire offered online for each Region's yearly self-assessment (issue 9
-- item 5), comparable with the 2021 baseline shipped in src/baseline/data/. One row per Region and
-- year; a new submission in the same year replaces the answers (the audit log keeps each one).
-- answers: { "s2": {item: "sufficient"|"insufficient"}, "s3_1": {item: "+"|"-"|null},
--            "s4": {item: "+"|"-"|null}, "s7_1": {item: 1..10|null} } — checked by the application.

create table baseline_self_assessments (
  region_code text not null references regions,
  year smallint not null check (year between 2021 and 2100),
  answers jsonb not null check (jsonb_typeof(answers) = 'object'),
  submitted_by uuid not null,
  submitted_at timestamptz not null default now(),
  primary key (region_code, year),
  foreign key (region_code, submitted_by) references users
);
