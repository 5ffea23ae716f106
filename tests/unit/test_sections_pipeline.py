"""End to end: a long article followed by a reader-comment thread with no heading and no "says:"
lines. The thread is recognised by its structure and none of its violent claims become events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitrep.ingest import read_text
from sitrep.record import records

ARTICLE = (Path(__file__).parents[1] / "fixtures" / "ingest" / "sections_pipeline_thread.txt").read_text(
    encoding="utf-8")


def test_unmarked_comment_thread_gives_no_events(pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = read_text(ARTICLE, title="Aleppo supply road cut as Geneva talks stall", published=date(2016, 2, 4))
    comments = [s for s in doc.sections if s.name == "comment"]
    assert comments, [(s.name, doc.span_text(s.span)[:30]) for s in doc.sections]
    thread_start = doc.text.index("1. Rami Saleh")
    assert min(s.span.start for s in comments) <= thread_start
    assert doc.section_at(doc.text.index("Opposition delegates said")) == "body"
    doc = pipeline(doc)
    out = records(doc)
    assert out, "the article's own reporting gives events"
    assert all(r["evidence"]["section"] in ("title", "body") for r in out)
    assert all(r["evidence"]["start"] < thread_start for r in out)
    assert not [e for e in doc.events if e.sentence.start >= thread_start]


def test_no_event_comes_from_a_non_article_section_of_any_fixture(pipeline) -> None:  # type: ignore[no-untyped-def]
    """Across every layout of tests/fixtures/ingest/sections, events come from the title and body only,
    and the body's own reporting still gives events (the sections did not swallow the article)."""
    folder = Path(__file__).parents[1] / "fixtures" / "ingest" / "sections"
    with_events = 0
    for path in sorted(folder.glob("*.txt")):
        doc = pipeline(read_text(path.read_text(encoding="utf-8")))
        assert all(doc.section_at(e.trigger.start) in ("title", "body") for e in doc.events), path.name
        with_events += bool(doc.events)
    assert with_events >= len(list(folder.glob("*.txt"))) - 2
