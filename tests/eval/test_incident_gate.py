"""The incident quality gate: resolution on our own conflict incident set must not fall under
its floors (tests/eval/incident_floors.json) and must beat the one-a-day baseline PETRARCH users
were given, measured with the same scorer users run (`sitrep eval incidents FILE --json`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FLOORS = json.loads((HERE / "incident_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores() -> dict:
    run = subprocess.run([sys.executable, "-m", "sitrep.cli", "eval", "incidents", str(HERE / FLOORS["file"]),
                          "--json"], capture_output=True, text=True, env=dict(os.environ), timeout=900)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_bcubed_f1_holds_its_floor_and_beats_one_a_day(scores: dict) -> None:
    f1 = scores["bcubed"]["f1"]
    assert f1 >= FLOORS["floors"]["bcubed_f1"], scores["bcubed"]
    assert f1 > scores["baselines"]["one_a_day"]["bcubed"]["f1"], scores["baselines"]["one_a_day"]


def test_pairwise_f1_holds_its_floor(scores: dict) -> None:
    assert scores["pairwise"]["f1"] >= FLOORS["floors"]["pairwise_f1"], scores["pairwise"]


def test_matched_incident_dates_hold_their_floor(scores: dict) -> None:
    assert scores["matched"]["date"] >= FLOORS["floors"]["matched_date"], scores["matched"]


def test_matched_incident_tolls_hold_their_floors(scores: dict) -> None:
    """Reconciled killed / injured on matched incidents: revisions and authoritative later tolls."""
    assert scores["matched"]["killed"] >= FLOORS["floors"]["matched_killed"], scores["matched"]
    assert scores["matched"]["injured"] >= FLOORS["floors"]["matched_injured"], scores["matched"]
