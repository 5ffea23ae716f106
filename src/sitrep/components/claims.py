"""Who says so: reported speech attached to events as `claimed_by` / `denied_by`.

An event inside the complement of a reporting verb ("rebels claimed that the regime launched
attacks") is claimed by that verb's subject; "according to X" claims the whole sentence; an
event under "deny" is denied. A later sentence that denies "the accusation", "the claims" or
"it" denies the claimed events just before it ("Assad has denied the accusation").
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Token

from sitrep.components.base import BaseComponent, parsed
from sitrep.document import Document, Event, Mention
from sitrep.knowledge.bundle import Knowledge, default_knowledge

# Verbs whose subject blames another party for an act ("accused Israel of shelling"): the subject is the
# source of the claim, never the act's agent (events.py takes the accused as the actor)
ACCUSING_VERBS = frozenset({"accuse", "blame", "condemn", "denounce"})
REPORTING = {"say", "claim", "report", "allege", "tell", "state", "announce", "insist", "confirm", "add",
             "assert", "contend", "write", "note", "warn", "argue", "suggest"} | ACCUSING_VERBS
DENIAL = {"deny", "reject", "dismiss", "refute", "dispute"}
DENIED_THINGS = {"accusation", "claim", "report", "allegation", "charge", "it", "this", "that", "involvement",
                 "responsibility", "account"}


class ClaimAttributor(BaseComponent):
    """Fills `claimed_by` / `denied_by` and moves the status to claimed or denied; a country that
    speaks ("Turkey denied") is its government, from `knowledge.actors`."""

    def __init__(self, *, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge or default_knowledge()

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        for event in doc.events:
            self._attribute(doc, sdoc, event)
        self._later_denials(doc, sdoc)
        return doc

    def _attribute(self, doc: Document, sdoc: SpacyDoc, event: Event) -> None:
        trigger = sdoc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if trigger is None:
            return
        head = trigger.root
        for ancestor in head.ancestors:
            lemma = ancestor.lemma_.lower()
            if ancestor.pos_ not in ("VERB", "AUX") or lemma not in REPORTING | DENIAL:
                continue
            sources = self._sources(doc, ancestor)
            if not sources:
                continue
            if lemma in DENIAL:
                _extend(event.denied_by, sources)
                event.status = "denied"
            else:
                _extend(event.claimed_by, sources)
                if event.status == "asserted" and not self._self_declared(event, lemma, sources):
                    event.status = "claimed"
            return
        sent = trigger.sent
        for token in sent:
            if token.lower_ == "according" and token.i + 1 < len(sdoc) and sdoc[token.i + 1].lower_ == "to":
                objects = [c for c in sdoc[token.i + 1].children if c.dep_ == "pobj"]
                sources = [s for o in objects for s in self._mentions_at(doc, o)]
                if sources:
                    _extend(event.claimed_by, sources)
                    if event.status == "asserted":
                        event.status = "claimed"

    def _self_declared(self, event: Event, lemma: str, sources: list[dict[str, Any]]) -> bool:
        """A party announcing its own decision (plover.yaml `self_declared_types`, `declaring_verbs`):
        the announcement is the act, so the event stays asserted."""
        frames = self.knowledge.ontology.frames
        if not (frames.has("declaring_verbs", lemma) and frames.has("self_declared_types", event.event_type)):
            return False
        own = {a.get("id") for a in event.actors if a.get("id")}
        return bool(own) and all(s.get("id") in own for s in sources)

    def _sources(self, doc: Document, verb: Token) -> list[dict[str, Any]]:
        # "Clashes were reported in Gondar": a passive reporting verb's subject is what is reported, and
        # its source is the agent ("was reported by residents"), if any
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        subjects += [c for a in verb.children if a.dep_ == "agent" for c in a.children if c.dep_ == "pobj"]
        subjects += [c for s in list(subjects) for c in s.conjuncts]
        out: list[dict[str, Any]] = []
        for subject in subjects:
            out.extend(self._mentions_at(doc, subject))
        return out

    def _mentions_at(self, doc: Document, token: Token) -> list[dict[str, Any]]:
        """The actor the token names, or the bare noun phrase when the dictionary has none."""
        subtree = list(token.subtree)
        start, end = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
        for mention in doc.mentions:
            if mention.kind == "ACTOR" and start <= mention.span.start and mention.span.end <= end:
                return [mention.norm["actor"]]
        for mention in doc.mentions:
            if mention.kind == "PLACE" and mention.span.start <= token.idx < mention.span.end:
                return self._country_voice(mention)
        if token.pos_ in ("PRON", "DET"):
            return []
        text = doc.text[start:end]
        return [{"text": text, "name": None, "id": None, "country": None, "sector": None, "acled_inter": None}]

    def _country_voice(self, mention: Mention) -> list[dict[str, Any]]:
        location = mention.norm.get("location") or {}
        iso3 = location.get("country")
        actor = self.knowledge.actors.state_actor(iso3, "GOV") if iso3 else None
        return [actor.as_record(mention.text)] if actor else []

    def _later_denials(self, doc: Document, sdoc: SpacyDoc) -> None:
        """"X denied the accusation": deny the claimed events of the two sentences before."""
        sentences = list(sdoc.sents)
        for index, sent in enumerate(sentences):
            for token in sent:
                if token.lemma_.lower() not in DENIAL or token.pos_ != "VERB":
                    continue
                objects = [c for c in token.children if c.dep_ == "dobj"]
                if not any(o.lemma_.lower() in DENIED_THINGS for o in objects):
                    continue
                deniers = self._sources(doc, token)
                window = [s for s in sentences[max(0, index - 2) : index]]
                for event in doc.events:
                    in_window = any(s.start_char <= event.trigger.start < s.end_char for s in window)
                    if in_window and event.claimed_by and deniers:
                        _extend(event.denied_by, deniers)
                        event.status = "denied"


def _extend(target: list[dict[str, Any]], sources: list[dict[str, Any]]) -> None:
    for source in sources:
        key = (source.get("id"), source.get("text"))
        if all((s.get("id"), s.get("text")) != key for s in target):
            target.append(dict(source))
