"""HTML pages: article, metadata, numbered comments and reference lists; chrome dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.document import Document
from sitrep.ingest.html import read_html
from sitrep.ingest.reject import Reject

WEB = Path(__file__).resolve().parents[2] / "examples" / "web"


def _page(name: str) -> Document:
    doc = read_html((WEB / name).read_bytes(), path=name)
    assert isinstance(doc, Document), doc
    return doc


def _section_text(doc: Document, name: str) -> list[tuple[str | None, str]]:
    return [(s.label, doc.text[s.span.start : s.span.end]) for s in doc.sections if s.name == name]


def test_opinion_page_metadata_and_body() -> None:
    doc = _page("opinion-aleppo-encircled.html")
    assert doc.source.title == "The noose around Aleppo is tightening, and our leaders shrug"
    assert doc.source.published.isoformat() == "2016-02-08"  # the original date, not the update of the 9th
    assert doc.source.publisher == "People Before Bombs"
    assert doc.source.url == "https://example.net/2016/02/08/the-noose-around-aleppo/"  # utm_* dropped
    assert doc.ext["author"] == "Hannah Lowe"
    body = "".join(text for _, text in _section_text(doc, "body"))
    assert body.startswith("A week ago the Syrian army")
    assert "Grozny" in body and "23rd February" in body


@pytest.mark.parametrize("chrome", [
    "Please enter your comment", "Please enter your name here", "incorrect email address", "Post Comment",
    "RELATED ARTICLES", "Madaya: the town where people eat grass", "Subscribe to our newsletter", "Pinterest",
    "Previous article", "This site uses cookies", "2,314 views", "Save my name", "LEAVE A REPLY",
])
def test_opinion_page_chrome_is_dropped(chrome: str) -> None:
    assert chrome not in _page("opinion-aleppo-encircled.html").text


def test_opinion_page_has_five_numbered_comments_with_authors() -> None:
    doc = _page("opinion-aleppo-encircled.html")
    comments = [(label, text) for label, text in _section_text(doc, "comment") if label]
    assert [label for label, _ in comments] == ["1", "2", "3", "4", "5"]
    authors = [text.split(" (")[0].split(". ", 1)[1] for _, text in comments]
    assert authors == ["Dave Hollis", "Samira K", "Dave Hollis", "realist1987", "M. Farrell"]
    assert "Nubl and Zahraa" in comments[0][1]
    assert "@Samira" in comments[2][1]  # the nested reply keeps its place in the thread
    assert all("Reply" not in text for _, text in comments)
    # comment words are nowhere in the body
    body = "".join(text for _, text in _section_text(doc, "body"))
    assert "paid to post" not in body and "trolls" not in body


def test_analysis_reference_list_becomes_items_with_citations() -> None:
    doc = _page("analysis-russia-drawdown.html")
    items = [(label, text) for label, text in _section_text(doc, "reference") if label]
    assert [label for label, _ in items] == ["1", "2", "3"]
    cited = [(c.outlet, c.published, c.accessed) for c in doc.ext["citations"]]
    assert [c[0] for c in cited] == ["CNN", "BBC News", "The Guardian"]
    assert str(cited[1][1]) == "2017-01-03" and str(cited[1][2]) == "2017-01-06"
    assert str(cited[0][2]) == "2017-01-05" and cited[0][1] is None
    assert doc.ext["author"] == "Tomas Berg"
    assert doc.section_at(doc.text.index("Hmeimim")) == "body"
    assert doc.section_at(doc.text.index("BBC News")) == "reference"
    assert "Read more" not in doc.text and "More from Analysis" not in doc.text and "Share on" not in doc.text
    assert doc.text.count("Why Moscow is sending its carrier home") == 1  # the headline is not repeated


def test_misdeclared_encoding_is_repaired_with_a_warning() -> None:
    html = ("<html><head><meta charset='utf-8'><title>Café bombed</title></head><body><article>"
            "<p>Government aircraft struck a café in Douma’s main square on Monday, killing four civilians, "
            "rescue workers said. The strike came a day after rebels shelled the capital.</p></article></body></html>")
    doc = read_html(html.encode("cp1252"), path="p.html")
    assert isinstance(doc, Document)
    assert "café in Douma’s main square" in doc.text
    assert [(w.reason, w.is_warning) for w in doc.ext["warnings"]] == [("mis-declared encoding", True)]
    assert "declared utf-8" in doc.ext["warnings"][0].detail


def test_truncated_page_keeps_its_text_with_a_warning() -> None:
    html = ("<html><head><title>Shelling in Douma</title></head><body><article>"
            "<p>Government forces shelled the town of Douma in Eastern Ghouta on Monday, killing at least seven "
            "people including two children, a monitoring group said.</p><p>The shelling continued into the ev")
    doc = read_html(html, path="cut.html")
    assert isinstance(doc, Document) and "killing at least seven" in doc.text
    assert [w.reason for w in doc.ext["warnings"]] == ["partial text"]


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"<html><head><title>Nothing here</title></head><body><nav>Home | About</nav></body></html>", "no text"),
    (b"<!DOCTYPE html><html><head><title>Cut</title><script>var a = 1;", "truncated"),
])
def test_pages_without_an_article_are_rejected(raw: bytes, reason: str) -> None:
    item = read_html(raw, path="x.html")
    assert isinstance(item, Reject) and item.reason == reason and not item.is_warning


def test_unstorable_characters_are_replaced() -> None:
    html = ("<html><head><title>Hama &#xD800;</title></head><body><article><p>Rebels shelled government positions "
            "near Hama on Tuesday, a monitor said &#xD800; and\x00 more, adding that the fighting went on overnight "
            "in the villages north of the city.</p></article></body></html>")
    doc = read_html(html, path="s.html")
    assert isinstance(doc, Document)
    doc.text.encode("utf-8")
    assert "\x00" not in doc.text
