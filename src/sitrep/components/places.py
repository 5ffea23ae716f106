"""Place mentions: found by the statistical NER and by gazetteer matching, resolved in context.

The small English model misses many Syrian towns, so capitalised word runs are also looked up
in the gazetteer; to keep ordinary words from turning into places, such gazetteer-only
matches must be large, hand-kept or in the document's own country. Resolution picks, among
same-named places, the one that fits the document: its focus country (the country most
places and demonyms point to), "X province" wording, and population.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from sitrep.components.base import BaseComponent, parsed
from sitrep.document import Document, Mention, Span
from sitrep.knowledge.actors import get_actors
from sitrep.knowledge.gazetteer import Gazetteer, Place, get_gazetteer, normalize
from sitrep.knowledge.loader import data_file

PLACE_LABELS = {"GPE", "LOC", "FAC"}
NOT_PLACE_LABELS = {"PERSON", "ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY",
                    "PERCENT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
ADMIN_WORDS = {"province", "provinces", "governorate", "governorates", "region", "state", "oblast"}
CONNECTORS = {"al", "el", "ez", "az", "as", "ad", "an", "ar", "at", "ash", "ad-", "al-", "bin", "ibn", "de", "of"}
MAX_TOKENS = 5
DATE_WORD = re.compile(
    r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$", re.IGNORECASE
)


class PlaceRecognizer(BaseComponent):
    """Adds PLACE mentions with a resolved gazetteer entry in `norm["location"]`."""

    def __init__(self, *, min_population_unlisted: int = 20000, gazetteer: Gazetteer | None = None) -> None:
        self.min_population = min_population_unlisted
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer or get_gazetteer()

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        candidates = self._candidates(sdoc)
        focus = self._focus_country(sdoc, candidates)
        doc.ext["focus_country"] = focus
        for span, places, from_ner in candidates:
            place = self._resolve(sdoc, span, places, focus)
            if place is None:
                if from_ner and not places:
                    doc.mentions.append(Mention("PLACE", Span(span.start_char, span.end_char), span.text,
                                                {"location": None}, by="places", score=0.3))
                continue
            if not from_ner and not self._plausible_unlisted(place, focus):
                continue
            location = place.as_location(span.text)
            doc.mentions.append(Mention(
                "PLACE", Span(span.start_char, span.end_char), span.text,
                {"location": location, "feature": place.feature, "country2": place.country,
                 "population": place.population},
                by="places", score=0.9 if from_ner else 0.7,
            ))
        return doc

    # -- candidates -------------------------------------------------------------------------
    def _candidates(self, sdoc: SpacyDoc) -> list[tuple[SpacySpan, list[Place], bool]]:
        out: list[tuple[SpacySpan, list[Place], bool]] = []
        taken: set[int] = set()
        for ent in sdoc.ents:
            if ent.label_ in PLACE_LABELS:
                span = _trim(ent)
                if span is None:
                    continue
                out.append((span, self.gazetteer.lookup(span.text), True))
                taken.update(range(ent.start, ent.end))
            elif ent.label_ in ("ORG", "NORP") and not self._known_actor(ent.text):
                continue  # the small model tags "Daraa" ORG and "north Aleppo" NORP: let the gazetteer judge
            elif ent.label_ in NOT_PLACE_LABELS:
                # the small model reads "Aleppo days before" as one DATE: a capitalised word that
                # is not a month or weekday stays free for gazetteer matching
                taken.update(t.i for t in ent if not (ent.label_ in ("DATE", "TIME", "CARDINAL")
                                                      and _capitalised(t) and not DATE_WORD.match(t.text)))
        i = 0
        while i < len(sdoc):
            match = None if i in taken else self._longest_match(sdoc, i, taken)
            if match is None:
                i += 1
                continue
            span, places = match
            out.append((span, places, False))
            i = span.end
        return sorted(out, key=lambda c: c[0].start)

    @staticmethod
    def _known_actor(text: str) -> bool:
        actors = get_actors()
        return bool(actors.lookup(text)) or normalize(text) in actors.demonyms

    def _longest_match(self, sdoc: SpacyDoc, i: int, taken: set[int]) -> tuple[SpacySpan, list[Place]] | None:
        if not _capitalised(sdoc[i]):
            return None
        for end in range(min(len(sdoc), i + MAX_TOKENS), i, -1):
            span = sdoc[i:end]
            if any(t.i in taken for t in span) or not _capitalised(span[-1]):
                continue
            if any(not (_capitalised(t) or t.lower_ in CONNECTORS or t.text == "-") for t in span):
                continue
            if len(span) == 1 and (span[0].is_sent_start or span[0].pos_ not in ("PROPN", "ADJ", "NOUN")):
                continue  # a lone capitalised word at a sentence start is rarely a place
            if normalize(span.text) in _not_places():
                continue
            places = self.gazetteer.lookup(span.text)
            if places:
                return span, places
        return None

    # -- resolution -------------------------------------------------------------------------
    def _focus_country(self, sdoc: SpacyDoc, candidates: list[tuple[SpacySpan, list[Place], bool]]) -> str | None:
        """The country the text is about: votes from demonyms and each mention's likeliest place."""
        votes: Counter[str] = Counter()
        actors = get_actors()
        for token in sdoc:
            iso3 = actors.demonyms.get(normalize(token.text)) if token.ent_type_ == "NORP" else None
            if iso3:
                votes[iso3] += 1
        for _span, places, from_ner in candidates:
            if places:
                top = max(places, key=lambda p: p.population)
                if top.country3 and (from_ner or top.population >= self.min_population):
                    votes[top.country3] += 2 if top.feature != "country" else 1
        return votes.most_common(1)[0][0] if votes else None

    def _resolve(self, sdoc: SpacyDoc, span: SpacySpan, places: list[Place], focus: str | None) -> Place | None:
        if not places:
            return None
        admin_hint = _admin_hint(sdoc, span)
        exact = normalize(span.text)

        def score(place: Place) -> float:
            value = math.log10(place.population + 10)
            if focus and place.country3 == focus:
                value += 3.0
            if place.feature == "country":
                value += 4.0 if normalize(place.name) == exact else 0.0
            if place.feature == "admin1":
                value += 3.0 if admin_hint else -1.5
            if normalize(place.name) == exact:
                value += 0.5
            return value

        return max(places, key=score)

    def resolve_span(self, doc: Document, start: int, end: int) -> dict[str, Any] | None:
        """The location this component would give the text at [start, end) of a processed document.

        Scoring resolution on gold toponyms (`sitrep eval geo`) needs the resolver alone, fed spans
        the recogniser may have missed, in the same document context (focus country, "X province").
        """
        sdoc = parsed(doc)
        span = sdoc.char_span(start, end, alignment_mode="expand")
        text = doc.text[start:end]
        places = self.gazetteer.lookup(text) if text.strip() else []
        if span is None or not places:
            return None
        focus = doc.ext["focus_country"] if "focus_country" in doc.ext else self._focus_country(
            sdoc, self._candidates(sdoc))
        place = self._resolve(sdoc, span, places, focus)
        return place.as_location(text) if place else None

    def _plausible_unlisted(self, place: Place, focus: str | None) -> bool:
        """A gazetteer-only match must be hand-kept, large, or a sizeable place in the focus country."""
        in_focus = focus is not None and place.country3 == focus
        if place.feature == "admin1":
            return in_focus
        if place.feature not in ("city", "town", "village", "country"):
            return True  # hand-kept regions, valleys, camps, crossings
        return place.population >= self.min_population or (in_focus and place.population >= 1000)


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    lines = data_file("gazetteer", "not_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(normalize(line) for line in lines if line.strip() and not line.startswith("#"))


def _capitalised(token: object) -> bool:
    text = getattr(token, "text", "")
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)


def _trim(ent: SpacySpan) -> SpacySpan | None:
    """Drop a leading article ("the Barada Valley" -> "Barada Valley")."""
    start = ent.start
    while start < ent.end and ent.doc[start].lower_ in ("the",):
        start += 1
    return ent.doc[start:ent.end] if start < ent.end else None


def _admin_hint(sdoc: SpacyDoc, span: SpacySpan) -> bool:
    """True when "province"/"governorate" follows the name, even across a list ("Daraa and Latakia provinces")."""
    for token in sdoc[span.end : min(len(sdoc), span.end + 5)]:
        if token.lower_ in ADMIN_WORDS:
            return True
        if token.is_punct and token.text != "," or token.lower_ in ("in", "on", "near", "the"):
            return False
    return False
