"""Which language a text is in, so non-English input is skipped with a reason (not mis-read).

py3langid ships its model inside the wheel (nothing is downloaded). Short texts are too
short to tell reliably, and English news is full of foreign names, so a text is refused only
when it is long enough and the identifier is confident it is something else. A text whose
letters are mostly not Latin (Chinese, Russian, Arabic) is refused from 40 letters on, whatever
the identifier's confidence (it may hesitate between Chinese and Japanese, never towards English).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MIN_CHARS = 160  # below this, no verdict: keep the text
MIN_SCRIPT_CHARS = 40  # letters enough to tell a text mostly in another script (Han, Cyrillic...)
LATIN_SHARE = 0.5  # under this share of Latin letters a text cannot be English, whatever langid's confidence
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
    alpha = [ch for ch in sample if ch.isalpha()]
    letters = len(alpha)
    latin = sum(1 for ch in alpha if ch < "\u0250" or "\u1e00" <= ch <= "\u1eff")
    foreign_script = letters >= MIN_SCRIPT_CHARS and latin < LATIN_SHARE * letters
    if letters < MIN_CHARS and not foreign_script:
        return Verdict(None, 0.0, True)
    with _lock:
        language, probability = _identifier().classify(sample)
    language = str(language)
    probability = float(probability)
    if foreign_script:
        # Chinese, Russian, Arabic... are never English: langid's doubt is only about which language
        return Verdict(language if language not in SUPPORTED else "und", probability, False)
    supported = language in SUPPORTED or probability < CONFIDENT
    return Verdict(language, probability, supported)
