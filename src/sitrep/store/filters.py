"""The event filters shared by the CLI (`sitrep events`), the HTTP API and the dashboard.

One dataclass, validated once, turned into a parameterised SQL WHERE clause by the store:
no value from a user ever reaches SQL as text.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES = ("asserted", "claimed", "denied", "planned", "hypothetical", "negated")


class FilterError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Query filters; every field is optional and they combine with AND.

    country: ISO3 code or English country name; place: case-insensitive substring of the
    location name or its admin1; actor: substring of an actor's or recipient's name, text or
    id; event_type: one or more PLOVER types; status: one or more statuses; date_from/date_to:
    inclusive bounds on the event date; text: substring of the evidence sentence or title.
    """

    country: str | None = None
    place: str | None = None
    actor: str | None = None
    event_type: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        bad = [t for t in self.event_type if t not in EVENT_TYPES]
        if bad:
            raise FilterError(f"unknown event type {bad[0]!r}; expected one of {', '.join(EVENT_TYPES)}")
        bad = [s for s in self.status if s not in STATUSES]
        if bad:
            raise FilterError(f"unknown status {bad[0]!r}; expected one of {', '.join(STATUSES)}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise FilterError(f"date_from {self.date_from} is after date_to {self.date_to}")

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
    ) -> EventFilter:
        """Build from user strings: comma- or |-separated lists, ISO dates, upper-cased types."""
        return cls(
            country=_blank(country),
            place=_blank(place),
            actor=_blank(actor),
            event_type=tuple(v.upper() for v in _split(event_type)),
            status=tuple(v.lower() for v in _split(status)),
            date_from=_date(date_from, "date_from"),
            date_to=_date(date_to, "date_to"),
            text=_blank(text),
        )

    def is_empty(self) -> bool:
        return all(not getattr(self, f.name) for f in fields(self))


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
