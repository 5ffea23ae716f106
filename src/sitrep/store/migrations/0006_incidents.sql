-- 0006: incidents (DESIGN.md section 8): the mentions of one real-world event, reconciled. The
-- record JSON is what queries return; the flat columns (named as in `events`, so the same
-- EventFilter applies) exist to filter and sort. `block` is the resolution block an incremental
-- ingest re-resolves; aliases keep the ids of merged incidents resolving.
CREATE TABLE incidents (
    id                    TEXT PRIMARY KEY,
    block                 TEXT NOT NULL,
    event_type            TEXT,
    mode                  TEXT,
    status                TEXT,
    kind                  TEXT,
    date                  DATE,
    time_precision        INTEGER,
    place                 TEXT,
    country               TEXT,
    admin1                TEXT,
    admin1_pcode          TEXT,
    lat                   DOUBLE,
    lon                   DOUBLE,
    acled_event_type      TEXT,
    acled_sub_event_type  TEXT,
    actor_names           TEXT,
    actor_ids             TEXT,
    recipient_names       TEXT,
    recipient_ids         TEXT,
    evidence              TEXT,
    title                 TEXT,
    killed                INTEGER,
    injured               INTEGER,
    n_sources             INTEGER,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    record                JSON NOT NULL
);
CREATE INDEX incidents_block_idx ON incidents (block);
CREATE INDEX incidents_date_idx ON incidents (date);
CREATE INDEX incidents_updated_idx ON incidents (updated_at);

CREATE TABLE incident_members (
    incident_id  TEXT NOT NULL,
    event_id     TEXT NOT NULL
);
CREATE INDEX incident_members_incident_idx ON incident_members (incident_id);
CREATE INDEX incident_members_event_idx ON incident_members (event_id);

CREATE TABLE incident_aliases (
    alias        TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL
);
