"""`sitrep run` (the pipeline on a Dask cluster, into a folder of Parquet) and `sitrep load` (that
folder into a store). cli.py registers both with `main.add_command`."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click
from rich.console import Console

err_console = Console(stderr=True)


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as err:
        raise click.BadParameter("expected YYYY-MM-DD") from err


@click.command("run")
@click.argument("paths", nargs=-1, required=True)
@click.option("--scheduler", required=True, metavar="tcp://HOST:PORT|local",
              help="A Dask scheduler's address, or 'local' for a LocalCluster of 2 single-threaded worker processes.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for the Parquet partitions.")
@click.option("--published", callback=_published, help="Publication date for inputs that give none.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="A TOML config merged over the defaults.")
@click.option("--partition-size", default=64, show_default=True, type=click.IntRange(min=1),
              help="Documents per Dask task (and per Parquet file).")
@click.option("--offline", is_flag=True, help="Fetch nothing: URLs are rejected.")
def run_command(paths: tuple[str, ...], scheduler: str, out: str, published: date | None, config: str | None,
                partition_size: int, offline: bool) -> None:
    """Extract PATHS on a Dask distributed cluster into OUT: event records, documents and rejects
    as Parquet files, one per partition, and a manifest.json written when the run is complete.
    Then `sitrep load OUT --db ...` puts them into a store.

    Inputs are read here (as `sitrep ingest` reads them) and repeats within the run are skipped;
    the workers each load the pipeline once and extract a partition per task. A worker that dies
    has its tasks run again by Dask, and a re-run task overwrites its own files: no duplicates.

    \b
    Examples:
      sitrep run examples/ --scheduler local --out run-out/
      sitrep run corpus.jsonl.gz --scheduler tcp://10.0.0.5:8786 --out /shared/run-out
    """
    from sitrep.distributed.run import connect, run
    from sitrep.ingest.sources import ReadOptions
    from sitrep.pipeline import load_config

    settings = load_config(config)
    options = ReadOptions(published=published, offline=offline)
    try:
        client, cluster = connect(scheduler)
    except (OSError, ValueError) as err:
        raise click.ClickException(f"cannot reach the scheduler {scheduler}: {err}") from err
    try:
        def told(report: Any, counts: dict[str, int]) -> None:
            err_console.print(f"partition {counts['index']}: {counts['documents']} documents, "
                              f"{counts['events']} events", highlight=False)

        report = run(list(paths), out, client, config=settings, options=options, partition_size=partition_size,
                     on_partition=told)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    click.echo(f"ran {report.documents} documents in {report.partitions} partitions: {report.events} events, "
               f"{report.skipped} skipped, {report.rejected} rejected in {report.seconds:.1f}s into {out}")
    sys.exit(1 if report.rejected or not report.documents else 0)


@click.command("load")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--db", envvar="SITREP_DB", help="The store [default: ./sitrep.duckdb or $SITREP_DB].")
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="A TOML config merged over the defaults (its [resolve] settings group the incidents).")
def load_command(folder: str, db: str | None, config: str | None) -> None:
    """Load a `sitrep run` output FOLDER into the store, then resolve incidents.

    Idempotent: documents already stored are skipped, so loading twice adds nothing.

    \b
    Example:
      sitrep load run-out/ --db demo.duckdb
    """
    from sitrep.distributed.load import NotARun, load
    from sitrep.pipeline import load_config
    from sitrep.store import StoreError, open_store
    from sitrep.store.base import default_url

    resolve = dict(load_config(config).get("resolve") or {})
    try:
        store = open_store(db or default_url())
    except StoreError as err:
        err_console.print(f"[red]error:[/] {err}")
        sys.exit(3)
    with store:
        try:
            report = load(folder, store, resolve=resolve)
        except NotARun as err:
            raise click.ClickException(str(err)) from err
        summary = store.summary()
    click.echo(f"loaded {report.partitions} partitions: {report.documents} documents, {report.events} events "
               f"added, {report.skipped} already stored, {report.rejects} rejects in {report.seconds:.1f}s")
    click.echo(f"store: {summary.get('documents', 0)} documents, {summary.get('events', 0)} events")
