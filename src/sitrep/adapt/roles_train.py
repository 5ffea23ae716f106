"""Train the role filler (components/roles.py) on MUC-4 answer keys: `sitrep train muc4 FILE --split train`.

The pipeline (without the role filler) reads each document; every candidate phrase of the
sentences that report its relevant events (as `evaluate.muc4` defines them) becomes one training
row, labelled with the role whose key string it equals after GTT's normalisation (else "none").
A multinomial logistic regression (scikit-learn) learns the labels from the phrase's parse
features; a threshold per role is then chosen on the last fifth of the training documents by the
document-level strict F1 the scorer computes, with a model fitted on the first four fifths; the
model is refitted on every training document and saved as JSON (the pipeline applies it without
scikit-learn). Only the split it is given is read, so the dev split stays held out.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.components.roles import (
    NONE,
    RoleModel,
    event_phrases,
    select,
    sentence_ranks,
    text_counts,
)
from sitrep.evaluate.muc4 import ROLES, Entity, Muc4Doc, gold_roles, is_relevant, match_role, normalise, read_muc4
from sitrep.record import event_record

CLASSES = [NONE, *ROLES]
THRESHOLDS = [round(0.1 + 0.05 * k, 2) for k in range(17)]  # 0.10 .. 0.90
MIN_FEATURE_COUNT = 2  # a feature seen once is noise and bloats the shipped file


@dataclass
class Row:
    features: list[str]
    text: str  # normalised
    start: int  # token range in the document's parse
    end: int
    label: str


@dataclass
class DocRows:
    """One document's rows, grouped by the relevant event whose sentences gave them, and its key."""

    id: str
    gold: dict[str, list[Entity]]
    events: list[list[Row]] = field(default_factory=list)


def label_of(text: str, gold: dict[str, list[Entity]]) -> str:
    norm = normalise(text)
    if not norm:
        return NONE
    for role in ROLES:
        if any(normalise(m) == norm for entity in gold[role] for m in entity):
            return role
    return NONE


def document_rows(mdoc: Muc4Doc, doc: Any) -> DocRows:
    """The rows of one processed document (a `Document` with its parse and events)."""
    sdoc = doc.ext["spacy"]
    gold = gold_roles(mdoc)
    out = DocRows(mdoc.id, gold)
    ranks, counts = sentence_ranks(sdoc), text_counts(sdoc)
    for event in doc.events:
        if not is_relevant(event_record(doc, event)):
            continue
        rows = []
        for cand, feats in event_phrases(sdoc, (event.sentence.start, event.sentence.end),
                                         (event.trigger.start, event.trigger.end), event.mentions, ranks, counts):
            span = sdoc[cand.start : cand.end]
            text = doc.text[span.start_char : span.end_char]
            rows.append(Row(feats, normalise(text), cand.start, cand.end, label_of(text, gold)))
        out.events.append(rows)
    return out


def collect(path: str | Path, split: str | None, *, limit: int = 0,
            on_doc: Callable[[], None] | None = None) -> list[DocRows]:
    """Run the pipeline (without the role filler, so an old model never feeds its own training) over the split."""
    from sitrep.evaluate.batches import run_docs
    from sitrep.pipeline import Pipeline, load_config

    config = load_config()
    config["pipeline"]["components"] = [c for c in config["pipeline"]["components"] if c != "roles"]
    pipeline = Pipeline.from_config(config)
    docs = [d for d in read_muc4(path) if split is None or d.split == split]
    if limit:
        docs = docs[:limit]
    out = []
    for mdoc, doc in run_docs(pipeline, docs, lambda d: (d.text, d.published), batch_size=16):
        if doc is not None:
            out.append(document_rows(mdoc, doc))
        if on_doc:
            on_doc()
    return out


def fit(docs: Sequence[DocRows], *, c: float = 0.25, thresholds: dict[str, float] | None = None) -> RoleModel:
    """A logistic regression over the rows' features (those seen at least MIN_FEATURE_COUNT times)."""
    from collections import Counter

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows = [r for d in docs for e in d.events for r in e]
    seen = Counter(f for r in rows for f in set(r.features))
    names = sorted(f for f, n in seen.items() if n >= MIN_FEATURE_COUNT)
    index = {f: i for i, f in enumerate(names)}
    data, cols, ptr = [], [], [0]
    for r in rows:
        ids = sorted({index[f] for f in r.features if f in index})
        cols.extend(ids)
        data.extend([1.0] * len(ids))
        ptr.append(len(cols))
    x = csr_matrix((np.array(data), np.array(cols, dtype=np.int64), np.array(ptr)), shape=(len(rows), len(names)))
    y = np.array([CLASSES.index(r.label) for r in rows])
    present = sorted(set(y.tolist()))
    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(x, y)
    coef = np.zeros((len(CLASSES), len(names)))
    intercept = np.full(len(CLASSES), -30.0)  # a class with no example is never chosen
    for k, cls in enumerate(present):
        coef[cls] = clf.coef_[k] if len(present) > 2 else (clf.coef_[0] if k else -clf.coef_[0])
        intercept[cls] = clf.intercept_[k] if len(present) > 2 else (clf.intercept_[0] if k else 0.0)
    weights = {f: coef[:, i].tolist() for f, i in index.items() if np.abs(coef[:, i]).max() >= 1e-3}
    return RoleModel(CLASSES, weights, intercept.tolist(), dict(thresholds or dict.fromkeys(ROLES, 0.5)),
                     {"rows": len(rows), "documents": len(docs), "features": len(weights), "c": c})


def predicted(doc: DocRows, model: RoleModel) -> dict[str, list[str]]:
    """What the pipeline would report for the document: per event, the chosen phrases; pooled, distinct."""
    out: dict[str, list[str]] = {role: [] for role in ROLES}
    for rows in doc.events:
        picks = []
        text = {(r.start, r.end): r.text for r in rows}
        for r in rows:
            role, prob = model.label(r.features)
            if role != NONE:
                picks.append((role, prob, r.start, r.end))
        for role, _, start, end in select(picks):
            if text[(start, end)] not in out[role]:
                out[role].append(text[(start, end)])
    return out


def score(docs: Iterable[DocRows], model: RoleModel) -> dict[str, dict[str, int]]:
    """Per role: predicted strings, gold entities and strict hits, as `evaluate.muc4` counts them."""
    counts = {role: {"pred": 0, "gold": 0, "hits": 0} for role in ROLES}
    for doc in docs:
        pred = predicted(doc, model)
        for role in ROLES:
            counts[role]["pred"] += len(pred[role])
            counts[role]["gold"] += len(doc.gold[role])
            counts[role]["hits"] += match_role(pred[role], doc.gold[role], strict=True)
    return counts


def f1(c: dict[str, int]) -> float:
    return 2 * c["hits"] / (c["pred"] + c["gold"]) if c["pred"] + c["gold"] else 0.0


def micro(counts: dict[str, dict[str, int]]) -> float:
    return f1({k: sum(c[k] for c in counts.values()) for k in ("pred", "gold", "hits")})


def choose_thresholds(docs: Sequence[DocRows], model: RoleModel) -> dict[str, float]:
    """Per role, the threshold with the best document-level strict F1 on `docs` (roles are scored apart)."""
    chosen = {}
    for role in ROLES:
        best = (-1.0, 0.5)
        for t in THRESHOLDS:
            trial = RoleModel(model.classes, model.weights, model.intercept,
                              {r: (t if r == role else 1.1) for r in ROLES}, model.meta)
            value = f1(score(docs, trial)[role])
            if value > best[0] + 1e-9:
                best = (value, t)
        chosen[role] = best[1]
    return chosen


def train_roles(path: str | Path, *, split: str | None = "train", c: float = 0.25, limit: int = 0,
                on_doc: Callable[[], None] | None = None,
                docs: Sequence[DocRows] | None = None) -> tuple[RoleModel, dict[str, Any]]:
    """Collect, fit on four fifths, choose thresholds on the last fifth, refit on all; the report says how it did."""
    started = time.perf_counter()
    docs = list(docs) if docs is not None else collect(path, split, limit=limit, on_doc=on_doc)
    if len(docs) < 10:
        raise ValueError(f"only {len(docs)} documents to train on; need at least 10")
    cut = len(docs) * 4 // 5
    first = fit(docs[:cut], c=c)
    thresholds = choose_thresholds(docs[cut:], first)
    tuned = RoleModel(first.classes, first.weights, first.intercept, thresholds, first.meta)
    held = score(docs[cut:], tuned)
    model = fit(docs, c=c, thresholds=thresholds)
    report = {"documents": len(docs), "rows": model.meta["rows"], "features": model.meta["features"],
              "thresholds": thresholds, "validation_documents": len(docs) - cut,
              "validation_strict_f1": round(micro(held), 4),
              "validation_per_role": {r: {**held[r], "strict_f1": round(f1(held[r]), 4)} for r in ROLES},
              "seconds": round(time.perf_counter() - started, 1)}
    model.meta.update({"split": split, "thresholds_from": f"last {len(docs) - cut} training documents",
                       "validation_strict_f1": report["validation_strict_f1"]})
    return model, report
