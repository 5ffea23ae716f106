"""`sitrep corrections list|add|export|import`: an analyst's corrections of event records.

A correction (store/corrections.py, migration 0009) fixes one field of one event; every read of
the event (the API, `sitrep events`, `sitrep export`) applies it. `export` writes them all as JSON
lines and `import` reads such a file into another store (one rebuilt from the same documents: the
event ids are the same, so the corrections apply there too). cli.py registers the group with
`main.add_command(corrections_group)`.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click
from rich.console import Console
from rich.table import Table


def _store(db: str | None, *, write: bool) -> Any:
    from sitrep.store import StoreError, open_store
    from sitrep.store.base import default_url, store_exists

    path = db or default_url()
    if not store_exists(path):
        raise click.ClickException(f"no store at {path}; run `sitrep ingest PATH` first (or pass --db)")
    try:
        return open_store(path, read_only=not write)
    except StoreError as err:
        raise click.ClickException(str(err)) from err


def _value(text: str) -> Any:
    """VALUE as JSON when it parses (72, null, ["Hamas"], {"low": 70, "best": 72}), else as text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _short(value: Any) -> str:
    """A value as the table shows it: party names, a figure's range, else JSON."""
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return "; ".join(str(v.get("name") or v.get("text") or v.get("id") or "?") for v in value) or "(none)"
    if isinstance(value, dict) and "best" in value:
        low, best, high = value.get("low"), value.get("best"), value.get("high")
        if high is None:
            return f"at least {low}" if low is not None else str(best)
        return f"{low}-{high}" if low != high else str(best)
    return json.dumps(value, ensure_ascii=False)


db_option = click.option("--db", type=click.Path(dir_okay=False), default=None,
                         help="Store path or URL (default: $SITREP_DB or ./sitrep.duckdb).")


@click.group("corrections")
def corrections_group() -> None:
    """An analyst's corrections of event fields, applied whenever the event is read.

    \b
    Examples:
      sitrep corrections add 8710a1599ae79375-ab figures.killed 72 --note "the sentence says at least 72"
      sitrep corrections add 8710a1599ae79375-ab location.name "Khan Shaykhun"
      sitrep corrections list --event 8710a1599ae79375-ab
      sitrep corrections export -o corrections.jsonl
      sitrep corrections import corrections.jsonl --db rebuilt.duckdb
    """


@corrections_group.command("list")
@db_option
@click.option("--event", "event_id", default=None, help="Only the corrections of this event id.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per correction.")
def list_command(db: str | None, event_id: str | None, as_json: bool) -> None:
    """List corrections, oldest first."""
    with _store(db, write=False) as store:
        rows = store.corrections(event_id)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} correction{'s' if len(rows) != 1 else ''}")
    for column in ("created_at", "event_id", "field", "old_value", "new_value", "author", "note"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["created_at"][:19], row["event_id"], row["field"], _short(row["old_value"]),
                      _short(row["new_value"]), row["author"] or "", row["note"] or "")
    Console(no_color=bool(os.environ.get("NO_COLOR"))).print(table)


@corrections_group.command("add")
@db_option
@click.argument("event_id")
@click.argument("field")
@click.argument("value")
@click.option("--note", default=None, help="Why, or where the right value comes from.")
@click.option("--author", default=None, help="Who corrects it.")
def add_command(db: str | None, event_id: str, field: str, value: str, note: str | None,
                author: str | None) -> None:
    """Correct FIELD of event EVENT_ID to VALUE (JSON, or plain text for a name).

    \b
    FIELD is one of: event_type, mode, status, kind, date, date_end, location.name,
    location.country, location.admin1, location.lat, location.lon, figures.<kind> (killed,
    injured, displaced, besieged, trapped, detained, strikes), actors, recipients.
    """
    from sitrep.store.corrections import CorrectionError

    with _store(db, write=True) as store:
        try:
            row = store.add_correction(event_id, field, _value(value), note=note, author=author)
        except KeyError as err:
            raise click.ClickException(f"no event with id {event_id!r}") from err
        except CorrectionError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"{row['id']}: {event_id} {field} {json.dumps(row['old_value'], ensure_ascii=False)} -> "
               f"{json.dumps(row['new_value'], ensure_ascii=False)}")


@corrections_group.command("export")
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file (default: standard output).")
def export_command(db: str | None, output: str | None) -> None:
    """Every correction as JSON lines (id, event_id, field, old_value, new_value, note, author, created_at)."""
    with _store(db, write=False) as store:
        rows = store.corrections()
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115 - closed below
    try:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()
    if output:
        click.echo(f"wrote {len(rows)} corrections to {output}", err=True)


@corrections_group.command("import")
@db_option
@click.argument("file", type=click.File("r", encoding="utf-8"))
def import_command(db: str | None, file: Any) -> None:
    """Add the corrections of FILE (what `export` wrote; - for standard input); ones already here are skipped."""
    from sitrep.store.corrections import CorrectionError

    rows = []
    for number, line in enumerate(file, start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise click.ClickException(f"line {number}: not JSON ({err})") from err
    with _store(db, write=True) as store:
        try:
            added = store.import_corrections(rows)
        except CorrectionError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"imported {added} corrections ({len(rows) - added} already stored)")
