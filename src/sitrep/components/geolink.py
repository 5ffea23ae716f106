"""Which of a sentence's places an event happened at.

The place attached to the trigger or its clause by a preposition ("in", "near", "north of")
or as its object ("shelled Douma") wins, then the most specific (a town before a province
before a country), then the nearest. Places that name an actor ("Russia withdrew", "Moscow
denied") or sit inside an actor's name are not locations.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token

from sitrep.document import Mention

PLACE_PREPS = {"in", "near", "at", "around", "outside", "of", "across", "into", "on", "towards", "toward",
               "inside", "throughout", "within", "north", "south", "east", "west", "from", "to"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}


def choose_location(head: Token, predicate: Token, mentions: list[Mention],
                    actors: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The location object (DESIGN.md section 4) for the event whose trigger is `head`."""
    actor_texts = {a["text"] for a in actors}
    places = [m for m in mentions if m.kind == "PLACE" and m.norm.get("location")
              and m.text not in actor_texts and not _inside_actor(m, mentions)
              and not _is_subject(head, m)]
    if not places:
        return None
    scope = {t.i for t in predicate.subtree} | {t.i for t in head.subtree}

    def rank(mention: Mention) -> tuple[int, int, int]:
        span = head.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        attached = span is not None and span.root.i in scope and span.root.head.lower_ in PLACE_PREPS
        attached = attached or (span is not None and span.root.head in (head, predicate)
                                and span.root.dep_ in ("dobj", "pobj", "npadvmod"))
        feature = mention.norm["location"]["feature"]
        specificity = 2 if feature == "country" else 1 if feature == "admin1" else 0
        distance = abs((span.root.i if span is not None else 0) - head.i)
        return (0 if attached else 1, specificity, distance)

    chosen = min(places, key=rank)
    location = dict(chosen.norm["location"])
    if location.get("geo_precision") == 1 and _vague(head.doc, chosen):
        location["geo_precision"] = 2
    return location


VAGUE_BEFORE = {"outskirts", "countryside", "vicinity", "environs", "surroundings", "between", "km", "kms",
                "kilometres", "kilometers", "miles", "area", "areas", "district", "districts", "suburbs"}
DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "northern",
              "southern", "eastern", "western"}


def _vague(doc: Doc, mention: Mention) -> bool:
    """ACLED's precision 2: "the outskirts of X", "X countryside", "30 km north of X", "between X and Y",
    "the X area/district". "near X" stays precision 1 (the town is the closest named place)."""
    if mention.norm.get("hint") == "area":
        return True
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None:
        return False
    before = [t.lower_ for t in doc[max(span.sent.start, span.start - 4) : span.start]]
    after = [t.lower_ for t in doc[span.end : min(span.sent.end, span.end + 2)]]
    if any(w in VAGUE_BEFORE for w in before) or (before[-2:-1] and before[-1] == "of" and before[-2] in DIRECTIONS):
        return True
    if before and before[-1] in DIRECTIONS and len(before) >= 1 and "of" not in before[-1:]:
        return True  # "northern Aleppo", "western Idlib"
    return bool(after) and after[0] in ("countryside", "outskirts", "area", "areas", "district", "suburbs")


def _inside_actor(place: Mention, mentions: list[Mention]) -> bool:
    return any(m.kind == "ACTOR" and m.span.contains(place.span) and m.span != place.span
               and not m.norm.get("generic") for m in mentions)


def _is_subject(head: Token, place: Mention) -> bool:
    """A country or city that is a clause's subject acts ("Moscow began bombing"); it is not where."""
    span = head.doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in SUBJECT_DEPS
