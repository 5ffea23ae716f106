"""The pipeline in worker processes: `sitrep ingest --workers N` and `sitrep extract --workers N`.

Why processes: the pipeline is CPU-bound Python (spaCy, the rule stages), so threads would share
one core. Each worker builds its own pipeline once (the pool's initializer) and extracts whole
batches; the parent keeps reading, deciding what is new and committing, in input order, so the
store is exactly what one process gives. Memory stays bounded: at most `window` batches are in
flight (submitted and not yet committed), whatever the size of the input.

A document that kills its worker (a segfault in a C extension, the OOM killer) breaks the pool:
the pool is rebuilt, the batch it was in is run again one document at a time, the document that
kills a worker again is rejected ("extraction error") and the rest go on. A set-up error (a bad
config, a missing model) stops the run, as it does in one process.

Workers start with "spawn": a fork of a parent holding an open store connection and threads is
not safe, and a spawned worker loads only what the pipeline needs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from sitrep.document import Document
from sitrep.ingest.reject import Reject
from sitrep.ingest.runner import Extracted, extract_batch

_PIPELINE: Any = None  # the worker's own pipeline, built by _start_worker
_SETUP_ERROR: str | None = None


class WorkerSetupError(RuntimeError):
    """A worker could not build its pipeline: no document's fault, the run stops."""


def default_workers() -> int:
    """The cores this process may run on (its affinity, not the machine's count)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return max(1, counter() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def build_pipeline(config: dict[str, Any]) -> Any:
    from sitrep.pipeline import Pipeline

    return Pipeline.from_config(config)


def _start_worker(config: dict[str, Any], builder: Callable[[dict[str, Any]], Any]) -> None:
    """Pool initializer: build the pipeline once per worker. An error is kept and raised by each
    task (an initializer that raises would only show as a broken pool, without the reason)."""
    global _PIPELINE, _SETUP_ERROR
    try:
        _PIPELINE = builder(config)
    except Exception as err:  # noqa: BLE001 - reported to the parent by every task
        _SETUP_ERROR = f"{type(err).__name__}: {err}"


def _extract_in_worker(docs: list[Document], batch_size: int) -> tuple[dict[str, Extracted], list[Reject]]:
    if _SETUP_ERROR is not None:
        raise WorkerSetupError(_SETUP_ERROR)
    return extract_batch(_PIPELINE, docs, batch_size)


@dataclass
class Ticket:
    """A submitted batch: its documents stay here until it is collected, to be run again if the pool breaks."""

    docs: list[Document]
    batch_size: int
    future: Future[tuple[dict[str, Extracted], list[Reject]]] | None = None
    collected: bool = field(default=False)


class WorkerPool:
    """An Extractor (ingest/runner.py) over `workers` processes, `window` batches in flight.

    A run of a single batch (a few files) is extracted in this process: starting workers would
    cost more than it saves. The result is the same either way."""

    def __init__(self, config: dict[str, Any], workers: int, *, window: int | None = None,
                 builder: Callable[[dict[str, Any]], Any] = build_pipeline) -> None:
        """`builder(config)` makes a worker's pipeline (a module-level function: it is pickled to the workers)."""
        self.config = config
        self.builder = builder
        self.workers = max(1, workers)
        self.window = window if window is not None else 2 * self.workers
        self._pool: ProcessPoolExecutor | None = None  # started at the first batch to extract
        self._open: list[Ticket] = []
        self._pipeline: Any = None  # this process's, only for a run of one batch
        self.restarts = 0

    def _inline(self) -> Any:
        if self._pipeline is None:
            self._pipeline = self.builder(self.config)
        return self._pipeline

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(self.config, self.builder))
        return self._pool

    def submit(self, docs: list[Document], *, batch_size: int, last: bool = False) -> Ticket:
        ticket = Ticket(list(docs), batch_size)
        if ticket.docs and last and self._pool is None:
            # the run's only batch: one worker would do it all, so spawning one buys nothing
            ticket.future = Future()
            ticket.future.set_result(extract_batch(self._inline(), ticket.docs, batch_size))
        elif ticket.docs:
            ticket.future = self._executor().submit(_extract_in_worker, ticket.docs, batch_size)
            self._open.append(ticket)
        return ticket

    def result(self, ticket: Ticket) -> tuple[dict[str, Extracted], list[Reject]]:
        if ticket.future is None:
            return {}, []
        try:
            return ticket.future.result()
        except BrokenProcessPool:
            self._restart(but=ticket)
            return self._one_by_one(ticket)
        finally:
            ticket.collected = True
            self._open = [t for t in self._open if not t.collected]

    def _restart(self, but: Ticket | None = None) -> None:
        """A new pool; the batches in flight that the broken one lost are submitted again."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None
        self.restarts += 1
        for ticket in self._open:
            if ticket is but or ticket.collected or ticket.future is None:
                continue
            if ticket.future.done() and not ticket.future.cancelled() and ticket.future.exception() is None:
                continue  # finished before the break: its result stands
            ticket.future = self._executor().submit(_extract_in_worker, ticket.docs, ticket.batch_size)

    def _one_by_one(self, ticket: Ticket) -> tuple[dict[str, Extracted], list[Reject]]:
        """The batch that broke the pool, a document at a time: only the one that kills a worker is lost."""
        done: dict[str, Extracted] = {}
        errors: list[Reject] = []
        for doc in ticket.docs:
            try:
                extracted, failed = self._executor().submit(_extract_in_worker, [doc], ticket.batch_size).result()
            except BrokenProcessPool:
                self._restart(but=ticket)
                errors.append(Reject(doc.source.path or doc.id, "extraction error",
                                     "the worker process died extracting this document"))
                continue
            done.update(extracted)
            errors.extend(failed)
        return done, errors

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def extract_parallel(docs: Iterable[Document], pool: WorkerPool, *,
                     batch_size: int = 32) -> Iterator[tuple[Document, Extracted | None, list[Reject]]]:
    """Each document with what the workers extracted (None if rejected) and its rejects, in input order
    (`sitrep extract --workers N`)."""
    in_flight: list[Ticket] = []

    def drain(keep: int) -> Iterator[tuple[Document, Extracted | None, list[Reject]]]:
        while len(in_flight) > keep:
            ticket = in_flight.pop(0)
            done, errors = pool.result(ticket)
            by_path: dict[str, list[Reject]] = {}
            for error in errors:
                by_path.setdefault(error.path, []).append(error)
            for doc in ticket.docs:
                yield doc, done.get(doc.id), by_path.get(doc.source.path or doc.id, [])

    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= batch_size:
            in_flight.append(pool.submit(batch, batch_size=batch_size))
            batch = []
            yield from drain(pool.window)
    if batch:
        in_flight.append(pool.submit(batch, batch_size=batch_size, last=not in_flight))
    yield from drain(0)
