"""Exports: CSV, JSON Lines and GeoJSON parse back to what went in, and are written as a stream."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import make_document, make_record
from sitrep.export import CSV_COLUMNS, flat_row, geojson_feature, write_events
from sitrep.store import EventFilter, open_store


def sample() -> list[dict]:
    """Three records: one with a point and awkward text, one country-level, one with many actors."""
    awkward = make_record(
        id="d1-e1", doc_id="d1",
        evidence={"text": 'Shelling, he said, "hit\nthe market" — 50% of stalls burned.', "start": 0,
                  "end": 58, "section": "comment"},
        figures={"killed": {"low": 10, "best": 12, "high": 15, "hedge": "at least"}, "injured": None,
                 "displaced": None, "besieged": None, "trapped": {"low": 40, "best": 40, "high": 40,
                                                                  "hedge": None},
                 "strikes": {"low": 3, "best": 3, "high": 3, "hedge": None},
                 "detained": {"low": 7, "best": 7, "high": 7, "hedge": None}},
        claimed_by=[{"text": "activists", "name": "Syrian Observatory for Human Rights", "id": "SOHR"}],
    )
    country_level = make_record(
        id="d1-e2", doc_id="d1", event_type="SANCTION", mode=None, contexts=[],
        location={"text": "Syria", "name": "Syria", "country": "SYR", "lat": None, "lon": None,
                  "admin1": None, "admin1_pcode": None, "geo_precision": None},
    )
    crowded = make_record(
        id="d2-e1", doc_id="d2", contexts=["military", "pro_government"],
        actors=[{"text": "jets", "name": "Military Forces of Russia", "id": "RUS_MIL", "country": "RUS",
                 "acled_inter": 8},
                {"text": "army", "name": "Military Forces of Syria", "id": "SYR_MIL", "country": "SYR",
                 "acled_inter": 1}],
        recipients=[], location={"text": "Homs", "name": "Homs", "lat": 34.73, "lon": 36.72,
                                 "country": "SYR", "admin1": "Homs", "admin1_pcode": "SY04",
                                 "geo_precision": 2},
    )
    return [awkward, country_level, crowded]


def test_flat_row_has_exactly_the_csv_columns() -> None:
    row = flat_row(sample()[0])
    assert tuple(row) == CSV_COLUMNS
    assert row["event_date"] == "2016-02-03" and row["event_type"] == "ASSAULT"
    assert (row["actor1"], row["actor1_country"], row["actor1_inter"]) == (
        "Military Forces of Syria", "SYR", 1
    )
    assert row["actor2"] == "Civilians (Syria)"
    assert row["claimed_by"] == "Syrian Observatory for Human Rights"
    assert (row["killed"], row["trapped"], row["strikes"], row["injured"]) == (12, 40, 3, None)
    assert row["detained"] == 7 and row["kind"] == "occurrence"
    assert (row["latitude"], row["longitude"]) == (36.2021, 37.1343)
    assert row["section"] == "comment" and row["published"] == "2016-02-04"


def test_further_actors_go_to_assoc_columns() -> None:
    row = flat_row(sample()[2])
    assert row["actor1"] == "Military Forces of Russia" and row["actor1_inter"] == 8
    assert row["assoc_actor_1"] == "Military Forces of Syria"
    assert row["actor2"] is None and row["assoc_actor_2"] is None
    assert row["contexts"] == "military; pro_government"


def test_csv_parses_back() -> None:
    records = sample()
    out = io.StringIO(newline="")
    assert write_events(records, "csv", out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 3
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["evidence"] == records[0]["evidence"]["text"]  # commas, quotes, newline survive
    assert rows[0]["id"] == "d1-e1" and rows[0]["killed"] == "12" and rows[0]["confidence"] == "0.8"
    assert rows[1]["latitude"] == "" and rows[1]["geo_precision"] == "" and rows[1]["mode"] == ""
    assert rows[2]["location"] == "Homs" and rows[2]["admin1_pcode"] == "SY04"


def test_jsonl_gives_the_records_back() -> None:
    records = sample()
    out = io.StringIO()
    assert write_events(records, "jsonl", out) == 3
    lines = out.getvalue().splitlines()
    assert len(lines) == 3  # the newline inside the evidence is escaped, not a line break
    assert [json.loads(line) for line in lines] == records


def test_geojson_is_lon_lat_points_and_lists_records_without_one() -> None:
    records = sample()
    out = io.StringIO()
    assert write_events(records, "geojson", out) == 3
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection"
    assert collection["unlocated"] == 1
    features = collection["features"]
    assert [f["id"] for f in features] == ["d1-e1", "d1-e2", "d2-e1"]
    assert features[1]["geometry"] is None  # country level: listed, never placed at a centroid
    for feature, record in zip((features[0], features[2]), (records[0], records[2]), strict=True):
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {
            "type": "Point", "coordinates": [record["location"]["lon"], record["location"]["lat"]]
        }
        assert tuple(feature["properties"]) == CSV_COLUMNS
    assert features[2]["geometry"]["coordinates"] == [36.72, 34.73]  # Homs: lon first


def test_geojson_of_nothing_is_valid() -> None:
    out = io.StringIO()
    assert write_events([], "geojson", out) == 0
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": [], "unlocated": 0}


def test_geojson_feature_needs_a_point() -> None:
    assert geojson_feature(make_record(location=None)) is None
    assert geojson_feature(sample()[1]) is None
    feature = geojson_feature(make_record(location={"name": "Zero", "lat": 0.0, "lon": 0.0}))
    assert feature is not None and feature["geometry"]["coordinates"] == [0.0, 0.0]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson"])
def test_writers_stream(fmt: str) -> None:
    """Each record is written before the next is read: nothing waits for the whole input."""
    out = io.StringIO()
    sizes: list[int] = []

    def records() -> Iterator[dict]:
        for record in (sample()[0], sample()[2], dict(sample()[2], id="d2-e2")):  # all with points
            sizes.append(len(out.getvalue()))
            yield record

    write_events(records(), fmt, out)
    assert 0 <= sizes[0] < sizes[1] < sizes[2]


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        write_events(sample(), "docx", io.StringIO())


def test_export_from_store(tmp_path: Path) -> None:
    doc = make_document("Jets struck Homs. Talks opened in Geneva.")
    records = [
        make_record(id=f"{doc['id']}-e1", doc_id=doc["id"], date="2016-02-05"),
        make_record(id=f"{doc['id']}-e2", doc_id=doc["id"], event_type="CONSULT", date="2016-02-01"),
    ]
    with open_store(tmp_path / "s.duckdb") as store:
        store.add_documents([(doc, records)])
        out = io.StringIO(newline="")
        assert write_events(store.iter_events(EventFilter(event_type=("CONSULT",))), "csv", out) == 1
        rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
        assert [r["id"] for r in rows] == [records[1]["id"]]
        out = io.StringIO()
        assert write_events(store.iter_events(EventFilter()), "jsonl", out) == 2
        assert [json.loads(line) for line in out.getvalue().splitlines()] == records  # newest first
