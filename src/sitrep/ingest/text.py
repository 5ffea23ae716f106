"""Plain text: a scraped dump or a note, with optional YAML front matter (Jekyll/Hugo style)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

from sitrep.document import Document
from sitrep.ingest.assemble import Parts, assemble
from sitrep.ingest.dates import parse_date
from sitrep.ingest.reject import Reject

_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")


def read_text(text: str, *, title: str | None = None, url: str | None = None, published: date | None = None,
              publisher: str | None = None, path: str | None = None, kind: str = "text",
              warnings: list[Reject] | None = None) -> Document:
    """A Document from plain text; front-matter fields fill what the arguments leave empty.

    Raises ValueError when the front matter is invalid (not YAML, not a mapping, a bad date).
    """
    meta, body = front_matter(text)
    return assemble(Parts(
        body=body,
        title=title or _str(meta.get("title")),
        url=url or _str(meta.get("url")),
        publisher=publisher or _str(meta.get("publisher")),
        published=published or _date(meta.get("published") or meta.get("date")),
        author=_str(meta.get("author")),
        path=path,
        kind=kind,
        warnings=list(warnings or []),
    ))


def is_url_list(text: str) -> bool:
    """A text whose non-blank, non-comment lines are all http(s) URLs (a list to fetch)."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return bool(lines) and all(_URL_LINE.match(ln) for ln in lines)


def url_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if _URL_LINE.match(ln)]


def front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between leading `---` lines, if any, and the rest of the text."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"front matter is not valid YAML: {str(err).splitlines()[0]}") from err
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping")
    rest = text[end + 4 :]
    return meta, rest.lstrip("\n")


def _str(value: Any) -> str | None:
    return (str(value).strip() or None) if value is not None else None


def _date(value: Any) -> date | None:
    try:
        return parse_date(value)
    except ValueError as err:
        raise ValueError(f"published must be YYYY-MM-DD, got {value!r}") from err
