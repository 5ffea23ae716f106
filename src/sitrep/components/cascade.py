"""The parse cascade (opt-in, `[components.sentences] cascade = true`; issue 16 item 1).

Most sentences of a news article report no event. The cascade cuts the parse text into rough
sentences (a punctuation rule; paragraph breaks), flags those whose words may be an inflection of a
trigger lexicon lemma, and parses each run of flagged sentences, with one sentence of context on
either side and the opening one (headline, dateline), through the whole spaCy pipeline. The other
runs get the named-entity recogniser only (its own embedding: places, actors, dates and the story's
focus country still see their entities) and a flat tree per rough sentence, so `Doc.sents` and
`Token.is_sent_start` answer. The runs are joined with `Doc.from_docs`: the text and every offset
are those of the whole parse text. An article with every sentence flagged is parsed exactly as
without the cascade.

Why hand-written: spaCy's own `senter` or `sentencizer` would decide every sentence boundary anew;
here the parser still decides them inside the flagged runs, and a false split of the rough rule
("Mr. Smith") inside a run costs nothing because a run is parsed as one text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc as SpacyDoc

# a rough sentence ends at . ! ? (and closing quotes or brackets) before a capital, a digit or an
# opening quote, or at a line break; the whitespace stays with the sentence before
_BOUNDARY = re.compile(r"(?<=[.!?])['\"”’)\]]*\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*")
_WORD = re.compile(r"[a-z]+")
# the pipes a run without a flagged sentence skips: the shared embedding and what listens to it
_COLD_SKIP = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "sitrep_paragraph_breaks")


def rough_sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) character ranges that tile `text` exactly, one per rough sentence."""
    cuts = [m.end() for m in _BOUNDARY.finditer(text) if 0 < m.end() < len(text)]
    starts = [0, *sorted(set(cuts))]
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def _lemma_guesses(word: str) -> set[str]:
    """Lemmas a lower-case word may inflect, by English suffix rules (over-guessing only costs speed)."""
    out = {word}
    for suffix, repl in (("s", ""), ("es", ""), ("ies", "y"), ("ied", "y"), ("ed", ""), ("d", ""),
                         ("ing", ""), ("ing", "e"), ("ings", ""), ("ings", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)] + repl
            out.add(stem)
            if len(stem) > 2 and stem[-1] == stem[-2] and not repl:  # "stabbed", "shelling"
                out.add(stem[:-1])
    return out


class TriggerFlagger:
    """Whether a piece of text may hold a trigger: every lemma of some trigger is among the lemmas its
    words may inflect (suffix rules, and the lemmatizer's exception table: "fought" -> "fight")."""

    def __init__(self, triggers: Iterable[tuple[str, ...]], exceptions: dict[str, set[str]]) -> None:
        self.triggers: dict[str, list[frozenset[str]]] = {}
        for lemmas in triggers:
            words = [lemma.lower() for lemma in lemmas]
            self.triggers.setdefault(words[0], []).append(frozenset(words))
        self.exceptions = exceptions

    def __call__(self, text: str) -> bool:
        guessed: set[str] = set()
        for word in set(_WORD.findall(text.lower())):
            guessed |= self._guesses(word)
        return any(lemmas <= guessed for first in guessed & self.triggers.keys() for lemmas in self.triggers[first])

    @lru_cache(maxsize=65536)  # noqa: B019 - one flagger per pipeline; words repeat across articles
    def _guesses(self, word: str) -> frozenset[str]:
        return frozenset(_lemma_guesses(word) | self.exceptions.get(word, set()))


def lemma_exceptions(nlp: Language) -> dict[str, set[str]]:
    """form -> lemmas of the English lemmatizer's exception tables (irregular verbs and nouns)."""
    out: dict[str, set[str]] = {}
    if "lemmatizer" not in nlp.pipe_names:
        return out
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_exc"):
        return out
    for table in lookups.get_table("lemma_exc").values():
        for form, lemmas in table.items():
            out.setdefault(form.lower(), set()).update(lemma.lower() for lemma in lemmas)
    return out


def runs(text: str, flag: TriggerFlagger, context: int = 1) -> list[tuple[int, int, bool, list[int]]]:
    """(start, end, hot, rough-sentence starts) per run of consecutive rough sentences: a run is hot
    when it must be parsed whole (a flagged sentence, `context` sentences either side, the opening one)."""
    pieces = rough_sentences(text)
    flagged = [flag(text[a:b]) for a, b in pieces]
    hot = [i == 0 or any(flagged[max(0, i - context) : i + context + 1]) for i in range(len(pieces))]
    out: list[tuple[int, int, bool, list[int]]] = []
    for (a, b), h in zip(pieces, hot, strict=True):
        if out and out[-1][2] == h:
            start, _, _, starts = out[-1]
            out[-1] = (start, b, h, [*starts, a])
        else:
            out.append((a, b, h, [a]))
    return out


def flat_trees(sdoc: SpacyDoc, char_starts: list[int], offset: int) -> None:
    """One flat tree per rough sentence (every token headed by its first), so the joined Doc's
    sentence marks (spaCy derives them from the heads) are the rough sentences."""
    if not len(sdoc):
        return
    wanted = set(char_starts)
    token_starts = sorted({0, *(t.i for t in sdoc if t.idx + offset in wanted)})
    root, dep = sdoc.vocab.strings.add("ROOT"), sdoc.vocab.strings.add("dep")
    values = numpy.zeros((len(sdoc), 2), dtype="int64")
    for i in range(len(sdoc)):
        first = token_starts[bisect_right(token_starts, i) - 1]
        values[i] = (first - i, root if first == i else dep)
    sdoc.from_array([HEAD, DEP], values.astype("uint64"))


def cascade_parse(nlp: Language, texts: list[str], flag: TriggerFlagger, context: int = 1) -> list[SpacyDoc]:
    """Each text parsed by the cascade: hot runs by the whole pipeline, cold runs by the NER only."""
    plans = [runs(text, flag, context) for text in texts]
    hot_texts = [text[a:b] for text, plan in zip(texts, plans, strict=True) for a, b, h, _ in plan if h]
    cold_texts = [text[a:b] for text, plan in zip(texts, plans, strict=True) for a, b, h, _ in plan if not h]
    hot_docs = iter(list(nlp.pipe(hot_texts)))
    skip = [name for name in _COLD_SKIP if name in nlp.pipe_names]
    cold_docs = iter(list(nlp.pipe(cold_texts, disable=skip)) if cold_texts else [])
    out: list[SpacyDoc] = []
    for plan in plans:
        parts: list[SpacyDoc] = []
        for a, _b, h, starts in plan:
            if h:
                parts.append(next(hot_docs))
            else:
                part = next(cold_docs)
                flat_trees(part, starts, a)
                parts.append(part)
        if len(parts) == 1 and plan[0][2]:
            out.append(parts[0])  # every sentence flagged: the plain parse
        else:
            kept = [p for p in parts if len(p)] or parts[:1]
            out.append(SpacyDoc.from_docs(kept, ensure_whitespace=False, exclude=["tensor"]))
    return out
