"""Leave-one-region-out for `sitrep train acled`: train on the other regions, score the one held out.

`train.cross_validate` holds out whole files, which tells whether the model carries to a new
source. A user's export of another part of the world is the harder case (issue 12: training on
all three development files did not help on a region they lack), so each region is held out in
turn and the *whole* training procedure runs on the rest: the override threshold and margin are
chosen by cross-validation on the training regions only, then the model is fit on them. Nothing
about the held-out region is seen before it is scored.

Only the ACLED event type and sub-type change with the model (place, actors, fatalities and date
come from the rules either way), so the held-out figures are those two, for the rules alone and
with the model, read from the lead event exactly as `sitrep eval acled` reads it.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sitrep.adapt.train import C, Note, corrected_types, cross_validate, fit
from sitrep.evaluate.metrics import accuracy, fold, weighted_f1

MIN_TRAIN = 20  # fewer training rows than this (or one label) and a fold is skipped, as train_acled refuses
NO_REGION = "(none)"
RULES_ONLY = 1.1  # a threshold above any probability: the model never overrides, the rules' own reading


def regions_of(notes: Sequence[Note]) -> list[str]:
    """The regions present, largest first (ties by name)."""
    counts = Counter(n.region or NO_REGION for n in notes)
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def held_out_figures(notes: Sequence[Note], typed: Sequence[tuple[str, str]]) -> dict[str, float | None]:
    """Event-type accuracy and sub-type weighted F1 of predicted (type, sub-type) pairs against the notes."""
    with_type = [(n.event_type, t[0]) for n, t in zip(notes, typed, strict=True) if n.event_type]
    return {"event_type_accuracy": accuracy([g for g, _ in with_type], [p for _, p in with_type]),
            "sub_event_type_weighted_f1": weighted_f1([n.sub_event_type for n in notes], [t[1] for t in typed])}


def leave_one_region_out(notes: Sequence[Note], event_types: dict[str, str], *, regions: Sequence[str] = (),
                         c: float = C, on_fold: Callable[[str], None] | None = None) -> dict[str, Any]:
    """One fold per region (or per region in `regions`), then the mean and the worst region.

    Each fold reports the held-out rows, the threshold and margin chosen without them, the rules'
    and the model's figures on them, and its seconds (fold time is the cost of the full report).
    """
    present = regions_of(notes)
    wanted = [r for r in present if not regions or fold(r) in {fold(x) for x in regions}]
    missing = [r for r in regions if fold(r) not in {fold(x) for x in present}]
    if missing:
        raise ValueError(f"no training rows in region {', '.join(map(repr, missing))}; "
                         f"the files have: {', '.join(present)}")
    folds: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for region in wanted:
        if on_fold:
            on_fold(region)
        started = time.perf_counter()
        held = [n for n in notes if (n.region or NO_REGION) == region]
        train = [n for n in notes if (n.region or NO_REGION) != region]
        if len(train) < MIN_TRAIN or len({n.sub_event_type for n in train}) < 2:
            skipped.append({"region": region, "rows": len(held), "reason": "too few training rows or labels"})
            continue
        cv = cross_validate(train, event_types, c=c)
        model = fit(train, event_types, c=c)
        rules = held_out_figures(held, [corrected_types(n, model, RULES_ONLY, 0.0) for n in held])
        learned = held_out_figures(held, [corrected_types(n, model, cv["threshold"], cv["margin"]) for n in held])
        folds.append({"region": region, "rows": len(held), "train_rows": len(train),
                      "threshold": cv["threshold"], "margin": cv["margin"],
                      **{f"rules_{k}": v for k, v in rules.items()}, **{f"model_{k}": v for k, v in learned.items()},
                      "seconds": round(time.perf_counter() - started, 1)})
    return {"scheme": "leave-one-region-out", "folds": folds, "skipped": skipped, **summary(folds)}


def summary(folds: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Mean over folds (each region weighs the same) and the worst region of each figure."""
    out: dict[str, Any] = {}
    for key in ("rules_sub_event_type_weighted_f1", "model_sub_event_type_weighted_f1",
                "rules_event_type_accuracy", "model_event_type_accuracy"):
        scored = [(f[key], f["region"]) for f in folds if f.get(key) is not None]
        out[f"mean_{key}"] = statistics.fmean(v for v, _ in scored) if scored else None
        worst = min(scored, default=None)
        out[f"worst_{key}"] = {"region": worst[1], "value": worst[0]} if worst else None
    out["mean_fold_seconds"] = statistics.fmean(f["seconds"] for f in folds) if folds else None
    return out


def region_report(files: Sequence[str], *, regions: Sequence[str] = (), c: float = C,
                  on_row: Callable[[], None] | None = None,
                  on_fold: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the pipeline (without a model) over the files' rows once, then leave each region out."""
    from sitrep.adapt.train import collect

    started = time.perf_counter()
    notes = collect(files, on_row=on_row)
    collected = time.perf_counter() - started
    event_types = {n.sub_event_type: n.event_type or "" for n in notes if n.sub_event_type}
    report = leave_one_region_out(notes, event_types, regions=regions, c=c, on_fold=on_fold)
    return {"files": list(files), "rows": len(notes), "collect_seconds": round(collected, 1), **report,
            "seconds": round(time.perf_counter() - started, 1)}
