"""README.md as an executable contract: its fenced blocks, how each is checked, and a runner.

Every fenced block of README.md is preceded by a marker comment saying what the test does with it:

    <!-- readme-test: run [sample-store] [tiny-corpus] [shape] [json] -->   a console block: each
        `$ command` line runs in bash and what follows it, up to the next `$` line, is its output
        (stdout and stderr together, as a terminal shows them);
    <!-- readme-test: synopsis -->    usage lines: each `sitrep ...` command exists and takes the options named;
    <!-- readme-test: python -->      Python run as a script; its stdout is the next block,
    <!-- readme-test: output -->      marked output;
    <!-- readme-test: not run -->     never run; tests/integration/test_readme.py says why.

Where `run` blocks run: `run` blocks share one empty folder (so `aleppo.txt` written by one block
is there for the next), in README order; `sample-store` blocks share another whose ./sitrep.duckdb
is a copy of the sample corpus store (tests/server/sample_corpus.py); `tiny-corpus` puts two files of
examples/ in the folder's `examples/`, so `sitrep ingest examples/` is quick (its output then differs
in numbers: check it by shape).

How the output is compared: exactly (trailing spaces and blank lines aside), unless the marker says
`shape`: then a line `...` stands for any lines, `...` inside a line for any text, a number for any
number, a run of spaces for any run of spaces and a run of one box-drawing character for any run of
it (rich sizes its tables to their contents). `json`: both sides are JSON and must have the same keys
at every level (values may differ; a null may stand for any value).

`python tests/readme_blocks.py SAMPLE_STORE` prints what each run block prints today (to update the
README after a deliberate change of output).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = ROOT / ".venv" / "bin"
TINY_CORPUS = ("27-dalori-boko-haram.txt", "28-bamako-hotel-attack.txt")  # two short files of examples/

MARKER = re.compile(r"^<!-- readme-test: (?P<words>[a-z -]+?) -->$")
FENCE = re.compile(r"^```(?P<lang>[a-z]*)\n(?P<body>.*?)^```$", re.S | re.M)
KINDS = {"run", "synopsis", "python", "output", "not run"}
RUN_OPTIONS = {"sample-store", "tiny-corpus", "shape", "json"}


@dataclass
class Block:
    line: int  # 1-based line of the opening fence
    lang: str
    body: str
    kind: str | None  # None: no marker
    options: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        first = self.body.strip().splitlines()[0] if self.body.strip() else ""
        return f"README.md:{self.line} {first[:60]}"

    def commands(self) -> list[tuple[str, str]]:
        """(command, shown output) of a console block."""
        pairs: list[tuple[str, list[str]]] = []
        for line in self.body.splitlines():
            if line.startswith("$ "):
                pairs.append((line[2:], []))
            elif pairs:
                pairs[-1][1].append(line)
            elif line.strip():
                raise ValueError(f"{self.name}: output before any `$ ` command")
        return [(cmd, "\n".join(out)) for cmd, out in pairs]


def blocks(text: str | None = None) -> list[Block]:
    text = README.read_text(encoding="utf-8") if text is None else text
    found = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.match(before)
        kind, options = None, frozenset()
        if marker:
            words = marker["words"].split()
            if words[:2] == ["not", "run"]:
                kind, options = "not run", frozenset(words[2:])
            else:
                kind, options = words[0], frozenset(words[1:])
        found.append(Block(line, match["lang"], match["body"], kind, options))
    return found


# -- running ----------------------------------------------------------------------------------

def env() -> dict[str, str]:
    out = {k: v for k, v in os.environ.items()
           if k not in ("SITREP_DB", "COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    out["PATH"] = os.pathsep.join((str(BIN), out.get("PATH", "")))
    return out


def prepare(folder: Path, block: Block, sample_store: Path | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if "sample-store" in block.options and not (folder / "sitrep.duckdb").exists():
        if sample_store is None:
            raise ValueError(f"{block.name} needs the sample store")
        shutil.copyfile(sample_store, folder / "sitrep.duckdb")
    if "tiny-corpus" in block.options:
        (folder / "examples").mkdir(exist_ok=True)
        for name in TINY_CORPUS:
            shutil.copyfile(ROOT / "examples" / name, folder / "examples" / name)


def run_command(command: str, folder: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=folder, env=env(), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)


def run_python(source: str, folder: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "python"), "-c", source], cwd=folder, env=env(), capture_output=True,
                          text=True, timeout=timeout)


# -- comparing --------------------------------------------------------------------------------

def normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()).strip("\n")


_BOX = "━─┏┓┗┛┃│┳┻╋┡┩╇└┘┴┬├┤┼═"
_TOKEN = re.compile(r"(\.\.\.)|(\d+(?:\.\d+)?)|( +)|([" + _BOX + r"])\4*")


def shape_pattern(expected: str) -> re.Pattern[str]:
    parts = []
    for line in normal(expected).splitlines():
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        pattern, pos = "", 0
        for token in _TOKEN.finditer(line):
            pattern += re.escape(line[pos:token.start()])
            if token[1]:
                pattern += r"[^\n]*?"
            elif token[2]:
                pattern += r"\d+(?:\.\d+)?"
            elif token[3]:
                pattern += " +"
            else:
                pattern += re.escape(token[4]) + "+"
            pos = token.end()
        parts.append(pattern + re.escape(line[pos:]) + r"\n")
    return re.compile("".join(parts), re.S)


def matches_shape(expected: str, actual: str) -> bool:
    return shape_pattern(expected).fullmatch(normal(actual) + "\n") is not None


def json_shape_diff(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ in keys (a null on the README side stands for any value)."""
    if expected is None:
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: an object in the README, {type(actual).__name__} printed"]
        diffs = []
        if set(expected) != set(actual):
            diffs.append(f"{path}: keys only in the README {sorted(set(expected) - set(actual))}, "
                         f"only printed {sorted(set(actual) - set(expected))}")
        for key in set(expected) & set(actual):
            diffs += json_shape_diff(expected[key], actual[key], f"{path}.{key}")
        return diffs
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: a list in the README, {type(actual).__name__} printed"]
        if expected and actual:
            return json_shape_diff(expected[0], actual[0], f"{path}[0]")
        return []
    return []


def check(block: Block, expected: str, actual: str) -> str | None:
    """None when `actual` is what the README shows, else why not."""
    if "json" in block.options:
        try:
            diffs = json_shape_diff(json.loads(expected), json.loads(actual))
        except json.JSONDecodeError as err:
            return f"not JSON: {err}\n{actual}"
        return "\n".join(diffs) or None
    if "shape" in block.options:
        return None if matches_shape(expected, actual) else f"not the shape shown:\n{actual}"
    return None if normal(expected) == normal(actual) else f"printed instead:\n{actual}"


def main(sample_store: str) -> None:  # pragma: no cover - a maintainer's tool
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        fresh, store = Path(tmp) / "fresh", Path(tmp) / "store"
        for block in blocks():
            if block.kind == "python":
                fresh.mkdir(parents=True, exist_ok=True)
                print(f"## {block.name}\n{run_python(block.body, fresh).stdout}")
            if block.kind != "run":
                continue
            folder = store if "sample-store" in block.options else fresh
            prepare(folder, block, Path(sample_store))
            print(f"## {block.name}")
            for command, _ in block.commands():
                print(f"$ {command}\n{run_command(command, folder).stdout}", end="")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1])
