"""Which language a text is in, so non-English input is skipped with a reason (not mis-read).

py3langid ships its model inside the wheel (nothing is downloaded). Short texts are too
short to tell reliably, and English news is full of foreign names, so a text is refused only
when it is long enough and the identifier is confident it is something else.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MIN_CHARS = 160  # below this, no verdict: keep the text
CONFIDENT = 0.90  # probability of the top language needed to refuse a text
SAMPLE_CHARS = 4000
SUPPORTED = frozenset({"en"})
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Verdict:
    language: str | None  # ISO 639-1 code, or None when the text is too short to tell
    probability: float
    supported: bool

    def describe(self) -> str:
        return f"{self.language}, p={self.probability:.2f}" if self.language else "undetermined"


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> Verdict:
    """The language of `text` and whether sitrep can read it (English, or too short to tell)."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    letters = sum(ch.isalpha() for ch in sample)
    if letters < MIN_CHARS:
        return Verdict(None, 0.0, True)
    with _lock:
        language, probability = _identifier().classify(sample)
    language = str(language)
    probability = float(probability)
    supported = language in SUPPORTED or probability < CONFIDENT
    return Verdict(language, probability, supported)
