"""Nothing silent (issue 13): every item read ends as stored, skipped or rejected, and they add up.

Feeds written here link the same pages several times (a wire story in two feeds); under
--offline the repeats are rejected with the first one's reason, when the page was fetched
they are skipped as repeats of it; no fetch is claimed that did not happen; an input that
gives nothing (an empty folder, a JSONL of blank lines) is one rejection saying so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.ingest.runner import ingest
from sitrep.ingest.sources import Reader, ReadOptions
from sitrep.ingest.urls import FetchResult
from sitrep.pipeline import Pipeline
from sitrep.store import open_store

PAGE = ("<html><head><title>Clashes near Bentiu</title></head><body><article><p>"
        + "Fighting between government soldiers and opposition fighters near Bentiu killed at least eleven people "
          "on Saturday, a local official said, and several hundred families fled toward the camp north of the town. "
          * 3 + "</p></article></body></html>")


def _feed(folder: Path, name: str, links: list[str]) -> Path:
    items = "".join(f"<item><title>Clashes near Bentiu ({i})</title><link>{link}</link>"
                    f"<description>Fighting near Bentiu.</description></item>" for i, link in enumerate(links, 1))
    path = folder / name
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>')
    return path


class _Fetcher:
    """Serves PAGE for every URL and counts requests, like urls.Fetcher."""

    def __init__(self) -> None:
        self.requests = 0
        self.asked: list[str] = []

    def fetch(self, url: str, *, path: str | None = None) -> FetchResult:
        self.requests += 1
        self.asked.append(url)
        return FetchResult(url, url, 200, "text/html; charset=utf-8", PAGE.replace("Bentiu", url[-1].upper() + "entiu")
                           .encode())

    def close(self) -> None:
        pass


def _balanced(report) -> None:  # type: ignore[no-untyped-def]
    assert report.read == report.stored + report.skipped + report.rejected and report.unaccounted == 0


@pytest.fixture()
def feeds(tmp_path: Path) -> Path:
    folder = tmp_path / "feeds"
    folder.mkdir()
    links = [f"https://wire.example.org/bentiu-{i % 3}" for i in range(7)]
    _feed(folder, "a.xml", links)
    _feed(folder, "b.xml", links)
    return folder


def test_offline_repeats_of_a_rejected_url_are_rejected_with_its_reason(feeds: Path, tmp_path: Path,
                                                                        pipeline: Pipeline) -> None:
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(feeds)], store, pipeline, options=ReadOptions(offline=True))
    assert report.read == 14 and report.rejected == 14 and report.stored == 0
    assert {r.reason for r in report.rejects} == {"offline"}
    repeat = next(r for r in report.rejects if r.path.endswith("b.xml#1"))
    assert "the same URL as" in repeat.detail and repeat.detail.endswith("https://wire.example.org/bentiu-0")
    assert report.fetched == 0  # --offline: nothing was fetched, so nothing is claimed
    _balanced(report)


def test_repeats_of_a_fetched_url_are_skipped_as_repeats(feeds: Path, tmp_path: Path, pipeline: Pipeline) -> None:
    fetcher = _Fetcher()
    reader = Reader(ReadOptions(), fetcher=fetcher)  # type: ignore[arg-type]
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(feeds)], store, pipeline, reader=reader)
    assert len(fetcher.asked) == 3 and report.fetched == 3
    assert report.read == 14 and report.stored == 3 and report.skipped == 11 and report.rejected == 0
    assert {s.reason for s in report.skips} == {"repeated in this run"}
    assert all(s.original and s.original.endswith(("a.xml#1", "a.xml#2", "a.xml#3")) for s in report.skips)
    _balanced(report)


def test_a_folder_with_nothing_readable_is_rejected(tmp_path: Path, pipeline: Pipeline) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / ".hidden.txt").write_text("Fighting near Bentiu.")
    with open_store(tmp_path / "s.duckdb") as store:
        report = ingest([str(folder)], store, pipeline)
    (reject,) = report.rejects
    assert reject.path == str(folder) and reject.reason == "empty"
    assert "no file sitrep reads" in reject.detail and "1 file of other kinds" in reject.detail
    _balanced(report)


def test_an_input_that_gives_nothing_is_rejected(tmp_path: Path) -> None:
    blank = tmp_path / "blank.jsonl"
    blank.write_text("\n\n   \n")
    header = tmp_path / "header.csv"
    header.write_text("title,text,url\n")
    items = list(Reader().read([str(blank), str(header)]))
    assert [(i.path, i.reason) for i in items] == [(str(blank), "empty"), (str(header), "empty")]


def test_a_broken_symlink_is_rejected(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(tmp_path / "loop.txt")
    (item,) = Reader().read([str(loop)])
    assert item.reason == "unreadable"
