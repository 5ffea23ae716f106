"""`sitrep train acled` end to end: ACLED-format CSVs in, a JSON model in the user's data folder out,
and the pipeline still extracting with that model present."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

FIELDS = ["event_date", "event_type", "sub_event_type", "country", "notes"]
TOWNS = ["Kisumu", "Nakuru", "Eldoret", "Mombasa", "Garissa", "Machakos", "Nyeri", "Kitale"]


def _rows(offset: int) -> list[dict[str, str]]:
    """Notes written for this test: peaceful protests and armed clashes, ACLED's date-first style."""
    rows = []
    for i, town in enumerate(TOWNS):
        day = 1 + (i + offset) % 27
        rows.append({"event_date": f"{day} May 2020", "event_type": "Protests",
                     "sub_event_type": "Peaceful protest", "country": "Kenya",
                     "notes": f"On {day} May 2020, traders marched peacefully in {town} town to protest "
                              "against new market levies. [size=no report]"})
        rows.append({"event_date": f"{day} June 2020", "event_type": "Battles", "sub_event_type": "Armed clash",
                     "country": "Kenya",
                     "notes": f"On {day} June 2020, police officers clashed with armed bandits near {town}; "
                              f"{i % 3 + 1} bandits were killed in the exchange of fire."})
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _sitrep(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitrep.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=900)


def test_train_writes_a_json_model_to_the_data_folder_and_extract_uses_it(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.csv", _rows(0))
    second = _write(tmp_path / "b.csv", _rows(5))
    env = {"SITREP_DATA_DIR": str(tmp_path / "data")}

    result = _sitrep("train", "acled", str(first), str(second), env=env)
    assert result.returncode == 0, result.stderr
    model_path = tmp_path / "data" / "models" / "acled_subtype.json"
    assert f"saved {model_path}" in result.stdout
    assert "held out" in result.stdout  # each training file held out in turn
    model = json.loads(model_path.read_text(encoding="utf-8"))
    assert set(model["classes"]) == {"Peaceful protest", "Armed clash"}
    assert not any(p.suffix == ".pkl" for p in (tmp_path / "data").rglob("*"))

    note = "On 3 May 2020, teachers marched peacefully in Nyeri town to protest against unpaid salaries."
    run = subprocess.run([sys.executable, "-m", "sitrep.cli", "extract", "-", "--published", "2020-05-04"],
                         input=note, capture_output=True, text=True, env={**os.environ, **env}, timeout=600)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    assert any((r.get("acled") or {}).get("sub_event_type") == "Peaceful protest" for r in records)


def test_train_refuses_a_file_without_enough_labelled_rows(tmp_path: Path) -> None:
    small = _write(tmp_path / "small.csv", _rows(0)[:4])
    result = _sitrep("train", "acled", str(small), env={"SITREP_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode != 0
    assert "too few" in result.stderr
    assert not (tmp_path / "data" / "models" / "acled_subtype.json").exists()
