"""The ingest driver: read inputs, run the pipeline in batches, write each batch in one transaction.

Kept apart from the CLI so that the command stays thin and other front ends (a scheduler, a
notebook) can ingest the same way. Only this process writes the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sitrep.document import Document
from sitrep.ingest.readers import Reject, read_paths
from sitrep.pipeline import Pipeline
from sitrep.record import records


@dataclass
class IngestReport:
    """What one run did, for the console summary and the exit status."""

    documents: int = 0
    events: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return len(self.rejects)


def ingest(
    paths: Iterable[str],
    store: Any,
    pipeline: Pipeline,
    *,
    published: date | None = None,
    batch_size: int = 32,
    on_reject: Callable[[Reject], None] | None = None,
    command: str = "ingest",
) -> IngestReport:
    """Ingest `paths` into `store`; documents already stored are skipped (idempotent)."""
    report = IngestReport()
    started = time.perf_counter()
    run_id = store.begin_run(command)
    pending: list[Document] = []
    seen: set[str] = set()

    def flush() -> None:
        if not pending:
            return
        batch = [(doc.to_dict(), records(doc)) for doc in pipeline.pipe(pending, batch_size=batch_size)]
        added = store.add_documents(batch, run_id=run_id)
        report.documents += added
        report.events += sum(len(events) for _, events in batch) if added else 0
        pending.clear()

    for item in read_paths(paths, published=published):
        if isinstance(item, Reject):
            report.rejects.append(item)
            store.add_reject(item.path, item.reason, item.detail, run_id=run_id)
            if on_reject:
                on_reject(item)
        elif item.id in seen or store.has_document(item.id):
            report.skipped += 1
        else:
            seen.add(item.id)
            pending.append(item)
            if len(pending) >= batch_size:
                flush()
    flush()
    report.seconds = time.perf_counter() - started
    store.finish_run(run_id, documents=report.documents, events=report.events, rejected=report.rejected)
    return report
