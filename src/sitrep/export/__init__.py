"""Exports of event records and incidents: CSV (ACLED-like columns), JSON Lines and GeoJSON."""

from sitrep.export.incidents import INCIDENT_CSV_COLUMNS, incident_row
from sitrep.export.rows import CSV_COLUMNS, flat_row
from sitrep.export.writers import FORMATS, UNITS, geojson_feature, write_events

__all__ = ["CSV_COLUMNS", "FORMATS", "INCIDENT_CSV_COLUMNS", "UNITS", "flat_row", "geojson_feature",
           "incident_row", "write_events"]
