"""`sitrep load DIR`: a `sitrep run` output folder into a store, through the store's one batch writer.

Partitions are loaded in index order (the input order), each in transactions of `batch_size`
documents with `add_ingested`, the same call `sitrep ingest` commits with: documents already
stored are skipped and a reject is one row per (input, reason), so loading twice adds nothing.
A near-copy's revision check (does it report other figures than its original?) is made here,
where the original is in the store or in the same partition. Incidents are resolved once, after
the load, over the blocks the new records fall into.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.distributed.parts import FORMAT, MANIFEST, read_part
from sitrep.ingest.revisions import may_revise, revises
from sitrep.ingest.runner import _marked


class NotARun(ValueError):
    """The folder has no complete `sitrep run` output (no manifest: the run did not finish)."""


@dataclass
class LoadReport:
    partitions: int = 0
    documents: int = 0  # added to the store (near-copies included)
    events: int = 0
    skipped: int = 0  # in the folder and already in the store
    rejects: int = 0
    incidents: dict[str, int] | None = None
    seconds: float = 0.0


def manifest(out: str | Path) -> dict[str, Any]:
    path = Path(out) / MANIFEST
    if not path.exists():
        raise NotARun(f"{out}: no {MANIFEST} (not a `sitrep run` output, or the run did not finish)")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise NotARun(f"{out}: format {data.get('format')!r}, expected {FORMAT!r}")
    return data


def load(out: str | Path, store: Any, *, resolve: dict[str, Any] | None = None, batch_size: int = 32) -> LoadReport:
    """Load every partition of `out` into `store`; then resolve incidents (unless resolve["enabled"] is false)."""
    started = time.perf_counter()
    info = manifest(out)
    report = LoadReport()
    run_id = store.begin_run(f"load {out}")
    new_records: list[dict[str, Any]] = []
    for index in range(int(info["partitions"])):
        rows = sorted(read_part(out, "documents", index), key=lambda r: r["position"])
        events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in read_part(out, "events", index):
            events[row["doc_id"]].append(json.loads(row["record"]))
        rejects = [{"path": r["path"], "reason": r["reason"], "detail": r["detail"] or ""}
                   for r in read_part(out, "rejects", index)]
        texts = {row["id"]: json.loads(row["document"])["text"] for row in rows}
        for start in range(0, max(len(rows), 1), batch_size):
            items = [_item(row, events, texts, store) for row in rows[start:start + batch_size]]
            added, added_events = store.add_ingested(items, rejects if start == 0 else [], run_id=run_id)
            report.documents += added
            report.events += added_events
            report.skipped += len(items) - added
            if added:
                new_records.extend(e for item in items for e in item["events"])
        report.rejects += len(rejects)
        report.partitions += 1
    if new_records and (resolve or {}).get("enabled", True) and hasattr(store, "resolve_incidents"):
        report.incidents = store.resolve_incidents(new_records, dict(resolve or {}))
    store.finish_run(run_id, documents=report.documents, events=report.events, rejected=report.rejects)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _item(row: dict[str, Any], events: dict[str, list[dict[str, Any]]], texts: dict[str, str],
          store: Any) -> dict[str, Any]:
    """The add_ingested item of one stored row, as `sitrep ingest` builds it (ingest/runner._assemble)."""
    meta = json.loads(row["meta"])
    raw = meta.pop("raw_document", None)
    document = json.loads(row["document"])
    if row["outcome"] != "near duplicate":
        return {"document": document, "events": _marked(events.get(row["id"], [])), **meta}
    original = row["original"]
    raw = raw or document
    if row["extracted"] and may_revise(raw["text"], _original_text(original, texts, store)):
        mine = events.get(row["id"], [])
        theirs = events[original] if original in events else (store.document_events(original) if original else [])
        if revises(mine, theirs):
            marked = [{**e, "source": {**e["source"], "revision_of": original}} for e in _marked(mine)]
            return {"document": document, "events": marked, **meta, "revision_of": original}
    return {"document": raw, "events": [], **meta}


def _original_text(doc_id: str | None, texts: dict[str, str], store: Any) -> str | None:
    if doc_id is None:
        return None
    if doc_id in texts:
        return texts[doc_id]
    stored = store.get_document(doc_id)
    return stored["text"] if stored else None
