-- An operator's people search (issue 10 load figures): a surname prefix within the Region's citizens,
-- shown in alphabetical order (surname, then given name), 20 at a time. With this index PostgreSQL
-- walks the names in order and stops at the 20th, instead of reading every "Rossi" of the Region
-- (1,136 of 100,000 people in the benchmark) to sort them: 22 ms → 0.3 ms. The "C" collation keeps
-- the prefix search usable with the index whatever the database's own collation is.
create index users_citizen_name_order on users (
  region_code,
  role,
  (upper(family_name) collate "C"),
  (upper(given_name) collate "C"),
  id
);
