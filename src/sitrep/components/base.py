"""What every component shares: a default `pipe` and access to the spaCy parse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc as SpacyDoc

from sitrep.document import Document


class BaseComponent:
    """Default batching: call the component on each document in turn."""

    name: str = ""

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - abstract
        raise NotImplementedError

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


def parsed(doc: Document) -> SpacyDoc:
    """The spaCy parse the sentences component attached; a clear error when it is missing."""
    sdoc = doc.ext.get("spacy")
    if sdoc is None:
        raise RuntimeError("this component needs the 'sentences' component to run first")
    return sdoc
