"""`sitrep brief`: the situation brief of a place, a country or a box over a period (sitrep/brief).

Markdown to standard output by default; `-o FILE` writes it (Markdown: with its map and timeline
PNGs beside the file), `--format html` one self-contained page, `--format pdf` a PDF (WeasyPrint).
Every number links to the incidents it counts, under `--base-url` (where `sitrep serve` runs).
cli.py registers the command with `main.add_command(brief_command)`.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

FORMATS = ("md", "html", "pdf")
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _day(_ctx: click.Context, param: click.Parameter, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}", param=param) from err


@click.command("brief")
@click.option("--place", default=None, help="A place or admin1 name (matched as the --place filter does).")
@click.option("--country", default=None, help="ISO3 code or English name of a country.")
@click.option("--bbox", default=None, help="A box: west,south,east,north in degrees.")
@click.option("--from", "date_from", required=True, callback=_day, help="First day, YYYY-MM-DD.")
@click.option("--to", "date_to", required=True, callback=_day, help="Last day (inclusive), YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="md (Markdown), html (one page, images inline) or pdf.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output; a PDF needs a file unless stdout is redirected).")
@click.option("--base-url", default=DEFAULT_BASE_URL, show_default=True,
              help="Where `sitrep serve` answers: the brief's links to incident lists and pages start with it.")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="Store path (default: $SITREP_DB or ./sitrep.duckdb).")
def brief_command(place: str | None, country: str | None, bbox: str | None, date_from: date, date_to: date,
                  fmt: str, output: Path | None, base_url: str, db: str | None) -> None:
    """A situation brief: headline figures against the previous period, map, weekly timeline, top
    incidents with their sources, contested claims, places with new fighting, data caveats.

    \b
    Examples:
      sitrep brief --country SYR --from 2016-02-01 --to 2016-02-29
      sitrep brief --place Aleppo --from 2016-02-01 --to 2016-02-29 --format html -o aleppo.html
      sitrep brief --bbox 35.5,32,42.5,37.5 --from 2017-04-01 --to 2017-04-30 --format pdf -o april.pdf
    """
    from sitrep.brief.compose import Scope, compose
    from sitrep.cli_corrections import _store
    from sitrep.store.filters import FilterError

    given = [(kind, value) for kind, value in (("place", place), ("country", country), ("bbox", bbox)) if value]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --place, --country or --bbox")
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        raise click.UsageError("a PDF goes to a file: add -o FILE.pdf (or redirect standard output)")
    try:
        scope = Scope(*given[0])
        with _store(db, write=False) as store:
            brief = compose(store, scope, date_from, date_to)
    except FilterError as err:
        raise click.UsageError(str(err)) from err
    if fmt == "pdf":
        from sitrep.brief.render_pdf import render_pdf

        data = render_pdf(brief, base_url=base_url)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            output.write_bytes(data)
            click.echo(f"wrote {output}", err=True)
        return
    if fmt == "html":
        from sitrep.brief.render_html import render_html

        text = render_html(brief, base_url=base_url)
    else:
        from sitrep.brief.render_md import render_md

        text = render_md(brief, base_url=base_url, out=output)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
