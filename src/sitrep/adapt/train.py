"""`sitrep train acled`: learn to correct the rule coder's ACLED sub-types from a user's own ACLED export.

The unit trained on is the unit the model is applied to: the pipeline runs (without a model) over
each row's notes, and every event it finds that happened and that the rules gave an ACLED type is
labelled with the row's sub-event type (a row's events share its weight). A multinomial logistic
regression over `adapt.features` (the rules' verdict plus the context's words) learns which
verdicts to trust and which words override them. When to override (a probability threshold and a
margin over the rules' own class) is chosen by cross-validation that holds out whole files when
there are several: the model will be applied to other sources than it was fit on, and a setting
that only pays off within one export does not carry. CPU, minutes, nothing downloaded.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.adapt.features import event_features
from sitrep.adapt.model import SubtypeModel
from sitrep.evaluate.acled import OCCURRED, AcledRow, choose_event, read_acled
from sitrep.evaluate.batches import run_docs
from sitrep.evaluate.metrics import weighted_f1

C = 0.3  # L2 strength, chosen by leave-one-file-out on Kenya and Afghanistan exports
MIN_COUNT = 2  # features seen in fewer training events are dropped
THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
MARGINS = (0.0, 0.2, 0.4)
FOLDS = 5


@dataclass
class Unit:
    """One event of a training note: what the lead-event choice reads, and the model's features."""

    start: int
    trigger: int
    status: str
    acled: dict[str, str | None]
    features: dict[str, float]


@dataclass
class Note:
    """A row's label and source file with the events the pipeline found in its notes."""

    source: int
    sub_event_type: str
    events: list[Unit]
    region: str | None = None  # the row's ACLED `region`, for leave-one-region-out
    event_type: str | None = None


def collect(files: Sequence[str | Path], *, pipeline: Any = None,
            on_row: Callable[[], None] | None = None) -> list[Note]:
    """Run the pipeline, minus any trained model, over each labelled row's notes."""
    if pipeline is None:
        from sitrep.pipeline import Pipeline, load_config

        config = load_config()
        config["pipeline"]["components"] = [c for c in config["pipeline"]["components"] if c != "acled_model"]
        pipeline = Pipeline.from_config(config)
    notes: list[Note] = []
    for index, path in enumerate(files):
        rows = [r for r in read_acled(path) if r.sub_event_type]
        for row, doc in run_docs(pipeline, rows, _input):
            units = [Unit(e.sentence.start, e.trigger.start, e.status, dict(e.acled), event_features(doc, e))
                     for e in (doc.events if doc is not None else [])]
            notes.append(Note(index, row.sub_event_type or "", units, row.region, row.event_type))
            if on_row:
                on_row()
    return notes


def _input(row: AcledRow) -> tuple[str, Any]:
    return row.text, row.published


def training_events(notes: Iterable[Note]) -> tuple[list[dict[str, float]], list[str], list[float]]:
    """Features, label and weight of every event that happened and has a rule ACLED type."""
    features, labels, weights = [], [], []
    for note in notes:
        units = [u for u in note.events if u.status in OCCURRED and u.acled.get("event_type")]
        for unit in units:
            features.append(unit.features)
            labels.append(note.sub_event_type)
            weights.append(1.0 / len(units))
    return features, labels, weights


def fit(notes: Sequence[Note], event_types: dict[str, str], *, c: float = C) -> SubtypeModel:
    """A logistic regression over the notes' events, converted to the JSON-able `SubtypeModel`."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    features, labels, weights = training_events(notes)
    if len(set(labels)) < 2:
        raise ValueError("the rows hold fewer than two sub-event types with events found: nothing to learn")
    counts = Counter(name for f in features for name in f)
    kept = [{k: v for k, v in f.items() if counts[k] >= MIN_COUNT} for f in features]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(kept).tocsr()
    matrix.indices = matrix.indices.astype(np.int32)  # the saga solver takes 32-bit indices only
    matrix.indptr = matrix.indptr.astype(np.int32)
    classifier = LogisticRegression(C=c, solver="saga", max_iter=300, tol=1e-3)
    classifier.fit(matrix, labels, sample_weight=np.array(weights))
    classes = [str(k) for k in classifier.classes_]
    coef = classifier.coef_
    intercept = [float(v) for v in classifier.intercept_]
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: softmax over (0, w) is the same model
        coef = np.vstack([np.zeros_like(coef[0]), coef[0]])
        intercept = [0.0, intercept[0]]
    names = vectorizer.get_feature_names_out()
    weights_by_feature = {str(name): [float(v) for v in coef[:, j]] for j, name in enumerate(names)
                          if float(abs(coef[:, j]).max()) >= 5e-5}
    return SubtypeModel(classes, {k: event_types.get(k, "") for k in classes}, weights_by_feature, intercept)


def corrected(note: Note, model: SubtypeModel, threshold: float, margin: float) -> str:
    """The sub-type the evaluation would read for this note with the model applied: its lead event's."""
    return corrected_types(note, model, threshold, margin)[1]


def corrected_types(note: Note, model: SubtypeModel, threshold: float, margin: float) -> tuple[str, str]:
    """(event type, sub-type) of the note's lead event with the model applied; ("none", "none") without one."""
    records = []
    for unit in note.events:
        acled = dict(unit.acled)
        if acled.get("event_type"):
            change = model.correct(unit.features, acled.get("sub_event_type"), threshold=threshold, margin=margin)
            if change and change[0]:
                acled = {"event_type": change[0], "sub_event_type": change[1]}
        records.append({"id": f"{unit.trigger:x}", "status": unit.status, "acled": acled,
                        "evidence": {"start": unit.start}})
    event = choose_event(records)
    if event is None:
        return "none", "none"
    return event["acled"].get("event_type") or "unmapped", event["acled"].get("sub_event_type") or "unmapped"


def cross_validate(notes: Sequence[Note], event_types: dict[str, str], *, seed: int = 13,
                   c: float = C) -> dict[str, Any]:
    """Held-out wF1 of the rules and of every (threshold, margin), per held-out file and overall.

    With several files each is held out in turn (transfer to a new source, which is how the model
    is used); with one, rows are split into folds.
    """
    sources = sorted({n.source for n in notes})
    if len(sources) > 1:
        folds = [[i for i, n in enumerate(notes) if n.source == s] for s in sources]
    else:
        order = list(range(len(notes)))
        random.Random(seed).shuffle(order)
        folds = [sorted(order[k::FOLDS]) for k in range(FOLDS)]
    settings = [(t, m) for t in THRESHOLDS for m in MARGINS]
    predicted: dict[tuple[float, float], dict[int, str]] = {s: {} for s in settings}
    for fold in folds:
        held = set(fold)
        model = fit([n for i, n in enumerate(notes) if i not in held], event_types, c=c)
        for setting in settings:
            for i in fold:
                predicted[setting][i] = corrected(notes[i], model, *setting)
    rules = {i: corrected(n, _NO_MODEL, 1.1, 0.0) for i, n in enumerate(notes)}
    groups = folds if len(sources) > 1 else [list(range(len(notes)))]

    def score(prediction: dict[int, str], group: list[int]) -> float:
        return weighted_f1([notes[i].sub_event_type for i in group], [prediction[i] for i in group]) or 0.0

    gains = {s: sum(score(predicted[s], g) - score(rules, g) for g in groups) / len(groups) for s in settings}
    best = max(settings, key=lambda s: (round(gains[s], 4), s))  # ties go to the more cautious setting
    per_group = [{"source": notes[g[0]].source if len(sources) > 1 else None, "rows": len(g),
                  "rules_wf1": round(score(rules, g), 4), "model_wf1": round(score(predicted[best], g), 4)}
                 for g in groups]
    return {"threshold": best[0], "margin": best[1], "held_out": per_group,
            "scheme": "leave-one-file-out" if len(sources) > 1 else f"{FOLDS}-fold"}


_NO_MODEL = SubtypeModel(["-"], {}, {}, [0.0])


def train_acled(files: Iterable[str | Path], *, c: float = C, notes: list[Note] | None = None,
                on_row: Callable[[], None] | None = None) -> tuple[SubtypeModel, dict[str, Any]]:
    """Collect the events of every labelled row, choose when to override by cross-validation, fit on all."""
    started = time.perf_counter()
    files = list(files)
    if notes is None:
        notes = collect(files, on_row=on_row)
    if len(notes) < 20:
        raise ValueError(f"only {len(notes)} rows with notes and sub_event_type: too few to train")
    event_types = {r.sub_event_type: r.event_type or "" for path in files for r in read_acled(path)
                   if r.sub_event_type}
    collected = time.perf_counter() - started
    labels = Counter(n.sub_event_type for n in notes)
    report: dict[str, Any] = {"rows": len(notes), "events": len(training_events(notes)[0]),
                              "classes": dict(labels.most_common()), "collect_seconds": round(collected, 1)}
    report["cross_validation"] = cross_validate(notes, event_types, c=c)
    model = fit(notes, event_types, c=c)
    report["seconds"] = round(time.perf_counter() - started, 1)
    meta = {"files": [str(f) for f in files], "c": c, **{k: v for k, v in report.items() if k != "classes"}}
    cv = report["cross_validation"]
    model = SubtypeModel(model.classes, model.event_types, model.weights, model.intercept,
                         cv["threshold"], cv["margin"], meta)
    return model, report
