"""Storage of documents and event records behind one interface (store/base.py): DuckDB embedded,
PostgreSQL as a shared server. Open a store with `open_store(url)`."""

from sitrep.store.base import IntegrityError, Store, StoreConflict, StoreError, open_store
from sitrep.store.duckdb_store import DuckDBStore
from sitrep.store.filters import EventFilter, FilterError, IncidentFilter
from sitrep.store.records import RecordError, flatten

__all__ = ["DuckDBStore", "EventFilter", "FilterError", "IncidentFilter", "IntegrityError", "RecordError", "Store",
           "StoreConflict", "StoreError", "flatten", "open_store"]
