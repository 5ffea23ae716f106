"""Every export format, for incidents and for event mentions, read back with the library its users
use: pandas for ACLED CSV, pyarrow / DuckDB / pandas for Parquet, pyogrio and shapely for GeoJSON,
libhxl for HXL, openpyxl for Excel, json for POLECAT. The store holds a few thousand synthetic
incidents (bench/synth.py, resolved by the store's own resolver), so every field is compared
against the record it came from, not against a hand-written expectation.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import hxl
import jsonschema
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio.raw
import pytest
import shapely
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from helpers import synthetic_incident_store
from sitrep.cli import main
from sitrep.export import ACLED_COLUMNS, INCIDENT_CSV_COLUMNS, UNITS, WRITERS, acled_row, write
from sitrep.export.knowledge import export_knowledge
from sitrep.export.parquet import SCHEMAS, typed_row
from sitrep.export.rows import CSV_COLUMNS
from sitrep.knowledge.loader import data_file
from sitrep.store import EventFilter, open_store
from sitrep.vocabulary import EXPORT_FORMAT_SPECS

TABLES = {"incidents": "incidents", "mentions": "events"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exports") / "synth.duckdb"
    synthetic_incident_store(path, 4000)
    return path


@pytest.fixture(scope="module")
def records(store_path: Path) -> dict[str, list[dict[str, Any]]]:
    with open_store(store_path, read_only=True) as store:
        return {unit: list(store.iter_events(EventFilter(), table=table)) for unit, table in TABLES.items()}


def export(records: list[dict[str, Any]], fmt: str, unit: str) -> bytes:
    out = io.BytesIO()
    assert write(iter(records), fmt, out, unit=unit) == len(records)
    return out.getvalue()


def cell(value: Any) -> str:
    return "" if value is None else str(value)


def test_store_holds_thousands_of_incidents_of_every_shape(records: dict[str, list[dict[str, Any]]]) -> None:
    incidents = records["incidents"]
    assert len(incidents) > 2000
    assert any(r["location"].get("lat") is None for r in incidents)  # country level only
    assert any(len(r["actors"]) > 1 for r in incidents) and any(r["recipients"] for r in incidents)
    assert any((r["figures"].get("killed") or {}).get("low") != (r["figures"].get("killed") or {}).get("high")
               for r in incidents if r["figures"].get("killed"))


def test_every_declared_format_has_a_writer() -> None:
    assert list(WRITERS) == list(EXPORT_FORMAT_SPECS)
    for name, spec in WRITERS.items():
        assert spec.media_type and spec.extension and spec.help == EXPORT_FORMAT_SPECS[name].help
    assert {n for n, s in WRITERS.items() if s.binary} == {"parquet", "xlsx"}


def test_export_knowledge_matches_its_schema() -> None:
    schema = json.loads(data_file("schemas", "export.schema.json").read_text())
    raw = yaml.safe_load(data_file("export.yaml").read_text())
    jsonschema.validate(json.loads(json.dumps(raw, default=str)), schema)
    know = export_knowledge()
    countries = [c for r in raw["acled_regions"] for c in r["countries"]]
    assert len(countries) == len(set(countries))  # a country is in one region
    assert know.regions["SYR"].name == "Middle East" and know.regions["UKR"].name == "Europe"
    crosswalk_subtypes = set(know.disorder_types)
    assert crosswalk_subtypes == set(know.acled_phrases)  # a note phrase for every ACLED sub-event type
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**raw, "hxl_tags": {"id": "event id"}}, schema)


@pytest.mark.parametrize("unit", list(TABLES))
def test_acled_csv_reads_back_with_pandas_field_by_field(records: dict[str, list[dict[str, Any]]],
                                                         unit: str) -> None:
    rows = records[unit]
    data = export(rows, "acled", unit)
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == ACLED_COLUMNS
    assert len(frame) == len(rows)
    for record, (_, read) in zip(rows, frame.iterrows(), strict=True):
        expected = acled_row(record, unit)
        for column in ACLED_COLUMNS:
            assert read[column] == cell(expected[column]), (record["id"], column)
    typed = pd.read_csv(io.BytesIO(data), parse_dates=["event_date"])
    assert typed["fatalities"].dtype.kind == "i" and typed["year"].dtype.kind == "i"
    assert (typed["event_date"].dt.year == typed["year"]).all()
    assert typed["event_id_cnty"].is_unique
    # ids are stable: a second export gives every record the same id
    again = pd.read_csv(io.BytesIO(export(rows, "acled", unit)), dtype=str, keep_default_na=False)
    assert again["event_id_cnty"].equals(frame["event_id_cnty"])


def test_acled_row_follows_acleds_conventions(records: dict[str, list[dict[str, Any]]]) -> None:
    incidents = records["incidents"]
    for record in incidents[:500]:
        row = acled_row(record)
        killed = record["figures"].get("killed")
        assert row["fatalities"] == (killed["low"] if killed else 0)  # most conservative, 0 when none
        assert row["event_id_cnty"].startswith(record["location"]["country"])
        assert row["source"] == "; ".join(dict.fromkeys(s["outlet"] for s in record["sources"] if s["outlet"]))
        assert row["notes"].startswith("On ") and row["notes"].endswith(".")
        assert f"sitrep id={record['id']}" in row["tags"]
        assert row["timestamp"] == int(datetime.fromisoformat(record["updated_at"] + "+00:00").timestamp())
        if record["location"].get("lat") is None:  # listed, never placed at a centroid
            assert row["latitude"] is None and row["longitude"] is None
    syria = next(r for r in incidents if r["location"]["country"] == "SYR")
    row = acled_row(syria)
    assert (row["iso"], row["country"], row["region"]) == (760, "Syria", "Middle East")


def test_acled_note_reads_like_acleds() -> None:
    record = {
        "id": "inc-0000000000000001", "event_type": "ASSAULT", "date": "2016-02-03", "status": "claimed",
        "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
        "actors": [{"name": "Military Forces of Russia (2000-)", "acled_inter": 8}],
        "recipients": [{"name": "Civilians (Syria)", "acled_inter": 7}],
        "claimed_by": [{"name": "Syrian Observatory for Human Rights"}],
        "location": {"name": "Anadan", "admin1": "Aleppo", "country": "SYR", "lat": 36.29, "lon": 37.04,
                     "geo_precision": 1},
        "figures": {"killed": {"low": 10, "best": 12, "high": 15}}, "sources": [{"outlet": "Levant Wire"}],
    }
    row = acled_row(record)
    assert row["notes"] == ("On 3 February 2016, Military Forces of Russia (2000-) carried out air or drone strikes "
                            "on Civilians (Syria) in Anadan (Aleppo, Syria). 10-15 killed reported. "
                            "Claimed by Syrian Observatory for Human Rights.")
    assert row["interaction"] == "Civilians-External/Other forces"
    assert row["civilian_targeting"] == "Civilians targeted" and row["disorder_type"] == "Political violence"
    assert row["fatalities"] == 10 and row["tags"] == ("sitrep id=inc-0000000000000001; status=claimed; "
                                                       "fatalities range=10-15")


@pytest.mark.parametrize("unit", list(TABLES))
def test_parquet_is_typed_and_reads_with_pyarrow_duckdb_and_pandas(records: dict[str, list[dict[str, Any]]],
                                                                   unit: str, tmp_path: Path) -> None:
    rows = records[unit]
    path = tmp_path / f"{unit}.parquet"
    path.write_bytes(export(rows, "parquet", unit))
    table = pq.read_table(path)
    assert table.schema.equals(SCHEMAS[unit])
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("killed").type == pa.int64()
    assert pa.types.is_list(table.schema.field("actors").type)
    assert pa.types.is_struct(table.schema.field("actors").type.value_type)
    # field by field: what was written is what the record says
    assert table.to_pylist() == [typed_row(r, unit) for r in rows]
    assert pq.ParquetFile(path).metadata.num_rows == len(rows)
    # DuckDB reads the types and the nested actors
    con = duckdb.connect()
    n, kinds = con.execute(
        f"SELECT count(*), any_value(typeof(event_date)) FROM read_parquet('{path}')").fetchone()
    assert (n, kinds) == (len(rows), "DATE")
    names = con.execute(f"SELECT count(*) FROM (SELECT unnest(actors).name AS name FROM read_parquet('{path}'))"
                        ).fetchone()[0]
    assert names == sum(len(r["actors"]) for r in rows)
    # pandas: figures stay integers (nullable), dates are dates
    frame = pd.read_parquet(path, dtype_backend="pyarrow")
    assert str(frame["killed"].dtype) == "int64[pyarrow]"
    assert frame["killed"].sum() == sum((r["figures"].get("killed") or {}).get("best") or 0 for r in rows)
    assert str(frame["event_date"].dtype) == "date32[day][pyarrow]"


@pytest.mark.parametrize("unit", list(TABLES))
def test_geojson_opens_with_pyogrio_and_lists_unplaced_records(records: dict[str, list[dict[str, Any]]],
                                                               unit: str, tmp_path: Path) -> None:
    rows = records[unit]
    path = tmp_path / f"{unit}.geojson"
    path.write_bytes(export(rows, "geojson", unit))
    collection = json.loads(path.read_text())
    placed = [r for r in rows if r["location"].get("lat") is not None]
    assert collection["unlocated"] == len(rows) - len(placed) > 0
    meta, _, geometry, fields = pyogrio.raw.read(path)
    assert len(geometry) == len(rows)  # every record listed
    points = [shapely.from_wkb(g) if g is not None else None for g in geometry]
    assert sum(p is None for p in points) == collection["unlocated"]
    columns = list(meta["fields"])
    ids = list(fields[columns.index("id")])
    for record, point, fid in zip(rows, points, ids, strict=True):
        assert fid == record["id"]
        if point is None:
            assert record["location"].get("lat") is None  # no centroid invented
        else:
            assert point.is_valid and (point.x, point.y) == (record["location"]["lon"], record["location"]["lat"])


@pytest.mark.parametrize("unit", list(TABLES))
def test_hxl_csv_validates_with_libhxl(records: dict[str, list[dict[str, Any]]], unit: str, tmp_path: Path) -> None:
    rows = records[unit][:1500]
    path = tmp_path / f"{unit}.csv"
    path.write_bytes(export(rows, "hxl", unit))
    columns, flatten = UNITS[unit]
    dataset = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = [c.display_tag for c in dataset.columns]
    assert [c.header for c in dataset.columns] == list(columns)
    assert len(tags) == len(set(tags))  # one column per tag
    assert {"#event+id", "#date+occurred", "#adm1+name", "#adm1+code", "#geo+lat", "#geo+lon",
            "#affected+killed"} <= set(tags)
    read = list(dataset)
    assert len(read) == len(rows)
    for record, row in zip(rows, read, strict=True):
        expected = flatten(record)
        assert row.get("#event+id") == record["id"]
        assert row.values == [cell(expected[c]) for c in columns]
    report = hxl.validate(hxl.data(str(path), hxl.InputOptions(allow_local=True)))
    errors = [i for i in report["issues"] if i["severity"] == "error"]  # HXL's built-in schema: dates, numbers
    assert not errors, errors[:3]  # (numeric outliers are reported as info: real tolls vary)


@pytest.mark.parametrize("unit", list(TABLES))
def test_xlsx_opens_with_openpyxl(records: dict[str, list[dict[str, Any]]], unit: str, tmp_path: Path) -> None:
    rows = records[unit][:800]
    path = tmp_path / f"{unit}.xlsx"
    path.write_bytes(export(rows, "xlsx", unit))
    book = load_workbook(path, read_only=True)
    sheet = book["incidents" if unit == "incidents" else "events"]
    columns, flatten = UNITS[unit]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == tuple(columns) and len(values) == len(rows) + 1
    for record, row in zip(rows, values[1:], strict=True):
        expected = flatten(record)
        for column, got in zip(columns, row, strict=True):
            want = expected[column]
            if isinstance(got, datetime) and column in ("event_date", "date_end", "published", "first_published"):
                assert got.date() == date.fromisoformat(want)  # a real Excel date
            elif isinstance(got, datetime):
                assert abs((got - datetime.fromisoformat(want)).total_seconds()) < 0.001  # Excel keeps ms
            else:
                assert got == (want if want != "" else None), (record["id"], column)


@pytest.mark.parametrize("unit", list(TABLES))
def test_polecat_jsonl_uses_polecats_field_names(records: dict[str, list[dict[str, Any]]], unit: str) -> None:
    rows = records[unit]
    lines = export(rows, "polecat", unit).decode("utf-8").splitlines()
    assert len(lines) == len(rows)
    for record, line in zip(rows, lines, strict=True):
        event = json.loads(line)
        assert {"id", "date", "pub_date", "event_type", "event_mode", "contexts", "event_text", "story_id",
                "publisher", "headline", "version", "attributes"} <= set(event)
        assert (event["id"], event["date"], event["event_type"], event["event_mode"]) == (
            record["id"], record["date"], record["event_type"], record["mode"])
        assert [a["wiki"] for a in event["attributes"]["ACTOR"]] == [a["name"] for a in record["actors"]]
        assert [a["code_1"] for a in event["attributes"]["RECIP"]] == [a["sector"] for a in record["recipients"]]
        geo = event["event_geolocation"]["geo"]
        assert (geo["lat"], geo["country_code3"]) == (record["location"].get("lat"), record["location"]["country"])
        assert geo["resolution"] == (1 if geo["lat"] is None else geo["resolution"])
        killed = record["figures"].get("killed")
        assert event["size"]["dead"] == (killed["best"] if killed else None)
        if unit == "incidents":
            assert [s["story_id"] for s in event["sources"]] == [s["doc_id"] for s in record["sources"]]


def test_writers_stream_without_holding_the_input(records: dict[str, list[dict[str, Any]]]) -> None:
    """The input is a generator consumed once; the text writers have written rows before it ends."""
    out = io.StringIO(newline="")
    seen: list[int] = []

    def generate() -> Any:
        for record in records["incidents"][:200]:
            seen.append(len(out.getvalue()))
            yield record

    write(generate(), "acled", out, unit="incidents")
    assert seen[0] < seen[100] < seen[199]


def test_cli_exports_incidents_by_default_in_every_format(store_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for name, spec in WRITERS.items():
        out = tmp_path / spec.filename(f"all-{name}")
        result = runner.invoke(main, ["export", "--db", str(store_path), "--format", name, "-o", str(out),
                                      "--country", "SYR"])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "all-csv.csv").read_text())))
    assert tuple(rows[0]) == INCIDENT_CSV_COLUMNS and all(r["country"] == "SYR" for r in rows)
    assert pq.read_table(tmp_path / "all-parquet.parquet").num_rows == len(rows)
    acled = pd.read_csv(tmp_path / "all-acled.csv")
    assert len(acled) == len(rows) and set(acled["country"]) == {"Syria"}
    mentions = runner.invoke(main, ["export", "--db", str(store_path), "--unit", "mentions", "--country", "SYR"])
    assert mentions.exit_code == 0
    assert tuple(next(csv.reader(io.StringIO(mentions.output)))) == CSV_COLUMNS


@pytest.mark.parametrize("unit", list(TABLES))
def test_stream_records_gives_what_iter_events_gives(store_path: Path, unit: str) -> None:
    """The export's one-scan stream (storage order) holds exactly the records of the keyset pages."""
    with open_store(store_path, read_only=True) as store:
        for flt in (EventFilter(), EventFilter.parse(country="SYR", date_from="2016-01-01")):
            paged = list(store.iter_events(flt, table=TABLES[unit]))
            streamed = list(store.stream_records(flt, table=TABLES[unit], batch_size=700))
            assert paged and sorted(paged, key=lambda r: r["id"]) == sorted(streamed, key=lambda r: r["id"])


def test_cli_export_caps_duckdbs_memory(store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sitrep export` opens the store with EXPORT_MEMORY_LIMIT (DuckDB's cache over the file was
    most of a 1M-row export's RSS; bench/export_bench.py), and the connection really has it."""
    import sitrep.store
    from sitrep.export.registry import EXPORT_MEMORY_LIMIT

    real = sitrep.store.open_store
    settings: list[tuple[str | None, str]] = []

    def spying(url: Any, **kwargs: Any) -> Any:
        store = real(url, **kwargs)
        limit = store._conn.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        settings.append((kwargs.get("memory_limit"), limit))
        return store

    monkeypatch.setattr(sitrep.store, "open_store", spying)
    out = tmp_path / "capped.parquet"
    result = CliRunner().invoke(main, ["export", "--db", str(store_path), "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert settings == [(EXPORT_MEMORY_LIMIT, "244.1 MiB")]  # 256 MB as DuckDB reports it
    assert pq.read_table(out).num_rows > 2000
