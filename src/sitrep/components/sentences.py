"""Sentences and the spaCy parse (tokens, lemmas, dependencies, entities) for later stages.

Paragraph and section breaks are sentence boundaries set *before* the parser runs, so a
headline without a full stop never fuses with the first line of the body. The parser reads
`wirecopy.parse_text(doc.text)`: the same text with hard-wrapped lines joined (a wrapping
newline is a space, so it is no break) and paragraphs in capitals truecased, of the same length,
so every offset still points into `doc.text`, which stays the evidence. The parse cache keys on
that parsed text, so a new truecase table never serves a stale parse.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

from sitrep.components.base import BaseComponent
from sitrep.components.cascade import TriggerFlagger, cascade_parse, lemma_exceptions
from sitrep.components.wirecopy import parse_text
from sitrep.document import Document, Span
from sitrep.knowledge.bundle import Knowledge, default_knowledge
from sitrep.nlp import get_nlp, index_doc
from sitrep.parse_cache import parse_cache


@Language.component("sitrep_paragraph_breaks")
def paragraph_breaks(sdoc: SpacyDoc) -> SpacyDoc:
    """Start a sentence after every line break that ends a paragraph or a heading."""
    for token in sdoc[1:]:
        prev = sdoc[token.i - 1]
        if "\n" in prev.whitespace_ or prev.is_space and "\n" in prev.text:
            token.is_sent_start = True
    return sdoc


def _nlp() -> Language:
    nlp = get_nlp()
    if "sitrep_paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("sitrep_paragraph_breaks", before="parser")
    return nlp


class SentenceSplitter(BaseComponent):
    """Runs spaCy once per document; later components read `doc.ext["spacy"]`."""

    def __init__(self, *, batch_size: int = 32, cascade: bool = False, cascade_context: int = 1,
                 knowledge: Knowledge | None = None) -> None:
        self.batch_size = batch_size
        self.cascade = cascade  # opt-in: see components/cascade.py
        self.cascade_context = cascade_context  # rough sentences parsed whole either side of a flagged one
        self.knowledge = knowledge
        self._flagger: TriggerFlagger | None = None

    def _flag(self, nlp: Language) -> TriggerFlagger:
        if self._flagger is None:
            ontology = (self.knowledge or default_knowledge()).ontology
            self._flagger = TriggerFlagger((t.lemmas for t in ontology.triggers), lemma_exceptions(nlp))
        return self._flagger

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        nlp = _nlp()
        it = iter(docs)
        while batch := list(islice(it, batch_size or self.batch_size)):
            texts = [parse_text(d.text) for d in batch]
            # the cascade's partial parses never enter the parse cache, whose entries are whole parses
            if self.cascade:
                sdocs = cascade_parse(nlp, texts, self._flag(nlp), self.cascade_context)
            else:
                sdocs = self._parse(nlp, texts)
            for doc, sdoc in zip(batch, sdocs, strict=True):
                yield self._attach(doc, sdoc)

    @staticmethod
    def _parse(nlp: Language, texts: list[str]) -> list[SpacyDoc]:
        """Parse a batch, reading and filling the optional parse cache (SITREP_PARSE_CACHE)."""
        cache = parse_cache(nlp)
        if cache is None:
            return list(nlp.pipe(texts))
        docs = cache.get_many(texts)
        missing = [i for i, d in enumerate(docs) if d is None]
        if missing:
            fresh = list(nlp.pipe(texts[i] for i in missing))
            cache.put_many([texts[i] for i in missing], fresh)
            for i, sdoc in zip(missing, fresh, strict=True):
                docs[i] = sdoc
        return [d for d in docs if d is not None]

    @staticmethod
    def _attach(doc: Document, sdoc: SpacyDoc) -> Document:
        doc.ext["spacy"] = index_doc(sdoc)  # sentences and noun chunks computed once per Doc
        doc.sentences = []
        for sent in sdoc.sents:
            text = sent.text
            stripped = text.strip()
            if not stripped:
                continue
            start = sent.start_char + (len(text) - len(text.lstrip()))
            doc.sentences.append(Span(start, start + len(stripped)))
        return doc
