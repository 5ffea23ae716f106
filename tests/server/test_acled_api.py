"""/api/acled/read against a real server: ACLED's parameters, ACLED's envelope, and the unofficial
`acled` client from PyPI working unchanged when pointed at sitrep (ACLED_API_HOST, its legacy
key/email authentication). The store holds incidents resolved from synthetic reports
(bench/synth.py), so every answer is compared with what the store itself says."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pandas as pd
import pytest

from helpers import synthetic_incident_store
from server.sample_corpus import CorpusServer, running_server
from sitrep.export import ACLED_COLUMNS, acled_id
from sitrep.store import IncidentFilter, open_store

pytestmark = pytest.mark.server
FROM, TO = "2016-01-01", "2016-12-31"


@pytest.fixture(scope="module")
def acled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("acled") / "sitrep.duckdb"
    synthetic_incident_store(path, 3000)
    return path


@pytest.fixture(scope="module")
def server(acled_db: Path) -> Iterator[CorpusServer]:
    with running_server(acled_db) as live:
        yield live


def store_ids(db: Path, **filters: str) -> list[str]:
    """The event_id_cnty of every incident the store itself matches, newest first."""
    with open_store(db, read_only=True) as store:
        _, rows = store.query_incidents(IncidentFilter.parse(**filters), limit=None)
    return [acled_id(r["id"], r["location"]["country"]) for r in rows]


def read(server: CorpusServer, **params: str | int) -> httpx.Response:
    return httpx.get(f"{server.url}/api/acled/read", params=params, timeout=30)


def test_the_acled_client_works_unchanged(server: CorpusServer) -> None:
    syria = store_ids(server.db_path, country="SYR", date_from=FROM, date_to=TO)
    assert len(syria) > 60
    script = f"""
import json, warnings
warnings.simplefilter("ignore")
from acled import AcledClient
client = AcledClient()
rows = client.get_data(country="Syria", event_date="{FROM}|{TO}", limit=50,
                       query_params={{"event_date_where": "BETWEEN"}})
print(json.dumps([dict(r, event_date=r["event_date"].isoformat(), timestamp=r["timestamp"].isoformat(),
                       date_type=type(r["event_date"]).__name__) for r in rows]))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACLED_")}
    env.update({"ACLED_API_HOST": f"{server.url}/api", "ACLED_API_KEY": "sitrep-test-key",
                "ACLED_EMAIL": "analyst@example.org", "ACLED_MAX_RETRIES": "0"})
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 50  # the limit, of the many the store holds
    assert [r["event_id_cnty"] for r in rows] == syria[:50]  # the store's incidents, newest first
    for row in rows:
        assert row["country"] == "Syria" and row["iso"] == "760" and row["region"] == "Middle East"
        assert FROM <= row["event_date"] <= TO and row["date_type"] == "date"  # the client parsed it
        assert isinstance(row["fatalities"], int) and set(ACLED_COLUMNS) <= set(row)


def test_envelope_and_paging(server: CorpusServer) -> None:
    everything = store_ids(server.db_path)
    first = read(server, limit=100).json()
    assert set(first) >= {"status", "success", "count", "data"}
    assert (first["status"], first["success"], first["count"]) == (200, True, 100)
    second = read(server, limit=100, page=2).json()
    assert [r["event_id_cnty"] for r in first["data"] + second["data"]] == everything[:200]
    assert read(server, limit=0).json()["count"] == len(everything)  # 0: no cap, as acledR asks
    row = first["data"][0]
    assert list(row) == list(ACLED_COLUMNS) and all(isinstance(v, str) or v is None for v in row.values())


def test_filters_follow_acleds_parameters(server: CorpusServer) -> None:
    db = server.db_path
    between = read(server, event_date=f"{FROM}|{TO}", event_date_where="BETWEEN", limit=0).json()["data"]
    assert [r["event_id_cnty"] for r in between] == store_ids(db, date_from=FROM, date_to=TO)
    after = read(server, event_date=TO, event_date_where=">", limit=0).json()["data"]
    assert after and all(r["event_date"] > TO for r in after)
    both = read(server, country="Syria|Iraq", limit=0).json()["data"]
    assert {r["country"] for r in both} == {"Syria", "Iraq"}
    assert len(both) == len(store_ids(db, country="SYR")) + len(store_ids(db, country="IRQ"))
    assert [r["event_id_cnty"] for r in read(server, iso=760, limit=0).json()["data"]] == store_ids(db, country="SYR")
    middle_east = read(server, region=11, limit=0).json()["data"]  # ACLED's region number
    assert {r["region"] for r in middle_east} == {"Middle East"} and len(middle_east) >= len(both)
    assert read(server, region="Middle East", limit=0).json()["count"] == len(middle_east)
    strikes = read(server, event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                   limit=0).json()["data"]
    assert strikes and {(r["event_type"], r["sub_event_type"]) for r in strikes} == {
        ("Explosions/Remote violence", "Air/drone strike")}
    aleppo = read(server, admin1="Aleppo", limit=0).json()["data"]
    assert aleppo and {r["admin1"] for r in aleppo} == {"Aleppo"}
    actor = aleppo[0]["actor1"]
    exact = read(server, actor1=actor, limit=0).json()["data"]
    assert exact and {r["actor1"] for r in exact} == {actor}
    like = read(server, actor1=actor.split(" ")[0] + "%", actor1_where="LIKE", limit=0).json()["data"]
    assert {r["event_id_cnty"] for r in exact} <= {r["event_id_cnty"] for r in like}
    fields = read(server, fields="event_id_cnty|event_date|fatalities", limit=5).json()["data"]
    assert [list(r) for r in fields] == [["event_id_cnty", "event_date", "fatalities"]] * 5
    numeric = read(server, inter_num=1, limit=20).json()["data"]
    assert all(r["inter1"] is None or r["inter1"].isdigit() for r in numeric)


def test_timestamp_syncs_by_update_time(server: CorpusServer) -> None:
    rows = read(server, limit=0).json()["data"]
    newest = max(int(r["timestamp"]) for r in rows)
    assert read(server, timestamp=newest, limit=0).json()["count"] >= 1
    assert read(server, timestamp=newest + 1, limit=0).json()["count"] == 0
    assert datetime.fromtimestamp(newest).year >= date.today().year - 1


def test_csv_and_errors_are_acleds(server: CorpusServer) -> None:
    response = read(server, _format="csv", country="Syria", limit=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(response.text))
    assert tuple(frame.columns) == ACLED_COLUMNS and len(frame) == 30 and set(frame["iso"]) == {760}
    for params in ({"colour": "red"}, {"event_date": "2016-01-01", "event_date_where": "BETWEEN"},
                   {"region": "Atlantis"}, {"fields": "event_id_cnty|mood"}, {"country": "Narnia"}):
        answer = read(server, **params)
        body = answer.json()
        assert answer.status_code == 400 and body["success"] is False and body["error"][0]["message"], params
        assert "data" not in body


# -- with access control on (web/auth.py): the client's legacy key/email carry a sitrep API key --

CLIENT = """
import json, sys, warnings
warnings.simplefilter("ignore")
from acled import AcledClient
rows = AcledClient().get_data(country="Syria", event_date="{FROM}|{TO}", limit=5,
                              query_params={{"event_date_where": "BETWEEN"}})
print(json.dumps([r["event_id_cnty"] for r in rows]))
"""


@pytest.fixture(scope="module")
def keyed_server(acled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CorpusServer, str]]:
    """A server with --require-keys over a copy of the store holding one read-only key."""
    db = tmp_path_factory.mktemp("acled-keys") / "sitrep.duckdb"
    shutil.copyfile(acled_db, db)
    with open_store(db) as store:
        secret, _ = store.create_api_key("acled-client", read_only=True)
    with running_server(db, args=["--require-keys"]) as live:
        yield live, secret


def run_acled_client(server: CorpusServer, key: str) -> subprocess.CompletedProcess[str]:
    """The client in its own process; one retry, so a 401 comes out as its ClientError (with no retry
    the client reports an auth failure only as 'max retries exceeded')."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACLED_")}
    env.update({"ACLED_API_HOST": f"{server.url}/api", "ACLED_API_KEY": key, "ACLED_EMAIL": "analyst@example.org",
                "ACLED_MAX_RETRIES": "1", "ACLED_RETRY_BACKOFF_FACTOR": "0"})
    return subprocess.run([sys.executable, "-c", CLIENT.format(FROM=FROM, TO=TO)], env=env, capture_output=True,
                          text=True, timeout=120)


def test_with_keys_required_the_client_works_with_a_sitrep_key_and_a_bad_key_gets_401(
    keyed_server: tuple[CorpusServer, str],
) -> None:
    live, secret = keyed_server
    good = run_acled_client(live, secret)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout) == store_ids(live.db_path, country="SYR", date_from=FROM, date_to=TO)[:5]
    bad = run_acled_client(live, secret[:-2] + "xx")
    assert bad.returncode != 0 and "ClientError: Client error (401)" in bad.stderr, bad.stderr
    for params in ({"key": secret[:-2] + "xx", "email": "analyst@example.org"}, {}):
        answer = httpx.get(f"{live.url}/api/acled/read", params={**params, "country": "Syria"}, timeout=30)
        body = answer.json()
        assert answer.status_code == 401 and body["success"] is False and "data" not in body
    # the key in ACLED's query parameter is taken on ACLED's API only
    assert httpx.get(f"{live.url}/api/events", params={"key": secret}, timeout=30).status_code == 401
