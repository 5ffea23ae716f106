"""Export benchmark (issue 17): `sitrep export` of a million incidents to Parquet, ACLED CSV and flat
CSV, with wall time, CPU time and peak RSS of the export process.

The store: synthetic reports (bench/synth.py) resolved into incidents by the store's own resolver,
then those incidents copied in SQL until the store holds --incidents of them (each copy with its
own id, in its record too), since resolving a million mentions is the incidents bench's job, not
this one's. The file is kept (--db) and reused when it already holds enough incidents.

Each export runs as its own `sitrep export` process (the command users run), measured with
os.wait4 (ru_maxrss: the process's peak resident set). Targets: Parquet < 60 s, CSV < 90 s, RSS < 1 GB.

The store is built, and counted, in child processes (`--build-only`): Linux carries a process's
RSS high-water mark over exec, so a child forked from a bench that had just built a 1M store in
DuckDB reported the builder's 1.9 GB as its own peak. This process itself never opens DuckDB, and
it prints its own RSS, the floor every export's figure includes.

    .venv/bin/python bench/export_bench.py --incidents 1000000 --db /tmp/export-bench.duckdb
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import build_store  # noqa: E402

from sitrep.store import open_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SITREP = ROOT / ".venv" / "bin" / "sitrep"


def incident_count(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM incidents").fetchone()[0]


def ensure_store(db: Path, incidents: int, base_mentions: int) -> int:
    """Build the store if it holds fewer than `incidents` incidents, in a child process (see the
    module docstring: the child's memory stays its own); the store's incident count."""
    command = [sys.executable, __file__, "--build-only", "--db", str(db), "--incidents", str(incidents),
               "--base-mentions", str(base_mentions)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(line, flush=True)
    return int(lines[-1])


def own_rss_mb() -> float:
    """This process's current resident set (VmRSS), MB: what a forked child starts from."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build(db: Path, incidents: int, base_mentions: int) -> None:
    """A store of `incidents` incidents: `base_mentions` synthetic reports resolved, then copied."""
    started = time.monotonic()
    build_store(db, base_mentions)
    with open_store(db) as store:
        store.resolve_incidents()
    with duckdb.connect(str(db)) as con:
        base = con.execute("SELECT count(*) FROM incidents").fetchone()[0]
        copies = -(-incidents // base) - 1
        if copies > 0:
            con.execute(
                "INSERT INTO incidents SELECT i.* REPLACE (i.id || '-c' || k AS id, "
                "json_merge_patch(i.record, json_object('id', i.id || '-c' || k)) AS record) "
                "FROM incidents i, range(1, ?) t(k)", [copies + 1])
        extra = con.execute("SELECT count(*) FROM incidents").fetchone()[0] - incidents
        if extra > 0:
            con.execute("DELETE FROM incidents WHERE id IN (SELECT id FROM incidents ORDER BY id DESC LIMIT ?)",
                        [extra])
        con.execute("CHECKPOINT")
    print(f"built {incident_count(db)} incidents ({base} resolved from {base_mentions} reports, then copied) "
          f"in {time.monotonic() - started:.0f} s", flush=True)


def export(db: Path, fmt: str, out: Path) -> dict[str, float]:
    """Run `sitrep export --format fmt`; its wall and CPU seconds and peak RSS in MB."""
    started = time.monotonic()
    proc = subprocess.Popen([str(SITREP), "export", "--db", str(db), "--format", fmt, "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        detail = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"sitrep export --format {fmt} failed: {detail}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "size_mb": out.stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--base-mentions", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/export-bench.duckdb"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/export-bench-out"))
    parser.add_argument("--formats", default="parquet,csv,acled")
    parser.add_argument("--build-only", action="store_true",
                        help="build the store if needed, print its incident count and stop (the child's job)")
    args = parser.parse_args()
    if args.build_only:
        if not args.db.exists() or incident_count(args.db) < args.incidents:
            build(args.db, args.incidents, args.base_mentions)
        print(incident_count(args.db))
        return
    count = ensure_store(args.db, args.incidents, args.base_mentions)
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores, shared); this process's RSS "
          f"{own_rss_mb():.0f} MB (a floor under each export's peak)")
    for fmt in args.formats.split(","):
        result = export(args.db, fmt, args.out / f"incidents.{fmt}")
        print(f"{fmt:8s} {count} incidents: {result['wall_s']:.1f} s wall, "
              f"{result['cpu_s']:.1f} s CPU, peak RSS {result['rss_mb']:.0f} MB, file {result['size_mb']:.0f} MB",
              flush=True)


if __name__ == "__main__":
    main()
