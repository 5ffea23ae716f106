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
from collections import Counter
from functools import lru_cache
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from sitrep.components.actors import alias_matchers
from sitrep.components.base import BaseComponent, parsed
from sitrep.components.place_resolve import Toponym, feature_hint, resolve_toponyms
from sitrep.document import Document, Mention, Span
from sitrep.knowledge.actors import ActorDictionary, get_actors
from sitrep.knowledge.bundle import Knowledge, default_knowledge
from sitrep.knowledge.gazetteer import Candidate, Gazetteer, normalize
from sitrep.knowledge.loader import data_file
from sitrep.nlp import doc_text

PLACE_LABELS = {"GPE", "LOC", "FAC"}
WEAK_LABELS = {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
HARD_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "LANGUAGE"}
CONNECTORS = {"al", "el", "ez", "az", "as", "ad", "an", "ar", "at", "ash", "bin", "ibn", "de", "of", "del", "la",
              "do", "da", "des", "du", "y", "i", "e", "-", "'s", "a", "dos", "das", "di", "los", "las", "le", "les"}
DIRECTIONS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "northeastern",
              "northwestern", "southeastern", "southwestern", "central", "rural", "greater", "upper", "lower"}
TAIL_WORDS = {"countryside", "province", "governorate", "valley", "camp", "district", "crossing", "airbase",
              "region", "state", "county", "parish", "city", "town", "village", "area", "lga", "municipality",
              "sub-district", "subdistrict", "neighbourhood", "neighborhood", "camps", "border", "front", "plain",
              "desert", "mountains", "island", "islands"}
MAX_TOKENS = 6
# lower-case particles inside place names, where the NER often cuts a name short
PARTICLES = {"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ez", "de", "del", "della", "di", "do", "dos",
             "da", "das", "des", "du", "la", "le", "les", "los", "las", "y", "i", "e", "a", "bin", "ibn", "of", "on",
             "upon", "sur", "en", "im", "am"}
MONTH_OR_DAY = re.compile(
    r"^(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?$|"
    r"^(january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)$", re.IGNORECASE)
DATE_WORD = re.compile(
    r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$", re.IGNORECASE
)


class PlaceRecognizer(BaseComponent):
    """Adds PLACE mentions with a resolved gazetteer entry in `norm["location"]`.

    `knowledge` (from the pipeline) gives the gazetteer, with the user's extra files compiled in, and
    the actors; built alone, the component loads the shipped knowledge plus `extra_files`. A
    `gazetteer` given explicitly wins over both (tests)."""

    def __init__(self, *, min_population_unlisted: int = 20000, gazetteer: Gazetteer | None = None,
                 extra_files: list[str] | tuple[str, ...] = (), knowledge: Knowledge | None = None) -> None:
        self.min_population = min_population_unlisted
        self.extra_files = tuple(extra_files)
        self.knowledge = knowledge or (Knowledge(gazetteer_files=self.extra_files) if self.extra_files
                                       else default_knowledge())
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer or self.knowledge.gazetteer

    @property
    def actors(self) -> ActorDictionary:
        return self.knowledge.actors

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        toponyms = self._candidates(sdoc)
        demonyms = self._demonyms(sdoc, toponyms)
        # demonyms stay out of resolution: NER NORP tags already vote for the focus country, and a
        # demonym counted as a place of the focus country would reject the foreign places named
        focus = resolve_toponyms(sdoc, toponyms, self.actors.demonyms, self.min_population,
                                 evidence=country_evidence(sdoc, self.actors))
        for demonym in demonyms:
            demonym.place = demonym.candidates[0].place
        doc.ext["focus_country"] = focus
        doc.ext["toponyms"] = toponyms
        doc.ext["demonyms"] = demonyms
        doc.ext["demonym_places"] = [{"start": t.start, "end": t.end, "text": t.text,
                                      "location": t.place.resolution(t.text)} for t in demonyms if t.place]
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
        extended: set[int] = set()
        for ent in sdoc.ents:
            if ent.start in extended:
                continue  # the tail of a name the NER cut at a particle, taken with its head below
            longer = self._across_particle(sdoc, ent) if ent.label_ in PLACE_LABELS else None
            if longer is not None:  # "Northern Bahr" + "el Ghazal", "San Jose" + "del Monte"
                extended.update(range(ent.end, longer.end))
                taken.update(range(longer.start, longer.end))
                top = self._toponym(longer, from_ner=True, label=ent.label_)
                if top is not None:
                    out.append(top)
                continue
            if ent.label_ in PLACE_LABELS and not any(ch.isupper() for ch in ent.text):
                # "from the north, east and west": the NER's lower-case place is a direction or a
                # common noun, never a name (text in capitals is truecased before this stage)
                taken.update(range(ent.start, ent.end))
            elif ent.label_ in PLACE_LABELS:
                for part in _comma_parts(ent):  # "Cardenas, San Luis Potosi" is two places
                    top = self._toponym(part, from_ner=True, label=ent.label_)
                    if top is None or (demonym_iso3(top.text) and top.hint is None):
                        continue  # a demonym names a country, as a demonym (below), not a place
                    out.append(top)
                    inner = None if top.candidates else self._inner_place(sdoc, top, taken, weak)
                    if inner is not None:  # "the Mount Pleasant Civic Center": the place it is in
                        out[-1] = inner
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

    def _across_particle(self, sdoc: SpacyDoc, ent: SpacySpan) -> SpacySpan | None:
        """The known place name an NER place entity is the head of, when the NER stopped at a
        lower-case particle inside the name ("Northern Bahr| el Ghazal", "San Jose| del Monte",
        "Gracias| a Dios"); the longest such name, or None."""
        best, end = None, ent.end
        while end + 1 < len(sdoc) and sdoc[end].text in PARTICLES and _capitalised(sdoc[end + 1]) and not (
                sdoc[end + 1].is_sent_start):
            end += 2
            while end < len(sdoc) and _capitalised(sdoc[end]) and not sdoc[end].is_sent_start:
                end += 1
            if end - ent.start > MAX_TOKENS:
                break
            if self._exact_name(sdoc[ent.start : end].text):
                best = sdoc[ent.start : end]
        return best

    def _inner_place(self, sdoc: SpacyDoc, top: Toponym, taken: set[int], weak: set[int]) -> Toponym | None:
        """The known place an unknown NER place name starts with, when the name is that of an
        institution in it ("Mount Pleasant Civic Center", "Donetsk Filtration Station"); a street,
        square, bridge or building is often named after somewhere else ("Moreno Square")."""
        last = sdoc[top.token_end - 1].lower_
        if top.token_end - top.token_start < 2 or last in NAMED_AFTER or last not in INSTITUTIONS | ORG_HEADS:
            return None
        inner = self._longest_match(sdoc, top.token_start, taken, weak)
        if inner is None or inner.token_start != top.token_start or inner.token_end >= top.token_end:
            return None
        return inner

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
        if _cut_compound(full):
            return None
        candidates = self._with_state(full.text, self.gazetteer.candidates(full.text))
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
        # a span may not hold a taken token nor cross a sentence start: every end past the first
        # such token fails, so the longest-first loop starts at it (same spans tried, fewer built)
        limit = min(len(sdoc), i + MAX_TOKENS)
        stop = i if i in taken else next(
            (k for k in range(i + 1, limit) if k in taken or sdoc[k].is_sent_start), limit)
        for end in range(stop, i, -1):
            span = sdoc[i:end]
            last = span[-1]
            tail = last.lower_ in TAIL_WORDS and len(span) > 1
            if not (_capitalised(last) or tail):
                continue
            middle = span[1:-1] if len(span) > 2 else []
            if any(not (_capitalised(t) or t.lower_ in CONNECTORS) for t in middle):
                continue
            if direction and not (len(span) > 2 and tail) and not (
                    len(span) > 1 and _capitalised(first) and self._exact_name(span.text)):
                continue  # "northern Aleppo countryside" is one place; "northern Aleppo" is Aleppo; "West Virginia"
            dateline = _dateline(sdoc, i, end)
            if len(span) == 1 and not dateline and (first.is_sent_start or first.pos_ not in ("PROPN", "ADJ", "NOUN")):
                continue  # a lone capitalised word at a sentence start is rarely a place
            if len(span) == 1 and (first.is_stop or first.lower_ in INSTITUTIONS or first.lower_ in TAIL_WORDS
                                   or MONTH_OR_DAY.match(first.text)):
                continue  # "District", "Park": a generic noun is never a place on its own
            if normalize(span.text) in _not_places() or (demonym_iso3(span.text)
                                                         and feature_hint(sdoc, span) is None):
                continue  # "Georgian" is not Gorgan nor "American" Americana; "Somali region" is a region
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
            if top is not None and dateline:
                top.dateline = True
            return top
        return None

    def _demonyms(self, sdoc: SpacyDoc, toponyms: list[Toponym]) -> list[Toponym]:
        """Demonyms ("Russian", "Palestinians", "Sri Lankan"), each a toponym of the country it names.

        Kept apart from PLACE mentions and from resolution, so that an actor's nationality never
        becomes an event's location; corpora that count a demonym as a toponym (LGL) can score them.
        """
        out: list[Toponym] = []
        used: set[int] = {i for t in toponyms for i in range(t.token_start, t.token_end)}
        spans = [e for e in sdoc.ents if e.label_ in ("NORP", "GPE", "LOC", "ORG", "PERSON")]
        spans += [sdoc[t.i : t.i + 1] for t in sdoc if _capitalised(t) and not t.ent_type_]
        for span in spans:
            parts = [span] if demonym_iso3(span.text) else [span[k : k + 1] for k in range(len(span))]
            for part in parts:
                if any(t.i in used for t in part) or not _capitalised(part[0]) or not demonym_iso3(part.text):
                    continue
                country = self.gazetteer.country(demonym_iso3(part.text) or "")
                if country is not None:
                    used.update(t.i for t in part)
                    out.append(Toponym(part.start_char, part.end_char, part.text, part.start, part.end,
                                       [Candidate(country, primary=True, generated=False, similarity=100.0)],
                                       from_ner=True, label="NORP"))
        return sorted(out, key=lambda t: t.start)

    def _with_state(self, text: str, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates, with the country a state's own name names when the gazetteer lacks it
        under that name ("Netherlands")."""
        iso3 = _state_names().get(normalize(text))
        if iso3 is None or any(c.place.feature == "country" and c.place.country3 == iso3 for c in candidates):
            return candidates
        country = self.gazetteer.country(iso3)
        if country is None:
            return candidates
        return [Candidate(country, primary=True, generated=False, similarity=100.0), *candidates]

    def _exact_name(self, text: str) -> bool:
        return any(c.similarity == 100 and c.primary for c in self.gazetteer.candidates(text))

    def _demonym_country(self, text: str) -> dict[str, Any] | None:
        """A toponym written as a demonym ("Russian", "Palestinians") names its country.

        Only for a span already known to be a toponym (gold spans) or a demonym mention: the
        recogniser never makes a *place* of a demonym, since "Russian warplanes" says who, not where.
        """
        iso3 = demonym_iso3(text)
        if iso3 is None:
            demonyms = self.actors.demonyms
            norm = normalize(text)
            iso3 = demonyms.get(norm) or (demonyms.get(norm[:-1]) if norm.endswith("s") else None)
            if iso3 is None or any(c.similarity == 100 and c.place.population >= 10_000
                                   for c in self.gazetteer.candidates(text)):
                return None
        country = self.gazetteer.country(iso3)
        return country.resolution(text) if country else None

    def _known_actor(self, text: str) -> bool:
        actors = self.actors
        return bool(actors.lookup(text)) and normalize(text) not in actors.demonyms

    def resolve_span(self, doc: Document, start: int, end: int) -> dict[str, Any] | None:
        """The place this component gives the text at [start, end) of a processed document.

        Scoring resolution on gold toponyms (`sitrep eval geo`) needs the resolver alone, fed spans
        the recogniser may have missed, in the same document context (focus country, the places
        around it). The answer is the toponym's own point: a country or province has one here.
        """
        toponyms: list[Toponym] = doc.ext.get("toponyms") or []
        if demonym_iso3(doc.text[start:end]):
            return self._demonym_country(doc.text[start:end])
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
        resolve_toponyms(sdoc, [*others, top], self.actors.demonyms, self.min_population, fixed=True,
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


# Things often named after a person or another place, so that the place a name starts with says
# little about where they are ("Moreno Square", "Jang Building", "Kabul Road").
NAMED_AFTER = {"square", "street", "road", "avenue", "building", "highway", "bridge", "gate", "boulevard", "lane",
               "drive", "circle", "roundabout", "market", "mosque", "church", "park", "tower", "plaza", "hall",
               "expressway", "junction", "way", "st", "ave", "blvd", "pike", "trail", "house", "mall", "hotel",
               "stadium", "cemetery", "cathedral", "temple", "museum", "theatre", "theater", "zoo"}
ORG_MODIFIERS = {"civic", "municipal", "metropolitan", "senior", "citizens", "volunteer", "historic", "fiscal",
                 "circuit", "detention", "convention", "transportation", "parks", "recreation", "business",
                 "economic", "development", "youth", "family", "filtration", "treatment", "emergency", "fire"}


# Head words of organisations and offices that a place name often starts ("Ohio Partners",
# "DuPage Sheriff John Zaruba", "Lebanon Police", "Dublin Arts Council"), beyond INSTITUTIONS.
ORG_HEADS = {"mayor", "sheriff", "governor", "superintendent", "commissioner", "commissioners", "councillor",
             "councilman", "councilwoman", "councilor", "judge", "coroner", "prosecutor", "attorney", "chief",
             "partners", "society", "foundation", "fund", "trust", "league", "federation", "organisation",
             "organization", "institution", "corporation", "cooperative", "co-op", "network", "fair", "festival",
             "fairgrounds", "center", "centre", "arts", "library", "officials", "official", "residents",
             "courthouse", "detention", "regiment", "battalion", "governorate", "administration", "directorate",
             "secretariat", "senate", "legislature", "delegation", "senator", "representative", "congressman",
             "congresswoman", "lawmakers", "legislator", "historical", "chamber", "tourism", "transit",
             *ORG_MODIFIERS}


def country_evidence(sdoc: SpacyDoc, actors: ActorDictionary | None = None) -> Counter[str]:
    """Country votes from the actors the text names whose state is known ("Boko Haram", "al Shabaab",
    "the Taliban", "Ukrainian forces", "UPDF"), one vote each, for the focus country.

    Short conflict notes often name one village and the parties; the parties then say the country.
    A demonym inside an organisation's name is not counted on its own ("US Centers for Disease
    Control" in a story about Lebanon): it is the actor names that carry it. NORP demonyms and the
    places are counted by the resolver itself.
    """
    votes: Counter[str] = Counter()
    actors = actors or get_actors()
    for span in filter_spans([sdoc[s:e] for matcher in _actor_matchers(actors) for _, s, e in matcher(sdoc)]):
        countries = {a.country for a in actors.lookup(span.text) if a.country in actors.states}
        if len(countries) == 1:
            votes[countries.pop()] += 1
    return votes


# the matchers of each actor dictionary (by identity: a pipeline's, with its user files, or the shipped one)
_MATCHERS: dict[int, tuple[ActorDictionary, tuple[PhraseMatcher, PhraseMatcher]]] = {}


def _actor_matchers(actors: ActorDictionary) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Aliases of the dictionary's actors that belong to one state, matched as the actor recognizer
    matches them; a bare demonym or country name is counted as such, not as its state's actor.
    Built once per dictionary."""
    cached = _MATCHERS.get(id(actors))
    if cached is None or cached[0] is not actors:
        matchers = alias_matchers(alias for actor in actors.actors.values()
                                  if not actor.generic and actor.country in actors.states
                                  for alias in (actor.name, *actor.aliases) if normalize(alias) not in actors.demonyms)
        cached = _MATCHERS[id(actors)] = (actors, matchers)
    return cached[1]


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


def _dateline(sdoc: SpacyDoc, start: int, end: int) -> bool:
    """Whether [start, end) is a news dateline: an upper-case place opening a paragraph or the text
    and set off by a dash, colon, bracket or comma ("TORRINGTON —", "BEIRUT:", "HURRICANE, W.Va.")."""
    span = sdoc[start:end]
    if not (span.text.isupper() and any(ch.isalpha() for ch in span.text)) or end >= len(sdoc):
        return False
    if start > 0 and not (sdoc[start].is_sent_start or "\n" in sdoc[start - 1].text_with_ws):
        return False
    after = sdoc[end].text
    return after in ("—", "–", "--", "-", ":", "(") or (after == "," and end + 1 < len(sdoc)
                                                        and _capitalised(sdoc[end + 1]))


def _name_runs_on(sdoc: SpacyDoc, end: int, taken: set[int]) -> bool:
    """Whether the capitalised name goes on past `end` with a word that is no common noun.

    A run that goes on to an institution's or an office's head word is the name of something
    *in* the place ("Walker County Fair Association", "Tillsonburg Mayor Stephen Molnar"), so
    the place at its start still counts.
    """
    k = end
    if k + 1 < len(sdoc) and sdoc[k].lower_ in ("da", "de", "do", "dos", "das", "del", "di", "al", "el"):
        k += 1
    if k >= len(sdoc) or k in taken:
        return False
    token = sdoc[k]
    if not (_capitalised(token) and not token.is_sent_start and token.lower_ not in INSTITUTIONS and (
            token.lower_ not in TAIL_WORDS) and token.pos_ == "PROPN"):
        return False
    if token.lower_ in ORG_HEADS:
        return False
    return not (k + 1 < len(sdoc) and _capitalised(sdoc[k + 1]) and sdoc[k + 1].lower_ in ORG_HEADS)


def _cut_compound(span: SpacySpan) -> bool:
    """A hyphenated name cut short: "Just-In" of "Just-In-Time Recreation" is part of a business
    name, not the town of Justin. A whole compound ("Bosnia-Herzegovina") or a place before a
    hyphenated modifier ("Kyiv-based", no hyphen inside the span) is kept."""
    text, rest = span.text, doc_text(span.doc)[span.end_char:span.end_char + 2]
    return "-" in text and len(rest) == 2 and rest[0] == "-" and rest[1].isalpha()


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


def demonym_iso3(text: str) -> str | None:
    """The country (ISO3) a demonym names, singular or plural ("Sudanese", "Palestinians"); country
    names themselves are not demonyms here."""
    norm = normalize(text)
    table = _pure_demonyms()
    return table.get(norm) or (table.get(norm[:-1]) if norm.endswith("s") else None)


# States come only from the shipped states.yaml (knowledge/actors.py build_dictionary), the same in every
# pipeline's Knowledge whatever user actor files it has: these tables are read from the shipped dictionary.
@lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    return {normalize(state.name): state.iso3 for state in get_actors().states.values()}


@lru_cache(maxsize=1)
def _pure_demonyms() -> dict[str, str]:
    actors = get_actors()
    names = {normalize(state.name) for state in actors.states.values()}
    return {normalize(word): state.iso3 for state in actors.states.values() for word in state.demonyms
            if normalize(word) not in names and len(word) > 2}


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    lines = data_file("gazetteer", "not_places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(normalize(line) for line in lines if line.strip() and not line.startswith("#"))


def _capitalised(token: object) -> bool:
    text = getattr(token, "text", "")
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)
