"""The worker pool (ingest/parallel.py): results in input order, and a document that kills its
worker process costs that document only (rejected with a reason), the others are extracted."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from sitrep.document import Document, Source
from sitrep.ingest.parallel import WorkerPool, extract_parallel

KILL = "KILL-THE-WORKER"


class _Echo:
    """A stand-in pipeline: passes documents through, and dies (as a segfault would) on KILL."""

    def __call__(self, doc: Document) -> Document:
        if KILL in doc.text:
            os._exit(3)
        doc.notes.append(f"pid {os.getpid()}")
        return doc

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


def _echo(config: dict[str, Any]) -> _Echo:
    return _Echo()


def _docs(n: int, killer: int | None = None) -> list[Document]:
    return [Document(text=f"Report {i}." + (f" {KILL}" if i == killer else ""), source=Source(path=f"doc-{i}.txt"))
            for i in range(n)]


def test_results_come_back_in_input_order_from_several_processes() -> None:
    docs = _docs(12)
    with WorkerPool({}, 2, builder=_echo) as pool:
        out = list(extract_parallel(docs, pool, batch_size=2))
    assert [d.id for d, _, _ in out] == [d.id for d in docs]
    assert all(extracted is not None and not errors for _, extracted, errors in out)
    pids = {e.document["notes"][0] for _, e, _ in out if e is not None}
    assert f"pid {os.getpid()}" not in pids  # extracted in the workers, not here


def test_a_document_that_kills_its_worker_is_rejected_and_the_rest_go_on() -> None:
    docs = _docs(10, killer=5)
    with WorkerPool({}, 2, builder=_echo) as pool:
        out = list(extract_parallel(docs, pool, batch_size=2))
        assert pool.restarts >= 1
    assert [d.id for d, _, _ in out] == [d.id for d in docs]
    failed = {d.source.path: errors for d, extracted, errors in out if extracted is None}
    assert list(failed) == ["doc-5.txt"]
    assert failed["doc-5.txt"][0].reason == "extraction error"
    assert "worker process died" in failed["doc-5.txt"][0].detail
    assert sum(extracted is not None for _, extracted, _ in out) == 9
