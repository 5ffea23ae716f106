"""Pairwise similarity of two event mentions and the hard constraints between them."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from sitrep.resolve.block import family, record_date

EARTH_RADIUS_KM = 6371.0088


def place_of(record: dict[str, Any]) -> dict[str, Any]:
    """The mention's location, or {} when it is only the dateline ("NIAMEY, Aug 9 - ...").

    Why: a dateline says where the reporter files from, not where the attack was (ACLED codes the
    event's own place), and a capital taken from it would keep apart reports of one attack.
    """
    loc = record.get("location") or {}
    said = str(loc.get("text") or "")
    text = str((record.get("evidence") or {}).get("text") or "").lstrip(" ,-")
    if said and said.upper() != said and text.startswith(said.upper()) and \
            text[len(said):len(said) + 1] in (",", " ", "\u2013", "-", "("):
        return {}
    return loc


def distance_km(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """Great-circle distance of two records' points (haversine), None when one has no point."""
    la, lb = place_of(a), place_of(b)
    if None in (la.get("lat"), la.get("lon"), lb.get("lat"), lb.get("lon")):
        return None
    p1, p2 = math.radians(la["lat"]), math.radians(lb["lat"])
    dp, dl = p2 - p1, math.radians(lb["lon"] - la["lon"])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _is_point(record: dict[str, Any], cfg: dict[str, Any]) -> bool:
    """A town-level point (geo_precision unknown counts as one when there are coordinates)."""
    loc = place_of(record)
    precision = loc.get("geo_precision")
    return loc.get("lat") is not None and (precision is None or precision <= cfg["point_precision"])


def _day_precision(record: dict[str, Any]) -> bool:
    return record_date(record) is not None and record.get("time_precision") in (1, None)


def cannot_link(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]) -> bool:
    """Never the same incident: far apart in time or space, or different days far apart."""
    da, db = record_date(a), record_date(b)
    if da and db and abs((da - db).days) > cfg["date_window_days"]:
        return True
    if da and db and abs((da - db).days) > cfg.get("stated_window_days", cfg["date_window_days"]) \
            and not _follow_up(a, b, cfg) and not _follow_up(b, a, cfg):
        return True
    points = _is_point(a, cfg) and _is_point(b, cfg)
    km = distance_km(a, b) if points else None
    if km is not None and km > cfg["max_km"]:
        return True
    if da and db and da != db and _day_precision(a) and _day_precision(b) and km is not None \
            and km > cfg["cannot_link_km"]:
        return True
    pa, pb = place_of(a), place_of(b)
    admin_a, admin_b = pa.get("admin1"), pb.get("admin1")
    # Coarse places: two different admin1 units are two places, unless one report names the
    # other's place (a ministry in the capital giving the toll of a strike on a provincial town).
    return km is None and bool(admin_a and admin_b) and admin_a.casefold() != admin_b.casefold() \
        and not _names_place(a, pb, cfg) and not _names_place(b, pa, cfg)


def _follow_up(later: dict[str, Any], earlier: dict[str, Any], cfg: dict[str, Any]) -> bool:
    """Whether `later` may be a follow-up story of `earlier` beyond the stated-date window.

    Why: a follow-up (an arrest, a funeral, a court date) whose lead is dated by its publication
    ("date_basis": "published") carries the day it was printed, days after the happening; it may
    join an earlier incident within `date_window_days` when the two share at least
    `follow_up_min_names` proper names (a victim's, a street's), never on dates alone.
    """
    if later.get("date_basis") != "published":
        return False
    dl, de = record_date(later), record_date(earlier)
    if not dl or not de or dl < de:
        return False
    return len(names(later, cfg["_stop"]) & names(earlier, cfg["_stop"])) >= cfg.get("follow_up_min_names", 1)


def _names_place(record: dict[str, Any], place: dict[str, Any], cfg: dict[str, Any]) -> bool:
    """Whether `record`'s proper names include the name of `place` (its first word will do)."""
    own = names(record, cfg["_stop"])
    return any(str(place.get(k) or "").casefold().split(" ")[0].strip("'’-") in own
               for k in ("name", "text") if place.get(k))


def _keys(record: dict[str, Any]) -> set[str]:
    out = set()
    for actor in [*(record.get("actors") or []), *(record.get("recipients") or [])]:
        key = actor.get("id") or actor.get("name") or actor.get("text")
        if key:
            out.add(str(key).casefold())
    return out


def _type(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]) -> float:
    sub_a, sub_b = (a.get("acled") or {}).get("sub_event_type"), (b.get("acled") or {}).get("sub_event_type")
    if a.get("event_type") == b.get("event_type") and (not sub_a or not sub_b or sub_a == sub_b):
        return 1.0
    return cfg["same_family_similarity"] if family(a, cfg) == family(b, cfg) else 0.0


def _place(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]) -> float | None:
    la, lb = place_of(a), place_of(b)
    name_a, name_b = la.get("name"), lb.get("name")
    if name_a and name_b and name_a.casefold() == name_b.casefold():
        return 1.0
    named = cfg.get("named_place_similarity")
    # A report without a town of its own names the other's town: the ministry in the capital
    # giving the toll of the strike on Saada, or a wire story placed only by its dateline ("KYIV -
    # ... in Uman"). Not when both have a town: a round-up naming two towns struck the same day
    # ("struck Idlib city and Jisr al-Shughur") must not bridge their separate strikes.
    if named is not None and _is_point(a, cfg) != _is_point(b, cfg):
        town, other = (a, b) if _is_point(a, cfg) else (b, a)
        if _names_place(other, place_of(town), cfg):
            return float(named)
    if _is_point(a, cfg) and _is_point(b, cfg):
        km = distance_km(a, b)
        if km is not None:
            return max(0.0, 1.0 - km / cfg["place_scale_km"])
    if la.get("admin1") and lb.get("admin1"):
        return 0.6 if la["admin1"].casefold() == lb["admin1"].casefold() else 0.0
    return None


def _date(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]) -> float | None:
    da, db = record_date(a), record_date(b)
    if not da or not db:
        return None
    days = abs((da - db).days)
    if not (_day_precision(a) and _day_precision(b)):
        return 0.6  # a week or a month containing the other's day: compatible, not evidence
    return 1.0 if days == 0 else max(0.0, 0.6 - days / (cfg.get("stated_window_days", cfg["date_window_days"]) + 1))


_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]{2,}")


def names(record: dict[str, Any], stop: frozenset[str]) -> frozenset[str]:
    """Proper names of a mention: capitalised words of its evidence sentence and its report's title.

    Why: the place, victim and target names a report gives ("Solhan", "Hroza", "the Saudi
    hospital") survive when geocoding or actor coding picks the dateline or a generic actor, and
    two reports of one incident share them. Folded; `stop` drops the capitalised words every
    report has (months, weekdays, sentence-openers).
    """
    text = f"{(record.get('evidence') or {}).get('text') or ''} {(record.get('source') or {}).get('title') or ''}"
    return _names_in(text, stop)


@lru_cache(maxsize=65536)
def _names_in(text: str, stop: frozenset[str]) -> frozenset[str]:
    """Cached: a block compares each mention with many others."""
    return frozenset(w for w in (m.casefold().strip("'’-") for m in _NAME.findall(text)) if w not in stop
                     and len(w) > 2)


def _names(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]) -> float | None:
    stop = cfg["_stop"]
    na, nb = names(a, stop), names(b, stop)
    if not na or not nb:
        return None
    return len(na & nb) / min(len(na), len(nb))


def _figures(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    scores = []
    for kind in ("killed", "injured"):
        fa, fb = (a.get("figures") or {}).get(kind), (b.get("figures") or {}).get(kind)
        va, vb = (fa or {}).get("best"), (fb or {}).get("best")
        if va is not None and vb is not None:
            # Tolls grow as reports come in: a ratio, not equality.
            scores.append(1.0 if va == vb else min(va, vb) / max(va, vb) if max(va, vb) else 1.0)
    return sum(scores) / len(scores) if scores else None


def score(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]) -> float:
    """Weighted mean of the similarities both mentions allow, minus the same-document penalty."""
    w = cfg["weights"]
    ka, kb = _keys(a), _keys(b)
    # Where one side has no comparable place, the names they share stand in for it: a report the
    # geoparser could not place must still say where (a village, a hospital) to join an incident.
    place, named = _place(a, b, cfg), _names(a, b, cfg)
    text_a, text_b = (a.get("evidence") or {}).get("text"), (b.get("evidence") or {}).get("text")
    parts: list[tuple[float, float | None]] = [
        (w["type"], _type(a, b, cfg)),
        (w["actors"], len(ka & kb) / len(ka | kb) if ka and kb else None),
        (w["place"], place if place is not None else named if named is not None else cfg["unknown_place_similarity"]),
        (w["date"], _date(a, b, cfg)),
        (w["figures"], _figures(a, b)),
        (w["names"], named),
        (w["text"], fuzz.token_set_ratio(text_a, text_b) / 100 if text_a and text_b else None),
    ]
    total = sum(weight for weight, value in parts if value is not None)
    value = sum(weight * v for weight, v in parts if v is not None) / total if total else 0.0
    if a.get("doc_id") and a.get("doc_id") == b.get("doc_id"):
        value -= cfg["same_document_penalty"]
    return value
