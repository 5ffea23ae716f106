"""ACLED event and sub-event types by ACLED's own coding conventions (data/acled_rules.yaml).

The crosswalk gives each PLOVER type and mode a default ACLED type; this component refines it
from the event's context (its sentence and the next): who was hit, with what, whether a
demonstration turned violent or was dispersed. It also gives demonstrators and rioters ACLED's
actor types (6 and 5), which ACLED assigns by the event, not by who the people are.
"""

from __future__ import annotations

from typing import Any

from sitrep.components.base import BaseComponent
from sitrep.document import Document, Event, Span
from sitrep.knowledge.acled_rules import AcledRule, get_rules, get_word_list
from sitrep.knowledge.actors import ActorDictionary
from sitrep.knowledge.bundle import Knowledge, default_knowledge

STATE_SECTORS = {"MIL", "COP", "GOV", "SPY"}
# sectors that can be the perpetrator of ACLED political violence (not the civilians it hits)
ARMED_SECTORS = {"MIL", "COP", "SPY", "REB", "PRM", "UAF", "IMG", "CRM"}
ACLED_FAMILY = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT", "AGREE", "CONCEDE", "CONSULT", "SUPPORT"}
INTER_NAMES = {5: ("Rioters", "RIO"), 6: ("Protesters", "PRO")}
# ACLED's actor1 of every demonstration event is the crowd: Protesters (6) or Rioters (5)
CROWD_INTERS = {"Protests": 6, "Riots": 5}
# ACLED's convention for violence whose perpetrator the report does not name
UNIDENTIFIED_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


class AcledCoder(BaseComponent):
    """Sets `event.acled` (and protester/rioter actor types) from the first matching rule."""

    def __init__(self, *, knowledge: Knowledge | None = None) -> None:
        self.rules = get_rules()
        self.knowledge = knowledge or default_knowledge()

    def __call__(self, doc: Document) -> Document:
        for event in doc.events:
            if event.event_type not in ACLED_FAMILY and not any(event.event_type in r.types for r in self.rules):
                continue
            context = context_span(doc, event)
            text = doc.text[context.start : context.end]
            neighbours = [e for e in doc.events if context.contains(e.sentence)]
            trigger = doc.text[event.trigger.start : event.trigger.end]
            for rule in self.rules:
                # outside the family (a demand, an accusation) only rules naming the type apply
                if event.event_type not in ACLED_FAMILY and event.event_type not in rule.types:
                    continue
                if _matches(rule, event, neighbours, text, trigger):
                    event.acled = ({"event_type": rule.acled[0], "sub_event_type": rule.acled[1]} if rule.acled
                                   else {"event_type": None, "sub_event_type": None})
                    inter = rule.actor_inter or CROWD_INTERS.get(rule.acled[0] if rule.acled else "")
                    if inter:
                        _recast_actors(doc, event, inter, self.knowledge.actors)
                    break
            if not event.actors and event.acled.get("event_type") in UNIDENTIFIED_TYPES:
                event.actors = [_armed_actor_nearby(doc, event, context)
                                or _unidentified(doc, event, text, self.knowledge.actors)]
        return doc


def context_span(doc: Document, event: Event) -> Span:
    """The event's sentence with the one before and the one after, within its section: a
    dispersal, a weapon or the victims are often named in the sentence next to the event."""
    sentences = doc.sentences or [event.sentence]
    index = next((i for i, s in enumerate(sentences) if s.start <= event.sentence.start < s.end), None)
    start, end = event.sentence.start, event.sentence.end
    section = doc.section_at(event.sentence.start)
    if index is not None:
        if index > 0 and doc.section_at(sentences[index - 1].start) == section:
            start = min(start, sentences[index - 1].start)
        if index + 1 < len(sentences) and doc.section_at(sentences[index + 1].start) == section:
            end = max(end, sentences[index + 1].end)
    return Span(start, end)


def _matches(rule: AcledRule, event: Event, neighbours: list[Event], text: str, trigger: str = "") -> bool:
    """Whether all of a rule's conditions hold; `trigger` is the event's own trigger text, which tells
    fire that was observed ("12 shots", "bursts of fire") from fire at someone ("shot a farmer")."""
    checks = (
        not rule.types or event.event_type in rule.types,
        not rule.modes or event.mode in rule.modes,
        not rule.context_types or any(e.event_type in rule.context_types for e in neighbours),
        not rule.context_modes or any(e.mode in rule.context_modes for e in neighbours),
        not rule.context_flags or any(rule.context_flags & e.flags for e in neighbours),
        not rule.recipient_sectors or any(r.get("sector") in rule.recipient_sectors for r in event.recipients),
        not rule.actor_sectors or any(a.get("sector") in rule.actor_sectors for a in event.actors),
        not rule.not_actor_sectors or not any(a.get("sector") in rule.not_actor_sectors for a in event.actors),
        not rule.no_recipient_sectors or not any(r.get("sector") in rule.no_recipient_sectors
                                                 for r in event.recipients),
        not rule.actor_inters or any(a.get("acled_inter") in rule.actor_inters for a in event.actors),
        not rule.not_actor_inters or not any(a.get("acled_inter") in rule.not_actor_inters for a in event.actors),
    )
    if not all(checks):
        return False
    if rule.words is not None and not rule.words.search(text):
        return False
    if rule.triggers is not None and not rule.triggers.fullmatch(trigger.strip()):
        return False
    if any(not pattern.search(text) for pattern in rule.all_words):
        return False
    if rule.phrases is not None and not rule.phrases.search(text):
        return False
    if rule.not_phrases is not None and rule.not_phrases.search(text):
        return False
    return rule.not_words is None or not rule.not_words.search(text)


def _recast_actors(doc: Document, event: Event, inter: int, actors: ActorDictionary) -> None:
    """Demonstrators are ACLED's protesters (6), rioters and mobs its rioters (5), whoever they are.

    The crowd is actor1 even when the report names the police first ("police dispersed
    protesters"): state forces stay, after it. A crowd nobody names becomes "Protesters (Country)".
    """
    label, suffix = INTER_NAMES.get(inter, ("", ""))
    country = (event.location or {}).get("country") or doc.ext.get("focus_country")
    recast: list[dict[str, Any]] = []
    for actor in event.actors:
        if actor.get("sector") in STATE_SECTORS:
            recast.append(actor)
            continue
        recast.append({**actor, "acled_inter": inter})
    if not any(a.get("acled_inter") == inter for a in recast):
        states = actors.states
        name = f"{label} ({states[country].name})" if country in states else label
        recast.insert(0, {"text": "", "name": name, "id": f"{country}_{suffix}" if country else None,
                          "country": country, "sector": "CVL", "acled_inter": inter})
    event.actors = sorted(recast, key=lambda a: a.get("acled_inter") != inter)


def _armed_actor_nearby(doc: Document, event: Event, context: Span) -> dict[str, Any] | None:
    """The first armed actor named in the event's sentence, else in its context, that is not a victim.

    The parse often misses the agent of violence ("exchanged fire with military police", "the army
    and the rebels clashed", "during a police raid"); ACLED still names the force, so the note's own
    armed actor is a better actor1 than "Unidentified Armed Group".
    """
    victims = {r.get("id") for r in event.recipients}
    country = (event.location or {}).get("country")
    for span in (event.sentence, context):
        mentions = sorted(doc.mentions_of("ACTOR", within=span), key=lambda m: m.span.start)
        for mention in mentions:
            actor = dict(mention.norm.get("actor") or {})
            if actor.get("sector") in ARMED_SECTORS and actor.get("id") not in victims:
                if country and actor.get("acled_inter") == 1 and actor.get("country") not in (None, country):
                    actor["acled_inter"] = 8  # state forces abroad, as the events component codes them
                return actor
    return None


def _unidentified(doc: Document, event: Event, text: str, actors: ActorDictionary) -> dict[str, Any]:
    """"Unidentified Armed Group (Country)", ACLED's actor for violence by someone unnamed (inter 3), or
    "Unidentified Communal Militia (Country)" (inter 4) when the context says the violence is between
    communities, clans or ethnic groups (acled_rules.yaml: identity_conflict_words)."""
    country = (event.location or {}).get("country") or doc.ext.get("focus_country")
    states = actors.states
    communal = get_word_list("identity_conflict_words")
    if communal is not None and communal.search(text):
        group, suffix, inter = "Unidentified Communal Militia", "IDM", 4
    else:
        group, suffix, inter = "Unidentified Armed Group", "UAF", 3
    name = f"{group} ({states[country].name})" if country in states else group
    return {"text": "", "name": name, "id": f"{country}_{suffix}" if country else None, "country": country,
            "sector": "UAF", "acled_inter": inter}
