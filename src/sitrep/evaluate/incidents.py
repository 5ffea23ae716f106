"""Score cross-document incident resolution against documents labelled with their incident.

Input is the gva shape (../shared/data/gva/README.md): a JSONL of documents, each with an
`incident` id, and a CSV of gold incidents (`incident`, `date`, `latitude`, `longitude`, `killed`,
`injured`, ...). Our own conflict-news set (tests/eval/incidents/) uses the same two files, so the
readers of `evaluate.gva` serve both.

Measures (as the gva README defines them):

- clustering over documents: B-cubed precision / recall / F1 (Bagga & Baldwin 1998) and pairwise
  precision / recall / F1 over document pairs, and the predicted vs gold incident count;
- on matched incidents: each gold incident is matched to the predicted incident holding most of
  its documents, one-to-one (largest overlaps first, so two gold incidents cannot share one
  prediction); then killed exact, injured exact (no figure counts as 0, as ACLED and GVA count),
  date exact and place within 25 km, each over the gold incidents that give the field. A gold
  incident left without a match counts as a miss on every field it gives.

**A document's predicted incident.** Resolution may put a document in several incidents (an
article about Tuesday's strike that recalls last month's massacre). Clustering measures need one
incident per document, so a document belongs to the incident holding its *lead occurrence*: the
most violent occurrence that happened (`evaluate.gva.lead_event`: most killed, then most injured,
then PLOVER's severity of the type, then first in the text). Why the lead rather than the gva
README's "the incident with the most articles": the most-articles rule pulls a local report into
whatever big cluster one of its background mentions joined, while the lead is the story's own
subject, the one an analyst would code the report under. When the lead sits in no incident (the
resolver dropped it) the incident with most members among the document's wins; a document with
no occurrence at all is its own singleton (it cannot be merged with anything).

Baselines: every document its own incident, and one-a-day as in PETRARCH's duplicate filter
(documents whose lead events share the date and the place name are one incident), beside one
incident per publication day as the gva README gives it.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

from sitrep.evaluate.gva import (
    WITHIN_KM,
    GvaArticle,
    GvaIncident,
    Point,
    city_point,
    figure,
    incident_point,
    incidents_path,
    is_occurrence,
    lead_event,
)
from sitrep.evaluate.metrics import haversine_km, ratio

FIELDS = ("killed", "injured", "date", "place")


# -- clustering ------------------------------------------------------------------------------
def clusters(assignment: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    """{cluster id: its documents} from {document: cluster id}."""
    out: dict[Hashable, set[str]] = defaultdict(set)
    for doc, cluster in assignment.items():
        out[cluster].add(doc)
    return dict(out)


def _complete(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> dict[str, Hashable]:
    """The prediction over exactly the gold documents; a document it lacks is a singleton of its own."""
    return {doc: predicted.get(doc, ("__alone__", doc)) for doc in gold}


def bcubed(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> dict[str, float | None]:
    """B-cubed precision, recall, F1 over the gold documents (each document weighs the same)."""
    pred = _complete(gold, predicted)
    gold_c, pred_c = clusters(gold), clusters(pred)
    precision = recall = 0.0
    for doc in gold:
        both = len(gold_c[gold[doc]] & pred_c[pred[doc]])
        precision += both / len(pred_c[pred[doc]])
        recall += both / len(gold_c[gold[doc]])
    n = len(gold)
    p, r = ratio(precision, n), ratio(recall, n)  # type: ignore[arg-type]
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def pairwise(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> dict[str, float | None]:
    """Precision, recall, F1 over unordered document pairs put together (0 when no pair is predicted)."""
    pred = _complete(gold, predicted)

    def pairs(c: dict[Hashable, set[str]]) -> int:
        return sum(len(m) * (len(m) - 1) // 2 for m in c.values())

    joint: Counter[tuple[Hashable, Hashable]] = Counter((gold[d], pred[d]) for d in gold)
    true_pos = sum(k * (k - 1) // 2 for k in joint.values())
    pred_pairs, gold_pairs = pairs(clusters(pred)), pairs(clusters(gold))
    p = true_pos / pred_pairs if pred_pairs else 0.0
    r = true_pos / gold_pairs if gold_pairs else 0.0
    return {"precision": p, "recall": r, "f1": _f1(p, r) or 0.0}


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


# -- baselines -------------------------------------------------------------------------------
def each_alone(docs: Iterable[str]) -> dict[str, str]:
    """Baseline: every document its own incident."""
    return {doc: doc for doc in docs}


def one_a_day(keys: Mapping[str, tuple[Any, ...] | None]) -> dict[str, Hashable]:
    """PETRARCH-style filter: documents with the same key (e.g. (date, place name)) are one incident.

    A document whose key is None or holds a None (no date, no place) stays alone: the filter has
    nothing to match it on.
    """
    out: dict[str, Hashable] = {}
    for doc, key in keys.items():
        out[doc] = ("__alone__", doc) if key is None or any(k is None for k in key) else key
    return out


# -- a document's incident -------------------------------------------------------------------
def document_incidents(records: Mapping[str, list[Mapping[str, Any]]],
                       incidents: Iterable[Mapping[str, Any]],
                       severity: Mapping[str, float] | None = None) -> dict[str, str]:
    """{document id: the predicted incident holding its lead occurrence} (module docstring)."""
    of_event: dict[str, str] = {}
    size: dict[str, int] = {}
    for incident in incidents:
        size[str(incident["id"])] = len(incident.get("members") or [])
        for member in incident.get("members") or []:
            of_event.setdefault(str(member), str(incident["id"]))
    out: dict[str, str] = {}
    for doc, recs in records.items():
        lead = lead_event(recs, severity)
        if lead is not None and str(lead.get("id")) in of_event:
            out[doc] = of_event[str(lead["id"])]
            continue
        held = [of_event[str(r.get("id"))] for r in recs if str(r.get("id")) in of_event]
        out[doc] = max(held, key=lambda i: (size[i], i)) if held else f"__alone__:{doc}"
    return out


# -- matching --------------------------------------------------------------------------------
def match(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> dict[Hashable, Hashable]:
    """{gold incident: predicted incident}, one-to-one, largest document overlaps first.

    Ties break on the ids' text so the matching is the same on every run. A greedy pass rather
    than the Hungarian method: "the predicted incident holding most of its documents" is a
    per-incident rule, and greedy keeps it wherever two gold incidents do not compete for one.
    """
    pred = _complete(gold, predicted)
    overlap: Counter[tuple[Hashable, Hashable]] = Counter((gold[d], pred[d]) for d in gold)
    out: dict[Hashable, Hashable] = {}
    taken: set[Hashable] = set()
    for (g, p), _n in sorted(overlap.items(), key=lambda kv: (-kv[1], str(kv[0][0]), str(kv[0][1]))):
        if g not in out and p not in taken:
            out[g] = p
            taken.add(p)
    return out


def matched_fields(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable],
                   gold_incidents: Mapping[Hashable, GvaIncident], predicted_incidents: Mapping[Hashable, Any],
                   points: Mapping[Hashable, Point | None]) -> dict[str, Any]:
    """Killed, injured, date exact and place within 25 km on matched incidents, with their support."""
    pairs = match(gold, predicted)
    hits: dict[str, list[bool]] = {f: [] for f in FIELDS}
    for gid in sorted(set(gold.values()), key=str):
        g = gold_incidents.get(gid)
        if g is None:
            continue
        p = predicted_incidents.get(pairs.get(gid)) or {}
        location = p.get("location") or {}
        if g.killed is not None:
            hits["killed"].append(bool(p) and figure(p, "killed") == g.killed)
        if g.injured is not None:
            hits["injured"].append(bool(p) and figure(p, "injured") == g.injured)
        if g.date is not None:
            hits["date"].append(p.get("date") == g.date.isoformat())
        point = points.get(gid)
        if point is not None:
            hits["place"].append(location.get("lat") is not None and location.get("lon") is not None
                                 and haversine_km(location["lat"], location["lon"], *point) <= WITHIN_KM)
    out: dict[str, Any] = {f: ratio(sum(v), len(v)) for f, v in hits.items()}
    out["matched"] = sum(1 for p in pairs.values() if p in predicted_incidents)
    out["support"] = {f: len(v) for f, v in hits.items()}
    return out


def zero_figures(gold_incidents: Iterable[GvaIncident]) -> dict[str, float | None]:
    """The no-figures baseline: share of gold incidents whose killed / injured is 0."""
    rows = list(gold_incidents)
    return {kind: ratio(sum(getattr(g, kind) == 0 for g in rows),
                        sum(getattr(g, kind) is not None for g in rows)) for kind in ("killed", "injured")}


def clustering(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> dict[str, Any]:
    """B-cubed, pairwise and the incident counts of one clustering."""
    pred = _complete(gold, predicted)
    return {"bcubed": bcubed(gold, pred), "pairwise": pairwise(gold, pred),
            "incidents_predicted": len(set(pred.values())), "incidents_gold": len(set(gold.values()))}


# -- the run ---------------------------------------------------------------------------------
def in_part(incident: str, part: str) -> bool:
    """Whether a gold incident falls in `part`: "all", or the "tune" / "check" half by a hash of its id.

    Splitting by incident (not by document) keeps every report of one incident on one side, so a
    setting tuned on one half is measured on incidents it never saw.
    """
    if part == "all":
        return True
    even = int(hashlib.sha1(incident.encode()).hexdigest(), 16) % 2 == 0
    return even == (part == "tune")


def gold_path(docs_path: str | Path) -> Path:
    """The gold incidents CSV beside a documents JSONL: `X_docs.jsonl` or `X_reports.jsonl` -> `X_incidents.csv`."""
    return incidents_path(docs_path, stems=("docs", "reports"))


def score_documents(records: Mapping[str, list[dict[str, Any]]], articles: Iterable[GvaArticle],
                    gold_incidents: Mapping[str, GvaIncident], *,
                    resolve: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
                    locate: Callable[[str, str | None], Point | None] = city_point,
                    severity: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Resolve every document's occurrences together and score; kept apart from the pipeline for tests."""
    from sitrep.evaluate.gva import type_severity

    scores = type_severity() if severity is None else severity
    articles = list(articles)
    gold = {a.id: a.incident for a in articles}
    unknown = sorted({a.incident for a in articles} - set(gold_incidents))
    if unknown:
        raise ValueError(f"incidents not in the gold file: {', '.join(unknown[:5])}")
    occurrences = [dict(r, doc_id=r.get("doc_id") or doc) for doc, recs in records.items()
                   for r in recs if is_occurrence(r)]
    started = time.perf_counter()
    resolved = resolve(occurrences)
    resolve_seconds = time.perf_counter() - started
    predicted = document_incidents(records, resolved, scores)
    by_id = {str(i["id"]): i for i in resolved}
    used = {gold_incidents[g] for g in set(gold.values())}
    points = {g.id: incident_point(g, locate)[0] for g in used}
    gold_used = {g.id: g for g in used}
    leads = {a.id: lead_event(records.get(a.id, []), scores) for a in articles}
    day_place = {doc: None if lead is None else
                 (lead.get("date"), _place_name(lead)) for doc, lead in leads.items()}
    per_day = {a.id: (a.published.isoformat() if a.published else None,) for a in articles}
    return {
        "documents": len(articles),
        "occurrences": len(occurrences),
        "resolve_seconds": resolve_seconds,
        **clustering(gold, predicted),
        "matched": matched_fields(gold, predicted, gold_used, by_id, points),
        "baselines": {
            "each_alone": clustering(gold, each_alone(gold)) | {"figures": zero_figures(gold_used.values())},
            "one_a_day": clustering(gold, one_a_day(day_place)),
            "one_per_publication_day": clustering(gold, one_a_day(per_day)),
        },
    }


def _place_name(record: Mapping[str, Any]) -> str | None:
    """The lead event's place as PETRARCH's filter keys it: its name (city), folded."""
    location = record.get("location") or {}
    name = location.get("name") or location.get("admin2") or location.get("admin1")
    return str(name).casefold() if name else None


def score_incidents(pipeline: Any, articles: Iterable[GvaArticle], gold_incidents: Mapping[str, GvaIncident], *,
                    on_item: Callable[[], None] | None = None,
                    batch_size: int = 8) -> dict[str, Any]:
    """Run the pipeline on every document as `sitrep ingest` reads a JSONL item, resolve, then score.

    The documents go in with url, title, text and published only (never `incident`).
    """
    from sitrep.evaluate.articles import GoldArticle, predict

    try:
        from sitrep.resolve import resolve_records  # lazily: the resolver is its own package
    except ImportError:  # not built yet: every document stays alone, the baselines still score
        resolve_records, available = (lambda _records: []), False
    else:
        available = True

    started = time.perf_counter()
    articles = list(articles)
    as_gold = (GoldArticle(id=a.id, genre="incidents", title=a.title, text=a.text, published=a.published,
                           url=a.url, events=()) for a in articles)
    records: dict[str, list[dict[str, Any]]] = {}
    for gold_article, recs in predict(pipeline, as_gold, batch_size=batch_size):
        records[gold_article.id] = [dict(r, doc_id=gold_article.id) for r in recs]
        if on_item:
            on_item()
    report = score_documents(records, articles, gold_incidents,
                             resolve=resolve_records)
    return report | {"resolver_available": available, "seconds": time.perf_counter() - started}
