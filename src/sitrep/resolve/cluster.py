"""Clustering one block: agglomerative average linkage over scored pairs, never across a constraint.

Hand-written because the library clusterers (scipy, sklearn) take no cannot-link constraints
and want a dense distance matrix, where a block compares each mention only with those inside
the date window. Average linkage rather than single: one report that covers two same-day strikes
(or a line recalling an older attack) would chain their reports into one incident under single
linkage; under average linkage two groups merge only when their reports are alike on the whole.

Determinism: members are sorted by id, merges taken by (average score desc, member indexes), so
the result does not depend on the order records arrived in.
"""

from __future__ import annotations

import heapq
from typing import Any

from sitrep.resolve.block import record_date
from sitrep.resolve.score import cannot_link, score

Pair = tuple[int, int]


def _pairs(items: list[dict[str, Any]], cfg: dict[str, Any]) -> tuple[dict[Pair, float], set[Pair]]:
    """Scores of the allowed pairs inside the date window, and the pairs a constraint forbids."""
    # Sweep in date order so only mentions within the date window are compared (undated: all).
    by_date = sorted(range(len(items)), key=lambda i: (record_date(items[i]) is None, record_date(items[i]) or 0, i))
    window = cfg["date_window_days"]
    scores: dict[Pair, float] = {}
    blocked: set[Pair] = set()
    for pos, i in enumerate(by_date):
        di = record_date(items[i])
        for j in by_date[pos + 1:]:
            dj = record_date(items[j])
            if di is not None and dj is not None and (dj - di).days > window:
                break  # every later one is further still: the pairs are all cannot-link
            pair = (min(i, j), max(i, j))
            if cannot_link(items[i], items[j], cfg):
                blocked.add(pair)
            else:
                scores[pair] = round(score(items[i], items[j], cfg), 9)
    return scores, blocked


def cluster(records: list[dict[str, Any]], cfg: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Groups of records (each sorted by id), sorted by their smallest id."""
    items = sorted(records, key=lambda r: r["id"])
    scores, blocked = _pairs(items, cfg)
    threshold = cfg["threshold"]
    single = cfg.get("linkage") == "single"
    size = {i: 1 for i in range(len(items))}
    members = {i: [i] for i in range(len(items))}
    # link[a][b] = [sum of pair scores, forbidden, pairs scored] between live clusters a and b. A
    # pair never scored lies beyond the date window, which cannot_link forbids, so two clusters may
    # merge only when every cross pair was scored and none is forbidden.
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

    heap = [(-value, i, j) for (i, j), value in scores.items() if value >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in size or b not in size or b not in link[a]:
            continue
        now = strength(a, b)
        if now is None or round(now, 9) != -neg:
            continue  # stale: one side changed since this entry was pushed
        keep, gone = min(a, b), max(a, b)
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
    groups = [[items[k] for k in sorted(group)] for group in members.values()]
    return sorted(groups, key=lambda g: g[0]["id"])
