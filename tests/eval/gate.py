"""sitrep's quality gate: score the default pipeline on the project's own gold set, field by field.

The gold set (`gold.jsonl`, written by the project) pins what a careful ACLED/PLOVER coder would
record for each short report. Scores are compared with per-field floors in `baseline.json`, and
the baseline also records the SHA-256 of the gold file, so that editing the gold without
re-baselining is caught (DESIGN.md section 14, style.md habit 10).

The main event is picked two ways, because the two vocabularies ask different questions:

- ACLED fields (event type, sub-event type, actor type, place, country, date, killed) use
  `sitrep.evaluate.acled.choose_event`, the same rule `sitrep eval` applies to ACLED notes: the
  lead asserted/claimed event with an ACLED type, by ACLED precedence.
- PLOVER fields (event type, status, claimed by, denied by) use the first event in text order,
  whatever its status, since a denial or a plan is the report's point when it comes first.

    python tests/eval/gate.py                  # print scores and mismatches
    python tests/eval/gate.py --update         # rewrite baseline.json (floors may only go up)
    python tests/eval/gate.py --update --allow-lower   # also lower floors; explain it in the commit
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.evaluate.acled import choose_event
from sitrep.evaluate.batches import run_batches
from sitrep.evaluate.metrics import fold

HERE = Path(__file__).resolve().parent
GOLD_PATH = HERE / "gold.jsonl"
BASELINE_PATH = HERE / "baseline.json"
MARGIN = 0.02  # a floor sits this far under the measured score, so run-to-run noise does not fail CI

# Fields in report order. ACLED type fields are always scored (null gold = "ACLED would not record
# this", and a predicted ACLED event is then wrong); every other field only where the gold gives it.
FIELDS: tuple[str, ...] = (
    "event_type", "status", "acled_event_type", "acled_sub_event_type", "actor_inter", "actor_id",
    "place", "country", "date", "killed", "claimed_by_id", "denied_by_id",
)
ALWAYS_SCORED = frozenset({"event_type", "status", "acled_event_type", "acled_sub_event_type"})
REQUIRED_KEYS = ("text", "published", "event_type", "status", "acled_event_type", "acled_sub_event_type",
                 "actor_inter", "place", "country", "date", "killed")


@dataclass(frozen=True)
class Mismatch:
    """One field of one gold item that the pipeline got wrong."""

    line: int
    field: str
    gold: Any
    predicted: Any
    text: str

    def __str__(self) -> str:
        return f"  line {self.line:>3} {self.field}: gold={self.gold!r} got={self.predicted!r}  | {self.text[:90]}"


@dataclass
class Result:
    """Per-field hits and totals over the gold set, with every mismatch kept for the report."""

    hits: Counter[str] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)
    mismatches: list[Mismatch] = field(default_factory=list)
    n_items: int = 0

    def add(self, line: int, text: str, name: str, gold: Any, predicted: Any, ok: bool) -> None:
        self.totals[name] += 1
        if ok:
            self.hits[name] += 1
        else:
            self.mismatches.append(Mismatch(line, name, gold, predicted, text))

    def scores(self) -> dict[str, float]:
        return {name: self.hits[name] / self.totals[name] for name in FIELDS if self.totals[name]}

    def mismatches_of(self, name: str) -> list[Mismatch]:
        return [m for m in self.mismatches if m.field == name]

    def kinds(self, top: int = 15) -> list[tuple[tuple[str, Any, Any], int]]:
        """The most frequent (field, gold, predicted) confusions: what the pipeline gets wrong, grouped."""
        return Counter((m.field, _key(m.gold), _key(m.predicted)) for m in self.mismatches).most_common(top)


def gold_digest(path: Path = GOLD_PATH) -> str:
    """SHA-256 of the gold file's bytes: any edit, even whitespace, asks for a deliberate re-baseline."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_gold(path: Path = GOLD_PATH) -> list[tuple[int, dict[str, Any]]]:
    """(line number, item) for every non-blank line of the gold file."""
    items = []
    for line, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.strip():
            items.append((line, json.loads(raw)))
    return items


def first_event(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The event whose trigger comes first in the text (sentence start, then trigger offset)."""
    if not records:
        return None
    return min(records, key=lambda r: (r["evidence"]["start"], _trigger_offset(r)))


def _trigger_offset(record: dict[str, Any]) -> int:
    # Record ids end with the trigger's character offset in hex (sitrep.record.event_id).
    try:
        return int(str(record["id"]).rsplit("-", 1)[1], 16)
    except (IndexError, ValueError):
        return 0


def score(pipeline: Any, items: Iterable[tuple[int, dict[str, Any]]]) -> Result:
    """Run the pipeline over the gold items (in batches) and tally every field."""
    result = Result()
    pairs = run_batches(pipeline, list(items),
                        lambda it: (it[1]["text"], date.fromisoformat(it[1]["published"])))
    for (line, gold), records in pairs:
        result.n_items += 1
        _score_item(result, line, gold, records)
    return result


def _score_item(result: Result, line: int, gold: dict[str, Any], records: list[dict[str, Any]]) -> None:
    first = first_event(records) or {}
    chosen = choose_event(records) or {}
    acled = chosen.get("acled") or {}
    actors = chosen.get("actors") or []
    location = chosen.get("location") or {}
    killed = ((chosen.get("figures") or {}).get("killed") or {}).get("best")
    predicted: dict[str, Any] = {
        "event_type": first.get("event_type"),
        "status": first.get("status"),
        "acled_event_type": acled.get("event_type"),
        "acled_sub_event_type": acled.get("sub_event_type"),
        "actor_inter": actors[0].get("acled_inter") if actors else None,
        "actor_id": actors[0].get("id") if actors else None,
        "place": location.get("name"),
        "country": location.get("country"),
        "date": chosen.get("date"),
        "killed": killed,
        "claimed_by_id": [a.get("id") for a in first.get("claimed_by") or []],
        "denied_by_id": [a.get("id") for a in first.get("denied_by") or []],
    }
    text = gold["text"]
    for name in FIELDS:
        expected = gold.get(name)
        if expected is None and name not in ALWAYS_SCORED:
            continue
        got = predicted[name]
        if name == "place":
            ok = fold(expected) in {fold(location.get("name")), fold(location.get("text"))}
            got = location.get("name") if location.get("text") in (None, location.get("name")) \
                else f"{location.get('name')} ({location.get('text')})"
        elif name in ("claimed_by_id", "denied_by_id"):
            ok = expected in got
        elif name == "killed":
            ok = (got or 0) == expected  # ACLED: no figure reported counts as 0
        else:
            ok = got == expected
        result.add(line, text, name, expected, got, ok)


def floors_from(scores: dict[str, float]) -> dict[str, float]:
    """Each floor: the score rounded down to 2 decimals, minus the noise margin, never below 0."""
    return {name: max(0.0, round(math.floor(value * 100 + 1e-9) / 100 - MARGIN, 2)) for name, value in scores.items()}


def read_baseline(path: Path = BASELINE_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def failures(scores: dict[str, float], floors: dict[str, float]) -> list[str]:
    """Fields under their floor, and floored fields that were not scored at all."""
    out = []
    for name, floor in floors.items():
        value = scores.get(name)
        if value is None:
            out.append(f"{name}: not scored (no gold for it), floor {floor:.2f}")
        elif value < floor:
            out.append(f"{name}: {value:.3f} < floor {floor:.2f}")
    return out


def update_baseline(scores: dict[str, float], *, allow_lower: bool, path: Path = BASELINE_PATH) -> list[str]:
    """Rewrite the baseline from the current scores; return the floors it lowered.

    Raising floors is always allowed. Lowering one (a regression, or harder gold items) needs
    `allow_lower`, so it is a decision someone states in the commit, never a side effect.
    """
    new = floors_from(scores)
    old = read_baseline(path).get("floors", {}) if path.exists() else {}
    lowered = [f"{name}: {old[name]:.2f} -> {value:.2f}" for name, value in new.items()
               if name in old and value < old[name]]
    dropped = [f"{name}: {old[name]:.2f} -> (removed)" for name in old if name not in new]
    if (lowered or dropped) and not allow_lower:
        raise SystemExit("refusing to lower floors without --allow-lower:\n  " + "\n  ".join(lowered + dropped))
    baseline = {"gold_sha256": gold_digest(), "floors": new}
    path.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    return lowered + dropped


def report(result: Result, floors: dict[str, float] | None = None) -> str:
    """Scores, floors, the grouped mismatch kinds and every mismatch, as printable text."""
    scores = result.scores()
    lines = [f"{result.n_items} gold items", f"{'field':<22}{'score':>7}{'n':>5}{'floor':>7}"]
    for name in FIELDS:
        if name in scores:
            floor = (floors or {}).get(name)
            mark = "" if floor is None else f"{floor:>7.2f}" + ("  BELOW" if scores[name] < floor else "")
            lines.append(f"{name:<22}{scores[name]:>7.3f}{result.totals[name]:>5}{mark}")
    lines.append("\nmost frequent mismatch kinds (field, gold, predicted):")
    lines += [f"  {count:>3} x {kind}" for kind, count in result.kinds()]
    lines.append("\nmismatches:")
    lines += [str(m) for m in sorted(result.mismatches, key=lambda m: (m.line, FIELDS.index(m.field)))]
    return "\n".join(lines)


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="rewrite baseline.json from the current scores")
    parser.add_argument("--allow-lower", action="store_true", help="with --update: allow floors to go down")
    args = parser.parse_args(argv)

    import sitrep

    result = score(sitrep.load(), load_gold())
    scores = result.scores()
    baseline = read_baseline() if BASELINE_PATH.exists() else {}
    print(report(result, baseline.get("floors")))
    if args.update:
        lowered = update_baseline(scores, allow_lower=args.allow_lower)
        print(f"\nbaseline rewritten: {BASELINE_PATH}" + (f"; lowered: {lowered}" if lowered else ""))
        return 0
    problems = failures(scores, baseline.get("floors", {}))
    if baseline and baseline.get("gold_sha256") != gold_digest():
        problems.append("gold.jsonl changed since the baseline was written: re-run with --update")
    if problems:
        print("\nGATE FAILS:\n  " + "\n  ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
