"""The role filler (components/roles.py): candidates from the parse, the model's decisions, the record fields.

Sentences are written for these tests (wire-report shapes, some in capitals as 1990s agency copy
arrives); the shipped model is trained on MUC-4's train split (`sitrep train muc4`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from sitrep.components.roles import (
    NONE,
    RoleModel,
    candidates,
    default_model_path,
    lexicon,
    load_model,
    select,
)
from sitrep.pipeline import load
from sitrep.record import records

DATA = Path(__file__).parents[2] / "src/sitrep/data"


@pytest.fixture(scope="module")
def pipeline():  # type: ignore[no-untyped-def]
    return load()


def _violent(recs: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [r for r in recs if r["event_type"] == "ASSAULT"]


def _texts(recs: list[dict], key: str) -> set[str]:  # type: ignore[type-arg]
    return {f["text"].lower() for r in recs for f in r[key]}


def test_roles_yaml_matches_its_schema() -> None:
    data = yaml.safe_load((DATA / "roles.yaml").read_text(encoding="utf-8"))
    schema = json.loads((DATA / "schemas/roles.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"heads": {**data["heads"], "weapon": ["Car Bomb"]}}, schema)
    assert "dynamite" in lexicon()["weapon"]


def test_candidates_include_of_phrases_and_stripped_chunks(pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = pipeline("Three members of the national police were wounded when the rebels fired on the station.")
    sdoc = doc.ext["spacy"]
    texts = {sdoc[c.start : c.end].text.lower() for s in sdoc.sents for c in candidates(s)}
    assert {"three members of the national police", "members of the national police", "the rebels",
            "rebels", "the station"} <= texts


def test_select_keeps_the_best_of_overlapping_phrases() -> None:
    picks = [("PerpInd", 0.6, 0, 2), ("PerpInd", 0.8, 1, 2), ("Weapon", 0.7, 5, 7), ("Target", 0.4, 5, 7),
             ("Target", 0.9, 9, 10)]
    assert select(picks) == [("PerpInd", 0.8, 1, 2), ("Weapon", 0.7, 5, 7), ("Target", 0.9, 9, 10)]


def test_model_thresholds_and_json_round_trip(tmp_path: Path) -> None:
    model = RoleModel([NONE, "Weapon", "Victim"], {"head=bomb": [0.0, 3.0, 0.0], "ent=PERSON": [0.0, 0.0, 2.0]},
                      [1.0, 0.0, 0.0], {"Weapon": 0.5, "Victim": 0.9}, {})
    assert model.label(["head=bomb"])[0] == "Weapon"
    assert model.label(["ent=PERSON"])[0] == NONE  # p(Victim) about 0.67 < 0.9
    assert model.label([])[0] == NONE
    path = tmp_path / "m.json"
    model.save(path)
    again = load_model(str(path))
    assert again is not None and again.label(["head=bomb"]) == model.label(["head=bomb"])
    with pytest.raises(ValueError, match="format"):
        RoleModel.from_json({"format": "other"})


def test_shipped_model_is_present_and_says_how_it_was_trained() -> None:
    model = load_model(str(default_model_path()))
    assert model is not None
    assert model.meta["split"] == "train" and set(model.thresholds) == {"PerpInd", "PerpOrg", "Target", "Victim",
                                                                         "Weapon"}


def test_bombing_of_pylons_gives_weapon_target_and_perpetrator(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Urban guerrillas blew up two electricity pylons with dynamite in the outskirts of Lima on Monday, "
            "leaving several districts without power, police said.")
    recs = _violent(records(pipeline(text, published=date(1990, 3, 6))))
    assert recs
    assert "dynamite" in _texts(recs, "weapons")
    assert any("pylons" in t for t in _texts(recs, "targets"))
    assert any("guerrillas" in t for t in _texts(recs, "perpetrators"))
    assert not any("dynamite" in t for t in _texts(recs, "targets") | _texts(recs, "victims"))


def test_wire_copy_in_capitals_names_the_victim(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("SAN SALVADOR, 12 APR 89 -- A GROUP OF HEAVILY ARMED MEN SHOT AND KILLED LABOR LEADER\n"
            "JUAN CARLOS MENDEZ AS HE LEFT HIS HOME IN THE CAPITAL THIS MORNING, THE POLICE\n"
            "REPORTED.\n")
    recs = _violent(records(pipeline(text, published=date(1989, 4, 12))))
    assert recs
    assert any("juan carlos mendez" in t for t in _texts(recs, "victims"))
    assert not any("mendez" in t for t in _texts(recs, "perpetrators"))


def test_perpetrator_kinds_and_record_shape(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("The Farabundo Marti National Liberation Front attacked an army garrison in Usulutan with mortars "
            "on Sunday night.")
    recs = _violent(records(pipeline(text, published=date(1989, 11, 13))))
    assert recs
    for key in ("perpetrators", "victims", "targets", "weapons"):
        for filler in recs[0][key]:
            assert text[filler["start"] : filler["end"]] == filler["text"]
            assert 0 < filler["score"] <= 1
    kinds = {f["text"].lower(): f.get("kind") for r in recs for f in r["perpetrators"]}
    assert kinds.get("farabundo marti national liberation front") == "organization"
    assert "mortars" in _texts(recs, "weapons")


def test_no_model_falls_back_to_the_lexicon(tmp_path: Path) -> None:
    from sitrep.pipeline import Pipeline, default_config

    config = default_config()
    config["components"]["roles"] = {"path": str(tmp_path / "missing.json")}
    nlp = Pipeline.from_config(config)
    recs = _violent(records(nlp("Gunmen attacked a bus with grenades near the border on Friday.",
                                published=date(1990, 1, 5))))
    assert recs and "grenades" in _texts(recs, "weapons")


def test_trainer_learns_labels_and_thresholds_from_rows() -> None:
    """fit / choose_thresholds / score on rows written here: a weapon head and a named person."""
    from sitrep.adapt.roles_train import DocRows, Row, label_of, score, train_roles

    gold = {"PerpInd": [], "PerpOrg": [], "Target": [], "Victim": [("ana ruiz",)], "Weapon": [("grenade",)]}
    assert label_of("The Grenade", gold) == "Weapon" and label_of("a grenade launcher", gold) == NONE
    docs = []
    for k in range(30):
        rows = [Row(["head=grenade", "dep=dobj"], "grenade", 0, 1, "Weapon"),
                Row(["ent=PERSON", "dep=dobj"], "ana ruiz", 2, 4, "Victim"),
                Row(["head=day", "dep=npadvmod"], "monday", 5, 6, NONE),
                Row(["head=police", "dep=nsubj"], "police", 7, 8, NONE if k % 3 else "PerpOrg")]
        docs.append(DocRows(f"d{k}", gold, [rows]))
    model, report = train_roles("unused", docs=docs)
    assert report["documents"] == 30 and report["validation_documents"] == 6
    assert model.label(["head=grenade", "dep=dobj"])[0] == "Weapon"
    assert model.label(["head=day", "dep=npadvmod"])[0] == NONE
    counts = score(docs[:3], model)
    assert counts["Weapon"] == {"pred": 3, "gold": 3, "hits": 3}
    with pytest.raises(ValueError, match="at least 10"):
        train_roles("unused", docs=docs[:5])
