"""The dispatcher and the small readers: corpora, folders, URL lists, gzip, stdin, limits, checks."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from sitrep.document import Document
from sitrep.ingest.corpora import FieldMap
from sitrep.ingest.items import FetchTask
from sitrep.ingest.reject import Reject
from sitrep.ingest.sources import Reader, ReadOptions, walk

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "ingest"
ARTICLE = ("Government forces shelled the rebel-held town of Douma on Monday, killing at least four civilians and "
           "wounding a dozen more, according to local rescue workers and a monitoring group.")


def _read(*paths: Path | str, **options: object) -> list:
    return list(Reader(ReadOptions(**options)).read([str(p) for p in paths]))  # type: ignore[arg-type]


def test_csv_corpus_with_its_own_field_names(tmp_path: Path) -> None:
    fields = FieldMap.parse(["title=headline", "text=body_text", "url=link", "published=date_publish",
                             "publisher=source_domain"])
    items = _read(FIXTURES / "corpus.csv", fields=fields)
    docs = [i for i in items if isinstance(i, Document)]
    rejects = {i.path.rsplit(":", 1)[1]: i.reason for i in items if isinstance(i, Reject)}
    assert [d.source.title for d in docs] == ["Aid convoy enters besieged Madaya",
                                              "Army retakes Palmyra from Islamic State"]
    assert docs[0].source.url == "https://example.com/tigris/2016/01/11/madaya-convoy"  # utm_source dropped
    assert [d.source.published for d in docs] == [date(2016, 1, 11), date(2016, 3, 27)]
    assert docs[0].source.publisher == "example.com" and docs[0].ext["kind"] == "csv"
    assert rejects == {"4": "malformed CSV row", "5": "no text", "6": "bad metadata"}


def test_csv_default_names_and_a_tab_separated_file(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text(f"title\ttext\tdate\nDouma shelled\t{ARTICLE}\t2016-02-08\n")
    (doc,) = _read(path)
    assert doc.source.title == "Douma shelled" and doc.source.published == date(2016, 2, 8)


def test_jsonl_corpus_with_nested_fields_and_bad_lines() -> None:
    fields = FieldMap.parse(["title=meta.headline", "text=content.text", "published=meta.published",
                             "publisher=meta.site"])
    items = _read(FIXTURES / "corpus.jsonl", fields=fields)
    outcome = [(i.source.title if isinstance(i, Document) else i.reason) for i in items]
    assert outcome == ["Evacuation of eastern Aleppo begins", "malformed JSON line", "malformed JSON line",
                       "Nationwide truce takes effect", "no text"]
    assert items[0].source.published == date(2016, 12, 15) and items[0].source.publisher == "Crescent News Agency"
    assert items[3].source.published == date(2016, 12, 30)  # an RFC 2822 date
    assert items[2].detail == "a JSON list, not an object"


def test_field_map_refuses_unknown_parts() -> None:
    with pytest.raises(ValueError, match="unknown part"):
        FieldMap.parse(["body=text"])
    with pytest.raises(ValueError, match="PART=NAME"):
        FieldMap.parse(["text"])


def test_gzipped_corpus_and_page(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(json.dumps({"text": ARTICLE, "title": "T"}).encode()))
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(ARTICLE.encode()))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(ARTICLE.encode())[:30])
    a, b, c = _read(tmp_path / "a.jsonl.gz", tmp_path / "b.txt.gz", tmp_path / "c.txt.gz")
    assert isinstance(a, Document) and a.source.title == "T" and a.source.path.endswith("a.jsonl.gz:1")
    assert isinstance(b, Document) and "Douma" in b.text
    assert isinstance(c, Reject) and c.reason == "truncated"


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a " * 5_000_000))
    (item,) = _read(path, max_bytes=100_000)
    assert isinstance(item, Reject) and item.reason == "too large"


def test_huge_file_and_huge_jsonl_line(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(ARTICLE * 100)
    lines = [json.dumps({"text": ARTICLE}), json.dumps({"text": ARTICLE * 100}), json.dumps({"text": ARTICLE})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n")
    items = _read(tmp_path / "big.txt", tmp_path / "c.jsonl", max_bytes=5000)
    assert [(type(i).__name__, getattr(i, "reason", None)) for i in items] == [
        ("Reject", "too large"), ("Document", None), ("Reject", "too large"), ("Document", None)]
    assert items[3].source.path.endswith("c.jsonl:3")  # the line count survives the skipped line


def test_folder_walk_skips_hidden_assets_and_ignored(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "feed.rss", "notes.docx", ".hidden.txt", "README.md", "Page_files/ad.html",
                 "drafts/x.txt", "keep/y.md", ".git/z.txt", "sub/deep/w.jsonl"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / ".sitrepignore").write_text("# not these\ndrafts/\n*.rss\n")
    found = [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path)]
    assert found == ["a.txt", "b.html", "keep/y.md", "sub/deep/w.jsonl"]


def test_url_list_yields_fetch_tasks_and_rejects_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "reading.urls"
    path.write_text("# to read\nhttps://example.org/a\n\nftp://example.org/b\nhttp://example.org/c#top\n")
    items = _read(path, "https://example.org/direct")
    assert [(type(i).__name__, getattr(i, "url", getattr(i, "reason", None))) for i in items] == [
        ("FetchTask", "https://example.org/a"), ("Reject", "bad URL"), ("FetchTask", "http://example.org/c#top"),
        ("FetchTask", "https://example.org/direct")]
    assert items[0].path.endswith("reading.urls:2")


def test_a_txt_that_is_all_urls_is_a_url_list(tmp_path: Path) -> None:
    path = tmp_path / "links.txt"
    path.write_text("https://example.org/a\nhttps://example.org/b\n")
    assert all(isinstance(i, FetchTask) for i in _read(path))


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    html = (Path(__file__).resolve().parents[2] / "examples" / "web" / "analysis-russia-drawdown.html").read_bytes()

    class Stdin:
        buffer = io.BytesIO(gzip.compress(html))

    monkeypatch.setattr("sys.stdin", Stdin)
    (doc,) = _read("-")
    assert isinstance(doc, Document) and doc.ext["kind"] == "html" and doc.source.path == "<stdin>"


def test_page_saved_with_the_wrong_extension_is_read_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(f"<!DOCTYPE html><html><head><title>Douma</title></head><body><p>{ARTICLE}</p></body></html>")
    (doc,) = _read(path)
    assert doc.source.title == "Douma" and "<p>" not in doc.text


def test_future_publication_date_is_dropped_with_a_warning(tmp_path: Path) -> None:
    future = date.today() + timedelta(days=400)
    path = tmp_path / "f.txt"
    path.write_text(f"---\npublished: {future.isoformat()}\n---\n{ARTICLE}")
    (doc,) = _read(path)
    assert isinstance(doc, Document) and doc.source.published is None
    (warned,) = doc.ext["warnings"]
    assert warned.is_warning and warned.reason == "future date" and future.isoformat() in warned.detail


def test_default_published_fills_only_the_gaps(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.txt").write_text(f"---\npublished: 2016-02-01\n---\n{ARTICLE}")
    a, b = _read(tmp_path / "a.txt", tmp_path / "b.txt", published=date(2016, 2, 8))
    assert a.source.published == date(2016, 2, 8) and b.source.published == date(2016, 2, 1)


def test_non_english_is_rejected_but_short_or_mixed_text_is_kept(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_text(
        "Les forces gouvernementales syriennes ont repris lundi le contrôle de plusieurs villages au nord d'Alep, "
        "selon une organisation de surveillance, tandis que des milliers de civils fuyaient vers la frontière turque.")
    (tmp_path / "short.txt").write_text("Bombardements à Alep.")
    (tmp_path / "en.txt").write_text(ARTICLE + " Residents of Deir ez-Zor, al-Mayadin and Abu Kamal fled.")
    fr, short, en = _read(tmp_path / "fr.txt", tmp_path / "short.txt", tmp_path / "en.txt")
    assert isinstance(fr, Reject) and fr.reason == "not English" and "fr" in fr.detail
    assert isinstance(short, Document) and isinstance(en, Document) and en.ext["language"] == "en"


def test_utf16_text_and_binary_junk(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (tmp_path / "u16le.txt").write_bytes(ARTICLE.encode("utf-16-le"))
    (tmp_path / "doc.html").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (tmp_path / "ctrl.txt").write_bytes(bytes(range(1, 32)) * 40)
    u16, u16le, pdf, ctrl = _read(*(tmp_path / n for n in ("u16.txt", "u16le.txt", "doc.html", "ctrl.txt")))
    assert isinstance(u16, Document) and "Douma" in u16.text
    assert isinstance(u16le, Document) and "Douma" in u16le.text
    assert (pdf.reason, pdf.detail) == ("binary", "a PDF document")
    assert ctrl.reason == "binary"


def test_scraped_dump_byline_and_dateline_become_metadata(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_text(f"By Ann Lee, Levant Wire\nPublished: 8 February 2016 10:14 GMT\n\n{ARTICLE}\n\n"
                    "Share this article\nFacebook | Twitter | Email\n\n"
                    "Related stories\nMadaya convoy arrives\nGeneva talks paused\n\n"
                    "Sources\n1. SOHR, \"Casualty update\", accessed 9 February 2016.\n")
    (doc,) = _read(path)
    assert doc.ext["author"] == "Ann Lee" and doc.source.published == date(2016, 2, 8)
    assert doc.text.startswith("Government forces shelled")
    for chrome in ("Share this", "Facebook", "Related stories", "Madaya convoy arrives"):
        assert chrome not in doc.text
    (citation,) = doc.ext["citations"]
    assert (citation.outlet, str(citation.accessed)) == ("SOHR", "2016-02-09")
