"""The `sitrep` command end to end: the sample corpus into a real store (a DuckDB file, a PostgreSQL
database), queries, exports."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store_backends import BACKENDS, new_store_url

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def sitrep(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], input=stdin, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=600)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample corpus ingested by the CLI into each backend (a DuckDB file, a PostgreSQL database)."""
    db = new_store_url(request.param, tmp_path_factory.mktemp("store"), request, name="corpus")
    result = sitrep("ingest", str(EXAMPLES), "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


def _count_docs() -> int:
    texts = list(EXAMPLES.glob("*.txt"))
    lines = [ln for ln in (EXAMPLES / "batch.jsonl").read_text().splitlines() if ln.strip()]
    return len(texts) + len(lines)


def test_ingest_stores_every_sample_document(corpus_db: str) -> None:
    result = sitrep("events", "--db", str(corpus_db), "--format", "jsonl", "--limit", "0")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len({r["doc_id"] for r in records}) >= _count_docs() - 2  # a short piece may hold no event
    assert any(r["location"] and r["location"]["name"] == "Aleppo" for r in records)


def test_reingest_adds_nothing(corpus_db: str) -> None:
    result = sitrep("ingest", str(EXAMPLES), "--db", str(corpus_db))
    assert result.returncode == 0, result.stderr
    assert f"ingested 0 documents (0 events), skipped {_count_docs()} already stored" in result.stdout


def test_default_db_comes_from_sitrep_db(tmp_path: Path) -> None:
    db = tmp_path / "env.duckdb"
    article = tmp_path / "a.txt"
    article.write_text("Government forces shelled Douma on Monday, killing 4 civilians.")
    result = sitrep("ingest", str(article), "--published", "2016-02-08", env={"SITREP_DB": str(db)})
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_comments_and_references_yield_no_events(corpus_db: str) -> None:
    result = sitrep("events", "--db", str(corpus_db), "--format", "jsonl", "--limit", "0")
    sections = {json.loads(line)["evidence"]["section"] for line in result.stdout.splitlines()}
    assert sections <= {"body", "title"}


def test_events_filters(corpus_db: str) -> None:
    def ids(*args: str) -> set[str]:
        out = sitrep("events", "--db", str(corpus_db), "--format", "jsonl", "--limit", "0", *args)
        assert out.returncode == 0, out.stderr
        return {json.loads(line)["id"] for line in out.stdout.splitlines()}

    everything = ids()
    syria = ids("--country", "Syria")
    assault_2016 = ids("--type", "ASSAULT", "--from", "2016-01-01", "--to", "2016-12-31")
    assert syria and syria < everything and syria == ids("--country", "SYR")
    assert assault_2016 and assault_2016 < everything
    assert ids("--place", "aleppo") and ids("--actor", "Russia") and ids("--status", "planned")
    assert ids("--text", "Madaya")
    # the API's filters, the same on the command line
    near_aleppo = ids("--near", "36.2,37.15", "--radius-km", "30")
    assert near_aleppo and near_aleppo < syria
    in_box = ids("--bbox", "35,32,42,37.5")
    assert near_aleppo <= in_box <= everything and in_box != everything
    strikes = ids("--acled-sub-type", "Air/drone strike")
    assert strikes and strikes == ids("--acled-sub-type", "air/drone strike") < everything
    assert ids("--acled-type", "battles") and ids("--admin1", "aleppo") <= ids("--place", "aleppo")


def test_export_of_incidents_is_one_row_per_incident(corpus_db: str, tmp_path: Path) -> None:
    out = tmp_path / "incidents.csv"
    result = sitrep("export", "--db", str(corpus_db), "--unit", "incidents", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    members = [m for r in rows for m in r["members"].split("; ")]
    assert rows and len(members) == len(set(members))  # a mention belongs to one incident
    events = sitrep("events", "--db", str(corpus_db), "--format", "jsonl", "--limit", "0")
    assert set(members) <= {json.loads(line)["id"] for line in events.stdout.splitlines()}
    assert any(int(r["n_sources"]) > 1 for r in rows)  # the sample has stories told by several outlets


def test_events_rejects_bad_filters(corpus_db: str) -> None:
    result = sitrep("events", "--db", str(corpus_db), "--type", "FIGHT")
    # the option's own check names the bad value and every allowed one (sitrep/vocabulary.py)
    assert result.returncode == 2 and "'FIGHT' is not one of" in result.stderr and "ASSAULT" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson"])
def test_export_formats(corpus_db: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"events.{fmt}"
    result = sitrep("export", "--db", str(corpus_db), "--format", fmt, "-o", str(out), "--country", "SYR")
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and all(r["country"] == "SYR" for r in rows)
    elif fmt == "jsonl":
        records = [json.loads(line) for line in text.splitlines()]
        assert records and all(r["location"]["country"] == "SYR" for r in records)
    else:
        features = json.loads(text)["features"]
        placed = [f for f in features if f["geometry"] is not None]  # country-level ones are listed unplaced
        assert placed and all(f["properties"]["country"] == "SYR" for f in features)
        lon, lat = placed[0]["geometry"]["coordinates"]
        assert 32 < lat < 38 and 35 < lon < 43  # inside Syria, in GeoJSON's lon/lat order


def test_extract_from_stdin_as_jsonl() -> None:
    text = ("Syrian government forces launched an offensive near Aleppo on Monday.\n\n"
            "Peace talks could start next week in Astana, Kazakhstan.")
    result = sitrep("extract", "-", "--published", "2016-02-04", stdin=text)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    kinds = {(r["event_type"], r["status"], r["location"]["name"]) for r in records}
    assert ("ASSAULT", "asserted", "Aleppo") in kinds and ("CONSULT", "planned", "Astana") in kinds
    assert all(r["source"]["published"] == "2016-02-04" for r in records)


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_extract_other_formats(fmt: str) -> None:
    result = sitrep("extract", str(EXAMPLES / "06-aleppo-supply-line.txt"), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "ASSAULT" in result.stdout


def test_rejected_input_sets_exit_code_and_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Rebels shelled Aleppo on Monday.")
    (tmp_path / "empty.txt").write_text("")
    db = tmp_path / "x.duckdb"
    result = sitrep("ingest", str(tmp_path), "--db", str(db), "--published", "2016-02-08")
    assert result.returncode == 1
    assert "rejected" in result.stderr and "empty" in result.stderr
    assert "ingested 1 documents" in result.stdout


def test_gazetteer_and_actor_lookup() -> None:
    gaz = sitrep("gazetteer", "lookup", "Deraa")
    assert gaz.returncode == 0 and "SYR" in gaz.stdout
    actors = sitrep("actors", "lookup", "Hezbollah", "--json")
    assert actors.returncode == 0 and json.loads(actors.stdout.splitlines()[0])["country"] == "LBN"


def test_gazetteer_build_keeps_an_up_to_date_table() -> None:
    """`make demo` and `make install` call it every time: a current table is not compiled again."""
    first = sitrep("gazetteer", "build")  # compiled now or earlier in the run: either way it exists
    assert first.returncode == 0
    again = sitrep("gazetteer", "build")
    assert again.returncode == 0 and again.stdout.startswith("up to date: ") and "--force" in again.stdout


def test_help_lists_every_command() -> None:
    out = sitrep("--help").stdout
    for command in ("extract", "ingest", "events", "export", "serve", "gazetteer", "actors"):
        assert command in out


def test_users_own_actor_file(tmp_path: Path) -> None:
    actors = tmp_path / "my_actors.yaml"
    actors.write_text(
        "- id: SYR_NHB\n  name: Northern Hawks Brigade\n  aliases: [Northern Hawks, NHB]\n  country: SYR\n"
        "  sector: REB\n  acled_inter: 2\n  affiliation: null\n"
    )
    text = "The Northern Hawks shelled government positions near Aleppo on Monday."
    plain = sitrep("extract", "-", "--published", "2016-02-08", stdin=text)
    mine = sitrep("extract", "-", "--published", "2016-02-08", "--actors", str(actors), stdin=text)
    assert plain.returncode == 0 and mine.returncode == 0, mine.stderr
    ids = [a["id"] for line in mine.stdout.splitlines() for a in json.loads(line)["actors"]]
    assert "SYR_NHB" in ids
    assert "SYR_NHB" not in plain.stdout
    looked_up = sitrep("actors", "lookup", "NHB", "--file", str(actors))
    assert looked_up.returncode == 0 and "Northern Hawks Brigade" in looked_up.stdout
