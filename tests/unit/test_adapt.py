"""The trained ACLED corrector: features, fitting, the JSON model, and the pipeline component applying it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from sitrep.adapt.features import event_features, masked_text, ngrams, structured
from sitrep.adapt.model import SubtypeModel, load_model
from sitrep.adapt.train import Note, Unit, corrected, cross_validate, fit
from sitrep.components.acled_model import AcledModel
from sitrep.document import Document, Event, Mention, Span

TEXT = ("Gunmen opened fire on a bus near Marsabit on Tuesday, killing three passengers. "
        "Police said the attackers fled. [size=no report]")
EVENT_TYPES = {"Attack": "Violence against civilians", "Armed clash": "Battles", "Peaceful protest": "Protests"}


def _doc(acled_sub: str = "Armed clash", acled_type: str = "Battles") -> Document:
    doc = Document(text=TEXT)
    first = Span(0, TEXT.index("Police") - 1)
    second = Span(TEXT.index("Police"), len(TEXT))
    doc.sentences = [first, second]
    start = TEXT.index("Marsabit")
    doc.mentions = [Mention("PLACE", Span(start, start + len("Marsabit")), "Marsabit"),
                    Mention("DATE", Span(TEXT.index("Tuesday"), TEXT.index("Tuesday") + 7), "Tuesday")]
    trigger = TEXT.index("opened fire")
    doc.events = [Event("ASSAULT", Span(trigger, trigger + 11), first, mode="firearms", trigger_text="opened fire",
                        actors=[{"sector": "UAF", "acled_inter": 3}],
                        recipients=[{"sector": "CVL", "acled_inter": 7}],
                        acled={"event_type": acled_type, "sub_event_type": acled_sub})]
    return doc


def _unit(rule: str, words: list[str], start: int = 0) -> Unit:
    features = {f"rule={rule}": 1.0, **{f"w:{w}": 1.0 / len(words) ** 0.5 for w in words}}
    return Unit(start, start, "asserted", {"event_type": EVENT_TYPES[rule], "sub_event_type": rule}, features)


def _notes() -> list[Note]:
    """The rules say 'Armed clash' for every shooting; the rows say civilians were attacked when they were."""
    notes = []
    for i in range(30):
        notes.append(Note(i % 2, "Attack", [_unit("Armed clash", ["gunmen", "passengers", "killed"])]))
        notes.append(Note(i % 2, "Armed clash", [_unit("Armed clash", ["soldiers", "militants", "exchanged"])]))
        notes.append(Note(i % 2, "Peaceful protest", [_unit("Peaceful protest", ["marched", "traders"])]))
    return notes


def test_coder_notes_and_numbers_are_not_vocabulary() -> None:
    grams = ngrams("3 killed [size=no report] in 2019 by 12 gunmen", 2)
    assert "size" not in grams and "report" not in grams
    assert not any(ch.isdigit() for g in grams for ch in g)
    assert "killed in" in grams and "by gunmen" in grams


def test_places_and_dates_are_masked_out_of_the_words() -> None:
    doc = _doc()
    text = masked_text(doc, doc.sentences[0])
    assert "Marsabit" not in text and "Tuesday" not in text
    assert "xplace" in text and "xdate" in text
    features = event_features(doc, doc.events[0])
    assert "w:marsabit" not in features and "w:near xplace" in features
    assert "w:attackers" in features  # the next sentence is part of the context the rules read


def test_structured_features_carry_the_rules_verdict() -> None:
    doc = _doc()
    names = structured(doc, doc.events[0])
    assert "rule=Armed clash" in names and "rule_type=Battles" in names
    assert "mode=ASSAULT/firearms" in names and "recipient_inter=7" in names
    assert "rule=Armed clash|recipient_inter=7" in names


def test_fit_learns_when_to_override_the_rules() -> None:
    model = fit(_notes(), EVENT_TYPES, c=10.0)
    attack = _unit("Armed clash", ["gunmen", "passengers", "killed"]).features
    clash = _unit("Armed clash", ["soldiers", "militants", "exchanged"]).features
    assert model.predict(attack)[0] == "Attack"
    assert model.correct(attack, "Armed clash", threshold=0.5) == ("Violence against civilians", "Attack")
    assert model.correct(clash, "Armed clash", threshold=0.5) is None  # it agrees with the rules
    assert model.correct(attack, "Armed clash", threshold=0.999) is None  # not confident enough


def test_corrected_reads_the_lead_event_after_correction() -> None:
    model = fit(_notes(), EVENT_TYPES, c=10.0)
    note = Note(0, "Attack", [_unit("Armed clash", ["gunmen", "passengers", "killed"], start=0),
                              _unit("Peaceful protest", ["marched", "traders"], start=50)])
    assert corrected(note, model, 1.1, 0.0) == "Armed clash"  # threshold above 1: the rules alone
    assert corrected(note, model, 0.5, 0.0) == "Attack"
    assert corrected(Note(0, "Attack", []), model, 0.5, 0.0) == "none"


def test_cross_validation_holds_out_each_file() -> None:
    report = cross_validate(_notes(), EVENT_TYPES, c=10.0)
    assert report["scheme"] == "leave-one-file-out"
    assert [h["source"] for h in report["held_out"]] == [0, 1]
    for held in report["held_out"]:
        assert held["rules_wf1"] < held["model_wf1"] == 1.0


def test_json_round_trip_gives_the_same_probabilities(tmp_path: Path) -> None:
    model = fit(_notes(), EVENT_TYPES, c=10.0)
    path = tmp_path / "models" / "acled_subtype.json"
    model.save(path)
    loaded = load_model(str(path))
    assert loaded is not None
    features = _unit("Armed clash", ["gunmen", "passengers"]).features
    assert loaded.probabilities(features) == pytest.approx(model.probabilities(features), abs=1e-3)
    assert sum(loaded.probabilities({"unknown feature": 1.0})) == pytest.approx(1.0)


def test_missing_or_stale_model_means_rules_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert load_model(str(tmp_path / "none.json")) is None
    stale = tmp_path / "old.json"
    stale.write_text(json.dumps({"format": "sitrep-acled-subtype/1"}), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert load_model(str(stale)) is None
    assert "train acled" in caplog.text
    doc = _doc()
    AcledModel(path=str(tmp_path / "none.json"))(doc)
    assert doc.events[0].acled["sub_event_type"] == "Armed clash"


def test_component_overrides_only_where_confident(tmp_path: Path) -> None:
    doc = _doc()
    features = event_features(doc, doc.events[0])
    # a hand-set model: the word "passengers" is strong evidence of an attack on civilians
    weights = {"w:passengers": [0.0, 40.0, 0.0]}
    model = SubtypeModel(["Armed clash", "Attack", "Peaceful protest"], EVENT_TYPES, weights, [0.0, 0.0, 0.0],
                         threshold=0.6, margin=0.2)
    assert model.predict(features)[0] == "Attack"
    path = tmp_path / "confident.json"
    model.save(path)
    AcledModel(path=str(path))(doc)
    assert doc.events[0].acled == {"event_type": "Violence against civilians", "sub_event_type": "Attack"}
    cautious = _doc()
    AcledModel(path=str(path), min_probability=0.99999)(cautious)  # a user may ask for more confidence
    assert cautious.events[0].acled["sub_event_type"] == "Armed clash"
