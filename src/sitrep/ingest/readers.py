"""The readers' front door: `read_paths` for callers that want documents now (`sitrep extract`).

Any mix of text files, HTML pages, RSS/Atom feeds, WARC files, JSONL/CSV corpora, folders,
URLs, gzip and "-" for standard input (see sources.py). Unlike the ingest driver, which
fetches URLs last and skips what the store already holds, this fetches each URL as it comes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sitrep.document import Document
from sitrep.ingest.items import FetchTask
from sitrep.ingest.reject import Reject
from sitrep.ingest.sources import Reader, ReadOptions
from sitrep.ingest.text import read_text

__all__ = ["Reject", "read_paths", "read_text"]


def read_paths(paths: Iterable[str], *, published: date | None = None,
               options: ReadOptions | None = None) -> Iterator[Document | Reject]:
    """Every document in the given inputs ("-" is standard input), in order, or why not."""
    options = options or ReadOptions()
    if published is not None:
        options.published = published
    reader = Reader(options)
    try:
        queue: list[FetchTask] = []
        for item in reader.read(paths):
            if isinstance(item, FetchTask):
                queue.append(item)
            else:
                yield item
        while queue:
            task = queue.pop(0)
            for item in reader.fetch(task):
                if isinstance(item, FetchTask):
                    queue.append(item)
                else:
                    yield item
    finally:
        reader.close()
