"""`GET /api/acled/read`: sitrep's incidents in ACLED's API shape, so ACLED's clients work unchanged.

ACLED users have scripts and packages (acledR, the `acled` client on PyPI) that call
`<host>/acled/read` with ACLED's parameters and read `{status, success, count, data}` whose rows
carry ACLED's 31 columns as strings. Pointed at sitrep (`ACLED_API_HOST=http://host:port/api`),
they get one row per incident (export/acled.py), filtered with ACLED's conventions:

- any filter takes `|` between alternatives (`country=Syria|Iraq`);
- `event_date=2016-02-01|2016-02-29&event_date_where=BETWEEN`, or `=`, `>`, `>=`, `<`, `<=`;
- `timestamp=<unix seconds>` keeps incidents changed since then (`>=` by default, for sync);
- `actor1=... &actor1_where=LIKE` with `%` wildcards (exact, case-insensitive, otherwise);
- `fields=a|b`, `limit` (0 = no cap; 5000 by default, as ACLED), `page` (from 1),
  `inter_num=1` (numeric actor types), `_format=json|csv`.

What the store can filter (country, admin1, ACLED types, dates, an actor's name, update time) it
filters in SQL; the rest (region, iso, several countries, an exact actor1) is checked per row as
the store's pages stream past, so memory stays one page. `key` and `email` are accepted as ACLED's
legacy authentication sends them; sitrep serves loopback clients without keys.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from sitrep.export import ACLED_COLUMNS, acled_row
from sitrep.export.knowledge import export_knowledge
from sitrep.store import Store
from sitrep.store.countries import country_iso3
from sitrep.store.filters import FilterError, IncidentFilter
from sitrep.web.api import open_store
from sitrep.web.models import ErrorBody

DEFAULT_LIMIT = 5000  # ACLED's own default page size
PAGE = 1000  # incidents read from the store at a time
OPERATORS = ("=", ">", ">=", "<", "<=", "BETWEEN")
# Columns whose value is a number: null stays null (ACLED's clients convert them with int()/float()).
_NUMERIC = frozenset({"year", "time_precision", "iso", "latitude", "longitude", "geo_precision", "fatalities",
                      "timestamp"})
# Parameters the endpoint reads; anything else is refused with ACLED's error envelope.
_KNOWN = frozenset({"key", "email", "_format", "country", "iso", "region", "event_date", "event_date_where",
                    "event_type", "sub_event_type", "actor1", "actor1_where", "admin1", "fields", "limit", "page",
                    "timestamp", "timestamp_where", "inter_num", "export_type", "event_id_cnty"})

router = APIRouter(prefix="/api/acled", tags=["acled"])
Text = Annotated[str | None, Query(max_length=500)]


class AcledError(ValueError):
    """A request ACLED's API would refuse: answered 400 with ACLED's error envelope."""


def _error(message: str) -> JSONResponse:
    return JSONResponse({"status": 400, "success": False, "error": [{"status": 400, "message": message}]},
                        status_code=400)


@router.get(
    "/read",
    summary="Incidents in ACLED's API shape",
    description=(
        "ACLED's `acled/read`: one row per incident with ACLED's columns (values as strings, as ACLED sends "
        "them), in ACLED's envelope `{status, success, count, data}`. Parameters as ACLED's API: `country`, "
        "`iso`, `region` (number or name), `event_date` with `event_date_where` (`BETWEEN` takes "
        "`from|to`), `event_type`, `sub_event_type`, `actor1` (`actor1_where=LIKE` for `%` patterns), "
        "`admin1`, `timestamp` (unix seconds, changed at or after), `fields` (`a|b`), `limit` (0 = all), "
        "`page`, `inter_num=1`, `_format=json|csv`; `|` separates alternatives. `key`/`email` are accepted."
    ),
    responses={
        200: {"description": "ACLED's envelope `{status, success, count, data}` (or CSV with `_format=csv`)",
              "content": {"application/json": {"schema": {"type": "object"}},
                          "text/csv": {"schema": {"type": "string"}}}},
        400: {"description": "a request ACLED's API would refuse, in ACLED's error envelope "
                             "`{status, success: false, error: [{status, message}]}`",
              "content": {"application/json": {"schema": {"type": "object"}}}},
        422: {"model": ErrorBody, "description": "a parameter of the wrong type (limit, page, inter_num, _format)"},
        503: {"model": ErrorBody, "description": "the store cannot be opened (missing, or being written)"},
    },
)
def acled_read(
    request: Request,
    store: Annotated[Store, Depends(open_store)],
    country: Text = None, iso: Text = None, region: Text = None,
    event_date: Text = None, event_date_where: Text = None,
    event_type: Text = None, sub_event_type: Text = None,
    actor1: Text = None, actor1_where: Text = None, admin1: Text = None,
    event_id_cnty: Text = None,
    timestamp: Text = None, timestamp_where: Text = None,
    fields: Text = None,
    limit: Annotated[int, Query(ge=0, le=1_000_000)] = DEFAULT_LIMIT,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    inter_num: Annotated[int, Query(ge=0, le=1)] = 0,
    export_type: Text = None,
    key: Text = None, email: Text = None,
    _format: Annotated[str, Query(alias="_format", pattern="^(json|csv)$")] = "json",
) -> Response:
    unknown = sorted(set(request.query_params) - _KNOWN)
    if unknown:
        return _error(f"unknown parameter(s): {', '.join(unknown)}")
    try:
        if export_type not in (None, "", "dyadic"):
            raise AcledError("only export_type=dyadic is served (one row per incident)")
        flt, checks, since = _query(country=country, iso=iso, region=region, event_date=event_date,
                                    event_date_where=event_date_where, event_type=event_type,
                                    sub_event_type=sub_event_type, actor1=actor1, actor1_where=actor1_where,
                                    admin1=admin1, event_id_cnty=event_id_cnty, timestamp=timestamp,
                                    timestamp_where=timestamp_where)
        columns = _fields(fields)
    except (AcledError, FilterError) as err:
        return _error(str(err))
    rows = _matching(store, flt, checks, since)
    skip = (page - 1) * limit if limit else 0
    taken: list[dict[str, Any]] = []
    for n, (record, row) in enumerate(rows):
        if n < skip:
            continue
        if limit and len(taken) >= limit:
            break
        if inter_num:
            row = _numeric_inters(record, row)
        taken.append({c: row[c] for c in columns})
    if _format == "csv":
        out = io.StringIO(newline="")
        _write_csv(taken, columns, out)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'inline; filename="acled.csv"'})
    data = [{c: _text(c, v) for c, v in row.items()} for row in taken]
    return JSONResponse({"status": 200, "success": True, "count": len(data), "messages": [],
                         "data": data, "filename": f"sitrep-{date.today().isoformat()}"})


Check = Callable[[dict[str, Any]], bool]


def _query(**p: str | None) -> tuple[IncidentFilter, list[Check], datetime | None]:
    """The store filter, the per-row checks and the update time of one request's parameters."""
    store_args: dict[str, Any] = {}
    checks: list[Check] = []
    know = export_knowledge()
    countries: set[str] = set()
    if p["country"]:
        countries |= {country_iso3(v) for v in _alternatives(p["country"])}
    if p["iso"]:
        by_number = {n: iso3 for iso3, n in know.iso_numeric.items()}
        try:
            wanted = {by_number[int(v)] for v in _alternatives(p["iso"])}
        except (KeyError, ValueError) as err:
            raise AcledError(f"unknown iso {p['iso']!r}: give ISO 3166 numeric codes (760 for Syria)") from err
        countries = countries & wanted if p["country"] else wanted
        if not countries:
            countries = {"---"}  # country and iso that cannot both hold: nothing matches
    if p["region"]:
        in_regions = set().union(*(_region_countries(v) for v in _alternatives(p["region"])))
        countries = countries & in_regions if countries else in_regions
        countries = countries or {"---"}
    if len(countries) == 1:
        store_args["country"] = next(iter(countries))
    elif countries:
        checks.append(lambda row, wanted=frozenset(countries): row["_iso3"] in wanted)
    if p["admin1"]:
        names = _alternatives(p["admin1"])
        if len(names) == 1:
            store_args["admin1"] = names[0]
        else:
            folded = {n.casefold() for n in names}
            checks.append(lambda row: (row["admin1"] or "").casefold() in folded)
    if p["event_type"]:
        store_args["acled_type"] = _alternatives(p["event_type"])
    if p["sub_event_type"]:
        store_args["acled_sub_type"] = _alternatives(p["sub_event_type"])
    if p["event_date"]:
        store_args.update(_date_range(p["event_date"], p["event_date_where"]))
    if p["actor1"]:
        checks.append(_actor_check(p["actor1"], p["actor1_where"]))
        names = _alternatives(p["actor1"])
        if len(names) == 1 and "%" not in names[0] and "_" not in names[0]:
            store_args["actor"] = names[0]  # a prefilter: the store matches any actor's name
    if p["event_id_cnty"]:
        ids = set(_alternatives(p["event_id_cnty"]))
        checks.append(lambda row: row["event_id_cnty"] in ids)
    since = _since(p["timestamp"], p["timestamp_where"]) if p["timestamp"] else None
    return IncidentFilter.parse(**store_args), checks, since


def _matching(store: Store, flt: IncidentFilter, checks: list[Check],
              since: datetime | None) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(incident, ACLED row) of every matching incident, newest first, a store page at a time."""
    cursor: str | None = None
    while True:
        page = store.page_incidents(flt, sort="-date", limit=PAGE, cursor=cursor, updated_since=since, count=False)
        for record in page.events:
            row = acled_row(record)
            row["_iso3"] = ((record.get("location") or {}).get("country") or "").upper()
            if all(check(row) for check in checks):
                yield record, row
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def _alternatives(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _region_countries(value: str) -> set[str]:
    know = export_knowledge()
    if value.isdigit() and int(value) in know.region_numbers:
        wanted = know.region_numbers[int(value)]
    else:
        wanted = next((r for r in know.region_numbers.values() if r.name.casefold() == value.casefold()), None)
        if wanted is None:
            names = ", ".join(f"{r.number} {r.name}" for r in know.region_numbers.values())
            raise AcledError(f"unknown region {value!r}; ACLED's regions are {names}")
    return {iso3 for iso3, region in know.regions.items() if region == wanted}


def _date_range(value: str, where: str | None) -> dict[str, date]:
    """date_from/date_to of ACLED's event_date with its operator (= by default)."""
    op = (where or "=").strip().upper()
    if op not in OPERATORS:
        raise AcledError(f"event_date_where must be one of {', '.join(OPERATORS)}, not {where!r}")
    days = [_day(v) for v in _alternatives(value)]
    if op == "BETWEEN":
        if len(days) != 2:
            raise AcledError("event_date_where=BETWEEN takes two dates: event_date=FROM|TO")
        return {"date_from": min(days), "date_to": max(days)}
    if len(days) != 1:
        raise AcledError(f"event_date takes one date with event_date_where={op}")
    day = days[0]
    return {
        "=": {"date_from": day, "date_to": day},
        ">=": {"date_from": day}, ">": {"date_from": day + timedelta(days=1)},
        "<=": {"date_to": day}, "<": {"date_to": day - timedelta(days=1)},
    }[op]


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise AcledError(f"event_date must be YYYY-MM-DD, not {value!r}") from err


def _since(value: str, where: str | None) -> datetime:
    op = (where or ">=").strip()
    if op not in (">=", ">"):
        raise AcledError("timestamp filters changes since a time: timestamp_where is >= (the default) or >")
    try:
        seconds = int(value) + (1 if op == ">" else 0)
    except ValueError:
        try:  # ACLED also takes a date
            seconds = int(datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC).timestamp())
        except ValueError as err:
            raise AcledError(f"timestamp must be unix seconds or YYYY-MM-DD, not {value!r}") from err
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)  # the store keeps naive UTC


def _actor_check(value: str, where: str | None) -> Check:
    op = (where or "=").strip().upper()
    if op not in ("=", "LIKE"):
        raise AcledError(f"actor1_where must be = or LIKE, not {where!r}")
    names = _alternatives(value)
    if op == "LIKE":
        patterns = [re.compile("^" + ".*".join(re.escape(part) for part in n.split("%")) + "$", re.I)
                    for n in names]
        return lambda row: any(p.match(row["actor1"] or "") for p in patterns)
    folded = {n.casefold() for n in names}
    return lambda row: (row["actor1"] or "").casefold() in folded


def _fields(value: str | None) -> tuple[str, ...]:
    if not value:
        return ACLED_COLUMNS
    wanted = tuple(_alternatives(value))
    unknown = [f for f in wanted if f not in ACLED_COLUMNS]
    if unknown:
        raise AcledError(f"unknown field(s) {', '.join(unknown)}; ACLED's columns are {', '.join(ACLED_COLUMNS)}")
    return wanted


def _numeric_inters(record: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """inter_num=1: inter1/inter2/interaction as ACLED's numbers (interaction 10*low+high, or 10*inter1)."""
    def code(parties: list[dict[str, Any]]) -> int | None:
        value = parties[0].get("acled_inter") if parties else None
        return value if isinstance(value, int) and 1 <= value <= 8 else None

    inter1, inter2 = code(record.get("actors") or []), code(record.get("recipients") or [])
    interaction = (10 * min(inter1, inter2) + max(inter1, inter2)) if inter1 and inter2 else \
        (10 * inter1 if inter1 else None)
    return {**row, "inter1": inter1, "inter2": inter2 or 0, "interaction": interaction}


def _text(column: str, value: Any) -> Any:
    """ACLED's API sends every value as a string; numbers that are missing stay null."""
    if value is None:
        return None if column in _NUMERIC else ""
    return str(value)


def _write_csv(rows: list[dict[str, Any]], columns: tuple[str, ...], out: io.StringIO) -> None:
    import csv

    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row[c] is None else row[c] for c in columns})

