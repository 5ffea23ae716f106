"""Scoring arithmetic shared by every scorer: accuracy, per-class F1, confusion, distances, and
the JSONL gold-file reading loop.

Written by hand (a few lines each) so that `sitrep eval` needs no scikit-learn; the averages
follow scikit-learn's definitions so the figures compare with published ones: macro F1 is the
plain mean over every label seen in gold or prediction, weighted F1 weighs each label by its
gold support.
"""

from __future__ import annotations

import json
import math
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

EARTH_RADIUS_KM = 6371.0


def read_jsonl(path: str | Path, parse: Callable[[Any], T]) -> Iterator[T]:
    """`parse` of each non-blank line's JSON, in file order; a line that is not JSON or that
    `parse` refuses (ValueError, KeyError, TypeError) raises ValueError naming the file and line."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = parse(json.loads(line))
            except (ValueError, KeyError, TypeError) as err:
                raise ValueError(f"{path}:{number}: {err}") from err
            yield item


def ratio(hits: int, total: int) -> float | None:
    """hits / total, or None when nothing was measurable (so a report never shows a fake 0)."""
    return hits / total if total else None


def accuracy(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float | None:
    _check(gold, predicted)
    return ratio(sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold))


def per_class(gold: Sequence[Hashable],
              predicted: Sequence[Hashable]) -> dict[Hashable, dict[str, float | int]]:
    """Precision, recall, F1 and gold support for every label in gold or prediction (0 when undefined)."""
    _check(gold, predicted)
    true_pos: Counter[Hashable] = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    gold_n, pred_n = Counter(gold), Counter(predicted)
    out: dict[Hashable, dict[str, float | int]] = {}
    for label in sorted(set(gold_n) | set(pred_n), key=str):
        tp = true_pos[label]
        precision = tp / pred_n[label] if pred_n[label] else 0.0
        recall = tp / gold_n[label] if gold_n[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": precision, "recall": recall, "f1": f1, "support": gold_n[label]}
    return out


def macro_f1(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float | None:
    scores = per_class(gold, predicted)
    return sum(s["f1"] for s in scores.values()) / len(scores) if scores else None


def weighted_f1(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float | None:
    scores = per_class(gold, predicted)
    total = sum(int(s["support"]) for s in scores.values())
    return sum(s["f1"] * int(s["support"]) for s in scores.values()) / total if total else None


def confusion(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, dict[str, int]]:
    """{gold label: {predicted label: count}}, labels as strings so the table is JSON as it stands."""
    _check(gold, predicted)
    table: dict[str, dict[str, int]] = {}
    for g, p in zip(gold, predicted, strict=True):
        row = table.setdefault(str(g), {})
        row[str(p)] = row.get(str(p), 0) + 1
    return {g: dict(sorted(row.items(), key=lambda kv: -kv[1])) for g, row in sorted(table.items())}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def fold(name: str | None) -> str:
    """Case-, diacritic- and punctuation-insensitive form of a name ("Ḥalab" == "halab")."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def rounded(report: dict[str, Any], digits: int = 4) -> dict[str, Any]:
    """Round every float in a (nested) report, for stable JSON and readable tables."""
    out: dict[str, Any] = {}
    for key, value in report.items():
        if isinstance(value, float):
            out[key] = round(value, digits)
        elif isinstance(value, dict):
            out[key] = rounded(value, digits)
        else:
            out[key] = value
    return out


def _check(gold: Sequence[Any], predicted: Sequence[Any]) -> None:
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items, prediction {len(predicted)}")
