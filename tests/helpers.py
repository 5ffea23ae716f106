"""Builders for hand-made test data: a valid DESIGN.md section 4 event record and a document dict.

Import with `from helpers import make_record, make_document`: tests/conftest.py (outside any
package) puts tests/ on sys.path for every test under it.
"""

from __future__ import annotations

import copy
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.document import Document, Source
from sitrep.store import open_store

BENCH = Path(__file__).resolve().parents[1] / "bench"

DEFAULT_DOC_ID = "a1b2c3d4e5f60718"


def _default_record() -> dict[str, Any]:
    return {
        "id": f"{DEFAULT_DOC_ID}-e1",
        "doc_id": DEFAULT_DOC_ID,
        "event_type": "ASSAULT",
        "mode": "aerial",
        "contexts": ["military"],
        "status": "asserted",
        "actors": [
            {"text": "government aircraft", "name": "Military Forces of Syria", "id": "SYR_MIL",
             "country": "SYR", "sector": "MIL", "acled_inter": 1},
        ],
        "recipients": [
            {"text": "residential districts", "name": "Civilians (Syria)", "id": "SYR_CVL",
             "country": "SYR", "sector": "CVL", "acled_inter": 7},
        ],
        "claimed_by": [],
        "denied_by": [],
        "date": "2016-02-03",
        "date_end": "2016-02-03",
        "time_precision": 1,
        "location": {"text": "Aleppo", "name": "Aleppo", "geonameid": 170063, "lat": 36.2021,
                     "lon": 37.1343, "country": "SYR", "admin1": "Aleppo", "admin1_pcode": "SY02",
                     "feature": "city", "geo_precision": 1},
        "figures": {"killed": {"low": 12, "best": 12, "high": 12, "hedge": None}, "injured": None,
                    "displaced": None, "besieged": None, "trapped": None, "strikes": None},
        "acled": {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"},
        "cameo": "195",
        "quad": 4,
        "evidence": {"text": "Government aircraft struck residential districts of Aleppo, killing 12.",
                     "start": 0, "end": 71, "section": "body"},
        "source": {"url": None, "title": "Strikes hit Aleppo", "publisher": None, "published": "2016-02-04"},
        "confidence": 0.8,
    }


def make_record(**overrides: Any) -> dict[str, Any]:
    """A complete, valid event record; each keyword replaces that top-level key entirely.

    Passing `doc_id` alone also derives `id` as "<doc_id>-e1" unless `id` is given.
    """
    record = copy.deepcopy(_default_record())
    if "doc_id" in overrides and "id" not in overrides:
        record["id"] = f"{overrides['doc_id']}-e1"
    record.update(copy.deepcopy(overrides))
    return record


def make_document(text: str = "Government aircraft struck residential districts of Aleppo, killing 12.",
                  *, url: str | None = None, title: str | None = "Strikes hit Aleppo",
                  published: date | None = date(2016, 2, 4), **source: Any) -> dict[str, Any]:
    """`Document.to_dict()` of a document with this text (its id derives from text and url)."""
    doc = Document(text=text, source=Source(url=url, title=title, published=published, **source))
    return doc.to_dict()


def synthetic_incident_store(url: str | Path, reports: int) -> str | Path:
    """A store at `url` (a DuckDB path or a PostgreSQL URL) holding `reports` synthetic event reports
    (bench/synth.py: every field shape the exports meet) resolved into incidents by the store's own
    resolver; returns `url`. The export, frame and ACLED API tests share this one builder."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from synth import synth_events

    with open_store(url) as store:
        batch: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        for pair in synth_events(reports):
            batch.append(pair)
            if len(batch) >= 5000:
                store.add_documents(batch)
                batch = []
        if batch:
            store.add_documents(batch)
        store.resolve_incidents()
    return url
