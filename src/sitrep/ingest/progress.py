"""A progress line for long ingests: documents stored, documents/s, skipped and rejected counts.

Drawn with rich on standard error, and only when that is a terminal: in a pipe, a log file
or CI the run stays quiet (the per-input reject lines and the summary are still printed).
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Column

from sitrep.ingest.runner import IngestReport

REFRESH_SECONDS = 0.2


def _fixed() -> Column:
    """A column that keeps its width (the path column gives way instead)."""
    return Column(no_wrap=True, overflow="ignore")


class IngestProgress:
    """Context manager; `update(report)` after each item, `console` to print above the bar."""

    def __init__(self, console: Console, *, enabled: bool | None = None) -> None:
        self.console = console
        self.enabled = console.is_terminal if enabled is None else enabled
        self._progress: Progress | None = None
        self._task = None
        self._last = 0.0

    def __enter__(self) -> IngestProgress:
        if self.enabled:
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.fields[stored]}[/] stored", table_column=_fixed()),
                TextColumn("{task.fields[rate]:.1f} docs/s", table_column=_fixed()),
                TextColumn("{task.fields[skipped]} skipped", table_column=_fixed()),
                TextColumn("[yellow]{task.fields[rejected]} rejected[/]", table_column=_fixed()),
                TimeElapsedColumn(table_column=_fixed()),
                TextColumn("[dim]{task.fields[current]}[/]",
                           table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1, min_width=0)),
                console=self.console, transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("ingest", total=None, stored=0, rate=0.0, skipped=0,
                                                 rejected=0, current="")
        return self

    def update(self, report: IngestReport, *, force: bool = False) -> None:
        if self._progress is None or self._task is None:
            return
        now = time.monotonic()
        if not force and now - self._last < REFRESH_SECONDS:
            return
        self._last = now
        current = report.current if len(report.current) <= 60 else "…" + report.current[-59:]
        self._progress.update(self._task, stored=report.documents + report.duplicates, rate=report.rate,
                              skipped=report.skipped, rejected=report.rejected, current=current)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.__exit__(exc_type, exc, tb)
            self._progress = None
