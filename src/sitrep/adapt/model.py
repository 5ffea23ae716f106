"""A trained ACLED sub-event corrector, stored as plain JSON and applied without scikit-learn.

Training uses scikit-learn (a multinomial logistic regression over `adapt.features`). The fitted
model is written as one weight row per feature in JSON rather than pickled: a pickle runs code
when loaded and breaks across library versions, and applying a linear model is a dozen lines
(below), so the pipeline needs no scikit-learn at all.

The model corrects the rule-based coder instead of replacing it: it overrides the rules' sub-type
only when its own choice is probable enough (`threshold`) and clearly more probable than the
rules' choice (`margin`); both are chosen by cross-validation when it is trained.
"""

from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

FORMAT = "sitrep-acled-corrector/2"
log = logging.getLogger(__name__)


def default_model_path() -> Path:
    """The user's data folder (never the package): $SITREP_DATA_DIR or the platform's."""
    base = os.environ.get("SITREP_DATA_DIR") or user_data_dir("sitrep")
    return Path(base) / "models" / "acled_subtype.json"


@dataclass(frozen=True)
class SubtypeModel:
    """Classes, one weight per class for each known feature, an intercept per class, and when to override."""

    classes: list[str]
    event_types: dict[str, str]  # sub-event type -> ACLED event type
    weights: dict[str, list[float]]  # feature -> weight per class
    intercept: list[float]
    threshold: float = 0.5
    margin: float = 0.0
    meta: dict[str, Any] | None = None

    def probabilities(self, features: dict[str, float]) -> list[float]:
        """Softmax of the linear scores; features the model never saw count for nothing."""
        scores = list(self.intercept)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k, weight in enumerate(row):
                    scores[k] += weight * value
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def predict(self, features: dict[str, float]) -> tuple[str, float]:
        """(sub-event type, probability) of the most probable class."""
        probs = self.probabilities(features)
        best = max(range(len(probs)), key=probs.__getitem__)
        return self.classes[best], probs[best]

    def correct(self, features: dict[str, float], current: str | None, *, threshold: float | None = None,
                margin: float | None = None) -> tuple[str, str] | None:
        """(event type, sub-event type) to replace the rules' `current` sub-type with, or None to keep it."""
        threshold = self.threshold if threshold is None else threshold
        margin = self.margin if margin is None else margin
        probs = self.probabilities(features)
        best = max(range(len(probs)), key=probs.__getitem__)
        sub = self.classes[best]
        if sub == current or probs[best] < threshold:
            return None
        kept = probs[self.classes.index(current)] if current in self.classes else 0.0
        if probs[best] - kept < margin:
            return None
        return self.event_types.get(sub, ""), sub

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "classes": self.classes, "event_types": self.event_types,
                "intercept": [round(v, 4) for v in self.intercept], "threshold": self.threshold,
                "margin": self.margin, "meta": self.meta or {},
                "weights": {f: [round(v, 4) for v in row] for f, row in self.weights.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubtypeModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a sitrep ACLED corrector model (format {data.get('format')!r}, "
                             f"expected {FORMAT!r}): run `sitrep train acled` again")
        return cls(data["classes"], data["event_types"], data["weights"], data["intercept"],
                   float(data.get("threshold", 0.5)), float(data.get("margin", 0.0)), data.get("meta", {}))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)


@lru_cache(maxsize=4)
def load_model(path: str) -> SubtypeModel | None:
    """The model at `path`, or None when there is none or it is of an older format.

    The default pipeline works without a model, so a stale file (from an earlier sitrep) falls
    back to the rules with a warning rather than failing every extraction.
    """
    file = Path(path)
    if not file.exists():
        return None
    try:
        return SubtypeModel.from_json(json.loads(file.read_text(encoding="utf-8")))
    except (ValueError, KeyError) as err:
        log.warning("ignoring the ACLED model at %s: %s", file, err)
        return None
