"""Throughput of `sitrep extract` over the sample corpus, beside a spaCy-only baseline.

Both run in the same process on the same texts, so the ratio is what sitrep's own stages cost
on top of the parse. Prints a Markdown table to paste into bench/RESULTS.md.

    .venv/bin/python bench/throughput.py [--repeat 3] [--corpus examples/]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from collections import defaultdict
from pathlib import Path

import sitrep
from sitrep.components.sentences import _nlp
from sitrep.ingest import Reject, read_paths


def _timed_components(pipeline: sitrep.Pipeline, docs: list, totals: dict[str, float]) -> int:
    """Run each component over all documents, timing each stage; returns the event count."""
    for component in pipeline.components:
        started = time.perf_counter()
        docs = list(component.pipe(docs))
        totals[component.name] += time.perf_counter() - started
    return sum(len(d.events) for d in docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[1] / "examples"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    documents = [d for d in read_paths([args.corpus]) if not isinstance(d, Reject)]
    texts = [d.text for d in documents]
    nlp = _nlp()
    pipeline = sitrep.load()
    list(pipeline.pipe([pipeline.make_doc(t) for t in texts[:2]]))  # warm up: model, gazetteer, lexicons
    tokens = sum(len(d) for d in nlp.pipe(texts))

    baseline, full = [], []
    stage_totals: dict[str, float] = defaultdict(float)
    events = 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        for _doc in nlp.pipe(texts):
            pass
        baseline.append(time.perf_counter() - started)
        fresh = [pipeline.make_doc(d.text, published=d.source.published) for d in documents]
        started = time.perf_counter()
        events = _timed_components(pipeline, fresh, stage_totals)
        full.append(time.perf_counter() - started)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"spaCy model {nlp.meta.get('name')} {nlp.meta.get('version')}")
    print(f"corpus: {len(texts)} documents, {tokens} tokens, {events} events; best of {args.repeat} runs; "
          f"peak RSS {peak_mb:.0f} MB\n")
    print("| run | seconds | documents/s | tokens/s |")
    print("|---|---:|---:|---:|")
    for name, runs in (("spaCy only (baseline)", baseline), ("sitrep extract (full pipeline)", full)):
        best = min(runs)
        print(f"| {name} | {best:.2f} | {len(texts) / best:.1f} | {tokens / best:,.0f} |")
    print(f"\nsitrep / baseline time: {min(full) / min(baseline):.2f}x\n")
    print("| stage | seconds per run | share |")
    print("|---|---:|---:|")
    total = sum(stage_totals.values())
    for name, seconds in stage_totals.items():
        print(f"| {name} | {seconds / args.repeat:.3f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
