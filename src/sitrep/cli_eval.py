"""`sitrep eval`: score the pipeline against gold files (ACLED CSV, PLOVER JSON, quad TSV, geoparsing XML).

Kept apart from cli.py so the scorers' options and report layout do not crowd the main command;
cli.py registers the group with `main.add_command(eval_group)`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import islice
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sitrep.evaluate.metrics import rounded

LIMIT_HELP = "Score only the first N items (0 = all)."


def _common(func: Any) -> Any:
    options = [
        click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables."),
        click.option("--limit", default=0, show_default=True, type=click.IntRange(min=0), help=LIMIT_HELP),
        click.option("--config", type=click.Path(exists=True, dir_okay=False),
                     help="A TOML config merged over the defaults."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group("eval")
def eval_group() -> None:
    """Score extraction against gold files; per-field figures and a confusion table.

    \b
    Examples:
      sitrep eval acled acled_export.csv --limit 500
      sitrep eval acled acled_export.csv --by region --exclude-regions Europe
      sitrep eval gva gva_dev_docs.jsonl --limit 300 --offset 2000
      sitrep eval incidents tests/eval/incidents/conflict_reports.jsonl --json
      sitrep eval muc4 muc4_dev.jsonl --limit 300 --json
      sitrep eval plover PLOVER_GSR_CAMEO.json --json
      sitrep eval quad cameo_quad.tsv
      sitrep eval geo lgl.xml
    """


@eval_group.command("acled")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", "by", type=click.Choice(["region", "country"]),
              help="Also score each region (ACLED's `region` column) or country apart and name the worst.")
@click.option("--regions", default="", help="Score only these regions (comma-separated, as the file writes them).")
@click.option("--exclude-regions", default="", help="Leave these regions out (comma-separated).")
@click.option("--min-rows", default=20, show_default=True, type=click.IntRange(min=1),
              help="With --by: groups with fewer scored rows are reported but not named worst.")
@_common
def eval_acled(path: str, by: str | None, regions: str, exclude_regions: str, min_rows: int, as_json: bool,
               limit: int, config: str | None) -> None:
    """Score against an ACLED export CSV: notes in; event type, sub-type, actor type, place, deaths, date out.

    The event compared with a row is the asserted or claimed one of highest ACLED precedence
    (first in text order on a tie); rows with no such event count as "none". --regions and
    --exclude-regions select rows before --limit counts them.
    """
    from functools import partial

    from sitrep.evaluate.acled import read_acled, score_acled
    from sitrep.evaluate.acled_groups import score_acled_grouped, select_rows

    include, exclude = _names(regions), _names(exclude_regions)
    rows: Iterable[Any] = read_acled(path)
    if include or exclude:
        try:
            rows = select_rows(rows, by="region", include=include, exclude=exclude)
        except ValueError as err:
            raise click.ClickException(str(err)) from err
    items = _take(rows, limit)
    scorer = partial(score_acled_grouped, by=by, min_rows=min_rows) if by else score_acled
    report = _run(scorer, items, config, "ACLED rows")
    report |= {"file": path, "limit": limit or None}
    report |= {k: v for k, v in (("regions", include), ("exclude_regions", exclude)) if v}
    _emit(report, as_json, "ACLED", confusion_title="event_type")
    if by and not as_json:
        _print_groups(report, by)


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _print_groups(report: dict[str, Any], by: str) -> None:
    """One row per group with the figures `acled_groups.MEASURES` names, then the worst group per measure."""
    from sitrep.evaluate.acled_groups import MEASURES

    heads = {"event_type_accuracy": "type", "sub_event_type_weighted_f1": "sub wF1", "actor1_type_accuracy": "actor1",
             "admin1_accuracy": "admin1", "location_within_25km": "loc 25km", "fatalities_exact": "deaths",
             "date_exact": "date"}
    table = Table(title=f"per {by}")
    for column in (by, "rows", *(heads[m] for m in MEASURES)):
        table.add_column(column, justify="right")
    for name, block in rounded(report)[f"by_{by}"].items():
        table.add_row(name, str(block["n"]), *(_fmt(block[m]) for m in MEASURES))
    console = Console()
    console.print(table)
    for measure, worst in report["worst"].items():
        if worst:
            console.print(f"worst {by} on {heads[measure]}: {worst['group']} {worst['value']:.3f} "
                          f"({worst['n']} rows)")


@eval_group.command("plover")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_common
def eval_plover(path: str, as_json: bool, limit: int, config: str | None) -> None:
    """Score against PLOVER gold records (v0.5 labels mapped to v2): event type, mode, actor countries."""
    from sitrep.evaluate.plover import read_plover, score_plover

    items = _take(read_plover(path), limit)
    report = _run(score_plover, items, config, "PLOVER records")
    _emit(report | {"file": path, "limit": limit or None}, as_json, "PLOVER", confusion_title="event_type")


@eval_group.command("quad")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--scheme", default="phoenix", show_default=True,
              type=click.Choice(["phoenix", "gdelt_b", "gdelt_c", "plover"]),
              help="Quad grouping of CAMEO roots the labels follow (five classes with a neutral one: phoenix).")
@_common
def eval_quad(path: str, scheme: str, as_json: bool, limit: int, config: str | None) -> None:
    """Score CAMEO quad classes on `text<TAB>label` rows (0 neutral ... 4 material conflict)."""
    from functools import partial

    from sitrep.evaluate.quad import read_quad, score_quad

    items = _take(read_quad(path), limit)
    report = _run(partial(score_quad, scheme=scheme), items, config, "sentences")
    _emit(report | {"file": path, "limit": limit or None}, as_json, "CAMEO quad", confusion_title="quad")


@eval_group.command("geo")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_common
def eval_geo(path: str, as_json: bool, limit: int, config: str | None) -> None:
    """Score geoparsing on an LGL- or GeoVirus-style XML corpus (acc@161 km, end-to-end recall/precision).

    --limit counts articles.
    """
    from sitrep.evaluate.geo import read_geo, score_geo

    try:
        shape, articles = read_geo(path)
    except (ValueError, SyntaxError) as err:
        raise click.ClickException(f"{path}: {err}") from err
    items = _take(articles, limit)
    report = _run(score_geo, items, config, "articles")
    _emit(report | {"format": shape, "file": path, "limit": limit or None}, as_json, f"geoparsing ({shape})")


@eval_group.command("articles")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--mismatches", is_flag=True,
              help="Add each article's missed gold events, unmatched predictions and wrong fields (JSON).")
@click.option("--part", type=click.Choice(["all", "tune", "check"]), default="all", show_default=True,
              help="Half of the articles, split by a hash of their id: tune on `tune`, report `check`.")
@_common
def eval_articles(path: str, mismatches: bool, part: str, as_json: bool, limit: int,
                  config: str | None) -> None:
    """Score long articles against their gold lists of reportable events (tests/eval/articles).

    Each article is read as `sitrep ingest` reads a JSONL item (title, text, published, url); only
    occurrence events (asserted, claimed, denied, planned) count. A prediction matches a gold event
    one-to-one on type family, place within 25 km or same admin1, and date within 2 days; reports
    event precision/recall/F1, events per article, per-field accuracy on matches and P/R per genre.
    --limit counts articles.
    """
    from functools import partial

    from sitrep.evaluate.articles import read_articles, score_articles
    from sitrep.evaluate.incidents import in_part

    try:
        items = _take((a for a in read_articles(path) if in_part(a.id, part)), limit)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    report = _run(partial(score_articles, mismatches=mismatches), items, config, "articles")
    report = report | {"file": path, "limit": limit or None, "part": part}
    _emit(report, as_json, "long-form articles")
    if not as_json:
        table = Table(title="per genre")
        for column in ("genre", "articles", "gold", "predicted", "precision", "recall", "f1"):
            table.add_column(column, justify="right")
        for genre, row in rounded(report)["per_genre"].items():
            table.add_row(genre, *(_fmt(row[k]) for k in ("articles", "support", "predicted", "precision",
                                                         "recall", "f1")))
        Console().print(table)


@eval_group.command("gva")
@click.argument("docs", type=click.Path(exists=True, dir_okay=False))
@click.argument("incidents", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0),
              help="Skip the first N articles (with --limit: score disjoint dev and held-out slices).")
@_common
def eval_gva(docs: str, incidents: str | None, offset: int, as_json: bool, limit: int, config: str | None) -> None:
    """Score each real news article's lead event against its Gun Violence Archive incident.

    DOCS is the articles JSONL; INCIDENTS the incidents CSV (default: X_incidents.csv beside
    X_docs.jsonl). The lead event is the article's most violent occurrence asserted or claimed (most
    killed, then injured, then PLOVER's severity of its type, then first in the text). Reports place within
    25 km, date, killed and injured exact, the always-0 baseline, and events per article.
    --limit and --offset count articles in file order.
    """
    from itertools import islice

    from sitrep.evaluate.gva import incidents_path, read_gva_articles, read_gva_incidents, score_gva

    try:
        gold = read_gva_incidents(incidents or incidents_path(docs))
        items = list(islice(read_gva_articles(docs), offset, offset + limit if limit else None))
    except (ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    report = _run(lambda pipeline, articles, on_item: score_gva(pipeline, articles, gold, on_item=on_item),
                  items, config, "articles")
    _emit(report | {"file": docs, "limit": limit or None, "offset": offset}, as_json, "GVA lead events")


@eval_group.command("incidents")
@click.argument("docs", type=click.Path(exists=True, dir_okay=False))
@click.argument("incidents", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--part", type=click.Choice(["all", "tune", "check"]), default="all", show_default=True,
              help="Half of the gold incidents, split by a hash of their id: tune on `tune`, report `check`.")
@_common
def eval_incidents(docs: str, incidents: str | None, part: str, as_json: bool, limit: int,
                   config: str | None) -> None:
    """Score incident resolution on documents labelled with their incident (the gva shape).

    DOCS is a JSONL with an `incident` field per line; INCIDENTS the gold CSV (default: X_incidents.csv
    beside X_docs.jsonl or X_reports.jsonl). Reports B-cubed and pairwise P/R/F1, predicted vs gold
    incident count, killed, injured, date exact and place within 25 km on matched incidents, and the
    each-alone and one-a-day baselines. A document counts in the incident holding its lead occurrence.
    """
    from sitrep.evaluate.gva import read_gva_articles, read_gva_incidents
    from sitrep.evaluate.incidents import gold_path, in_part, score_incidents

    try:
        gold = read_gva_incidents(incidents or gold_path(docs))
        items = _take((a for a in read_gva_articles(docs) if in_part(a.incident, part)), limit)
    except (ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    report = _run(lambda pipeline, articles, on_item: score_incidents(pipeline, articles, gold, on_item=on_item),
                  items, config, "documents")
    _emit(report | {"file": docs, "limit": limit or None, "part": part}, as_json, "Incidents")
    if not as_json:
        _print_incidents(rounded(report))


def _print_incidents(report: dict[str, Any]) -> None:
    """Clustering for sitrep beside the baselines, then the matched-incident fields with their support."""
    table = Table(title="incident clustering (documents)")
    for column in ("system", "B3 P", "B3 R", "B3 F1", "pairwise F1", "incidents / gold"):
        table.add_column(column, justify="left" if column == "system" else "right")
    rows = {"sitrep": report, **report.get("baselines", {})}
    for name, row in rows.items():
        b3 = row["bcubed"]
        table.add_row(name, _fmt(b3["precision"]), _fmt(b3["recall"]), _fmt(b3["f1"]), _fmt(row["pairwise"]["f1"]),
                      f"{row['incidents_predicted']} / {row['incidents_gold']}")
    matched = report.get("matched", {})
    fields = Table(title=f"matched incidents ({matched.get('matched')})")
    for column in ("field", "exact / within 25 km", "scored", "no-figures baseline"):
        fields.add_column(column, justify="left" if column == "field" else "right")
    zero = report.get("baselines", {}).get("each_alone", {}).get("figures", {})
    for field in ("killed", "injured", "date", "place"):
        fields.add_row(field, _fmt(matched.get(field)), str(matched.get("support", {}).get(field, "")),
                       _fmt(zero.get(field)) if field in zero else "")
    console = Console()
    console.print(table)
    console.print(fields)


@eval_group.command("muc4")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", default=None,
              help="Only documents of this GTT split (train, dev, test): tune on train, report dev.")
@_common
def eval_muc4(path: str, split: str | None, as_json: bool, limit: int, config: str | None) -> None:
    """Score MUC-4 wire reports against their answer-key templates (../shared/data/muc4 README).

    Each document goes in with its published date; only relevant events count (occurrences,
    asserted or claimed, violent types). Reports detection P/R/F1, role fillers (strict and
    relaxed F1, micro over PerpInd, PerpOrg, Target, Victim, Weapon), incident type and killed on
    single-template documents, events per document, and a keyword baseline beside each.
    --limit counts documents in file order (after --split).
    """
    from sitrep.evaluate.muc4 import read_muc4, score_muc4

    try:
        items = _take((d for d in read_muc4(path) if split is None or d.split == split), limit)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    report = _run(score_muc4, items, config, "documents")
    _emit(report | {"file": path, "split": split, "limit": limit or None}, as_json, "MUC-4 templates",
          confusion_title="incident type")
    if not as_json:
        _print_muc4_roles(rounded(report))


def _print_muc4_roles(report: dict[str, Any]) -> None:
    """Per-role strict/relaxed F1 for us beside the keyword baseline, then the headline figures side by side."""
    table = Table(title="role fillers (ours | keyword baseline)")
    for column in ("role", "gold", "predicted", "strict P", "strict R", "strict F1", "relaxed F1", "baseline F1"):
        table.add_column(column, justify="right")
    base = report["baseline"]["per_role"]
    for role, row in report["per_role"].items():
        table.add_row(role, str(row["gold"]), str(row["predicted"]),
                      *(_fmt(row[k]) for k in ("strict_precision", "strict_recall", "strict_f1", "relaxed_f1")),
                      _fmt(base[role]["strict_f1"]))
    console = Console()
    console.print(table)
    side = Table(title="ours vs keyword baseline")
    for column in ("measure", "ours", "baseline"):
        side.add_column(column, justify="right")
    for key, value in report["baseline"].items():
        if not isinstance(value, dict):
            side.add_row(key, _fmt(report.get(key)), _fmt(value))
    console.print(side)


# -- plumbing ------------------------------------------------------------------------------
def _take(items: Iterable[Any], limit: int) -> list[Any]:
    return list(islice(items, limit) if limit else items)


def _run(scorer: Callable[..., dict[str, Any]], items: list[Any], config: str | None,
         unit: str) -> dict[str, Any]:
    from sitrep.pipeline import load

    if not items:
        raise click.ClickException(f"no {unit} to score in the file")
    pipeline = load(config)
    console = Console(stderr=True)
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(f"scoring {unit}", total=len(items))
        return scorer(pipeline, items, on_item=lambda: progress.advance(task))


def _emit(report: dict[str, Any], as_json: bool, title: str, *, confusion_title: str | None = None) -> None:
    report = rounded(report)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    console = Console()
    table = Table(title=f"sitrep eval: {title} ({Path(str(report.get('file'))).name})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("scored", justify="right")
    support = report.get("support") or {}
    for key, value in report.items():
        if isinstance(value, dict | list) or key in ("file", "limit", "format"):
            continue
        field = next((f for f in support if key.startswith(f)), None)
        table.add_row(key, _fmt(value), str(support[field]) if field else "")
    console.print(table)
    if "per_class" in report:
        _print_per_class(console, report["per_class"])
    if report.get("confusion"):
        _print_confusion(console, report["confusion"], confusion_title or "label")


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _print_per_class(console: Console, per_class: dict[str, dict[str, Any]]) -> None:
    table = Table(title="per class")
    for column in ("class", "precision", "recall", "f1", "support"):
        table.add_column(column, justify="right")
    for label, scores in per_class.items():
        table.add_row(label, *(_fmt(scores[k]) for k in ("precision", "recall", "f1", "support")))
    console.print(table)


def _print_confusion(console: Console, matrix: dict[str, dict[str, int]], what: str) -> None:
    predicted = sorted({p for row in matrix.values() for p in row})
    table = Table(title=f"confusion: {what} (rows gold, columns predicted)")
    table.add_column("gold \\ predicted")
    for label in predicted:
        table.add_column(_short(label), justify="right")
    for gold, row in matrix.items():
        table.add_row(gold, *(str(row.get(p, "")) for p in predicted))
    console.print(table)


def _short(label: str) -> str:
    """Column heads short enough to fit: "Explosions/Remote violence" -> "ERV", as ACLED users abbreviate."""
    words = [w for w in label.replace("/", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words) if len(label) > 12 and len(words) > 1 else label
