"""Plain-text section detection: comment threads, reference lists and comment-form chrome."""

from sitrep.ingest import read_text

PAGE = """---
title: A test opinion page
published: 2016-02-08
---
Government forces pressed on north of the city.

2 COMMENTS

1. Sam says:
Rebels shelled my street yesterday, whatever the papers say.

2. Kim says:
Nonsense, read the real news.

LEAVE A REPLY
Please enter your comment!
Please enter your name here
"""

ANALYSIS = """Russia began to pull its carrier group out of Syrian waters.

Sources

1. CNN, "A headline we wrote", accessed 5 January 2017.
2. BBC News, "Another one", accessed 6 January 2017.
"""


def test_comment_thread_becomes_numbered_comment_sections() -> None:
    doc = read_text(PAGE)
    names = [(s.name, s.label) for s in doc.sections]
    assert names[:2] == [("title", None), ("body", None)]
    assert ("comment", "1") in names and ("comment", "2") in names
    comment_start = doc.text.index("Rebels shelled my street")
    assert doc.section_at(comment_start) == "comment"


def test_comment_form_chrome_is_dropped() -> None:
    doc = read_text(PAGE)
    assert "Please enter your comment" not in doc.text
    assert "LEAVE A REPLY" not in doc.text


def test_reference_list_is_its_own_section() -> None:
    doc = read_text(ANALYSIS)
    assert doc.section_at(doc.text.index("CNN")) == "reference"
    assert doc.section_at(doc.text.index("carrier")) == "body"


def test_front_matter_fills_the_source() -> None:
    doc = read_text(PAGE)
    assert doc.source.title == "A test opinion page"
    assert doc.source.published.isoformat() == "2016-02-08"
    assert doc.text.startswith("A test opinion page\n\n")
