"""The Pipeline contract: built from config, components in order, `pipe` equals calling."""

from datetime import date

import pytest

from sitrep.document import Document
from sitrep.pipeline import Pipeline, default_config, merge_config, registered_components


def test_default_config_names_only_registered_components() -> None:
    names = default_config()["pipeline"]["components"]
    assert names and set(names) <= set(registered_components())


def test_unknown_component_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown pipeline component 'nope'"):
        Pipeline.from_config({"pipeline": {"components": ["nope"]}})


def test_component_must_return_a_document() -> None:
    class Broken:
        name = "broken"

        def __call__(self, doc: Document) -> Document:
            return "not a doc"  # type: ignore[return-value]

    with pytest.raises(TypeError, match="broken"):
        Pipeline([Broken()])("text")  # type: ignore[list-item]


def test_merge_config_merges_tables_and_replaces_values() -> None:
    merged = merge_config({"a": {"x": 1, "y": 2}, "b": [1]}, {"a": {"y": 3}, "b": [2]})
    assert merged == {"a": {"x": 1, "y": 3}, "b": [2]}


def test_sentences_only_pipeline_sets_sentences() -> None:
    pipeline = Pipeline.from_config({"pipeline": {"components": ["sentences"]}})
    doc = pipeline("Headline without a stop\n\nFirst sentence here. Second one.")
    texts = [doc.text[s.start : s.end] for s in doc.sentences]
    assert texts == ["Headline without a stop", "First sentence here.", "Second one."]


def test_pipe_gives_the_same_events_as_calling(pipeline: Pipeline) -> None:
    texts = ["Rebels shelled Aleppo on Monday, killing 4 civilians.", "Talks will open in Geneva next week."]
    called = [pipeline(t, published=date(2016, 2, 8)) for t in texts]
    piped = list(pipeline.pipe(pipeline.make_doc(t, published=date(2016, 2, 8)) for t in texts))
    assert [[e.event_type for e in d.events] for d in called] == [[e.event_type for e in d.events] for d in piped]
    assert all(d.events for d in piped)
