-- 0001: the initial schema. Every event row keeps the whole record as JSON (what queries return);
-- the flat columns beside it exist only to filter, sort and count without parsing JSON.

CREATE TABLE IF NOT EXISTS schema_migrations (
    name        TEXT PRIMARY KEY,
    applied_at  TIMESTAMP
);

CREATE TABLE documents (
    id                  TEXT PRIMARY KEY,
    schema              INTEGER,
    url                 TEXT,
    title               TEXT,
    publisher           TEXT,
    published           DATE,
    published_inferred  BOOLEAN,
    path                TEXT,
    text                TEXT NOT NULL,
    sections            JSON,
    notes               JSON,
    fingerprint         TEXT,
    ingested_at         TIMESTAMP,
    run_id              TEXT
);

CREATE TABLE events (
    id                    TEXT PRIMARY KEY,
    doc_id                TEXT NOT NULL,
    event_type            TEXT NOT NULL,
    mode                  TEXT,
    status                TEXT,
    date                  DATE,
    date_end              DATE,
    time_precision        INTEGER,
    place                 TEXT,
    country               TEXT,
    admin1                TEXT,
    admin1_pcode          TEXT,
    lat                   DOUBLE,
    lon                   DOUBLE,
    geo_precision         INTEGER,
    acled_event_type      TEXT,
    acled_sub_event_type  TEXT,
    cameo                 TEXT,
    quad                  INTEGER,
    actor_names           TEXT,
    actor_ids             TEXT,
    recipient_names       TEXT,
    recipient_ids         TEXT,
    killed                INTEGER,
    injured               INTEGER,
    displaced             INTEGER,
    evidence              TEXT,
    section               TEXT,
    title                 TEXT,
    published             DATE,
    confidence            DOUBLE,
    record                JSON NOT NULL
);

CREATE INDEX events_date_idx ON events (date);
CREATE INDEX events_country_idx ON events (country);
CREATE INDEX events_event_type_idx ON events (event_type);
CREATE INDEX events_doc_id_idx ON events (doc_id);

CREATE TABLE rejects (
    id           TEXT PRIMARY KEY,
    path         TEXT,
    reason       TEXT NOT NULL,
    detail       TEXT,
    rejected_at  TIMESTAMP,
    run_id       TEXT
);

CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    command          TEXT,
    started_at       TIMESTAMP,
    finished_at      TIMESTAMP,
    documents_added  INTEGER,
    events_added     INTEGER,
    rejected         INTEGER
);
