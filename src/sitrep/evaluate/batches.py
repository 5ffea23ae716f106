"""Feed gold items through `Pipeline.pipe` in batches, keeping each item next to its Document.

A scorer must survive one bad input: when a batch fails, its items are rerun one by one and an
item that still fails is paired with None (scored as "nothing predicted") instead of ending the run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any, TypeVar

from sitrep.document import Document
from sitrep.record import records

T = TypeVar("T")
log = logging.getLogger(__name__)


def run_docs(pipeline: Any, items: Iterable[T], to_input: Callable[[T], tuple[str, date | None]], *,
             batch_size: int = 64) -> Iterator[tuple[T, Document | None]]:
    """(item, processed Document or None when the pipeline failed on it), in input order."""
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        docs = [pipeline.make_doc(text, published=published) for text, published in map(to_input, batch)]
        try:
            yield from zip(batch, list(pipeline.pipe(docs)), strict=True)
        except Exception:  # noqa: BLE001 - one bad text must not end a scoring run
            for item, doc in zip(batch, docs, strict=True):
                yield item, _one(pipeline, doc)


def run_batches(pipeline: Any, items: Iterable[T], to_input: Callable[[T], tuple[str, date | None]], *,
                batch_size: int = 64) -> Iterator[tuple[T, list[dict[str, Any]]]]:
    """(item, its event records), [] when the pipeline failed on it."""
    for item, doc in run_docs(pipeline, items, to_input, batch_size=batch_size):
        yield item, records(doc) if doc is not None else []


def _one(pipeline: Any, doc: Document) -> Document | None:
    try:
        return pipeline(pipeline.make_doc(doc.text, published=doc.source.published))
    except Exception:  # noqa: BLE001
        log.warning("the pipeline failed on a %d-character text", len(doc.text), exc_info=True)
        return None
