"""`Reject`: an input that produced no document (or a document with a caveat), and why.

Bad input is data, never a crash: every reader yields either a `Document` or a `Reject` with a
short reason (a fixed vocabulary, so a run's rejects can be counted by reason) and a one-line
detail. A *warning* is a Reject whose document was kept anyway (a future date dropped, a
mis-declared encoding repaired, a truncated page kept in part); it rides on the document in
`doc.ext["warnings"]` and is recorded with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["rejected", "warning"]

# The reasons, so that a user (and `sitrep status`) sees a short closed set.
REJECT_REASONS: dict[str, str] = {
    "not found": "no such file or folder",
    "unreadable": "the file could not be read (permissions, I/O error)",
    "empty": "no text at all",
    "binary": "binary data, not text",
    "too large": "over the size limit (--max-bytes)",
    "undecodable": "the bytes are in no text encoding we could find",
    "bad metadata": "front matter or a metadata field is invalid",
    "malformed JSON line": "a JSONL line that is not a JSON object",
    "malformed CSV row": "a CSV row that cannot be read",
    "no text": "a record or page with no article text",
    "truncated": "the input ends before any usable text",
    "malformed feed": "neither RSS nor Atom, or too broken to read",
    "malformed WARC": "a WARC file that cannot be read",
    "no HTML response record": "a WARC/ARC file with no page (HTML, feed or text) record at all",
    "unreachable URL": "connection failed, timed out or redirected too often",
    "HTTP error": "the server answered with an error status",
    "unsupported content": "a format sitrep does not read (PDF, image, ...)",
    "bad URL": "not an http(s) URL",
    "offline": "a URL while --offline was given",
    "not English": "detected as another language; only English is supported so far",
    "reader error": "an unexpected failure of a reader (a bug: please report it)",
    "extraction error": "the pipeline failed on this document (a bug: please report it)",
}
WARNING_REASONS: dict[str, str] = {
    "future date": "a publication date after today; the date was dropped, the document kept",
    "not UTF-8": "text in another encoding, decoded with a guess",
    "mis-declared encoding": "the declared charset was wrong; decoded as what the bytes are",
    "partial text": "a truncated page; the text before the cut was kept",
    "flattened": "a page nested too deep to parse whole, read without its wrapper elements",
    "feed not well-formed": "a feed with XML errors; its readable entries were kept",
}
WARNING_PREFIX = "warning: "  # how a warning's reason is written in the rejects table


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that produced no document, and why (or, as a warning, a caveat on a kept one)."""

    path: str
    reason: str
    detail: str = ""
    severity: Severity = "rejected"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def line(self) -> str:
        """The one-line form shown on the console."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.path}: {self.reason}{detail}"


def warning(path: str, reason: str, detail: str = "") -> Reject:
    return Reject(path, reason, detail, "warning")
