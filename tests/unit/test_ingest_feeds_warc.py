"""Feeds and WARC files: entries and records become documents, teasers become fetches."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from sitrep.document import Document
from sitrep.ingest.feeds import fragment_text, read_feed
from sitrep.ingest.items import FetchTask
from sitrep.ingest.reject import Reject
from sitrep.ingest.sources import Reader, ReadOptions

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "examples" / "web"
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


def test_rss_feed_entries_documents_teasers_and_rejects() -> None:
    items = list(read_feed((WEB / "feed.xml").read_bytes(), path="feed.xml"))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["FetchTask", "Document", "Document", "Reject"]
    teaser, water, wire, empty = items
    assert teaser.url == "https://example.org/analysis/2017/01/08/why-moscow-is-sending-its-carrier-home"
    assert teaser.hints.published.isoformat() == "2017-01-08" and teaser.path == "feed.xml#1"
    assert water.source.title.startswith("Damascus taps run dry") and water.source.publisher == "Global Affairs Review"
    assert water.source.published.isoformat() == "2017-01-03" and water.ext["kind"] == "feed"
    assert "5.5 million" in water.text and "<p>" not in water.text
    assert wire.source.url == "https://example.org/world/2016/02/04/aleppo-supply-line-cut"
    assert empty.reason == "no text" and empty.path == "feed.xml#4"


def test_atom_feed_with_teasers_only_yields_fetch_tasks_with_hints() -> None:
    raw = (FIXTURES / "atom-teasers.xml").read_text().replace("{{BASE}}", "http://news.example")
    items = list(read_feed(raw.encode(), path="a.atom"))
    assert all(isinstance(i, FetchTask) for i in items)
    assert items[0].url == "http://news.example/news/aleppo-noose"  # tracking parameter dropped
    assert items[0].hints.author == "Hannah Lowe" and items[0].hints.published.isoformat() == "2016-02-08"
    assert {i.depth for i in items} == {1}


def test_malformed_and_empty_feeds_are_one_rejection_each() -> None:
    (broken,) = read_feed((WEB / "broken" / "broken-feed.xml").read_bytes(), path="b.xml")
    assert isinstance(broken, Reject) and broken.reason == "malformed feed"
    (html,) = read_feed(b"<html><body>502 Bad Gateway</body></html>", path="c.xml")
    assert html.reason == "malformed feed"
    (empty,) = read_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
                         path="d.xml")
    assert empty.reason == "empty"


def test_feed_with_xml_errors_keeps_its_readable_entries() -> None:
    text = " ".join(["Rebels shelled government positions near Hama on Tuesday, a monitor said."] * 12)
    raw = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>Hama</title>'
           f"<description>{text} &nbsp; &bogus;</description></item></channel></rss>").encode()
    items = list(read_feed(raw, path="w.xml"))
    assert [type(i).__name__ for i in items] == ["Reject", "Document"]
    assert items[0].is_warning and items[0].reason == "feed not well-formed"
    assert "near Hama" in items[1].text


def test_fragment_text_keeps_paragraphs() -> None:
    assert fragment_text("<p>One.</p><p>Two <b>bold</b>.</p>line<br>break") == "One.\n\nTwo bold.\n\nline break"


def test_warc_records_pages_skip_media_and_reject_errors() -> None:
    reader = Reader(ReadOptions())
    items = list(reader.read([str(WEB / "pages.warc.gz")]))
    docs = [i for i in items if isinstance(i, Document)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [d.source.url for d in docs] == [
        "https://example.net/2016/02/08/the-noose-around-aleppo/",
        "https://example.org/analysis/2017/01/08/why-moscow-is-sending-its-carrier-home",
        "https://example.com/levantwire/2016/02/04/aleppo-corridor-cut",
    ]
    assert all(d.ext["kind"] == "warc" for d in docs)
    assert docs[0].source.path.endswith("pages.warc.gz#https://example.net/2016/02/08/the-noose-around-aleppo/")
    assert [c.label for c in docs[0].sections if c.name == "comment" and c.label] == ["1", "2", "3", "4", "5"]
    assert [(r.reason, r.path.rsplit("/", 1)[-1]) for r in rejects] == [("HTTP error", "aleppo-clashes-continue")]


def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    data = gzip.decompress((WEB / "pages.warc.gz").read_bytes())
    cut = data.index(b"WARC-Target-URI: https://example.com/levantwire/2016/02/04") + 200
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:cut])
    items = list(Reader(ReadOptions()).read([str(path)]))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "Reject"]
    assert items[-1].reason == "truncated" and "after 4 records" in items[-1].detail


def test_garbage_with_a_warc_name_is_a_malformed_warc(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc.gz"
    path.write_bytes(gzip.compress(b"this is no archive at all\n" * 10))
    (item,) = Reader(ReadOptions()).read([str(path)])
    assert isinstance(item, Reject) and item.reason == "malformed WARC"


def test_warc_from_stdin_is_recognised(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class Stdin:
        buffer = io.BytesIO((WEB / "pages.warc.gz").read_bytes())

    monkeypatch.setattr("sys.stdin", Stdin)
    items = list(Reader(ReadOptions()).read(["-"]))
    assert sum(isinstance(i, Document) for i in items) == 3


def test_character_references_to_lone_surrogates_do_not_break_a_feed() -> None:
    text = " ".join(["Rebels shelled government positions near Hama on Tuesday, a monitor said."] * 12)
    raw = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>W &#xD800;</title><item><title>Hama &#xDFFF;'
           f"</title><description>{text} &#xD800;</description></item></channel></rss>").encode()
    items = list(read_feed(raw, path="s.xml"))
    assert all(isinstance(i, Document | Reject) for i in items)
    for doc in (i for i in items if isinstance(i, Document)):
        doc.text.encode("utf-8")
