"""The flat columns of a unit as HXL CSV (humanitarian data: a hashtag row under the header, as
HDX's ACLED and UCDP files carry) and as an Excel workbook (analysts who live in spreadsheets).

Both stream: HXL through the csv module, Excel through openpyxl's write-only mode (rows go to a
temporary file as they come, not into a workbook held in memory).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import IO, Any, TextIO

from sitrep.export.knowledge import export_knowledge

EXCEL_MAX_ROWS = 1_048_576  # per sheet, the header row included
_DATES = frozenset({"event_date", "date_end", "published", "first_published"})
_MOMENTS = frozenset({"created_at", "updated_at"})

Flattener = Callable[[dict[str, Any]], dict[str, Any]]


def hxl_tags(columns: tuple[str, ...]) -> list[str]:
    """The HXL hashtag of each column (data/export.yaml); KeyError names a column without one."""
    tags = export_knowledge().hxl_tags
    missing = [c for c in columns if c not in tags]
    if missing:
        raise KeyError(f"no HXL hashtag for column(s) {', '.join(missing)} in data/export.yaml")
    return [tags[c] for c in columns]


def write_hxl(records: Iterable[dict[str, Any]], out: TextIO, columns: tuple[str, ...], flatten: Flattener) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerow(hxl_tags(columns))
    n = 0
    for record in records:
        row = flatten(record)
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
        n += 1
    return n


def write_xlsx(records: Iterable[dict[str, Any]], out: IO[bytes], columns: tuple[str, ...], flatten: Flattener,
               *, title: str) -> int:
    """One sheet named `title` (and `title (2)`, ... past Excel's row limit); dates as Excel dates."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = None
    sheets = rows_in_sheet = n = 0
    for record in records:
        if sheet is None or rows_in_sheet >= EXCEL_MAX_ROWS:
            sheets += 1
            sheet = book.create_sheet(title if sheets == 1 else f"{title} ({sheets})")
            sheet.append(list(columns))
            rows_in_sheet = 1
        row = flatten(record)
        sheet.append([_cell(c, row[c]) for c in columns])
        rows_in_sheet += 1
        n += 1
    if sheet is None:
        book.create_sheet(title).append(list(columns))
    book.save(out)
    return n


def _cell(column: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if column in _DATES and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if column in _MOMENTS and isinstance(value, str):
        return datetime.fromisoformat(value)
    return value
