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

The store is built, grown and sized up in a child process (`--prepare-only`), and the fresh
`sitrep brief` processes run before this process imports the renderers: Linux carries a process's
RSS high-water mark over exec, so a child forked after the build reported the builder's 1.7 GB as
its own peak.

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
from export_bench import build, incident_count, own_rss_mb  # noqa: E402

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


def prepare(db: Path, incidents: int, events: int, base_mentions: int) -> str:
    """Build and grow the store (the child's job); one line: country, first, last, n, incidents, events."""
    from sitrep.store import open_store

    if not db.exists() or incident_count(db) < incidents:
        build(db, incidents, base_mentions)
    with open_store(db):  # applies any migration added since the file was built
        pass
    grown = grow_events(db, events)
    country, first, last, n = busiest_month(db)
    return f"{country} {first} {last} {n} {incident_count(db)} {grown}"


def fresh_processes(db: Path, country: str, first: date, last: date, tmp: Path) -> None:
    """`sitrep brief` per format as its own process: the wall time a user at the command line waits."""
    for fmt in ("md", "html", "pdf"):
        out = tmp / f"brief.{fmt}"
        started = time.perf_counter()
        proc = subprocess.Popen([str(SITREP), "brief", "--db", str(db), "--country", country, "--from",
                                 first.isoformat(), "--to", last.isoformat(), "--format", fmt, "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"sitrep brief --format {fmt} failed")
        print(f"sitrep brief --format {fmt:4s} (fresh process): {time.perf_counter() - started:.2f} s wall, "
              f"{usage.ru_utime + usage.ru_stime:.2f} s CPU, peak RSS {usage.ru_maxrss / 1024:.0f} MB", flush=True)


def in_process(db: Path, country: str, first: date, last: date, repeat: int, tmp: Path) -> None:
    """compose and each renderer in this process, `repeat` times (a server's /brief)."""
    from sitrep.brief import Scope, compose
    from sitrep.brief.render_html import render_html
    from sitrep.brief.render_md import render_md
    from sitrep.brief.render_pdf import render_pdf
    from sitrep.store import open_store

    with open_store(db, read_only=True) as store:
        scope = Scope("country", country)
        brief = compose(store, scope, first, last)
        steps = {
            "compose (queries)": lambda: compose(store, scope, first, last),
            "markdown + 2 PNGs": lambda: render_md(brief, base_url=BASE_URL, out=tmp / "b.md"),
            "html (images inline)": lambda: render_html(brief, base_url=BASE_URL),
            "pdf": lambda: render_pdf(brief, base_url=BASE_URL),
        }
        for name, fn in steps.items():
            runs = timed(fn, repeat)
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            print(f"{name:22s} first {runs[0][0]:.2f} s wall ({runs[0][1]:.2f} CPU), median {wall:.2f} s wall "
                  f"({cpu:.2f} CPU)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--base-mentions", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/brief-bench.duckdb"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--prepare-only", action="store_true",
                        help="build and grow the store, print the brief's scope and stop (the child's job)")
    args = parser.parse_args()
    if args.prepare_only:
        print(prepare(args.db, args.incidents, args.events, args.base_mentions))
        return
    done = subprocess.run([sys.executable, __file__, "--prepare-only", "--db", str(args.db), "--incidents",
                           str(args.incidents), "--events", str(args.events), "--base-mentions",
                           str(args.base_mentions)], check=True, stdout=subprocess.PIPE, text=True)
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    country, first_s, last_s, n, incidents, events = lines[-1].split()
    first, last = date.fromisoformat(first_s), date.fromisoformat(last_s)
    print(f"store: {incidents} incidents, {events} events; brief: {country} {first} to {last} ({n} incidents); "
          f"load average {os.getloadavg()[0]:.1f} (2 cores, shared); this process's RSS {own_rss_mb():.0f} MB",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        fresh_processes(args.db, country, first, last, Path(tmp))
        in_process(args.db, country, first, last, args.repeat, Path(tmp))


if __name__ == "__main__":
    main()
