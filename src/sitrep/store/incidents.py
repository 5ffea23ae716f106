"""Incident tables (migration 0006): replace the incidents of some blocks, read them back.

Called by the Store under its write lock, inside one transaction. Sync rules (DESIGN.md
section 8): an id that survives keeps its created_at, and its updated_at unless its record
changed; an old id that disappears because its incident merged into another (or split) becomes
an alias of the incident most of its members joined (and aliases pointing at it follow), so every
id ever served resolves. Which id survives a merge is decided in resolve/reconcile.founder.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sitrep.store.filters import EventFilter
from sitrep.store.records import FIGURE_COLUMNS, FIGURE_KINDS, join
from sitrep.store.sql import select_page, where_clause

if TYPE_CHECKING:
    from sitrep.store.core import Connection

_TYPES: dict[str, str] = {
    "id": "VARCHAR", "block": "VARCHAR", "event_type": "VARCHAR", "mode": "VARCHAR", "status": "VARCHAR",
    "kind": "VARCHAR", "date": "DATE", "time_precision": "INTEGER", "place": "VARCHAR", "country": "VARCHAR",
    "admin1": "VARCHAR", "admin1_pcode": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE",
    "acled_event_type": "VARCHAR", "acled_sub_event_type": "VARCHAR", "actor_names": "VARCHAR",
    "actor_ids": "VARCHAR", "recipient_names": "VARCHAR", "recipient_ids": "VARCHAR", "evidence": "VARCHAR",
    "title": "VARCHAR", "n_sources": "INTEGER", "published": "DATE",
    **dict.fromkeys(FIGURE_COLUMNS, "INTEGER"),  # migration 0007: every reconciled range
    "created_at": "TIMESTAMP", "updated_at": "TIMESTAMP", "record": "JSON",
}


def _names(actors: list[dict[str, Any]]) -> str | None:
    return join([v for a in actors for v in (a.get("name"), a.get("text"))])


def _row(inc: dict[str, Any], created: datetime, updated: datetime) -> dict[str, Any]:
    loc = inc.get("location") or {}
    figures = inc.get("figures") or {}
    record = {**inc, "created_at": created.isoformat(), "updated_at": updated.isoformat()}
    return {
        "id": inc["id"], "block": inc["block"], "event_type": inc.get("event_type"), "mode": inc.get("mode"),
        "status": inc.get("status"), "kind": "occurrence", "date": inc.get("date"),
        "time_precision": inc.get("time_precision"), "place": loc.get("name") or loc.get("text"),
        "country": (loc.get("country") or "").upper() or None, "admin1": loc.get("admin1"),
        "admin1_pcode": loc.get("admin1_pcode"), "lat": loc.get("lat"), "lon": loc.get("lon"),
        "acled_event_type": (inc.get("acled") or {}).get("event_type"),
        "acled_sub_event_type": (inc.get("acled") or {}).get("sub_event_type"),
        "actor_names": _names(inc.get("actors") or []),
        "actor_ids": join([a.get("id") for a in inc.get("actors") or []]),
        "recipient_names": _names(inc.get("recipients") or []),
        "recipient_ids": join([a.get("id") for a in inc.get("recipients") or []]),
        "evidence": " | ".join(e.get("text") or "" for s in inc.get("sources") or [] for e in s["evidence"]) or None,
        "title": join([s.get("title") for s in inc.get("sources") or []]),
        "n_sources": inc.get("n_sources"),
        "published": min((s["published"] for s in inc.get("sources") or [] if s.get("published")), default=None),
        **{col: (figures.get(kind) or {}).get(part) for kind in FIGURE_KINDS
           for col, part in ((kind, "best"), (f"{kind}_low", "low"), (f"{kind}_high", "high"))},
        "created_at": created, "updated_at": updated,
        "record": json.dumps(record, ensure_ascii=False),
    }


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("created_at", "updated_at")}


def block_member_ids(conn: Connection, blocks: list[str]) -> list[str]:
    """Event ids of every incident in `blocks`."""
    if not blocks:
        return []
    rows = conn.execute(
        "SELECT m.event_id FROM incident_members m JOIN incidents i ON i.id = m.incident_id "
        f"WHERE {conn.any_of('i.block', 'VARCHAR')} ORDER BY m.event_id", [blocks]).fetchall()
    return [r[0] for r in rows]


def block_mentions(conn: Connection, blocks: list[str]) -> dict[str, list[tuple[str, Any, str]]]:
    """Block -> (event id, date, incident id) of every member of its incidents (what an
    incremental re-resolution chooses its date range from, resolve/incremental.py)."""
    out: dict[str, list[tuple[str, Any, str]]] = {block: [] for block in blocks}
    for block, event_id, day, inc in conn.execute(
            "SELECT i.block, m.event_id, e.date, m.incident_id FROM incident_members m "
            "JOIN incidents i ON i.id = m.incident_id JOIN events e ON e.id = m.event_id "
            f"WHERE {conn.any_of('i.block', 'VARCHAR')} ORDER BY m.event_id", [blocks]).fetchall():
        out[block].append((event_id, day, inc))
    return out


def event_records(conn: Connection, ids: list[str]) -> list[dict[str, Any]]:
    """The stored records of these event ids."""
    if not ids:
        return []
    rows = conn.execute(f"SELECT record FROM events WHERE {conn.any_of('id', 'VARCHAR')}", [ids]).fetchall()
    return [json.loads(r[0]) for r in rows]


def replace_blocks(conn: Connection, blocks: list[str] | None, incidents: list[dict[str, Any]],
                   now: datetime) -> dict[str, int]:
    """Replace the incidents of `blocks` (None = every block) by `incidents`; returns counts:
    created, updated, unchanged, aliased (old ids now aliases), removed (old ids gone)."""
    cond, params = (conn.any_of("i.block", "VARCHAR"), [blocks]) if blocks is not None else ("TRUE", [])
    return _replace(conn, cond, params, incidents, now)


def replace_incidents(conn: Connection, ids: list[str], incidents: list[dict[str, Any]],
                      now: datetime) -> dict[str, int]:
    """Replace the stored incidents `ids` (part of a block) by `incidents`, under the same sync
    rules and counts as replace_blocks (incidents left out are not counted)."""
    return _replace(conn, conn.any_of("i.id", "VARCHAR"), [ids], incidents, now)


def _replace(conn: Connection, cond: str, params: list[Any], incidents: list[dict[str, Any]],
             now: datetime) -> dict[str, int]:
    old = {r[0]: (r[1], r[2], json.loads(r[3])) for r in conn.execute(
        f"SELECT id, created_at, updated_at, record FROM incidents i WHERE {cond}", params).fetchall()}
    old_members: dict[str, list[str]] = {}
    for inc_id, eid in conn.execute(
            f"SELECT m.incident_id, m.event_id FROM incident_members m JOIN incidents i ON i.id = m.incident_id "
            f"WHERE {cond} ORDER BY 1, 2", params).fetchall():
        old_members.setdefault(inc_id, []).append(eid)
    owner = {eid: inc["id"] for inc in incidents for eid in inc["members"]}
    counts = dict.fromkeys(("created", "updated", "unchanged", "aliased", "removed"), 0)
    rows = []
    kept: set[str] = set()  # unchanged incidents (record, hence members, equal): their rows stay as they are
    for inc in incidents:
        if inc["id"] in old:
            created, updated, record = old[inc["id"]]
            if _comparable(record) == _comparable(inc):
                counts["unchanged"] += 1
                kept.add(inc["id"])
                continue
            updated = now
            counts["updated"] += 1
        else:
            created = updated = now
            counts["created"] += 1
        rows.append(_row(inc, created, updated))
    new_ids = {inc["id"] for inc in incidents}
    aliases = {}
    for old_id in old:
        if old_id in new_ids:
            continue
        # the alias points where most of its members went (ties: the smaller id)
        heirs = Counter(owner[e] for e in old_members.get(old_id, []) if e in owner)
        target = min(heirs, key=lambda i: (-heirs[i], i)) if heirs else None
        if target:
            aliases[old_id] = target
        counts["aliased" if target else "removed"] += 1
    # Rewriting an unchanged incident would cost a delete, an insert and four rollup deltas each
    # way (PostgreSQL), inside the incident locks; a third of a re-clustered range comes out unchanged.
    ids = [i for i in old if i not in kept]
    if ids:
        conn.execute(f"DELETE FROM incident_members WHERE {conn.any_of('incident_id', 'VARCHAR')}", [ids])
        conn.execute(f"DELETE FROM incidents WHERE {conn.any_of('id', 'VARCHAR')}", [ids])
    for old_id, target in aliases.items():
        conn.execute("UPDATE incident_aliases SET incident_id = ? WHERE incident_id = ?", [target, old_id])
        conn.execute("INSERT INTO incident_aliases VALUES (?, ?) ON CONFLICT (alias) DO UPDATE "
                     "SET incident_id = excluded.incident_id", [old_id, target])
    if new_ids:  # an id that is live again (a split after a config change) is no alias
        conn.execute(f"DELETE FROM incident_aliases WHERE {conn.any_of('alias', 'VARCHAR')}", [list(new_ids)])
    conn.bulk_insert("incidents", _TYPES, rows)
    conn.bulk_insert("incident_members", {"incident_id": "VARCHAR", "event_id": "VARCHAR"},
                     [{"incident_id": inc["id"], "event_id": eid} for inc in incidents if inc["id"] not in kept
                      for eid in inc["members"]])
    return counts


def get(cur: Connection, incident_id: str) -> dict[str, Any] | None:
    """The incident with this id, or the one an alias points to."""
    row = cur.execute("SELECT record FROM incidents WHERE id = ? UNION ALL SELECT i.record FROM incident_aliases a "
                      "JOIN incidents i ON i.id = a.incident_id WHERE a.alias = ? LIMIT 1",
                      [incident_id, incident_id]).fetchone()
    return json.loads(row[0]) if row else None


def incident_of(cur: Connection, event_id: str) -> str | None:
    """The id of the incident `event_id` is a member of, or None (not an occurrence, or not resolved)."""
    row = cur.execute("SELECT incident_id FROM incident_members WHERE event_id = ? ORDER BY incident_id LIMIT 1",
                      [event_id]).fetchone()
    return row[0] if row else None


def count(cur: Any) -> int:
    """How many incidents the store holds (aliases are not incidents)."""
    row = cur.execute("SELECT count(*) FROM incidents").fetchone()
    return int(row[0]) if row else 0


def query(cur: Connection, flt: EventFilter, *, updated_since: datetime | None = None, limit: int | None = 100,
          offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(incidents matching, one page newest first); the event filter's columns exist on incidents."""
    where, params = where_clause(flt, cur)
    if updated_since is not None:
        where += " AND updated_at >= ?"
        params = [*params, updated_since]
    return select_page(cur, "incidents", where, params, "date DESC NULLS LAST, id ASC", limit=limit, offset=offset)
