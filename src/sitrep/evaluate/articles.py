"""Score whole articles against their gold lists of reportable events (tests/eval/articles).

The other scorers compare one chosen event with one gold row. A long article holds several
happenings, plus history, commentary, a headline that restates the lead and reader comments that
should yield nothing, so this scorer compares the *set* of events the pipeline reports with the set
an analyst would code: event precision and recall, events per article, and the fields of each
matched pair.

What counts as predicted is what ACLED output and incidents would use: records whose `kind` is
`occurrence` (a record without `kind`, from before that field, counts as one) and whose status is
asserted, claimed, denied or planned. Hypothetical and negated events, and background, commentary
and headline events, are not reportable and so are neither rewarded nor penalised.

A predicted event may match a gold event when all three hold (tests/eval/articles/README.md):
the type family is compatible (same PLOVER type, or the same ACLED event type), the place is within
25 km or in the same first-level unit, and the dates are within 2 days. Among the pairs that may
match, one-to-one pairs are chosen by an optimal assignment (most pairs first, then the closest
pairs), so a second mention of a happening that the pipeline failed to merge is a false positive.
"""

from __future__ import annotations

import json
import logging
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from sitrep.document import Document
from sitrep.evaluate.acled import admin1_matches
from sitrep.evaluate.metrics import fold, haversine_km, ratio, read_jsonl
from sitrep.record import records

log = logging.getLogger(__name__)

COUNTED_STATUSES = frozenset({"asserted", "claimed", "denied", "planned"})
GOLD_STATUSES = COUNTED_STATUSES
FIGURES = ("killed", "injured", "displaced", "besieged", "trapped", "detained")
WITHIN_KM = 25.0
DATE_WINDOW = timedelta(days=2)
# Assignment weights: every allowed pair is worth BASE, so the assignment first maximises the number
# of pairs; the bonuses (at most ~2 in all) then prefer the closer of two candidate pairs.
BASE = 100.0


@dataclass(frozen=True)
class GoldEvent:
    """One reportable happening of a gold article, as an ACLED/PLOVER coder would record it."""

    event_type: str
    status: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    place: str | None
    country: str | None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    date: date | None = None
    date_end: date | None = None
    figures: dict[str, int | None] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    actor_ids: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class GoldArticle:
    """One article of the gold file with the fields `sitrep ingest` reads from a JSONL item."""

    id: str
    genre: str
    title: str | None
    text: str
    published: date | None
    url: str | None
    events: tuple[GoldEvent, ...]


# -- reading -------------------------------------------------------------------------------
def read_articles(path: str | Path) -> Iterator[GoldArticle]:
    """Gold articles in file order; a malformed line raises ValueError naming its line number."""
    return read_jsonl(path, parse_article)


def parse_article(data: dict[str, Any]) -> GoldArticle:
    """A GoldArticle from one decoded line (README.md's schema)."""
    return GoldArticle(
        id=str(data["id"]), genre=str(data.get("genre") or "unknown"), title=data.get("title"),
        text=str(data["text"]), published=_date(data.get("published")), url=data.get("url"),
        events=tuple(parse_event(e) for e in data.get("events") or ()),
    )


def parse_event(data: dict[str, Any]) -> GoldEvent:
    """A GoldEvent from its JSON object; unknown statuses are an error, not a silent mismatch."""
    status = data["status"]
    if status not in GOLD_STATUSES:
        raise ValueError(f"status {status!r} is not one of {sorted(GOLD_STATUSES)}")
    return GoldEvent(
        event_type=data["event_type"], status=status, acled_event_type=data.get("acled_event_type"),
        acled_sub_event_type=data.get("acled_sub_event_type"), place=data.get("place"),
        country=data.get("country"), admin1=data.get("admin1"), lat=data.get("lat"), lon=data.get("lon"),
        date=_date(data.get("date")), date_end=_date(data.get("date_end")),
        figures={k: data.get(k) for k in FIGURES}, actors=tuple(data.get("actors") or ()),
        actor_ids=tuple(data.get("actor_ids") or ()), recipients=tuple(data.get("recipients") or ()),
        note=data.get("note"),
    )


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


# -- running the pipeline ------------------------------------------------------------------
def article_document(article: GoldArticle) -> Document | None:
    """The Document `sitrep ingest` makes of this article given as one JSONL item.

    The article goes through the ingest reader itself (title section, byline and chrome handling,
    comment and reference sections, the language and date checks), so the score is the score of
    what a user ingesting the same JSONL would get; None when ingest would reject it.
    """
    from sitrep.ingest.sources import Reader

    item = {"title": article.title, "text": article.text, "url": article.url,
            "published": article.published.isoformat() if article.published else None}
    line = json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n"
    reader = Reader()
    try:
        found = [d for d in reader.read_bytes(line, f"{article.id}", kind="jsonl") if isinstance(d, Document)]
    finally:
        reader.close()
    if not found:
        log.warning("ingest rejected gold article %s", article.id)
    return found[0] if found else None


def predict(pipeline: Any, articles: Iterable[GoldArticle], *,
            batch_size: int = 8) -> Iterator[tuple[GoldArticle, list[dict[str, Any]]]]:
    """(article, every event record the pipeline made of it), in input order; [] when it failed."""
    iterator = iter(articles)
    while batch := list(islice(iterator, batch_size)):
        docs = [(article, article_document(article)) for article in batch]
        ready = [doc for _, doc in docs if doc is not None]
        try:
            done = {id(doc): doc for doc in pipeline.pipe(ready, batch_size=batch_size)}
        except Exception:  # noqa: BLE001 - one bad article must not end a scoring run
            done = {id(doc): _one(pipeline, doc) for doc in ready}
        for article, doc in docs:
            processed = done.get(id(doc)) if doc is not None else None
            yield article, records(processed) if processed is not None else []


def _one(pipeline: Any, doc: Document) -> Document | None:
    try:
        return pipeline(doc)
    except Exception:  # noqa: BLE001
        log.warning("the pipeline failed on article %s", doc.source.path, exc_info=True)
        return None


def counted(predicted: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records an analyst's output would hold: occurrences, asserted, claimed, denied or planned."""
    return [r for r in predicted
            if r.get("kind", "occurrence") == "occurrence" and r.get("status") in COUNTED_STATUSES]


# -- matching ------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def resolve_place(place: str, country: str | None) -> tuple[float | None, float | None, str | None]:
    """(lat, lon, admin1) of a gold place name by the project's gazetteer, largest place first.

    Used only where the gold line gives no point; the gold file carries points so that an
    ambiguous name does not silently move a gold event.
    """
    from sitrep.knowledge.gazetteer import get_gazetteer

    found = get_gazetteer().lookup(place, country=country, limit=1)
    if not found or found[0].feature == "country":
        return None, None, None
    return found[0].lat, found[0].lon, found[0].admin1


def gold_point(gold: GoldEvent) -> tuple[float | None, float | None, str | None]:
    """The gold event's point and admin1: as written, else resolved from its place name."""
    if gold.lat is not None and gold.lon is not None:
        return gold.lat, gold.lon, gold.admin1
    if gold.place and gold.place != gold.country:
        lat, lon, admin1 = resolve_place(gold.place, gold.country)
        return lat, lon, gold.admin1 or admin1
    return None, None, gold.admin1


def distance_km(gold: GoldEvent, record: dict[str, Any]) -> float | None:
    """Great-circle distance between the gold point and the predicted one; None if either is missing."""
    lat, lon, _ = gold_point(gold)
    location = record.get("location") or {}
    if lat is None or lon is None or location.get("lat") is None or location.get("lon") is None:
        return None
    return haversine_km(lat, lon, location["lat"], location["lon"])


def place_ok(gold: GoldEvent, record: dict[str, Any]) -> bool:
    """Within 25 km, or in the same admin1 unit; a country-level gold place asks for the country only."""
    location = record.get("location") or {}
    lat, lon, admin1 = gold_point(gold)
    if lat is None and admin1 is None:
        return gold.country is None or location.get("country") == gold.country
    near = distance_km(gold, record)
    if near is not None and near <= WITHIN_KM:
        return True
    if admin1 and location.get("admin1") and location.get("country") == gold.country:
        return admin1_matches(admin1, location["admin1"], gold.country, location.get("country"))
    return False


def date_ok(gold: GoldEvent, record: dict[str, Any]) -> bool:
    """The predicted day (or span) overlaps the gold day (or span) widened by 2 days each side."""
    if gold.date is None:
        return True
    start, end = _date(record.get("date")), _date(record.get("date_end") or record.get("date"))
    if start is None or end is None:
        return False
    return start <= (gold.date_end or gold.date) + DATE_WINDOW and end >= gold.date - DATE_WINDOW


def type_ok(gold: GoldEvent, record: dict[str, Any]) -> bool:
    """The same PLOVER type, or the same ACLED event type (a clash coded COERCE still is a Battle)."""
    if record.get("event_type") == gold.event_type:
        return True
    acled = (record.get("acled") or {}).get("event_type")
    return gold.acled_event_type is not None and acled == gold.acled_event_type


def compatible(gold: GoldEvent, record: dict[str, Any]) -> bool:
    """Whether the prediction may stand for the gold event at all (type family, place, date)."""
    return type_ok(gold, record) and date_ok(gold, record) and place_ok(gold, record)


def pair_weight(gold: GoldEvent, record: dict[str, Any]) -> float:
    """BASE plus small bonuses for agreeing on finer fields: used only to choose between allowed pairs."""
    acled = record.get("acled") or {}
    bonus = 0.5 * (record.get("event_type") == gold.event_type)
    bonus += 0.3 * (acled.get("sub_event_type") == gold.acled_sub_event_type)
    bonus += 0.2 * (record.get("status") == gold.status)
    bonus += 0.2 * (gold.date is not None and record.get("date") == gold.date.isoformat())
    bonus += 0.2 * (_figure(record, "killed") == gold.figures.get("killed"))
    near = distance_km(gold, record)
    bonus += 0.3 * (1 - min(near, WITHIN_KM) / WITHIN_KM) if near is not None else 0.0
    return BASE + bonus


def match(golds: Sequence[GoldEvent], predicted: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs: as many as possible, then the closest."""
    if not golds or not predicted:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    weights = np.zeros((len(golds), len(predicted)))
    for i, gold in enumerate(golds):
        for j, record in enumerate(predicted):
            if compatible(gold, record):
                weights[i, j] = pair_weight(gold, record)
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if weights[i, j] > 0]


# -- per-field comparison of a matched pair ------------------------------------------------
def _figure(record: dict[str, Any], kind: str) -> int | None:
    value = (record.get("figures") or {}).get(kind)
    return int(value["best"]) if isinstance(value, dict) and value.get("best") is not None else None


def actor_ok(gold: GoldEvent, record: dict[str, Any]) -> bool:
    """A gold actor is among the predicted actors: by dictionary id, or by name or text folded."""
    predicted = record.get("actors") or []
    ids = {a.get("id") for a in predicted if a.get("id")}
    if ids & set(gold.actor_ids):
        return True
    names = {fold(a.get(key)) for a in predicted for key in ("name", "text") if a.get(key)}
    return any(fold(name) in names for name in gold.actors)


def field_results(gold: GoldEvent, record: dict[str, Any]) -> dict[str, bool]:
    """Right or wrong per field for one matched pair; a field absent from the dict was not scored.

    ACLED types are always scored (null gold means ACLED would not record the event). A figure is
    scored where either side gives one, so a toll carried onto the wrong event counts against it
    while two silent sides do not inflate the score. Actors and the exact date only where gold has them.
    """
    acled = record.get("acled") or {}
    out = {
        "status": record.get("status") == gold.status,
        "acled_event_type": acled.get("event_type") == gold.acled_event_type,
        "acled_sub_event_type": acled.get("sub_event_type") == gold.acled_sub_event_type,
    }
    for kind in FIGURES:
        want, got = gold.figures.get(kind), _figure(record, kind)
        if want is not None or got is not None:
            out[kind] = (want or 0) == (got or 0)
    if gold.actors or gold.actor_ids:
        out["actor"] = actor_ok(gold, record)
    if gold.date is not None:
        out["date_exact"] = record.get("date") == gold.date.isoformat()
    near = distance_km(gold, record)
    if gold_point(gold)[0] is not None:
        out["location_within_25km"] = near is not None and near <= WITHIN_KM
    return out


# -- scoring -------------------------------------------------------------------------------
@dataclass
class _Totals:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    articles: int = 0

    def prf(self) -> dict[str, float | int | None]:
        precision, recall = ratio(self.matched, self.predicted), ratio(self.matched, self.gold)
        f1 = (2 * precision * recall / (precision + recall)
              if precision is not None and recall is not None and precision + recall else
              0.0 if precision is not None and recall is not None else None)
        return {"precision": precision, "recall": recall, "f1": f1, "support": self.gold,
                "predicted": self.predicted, "articles": self.articles}


def score_predictions(pairs: Iterable[tuple[GoldArticle, list[dict[str, Any]]]], *,
                      mismatches: bool = False) -> dict[str, Any]:
    """Score (article, its event records) pairs; the records are taken as the pipeline made them.

    Kept apart from the pipeline run so that tests (and other extractors' output) can be scored
    from records alone. `mismatches` adds, per article, the gold events missed and the predicted
    events that matched nothing: the list the event layer's engineers work from.
    """
    total = _Totals()
    genres: dict[str, _Totals] = defaultdict(_Totals)
    fields: dict[str, list[bool]] = defaultdict(list)
    per_article, predicted_counts, gold_counts = [], [], []
    for article, predicted_all in pairs:
        predicted = counted(predicted_all)
        pairs_found = match(article.events, predicted)
        for tally in (total, genres[article.genre]):
            tally.gold += len(article.events)
            tally.predicted += len(predicted)
            tally.matched += len(pairs_found)
            tally.articles += 1
        predicted_counts.append(len(predicted))
        gold_counts.append(len(article.events))
        for i, j in pairs_found:
            for name, right in field_results(article.events[i], predicted[j]).items():
                fields[name].append(right)
        row: dict[str, Any] = {"id": article.id, "genre": article.genre, "gold": len(article.events),
                               "predicted": len(predicted), "matched": len(pairs_found)}
        if mismatches:
            row |= _mismatch_lists(article, predicted, pairs_found)
        per_article.append(row)
    return _report(total, genres, fields, predicted_counts, gold_counts, per_article)


def _report(total: _Totals, genres: dict[str, _Totals], fields: dict[str, list[bool]],
            predicted_counts: list[int], gold_counts: list[int],
            per_article: list[dict[str, Any]]) -> dict[str, Any]:
    overall = total.prf()
    mean_pred = statistics.fmean(predicted_counts) if predicted_counts else None
    mean_gold = statistics.fmean(gold_counts) if gold_counts else None
    report: dict[str, Any] = {
        "articles": total.articles,
        "gold_events": total.gold,
        "predicted_events": total.predicted,
        "matched_events": total.matched,
        "event_precision": overall["precision"],
        "event_recall": overall["recall"],
        "event_f1": overall["f1"],
        "events_per_article_gold": mean_gold,
        "events_per_article_predicted": mean_pred,
        "events_per_article_predicted_median": statistics.median(predicted_counts) if predicted_counts else None,
        "events_per_article_ratio": ratio(total.predicted, total.gold),
    }
    for name in ("status", "acled_event_type", "acled_sub_event_type", *FIGURES, "actor", "date_exact",
                 "location_within_25km"):
        report[f"{name}_accuracy"] = ratio(sum(fields[name]), len(fields[name]))
    report["support"] = {name: len(fields[name]) for name in (
        "status", "acled_event_type", "acled_sub_event_type", *FIGURES, "actor", "date_exact",
        "location_within_25km")}
    report["per_genre"] = {genre: genres[genre].prf() for genre in sorted(genres)}
    report["per_article"] = per_article
    return report


def _mismatch_lists(article: GoldArticle, predicted: list[dict[str, Any]],
                    pairs_found: list[tuple[int, int]]) -> dict[str, Any]:
    matched_gold = {i for i, _ in pairs_found}
    matched_pred = {j for _, j in pairs_found}
    return {
        "missed": [_describe_gold(e) for i, e in enumerate(article.events) if i not in matched_gold],
        "spurious": [_describe_record(r) for j, r in enumerate(predicted) if j not in matched_pred],
        "pairs": [{"gold": _describe_gold(article.events[i]), "predicted": _describe_record(predicted[j]),
                   "wrong": sorted(k for k, ok in field_results(article.events[i], predicted[j]).items()
                                   if not ok)}
                  for i, j in pairs_found],
    }


def _describe_gold(event: GoldEvent) -> str:
    when = event.date.isoformat() if event.date else "?"
    return f"{event.event_type}/{event.status} {event.place or event.country or '-'} {when}: {event.note or ''}"


def _describe_record(record: dict[str, Any]) -> str:
    location = record.get("location") or {}
    evidence = " ".join(((record.get("evidence") or {}).get("text") or "").split())
    return (f"{record.get('event_type')}/{record.get('status')} {location.get('name') or '-'}"
            f"({location.get('country') or '-'}) {record.get('date') or '?'}: {evidence[:140]}")


def score_articles(pipeline: Any, articles: Iterable[GoldArticle], *, on_item: Callable[[], None] | None = None,
                   batch_size: int = 8, mismatches: bool = False) -> dict[str, Any]:
    """Run the pipeline on every article as `sitrep ingest` would read it, then score the events."""
    started = time.perf_counter()

    def advancing() -> Iterator[tuple[GoldArticle, list[dict[str, Any]]]]:
        for pair in predict(pipeline, articles, batch_size=batch_size):
            yield pair
            if on_item:
                on_item()

    report = score_predictions(advancing(), mismatches=mismatches)
    report["seconds"] = time.perf_counter() - started
    return report

