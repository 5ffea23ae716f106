-- 0009: an analyst's correction of one field of one event record. The record as extracted stays in
-- `events` untouched; reads apply the corrections of an event over it (store/corrections.py), in
-- the order they were made, and say so. Keyed by event id, not tied to the events table: event ids
-- are derived from the document and the evidence span, so re-ingesting the same documents (or a
-- store rebuilt from them, with the corrections imported) gives the same ids and the corrections
-- apply again.
CREATE TABLE corrections (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL,
    field       TEXT NOT NULL,
    old_value   JSON,
    new_value   JSON,
    note        TEXT,
    author      TEXT,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX corrections_event_id_idx ON corrections (event_id);
