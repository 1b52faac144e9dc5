-- The company page counts each site's vacancies (issue 10 load figures: without this index every view
-- of /azienda read the whole vacancies table, 87 ms at 20,000 vacancies).
create index if not exists vacancies_site on vacancies (region_code, site_id) where site_id is not null;
