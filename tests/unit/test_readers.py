"""Readers turn files, folders and JSONL lines into Documents or rejections, never crashes."""

import json
from pathlib import Path

from sitrep.document import Document
from sitrep.ingest import Reject, read_paths


def _read(*paths: Path) -> list:
    return list(read_paths([str(p) for p in paths]))


def test_folder_is_read_recursively_and_readme_skipped(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Rebels shelled the town.")
    (tmp_path / "sub" / "b.txt").write_text("Troops withdrew from the valley.")
    (tmp_path / "README.md").write_text("# not an article")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    items = _read(tmp_path)
    assert [type(i) for i in items] == [Document, Document]


def test_jsonl_bad_lines_are_rejected_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    good = {"text": "Aid reached Madaya.", "title": "Aid", "url": "https://example.org/1", "published": "2016-01-11"}
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"title": "no text"}), ""]))
    items = _read(path)
    docs = [i for i in items if isinstance(i, Document)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert len(docs) == 1 and docs[0].source.url == "https://example.org/1"
    assert {r.reason for r in rejects} == {"malformed JSON line", "no text"}
    assert all(r.path.startswith(str(path) + ":") for r in rejects)


def test_empty_binary_and_missing_inputs_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "bin.txt").write_bytes(b"abc\x00def")
    (tmp_path / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    items = _read(tmp_path / "empty.txt", tmp_path / "bin.txt", tmp_path / "latin.txt", tmp_path / "nope.txt")
    empty, binary, latin, missing = items
    assert [i.reason for i in (empty, binary, missing)] == ["empty", "binary", "not found"]
    # text in another encoding is kept, decoded, with a warning (never lost)
    assert isinstance(latin, Document) and "café" in latin.text
    assert [w.reason for w in latin.ext["warnings"]] == ["not UTF-8"]


def test_bad_front_matter_date_is_a_rejection(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("---\npublished: yesterday\n---\nText.")
    (item,) = _read(tmp_path / "a.txt")
    assert isinstance(item, Reject) and item.reason == "bad metadata"
