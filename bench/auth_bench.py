"""What checking API keys costs per request (web/auth.py): the same store served twice, open and with
--require-keys, and the same requests timed against both.

    .venv/bin/python bench/auth_bench.py [--events 20000] [--requests 200] [--db /tmp/auth-bench.duckdb]

Prints the median and 90th percentile of `GET /api/events?country=SYR&limit=10` (a typical
dashboard page) and of `GET /api/summary`, open vs with a key, and of a refused request (no key).
One keep-alive client per server, one request at a time, the servers asked in turn, after 20
warm-up requests each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
from synth import build_store  # noqa: E402

from server.sample_corpus import running_server  # noqa: E402
from sitrep.store import open_store  # noqa: E402

ROUTES = ("/api/events?country=SYR&limit=10", "/api/summary")


def timings(clients: dict[str, httpx.Client], route: str, n: int, headers: dict[str, dict[str, str]],
            status: dict[str, int]) -> dict[str, list[float]]:
    """Each server's answer times, the servers asked in turn (so load on the machine hits both alike)."""
    out: dict[str, list[float]] = {name: [] for name in clients}
    for i in range(n + 20):
        for name, client in clients.items():
            start = time.perf_counter()
            answer = client.get(route, headers=headers[name])
            took = (time.perf_counter() - start) * 1000
            assert answer.status_code == status[name], answer.text
            if i >= 20:  # after the warm-up
                out[name].append(took)
    return out


def line(label: str, ms: list[float]) -> str:
    p90 = statistics.quantiles(ms, n=10)[-1]
    return f"{label:<52} p50 {statistics.median(ms):6.1f} ms   p90 {p90:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", type=Path, default=Path("/tmp/auth-bench.duckdb"))
    args = parser.parse_args()
    build_store(args.db, args.events)
    with open_store(args.db) as store:
        secret, _ = store.create_api_key(f"bench-{time.time_ns()}", read_only=True)
    key = {"authorization": f"Bearer {secret}"}
    with running_server(args.db) as open_server, running_server(args.db, args=["--require-keys"]) as keyed, \
            httpx.Client(base_url=open_server.url, timeout=30) as plain, \
            httpx.Client(base_url=keyed.url, timeout=30) as checked:
        clients = {"open": plain, "with a key": checked}
        results = {route: timings(clients, route, args.requests, {"open": {}, "with a key": key},
                                  {"open": 200, "with a key": 200}) for route in ROUTES}
        refused = timings({"no key (401)": checked}, ROUTES[0], args.requests, {"no key (401)": {}},
                          {"no key (401)": 401})
    print(f"{args.events} synthetic events, {args.requests} requests each, the two servers asked in turn")
    for route in ROUTES:
        for name, ms in results[route].items():
            print(line(f"{route} {name}", ms))
    print(line(f"{ROUTES[0]} no key (401)", refused["no key (401)"]))


if __name__ == "__main__":
    main()
