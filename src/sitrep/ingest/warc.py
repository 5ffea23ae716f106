"""WARC files from web archives and crawlers (warcio), plain or gzipped.

Each `response` record of an HTML, feed or text page is read like a fetched page; `resource`
records (a page saved without its HTTP exchange) too. Requests, warcinfo and metadata records,
the crawler's own files (wget's `metadata://` manifest, arguments and log), DNS lookups, images,
scripts, redirects and the like are not articles: they are not items, so they are neither
stored nor counted. An error response (4xx/5xx) is rejected so a missing page does not go
unnoticed, and an archive with no page record at all is one rejection ("no HTML response
record") that says what it holds instead.

ARC files (warcio reads them as WARC) carry a URL field that may hold spaces; a record whose
URL therefore no longer starts with "http" gets no parsed HTTP headers from warcio, so the
reader parses them itself rather than pass the page over.

warcio is lenient: a record cut short or a file cut inside a record header ends the iteration
without an error. So the reader checks itself that each record delivered all the bytes its
Content-Length promised and that the last record ends where the file does; a damaged archive
keeps every record before the damage and rejects the rest in one line.
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParser, StatusAndHeadersParserException

from sitrep.ingest.items import Item
from sitrep.ingest.reject import Reject
from sitrep.ingest.streams import Replay

logging.getLogger("warcio").addHandler(logging.NullHandler())
logging.getLogger("warcio").propagate = False

READ_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/rss+xml", "application/atom+xml",
              "application/xml", "text/xml")
TRAILING_SLACK = 8  # bytes of blank lines a writer may leave after the last record
# URI schemes of records that are never articles: crawler metadata (wget's metadata://...), DNS
NOT_PAGES = ("metadata:", "dns:", "whois:", "ntp:", "urn:", "filedesc:")
_HTTP = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"], verify=False)

# (body, path, url, content_type, capture date) -> items; supplied by the dispatcher
RecordReader = Callable[[bytes, str, str | None, str, date | None], Iterator[Item]]


class _QuietIterator(ArchiveIterator):  # type: ignore[misc]
    INC_RECORD = ""  # warcio writes this warning straight to stderr; the reader reports instead


def looks_like_warc(head: bytes) -> bool:
    return head.lstrip()[:16].startswith((b"WARC/", b"filedesc://"))


def read_warc(stream: IO[bytes], *, path: str, read_record: RecordReader, max_bytes: int) -> Iterator[Item]:
    """Items for every page-like record of the archive in `stream` (see module docstring)."""
    raw_head = stream.read(65536)
    if not _starts_like_warc(raw_head):
        yield Reject(path, "malformed WARC", "does not start with a WARC or ARC record header")
        return
    if raw_head[:2] == b"\x1f\x8b":
        # decompressed here: one gzip member per record (the norm) and a whole file gzipped at once
        # (`gzip crawl.warc`, which warcio refuses) read alike; a cut stream raises EOFError below
        stream = gzip.GzipFile(fileobj=Replay(raw_head, stream))  # noqa: SIM115 - read to the end below
        try:
            raw_head = stream.read(65536)
        except (EOFError, OSError, zlib.error) as err:
            yield Reject(path, "truncated", f"the gzip stream breaks: {' '.join(str(err).split())[:200]}")
            return
    source = Replay(raw_head, stream)
    iterator = _QuietIterator(io.BufferedReader(source), arc2warc=True)
    records = 0
    end = 0
    pages = 0
    kinds: Counter[str] = Counter()
    try:
        for record in iterator:
            records += 1
            kinds[_describe(record)] += 1
            for item in _record(record, path, records, read_record, max_bytes):
                pages += 1
                yield item
            iterator.read_to_end(record)
            if getattr(record.raw_stream, "limit", 0):
                yield Reject(path, "truncated", f"record {records} is cut short; the archive ends there")
                return
            end = iterator.get_record_offset() + iterator.get_record_length()
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as err:
        detail = " ".join(str(err).split())[:200] or type(err).__name__
        reason = "truncated" if records else "malformed WARC"
        yield Reject(path, reason, f"the archive breaks after {records} records: {detail}" if records else detail)
        return
    try:
        total = source.delivered + len(stream.read())
    except (EOFError, OSError, zlib.error) as err:
        yield Reject(path, "truncated", f"the archive breaks after {records} records: {err}")
        return
    if total - end > TRAILING_SLACK:
        yield Reject(path, "truncated", f"the archive breaks after {records} records: "
                                        f"{total - end} bytes at the end are no complete record")
    elif not pages:
        held = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common(6)) or "no records"
        yield Reject(path, "no HTML response record", f"no page (HTML, feed or text) in the archive: {held}")


def _record(record: Any, path: str, number: int, read_record: RecordReader, max_bytes: int) -> Iterator[Item]:
    if record.rec_type not in ("response", "resource"):
        return
    uri = _target_uri(record)
    if uri and uri.lower().startswith(NOT_PAGES):
        return  # the crawler's own metadata (wget's manifest and log), DNS: not articles
    where = f"{path}#{uri}" if uri else f"{path}#record{number}"
    status = 200
    http_headers = record.http_headers
    body_stream = None
    record_type = (record.rec_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if record.rec_type == "response" and http_headers is None and record_type == "application/http":
        try:  # an ARC URL with spaces: warcio did not parse the HTTP headers
            http_headers = _HTTP.parse(record.raw_stream)
            body_stream = record.raw_stream
        except (StatusAndHeadersParserException, EOFError, ValueError):
            http_headers = None
    if record.rec_type == "response" and http_headers is not None:
        try:
            status = int(http_headers.get_statuscode() or 200)
        except ValueError:
            status = 0
        content_type = http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    mime = content_type.split(";")[0].strip().lower()
    if 300 <= status < 400 or (mime and not mime.startswith(READ_TYPES)):
        return  # redirects, images, scripts, styles: not articles
    if status >= 400 or status < 100:
        yield Reject(where, "HTTP error", f"the archived response has status {status}")
        return
    body = (body_stream or record.content_stream()).read(max_bytes + 1)
    if len(body) > max_bytes:
        yield Reject(where, "too large", f"record over {max_bytes} bytes")
        return
    if getattr(record.raw_stream, "limit", 0):
        return  # cut short: the caller reports the truncation
    yield from read_record(body, where, uri, content_type, _warc_date(record))


def _target_uri(record: Any) -> str | None:
    """The record's URL; an ARC URL field with spaces at its ends (warcio writes them %20) trimmed."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header("uri")
    if not uri:
        return None
    uri = uri.strip()
    while uri.startswith("%20"):
        uri = uri[3:]
    while uri.endswith("%20"):
        uri = uri[:-3]
    return uri.strip() or None


def _describe(record: Any) -> str:
    """What a record is, for the rejection of an archive without pages: "warcinfo", "metadata://"..."""
    uri = (_target_uri(record) or "").lower()
    scheme = next((s for s in NOT_PAGES if uri.startswith(s)), None)
    if scheme:
        return f"{record.rec_type} ({scheme}{'//' if scheme in ('metadata:', 'filedesc:') else ''})"
    if record.rec_type in ("response", "resource"):
        headers = record.http_headers
        kind = (headers.get_header("Content-Type") if headers is not None else None) or \
            record.rec_headers.get_header("Content-Type") or "no type"
        return f"{record.rec_type} ({kind.split(';')[0].strip().lower()})"
    return str(record.rec_type)


def _starts_like_warc(raw: bytes) -> bool:
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(raw, 64)
        except zlib.error:
            return False
    return looks_like_warc(raw)


def _warc_date(record: Any) -> date | None:
    value = record.rec_headers.get_header("WARC-Date")
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
