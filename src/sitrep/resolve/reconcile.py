"""Reconciliation: one incident record from the mentions that report it.

Figures follow ACLED's conservative rule: when reports disagree, best is the lowest credible
figure. Credible leaves out loosely hedged counts ("more than 150, according to residents",
`weak_hedges`) while a plain or "at least" count of the same kind exists, and a lower bound
(`lower_bound_hedges`: "at least 30") that a higher count published on or after it exceeds: the
two do not disagree, the first was a count still running. Later, higher tolls:
a report that says the toll was revised (a `revision_cues` phrase such as "rose to"; or a re-sent
copy of a stored story with other figures, which ingest marks `source.revision_of`), or that
gives it from a source that counts the dead (an `authority_cues` source: a ministry, WHO, the
emergency service, a coroner, named in its sentence or as the outlet), makes every earlier report
stale: best is then the lowest credible figure among the latest such update and the reports
published on or after it. So a first wire toll of 30 gives way to the regional administration's
52 the next day, but a later monitor's "more than 100" does not replace the ministry's 89. With
`later_tolls: latest-day` every later report updates. Every report stays listed with its source,
and low / high span all of them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from sitrep.record import FIGURE_KINDS

STATUS_ORDER = ("asserted", "contested", "claimed", "denied")


def incident_id(founding_event_id: str) -> str:
    """Stable id: from the founding member's event id, whatever the ingest order or batch size."""
    return "inc-" + hashlib.sha1(founding_event_id.encode()).hexdigest()[:16]


def founder(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The member an incident's id derives from: the first published report (ties: smallest id).

    A function of the membership alone, so ids never depend on ingest order or batch size; and
    when new reports merge two incidents, the one reported first keeps its id while the other's
    becomes an alias. Undated reports come last: a dated first report is the better anchor.
    """
    return min(members, key=lambda m: (_published(m) == "", _published(m), m["id"]))


def _published(record: dict[str, Any]) -> str:
    return (record.get("source") or {}).get("published") or ""


def _says(record: dict[str, Any], cues: list[str]) -> bool:
    """Whether the evidence sentence holds one of `cues` (case-insensitive)."""
    text = ((record.get("evidence") or {}).get("text") or "").casefold()
    return any(cue in text for cue in cues)


def _authoritative(record: dict[str, Any], cues: list[str]) -> bool:
    """A toll from a source that counts the dead: named in the sentence, or the outlet itself."""
    outlet = ((record.get("source") or {}).get("publisher") or "").casefold()
    return _says(record, cues) or any(cue in outlet for cue in cues)


def _figure(kind: str, members: list[dict[str, Any]], cfg: dict[str, Any]) -> dict[str, Any] | None:
    reports = []
    for m in members:
        fig = (m.get("figures") or {}).get(kind)
        if not fig or fig.get("best") is None:
            continue
        reports.append({"value": fig["best"], "low": fig.get("low"), "high": fig.get("high"),
                        "hedge": fig.get("hedge"), "event_id": m["id"], "doc_id": m.get("doc_id"),
                        "outlet": (m.get("source") or {}).get("publisher"), "published": _published(m) or None,
                        "revision": _says(m, cfg["revision_cues"]) or bool((m.get("source") or {}).get("revision_of")),
                        "authoritative": _authoritative(m, cfg["authority_cues"])})
    if not reports:
        return None
    reports.sort(key=lambda r: (r["published"] or "", r["event_id"]))
    credible = [r for r in reports if r["hedge"] not in cfg["weak_hedges"]] or reports
    credible = _superseded_bounds(credible, cfg.get("lower_bound_hedges") or [])
    updates = [r for r in credible if r["revision"] or r["authoritative"]]
    if cfg["later_tolls"] == "latest-day":
        updates = credible
    if updates:
        latest = max(r["published"] or "" for r in updates)
        credible = [r for r in credible if (r["published"] or "") >= latest]
    lows = [r["low"] if r["low"] is not None else r["value"] for r in reports]
    highs = [r["high"] if r["high"] is not None else r["value"] for r in reports]
    return {"low": min(lows), "best": min(r["value"] for r in credible), "high": max(highs),
            "reports": reports}


def _superseded_bounds(credible: list[dict[str, Any]], hedges: list[str]) -> list[dict[str, Any]]:
    """`credible` without the lower bounds a higher report published on or after them exceeds.

    Why: "at least 30 killed" on the day of the strike and "52 killed" the next day do not
    disagree (ACLED's lowest-credible rule is for reports that do); the first is a count still
    running, and taking it as best kept most early tolls of our own set as the incident's.
    """
    if not hedges:
        return credible
    kept = [r for r in credible if r["hedge"] not in hedges or not any(
        o["value"] > r["value"] and (o["published"] or "") >= (r["published"] or "") for o in credible)]
    return kept or credible


def _status(members: list[dict[str, Any]]) -> str:
    """asserted when any source asserts it; contested when a claim is denied; else claimed / denied."""
    statuses = {m.get("status") for m in members}
    if "asserted" in statuses:
        return "asserted"
    if "claimed" in statuses and "denied" in statuses:
        return "contested"
    return "claimed" if "claimed" in statuses else "denied"


def _best_member(members: list[dict[str, Any]], key: Any) -> dict[str, Any]:
    """The member minimising `key` (precision, lower = finer), ties to the smallest event id."""
    return min(members, key=lambda m: (key(m), m["id"]))


def _actors(members: list[dict[str, Any]], role: str) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    first: dict[str, dict[str, Any]] = {}
    for m in members:
        seen = set()
        for actor in m.get(role) or []:
            key = str(actor.get("id") or actor.get("name") or actor.get("text") or "").casefold()
            if key and key not in seen:
                seen.add(key)
                counts[key] += 1
                first.setdefault(key, actor)
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    return [{**first[k], "reports": counts[k]} for k in ranked]


def reconcile(members: list[dict[str, Any]], block: str, cfg: dict[str, Any]) -> dict[str, Any]:
    """The incident record of one cluster (members sorted by id)."""
    members = sorted(members, key=lambda m: m["id"])
    dated = [m for m in members if m.get("date")]
    when = _best_member(dated, lambda m: (m.get("time_precision") or 9, m["date"])) if dated else None
    placed = [m for m in members if m.get("location")]
    where = _best_member(placed, lambda m: ((m["location"].get("geo_precision") or 9),
                                           m["location"].get("lat") is None)) if placed else None
    types = Counter(m.get("event_type") for m in members)
    event_type = sorted(types, key=lambda t: (-types[t], t or ""))[0]
    acled = Counter(((m.get("acled") or {}).get("event_type"), (m.get("acled") or {}).get("sub_event_type"))
                    for m in members if (m.get("acled") or {}).get("event_type"))
    acled_best = sorted(acled, key=lambda t: (-acled[t], t))[0] if acled else (None, None)
    sources: dict[str, dict[str, Any]] = {}
    for m in members:
        src = m.get("source") or {}
        entry = sources.setdefault(m.get("doc_id") or m["id"], {
            "doc_id": m.get("doc_id"), "outlet": src.get("publisher"), "url": src.get("url"),
            "title": src.get("title"), "published": src.get("published"), "event_ids": [], "evidence": []})
        entry["event_ids"].append(m["id"])
        entry["evidence"].append(dict(m.get("evidence") or {}))
    return {
        "id": incident_id(founder(members)["id"]),
        "block": block,
        "event_type": event_type,
        "mode": members[0].get("mode"),
        "acled": {"event_type": acled_best[0], "sub_event_type": acled_best[1]},
        "date": when["date"] if when else None,
        "date_end": when.get("date_end") if when else None,
        "time_precision": when.get("time_precision") if when else None,
        "location": dict(where["location"]) if where else None,
        "figures": {kind: _figure(kind, members, cfg) for kind in FIGURE_KINDS},
        "actors": _actors(members, "actors"),
        "recipients": _actors(members, "recipients"),
        "status": _status(members),
        "statuses": dict(sorted(Counter(m.get("status") for m in members).items())),
        "sources": sorted(sources.values(), key=lambda s: (s["published"] or "", s["doc_id"] or "")),
        "n_sources": len(sources),
        "members": [m["id"] for m in members],
    }
