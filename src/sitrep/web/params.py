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
from typing import Annotated, Any

from fastapi import Query

from sitrep.store.filters import EventFilter, IncidentFilter
from sitrep.vocabulary import API_FILTER_PARAMS, FILTER_BY_NAME, modes
from sitrep.web.errors import ParameterError, build_filter

Text = Annotated[str | None, Query(max_length=200)]
Many = Annotated[list[str] | None, Query(max_length=500)]


def known_modes() -> frozenset[str]:
    """PLOVER modes of the ontology the pipeline uses (sitrep.vocabulary.modes, loaded once)."""
    return frozenset(modes())


def resolve_place(place: str, country: str | None) -> tuple[float, float]:
    """(lat, lon) of the largest gazetteer place called `place` that has a point (offline look-up)."""
    from sitrep.knowledge.gazetteer import get_gazetteer
    from sitrep.store.countries import country_iso3

    iso3 = country_iso3(country) if country else None
    point = get_gazetteer().point_of(place, iso3)
    if point is not None:
        return point
    where = f" in {iso3}" if iso3 else ""
    raise ParameterError("place", f"no place called {place!r}{where} with coordinates for a radius search", place)


def _help(param: str) -> str:
    """The description of an API filter parameter: its filter's help, from sitrep/vocabulary.py."""
    return FILTER_BY_NAME[API_FILTER_PARAMS[param]].description


def event_filter(
    country: Annotated[str | None, Query(max_length=100, description=_help("country"))] = None,
    admin1: Annotated[str | None, Query(max_length=100, description=_help("admin1"))] = None,
    place: Annotated[str | None, Query(max_length=200, description=_help("place"))] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=20037.5, description=_help("radius_km"))] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90, description=_help("lat"))] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180, description=_help("lon"))] = None,
    bbox: Annotated[str | None, Query(max_length=200, description=_help("bbox"))] = None,
    actor: Annotated[str | None, Query(max_length=200, description=_help("actor"))] = None,
    event_type: Annotated[list[str] | None, Query(alias="type", max_length=500, description=_help("type"))] = None,
    mode: Annotated[list[str] | None, Query(max_length=500, description=_help("mode"))] = None,
    acled_type: Annotated[list[str] | None, Query(max_length=500, description=_help("acled_type"))] = None,
    acled_sub_type: Annotated[list[str] | None, Query(max_length=500, description=_help("acled_sub_type"))] = None,
    status: Annotated[list[str] | None, Query(max_length=500, description=_help("status"))] = None,
    date_from: Annotated[str | None, Query(max_length=10, description=_help("date_from"))] = None,
    date_to: Annotated[str | None, Query(max_length=10, description=_help("date_to"))] = None,
    q: Annotated[str | None, Query(max_length=200, description=_help("q"))] = None,
    kind: Annotated[list[str] | None, Query(max_length=200, description=_help("kind"))] = None,
) -> EventFilter:
    """FastAPI dependency: the query's filters as an `EventFilter` (422 naming the bad parameter).

    Every parameter is a filter of sitrep.vocabulary.FILTERS (a unit test checks that the CLI
    offers the same ones)."""
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
    """event_filter's parameters (whose status help already names the incidents' `contested`)."""
    return inspect.signature(event_filter, eval_str=True).replace(return_annotation=IncidentFilter)


incident_filter.__signature__ = _incident_signature()  # type: ignore[attr-defined]
