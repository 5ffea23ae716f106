"""Situation brief benchmark (issue 17 target): a brief for one country and one month renders in
under 5 s on a store of a million events.

The store is export_bench's (synthetic reports from bench/synth.py resolved by the store's own
resolver, the incidents then copied in SQL up to --incidents), with its events table copied in
SQL as well up to --events (each copy its own id), so both tables hold a million rows; the file is
kept (--db) and reused. The brief is for the country and calendar month with the most incidents.

Timed: the brief's queries (`compose`) and each renderer, in this process, `--repeat` times (the
first run pays matplotlib's and WeasyPrint's imports and font loading; the median is the steady
state a server's /brief sees); then `sitrep brief` as a fresh process per format, the wall time a
user at the command line waits (Python and library start-up included).

    .venv/bin/python bench/brief_bench.py --db /tmp/brief-bench.duckdb [--incidents 1000000 --events 1000000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_bench import build, incident_count  # noqa: E402

from sitrep.brief import Scope, compose  # noqa: E402
from sitrep.brief.render_html import render_html  # noqa: E402
from sitrep.brief.render_md import render_md  # noqa: E402
from sitrep.brief.render_pdf import render_pdf  # noqa: E402
from sitrep.store import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SITREP = ROOT / ".venv" / "bin" / "sitrep"
BASE_URL = "http://127.0.0.1:8000"


def grow_events(db: Path, events: int) -> int:
    """Copy event rows in SQL (new ids) until the events table holds `events`; returns the count."""
    with duckdb.connect(str(db)) as con:
        have = con.execute("SELECT count(*) FROM events").fetchone()[0]
        if have < events:
            copies = -(-events // have)
            con.execute("INSERT INTO events SELECT e.* REPLACE (e.id || '-c' || k AS id) "
                        "FROM events e, range(1, ?) t(k)", [copies])
            extra = con.execute("SELECT count(*) FROM events").fetchone()[0] - events
            if extra > 0:
                con.execute("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id LIKE '%-c%' "
                            "ORDER BY id DESC LIMIT ?)", [extra])
            con.execute("CHECKPOINT")
        return con.execute("SELECT count(*) FROM events").fetchone()[0]


def busiest_month(db: Path) -> tuple[str, date, date, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        country, month, n = con.execute(
            "SELECT country, date_trunc('month', date) AS m, count(*) AS n FROM incidents "
            "WHERE country IS NOT NULL AND date IS NOT NULL GROUP BY 1, 2 ORDER BY n DESC LIMIT 1").fetchone()
    first = month.date() if isinstance(month, datetime) else month
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return country, first, last, n


def timed(fn: object, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run: on a shared 2-core machine the wall time mostly says how
    busy the others are; the CPU time is what the brief itself costs."""
    out = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - started, time.process_time() - cpu))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--base-mentions", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/brief-bench.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.db.exists() or incident_count(args.db) < args.incidents:
        build(args.db, args.incidents, args.base_mentions)
    with open_store(args.db):  # applies any migration added since the file was built
        pass
    events = grow_events(args.db, args.events)
    country, first, last, n = busiest_month(args.db)
    print(f"store: {incident_count(args.db)} incidents, {events} events; brief: {country} {first} to {last} "
          f"({n} incidents); load average {os.getloadavg()[0]:.1f} (2 cores, shared)", flush=True)

    with open_store(args.db, read_only=True) as store, tempfile.TemporaryDirectory() as tmp:
        scope = Scope("country", country)
        brief = compose(store, scope, first, last)
        steps = {
            "compose (queries)": lambda: compose(store, scope, first, last),
            "markdown + 2 PNGs": lambda: render_md(brief, base_url=BASE_URL, out=Path(tmp) / "b.md"),
            "html (images inline)": lambda: render_html(brief, base_url=BASE_URL),
            "pdf": lambda: render_pdf(brief, base_url=BASE_URL),
        }
        for name, fn in steps.items():
            runs = timed(fn, args.repeat)
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            print(f"{name:22s} first {runs[0][0]:.2f} s wall ({runs[0][1]:.2f} CPU), median {wall:.2f} s wall "
                  f"({cpu:.2f} CPU)", flush=True)
        for fmt in ("md", "html", "pdf"):
            out = Path(tmp) / f"brief.{fmt}"
            started = time.perf_counter()
            proc = subprocess.Popen([str(SITREP), "brief", "--db", str(args.db), "--country", country, "--from",
                                     first.isoformat(), "--to", last.isoformat(), "--format", fmt, "-o", str(out)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError(f"sitrep brief --format {fmt} failed")
            print(f"sitrep brief --format {fmt:4s} (fresh process): {time.perf_counter() - started:.2f} s wall, "
                  f"{usage.ru_utime + usage.ru_stime:.2f} s CPU, peak RSS {usage.ru_maxrss / 1024:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
