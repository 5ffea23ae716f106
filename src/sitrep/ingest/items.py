"""What readers yield besides Documents and Rejects: a page to fetch later (`FetchTask`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from sitrep.document import Document
    from sitrep.ingest.html import Hints
    from sitrep.ingest.reject import Reject

MAX_DEPTH = 2  # a URL given by the user (0), a feed it leads to (1), the entries' pages (2)


@dataclass(frozen=True, slots=True)
class FetchTask:
    """A URL to fetch: given on the command line or in a list, or a feed entry's page.

    Fetches are done after every local input is read, so a page already in hand (saved, in a
    WARC, in the store) is never fetched again.
    """

    url: str
    path: str  # where it was found: the URL itself, "list.urls:3" or "feed.xml#2"
    hints: Hints | None = None
    depth: int = 0


Item: TypeAlias = "Document | Reject | FetchTask"
