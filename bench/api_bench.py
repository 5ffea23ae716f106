"""Speed of the HTTP API over one million synthetic events: median and 95th percentile per query.

Builds (once) a store of synthetic events in bench/out/ (bench/synth.py, through the real write
path), starts the real server (`python -m sitrep.web.server`) on a free loopback port, and times
requests from a client in this process, after a warm-up. Each query rotates over countries and
months so that no single answer is simply served again from a warm cache line. Prints Markdown
to paste into bench/RESULTS.md. Targets (issue 6): /api/events filtered by country and month under
100 ms median; aggregates under 300 ms median.

    .venv/bin/python bench/api_bench.py [--events 1000000] [--rebuild] [--repeat 40]
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import build_store  # noqa: E402

COUNTRIES = ("SYR", "IRQ", "YEM", "AFG", "UKR")
MONTHS = [(y, m) for y in (2016, 2018, 2021, 2023) for m in (2, 5, 8, 11)]


def month_range(year: int, month: int) -> tuple[str, str]:
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    return start.isoformat(), date.fromordinal(end.toordinal() - 1).isoformat()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/api/config", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start in 60 s")


def timed(client: httpx.Client, make_params: Callable[[int], dict], path: str, repeat: int) -> tuple[float, float, int]:
    """(median ms, p95 ms, rows of the last answer) over `repeat` requests after 3 warm-ups."""
    for i in range(3):
        client.get(path, params=make_params(i)).raise_for_status()
    times = []
    size = 0
    for i in range(repeat):
        params = make_params(i)
        start = time.perf_counter()
        response = client.get(path, params=params)
        response.raise_for_status()
        times.append((time.perf_counter() - start) * 1000)
        if "json" in response.headers["content-type"]:
            body = response.json()
            size = len(body.get("events") or body.get("features") or body.get("groups") or [])
        else:  # CSV: rows after the header
            size = response.text.count("\n") - 1
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], size


def measure(db: str | Path, repeat: int, events: int = 1_000_000) -> list[tuple[str, float, float, int]]:
    """(query, median ms, p95 ms, rows) of every case against a real server over store `db` (a DuckDB
    file or a PostgreSQL URL)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitrep.web.server", str(db), "--port", str(port), "--log-level", "warning"],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, float, float, int]] = []
    try:
        wait_up(url, proc)
        with httpx.Client(base_url=url, timeout=30) as client:
            def country_month(i: int, **extra: object) -> dict:
                start, end = month_range(*MONTHS[i % len(MONTHS)])
                return {"country": COUNTRIES[i % len(COUNTRIES)], "date_from": start, "date_to": end, **extra}

            def country_year(i: int, **extra: object) -> dict:
                year = MONTHS[i % len(MONTHS)][0]
                return {"country": COUNTRIES[i % len(COUNTRIES)], "date_from": f"{year}-01-01",
                        "date_to": f"{year}-12-31", **extra}

            cases: list[tuple[str, str, Callable[[int], dict]]] = [
                ("/api/events, country + month (100 per page, JSON)", "/api/events", country_month),
                ("/api/events, country + month, GeoJSON", "/api/events",
                 lambda i: country_month(i, format="geojson")),
                ("/api/events, country + month, CSV", "/api/events", lambda i: country_month(i, format="csv")),
                ("/api/events, country + month, next page by cursor", "/api/events", None),  # filled below
                ("/api/events, type + 50 km around Aleppo, newest first", "/api/events",
                 lambda i: {"type": "ASSAULT", "lat": 36.2012, "lon": 37.1612, "radius_km": 50}),
                ("/api/events, q = one place name, one year, newest first", "/api/events",
                 lambda i: {"q": ("Maiduguri", "Mosul", "Douma")[i % 3], "date_from": "2019-01-01",
                            "date_to": "2019-12-31"}),
                ("aggregates by day, country + year, with figures", "/api/aggregates/events",
                 lambda i: country_year(i, by="day")),
                ("aggregates by week, country + year, with figures", "/api/aggregates/events",
                 lambda i: country_year(i, by="week")),
                ("aggregates by type, country + month, with figures", "/api/aggregates/events",
                 lambda i: country_month(i, by="type")),
                ("aggregates by admin1, one country, all years, with figures", "/api/aggregates/events",
                 lambda i: {"country": COUNTRIES[i % len(COUNTRIES)], "by": "admin1"}),
                (f"aggregates by month, all {events:,} events, with figures", "/api/aggregates/events",
                 lambda i: {"by": "month"}),
                (f"aggregates by type, all {events:,} events, with figures", "/api/aggregates/events",
                 lambda i: {"by": "type"}),
            ]
            cursors = {}
            for i in range(len(MONTHS)):
                params = country_month(i)
                cursors[i] = client.get("/api/events", params=params).json()["next_cursor"]

            def next_page(i: int) -> dict:
                j = i % len(MONTHS)
                return {**country_month(j), "cursor": cursors[j]}

            for label, path, make in cases:
                if path.startswith("/api/aggregates"):  # the synthetic store holds mentions, no incidents
                    make = (lambda f: lambda i: {**f(i), "unit": "mentions"})(make)
                median, p95, size = timed(client, make or next_page, path, repeat)
                rows.append((label, median, p95, size))
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="default: bench/out/api-<N>.duckdb")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    db = args.db or HERE / "out" / f"api-{args.events}.duckdb"
    if args.rebuild or not db.exists():
        print(f"building {db} with {args.events:,} synthetic events ...", file=sys.stderr)
        start = time.perf_counter()
        build_store(db, args.events)
        print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr)

    rows = measure(db, args.repeat, args.events)

    print(f"\nStore: {db} ({db.stat().st_size / 1e9:.2f} GB, {args.events:,} events); "
          f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.repeat} timed requests per row after 3 warm-ups, client and server on one machine.\n")
    print("| query | median ms | p95 ms | rows in answer |")
    print("|---|---:|---:|---:|")
    for label, median, p95, size in rows:
        print(f"| {label} | {median:.1f} | {p95:.1f} | {size} |")


if __name__ == "__main__":
    main()
