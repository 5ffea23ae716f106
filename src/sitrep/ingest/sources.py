"""The dispatcher: any mix of files, folders, URLs, stdin and gzip -> Documents, Rejects, FetchTasks.

A file's kind comes from its extension and, when that says little (.txt, .xml, stdin, .gz),
from its first bytes: an HTML page saved as .txt is read as HTML, a list of URLs as URLs to
fetch. Every document passes the same final checks (size, language, a future date), and every
reader runs under a guard, so one bad input costs one rejection, never the batch.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO

from sitrep.document import Document
from sitrep.ingest.assemble import body_text
from sitrep.ingest.corpora import FieldMap, read_csv, read_jsonl
from sitrep.ingest.dates import is_future, today
from sitrep.ingest.decode import DecodeError, binary_kind, decode
from sitrep.ingest.feeds import looks_like_feed, read_feed
from sitrep.ingest.html import Hints, looks_like_html, read_html
from sitrep.ingest.items import MAX_DEPTH, FetchTask, Item
from sitrep.ingest.language import identify
from sitrep.ingest.reject import Reject, warning
from sitrep.ingest.text import is_url_list, read_text, url_lines
from sitrep.ingest.urls import Fetcher, FetchOptions, FetchResult
from sitrep.ingest.warc import looks_like_warc, read_warc

KINDS: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".xml": "xml", ".rss": "feed", ".atom": "feed",
    ".warc": "warc", ".arc": "warc",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "tsv",
    ".urls": "urls",
}
STREAMED = frozenset({"warc", "jsonl", "csv", "tsv"})  # read record by record, limit per record
IGNORE_FILE = ".sitrepignore"
GZIP_MAGIC = b"\x1f\x8b"
SKIP_NAMES = frozenset({"readme.md", "readme.txt", "license.txt", "changelog.md", IGNORE_FILE})


@dataclass
class ReadOptions:
    """How inputs are read; every limit is per document (a page, a record, a line)."""

    published: date | None = None  # for inputs that give no publication date
    max_bytes: int = 10_000_000
    max_chars: int = 900_000  # spaCy refuses texts over 1,000,000 characters
    fields: FieldMap = field(default_factory=FieldMap)
    offline: bool = False
    fetch: FetchOptions = field(default_factory=FetchOptions)
    check_language: bool = True


class Reader:
    """Reads inputs (local first) and fetches URLs; see module docstring."""

    def __init__(self, options: ReadOptions | None = None, *, fetcher: Fetcher | None = None) -> None:
        self.options = options or ReadOptions()
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None

    def close(self) -> None:
        if self._fetcher is not None and self._own_fetcher:
            self._fetcher.close()

    @property
    def requests(self) -> int:
        """HTTP requests made so far (none under --offline)."""
        return int(getattr(self._fetcher, "requests", 0) or 0)

    # -- local inputs ----------------------------------------------------------------------

    def read(self, paths: Iterable[str]) -> Iterator[Item]:
        """Items of every input, in order; URLs come out as FetchTasks, not fetched.

        Nothing is silent: an input (a file, a folder, stdin) that gives no item at all is one
        rejection saying so.
        """
        for name in paths:
            if name == "-":
                yield from _something("<stdin>", self._guard("<stdin>", lambda: self._stdin()))
            elif name.lower().startswith(("http://", "https://")):
                yield FetchTask(name.strip(), name.strip())
            else:
                path = Path(name)
                if path.is_dir():
                    yield from self._folder(path, name)
                elif path.exists():
                    yield from _something(str(path), self._guard(str(path), lambda path=path: self._file(path)))
                elif path.is_symlink():
                    yield Reject(name, "unreadable", "a symbolic link to nothing (broken, or a loop)")
                else:
                    yield Reject(name, "not found", "no such file or folder")

    def _folder(self, path: Path, name: str) -> Iterator[Item]:
        """Every readable file under `path`; a folder with none is rejected ("empty") with what it holds."""
        files = 0
        for child in walk(path):
            files += 1
            yield from _something(str(child), self._guard(str(child), lambda child=child: self._file(child)))
        if files == 0:
            yield Reject(name, "empty", f"a folder with no file sitrep reads: {_folder_contents(path)}")

    def _file(self, path: Path) -> Iterator[Item]:
        where = str(path)
        kind, gzipped = kind_of(path)
        try:
            if kind in STREAMED:
                with path.open("rb") as raw:
                    if gzipped and kind != "warc":  # warcio reads gzipped WARC members itself
                        with gzip.GzipFile(fileobj=raw) as unzipped:
                            yield from self._stream(unzipped, kind, where)
                    else:
                        yield from self._stream(raw, kind, where)
                return
            size = path.stat().st_size
            if not gzipped and size > self.options.max_bytes:
                yield Reject(where, "too large", f"{size} bytes > {self.options.max_bytes}")
                return
            with path.open("rb") as raw:
                data = raw.read(self.options.max_bytes + 1)
        except OSError as err:
            yield Reject(where, "unreadable", f"{type(err).__name__}: {err.strerror or err}")
            return
        yield from self.read_bytes(data, where, kind=kind)

    def _stdin(self) -> Iterator[Item]:
        data = sys.stdin.buffer.read(self.options.max_bytes + 1)
        yield from self.read_bytes(data, "<stdin>", kind=None)

    def _stream(self, stream: IO[bytes], kind: str, where: str) -> Iterator[Item]:
        limit, fields = self.options.max_bytes, self.options.fields
        try:
            if kind == "warc":
                yield from read_warc(stream, path=where, read_record=self._warc_record, max_bytes=limit)
                return
            if kind == "jsonl":
                items = read_jsonl(stream, path=where, fields=fields, max_bytes=limit)
            else:
                items = read_csv(stream, path=where, fields=fields, max_bytes=limit, tab=kind == "tsv")
            for item in items:
                yield self.finish(item) if isinstance(item, Document) else item
        except (EOFError, gzip.BadGzipFile, zlib.error) as err:
            yield Reject(where, "truncated", f"the compressed stream breaks: {err}")

    def read_bytes(self, data: bytes, where: str, *, kind: str | None, url: str | None = None,
                   content_type: str | None = None, hints: Hints | None = None, depth: int = 0,
                   max_date: date | None = None) -> Iterator[Item]:
        """Items of one whole input held in memory; `kind` None means: tell from the bytes."""
        if data[:2] == GZIP_MAGIC:
            try:
                data = _gunzip(data, self.options.max_bytes)
            except (EOFError, OSError, zlib.error) as err:
                yield Reject(where, "truncated", f"the gzip stream breaks: {err}")
                return
            except _TooLarge:
                yield Reject(where, "too large", f"over {self.options.max_bytes} bytes once decompressed")
                return
        if len(data) > self.options.max_bytes:
            yield Reject(where, "too large", f"over {self.options.max_bytes} bytes")
            return
        if not data.strip():
            yield Reject(where, "empty", "no text")
            return
        if kind == "warc" or (kind in (None, "text") and looks_like_warc(data[:16])):
            yield from self._stream(io.BytesIO(data), "warc", where)
            return
        if kind in ("jsonl", "csv", "tsv"):
            yield from self._stream(io.BytesIO(data), kind, where)
            return
        what = binary_kind(data)
        if what:
            yield Reject(where, "binary", what)
            return
        head = data[:4000].decode("utf-8", errors="replace").lstrip("\ufeff")
        if kind in ("feed", "xml") or (kind in (None, "text", "html") and looks_like_feed(head)):
            if kind == "xml" and looks_like_html(head) and not looks_like_feed(head):
                yield self._finish_one(read_html(data, path=where, url=url, content_type=content_type,
                                                 kind=_kind(kind, url), hints=hints, max_date=max_date))
                return
            for item in read_feed(data, path=where, base_url=url, content_type=content_type, depth=depth):
                yield self.finish(item) if isinstance(item, Document) else item
            return
        if kind == "html" or looks_like_html(head):
            yield self._finish_one(read_html(data, path=where, url=url, content_type=content_type,
                                             kind=_kind("html", url), hints=hints, max_date=max_date))
            return
        if kind is None and head.lstrip().startswith("{"):
            yield from self._stream(io.BytesIO(data), "jsonl", where)
            return
        yield from self._text(data, where, kind, url, hints, depth)

    def _text(self, data: bytes, where: str, kind: str | None, url: str | None, hints: Hints | None,
              depth: int) -> Iterator[Item]:
        try:
            decoded = decode(data)
        except DecodeError as err:
            yield Reject(where, err.reason, err.detail)
            return
        warnings = [warning(where, "not UTF-8", f"decoded as {decoded.encoding}")] if decoded.guessed else []
        if kind == "urls" or is_url_list(decoded.text):
            if depth >= MAX_DEPTH:
                yield Reject(where, "no text", "a list of URLs found too deep to follow")
                return
            lines = decoded.text.splitlines()
            found = set(url_lines(decoded.text))
            for number, line in enumerate(lines, start=1):
                stripped = line.strip()
                if not stripped or stripped.startswith("#"):
                    continue
                if stripped in found:
                    yield FetchTask(stripped, f"{where}:{number}", None, depth + 1 if url else depth)
                else:
                    yield Reject(f"{where}:{number}", "bad URL", f"not an http(s) URL: {stripped[:100]}")
            return
        if not decoded.text.strip():
            yield Reject(where, "empty", "no text")
            return
        hints = hints or Hints()
        try:
            doc = read_text(decoded.text, title=hints.title, url=url, published=hints.published,
                            publisher=hints.publisher, path=where, kind=_kind("text", url), warnings=warnings)
        except ValueError as err:
            yield Reject(where, "bad metadata", str(err))
            return
        yield self.finish(doc)

    def _warc_record(self, body: bytes, where: str, url: str | None, content_type: str,
                     captured: date | None) -> Iterator[Item]:
        mime = content_type.split(";")[0].strip().lower()
        kind = "html" if "html" in mime else "feed" if "xml" in mime else "text"
        items = self._guard(where, lambda: self.read_bytes(body, where, kind=kind, url=url,
                                                           content_type=content_type, max_date=captured))
        for item in items:
            if isinstance(item, Document):
                item.ext["kind"] = "warc"
            yield item

    # -- fetching --------------------------------------------------------------------------

    def fetch(self, task: FetchTask) -> Iterator[Item]:
        """Fetch one URL and read what comes back (a page, a feed, a text, a list of URLs)."""
        return self._guard(task.path, lambda: self._fetch(task))

    def _fetch(self, task: FetchTask) -> Iterator[Item]:
        if self.options.offline:
            yield Reject(task.path, "offline", f"not fetched: {task.url}")
            return
        if self._fetcher is None:
            self._fetcher = Fetcher(replace(self.options.fetch, max_bytes=self.options.max_bytes))
        result = self._fetcher.fetch(task.url, path=task.path)
        if isinstance(result, Reject):
            yield result
            return
        yield from self._fetched(result, task)

    def _fetched(self, result: FetchResult, task: FetchTask) -> Iterator[Item]:
        mime = result.content_type.split(";")[0].strip().lower()
        kind = ("html" if "html" in mime else "feed" if ("rss" in mime or "atom" in mime or "xml" in mime)
                else "text" if mime.startswith("text/") else None)
        for item in self.read_bytes(result.body, task.path, kind=kind, url=result.final_url,
                                    content_type=result.content_type, hints=task.hints, depth=task.depth):
            if isinstance(item, Document) and item.source.path == task.path:
                item.ext["aliases"] = [task.url, result.final_url]  # the page itself, not a feed's entry
            yield item

    # -- checks every document passes ------------------------------------------------------

    def _finish_one(self, item: Document | Reject) -> Item:
        return self.finish(item) if isinstance(item, Document) else item

    def finish(self, doc: Document) -> Document | Reject:
        """Size, text, language and date checks; the default publication date if none was found."""
        where = doc.source.path or doc.source.url or doc.id
        if len(doc.text) > self.options.max_chars:
            return Reject(where, "too large", f"{len(doc.text)} characters > {self.options.max_chars}")
        body = body_text(doc)
        if not any(ch.isalpha() for ch in body):
            return Reject(where, "no text", "no words in the article")
        if self.options.check_language:
            verdict = identify(body)
            doc.ext["language"] = verdict.language or "en"
            if not verdict.supported:
                return Reject(where, "not English", f"detected {verdict.describe()}; only English is supported")
        if doc.source.published is None and self.options.published is not None:
            doc.source.published = self.options.published
        limit = doc.ext.get("max_date") or today()
        if is_future(doc.source.published, limit):
            doc.ext.setdefault("warnings", []).append(warning(
                where, "future date", f"published {doc.source.published} is after {limit}; the date was dropped"))
            doc.source.published = None
            doc.source.published_inferred = False
        return doc

    def _guard(self, where: str, produce: Callable[[], Iterable[Item]]) -> Iterator[Item]:
        """Run a reader; an exception it did not foresee becomes one 'reader error' reject."""
        try:
            yield from produce()
        except MemoryError:
            yield Reject(where, "too large", "ran out of memory reading it")
        except Exception as err:  # noqa: BLE001 - the guard is the point: one input never stops a batch
            yield Reject(where, "reader error", f"{type(err).__name__}: {' '.join(str(err).split())[:200]}")


def _something(where: str, items: Iterable[Item]) -> Iterator[Item]:
    """`items`, or one rejection when the input gave none (or only warnings)."""
    found = False
    for item in items:
        found = found or not (isinstance(item, Reject) and item.is_warning)
        yield item
    if not found:
        yield Reject(where, "empty", "nothing to read in it (no article, record, entry or line)")


def _folder_contents(root: Path) -> str:
    """`3 files of other kinds, 1 hidden or ignored`: why a folder gave nothing."""
    other = hidden = 0
    try:
        for _current, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith(".") or name.lower() in SKIP_NAMES:
                    hidden += 1
                else:
                    other += 1
    except OSError:
        pass
    if not other and not hidden:
        return "no files at all"
    parts = [f"{other} file{'s' if other != 1 else ''} of other kinds or ignored"] if other else []
    if hidden:
        parts.append(f"{hidden} hidden, README or ignored")
    return ", ".join(parts)


def kind_of(path: Path) -> tuple[str | None, bool]:
    """(kind, gzipped) from a file name: "page.html.gz" -> ("html", True); unknown -> (None, ...)."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] in (".gz", ".gzip")
    if gzipped:
        suffixes = suffixes[:-1]
    kind = KINDS.get(suffixes[-1]) if suffixes else None
    return kind, gzipped


def walk(root: Path) -> Iterator[Path]:
    """Files under `root` with a known extension, sorted, recursive.

    Hidden files and folders, READMEs, browsers' "Save page, complete" asset folders
    (`Name_files/`) and whatever a `.sitrepignore` (glob patterns, one a line, `dir/` for a
    folder) lists in a folder or above it are skipped.
    """
    rules: dict[Path, list[str]] = {}
    for current, dirs, files in os.walk(root):
        here = Path(current)
        rules[here] = _ignore_rules(here)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.endswith("_files")
                         and not _ignored(here / d, True, rules))
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or name.lower() in SKIP_NAMES or _ignored(path, False, rules):
                continue
            if kind_of(path)[0] is not None:
                yield path


def _ignore_rules(folder: Path) -> list[str]:
    try:
        lines = (folder / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _ignored(path: Path, is_dir: bool, rules: dict[Path, list[str]]) -> bool:
    for base, patterns in rules.items():
        try:
            relative = path.relative_to(base).as_posix()
        except ValueError:
            continue
        for pattern in patterns:
            dir_only = pattern.endswith("/")
            pat = pattern.rstrip("/").lstrip("/")
            if dir_only and not is_dir:
                continue
            target = relative if "/" in pat else path.name
            if fnmatch.fnmatch(target, pat):
                return True
    return False


class _TooLarge(Exception):
    pass


def _gunzip(data: bytes, limit: int) -> bytes:
    """Decompress at most `limit` bytes (a gzip bomb stops here, not in memory)."""
    out = bytearray()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
        while chunk := stream.read(1 << 20):
            out += chunk
            if len(out) > limit:
                raise _TooLarge
    return bytes(out)


def _kind(kind: str, url: str | None) -> str:
    return "url" if url and kind in ("html", "text") else kind
