"""ACLED's first-level unit for an event's place, where ACLED's admin1 is not GeoNames' admin1.

ACLED codes Malawi by region, Uganda by district, Nepal by development region (data/gazetteer/
acled_units.yaml says which and why). The gazetteer knows the places by GeoNames' units; this
module turns them into the unit ACLED would write, so that an event record's admin1 means what
an ACLED user reads in that column. Countries the file does not name keep GeoNames' admin1.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitrep.knowledge.gazetteer import normalize
from sitrep.knowledge.loader import data_file, load_yaml


@dataclass(frozen=True)
class UnitConvention:
    """One country's rule: which GeoNames level decides, and how its units map to ACLED's."""

    basis: str  # "admin1" or "admin2"
    units: dict[str, str]  # normalized GeoNames unit name -> ACLED's unit; empty: the basis unit itself
    fallback: dict[str, str]  # normalized GeoNames admin1 name -> ACLED's unit, when admin2 is unknown

    def unit(self, admin1: str | None, admin2: str | None) -> str | None:
        """ACLED's unit for a place in these GeoNames units, or None when they do not say."""
        key = admin2 if self.basis == "admin2" else admin1
        if key:
            if not self.units:
                return key
            found = self.units.get(normalize(key))
            if found:
                return found
        return self.fallback.get(normalize(admin1)) if admin1 else None


def _index(groups: dict[str, list[str]] | None) -> dict[str, str]:
    return {normalize(str(name)): unit for unit, names in (groups or {}).items() for name in names}


@lru_cache(maxsize=1)
def conventions() -> dict[str, UnitConvention]:
    """The conventions by ISO3 country code (read once)."""
    entries: list[dict[str, Any]] = load_yaml(data_file("gazetteer", "acled_units.yaml")) or []
    return {e["country"]: UnitConvention(e["basis"], _index(e.get("units")), _index(e.get("fallback")))
            for e in entries}


def acled_admin1(country: str | None, admin1: str | None, admin2: str | None = None) -> str | None:
    """ACLED's admin1 for a place in `country` (ISO3) filed under these GeoNames units; None when
    ACLED uses GeoNames' admin1 there (or the units are unknown)."""
    convention = conventions().get(country or "")
    return convention.unit(admin1, admin2) if convention else None


def with_acled_admin1(location: dict[str, Any], admin2: str | None) -> dict[str, Any]:
    """The location with ACLED's unit as its admin1 where the two differ.

    The admin1 P-code names the GeoNames unit, so it is dropped when the unit changes. A location
    without an admin1 (a country, a region across provinces) is left alone: ACLED's unit is filled
    only to the level the location supports.
    """
    if not location.get("admin1"):
        return location
    unit = acled_admin1(location.get("country"), location["admin1"], admin2)
    if unit is None or unit == location["admin1"]:
        return location
    return {**location, "admin1": unit, "admin1_pcode": None}
