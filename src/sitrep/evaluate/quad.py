"""Score CAMEO quad classes on labelled sentences (text TAB label, 0-4).

0 neutral statement, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material
conflict. A sentence where the pipeline finds no event is predicted 0: "nothing to code" is the
neutral class, which is how the labelled sets treat such sentences.

Quad classes are a convention over CAMEO roots, and public sets use different groupings
(reference/ontology.md 2.1). A five-class set with a neutral class follows the Phoenix grouping
(01-02 neutral, 16 "reduce relations" verbal conflict), so by default the predicted quad is the
event's CAMEO root looked up in the crosswalk's `phoenix` scheme; `scheme="plover"` scores the
record's own PLOVER quad instead.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.evaluate.batches import run_batches
from sitrep.evaluate.metrics import accuracy, confusion, macro_f1, per_class, weighted_f1
from sitrep.evaluate.plover import first_event
from sitrep.knowledge.ontology import get_ontology

QUADS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class QuadItem:
    line: int
    text: str
    label: int


def read_quad(path: str | Path) -> list[QuadItem]:
    """Rows `text<TAB>label`; a header row or a row whose label is not 0-4 is skipped."""
    items = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for line, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if len(row) < 2:
                continue
            text, label = "\t".join(row[:-1]).strip(), row[-1].strip()
            if text and label.isdigit() and int(label) in QUADS:
                items.append(QuadItem(line, text, int(label)))
    return items


def predicted_quad(event: dict[str, Any] | None, scheme: str) -> int:
    """The event's quad under a named scheme; 0 when there is no event."""
    if event is None:
        return 0
    if scheme != "plover" and event.get("cameo"):
        table = get_ontology().quad_schemes.get(scheme, {})
        root = str(event["cameo"])[:2]
        if root in table:
            return int(table[root])
    return int(event["quad"]) if event.get("quad") is not None else 0


def score_quad(pipeline: Any, items: Iterable[QuadItem], *, on_item: Callable[[], None] | None = None,
               batch_size: int = 64, scheme: str = "phoenix") -> dict[str, Any]:
    started = time.perf_counter()
    gold: list[int] = []
    predicted: list[int] = []
    for item, records in run_batches(pipeline, items, lambda i: (i.text, None), batch_size=batch_size):
        event = first_event(records)
        gold.append(item.label)
        predicted.append(predicted_quad(event, scheme))
        if on_item:
            on_item()
    classes = per_class(gold, predicted)
    return {
        "n": len(gold),
        "scheme": scheme,
        "accuracy": accuracy(gold, predicted),
        "macro_f1": macro_f1(gold, predicted),
        "weighted_f1": weighted_f1(gold, predicted),
        "per_class": {str(q): classes[q] for q in QUADS if q in classes},
        "seconds": time.perf_counter() - started,
        "confusion": confusion(gold, predicted),
    }
