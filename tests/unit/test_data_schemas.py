"""Every knowledge file under src/sitrep/data validates against its JSON Schema, and the data agree with
each other in the ways a schema cannot express (trigger modes exist in the ontology, affiliations point
at real actors, every PLOVER type has a crosswalk catch-all, ...).

The data are edited by analysts without touching code, so these tests are what keeps a typo in a YAML
file from silently turning into wrong events.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

DATA = Path(__file__).parents[2] / "src/sitrep/data"
SCHEMAS = DATA / "schemas"
ACTOR_FILES = sorted(p for p in (DATA / "actors").glob("*.yaml")
                     if p.name not in ("states.yaml", "identity_groups.yaml"))
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
NON_STATE_CODES = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
STATE_SUFFIXES = ("GOV", "MIL", "COP")


@cache
def load(relpath: str) -> Any:
    """Load a YAML data file the way JSON Schema sees it: YAML dates become ISO strings."""
    with open(DATA / relpath, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return json.loads(json.dumps(raw, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


@cache
def schema(name: str) -> dict[str, Any]:
    with open(SCHEMAS / name, encoding="utf-8") as f:
        return json.load(f)


def validate(instance: Any, schema_name: str) -> None:
    """Validate, reporting every error (not only the first) so one run shows all typos in a file."""
    sch = schema(schema_name)
    cls = jsonschema.validators.validator_for(sch)
    cls.check_schema(sch)
    validator = cls(sch, format_checker=cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:20])


def plover() -> dict[str, Any]:
    return load("plover.yaml")


def all_actor_entries() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, e) for p in ACTOR_FILES for e in load(f"actors/{p.name}")]


def expanded_state_ids() -> set[str]:
    return {f"{s['iso3']}_{suffix}" for s in load("actors/states.yaml") for suffix in STATE_SUFFIXES}


# ---------------------------------------------------------------- schema validation

@pytest.mark.parametrize(
    ("relpath", "schema_name"),
    [
        ("plover.yaml", "plover.schema.json"),
        ("triggers.yaml", "triggers.schema.json"),
        ("crosswalk.yaml", "crosswalk.schema.json"),
        ("actors/states.yaml", "states.schema.json"),
        ("gazetteer/places.yaml", "places.schema.json"),
        ("gazetteer/aliases.yaml", "gazetteer_aliases.schema.json"),
        ("gazetteer/physical.yaml", "physical.schema.json"),
        ("gazetteer/country_points.yaml", "country_points.schema.json"),
        ("figures.yaml", "figures.schema.json"),
        ("narrative.yaml", "narrative.schema.json"),
        ("truecase.yaml", "truecase.schema.json"),
        ("sections.yaml", "sections.schema.json"),
        ("acled_rules.yaml", "acled_rules.schema.json"),
        ("muc4.yaml", "muc4.schema.json"),
        ("resolve.yaml", "resolve.schema.json"),
        ("metonymy.yaml", "metonymy.schema.json"),
        *[(f"actors/{p.name}", "actors.schema.json") for p in ACTOR_FILES],
    ],
)
def test_file_matches_schema(relpath: str, schema_name: str) -> None:
    validate(load(relpath), schema_name)


def test_expected_actor_files_exist() -> None:
    assert {p.name for p in ACTOR_FILES} >= {"syria.yaml", "international.yaml", "generic.yaml"}


@pytest.mark.parametrize(
    ("schema_name", "bad"),
    [
        ("triggers.schema.json", [{"trigger": "Air strike", "event_type": "ASSAULT", "mode": None, "cameo": "195"}]),
        ("gazetteer_aliases.schema.json", [{"country": "Syria", "aliases": ["SAR"]}]),
        ("gazetteer_aliases.schema.json", [{"country": "SY", "admin1_code": "8", "aliases": []}]),
        ("triggers.schema.json", [{"trigger": "strike", "event_type": "STRIKE", "mode": None, "cameo": "195"}]),
        ("triggers.schema.json", [{"trigger": "strike", "event_type": "ASSAULT", "mode": None, "cameo": "195",
                                   "weight": 1.5}]),
        ("actors.schema.json", [{"id": "SYR_X", "name": "X", "aliases": ["X group"], "country": None,
                                 "sector": "REB", "acled_inter": 2, "affiliation": None}]),
        ("actors.schema.json", [{"id": "SYR_X", "name": "X", "aliases": ["X group"], "country": "SYR",
                                 "sector": "REB", "acled_inter": 9, "affiliation": None}]),
        ("acled_rules.schema.json", {"rules": [{"name": "typo in a type", "types": ["ASSAULTS"],
                                                 "acled": ["Battles", "Armed clash"]}]}),
        ("acled_rules.schema.json", {"rules": [{"name": "unknown condition", "word": ["clash*"],
                                                 "acled": ["Battles", "Armed clash"]}]}),
        ("acled_rules.schema.json", {"rules": [{"name": "star inside a word", "words": ["clash*es"],
                                                 "acled": ["Battles", "Armed clash"]}]}),
        ("acled_rules.schema.json", {"rules": [{"name": "no such actor type", "types": ["PROTEST"],
                                                 "acled": ["Protests", "Peaceful protest"], "actor_inter": 9}]}),
        ("physical.schema.json", [{"name": "Red Sea", "aliases": ["Red Sea"], "feature": "river",
                                   "countries": ["EG"], "lat": 20.0, "lon": 38.5}]),
        ("physical.schema.json", [{"name": "Red Sea", "aliases": ["Red Sea"], "feature": "sea",
                                   "countries": ["Egypt"], "lat": 20.0, "lon": 38.5}]),
        ("sections.schema.json", {"comment_form": ["leave a reply"]}),
        ("country_points.schema.json", [{"country": "CAN", "lat": 60.0, "lon": -95.0, "source": "Factbook"}]),
        ("places.schema.json", [{"name": "X", "aliases": ["X"], "feature": "town", "country": "SY",
                                 "admin1_code": "08", "lat": 133.0, "lon": 36.0, "geo_precision": 1,
                                 "population": None}]),
    ],
)
def test_schemas_reject_bad_entries(schema_name: str, bad: Any) -> None:
    """The schemas are not vacuous: each of these hand-made mistakes must be caught."""
    with pytest.raises(AssertionError):
        validate(bad, schema_name)


# ---------------------------------------------------------------- plover.yaml

def test_plover_has_the_16_types_and_37_contexts() -> None:
    p = plover()
    assert set(p["event_types"]) == PLOVER_TYPES
    assert len(set(p["contexts"])) == 37
    assert p["event_types"]["SANCTION"]["quad"] == 4
    assert "aerial" in p["event_types"]["ASSAULT"]["modes"]


def test_plover_default_cameo_and_mode_scores_are_consistent() -> None:
    for name, t in plover()["event_types"].items():
        assert t["default_cameo"][:2] in t["cameo_roots"], name
        if "mode_scores" in t:
            assert set(t["mode_scores"]) == set(t["modes"]), name


# ---------------------------------------------------------------- triggers.yaml

def test_triggers_cover_every_type_and_are_numerous() -> None:
    triggers = load("triggers.yaml")
    assert len(triggers) >= 220
    assert {t["event_type"] for t in triggers} == PLOVER_TYPES


def test_trigger_modes_and_contexts_exist_in_plover() -> None:
    p = plover()
    contexts = set(p["contexts"])
    for t in load("triggers.yaml"):
        modes = p["event_types"][t["event_type"]]["modes"]
        assert t["mode"] is None or t["mode"] in modes, f"{t['trigger']}: mode {t['mode']} not in {t['event_type']}"
        assert set(t.get("contexts", [])) <= contexts, t["trigger"]


def test_no_duplicate_triggers() -> None:
    """The same lemma sequence may appear twice only with disjoint POS sets (omitted pos = any)."""
    seen: dict[str, list[set[str] | None]] = {}
    for t in load("triggers.yaml"):
        pos = set(t["pos"]) if "pos" in t else None
        for other in seen.get(t["trigger"], []):
            assert pos is not None and other is not None and not (pos & other), f"duplicate trigger {t['trigger']!r}"
        seen.setdefault(t["trigger"], []).append(pos)


def test_trigger_tokens_are_single_spaced_lemmas() -> None:
    for t in load("triggers.yaml"):
        assert t["trigger"] == " ".join(t["trigger"].split()), t["trigger"]


# ---------------------------------------------------------------- crosswalk.yaml

def test_every_type_and_mode_has_a_crosswalk_row_and_catch_all_comes_last() -> None:
    rows = load("crosswalk.yaml")["acled"]
    for name, t in plover()["event_types"].items():
        mine = [r for r in rows if r["event_type"] == name]
        assert mine and mine[-1]["mode"] is None, f"{name} needs a catch-all (mode: null) as its last row"
        assert [r["mode"] for r in mine].count(None) == 1, name
        assert {r["mode"] for r in mine[:-1]} == set(t["modes"]), f"{name}: one row per mode"


def test_crosswalk_modes_exist_and_acled_names_belong_to_precedence() -> None:
    cw = load("crosswalk.yaml")
    p = plover()
    precedence = cw["acled_precedence"]
    for r in cw["acled"]:
        assert r["mode"] is None or r["mode"] in p["event_types"][r["event_type"]]["modes"], r
        if r["acled_event_type"] is not None:
            assert r["acled_sub_event_type"] in precedence[r["acled_event_type"]], r


def test_acled_tables_agree() -> None:
    cw = load("crosswalk.yaml")
    precedence = cw["acled_precedence"]
    assert set(cw["acled_event_type_order"]) == set(precedence)
    assert sum(len(v) for v in precedence.values()) == 25
    assert precedence["Battles"][0] == "Government regains territory"
    subs = {s for v in precedence.values() for s in v}
    assert set(cw.get("acled_disorder_type", {})) <= subs


def test_quad_schemes() -> None:
    cw = load("crosswalk.yaml")
    schemes = cw["quad_schemes"]
    assert cw["default_quad_scheme"] in schemes
    assert set(schemes["plover"]) == PLOVER_TYPES
    assert schemes["plover"] == {k: v["quad"] for k, v in plover()["event_types"].items()}
    roots = {f"{i:02d}" for i in range(1, 21)}
    for name, table in schemes.items():
        if name != "plover":
            assert set(table) == roots, name
    assert schemes["phoenix"]["16"] == 3 and schemes["gdelt_b"]["16"] == 4


# ---------------------------------------------------------------- acled_rules.yaml

def test_acled_rules_name_real_acled_types_and_plover_modes() -> None:
    """Each rule's ACLED pair is one the crosswalk's precedence table knows, and its modes exist in PLOVER."""
    precedence = load("crosswalk.yaml")["acled_precedence"]
    modes = {m for t in plover()["event_types"].values() for m in t["modes"]}
    for rule in load("acled_rules.yaml")["rules"]:
        if rule["acled"] is not None:
            event_type, sub_event_type = rule["acled"]
            assert sub_event_type in precedence[event_type], rule["name"]
        assert set(rule.get("modes", [])) | set(rule.get("context_modes", [])) <= modes, rule["name"]


def test_acled_rules_schema_and_loader_know_the_same_conditions() -> None:
    """A condition the schema allows but the loader ignores would silently match everything."""
    from sitrep.knowledge.acled_rules import CONDITIONS

    allowed = set(schema("acled_rules.schema.json")["$defs"]["rule"]["properties"])
    assert allowed == CONDITIONS | {"name", "acled", "actor_inter"}


def test_acled_rule_names_are_unique() -> None:
    names = [r["name"] for r in load("acled_rules.yaml")["rules"]]
    assert len(names) == len(set(names))


# ---------------------------------------------------------------- actors

def test_actor_ids_are_unique_across_files() -> None:
    ids = [e["id"] for _, e in all_actor_entries()] + sorted(expanded_state_ids())
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes


def test_state_iso3_codes_are_unique_and_include_un_members() -> None:
    codes = [s["iso3"] for s in load("actors/states.yaml")]
    assert len(codes) == len(set(codes))
    assert len(codes) >= 193
    assert {"SYR", "RUS", "USA", "TUR", "IRN", "IRQ"} <= set(codes)


def test_affiliations_point_at_existing_ids() -> None:
    known = {e["id"] for _, e in all_actor_entries()} | expanded_state_ids()
    for fname, e in all_actor_entries():
        assert e["affiliation"] is None or e["affiliation"] in known, f"{fname}: {e['id']} -> {e['affiliation']}"
        assert e["affiliation"] != e["id"]


def test_actor_countries_are_known_codes() -> None:
    states = {s["iso3"] for s in load("actors/states.yaml")}
    for fname, e in all_actor_entries():
        if e.get("generic"):
            assert e["country"] is None and e["id"].startswith("GEN_"), e["id"]
        else:
            assert e["country"] in states | NON_STATE_CODES, f"{fname}: {e['id']} country {e['country']}"


def test_actor_validity_ranges_are_ordered() -> None:
    for _, e in all_actor_entries():
        if e.get("valid_from") and e.get("valid_to"):
            assert e["valid_from"] <= e["valid_to"], e["id"]


def test_nusra_lineage_has_contiguous_validity() -> None:
    actors = {e["id"]: e for _, e in all_actor_entries()}
    nusra, jfs, hts = actors["SYR_NUSRA"], actors["SYR_JFS"], actors["SYR_HTS"]
    assert (jfs["affiliation"], hts["affiliation"]) == ("SYR_NUSRA", "SYR_JFS")
    assert nusra["valid_to"] == "2016-07-27" and jfs["valid_from"] == "2016-07-28"
    assert jfs["valid_to"] == "2017-01-27" and hts["valid_from"] == "2017-01-28"


def test_generic_actor_ids_named_in_the_brief_exist() -> None:
    ids = {e["id"] for e in load("actors/generic.yaml")}
    assert {"GEN_MIL", "GEN_GOV", "GEN_REB", "GEN_CVL", "GEN_PRO", "GEN_COP", "GEN_UAF"} <= ids


# ---------------------------------------------------------------- gazetteer

def read_pcodes() -> list[dict[str, str]]:
    with open(DATA / "gazetteer/admin1_pcodes.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_admin1_pcodes_cover_syria() -> None:
    rows = read_pcodes()
    assert list(rows[0]) == ["country", "admin1_code", "name", "pcode"]
    syria = [r for r in rows if r["country"] == "SY"]
    assert len(syria) == 14
    assert {r["admin1_code"] for r in syria} == {f"{i:02d}" for i in range(1, 15)}
    assert {r["pcode"] for r in syria} == {f"SY{i:02d}" for i in range(1, 15)}
    by_code = {r["admin1_code"]: r for r in syria}
    assert (by_code["09"]["name"], by_code["09"]["pcode"]) == ("Aleppo", "SY02")
    assert (by_code["08"]["name"], by_code["08"]["pcode"]) == ("Rural Damascus", "SY03")


def test_places_are_unique_and_use_known_syrian_admin1_codes() -> None:
    places = load("gazetteer/places.yaml")
    assert len(places) >= 40
    names = [p["name"] for p in places]
    assert len(names) == len(set(names))
    syrian_codes = {r["admin1_code"] for r in read_pcodes() if r["country"] == "SY"}
    for p in places:
        if p["country"] == "SY":
            assert p["admin1_code"] in syrian_codes, p["name"]
            # every Syrian place lies inside Syria's bounding box
            assert 32.3 <= p["lat"] <= 37.4 and 35.5 <= p["lon"] <= 42.5, p["name"]


# ---------------------------------------------------------------- figures lexicon and not-places list

def test_figure_lemmas_belong_to_one_kind_and_vague_words_are_unique() -> None:
    categories = load("figures.yaml")["categories"]
    seen: dict[str, str] = {}
    for kind, entry in categories.items():
        for lemma in entry["lemmas"]:
            assert lemma not in seen, f"{lemma!r} is both {seen[lemma]} and {kind}"
            seen[lemma] = kind
    vague = [v["text"] for v in load("figures.yaml")["vague"]]
    assert len(vague) == len(set(vague))


def test_not_places_list_is_single_capitalised_words() -> None:
    lines = (DATA / "gazetteer" / "not_places.txt").read_text(encoding="utf-8").splitlines()
    words = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    assert words and len(words) == len(set(words))
    assert all(w.strip() == w and w[0].isupper() and " " not in w for w in words)
