"""The filter query parameters shared by every list and aggregate endpoint.

One FastAPI dependency, `event_filter`, declares them once (so the OpenAPI description lists them
identically everywhere) and turns them into an `EventFilter`, or a 422 naming the parameter at
fault. The incident endpoints take `incident_filter`: the same parameters, where a status may also
be `contested` (an incident status). Names follow ACLED's API where it has one (country, admin1,
event_type as `type`, event dates as a range); lists are repeated parameters or comma-separated
(`type=ASSAULT,PROTEST`; ACLED sub-types, which may hold commas, separate with `|`).
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Query

from sitrep.store.filters import EventFilter, IncidentFilter
from sitrep.web.errors import ParameterError, build_filter

Text = Annotated[str | None, Query(max_length=200)]
Many = Annotated[list[str] | None, Query(max_length=500)]


@lru_cache(maxsize=1)
def known_modes() -> frozenset[str]:
    """PLOVER modes of the ontology the pipeline uses (data file, loaded once)."""
    from sitrep.knowledge.ontology import get_ontology

    return frozenset(m for spec in get_ontology().event_types.values() for m in spec.get("modes") or [])


def resolve_place(place: str, country: str | None) -> tuple[float, float]:
    """(lat, lon) of the largest gazetteer place called `place` that has a point (offline look-up)."""
    from sitrep.knowledge.gazetteer import get_gazetteer
    from sitrep.store.countries import country_iso3

    iso3 = country_iso3(country) if country else None
    candidates = [c for c in get_gazetteer().lookup(place, country=iso3, limit=10)
                  if c.lat is not None and c.lon is not None and c.feature != "country"]
    # A town before a province of the same name ("Aleppo" the city, not the governorate's centroid);
    # the gazetteer already ranks each kind by population.
    candidates.sort(key=lambda c: c.feature in ("admin1", "admin2"))
    if candidates:
        return candidates[0].lat, candidates[0].lon  # type: ignore[return-value]
    where = f" in {iso3}" if iso3 else ""
    raise ParameterError("place", f"no place called {place!r}{where} with coordinates for a radius search", place)


def event_filter(
    country: Annotated[str | None, Query(max_length=100, description="ISO3 code (SYR) or English name")] = None,
    admin1: Annotated[str | None, Query(max_length=100, description="admin1 name or P-code, exact")] = None,
    place: Annotated[
        str | None,
        Query(max_length=200, description="substring of the place or its admin1; with radius_km, the centre"),
    ] = None,
    radius_km: Annotated[
        float | None, Query(gt=0, le=20037.5, description="events within this distance of place or lat/lon")
    ] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description="centre of a radius search")] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, description="centre of a radius search")] = None,
    bbox: Annotated[
        str | None, Query(max_length=200, description="west,south,east,north in degrees (points only)")
    ] = None,
    actor: Annotated[str | None, Query(max_length=200, description="substring of an actor's name, text or id")] = None,
    event_type: Annotated[
        list[str] | None, Query(alias="type", max_length=500, description="PLOVER type(s); repeat or comma-separate")
    ] = None,
    mode: Annotated[list[str] | None, Query(max_length=500, description="PLOVER mode(s), e.g. aerial")] = None,
    acled_type: Annotated[
        list[str] | None, Query(max_length=500, description="ACLED event type(s), e.g. Battles")
    ] = None,
    acled_sub_type: Annotated[
        list[str] | None, Query(max_length=500, description="ACLED sub-event type(s), |-separated")
    ] = None,
    status: Annotated[list[str] | None, Query(max_length=500, description="status(es): asserted, claimed...")] = None,
    date_from: Annotated[str | None, Query(max_length=10, description="inclusive, YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, Query(max_length=10, description="inclusive, YYYY-MM-DD")] = None,
    q: Annotated[str | None, Query(max_length=200, description="text in the evidence sentence or title")] = None,
    kind: Annotated[
        list[str] | None,
        Query(max_length=200, description="occurrence (default), background, commentary, headline, or all"),
    ] = None,
) -> EventFilter:
    """FastAPI dependency: the query's filters as an `EventFilter` (422 naming the bad parameter)."""
    return _parse(EventFilter, country=country, admin1=admin1, place=place, radius_km=radius_km, lat=lat, lon=lon,
                  bbox=bbox, actor=actor, event_type=event_type, mode=mode, acled_type=acled_type,
                  acled_sub_type=acled_sub_type, status=status, date_from=date_from, date_to=date_to, q=q, kind=kind)


def _parse(cls: type[EventFilter], *, country: str | None, admin1: str | None, place: str | None,
           radius_km: float | None, lat: float | None, lon: float | None, bbox: str | None, actor: str | None,
           event_type: list[str] | None, mode: list[str] | None, acled_type: list[str] | None,
           acled_sub_type: list[str] | None, status: list[str] | None, date_from: str | None,
           date_to: str | None, q: str | None, kind: list[str] | None) -> EventFilter:
    near = None
    if (lat is None) != (lon is None):
        missing = "lon" if lon is None else "lat"
        raise ParameterError(missing, "lat and lon go together (the centre of a radius search)", None)
    if lat is not None and lon is not None:
        if radius_km is None:
            raise ParameterError("radius_km", "a centre (lat, lon) needs a radius_km", None)
        near = f"{lat},{lon}"
    elif radius_km is not None:
        if not (place and place.strip()):
            raise ParameterError("radius_km", "a radius search needs a centre: place, or lat and lon", radius_km)
        if country:
            build_filter({"country": country})  # a bad country is reported as such, not as a place
        near_lat, near_lon = resolve_place(place.strip(), country)
        near = f"{near_lat},{near_lon}"
        place = None  # the place is the centre, not a name filter
    for value in mode or []:
        for item in value.replace("|", ",").split(","):
            item = item.strip().lower()
            if item and item not in known_modes():
                raise ParameterError(
                    "mode", f"unknown mode {item!r}; expected one of {', '.join(sorted(known_modes()))}", value
                )
    return build_filter(cls=cls, params={
        "country": country, "admin1": admin1, "place": place, "actor": actor, "type": event_type,
        "mode": mode, "acled_type": acled_type, "acled_sub_type": acled_sub_type, "status": status,
        "date_from": date_from, "date_to": date_to, "q": q, "bbox": bbox,
        "near": near, "radius_km": radius_km if near else None, "kind": kind,
    })


def incident_filter(**values: Any) -> EventFilter:
    """FastAPI dependency of the incident endpoints: event_filter's parameters, as an `IncidentFilter`
    (a status may also be `contested`, a claim that other reports deny)."""
    return _parse(IncidentFilter, **values)


def _incident_signature() -> inspect.Signature:
    """event_filter's parameters, the status one described with the incidents' statuses."""
    signature = inspect.signature(event_filter, eval_str=True)
    status = Annotated[list[str] | None, Query(
        max_length=500, description="status(es): asserted, claimed, denied... or, for incidents, contested "
                                    "(a claim that other reports deny)")]
    parameters = [p.replace(annotation=status) if p.name == "status" else p for p in signature.parameters.values()]
    return signature.replace(parameters=parameters, return_annotation=IncidentFilter)


incident_filter.__signature__ = _incident_signature()  # type: ignore[attr-defined]
