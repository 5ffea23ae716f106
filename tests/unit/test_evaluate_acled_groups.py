"""`sitrep eval acled --by region`: per-region blocks, region selection and the worst region.

The fixture (tests/fixtures/eval/acled_regions.csv) is written for these tests on public events:
two in Eastern Africa (Garissa 2015, Nairobi 1998), two in Europe (Oslo 2011, Paris 2015) and one
row whose region is blank.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.evaluate.acled import AcledRow, read_acled
from sitrep.evaluate.acled_groups import NO_GROUP, score_grouped, select_rows, worst_groups

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "acled_regions.csv"


def _row(line: int, region: str | None, event_type: str, lat: float = 0.0, lon: float = 0.0) -> AcledRow:
    return AcledRow(line=line, text="note", published=date(2020, 5, 1), event_type=event_type,
                    sub_event_type="Armed clash" if event_type == "Battles" else "Attack", inter1=1,
                    latitude=lat, longitude=lon, geo_precision=1, admin1=None, fatalities=0, region=region)


def _event(event_type: str, lat: float, lon: float) -> list[dict[str, Any]]:
    sub = "Armed clash" if event_type == "Battles" else "Attack"
    return [{"id": "e", "status": "asserted", "acled": {"event_type": event_type, "sub_event_type": sub},
             "evidence": {"start": 0}, "figures": {}, "actors": [{"acled_inter": 1}],
             "location": {"lat": lat, "lon": lon}, "date": "2020-05-01"}]


def test_reader_keeps_the_region() -> None:
    rows = list(read_acled(FIXTURE))
    assert [r.region for r in rows] == ["Eastern Africa", "Eastern Africa", "Europe", "Europe", None]


def test_select_rows_includes_excludes_and_rejects_unknown_names() -> None:
    rows = list(read_acled(FIXTURE))
    assert [r.line for r in select_rows(rows, include=["europe"])] == [4, 5]  # names compare folded
    assert [r.line for r in select_rows(rows, exclude=["Europe", NO_GROUP])] == [2, 3]
    assert len(select_rows(rows, include=["Europe", "Eastern Africa"], exclude=["Europe"])) == 2
    with pytest.raises(ValueError, match="Southern Asia.*the file has: \\(none\\), Eastern Africa, Europe"):
        select_rows(rows, include=["Southern Asia"])


def test_score_grouped_blocks_add_up_and_name_the_worst() -> None:
    # three Battles rows in region A, all right; two in B, one typed wrong and one placed 100+ km off
    pairs = [(_row(i, "A", "Battles"), _event("Battles", 0.0, 0.0)) for i in range(3)]
    pairs.append((_row(3, "B", "Battles"), _event("Violence against civilians", 0.0, 0.0)))
    pairs.append((_row(4, "B", "Battles", lat=1.0), _event("Battles", 0.0, 0.0)))
    report = score_grouped(pairs, by="region", min_rows=2)
    assert report["n"] == 5 and report["event_type_accuracy"] == 0.8
    blocks = report["by_region"]
    assert list(blocks) == ["A", "B"] and [b["n"] for b in blocks.values()] == [3, 2]
    assert blocks["A"]["event_type_accuracy"] == 1.0 and blocks["B"]["event_type_accuracy"] == 0.5
    assert blocks["B"]["location_within_25km"] == 0.5 and "seconds" not in blocks["B"]
    assert report["worst"]["event_type_accuracy"] == {"group": "B", "value": 0.5, "n": 2}
    assert report["worst"]["location_within_25km"]["group"] == "B"
    # a region smaller than min_rows is reported but not named worst
    assert score_grouped(pairs, min_rows=3)["worst"]["event_type_accuracy"]["group"] == "A"
    assert worst_groups({}, min_rows=1)["event_type_accuracy"] is None


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, ["eval", "acled", str(FIXTURE), *args])


def test_eval_acled_by_region_command() -> None:
    result = _run("--by", "region", "--min-rows", "1", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 5 and report["by"] == "region"
    assert {k: v["n"] for k, v in report["by_region"].items()} == {"Eastern Africa": 2, "Europe": 2, NO_GROUP: 1}
    for measure, worst in report["worst"].items():
        values = [b[measure] for b in report["by_region"].values() if b[measure] is not None]
        assert worst is None or worst["value"] == min(values), measure
    europe = json.loads(_run("--regions", "Europe", "--json").stdout)
    assert europe["n"] == 2 and europe["regions"] == ["Europe"] and "by_region" not in europe
    rest = json.loads(_run("--exclude-regions", "Europe,(none)", "--by", "country", "--json").stdout)
    assert rest["n"] == 2 and list(rest["by_country"]) == ["KEN"]
    table = _run("--by", "region", "--min-rows", "1")
    assert table.exit_code == 0 and "per region" in table.output and "worst region on type" in table.output
    unknown = _run("--regions", "Atlantis")
    assert unknown.exit_code != 0 and "Atlantis" in unknown.output
