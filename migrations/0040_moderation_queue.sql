-- The CPI moderation queue (issue 10 load figures): the Region's submitted vacancies, oldest first.
-- No index had status before the company, so PostgreSQL planned the queue afresh on every request
-- (its generic plan read every vacancy of the Region in parallel) and, with a Region's 20,000
-- vacancies, showed the slowest tail of the operator's pages. This partial index holds only the
-- vacancies waiting for a decision (a handful), in the queue's order; the query names the status
-- as a literal so that its one generic plan can use it.
create index vacancies_moderation_queue on vacancies (region_code, updated_at, id)
  where status = 'submitted';
