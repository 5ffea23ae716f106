"""An article's events read as one narrative: which are reportable, and which mentions are one happening.

The event layer finds triggers sentence by sentence, so a long article yields an event for every
mention: the headline's announcement, the lead's report, "the attack" three paragraphs on, the
history the writer recalls and the writer's own view of the war's aims. An analyst codes the
happenings in the story's time, once each. This stage, run after every per-sentence component:

1. gives each event a `kind`: `background` (dated well before publication, or in a sentence
   shaped as history or comparison), `commentary` (the writer's view or a generic claim: a
   commentary-shaped sentence, or a present-tense one, that anchors no act with a date, a place
   or a figure of its own), `occurrence` otherwise; title events that announce a body event merge
   into it, and those that announce nothing the body reports stay as `headline`;
2. merges the occurrences that are one happening (a within-document coreference by rules: the
   same type family and status, compatible places and dates) into the first body mention, which
   keeps its id; the others become its `mentions`, and their figures, place, date and actors fill
   in what the first lacks (per figure kind the largest within the one article, as later
   sentences update a toll; the most precise place; a stated date over a carried one).

Written by hand: no library does within-document event coreference over our event records; the
cues and thresholds live in data/narrative.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from spacy.tokens import Token

from sitrep.components.base import BaseComponent
from sitrep.components.dates import DATE_BORROWED, clause_verb
from sitrep.components.figures import settle_shot
from sitrep.components.tolls import attach_orphan_tolls
from sitrep.document import DateValue, Document, Event, Figure
from sitrep.knowledge.gazetteer.store import distance_km
from sitrep.knowledge.loader import data_file, load_yaml

OCCURRED = {"asserted", "claimed"}
PRESENT_TAGS = {"VBZ", "VBP"}
REPORTING_LEMMAS = {"say", "tell", "report", "add", "state", "claim", "announce", "confirm", "according"}
FEATURE_RANK = {"country": 0, "admin1": 1, "admin2": 2}  # anything else (a town, a site) ranks 3
SETTLEMENTS = frozenset({"city", "town", "village"})


@dataclass(frozen=True, slots=True)
class NarrativeRules:
    """The compiled contents of data/narrative.yaml."""

    background_days: int
    background: tuple[re.Pattern[str], ...]
    commentary: tuple[re.Pattern[str], ...]
    max_km: float
    max_days: int
    max_sentence_gap: int
    context: tuple[re.Pattern[str], ...] = ()
    reaction_types: frozenset[str] = frozenset()
    frame_types: frozenset[str] = frozenset()
    anaphora_determiners: frozenset[str] = frozenset()
    attribution_types: frozenset[str] = frozenset()
    heading_max_tokens: int = 0
    charge_words: frozenset[str] = frozenset()
    fact_denials: frozenset[str] = frozenset()
    ongoing_types: frozenset[str] = frozenset()
    ongoing: tuple[re.Pattern[str], ...] = ()


@lru_cache(maxsize=1)
def rules() -> NarrativeRules:
    data = load_yaml(data_file("narrative.yaml"))
    merge = data["merge"]
    return NarrativeRules(
        background_days=int(data["background_days"]),
        background=tuple(re.compile(p) for p in data["background_cues"]),
        commentary=tuple(re.compile(p) for p in data["commentary_cues"]),
        max_km=float(merge["max_km"]), max_days=int(merge["max_days"]),
        max_sentence_gap=int(merge["max_sentence_gap"]),
        context=tuple(re.compile(p) for p in data.get("context_cues", ())),
        reaction_types=frozenset(data.get("reactions", {}).get("types", ())),
        attribution_types=frozenset(data.get("reactions", {}).get("attribution", ())),
        frame_types=frozenset(data.get("reactions", {}).get("framing", ())),
        anaphora_determiners=frozenset(data.get("anaphora_determiners", ())),
        charge_words=frozenset(data.get("charge_words", ())),
        fact_denials=frozenset(data.get("fact_denials", ())),
        heading_max_tokens=int(data.get("heading_max_tokens", 0)),
        ongoing_types=frozenset(data.get("ongoing", {}).get("types", ())),
        ongoing=tuple(re.compile(p) for p in data.get("ongoing", {}).get("cues", ())),
    )


class NarrativeLinker(BaseComponent):
    """Sets every event's `kind` and merges the mentions of one happening (see the module docstring)."""

    def __call__(self, doc: Document) -> Document:
        if not doc.events:
            return doc
        rule = rules()
        sentence_index = {span.start: i for i, span in enumerate(doc.sentences)}
        for event in doc.events:
            if event.section != "title":
                event.kind = _kind(doc, event, rule)
                if _ongoing(doc, event, rule):  # "has been besieged since 2012": a siege still on
                    event.kind = "occurrence"
                    _publication_date(doc, event)
        body = [e for e in doc.events if e.section != "title"]
        titles = [e for e in doc.events if e.section == "title"]
        material = any(e.kind == "occurrence" and e.event_type not in rule.reaction_types for e in body)
        reactions = {id(e) for e in body if material and _reaction(e, rule)}
        merged = _merge_body(doc, body, rule, sentence_index, reactions)
        attach_orphan_tolls(doc, merged, rule.max_sentence_gap)  # "He was pronounced dead." counts too
        kept_titles = []
        for title_event in titles:
            target = next((e for e in merged if e.kind == "occurrence" and _same_family(title_event, e)
                           and _places_agree(title_event, e, rule) and _dates_agree(title_event, e, rule)), None)
            if target is not None:
                _absorb(target, title_event, rule)
                continue
            if any(e.kind == "occurrence" for e in merged):
                title_event.kind = "headline"  # announces something the body does not report as such
            kept_titles.append(title_event)
        doc.events = sorted(kept_titles + merged, key=lambda e: e.sentence.start)
        for event in doc.events:
            event.figures = settle_shot(event.figures)  # after merging: "six were shot", "one died": one toll
            if event.kind != "occurrence" and event.date_basis == "carried":
                _publication_date(doc, event)  # a date never carries into commentary or history
        return doc


def _reaction(event: Event, rule: NarrativeRules) -> bool:
    """A statement about the reported happening rather than a happening of its own: a verbal type
    (blame, denial, appeal, condolence, promise of aid) with no date stated in its own sentence
    and no figure. In an article that reports a material act, these are what people said of it."""
    return (event.kind == "occurrence" and event.event_type in rule.reaction_types
            and event.date_basis != "stated" and not event.figures)


def _publication_date(doc: Document, event: Event) -> None:
    published = doc.source.published
    if published is None:
        event.when, event.date_basis = None, None
    else:
        event.when, event.date_basis = DateValue(published, published, 2, ""), "published"


def _kind(doc: Document, event: Event, rule: NarrativeRules) -> str:
    sentence = doc.text[event.sentence.start : event.sentence.end].lower()
    published = doc.source.published
    stated = event.when if event.date_basis == "stated" else None
    if stated is not None and published is not None and stated.end < published - timedelta(days=rule.background_days):
        return "background"
    if any(p.search(sentence) for p in rule.background) or any(p.search(sentence) for p in rule.context):
        return "background"
    if _heading(doc, event, rule):
        return "headline"
    if event.date_basis == "stated" or event.figures:
        return "occurrence"  # a concrete act: its own date or count
    if any(p.search(sentence) for p in rule.commentary):
        return "commentary"  # the writer's or an analyst's view, even of a named place
    if any(m.kind == "PLACE" and event.sentence.contains(m.span) for m in doc.mentions):
        return "occurrence"
    if _present_tense(doc, event):
        return "commentary"
    return "occurrence"


def _ongoing(doc: Document, event: Event, rule: NarrativeRules) -> bool:
    """A state that began before and still holds when the story is told (a siege, a blockade: the
    `ongoing` types in a present-perfect "has been ... since" sentence) is reported as it stands,
    dated by the report, however long ago it began."""
    if event.event_type not in rule.ongoing_types or event.status not in OCCURRED:
        return False
    sentence = doc.text[event.sentence.start : event.sentence.end].lower()
    return any(p.search(sentence) for p in rule.ongoing)


def _heading(doc: Document, event: Event, rule: NarrativeRules) -> bool:
    """A short line with no verb inside the body ("HUMANITARIAN ACCESS", "PRESS RELEASE No. 27"):
    a section heading or label, which names a topic and reports nothing."""
    sdoc = doc.ext.get("spacy")
    if sdoc is None or not rule.heading_max_tokens:
        return False
    span = sdoc.char_span(event.sentence.start, event.sentence.end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if not t.is_punct and not t.is_space]
    return len(words) <= rule.heading_max_tokens and not any(t.pos_ in ("VERB", "AUX") for t in words)


def _trigger_root(doc: Document, event: Event) -> Token | None:
    """The syntactic head of the event's trigger in the document's parse (None without one)."""
    sdoc = doc.ext.get("spacy")
    span = sdoc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand") if sdoc else None
    return span.root if span is not None else None


def _present_tense(doc: Document, event: Event) -> bool:
    """Whether the trigger's clause is in the simple present ("the regime uses hunger as a weapon"):
    a generic statement, not a report of an act (reported speech in the past is a report)."""
    root = _trigger_root(doc, event)
    if root is None:
        return False
    token = clause_verb(root)
    if token.lemma_.lower() in REPORTING_LEMMAS:
        return False
    tags = {token.tag_, *(c.tag_ for c in token.children if c.dep_ in ("aux", "auxpass"))}
    return bool(tags & PRESENT_TAGS) and not tags & {"VBD", "VBN", "MD"}


# -- merging ---------------------------------------------------------------------------------
def _merge_body(doc: Document, events: list[Event], rule: NarrativeRules,
                sentence_index: dict[int, int], reactions: set[int]) -> list[Event]:
    kept: list[Event] = []
    framing = _framing(events, rule)
    # stable on the sentence alone: within a sentence the event layer's salience order is kept
    for event in sorted(events, key=lambda e: e.sentence.start):
        if id(event) in framing:  # "accused X of shelling the town": the shelling is the happening
            _attach(framing[id(event)], event)
            continue
        if event.kind == "occurrence" and _anaphoric(doc, event, rule):
            said_of = _anaphor_antecedent(doc, event, kept, rule, sentence_index)
            if said_of is not None:  # "the attack", "the killings" in a later sentence
                if event.when is not None and event.when.precision > 1:
                    event.when, event.date_basis = None, None  # "since January", "that same month": another time's
                _absorb(said_of, event, rule, roles=False)
                _take_own_date(said_of, event)  # "The shooting happened Wednesday night."
                continue
        if event.kind == "occurrence" and _charged(doc, event, rule):
            said_of = _anaphor_antecedent(doc, event, kept, rule, sentence_index)
            if said_of is not None:  # "charged with four counts of murder": the shooting reported before
                _absorb(said_of, event, rule, roles=False)
                continue
            event.flags |= {DATE_BORROWED}  # the charge's or the search's date; a later own date wins
        if id(event) in reactions:
            said_of = None
            if event.event_type in rule.attribution_types or event.status == "denied":
                said_of = _reacted_to(event, kept, rule, sentence_index)
            if said_of is None:
                event.kind = "commentary"  # what was said about the happening: no act of its own
                kept.append(event)
            else:  # blame or denial of the happening: one more mention of it, with who said what
                _attach(said_of, event)
            continue
        if _dated_denial(doc, event, rule):
            said_of = _reacted_to(event, kept, rule, sentence_index)
            if said_of is not None and _dates_agree(event, said_of, rule):
                _attach(said_of, event)  # "denied any involvement ... in Kramatorsk on Friday"
                continue
        target = None
        if event.kind == "occurrence":
            target = _antecedent(event, kept, rule, sentence_index)
        if target is None:
            kept.append(event)
        else:
            _absorb(target, event, rule)
    return kept


def _antecedent(event: Event, kept: list[Event], rule: NarrativeRules,
                sentence_index: dict[int, int]) -> Event | None:
    """The nearest earlier happening this mention can be; None when it is a new one."""
    here = sentence_index.get(event.sentence.start, 0)
    bare = event.location is None or event.date_basis != "stated"
    for other in reversed(kept):
        if other.kind != "occurrence" or other.sentence == event.sentence:
            continue
        if not (_same_family(event, other) and _statuses_agree(event, other)):
            continue
        if not (_dates_agree(event, other, rule) and (_places_agree(event, other, rule) or _party_country(event))):
            continue
        if _other_settlement(event, other):
            continue
        gap = here - _last_index(other, sentence_index)
        if bare and gap > rule.max_sentence_gap and not _same_place(event, other):
            continue
        return other
    return None


def _framing(events: list[Event], rule: NarrativeRules) -> dict[int, Event]:
    """Events of the frame types that share a sentence with a more salient material occurrence
    (the event layer lists a sentence's events main clause first), mapped to it: the blame or talk
    around the act the sentence reports is not a second happening. A statement in the main clause
    ("the ministry rejected accusations that its police tortured detainees") is itself the report."""
    by_sentence: dict[int, list[Event]] = {}
    for event in events:
        by_sentence.setdefault(event.sentence.start, []).append(event)
    out: dict[int, Event] = {}
    for group in by_sentence.values():
        material: Event | None = None
        for event in group:
            if event.kind != "occurrence":
                continue
            if material is None and event.event_type not in rule.reaction_types:
                material = event
            elif material is not None and event.event_type in rule.frame_types:
                out[id(event)] = material
    return out


def _anaphoric(doc: Document, event: Event, rule: NarrativeRules) -> bool:
    """The trigger is a definite noun ("the attack", "the killings", "its offensive") with no
    figure of its own: a reference back to a happening already reported, not a new one."""
    root = _trigger_root(doc, event) if not event.figures and rule.anaphora_determiners else None
    if root is None or root.pos_ not in ("NOUN", "PROPN"):
        return False
    return any(c.dep_ in ("det", "poss") and c.lower_ in rule.anaphora_determiners for c in root.children)


def _anaphor_antecedent(doc: Document, event: Event, kept: list[Event], rule: NarrativeRules,
                        sentence_index: dict[int, int]) -> Event | None:
    """The nearest earlier occurrence of the same type family within the merge window whose place
    agrees with the anaphor's, or any place when the anaphor's own phrase names none ("the attack
    on Kharkiv" names one; in "the killings renewed calls on Russia" the place is another clause's).
    Statuses and dates are not compared: "Russia denied the attack" and "the attack showed ..."
    said a day later are still that attack."""
    here = sentence_index.get(event.sentence.start, 0)
    named = _names_place(doc, event, phrase_only=True)
    for other in reversed(kept):
        if other.kind != "occurrence" or other.sentence == event.sentence or not _same_family(event, other):
            continue
        if here - _last_index(other, sentence_index) > rule.max_sentence_gap:
            return None
        if not named or _places_agree(event, other, rule):
            return other
    return None


def _dated_denial(doc: Document, event: Event, rule: NarrativeRules) -> bool:
    """A denial of a fact with a date of its own sentence, which `_reaction` leaves out: the date
    is usually the denied act's ("had no combat tasks in Kramatorsk on Friday")."""
    if event.kind != "occurrence" or event.event_type != "REJECT" or event.figures or not rule.fact_denials:
        return False
    root = _trigger_root(doc, event)
    return root is not None and root.lemma_.lower() in rule.fact_denials


def _charged(doc: Document, event: Event, rule: NarrativeRules) -> bool:
    """The trigger names the crime of a charge or suspicion: "charged with four counts of
    murder", "suspected of killing 18 people". Its date is the charge's, not the act's."""
    token = _trigger_root(doc, event) if rule.charge_words else None
    if token is None:
        return False
    for _ in range(4):  # murder <- of <- counts <- with <- charged
        if token.dep_ not in ("pobj", "prep", "pcomp", "dobj", "compound") or token.head == token:
            return False
        token = token.head
        if token.lemma_.lower() in rule.charge_words:
            return True
    return False


def _names_place(doc: Document, event: Event, *, phrase_only: bool = False) -> bool:
    """Whether the event's sentence (or, with `phrase_only`, the trigger's own phrase) names a
    place: where it names none, the event's place was inferred from context and is no evidence
    against joining a happening reported elsewhere."""
    start, end = event.sentence.start, event.sentence.end
    sdoc = doc.ext.get("spacy")
    if phrase_only and sdoc is not None:
        span = sdoc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if span is not None:
            subtree = list(span.root.subtree)
            start, end = subtree[0].idx, subtree[-1].idx + len(subtree[-1])
    return any(m.kind == "PLACE" and start <= m.span.start and m.span.end <= end for m in doc.mentions)


def _reacted_to(event: Event, kept: list[Event], rule: NarrativeRules,
                sentence_index: dict[int, int]) -> Event | None:
    """The nearest earlier material occurrence (or one in the same sentence) a blame or denial
    is about, within the merge window. The place is not compared: who blames from a capital
    speaks of the act where it happened."""
    here = sentence_index.get(event.sentence.start, 0)
    for other in reversed(kept):
        if other.kind != "occurrence" or other.event_type in rule.reaction_types:
            continue
        if here - _last_index(other, sentence_index) > rule.max_sentence_gap:
            return None
        return other
    return None


def _attach(target: Event, other: Event) -> None:
    """Record a statement about `target` as one of its mentions. Its roles stay out of the act's
    (the accuser is not the attacker); a denial names who denied it."""
    target.mentions.append({"start": other.sentence.start, "end": other.sentence.end,
                            "section": other.section, "trigger": other.trigger_text})
    deniers = list(other.denied_by) + (list(other.actors) if other.event_type == "REJECT" else [])
    ids = {a.get("id") for a in target.denied_by}
    target.denied_by.extend(a for a in deniers if a.get("id") not in ids)


def _last_index(event: Event, sentence_index: dict[int, int]) -> int:
    """The sentence of the happening's latest mention so far: the window for a further mention
    runs from where the story last spoke of it, not from its first report."""
    starts = [event.sentence.start, *(m["start"] for m in event.mentions if m.get("section") != "title")]
    return max(sentence_index.get(start, 0) for start in starts)


def _same_family(a: Event, b: Event) -> bool:
    if a.event_type == b.event_type:
        return True
    acled_a, acled_b = a.acled.get("event_type"), b.acled.get("event_type")
    return bool(acled_a) and acled_a == acled_b


def _statuses_agree(a: Event, b: Event) -> bool:
    """Asserted and claimed mentions agree; so does a denial of a happening reported as asserted or
    claimed (the denial is one more mention of it, and names who denied it)."""
    reported = OCCURRED | {"denied"}
    return a.status == b.status or (a.status in reported and b.status in reported)


def _places_agree(a: Event, b: Event, rule: NarrativeRules) -> bool:
    la, lb = a.location, b.location
    if not la or not lb:
        return True
    if la.get("geonameid") and la.get("geonameid") == lb.get("geonameid"):
        return True
    if la.get("country") and lb.get("country") and la["country"] != lb["country"]:
        return False
    ra, rb = _precision(la), _precision(lb)
    if min(ra, rb) < 3:  # a country or province against a town in it: the less precise contains the other
        if min(ra, rb) == 0:
            return True
        return bool(la.get("admin1")) and la.get("admin1") == lb.get("admin1")
    if None in (la.get("lat"), la.get("lon"), lb.get("lat"), lb.get("lon")):
        return False
    return distance_km(la["lat"], la["lon"], lb["lat"], lb["lon"]) <= rule.max_km


def _party_country(event: Event) -> bool:
    """The event is placed only at the country of one of its parties ("accused Russia of targeting
    civilians" placed in Russia): that names who acted, not where, so it is no evidence that the
    mention is another happening than the one reported before it."""
    location = event.location or {}
    if location.get("feature") != "country":
        return False
    return any(p.get("country") == location.get("country") for p in (*event.actors, *event.recipients))


def _other_settlement(event: Event, other: Event) -> bool:
    """Two different towns or cities, each named: shelling reported in Omdurman is not the fighting
    reported in Khartoum, however close the two are."""
    la, lb = event.location or {}, other.location or {}
    return (la.get("feature") in SETTLEMENTS and lb.get("feature") in SETTLEMENTS
            and bool(la.get("text")) and bool(lb.get("text"))
            and la.get("geonameid") != lb.get("geonameid"))


def _same_place(a: Event, b: Event) -> bool:
    return bool(a.location and b.location and a.location.get("geonameid")
                and a.location.get("geonameid") == b.location.get("geonameid"))


def _precision(location: dict[str, Any]) -> int:
    return FEATURE_RANK.get(str(location.get("feature") or ""), 3)


def _dates_agree(a: Event, b: Event, rule: NarrativeRules) -> bool:
    if a.date_basis != "stated" or b.date_basis != "stated" or a.when is None or b.when is None:
        return True
    slack = timedelta(days=rule.max_days)
    return a.when.start - slack <= b.when.end and b.when.start - slack <= a.when.end


def _take_own_date(target: Event, other: Event) -> None:
    """Date the happening by a further mention: a stated date over a carried one, and a date of
    the happening's own over one borrowed from another act ("arrested Friday in the shooting
    death" then "the shooting happened Wednesday night": Wednesday)."""
    if other.when is None or other.date_basis != "stated":
        return
    if target.date_basis != "stated" or (DATE_BORROWED in target.flags and DATE_BORROWED not in other.flags):
        target.when, target.date_basis = other.when, "stated"
        target.flags = target.flags - {DATE_BORROWED} | (other.flags & {DATE_BORROWED})


def _absorb(target: Event, other: Event, rule: NarrativeRules, *, roles: bool = True) -> None:
    """Fold `other` (a further mention of the same happening) into `target`: its place where more
    precise, its stated date, its figures and (unless `roles` is False, for an anaphor such as
    "Russia denied the attack", whose parse roles belong to the statement) its actors."""
    target.mentions.append({"start": other.sentence.start, "end": other.sentence.end,
                            "section": other.section, "trigger": other.trigger_text})
    target.mentions.extend(other.mentions)
    if other.location and (not target.location or (_precision(other.location) > _precision(target.location)
                                                    and _places_agree(target, other, rule))):
        target.location = other.location
    _take_own_date(target, other)
    figures: dict[str, Figure] = {f.kind: f for f in target.figures}
    # a denying party's own count ("had killed more than 60 servicemen") is not the toll
    for figure in other.figures if other.status != "denied" or target.status == "denied" else ():
        current = figures.get(figure.kind)
        if current is None or figure.best > current.best:
            figures[figure.kind] = figure
    target.figures = list(figures.values())
    for role in ("actors", "recipients", "claimed_by", "denied_by") if roles else ("claimed_by", "denied_by"):
        mine: list[dict[str, Any]] = getattr(target, role)
        ids = {a.get("id") for a in mine}
        mine.extend(a for a in getattr(other, role) if a.get("id") not in ids)
    if other.status == "asserted" and target.status == "claimed" and not target.claimed_by:
        target.status = "asserted"
    if other.mode and not target.mode:
        target.mode = other.mode
    if not target.acled.get("event_type") and other.acled.get("event_type"):
        target.acled = dict(other.acled)
    target.contexts = sorted(set(target.contexts) | set(other.contexts))
    target.flags |= other.flags - {DATE_BORROWED}  # whether its date is borrowed: _take_own_date
    target.confidence = max(target.confidence, other.confidence)
