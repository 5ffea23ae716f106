-- PostgreSQL 0001: the schema DuckDB reaches with its migrations 0001-0009 (store/migrations/),
-- in one step, with what a shared server needs on top: JSONB records, unique keys that make
-- concurrent ingests idempotent (ON CONFLICT DO NOTHING on documents), and an index for every
-- API filter. Later schema changes get numbered files here AND beside DuckDB's.

CREATE EXTENSION IF NOT EXISTS pg_trgm;  -- substring (ILIKE '%x%') filters served from GIN indexes

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
    sections            JSONB,
    notes               JSONB,
    fingerprint         TEXT,
    ingested_at         TIMESTAMP,
    run_id              TEXT,
    mentions            JSONB,
    duplicate_of        TEXT,
    similarity          DOUBLE PRECISION,
    author              TEXT,
    language            TEXT,
    input_kind          TEXT,
    revision_of         TEXT
);
CREATE INDEX documents_url_idx ON documents (url);
CREATE INDEX documents_path_idx ON documents (path);

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
    lat                   DOUBLE PRECISION,
    lon                   DOUBLE PRECISION,
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
    confidence            DOUBLE PRECISION,
    record                JSONB NOT NULL,
    killed_low INTEGER, killed_high INTEGER, injured_low INTEGER, injured_high INTEGER,
    displaced_low INTEGER, displaced_high INTEGER,
    besieged INTEGER, besieged_low INTEGER, besieged_high INTEGER,
    trapped INTEGER, trapped_low INTEGER, trapped_high INTEGER,
    detained INTEGER, detained_low INTEGER, detained_high INTEGER,
    strikes INTEGER, strikes_low INTEGER, strikes_high INTEGER,
    kind                  TEXT,
    date_basis            TEXT
);
CREATE INDEX events_doc_id_idx ON events (doc_id);
CREATE INDEX events_date_idx ON events (date, id);
CREATE INDEX events_country_date_idx ON events (country, date, id);
CREATE INDEX events_admin1_idx ON events (lower(admin1));
CREATE INDEX events_admin1_pcode_idx ON events (lower(admin1_pcode));
CREATE INDEX events_event_type_idx ON events (event_type);
CREATE INDEX events_status_idx ON events (status);
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_acled_type_idx ON events (acled_event_type);
CREATE INDEX events_published_idx ON events (published);
CREATE INDEX events_lat_lon_idx ON events (lat, lon);  -- the radius and bbox filters' box
CREATE INDEX events_place_trgm ON events USING gin (place gin_trgm_ops);
CREATE INDEX events_admin1_trgm ON events USING gin (admin1 gin_trgm_ops);
CREATE INDEX events_actor_names_trgm ON events USING gin (actor_names gin_trgm_ops);
CREATE INDEX events_actor_ids_trgm ON events USING gin (actor_ids gin_trgm_ops);
CREATE INDEX events_recipient_names_trgm ON events USING gin (recipient_names gin_trgm_ops);
CREATE INDEX events_recipient_ids_trgm ON events USING gin (recipient_ids gin_trgm_ops);
CREATE INDEX events_evidence_trgm ON events USING gin (evidence gin_trgm_ops);
CREATE INDEX events_title_trgm ON events USING gin (title gin_trgm_ops);
-- `q` (evidence and title) stays a substring match, as on DuckDB, served by the two trigram
-- indexes above: a tsvector/tsquery match would answer word by word and disagree with DuckDB
-- ("lepp" finds Aleppo as a substring, not as a word).

CREATE TABLE rejects (
    id           TEXT PRIMARY KEY,
    path         TEXT,
    reason       TEXT NOT NULL,
    detail       TEXT,
    rejected_at  TIMESTAMP,
    run_id       TEXT
);
CREATE INDEX rejects_path_idx ON rejects (path);

CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    command          TEXT,
    started_at       TIMESTAMP,
    finished_at      TIMESTAMP,
    documents_added  INTEGER,
    events_added     INTEGER,
    rejected         INTEGER
);

CREATE TABLE document_aliases (
    url     TEXT NOT NULL,
    doc_id  TEXT NOT NULL
);
CREATE INDEX document_aliases_url_idx ON document_aliases (url);

-- MinHash values are unsigned 64-bit; PostgreSQL has no such type, so they are stored as the
-- signed BIGINT of the same bits (store/postgres_store.py converts both ways).
CREATE TABLE document_minhash (
    doc_id     TEXT PRIMARY KEY,
    shingles   INTEGER NOT NULL,
    signature  BIGINT[] NOT NULL
);
CREATE TABLE document_bands (
    bucket  BIGINT NOT NULL,
    doc_id  TEXT NOT NULL
);
CREATE INDEX document_bands_bucket_idx ON document_bands (bucket);

CREATE TABLE citations (
    doc_id        TEXT NOT NULL,
    position      INTEGER NOT NULL,
    number        INTEGER,
    outlet        TEXT,
    title         TEXT,
    url           TEXT,
    published     DATE,
    accessed      DATE,
    text          TEXT,
    start_offset  INTEGER,
    end_offset    INTEGER,
    PRIMARY KEY (doc_id, position)
);

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
    lat                   DOUBLE PRECISION,
    lon                   DOUBLE PRECISION,
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
    record                JSONB NOT NULL,
    killed_low INTEGER, killed_high INTEGER, injured_low INTEGER, injured_high INTEGER,
    displaced INTEGER, displaced_low INTEGER, displaced_high INTEGER,
    besieged INTEGER, besieged_low INTEGER, besieged_high INTEGER,
    trapped INTEGER, trapped_low INTEGER, trapped_high INTEGER,
    detained INTEGER, detained_low INTEGER, detained_high INTEGER,
    strikes INTEGER, strikes_low INTEGER, strikes_high INTEGER,
    published             DATE
);
CREATE INDEX incidents_block_idx ON incidents (block);
CREATE INDEX incidents_date_idx ON incidents (date, id);
CREATE INDEX incidents_country_date_idx ON incidents (country, date, id);
CREATE INDEX incidents_updated_idx ON incidents (updated_at);
CREATE INDEX incidents_event_type_idx ON incidents (event_type);
CREATE INDEX incidents_lat_lon_idx ON incidents (lat, lon);

-- an event mention belongs to at most one incident; resolution runs under advisory locks
CREATE TABLE incident_members (
    incident_id  TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    PRIMARY KEY (incident_id, event_id)
);
CREATE UNIQUE INDEX incident_members_event_idx ON incident_members (event_id);

CREATE TABLE incident_aliases (
    alias        TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL
);

CREATE TABLE corrections (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL,
    field       TEXT NOT NULL,
    old_value   JSONB,
    new_value   JSONB,
    note        TEXT,
    author      TEXT,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX corrections_event_id_idx ON corrections (event_id);
