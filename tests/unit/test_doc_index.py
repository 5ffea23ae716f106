"""nlp.index_doc answers sentences and noun chunks from one computation, with spaCy's own answers.

The rule stages ask a parsed Doc for its sentences and noun chunks again and again; the index
must never change what they get, only how often it is computed. Each check compares against a
fresh parse of the same text without the index.
"""

from __future__ import annotations

import pickle

from sitrep.components.sentences import _nlp
from sitrep.nlp import index_doc

TEXT = (
    "Rebel fighters shelled the town of Marib on Tuesday, local officials said.\n\n"
    "Two civilians were killed and three soldiers were wounded. A spokesman for the "
    "coalition denied that its aircraft had struck the market.\n\n"
    "Police in Nairobi dispersed a protest with tear gas"
)


def _pair():  # type: ignore[no-untyped-def]
    nlp = _nlp()
    return nlp(TEXT), index_doc(nlp(TEXT))


def test_sentences_are_the_parsers() -> None:
    plain, indexed = _pair()
    assert "sents" in indexed.user_hooks
    assert [(s.start, s.end) for s in indexed.sents] == [(s.start, s.end) for s in plain.sents]
    assert len(list(indexed.sents)) >= 4
    for token in indexed:  # Token.sent and Span.sent through the bisect hook
        want = plain[token.i].sent
        assert (token.sent.start, token.sent.end) == (want.start, want.end)
    span, want = indexed[3:12], plain[3:12]
    assert [(s.start, s.end) for s in span.sents] == [(s.start, s.end) for s in want.sents]


def test_noun_chunks_are_the_languages_and_computed_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plain, indexed = _pair()
    want = [(c.start, c.end, c.label_) for c in plain.noun_chunks]
    assert [(c.start, c.end, c.label_) for c in indexed.noun_chunks] == want
    sent = list(indexed.sents)[1]
    assert [(c.start, c.end) for c in sent.noun_chunks] == [
        (c.start, c.end) for c in list(plain.sents)[1].noun_chunks]
    memo = indexed.noun_chunks_iterator
    calls = []
    original = memo._iterator
    monkeypatch.setattr(memo, "_iterator", lambda d: calls.append(d) or original(d))
    for _ in range(3):
        list(indexed.noun_chunks)
    assert calls == []  # the first answer is kept


def test_a_copy_and_an_unpickled_doc_get_their_own_answers() -> None:
    plain, indexed = _pair()
    second = list(plain.sents)[1]
    copy = indexed[second.start : second.end].as_doc()  # shares the hooks dict with `indexed`
    assert [(s.start, s.end) for s in copy.sents] == [(0, len(copy))]
    assert [c.text for c in copy.noun_chunks] == [c.text for c in second.noun_chunks]
    back = pickle.loads(pickle.dumps(indexed))
    assert [(s.start, s.end) for s in back.sents] == [(s.start, s.end) for s in plain.sents]
    assert [(s.text) for s in back.sents][0] == list(plain.sents)[0].text


def test_noun_chunks_helper_gives_spacys_chunks_per_span() -> None:
    from sitrep.nlp import noun_chunks

    plain, indexed = _pair()
    assert [(c.start, c.end, c.label_) for c in noun_chunks(indexed)] == [
        (c.start, c.end, c.label_) for c in plain.noun_chunks]
    for sent, want in zip(indexed.sents, plain.sents, strict=True):
        assert [(c.start, c.end) for c in noun_chunks(sent)] == [(c.start, c.end) for c in want.noun_chunks]
    assert noun_chunks(indexed) is not noun_chunks(indexed)  # a fresh list: a caller may extend it
    assert [c.text for c in noun_chunks(indexed[0:8])] == ["Rebel fighters", "the town", "Marib"]
