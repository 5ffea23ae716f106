"""The project's long-form gold articles as 1990s wire copy: do capitals and hard wraps cost events?

Each article of tests/eval/articles/gold_articles.jsonl (written for the project) is turned into
wire copy - every paragraph hard-wrapped at 72 columns and the whole text upper-cased - and scored
with `sitrep eval articles` three ways: the original mixed-case text, the wire copy with the
wire-copy step (wrap joining + truecasing, `wirecopy.parse_text`), and the wire copy without it.
The gold events (type, place, date, figures) do not depend on case, so the same gold scores all
three. Prints one JSON object.

    python bench/wire_copy_articles.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "tests/eval/articles/gold_articles.jsonl"
KEYS = ("predicted_events", "matched_events", "event_precision", "event_recall", "event_f1",
        "events_per_article_predicted", "status_accuracy", "acled_event_type_accuracy", "killed_accuracy",
        "injured_accuracy", "actor_accuracy", "date_exact_accuracy", "location_within_25km_accuracy")
RUN = ("import sys\nimport sitrep.components.sentences as s\n"
       "if sys.argv[1] == 'off':\n    s.parse_text = lambda text: text\n"
       "from sitrep.cli import main\nmain(sys.argv[2:])\n")


def as_wire_copy(text: str, width: int = 72) -> str:
    """Upper case, each line of each paragraph hard-wrapped at `width` columns."""
    return "\n".join(textwrap.fill(line, width) if line.strip() else line for line in text.split("\n")).upper()


def score(path: Path, step: str) -> dict[str, float]:
    """`sitrep eval articles --json` on a file, with the wire-copy step on or off."""
    out = subprocess.run([sys.executable, "-c", RUN, step, "eval", "articles", str(path), "--json"],
                         check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    return {k: report[k] for k in KEYS}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        caps = Path(tmp) / "gold_wire_copy.jsonl"
        with open(GOLD, encoding="utf-8") as src, open(caps, "w", encoding="utf-8") as dst:
            for line in src:
                row = json.loads(line)
                row["text"] = as_wire_copy(row["text"])
                row["title"] = (row.get("title") or "").upper() or None
                dst.write(json.dumps(row) + "\n")
        report = {"mixed_case": score(GOLD, "on"), "wire_copy_with_step": score(caps, "on"),
                  "wire_copy_without_step": score(caps, "off")}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
