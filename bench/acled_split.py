"""ACLED quality by a fixed region split: tune on some regions, report the others beside them.

Issue 12 asks that the ACLED coder be developed on some regions and judged on regions it was not
tuned on (the hidden check is a region we do not have). This script fixes the split once, so every
figure in bench/RESULTS.md names the same parts:

- tune: Europe, Southern Asia, South America, Central America, Caribbean, Northern Africa, Southern
  Africa, Eastern Africa (the world file's rows of these regions, and the Kenya file, sampled);
- held out: Western Africa, Middle Africa, South-Eastern Asia, Caucasus and Central Asia (the world
  file's rows, and the Afghanistan file, whose conflict mix is closest to the missing Middle East).

    python bench/acled_split.py --part tune --dump /tmp/acled_tune.jsonl      # run and keep the records
    python bench/acled_split.py --from /tmp/acled_tune.jsonl                  # re-score a kept run
    python bench/acled_split.py --part held_out --json                        # the held-out figures

The data directory is ../shared/data (or $SITREP_SHARED_DATA); nothing of it is copied: a dump holds
the pipeline's records with the file name and line of each row, and lives wherever --dump says.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sitrep.evaluate.acled import AcledRow, read_acled, score_pairs
from sitrep.evaluate.batches import run_batches

TUNE = ("Europe", "Southern Asia", "South America", "Central America", "Caribbean", "Northern Africa",
        "Southern Africa", "Eastern Africa")
HELD_OUT = ("Western Africa", "Middle Africa", "South-Eastern Asia", "Caucasus and Central Asia")
WORLD = "acled/acled_2020_world_except_middle_east.csv"
KENYA = "acled/acled_kenya_1997_2019.csv"
AFGHANISTAN = "acled/acled_afghanistan_2020.csv"
SHORT = {WORLD: "world", KENYA: "Kenya", AFGHANISTAN: "Afghanistan"}
SHOWN = ("n", "event_type_accuracy", "sub_event_type_weighted_f1", "actor1_type_accuracy", "location_within_25km",
         "location_within_25km_precision1",
         "admin1_accuracy", "fatalities_exact", "date_exact")


def data_dir() -> Path:
    """../shared/data beside the project, or $SITREP_SHARED_DATA."""
    env = os.environ.get("SITREP_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def part_rows(part: str, *, kenya_every: int = 5) -> Iterator[tuple[str, AcledRow]]:
    """(file, row) of the part, in file order; Kenya's 5,725 rows are sampled every `kenya_every`-th."""
    base = data_dir()
    regions = {"tune": TUNE, "held_out": HELD_OUT, "all": TUNE + HELD_OUT}[part]
    for row in read_acled(base / WORLD):
        if row.region in regions:
            yield WORLD, row
    if "Caucasus and Central Asia" in regions:
        for row in read_acled(base / AFGHANISTAN):
            yield AFGHANISTAN, row
    if "Eastern Africa" in regions and kenya_every:
        for i, row in enumerate(read_acled(base / KENYA)):
            if i % kenya_every == 0:
                yield KENYA, row


def part_of(row: AcledRow) -> str:
    return "tune" if row.region in TUNE else "held_out" if row.region in HELD_OUT else "other"


def run(part: str, dump: str | None, kenya_every: int, limit: int) -> list[tuple[str, AcledRow, list[dict[str, Any]]]]:
    """Run the pipeline over the part's rows; write each row's records to `dump` as it goes."""
    from sitrep.pipeline import load

    pipeline = load(None)
    items = list(part_rows(part, kenya_every=kenya_every))
    if limit:
        items = items[:limit]
    out = open(dump, "w", encoding="utf-8") if dump else None  # noqa: SIM115 - closed below
    done: list[tuple[str, AcledRow, list[dict[str, Any]]]] = []
    started = time.perf_counter()
    try:
        for (name, row), records in run_batches(pipeline, items, lambda it: (it[1].text, it[1].published),
                                               batch_size=32):
            done.append((name, row, records))
            if out:
                out.write(json.dumps({"file": name, "line": row.line, "records": records}, default=str) + "\n")
            if len(done) % 200 == 0:
                print(f"{len(done)}/{len(items)} rows, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    finally:
        if out:
            out.close()
    return done


def load_dump(path: str) -> list[tuple[str, AcledRow, list[dict[str, Any]]]]:
    """A kept run, each record list paired again with its row read from the data file."""
    rows: dict[tuple[str, int], AcledRow] = {}
    with open(path, encoding="utf-8") as fh:
        kept = [json.loads(line) for line in fh]
    for name in {k["file"] for k in kept}:
        rows |= {(name, r.line): r for r in read_acled(data_dir() / name)}
    return [(k["file"], rows[(k["file"], k["line"])], k["records"]) for k in kept]


def report(done: list[tuple[str, AcledRow, list[dict[str, Any]]]]) -> dict[str, Any]:
    """Scores per part (tune / held out), per region and per file."""
    groups: dict[str, dict[str, list[tuple[AcledRow, list[dict[str, Any]]]]]] = {"part": {}, "region": {}, "file": {}}
    for name, row, records in done:
        for key, value in (("part", part_of(row)), ("region", f"{row.region} ({SHORT[name]})"),
                           ("file", Path(name).stem)):
            groups[key].setdefault(value, []).append((row, records))
    return {key: {value: {m: score_pairs(items)[m] for m in SHOWN} for value, items in sorted(by.items())}
            for key, by in groups.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("tune", "held_out", "all"), default="all")
    parser.add_argument("--dump", help="write each row's records here (JSON Lines)")
    parser.add_argument("--from", dest="source", help="re-score a dump instead of running the pipeline")
    parser.add_argument("--kenya-every", type=int, default=5, help="sample the Kenya file (0 = leave it out)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    done = load_dump(args.source) if args.source else run(args.part, args.dump, args.kenya_every, args.limit)
    result = report(done)
    if args.json:
        print(json.dumps(result))
        return
    for key, by in result.items():
        print(f"\n== by {key}")
        print(f"{'':42}" + "".join(f"{m[:10]:>11}" for m in SHOWN))
        for value, scores in by.items():
            cells = "".join(f"{scores[m]:>11.3f}" if isinstance(scores[m], float) else f"{scores[m]!s:>11}"
                            for m in SHOWN)
            print(f"{value[:42]:42}{cells}")


if __name__ == "__main__":
    main()
