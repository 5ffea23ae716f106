"""Is this document new? Same id, same canonical URL, or a near-copy of one already kept.

- same id (same URL and same words): a re-run or a second copy of a file -> skipped;
- same canonical URL, other words (a feed's version of a saved page, a page re-fetched after
  its comment count changed): the same article -> skipped, the first copy stands;
- mostly the same words under another URL (syndicated wire copy): stored, linked to the
  first copy with `duplicate_of`, and its events are not extracted again, unless it reports other
  figures (a toll revised in a re-sent wire story): then it keeps its events and is marked
  `revision_of` the first copy (ingest/revisions.py);
- anything else is new. What this run has accepted counts as much as what the store holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from sitrep.document import Document
from sitrep.ingest.assemble import body_text
from sitrep.ingest.identity import normalize_url
from sitrep.ingest.similarity import THRESHOLD, Signature, signature

Outcome = Literal["new", "stored", "same url", "near duplicate"]


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    original: str | None = None  # the id of the document this one repeats
    similarity: float | None = None
    signature: Signature | None = None


class Deduplicator:
    """Remembers this run's documents and asks the store about earlier ones."""

    def __init__(self, store: Any, *, threshold: float = THRESHOLD) -> None:
        self.store = store
        self.threshold = threshold
        self._ids: set[str] = set()
        self._urls: dict[str, str] = {}
        self._signatures: dict[str, Signature] = {}
        self._buckets: dict[int, list[str]] = defaultdict(list)

    def known_url(self, url: str | None) -> str | None:
        """The id of a document (this run's or stored) with this canonical URL, if any."""
        key = normalize_url(url)
        if key is None:
            return None
        if key in self._urls:
            return self._urls[key]
        return self.store.documents_with_urls([key]).get(key)

    def check(self, doc: Document) -> Verdict:
        if doc.id in self._ids or self.store.has_document(doc.id):
            return Verdict("stored", doc.id)
        same = self.known_url(doc.source.url)
        if same is not None:
            return Verdict("same url", same)
        sig = signature(body_text(doc))
        if sig is None:
            return Verdict("new")
        best_id, best = None, 0.0
        for other_id, other in self._candidates(sig):
            score = sig.containment(other)
            if score > best:
                best_id, best = other_id, score
        if best_id is not None and best >= self.threshold:
            return Verdict("near duplicate", best_id, round(best, 3), sig)
        return Verdict("new", signature=sig)

    def remember(self, doc: Document, verdict: Verdict) -> None:
        """Count `doc` as seen by this run (an original also becomes a candidate for later copies)."""
        self._ids.add(doc.id)
        for url in [doc.source.url, *(doc.ext.get("aliases") or [])]:
            key = normalize_url(url)
            if key is not None:
                self._urls.setdefault(key, doc.id)
        if verdict.outcome == "new" and verdict.signature is not None:
            self._signatures[doc.id] = verdict.signature
            for bucket in verdict.signature.bands():
                self._buckets[bucket].append(doc.id)

    def _candidates(self, sig: Signature) -> list[tuple[str, Signature]]:
        buckets = sig.bands()
        found: dict[str, Signature] = {}
        for bucket in buckets:
            for doc_id in self._buckets.get(bucket, ()):
                found[doc_id] = self._signatures[doc_id]
        for doc_id, shingles, values in self.store.minhash_candidates(buckets):
            found.setdefault(doc_id, Signature(tuple(values), shingles))
        return sorted(found.items())
