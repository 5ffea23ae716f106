"""The quality gate: the default pipeline must not score under the pinned floors on the project's gold set.

The pipeline is loaded and run over the gold set once per session (module fixture); each field is
its own test so a failure names the field, its score, its floor and the items it got wrong.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from sitrep.evaluate.acled import PRECEDENCE
from sitrep.store.filters import EVENT_TYPES, STATUSES


def _load_gate() -> ModuleType:
    # tests/eval is not a package (and "eval" shadows a builtin name), so load gate.py by path.
    path = Path(__file__).with_name("gate.py")
    spec = importlib.util.spec_from_file_location("sitrep_quality_gate", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gate = _load_gate()
BASELINE = gate.read_baseline()
FLOORS: dict[str, float] = BASELINE["floors"]


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    import sitrep

    return gate.score(sitrep.load(), gate.load_gold())


def test_quality_gate_gold_digest_matches_baseline() -> None:
    """Editing gold.jsonl without re-baselining would silently move every floor's meaning."""
    assert BASELINE["gold_sha256"] == gate.gold_digest(), (
        "tests/eval/gold.jsonl changed since baseline.json was written; run "
        "`python tests/eval/gate.py --update` and commit the new baseline with the gold change")


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_quality_gate_field_meets_floor(result, field: str) -> None:  # type: ignore[no-untyped-def]
    scores = result.scores()
    assert field in scores, f"{field}: has a floor but no gold item gives it"
    floor = FLOORS[field]
    if scores[field] < floor:
        lines = "\n".join(str(m) for m in result.mismatches_of(field))
        pytest.fail(f"{field}: score {scores[field]:.3f} is below its floor {floor:.2f} "
                    f"({result.hits[field]}/{result.totals[field]}); mismatches:\n{lines}")


def test_quality_gate_every_scored_field_has_a_floor(result) -> None:  # type: ignore[no-untyped-def]
    """A field that gains gold items must also gain a floor, or it is measured but never guarded."""
    assert sorted(result.scores()) == sorted(FLOORS)


@pytest.mark.parametrize(("line", "item"), gate.load_gold(), ids=lambda v: f"line{v}" if isinstance(v, int) else "")
def test_quality_gate_gold_item_is_well_formed(line: int, item: dict) -> None:
    """Gold labels use the project's vocabularies, so a typo cannot become a permanent mismatch."""
    missing = [key for key in gate.REQUIRED_KEYS if key not in item]
    assert not missing, f"line {line}: missing {missing}"
    assert item["event_type"] in EVENT_TYPES
    assert item["status"] in STATUSES
    pair = (item["acled_event_type"], item["acled_sub_event_type"])
    assert pair == (None, None) or pair in PRECEDENCE, f"line {line}: unknown ACLED pair {pair}"
    assert item["actor_inter"] is None or 1 <= item["actor_inter"] <= 8
    date.fromisoformat(item["published"])
    if item["date"] is not None:
        assert date.fromisoformat(item["date"]) <= date.fromisoformat(item["published"])
    assert item["country"] is None or (len(item["country"]) == 3 and item["country"].isupper())
    assert item["killed"] is None or (isinstance(item["killed"], int) and item["killed"] >= 0)
    assert 1 <= item["text"].count(". ") + 1 <= 3, f"line {line}: one to three sentences"
    assert json.dumps(item)  # serialisable as written


def test_quality_gate_floors_sit_under_scores_by_the_margin() -> None:
    """The floor rule itself: round down to 2 decimals, then subtract the noise margin."""
    assert gate.floors_from({"a": 0.859, "b": 1.0, "c": 0.01}) == {"a": 0.83, "b": 0.98, "c": 0.0}


def test_quality_gate_update_refuses_to_lower_without_flag(tmp_path: Path) -> None:
    """Lowering a floor must be an explicit decision (--allow-lower), never a side effect of --update."""
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"gold_sha256": "x", "floors": {"event_type": 0.9}}))
    with pytest.raises(SystemExit, match="event_type: 0.90 -> 0.78"):
        gate.update_baseline({"event_type": 0.8}, allow_lower=False, path=path)
    assert json.loads(path.read_text())["floors"] == {"event_type": 0.9}
    assert gate.update_baseline({"event_type": 0.8}, allow_lower=True, path=path) == ["event_type: 0.90 -> 0.78"]
    assert json.loads(path.read_text())["floors"] == {"event_type": 0.78}
