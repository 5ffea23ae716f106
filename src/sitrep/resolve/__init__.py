"""Incident resolution (DESIGN.md section 8): event mentions -> incidents, reconciled, stable ids.

`resolve_records` is pure (no store): the store's sync (store/incidents.py) calls it block by
block, and `sitrep eval incidents` calls it on labelled documents.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sitrep.resolve.block import block_key, eligible
from sitrep.resolve.cluster import cluster
from sitrep.resolve.config import settings
from sitrep.resolve.reconcile import incident_id, reconcile

__all__ = ["block_key", "blocks_of", "eligible", "incident_id", "resolve_records", "settings"]


def blocks_of(records: list[dict[str, Any]], config: dict[str, Any] | None = None) -> set[str]:
    """The block keys the eligible records fall into (what an incremental ingest re-resolves)."""
    cfg = settings(config)
    return {block_key(r, cfg) for r in records if eligible(r, cfg)}


def resolve_records(records: list[dict[str, Any]], config: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Incidents of the eligible `records` (others are ignored), sorted by id; order-independent.

    Each incident: id, block, members (event ids), figures (low/best/high and every report),
    date, location, actors, status, sources, n_sources (see reconcile.py).
    """
    cfg = settings(config)
    blocks: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for record in records:
        if eligible(record, cfg):
            blocks[block_key(record, cfg)][record["id"]] = record  # a repeated id counts once
    incidents = []
    for key in sorted(blocks):
        for group in cluster(list(blocks[key].values()), cfg):
            incidents.append(reconcile(group, key, cfg))
    return sorted(incidents, key=lambda i: i["id"])
