-- Indexes found by the load benchmark (issue 10, item 3) at 100,000 people and 20,000 vacancies.

-- An operator's people search: surname prefix (upper-cased, LIKE 'ROSSI%') within the Region's citizens.
create index users_citizen_surname on users (region_code, role, upper(family_name) text_pattern_ops);
