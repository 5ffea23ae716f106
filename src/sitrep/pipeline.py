"""`Pipeline`: ordered components over `Document`s, built from a config.

Every component is a callable `component(doc) -> doc` that annotates in place, with a
`pipe(docs)` for batches (the unit a multiprocessing or Dask runner distributes). The order
and each component's settings come from `default_config.toml`, merged with a user's config.
"""

from __future__ import annotations

import inspect
import itertools
import tomllib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from sitrep.document import Document, Source
from sitrep.knowledge.bundle import Knowledge


class Component(Protocol):
    """What the pipeline needs of a stage."""

    name: str

    def __call__(self, doc: Document) -> Document: ...

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]: ...


Factory = Callable[..., Component]
_REGISTRY: dict[str, str] = {
    # name -> "module:Class"; imported lazily so building a pipeline pays only for what it uses
    "sentences": "sitrep.components.sentences:SentenceSplitter",
    "places": "sitrep.components.places:PlaceRecognizer",
    "actors": "sitrep.components.actors:ActorRecognizer",
    "dates": "sitrep.components.dates:DateResolver",
    "figures": "sitrep.components.figures:FigureExtractor",
    "events": "sitrep.components.events:EventExtractor",
    "claims": "sitrep.components.claims:ClaimAttributor",
    "acled": "sitrep.components.acled:AcledCoder",
    "acled_model": "sitrep.components.acled_model:AcledModel",
    "narrative": "sitrep.components.narrative:NarrativeLinker",
    "roles": "sitrep.components.roles:RoleFiller",
}


def registered_components() -> list[str]:
    return sorted(_REGISTRY)


def _factory(name: str) -> Factory:
    try:
        target = _REGISTRY[name]
    except KeyError as err:
        raise ValueError(f"unknown pipeline component {name!r}; known: {', '.join(sorted(_REGISTRY))}") from err
    module_name, _, attr = target.partition(":")
    module = __import__(module_name, fromlist=[attr])
    return getattr(module, attr)


def default_config() -> dict[str, Any]:
    text = (resources.files("sitrep") / "default_config.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def merge_config(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `override` over `base` (tables merge, values replace)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_config(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(path: str | Path | None = None) -> dict[str, Any]:
    config = default_config()
    if path:
        with open(path, "rb") as fh:
            config = merge_config(config, tomllib.load(fh))
    return config


class Pipeline:
    """Ordered components; `pipeline(text_or_doc)` runs them all and returns the Document.

    `knowledge` is what the components look things up in (knowledge/bundle.py): loaded once from the
    config and given to every component that takes a `knowledge` argument, so they all read the
    same actors and gazetteer, the user's extra files included."""

    def __init__(self, components: list[Component], config: dict[str, Any] | None = None,
                 knowledge: Knowledge | None = None) -> None:
        self.components = components
        self.config = config or {}
        self.knowledge = knowledge or Knowledge.from_config(self.config)

    @classmethod
    def from_config(cls, config: dict[str, Any] | None = None) -> Pipeline:
        config = config or default_config()
        knowledge = Knowledge.from_config(config)
        names = config.get("pipeline", {}).get("components", [])
        components = []
        for name in names:
            settings = dict(config.get("components", {}).get(name, {}))
            factory = _factory(name)
            if "knowledge" in inspect.signature(factory).parameters:
                settings["knowledge"] = knowledge
            component = factory(**settings)
            component.name = name
            components.append(component)
        return cls(components, config, knowledge)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def make_doc(self, text: str, *, published: date | None = None, **source: Any) -> Document:
        return Document(text=text, source=Source(published=published, **source))

    def __call__(self, doc: Document | str, *, published: date | None = None) -> Document:
        if isinstance(doc, str):
            doc = self.make_doc(doc, published=published)
        for component in self.components:
            result = component(doc)
            if not isinstance(result, Document):
                raise TypeError(f"component {component.name!r} returned {type(result).__name__}, not Document")
            doc = result
        return doc

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        """Stream documents through every component's own batched `pipe`."""
        stream: Iterable[Document] = docs
        for component in self.components:
            stream = component.pipe(stream, batch_size=batch_size)
        yield from stream


class LazyPipeline:
    """A Pipeline built on first use: `ingest` of inputs that are all stored already (a second
    `make demo`) then never loads the spaCy model and the knowledge, which is most of its time.
    `config` is there from the start (the runner reads its resolve settings)."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = config or default_config()
        self._pipeline: Pipeline | None = None
        # a misspelt component fails now, not at the first document (imports wait for first use)
        for name in self.config.get("pipeline", {}).get("components", []):
            if name not in _REGISTRY:
                _factory(name)

    @property
    def loaded(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline.from_config(self.config)
        return self._pipeline

    def __call__(self, doc: Document | str, *, published: date | None = None) -> Document:
        return self.loaded(doc, published=published)

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        stream = iter(docs)
        first = next(stream, None)
        if first is None:  # nothing to extract: nothing loaded
            return iter(())
        return self.loaded.pipe(itertools.chain([first], stream), batch_size=batch_size)


def load(config_path: str | Path | None = None) -> Pipeline:
    """The public entry point: `sitrep.load()(text, published=date(2016, 2, 8))`."""
    return Pipeline.from_config(load_config(config_path))
