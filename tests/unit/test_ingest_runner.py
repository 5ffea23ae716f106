"""The ingest driver with a real DuckDB store: identity, near-duplicates, rejects, comments, resume."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from sitrep.document import Document
from sitrep.ingest.runner import ingest
from sitrep.pipeline import LazyPipeline, Pipeline, load_config
from sitrep.store import EventFilter, Store, open_store

WEB = Path(__file__).resolve().parents[2] / "examples" / "web"
ARTICLE = ("Government forces shelled the rebel-held town of Douma on Monday, killing at least four civilians and "
           "wounding a dozen more, according to local rescue workers and a monitoring group.")


def _rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return store._conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> tuple[Path, Any]:
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    with open_store(path) as store:
        report = ingest([str(WEB)], store, pipeline, batch_size=3)
    return path, report


def test_web_folder_counts(web_store: tuple[Path, Any]) -> None:
    path, report = web_store
    assert (report.documents, report.duplicates, report.skipped) == (4, 1, 3)
    assert report.fetched == 0  # the feed's teaser page was in hand: nothing fetched
    assert sorted(report.reasons()) == ["HTTP error", "binary", "empty", "malformed feed", "no text",
                                        "not English", "truncated"]
    with open_store(path, read_only=True) as store:
        status = store.ingest_status()
        assert status["documents"] == 5 and status["near_duplicates"] == 1 and status["orphan_events"] == 0
        assert status["rejects"]["total"] == 7 and status["citations"] == 3
        assert set(status["events_by_section"]) <= {"title", "body"}


def test_syndicated_copy_is_linked_and_adds_no_events(web_store: tuple[Path, Any]) -> None:
    with open_store(web_store[0], read_only=True) as store:
        ((doc_id, original, similarity, kind),) = _rows(
            store, "SELECT id, duplicate_of, similarity, input_kind FROM documents WHERE duplicate_of IS NOT NULL")
        assert kind == "warc" and similarity >= 0.8
        assert _rows(store, f"SELECT url FROM documents WHERE id = '{original}'") == [
            ("https://example.org/world/2016/02/04/aleppo-supply-line-cut",)]
        assert _rows(store, f"SELECT count(*) FROM events WHERE doc_id = '{doc_id}'") == [(0,)]


def test_opinion_page_keeps_comments_and_metadata(web_store: tuple[Path, Any]) -> None:
    with open_store(web_store[0], read_only=True) as store:
        ((doc_id, author, language),) = _rows(
            store, "SELECT id, author, language FROM documents WHERE url LIKE '%the-noose-around-aleppo%'")
        doc = store.get_document(doc_id)
    assert (author, language) == ("Hannah Lowe", "en")
    assert [s["label"] for s in doc["sections"] if s["name"] == "comment"] == [None, "1", "2", "3", "4", "5"]


def test_rerun_adds_nothing_and_does_not_repeat_rejects(tmp_path: Path, web_store: tuple[Path, Any],
                                                        pipeline: Pipeline) -> None:
    db = tmp_path / "again.duckdb"
    shutil.copy(web_store[0], db)
    with open_store(db) as store:
        report = ingest([str(WEB)], store, pipeline)
        assert (report.documents, report.duplicates, report.events, report.skipped) == (0, 0, 0, 8)
        status = store.ingest_status()
    assert status["documents"] == 5 and status["rejects"]["total"] == 7 and status["runs"] == 2


def test_a_rerun_of_stored_inputs_loads_no_pipeline(tmp_path: Path, web_store: tuple[Path, Any]) -> None:
    """`ingest` builds its pipeline lazily: when every input is stored already (a second `make demo`)
    the spaCy model and the knowledge are never loaded, and the counts are those of a loaded one."""
    db = tmp_path / "lazy.duckdb"
    shutil.copy(web_store[0], db)
    lazy = LazyPipeline(load_config(None))
    with open_store(db) as store:
        report = ingest([str(WEB)], store, lazy)
    assert (report.documents, report.events, report.skipped) == (0, 0, 8)
    assert lazy._pipeline is None
    assert list(lazy.pipe([])) == [] and lazy._pipeline is None


def test_a_lazy_pipeline_refuses_an_unknown_component_at_once() -> None:
    config = load_config(None)
    config["pipeline"]["components"] = [*config["pipeline"]["components"], "sentiment"]
    with pytest.raises(ValueError, match="unknown pipeline component 'sentiment'"):
        LazyPipeline(config)


def test_a_lazy_pipeline_extracts_as_the_pipeline_does(pipeline: Pipeline) -> None:
    lazy = LazyPipeline(load_config(None))
    doc = lazy(ARTICLE)
    assert [e.event_type for e in doc.events] == [e.event_type for e in pipeline(ARTICLE).events]


def test_a_fixed_input_loses_its_old_rejection(tmp_path: Path, pipeline: Pipeline) -> None:
    page = tmp_path / "page.txt"
    page.write_text("")
    db = tmp_path / "s.duckdb"
    with open_store(db) as store:
        assert ingest([str(page)], store, pipeline).reasons() == {"empty": 1}
        page.write_text(ARTICLE)
        report = ingest([str(page)], store, pipeline)
        assert report.documents == 1 and not report.rejects
        assert store.ingest_status()["rejects"]["total"] == 0


def test_same_article_from_a_feed_and_a_saved_page_is_stored_once(tmp_path: Path, pipeline: Pipeline) -> None:
    body = " ".join([ARTICLE] * 8)
    (tmp_path / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item><title>Douma shelled</title>'
        "<link>https://example.org/douma?utm_source=rss</link>"
        f"<description><![CDATA[<p>{body}</p><p>Feed-only footer line.</p>]]></description></item></channel></rss>")
    (tmp_path / "page.html").write_text(
        '<html><head><title>Douma shelled</title><link rel="canonical" href="https://example.org/douma"></head>'
        f"<body><article><p>{body}</p></article></body></html>")
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(tmp_path)], store, pipeline)
        assert (report.documents, report.skipped) == (1, 1)
        assert _rows(store, "SELECT url FROM documents") == [("https://example.org/douma",)]


def test_warnings_are_recorded_with_the_kept_document(tmp_path: Path, pipeline: Pipeline) -> None:
    (tmp_path / "f.txt").write_text(f"---\npublished: 2999-01-01\n---\n{ARTICLE}")
    seen = []
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(tmp_path / "f.txt")], store, pipeline, on_reject=seen.append)
        assert report.documents == 1 and report.rejected == 0
        assert [w.reason for w in seen] == ["future date"]
        status = store.ingest_status()
    assert status["warnings"] == {"total": 1, "by_reason": {"future date": 1}}
    assert status["rejects"]["total"] == 0


def test_include_comments_marks_comment_events(tmp_path: Path, pipeline: Pipeline) -> None:
    settings = load_config()
    settings["components"]["events"]["sections"] = ["title", "body", "comment"]
    with_comments = Pipeline.from_config(settings)
    page = WEB / "opinion-aleppo-encircled.html"
    with open_store(tmp_path / "a.duckdb") as plain, open_store(tmp_path / "b.duckdb") as marked:
        ingest([str(page)], plain, pipeline)
        ingest([str(page)], marked, with_comments)
        plain_events = {r["id"]: r for r in (_records(plain))}
        marked_events = _records(marked)
    from_comments = [r for r in marked_events if r["evidence"]["section"] == "comment"]
    assert from_comments and not any(r["evidence"]["section"] == "comment" for r in plain_events.values())
    for record in from_comments:
        twin = plain_events.get(record["id"])
        assert twin is None  # comment events exist only when asked for
        assert record["confidence"] <= 0.5


def _records(store: Store) -> list[dict[str, Any]]:
    import json

    return [json.loads(r[0]) for r in _rows(store, "SELECT record FROM events")]


class _FragilePipeline:
    """A pipeline that breaks on one document, as a buggy component would."""

    def __init__(self, inner: Pipeline) -> None:
        self.inner = inner

    def pipe(self, docs: list[Document], *, batch_size: int = 32) -> Any:
        if any("BOOM" in d.text for d in docs):
            raise RuntimeError("component failed")
        return self.inner.pipe(docs, batch_size=batch_size)

    def __call__(self, doc: Document) -> Document:
        if "BOOM" in doc.text:
            raise RuntimeError("component failed on this one")
        return self.inner(doc)


def test_a_document_that_breaks_the_pipeline_costs_only_itself(tmp_path: Path, pipeline: Pipeline) -> None:
    texts = [ARTICLE, "BOOM. Rebels shelled government-held districts of Aleppo on Tuesday, state media said.",
             "Turkish artillery hit Kurdish positions near Azaz overnight, a monitoring group reported."]
    for i, text in enumerate(texts):
        (tmp_path / f"{i}.txt").write_text(text)
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(tmp_path)], store, _FragilePipeline(pipeline))  # type: ignore[arg-type]
        assert report.documents == 2 and report.reasons() == {"extraction error": 1}
        assert report.rejects[0].path.endswith("1.txt")


def test_file_names_that_are_not_utf8_are_stored(tmp_path: Path, pipeline: Pipeline) -> None:
    import os

    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as fh:
        fh.write(ARTICLE.encode())
    with open(os.path.join(folder, b"vide\xe9.txt"), "wb"):
        pass
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(tmp_path / "in")], store, pipeline)
        assert report.documents == 1 and report.reasons() == {"empty": 1}
        ((path,),) = _rows(store, "SELECT path FROM documents")
        assert path.endswith("caf\ufffd.txt") and store.ingest_status()["rejects"]["total"] == 1


WIRE = ("{place}, Syria - An air strike hit a crowded market in the rebel-held town of Maarat al-Numan on "
        "Tuesday, killing {toll} civilians, rescue workers said. The market was busy with shoppers buying "
        "bread and vegetables when the missiles fell, witnesses said. Medics said the wounded were taken to "
        "field hospitals in the countryside of Idlib province. Opposition activists blamed Russian and Syrian "
        "government aircraft for the strike. Neither Damascus nor Moscow commented on the report. The town has "
        "been hit repeatedly in recent months as government forces press an offensive in the north-west.{extra}")


def _wire(tmp_path: Path, name: str, toll: str, published: str, url: str, extra: str = "") -> None:
    (tmp_path / name).write_text(f"---\ntitle: Strike on Maarat al-Numan market\npublished: {published}\n"
                                 f"url: {url}\n---\n" + WIRE.format(place="MAARAT AL-NUMAN", toll=toll, extra=extra))


def test_a_resent_wire_story_with_a_revised_toll_keeps_its_events(tmp_path: Path, pipeline: Pipeline) -> None:
    """Wire copy re-sent as the toll rises is a near-duplicate, but its figure must not be lost."""
    _wire(tmp_path, "a.txt", "seven", "2016-02-16", "https://wire.example.org/a")
    _wire(tmp_path, "b.txt", "seven", "2016-02-16", "https://paper.example.org/b")  # the same copy
    _wire(tmp_path, "c.txt", "11", "2016-02-17", "https://paper.example.org/c",
          extra=" The toll rose to 11 overnight as rescuers reached the ruins.")
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(tmp_path)], store, pipeline, batch_size=1)
        assert (report.documents, report.duplicates) == (2, 1)
        rows = dict((url[-1], (dup is not None, rev is not None, n)) for url, dup, rev, n in _rows(
            store, "SELECT d.url, d.duplicate_of, d.revision_of, count(e.id) FROM documents d "
                   "LEFT JOIN events e ON e.doc_id = d.id GROUP BY ALL"))
        assert rows["a"][:2] == (False, False) and rows["a"][2] > 0
        assert rows["b"] == (True, False, 0)  # same numbers: a link only
        assert rows["c"][:2] == (True, True) and rows["c"][2] > 0  # other numbers: kept as a revision
        (original,) = _rows(store, "SELECT id FROM documents WHERE url LIKE '%/a'")[0]
        assert _rows(store, "SELECT revision_of FROM documents WHERE url LIKE '%/c'") == [(original,)]
        killed = [i["figures"]["killed"] for i in store.query_incidents(EventFilter(), limit=None)[1]
                  if (i.get("figures") or {}).get("killed")]
    assert any(k["best"] == 11 and {r["value"] for r in k["reports"]} >= {7, 11} for k in killed), killed
