"""Give text written in capitals its ordinary case, character for character, for the parser.

The small spaCy model was trained on mixed-case news: in capitals it tags most words as proper
nouns and finds names everywhere. A truecased copy lets it read wire copy as it reads the rest.

Each word gets, in order: the casing of a known multi-word name ("Farabundo Marti National
Liberation Front"); for a word that is also an acronym (IS, WHO, US) the reading the context
cues of truecase.yaml choose; the most frequent casing learned from mixed-case text
(data/truecase.tsv, made by `sitrep train truecase`); lower case for an English word; else a
capital initial (an unseen word in capitals is most often a name: "CASTELLAR"). The first word
of a sentence is capitalised. A change never alters the length, so offsets hold.

Hand-written rather than a library: the truecasing packages on PyPI either download a model at
run time or change lengths (they re-tokenise), and offsets into the original text must hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.knowledge.loader import data_file, load_yaml

WORD = re.compile(r"[^\W\d_]+")
VOWELS = set("aeiouyAEIOUY")
SENTENCE_END = set(".!?")  # not "]": "[FMLN] IN SAN MIGUEL" goes on
MAX_PHRASE = 8


def read_table(path: Path) -> tuple[dict[str, str], dict[tuple[str, ...], tuple[str, ...]]]:
    """Words and phrases of a truecase table: one cased form a line, `#` comments."""
    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    if not path.exists():
        return words, phrases
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            form = line.rstrip("\n")
            if not form or form.startswith("#"):
                continue
            parts = tuple(WORD.findall(form))
            if len(parts) == 1:
                words[parts[0].lower()] = parts[0]
            elif len(parts) > 1:
                phrases[tuple(p.lower() for p in parts)] = parts
    return words, phrases


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English base forms and function words, from the spaCy model's own lemma tables."""
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    words = set(nlp.Defaults.stop_words)
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        for name in ("lemma_index", "lemma_exc"):
            if lookups.has_table(name):
                for entries in lookups.get_table(name).values():
                    words.update(w for w in entries if "_" not in w)
    return frozenset(words)


@lru_cache(maxsize=1)
def _suffix_rules() -> tuple[tuple[str, str], ...]:
    from sitrep.nlp import get_nlp

    nlp = get_nlp()
    if "lemmatizer" not in nlp.pipe_names:
        return ()
    lookups = nlp.get_pipe("lemmatizer").lookups
    rules: set[tuple[str, str]] = set()
    if lookups.has_table("lemma_rules"):
        for entries in lookups.get_table("lemma_rules").values():
            rules.update((old, new) for old, new in entries if old and old.isalpha())
    rules.update({("ing", ""), ("ing", "e"), ("ed", ""), ("ly", ""), ("s", "")})
    return tuple(sorted(rules))


def is_english(word: str) -> bool:
    """A lower-case English word or an inflection of one (the rule lemmatizer's suffix rules)."""
    lower = word.lower()
    known = english_words()
    if lower in known:
        return True
    return any(lower.endswith(old) and len(lower) > len(old) + 1 and lower[: -len(old)] + new in known
               for old, new in _suffix_rules())


@dataclass
class Acronym:
    """An acronym that is also a word ("IS" / "is"): the cues that keep the acronym."""

    word: str
    default: str  # "lower" or "upper": the reading without a cue
    upper_after: frozenset[str] = frozenset()
    upper_before: frozenset[str] = frozenset()
    upper_before_needs: frozenset[str] = frozenset()  # previous words that let upper_before apply
    lower_after: frozenset[str] = frozenset()
    lower_before: frozenset[str] = frozenset()
    bracketed: bool = True  # "(IS)", "[WHO]": a bracketed acronym after the spelled-out name
    comma_opens: bool = True  # a comma opens a clause ("IN RAQQA, IS FIGHTERS"); not for a relative "who"

    @classmethod
    def from_yaml(cls, word: str, entry: dict[str, Any]) -> Acronym:
        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in entry.get(key) or ())

        return cls(word.upper(), entry.get("default", "lower"), words("upper_after"), words("upper_before"),
                   words("upper_before_needs"), words("lower_after"), words("lower_before"),
                   bool(entry.get("bracketed", True)), bool(entry.get("comma_opens", True)))

    def reads_upper(self, prev: str, nxt: str, left: str, right: str, sentence_start: bool) -> bool:
        """Whether the cues around the word (lower-cased neighbours, raw text either side) say acronym."""
        if self.bracketed and left.rstrip()[-1:] in "([" and right.lstrip()[:1] in ")]" and left.strip():
            return True
        if prev in self.lower_after or nxt in self.lower_before:
            return False
        if prev in self.upper_after:
            return True
        punct = left.rstrip()[-1:]
        opens = (sentence_start or prev in self.upper_before_needs or (punct in ";:(\"'-" and punct != "")
                 or (punct == "," and self.comma_opens))
        if nxt in self.upper_before and (not self.upper_before_needs or opens):
            return True
        return self.default == "upper"


@dataclass
class Truecaser:
    words: dict[str, str]
    phrases: dict[tuple[str, ...], tuple[str, ...]]
    acronyms: dict[str, Acronym] = field(default_factory=dict)
    keep_upper: frozenset[str] = frozenset()

    def truecase(self, text: str) -> str:
        """A copy of `text` with ordinary casing, the same length, character for character."""
        matches = list(WORD.finditer(text))
        lowers = [m.group().lower() for m in matches]
        forms: list[str | None] = [None] * len(matches)
        i = 0
        while i < len(matches):  # known multi-word names first, longest match
            for n in range(min(MAX_PHRASE, len(matches) - i), 1, -1):
                key = tuple(lowers[i : i + n])
                if key in self.phrases and _adjacent(text, matches[i : i + n]):
                    for k, part in enumerate(self.phrases[key]):
                        forms[i + k] = part
                    i += n
                    break
            else:
                i += 1
        out = list(text)
        for i, m in enumerate(matches):
            word = m.group()
            start = _sentence_start(text, m.start())
            form = forms[i] or self._word(text, matches, lowers, i, start)
            if start and form[:1].islower():
                form = form[:1].upper() + form[1:]
            for k, (orig, new) in enumerate(zip(word, form, strict=False)):
                if new.lower() == orig.lower():  # a case change only, never a different letter
                    out[m.start() + k] = new
        return "".join(out)

    def _word(self, text: str, matches: list[re.Match[str]], lowers: list[str], i: int, start: bool) -> str:
        word, lower = matches[i].group(), lowers[i]
        if not word.isupper():
            return word  # already mixed case: leave it
        if i and matches[i].start() > 0 and text[matches[i].start() - 1] in "'\u2019" and len(word) <= 2:
            return lower  # CASTELLAR'S, DON'T
        acronym = self.acronyms.get(word)
        if acronym is not None:
            prev = lowers[i - 1] if i else ""
            nxt = lowers[i + 1] if i + 1 < len(matches) else ""
            left = text[max(0, matches[i].start() - 3) : matches[i].start()]
            right = text[matches[i].end() : matches[i].end() + 3]
            return word if acronym.reads_upper(prev, nxt, left, right, start) else lower
        if lower in self.words:
            return self.words[lower]
        if word in self.keep_upper:
            return word
        if len(word) == 1 and text[matches[i].end() : matches[i].end() + 1] == ".":
            return word  # an initial or an abbreviation: "JOSE A. PEREZ", "U.S."
        if len(word) == 1 or is_english(lower):
            return lower
        if not VOWELS & set(word):
            return word  # FMLN, DRC: no vowel, an acronym
        return word[0] + lower[1:]


def _adjacent(text: str, matches: list[re.Match[str]]) -> bool:
    """The words of a phrase are separated by spaces or a hyphen only."""
    return all(text[a.end() : b.start()].strip(" -") == "" for a, b in zip(matches, matches[1:], strict=False))


def _sentence_start(text: str, pos: int) -> bool:
    """The word opens a sentence: nothing before it, a line break, or a full stop before it."""
    k = pos - 1
    while k >= 0 and (text[k].isspace() or text[k] in "\"'([\u201c\u2018-"):
        if text[k] == "\n":  # a line break the wrap joining kept is a break for the parser too
            return True
        k -= 1
    if k >= 1 and text[k] == "." and text[k - 1].isalpha() and (k < 2 or not text[k - 2].isalpha()):
        return False  # the stop of an initial or abbreviation: "A. PEREZ", "U.S. CITIZEN"
    return k < 0 or text[k] in SENTENCE_END


def load_truecaser(table: Path | None = None, cues: Path | None = None) -> Truecaser:
    """The shipped table and cues, or the files given."""
    words, phrases = read_table(table or data_file("truecase.tsv"))
    raw = load_yaml(cues or data_file("truecase.yaml")) or {}
    acronyms = {w.upper(): Acronym.from_yaml(w, e or {}) for w, e in (raw.get("acronyms") or {}).items()}
    keep = frozenset(str(w).upper() for w in raw.get("keep_upper") or ())
    return Truecaser(words, phrases, acronyms, keep)


@lru_cache(maxsize=1)
def get_truecaser() -> Truecaser:
    """The shipped truecaser, loaded once per process."""
    return load_truecaser()
