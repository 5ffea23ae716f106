"""sitrep: turn conflict reporting into sourced, geocoded event data, offline.

    >>> import sitrep
    >>> pipeline = sitrep.load()
    >>> doc = pipeline("Government forces shelled Douma on Monday.", published=date(2016, 2, 8))
    >>> sitrep.records(doc)   # the event records of DESIGN.md section 4
    >>> sitrep.to_frame(sitrep.records(doc))   # a pandas DataFrame typed as the Parquet export
"""

from sitrep.document import Document, Event, Span
from sitrep.export.frames import to_frame
from sitrep.pipeline import Pipeline, load
from sitrep.record import records

__all__ = ["Document", "Event", "Pipeline", "Span", "load", "records", "to_frame", "__version__"]
__version__ = "0.1.0"
