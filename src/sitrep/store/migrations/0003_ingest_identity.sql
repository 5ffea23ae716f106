-- 0003: what ingesting real-world web input needs.
-- Documents: who wrote them, their language, what kind of input they came from, and, for a
-- syndicated copy, the document it repeats (`duplicate_of`, with the estimated similarity):
-- such a copy is kept for provenance but its events are not stored again.
ALTER TABLE documents ADD COLUMN duplicate_of TEXT;
ALTER TABLE documents ADD COLUMN similarity DOUBLE;
ALTER TABLE documents ADD COLUMN author TEXT;
ALTER TABLE documents ADD COLUMN language TEXT;
ALTER TABLE documents ADD COLUMN input_kind TEXT;
CREATE INDEX documents_url_idx ON documents (url);

-- Other URLs that led to a stored document (a feed's link that redirects, a shortened link), so a
-- re-run knows the page without fetching it again.
CREATE TABLE document_aliases (
    url     TEXT NOT NULL,
    doc_id  TEXT NOT NULL
);
CREATE INDEX document_aliases_url_idx ON document_aliases (url);

-- MinHash signatures and their LSH band buckets, to find near-duplicates without comparing every pair.
CREATE TABLE document_minhash (
    doc_id     TEXT PRIMARY KEY,
    shingles   INTEGER NOT NULL,
    signature  UBIGINT[] NOT NULL
);
CREATE TABLE document_bands (
    bucket  UBIGINT NOT NULL,
    doc_id  TEXT NOT NULL
);
CREATE INDEX document_bands_bucket_idx ON document_bands (bucket);

-- The items of reference lists: the outlets and dates a document cites (never events).
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
