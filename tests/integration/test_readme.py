"""README.md is an executable contract: each of its blocks runs here and prints what it shows.

How blocks are marked and compared: tests/readme_blocks.py. The commands run through bash with
the venv's `sitrep` first on PATH; store queries run against a copy of the sample corpus store
(the session's `corpus_db`, shared with the server and browser tiers). The blocks that need no
store, the Python example and the store queries run side by side, so the pipeline loads overlap
the sample corpus ingest.
"""

from __future__ import annotations

import re
import shlex
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from readme_blocks import (
    KINDS,
    RUN_OPTIONS,
    Block,
    blocks,
    check,
    matches_shape,
    prepare,
    run_command,
    run_python,
)
from sitrep.cli import main

# Blocks the test never runs, by their first line, and why. A new block without a marker, or a
# `not run` block missing here, fails test_every_block_is_marked.
NOT_RUN = {
    "createuser sitrep && createdb --owner sitrep sitrep     # on the server, as the postgres user":
        "it needs a PostgreSQL server the reader runs; the same steps run against a throwaway cluster in "
        "tests/store_backends.py (every store, CLI and API suite on both backends), "
        "tests/integration/test_pg_concurrency.py (writers at once) and tests/unit/test_store_copy.py.",
    "make demo   # creates .venv, installs, ingests examples/ into ./sitrep.duckdb, serves the dashboard on "
    "http://127.0.0.1:8000/":
        "make demo installs (pip, npm, the gazetteer) and then serves until stopped; make test installs "
        "Debian's chromium and runs every tier, this test among them. Their parts are run here: the "
        "ingest of examples/ is the sample store these blocks query, and serve is tests/server.",
}

BLOCKS = blocks()
RUN = [b for b in BLOCKS if b.kind == "run"]
PYTHON = [b for b in BLOCKS if b.kind == "python"]


def _id(block: Block) -> str:
    return f"line{block.line}"


def test_every_block_is_marked() -> None:
    unmarked = [b.name for b in BLOCKS if b.kind is None]
    assert not unmarked, f"README blocks without a <!-- readme-test: ... --> marker: {unmarked}"
    assert {b.kind for b in BLOCKS} <= KINDS, {b.kind for b in BLOCKS}
    for block in RUN:
        assert block.options <= RUN_OPTIONS, (block.name, block.options)
        assert block.lang == "console" and block.commands(), f"{block.name}: a run block is `$ ` lines"
    skipped = {b.body.strip().splitlines()[0]: b for b in BLOCKS if b.kind == "not run"}
    assert set(skipped) == set(NOT_RUN), "README's `not run` blocks and NOT_RUN differ"
    for block in (b for b in BLOCKS if b.kind == "output"):
        before = BLOCKS[BLOCKS.index(block) - 1]
        assert before.kind == "python", f"{block.name}: an output block follows a python block"


def test_no_link_leaves_the_project() -> None:
    """The README and docs/ link only the project's own files (the design stays the engineers')."""
    root = Path(__file__).resolve().parents[2]
    for page in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)[^)]*\)", text):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / target).exists(), f"{page.name} links {target}, which the project lacks"
        assert "../shared" not in text and "DESIGN.md" not in text, page.name


def test_shape_matching() -> None:
    shown = "ingested 37 documents in 44.2s\n┏━━━┓\n...\n└───┘\nby status: ..."
    assert matches_shape(shown, "ingested 2 documents in 5.5s\n┏━━━━━┓\n│ A │\n│ B │\n└─────┘\nby status: x 1")
    assert not matches_shape(shown, "ingested 2 events in 5.5s\n┏━┓\n└─┘\nby status: x")


# -- the synopsis: every command exists and takes the options named ---------------------------

def _synopsis() -> list[tuple[list[str], list[str]]]:
    [block] = [b for b in BLOCKS if b.kind == "synopsis"]
    commands: list[tuple[list[str], list[str]]] = []
    for line in block.body.splitlines():
        usage = line.split("  #")[0]
        if usage.startswith("sitrep "):
            words = shlex.split(usage.replace("[", " ").replace("]", " ").replace("|", " "))[1:]
            path = []
            for word in words:
                if not re.fullmatch(r"[a-z][a-z0-9-]*", word):
                    break
                path.append(word)
            commands.append((path, []))
        words = shlex.split(usage.replace("[", " ").replace("]", " ").replace("|", " "))
        commands[-1][1].extend(w.split("=")[0] for w in words if re.fullmatch(r"--?[a-z][a-z0-9-]*(=.*)?", w))
    return commands


def test_synopsis_lists_every_command() -> None:
    listed = {path[0] for path, _ in _synopsis()}
    assert listed == set(main.commands), f"`sitrep --help` and the README's synopsis differ: {listed}"


SYNOPSIS = _synopsis()


@pytest.mark.parametrize(("path", "options"), SYNOPSIS, ids=[" ".join(path) for path, _ in SYNOPSIS])
def test_synopsis_line(path: list[str], options: list[str]) -> None:
    """The command exists (words that are not one of its subcommands are its arguments)."""
    group, used = main, []
    for word in path:
        sub = getattr(group, "commands", {}).get(word)
        if sub is None:
            break
        group, used = sub, [*used, word]
    result = CliRunner().invoke(main, [*used, "--help"])
    assert result.exit_code == 0, result.output
    params = {opt for p in group.params for opt in (*p.opts, *p.secondary_opts)}
    missing = [o for o in options if o not in params]
    assert not missing, f"sitrep {' '.join(used)} does not take {missing}"


# -- the run blocks -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def readme_outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[int, list[tuple[str, str, str, int]]]:
    """(command, shown, printed, exit status) of each run block, by line; Python blocks too."""
    fresh, store = tmp_path_factory.mktemp("readme-fresh"), tmp_path_factory.mktemp("readme-store")
    python_dir = tmp_path_factory.mktemp("readme-python")

    def run_blocks(selected: list[Block], folder: Path, sample: Path | None) -> dict[int, list]:
        out: dict[int, list] = {}
        for block in selected:
            prepare(folder, block, sample)
            out[block.line] = []
            for command, shown in block.commands():
                result = run_command(command, folder)
                out[block.line].append((command, shown, result.stdout, result.returncode))
        return out

    def run_pythons() -> dict[int, list]:
        out: dict[int, list] = {}
        for block in PYTHON:
            shown = BLOCKS[BLOCKS.index(block) + 1]
            result = run_python(block.body, python_dir)
            out[block.line] = [(block.body, shown.body, result.stdout + result.stderr, result.returncode)]
        return out

    with ThreadPoolExecutor(max_workers=3) as pool:
        lanes: list[Future[dict[int, list]]] = [
            pool.submit(run_blocks, [b for b in RUN if "sample-store" not in b.options], fresh, None),
            pool.submit(run_pythons),
        ]
        sample = request.getfixturevalue("corpus_db")
        lanes.append(pool.submit(run_blocks, [b for b in RUN if "sample-store" in b.options], store, sample))
        outputs: dict[int, list] = {}
        for lane in lanes:
            outputs.update(lane.result())
    return outputs


@pytest.mark.parametrize("block", RUN, ids=_id)
def test_run_block(block: Block, readme_outputs: dict[int, list]) -> None:
    for command, shown, printed, status in readme_outputs[block.line]:
        assert status == 0, f"{block.name}: `{command}` exited {status}:\n{printed}"
        problem = check(block, shown, printed)
        assert problem is None, f"{block.name}: `{command}` {problem}"


@pytest.mark.parametrize("block", PYTHON, ids=_id)
def test_python_block(block: Block, readme_outputs: dict[int, list]) -> None:
    [(_, shown, printed, status)] = readme_outputs[block.line]
    assert status == 0, printed
    assert check(Block(block.line, "text", "", "output"), shown, printed) is None, f"printed instead:\n{printed}"
