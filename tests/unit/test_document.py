"""The core model: spans, ids, sections and the plain-JSON round trip."""

from datetime import date

import pytest

from sitrep.document import Document, Section, Source, Span, fingerprint, make_doc_id


def test_span_rejects_inverted_range() -> None:
    with pytest.raises(ValueError):
        Span(5, 2)


@pytest.mark.parametrize(("a", "b", "overlaps"), [((0, 5), (4, 9), True), ((0, 5), (5, 9), False)])
def test_span_overlap_is_half_open(a: tuple[int, int], b: tuple[int, int], overlaps: bool) -> None:
    assert Span(*a).overlaps(Span(*b)) is overlaps


def test_doc_id_ignores_whitespace_and_case_but_not_url() -> None:
    assert make_doc_id("Shelling  in Douma.\n") == make_doc_id("shelling in douma.")
    assert make_doc_id("Shelling in Douma.", "https://example.org/a") != make_doc_id("Shelling in Douma.")
    assert fingerprint("A  b") == fingerprint("a b")


def test_document_defaults_to_one_body_section() -> None:
    doc = Document("Rebels shelled the city.")
    assert [s.name for s in doc.sections] == ["body"]
    assert doc.section_at(3) == "body"


def test_document_round_trips_through_dict() -> None:
    doc = Document(
        "Title\n\nBody text.",
        source=Source(url="https://example.org/x", title="Title", published=date(2016, 2, 8)),
        sections=[Section("title", Span(0, 5)), Section("body", Span(7, 17))],
    )
    again = Document.from_dict(doc.to_dict())
    assert again.id == doc.id
    assert again.source.published == date(2016, 2, 8)
    assert again.sections == doc.sections
    assert again.section_at(8) == "body" and again.section_at(1) == "title"
