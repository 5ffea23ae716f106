"""`sitrep train acled`: learn the ACLED sub-event type from a user's own ACLED export.

TF-IDF over word 1-2-grams of the notes and a multinomial logistic regression: minutes on a
CPU for tens of thousands of rows, no downloads. Rows without a note or a sub-event type are
skipped. A held-out share of the rows gives an honest accuracy before the final fit on all.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sitrep.adapt.model import SubtypeModel, ngrams
from sitrep.evaluate.acled import read_acled

NGRAM_MAX = 2


def _fit(texts: list[str], labels: list[str], *, max_features: int, c: float) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer=lambda t: ngrams(t, NGRAM_MAX), max_features=max_features,
                                 min_df=2, sublinear_tf=False)
    matrix = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=c, max_iter=2000, class_weight=None)
    classifier.fit(matrix, labels)
    return vectorizer, classifier


def train_acled(files: Iterable[str | Path], *, max_features: int = 30000, c: float = 10.0,
                holdout: float = 0.1, seed: int = 13) -> tuple[SubtypeModel, dict[str, Any]]:
    """Fit on every row of `files`; report the accuracy on a held-out share first."""
    started = time.perf_counter()
    files = list(files)
    rows = [r for path in files for r in read_acled(path) if r.sub_event_type]
    if len(rows) < 20:
        raise ValueError(f"only {len(rows)} rows with notes and sub_event_type: too few to train")
    event_types = {r.sub_event_type: r.event_type or "" for r in rows if r.sub_event_type}
    texts = [r.text for r in rows]
    labels = [r.sub_event_type or "" for r in rows]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * holdout)
    held, kept = order[:cut], order[cut:]
    report: dict[str, Any] = {"rows": len(rows), "classes": dict(Counter(labels).most_common())}
    if held:
        vectorizer, classifier = _fit([texts[i] for i in kept], [labels[i] for i in kept],
                                      max_features=max_features, c=c)
        predicted = classifier.predict(vectorizer.transform([texts[i] for i in held]))
        report["holdout_rows"] = len(held)
        report["holdout_accuracy"] = round(sum(p == labels[i] for p, i in zip(predicted, held, strict=True))
                                           / len(held), 4)
    vectorizer, classifier = _fit(texts, labels, max_features=max_features, c=c)
    vocabulary = {term: int(index) for term, index in vectorizer.vocabulary_.items()}
    coef = classifier.coef_.tolist()
    intercept = classifier.intercept_.tolist()
    classes = [str(c) for c in classifier.classes_]
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: make it symmetric
        coef = [[-v for v in coef[0]], coef[0]]
        intercept = [-intercept[0], intercept[0]]
    report["seconds"] = round(time.perf_counter() - started, 1)
    meta = {"files": [str(f) for f in files], **{k: v for k, v in report.items() if k != "classes"}}
    model = SubtypeModel(classes, event_types, vocabulary, vectorizer.idf_.tolist(), coef, intercept,
                         NGRAM_MAX, meta)
    return model, report
