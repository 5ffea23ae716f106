"""Incremental re-resolution: re-cluster only the part of a block new mentions can change.

A block (resolve/block.py) may hold tens of thousands of mentions over years (SYR|political-
violence), and re-clustering all of them for every ingest batch is what made an incremental ingest
slow. Clusters never span more than `date_window_days` (every pair of an incident must be inside
the window), so new mentions change incidents only around their own dates, unless the change
cascades from one incident to the next along the time axis. This module re-clusters a part of the
block (the incidents near the new dates) and proves, for that range, that the result is the one a
full rebuild would give; where it cannot, it widens the range, and in the end falls back to the
whole block. Nothing here changes which incidents come out:
tests/unit/test_incremental_resolution.py checks that batches of ingests give exactly the
incidents (ids, members) of a full rebuild.

The range S: every stored incident with a member within a margin of a new mention's date, whole,
so that no stored incident is partly in S and partly out. Why that is enough (cluster.py: a greedy
run that merges the highest scoring pair of clusters first, and merges two clusters only when
every pair across them was scored, that is lies inside the date window). Let X be the block's
other mentions. Before the first merge of an X cluster with an S cluster, X and S evolve exactly
as two separate runs (each merge decision depends only on the two clusters it joins), and X's run
is the one the stored incidents came from, since X did not change. A first cross merge at strength
v needs an X cluster A and an S cluster C, every member of C within the window of A's, alive at v.
If every such C (every cluster made only of S mentions within the window of an X mention: the
zone) lives over the same strengths with and without the new mentions, then A and C were alive
together at v in the run that gave the stored incidents too, and would have merged there; but no
stored incident lies partly in S. So: re-cluster S with and without the new mentions (`history`, a
replica of cluster.py that also records when each cluster is made and merged away), compare the
lives of the zone's clusters, and widen when they differ. The margin (twice the window and a day)
keeps the new mentions out of the zone.

Assumptions, each checked or falling back to the whole block: every mention is dated (an undated
one is compared with the block's whole latest window, a global dependency); `history` gives the
groups cluster.cluster gives (if cluster.py changes, the replica no longer matches and the whole
block is re-resolved); the stored incidents of S are what S alone re-clusters to. Left open: two
merges of exactly equal strength (scores are rounded to 9 decimals) are ordered by member index,
which the argument above does not follow across the edge.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sitrep.resolve.block import record_date
from sitrep.resolve.cluster import Pair, _pairs, cluster
from sitrep.resolve.reconcile import reconcile

Life = tuple[float, float | None]  # (strength it was made at, inf for a mention; merged away at, None)
INF = float("inf")
TRIES = 4  # margins tried (each twice the last) before the whole block is re-resolved


def history(records: list[dict[str, Any]], cfg: dict[str, Any],
            pairs: tuple[dict[Pair, float], set[Pair]] | None = None) -> tuple[list[list[str]], dict[frozenset, Life]]:
    """cluster.cluster's groups (as id lists), and the life of every cluster the run made.

    The merge loop is cluster.cluster's, step for step (the same pair scores, heap order and
    staleness test); `resolve_part` checks the groups against cluster.cluster's own. `pairs`:
    cluster._pairs of the records sorted by id, when already known.
    """
    items = sorted(records, key=lambda r: r["id"])
    scores, blocked = pairs if pairs is not None else _pairs(items, cfg)
    threshold = cfg["threshold"]
    single = cfg.get("linkage") == "single"
    size = {i: 1 for i in range(len(items))}
    members = {i: [i] for i in range(len(items))}
    born: dict[int, float] = dict.fromkeys(range(len(items)), INF)
    lives: dict[frozenset, Life] = {}
    link: dict[int, dict[int, list[Any]]] = {i: {} for i in range(len(items))}
    for (i, j), value in scores.items():
        link[i][j] = link[j][i] = [value, False, 1]
    for i, j in blocked:
        link[i][j] = link[j][i] = [0.0, True, 1]

    def strength(a: int, b: int) -> float | None:
        total, forbidden, count = link[a][b]
        if forbidden or count < size[a] * size[b]:
            return None
        return total if single else total / count

    def ids(label: int) -> frozenset:
        return frozenset(items[k]["id"] for k in members[label])

    heap = [(-value, i, j) for (i, j), value in scores.items() if value >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in size or b not in size or b not in link[a]:
            continue
        now = strength(a, b)
        if now is None or round(now, 9) != -neg:
            continue
        keep, gone = min(a, b), max(a, b)
        lives[ids(keep)] = (born[keep], -neg)
        lives[ids(gone)] = (born.pop(gone), -neg)
        born[keep] = -neg
        size[keep] += size.pop(gone)
        members[keep] += members.pop(gone)
        for x, (total, forbidden, count) in link.pop(gone).items():
            del link[x][gone]
            if x == keep:
                continue
            mine = link[keep].setdefault(x, [0.0, False, 0])
            mine[0] = max(mine[0], total) if single else mine[0] + total
            mine[1] = mine[1] or forbidden
            mine[2] += count
            link[x][keep] = mine
        for x in link[keep]:
            value = strength(keep, x)
            if value is not None and value >= threshold:
                heapq.heappush(heap, (-round(value, 9), min(keep, x), max(keep, x)))
    for label in members:
        lives[ids(label)] = (born[label], None)
    groups = [[items[k]["id"] for k in sorted(group)] for group in members.values()]
    return sorted(groups, key=lambda g: g[0]), lives


def _merge(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for lo, hi in sorted(spans):
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def plan(stored: list[tuple[str, date, str]], new_dates: list[date], margin: int) -> tuple[set[str], set[str]]:
    """(stored mention ids to re-cluster, the stored incidents they make up) for new mentions on
    `new_dates`: every stored incident with a member within `margin` days of a new mention, whole.

    Not closed into an interval: in a dense block, incidents overlapping day after day would carry
    an interval across most of the block. The range need not be one; the edge check of
    `resolve_part` looks at every range mention within the window of a mention left out.
    `stored`: (event id, date, incident id) of every stored mention of the block.
    """
    rows = sorted(stored, key=lambda r: r[1])
    dates = [r[1] for r in rows]
    pad = timedelta(days=margin)
    incidents: set[str] = set()
    for lo, hi in _merge([(d - pad, d + pad) for d in new_dates]):
        incidents.update(inc for _, _, inc in rows[bisect_left(dates, lo):bisect_right(dates, hi)])
    return {event_id for event_id, _, inc in stored if inc in incidents}, incidents


def _zone(stored: list[tuple[str, date, str]], chosen: set[str], window: int) -> set[str]:
    """The chosen mentions within `window` days of some mention left out (the edge of the range)."""
    outside = sorted(day for event_id, day, _ in stored if event_id not in chosen)
    pad = timedelta(days=window)
    return {event_id for event_id, day, _ in stored if event_id in chosen
            and bisect_right(outside, day + pad) > bisect_left(outside, day - pad)}


def resolve_part(block: str, old: list[dict[str, Any]], new: list[dict[str, Any]], zone: set[str],
                 stored_groups: list[list[str]], cfg: dict[str, Any]) -> list[dict[str, Any]] | str:
    """The incidents of the range (stored mentions `old` plus `new`), or why not: "widen" when
    the zone's clusters live differently with the new mentions, "block" when an assumption fails."""
    records = {r["id"]: r for r in old}
    records.update({r["id"]: r for r in new})
    groups = cluster(list(records.values()), cfg)
    items = sorted(records.values(), key=lambda r: r["id"])
    scores, blocked = _pairs(items, cfg)
    replica, lives = history(items, cfg, (scores, blocked))
    if replica != [[r["id"] for r in g] for g in groups]:
        return "block"  # cluster.py changed and the replica no longer follows it
    old_pairs = None
    fresh = {r["id"] for r in new}
    if not fresh & {r["id"] for r in old}:
        # the stored mentions' pairs are the same without the new ones (all are dated): reuse them
        position = {}
        for k, r in enumerate(items):
            if r["id"] not in fresh:
                position[k] = len(position)
        old_pairs = ({(position[i], position[j]): v for (i, j), v in scores.items() if i in position and j in position},
                     {(position[i], position[j]) for i, j in blocked if i in position and j in position})
    before, lives_before = history(old, cfg, old_pairs)
    if sorted(map(sorted, stored_groups)) != sorted(map(sorted, before)):
        return "block"  # the stored incidents are not what these mentions re-cluster to
    if {c: v for c, v in lives.items() if c <= zone} != {c: v for c, v in lives_before.items() if c <= zone}:
        return "widen"
    return [reconcile(g, block, cfg) for g in groups]


def reach(cfg: dict[str, Any], margin: int) -> int:
    """Days around each new mention's date beyond which no stored mention can change what
    `resolve_block` returned, when it returned a range found with `margin` (its `used`): the
    margin, plus the window twice (a chosen incident's members lie within one window of a member
    inside the margin, and the zone looks one window further), plus a day. A writer that computed
    a range without the incident lock may keep it if the block's stored mentions within this reach
    of the new dates are still those it read (store/resolution.py)."""
    return margin + 2 * cfg["date_window_days"] + 1


def resolve_block(block: str, stored: list[tuple[str, date | None, str]], new: list[dict[str, Any]],
                  cfg: dict[str, Any], load: Callable[[list[str]], list[dict[str, Any]]],
                  used: list[int] | None = None) -> tuple[set[str], list[dict[str, Any]]] | None:
    """(the stored incident ids to replace, their replacement) after `new` mentions join `block`,
    or None when only re-resolving the whole block is known to be right.

    `stored`: (event id, date, incident id) of the block's stored mentions; `load(ids)` their records.
    `used`, when given, receives the margin of the range returned (what it depended on: `reach`).
    """
    new_dates = [record_date(r) for r in new]
    if any(d is None for d in new_dates) or any(day is None for _, day, _ in stored):
        return None
    window = cfg["date_window_days"]
    known = {event_id: day for event_id, day, _ in stored}
    new_dates += [known[r["id"]] for r in new if r["id"] in known]  # a stored mention given again
    dated: list[tuple[str, date, str]] = [(e, d, i) for e, d, i in stored if d is not None]
    margin = 2 * window + 1  # more than the window keeps the new mentions out of the zone; twice it, few widenings
    for _ in range(TRIES):
        chosen, incident_ids = plan(dated, [d for d in new_dates if d is not None], margin)
        if len(chosen) == len(stored):
            return None  # the whole block anyway
        members: dict[str, list[str]] = {}
        for event_id, _, inc in dated:
            if inc in incident_ids:
                members.setdefault(inc, []).append(event_id)
        result = resolve_part(block, load(sorted(chosen)), new, _zone(dated, chosen, window),
                              list(members.values()), cfg)
        if result == "block":
            return None
        if not isinstance(result, str):
            if used is not None:
                used.append(margin)
            return incident_ids, result
        margin *= 2
    return None
