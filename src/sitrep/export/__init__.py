"""Exports of event records: CSV (ACLED-like columns), JSON Lines and GeoJSON."""

from sitrep.export.rows import CSV_COLUMNS, flat_row
from sitrep.export.writers import FORMATS, geojson_feature, write_events

__all__ = ["CSV_COLUMNS", "FORMATS", "flat_row", "geojson_feature", "write_events"]
