"""One vocabulary: the values and help text of every event type, status, kind, sort, unit, format,
grouping and filter that the CLI, the HTTP API, the exports and the dashboard share.

Declared here once; `sitrep events --help`, `/openapi.json`, `/api/config` (which fills the
dashboard's menus) and the export writers all read these tables, so a value or a help line changes
in one place. The SQL each sort or grouping stands for stays with the store (store/paging.py,
store/aggregates.py), keyed by these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import get_args

from sitrep.document import DateBasis, EventKind, Status

# -- values ----------------------------------------------------------------------------------
# PLOVER event types, in the ontology's order (data/plover.yaml; a unit test checks they agree).
EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES: tuple[str, ...] = get_args(Status)
# An incident's status may also be "contested": a claim its other reports deny (resolve/reconcile.py).
CONTESTED = "contested"
INCIDENT_STATUSES: tuple[str, ...] = (*STATUSES, CONTESTED)
# What the narrative stage made of an event (document.EventKind). Only occurrences are the
# dataset (DESIGN.md section 4): they are the default of every query; background, commentary and
# headline events stay queryable by naming them, or with kind "all".
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
DEFAULT_KINDS: tuple[str, ...] = ("occurrence",)
ALL_KINDS = "all"
DATE_BASES: tuple[str, ...] = get_args(DateBasis)
# ACLED's six event types (the `acled.event_type` of a record), for the `acled_type` filter.
ACLED_EVENT_TYPES: tuple[str, ...] = (
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
    "Strategic developments",
)


@lru_cache(maxsize=1)
def modes() -> tuple[str, ...]:
    """The PLOVER modes of the ontology the pipeline uses (data/plover.yaml, read once), sorted."""
    from sitrep.knowledge.ontology import get_ontology

    return tuple(sorted({m for spec in get_ontology().event_types.values() for m in spec.get("modes") or []}))


# Orders of a list of events or incidents ("-x": largest first); missing values always sort last.
SORTS: dict[str, str] = {
    "-date": "newest first",
    "date": "oldest first",
    "-published": "most recently published first",
    "published": "earliest published first",
    "-killed": "most killed first",
    "killed": "fewest killed first",
    "-confidence": "most confident first",
    "confidence": "least confident first",
}
DEFAULT_SORT = "-date"
# Incidents have the date, figure and published columns but no confidence.
INCIDENT_SORTS: tuple[str, ...] = tuple(s for s in SORTS if "confidence" not in s)

# What a row, a feature or a count stands for.
UNITS: dict[str, str] = {
    "incidents": "one per incident: the mentions of one real-world event merged, reconciled low/best/high "
                 "figures, every source",
    "mentions": "one per event mention (two reports of one attack are two)",
}
# File formats of `sitrep export`, of the API's `format=` and of sitrep.export.write: what each is,
# its media type, file extension and whether it is bytes (parquet, xlsx) or text. The writers are
# bound to these names in export/registry.py, which refuses to import if the two drift apart.
@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format as users choose it: its help line, media type, extension, binary or text."""

    help: str
    media_type: str
    extension: str
    binary: bool = False


EXPORT_FORMAT_SPECS: dict[str, ExportFormat] = {
    "csv": ExportFormat("flat, ACLED-like columns with every sitrep field", "text/csv; charset=utf-8", "csv"),
    "acled": ExportFormat("ACLED's 31 columns in ACLED's order (event_id_cnty ... timestamp)",
                          "text/csv; charset=utf-8", "csv"),
    "jsonl": ExportFormat("one full record per line", "application/x-ndjson", "jsonl"),
    "polecat": ExportFormat("PLOVER/POLECAT JSON Lines, with POLECAT's field names", "application/x-ndjson",
                            "jsonl"),
    "geojson": ExportFormat("a FeatureCollection: Point features, and records placed only at country level "
                            "listed with a null geometry", "application/geo+json", "geojson"),
    "parquet": ExportFormat("typed columns (dates, integers, actors as lists of structs)",
                            "application/vnd.apache.parquet", "parquet", binary=True),
    "hxl": ExportFormat("the flat CSV with a row of HXL hashtags under the header", "text/csv; charset=utf-8",
                        "csv"),
    "xlsx": ExportFormat("an Excel workbook of the flat columns",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", binary=True),
}
EXPORT_FORMATS: dict[str, str] = {name: spec.help for name, spec in EXPORT_FORMAT_SPECS.items()}
# The API answers a JSON page, or the page in any export format.
# (A page as geojson holds Point features only: the dashboard's map layer.)
API_FORMATS: dict[str, str] = {"json": "a page of records", **EXPORT_FORMATS,
                               "geojson": "a FeatureCollection of Point features (records without a point are left "
                                          "out; total still counts them)"}
# Groupings of /api/aggregates/events: periods (in time order) and fields (most frequent first).
PERIODS: tuple[str, ...] = ("day", "week", "month", "year")
FIELDS: tuple[str, ...] = ("type", "mode", "status", "acled_type", "country", "admin1")
GROUPINGS: tuple[str, ...] = PERIODS + FIELDS


# -- filters ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Filter:
    """One filter: its `EventFilter` field (and `EventFilter.parse` keyword), the API query
    parameter(s) and CLI option that give it, its help text, and the values it takes when they
    are a closed list (listed in the help of both)."""

    name: str
    api: tuple[str, ...]
    cli: str
    help: str
    api_help: str | None = None  # when the API's parameter(s) read differently (lat/lon for near)
    values: tuple[str, ...] = ()
    many: bool = False  # a list: repeated or comma-separated (| for ACLED sub-types)

    @property
    def description(self) -> str:
        """The API's description of the parameter."""
        return self.api_help or self.help


def _listing(values: tuple[str, ...]) -> str:
    return ", ".join(values)


FILTERS: tuple[Filter, ...] = (
    Filter("country", ("country",), "--country", "ISO3 code (SYR) or English country name."),
    Filter("admin1", ("admin1",), "--admin1", "Admin-1 name or P-code, exact but case-insensitive (e.g. SY07)."),
    Filter("place", ("place",), "--place", "Substring of the place or its admin1 name.",
           api_help="Substring of the place or its admin1 name; with radius_km, the centre of a radius search "
                    "(the largest place of that name in the gazetteer)."),
    Filter("actor", ("actor",), "--actor", "Substring of an actor's or recipient's name, text or id."),
    Filter("event_type", ("type",), "--type", f"PLOVER event type(s), comma-separated: {_listing(EVENT_TYPES)}.",
           values=EVENT_TYPES, many=True),
    Filter("mode", ("mode",), "--mode", "PLOVER mode(s) of the ontology, comma-separated, e.g. aerial,heavy-weapons.",
           many=True),
    Filter("acled_type", ("acled_type",), "--acled-type",
           f"ACLED event type(s), comma-separated, any case: {_listing(ACLED_EVENT_TYPES)}.",
           values=ACLED_EVENT_TYPES, many=True),
    Filter("acled_sub_type", ("acled_sub_type",), "--acled-sub-type",
           "ACLED sub-event type(s), separated by |, e.g. 'Air/drone strike|Shelling/artillery/missile attack'.",
           many=True),
    Filter("status", ("status",), "--status",
           f"Status(es), comma-separated: {_listing(STATUSES)}; for incidents also {CONTESTED} "
           "(a claim other reports deny).",
           values=INCIDENT_STATUSES, many=True),
    Filter("date_from", ("date_from",), "--from", "Earliest event date, inclusive, YYYY-MM-DD."),
    Filter("date_to", ("date_to",), "--to", "Latest event date, inclusive, YYYY-MM-DD."),
    Filter("text", ("q",), "--text", "Substring of the evidence sentence or the title."),
    Filter("kind", ("kind",), "--kind",
           f"Narrative kind(s), comma-separated: {_listing(EVENT_KINDS)}, or {ALL_KINDS}; "
           f"{DEFAULT_KINDS[0]} only by default.",
           values=(*EVENT_KINDS, ALL_KINDS), many=True),
    Filter("near", ("lat", "lon"), "--near",
           "Centre of a radius search (with --radius-km): LAT,LON, or a place name (the largest place of "
           "that name in the gazetteer).",
           api_help="Centre of a radius search (with radius_km), in degrees; lat and lon go together."),
    Filter("radius_km", ("radius_km",), "--radius-km",
           "Events within this many km of the centre (--near); at most 20037.5.",
           api_help="Events within this many km of the centre (lat/lon, or place); at most 20037.5."),
    Filter("bbox", ("bbox",), "--bbox", "WEST,SOUTH,EAST,NORTH in degrees (events with a point only; west > east "
                                        "crosses the antimeridian)."),
)
FILTER_BY_NAME: dict[str, Filter] = {f.name: f for f in FILTERS}
# API query parameter -> EventFilter.parse keyword (lat and lon together make `near`).
API_FILTER_PARAMS: dict[str, str] = {param: f.name for f in FILTERS for param in f.api}
