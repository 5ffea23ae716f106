"""Wire copy before and after the hard-wrap joining and truecasing step (issue 12, item 6).

On the first N documents of MUC-4's dev file (ALL CAPS, hard-wrapped at about 72 columns): sentences
per document, events per document (all, and relevant as the MUC-4 README defines them), detection
F1 of "the document reports a violent incident", and how often "IS" and "WHO" become actors, with the step
(`wirecopy.parse_text`) and without it (the parser reading the raw text). Reads the data where it
is; prints JSON; copies nothing.

    python bench/wire_copy_bench.py [--data ../shared/data/muc4/muc4_dev.jsonl] [--limit 200]
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from statistics import mean
from typing import Any

import sitrep.components.sentences as sentences
from sitrep.pipeline import Pipeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/muc4/muc4_dev.jsonl"
WORDS = ("IS", "WHO", "US")
# the MUC-4 README's "relevant event" (what `sitrep eval muc4` scores), restated for this quick count
VIOLENT_ACLED = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
COERCE_MODES = {"destroy", "seize", "abduct"}


def relevant(event: Any) -> bool:
    """An asserted or claimed violent incident, as the MUC-4 README defines it."""
    if event.status not in ("asserted", "claimed"):
        return False
    acled = event.acled or {}
    return (event.event_type == "ASSAULT" or acled.get("event_type") in VIOLENT_ACLED
            or acled.get("sub_event_type") == "Looting/property destruction"
            or (event.event_type == "COERCE" and event.mode in COERCE_MODES))


def detection(predicted: list[bool], gold: list[bool]) -> dict[str, float]:
    """Precision, recall and F1 of "the document reports a relevant incident"."""
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    precision = tp / max(1, sum(predicted))
    recall = tp / max(1, sum(gold))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def measure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts over one run of the default pipeline."""
    pipeline = Pipeline.from_config()
    docs = [pipeline.make_doc(r["text"], published=date.fromisoformat(r["published"]) if r.get("published") else None)
            for r in rows]
    sents, events, rel, actor_hits = [], [], [], dict.fromkeys(WORDS, 0)
    for doc in pipeline.pipe(docs):
        sents.append(len(doc.sentences))
        events.append(len(doc.events))
        rel.append(sum(relevant(e) for e in doc.events))
        for event in doc.events:
            for actor in event.actors:
                word = str(actor.get("text", "")).upper()
                if word in actor_hits:
                    actor_hits[word] += 1
    return {"docs": len(rows), "sentences_per_doc": round(mean(sents), 2), "events_per_doc": round(mean(events), 2),
            "relevant_events_per_doc": round(mean(rel), 2),
            "detection": detection([n > 0 for n in rel], [bool(r.get("templates")) for r in rows]),
            "actor_is": actor_hits["IS"], "actor_who": actor_hits["WHO"], "actor_us": actor_hits["US"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    if not args.data.exists():
        print(json.dumps({"skipped": f"{args.data} not found"}))
        return
    with open(args.data, encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(args.limit), fh, strict=False)]
    after = measure(rows)
    step = sentences.parse_text
    sentences.parse_text = lambda text: text  # the parser reads the raw capitals, as before the step
    try:
        before = measure(rows)
    finally:
        sentences.parse_text = step
    print(json.dumps({"before": before, "after": after}, indent=2))


if __name__ == "__main__":
    main()
