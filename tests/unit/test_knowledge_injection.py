"""The pipeline loads its knowledge once and gives it to every component: a user's extra gazetteer
file reaches the place linker of the event layer (geolink), not only the place recogniser.

The hamlet below is invented; it is placed inside Jisr al-Shughur district of Idlib (Idleb, GeoNames
admin1 12), so only the user's file knows it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.components import geolink
from sitrep.components.base import parsed
from sitrep.knowledge.bundle import Knowledge, default_knowledge
from sitrep.pipeline import Pipeline, default_config
from sitrep.record import records

HAMLET = "Khirbet Zaytounat"
HAMLET_YAML = f"""\
- name: {HAMLET}
  aliases: [Khirbat Zaytunat]
  feature: village
  country: SY
  admin1_code: "12"
  lat: 35.86
  lon: 36.28
  geo_precision: 1
  population: null
  source: manual
"""
TEXT = (f"Government forces shelled {HAMLET} village of Jisr al-Shughur district, Idlib province, on Monday, "
        "killing three civilians.")


@pytest.fixture(scope="module")
def hamlet_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gazetteer") / "hamlets.yaml"
    path.write_text(HAMLET_YAML, encoding="utf-8")
    return path


def _pipeline(extra: list[str]) -> Pipeline:
    config = default_config()
    config["components"]["places"]["extra_files"] = extra
    return Pipeline.from_config(config)


@pytest.fixture(scope="module")
def with_hamlet(hamlet_file: Path) -> Pipeline:
    return _pipeline([str(hamlet_file)])


def _locations(pipeline: Pipeline) -> list[dict[str, Any]]:
    return [r["location"] or {} for r in records(pipeline(TEXT, published=date(2016, 2, 8)))
            if r["event_type"] == "ASSAULT"]


def test_every_component_gets_the_pipelines_knowledge(with_hamlet: Pipeline, hamlet_file: Path) -> None:
    by_name = {c.name: c for c in with_hamlet.components}
    knowledge = with_hamlet.knowledge
    assert knowledge.gazetteer_files == (str(hamlet_file.resolve()),)
    for name in ("places", "actors", "events", "claims", "acled"):
        assert by_name[name].knowledge is knowledge, name  # type: ignore[attr-defined]
    # the place linker of the event layer reads the recogniser's gazetteer, the user's file compiled in
    assert by_name["events"].knowledge.gazetteer is by_name["places"].gazetteer  # type: ignore[attr-defined]
    assert knowledge.gazetteer is not default_knowledge().gazetteer
    assert knowledge.gazetteer.candidates(HAMLET)
    assert not default_knowledge().gazetteer.candidates(HAMLET)


def test_a_user_gazetteer_file_geocodes_an_event_at_its_hamlet(with_hamlet: Pipeline) -> None:
    [location] = _locations(with_hamlet)
    assert (location["name"], location["admin1"], location["lat"], location["lon"]) == (HAMLET, "Idleb", 35.86, 36.28)


def test_without_the_file_the_event_is_not_at_the_hamlet() -> None:
    for location in _locations(_pipeline([])):
        assert location.get("name") != HAMLET
        assert (location.get("lat"), location.get("lon")) != (35.86, 36.28)


def _framed_with(pipeline: Pipeline, knowledge: Knowledge) -> dict[str, Any] | None:
    """geolink._framed on the pipeline's reading of TEXT, the hamlet taken for a namesake in another
    province (as when the recogniser matched a village elsewhere): the frame ("village of Jisr
    al-Shughur district, Idlib province") sends it back to the one inside Idlib, if the gazetteer
    the linker reads has it."""
    doc = pipeline(TEXT, published=date(2016, 2, 8))
    places = [m for m in doc.mentions if m.kind == "PLACE" and m.norm.get("location")]
    [hamlet] = [m for m in places if m.text == HAMLET]
    elsewhere = {**hamlet.norm["location"], "admin1": "Aleppo", "admin1_pcode": "SY02", "geonameid": None,
                 "lat": 36.2, "lon": 37.1}
    chosen = replace(hamlet, norm={**hamlet.norm, "location": elsewhere})
    mentions = [chosen if m is hamlet else m for m in doc.mentions]
    framing = [chosen if m is hamlet else m for m in places]
    return geolink._framed(parsed(doc), chosen, mentions, framing, knowledge.gazetteer)


def test_the_framed_place_linker_reads_the_users_gazetteer(with_hamlet: Pipeline) -> None:
    framed = _framed_with(with_hamlet, with_hamlet.knowledge)
    assert framed is not None
    assert (framed["name"], framed["admin1"], framed["lat"], framed["lon"]) == (HAMLET, "Idleb", 35.86, 36.28)
    # the shipped gazetteer alone (what geolink read before) does not know the hamlet: the event
    # falls back to a framing place, not the hamlet
    fallback = _framed_with(with_hamlet, default_knowledge())
    assert fallback is not None and fallback["name"] != HAMLET and fallback["admin1"] == "Idleb"


def test_a_component_built_alone_uses_the_shipped_knowledge() -> None:
    from sitrep.components.events import EventExtractor
    from sitrep.components.places import PlaceRecognizer

    assert EventExtractor().knowledge is default_knowledge()
    assert PlaceRecognizer().knowledge is default_knowledge()
