"""Clustering one block: single linkage over scored pairs, never across a hard constraint.

Hand-written (a few lines of union-find) because the library clusterers take no cannot-link
constraints. Determinism: members are sorted by id, pairs by (score desc, ids), so the result
does not depend on the order records arrived in.
"""

from __future__ import annotations

from typing import Any

from sitrep.resolve.block import record_date
from sitrep.resolve.score import cannot_link, score


def cluster(records: list[dict[str, Any]], cfg: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Groups of records (each sorted by id), sorted by their smallest id."""
    items = sorted(records, key=lambda r: r["id"])
    n = len(items)
    # Sweep in date order so only mentions within the date window are compared (undated: all).
    by_date = sorted(range(n), key=lambda i: (record_date(items[i]) is None, record_date(items[i]) or 0, i))
    window = cfg["date_window_days"]
    edges: list[tuple[float, int, int]] = []
    blocked: set[tuple[int, int]] = set()
    allowed: set[tuple[int, int]] = set()
    for pos, i in enumerate(by_date):
        di = record_date(items[i])
        for j in by_date[pos + 1:]:
            dj = record_date(items[j])
            if di is not None and dj is not None and (dj - di).days > window:
                break
            pair = (min(i, j), max(i, j))
            if cannot_link(items[i], items[j], cfg):
                blocked.add(pair)
                continue
            allowed.add(pair)
            value = score(items[i], items[j], cfg)
            if value >= cfg["threshold"]:
                edges.append((-round(value, 9), *pair))
    edges.sort()
    parent = list(range(n))
    members: dict[int, set[int]] = {i: {i} for i in range(n)}

    def _blocked(x: int, y: int) -> bool:
        pair = (min(x, y), max(x, y))
        if pair in blocked:
            return True
        if pair in allowed:
            return False
        (blocked if cannot_link(items[x], items[y], cfg) else allowed).add(pair)
        return pair in blocked

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in edges:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        if any(_blocked(x, y) for x in members[ri] for y in members[rj]):
            continue
        root, other = min(ri, rj), max(ri, rj)
        parent[other] = root
        members[root] |= members.pop(other)
    groups = [[items[k] for k in sorted(group)] for group in members.values()]
    return sorted(groups, key=lambda g: g[0]["id"])
