"""ACLED's first-level units (data/gazetteer/acled_units.yaml) and the event records that state them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

from sitrep.knowledge.acled_units import acled_admin1, with_acled_admin1
from sitrep.knowledge.gazetteer import normalize

DATA = Path(__file__).parents[2] / "src/sitrep/data"


def _entries() -> list[dict]:
    return yaml.safe_load((DATA / "gazetteer/acled_units.yaml").read_text(encoding="utf-8"))


def test_file_validates_against_its_schema() -> None:
    schema = json.loads((DATA / "schemas/acled_units.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(_entries()))
    assert not errors, [e.message for e in errors[:5]]


@pytest.mark.parametrize("key", ["units", "fallback"])
def test_no_name_sits_in_two_units_of_a_country(key: str) -> None:
    for entry in _entries():
        counts = Counter(normalize(str(n)) for names in (entry.get(key) or {}).values() for n in names)
        assert [n for n, c in counts.items() if c > 1] == [], entry["country"]


def test_every_country_is_listed_once() -> None:
    counts = Counter(e["country"] for e in _entries())
    assert max(counts.values()) == 1


@pytest.mark.parametrize(("country", "admin1", "admin2", "unit"), [
    ("MWI", "Mzimba", None, "Northern"),  # Malawi: district -> region
    ("MWI", "Nkhata Bay", None, "Northern"),
    ("MWI", "Blantyre", None, "Southern"),
    ("NPL", "Lumbini", "Banke", "Mid-Western"),  # Nepal: the district decides inside a split province
    ("NPL", "Lumbini", "Rupandehi", "West"),
    ("NPL", "2", "Saptari", "East"),
    ("NPL", "Karnali", None, "Mid-Western"),  # no district known: the province's region
    ("NPL", "Bagmati", "Sindhupalchowk", "Central"),  # a spelling variant of the district
    ("UGA", "Northern", "Gulu", "Gulu"),  # Uganda: the district itself
    ("MNE", "Herceg Novi", None, "Coastal"),
])
def test_acled_unit_of_a_place(country: str, admin1: str, admin2: str | None, unit: str) -> None:
    assert acled_admin1(country, admin1, admin2) == unit


def test_countries_without_a_convention_keep_geonames_admin1() -> None:
    assert acled_admin1("SYR", "Aleppo", "Jebel Saman") is None
    location = {"country": "SYR", "admin1": "Aleppo", "admin1_pcode": "SY02"}
    assert with_acled_admin1(location, None) is location


def test_unit_change_drops_the_geonames_pcode_and_leaves_country_events_alone() -> None:
    location = {"country": "MWI", "admin1": "Zomba", "admin1_pcode": "MW315", "feature": "city"}
    assert with_acled_admin1(location, None) == {**location, "admin1": "Southern", "admin1_pcode": None}
    country = {"country": "MWI", "admin1": None, "admin1_pcode": None, "feature": "country"}
    assert with_acled_admin1(country, None) == country
    assert with_acled_admin1({"country": "UGA", "admin1": "Northern"}, None)["admin1"] == "Northern"


def _location(extract, text: str) -> dict:  # type: ignore[no-untyped-def]
    records = [r for r in extract(text, "2020-03-10") if r["location"]]
    assert records, extract(text, "2020-03-10")
    return records[0]["location"]


@pytest.mark.parametrize(("text", "name", "admin1"), [
    ("Police fired tear gas at traders protesting in Mzuzu on Monday.", "Mzuzu", "Northern"),
    ("Soldiers shot dead two cattle raiders in Gulu on Tuesday.", "Gulu", "Gulu"),
    ("Police clashed with striking teachers in Biratnagar on Friday.", "Biratnagar", "East"),
])
def test_event_records_state_acleds_unit(extract, text: str, name: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, text)
    assert location["name"] == name and location["admin1"] == admin1 and location["admin1_pcode"] is None


def test_a_town_is_chosen_over_a_country_named_in_the_same_sentence(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "On Friday, dozens of relatives of fishermen detained in Sri Lanka gathered "
                                  "outside the collectorate in Ramanathapuram town to demand their release.")
    assert location["country"] == "IND" and location["admin1"] == "Tamil Nadu"


def test_a_neighbourhood_named_like_a_far_city_stays_in_the_framing_province(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "On Monday, in Pernambuco state, police raided a drug den in the Santa Luzia "
                                  "neighborhood.")
    assert location["admin1"] == "Pernambuco"


def test_a_village_named_with_its_noun_is_attached_like_the_noun(extract) -> None:  # type: ignore[no-untyped-def]
    location = _location(extract, "On Sunday, police fired tear gas to disperse hundreds of labourers who blocked "
                                  "a road at Kosamba village (Surat, Gujarat), demanding buses to return to "
                                  "their homes in Odisha and Bihar.")
    assert location["name"] == "Kosamba" and location["admin1"] == "Gujarat"
