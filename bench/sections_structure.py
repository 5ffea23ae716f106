"""Precision and recall of the sections recognised by structure, per label, over the paragraphs of
the hand-written fixtures in tests/fixtures/ingest/sections/ (each run through `read_text`).

    python bench/sections_structure.py [--json]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import yaml

from sitrep.ingest import read_text

FIXTURES = Path(__file__).parents[1] / "tests" / "fixtures" / "ingest" / "sections"


def paragraphs() -> list[tuple[str, str, str, str]]:
    """(fixture, snippet, expected, predicted) for every labelled paragraph."""
    out = []
    for path in sorted(FIXTURES.glob("*.txt")):
        doc = read_text(path.read_text(encoding="utf-8"))
        labels = yaml.safe_load(path.with_suffix(".labels.yaml").read_text(encoding="utf-8"))
        for snippet, expected in labels:
            at = doc.text.find(snippet)
            out.append((path.stem, snippet, expected, "chrome" if at < 0 else doc.section_at(at)))
    return out


def scores(rows: list[tuple[str, str, str, str]]) -> dict[str, dict[str, float]]:
    gold = Counter(r[2] for r in rows)
    pred = Counter(r[3] for r in rows)
    hit = Counter(r[2] for r in rows if r[2] == r[3])
    result = {}
    for label in sorted(gold | pred):
        p = hit[label] / pred[label] if pred[label] else 0.0
        r = hit[label] / gold[label] if gold[label] else 0.0
        result[label] = {"precision": round(p, 3), "recall": round(r, 3), "gold": gold[label], "predicted": pred[label]}
    return result


def main() -> None:
    rows = paragraphs()
    table = scores(rows)
    wrong = [r for r in rows if r[2] != r[3]]
    if "--json" in sys.argv:
        print(json.dumps({"paragraphs": len(rows), "accuracy": round(1 - len(wrong) / len(rows), 3),
                          "labels": table, "wrong": wrong}, indent=2, ensure_ascii=False))
        return
    print(f"{len(rows)} paragraphs in {len({r[0] for r in rows})} fixtures, accuracy {1 - len(wrong) / len(rows):.3f}")
    for label, s in table.items():
        print(f"  {label:10s} P {s['precision']:.3f}  R {s['recall']:.3f}"
              f"  (gold {s['gold']}, predicted {s['predicted']})")
    for fixture, snippet, expected, got in wrong:
        print(f"  wrong: {fixture}: {snippet!r} expected {expected}, got {got}")


if __name__ == "__main__":
    main()
