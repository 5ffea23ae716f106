"""The ingest driver: read inputs, skip what is stored, run the pipeline, commit batch by batch.

Kept apart from the CLI so that the command stays thin and other front ends (a scheduler, a
notebook) can ingest the same way. Only this process writes the store.

Durability: each batch (its documents, events, near-duplicate links, citations, rejects and
the run's progress) is one transaction, so a run killed at any moment leaves every earlier
batch whole and nothing of the current one; a re-run skips what is stored and resumes.
Local inputs are read first and URLs fetched last, so a page already in hand is not fetched.

Nothing silent: every item a reader delivers (a document, or a rejection of an input, a record,
a line or an entry) ends as stored, skipped (with the document it repeats: `Skip`) or rejected
(with its reason), so `read == stored + skipped + rejected`. A URL met again in the same run
(two feeds linking one page) is not fetched again: it is skipped as a repeat of the first when
that one gave a document, and rejected with the first one's reason when that one was rejected.
Warnings ride on kept documents and are not items.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sitrep.document import Document
from sitrep.ingest.assemble import clean_text
from sitrep.ingest.dedup import Deduplicator, Verdict
from sitrep.ingest.identity import normalize_url
from sitrep.ingest.items import FetchTask
from sitrep.ingest.reject import WARNING_PREFIX, Reject
from sitrep.ingest.revisions import may_revise, revises
from sitrep.ingest.similarity import THRESHOLD
from sitrep.ingest.sources import Reader, ReadOptions
from sitrep.pipeline import Pipeline
from sitrep.record import records

COMMENT_CONFIDENCE = 0.5  # events from reader comments (only with --include-comments) weigh half
MAX_PENDING_REJECTS = 500


@dataclass(frozen=True, slots=True)
class Skip:
    """An item not stored because it repeats one already stored (or stored by this run)."""

    path: str
    reason: str  # "already stored", "same URL as a stored document", "repeated in this run"
    original: str | None = None  # the id of the document it repeats, or the path of the first copy

    def line(self) -> str:
        return f"{self.path}: {self.reason}" + (f" ({self.original})" if self.original else "")


@dataclass
class IngestReport:
    """What one run did, for the console summary, the progress bar and the exit status."""

    documents: int = 0  # new documents stored (originals)
    duplicates: int = 0  # near-duplicates stored as links to an original
    events: int = 0
    skipped: int = 0  # already stored: same id or same canonical URL, or a URL repeated in this run
    read: int = 0  # items the readers delivered: documents and rejections (warnings aside)
    fetched: int = 0  # URLs actually requested (none under --offline)
    skips: list[Skip] = field(default_factory=list)
    batches: int = 0
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[Reject] = field(default_factory=list)
    seconds: float = 0.0
    started: float = field(default_factory=time.perf_counter)
    first: float | None = None  # when the first document arrived (the rate leaves model loading out)
    current: str = ""

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def stored(self) -> int:
        return self.documents + self.duplicates

    @property
    def unaccounted(self) -> int:
        """Items read that ended as none of stored, skipped, rejected (0 unless there is a bug)."""
        return self.read - self.stored - self.skipped - self.rejected

    def reasons(self, warnings: bool = False) -> Counter[str]:
        return Counter(r.reason for r in (self.warnings if warnings else self.rejects))

    @property
    def rate(self) -> float:
        """Documents stored per second since the first one was read."""
        elapsed = time.perf_counter() - (self.first or self.started)
        return (self.documents + self.duplicates) / elapsed if elapsed > 0 else 0.0


@dataclass
class _Pending:
    doc: Document
    verdict: Verdict
    meta: dict[str, Any]


def ingest(
    paths: Iterable[str],
    store: Any,
    pipeline: Pipeline,
    *,
    published: date | None = None,
    batch_size: int = 32,
    on_reject: Callable[[Reject], None] | None = None,
    command: str = "ingest",
    options: ReadOptions | None = None,
    reader: Reader | None = None,
    on_progress: Callable[[IngestReport], None] | None = None,
    on_batch: Callable[[IngestReport, int], None] | None = None,
    threshold: float = THRESHOLD,
    on_skip: Callable[[Skip], None] | None = None,
    extractor: Extractor | None = None,
) -> IngestReport:
    """Ingest `paths` into `store`; documents already stored are skipped (idempotent).

    `on_reject` sees every rejection and warning as it happens, `on_skip` every skipped item;
    `on_batch(report, added)` runs after each committed batch; `on_progress(report)` after
    every input item. `extractor` runs the pipeline on each batch (default: in this process;
    ingest/parallel.py's runs it in worker processes, several batches in flight): reading,
    the skip and duplicate decisions and the commits stay here, in input order, so the store
    ends the same whichever extractor ran.
    """
    options = options or ReadOptions()
    if published is not None:
        options.published = published
    reader = reader or Reader(options)
    report = IngestReport()
    run_id = store.begin_run(command)
    dedup = Deduplicator(store, threshold=threshold)
    resolve_cfg = dict((getattr(pipeline, "config", None) or {}).get("resolve") or {})
    pending: list[_Pending] = []
    rejects: list[dict[str, Any]] = []
    extractor = extractor or InProcess(pipeline)
    in_flight: deque[_Batch] = deque()  # extracted or being extracted, committed oldest first

    def skip(path: str, reason: str, original: str | None) -> None:
        report.skipped += 1
        report.skips.append(Skip(path, reason, original))
        if on_skip:
            on_skip(report.skips[-1])

    def note(reject: Reject, into: list[dict[str, Any]] | None = None) -> None:
        (report.warnings if reject.is_warning else report.rejects).append(reject)
        reason = WARNING_PREFIX + reject.reason if reject.is_warning else reject.reason
        (rejects if into is None else into).append(
            {"path": clean_text(reject.path), "reason": reason, "detail": clean_text(reject.detail)})
        if on_reject:
            on_reject(reject)

    def flush(final: bool = False) -> None:
        if pending or rejects:
            texts = {p.doc.id: p.doc.text for batch in in_flight for p in batch.pending}
            revised, originals = _plan(pending, texts, store)
            in_flight.append(_Batch(list(pending), list(rejects), revised,
                                    extractor.submit(originals, batch_size=batch_size,
                                                     last=final and not in_flight)))
            pending.clear()
            rejects.clear()
        while in_flight and (final or len(in_flight) > extractor.window):
            commit(in_flight.popleft())

    def commit(batch: _Batch) -> None:
        done, errors = extractor.result(batch.ticket)
        for error in errors:
            note(error, into=batch.rejects)
        items = _assemble(batch.pending, batch.revised, done, store)
        added, events = store.add_ingested(items, batch.rejects, run_id=run_id)
        if resolve_cfg.get("enabled", True) and added and hasattr(store, "resolve_incidents"):
            # Only the blocks the new mentions fall into are re-resolved (after the batch commits:
            # if the run dies in between, `sitrep incidents rebuild` recovers).
            new_records = [e for item in items for e in item["events"]]
            if new_records:
                store.resolve_incidents(new_records, resolve_cfg)
        # a revised copy (revision_of) is stored with its events: a document, not a link
        linked = sum(1 for item in items if item.get("duplicate_of") and not item.get("revision_of"))
        report.duplicates += linked
        report.documents += added - linked
        if len(items) > added:  # the store had some already (another process, a race): say so
            report.skipped += len(items) - added
        report.events += events
        if batch.pending:
            report.batches += 1
        if on_batch:
            on_batch(report, added)

    def handle(item: Document | Reject | FetchTask, queue: list[FetchTask]) -> None:
        if isinstance(item, FetchTask):
            queue.append(item)
            return
        if isinstance(item, Reject):
            if not item.is_warning:
                report.read += 1
            note(item)
            if len(rejects) >= MAX_PENDING_REJECTS:
                flush()
            return
        report.read += 1
        report.current = item.source.path or item.source.url or item.id
        if report.first is None:
            report.first = time.perf_counter()
        verdict = dedup.check(item)
        if verdict.outcome in ("stored", "same url"):
            where = item.source.path or item.source.url or item.id
            skip(where, "already stored" if verdict.outcome == "stored" else "same URL as a stored document",
                 verdict.original)
            return
        for warned in item.ext.get("warnings") or []:
            note(warned)
        dedup.remember(item, verdict)
        pending.append(_Pending(item, verdict, _meta(item, verdict)))
        if len(pending) >= batch_size:
            flush()

    try:
        queue: list[FetchTask] = []
        for item in reader.read(paths):
            handle(item, queue)
            if on_progress:
                on_progress(report)
        first: dict[str, tuple[FetchTask, Reject | None]] = {}  # URL -> its first task, its rejection
        for task, key in _tasks(queue):
            report.current = task.url
            if key in first:  # met again in this run: one fetch, one outcome
                earlier, rejected = first[key]
                report.read += 1
                if rejected is not None:
                    note(Reject(task.path, rejected.reason, f"the same URL as {earlier.path}: {rejected.detail}"))
                else:
                    skip(task.path, "repeated in this run", earlier.path)
                continue
            known = dedup.known_url(task.url)
            if known is not None:
                first[key] = (task, None)
                report.read += 1
                skip(task.path, "same URL as a stored document", known)  # in hand already: no fetch
                continue
            requests = getattr(reader, "requests", 0)
            outcome: Reject | None = None
            produced = 0
            for item in reader.fetch(task):
                produced += 1
                if (isinstance(item, Reject) and not item.is_warning and item.path == task.path
                        and outcome is None):
                    outcome = item
                handle(item, queue)
            if produced == 0:
                outcome = Reject(task.path, "no text", f"nothing to read at {task.url}")
                report.read += 1
                note(outcome)
            first[key] = (task, outcome)
            report.fetched += 1 if getattr(reader, "requests", 0) > requests else 0
            if on_progress:
                on_progress(report)
        flush(final=True)
    finally:
        if reader is not None:
            reader.close()
        extractor.close()
    report.seconds = time.perf_counter() - report.started
    store.finish_run(run_id, documents=report.documents + report.duplicates, events=report.events,
                     rejected=report.rejected)
    return report


def _tasks(queue: list[FetchTask]) -> Iterator[tuple[FetchTask, str]]:
    """Fetch tasks in order with their URL's key (repeats too: the caller accounts for them);
    tasks appended while iterating are included."""
    while queue:
        task = queue.pop(0)
        yield task, normalize_url(task.url) or task.url


def _meta(doc: Document, verdict: Verdict) -> dict[str, Any]:
    """What the store keeps besides Document.to_dict(), taken before the pipeline runs."""
    sig = verdict.signature
    return {
        "author": doc.ext.get("author"),
        "language": doc.ext.get("language"),
        "input_kind": doc.ext.get("kind"),
        "duplicate_of": verdict.original if verdict.outcome == "near duplicate" else None,
        "similarity": verdict.similarity if verdict.outcome == "near duplicate" else None,
        "minhash": {"shingles": sig.shingles, "signature": list(sig.values), "buckets": sig.bands()}
        if sig is not None and verdict.outcome == "new" else None,
        "citations": [c.to_dict() for c in doc.ext.get("citations") or []],
        "aliases": aliases(doc),
    }


def aliases(doc: Document) -> list[str]:
    """The other URLs (as requested, after redirects) that led to `doc`, canonical spelling."""
    found = (normalize_url(url) for url in doc.ext.get("aliases") or [])
    return [url for url in dict.fromkeys(found) if url and url != doc.source.url]


@dataclass(frozen=True, slots=True)
class Extracted:
    """One document after the pipeline, as the store takes it: plain data, so it crosses processes."""

    document: dict[str, Any]
    events: list[dict[str, Any]]


class Extractor(Protocol):
    """Runs the pipeline on a batch: `submit` starts it, `result` gives (id -> Extracted, rejects).

    `window` is how many submitted batches may wait uncommitted (0: each is committed at once);
    `last` says the batch is the run's only one (nothing else in flight, nothing more to come)."""

    window: int

    def submit(self, docs: list[Document], *, batch_size: int, last: bool = False) -> Any: ...

    def result(self, ticket: Any) -> tuple[dict[str, Extracted], list[Reject]]: ...

    def close(self) -> None: ...


class InProcess:
    """The pipeline in this process, one batch at a time (`--workers 1`)."""

    window = 0

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline

    def submit(self, docs: list[Document], *, batch_size: int,
               last: bool = False) -> tuple[dict[str, Extracted], list[Reject]]:
        return extract_batch(self.pipeline, docs, batch_size)

    def result(self, ticket: tuple[dict[str, Extracted], list[Reject]]) -> tuple[dict[str, Extracted], list[Reject]]:
        return ticket

    def close(self) -> None:
        pass


def extract_batch(pipeline: Any, docs: list[Document], batch_size: int) -> tuple[dict[str, Extracted], list[Reject]]:
    """The pipeline over `docs`. If it fails on the batch, each document is retried alone and only
    the ones it fails on are rejected ("extraction error"), so one pathological text costs one document.
    """
    if docs and hasattr(pipeline, "loaded"):
        pipeline.loaded  # noqa: B018 - a LazyPipeline's set-up error stops the run; it is no document's fault
    errors: list[Reject] = []
    try:
        done = {doc.id: doc for doc in pipeline.pipe(docs, batch_size=batch_size)}
    except Exception:  # noqa: BLE001 - isolate the document that breaks the pipeline
        done = {}
        for doc in docs:
            try:
                done[doc.id] = pipeline(doc)
            except Exception as err:  # noqa: BLE001
                errors.append(Reject(doc.source.path or doc.id, "extraction error",
                                     f"{type(err).__name__}: {' '.join(str(err).split())[:200]}"))
    return {doc_id: Extracted(doc.to_dict(), records(doc)) for doc_id, doc in done.items()}, errors


@dataclass
class _Batch:
    """A batch between its submission to the extractor and its commit."""

    pending: list[_Pending]
    rejects: list[dict[str, Any]]
    revised: set[str]
    ticket: Any


def _plan(pending: list[_Pending], in_flight: dict[str, str], store: Any) -> tuple[set[str], list[Document]]:
    """Which near-duplicates may revise their original (ingest/revisions.py), and the documents
    the pipeline must see: originals and those. `in_flight`: texts of documents not committed yet."""
    in_batch = {**in_flight, **{p.doc.id: p.doc.text for p in pending}}
    maybe_revised = {p.doc.id for p in pending if p.verdict.outcome == "near duplicate"
                     and may_revise(p.doc.text, _original_text(p.verdict.original, in_batch, store))}
    originals = [p.doc for p in pending if p.verdict.outcome == "new" or p.doc.id in maybe_revised]
    return maybe_revised, originals


def _assemble(pending: list[_Pending], maybe_revised: set[str], done: dict[str, Extracted],
              store: Any) -> list[dict[str, Any]]:
    """Batch items for the store: originals with their events, near-duplicates as links only,
    except a near-duplicate that reports other figures. Runs at commit time, so every earlier
    batch is in the store."""
    items = []
    for p in pending:
        if p.verdict.outcome == "near duplicate":
            revised = done.get(p.doc.id) if p.doc.id in maybe_revised else None
            events = revised.events if revised is not None else []
            if revised is not None and revises(events, _original_events(p.verdict.original, done, store)):
                events = _marked(events)
                for event in events:  # the incident layer reads a revised copy's figures as an update
                    event["source"] = {**event["source"], "revision_of": p.verdict.original}
                items.append({"document": revised.document, "events": events, **p.meta,
                              "revision_of": p.verdict.original})
            else:
                items.append({"document": p.doc.to_dict(), "events": [], **p.meta})
        elif p.doc.id in done:
            extracted = done[p.doc.id]
            items.append({"document": extracted.document, "events": _marked(extracted.events), **p.meta})
    return items


def _original_text(doc_id: str | None, in_batch: dict[str, str], store: Any) -> str | None:
    """The text of the document a near-copy repeats: from this batch (or one in flight), else the store."""
    if doc_id is None:
        return None
    if doc_id in in_batch:
        return in_batch[doc_id]
    stored = store.get_document(doc_id) if store is not None else None
    return stored["text"] if stored else None


def _original_events(doc_id: str | None, done: dict[str, Extracted], store: Any) -> list[dict[str, Any]]:
    """The event records of the document a near-copy repeats (this batch's or the stored ones)."""
    if doc_id is None:
        return []
    if doc_id in done:
        return done[doc_id].events
    return store.document_events(doc_id) if store is not None else []


def _marked(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events from reader comments (only with --include-comments) keep their section and weigh less.
    Copies what it changes: the extracted records stay as the pipeline gave them (a later copy compares to them)."""
    marked = []
    for record in events:
        if (record.get("evidence") or {}).get("section") == "comment" and record.get("confidence") is not None:
            record = {**record, "confidence": round(record["confidence"] * COMMENT_CONFIDENCE, 3)}
        marked.append(record)
    return marked
