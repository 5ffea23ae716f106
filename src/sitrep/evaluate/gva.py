"""Score each real local-news article's lead event against its Gun Violence Archive incident.

The corpus (../shared/data/gva, README there) pairs a JSONL of articles (`id`, `url`, `title`,
`text`, `published`, `incident`) with a CSV of incidents (`incident`, `date`, `state`,
`city_or_county`, `latitude`, `longitude`, `killed`, `injured`, ...). Every article reports one
shooting, so without any cross-document resolution the article's single most important event
should carry that shooting's place, date and figures. That event, the *lead event*, is chosen
without seeing the gold:

- among the article's occurrences (`kind` == "occurrence"; background, commentary and headline
  events are not reports of the story's happening) that happened: status `asserted` or `claimed`.
  Claimed counts because local news attributes nearly every fact ("..., police said"), and the
  pipeline marks an attributed report as claimed; without it most articles would have no lead.
  It is the same set of statuses the ACLED scorer reads as "happened" (`evaluate.acled.OCCURRED`);
- the most violent one: the most killed, then the most injured (no figure counts as 0, as the
  incident records count), then the more violent event type by PLOVER's base score in
  plover.yaml (ASSAULT -9 before COERCE -7 before PROTEST -5 ...), then the first in the text.

The four per-article figures are then: place within 25 km of the incident's coordinates (or of
its city, looked up in the gazetteer within its state, when the record has no coordinates), date
equal to the incident date, killed equal and injured equal. Each is over the articles whose
incident gives that field. Beside them: the always-0 baseline for killed and injured, and the
reportable events per article (occurrences, asserted/claimed/denied/planned, as
`evaluate.articles.counted` defines them), since an article about one shooting should not yield
a dozen events.
"""

from __future__ import annotations

import csv
import re
import statistics
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.evaluate.acled import OCCURRED
from sitrep.evaluate.metrics import fold, haversine_km, ratio, read_jsonl

WITHIN_KM = 25.0
LEAD_STATUSES = frozenset(OCCURRED)  # asserted, claimed: see the module docstring
US = frozenset({"US", "USA"})
Point = tuple[float, float]


@dataclass(frozen=True)
class GvaArticle:
    """One article as the corpus gives it; `incident` is the gold link, never shown to the pipeline."""

    id: str
    url: str | None
    title: str | None
    text: str
    published: date | None
    incident: str


@dataclass(frozen=True)
class GvaIncident:
    """The fields of one GVA incident the per-article score compares; None where the record is blank."""

    id: str
    date: date | None
    state: str | None
    city: str | None
    lat: float | None
    lon: float | None
    killed: int | None
    injured: int | None


# -- reading -------------------------------------------------------------------------------
def read_gva_articles(path: str | Path) -> Iterator[GvaArticle]:
    """Articles in file order; a line without text or incident raises ValueError naming the line."""
    return read_jsonl(path, _gva_article)


def _gva_article(data: dict[str, Any]) -> GvaArticle:
    return GvaArticle(id=str(data["id"]), url=data.get("url"), title=data.get("title"),
                      text=str(data["text"]), published=_date(data.get("published")),
                      incident=str(data["incident"]))


def read_gva_incidents(path: str | Path) -> dict[str, GvaIncident]:
    """{incident id: incident}; blank fields (156 incidents lack date, place and figures) read as None."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return {row["incident"]: GvaIncident(
            id=row["incident"], date=_date(row.get("date")), state=(row.get("state") or "").strip() or None,
            city=(row.get("city_or_county") or "").strip() or None, lat=_float(row.get("latitude")),
            lon=_float(row.get("longitude")), killed=_int(row.get("killed")), injured=_int(row.get("injured")),
        ) for row in csv.DictReader(fh) if row.get("incident")}


def incidents_path(docs_path: str | Path, stems: tuple[str, ...] = ("docs",)) -> Path:
    """The incidents CSV paired with a documents JSONL: `X_docs.jsonl` -> `X_incidents.csv` beside it
    (`stems` are the accepted name endings before `.jsonl`; the incident set also names `X_reports`)."""
    docs = Path(docs_path)
    name = re.sub(rf"_({'|'.join(map(re.escape, stems))})\.jsonl$", "_incidents.csv", docs.name)
    if name == docs.name:
        shapes = " or ".join(f"*_{stem}.jsonl" for stem in stems)
        raise ValueError(f"{docs.name} is not named {shapes}: give the incidents CSV as well")
    return docs.with_name(name)


# -- the lead event ------------------------------------------------------------------------
def figure(record: Mapping[str, Any] | None, kind: str) -> int:
    """A record's best figure of `kind` (killed, injured), 0 when it states none."""
    value = ((record or {}).get("figures") or {}).get(kind)
    return int(value["best"]) if isinstance(value, Mapping) and value.get("best") is not None else 0


def is_occurrence(record: Mapping[str, Any]) -> bool:
    """A record of the story's own happening (records from before `kind` existed count as one)."""
    return record.get("kind", "occurrence") == "occurrence"


def lead_event(records: Iterable[Mapping[str, Any]],
               severity: Mapping[str, float] | None = None) -> Mapping[str, Any] | None:
    """The article's most violent occurrence that happened (module docstring), None when it has none.

    `severity` maps an event type to PLOVER's base score (lower is more violent); types it lacks
    rank after every known type.
    """
    scores = type_severity() if severity is None else severity
    pool = [r for r in records if is_occurrence(r) and r.get("status") in LEAD_STATUSES]
    if not pool:
        return None
    return min(pool, key=lambda r: (-figure(r, "killed"), -figure(r, "injured"),
                                    scores.get(r.get("event_type") or "", float("inf")),
                                    (r.get("evidence") or {}).get("start", 0), str(r.get("id"))))


def type_severity() -> dict[str, float]:
    """PLOVER base score per event type from plover.yaml (ASSAULT -9 ... AID 10)."""
    from sitrep.knowledge.ontology import get_ontology

    return {name: float(spec["base_score"]) for name, spec in get_ontology().event_types.items()
            if spec.get("base_score") is not None}


def city_point(city: str, state: str | None) -> Point | None:
    """The point of a GVA `city_or_county` within its state, by the project's gazetteer.

    GVA writes counties as "Harris (county)"; those are looked up as the county (admin2). Among
    same-named places in the state the largest is taken; a name unknown in that state gives None.
    """
    from sitrep.knowledge.gazetteer import get_gazetteer

    county = city.endswith("(county)")
    name = re.sub(r"\s*\(county\)\s*$", "", city).strip()
    found = [p for p in get_gazetteer().lookup(name, country="US", limit=50) if p.lat is not None
             and (state is None or fold(p.admin1) == fold(state)) and p.feature not in ("country", "admin1")]
    if county:
        found = [p for p in found if p.feature == "admin2"] or found
    return (found[0].lat, found[0].lon) if found else None  # type: ignore[return-value]


def incident_point(incident: GvaIncident,
                   locate: Callable[[str, str | None], Point | None] = city_point) -> tuple[Point | None, str]:
    """(gold point, where it came from: "coordinates", "city", "city_not_found" or "none")."""
    if incident.lat is not None and incident.lon is not None:
        return (incident.lat, incident.lon), "coordinates"
    if incident.city:
        point = locate(incident.city, incident.state)
        return (point, "city") if point is not None else (None, "city_not_found")
    return None, "none"


# -- scoring -------------------------------------------------------------------------------
def article_results(lead: Mapping[str, Any] | None, incident: GvaIncident,
                    point: Point | None) -> dict[str, bool | None]:
    """Right/wrong for place, date, killed and injured; None where the incident lacks the field."""
    location = (lead or {}).get("location") or {}
    place: bool | None = None
    if point is not None:
        place = location.get("lat") is not None and location.get("lon") is not None and haversine_km(
            location["lat"], location["lon"], point[0], point[1]) <= WITHIN_KM
    return {
        "place": place,
        "date": None if incident.date is None else (lead or {}).get("date") == incident.date.isoformat(),
        "killed": None if incident.killed is None else figure(lead, "killed") == incident.killed,
        "injured": None if incident.injured is None else figure(lead, "injured") == incident.injured,
    }


def score_predictions(pairs: Iterable[tuple[GvaArticle, list[dict[str, Any]]]],
                      incidents: Mapping[str, GvaIncident], *,
                      locate: Callable[[str, str | None], Point | None] = city_point,
                      severity: Mapping[str, float] | None = None,
                      on_item: Callable[[], None] | None = None) -> dict[str, Any]:
    """Score (article, its event records) pairs; kept apart from the pipeline run for tests."""
    from sitrep.evaluate.articles import counted

    scores = type_severity() if severity is None else severity
    hits: dict[str, list[bool]] = {k: [] for k in ("place", "date", "killed", "injured")}
    zero: dict[str, list[bool]] = {"killed": [], "injured": []}
    reportable: list[int] = []
    every: list[int] = []
    n = without_lead = on_published = located = abroad = 0
    origins: dict[str, int] = {}
    points: dict[str, tuple[Point | None, str]] = {}
    seen: set[str] = set()
    for article, records in pairs:
        n += 1
        incident = incidents.get(article.incident)
        if incident is None:
            raise ValueError(f"article {article.id} names incident {article.incident}, not in the incidents file")
        seen.add(incident.id)
        if incident.id not in points:
            points[incident.id] = incident_point(incident, locate)
        point, origin = points[incident.id]
        origins[origin] = origins.get(origin, 0) + 1
        events = counted(records)
        reportable.append(len(events))
        every.append(len(records))
        for record in events:
            country = (record.get("location") or {}).get("country")
            located += country is not None
            abroad += country is not None and country not in US
        lead = lead_event(records, scores)
        without_lead += lead is None
        for field, result in article_results(lead, incident, point).items():
            if result is not None:
                hits[field].append(result)
        if incident.date is not None and lead is not None and lead.get("date") != incident.date.isoformat():
            on_published += article.published is not None and lead.get("date") == article.published.isoformat()
        for field in zero:
            gold = getattr(incident, field)
            if gold is not None:
                zero[field].append(gold == 0)
        if on_item:
            on_item()
    date_misses = len(hits["date"]) - sum(hits["date"])
    return {
        "articles": n,
        "incidents": len(seen),
        "lead_place_within_25km": _share(hits["place"]),
        "lead_date_exact": _share(hits["date"]),
        "lead_killed_exact": _share(hits["killed"]),
        "lead_injured_exact": _share(hits["injured"]),
        "baseline_zero_killed": _share(zero["killed"]),
        "baseline_zero_injured": _share(zero["injured"]),
        "events_per_article_median": statistics.median(reportable) if reportable else None,
        "events_per_article_mean": statistics.fmean(reportable) if reportable else None,
        "all_events_per_article_mean": statistics.fmean(every) if every else None,
        "articles_without_lead": ratio(without_lead, n),
        "date_misses_on_published_date": ratio(on_published, date_misses),
        "events_located_outside_usa": ratio(abroad, located),
        "support": {**{f"lead_{k}": len(v) for k, v in hits.items()},
                    **{f"baseline_zero_{k}": len(v) for k, v in zero.items()}, "date_misses": date_misses},
        "gold_point_from": origins,
    }


def score_gva(pipeline: Any, articles: Iterable[GvaArticle], incidents: Mapping[str, GvaIncident], *,
              on_item: Callable[[], None] | None = None, batch_size: int = 8) -> dict[str, Any]:
    """Run the pipeline on every article as `sitrep ingest` reads a JSONL item, then score the leads.

    The article goes in with its url, title, text and published date only (never `incident`).
    """
    from sitrep.evaluate.articles import GoldArticle, predict

    started = time.perf_counter()
    articles = list(articles)
    by_id = {a.id: a for a in articles}
    as_gold = (GoldArticle(id=a.id, genre="gva", title=a.title, text=a.text, published=a.published, url=a.url,
                           events=()) for a in articles)
    pairs = ((by_id[gold.id], records) for gold, records in predict(pipeline, as_gold, batch_size=batch_size))
    report = score_predictions(pairs, incidents, on_item=on_item)
    return report | {"seconds": time.perf_counter() - started,
                     "articles_per_second": len(articles) / max(time.perf_counter() - started, 1e-9)}


def _share(values: list[bool]) -> float | None:
    return ratio(sum(values), len(values))


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text and text.strip() else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    value = _float(text)
    return int(value) if value is not None else None
