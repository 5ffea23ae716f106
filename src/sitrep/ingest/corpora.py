"""News corpora as JSONL or CSV dumps, one article per line or row, with configurable fields.

Corpora name their fields differently (`text`, `body`, `maintext`; `date`, `date_publish`);
the common names are tried in order and `--field text=body_text` names them exactly (dotted
paths reach into nested JSON: `meta.published`). Each bad line or row is rejected on its own
with its line number, and the rest of the file goes on.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from sitrep.ingest.assemble import Parts, assemble
from sitrep.ingest.dates import parse_date
from sitrep.ingest.decode import DecodeError, decode
from sitrep.ingest.feeds import fragment_text
from sitrep.ingest.identity import normalize_url
from sitrep.ingest.items import Item
from sitrep.ingest.reject import Reject, warning
from sitrep.ingest.streams import Replay

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "maintext", "full_text", "article", "story"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url", "canonical_url"),
    "published": ("published", "date", "date_publish", "publish_date", "pubdate", "published_at", "datetime"),
    "publisher": ("publisher", "source", "site", "sitename", "source_domain", "outlet"),
    "author": ("author", "authors", "byline"),
}


@dataclass(frozen=True)
class FieldMap:
    """Which record field holds each part of an article (first present name wins)."""

    names: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_FIELDS))

    @classmethod
    def parse(cls, pairs: list[str] | tuple[str, ...]) -> FieldMap:
        """From `["text=body", "published=meta.date"]`; unknown parts raise ValueError."""
        names = dict(DEFAULT_FIELDS)
        for pair in pairs:
            part, sep, column = pair.partition("=")
            part, column = part.strip(), column.strip()
            if not sep or not column:
                raise ValueError(f"--field needs PART=NAME, got {pair!r}")
            if part not in DEFAULT_FIELDS:
                raise ValueError(f"unknown part {part!r}; expected one of {', '.join(DEFAULT_FIELDS)}")
            names[part] = (column,)
        return cls(names)

    def get(self, record: Mapping[str, Any], part: str) -> Any:
        for name in self.names[part]:
            value = _lookup(record, name)
            if value not in (None, "", []):
                return value
        return None


def read_jsonl(stream: IO[bytes], *, path: str, fields: FieldMap, max_bytes: int,
               kind: str = "jsonl") -> Iterator[Item]:
    """One item per line of a JSONL stream; lines over `max_bytes` are rejected, not read whole."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        where = f"{path}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the long line
                line = stream.readline(1 << 20)
            yield Reject(where, "too large", f"line over {max_bytes} bytes")
            continue
        if not line.strip():
            continue
        warnings: list[Reject] = []
        try:
            decoded = decode(line)
        except DecodeError as err:
            yield Reject(where, "malformed JSON line", f"{err.reason}: {err.detail}")
            continue
        if decoded.guessed:
            warnings.append(warning(where, "not UTF-8", f"decoded as {decoded.encoding}"))
        try:
            record = json.loads(decoded.text)
        except json.JSONDecodeError as err:
            yield Reject(where, "malformed JSON line", str(err))
            continue
        except RecursionError:
            yield Reject(where, "malformed JSON line", "nested too deeply")
            continue
        if not isinstance(record, dict):
            yield Reject(where, "malformed JSON line", f"a JSON {type(record).__name__}, not an object")
            continue
        yield _record(record, where, fields, kind, warnings)


def read_csv(stream: IO[bytes], *, path: str, fields: FieldMap, max_bytes: int, tab: bool = False) -> Iterator[Item]:
    """One item per CSV (or TSV) row; the header row names the fields."""
    head = stream.read(65536)
    sample = head[: head.rfind(b"\n") + 1] or head  # whole lines: no character cut in two
    try:
        decoded = decode(sample)
    except DecodeError as err:
        yield Reject(path, err.reason, err.detail)
        return
    encoding = "utf-8-sig" if decoded.encoding.startswith("utf-8") else decoded.encoding
    text = io.TextIOWrapper(Replay(head, stream), encoding=encoding, errors="replace", newline="")
    delimiter = "\t" if tab else _delimiter(decoded.text[:8192])
    csv.field_size_limit(max(max_bytes, 131072))
    warnings = [warning(path, "not UTF-8", f"decoded as {decoded.encoding}")] if decoded.guessed else []
    reader = csv.DictReader(text, delimiter=delimiter)
    number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            number = reader.line_num
            yield Reject(f"{path}:{number}", "malformed CSV row", str(err))
            continue
        number = reader.line_num
        where = f"{path}:{number}"
        extra = row.get(None)  # type: ignore[call-overload]
        if extra:  # more cells than header names
            yield Reject(where, "malformed CSV row", f"{len(extra)} cells more than the header's columns")
            continue
        yield _record(row, where, fields, "csv", warnings)


def _record(record: Mapping[str, Any], where: str, fields: FieldMap, kind: str, warnings: list[Reject]) -> Item:
    text = fields.get(record, "text")
    if isinstance(text, list):
        text = "\n\n".join(str(t) for t in text if t)
    text = str(text or "")
    if "<p" in text or "<br" in text or "<div" in text:
        text = fragment_text(text)
    if not text.strip():
        return Reject(where, "no text", f"no non-empty {'/'.join(fields.names['text'])} field")
    try:
        published = parse_date(fields.get(record, "published"))
    except ValueError as err:
        return Reject(where, "bad metadata", f"published: {err}")
    author = fields.get(record, "author")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author if a)
    return assemble(Parts(
        body=text, title=_str(fields.get(record, "title")), url=normalize_url(_str(fields.get(record, "url"))),
        publisher=_str(fields.get(record, "publisher")), published=published, author=_str(author), path=where,
        kind=kind, warnings=warnings,
    ))


def _lookup(record: Mapping[str, Any], name: str) -> Any:
    if name in record:
        return record[name]
    value: Any = record
    for key in name.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return text or None


def _delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
