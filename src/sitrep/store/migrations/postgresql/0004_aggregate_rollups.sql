-- PostgreSQL 0004: monthly rollups of events and incidents, kept by triggers, for the aggregates
-- of the HTTP API (issue 15: < 150 ms on 1M events). store/rollups.py reads them (its ROLLUPS
-- must name these tables and their key columns).
--
-- A row per month and key with the row count `n` and, per figure kind, the five sums
-- aggregates.py reports: <kind>_low = sum(coalesce(low, 0)), <kind> = sum(best), <kind>_high =
-- sum(coalesce(high, best)), <kind>_n = count(best), <kind>_open = count(best) - count(high).
-- `date` is the month's first day, so the API's filter SQL (store/sql.py) runs on a rollup
-- unchanged when its date bounds fall on month boundaries. Four rollups: *_months keyed by
-- every column the API filters or groups on but the free-text ones (country, admin1,
-- admin1_pcode, type, mode, status, ACLED type, kind); *_months_coarse by country, type and kind
-- only (a few thousand rows for a million events: the dashboard's usual country/type/period
-- questions); *_months_places by country, admin1 and kind (the admin1 groupings); *_days by
-- day, country, type and kind (groupings by day or week, any date bounds).
-- An aggregate needing anything else (a place, an actor, q, a point, a sub-event type, a status
-- by day) reads the rows (through the covering indexes below).
--
-- Writers never wait on each other here: each statement on the base table appends its DELTA
-- rows (statement-level triggers over transition tables; a delete appends negative counts), with
-- no unique key and no upsert, so two ingests touching one month and country share no row
-- lock. Readers sum the deltas; PostgresStore.compact_rollups() folds them into one row per key
-- at the end of each write run and of `sitrep store copy`.

CREATE TABLE event_months_coarse (
    date DATE,  -- the first day of the month; NULL for undated rows
    country TEXT,
    event_type TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX event_months_coarse_country_date ON event_months_coarse (country, date);
CREATE TABLE event_months_places (
    date DATE,  -- the first day of the month; NULL for undated rows
    country TEXT,
    admin1 TEXT,
    admin1_pcode TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX event_months_places_country_date ON event_months_places (country, date);
CREATE TABLE event_months (
    date DATE,  -- the first day of the month; NULL for undated rows
    country TEXT,
    admin1 TEXT,
    admin1_pcode TEXT,
    event_type TEXT,
    mode TEXT,
    status TEXT,
    acled_event_type TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX event_months_country_date ON event_months (country, date);
CREATE TABLE event_days (
    date DATE,  -- the day; NULL for undated rows
    country TEXT,
    event_type TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX event_days_country_date ON event_days (country, date);

CREATE FUNCTION events_rollup_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO event_months_coarse
        SELECT date_trunc('month', date)::date, country, event_type, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO event_months_coarse
        SELECT date_trunc('month', date)::date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO event_months_places
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4, 5;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO event_months_places
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4, 5;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO event_months
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, event_type, mode, status, acled_event_type, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO event_months
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, event_type, mode, status, acled_event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO event_days
        SELECT date, country, event_type, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO event_days
        SELECT date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER events_rollup_insert AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_rollup_delta();
CREATE TRIGGER events_rollup_delete AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_rollup_delta();
CREATE TRIGGER events_rollup_update AFTER UPDATE ON events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION events_rollup_delta();
INSERT INTO event_months_coarse
SELECT date_trunc('month', date)::date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM events GROUP BY 1, 2, 3, 4;
INSERT INTO event_months_places
SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM events GROUP BY 1, 2, 3, 4, 5;
INSERT INTO event_months
SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, event_type, mode, status, acled_event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO event_days
SELECT date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM events GROUP BY 1, 2, 3, 4;

CREATE TABLE incident_months_coarse (
    date DATE,  -- the first day of the month; NULL for undated rows
    country TEXT,
    event_type TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX incident_months_coarse_country_date ON incident_months_coarse (country, date);
CREATE TABLE incident_months_places (
    date DATE,  -- the first day of the month; NULL for undated rows
    country TEXT,
    admin1 TEXT,
    admin1_pcode TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX incident_months_places_country_date ON incident_months_places (country, date);
CREATE TABLE incident_months (
    date DATE,  -- the first day of the month; NULL for undated rows
    country TEXT,
    admin1 TEXT,
    admin1_pcode TEXT,
    event_type TEXT,
    mode TEXT,
    status TEXT,
    acled_event_type TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX incident_months_country_date ON incident_months (country, date);
CREATE TABLE incident_days (
    date DATE,  -- the day; NULL for undated rows
    country TEXT,
    event_type TEXT,
    kind TEXT,
    n INTEGER NOT NULL,
    killed_low INTEGER NOT NULL, killed INTEGER NOT NULL, killed_high INTEGER NOT NULL, killed_n INTEGER NOT NULL, killed_open INTEGER NOT NULL,
    injured_low INTEGER NOT NULL, injured INTEGER NOT NULL, injured_high INTEGER NOT NULL, injured_n INTEGER NOT NULL, injured_open INTEGER NOT NULL,
    displaced_low INTEGER NOT NULL, displaced INTEGER NOT NULL, displaced_high INTEGER NOT NULL, displaced_n INTEGER NOT NULL, displaced_open INTEGER NOT NULL,
    besieged_low INTEGER NOT NULL, besieged INTEGER NOT NULL, besieged_high INTEGER NOT NULL, besieged_n INTEGER NOT NULL, besieged_open INTEGER NOT NULL,
    trapped_low INTEGER NOT NULL, trapped INTEGER NOT NULL, trapped_high INTEGER NOT NULL, trapped_n INTEGER NOT NULL, trapped_open INTEGER NOT NULL,
    detained_low INTEGER NOT NULL, detained INTEGER NOT NULL, detained_high INTEGER NOT NULL, detained_n INTEGER NOT NULL, detained_open INTEGER NOT NULL,
    strikes_low INTEGER NOT NULL, strikes INTEGER NOT NULL, strikes_high INTEGER NOT NULL, strikes_n INTEGER NOT NULL, strikes_open INTEGER NOT NULL
);
CREATE INDEX incident_days_country_date ON incident_days (country, date);

CREATE FUNCTION incidents_rollup_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO incident_months_coarse
        SELECT date_trunc('month', date)::date, country, event_type, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO incident_months_coarse
        SELECT date_trunc('month', date)::date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO incident_months_places
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4, 5;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO incident_months_places
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4, 5;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO incident_months
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, event_type, mode, status, acled_event_type, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO incident_months
        SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, event_type, mode, status, acled_event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO incident_days
        SELECT date, country, event_type, kind, -count(*),
           -coalesce(sum(coalesce(killed_low, 0)), 0), -coalesce(sum(killed), 0), -coalesce(sum(coalesce(killed_high, killed)), 0), -count(killed), -(count(killed) - count(killed_high)),
           -coalesce(sum(coalesce(injured_low, 0)), 0), -coalesce(sum(injured), 0), -coalesce(sum(coalesce(injured_high, injured)), 0), -count(injured), -(count(injured) - count(injured_high)),
           -coalesce(sum(coalesce(displaced_low, 0)), 0), -coalesce(sum(displaced), 0), -coalesce(sum(coalesce(displaced_high, displaced)), 0), -count(displaced), -(count(displaced) - count(displaced_high)),
           -coalesce(sum(coalesce(besieged_low, 0)), 0), -coalesce(sum(besieged), 0), -coalesce(sum(coalesce(besieged_high, besieged)), 0), -count(besieged), -(count(besieged) - count(besieged_high)),
           -coalesce(sum(coalesce(trapped_low, 0)), 0), -coalesce(sum(trapped), 0), -coalesce(sum(coalesce(trapped_high, trapped)), 0), -count(trapped), -(count(trapped) - count(trapped_high)),
           -coalesce(sum(coalesce(detained_low, 0)), 0), -coalesce(sum(detained), 0), -coalesce(sum(coalesce(detained_high, detained)), 0), -count(detained), -(count(detained) - count(detained_high)),
           -coalesce(sum(coalesce(strikes_low, 0)), 0), -coalesce(sum(strikes), 0), -coalesce(sum(coalesce(strikes_high, strikes)), 0), -count(strikes), -(count(strikes) - count(strikes_high))
    FROM old_rows GROUP BY 1, 2, 3, 4;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO incident_days
        SELECT date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM new_rows GROUP BY 1, 2, 3, 4;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER incidents_rollup_insert AFTER INSERT ON incidents REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incidents_rollup_delta();
CREATE TRIGGER incidents_rollup_delete AFTER DELETE ON incidents REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incidents_rollup_delta();
CREATE TRIGGER incidents_rollup_update AFTER UPDATE ON incidents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incidents_rollup_delta();
INSERT INTO incident_months_coarse
SELECT date_trunc('month', date)::date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM incidents GROUP BY 1, 2, 3, 4;
INSERT INTO incident_months_places
SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM incidents GROUP BY 1, 2, 3, 4, 5;
INSERT INTO incident_months
SELECT date_trunc('month', date)::date, country, admin1, admin1_pcode, event_type, mode, status, acled_event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM incidents GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO incident_days
SELECT date, country, event_type, kind, count(*),
           coalesce(sum(coalesce(killed_low, 0)), 0), coalesce(sum(killed), 0), coalesce(sum(coalesce(killed_high, killed)), 0), count(killed), (count(killed) - count(killed_high)),
           coalesce(sum(coalesce(injured_low, 0)), 0), coalesce(sum(injured), 0), coalesce(sum(coalesce(injured_high, injured)), 0), count(injured), (count(injured) - count(injured_high)),
           coalesce(sum(coalesce(displaced_low, 0)), 0), coalesce(sum(displaced), 0), coalesce(sum(coalesce(displaced_high, displaced)), 0), count(displaced), (count(displaced) - count(displaced_high)),
           coalesce(sum(coalesce(besieged_low, 0)), 0), coalesce(sum(besieged), 0), coalesce(sum(coalesce(besieged_high, besieged)), 0), count(besieged), (count(besieged) - count(besieged_high)),
           coalesce(sum(coalesce(trapped_low, 0)), 0), coalesce(sum(trapped), 0), coalesce(sum(coalesce(trapped_high, trapped)), 0), count(trapped), (count(trapped) - count(trapped_high)),
           coalesce(sum(coalesce(detained_low, 0)), 0), coalesce(sum(detained), 0), coalesce(sum(coalesce(detained_high, detained)), 0), count(detained), (count(detained) - count(detained_high)),
           coalesce(sum(coalesce(strikes_low, 0)), 0), coalesce(sum(strikes), 0), coalesce(sum(coalesce(strikes_high, strikes)), 0), count(strikes), (count(strikes) - count(strikes_high))
    FROM incidents GROUP BY 1, 2, 3, 4;

-- The other aggregates (by day or week, and filters the rollups lack) read the matching rows; a
-- covering index holds every column they filter, group or sum, so they are index-only scans of
-- ~100 bytes a row instead of heap reads of ~2 kB rows with their JSONB.
CREATE INDEX events_facts ON events (country, date) INCLUDE (kind, event_type, mode, status, acled_event_type, admin1, admin1_pcode, killed, killed_low, killed_high, injured, injured_low, injured_high, displaced, displaced_low, displaced_high, besieged, besieged_low, besieged_high, trapped, trapped_low, trapped_high, detained, detained_low, detained_high, strikes, strikes_low, strikes_high);
CREATE INDEX incidents_facts ON incidents (country, date) INCLUDE (kind, event_type, mode, status, acled_event_type, admin1, admin1_pcode, killed, killed_low, killed_high, injured, injured_low, injured_high, displaced, displaced_low, displaced_high, besieged, besieged_low, besieged_high, trapped, trapped_low, trapped_high, detained, detained_low, detained_high, strikes, strikes_low, strikes_high);
