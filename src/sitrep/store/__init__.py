"""Storage of documents and event records (DuckDB), with the filters every reader shares."""

from sitrep.store.duckdb_store import Store, StoreError
from sitrep.store.filters import EventFilter, FilterError, IncidentFilter
from sitrep.store.records import RecordError, flatten

__all__ = ["EventFilter", "FilterError", "IncidentFilter", "RecordError", "Store", "StoreError", "flatten"]
