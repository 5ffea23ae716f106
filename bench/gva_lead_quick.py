"""Quick per-article check on ../shared/data/gva until `sitrep eval gva` lands.

Usage: python bench/gva_lead_quick.py N OFFSET [CONFIG.toml]. Prints the median and mean occurrence
events per article, and the lead event's (the most violent asserted or claimed one) place within
25 km, date, killed and injured against the article's incident (no figure counts as 0).
"""

from __future__ import annotations

import csv
import json
import statistics
import sys
from datetime import date
from pathlib import Path
from typing import Any

import sitrep
from sitrep.document import Document, Section, Source, Span
from sitrep.evaluate.metrics import haversine_km
from sitrep.record import records

GVA = Path(__file__).resolve().parents[2] / "shared/data/gva"


def document(item: dict[str, Any]) -> Document:
    title = item.get("title") or ""
    text = f"{title}\n\n{item['text']}"
    return Document(text=text, source=Source(url=item["url"], title=title,
                                             published=date.fromisoformat(item["published"])),
                    sections=[Section("title", Span(0, len(title))), Section("body", Span(len(title) + 2, len(text)))])


def best(record: dict[str, Any] | None, kind: str) -> int:
    figure = ((record or {}).get("figures") or {}).get(kind) or {}
    return int(figure.get("best") or 0)


def main() -> None:
    n, offset = int(sys.argv[1]), int(sys.argv[2])
    config = sys.argv[3] if len(sys.argv) > 3 else None
    with open(GVA / "gva_dev_incidents.csv", encoding="utf-8") as fh:
        incidents = {row["incident"]: row for row in csv.DictReader(fh)}
    with open(GVA / "gva_dev_docs.jsonl", encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh][offset : offset + n]
    nlp = sitrep.load(config)
    counts: list[int] = []
    hits: dict[str, list[bool]] = {"place25": [], "date": [], "killed": [], "injured": []}
    for item, doc in zip(items, nlp.pipe(document(i) for i in items), strict=True):
        occurrences = [r for r in records(doc) if r.get("kind", "occurrence") == "occurrence"]
        counts.append(len(occurrences))
        gold = incidents[item["incident"]]
        occurred = [r for r in occurrences if r["status"] in ("asserted", "claimed")]
        lead = min(occurred, key=lambda r: (r["event_type"] != "ASSAULT", -(best(r, "killed") + best(r, "injured")),
                                            r["evidence"]["start"])) if occurred else None
        for kind in ("killed", "injured"):
            if gold[kind] != "":
                hits[kind].append(best(lead, kind) == int(float(gold[kind])))
        if gold["date"]:
            hits["date"].append(bool(lead) and lead["date"] == gold["date"])
        if gold["latitude"]:
            loc = (lead or {}).get("location") or {}
            hits["place25"].append(loc.get("lat") is not None and haversine_km(
                loc["lat"], loc["lon"], float(gold["latitude"]), float(gold["longitude"])) <= 25)
    print(json.dumps({"articles": len(items), "median_events": statistics.median(counts),
                      "mean_events": round(statistics.mean(counts), 2),
                      **{k: round(sum(v) / len(v), 3) for k, v in hits.items() if v}}))


if __name__ == "__main__":
    main()
