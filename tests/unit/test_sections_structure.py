"""Sections recognised by structure in plain text with no headings: each fixture under
tests/fixtures/ingest/sections/ goes through the real ingest path (read_text) and every
paragraph listed in its `.labels.yaml` must land in the section named there ("chrome" also when
ingest dropped the line, as it drops comment-form and share-button lines)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from sitrep.ingest import read_text
from sitrep.ingest.html import read_html

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest" / "sections"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def predicted(doc_text: str, section_at, snippet: str) -> str:  # type: ignore[no-untyped-def]
    """The section of the paragraph holding `snippet`; "chrome" for a line ingest dropped."""
    at = doc_text.find(snippet)
    return "chrome" if at < 0 else section_at(at)


def labelled(name: str) -> list[tuple[str, str, str]]:
    """(snippet, expected, predicted) for each paragraph of one fixture."""
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    expected = yaml.safe_load((FIXTURES / f"{name}.labels.yaml").read_text(encoding="utf-8"))
    doc = read_text(text)
    return [(snippet, label, predicted(doc.text, doc.section_at, snippet)) for snippet, label in expected]


def test_there_are_at_least_twelve_layouts() -> None:
    assert len(CASES) >= 12
    for name in CASES:
        assert (FIXTURES / f"{name}.labels.yaml").exists(), name


@pytest.mark.parametrize("name", CASES)
def test_paragraph_labels(name: str) -> None:
    wrong = [(s, e, p) for s, e, p in labelled(name) if e != p]
    assert not wrong, wrong


def test_snippets_are_in_their_fixture() -> None:
    """A snippet that is not in its fixture would pass as "dropped chrome" without testing anything."""
    for name in CASES:
        text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
        for snippet, _ in yaml.safe_load((FIXTURES / f"{name}.labels.yaml").read_text(encoding="utf-8")):
            assert snippet in text, (name, snippet)


def test_reference_list_without_heading_yields_citations() -> None:
    doc = read_text((FIXTURES / "05_mla_list.txt").read_text(encoding="utf-8"))
    citations = doc.ext["citations"]
    assert len(citations) == 3
    assert citations[0].title == "Russia Says It Will Scale Back Its Forces in Syria"
    assert citations[0].accessed == date(2017, 1, 8)


def test_top_byline_becomes_the_author() -> None:
    doc = read_text((FIXTURES / "12_captions_bylines.txt").read_text(encoding="utf-8"))
    assert doc.ext["author"] == "Lina Sayed and Mark Olsen"


HTML_PAGE = """<!doctype html><html><head><title>Shelling near Donetsk airport</title></head><body>
<article><h1>Shelling near Donetsk airport</h1>
<p>Heavy shelling resumed around the ruined airport of Donetsk on Thursday, with both Ukrainian forces and
separatists reporting casualties after a week of relative calm along the front line.</p>
<p>A spokesman for the Ukrainian military said two soldiers had been killed overnight and four wounded in
the fighting near the airport terminal, which has changed hands several times.</p>
<p>Separatist officials said Ukrainian artillery had hit a residential district of the city, killing one
civilian, a claim the Ukrainian side denied.</p>
<p>1. Marta Lis: How long will the ceasefire on paper last? Nobody believes in it any more, do you?</p>
<p>2. Ivan P.: Marta, it never existed. Look at the map before you write.</p>
<p>3. Olek: Ivan, you are right, and the article should say so!</p>
</article></body></html>"""


def test_html_thread_without_comment_markup_is_comments() -> None:
    """Trafilatura keeps an unmarked thread as article text; the plain-text pass must catch it."""
    doc = read_html(HTML_PAGE, path="page.html")
    assert not isinstance(doc, type(None))
    assert doc.section_at(doc.text.index("Heavy shelling")) == "body"
    assert doc.section_at(doc.text.index("Marta Lis")) == "comment"
    assert doc.section_at(doc.text.index("Olek")) == "comment"
