"""ACLED scores per region (or country): the overall figures of `score_acled`, one block per group.

A figure over the whole file hides where the rules fail: the world file's event-type accuracy is
carried by the regions the rules were tuned on. Scoring each region apart, and naming the worst,
is how a rule tuned on some regions is checked on the others (issue 12, "honest development
discipline"). The pipeline runs once; the same (row, records) pairs are scored overall and per group.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sitrep.evaluate.acled import AcledRow, predict_rows, score_pairs
from sitrep.evaluate.metrics import fold

NO_GROUP = "(none)"  # rows whose export leaves the grouping column empty
# The figures a region block shows and the worst region is named on (higher is better for each).
MEASURES: tuple[str, ...] = (
    "event_type_accuracy", "sub_event_type_weighted_f1", "actor1_type_accuracy", "admin1_accuracy",
    "location_within_25km", "fatalities_exact", "date_exact",
)
GROUP_KEYS = ("region", "country")
MIN_ROWS = 20  # a region with fewer scored rows is reported but not named worst: 3 rows are no finding


def group_of(row: AcledRow, by: str) -> str:
    """The row's region or country as the export writes it, NO_GROUP when blank."""
    if by not in GROUP_KEYS:
        raise ValueError(f"cannot group by {by!r}: one of {', '.join(GROUP_KEYS)}")
    return getattr(row, by) or NO_GROUP


def select_rows(rows: Iterable[AcledRow], *, by: str = "region", include: Sequence[str] = (),
                exclude: Sequence[str] = ()) -> list[AcledRow]:
    """The rows whose group is in `include` (all when empty) and not in `exclude`; names compare folded.

    A name that matches no row is an error (a typo would otherwise score an empty or a whole file).
    """
    rows = list(rows)
    present = {fold(group_of(r, by)) for r in rows}
    unknown = [name for name in [*include, *exclude] if fold(name) not in present]
    if unknown:
        names = sorted({group_of(r, by) for r in rows})
        raise ValueError(f"no rows with {by} {', '.join(map(repr, unknown))}; the file has: {', '.join(names)}")
    wanted = {fold(n) for n in include}
    dropped = {fold(n) for n in exclude}
    return [r for r in rows if (not wanted or fold(group_of(r, by)) in wanted)
            and fold(group_of(r, by)) not in dropped]


def score_grouped(pairs: Iterable[tuple[AcledRow, list[dict[str, Any]]]], *, by: str = "region",
                  min_rows: int = MIN_ROWS, on_item: Callable[[], None] | None = None) -> dict[str, Any]:
    """The overall report, `by_<group>` with one report per group (largest first), and `worst`.

    `worst` names, for each of MEASURES, the group with the lowest figure among groups with at least
    `min_rows` rows scored on that measure (None when no group qualifies).
    """
    groups: dict[str, list[tuple[AcledRow, list[dict[str, Any]]]]] = {}
    every: list[tuple[AcledRow, list[dict[str, Any]]]] = []
    for row, records in pairs:
        groups.setdefault(group_of(row, by), []).append((row, records))
        every.append((row, records))
        if on_item:
            on_item()
    report = score_pairs(every)
    per_group = {name: _without_bulk(score_pairs(items))
                 for name, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))}
    return report | {"by": by, f"by_{by}": per_group, "worst": worst_groups(per_group, min_rows=min_rows),
                     "min_rows": min_rows}


def worst_groups(per_group: dict[str, dict[str, Any]], *, min_rows: int = MIN_ROWS) -> dict[str, Any]:
    """{measure: {group, value, n} or None}: the lowest figure among groups with enough scored rows."""
    worst: dict[str, Any] = {}
    for measure in MEASURES:
        field = _support_field(measure)
        scored = [(report[measure], name, report["support"].get(field, report["n"]))
                  for name, report in per_group.items()
                  if report.get(measure) is not None and report["support"].get(field, report["n"]) >= min_rows]
        if not scored:
            worst[measure] = None
            continue
        value, name, n = min(scored, key=lambda t: (t[0], t[1]))
        worst[measure] = {"group": name, "value": value, "n": n}
    return worst


def score_acled_grouped(pipeline: Any, rows: Iterable[AcledRow], *, by: str = "region", min_rows: int = MIN_ROWS,
                        on_item: Callable[[], None] | None = None, batch_size: int = 64) -> dict[str, Any]:
    """Run the pipeline once over the rows and score them overall and per group."""
    started = time.perf_counter()
    report = score_grouped(predict_rows(pipeline, rows, batch_size=batch_size), by=by, min_rows=min_rows,
                           on_item=on_item)
    return report | {"seconds": time.perf_counter() - started}


def _support_field(measure: str) -> str:
    """The `support` key counting the rows a measure is computed over."""
    for field in ("sub_event_type", "event_type", "actor1_type", "admin1", "location", "fatalities", "date"):
        if measure.startswith(field):
            return field
    raise KeyError(measure)


def _without_bulk(report: dict[str, Any]) -> dict[str, Any]:
    """A group's block without the per-run timing (the pipeline ran once for all groups)."""
    return {k: v for k, v in report.items() if k != "seconds"}
