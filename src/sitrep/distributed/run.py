"""`sitrep run`: the pipeline over partitions of documents on Dask distributed workers.

The client reads the inputs (streamed), decides as `sitrep ingest` does what is new, a repeat
(skipped) or a near-copy of an earlier document of the run, and submits a partition of documents
at a time, at most `window` partitions in flight (memory stays bounded on any input). Each task
extracts its partition with the worker's own pipeline (built once per worker process, then
cached) and writes its Parquet files (distributed/parts.py). Near-copies are extracted too: whether
one revises its original's figures is decided by `sitrep load`, which has the original at hand.

A worker that dies is Dask's business: the scheduler runs its tasks again elsewhere, and a
re-run task overwrites its own partition's files.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.distributed.parts import FORMAT, MANIFEST, dumps, write_part
from sitrep.document import Document
from sitrep.ingest.dedup import Deduplicator
from sitrep.ingest.items import FetchTask
from sitrep.ingest.reject import WARNING_PREFIX, Reject
from sitrep.ingest.runner import _meta, extract_batch
from sitrep.ingest.similarity import THRESHOLD
from sitrep.ingest.sources import Reader, ReadOptions


@dataclass
class RunReport:
    """What a run did: the client's counts and the workers' totals."""

    out: str
    partitions: int = 0
    documents: int = 0  # documents sent to the workers (originals and near-copies)
    events: int = 0
    skipped: int = 0
    rejected: int = 0
    seconds: float = 0.0
    done: list[int] = field(default_factory=list)  # partition indexes, in the order they finished


class _NoStore:
    """The deduplicator's store while running: a run has none; `sitrep load` skips what a store holds."""

    def has_document(self, doc_id: str) -> bool:
        return False

    def documents_with_urls(self, urls: list[str]) -> dict[str, str]:
        return {}

    def minhash_candidates(self, buckets: list[int]) -> list[tuple[str, int, list[int]]]:
        return []


@lru_cache(maxsize=2)
def _worker_pipeline(config_json: str) -> Any:
    """The pipeline of this worker process: built at its first task, reused by the next ones."""
    from sitrep.pipeline import Pipeline

    return Pipeline.from_config(json.loads(config_json))


def extract_partition(index: int, docs: list[tuple[Document, dict[str, Any]]], rejects: list[dict[str, Any]],
                      out: str, config_json: str, batch_size: int = 32) -> dict[str, int]:
    """A Dask task: extract one partition and write its three files. `docs`: (document, what the
    client decided of it: outcome, original, meta). Returns counts for the client's report."""
    pipeline = _worker_pipeline(config_json)
    done, errors = extract_batch(pipeline, [doc for doc, _ in docs], batch_size)
    documents, events = [], []
    for position, (doc, decided) in enumerate(docs):
        extracted = done.get(doc.id)
        if extracted is None and decided["outcome"] == "new":
            continue  # rejected (extraction error): told in the rejects
        documents.append({
            "position": position, "id": doc.id, "outcome": decided["outcome"], "original": decided["original"],
            "extracted": extracted is not None,
            "document": dumps(extracted.document if extracted is not None else doc.to_dict()),
            "meta": dumps({**decided["meta"], "raw_document": doc.to_dict() if extracted is not None else None}),
        })
        for record in extracted.events if extracted is not None else []:
            events.append({"doc_id": doc.id, "id": record["id"], "event_type": record.get("event_type"),
                           "date": record.get("date"), "country": (record.get("location") or {}).get("country"),
                           "record": dumps(record)})
    rejected = [*rejects, *({"path": r.path, "reason": r.reason, "detail": r.detail} for r in errors)]
    write_part(out, "events", index, events)
    write_part(out, "rejects", index, rejected)
    write_part(out, "documents", index, documents)
    return {"index": index, "documents": len(documents), "events": len(events),
            "rejected": sum(not r["reason"].startswith(WARNING_PREFIX) for r in rejected)}


def run(paths: Iterable[str], out: str | Path, client: Any, *, config: dict[str, Any] | None = None,
        options: ReadOptions | None = None, partition_size: int = 64, batch_size: int = 32,
        window: int | None = None, threshold: float = THRESHOLD,
        on_partition: Callable[[RunReport, dict[str, int]], None] | None = None) -> RunReport:
    """Read `paths`, extract them on `client`'s cluster, write DIR `out` (see parts.py)."""
    from distributed import as_completed

    from sitrep.pipeline import default_config

    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).unlink(missing_ok=True)  # incomplete until this run writes it again
    config_json = dumps(config or default_config())
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = window or 2 * workers
    report = RunReport(str(out))
    reader = Reader(options or ReadOptions())
    dedup = Deduplicator(_NoStore(), threshold=threshold)
    docs: list[tuple[Document, dict[str, Any]]] = []
    rejects: list[dict[str, Any]] = []
    futures = as_completed()
    in_flight = 0

    def collect(keep: int) -> None:
        nonlocal in_flight
        while in_flight > keep:
            counts = next(futures).result()
            in_flight -= 1
            report.events += counts["events"]
            report.rejected += counts["rejected"]
            report.done.append(counts["index"])
            if on_partition:
                on_partition(report, counts)

    def submit() -> None:
        nonlocal in_flight
        if not docs and not rejects:
            return
        key = f"sitrep-partition-{report.partitions}-{uuid.uuid4().hex[:8]}"
        futures.add(client.submit(extract_partition, report.partitions, list(docs), list(rejects), str(out),
                                  config_json, batch_size, key=key, pure=False))
        report.partitions += 1
        report.documents += len(docs)
        in_flight += 1
        docs.clear()
        rejects.clear()
        collect(window)

    def reject(item: Reject) -> None:
        reason = WARNING_PREFIX + item.reason if item.is_warning else item.reason
        rejects.append({"path": item.path, "reason": reason, "detail": item.detail})

    def handle(item: Document | Reject | FetchTask, queue: list[FetchTask]) -> None:
        if isinstance(item, FetchTask):
            queue.append(item)
            return
        if isinstance(item, Reject):
            reject(item)
            return
        verdict = dedup.check(item)
        if verdict.outcome in ("stored", "same url"):
            report.skipped += 1
            return
        for warned in item.ext.get("warnings") or []:
            reject(warned)
        dedup.remember(item, verdict)
        docs.append((item, {"outcome": verdict.outcome, "original": verdict.original, "meta": _meta(item, verdict)}))
        if len(docs) >= partition_size:
            submit()

    try:
        queue: list[FetchTask] = []
        for item in reader.read(paths):
            handle(item, queue)
        while queue:
            for item in reader.fetch(queue.pop(0)):
                handle(item, queue)
        submit()
        collect(0)
    finally:
        reader.close()
    report.seconds = round(time.perf_counter() - started, 3)
    manifest = {"format": FORMAT, "run": uuid.uuid4().hex, "partitions": report.partitions,
                "documents": report.documents, "events": report.events, "skipped": report.skipped,
                "rejected": report.rejected, "inputs": list(map(str, paths)) if isinstance(paths, list | tuple) else [],
                "config": json.loads(config_json).get("pipeline", {}), "seconds": report.seconds}
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out / MANIFEST)
    return report


def connect(scheduler: str) -> tuple[Any, Any]:
    """(client, cluster): a client of the scheduler at `scheduler` (tcp://HOST:PORT), or of a new
    LocalCluster of two single-threaded worker processes for "local" (cluster None otherwise)."""
    from distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    return Client(scheduler), None
