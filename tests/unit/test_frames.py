"""pandas and Arrow from Python: `sitrep.to_frame`, the store's `incidents_frame` / `events_frame` /
`..._arrow` on both backends, and the Parquet export's columnar fast path (DuckDB computes the
columns in SQL) against the record-at-a-time path it replaced, on a store of synthetic reports
(bench/synth.py) resolved by the store's own resolver and on hand-made records of odd shapes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import sitrep
from helpers import make_document, make_record, synthetic_incident_store
from sitrep.cli import main
from sitrep.export import flat_row
from sitrep.export.parquet import SCHEMAS, typed_row, write_parquet
from sitrep.store import EventFilter, IncidentFilter, open_store
from store_backends import BACKENDS, new_store_url

UNITS = {"incidents": "incidents", "mentions": "events"}
FILTERS = {
    "incidents": [IncidentFilter(), IncidentFilter.parse(country="SYR", date_from="2016-01-01"),
                  IncidentFilter.parse(event_type="ASSAULT", status="claimed,contested")],
    "mentions": [EventFilter(), EventFilter.parse(country="SYR", date_from="2016-01-01"),
                 EventFilter.parse(event_type="ASSAULT", status="claimed")],
}
MOMENTS = ["created_at", "updated_at"]  # when each store resolved: differ between two stores


@pytest.fixture(scope="module", params=BACKENDS)
def synth_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One store per backend of 600 synthetic reports resolved into incidents."""
    url = new_store_url(request.param, tmp_path_factory.mktemp("frames"), request, name="frames")
    return str(synthetic_incident_store(url, 600))


def generic_table(store: Any, flt: EventFilter, unit: str) -> pa.Table:
    """The record-at-a-time path: streamed records through typed_row, newest first then by id."""
    rows = [typed_row(r, unit) for r in store.stream_records(flt, table=UNITS[unit])]
    table = pa.Table.from_pylist(rows, schema=SCHEMAS[unit])
    return table.sort_by([("event_date", "descending"), ("id", "ascending")])


@pytest.mark.parametrize("unit", list(UNITS))
def test_arrow_tables_have_the_parquet_schema_and_the_filtered_records(synth_url: str, unit: str) -> None:
    with open_store(synth_url, read_only=True) as store:
        for flt in FILTERS[unit]:
            table = store.incidents_arrow(flt) if unit == "incidents" else store.events_arrow(flt)
            assert table.schema == SCHEMAS[unit]
            assert table.num_rows > 0
            query = store.query_incidents if unit == "incidents" else store.query_events
            total = query(flt, limit=1)[0]
            assert table.num_rows == total
            assert table.equals(generic_table(store, flt, unit))  # DuckDB: the SQL path equals typed_row's


def test_both_backends_give_the_same_tables(synth_url: str, request: pytest.FixtureRequest,
                                            tmp_path: Path) -> None:
    """The same reports in a DuckDB store give the same tables as in this backend's (ids, order, values)."""
    if not synth_url.startswith("postgresql://"):
        pytest.skip("compared from the PostgreSQL parameter, against a DuckDB store")
    duck = synthetic_incident_store(tmp_path / "duck.duckdb", 600)
    with open_store(synth_url, read_only=True) as pg, open_store(duck, read_only=True) as dd:
        for unit, flt in (("incidents", FILTERS["incidents"][1]), ("mentions", FILTERS["mentions"][1])):
            read = "incidents_arrow" if unit == "incidents" else "events_arrow"
            ours, theirs = getattr(pg, read)(flt), getattr(dd, read)(flt)
            if unit == "incidents":
                ours, theirs = ours.drop_columns(MOMENTS), theirs.drop_columns(MOMENTS)
            assert ours.num_rows > 0 and ours.equals(theirs)


def test_frames_are_typed_for_analysis(synth_url: str) -> None:
    flt = IncidentFilter.parse(country="SYR")
    with open_store(synth_url, read_only=True) as store:
        frame = store.incidents_frame(flt)
        mentions = store.events_frame(EventFilter.parse(country="SYR"))
        first = store.get_incident(frame["id"].iloc[0])
    assert len(frame) > 10 and set(frame["country"]) == {"SYR"}
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert str(frame["created_at"].dtype).startswith("datetime64")
    for column in ("killed", "killed_low", "injured", "n_sources", "geo_precision"):
        assert isinstance(frame[column].dtype, pd.Int64Dtype), column
    assert frame["killed"].isna().any() and frame["killed"].notna().any()  # missing stays missing
    assert frame["event_date"].is_monotonic_decreasing
    assert first is not None
    row = frame.iloc[0]
    assert row["actors"] == [{k: a.get(k) for k in ("text", "name", "id", "country", "sector", "acled_inter")}
                             for a in first["actors"]]
    assert row["members"] == first["members"] and isinstance(row["sources"], list)
    assert row["event_date"].date().isoformat() == first["date"]
    assert isinstance(mentions["quad"].dtype, pd.Int64Dtype) and isinstance(mentions["contexts"].iloc[0], list)
    with open_store(synth_url, read_only=True) as store:
        _, records = store.query_incidents(flt, limit=None)
    assert frame["killed"].sum() == sum((r["figures"].get("killed") or {}).get("best") or 0 for r in records)


def odd_records() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Records of the shapes typed_row has rules for: an empty place name (the text stands in), no
    kind, text where an integer belongs, an empty date, empty and missing lists."""
    doc = make_document("Shelling hit Douma on Monday, killing four people.", title="Douma shelled")
    base = {"doc_id": doc["id"]}
    return [(doc, [
        make_record(**base, id=f"{doc['id']}-1"),
        make_record(**base, id=f"{doc['id']}-2", location={"text": "Douma", "name": "", "lat": 33.57, "lon": 36.4,
                                                            "country": "SYR", "geo_precision": None},
                    time_precision=None, contexts=[], recipients=[], date_end=""),
        make_record(**base, id=f"{doc['id']}-3", location=None, confidence=None, quad=None,
                    actors=[{"name": "Unknown armed group", "acled_inter": "3"}], kind="commentary"),
    ])]


def test_columnar_path_follows_typed_row_on_odd_records(tmp_path: Path) -> None:
    path = tmp_path / "odd.duckdb"
    with open_store(path) as store:
        store.add_documents(odd_records())
        store.resolve_incidents()
    with open_store(path, read_only=True) as store:
        for unit in UNITS:
            flt = IncidentFilter() if unit == "incidents" else EventFilter(kind=())
            fast = pa.Table.from_batches(list(store.record_batches(flt, unit=unit)), schema=SCHEMAS[unit])
            slow = pa.Table.from_pylist([typed_row(r, unit) for r in store.stream_records(flt, table=UNITS[unit])],
                                        schema=SCHEMAS[unit])
            assert fast.num_rows == slow.num_rows > 0
            assert fast.sort_by("id").equals(slow.sort_by("id")), unit
        mentions = store.events_frame(EventFilter(kind=())).set_index("id")
    doc_id = odd_records()[0][0]["id"]
    assert mentions.loc[f"{doc_id}-2", "location"] == "Douma"
    assert mentions.loc[f"{doc_id}-3", "actors"] == [{"text": None, "name": "Unknown armed group", "id": None,
                                                      "country": None, "sector": None, "acled_inter": None}]
    assert pd.isna(mentions.loc[f"{doc_id}-2", "date_end"])
    assert mentions.loc[f"{doc_id}-3", "kind"] == "commentary" and mentions.loc[f"{doc_id}-1", "kind"] == "occurrence"


def test_events_frame_applies_corrections(tmp_path: Path) -> None:
    path = tmp_path / "corrected.duckdb"
    with open_store(path) as store:
        store.add_documents(odd_records())
        event_id = f"{odd_records()[0][0]['id']}-1"
        store.add_correction(event_id, "event_type", "PROTEST", note="a march, not an attack")
    with open_store(path, read_only=True) as store:
        frame = store.events_frame(EventFilter()).set_index("id")
    assert frame.loc[event_id, "event_type"] == "PROTEST"


@pytest.mark.parametrize("unit", list(UNITS))
def test_cli_parquet_equals_the_record_path(synth_url: str, unit: str, tmp_path: Path) -> None:
    """`sitrep export --format parquet` (Arrow batches from the store) writes the table the
    record-at-a-time writer (write_parquet over stream_records) writes."""
    if synth_url.startswith("postgresql://"):
        pytest.skip("the CLI exports a DuckDB file here; PostgreSQL takes the generic path (tested above)")
    out = tmp_path / "export.parquet"
    args = ["export", "--db", synth_url, "--format", "parquet", "--unit", unit, "-o", str(out), "--country", "IRQ"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    old = io.BytesIO()
    flt = (IncidentFilter if unit == "incidents" else EventFilter).parse(country="IRQ")
    with open_store(synth_url, read_only=True) as store:
        write_parquet(store.stream_records(flt, table=UNITS[unit]), old, unit)
    new_table, old_table = pq.read_table(out), pq.read_table(io.BytesIO(old.getvalue()))
    assert new_table.num_rows > 0 and new_table.schema == SCHEMAS[unit]
    assert new_table.sort_by("id").equals(old_table.sort_by("id"))


def test_to_frame_types_records_and_rows() -> None:
    records = [make_record(), make_record(id="a1b2c3d4e5f60718-e2", figures={"killed": None}, date=None)]
    frame = sitrep.to_frame(records)
    assert list(frame.columns) == SCHEMAS["mentions"].names
    assert isinstance(frame["killed"].dtype, pd.Int64Dtype)
    assert frame["killed"].iloc[0] == 12 and pd.isna(frame["killed"].iloc[1])
    assert frame["event_date"].iloc[0] == pd.Timestamp("2016-02-03") and pd.isna(frame["event_date"].iloc[1])
    assert frame["actors"].iloc[0][0]["name"] == "Military Forces of Syria"
    table = sitrep.to_frame(records, backend="arrow")
    assert isinstance(table, pa.Table) and table.schema == SCHEMAS["mentions"]
    rows = sitrep.to_frame([flat_row(r) for r in records])  # flat rows: types inferred
    assert rows["actor1"].iloc[0] == "Military Forces of Syria" and rows["killed"].iloc[0] == 12
    assert len(sitrep.to_frame([], unit="incidents").columns) == len(SCHEMAS["incidents"])
    with pytest.raises(ValueError, match="backend"):
        sitrep.to_frame(records, backend="polars")
