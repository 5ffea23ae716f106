"""PostgreSQL beside DuckDB (issue 15): API latency on the same synthetic store, and concurrent ingest.

1. API: the 1M-event DuckDB store of bench/api_bench.py (built once in bench/out/), copied into a
   throwaway PostgreSQL cluster (tests/pgcluster.py) with `sitrep store copy`'s code and ANALYZEd;
   then the same requests against a real server over each (api_bench.measure), side by side.
2. Store writers: synthetic documents (bench/synth.py, no NLP) written by 1 and then 4 processes
   at once, each a disjoint share, in batches as `sitrep ingest` writes them (add_ingested, then
   incident resolution of the batch's new records): what the store's own locking and triggers
   cost under concurrency, apart from the parsing that dominates a real ingest.
3. Ingest: N articles read from a JSONL file (default the GVA development articles, which stay
   outside the project and are only read), ingested into PostgreSQL by one `sitrep ingest` process,
   then by 4 processes at once on disjoint quarters, each into a fresh database; documents per
   second of wall time, errors, and the duplicate count (stored documents minus distinct ids).

The cluster runs with fsync off (a benchmark's throwaway server): commit latency is not measured.

    .venv/bin/python bench/store_bench.py [--events 1000000] [--repeat 40] [--articles 240] [--skip-api]
        [--writer-documents 2000] [--skip-writers] [--skip-ingest]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from api_bench import measure  # noqa: E402
from synth import build_store  # noqa: E402

from pgcluster import start_cluster  # noqa: E402
from sitrep.store import open_store  # noqa: E402
from sitrep.store.copy import copy_store  # noqa: E402

GVA = Path("/work/shared/data/gva/gva_dev_docs.jsonl")
SETTINGS = "-c shared_buffers=1GB -c work_mem=64MB -c effective_cache_size=4GB"


def api(events: int, repeat: int, cluster: object, pg_url: str | None = None) -> None:
    db = HERE / "out" / f"api-{events}.duckdb"
    if not db.exists():
        print(f"building {db} ...", file=sys.stderr)
        build_store(db, events)
    with open_store(str(db)):
        pass  # brings a store built by an older sitrep to this one's migrations (the server reads only)
    if pg_url:  # a copy made earlier (migrated to this sitrep when opened below)
        url = pg_url
    else:
        url = cluster.create_database(prefix="api")  # type: ignore[attr-defined]
        start = time.perf_counter()
        copy_store(str(db), url, batch_size=20000)
        print(f"copied {events:,} events DuckDB -> PostgreSQL in {time.perf_counter() - start:.0f} s",
              file=sys.stderr)
    with open_store(url) as store:
        store._conn.execute("VACUUM ANALYZE")  # type: ignore[attr-defined]
    loads = [os.getloadavg()[0]]
    duck = measure(db, repeat, events)
    loads.append(os.getloadavg()[0])
    pg = measure(url, repeat, events)
    loads.append(os.getloadavg()[0])
    print(f"\n{events:,} synthetic events; {platform.machine()}, {os.cpu_count()} cores, load "
          f"{loads[0]:.1f} before DuckDB, {loads[1]:.1f} before PostgreSQL, {loads[2]:.1f} after; {repeat} timed "
          f"requests per row after 3 warm-ups; PostgreSQL {SETTINGS}.\n")
    print("| query | DuckDB median ms | DuckDB p95 ms | PostgreSQL median ms | PostgreSQL p95 ms | rows |")
    print("|---|---:|---:|---:|---:|---:|")
    for (label, m1, p1, n1), (_, m2, p2, n2) in zip(duck, pg, strict=True):
        print(f"| {label} | {m1:.1f} | {p1:.1f} | {m2:.1f} | {p2:.1f} | {n1}{'' if n1 == n2 else f' vs {n2}'} |")


# One writer process: documents [start, stop) of the synthetic sequence, BATCH at a time.
_WRITER = """
import sys
sys.path.insert(0, {bench!r})
from synth import synth_events
from sitrep.store import open_store
url, start, stop, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
pairs = [p for i, p in enumerate(synth_events(stop * 8)) if start <= i < stop]
with open_store(url) as store:
    run = store.begin_run("bench")
    for i in range(0, len(pairs), batch):
        items = [{{"document": d, "events": e}} for d, e in pairs[i:i + batch]]
        added, _ = store.add_ingested(items, [], run_id=run)
        if added:
            store.resolve_incidents([r for _, e in pairs[i:i + batch] for r in e])
    store.finish_run(run, documents=len(pairs), events=0, rejected=0)
    print("plans", getattr(store, "plans_kept", 0), getattr(store, "plans_redone", 0))
"""


def store_writers(documents: int, cluster: object, batch: int = 16) -> None:
    """Synthetic documents by 1 and by 4 writer processes (see module docstring, part 2)."""
    results = {}
    for label, writers in (("1 process", 1), ("4 processes", 4)):
        url = cluster.create_database(prefix="writers")  # type: ignore[attr-defined]
        with open_store(url):
            pass  # migrated before timing
        load = os.getloadavg()[0]
        start = time.perf_counter()
        share = -(-documents // writers)
        procs = [subprocess.Popen([sys.executable, "-c", _WRITER.format(bench=str(HERE)), url, str(i * share),
                                   str(min(documents, (i + 1) * share)), str(batch)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for i in range(writers)]
        outs = [p.communicate(timeout=7200)[0] for p in procs]
        wall = time.perf_counter() - start
        errors = sum(p.returncode != 0 for p in procs)
        if errors:
            print("\n".join(o[-2000:] for o in outs), file=sys.stderr)
        plans = [line.split()[1:] for o in outs for line in o.splitlines() if line.startswith("plans ")]
        kept, redone = (sum(int(p[k]) for p in plans) for k in (0, 1))
        with open_store(url, read_only=True) as store:
            conn = store._conn  # type: ignore[attr-defined]
            docs, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone()
            events, distinct_events = conn.execute("SELECT count(*), count(DISTINCT id) FROM events").fetchone()
            incidents = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
        results[label] = {"wall_s": round(wall, 1), "documents": docs, "duplicates": docs - distinct
                          + events - distinct_events, "events": events, "incidents": incidents,
                          "errors": errors, "docs_per_s": round(docs / wall, 1),
                          "load": f"{load:.1f} -> {os.getloadavg()[0]:.1f}",
                          "plans": f"{kept} / {redone}"}
    print(f"\n{documents} synthetic documents (8 events each), batches of {batch}; {os.cpu_count()} cores\n")
    print("| writers | wall s | documents | duplicates | events | incidents | errors | docs/s | load before -> after "
          "| block plans kept / redone in the lock |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for label, r in results.items():
        print(f"| {label} | {r['wall_s']} | {r['documents']} | {r['duplicates']} | {r['events']} | "
              f"{r['incidents']} | {r['errors']} | {r['docs_per_s']} | {r['load']} | {r['plans']} |")
    one, four = results["1 process"], results["4 processes"]
    print(f"\nspeed-up 4 vs 1: {four['docs_per_s'] / one['docs_per_s']:.2f}x")


def _ingest(files: list[Path], url: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "SITREP_PARSE_CACHE"}  # parse every article
    return subprocess.Popen([sys.executable, "-m", "sitrep.cli", "ingest", *map(str, files), "--db", url,
                             "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)


def ingest(articles: int, source: Path, cluster: object) -> None:
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()][:articles]
    folder = Path(tempfile.mkdtemp(prefix="sitrep-ingest-bench-"))  # outside the project
    parts = []
    for i in range(4):
        part = folder / f"part{i}.jsonl"
        part.write_text("\n".join(lines[i::4]) + "\n", encoding="utf-8")
        parts.append(part)
    results = {}
    for label, shares in (("1 process", [parts]), ("4 processes", [[p] for p in parts])):
        url = cluster.create_database(prefix="ingest")  # type: ignore[attr-defined]
        with open_store(url):
            pass  # migrate first: both runs time ingest only
        start = time.perf_counter()
        procs = [_ingest(share, url) for share in shares]
        outs = [p.communicate(timeout=7200)[0] for p in procs]
        wall = time.perf_counter() - start
        errors = sum(p.returncode not in (0, 1) for p in procs)
        with open_store(url, read_only=True) as store:
            conn = store._conn  # type: ignore[attr-defined]
            docs, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone()
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            incidents = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
        results[label] = {"wall_s": round(wall, 1), "documents": docs, "duplicates": docs - distinct,
                          "events": events, "incidents": incidents, "errors": errors,
                          "docs_per_s": round(docs / wall, 2)}
        if errors:
            print("\n".join(o[-2000:] for o in outs), file=sys.stderr)
    one, four = results["1 process"], results["4 processes"]
    print(f"\n{len(lines)} articles of {source.name}; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")
    print("| writers | wall s | documents | duplicates | events | incidents | errors | documents/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, r in results.items():
        print(f"| {label} | {r['wall_s']} | {r['documents']} | {r['duplicates']} | {r['events']} | "
              f"{r['incidents']} | {r['errors']} | {r['docs_per_s']} |")
    print(f"\nspeed-up 4 vs 1: {four['docs_per_s'] / one['docs_per_s']:.2f}x")
    print(json.dumps(results), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--source", type=Path, default=GVA, help="JSONL articles for the ingest part")
    parser.add_argument("--writer-documents", type=int, default=2000)
    parser.add_argument("--pg-url", help="an existing PostgreSQL copy of the API store (skips the copy)")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--skip-writers", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args()
    cluster = start_cluster(SETTINGS)
    try:
        if not args.skip_api:
            api(args.events, args.repeat, cluster, args.pg_url)
        if not args.skip_writers:
            store_writers(args.writer_documents, cluster)
        if not args.skip_ingest:
            if not args.source.exists():
                raise SystemExit(f"no {args.source}: pass --source FILE.jsonl")
            ingest(args.articles, args.source, cluster)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
