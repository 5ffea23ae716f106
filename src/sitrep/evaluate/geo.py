"""Score geoparsing on toponym corpora: LGL-style and GeoVirus-style XML, told apart automatically.

Two measures, as in the literature (Gritta et al.): *resolution* hands the resolver each gold
span and asks for a point (acc@161: within 161 km, 100 miles, of the gold point); *end to end*
runs recognition and resolution on the raw text and matches predicted toponyms to gold spans by
overlap. The predicted toponyms are the PLACE mentions and the demonyms naming a country
("Russian"), which LGL counts as toponyms (`e2e_precision_places` leaves the demonyms out). A
toponym is resolved to the point of what it names: a country's or province's GeoNames point (an
*event* placed only at country level still gets no point in its record). `no_point` counts
resolved toponyms that had none all the same.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.evaluate.batches import run_docs
from sitrep.evaluate.metrics import haversine_km, mean, median, ratio

WITHIN_KM = 161.0
SEARCH_WINDOW = 20  # characters either side of a gold offset in which to look for the name


@dataclass(frozen=True)
class GoldToponym:
    name: str
    start: int
    end: int
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class GeoArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    unaligned: int = 0  # gold toponyms whose name was not found near their offsets


def parse_xml(path: str | Path) -> ET.Element:
    """The corpus root; a file with stray '&' or control characters is repaired and parsed again."""
    raw = Path(path).read_bytes()
    try:
        return ET.fromstring(raw)
    except ET.ParseError:
        text = raw.decode("utf-8", errors="replace")
        text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", text)
        text = re.sub(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)", "&amp;", text)
        text = re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip())
        return ET.fromstring(text)


def corpus_format(root: ET.Element) -> str:
    """'lgl' (<toponyms><toponym><phrase>) or 'geovirus' (<locations><location><name>)."""
    if root.find(".//toponym") is not None:
        return "lgl"
    if root.find(".//locations/location") is not None or root.find(".//location/name") is not None:
        return "geovirus"
    raise ValueError("neither LGL (<toponym>) nor GeoVirus (<location>) elements found")


def read_geo(path: str | Path) -> tuple[str, list[GeoArticle]]:
    root = parse_xml(path)
    shape = corpus_format(root)
    articles = []
    for i, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        if not text.strip():
            continue
        if shape == "lgl":
            raw = [(t.findtext("phrase") or "", t.findtext("start"), t.findtext("end"),
                    t.findtext("gaztag/lat"), t.findtext("gaztag/lon")) for t in article.iter("toponym")]
        else:
            raw = [(t.findtext("name") or "", t.findtext("start"), t.findtext("end"), t.findtext("lat"),
                    t.findtext("lon")) for t in article.iter("location")]
        toponyms, unaligned = [], 0
        for name, start, end, lat, lon in raw:
            span = align(text, name.strip(), _int(start), _int(end))
            if span is None:
                unaligned += 1
                continue
            toponyms.append(GoldToponym(name.strip(), span[0], span[1], _float(lat), _float(lon)))
        articles.append(GeoArticle(article.get("docid") or article.findtext("source") or str(i), text,
                                   tuple(toponyms), unaligned))
    return shape, articles


def align(text: str, name: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    """The gold span, corrected to where `name` really is: the occurrence nearest the given start."""
    if start is not None and end is not None and text[start:end] == name:
        return start, end
    if not name:
        return None
    anchor = start if start is not None else 0
    low = max(0, anchor - SEARCH_WINDOW)
    window = text[low : anchor + len(name) + SEARCH_WINDOW]
    for haystack, needle in ((window, name), (window.lower(), name.lower())):
        hits = [m.start() + low for m in re.finditer(re.escape(needle), haystack)]
        if hits:
            best = min(hits, key=lambda h: abs(h - anchor))
            return best, best + len(name)
    return None


def find_resolver(pipeline: Any) -> Any:
    for component in getattr(pipeline, "components", []):
        if hasattr(component, "resolve_span"):
            return component
    raise ValueError("the pipeline has no place resolver (a component with resolve_span)")


def score_geo(pipeline: Any, articles: Iterable[GeoArticle], *, on_item: Callable[[], None] | None = None,
              batch_size: int = 16) -> dict[str, Any]:
    started = time.perf_counter()
    resolver = find_resolver(pipeline)
    n_articles = n = resolved_hits = no_point = unresolved = e2e_found = 0
    predicted_total = predicted_matched = no_gold_point = unaligned = demonyms_total = demonyms_matched = 0
    errors: list[float] = []
    for article, doc in run_docs(pipeline, articles, lambda a: (a.text, None), batch_size=batch_size):
        n_articles += 1
        unaligned += article.unaligned
        predicted = predicted_toponyms(doc)
        predicted_total += len(predicted)
        matched = [any(_overlap(start, end, t) for t in article.toponyms) for start, end, _ in predicted]
        predicted_matched += sum(matched)
        demonyms = len(doc.ext.get("demonym_places") or []) if doc else 0
        demonyms_total += demonyms
        demonyms_matched += sum(matched[len(matched) - demonyms :]) if demonyms else 0
        for toponym in article.toponyms:
            if toponym.lat is None or toponym.lon is None:
                no_gold_point += 1
                continue
            n += 1
            location = resolver.resolve_span(doc, toponym.start, toponym.end) if doc else None
            if location is None:
                unresolved += 1
            elif location.get("lat") is None or location.get("lon") is None:
                no_point += 1
            else:
                error = haversine_km(location["lat"], location["lon"], toponym.lat, toponym.lon)
                errors.append(error)
                resolved_hits += error <= WITHIN_KM
            e2e_found += any(_overlap(start, end, toponym) and _near(norm, toponym) for start, end, norm in predicted)
        if on_item:
            on_item()
    return {
        "n": n,
        "articles": n_articles,
        "resolution_acc_161": ratio(resolved_hits, n),
        "resolution_acc_161_with_point": ratio(resolved_hits, len(errors)),
        "e2e_recall_161": ratio(e2e_found, n),
        "e2e_precision": ratio(predicted_matched, predicted_total),
        "e2e_precision_places": ratio(predicted_matched - demonyms_matched, predicted_total - demonyms_total),
        "mean_error_km": mean(errors),
        "median_error_km": median(errors),
        "unresolved": unresolved,
        "no_point": no_point,
        "gold_without_point": no_gold_point,
        "gold_unaligned": unaligned,
        "predicted_places": predicted_total - demonyms_total,
        "predicted_demonyms": demonyms_total,
        "seconds": time.perf_counter() - started,
    }


def predicted_toponyms(doc: Any) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, norm) of every toponym the pipeline found: its resolved places and, as the
    corpora count them, demonyms naming a country ("Russian", "Palestinians")."""
    if doc is None:
        return []
    out = [(m.span.start, m.span.end, m.norm) for m in doc.mentions if m.kind == "PLACE" and m.norm.get("location")]
    out += [(d["start"], d["end"], {"location": d["location"]}) for d in doc.ext.get("demonym_places") or []]
    return out


def _overlap(start: int, end: int, toponym: GoldToponym) -> bool:
    return start < toponym.end and toponym.start < end


def _near(norm: dict[str, Any], toponym: GoldToponym) -> bool:
    """The predicted toponym's own point (a country's too, which an event record leaves out) within 161 km."""
    lat, lon = norm.get("point") or (None, None)
    if lat is None:
        location = norm.get("location") or {}
        lat, lon = location.get("lat"), location.get("lon")
    if lat is None or lon is None or toponym.lat is None or toponym.lon is None:
        return False
    return haversine_km(lat, lon, toponym.lat, toponym.lon) <= WITHIN_KM


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None and text.strip() else None
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None and text.strip() else None
    except ValueError:
        return None
