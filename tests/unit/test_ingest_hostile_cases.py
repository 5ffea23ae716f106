"""Issue 13 item 2, the reader cases: each input ends as a document or a specific rejection.

Fixtures in tests/fixtures/ingest/hostile/ are invented reports written by
bench/hostile_inputs.py (no publication's text): wget's WARC with metadata:// records, a WARC
with no page, an ARC whose URLs hold spaces, feeds in windows-1251 and ISO-8859-1, Big5 and
GB2312 pages, two comment layouts and a heading-only comment block; the deep page is made here.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from sitrep.document import Document
from sitrep.ingest.reject import Reject
from sitrep.ingest.sources import Reader
from sitrep.ingest.text import read_text

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "hostile"


def _items(name: str | Path) -> list[object]:
    return list(Reader().read([str(HOSTILE / name)]))


def _comments(doc: Document) -> list[str]:
    return [doc.text[s.span.start : s.span.end] for s in doc.sections if s.name == "comment" and s.label]


def test_wget_metadata_records_are_not_articles() -> None:
    (doc,) = _items("wget.warc")  # warcinfo, request, metadata://MANIFEST, wget_arguments and wget.log: no items
    assert isinstance(doc, Document) and doc.source.url == "https://sahel.example.net/2019/03/gao-market"
    assert "Wget" not in doc.text and "Downloaded:" not in doc.text


def test_a_warc_without_a_page_says_so() -> None:
    (reject,) = _items("no-html.warc")
    assert isinstance(reject, Reject) and reject.reason == "no HTML response record"
    assert "response (text/javascript)" in reject.detail and "warcinfo" in reject.detail


def test_an_arc_with_spaces_in_its_urls_is_read() -> None:
    docs = _items("space-in-url.arc")
    assert all(isinstance(d, Document) for d in docs) and len(docs) == 2
    assert [d.source.url for d in docs] == ["https://horn.example.org/news/bentiu%20clashes.html",
                                            "https://horn.example.org/news/gao%20raid.html"]


def test_legacy_encoded_feeds_are_decoded_and_language_checked() -> None:
    (reject,) = _items("win1251.xml")
    assert isinstance(reject, Reject) and reject.reason == "not English" and "ru" in reject.detail
    (doc,) = _items("latin1.xml")
    assert isinstance(doc, Document) and "café owner, José" in doc.text and doc.ext["language"] == "en"
    assert "Ã" not in doc.text


def test_chinese_pages_are_not_english_whatever_the_identifiers_doubt() -> None:
    for name in ("big5.html", "gb2312.html"):  # Big5 declared; GB2312 undeclared
        (reject,) = _items(name)
        assert isinstance(reject, Reject) and reject.reason == "not English", (name, reject)
        assert reject.detail.startswith("detected zh"), reject.detail


def test_a_page_nested_100000_divs_deep_keeps_its_text(tmp_path: Path) -> None:
    text = ("Two rockets struck an army base outside Talar on Wednesday night, wounding seven soldiers, the defence "
            "ministry said. No group claimed the attack, and the road to the airport was closed until morning.")
    page = tmp_path / "deep.html"
    page.write_text("<html><head><title>Rockets hit base outside Talar</title></head><body>" + "<div>" * 100_000
                    + f"<p>{text}</p><p>{text.replace('seven', 'eight')}</p>" + "</div>" * 100_000 + "</body></html>")
    (doc,) = Reader().read([str(page)])
    assert isinstance(doc, Document) and "wounding seven soldiers" in doc.text and "wounding eight" in doc.text
    assert [w.reason for w in doc.ext["warnings"]] == ["flattened"]


def test_wordpress_comment_list_gives_one_comment_each_with_its_author() -> None:
    (doc,) = _items("wordpress-comments.html")
    comments = _comments(doc)
    assert len(comments) == 3  # two threads and one nested reply, each once
    assert comments[0].startswith("1. Farid K. says:") and "shooting lasted almost an hour" in comments[0]
    assert comments[1].startswith("2. Sana says:") and "Parachinar" in comments[1]
    assert "Parachinar" not in comments[0]  # the reply is not folded into its parent
    assert "My cousin" not in doc.text[: doc.text.index("COMMENTS")]


def test_disqus_like_thread_gives_comments() -> None:
    (doc,) = _items("disqus-comments.html")
    comments = _comments(doc)
    assert [c.split(" says:")[0] for c in comments] == ["1. Farid K. (2019-03-05T09:14:00Z)",
                                                        "2. Sana (2019-03-05T10:02:00Z)"]


def test_a_heading_only_comment_block_gives_no_section() -> None:
    (doc,) = _items("heading-only-comments.html")
    assert [s.name for s in doc.sections if s.name not in ("title", "body")] == []
    text = read_text("Militants attacked a police post in Kurram on Tuesday, killing three officers.\n\n"
                     "The attackers fled into the hills.\n\nComments\n\nSources\n", path="x")
    assert [s.name for s in text.sections] == ["body"]


def test_a_warc_gzipped_whole_is_read_and_a_cut_one_is_truncated(tmp_path: Path) -> None:
    whole = tmp_path / "wget.warc.gz"  # `gzip wget.warc`: one gzip member, which warcio refuses
    data = gzip.compress((HOSTILE / "wget.warc").read_bytes())
    whole.write_bytes(data)
    (doc,) = Reader().read([str(whole)])
    assert isinstance(doc, Document) and doc.source.url == "https://sahel.example.net/2019/03/gao-market"
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) // 2])
    items = list(Reader().read([str(cut)]))
    assert [getattr(i, "reason", None) for i in items][-1] == "truncated"
