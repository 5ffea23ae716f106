"""Exports of incidents and event records in every format users load: flat CSV, ACLED CSV, JSON
Lines, PLOVER/POLECAT JSON Lines, GeoJSON, Parquet, HXL CSV and Excel (export/registry.py)."""

from sitrep.export.acled import ACLED_COLUMNS, acled_id, acled_row
from sitrep.export.incidents import INCIDENT_CSV_COLUMNS, incident_row
from sitrep.export.registry import WRITERS, Writer, export_store, write, writer
from sitrep.export.rows import CSV_COLUMNS, flat_row
from sitrep.export.writers import FORMATS, UNITS, export_feature, geojson_feature, write_events

__all__ = ["ACLED_COLUMNS", "CSV_COLUMNS", "FORMATS", "INCIDENT_CSV_COLUMNS", "UNITS", "WRITERS", "Writer",
           "acled_id", "acled_row", "export_feature", "export_store", "flat_row", "geojson_feature", "incident_row",
           "write", "write_events", "writer"]
