"""Gazetteer compile and look-up cost: `python bench/gazetteer_bench.py [--build]`.

Prints the compile time and peak memory (with --build, into a fresh temporary cache), the size of
the table, and the mean time of exact, variant and fuzzy look-ups over names written for this bench.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

NAMES = ["Aleppo", "Deraa", "Daraa", "Dar'a", "Kafranbel", "Kafr Nabl", "Lattakia", "Latakia", "Moadamiyeh",
         "Idlib province", "Eastern Ghouta", "northern Aleppo countryside", "Barada Valley", "Kabul", "Mosul",
         "Springfield", "Paris", "Georgia", "Kafranbell", "Deir Ezzor", "Rapides Parish", "Nord-Kivu", "Xqzwvb"]


def main() -> None:
    if "--build" in sys.argv:
        os.environ["SITREP_CACHE_DIR"] = tempfile.mkdtemp(prefix="sitrep-gaz-")
    from sitrep.knowledge.gazetteer import Gazetteer, build, default_path

    path = default_path()
    if "--build" in sys.argv:
        started = time.perf_counter()
        build(path)
        print(f"compile: {time.perf_counter() - started:.1f} s, peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    started = time.perf_counter()
    gazetteer = Gazetteer(path)
    print(f"open: {(time.perf_counter() - started) * 1000:.1f} ms; file {Path(path).stat().st_size / 1e6:.0f} MB; "
          f"{gazetteer.stats()}")
    for _ in range(2):  # the second pass is what a long run sees; the first includes SQLite page reads
        gazetteer._cache.clear()  # noqa: SLF001 - measure the database, not the memo
        started = time.perf_counter()
        for name in NAMES:
            gazetteer.candidates(name)
        elapsed = (time.perf_counter() - started) / len(NAMES) * 1000
    print(f"look-up: {elapsed:.2f} ms per name (mean over {len(NAMES)} names, uncached)")
    print(f"peak RSS after look-ups: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
