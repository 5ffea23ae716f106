"""A trained ACLED sub-event classifier, stored as plain JSON and applied without scikit-learn.

Training uses scikit-learn (TF-IDF word n-grams + logistic regression). The fitted model is
written as its vocabulary, idf weights and coefficients in JSON rather than pickled: a pickle
runs code when loaded and breaks across library versions, and the arithmetic to apply a linear
model is a dozen lines (below), so applying it needs no scikit-learn at all.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
NUMBER = re.compile(r"\d+")
FORMAT = "sitrep-acled-subtype/1"


def default_model_path() -> Path:
    """The user's data folder (never the package): $SITREP_DATA_DIR or the platform's."""
    base = os.environ.get("SITREP_DATA_DIR") or user_data_dir("sitrep")
    return Path(base) / "models" / "acled_subtype.json"


def prepare(text: str) -> str:
    """Lower case, digits folded to 0, so dates and counts do not become vocabulary."""
    return NUMBER.sub("0", text.lower())


def ngrams(text: str, n_max: int) -> list[str]:
    tokens = TOKEN.findall(prepare(text))
    out = list(tokens)
    for n in range(2, n_max + 1):
        out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


@dataclass(frozen=True)
class SubtypeModel:
    """Vocabulary -> column, idf per column, one coefficient row and intercept per class."""

    classes: list[str]
    event_types: dict[str, str]  # sub-event type -> ACLED event type
    vocabulary: dict[str, int]
    idf: list[float]
    coef: list[list[float]]
    intercept: list[float]
    ngram_max: int
    meta: dict[str, Any]

    def scores(self, text: str) -> list[float]:
        counts = Counter(t for t in ngrams(text, self.ngram_max) if t in self.vocabulary)
        weights = {self.vocabulary[t]: c * self.idf[self.vocabulary[t]] for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return [b + sum(row[i] * w / norm for i, w in weights.items())
                for row, b in zip(self.coef, self.intercept, strict=True)]

    def predict(self, text: str) -> tuple[str, str, float]:
        """(ACLED event type, sub-event type, probability) for a text."""
        scores = self.scores(text)
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        best = scores.index(top)
        sub = self.classes[best]
        return self.event_types.get(sub, ""), sub, exp[best] / sum(exp)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "classes": self.classes, "event_types": self.event_types,
                "vocabulary": self.vocabulary, "idf": [round(v, 5) for v in self.idf],
                "coef": [[round(v, 5) for v in row] for row in self.coef],
                "intercept": [round(v, 5) for v in self.intercept], "ngram_max": self.ngram_max, "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubtypeModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a sitrep ACLED sub-type model (format {data.get('format')!r})")
        return cls(data["classes"], data["event_types"], data["vocabulary"], data["idf"], data["coef"],
                   data["intercept"], data["ngram_max"], data.get("meta", {}))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)


@lru_cache(maxsize=4)
def load_model(path: str) -> SubtypeModel | None:
    """The model at `path`, or None when there is none (the default pipeline works without it)."""
    file = Path(path)
    if not file.exists():
        return None
    return SubtypeModel.from_json(json.loads(file.read_text(encoding="utf-8")))
