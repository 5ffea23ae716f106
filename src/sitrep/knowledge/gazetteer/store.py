"""Read access to the compiled gazetteer: exact, variant and fuzzy look-up by name."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.knowledge.gazetteer.build import ABBREVIATION, GENERATED, PRIMARY, build, default_path
from sitrep.knowledge.gazetteer.names import name_variants, normalize, similarity, skeleton

AREA_FEATURES = frozenset({"admin1", "admin2", "region"})
POINT_FEATURES = frozenset({"city", "town", "village"})
FUZZY_MIN = 82.0  # similarity (0-100) a skeleton match needs to count: "Kafranbel" ~ "Kafr Nabl" is 89


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry, as the places component and the event record need it."""

    id: int
    geonameid: int | None
    name: str
    country: str | None  # ISO2, as GeoNames
    country3: str | None
    admin1_code: str | None
    admin1: str | None
    admin1_pcode: str | None
    lat: float | None
    lon: float | None
    population: int
    feature: str
    geo_precision: int | None
    admin2: str | None = None
    seat_lat: float | None = None
    seat_lon: float | None = None
    source: str | None = None

    def as_location(self, text: str, *, geo_precision: int | None = None) -> dict[str, Any]:
        """The `location` object of the event record.

        A country-level event gets no point; an area (district, province, region) is placed at
        its seat, the largest town, as ACLED codes such events; admin1 and its P-code only when
        the place is inside one admin1 unit.
        """
        precision = geo_precision if geo_precision is not None else self.geo_precision
        lat, lon = self.event_point()
        has_point = lat is not None and precision is not None and self.feature not in ("country", "continent")
        inside = self.feature not in ("country", "continent")
        return {
            "text": text,
            "name": self.name,
            "geonameid": self.geonameid,
            "lat": round(lat, 4) if has_point and lat is not None else None,
            "lon": round(lon, 4) if has_point and lon is not None else None,
            "country": self.country3,
            "admin1": self.admin1 if inside else None,
            "admin1_pcode": self.admin1_pcode if inside else None,
            "feature": self.feature,
            "geo_precision": precision if has_point else None,
        }

    def event_point(self) -> tuple[float | None, float | None]:
        if self.feature in AREA_FEATURES and self.seat_lat is not None:
            return self.seat_lat, self.seat_lon
        return self.lat, self.lon

    def resolution(self, text: str) -> dict[str, Any]:
        """The toponym's own point (a country's or province's GeoNames point), for geoparsing.

        Unlike an event record, a resolved toponym always has the point of what it names.
        """
        location = self.as_location(text)
        location["lat"] = round(self.lat, 4) if self.lat is not None else None
        location["lon"] = round(self.lon, 4) if self.lon is not None else None
        return location


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place that a name may denote, and how the name matched it."""

    place: Place
    primary: bool  # the place's own name, not an alternate spelling
    generated: bool  # a form we made ("Idlib province", a district's bare name)
    similarity: float  # 100 for an exact folded match


class Gazetteer:
    """Read access to the compiled table; builds it on first use."""

    def __init__(self, path: Path | None = None, *, extra_files: tuple[str, ...] = ()) -> None:
        path = path or default_path(extra_files)
        if not path.exists():
            build(path, extra_files)
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._con.row_factory = sqlite3.Row
        self._cache: dict[str, list[Candidate]] = {}
        self._countries: dict[str, Place | None] = {}

    def candidates(self, name: str) -> list[Candidate]:
        """Every place `name` may denote: exact or article-less spellings, else transliteration matches."""
        norm = normalize(name)
        if not norm:
            return []
        key = f"{norm}." if "." in name else norm
        if key in self._cache:
            return self._cache[key]
        norms = sorted(name_variants(name))
        marks = ",".join("?" * len(norms))
        rows = self._con.execute(
            f"SELECT p.*, min(n.kind) AS kind FROM names n JOIN places p ON p.id = n.place_id "
            f"WHERE n.norm IN ({marks}) GROUP BY p.id", norms).fetchall()
        dotted = "." in name  # an abbreviation ("Ind.", "W.Va.") counts only when written with its period
        found = [Candidate(_place(r), r["kind"] == PRIMARY, r["kind"] == GENERATED, 100.0) for r in rows
                 if r["kind"] != ABBREVIATION or dotted]
        if not found:
            found = self._fuzzy(norm)
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[key] = found
        return found

    def _fuzzy(self, norm: str) -> list[Candidate]:
        skel = skeleton(norm)
        if len(skel) < 4 or len(norm) < 5:
            return []  # short skeletons ("dr") match hundreds of unrelated places
        rows = self._con.execute(
            "SELECT p.*, n.norm AS matched, n.kind AS kind FROM names n JOIN places p ON p.id = n.place_id "
            "WHERE n.skel = ? LIMIT 400", (skel,)).fetchall()
        best: dict[int, Candidate] = {}
        need = FUZZY_MIN if " " not in norm else max(FUZZY_MIN, 90.0)  # "fire district" is not "faro district"
        for row in rows:
            if row["kind"] in (GENERATED, ABBREVIATION):
                continue
            score = similarity(norm, row["matched"])
            if score >= need and (row["id"] not in best or score > best[row["id"]].similarity):
                best[row["id"]] = Candidate(_place(row), row["kind"] == PRIMARY, row["kind"] == GENERATED, score)
        return list(best.values())

    def lookup(self, name: str, *, country: str | None = None, limit: int = 25) -> list[Place]:
        """Places called `name` (any spelling), largest first; `country` is ISO2 or ISO3."""
        found = [c.place for c in self.candidates(name)]
        if country:
            code = country.upper()
            found = [p for p in found if code in (p.country, p.country3)]
        return sorted(found, key=lambda p: (-p.population, p.id))[:limit]

    def point_of(self, name: str, country: str | None = None) -> tuple[float, float] | None:
        """(lat, lon) of the largest place called `name` that has a point, a town before a province of
        the same name ("Aleppo" the city, not the governorate's centroid), never a country: the centre
        of a radius search given as a place name (the API's place + radius_km, the CLI's --near)."""
        candidates = [c for c in self.lookup(name, country=country, limit=10)
                      if c.lat is not None and c.lon is not None and c.feature != "country"]
        candidates.sort(key=lambda c: c.feature in ("admin1", "admin2"))  # stable: each kind by population
        return (candidates[0].lat, candidates[0].lon) if candidates else None  # type: ignore[return-value]

    def known(self, name: str) -> bool:
        norm = normalize(name)
        return bool(norm) and self._con.execute("SELECT 1 FROM names WHERE norm = ? LIMIT 1", (norm,)).fetchone()

    def country(self, code: str) -> Place | None:
        """The country place for an ISO2 or ISO3 code. Every country row is read in one query on
        first use: a query per code scanned the whole places table (no index serves the feature),
        about 0.06 s each, paid again for each new focus country in a process."""
        if not self._countries:
            for row in self._con.execute("SELECT * FROM places WHERE feature = 'country' ORDER BY rowid"):
                place = _place(row)
                for key in (row["country"], row["country3"]):  # the first row per code, as before
                    if key and key not in self._countries:
                        self._countries[key] = place
            self._countries.setdefault("", None)  # loaded, even for a gazetteer without countries
        return self._countries.get(code.upper())

    def admin1_units(self, country: str) -> list[Place]:
        """Every admin1 unit of a country (ISO2 or ISO3)."""
        rows = self._con.execute(
            "SELECT * FROM places WHERE feature = 'admin1' AND (country = ? OR country3 = ?)",
            (country.upper(), country.upper())).fetchall()
        return [_place(r) for r in rows]

    def stats(self) -> dict[str, int]:
        rows = self._con.execute("SELECT feature, count(*) FROM places GROUP BY feature").fetchall()
        names = self._con.execute("SELECT count(*) FROM names").fetchone()[0]
        return {**{r[0]: r[1] for r in rows}, "names": names}


def _place(row: sqlite3.Row) -> Place:
    return Place(
        id=row["id"], geonameid=row["geonameid"], name=row["name"], country=row["country"],
        country3=row["country3"], admin1_code=row["admin1_code"], admin1=row["admin1"],
        admin1_pcode=row["admin1_pcode"], lat=row["lat"], lon=row["lon"], population=row["population"],
        feature=row["feature"], geo_precision=row["geo_precision"], admin2=row["admin2"],
        seat_lat=row["seat_lat"], seat_lon=row["seat_lon"], source=row["source"],
    )


@lru_cache(maxsize=4)
def get_gazetteer(extra_files: tuple[str, ...] = ()) -> Gazetteer:
    """One gazetteer per process (and per set of user gazetteer files), like the spaCy model."""
    return Gazetteer(extra_files=tuple(str(Path(f).resolve()) for f in extra_files))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), for scoring and nearby-place context."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))
