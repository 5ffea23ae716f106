"""The `sitrep` command: a thin layer over the library (pipeline, store, exports, web app)."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from sitrep import __version__
from sitrep.vocabulary import EXPORT_FORMATS, UNITS

FILTER_HELP = "Filters combine with AND; lists are comma-separated."
err_console = Console(stderr=True)


def _date_option(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from err


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    return _date_option(value)


def build_pipeline(config: str | None, actor_files: tuple[str, ...] = ()) -> Any:
    """The pipeline from the defaults, a user's config file and their own actor files."""
    from sitrep.pipeline import Pipeline

    return Pipeline.from_config(build_pipeline_config(config, actor_files))


def build_pipeline_config(config: str | None, actor_files: tuple[str, ...] = ()) -> dict[str, Any]:
    """The settings build_pipeline uses (what worker processes build their own pipeline from)."""
    from sitrep.pipeline import load_config

    settings = load_config(config)
    if actor_files:
        actors = settings.setdefault("components", {}).setdefault("actors", {})
        actors["extra_files"] = [*actors.get("extra_files", []), *actor_files]
    return settings


class StoreUnavailable(click.ClickException):
    """The store is missing or cannot be opened: exit status 3, for every command that reads it."""

    exit_code = 3


def _db_path(db: str | None) -> str:
    """The store named by --db / $SITREP_DB (a DuckDB path or a postgresql:// URL), else ./sitrep.duckdb."""
    from sitrep.store.base import default_url

    return db or default_url()


def _store_exists(url: str) -> bool:
    from sitrep.store.base import store_exists

    return store_exists(url)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitrep")
def main() -> None:
    """sitrep turns conflict reporting into sourced, geocoded event data, offline.

    \b
    Examples:
      sitrep extract article.txt --published 2016-02-08
      echo "Government forces shelled Douma on Monday." | sitrep extract - --published 2016-02-08 --format table
      sitrep ingest examples/                # into ./sitrep.duckdb (or $SITREP_DB, or --db)
      sitrep events --country SYR --type ASSAULT --from 2016-01-01 --to 2016-12-31
      sitrep export --format geojson -o events.geojson
      sitrep serve                           # dashboard and API on http://127.0.0.1:8000

    \b
    Exit status: 0 success, 1 an error (or, for ingest and extract, some inputs rejected),
    2 bad usage, 3 the store is missing or cannot be opened, 130 interrupted.
    """


_WORKERS_HELP = ("Processes that run the pipeline [default: this machine's cores, or $SITREP_WORKERS]; "
                 "1 runs it in this process. The output is the same for any N.")


def _workers(ctx: click.Context, param: click.Parameter, value: int | None) -> int:
    from sitrep.ingest.parallel import default_workers

    return value if value is not None else default_workers()


# -- extract -------------------------------------------------------------------------------
@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--published", callback=_published, help="Publication date (YYYY-MM-DD) for relative dates.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table", "csv"]), default="jsonl", show_default=True)
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML config merged over the defaults.")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own actor dictionary (YAML, same shape as src/sitrep/data/actors/*.yaml); repeatable.")
@click.option("--workers", type=click.IntRange(min=1), envvar="SITREP_WORKERS", callback=_workers, help=_WORKERS_HELP)
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True,
              help="Documents per batch a worker extracts (with --workers N > 1).")
def extract(files: tuple[str, ...], published: date | None, fmt: str, config: str | None,
            actor_files: tuple[str, ...], workers: int, batch_size: int) -> None:
    """Print the events in FILES (text or JSONL; "-" reads standard input), one per line.

    \b
    Example:
      sitrep extract examples/06-aleppo-supply-line.txt --format table
    """
    from sitrep.ingest import Reject, read_paths

    rows: list[dict[str, Any]] = []
    rejected = 0
    writer = _CsvOut() if fmt == "csv" else None
    for item in _extracted(read_paths(files, published=published), config, actor_files, workers,
                             batch_size):
        if isinstance(item, Reject):
            rejected += 1
            err_console.print(f"[yellow]rejected[/] {item.path}: {item.reason} ({item.detail})")
            continue
        for record in item:
            if fmt == "jsonl":
                click.echo(json.dumps(record, ensure_ascii=False))
            elif writer:
                writer.write(record)
            else:
                rows.append(record)
    if fmt == "table":
        _print_table(rows)
    sys.exit(1 if rejected else 0)


def _extracted(items: Iterable[Any], config: str | None, actor_files: tuple[str, ...],
               workers: int, batch_size: int = 32) -> Iterator[Any]:
    """Each input's event records (a list) or its Reject, in input order, from one process or `workers`."""
    from sitrep.ingest import Reject
    from sitrep.record import records

    if workers <= 1:
        pipeline = build_pipeline(config, actor_files)
        for item in items:
            yield item if isinstance(item, Reject) else records(pipeline(item))
        return
    from sitrep.ingest.parallel import WorkerPool, extract_parallel

    settings = build_pipeline_config(config, actor_files)
    unread: list[Any] = []  # inputs the reader rejected, told before the next document's events
    with WorkerPool(settings, workers) as pool:
        def documents() -> Iterator[Any]:
            for item in items:
                if isinstance(item, Reject):
                    unread.append(item)
                    continue
                yield item
        for _doc, extracted, errors in extract_parallel(documents(), pool, batch_size=batch_size):
            while unread:
                yield unread.pop(0)
            yield from errors
            if extracted is not None:
                yield extracted.events
        yield from unread


class _CsvOut:
    def __init__(self) -> None:
        self._writer: csv.DictWriter[str] | None = None

    def write(self, record: dict[str, Any]) -> None:
        from sitrep.export import flat_row

        row = flat_row(record)
        if self._writer is None:
            self._writer = csv.DictWriter(sys.stdout, fieldnames=list(row))
            self._writer.writeheader()
        self._writer.writerow(row)


def _actor_names(actors: list[dict[str, Any]]) -> str:
    return "; ".join(a.get("name") or a.get("text") or "?" for a in actors)


def _print_table(records: Iterable[dict[str, Any]], *, title: str | None = None) -> None:
    table = Table(title=title, show_lines=False)
    for column in ("date", "type", "mode", "status", "place", "actors", "recipients", "killed", "evidence"):
        table.add_column(column, overflow="fold", max_width=70 if column == "evidence" else 30,
                         no_wrap=column in ("date", "type", "status"))
    for record in records:
        location = record.get("location") or {}
        killed = (record.get("figures") or {}).get("killed") or {}
        table.add_row(
            record.get("date") or "", record["event_type"], record.get("mode") or "", record["status"],
            location.get("name") or "", _actor_names(record.get("actors", [])),
            _actor_names(record.get("recipients", [])), str(killed.get("best", "")),
            (record.get("evidence") or {}).get("text", "")[:200],
        )
    _console().print(table)


def _console() -> Console:
    """Wide enough for the tables when the output is a pipe or a file (rich would wrap at 80)."""
    console = Console()
    return console if console.is_terminal else Console(width=200)


# -- ingest --------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", envvar="SITREP_DB", help="DuckDB file [default: ./sitrep.duckdb or $SITREP_DB].")
@click.option("--published", callback=_published, help="Publication date for inputs that give none.")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(min=1),
              help="Documents per transaction.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML config merged over the defaults.")
@click.option("--include-comments", is_flag=True,
              help="Also extract events from reader comments (kept marked: section 'comment', half confidence).")
@click.option("--field", "fields", multiple=True, metavar="PART=NAME",
              help="JSONL/CSV field holding PART (text, title, url, published, publisher, author); repeatable.")
@click.option("--max-bytes", default=10_000_000, show_default=True, type=click.IntRange(min=1),
              help="Largest single input read: a file, page, WARC record or JSONL line.")
@click.option("--offline", is_flag=True, help="Fetch nothing: URLs, and feed entries that are only a teaser, "
                                             "are rejected (a later run fetches them).")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for a web server.")
@click.option("--delay", default=1.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds between two requests to the same web server (politeness).")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when stderr is a terminal].")
@click.option("-v", "--verbose", is_flag=True,
              help="Print a line to stderr after each committed batch and for each skipped item.")
@click.option("--workers", type=click.IntRange(min=1), envvar="SITREP_WORKERS", callback=_workers, help=_WORKERS_HELP)
def ingest(paths: tuple[str, ...], db: str | None, published: date | None, batch_size: int,
           config: str | None, include_comments: bool, fields: tuple[str, ...], max_bytes: int, offline: bool,
           timeout: float, delay: float, progress: bool | None, verbose: bool, workers: int) -> None:
    """Extract events from PATHS into the store: text, HTML, RSS/Atom feeds, WARC, JSONL/CSV
    corpora (also gzipped), folders (recursive), http(s) URLs, lists of URLs (.urls), "-" for stdin.

    Idempotent: a document already stored (same canonical URL, or same content) is skipped, and
    a syndicated copy of a stored one is linked to it, not counted again. Each batch is one
    transaction, so an interrupted run loses nothing committed and a re-run resumes. Reader
    comments and reference lists are kept as their own sections and give no events unless
    --include-comments. Every input that cannot be read is listed with a reason (and kept in
    the rejects table: see `sitrep status`).

    Every item read (a document, a record, a feed entry, a line) ends as stored, skipped (it
    repeats a stored document; -v names it) or rejected (with a reason), and the closing lines
    count the three. An input that gives nothing (an empty folder, a WARC without pages) is
    rejected saying why. Under --offline nothing is fetched and no fetch is counted.

    \b
    Exit status: 0 every input read (warnings aside), 1 some inputs were rejected (or nothing
    at all was read), 2 bad usage, 3 the store could not be opened, 130 interrupted (committed
    batches are kept).

    \b
    Examples:
      sitrep ingest examples/ --db demo.duckdb
      sitrep ingest saved-pages/ feed.xml crawl.warc.gz https://example.org/article
      sitrep ingest dump.csv.gz --field text=body --field published=date_publish
      sitrep ingest big-corpus.jsonl.gz --workers 2

    With --workers N (N > 1) N processes extract while this one reads, skips and commits, in
    input order: the store ends exactly as with --workers 1.
    """
    from sitrep.ingest.console import ingest_summary, reject_line, skip_line
    from sitrep.ingest.corpora import FieldMap
    from sitrep.ingest.progress import IngestProgress
    from sitrep.ingest.runner import ingest as run_ingest
    from sitrep.ingest.sources import ReadOptions
    from sitrep.ingest.urls import FetchOptions
    from sitrep.pipeline import LazyPipeline, load_config
    from sitrep.store import StoreError, open_store

    try:
        field_map = FieldMap.parse(fields)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--field") from err
    settings = load_config(config)
    if include_comments:
        events_cfg = settings.setdefault("components", {}).setdefault("events", {})
        events_cfg["sections"] = sorted({*events_cfg.get("sections", ["title", "body"]), "comment"})
    pipeline = LazyPipeline(settings)  # loaded at the first document that needs extraction
    options = ReadOptions(published=published, max_bytes=max_bytes, fields=field_map, offline=offline,
                          fetch=FetchOptions(timeout=timeout, max_bytes=max_bytes, host_delay=delay))
    path = _db_path(db)
    bar = IngestProgress(err_console, enabled=progress)

    def show(reject: Any) -> None:
        bar.console.print(reject_line(reject), highlight=False, soft_wrap=True)

    def skipped(item: Any) -> None:
        if verbose:
            bar.console.print(skip_line(item), highlight=False, soft_wrap=True)

    def batch_done(report: Any, added: int) -> None:
        bar.update(report, force=True)
        if verbose:
            bar.console.print(f"committed batch {report.batches}: {added} documents "
                              f"({report.documents + report.duplicates} stored in this run)", highlight=False)

    try:
        store = open_store(path)
    except StoreError as err:
        err_console.print(f"[red]error:[/] {err}")
        sys.exit(3)
    try:
        with store, bar:
            report = run_ingest(paths, store, pipeline, batch_size=batch_size, on_reject=show, options=options,
                                on_skip=skipped, on_progress=bar.update, on_batch=batch_done,
                                command="ingest " + " ".join(paths), extractor=_extractor(settings, workers))
            summary = store.summary()
    except KeyboardInterrupt:
        err_console.print("[red]interrupted[/]: every committed batch is stored; run the same command to resume")
        sys.exit(130)
    for line in ingest_summary(report, store.location):
        click.echo(line)
    _print_summary(summary)
    sys.exit(1 if report.rejected or not report.read or report.unaccounted else 0)


def _extractor(settings: dict[str, Any], workers: int) -> Any:
    """None (the pipeline in this process) for one worker, else a pool of worker processes."""
    if workers <= 1:
        return None
    from sitrep.ingest.parallel import WorkerPool

    return WorkerPool(settings, workers)


def _print_summary(summary: dict[str, Any]) -> None:
    click.echo(f"store: {summary.get('documents', 0)} documents, {summary.get('events', 0)} events")
    table = Table()
    table.add_column("event type")
    table.add_column("events", justify="right")
    for name, count in sorted((summary.get("by_type") or {}).items(), key=lambda kv: -kv[1]):
        table.add_row(name, str(count))
    _console().print(table)
    statuses = ", ".join(f"{k} {v}" for k, v in (summary.get("by_status") or {}).items())
    countries = ", ".join(f"{k} {v}" for k, v in list((summary.get("by_country") or {}).items())[:8])
    click.echo(f"by status: {statuses}")
    click.echo(f"by country: {countries}")


# -- status --------------------------------------------------------------------------------
@main.command()
@click.option("--db", envvar="SITREP_DB", help="DuckDB file [default: ./sitrep.duckdb or $SITREP_DB].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def status(db: str | None, as_json: bool) -> None:
    """What the store holds: documents, events, rejects and warnings by reason, the last ingest.

    \b
    Example:
      sitrep status --json | jq .rejects.by_reason
    """
    from sitrep.ingest.console import print_status
    from sitrep.store import StoreError

    try:
        with _open_store(db) as store:
            report = store.ingest_status()
    except StoreError as err:
        raise StoreUnavailable(str(err)) from err
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_status(report, _console())


# -- query and export ----------------------------------------------------------------------
class _Choices(click.ParamType):
    """A comma-separated list (|-separated too) of values of a closed list, matched in any case; the
    value is passed on as given, for EventFilter.parse to normalise."""

    name = "list"

    def __init__(self, values: tuple[str, ...]) -> None:
        self.values = values
        self._folded = {v.casefold() for v in values}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        for item in str(value).replace("|", ",").split(","):
            if item.strip() and item.strip().casefold() not in self._folded:
                self.fail(f"{item.strip()!r} is not one of {', '.join(self.values)}", param, ctx)
        return value


def filter_options(func: Any) -> Any:
    """The filters of sitrep/vocabulary.py (the HTTP API's, with the same help) as options."""
    from sitrep.vocabulary import FILTERS

    for spec in reversed(FILTERS):
        # ACLED types hold spaces and a slash, not commas: their help lists them, EventFilter checks them
        kind = _Choices(spec.values) if spec.values and spec.name != "acled_type" else None
        func = click.option(spec.cli, spec.name, type=kind, help=spec.help)(func)
    return func


def _filter(*, incidents: bool = False, **kwargs: Any) -> Any:
    """The filters of a command; over incidents (`incidents`), a status may also be contested."""
    from sitrep.store import EventFilter, FilterError, IncidentFilter

    _check_modes(kwargs.get("mode"))
    try:
        kwargs["near"] = _centre(kwargs.get("near"), kwargs.get("country"))
        return (IncidentFilter if incidents else EventFilter).parse(**kwargs)
    except FilterError as err:
        raise click.BadParameter(str(err)) from err


def _check_modes(value: str | None) -> None:
    """--mode names modes of the ontology, as the API's mode parameter does."""
    from sitrep.vocabulary import modes

    for item in (value or "").replace("|", ",").split(","):
        if item.strip() and item.strip().lower() not in modes():
            raise click.BadParameter(f"unknown mode {item.strip()!r}; expected one of {', '.join(modes())}",
                                     param_hint="--mode")


def _centre(near: str | None, country: str | None) -> str | None:
    """--near as LAT,LON, or a place name: the point of the largest place so called (as the API's
    place + radius_km), in --country when given."""
    if not near or not near.strip():
        return near
    parts = [p.strip() for p in near.split(",")]
    try:
        [float(p) for p in parts]
        return near
    except ValueError:
        pass
    from sitrep.knowledge.gazetteer import get_gazetteer
    from sitrep.store.countries import country_iso3

    iso3 = country_iso3(country) if country else None
    point = get_gazetteer().point_of(near.strip(), iso3)
    if point is None:
        where = f" in {iso3}" if iso3 else ""
        raise click.BadParameter(f"no place called {near.strip()!r}{where} with coordinates", param_hint="--near")
    return f"{point[0]},{point[1]}"


def _open_store(db: str | None, memory_limit: str | None = None) -> Any:
    from sitrep.store import StoreError, open_store

    path = _db_path(db)
    if not _store_exists(path):
        raise StoreUnavailable(f"no store at {path}; run `sitrep ingest PATH` first (or pass --db)")
    try:
        return open_store(path, read_only=True, memory_limit=memory_limit)
    except StoreError as err:
        raise StoreUnavailable(str(err)) from err


@main.command()
@click.option("--db", envvar="SITREP_DB", help="DuckDB file [default: ./sitrep.duckdb or $SITREP_DB].")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.option("--limit", default=50, show_default=True, help="At most this many events (0 = all).")
@click.option("--offset", default=0, show_default=True)
def events(db: str | None, fmt: str, limit: int, offset: int, **filters: Any) -> None:
    """Query stored events. Filters combine with AND; lists are comma-separated.

    \b
    Example:
      sitrep events --country Syria --type ASSAULT --status asserted,claimed --from 2016-02-01
    """
    flt = _filter(**filters)
    with _open_store(db) as store:
        total, rows = store.query_events(flt, limit=limit or None, offset=offset)
    if fmt == "jsonl":
        for record in rows:
            click.echo(json.dumps(record, ensure_ascii=False))
    else:
        _print_table(rows, title=f"{len(rows)} of {total} events")


@main.command()
@click.option("--db", envvar="SITREP_DB", help="DuckDB file [default: ./sitrep.duckdb or $SITREP_DB].")
@filter_options
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="csv", show_default=True,
              help="; ".join(f"{k}: {v}" for k, v in EXPORT_FORMATS.items()) + ".")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write [default: stdout].")
@click.option("--unit", type=click.Choice(list(UNITS)), default="incidents", show_default=True,
              help="What a row stands for: " + "; ".join(f"{k}: {v}" for k, v in UNITS.items()) + ".")
def export(db: str | None, fmt: str, output: str | None, unit: str, **filters: Any) -> None:
    """Write stored incidents (or, with --unit mentions, event mentions) in a format users load.

    Formats: flat CSV, ACLED's columns (acled), JSON Lines, PLOVER/POLECAT JSON Lines (polecat),
    GeoJSON, Parquet, HXL CSV, Excel (xlsx). Each incident is one row: five reports of one strike
    are one row. Binary formats (parquet, xlsx) need -o or a redirected stdout.

    \b
    Examples:
      sitrep export --format acled --country SYR -o syria.csv
      sitrep export --format parquet --from 2016-02-01 -o incidents.parquet
      sitrep export --unit mentions --format geojson -o mentions.geojson
    """
    from sitrep.export import export_store, writer
    from sitrep.export.registry import EXPORT_MEMORY_LIMIT

    spec = writer(fmt)
    flt = _filter(incidents=unit == "incidents", **filters)
    noun = "incidents" if unit == "incidents" else "events"
    if spec.binary and not output and sys.stdout.isatty():
        raise click.UsageError(f"--format {fmt} writes binary data: give -o FILE or redirect stdout")
    # one scan in storage order (Parquet: Arrow batches), DuckDB's cache capped: bounded memory
    with _open_store(db, memory_limit=EXPORT_MEMORY_LIMIT) as store:
        if output:
            with open(output, "wb") as fh:
                count = export_store(store, flt, fmt, fh, unit=unit)
            err_console.print(f"wrote {count} {noun} to {output}")
        else:
            export_store(store, flt, fmt, sys.stdout, unit=unit)
            sys.stdout.flush()


# -- incidents -----------------------------------------------------------------------------
@main.group(invoke_without_command=True)
@click.option("--db", envvar="SITREP_DB", help="DuckDB file [default: ./sitrep.duckdb or $SITREP_DB].")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@click.option("--updated-since", help="Only incidents created or changed since this ISO date or timestamp (UTC).")
@click.option("--limit", default=50, show_default=True, help="At most this many incidents (0 = all).")
@click.option("--offset", default=0, show_default=True)
@click.pass_context
def incidents(ctx: click.Context, db: str | None, fmt: str, updated_since: str | None, limit: int, offset: int,
              **filters: Any) -> None:
    """List incidents: the mentions of one real-world event grouped, every figure and source kept.

    Same filters as `sitrep events`. Subcommands: `show ID` (an alias of a merged incident
    resolves), `rebuild` (recompute from the stored mentions).

    \b
    Examples:
      sitrep incidents --country SYR --from 2016-02-01 --format jsonl
      sitrep incidents --updated-since 2026-12-01T00:00:00 --format csv
      sitrep incidents show inc-0123456789abcdef
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}
        return
    from datetime import datetime

    since = None
    if updated_since:
        try:
            since = datetime.fromisoformat(updated_since)
        except ValueError as err:
            raise click.BadParameter(f"expected an ISO date or timestamp, got {updated_since!r}") from err
    flt = _filter(incidents=True, **filters)
    with _open_store(db) as store:
        total, rows = store.query_incidents(flt, updated_since=since, limit=limit or None, offset=offset)
    if fmt == "jsonl":
        for record in rows:
            click.echo(json.dumps(record, ensure_ascii=False))
    elif fmt == "csv":
        from sitrep.export import write_events

        write_events(rows, "csv", sys.stdout, unit="incidents")
    else:
        from sitrep.export import incident_row

        table = Table(title=f"{len(rows)} of {total} incidents")
        for column in ("id", "date", "type", "status", "place", "killed (low-best-high)", "sources"):
            table.add_column(column)
        for r in rows:
            row = incident_row(r)
            killed = "" if row["killed"] is None else f"{row['killed_low']}-{row['killed']}-{row['killed_high']}"
            table.add_row(r["id"], r.get("date") or "", r.get("event_type") or "", r.get("status") or "",
                          ", ".join(str(v) for v in (row["location"], row["country"]) if v), killed,
                          str(row["n_sources"]))
        _console().print(table)


@incidents.command("show")
@click.argument("incident_id")
@click.pass_context
def incidents_show(ctx: click.Context, incident_id: str) -> None:
    """Print one incident as JSON: members, sources with their evidence, every figure."""
    with _open_store(ctx.obj["db"]) as store:
        record = store.get_incident(incident_id)
    if record is None:
        raise click.ClickException(f"no incident {incident_id!r}")
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@incidents.command("rebuild")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML config merged over the defaults.")
@click.pass_context
def incidents_rebuild(ctx: click.Context, config: str | None) -> None:
    """Recompute every incident from the stored mentions (after a change of resolve settings).

    Ids that disappear because their incident merged into another stay as aliases.
    """
    from sitrep.pipeline import load_config
    from sitrep.store import StoreError, open_store

    settings = load_config(config).get("resolve") or {}
    path = _db_path(ctx.obj["db"])
    if not _store_exists(path):
        raise StoreUnavailable(f"no store at {path}; run `sitrep ingest PATH` first (or pass --db)")
    try:
        store = open_store(path)
    except StoreError as err:
        raise StoreUnavailable(str(err)) from err
    with store:
        before = store.incident_ids()
        counts = store.resolve_incidents(None, settings)
        after = store.incident_ids()
    changed = len(before - after)  # ids served before that no longer are incidents
    click.echo(f"{len(after)} incidents ({counts['created']} new, {counts['updated']} changed, "
               f"{counts['unchanged']} unchanged); {changed} ids changed "
               f"({counts['aliased']} kept as aliases, {counts['removed']} removed)")


# -- store ---------------------------------------------------------------------------------
@main.group("store")
def store_group() -> None:
    """Move a store between backends (a DuckDB file, a PostgreSQL database)."""


@store_group.command("copy")
@click.argument("source")
@click.argument("dest")
def store_copy(source: str, dest: str) -> None:
    """Copy every document, event, incident, correction, reject and run from SOURCE into the empty
    store DEST, and check every table's row count. Either side may be a folder of Parquet files
    (a directory, or a path ending in /): one file per table and a manifest of the counts.

    \b
    Examples:
      sitrep store copy sitrep.duckdb postgresql://sitrep@db.example.org:5432/sitrep
      sitrep store copy postgresql://sitrep@localhost/sitrep backup.duckdb
      sitrep store copy sitrep.duckdb export/      (Parquet; then: sitrep store copy export/ other.duckdb)
    """
    from sitrep.store import StoreError
    from sitrep.store.copy import copy_store
    from sitrep.store.interchange import is_parquet_folder

    if not is_parquet_folder(source) and not _store_exists(source):
        raise StoreUnavailable(f"no store at {source}")
    try:
        counts = copy_store(source, dest)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    rows = ", ".join(f"{table} {n}" for table, n in counts.items() if n)
    click.echo(f"copied: {rows or 'nothing (the source is empty)'}; every table's count checked")


# -- serve ---------------------------------------------------------------------------------
@main.command()
@click.option("--db", envvar="SITREP_DB", help="DuckDB file [default: ./sitrep.duckdb or $SITREP_DB].")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--require-keys", is_flag=True,
              help="Check API keys on loopback too (always checked on any other host; see `sitrep keys`).")
def serve(db: str | None, host: str, port: int, require_keys: bool) -> None:
    """Serve the dashboard and the HTTP API (/api/events, /openapi.json) over the store.

    On a host other than 127.0.0.1/localhost every API request needs a key from `sitrep keys
    create` (the dashboard asks for one), and the server refuses to start while the store has none.
    """
    from sitrep.web.server import NoKeys, check_keys, run

    path = _db_path(db)
    if not _store_exists(path):
        raise StoreUnavailable(f"no store at {path}; run `sitrep ingest PATH` first (or pass --db)")
    try:
        keys = check_keys(path, host, require_keys)
    except NoKeys as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"sitrep dashboard: http://{host}:{port}/  (API: http://{host}:{port}/api/events, "
               f"OpenAPI: http://{host}:{port}/openapi.json){'; API keys required' if keys else ''}; Ctrl+C to stop")
    run(path, host=host, port=port, require_keys=keys)


# -- adaptation ----------------------------------------------------------------------------
@main.group()
def train() -> None:
    """Train light models on your own labelled data (CPU, minutes, nothing downloaded)."""


@train.command("acled")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), help="Model file [default: your data folder].")
@click.option("--c", "c", default=0.3, show_default=True, help="Inverse L2 strength of the logistic regression.")
@click.option("--leave-one-region-out", "loro", is_flag=True,
              help="Report only: for each region (ACLED's `region`), train on the others and score it; saves nothing.")
@click.option("--regions", default="", help="With --leave-one-region-out: hold out only these (comma-separated).")
@click.option("--json", "as_json", is_flag=True, help="Print the training report as one JSON object.")
def train_acled(files: tuple[str, ...], out: str | None, c: float, loro: bool, regions: str, as_json: bool) -> None:
    """Learn to correct the rule-based ACLED sub-event types from ACLED export CSVs (notes + sub_event_type).

    The pipeline runs over each row's notes; a light classifier then learns, from the rules' own
    verdict and the words around each event, when the rules are right and what the row says
    instead. It overrides the rules only where it is confident (a threshold chosen by holding out
    each file in turn). The model is saved to your data folder ($SITREP_DATA_DIR or the platform's),
    never into the package; delete the file to go back to the rules alone.

    \b
    Examples:
      sitrep train acled kenya.csv afghanistan.csv
      sitrep train acled world.csv kenya.csv --leave-one-region-out --regions "Europe,Eastern Africa" --json
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from sitrep.adapt.model import default_model_path
    from sitrep.adapt.train import train_acled as fit

    console = Console(stderr=True)
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("reading the notes", total=None)
        try:
            if loro:
                from sitrep.adapt.holdout import region_report

                wanted = [r.strip() for r in regions.split(",") if r.strip()]
                held = region_report(files, regions=wanted, c=c, on_row=lambda: progress.advance(task),
                                     on_fold=lambda r: progress.update(task, description=f"holding out {r}"))
            else:
                model, report = fit(files, c=c, on_row=lambda: progress.advance(task))
        except ValueError as err:
            raise click.ClickException(str(err)) from err
    if loro:
        _print_region_report(held, as_json)
        return
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    path = Path(out) if out else default_model_path()
    model.save(path)
    cv = report["cross_validation"]
    click.echo(f"trained on {report['events']} events of {report['rows']} rows, {len(report['classes'])} "
               f"sub-event types in {report['seconds']}s; overrides the rules at probability >= "
               f"{cv['threshold']} and margin >= {cv['margin']}", err=as_json)
    for held in cv["held_out"]:
        name = files[held["source"]] if held["source"] is not None else "all rows"
        click.echo(f"  held out ({cv['scheme']}) {name}: {held['rows']} rows, sub-type weighted F1 "
                   f"rules {held['rules_wf1']} -> with the model {held['model_wf1']}", err=as_json)
    click.echo(f"saved {path}", err=as_json)


def _print_region_report(report: dict[str, Any], as_json: bool) -> None:
    """`sitrep train acled --leave-one-region-out`: one line per held-out region, then mean and worst."""
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    table = Table(title=f"leave-one-region-out ({report['rows']} rows; collect {report['collect_seconds']}s)")
    for column in ("held out", "rows", "type rules", "type model", "sub wF1 rules", "sub wF1 model", "seconds"):
        table.add_column(column, justify="right")
    for f in report["folds"]:
        table.add_row(f["region"], str(f["rows"]), *(f"{f[k]:.3f}" if f[k] is not None else "n/a" for k in (
            "rules_event_type_accuracy", "model_event_type_accuracy", "rules_sub_event_type_weighted_f1",
            "model_sub_event_type_weighted_f1")), str(f["seconds"]))
    Console().print(table)
    for key in ("sub_event_type_weighted_f1", "event_type_accuracy"):
        mean, worst = report[f"mean_model_{key}"], report[f"worst_model_{key}"]
        if mean is not None:
            click.echo(f"{key} held out, with the model: mean {mean:.3f} (rules {report[f'mean_rules_{key}']:.3f}), "
                       f"worst {worst['region']} {worst['value']:.3f}")
    for skip in report["skipped"]:
        click.echo(f"skipped {skip['region']} ({skip['rows']} rows): {skip['reason']}")


@train.command("truecase")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), help="Table file [default: the package's data/truecase.tsv].")
def train_truecase(files: tuple[str, ...], out: str | None) -> None:
    """Learn each word's usual casing from mixed-case texts (JSONL text/notes, CSV notes, TSV, XML <text>).

    Writes the table the truecaser uses on text in capitals (wire copy): words whose most frequent
    casing is not lower case, and multi-word names from the gazetteer and the actor dictionaries.

    \b
    Example (the shipped table):
      sitrep train truecase ../shared/data/gva/gva_dev_docs.jsonl ../shared/data/acled/*.csv \\
        ../shared/data/geo/lgl.xml ../shared/data/geo/GeoVirus.xml ../shared/data/cameo/cameo_quad_train.tsv
    """
    from sitrep.adapt.truecase_train import train_truecase as fit
    from sitrep.knowledge.loader import data_file

    path = Path(out) if out else data_file("truecase.tsv")
    report = fit(files, path)
    click.echo(f"{report['words']} words and {report['phrases']} names with their casing; saved {path}")


@train.command("muc4")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", default="train", show_default=True, help="GTT split to train on (dev stays held out).")
@click.option("--out", type=click.Path(dir_okay=False), help="Model file [default: the package's roles_model.json].")
@click.option("--c", "c", default=0.25, show_default=True, help="Inverse L2 strength of the logistic regression.")
@click.option("--limit", default=0, type=click.IntRange(min=0), help="Only the first N documents of the split.")
@click.option("--json", "as_json", is_flag=True, help="Print the training report as one JSON object.")
def train_muc4(path: str, split: str, out: str | None, c: float, limit: int, as_json: bool) -> None:
    """Learn the role filler (perpetrators, victims, targets, weapons) from MUC-4 answer keys.

    \b
    Example (the shipped model):
      sitrep train muc4 ../shared/data/muc4/muc4_dev.jsonl --split train
    """
    from sitrep.adapt.roles_train import train_roles
    from sitrep.components.roles import default_model_path

    try:
        model, report = train_roles(path, split=split or None, c=c, limit=limit)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    target = Path(out) if out else default_model_path()
    model.save(target)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
    click.echo(f"trained on {report['rows']} phrases of {report['documents']} documents ({report['features']} "
               f"features) in {report['seconds']}s; strict F1 on the last {report['validation_documents']} "
               f"(thresholds chosen there) {report['validation_strict_f1']}; saved {target}", err=as_json)


# -- knowledge -----------------------------------------------------------------------------
@main.group()
def gazetteer() -> None:
    """Build and query the offline gazetteer (GeoNames places, admin1 units, hand-kept places)."""


_GAZ_FILE = click.option(
    "--file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
    help="A user's own gazetteer (YAML list or CSV with the columns of places.yaml), compiled in.")


@gazetteer.command("build")
@_GAZ_FILE
@click.option("--force", is_flag=True, help="Compile again even when the compiled table is up to date.")
def gazetteer_build(files: tuple[str, ...], force: bool) -> None:
    """Compile the gazetteer table now (otherwise it is built on first use).

    The table's file name carries a digest of its sources (the installed packages, the project's
    and your gazetteer files), so an existing file is up to date and is kept unless --force.

    \b
    Example:
      sitrep gazetteer build --file my_places.yaml
    """
    import resource

    from sitrep.knowledge.gazetteer import Gazetteer, build, default_path

    started = time.perf_counter()
    extra = tuple(str(Path(f).resolve()) for f in files)
    path = default_path(extra)
    if path.exists() and not force:
        click.echo(f"up to date: {path} ({Gazetteer(path).stats()['names']} names; --force to compile again)")
        return
    path = build(path, extra)
    stats = Gazetteer(path).stats()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    click.echo(f"built {path} in {time.perf_counter() - started:.1f}s (peak memory {peak:.0f} MB): {stats}")


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--country", help="ISO2 or ISO3 code to restrict to.")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per place.")
@_GAZ_FILE
def gazetteer_lookup(name: str, country: str | None, limit: int, as_json: bool, files: tuple[str, ...]) -> None:
    """List the places called NAME (any spelling; transliterations matched loosely), largest first.

    \b
    Examples:
      sitrep gazetteer lookup Deraa
      sitrep gazetteer lookup "Kafranbel" --country SYR
      sitrep gazetteer lookup "Camp Alpha" --file my_places.yaml
    """
    from sitrep.knowledge.gazetteer import get_gazetteer

    places = get_gazetteer(tuple(files)).lookup(name, country=country, limit=limit)
    if not places:
        raise click.ClickException(f"no place called {name!r}")
    if as_json:
        for place in places:
            click.echo(json.dumps({"name": place.name, "feature": place.feature, "country": place.country3,
                                   "admin1": place.admin1, "admin1_pcode": place.admin1_pcode,
                                   "admin2": place.admin2, "lat": place.lat, "lon": place.lon,
                                   "population": place.population, "geonameid": place.geonameid,
                                   "source": place.source}, ensure_ascii=False))
        return
    table = Table(title=f"places called {name!r}")
    for column in ("name", "feature", "country", "admin1", "pcode", "lat", "lon", "population", "geonameid"):
        table.add_column(column)
    for place in places:
        table.add_row(place.name, place.feature, place.country3 or place.country or "", place.admin1 or "",
                      place.admin1_pcode or "", f"{place.lat:.4f}" if place.lat is not None else "",
                      f"{place.lon:.4f}" if place.lon is not None else "", str(place.population),
                      str(place.geonameid or ""))
    _console().print(table)


@main.group()
def actors() -> None:
    """Look up the actor dictionary."""


@actors.command("lookup")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per actor (the event record's fields, aliases).")
@click.option("--file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="An extra actor file (YAML, same shape as the shipped ones).")
def actors_lookup(name: str, as_json: bool, files: tuple[str, ...]) -> None:
    """List the actors called NAME (canonical name or alias), as a table like `gazetteer lookup`.

    \b
    Examples:
      sitrep actors lookup Hezbollah
      sitrep actors lookup NHB --file my_actors.yaml --json
    """
    from sitrep.knowledge.actors import get_actors

    found = get_actors(tuple(files)).lookup(name)
    if not found:
        raise click.ClickException(f"no actor called {name!r}")
    if as_json:
        for actor in found:
            click.echo(json.dumps(actor.as_record(name) | {"aliases": list(actor.aliases)}, ensure_ascii=False))
        return
    table = Table(title=f"actors called {name!r}")
    for column in ("id", "name", "country", "sector", "acled_inter", "aliases"):
        table.add_column(column, overflow="fold", max_width=60 if column == "aliases" else None)
    for actor in found:
        row = actor.as_record(name)
        table.add_row(row["id"] or "", row["name"] or "", row["country"] or "", row["sector"] or "",
                      "" if row["acled_inter"] is None else str(row["acled_inter"]), ", ".join(actor.aliases))
    _console().print(table)


from sitrep.cli_eval import eval_group  # noqa: E402 - the `eval` group lives in its own module

main.add_command(eval_group)

from sitrep.cli_corrections import corrections_group  # noqa: E402 - `corrections`, in its own module

main.add_command(corrections_group)

from sitrep.cli_keys import keys_group  # noqa: E402 - `keys`, in its own module

main.add_command(keys_group)

from sitrep.cli_distributed import load_command, run_command  # noqa: E402 - `run` and `load`, in their own module

main.add_command(run_command)
main.add_command(load_command)

from sitrep.cli_brief import brief_command  # noqa: E402 - `brief`, in its own module

main.add_command(brief_command)


if __name__ == "__main__":  # pragma: no cover
    main()
