"""The long-form quality gate: on the long articles of tests/eval/articles (the development set and
the held-out set written after the narrative rules were frozen), event precision and recall must
hold their floors and the events per article stay within 1.5x of gold (tests/eval/articles_floors.json),
measured with the command users run (`sitrep eval articles FILE --json`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FLOORS = json.loads((HERE / "articles_floors.json").read_text(encoding="utf-8"))["sets"]


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request: pytest.FixtureRequest) -> tuple[dict, dict]:
    run = subprocess.run([sys.executable, "-m", "sitrep.cli", "eval", "articles", str(HERE / request.param),
                          "--json"], capture_output=True, text=True, env=dict(os.environ), timeout=900)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout), FLOORS[request.param]


def test_event_precision_and_recall_hold_their_floors(scored: tuple[dict, dict]) -> None:
    scores, floors = scored
    assert scores["event_precision"] >= floors["event_precision"], scores["event_precision"]
    assert scores["event_recall"] >= floors["event_recall"], scores["event_recall"]


def test_events_per_article_stay_within_the_ratio_of_gold(scored: tuple[dict, dict]) -> None:
    scores, floors = scored
    assert scores["events_per_article_ratio"] <= floors["max_events_ratio"], scores["events_per_article_ratio"]
