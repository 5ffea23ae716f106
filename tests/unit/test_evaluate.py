"""`sitrep eval`: the scoring arithmetic, the gold-file readers and one real run of each command.

The gold files are small ones written for these tests (tests/fixtures/eval/); the development
data in /work/shared/data is only read by the last test, which skips when it is absent.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.evaluate import metrics
from sitrep.evaluate.acled import (
    admin1_matches,
    choose_event,
    killed_total,
    parse_date,
    parse_inter,
    read_acled,
)
from sitrep.evaluate.geo import align, read_geo
from sitrep.evaluate.plover import read_plover
from sitrep.evaluate.quad import read_quad

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
SHARED_ACLED = Path("/work/shared/data/acled/acled_2020_world_except_middle_east.csv")


# -- metrics -------------------------------------------------------------------------------
GOLD = ["a", "a", "b", "c"]
PRED = ["a", "b", "b", "a"]


def test_accuracy_and_per_class_f1_match_hand_computation() -> None:
    # a: tp 1, predicted 2, gold 2 -> P 1/2, R 1/2, F1 1/2
    # b: tp 1, predicted 2, gold 1 -> P 1/2, R 1,   F1 2/3
    # c: tp 0, predicted 0, gold 1 -> F1 0
    assert metrics.accuracy(GOLD, PRED) == 0.5
    scores = metrics.per_class(GOLD, PRED)
    assert scores["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert scores["b"]["f1"] == pytest.approx(2 / 3)
    assert scores["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert metrics.macro_f1(GOLD, PRED) == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert metrics.weighted_f1(GOLD, PRED) == pytest.approx((0.5 * 2 + 2 / 3 * 1 + 0 * 1) / 4)


def test_macro_f1_counts_labels_only_predicted() -> None:
    # "x" never occurs in gold: F1 0 for it drags the macro mean down, but not the weighted one.
    assert metrics.macro_f1(["a", "a"], ["a", "x"]) == pytest.approx((2 / 3 + 0) / 2)
    assert metrics.weighted_f1(["a", "a"], ["a", "x"]) == pytest.approx(2 / 3)


def test_confusion_and_empty_inputs() -> None:
    assert metrics.confusion(GOLD, PRED) == {"a": {"a": 1, "b": 1}, "b": {"b": 1}, "c": {"a": 1}}
    assert metrics.accuracy([], []) is None
    assert metrics.macro_f1([], []) is None
    assert metrics.median([]) is None
    with pytest.raises(ValueError):
        metrics.accuracy(["a"], [])


def test_haversine_and_name_folding() -> None:
    assert metrics.haversine_km(36.2, 37.1, 36.2, 37.1) == 0.0
    assert metrics.haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(6371 * math.pi / 180, rel=1e-6)
    # Aleppo to Damascus is about 310 km as the crow flies.
    assert 290 < metrics.haversine_km(36.2021, 37.1343, 33.5102, 36.2913) < 330
    assert metrics.fold("Ḥalab") == metrics.fold("halab")
    assert metrics.fold("Rif Dimashq") == metrics.fold("RIF-DIMASHQ")
    assert metrics.fold(None) == ""


# -- readers -------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("2016-02-08", date(2016, 2, 8)), ("08/02/2016", date(2016, 2, 8)), ("08-02-2016", date(2016, 2, 8)),
    ("16 May 2025", date(2025, 5, 16)), ("9-May-20", date(2020, 5, 9)), ("31-12-19", date(2019, 12, 31)),
    ("", None), ("next week", None),
])
def test_parse_date_formats(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_parse_inter_numbers_and_labels() -> None:
    assert parse_inter("1") == 1
    assert parse_inter("State forces") == 1
    assert parse_inter("Rebel Groups") == 2
    assert parse_inter("Communal Militia") == 4
    assert parse_inter("Protesters") == 6
    assert parse_inter("External/Other forces") == 8
    assert parse_inter("") is None
    assert parse_inter("0") is None


def test_read_acled_tolerates_missing_columns_and_empty_notes() -> None:
    rows = list(read_acled(FIXTURES / "acled_sample.csv"))
    assert len(rows) == 4  # the fifth row has no notes
    assert [r.published for r in rows] == [date(2016, 2, 8), date(2016, 5, 16), date(2016, 12, 13),
                                           date(2017, 3, 5)]
    assert rows[0].inter1 == 1 and rows[1].inter1 == 6 and rows[3].inter1 is None
    assert rows[2].fatalities is None and rows[3].geo_precision is None
    assert rows[0].latitude == pytest.approx(33.5722)
    minimal = list(read_acled(FIXTURES / "acled_minimal.csv"))
    assert len(minimal) == 1 and minimal[0].published == date(2016, 6, 3)
    assert minimal[0].event_type is None and minimal[0].latitude is None


def _record(start: int, status: str, event_type: str | None, sub: str | None,
            killed: int | None = None, rid: str = "") -> dict[str, Any]:
    figures = {"killed": {"best": killed} if killed is not None else None}
    return {"id": rid or f"e{start}", "status": status, "acled": {"event_type": event_type, "sub_event_type": sub},
            "evidence": {"start": start}, "figures": figures}


def test_choose_event_takes_the_lead_sentence_then_acled_precedence() -> None:
    shelling = _record(0, "asserted", "Explosions/Remote violence", "Shelling/artillery/missile attack", 2)
    air = _record(0, "asserted", "Explosions/Remote violence", "Air/drone strike", rid="e0b")
    clash = _record(50, "asserted", "Battles", "Armed clash", 3)
    later_clash = _record(90, "claimed", "Battles", "Armed clash")
    talks = _record(10, "asserted", None, None)
    planned = _record(5, "planned", "Battles", "Government regains territory")
    # the lead sentence (offset 0) wins over a later battle; inside it, an air strike outranks shelling
    assert choose_event([shelling, air, clash, later_clash, talks, planned]) is air
    assert choose_event([clash, later_clash, talks]) is clash
    assert choose_event([talks]) is talks
    assert choose_event([planned]) is None
    assert killed_total([shelling, clash, later_clash, planned]) == 5


def test_read_plover_maps_v05_labels_and_countries() -> None:
    items = read_plover(FIXTURES / "plover_sample.json")
    assert [i.event_type for i in items] == ["ASSAULT", "REQUEST", "AGREE"]
    assert items[0].mode == "heavy-weapons" and items[1].mode is None
    assert items[1].source_countries == frozenset()  # IGO is not a country
    assert items[2].source_countries == {"JPN", "RUS"}  # CAMEO's JAP is ISO's JPN


def test_read_quad_skips_header_and_unlabelled_rows() -> None:
    items = read_quad(FIXTURES / "quad_sample.tsv")
    assert [i.label for i in items] == [4, 1, 3, 0]
    assert items[0].text.startswith("Syrian warplanes")


def test_read_geo_both_shapes() -> None:
    shape, articles = read_geo(FIXTURES / "lgl_sample.xml")
    assert shape == "lgl" and len(articles) == 1
    toponyms = articles[0].toponyms
    assert [t.name for t in toponyms] == ["Aleppo", "Damascus", "Springfield"]
    assert toponyms[0].lat == pytest.approx(36.20124) and toponyms[2].lat is None
    shape, articles = read_geo(FIXTURES / "geovirus_sample.xml")
    assert shape == "geovirus"
    nairobi, mombasa = articles[0].toponyms
    assert articles[0].text[nairobi.start : nairobi.end] == "Nairobi"  # gold offset was one short
    assert (mombasa.start, mombasa.end) == (79, 86)


def test_align_finds_the_name_nearest_the_offset() -> None:
    text = "Aleppo is far from Homs; Aleppo again."
    assert align(text, "Aleppo", 24, 30) == (25, 31)
    assert align(text, "Aleppo", 0, 6) == (0, 6)
    assert align(text, "Raqqa", 3, 8) is None


# -- the commands --------------------------------------------------------------------------
def _run_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["eval", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _in_unit_range(report: dict[str, Any], keys: list[str]) -> None:
    for key in keys:
        assert key in report, key
        assert report[key] is None or 0.0 <= report[key] <= 1.0, (key, report[key])


def test_eval_acled_command() -> None:
    report = _run_json("acled", str(FIXTURES / "acled_sample.csv"))
    keys = ["event_type_accuracy", "sub_event_type_accuracy", "sub_event_type_weighted_f1",
            "sub_event_type_macro_f1", "actor1_type_accuracy", "location_within_25km",
            "location_within_25km_precision1", "admin1_accuracy", "fatalities_exact", "date_exact"]
    _in_unit_range(report, keys)
    assert report["n"] == 4 and report["seconds"] > 0
    assert report["support"]["actor1_type"] == 3 and report["support"]["location_precision1"] == 2
    assert sum(sum(row.values()) for row in report["confusion"].values()) == 4
    # The calm-weather note has no event: its row is counted under "none".
    assert report["confusion"]["Strategic developments"] == {"none": 1}
    assert report["date_exact"] is not None and report["date_exact"] >= 0.5
    limited = _run_json("acled", str(FIXTURES / "acled_sample.csv"), "--limit", "2")
    assert limited["n"] == 2


def test_eval_plover_command() -> None:
    report = _run_json("plover", str(FIXTURES / "plover_sample.json"))
    _in_unit_range(report, ["event_type_accuracy", "mode_accuracy", "actor_country_accuracy",
                            "recipient_country_accuracy", "event_type_in_any_event"])
    assert report["n"] == 3
    assert report["support"] == {"event_type": 3, "mode": 1, "actor_country": 2, "recipient_country": 1}
    assert set(report["confusion"]) == {"ASSAULT", "REQUEST", "AGREE"}


def test_eval_quad_command() -> None:
    report = _run_json("quad", str(FIXTURES / "quad_sample.tsv"))
    _in_unit_range(report, ["accuracy", "macro_f1", "weighted_f1"])
    assert report["n"] == 4
    assert set(report["per_class"]) <= {"0", "1", "2", "3", "4"}
    # An air strike that kills dozens is material conflict by any reading.
    assert report["confusion"]["4"] == {"4": 1}


@pytest.mark.parametrize("name", ["lgl_sample.xml", "geovirus_sample.xml"])
def test_eval_geo_command(name: str) -> None:
    report = _run_json("geo", str(FIXTURES / name))
    _in_unit_range(report, ["resolution_acc_161", "e2e_recall_161", "e2e_precision"])
    assert report["n"] == 2 and report["articles"] == 1
    # Aleppo/Damascus and Nairobi/Mombasa are each the largest place of their name: both resolve.
    assert report["resolution_acc_161"] == 1.0
    assert report["median_error_km"] is not None and report["median_error_km"] < 161
    assert report["format"] == ("lgl" if name.startswith("lgl") else "geovirus")


def test_eval_rejects_a_file_without_gold() -> None:
    result = CliRunner().invoke(main, ["eval", "geo", str(FIXTURES / "quad_sample.tsv")])
    assert result.exit_code != 0


@pytest.mark.skipif(not SHARED_ACLED.exists(), reason="development data not present")
def test_eval_acled_reads_the_development_export() -> None:
    report = _run_json("acled", str(SHARED_ACLED), "--limit", "10")
    assert report["n"] == 10 and report["support"]["date"] == 10  # '9-May-20' dates parse


def test_admin1_lenient_match_accepts_official_forms_only() -> None:
    assert admin1_matches("Rio de Janeiro", "Estado do Rio de Janeiro")
    assert admin1_matches("Veracruz", "Estado Libre y Soberano de Veracruz de Ignacio de la Llave")
    assert admin1_matches("aleppo", "Aleppo")
    assert not admin1_matches("Donetsk", "Autonomous Republic of Crimea")
    assert not admin1_matches("North Sinai", "South Sinai")
    assert not admin1_matches("Aleppo", None)
