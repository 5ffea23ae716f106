"""Place mentions: found by the statistical NER and by gazetteer matching, resolved in context.

Recognition: the small English model misses many towns, so capitalised word runs (with
Arabic articles and hyphens, "northern Aleppo countryside") are also looked up in the
gazetteer. To keep ordinary words from turning into places, a gazetteer-only match must be
large, hand-kept, an admin unit or country, or in the document's own country; a run the NER
calls a person or organisation must also fit the document's country. A trailing feature word
("Arimba village", "Idlib province", "Nabha district") is read as a hint and not looked up.

Resolution is joint over the document (`resolve.py` holds the scoring): each mention's
candidates are scored by population, feature type against the hint, the document's focus
country, the admin units and countries the text names around it ("Badah town (Larkana,
Sindh)", "Merida, Merida state"), and nearness to the other places resolved.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from sitrep.components.base import BaseComponent, parsed
from sitrep.components.place_resolve import Toponym, feature_hint, resolve_toponyms
from sitrep.document import Document, Mention, Span
from sitrep.knowledge.actors import get_actors
from sitrep.knowledge.gazetteer import Gazetteer, get_gazetteer, normalize
from sitrep.knowledge.loader import data_file

PLACE_LABELS = {"GPE", "LOC", "FAC"}
WEAK_LABELS = {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
HARD_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "LANGUAGE"}
CONNECTORS = {"al", "el", "ez", "az", "as", "ad", "an", "ar", "at", "ash", "bin", "ibn", "de", "of", "del", "la",
              "do", "da", "des", "du", "y", "i", "e", "-", "'s"}
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "northeastern",
              "northwestern", "southeastern", "southwestern", "central", "rural", "greater", "upper", "lower"}
TAIL_WORDS = {"countryside", "province", "governorate", "valley", "camp", "district", "crossing", "airbase",
              "region", "state", "county", "parish", "city", "town", "village", "area", "lga", "municipality",
              "sub-district", "subdistrict", "neighbourhood", "neighborhood", "camps", "border", "front", "plain",
              "desert", "mountains", "island", "islands"}
MAX_TOKENS = 6
MONTH_OR_DAY = re.compile(
    r"^(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?$|"
    r"^(january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)$", re.IGNORECASE)
DATE_WORD = re.compile(
    r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$", re.IGNORECASE
)


class PlaceRecognizer(BaseComponent):
    """Adds PLACE mentions with a resolved gazetteer entry in `norm["location"]`."""

    def __init__(self, *, min_population_unlisted: int = 20000, gazetteer: Gazetteer | None = None,
                 extra_files: list[str] | tuple[str, ...] = ()) -> None:
        self.min_population = min_population_unlisted
        self._gazetteer = gazetteer
        self.extra_files = tuple(extra_files)

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer or get_gazetteer(self.extra_files)

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        toponyms = self._candidates(sdoc)
        focus = resolve_toponyms(sdoc, toponyms, get_actors().demonyms, self.min_population)
        doc.ext["focus_country"] = focus
        doc.ext["toponyms"] = toponyms
        for top in toponyms:
            if top.place is None:
                if top.from_ner and not top.candidates and top.label in PLACE_LABELS:
                    doc.mentions.append(Mention("PLACE", Span(top.start, top.end), top.text,
                                                {"location": None, "hint": top.hint}, by="places", score=0.3))
                continue
            location = top.place.as_location(top.text)
            doc.mentions.append(Mention(
                "PLACE", Span(top.start, top.end), top.text,
                {"location": location, "feature": top.place.feature, "country2": top.place.country,
                 "population": top.place.population, "hint": top.hint, "admin2": top.place.admin2,
                 "point": (top.place.lat, top.place.lon)},
                by="places", score=0.9 if top.from_ner else 0.7,
            ))
        return doc

    # -- candidates -------------------------------------------------------------------------
    def _candidates(self, sdoc: SpacyDoc) -> list[Toponym]:
        out: list[Toponym] = []
        taken: set[int] = set()
        weak: set[int] = set()
        for ent in sdoc.ents:
            if ent.label_ in PLACE_LABELS:
                for part in _comma_parts(ent):  # "Cardenas, San Luis Potosi" is two places
                    top = self._toponym(part, from_ner=True, label=ent.label_)
                    if top is not None:
                        out.append(top)
                taken.update(range(ent.start, ent.end))
            elif ent.label_ in WEAK_LABELS:
                weak.update(range(ent.start, ent.end))
            elif ent.label_ in HARD_LABELS:
                # the small model reads "Aleppo days before" as one DATE: a capitalised word that
                # is not a month or weekday stays free for gazetteer matching
                taken.update(t.i for t in ent if not (_capitalised(t) and not DATE_WORD.match(t.text)))
        i = 0
        while i < len(sdoc):
            top = None if i in taken else self._longest_match(sdoc, i, taken, weak)
            if top is None:
                i = _run_end(sdoc, i, taken) if i not in taken and _capitalised(sdoc[i]) else i + 1
                continue
            out.append(top)
            i = top.token_end
        return sorted(out, key=lambda t: t.start)

    def _toponym(self, span: SpacySpan, *, from_ner: bool, label: str = "", weak: bool = False) -> Toponym | None:
        """The toponym in a span: leading "the" and a trailing feature word or "'s" are not looked up."""
        start, end = span.start, span.end
        doc = span.doc
        while start < end and doc[start].lower_ in ("the",):
            start += 1
        for k in range(start, end):
            if doc[k].text in ("(", ")", "[", ";"):
                end = k  # "Yerevan (Yerevan, Armenia": the NER ran past a bracket
                break
        while end > start and doc[end - 1].text in ("'s", "’s", "-", ",", "."):
            end -= 1
        if start >= end:
            return None
        full = doc[start:end]
        candidates = self.gazetteer.candidates(full.text)
        hint = feature_hint(doc, full)
        if not candidates and end - start > 1 and doc[end - 1].lower_ in TAIL_WORDS:
            core = doc[start : end - 1]
            hint = feature_hint(doc, core)
            candidates = self.gazetteer.candidates(core.text)
        return Toponym(full.start_char, full.end_char, full.text, start, end, candidates, hint,
                       from_ner=from_ner, weak=weak, label=label)

    def _longest_match(self, sdoc: SpacyDoc, i: int, taken: set[int], weak: set[int]) -> Toponym | None:
        first = sdoc[i]
        direction = first.lower_ in DIRECTIONS
        if not (_capitalised(first) or direction):
            return None
        for end in range(min(len(sdoc), i + MAX_TOKENS), i, -1):
            span = sdoc[i:end]
            last = span[-1]
            if any(t.i in taken for t in span) or any(t.is_sent_start for t in span[1:]):
                continue
            tail = last.lower_ in TAIL_WORDS and len(span) > 1
            if not (_capitalised(last) or tail):
                continue
            middle = span[1:-1] if len(span) > 2 else []
            if any(not (_capitalised(t) or t.lower_ in CONNECTORS) for t in middle):
                continue
            if direction and not (len(span) > 2 and tail):
                continue  # "northern Aleppo countryside" is one place; "northern Aleppo" is Aleppo
            if len(span) == 1 and (first.is_sent_start or first.pos_ not in ("PROPN", "ADJ", "NOUN")):
                continue  # a lone capitalised word at a sentence start is rarely a place
            if len(span) == 1 and (first.is_stop or first.lower_ in INSTITUTIONS or first.lower_ in TAIL_WORDS
                                   or MONTH_OR_DAY.match(first.text)):
                continue  # "District", "Park": a generic noun is never a place on its own
            if normalize(span.text) in _not_places():
                continue
            candidates = self.gazetteer.candidates(span.text)
            if not candidates:
                continue
            if _name_runs_on(sdoc, end, taken):
                return None  # "Ceel" of "Ceel Salini", "Robert" of "Robert Kocharyan": a longer, unknown name
            if tail and not direction and self.gazetteer.candidates(span[:-1].text):
                continue  # "Idlib province": the NER or the shorter match takes it with its hint
            top = self._toponym(span, from_ner=False, weak=any(t.i in weak for t in span))
            if top is not None and self._known_actor(span.text):
                top.weak = True
            return top
        return None

    def _demonym_country(self, text: str) -> dict[str, Any] | None:
        """A toponym written as a demonym ("Russian", "Palestinians") names its country.

        Only for a span already known to be a toponym (gold spans): the recogniser never makes
        a place of a demonym, since "Russian warplanes" says who, not where.
        """
        demonyms = get_actors().demonyms
        norm = normalize(text)
        iso3 = demonyms.get(norm) or (demonyms.get(norm[:-1]) if norm.endswith("s") else None)
        if iso3 is None or any(c.similarity == 100 and c.place.population >= 10_000
                               for c in self.gazetteer.candidates(text)):
            return None
        country = self.gazetteer.country(iso3)
        return country.resolution(text) if country else None

    @staticmethod
    def _known_actor(text: str) -> bool:
        actors = get_actors()
        return bool(actors.lookup(text)) and normalize(text) not in actors.demonyms

    def resolve_span(self, doc: Document, start: int, end: int) -> dict[str, Any] | None:
        """The place this component gives the text at [start, end) of a processed document.

        Scoring resolution on gold toponyms (`sitrep eval geo`) needs the resolver alone, fed spans
        the recogniser may have missed, in the same document context (focus country, the places
        around it). The answer is the toponym's own point: a country or province has one here.
        """
        toponyms: list[Toponym] = doc.ext.get("toponyms") or []
        for top in toponyms:
            if top.start == start and top.end == end and top.place is not None:
                return top.place.resolution(top.text)
        sdoc = parsed(doc)
        span = sdoc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        demonym = self._demonym_country(doc.text[start:end])
        if demonym is not None:
            return demonym
        top = self._toponym(span, from_ner=True)
        if top is None or not top.candidates:
            return None
        others = [t for t in toponyms if not (t.start < end and start < t.end)]
        resolve_toponyms(sdoc, [*others, top], get_actors().demonyms, self.min_population, fixed=True,
                         focus=doc.ext.get("focus_country"), check=False)
        return top.place.resolution(top.text) if top.place else None


# Common words that may follow a place name inside a longer capitalised name without making the
# whole run a different name ("Aleppo University", "Lagos State Government", "Idlib Central Prison").
INSTITUTIONS = {"fire", "sheriff", "office", "high", "middle", "elementary", "library", "hall", "township", "borough",
                "park", "memorial", "community", "regional", "medical", "health", "water", "electric", "power",
                "public", "housing", "authority", "board", "commission", "committee", "association", "bank",
                "company", "museum", "zoo", "theatre", "theater", "hotel", "avenue", "drive", "lane", "boulevard",
                "way", "st", "ave", "blvd", "pike", "trail", "creek", "hill", "hills", "bay", "beach", "island",
                "falls", "springs", "rescue", "emergency", "services", "service", "parish", "cathedral", "temple",
                "cemetery", "mall", "plaza", "tower", "building", "house", "courthouse", "jail", "academy",
                "college", "institute", "schools", "team", "united", "county", "times", "herald", "tribune",
                "journal", "daily", "press", "gazette", "chronicle", "review", "star", "sun", "globe", "post",
                "stock", "exchange", "declaration", "accord", "agreement", "conference", "summit", "talks",
                "process", "protocol", "treaty", "group", "party", "movement", "alliance", "coalition", "union",
                "university", "government", "airport", "police", "council", "hospital", "prison", "road", "street",
                "highway", "market", "mosque", "church", "school", "bridge", "port", "station", "square", "stadium",
                "army", "military", "forces", "command", "brigade", "front", "city", "news", "club",
                "international", "central", "national", "general", "court", "gate", "river", "lake",
                "mountain", "mountains", "valley", "district", "province", "state", "region", "airbase",
                "base", "camp", "crossing", "border", "countryside", "governorate", "municipality", "town", "village",
                "area", "zone", "division", "chamber", "assembly", "parliament", "ministry", "department", "center",
                "centre", "media", "observatory", "radio", "tv", "television", "agency", "operations", "operation"}


def _comma_parts(ent: SpacySpan) -> list[SpacySpan]:
    parts, start = [], ent.start
    for token in ent:
        if token.text == ",":
            if token.i > start:
                parts.append(ent.doc[start : token.i])
            start = token.i + 1
    if start < ent.end:
        parts.append(ent.doc[start : ent.end])
    return parts


def _name_runs_on(sdoc: SpacyDoc, end: int, taken: set[int]) -> bool:
    """Whether the capitalised name goes on past `end` with a word that is no common noun."""
    k = end
    if k + 1 < len(sdoc) and sdoc[k].lower_ in ("da", "de", "do", "dos", "das", "del", "di", "al", "el"):
        k += 1
    if k >= len(sdoc) or k in taken:
        return False
    token = sdoc[k]
    return _capitalised(token) and not token.is_sent_start and token.lower_ not in INSTITUTIONS and (
        token.lower_ not in TAIL_WORDS) and token.pos_ == "PROPN"


def _run_end(sdoc: SpacyDoc, i: int, taken: set[int]) -> int:
    """The end of the capitalised run starting at i: an unknown name is skipped whole, so that its
    tail ("Boa Vista" of "Sao Sebastiao da Boa Vista") is not taken for a place of its own."""
    k = i + 1
    while k < len(sdoc) and k not in taken and not sdoc[k].is_sent_start:
        token = sdoc[k]
        if _capitalised(token) and token.lower_ not in INSTITUTIONS:
            k += 1
        elif token.lower_ in CONNECTORS - {"-", "'s", "of"} and k + 1 < len(sdoc) and _capitalised(sdoc[k + 1]):
            k += 2
        else:
            break
    return k if k - i > 1 and sdoc[i].pos_ == "PROPN" and not sdoc[i].is_sent_start else i + 1


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    lines = data_file("gazetteer", "not_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(normalize(line) for line in lines if line.strip() and not line.startswith("#"))


def _capitalised(token: object) -> bool:
    text = getattr(token, "text", "")
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)
