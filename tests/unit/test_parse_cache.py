"""The optional parse cache gives back exactly the parse it stored, and only when asked for."""

from __future__ import annotations

from sitrep.components.sentences import SentenceSplitter
from sitrep.document import Document
from sitrep.parse_cache import ENV

TEXTS = [
    "Rebel fighters shelled the town of Marib on Tuesday, local officials said.\n\nTwo civilians were killed.",
    "Police in Nairobi dispersed a protest with tear gas.",
]


def _signature(doc: Document) -> list[tuple]:
    sdoc = doc.ext["spacy"]
    return ([(t.text, t.lemma_, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in sdoc]
            + [(s.start, s.end) for s in doc.sentences])


def test_cached_parse_is_identical_and_skips_the_parser(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV, str(tmp_path / "parses.sqlite"))
    splitter = SentenceSplitter()
    first = [_signature(d) for d in splitter.pipe([Document(text=t) for t in TEXTS])]
    assert (tmp_path / "parses.sqlite").exists()

    import spacy.language

    def refuse(*args, **kwargs):  # a second run must not parse at all
        raise AssertionError("parsed although the cache holds these texts")

    monkeypatch.setattr(spacy.language.Language, "pipe", refuse)
    second = [_signature(d) for d in splitter.pipe([Document(text=t) for t in TEXTS])]
    assert second == first


def test_no_cache_file_unless_asked(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    SentenceSplitter()(Document(text=TEXTS[1]))
    assert list(tmp_path.iterdir()) == []


def test_a_change_to_sitreps_own_pipe_code_invalidates_the_cache(monkeypatch) -> None:
    """The key covers the source of sitrep's pipes in the spaCy pipeline (the paragraph breaks):
    parses cached under older code are not reused (a stale cache once changed the sample's events)."""
    import inspect

    from sitrep.components.sentences import _nlp
    from sitrep.parse_cache import _code_salt

    nlp = _nlp()
    before = _code_salt(nlp)
    real = inspect.getsource

    def edited(obj):  # type: ignore[no-untyped-def]
        source = real(obj)
        return source + "\n# edited\n" if getattr(obj, "__name__", "") == "sitrep.components.sentences" else source

    monkeypatch.setattr(inspect, "getsource", edited)
    assert _code_salt(nlp) != before
