"""Speed of incident resolution: a full rebuild over N event mentions, and an incremental ingest.

Targets (issue 14, recorded here, not timed tests): resolving 100k event mentions in under 5
minutes on the project's machine (2 cores); ingesting 100 new documents into a 100k-mention store
(write + incremental re-resolution) in under 10 s.

The corpus is synthetic but shaped like real conflict reporting: true incidents (real places and
coordinates from bench/synth.py, skewed towards a few countries), each reported by 1-8 outlets
over 1-3 days with tolls that vary and grow, several years of dates; a document is one outlet's
report of the day in one country (1-5 mentions). Records carry every field the stored records
have and go through the real write paths (`Store.add_documents` for the base store,
`Store.add_ingested` then `Store.resolve_incidents(new_records, cfg)` for the new documents, as
the ingest runner's flush does). Each timed phase runs in its own process, so its peak RSS is
its own.

    .venv/bin/python bench/incidents_bench.py                      # smoke: 5,000 mentions, 10 docs
    .venv/bin/python bench/incidents_bench.py --mentions 100000 --new-docs 100 [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import ACTORS, OTHER_ACTORS, PLACES, TYPES, _party, _weighted  # noqa: E402

from sitrep.store import open_store  # noqa: E402

START = date(2019, 1, 1)
YEARS = 5
OUTLETS = ("Reuters", "AFP", "Associated Press", "Al Jazeera", "BBC News", "Anadolu", "Xinhua", "SANA",
           "Kyiv Independent", "Premium Times", "Garowe Online", "Ministry of Health", "Civil Defence")
OUTLET_WEIGHTS = (14, 12, 10, 8, 7, 5, 5, 3, 3, 3, 3, 2, 2)
# Reports per incident: most incidents have one or two, a few eight.
REPORTS = ((1, 38), (2, 24), (3, 14), (4, 9), (5, 6), (6, 4), (7, 3), (8, 2))
VIOLENT = tuple(t for t in TYPES if t[0] == "ASSAULT")
OTHER = tuple(t for t in TYPES if t[0] != "ASSAULT")
STATUSES = (("asserted", 80), ("claimed", 15), ("denied", 5))
VERBS = {"aerial": ("air strike hit", "warplanes bombed", "a drone struck"),
         "heavy-weapons": ("shelling hit", "artillery pounded", "rockets fell on"),
         "firearms": ("clashes broke out in", "gunmen attacked", "fighting raged in"),
         "explosives": ("a car bomb exploded in", "a roadside bomb hit a convoy near", "an explosion tore through")}
SITES = ("market", "hospital", "school", "checkpoint", "mosque", "bakery", "bus station", "camp", "village")


def _toll(rng: random.Random) -> int:
    return max(1, int(rng.paretovariate(1.2) * 3) - 2)


def incidents(rng: random.Random, days: int) -> Any:
    """True incidents, endlessly: (day, place row, type row, actors, recipients, killed, injured, site)."""
    while True:
        place = _weighted(rng, PLACES, 6)
        kind = _weighted(rng, VIOLENT if rng.random() < 0.75 else OTHER, 6)
        country = place[0]
        pool = ACTORS.get(country, ()) + OTHER_ACTORS
        actors = [_party(country, rng.choice(pool))]
        recipients = [_party(country, rng.choice(pool))] if rng.random() < 0.5 else []
        violent = kind[0] == "ASSAULT"
        killed = _toll(rng) if violent and rng.random() < 0.6 else None
        injured = _toll(rng) * 2 if violent and rng.random() < 0.4 else None
        yield (START + timedelta(days=rng.randrange(days)), place, kind, actors, recipients, killed, injured,
               rng.choice(SITES))


def _figure(value: int | None, hedge: str | None = None) -> dict[str, Any] | None:
    return None if value is None else {"low": value, "best": value, "high": value, "hedge": hedge}


def mention(rng: random.Random, truth: tuple, report: int, outlet: str, published: date) -> dict[str, Any]:
    """One outlet's mention of a true incident (id and doc_id filled in by `documents`)."""
    day, place, kind, actors, recipients, killed, injured, site = truth
    country, admin1, pcode, name, lat, lon, _ = place
    event_type, mode, acled_type, acled_sub, cameo, quad, _ = kind
    precise = rng.random() < 0.85
    grown = 1.0 + 0.3 * report * rng.random()  # later reports tend to give higher tolls
    k = None if killed is None or rng.random() < 0.15 else max(1, round(killed * grown * rng.uniform(0.8, 1.1)))
    i = None if injured is None or rng.random() < 0.3 else max(1, round(injured * grown))
    verb = rng.choice(VERBS.get(mode or "", ("officials reported an incident in",)))
    text = f"{outlet}: {verb} {name if precise else 'the area'}, near the {site}"
    text += f", killing at least {k} people" if k else ""
    text += f" and wounding {i}" if i else ""
    text += f" on {day.strftime('%A')}." if day != published else " today."
    status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
    return {
        "id": None, "doc_id": None, "event_type": event_type, "mode": mode,
        "contexts": ["military"] if quad == 4 else [], "status": status, "kind": "occurrence",
        "actors": actors if rng.random() < 0.85 else [], "recipients": recipients,
        "claimed_by": actors[:1] if status == "claimed" else [], "denied_by": actors[:1] if status == "denied" else [],
        "date": day.isoformat(), "date_end": day.isoformat(), "time_precision": 1 if rng.random() < 0.9 else 2,
        "location": {
            "text": name if precise else country, "name": name if precise else None, "geonameid": None,
            "lat": round(lat + rng.uniform(-0.02, 0.02), 4) if precise else None,
            "lon": round(lon + rng.uniform(-0.02, 0.02), 4) if precise else None,
            "country": country, "admin1": admin1 if precise else None, "admin1_pcode": pcode if precise else None,
            "feature": "city" if precise else "country", "geo_precision": 1 if precise else None},
        "figures": {"killed": _figure(k), "injured": _figure(i), "displaced": None, "besieged": None,
                    "trapped": None, "detained": None, "strikes": None},
        "acled": {"event_type": acled_type, "sub_event_type": acled_sub}, "cameo": cameo, "quad": quad,
        "evidence": {"text": text, "start": 0, "end": len(text), "section": "body"},
        "source": {"url": None, "title": None, "publisher": outlet, "published": published.isoformat()},
        "confidence": round(rng.uniform(0.6, 0.98), 2),
    }


def documents(mentions: list[tuple[str, str, date, dict[str, Any]]], prefix: str) -> list[tuple[dict, list[dict]]]:
    """Group (outlet, country, published, record) into one document per outlet, country and day (<= 5 each)."""
    groups: dict[tuple[str, str, date], list[dict[str, Any]]] = {}
    for outlet, country, published, record in mentions:
        groups.setdefault((outlet, country, published), []).append(record)
    out = []
    for n, ((outlet, country, published), records) in enumerate(sorted(groups.items(), key=lambda kv: kv[0][2])):
        for part in range(0, len(records), 5):
            doc_id = f"{prefix}{n:09x}{part // 5:02x}"
            title = f"{country}: {outlet} report of {published} (generated for the benchmark)"
            url = f"https://bench.invalid/{doc_id}"
            texts = []
            offset = 0
            chunk = records[part:part + 5]
            for record in chunk:
                text = record["evidence"]["text"]
                record["id"] = f"{doc_id}-{offset:x}"
                record["doc_id"] = doc_id
                record["evidence"] = {**record["evidence"], "start": offset, "end": offset + len(text)}
                record["source"] = {**record["source"], "url": url, "title": title}
                texts.append(text)
                offset += len(text) + 1
            document = {"id": doc_id, "text": "\n".join(texts),
                        "source": {"url": url, "title": title, "publisher": outlet,
                                   "published": published.isoformat(), "published_inferred": False, "path": None},
                        "sections": [{"name": "body", "start": 0, "end": offset - 1, "label": None}],
                        "notes": [], "mentions": []}
            out.append((document, chunk))
    return out


def corpus(count: int, seed: int = 14) -> tuple[list[tuple[dict, list[dict]]], list[tuple]]:
    """(documents totalling `count` mentions, the true incidents) over YEARS years."""
    rng = random.Random(seed)
    made: list[tuple[str, str, date, dict[str, Any]]] = []
    truths = []
    for truth in incidents(rng, YEARS * 365):
        if len(made) >= count:
            break
        truths.append(truth)
        n = rng.choices([r for r, _ in REPORTS], weights=[w for _, w in REPORTS])[0]
        outlets = rng.sample(OUTLETS, k=min(n, len(OUTLETS)))
        for report, outlet in enumerate(outlets[:count - len(made)]):
            published = truth[0] + timedelta(days=rng.choice((0, 0, 1, 1, 2)))
            made.append((outlet, truth[1][0], published, mention(rng, truth, report, outlet, published)))
    return documents(made, "b"), truths


def new_documents(count: int, truths: list[tuple], days: int = 7, seed: int = 15) -> list[tuple[dict, list[dict]]]:
    """`count` new documents published over the store's last `days` days, each one outlet's report of
    a day in one country (3-5 mentions); about a third of the mentions report incidents the store
    already holds (follow-ups)."""
    rng = random.Random(seed)
    end = START + timedelta(days=YEARS * 365)
    recent: dict[str, list[tuple]] = {}
    for t in truths:
        if t[0] >= end - timedelta(days=45):
            recent.setdefault(t[1][0], []).append(t)
    fresh = incidents(rng, 1)
    out = []
    for n in range(count):
        outlet = rng.choices(OUTLETS, weights=OUTLET_WEIGHTS)[0]
        published = end - timedelta(days=rng.randrange(days))
        country = _weighted(rng, PLACES, 6)[0]
        made = []
        while len(made) < rng.randint(3, 5):
            known = [t for t in recent.get(country, []) if published - timedelta(days=2) <= t[0] <= published]
            if known and rng.random() < 0.35:
                truth = rng.choice(known)
            else:
                truth = next(t for t in fresh if t[1][0] == country)
                truth = (published - timedelta(days=rng.choice((0, 0, 1, 2))), *truth[1:])
            made.append((outlet, country, published, mention(rng, truth, rng.randint(1, 4), outlet, published)))
        out.extend(documents(made, f"n{n:04x}"))
    return out


def build(path: Path, count: int) -> tuple[int, int]:
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    docs, _ = corpus(count)
    with open_store(path) as store:
        for start in range(0, len(docs), 5000):
            store.add_documents(docs[start:start + 5000])
        store._conn.execute("CHECKPOINT")
    return len(docs), sum(len(r) for _, r in docs)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process so far (user + system): beside wall time, what a busy machine
    does not inflate (resolution is one Python thread; DuckDB's own threads add a little)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase(name: str, db: Path, count: int, new_docs: int, new_days: int) -> dict[str, Any]:
    """One timed phase (run in its own process by `main`)."""
    from sitrep.resolve import resolve_records

    if name == "store-full":
        with open_store(db) as store:
            started, cpu = time.perf_counter(), _cpu()
            counts = store.resolve_incidents(None)
            seconds = time.perf_counter() - started
            return {"seconds": seconds, "cpu_seconds": _cpu() - cpu, "peak_mb": _peak_mb(),
                    "incidents": store.count_incidents(), "counts": counts, "load": os.getloadavg()[0]}
    if name == "pure":
        with open_store(db, read_only=True) as store:
            rows = store._conn.execute("SELECT record FROM events").fetchall()
        records = [json.loads(r[0]) for r in rows]
        started, cpu = time.perf_counter(), _cpu()
        result = resolve_records(records)
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "cpu_seconds": _cpu() - cpu, "peak_mb": _peak_mb(), "incidents": len(result),
                "mentions": len(records), "load": os.getloadavg()[0]}
    if name == "ingest":
        _, truths = corpus(count)
        docs = new_documents(new_docs, truths, new_days)
        items = [{"document": d, "events": r} for d, r in docs]
        new_records = [e for item in items for e in item["events"]]
        with open_store(db) as store:
            before = store.count_incidents()
            started, cpu = time.perf_counter(), _cpu()
            added, events = store.add_ingested(items, [], run_id=None)
            written = time.perf_counter() - started
            counts = store.resolve_incidents(new_records, {})
            seconds = time.perf_counter() - started
            return {"seconds": seconds, "cpu_seconds": _cpu() - cpu, "load": os.getloadavg()[0],
                    "write_seconds": written, "resolve_seconds": seconds - written,
                    "documents": added, "mentions": events, "incidents_before": before,
                    "incidents_after": store.count_incidents(), "counts": counts, "peak_mb": _peak_mb()}
    raise SystemExit(f"unknown phase {name}")


def run_phase(name: str, db: Path, args: argparse.Namespace) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--db", str(db), "--mentions",
                          str(args.mentions), "--new-docs", str(args.new_docs), "--new-days", str(args.new_days)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentions", type=int, default=5000)
    parser.add_argument("--new-docs", type=int, default=10)
    parser.add_argument("--new-days", type=int, default=7, help="the new documents' publication dates span "
                        "the store's last N days")
    parser.add_argument("--db", type=Path, default=None, help="store to build (default: a temporary file)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--skip-pure", action="store_true", help="do not time the pure resolve_records")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.db, args.mentions, args.new_docs, args.new_days)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "incidents_bench.duckdb"
        started = time.perf_counter()
        n_docs, n_mentions = build(db, args.mentions)
        result: dict[str, Any] = {
            "mentions": n_mentions, "documents": n_docs, "build_seconds": time.perf_counter() - started,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
        if not args.skip_pure:
            result["pure"] = run_phase("pure", db, args)
        result["store_full"] = run_phase("store-full", db, args)
        result["ingest"] = run_phase("ingest", db, args)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    ing, full = result["ingest"], result["store_full"]
    print(f"{n_mentions:,} mentions in {n_docs:,} documents ({result['machine']}); store built in "
          f"{result['build_seconds']:.1f} s")
    if "pure" in result:
        pure = result["pure"]
        print(f"resolve_records (pure): {pure['seconds']:.1f} s ({pure['cpu_seconds']:.1f} s CPU, load "
              f"{pure['load']:.1f}), {pure['incidents']:,} incidents, peak RSS {pure['peak_mb']:.0f} MB")
    print(f"Store.resolve_incidents(None): {full['seconds']:.1f} s ({full['cpu_seconds']:.1f} s CPU, load "
          f"{full['load']:.1f}), {full['incidents']:,} incidents, peak RSS {full['peak_mb']:.0f} MB")
    print(f"ingest of {ing['documents']} documents ({ing['mentions']} mentions): {ing['seconds']:.2f} s "
          f"({ing['cpu_seconds']:.2f} s CPU, load {ing['load']:.1f}) "
          f"(write {ing['write_seconds']:.2f} s, resolve {ing['resolve_seconds']:.2f} s); incidents "
          f"{ing['incidents_before']:,} -> {ing['incidents_after']:,}; {ing['counts']}")


if __name__ == "__main__":
    main()
