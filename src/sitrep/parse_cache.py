"""An optional on-disk cache of spaCy parses, keyed by the text and the model's version.

The parse is about 80% of a run (bench/RESULTS.md), and evaluation re-reads the same texts after
every change to the rules that sit on top of it. Setting ``SITREP_PARSE_CACHE`` to a file path
stores each parse there (SQLite, one row per text) and reads it back on the next run, which is
several times faster than parsing again. Off unless the variable is set: ordinary runs never
write anything they were not asked to.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import sqlite3
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

ENV = "SITREP_PARSE_CACHE"


def _code_salt(nlp: Language) -> str:
    """A digest of the source of sitrep's own pipes in the spaCy pipeline (the paragraph breaks set
    before the parser): when their code changes, parses cached before are not reused. Without it a
    stale cache gave 353 events on the sample corpus where a fresh parse gives 346."""
    digest = hashlib.sha1()
    for name in nlp.pipe_names:
        pipe = nlp.get_pipe(name)
        module = inspect.getmodule(pipe) or inspect.getmodule(type(pipe))
        if module is not None and module.__name__.startswith("sitrep"):
            digest.update(inspect.getsource(module).encode("utf-8"))
    return digest.hexdigest()[:12]


class ParseCache:
    """Parses stored by sha1(model name, model version, pipe names, text)."""

    def __init__(self, path: Path, nlp: Language) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=120, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS parse (key TEXT PRIMARY KEY, doc BLOB)")
        self._nlp = nlp
        meta = nlp.meta
        self._salt = f"{meta.get('name')}|{meta.get('version')}|{','.join(nlp.pipe_names)}|{_code_salt(nlp)}|"

    def _key(self, text: str) -> str:
        return hashlib.sha1((self._salt + text).encode("utf-8")).hexdigest()

    def get_many(self, texts: list[str]) -> list[SpacyDoc | None]:
        """The cached parse of each text, or None where there is none."""
        keys = [self._key(t) for t in texts]
        marks = ",".join("?" * len(keys))
        rows = dict(self._db.execute(f"SELECT key, doc FROM parse WHERE key IN ({marks})", keys))
        out: list[SpacyDoc | None] = []
        for key in keys:
            blob = rows.get(key)
            out.append(SpacyDoc(self._nlp.vocab).from_bytes(blob) if blob is not None else None)
        return out

    def put_many(self, texts: list[str], docs: list[SpacyDoc]) -> None:
        """Store parses (exclude nothing: later stages read tokens, entities and sentences)."""
        rows = [(self._key(t), d.to_bytes(exclude=["user_data"])) for t, d in zip(texts, docs, strict=True)]
        self._db.executemany("INSERT OR REPLACE INTO parse VALUES (?, ?)", rows)
        self._db.commit()


_CACHES: dict[str, ParseCache] = {}


def parse_cache(nlp: Language) -> ParseCache | None:
    """The cache named by SITREP_PARSE_CACHE, opened once per process, or None when unset."""
    path = os.environ.get(ENV)
    if not path:
        return None
    if path not in _CACHES:
        _CACHES[path] = ParseCache(Path(path), nlp)
    return _CACHES[path]
