"""Fuzzing the readers: whatever bytes arrive, the answer is a document or a clean rejection.

A clean rejection means one with a reason from the fixed vocabulary and not "reader error",
which is the guard's name for an exception a reader did not foresee: the guard keeps a batch
alive in production, and this test makes sure it is never what handles an input.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.document import Document
from sitrep.ingest.items import FetchTask
from sitrep.ingest.reject import REJECT_REASONS, WARNING_REASONS, Reject
from sitrep.ingest.sources import Reader, ReadOptions

WEB = Path(__file__).resolve().parents[2] / "examples" / "web"
KINDS = [None, "text", "html", "feed", "xml", "jsonl", "csv", "tsv", "warc", "urls"]
FRAGMENTS = [
    "<!DOCTYPE html>", "<html>", "<head>", "<title>T</title>", "<meta charset='koi8-r'>", "<body>", "<p>",
    "</p>", "<article>", "</article>", "<div class='comment-content'>", "<li class='comment'>", "<cite class=fn>",
    "</div>", "<form id=commentform>", "<script>", "</script>", "<?xml version='1.0' encoding='utf-16'?>",
    "<rss version='2.0'>", "<channel>", "<item>", "<link>http://x/</link>", "<description>", "</item>", "<feed>",
    "<entry>", "<content type='html'>&lt;p&gt;", "]]>", "<![CDATA[", "&amp;", "&#0;", "&#xD800;", "\x00", "\ufeff",
    "---\n", "title: [", "published: 2099-01-01\n", "{\"text\": ", "\"", "}\n", "https://example.org/a\n",
    "WARC/1.1\r\n", "WARC-Type: response\r\n", "Content-Length: 99999\r\n", "\r\n", "HTTP/1.1 200 OK\r\n",
    "Sources\n", "1. CNN, \"x\", accessed 31 February 2017.\n", "5 COMMENTS\n", "1. Bob says:\n", "By Ann\n",
    "Government forces shelled Douma on Monday, killing four civilians. ", "é", "’", "\u202e", "\U0001F600",
]
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(items: list) -> None:
    for item in items:
        assert isinstance(item, Document | Reject | FetchTask), item
        if isinstance(item, Reject):
            known = WARNING_REASONS if item.is_warning else REJECT_REASONS
            assert item.reason in known and item.reason != "reader error", item
            assert "\n" not in item.reason
        elif isinstance(item, Document):
            assert item.text.strip()
            item.text.encode("utf-8")  # storable: no lone surrogates
            assert "\x00" not in item.text
            for section in item.sections:
                assert 0 <= section.span.start <= section.span.end <= len(item.text)
            for warned in item.ext.get("warnings", []):
                assert warned.reason in WARNING_REASONS


def _read(data: bytes, kind: str | None) -> list:
    reader = Reader(ReadOptions(max_bytes=200_000))
    return list(reader.read_bytes(data, "fuzz", kind=kind))


@FUZZ
@given(data=st.binary(max_size=3000), kind=st.sampled_from(KINDS))
def test_random_bytes(data: bytes, kind: str | None) -> None:
    _check(_read(data, kind))


@FUZZ
@given(parts=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=40),
       kind=st.sampled_from(KINDS), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
def test_markup_soup(parts: list[str], kind: str | None, encoding: str) -> None:
    data = "".join(parts).encode(encoding, errors="replace")
    _check(_read(data, kind))


@FUZZ
@given(cut=st.integers(min_value=0, max_value=20000), flip=st.integers(min_value=0, max_value=20000),
       name=st.sampled_from(["opinion-aleppo-encircled.html", "analysis-russia-drawdown.html", "feed.xml",
                             "pages.warc.gz"]))
def test_damaged_real_files(cut: int, flip: int, name: str) -> None:
    data = bytearray((WEB / name).read_bytes())
    data = data[: max(1, len(data) - cut)]
    if data:
        data[flip % len(data)] ^= 0x5A
    kind = {"html": "html", "xml": "feed", "gz": "warc"}[name.rsplit(".", 1)[1]]
    _check(_read(bytes(data), kind))


@FUZZ
@given(payload=st.binary(max_size=2000))
def test_gzip_wrapped(payload: bytes) -> None:
    data = gzip.compress(payload)
    _check(_read(data, None))
    _check(_read(data[: len(data) // 2], None))
