"""Leave-one-region-out for `sitrep train acled`: each region is scored by a model that never saw it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.adapt.holdout import leave_one_region_out, regions_of, summary
from sitrep.adapt.train import Note, Unit
from sitrep.cli import main

EVENT_TYPES = {"Attack": "Violence against civilians", "Armed clash": "Battles", "Peaceful protest": "Protests"}


def _unit(rule: str, words: list[str]) -> Unit:
    features = {f"rule={rule}": 1.0, **{f"w:{w}": 1.0 / len(words) ** 0.5 for w in words}}
    return Unit(0, 0, "asserted", {"event_type": EVENT_TYPES[rule], "sub_event_type": rule}, features)


def _notes(region: str, n: int, *, attacks: bool = True) -> list[Note]:
    """The rules call every shooting an armed clash; the rows say civilians were attacked when they were."""
    notes = []
    for i in range(n):
        if attacks:
            notes.append(Note(i % 2, "Attack", [_unit("Armed clash", ["gunmen", "passengers", "killed"])], region,
                              "Violence against civilians"))
        notes.append(Note(i % 2, "Armed clash", [_unit("Armed clash", ["soldiers", "militants", "exchanged"])],
                          region, "Battles"))
        notes.append(Note(i % 2, "Peaceful protest", [_unit("Peaceful protest", ["marched", "traders"])], region,
                          "Protests"))
    return notes


def test_each_region_is_scored_by_a_model_trained_without_it() -> None:
    notes = _notes("Europe", 12) + _notes("Eastern Africa", 8) + _notes("South America", 6)
    assert regions_of(notes) == ["Europe", "Eastern Africa", "South America"]
    report = leave_one_region_out(notes, EVENT_TYPES, c=10.0)
    assert [f["region"] for f in report["folds"]] == ["Europe", "Eastern Africa", "South America"]
    for fold in report["folds"]:
        assert fold["rows"] + fold["train_rows"] == len(notes)
        # the rules miss every attack (a third of the rows); the model learnt elsewhere gets them
        assert fold["rules_sub_event_type_weighted_f1"] < fold["model_sub_event_type_weighted_f1"] == 1.0
        assert fold["rules_event_type_accuracy"] == pytest.approx(2 / 3)
        assert fold["model_event_type_accuracy"] == 1.0
    assert report["mean_model_sub_event_type_weighted_f1"] == 1.0
    assert report["worst_rules_event_type_accuracy"]["value"] == pytest.approx(2 / 3)


def test_regions_limit_the_folds_and_unknown_names_fail() -> None:
    notes = _notes("Europe", 12) + _notes("Eastern Africa", 8)
    report = leave_one_region_out(notes, EVENT_TYPES, regions=["eastern africa"], c=10.0)
    assert [f["region"] for f in report["folds"]] == ["Eastern Africa"]
    with pytest.raises(ValueError, match="Caribbean"):
        leave_one_region_out(notes, EVENT_TYPES, regions=["Caribbean"])


def test_a_region_whose_rest_is_too_small_is_skipped() -> None:
    notes = _notes("Europe", 12) + _notes("Caribbean", 2)
    report = leave_one_region_out(notes, EVENT_TYPES, c=10.0)
    # without Europe only 6 rows remain: too few to train, so that fold is reported as skipped
    assert [f["region"] for f in report["folds"]] == ["Caribbean"]
    assert report["skipped"] == [{"region": "Europe", "rows": 36, "reason": "too few training rows or labels"}]
    assert summary([])["mean_fold_seconds"] is None


def test_train_command_reports_folds_and_saves_no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_DATA_DIR", str(tmp_path))
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "acled_regions.csv"
    result = CliRunner().invoke(main, ["train", "acled", str(fixture), "--leave-one-region-out", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == 5 and report["scheme"] == "leave-one-region-out"
    # five rows cannot train a fold: every region is reported as skipped, none silently dropped
    assert sorted(s["region"] for s in report["skipped"]) == ["(none)", "Eastern Africa", "Europe"]
    assert not list(tmp_path.rglob("*.json"))  # a report, not a training run
    unknown = CliRunner().invoke(main, ["train", "acled", str(fixture), "--leave-one-region-out",
                                        "--regions", "Atlantis"])
    assert unknown.exit_code != 0 and "Atlantis" in unknown.output
