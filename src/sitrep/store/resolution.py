"""Incremental incident resolution for the store: what to replace, computed with or without the lock.

Several PostgreSQL writers re-resolve the same blocks: a batch of reports from a dozen countries
touches nearly every block, so when each writer re-clustered inside the block locks, the writers
took turns and four were slower than one (bench/RESULTS.md, issue 15). The clustering (Python, most
of a resolution's time) now runs first, on a snapshot of the blocks' stored mentions read without
any lock (`plan_blocks`); the writer then takes the locks, reads the mentions again, and keeps a
block's plan only where nothing it depended on has changed (`still_valid`); other blocks are
re-planned under the lock, as before. So the result is always one the locked computation could
have given on the state it is written over, and the incidents are those of one writer: ids,
members and aliases (tests/integration/test_pg_concurrency.py, tests/unit/test_store_resolution.py).

What a plan depends on: resolve/incremental.resolve_block reads the block's stored mentions only
within `reach` days of the new mentions' dates (when it returns a range: the margin that range
was found with, plus two date windows and a day), and the whole block
when it falls back to re-resolving all of it; event records never change once stored.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sitrep.resolve import resolve_records
from sitrep.resolve.block import record_date
from sitrep.resolve.incremental import reach, resolve_block
from sitrep.store import incidents as incident_tables

if TYPE_CHECKING:
    from sitrep.store.core import Connection

Mention = tuple[str, Any, str]  # (event id, date, incident id) of a stored member


@dataclass
class BlockPlan:
    """The stored incidents to replace and their replacement, and what they were computed from."""

    replaced: set[str]
    incidents: list[dict[str, Any]]
    basis: frozenset[Mention]  # the stored mentions the plan depends on
    reach: int | None  # days around the new dates the basis spans; None: the whole block


def _spans(records: list[dict[str, Any]], days: int) -> list[tuple[date, date]] | None:
    """Merged [date - days, date + days] around the new mentions' dates; None if one is undated."""
    pad = timedelta(days=days)
    out: list[tuple[date, date]] = []
    dates = [record_date(r) for r in records]
    if any(d is None for d in dates):
        return None
    for day in sorted(d for d in dates if d is not None):
        if out and day - pad <= out[-1][1]:
            out[-1] = (out[-1][0], day + pad)
        else:
            out.append((day - pad, day + pad))
    return out


def basis(stored: list[Mention], new: list[dict[str, Any]], days: int | None) -> frozenset[Mention]:
    """The stored mentions within `days` of a new mention's date (None: all of them): what a plan
    of `new` over `stored` depends on (see module docstring)."""
    spans = None if days is None else _spans(new, days)
    if spans is None or any(day is None for _, day, _ in stored):
        return frozenset(stored)
    starts = [lo for lo, _ in spans]

    def near(day: date) -> bool:
        k = bisect_right(starts, day) - 1
        return k >= 0 and day <= spans[k][1]

    return frozenset(m for m in stored if near(m[1]))


def plan_block(conn: Connection, block: str, stored: list[Mention], new: list[dict[str, Any]],
               cfg: dict[str, Any], config: dict[str, Any] | None) -> BlockPlan:
    """resolve_block over `stored` (a range), or the whole block re-resolved where it says so."""
    load: Callable[[list[str]], list[dict[str, Any]]] = lambda ids: incident_tables.event_records(conn, ids)  # noqa: E731
    used: list[int] = []
    part = resolve_block(block, stored, new, cfg, load, used)
    if part is not None:
        days = reach(cfg, used[0])
        return BlockPlan(part[0], part[1], basis(stored, new, days), days)
    records = incident_tables.event_records(conn, [r[0] for r in stored])
    return BlockPlan({r[2] for r in stored}, resolve_records(records + new, config), frozenset(stored), None)


def plan_blocks(conn: Connection, by_block: dict[str, list[dict[str, Any]]], cfg: dict[str, Any],
                config: dict[str, Any] | None) -> dict[str, BlockPlan]:
    """A plan for every block of `by_block` (block -> its new eligible records), from `conn`'s view."""
    mentions = incident_tables.block_mentions(conn, sorted(by_block))
    return {block: plan_block(conn, block, mentions[block], by_block[block], cfg, config) for block in sorted(by_block)}


def still_valid(plan: BlockPlan, stored: list[Mention], new: list[dict[str, Any]]) -> bool:
    """Whether `plan`, computed on an earlier read of the block, holds for its mentions now."""
    return basis(stored, new, plan.reach) == plan.basis
