"""What `sitrep ingest` and `sitrep status` print: one line per reject, counts, the store's state.

Kept out of cli.py so the commands stay thin; the library itself never prints.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.markup import escape

from sitrep.ingest.reject import Reject
from sitrep.ingest.runner import IngestReport, Skip


def reject_line(reject: Reject) -> str:
    """`rejected PATH: reason (detail)` or `warning PATH: reason (detail)`, as rich markup."""
    tag = "[cyan]warning[/]" if reject.is_warning else "[yellow]rejected[/]"
    return f"{tag} {escape(reject.line())}"


def skip_line(skip: Skip) -> str:
    """`skipped PATH: already stored (id)`, as rich markup."""
    return f"[dim]skipped[/] {escape(skip.line())}"


def counts(counter: Counter[str] | dict[str, int]) -> str:
    """`binary 1, empty 2` (most frequent first)."""
    items = counter.most_common() if isinstance(counter, Counter) else sorted(counter.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{reason} {n}" for reason, n in items)


def ingest_summary(report: IngestReport, db: str) -> list[str]:
    """The closing lines of an ingest (plain text, for stdout)."""
    lines = [f"ingested {report.documents} documents ({report.events} events), skipped {report.skipped} already "
             f"stored, rejected {report.rejected} in {report.seconds:.1f}s into {db}"]
    lines.append(f"read {report.read} item{'s' if report.read != 1 else ''}: {report.stored} stored, "
                 f"{report.skipped} skipped, {report.rejected} rejected")
    if report.unaccounted:
        lines.append(f"{report.unaccounted} items unaccounted for (a bug: please report it)")
    if report.read == 0:
        lines.append("nothing to ingest: the inputs gave no document, record or entry")
    if report.duplicates:
        lines.append(f"linked {report.duplicates} near-duplicate{'s' if report.duplicates != 1 else ''} to the "
                     "documents they repeat (their events are not counted twice)")
    if report.fetched:
        lines.append(f"fetched {report.fetched} URL{'s' if report.fetched != 1 else ''}")
    if report.skips:
        lines.append(f"skipped by reason: {counts(Counter(s.reason for s in report.skips))}")
    if report.rejects:
        lines.append(f"rejected by reason: {counts(report.reasons())}")
    if report.warnings:
        lines.append(f"warnings (documents kept): {counts(report.reasons(warnings=True))}")
    return lines


def print_status(status: dict[str, Any], console: Console) -> None:
    """`sitrep status` for people."""
    docs = status["documents"]
    console.print(f"store: {escape(status['path'])} (migrations {', '.join(m[:4] for m in status['migrations'])})")
    kinds = counts(status["documents_by_kind"]) or "none"
    console.print(f"documents: {docs} ({kinds}); near-duplicates linked: {status['near_duplicates']}; "
                  f"with reader comments: {status['with_comments']}; with reference lists: "
                  f"{status['with_references']} ({status['citations']} citations)")
    sections = counts(status["events_by_section"]) or "none"
    console.print(f"events: {status['events']} (by section: {sections})"
                  + (f"; [red]{status['orphan_events']} without their document[/]" if status["orphan_events"] else ""))
    for key, title in (("rejects", "rejects"), ("warnings", "warnings (documents kept)")):
        block = status[key]
        detail = f": {counts(block['by_reason'])}" if block["total"] else ""
        console.print(f"{title}: {block['total']}{escape(detail)}")
    last = status.get("last_ingest")
    if last is None:
        console.print("last ingest: none")
        return
    state = "[green]finished[/]" if last["state"] == "finished" else "[red]interrupted[/] (re-run it to resume)"
    console.print(f"last ingest: {last['started_at']} {state}, added {last['documents_added']} documents, "
                  f"{last['events_added']} events, rejected {last['rejected']}: {escape(last['command'] or '')}")
