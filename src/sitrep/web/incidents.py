"""Where the reports of one incident disagree, for `/api/incidents/{id}` and the incident page.

An incident (DESIGN.md section 8) reconciles its member mentions into one record; what it cannot
show is how far apart the reports were. This module compares the members field by field and lists
every field on which they differ, each value with the mentions and documents that gave it:

- a figure kind (killed, injured, ...): the reported best values differ ("12" and "dozens", both
  12, agree; 1,000 and 10,000 displaced do not);
- date: the members' dates (with their end dates) differ; each value says its precision, since a
  date "within a week" may still be compatible with an exact day;
- actors: the sets of actors the members name (who is blamed) differ;
- recipients: the sets of targets differ;
- place: the members' place names differ (often one report is more precise than another);
- status: some assert, others claim or deny.

A member that says nothing about a field (no date, no actor named) does not disagree on it.
Values come in a fixed order (figures by value, dates in time order, the rest by how many
mentions give them, then by label), so the answer is the same on every call.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sitrep.web.evidence import FIGURE_KINDS

PRECISION = {1: "exact day", 2: "within a week", 3: "within a month"}
FIELDS: tuple[str, ...] = (*FIGURE_KINDS, "date", "actors", "recipients", "place", "status")


def _party_names(parties: list[dict[str, Any]] | None) -> tuple[str, ...]:
    names = {str(p.get("name") or p.get("text") or p.get("id") or "").strip() for p in parties or []}
    return tuple(sorted(n for n in names if n))


def _group(members: list[dict[str, Any]], value_of: Callable[[dict[str, Any]], Any],
           label_of: Callable[[Any], str]) -> list[dict[str, Any]]:
    """Distinct values of `value_of` over the members that give one, each with who gave it."""
    groups: dict[Hashable, dict[str, Any]] = {}
    for member in members:
        value = value_of(member)
        if value is None or value == ():
            continue
        entry = groups.setdefault(value, {"value": value, "label": label_of(value), "event_ids": [], "doc_ids": []})
        entry["event_ids"].append(member["id"])
        if member.get("doc_id") and member["doc_id"] not in entry["doc_ids"]:
            entry["doc_ids"].append(member["doc_id"])
    return list(groups.values())


def _date_value(member: dict[str, Any]) -> tuple[str, str | None, int | None] | None:
    if not member.get("date"):
        return None
    end = member.get("date_end")
    return member["date"], end if end and end != member["date"] else None, member.get("time_precision")


def _date_label(value: tuple[str, str | None, int | None]) -> str:
    start, end, precision = value
    text = f"{start} – {end}" if end else start
    return f"{text} ({PRECISION[precision]})" if precision in PRECISION else text


def _place_value(member: dict[str, Any]) -> str | None:
    loc = member.get("location") or {}
    return loc.get("name") or loc.get("text") or None


def _figure_groups(kind: str, incident: dict[str, Any], members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reported values of one figure kind: from the incident's reports (each names its mention and
    document), or from the members' own figures when the record carries no reports."""
    figure = (incident.get("figures") or {}).get(kind) or {}
    reports = figure.get("reports")
    if reports is None:
        reports = [{"value": (m.get("figures") or {}).get(kind, {}).get("best"), "event_id": m["id"],
                    "doc_id": m.get("doc_id")} for m in members if (m.get("figures") or {}).get(kind)]
    rows = [{"id": r.get("event_id"), "doc_id": r.get("doc_id"), "value": r.get("value")}
            for r in reports if r.get("value") is not None]
    groups = _group(rows, lambda r: r["value"], lambda v: f"{v:,}")
    return sorted(groups, key=lambda g: g["value"])


def disagreements(incident: dict[str, Any], members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every field on which the reports of `incident` differ: [{field, group, values: [{value,
    label, event_ids, doc_ids}]}], in the order of FIELDS. `members` are the member event records."""
    out: list[dict[str, Any]] = []

    def add(field: str, group: str, values: list[dict[str, Any]]) -> None:
        if len(values) > 1:
            for v in values:
                if isinstance(v["value"], tuple):
                    v["value"] = list(v["value"])
            out.append({"field": field, "group": group, "values": values})

    for kind in FIGURE_KINDS:
        add(kind, "figures", _figure_groups(kind, incident, members))

    def by_support(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(values, key=lambda g: (-len(g["event_ids"]), g["label"]))

    dates = _group(members, _date_value, _date_label)
    add("date", "date", sorted(dates, key=lambda g: (g["value"][0], g["value"][1] or "", g["value"][2] or 9)))
    add("actors", "actors", by_support(_group(members, lambda m: _party_names(m.get("actors")), "; ".join)))
    add("recipients", "actors", by_support(_group(members, lambda m: _party_names(m.get("recipients")), "; ".join)))
    add("place", "place", by_support(_group(members, _place_value, str)))
    add("status", "status", by_support(_group(members, lambda m: m.get("status"), str)))
    return out


def incident_view(incident: dict[str, Any], asked_for: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    """The full incident for `/api/incidents/{id}`: the stored record, `resolved_from` (the alias
    asked for when it differs from the surviving id, else null), the member event records and the
    disagreements between them."""
    return {
        **incident,
        "resolved_from": asked_for if asked_for != incident.get("id") else None,
        "member_events": members,
        "disagreements": disagreements(incident, members),
    }
