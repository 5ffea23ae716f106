-- PostgreSQL 0005: a page of /api/events by country and dates read from the index alone (issue 15).
--
-- EXPLAIN (ANALYZE, BUFFERS) of the page query (WHERE country = $1 AND date >= $2 AND date <= $3
-- AND kind IN (...) ORDER BY COALESCE(date, ...) DESC, id LIMIT 100) on the synthetic million:
-- an index scan of (country, date, id) that reads every matching row from the heap (858 buffers
-- for one country-month) only to test `kind`, then sorts the ~900 rows. With `kind` carried in
-- the index the rows never leave it (an index-only scan; the heap is read for the 100 records of
-- the page alone). Same key columns, so every other plan that used the old index still can.
DROP INDEX IF EXISTS events_country_date_idx;
CREATE INDEX events_country_date_idx ON events (country, date, id) INCLUDE (kind);
DROP INDEX IF EXISTS incidents_country_date_idx;
CREATE INDEX incidents_country_date_idx ON incidents (country, date, id) INCLUDE (kind);
