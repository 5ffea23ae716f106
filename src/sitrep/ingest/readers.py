"""Read text files (with optional YAML front matter), folders and JSONL batches.

Every input yields either a `Document` or a `Reject` with a one-line reason: bad input is
data, never a crash that costs the rest of the batch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sitrep.document import Document, Section, Source, Span
from sitrep.ingest.sections import drop_chrome, split_sections

TEXT_SUFFIXES = {".txt", ".text", ".md"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that produced no document, and why."""

    path: str
    reason: str
    detail: str = ""


def read_text(text: str, *, title: str | None = None, url: str | None = None, published: date | None = None,
              publisher: str | None = None, path: str | None = None) -> Document:
    """Build a Document: the title (if any) as its own section, then body/comment/reference."""
    meta, body = _front_matter(text)
    title = title or _str(meta.get("title"))
    body = drop_chrome(body)
    prefix = f"{title}\n\n" if title else ""
    full = prefix + body
    sections = [Section("title", Span(0, len(title)))] if title else []
    sections += split_sections(full, body_start=len(prefix))
    source = Source(
        url=url or _str(meta.get("url")),
        title=title,
        publisher=publisher or _str(meta.get("publisher")),
        published=published or _as_date(meta.get("published")),
        path=path,
    )
    return Document(text=full, source=source, sections=sections)


def read_paths(paths: Iterable[str], *, published: date | None = None) -> Iterator[Document | Reject]:
    """Every document in the given files and folders ("-" is standard input), in order."""
    for name in paths:
        if name == "-":
            yield from _from_string(sys.stdin.read(), "<stdin>", published)
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES and child.name.lower() != "readme.md":
                    yield from _read_file(child, published)
        elif path.exists():
            yield from _read_file(path, published)
        else:
            yield Reject(name, "not found", "no such file or folder")


def _read_file(path: Path, published: date | None) -> Iterator[Document | Reject]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Reject(str(path), "too large", f"{size} bytes > {MAX_BYTES}")
            return
        raw = path.read_bytes()
    except OSError as err:
        yield Reject(str(path), "unreadable", str(err))
        return
    if b"\x00" in raw[:4096]:
        yield Reject(str(path), "binary", "contains NUL bytes")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        yield Reject(str(path), "not UTF-8", str(err))
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl(text, str(path), published)
    else:
        yield from _from_string(text, str(path), published)


def _from_string(text: str, path: str, published: date | None) -> Iterator[Document | Reject]:
    if not text.strip():
        yield Reject(path, "empty", "no text")
        return
    try:
        yield read_text(text, published=published, path=path)
    except ValueError as err:
        yield Reject(path, "bad metadata", str(err))


def _read_jsonl(text: str, path: str, published: date | None) -> Iterator[Document | Reject]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            yield Reject(where, "malformed JSON line", str(err))
            continue
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            yield Reject(where, "no text", "a JSON line needs a non-empty 'text'")
            continue
        try:
            yield read_text(str(item["text"]), title=_str(item.get("title")), url=_str(item.get("url")),
                            published=published or _as_date(item.get("published")),
                            publisher=_str(item.get("publisher")), path=where)
        except ValueError as err:
            yield Reject(where, "bad metadata", str(err))


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between leading `---` lines (the Jekyll/Hugo convention), if any."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"front matter is not valid YAML: {err}") from err
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping")
    rest = text[end + 4 :]
    return meta, rest.lstrip("\n")


def _str(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as err:
        raise ValueError(f"published must be YYYY-MM-DD, got {value!r}") from err
