"""The long-form scorer's arithmetic on records built from the gold itself (no pipeline): a perfect
prediction scores 1, a second unmerged mention of a happening is a false positive, a history event
marked background is neither rewarded nor penalised, and the gold file is well formed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitrep.evaluate.articles import GoldArticle, GoldEvent, read_articles, score_predictions

GOLD = Path(__file__).parents[1] / "eval/articles/gold_articles.jsonl"


def as_record(gold: GoldEvent, *, start: int = 0, kind: str = "occurrence") -> dict[str, Any]:
    figures = {k: ({"low": v, "best": v, "high": v, "hedge": None} if v is not None else None)
               for k, v in gold.figures.items()}
    return {
        "id": f"x-{start}", "event_type": gold.event_type, "status": gold.status, "kind": kind,
        "acled": {"event_type": gold.acled_event_type, "sub_event_type": gold.acled_sub_event_type},
        "date": gold.date.isoformat() if gold.date else None, "time_precision": 1,
        "location": {"name": gold.place, "lat": gold.lat, "lon": gold.lon, "country": gold.country,
                     "admin1": gold.admin1},
        "figures": figures, "actors": [{"name": a, "text": a, "id": a} for a in gold.actors],
        "recipients": [{"name": r, "text": r, "id": r} for r in gold.recipients],
        "evidence": {"start": start, "end": start + 1, "text": "", "section": "body"},
    }


def test_the_gold_file_is_well_formed_and_long() -> None:
    articles = list(read_articles(GOLD))
    assert len(articles) >= 40
    assert len({a.id for a in articles}) == len(articles)
    assert len({a.genre for a in articles}) >= 8
    assert all(len(a.text.split()) >= 150 for a in articles)
    events = [e for a in articles for e in a.events]
    assert len(events) >= 2 * len(articles)
    # most gold places carry their point, so matching does not hang on the gazetteer's choice
    assert sum(e.lat is not None for e in events) >= 0.8 * len(events)


def test_perfect_duplicate_and_background_predictions() -> None:
    article: GoldArticle = next(a for a in read_articles(GOLD) if len(a.events) >= 2)
    perfect = [as_record(e, start=i) for i, e in enumerate(article.events)]
    report = score_predictions([(article, perfect)])
    assert report["event_precision"] == 1.0 and report["event_recall"] == 1.0

    duplicate = [*perfect, as_record(article.events[0], start=99)]
    report = score_predictions([(article, duplicate)])
    assert report["event_recall"] == 1.0
    assert report["event_precision"] == len(perfect) / len(duplicate)

    background = [*perfect, as_record(article.events[0], start=98, kind="background")]
    assert score_predictions([(article, background)])["event_precision"] == 1.0
