-- 0002 (DuckDB 0010): API keys for `sitrep serve` (store/api_keys.py). Only the SHA-256 of a key is kept: the
-- secret itself is printed once by `sitrep keys create` and never stored. `prefix` is the key's
-- first characters, so an operator can tell keys apart in `sitrep keys list`. A revoked key keeps
-- its row (revoked_at set): its name is not reused, and the list says when it was revoked.
CREATE TABLE api_keys (
    name          TEXT PRIMARY KEY,
    key_hash      TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    read_only     BOOLEAN NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP,
    last_used_at  TIMESTAMP
);
