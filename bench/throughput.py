"""Throughput of sitrep beside a bare spaCy parse (issue 16 item 4), two ways.

In process (the default): the sample corpus through the spaCy pipes one by one and then each
sitrep component, CPU seconds per stage, so the table says where a run's time goes:

    .venv/bin/python bench/throughput.py [--repeat 3] [--corpus examples/]

Whole processes on real news (`--real-news`): the article texts of ../shared/data/geo/*.xml and
../shared/data/gva/gva_dev_docs.jsonl, read here as plain text at run time (never copied into the
project; the JSONL the commands read is written to a temporary folder and removed), through
(a) a bare spaCy parse, (b) `sitrep extract`, (c) `sitrep extract --workers 2`, (d) `sitrep run
--scheduler local` (a Dask LocalCluster of 2 worker processes) and (e) `sitrep extract` with the opt-in
parse cascade (`[components.sentences] cascade = true`), each a fresh process with model
loading included, at 1x, 4x and 16x a base corpus of distinct articles (the first N, 4N, 16N):
wall seconds, documents/s, tokens/s (the model's tokenizer), and the peak RSS of the largest
process in the run's tree (each process's VmHWM, polled). Skips cleanly when the data is absent.

    .venv/bin/python bench/throughput.py --real-news [--base 40] [--sizes 1,4,16] [--modes a,b,c,d] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
MODES = {"a": "spaCy parse only", "b": "sitrep extract", "c": "sitrep extract --workers 2",
         "d": "sitrep run --scheduler local (Dask, 2 workers)",
         "e": "sitrep extract, the opt-in parse cascade"}
CASCADE_CONFIG = "[components.sentences]\ncascade = true\n"  # mode (e): components/cascade.py


# -- in process: where the time goes -------------------------------------------------------------
def _in_process(corpus: str, repeat: int) -> None:
    import sitrep
    from sitrep.components.sentences import _nlp
    from sitrep.components.wirecopy import parse_text
    from sitrep.ingest import Reject, read_paths

    documents = [d for d in read_paths([corpus]) if not isinstance(d, Reject)]
    texts = [parse_text(d.text) for d in documents]
    nlp = _nlp()
    pipeline = sitrep.load()
    list(pipeline.pipe([pipeline.make_doc(t) for t in texts[:2]]))  # warm up: model, gazetteer, lexicons
    tokens = sum(len(nlp.make_doc(t)) for t in texts)
    pipes: dict[str, float] = defaultdict(float)
    stages: dict[str, float] = defaultdict(float)
    events = 0
    for _ in range(repeat):
        started = time.process_time()
        sdocs = [nlp.make_doc(t) for t in texts]
        pipes["tokenizer"] += time.process_time() - started
        for name, proc in nlp.pipeline:
            started = time.process_time()
            sdocs = list(proc.pipe(sdocs)) if hasattr(proc, "pipe") else [proc(d) for d in sdocs]
            pipes[name] += time.process_time() - started
        docs = [pipeline.make_doc(d.text, published=d.source.published) for d in documents]
        for component in pipeline.components:
            started = time.process_time()
            docs = list(component.pipe(docs))
            stages[component.name] += time.process_time() - started
        events = sum(len(d.events) for d in docs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(_machine())
    print(f"corpus: {len(texts)} documents, {tokens} tokens, {events} events; CPU seconds per run, mean of "
          f"{repeat}; peak RSS {peak_mb:.0f} MB\n")
    parse, total = sum(pipes.values()) / repeat, sum(stages.values()) / repeat
    print(f"bare parse {parse:.2f} s ({tokens / parse:,.0f} tokens/s); sitrep {total:.2f} s "
          f"({tokens / total:,.0f} tokens/s): sitrep / parse time {total / parse:.2f}x\n")
    print("| spaCy pipe | CPU s | share of the parse |\n|---|---:|---:|")
    for name, seconds in pipes.items():
        print(f"| {name} | {seconds / repeat:.2f} | {seconds / repeat / parse:.0%} |")
    print("\n| sitrep stage | CPU s | share of the run |\n|---|---:|---:|")
    for name, seconds in stages.items():
        print(f"| {name} | {seconds / repeat:.2f} | {seconds / repeat / total:.0%} |")


# -- whole processes on real news ----------------------------------------------------------------
def real_news_texts(shared: Path = SHARED) -> Iterator[str]:
    """Article texts, interleaved from the three sources so every prefix mixes them."""
    sources: list[list[str]] = []
    for name in ("geo/lgl.xml", "geo/GeoVirus.xml"):
        path = shared / name
        if path.exists():
            sources.append([t.text or "" for t in ET.parse(path).getroot().iter("text") if (t.text or "").strip()])
    gva = shared / "gva" / "gva_dev_docs.jsonl"
    if gva.exists():
        with gva.open(encoding="utf-8") as fh:
            sources.append([row["text"] for row in map(json.loads, fh) if row.get("text", "").strip()])
    for i in range(max((len(s) for s in sources), default=0)):
        for source in sources:
            if i < len(source):
                yield source[i]


def _peak_rss(pid: int) -> dict[int, int]:
    """VmHWM (kB) of the process and every descendant alive now."""
    out: dict[int, int] = {}
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        out[current] = int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):  # children of every thread, not only the main one
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return out


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MB) of the largest process in the tree, and the number of processes seen."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    peaks: dict[int, int] = {}
    while proc.poll() is None:
        for pid, kb in _peak_rss(proc.pid).items():
            peaks[pid] = max(peaks.get(pid, 0), kb)
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return wall, max(peaks.values(), default=0) // 1024, len(peaks)


def _spacy_only(path: str) -> None:
    """Mode (a), run as its own process: the model over the texts, as sitrep would feed them."""
    from sitrep.components.sentences import _nlp
    from sitrep.components.wirecopy import parse_text

    nlp = _nlp()
    with open(path, encoding="utf-8") as fh:
        texts = [parse_text(json.loads(line)["text"]) for line in fh]
    for _doc in nlp.pipe(texts, batch_size=32):
        pass


def _command(mode: str, corpus: Path, out: Path) -> list[str]:
    sitrep = [sys.executable, "-m", "sitrep.cli"]
    if mode == "a":
        return [sys.executable, __file__, "--spacy-only", str(corpus)]
    if mode in ("b", "c"):
        return [*sitrep, "extract", str(corpus), "--workers", "1" if mode == "b" else "2"]
    if mode == "e":
        config = corpus.parent / "cascade.toml"
        config.write_text(CASCADE_CONFIG, encoding="utf-8")
        return [*sitrep, "extract", str(corpus), "--workers", "1", "--config", str(config)]
    return [*sitrep, "run", str(corpus), "--scheduler", "local", "--out", str(out), "--partition-size", "32"]


def _real_news(base: int, sizes: list[int], modes: list[str], shared: Path) -> None:
    texts = list(real_news_texts(shared))[: base * max(sizes)]
    if len(texts) < base * max(sizes):
        print(f"skipped: {len(texts)} articles under {shared}, {base * max(sizes)} needed")
        return
    import spacy

    from sitrep.nlp import MODEL

    tokenizer = spacy.load(MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    env = dict(os.environ, SITREP_WORKERS="1")
    env.pop("SITREP_PARSE_CACHE", None)  # a cached parse would hide the work
    print(_machine())
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| corpus | documents | tokens | run | wall s | documents/s | tokens/s | peak RSS MB (largest process) "
          "| processes |\n|---|---:|---:|---|---:|---:|---:|---:|---:|")
    work = Path(tempfile.mkdtemp(prefix="sitrep-throughput-"))
    try:
        for size in sizes:
            chunk = texts[: base * size]
            tokens = sum(len(tokenizer.make_doc(t)) for t in chunk)
            corpus = work / f"corpus-{size}x.jsonl"
            with corpus.open("w", encoding="utf-8") as fh:
                for i, text in enumerate(chunk):
                    fh.write(json.dumps({"id": f"bench-{i}", "text": text}) + "\n")
            for mode in modes:
                out = work / f"run-{size}-{mode}"
                wall, peak, procs = _timed(_command(mode, corpus, out), env)
                shutil.rmtree(out, ignore_errors=True)
                print(f"| {size}x | {len(chunk)} | {tokens} | ({mode}) {MODES[mode]} | {wall:.1f} | "
                      f"{len(chunk) / wall:.2f} | {tokens / wall:,.0f} | {peak} | {procs} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _machine() -> str:
    import spacy

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"machine: {platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, "
            f"Python {platform.python_version()}, spaCy {spacy.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "examples"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--real-news", action="store_true", help="whole processes on ../shared/data's articles")
    parser.add_argument("--base", type=int, default=40, help="articles in the 1x corpus")
    parser.add_argument("--sizes", default="1,4,16", help="multiples of --base to run")
    parser.add_argument("--modes", default="a,b,c,d", help="runs: a spaCy, b extract, c --workers 2, d Dask, e cascade")
    parser.add_argument("--data", type=Path, default=SHARED, help="the labelled data folder (../shared/data)")
    parser.add_argument("--spacy-only", metavar="JSONL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.spacy_only:
        _spacy_only(args.spacy_only)
    elif args.real_news:
        _real_news(args.base, [int(s) for s in args.sizes.split(",")], args.modes.split(","), args.data)
    else:
        _in_process(args.corpus, args.repeat)


if __name__ == "__main__":
    main()
