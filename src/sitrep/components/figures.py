"""Figures: how many were killed, injured, displaced, besieged, trapped, detained; how many strikes.

A number (digits, words, or a vague quantity such as "tens of thousands") counts what its
noun or governing verb says: "70,000 civilians have fled" is displaced because the counted
noun's verb is "flee"; "killing at least 12 civilians" is killed through "kill". The words are
data (`data/figures.yaml`). Hedges are kept, and bounds set from them: "at least 12" has no
upper bound, "as many as 200" no lower one, "between 10 and 15" both.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from sitrep.components.base import BaseComponent, parsed
from sitrep.document import Document, Figure, Mention, Span
from sitrep.knowledge.loader import data_file, load_yaml
from sitrep.nlp import doc_text

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
ONE_PERSON_DETERMINERS = frozenset({"a", "an", "one", "another", "the", "his", "her", "their", "its", "my", "our"})
# the parse roles in which a named person can be the one counted (figures._one_person)
NAME_ROLES = ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj")
# entity labels under which a proper name is not a person (figures._one_person)
NOT_PERSON_ENTITIES = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL",
                                 "ORDINAL", "QUANTITY", "LAW", "LANGUAGE", "PRODUCT", "EVENT"})
AGE_UNITS = frozenset({"year", "month", "week", "day"})  # "a 9-month-old", "a 12-year-old"
CUMULATIVE_REACH = 80  # characters around a count in which "during 10 years of war" makes it a war's toll
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    data = load_yaml(data_file("figures.yaml"))
    data["lemma_kind"] = {lemma: kind for kind, v in data["categories"].items() for lemma in v["lemmas"]}
    data["not_people"] = frozenset(data.get("not_people", ()))
    cues = "|".join(re.escape(cue) for cue in sorted(data.get("subset_cues", ()), key=len, reverse=True))
    data["subset_re"] = re.compile(rf"\b(?:{cues})\s+$") if cues else None
    data["unrealised_words"] = frozenset(data.get("unrealised_words", ()))
    patterns = data.get("cumulative_patterns", ())
    data["cumulative_re"] = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
    return data


def parse_number(text: str) -> int | None:
    """"400,000" -> 400000, "1.5 million" -> 1500000, "twenty-five" -> 25, "12" -> 12."""
    text = text.lower().replace(",", "").strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(dozen|hundred|thousand|million)?", text)
    if match:
        value = float(match.group(1)) * SCALES.get(match.group(2) or "", 1)
        return int(value)
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text):
        if word in WORD_NUMBERS:
            current += WORD_NUMBERS[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
        elif word in ("and", "a"):
            continue
        else:
            return None
    value = total + current
    return value or None


class FigureExtractor(BaseComponent):
    """Adds FIGURE mentions whose `norm["figure"]` is a `Figure`."""

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        for figure in self.find(sdoc):
            doc.mentions.append(Mention("FIGURE", figure.span, figure.text, {"figure": figure}, by="figures"))
        sdoc.user_data[CONVENTION_KEY] = {"total": note_total(doc.text), "split": note_split(doc.text), "used": False}
        return doc

    def find(self, sdoc: SpacyDoc) -> list[Figure]:
        figures = self._singles(sdoc)
        text = doc_text(sdoc)
        counted: dict[int, int] = {}  # the counted noun's index -> its figure's place in `figures`
        for start, end, value, vague in _quantities(sdoc):
            last = sdoc.char_span(start, end, alignment_mode="expand")
            if last is None:
                continue
            kind = self._kind(last[-1])
            if kind is None or _cumulative(last[-1], start, end):
                continue
            hedge, low, high, h_start = _hedge(text, start, value)
            if vague:
                hedge = hedge or vague
                high = None
            range_high = _range_high(text, end)
            if range_high:
                high = range_high
            if kind in ("killed", "injured", "shot") and _with_one_more(last[-1]):
                value, low, high = value + 1, None if low is None else low + 1, None if high is None else high + 1
            noun = _counted_noun(last[-1])
            joined_to = _first_conjunct(noun).i
            first = counted.get(joined_to) if joined_to != noun.i else None
            if first is not None and figures[first].kind == kind:
                # "six Jesuits and two women were killed": joined counts of one kind add up
                prev = figures[first]
                figures[first] = Figure(kind, _add(prev.low, low), prev.best + value, _add(prev.high, high),
                                        prev.hedge or hedge, Span(prev.span.start, end), text[prev.span.start:end])
                continue
            counted[noun.i] = len(figures)
            figures.append(Figure(kind, low, value, high, hedge, Span(h_start, end), text[h_start:end]))
        return figures

    def _singles(self, sdoc: SpacyDoc) -> list[Figure]:
        """One person named as killed, hurt or shot counts 1: "a man was shot dead", "killed a
        civilian", "a 12-year-old was shot", "Kenneth Mills was shot and killed", "he died"."""
        out = []
        lex = lexicon()
        singular = set(lex.get("singular_people", []))
        pronouns = set(lex.get("singular_pronouns", []))
        for token in sdoc:
            if not _one_person(token, singular, pronouns):
                continue
            if _first_conjunct(token).i != token.i and _one_person(_first_conjunct(token), singular, pronouns):
                continue  # counted with the first of the joined people
            kind = self._kind(token)
            if kind not in ("killed", "injured", "shot", "detained"):
                continue
            if kind == "detained" and not _people_noun(token, singular):
                continue  # a name or a pronoun counts the dead and hurt only ("he was arrested" is the suspect)
            # "killed Kysha Edmond and Deanna Buster", "his sister and two brothers": each joined person
            joined = [c for c in token.subtree if c.dep_ == "conj" and c.i != token.i
                      and _first_conjunct(c).i == token.i and _one_person(c, singular, pronouns)]
            count = 1 + len(joined)
            det = [c for c in token.children if c.dep_ in ("det", "nummod")]
            start = min([token.idx, *(c.idx for c in det)])
            end = max([token.idx + len(token.text), *(c.idx + len(c.text) for c in joined)])
            out.append(Figure(kind, count, count, count, None, Span(start, end), doc_text(sdoc)[start:end]))
        return out

    def _kind(self, token: Token) -> str | None:
        """The category from the counted noun, its governing verb, or a participle after it."""
        lex = lexicon()
        lemma_kind = lex["lemma_kind"]
        noun = _counted_noun(token)
        while noun.dep_ in ("pobj",) and noun.head.lower_ == "of" and noun.head.head != noun:
            noun = noun.head.head  # "thousands of civilians" -> the count is "thousands"
        if _unrealised(noun):
            return None  # "the attempted murder of a judge": the act was tried, no one counted
        if noun.dep_ == "pobj" and noun.head.dep_ == "agent":
            return None  # "murdered by 30 men in uniform": the count is of those who did it
        if noun.lemma_.lower() in lex["not_people"] or noun.lower_ in lex["not_people"]:
            return None  # "the 1200 block of", "shot three times": not a count of people
        own = [noun.lemma_.lower()]
        # "one fatally" (after "shot six people,"): the manner of the count's own word
        own += [c.lemma_.lower() for c in noun.children if c.dep_ in ("acl", "amod", "relcl", "advmod")]
        candidates: list[str] = []
        noun = _first_conjunct(noun)  # "he and three others were shot": the role is the first conjunct's
        if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "pobj", "conj", "appos") and not _agent(noun):
            head = noun.head
            if noun.dep_ == "pobj":
                head = head.head
            if _unrealised(head):
                return None  # "the attempted murder of a judge", "tried to kill him": no one was killed
            candidates.append(head.lemma_.lower())
            candidates += [c.lemma_.lower() for c in head.children if c.dep_ in ("acomp", "xcomp", "oprd")]
            # "a man was shot and killed", "two were shot and wounded": the verb joined to the head
            # (not a verb with its own subject: "two men opened fire and five people were wounded")
            candidates += [c.lemma_.lower() for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB"
                           and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
            # "fatally wounded a boy", "was fatally shot": the manner says the person died
            candidates += [c.lemma_.lower() for c in head.children if c.dep_ == "advmod"]
            if head.lemma_.lower() in lex.get("to_death_verbs", ()) and _to_death(head):
                candidates.insert(0, "death")  # "shot to death", "beaten to death": killed
            if head.lemma_.lower() in lex.get("reporting_verbs", ()) and _misparsed_report(noun, head):
                # a misparse hangs the count on "said": the reported clause's verb and its conjuncts
                for clause in (c for c in head.children if c.dep_ == "ccomp"):
                    candidates.append(clause.lemma_.lower())
                    candidates += [c.lemma_.lower() for c in clause.children
                                   if c.dep_ in ("conj", "acomp", "xcomp", "oprd")]
        # the count's own words decide first ("700 killed and 2,800 injured": 2,800 injured), then
        # the verb over it and the words joined to that verb
        for words in (own, candidates):
            kinds = [lemma_kind[lemma] for lemma in words if lemma in lemma_kind]
            if kinds:
                precedence = lex.get("kind_precedence", [])
                ranked = [k for k in precedence if k in kinds]
                # "shot and killed": killed over shot; "left three dead": killed over "leave" (displaced)
                return ranked[0] if ranked else kinds[0]
        return None


def _counted_noun(token: Token) -> Token:
    """The noun a number counts: "two dozen civilians": dozen -> two -> civilians."""
    noun = token
    for _ in range(3):
        if noun.dep_ not in ("nummod", "quantmod", "compound", "amod") or noun.head.i == noun.i:
            break
        noun = noun.head
    return noun


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _to_death(verb: Token) -> bool:
    """"shot to death", "stabbed to death": a prepositional "to death" on the verb."""
    return any(c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_.lower() == "death" for g in c.children)
               for c in verb.children)


def _unrealised(act: Token) -> bool:
    """Whether the act that would count the person was only tried: modified by "attempted" or
    "failed", or the complement of "try" / "plot" ("tried to kill him", "a plot to kidnap her")."""
    words = lexicon()["unrealised_words"]
    if any(c.dep_ in ("amod", "compound") and c.lemma_.lower() in words for c in act.children):
        return True
    return act.dep_ in ("xcomp", "acl") and act.head.i != act.i and act.head.lemma_.lower() in words


def _cumulative(token: Token, start: int, end: int) -> bool:
    """Whether the count is a toll over a span of time ("7,000 people have died during 10 years of
    civil war", "in the past month 2,000 have died"): the war's, not one happening's, so no event
    takes it (figures.yaml cumulative_patterns, searched on either side of the count)."""
    pattern = lexicon()["cumulative_re"]
    if pattern is None:
        return False
    sentence, text = token.sent, doc_text(token.doc)
    before = text[max(sentence.start_char, start - CUMULATIVE_REACH) : start].lower()
    after = text[end : min(sentence.end_char, end + CUMULATIVE_REACH)].lower()
    return pattern.search(after) is not None or pattern.search(before) is not None


def _misparsed_report(noun: Token, verb: Token) -> bool:
    """Whether a count hung on a reporting verb belongs to the clause it reports: one does not "say
    civilians" (an object), and a subject that directly follows the reported verb ("killed at least
    72 people, ..., the Observatory said") is that verb's object. "One commander said" is the speaker."""
    if noun.dep_ == "dobj":
        return True
    if noun.dep_ != "nsubj":
        return False
    for clause in (c for c in verb.children if c.dep_ == "ccomp" and c.i < noun.i):
        between = noun.doc[clause.i + 1 : noun.i]
        if len(between) <= 5 and all(t.pos_ in ("NUM", "ADV", "ADJ", "ADP", "DET", "SYM") for t in between):
            return True
    return False


def _first_conjunct(noun: Token) -> Token:
    """The first of coordinated nouns ("he and three others" -> "he"), which carries their role."""
    while noun.dep_ == "conj" and noun.head.i != noun.i and noun.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        noun = noun.head
    return noun


def _with_one_more(last: Token) -> bool:
    """"he and three others", "a man and two other people": the count leaves out the one person
    it is joined to, so the group is one more."""
    noun = last
    while noun.dep_ in ("nummod", "quantmod", "compound", "amod") and noun.head.i != noun.i:
        noun = noun.head
    first = _first_conjunct(noun)
    if first.i == noun.i or not any(c.lower_ in ("other", "others") for c in (noun, *noun.children)):
        return False
    lex = lexicon()
    return _one_person(first, set(lex.get("singular_people", [])), set(lex.get("singular_pronouns", [])))


def _agent(noun: Token) -> bool:
    """Whether the counted noun does the act to someone else ("two gunmen killed a man", "he shot his
    friend"): the subject of a harming verb with an object, or of a joined one with one, is no victim
    ("70,000 have fled Aleppo" still counts the displaced)."""
    if noun.dep_ != "nsubj":
        return False
    head = noun.head
    harm = lexicon()["lemma_kind"]
    verbs = [head, *(c for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB")]
    return any(c.dep_ == "dobj" for verb in verbs for c in verb.children
               if harm.get(verb.lemma_.lower()) in ("killed", "injured", "shot", "detained"))


def _is_age(token: Token) -> bool:
    """"old" in "12-year-old", "9-month-old"."""
    return token.lower_ == "old" and token.i >= 2 and token.doc[token.i - 2].lemma_.lower() in AGE_UNITS


def _inside_entity(token: Token) -> bool:
    """Whether the token's head is in the same named entity (so the token is not the name's root)."""
    head = token.head
    if head.i == token.i or head.ent_type_ != token.ent_type_:
        return False
    low, high = sorted((token.i, head.i))
    return all(token.doc[k].ent_iob_ == "I" for k in range(low + 1, high + 1))


def _unlabelled_name(token: Token) -> bool:
    """Whether `token` ends a person's name the model did not label as one: a full name labelled as
    no place or organisation ("Marta Luz Lopez" as a WORK_OF_ART in truecased wire copy), or a noun
    a PERSON name compounds when the model cut the name short ("Luis Carlos" PERSON + "galan")."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    if before is None or before.dep_ != "compound" or before.head != token:
        return False
    if token.tag_ == "NNP" and before.tag_ == "NNP" and not {token.ent_type_, before.ent_type_} & NOT_PERSON_ENTITIES:
        return True
    return token.pos_ in ("NOUN", "PROPN") and before.ent_type_ == "PERSON"


def _people_noun(token: Token, singular: set[str]) -> bool:
    return token.tag_ in ("NN", "NNP") and token.lemma_.lower() in singular


def _one_person(token: Token, singular: set[str], pronouns: set[str]) -> bool:
    """Whether `token` names one person: a people noun with an article ("a man", "the boy"), a
    pronoun of one person, a named person (the head of a PERSON entity) or an age used as a noun
    ("a 12-year-old", and "13-year-old Eddie Holmes" through the name)."""
    if token.lower_ in pronouns and token.pos_ == "PRON":
        return True
    if token.tag_ in ("NN", "NNP") and token.lemma_.lower() in singular:
        return any(c.dep_ in ("det", "nummod", "poss") and c.lower_ in ONE_PERSON_DETERMINERS
                   for c in token.children)
    if (token.ent_type_ == "PERSON" and not _inside_entity(token)) or _unlabelled_name(token):
        return token.dep_ in NAME_ROLES
    if token.pos_ in ("NOUN", "PROPN") and any(_is_age(c) and c.dep_ == "amod" for c in token.children):
        # "22-year-old Marcus Bell", "his 13-year-old brother": an age before a noun names one person
        return token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj") and token.tag_ in ("NN", "NNP")
    if _is_age(token):
        # "a 12-year-old was shot": the age is the noun (its own subject or object)
        return token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj")
    return False


def settle_shot(figures: list[Figure]) -> list[Figure]:
    """The people shot, read as the injured: injured = shot - killed, unless a larger injured count is
    stated. "Six people were shot, one fatally" -> 1 killed, 5 injured; "shot and killed" -> 0 injured.
    The shot count itself is dropped (it is not a figure of the record)."""
    by_kind = {f.kind: f for f in figures}
    shot = by_kind.pop("shot", None)
    if shot is None:
        return figures
    killed = by_kind.get("killed")
    rest = shot.best - (killed.best if killed else 0)
    injured = by_kind.get("injured")
    if rest > 0 and (injured is None or injured.best < rest):
        low = None if shot.low is None else max(shot.low - (killed.best if killed else 0), 0)
        high = None if shot.high is None else max(shot.high - (killed.best if killed else 0), 0)
        by_kind["injured"] = Figure("injured", low, rest, high, shot.hedge, shot.span, shot.text)
    return [f for f in figures if f.kind != "shot" and f.kind != "injured"] + (
        [by_kind["injured"]] if "injured" in by_kind else [])


def _quantities(sdoc: SpacyDoc) -> list[tuple[int, int, int, str | None]]:
    """(start, end, value, vague word) for every count in the text, longest vague phrase first."""
    found: list[tuple[int, int, int, str | None]] = []
    text = doc_text(sdoc)
    lower = text.lower()
    taken: list[tuple[int, int]] = []
    for item in lexicon()["vague"]:
        for match in re.finditer(rf"\b{re.escape(item['text'])}\b", lower):
            if any(s <= match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), match.end(), int(item["value"]), item["text"]))
    i = 0
    tokens = list(sdoc)
    while i < len(tokens):
        tok = tokens[i]
        if not (tok.like_num or tok.lower_ in SCALES) or tok.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY"):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and (tokens[j + 1].like_num or tokens[j + 1].lower_ in SCALES
                                       or tokens[j + 1].text == "-" and j + 2 < len(tokens)
                                       and tokens[j + 2].like_num):
            j += 1
        start, end = tokens[i].idx, tokens[j].idx + len(tokens[j].text)
        value = parse_number(text[start:end])
        if value is not None and not any(s <= start < e for s, e in taken) and not _is_year(text[start:end]):
            found.append((start, end, value, None))
        i = j + 1
    return sorted(found)


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text))


def _hedge(text: str, start: int, value: int) -> tuple[str | None, int | None, int | None, int]:
    """The hedge just before a number and the bounds it implies: (hedge, low, high, new start)."""
    before = text[max(0, start - 30) : start].lower()
    hedges = lexicon()["hedges"]
    for kind in ("lower_bound", "upper_bound", "approximate"):
        for phrase in sorted(hedges[kind], key=len, reverse=True):
            if re.search(rf"\b{re.escape(phrase)}\s+$", before):
                h_start = start - len(before) + before.rfind(phrase)
                if kind == "lower_bound":
                    return phrase, value, None, h_start
                if kind == "upper_bound":
                    return phrase, None, value, h_start
                return phrase, value, value, h_start
    return None, value, value, start


def _range_high(text: str, end: int) -> int | None:
    """"between 10 and 15" / "10 to 15" / "10-15": the upper figure after the first one."""
    match = re.match(r"\s*(?:-|–|to|and)\s*([\d,]+)\b", text[end : end + 20])
    if match:
        return parse_number(match.group(1))
    return None


CONVENTION_KEY = "sitrep_figure_conventions"  # a note's coder conventions, on the spaCy Doc for attach_figures
NUMBER_WORDS = {"no": 0, **WORD_NUMBERS}


def note_total(text: str) -> int | None:
    """Deaths an ACLED-style note states for itself: "1 fatality.", "Fatalities coded as 0 (...)"."""
    lower = text.lower()
    found = None
    for pattern in lexicon().get("conventions", {}).get("total", []):
        for match in re.finditer(pattern, lower):
            word = match.group(1)
            value = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
            if value is not None:
                found = value  # the last statement wins: "VoJ reported 1. Fatalities coded as 0"
        if found is not None and ("coded as" in pattern or "rounded" in pattern):
            return found
    return found


def note_split(text: str) -> tuple[int, int | None] | None:
    """"N fatalities split between M events (k)": (M, k) when a note shares its deaths out."""
    lower = text.lower()
    for pattern in lexicon().get("conventions", {}).get("split", []):
        match = re.search(pattern, lower)
        if match:
            word = match.group(1)
            events = int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)
            share = int(match.group(2)) if match.lastindex and match.lastindex >= 2 and match.group(2) else None
            return max(events, 1), share
    return None


def attach_figures(head: Token, mentions: list[Mention], owned: frozenset[int] = frozenset()) -> list[Figure]:
    """The sentence's figures for the event at `head`: per kind, the one nearest the trigger.

    `owned` holds the start offsets of the figures the event's own clause states (events.
    _clause_groups, "12,000 have fled Harasta"): those come first, then the nearest.

    A note that states its own deaths ("1 fatality.", "Fatalities coded as 0") gives that total
    to its first event and none to the others; one that shares them out between events ("split
    between 2 events (4)") gives this event its share (the stated one, else the total divided,
    rounded up).
    """
    chosen: dict[str, Figure] = {}
    text = doc_text(head.doc)

    def order(mention: Mention) -> tuple[bool, bool, int]:
        # a sub-count ("including 20 children", "among them several children") yields to the total
        start = mention.span.start
        return bool(owned) and start not in owned, is_subset(text, start), abs(start - head.idx)

    for mention in sorted((m for m in mentions if m.kind == "FIGURE"), key=order):
        figure = mention.norm["figure"]
        chosen.setdefault(figure.kind, figure)
    convention = head.doc.user_data.get(CONVENTION_KEY) or {}
    total, split = convention.get("total"), convention.get("split")
    if total is not None:
        chosen.pop("killed", None)
        if not convention.get("used"):
            convention["used"] = True
            chosen["killed"] = Figure("killed", total, total, total, None, Span(head.idx, head.idx), "")
    if split is not None and "killed" in chosen:
        events, share = split
        killed = chosen["killed"]
        value = share if share is not None else -(-killed.best // events)
        chosen["killed"] = Figure("killed", value, value, value, killed.hedge, killed.span, killed.text)
    return list(chosen.values())


def is_subset(text: str, start: int) -> bool:
    """Whether the count at `start` is introduced as part of another ("including 20 children")."""
    pattern = lexicon()["subset_re"]
    return bool(pattern and pattern.search(text[max(0, start - 24) : start].lower()))
