"""One registry of export writers: name, media type, binary or text, file extension, write function.

`sitrep export --format`, the API's `format=` and `sitrep.export.write` all take their choices from
here, and the names, help lines, media types and extensions from sitrep/vocabulary.py
(EXPORT_FORMAT_SPECS); this module binds a write function to each and refuses to import if a format
is declared without a writer or the other way round.

Every writer consumes its iterable once and writes as it goes (`Store.iter_events` pages the store),
so an export runs in bounded memory whatever its size.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from sitrep.export import writers as basic
from sitrep.export.acled import ACLED_COLUMNS, acled_row
from sitrep.export.polecat import polecat_record
from sitrep.vocabulary import EXPORT_FORMAT_SPECS

if TYPE_CHECKING:
    from sitrep.store.base import Store
    from sitrep.store.filters import EventFilter

# DuckDB's memory_limit on `sitrep export`'s connection. An export reads each block of the store
# once, but DuckDB's buffer cache keeps what it read up to its default limit (80% of RAM): at 1M
# incidents (an 830 MB file) that cache was most of the export's 930 MB peak. Capped at 256 MB the
# peak is 440 MB (Parquet) / 430 MB (CSV) at the same CPU time (bench/RESULTS.md, issue 17 sixth
# session). PostgreSQL ignores it.
EXPORT_MEMORY_LIMIT = "256MB"

# write(records, out, unit) -> number of records written; `out` is binary when the format is.
WriteFunction = Callable[[Iterable[dict[str, Any]], Any, str], int]


@dataclass(frozen=True)
class Writer:
    name: str
    help: str
    media_type: str
    extension: str
    binary: bool
    write: WriteFunction

    def filename(self, stem: str) -> str:
        return f"{stem}.{self.extension}"


def _csv(records: Iterable[dict[str, Any]], out: IO[str], unit: str) -> int:
    columns, flatten = basic.UNITS[unit]
    return basic.write_rows(records, out, columns, flatten)


def _acled(records: Iterable[dict[str, Any]], out: IO[str], unit: str) -> int:
    return basic.write_rows(records, out, ACLED_COLUMNS, lambda r: acled_row(r, unit))


def _jsonl(records: Iterable[dict[str, Any]], out: IO[str], unit: str) -> int:
    return basic.write_jsonl(records, out)


def _polecat(records: Iterable[dict[str, Any]], out: IO[str], unit: str) -> int:
    return basic.write_jsonl((polecat_record(r, unit) for r in records), out)


def _geojson(records: Iterable[dict[str, Any]], out: IO[str], unit: str) -> int:
    return basic.write_geojson(records, out, unit)


def _parquet(records: Iterable[dict[str, Any]], out: IO[bytes], unit: str) -> int:
    from sitrep.export.parquet import write_parquet  # pyarrow loads only for this format

    return write_parquet(records, out, unit)


def _hxl(records: Iterable[dict[str, Any]], out: IO[str], unit: str) -> int:
    from sitrep.export.sheets import write_hxl

    columns, flatten = basic.UNITS[unit]
    return write_hxl(records, out, columns, flatten)


def _xlsx(records: Iterable[dict[str, Any]], out: IO[bytes], unit: str) -> int:
    from sitrep.export.sheets import write_xlsx

    columns, flatten = basic.UNITS[unit]
    return write_xlsx(records, out, columns, flatten, title="incidents" if unit == "incidents" else "events")


_FUNCTIONS: dict[str, WriteFunction] = {
    "csv": _csv, "acled": _acled, "jsonl": _jsonl, "polecat": _polecat, "geojson": _geojson,
    "parquet": _parquet, "hxl": _hxl, "xlsx": _xlsx,
}
if set(_FUNCTIONS) != set(EXPORT_FORMAT_SPECS):
    raise RuntimeError("export/registry.py must bind a writer to every sitrep.vocabulary.EXPORT_FORMAT_SPECS entry")

WRITERS: dict[str, Writer] = {
    name: Writer(name, spec.help, spec.media_type, spec.extension, spec.binary, _FUNCTIONS[name])
    for name, spec in EXPORT_FORMAT_SPECS.items()
}


def writer(fmt: str) -> Writer:
    """The writer of `fmt`; ValueError naming the formats when there is none."""
    try:
        return WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(WRITERS)}") from None


def export_store(store: Store, flt: EventFilter, fmt: str, out: IO[Any], *, unit: str = "incidents") -> int:
    """Write the store's records matching `flt` in `fmt` (what `sitrep export` does); return how many.

    Parquet takes the store's Arrow record batches (`Store.record_batches`: on DuckDB columns
    computed in SQL, no Python dict per record; at a million incidents minutes become seconds);
    every other format streams the records (`Store.stream_records`: one scan, bounded memory).
    """
    with _fewer_collections():
        return _export(store, flt, fmt, out, unit)


def _export(store: Store, flt: EventFilter, fmt: str, out: IO[Any], unit: str) -> int:
    if fmt == "parquet":
        from sitrep.export.parquet import write_batches

        if unit not in basic.UNITS:
            raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(basic.UNITS)}")
        if isinstance(out, io.TextIOBase) or hasattr(out, "encoding"):
            out.flush()
            out = out.buffer
        return write_batches(store.record_batches(flt, unit=unit), out, unit)
    table = "incidents" if unit == "incidents" else "events"
    return write(store.stream_records(flt, table=table), fmt, out, unit=unit)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector's first generation every million allocations instead of 700
    while an export runs. Records are trees of dicts and lists, freed by reference counting as
    they stream, but each pass of the collector walks the batch held in memory: about a fifth of
    a CSV export's CPU time (200,000 incidents: 14.5 s of CPU with the default, 11.6 s with this)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 1_000_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def write(records: Iterable[dict[str, Any]], fmt: str, out: IO[Any], *, unit: str = "incidents") -> int:
    """Write `records` (incidents, or event records with unit "mentions") to `out` in `fmt`.

    `out` may be a binary or a text stream: a binary format given a text stream writes to its
    `.buffer` (sys.stdout), a text format given a binary stream writes UTF-8 through a wrapper.
    Open a text file with newline="" (the CSV writers write their own line ends).
    """
    if unit not in basic.UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(basic.UNITS)}")
    spec = writer(fmt)
    text_stream = isinstance(out, io.TextIOBase) or hasattr(out, "encoding")
    if spec.binary and text_stream:
        out.flush()
        return spec.write(records, out.buffer, unit)
    if not spec.binary and not text_stream:
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        try:
            return spec.write(records, wrapper, unit)
        finally:
            wrapper.flush()
            wrapper.detach()
    return spec.write(records, out, unit)
