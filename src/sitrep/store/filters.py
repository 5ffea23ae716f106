"""The event filters shared by the CLI (`sitrep events`), the HTTP API and the dashboard.

Their names, values and help text are declared in sitrep/vocabulary.py (`FILTERS`).

One dataclass, validated once, turned into a parameterised SQL WHERE clause by the store:
no value from a user ever reaches SQL as text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import date
from typing import ClassVar

# The values are declared once, with their help text, in sitrep/vocabulary.py (re-exported here).
from sitrep.vocabulary import (
    ACLED_EVENT_TYPES,
    ALL_KINDS,
    DATE_BASES,
    DEFAULT_KINDS,
    EVENT_KINDS,
    EVENT_TYPES,
    INCIDENT_STATUSES,
    STATUSES,
)

__all__ = ["ACLED_EVENT_TYPES", "ALL_KINDS", "DATE_BASES", "DEFAULT_KINDS", "EVENT_KINDS", "EVENT_TYPES",
           "INCIDENT_STATUSES", "STATUSES", "EventFilter", "FilterError", "IncidentFilter"]

EARTH_HALF_CIRCUMFERENCE_KM = 20_037.5
_MODE = re.compile(r"^[a-z][a-z-]*$")


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Query filters; every field is optional and they combine with AND.

    country: ISO3 code or English country name; place: case-insensitive substring of the
    location name or its admin1; actor: substring of an actor's or recipient's name, text or
    id; event_type: one or more PLOVER types; status: one or more statuses; date_from/date_to:
    inclusive bounds on the event date; text: substring of the evidence sentence or title.

    Added for the HTTP API (ACLED's habits): admin1: the admin1 name or P-code, exactly but
    case-insensitively; mode: one or more PLOVER modes; acled_type: one or more ACLED event types;
    acled_sub_type: one or more ACLED sub-event types (case-insensitive); near + radius_km: events
    within radius_km of the (lat, lon) point; bbox: (west, south, east, north) in degrees, west >
    east when the box crosses the antimeridian. Events without a point never match near or bbox.

    kind: the narrative kinds to return; occurrences only unless asked (an empty tuple = every kind).
    """

    statuses: ClassVar[tuple[str, ...]] = STATUSES  # the status values this filter accepts

    country: str | None = None
    place: str | None = None
    actor: str | None = None
    event_type: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    admin1: str | None = None
    mode: tuple[str, ...] = ()
    acled_type: tuple[str, ...] = ()
    acled_sub_type: tuple[str, ...] = ()
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    bbox: tuple[float, float, float, float] | None = None
    kind: tuple[str, ...] = DEFAULT_KINDS

    def __post_init__(self) -> None:
        bad = [t for t in self.event_type if t not in EVENT_TYPES]
        if bad:
            raise FilterError(f"unknown event type {bad[0]!r}; expected one of {', '.join(EVENT_TYPES)}")
        bad = [s for s in self.status if s not in self.statuses]
        if bad:
            raise FilterError(f"unknown status {bad[0]!r}; expected one of {', '.join(self.statuses)}")
        bad = [k for k in self.kind if k not in EVENT_KINDS]
        if bad:
            raise FilterError(
                f"unknown kind {bad[0]!r}; expected one of {', '.join(EVENT_KINDS)}, or {ALL_KINDS}"
            )
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise FilterError(f"date_from {self.date_from} is after date_to {self.date_to}")
        bad = [m for m in self.mode if not _MODE.match(m)]
        if bad:
            raise FilterError(f"mode {bad[0]!r} is not a PLOVER mode name (lower-case letters and hyphens)")
        bad = [t for t in self.acled_type if t not in ACLED_EVENT_TYPES]
        if bad:
            raise FilterError(
                f"unknown ACLED event type {bad[0]!r}; expected one of {', '.join(ACLED_EVENT_TYPES)}"
            )
        if (self.near is None) != (self.radius_km is None):
            raise FilterError("a radius search needs both a centre point and radius_km")
        if self.near is not None:
            _check_point(*self.near)
        if self.radius_km is not None and not (0 < self.radius_km <= EARTH_HALF_CIRCUMFERENCE_KM):
            raise FilterError(f"radius_km must be above 0 and at most 20037.5, got {self.radius_km}")
        if self.bbox is not None:
            west, south, east, north = self.bbox
            _check_point(south, west)
            _check_point(north, east)
            if south > north:
                raise FilterError(f"bbox south {south} is above north {north}")

    @classmethod
    def parse(
        cls,
        *,
        country: str | None = None,
        place: str | None = None,
        actor: str | None = None,
        event_type: str | list[str] | tuple[str, ...] | None = None,
        status: str | list[str] | tuple[str, ...] | None = None,
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        text: str | None = None,
        admin1: str | None = None,
        mode: str | list[str] | tuple[str, ...] | None = None,
        acled_type: str | list[str] | tuple[str, ...] | None = None,
        acled_sub_type: str | list[str] | tuple[str, ...] | None = None,
        near: str | tuple[float, float] | None = None,
        radius_km: str | float | None = None,
        bbox: str | tuple[float, float, float, float] | None = None,
        kind: str | list[str] | tuple[str, ...] | None = None,
    ) -> EventFilter:
        """Build from user strings: comma- or |-separated lists, ISO dates, upper-cased types.

        ACLED types match case-insensitively ("battles"); ACLED sub-types are kept as given and
        compared case-insensitively by the store. near is "lat,lon"; bbox is "west,south,east,north".
        kind absent means occurrences only; "all" means every kind.
        """
        return cls(
            country=_blank(country),
            place=_blank(place),
            actor=_blank(actor),
            event_type=tuple(v.upper() for v in _split(event_type)),
            status=tuple(v.lower() for v in _split(status)),
            date_from=_date(date_from, "date_from"),
            date_to=_date(date_to, "date_to"),
            text=_blank(text),
            admin1=_blank(admin1),
            mode=tuple(v.lower() for v in _split(mode)),
            acled_type=tuple(_acled_type(v) for v in _split(acled_type)),
            acled_sub_type=tuple(_split_keep_commas(acled_sub_type)),
            near=_numbers(near, 2, "near", "lat,lon"),  # type: ignore[arg-type]
            radius_km=_number(radius_km, "radius_km"),
            bbox=_numbers(bbox, 4, "bbox", "west,south,east,north"),  # type: ignore[arg-type]
            kind=_kinds(kind),
        )

    def is_empty(self) -> bool:
        """No filter beyond the default kinds."""
        return all(
            getattr(self, f.name) == f.default if f.name == "kind" else not getattr(self, f.name)
            for f in fields(self)
        )


@dataclass(frozen=True, slots=True)
class IncidentFilter(EventFilter):
    """The filters of a query over incidents: an EventFilter whose status may also be "contested"
    (an incident whose claim is denied by another report); events keep their own statuses."""

    statuses: ClassVar[tuple[str, ...]] = INCIDENT_STATUSES


def _kinds(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Occurrences when nothing is asked; every kind for "all" (alone or among others)."""
    kinds = [v.lower() for v in _split(value)]
    if not kinds:
        return DEFAULT_KINDS
    if ALL_KINDS in kinds:
        return ()
    return tuple(dict.fromkeys(kinds))


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _split(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        out.extend(p.strip() for p in item.replace("|", ",").split(",") if p.strip())
    return out


def _date(value: str | date | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise FilterError(f"{name} must be a date as YYYY-MM-DD, got {value!r}") from err


def _check_point(lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        raise FilterError(f"({lat}, {lon}) is not a point: latitude must be in [-90, 90], longitude in [-180, 180]")


def _acled_type(value: str) -> str:
    """The canonical spelling of an ACLED event type given in any case; unknown values pass through
    (and are refused by __post_init__ with the list of known ones)."""
    folded = {t.casefold(): t for t in ACLED_EVENT_TYPES}
    return folded.get(value.casefold(), value)


def _split_keep_commas(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """ACLED sub-event types contain commas ("Peaceful protest" does not, but "Arrests" lists may):
    only "|" separates them."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [p.strip() for item in items for p in item.split("|") if p.strip()]


def _number(value: str | float | None, name: str) -> float | None:
    if value is None or isinstance(value, float | int):
        return None if value is None else float(value)
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError as err:
        raise FilterError(f"{name} must be a number, got {value!r}") from err
    if not math.isfinite(number):
        raise FilterError(f"{name} must be a finite number, got {value!r}")
    return number


def _numbers(value: str | tuple[float, ...] | None, count: int, name: str, shape: str) -> tuple[float, ...] | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        parts: list[str | float] = list(value)
    else:
        if not value.strip():
            return None
        parts = [p.strip() for p in value.split(",")]
    if len(parts) != count:
        raise FilterError(f"{name} must be {count} comma-separated numbers ({shape}), got {value!r}")
    numbers = []
    for part in parts:
        number = _number(part if isinstance(part, str) else float(part), name)
        if number is None:
            raise FilterError(f"{name} must be {count} comma-separated numbers ({shape}), got {value!r}")
        numbers.append(number)
    return tuple(numbers)
