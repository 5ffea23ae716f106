"""Events: triggers from the lexicon, typed by PLOVER, with roles, status, place, time and figures.

Per sentence: every trigger of the lexicon (a lemma sequence, with a part of speech) is found;
triggers of one type in one sentence are one event (ACLED's aggregation: one act, coded at
the highest-precedence sub-type). Roles come from the dependency parse around the trigger's
predicate (subject or "by" agent -> actor; object or "against/on" phrase -> recipient), the
status from modality, tense, negation and conditionals, the place from the prepositional
phrases around it, and the ACLED and CAMEO codes from the crosswalk.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.components.base import BaseComponent, parsed
from sitrep.components.claims import ACCUSING_VERBS
from sitrep.components.dates import DATE_BORROWED, date_borrowed, dated_event
from sitrep.components.event_frames import NEGATION_ABSORBED, governing_verb, reframe
from sitrep.components.figures import attach_figures
from sitrep.components.geolink import choose_location
from sitrep.document import DateValue, Document, Event, Mention, Span
from sitrep.knowledge.bundle import Knowledge, default_knowledge
from sitrep.knowledge.ontology import Ontology, Trigger

RECIPIENT_PREPS = {"against", "on", "at", "targeting", "upon"}
PLAN_LEMMAS = {"plan", "schedule", "expect", "intend", "prepare", "set", "due", "aim", "vow", "swear", "pledge",
               "promise", "propose", "threaten", "seek", "want", "hope", "agree", "decide", "resume"}
PLAN_ADJECTIVES = {"ready", "prepared", "willing", "poised", "determined", "keen", "eager", "set", "due"}
PLAN_MODIFIERS = {"planned", "upcoming", "proposed", "scheduled", "expected", "possible", "future", "potential"}
HYPOTHETICAL_MARKS = {"if", "unless", "whether"}
REPORTED_FUTURE = {"say", "announce", "confirm", "tell", "declare", "state", "insist", "warn", "vow", "pledge",
                   "promise", "indicate", "signal", "reiterate", "add"}
MODALS = {"could", "might", "may", "would", "should", "can"}
FORCE_SECTORS = {"MIL", "COP", "GOV"}
CROWD_INTERS = {5, 6}  # ACLED's rioters and protesters (protesters who use violence are coded rioters)
CLAUSE_ARGUMENTS = ("dobj", "nsubj", "nsubjpass", "attr")
SPEECH_VERBS = {"say", "tell", "report", "state", "add", "note", "write", "quote"}
# Types ACLED codes: their recipients are victims and opponents, so they are taken only from the parse
# around the act itself, never from a nationality word or an embedded clause.
ACLED_CODED_TYPES = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT", "SANCTION"})
BATTLE_KEY = "battle"
TERRITORY_KEY = "territory"


class EventExtractor(BaseComponent):
    """Adds `Event`s to `doc.events`, from the sections named in config (body by default).

    The ontology, the actors (state forces named by a demonym) and the gazetteer that frames an
    event's place come from `knowledge`: the pipeline's, the places' and actors' own."""

    def __init__(self, *, sections: list[str] | tuple[str, ...] = ("body",),
                 knowledge: Knowledge | None = None) -> None:
        self.sections = set(sections)
        self.knowledge = knowledge or default_knowledge()
        self.ontology: Ontology = self.knowledge.ontology
        self.actors = self.knowledge.actors
        self._index: dict[str, list[Trigger]] = defaultdict(list)
        for trigger in self.ontology.triggers:
            self._index[trigger.lemmas[0]].append(trigger)
        for triggers in self._index.values():
            triggers.sort(key=lambda t: len(t.lemmas), reverse=True)

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        blocked = _blocked_tokens(doc, sdoc)
        for sent in sdoc.sents:
            section = doc.section_at(sent.start_char)
            if section not in self.sections:
                continue
            by_type: dict[str, list[tuple[SpacySpan, Trigger]]] = defaultdict(list)
            framed = reframe(sent, self._match(sent, blocked), self.ontology.frames)
            for span, trigger in framed:
                by_type[trigger.event_type].append((span, trigger))
            # The sentence's events in order of salience (the main clause's act first), which is the
            # order "the" event of a one-sentence report is read in (sitrep.evaluate.plover.first_event).
            for event_type, hits in sorted(by_type.items(), key=lambda kv: min(map(_salience, kv[1]))):
                for group, owned in _clause_groups(doc, sent, hits):
                    doc.events.append(self._event(doc, sent, event_type, group, section, framed, owned))
        return doc

    # -- triggers ---------------------------------------------------------------------------
    def _match(self, sent: SpacySpan, blocked: set[int]) -> list[tuple[SpacySpan, Trigger]]:
        out = []
        i = sent.start
        sdoc = sent.doc
        while i < sent.end:
            token = sdoc[i]
            hit = None
            if i not in blocked:
                for trigger in self._index.get(_lemma(token), []):
                    end = i + len(trigger.lemmas)
                    if end > sent.end or any(k in blocked for k in range(i, end)):
                        continue
                    if all(_lemma(sdoc[i + k]) == lemma for k, lemma in enumerate(trigger.lemmas)):
                        head = sdoc[end - 1]
                        if trigger.pos and head.pos_ not in trigger.pos and sdoc[i].pos_ not in trigger.pos:
                            continue
                        hit = (sdoc[i:end], trigger)
                        break
            if hit:
                out.append(hit)
                i = hit[0].end
            else:
                i += 1
        return out

    # -- one event ----------------------------------------------------------------------------
    def _event(self, doc: Document, sent: SpacySpan, event_type: str,
               hits: list[tuple[SpacySpan, Trigger]], section: str,
               sentence_hits: list[tuple[SpacySpan, Trigger]] | None = None,
               owned: frozenset[int] = frozenset()) -> Event:
        span, trigger = self._main_hit(hits)
        head = _head(span)
        predicate = _predicate(head)
        text = sent.text
        start = sent.start_char + len(text) - len(text.lstrip())
        sentence = Span(start, max(start, sent.start_char + len(text.rstrip())))
        mentions = [m for m in doc.mentions if sentence.contains(m.span)]
        actors, recipients = self._roles(doc, head, predicate, mentions, trigger)
        for other_span, other in sorted(hits, key=lambda h: _depth(_head(h[0]))):
            if actors and recipients:
                break
            if other_span is span:
                continue  # "6 militants were killed following attacks by police": the agent is on "attacks"
            other_head = _head(other_span)
            more_actors, more_recipients = self._roles(doc, other_head, _predicate(other_head), mentions, other)
            actors = actors or more_actors
            recipients = recipients or [r for r in more_recipients if r["id"] not in {a["id"] for a in actors}]
        if self.ontology.frames.has("armed_act_types", trigger.event_type):
            actors = [self._forces_of(a) for a in actors]
        when, date_basis = dated_event(head, mentions)
        borrowed = date_basis == "stated" and date_borrowed(head, mentions)
        framed = bool(trigger.extra.get("frame"))
        status = _status(predicate if framed else head, predicate, when, doc)  # "cancelled a planned visit"
        if when is None and status == "asserted" and doc.source.published:
            published = doc.source.published
            when = DateValue(published, published, 2, "")  # the report's date: honest week precision
            date_basis = "published"
        location = choose_location(head, predicate, mentions, actors, self.knowledge.gazetteer)
        figures = attach_figures(head, mentions, owned)
        if status == "negated" and trigger.extra.get(NEGATION_ABSORBED):
            status = "asserted"  # "will not lift the ban" is a refusal that happened (REJECT)
        mode = self._mode(hits)
        riot = self.ontology.frames.outcome("rioters", event_type, trigger.cameo) if actors and all(
            a.get("acled_inter") in CROWD_INTERS for a in actors) else None
        cameo_override: str | None = None
        if riot:  # "protesters attacked several embassies": a violent protest (PLOVER PROTEST:riot)
            event_type, mode, cameo_override = riot
        collapse = self.ontology.future_collapse
        promised = collapse.get(f"{event_type}:{mode}", collapse.get(event_type))
        committed = bool(actors) or _said_by_subject(head, predicate)
        if promised and promised != event_type and status == "planned" and committed and head.pos_ == "VERB":
            event_type, mode = promised, None  # PLOVER: a promised cooperative act is AGREE
        elif status == "planned" and not framed and _commits(head, predicate):
            threat = self.ontology.frames.outcome("threaten", event_type, trigger.cameo)
            if threat:  # "rebels said they would blockade the city": a threat (CAMEO 13)
                event_type, mode, cameo_override = threat
        if event_type == "THREATEN" and mode is None:
            threatened = self._threat_content(head, sentence_hits or [])
            if threatened:  # "threatened to launch an offensive": the mode is what is threatened
                mode, cameo_override = threatened
        acled = self._acled(event_type, mode)
        cameo = cameo_override or next(
            (t.cameo for _, t in hits if t.event_type == event_type and t.mode == mode and t.cameo), None
        ) or acled.get("cameo")
        contexts = sorted({c for _, t in hits for c in t.contexts})
        _abroad(actors + recipients, location)
        weight = max(t.weight for _, t in hits)
        confidence = round(weight * (0.6 + 0.2 * bool(actors) + 0.2 * bool(location)), 2)
        return Event(
            event_type=event_type, trigger=Span(span.start_char, span.end_char), sentence=sentence,
            mode=mode, contexts=contexts, status=status, actors=actors, recipients=recipients, when=when,
            location=location, figures=figures,
            acled={"event_type": acled.get("acled_event_type"), "sub_event_type": acled.get("acled_sub_event_type")},
            cameo=cameo, quad=self.ontology.quad(event_type), section=section,  # type: ignore[arg-type]
            confidence=confidence, trigger_text=span.text, date_basis=date_basis,
            flags={flag for _, t in hits for flag in (BATTLE_KEY, TERRITORY_KEY) if t.extra.get(flag)}
            | ({DATE_BORROWED} if borrowed else set()),
        )

    def _threat_content(self, head: Token, sentence_hits: list[tuple[SpacySpan, Trigger]]
                        ) -> tuple[str, str] | None:
        """Mode and CAMEO code of a threat from the act it embeds (the frames' `threaten` table):
        the nearest other trigger under the threatening word in the parse."""
        embedded = [(span, t) for span, t in sentence_hits
                    if t.event_type != "THREATEN" and head.is_ancestor(_head(span))]
        for _span, trigger in sorted(embedded, key=lambda h: _depth(_head(h[0]))):
            outcome = self.ontology.frames.outcome("threaten", trigger.event_type, trigger.cameo)
            if outcome and outcome[1]:
                return outcome[1], outcome[2]
        return None

    def _main_hit(self, hits: list[tuple[SpacySpan, Trigger]]) -> tuple[SpacySpan, Trigger]:
        """The trigger nearest the root of the sentence's parse (the main clause), then a verb
        over a noun, then the earliest: in "forces backed by Russian air strikes launched an
        offensive", the offensive is the event and the air strikes its support."""
        return min(hits, key=lambda h: (_depth(_head(h[0])), _head(h[0]).pos_ != "VERB", h[0].start))

    def _mode(self, hits: list[tuple[SpacySpan, Trigger]]) -> str | None:
        moded = [t for _, t in hits if t.mode]
        if not moded:
            return None
        return min(moded, key=lambda t: self.ontology.acled_rank(
            *(lambda r: (r.get("acled_event_type"), r.get("acled_sub_event_type")))(
                self.ontology.acled(t.event_type, t.mode)))).mode

    def _acled(self, event_type: str, mode: str | None) -> dict[str, Any]:
        """The crosswalk's ACLED type for the type and mode; the acled component refines it."""
        return dict(self.ontology.acled(event_type, mode))

    # -- roles ------------------------------------------------------------------------------
    @property
    def _all_recipient_preps(self) -> set[str]:
        return {p for preps in self.ontology.recipient_preps.values() for p in preps}

    def _forces_of(self, actor: dict[str, Any]) -> dict[str, Any]:
        """A state's government as the actor of an armed act is its military (plover.yaml
        `armed_act_types`); the text that named it is kept."""
        if actor.get("sector") != "GOV" or not actor.get("country"):
            return actor
        forces = self.actors.state_actor(actor["country"], "MIL")
        return forces.as_record(actor.get("text") or "") if forces is not None else actor

    def _roles(self, doc: Document, head: Token, predicate: Token, mentions: list[Mention],
               trigger: Trigger) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        event_type = trigger.event_type
        preps = self.ontology.recipient_prepositions(event_type) or RECIPIENT_PREPS
        actor_tokens: list[Token] = []
        recipient_tokens: list[Token] = []
        for child in predicate.children:
            if child.dep_ in ("nsubj", "csubj"):
                actor_tokens.append(child)
            elif child.dep_ == "agent":
                actor_tokens += [c for c in child.children if c.dep_ == "pobj"]
            elif child.dep_ in ("dobj", "nsubjpass") and child != head:
                recipient_tokens.append(child)
                if child.dep_ == "dobj":
                    # "demanded an apology from India", "confiscated weapons from militants": the object is
                    # what changes hands; the type's own preposition names who undergoes the act
                    own = self.ontology.recipient_preps.get(event_type, frozenset())
                    recipient_tokens += [c for p in child.children if p.dep_ == "prep" and p.lower_ in own
                                         for c in p.children if c.dep_ == "pobj"]
            elif child.dep_ == "dative":  # "gave Tanzania a grant", "gave a grant to Tanzania"
                recipient_tokens += [c for c in child.children if c.dep_ == "pobj"] if child.pos_ == "ADP" else [child]
            elif child.dep_ == "prep" and child.lower_ in preps:
                recipient_tokens += [c for c in child.children if c.dep_ == "pobj"]
        if head != predicate:
            noun_preps = preps | ({"of"} if event_type in self.ontology.noun_object_of else set())
            for child in head.children:
                if child.dep_ in ("amod", "compound", "poss", "nmod"):
                    actor_tokens.append(child)
                elif child.dep_ == "prep" and child.lower_ in noun_preps | {"by"}:
                    target = actor_tokens if child.lower_ == "by" else recipient_tokens
                    target += [c for c in child.children if c.dep_ == "pobj"]
        accuser = _accusing_verb(head)
        if accuser is not None:
            # "Hamas accused Israel of shelling a school", "M23 condemns the bombardment carried out by the
            # coalition": the speaker accuses; the accused (the verb's object, or the act's agent) acts
            accused = [c for c in accuser.children if c.dep_ == "dobj" and c.i != head.i]
            actor_tokens = [t for t in actor_tokens if t.dep_ not in ("nsubj", "csubj") or t.head.i != accuser.i]
            actor_tokens += accused + [c for acl in head.children if acl.dep_ == "acl"
                                       for agent in acl.children if agent.dep_ == "agent"
                                       for c in agent.children if c.dep_ == "pobj"]
            recipient_tokens = [t for t in recipient_tokens if t not in accused]
        if event_type not in ACLED_CODED_TYPES:
            actor_tokens, recipient_tokens = _statement_roles(head, predicate, trigger, actor_tokens, recipient_tokens)
        if not actor_tokens and predicate.dep_ in ("xcomp", "advcl", "conj", "pcomp") and predicate.head.pos_ == "VERB":
            actor_tokens += [c for c in predicate.head.children if c.dep_ == "nsubj"]  # "forces moved in, cutting ..."
        if trigger.extra.get("subject_role") == "recipient":
            actor_tokens, recipient_tokens = [], actor_tokens  # "70,000 civilians fled": they undergo it
        actors = self._resolve_tokens(doc, _with_conjuncts(actor_tokens), mentions, event_type)
        recipients = self._resolve_tokens(doc, _with_conjuncts(recipient_tokens), mentions, event_type)
        seen = {a["id"] for a in actors}
        recipients = [r for r in recipients if r["id"] not in seen]
        if not recipients and event_type not in ACLED_CODED_TYPES:
            # "agreed to provide aid for Romania", "offered to negotiate with Armenia", "lifted a curfew in
            # Montenegro": the party the statement or concession is about sits in the embedded act or place
            fallback = _embedded_recipient_tokens(predicate, self._all_recipient_preps | {"in"})
            recipients = [r for r in self._resolve_tokens(doc, _with_conjuncts(fallback), mentions, event_type)
                          if r["id"] not in seen]
        return actors, recipients

    def _resolve_tokens(self, doc: Document, tokens: list[Token], mentions: list[Mention],
                        event_type: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for token in tokens:
            record = self._actor_at(token, mentions, event_type)
            if record and record["id"] not in seen:
                seen.add(record["id"])
                out.append(dict(record))
        return out

    def _actor_at(self, token: Token, mentions: list[Mention], event_type: str) -> dict[str, Any] | None:
        """The actor a role token names: an actor mention on it or its left modifiers, or a
        country or capital used as a political actor ("Russia withdrew", "Moscow denied"); in
        statements and diplomacy, a nationality word naming a state's representative ("hosted the
        Japanese prime minister")."""
        candidates = [token, *[c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod", "appos")]]
        for tok in candidates:
            for mention in mentions:
                if mention.kind == "ACTOR" and mention.span.start <= tok.idx < mention.span.end:
                    return mention.norm["actor"]
        if event_type not in ACLED_CODED_TYPES:
            for tok in candidates:
                iso3 = self.actors.demonyms.get(_fold(tok.text)) if tok.pos_ in ("ADJ", "PROPN") else None
                actor = self.actors.state_actor(iso3, "GOV") if iso3 else None
                if actor and not any(m.kind == "PLACE" and m.span.start <= tok.idx < m.span.end for m in mentions):
                    return actor.as_record(tok.text)
        for mention in mentions:
            if mention.kind != "PLACE" or not (mention.span.start <= token.idx < mention.span.end):
                continue
            location = mention.norm.get("location") or {}
            iso3 = location.get("country")
            is_capital = iso3 and self.actors.capitals.get(_fold(mention.text)) == iso3
            if iso3 and (location.get("feature") == "country" or is_capital):
                sector = "MIL" if event_type in ("ASSAULT", "MOBILIZE", "RETREAT", "COERCE") else "GOV"
                actor = self.actors.state_actor(iso3, sector)
                if actor:
                    return actor.as_record(mention.text)
        return None

# -- helpers --------------------------------------------------------------------------------
def _clause_groups(doc: Document, sent: SpacySpan, hits: list[tuple[SpacySpan, Trigger]]
                   ) -> list[tuple[list[tuple[SpacySpan, Trigger]], frozenset[int]]]:
    """The sentence's hits of one type as one event, or one per clause that states its own figure.

    A sentence is one event per type, because notes and wire leads state one act several ways
    ("shelled and bombed the town"). But "20,000 civilians have fled Douma and 12,000 have fled
    Harasta" is two displacements, each with its own figure and place: when two or more verb
    triggers each govern a figure of their own (the figure's nearest verb ancestor is that
    trigger), each becomes an event with that figure (its start offset is in `owned`); the other
    hits stay with the first. No library splits coordinated clauses by what they quantify.
    """
    verbs = {_head(span).i: (span, trigger) for span, trigger in hits if _head(span).pos_ == "VERB"}
    if len(verbs) < 2:
        return [(hits, frozenset())]
    sdoc = sent.doc
    owned: dict[int, set[int]] = defaultdict(set)
    kinds: dict[str, set[int]] = defaultdict(set)  # figure kind -> the verbs that state one
    for mention in doc.mentions:
        if mention.kind != "FIGURE" or not (sent.start_char <= mention.span.start < sent.end_char):
            continue
        span = sdoc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if span is None:
            continue
        verb = next((t for t in span.root.ancestors if t.pos_ == "VERB"), None)
        if verb is not None and verb.i in verbs:
            owned[verb.i].add(mention.span.start)
            kinds[mention.norm["figure"].kind].add(verb.i)
    # "killed 33 soldiers and wounded 30" is one act with two kinds of figure: only clauses stating
    # the same kind of figure twice ("N fled X, M fled Y") are separate happenings.
    owners = sorted({i for verbs_of_kind in kinds.values() if len(verbs_of_kind) > 1 for i in verbs_of_kind})
    if len(owners) < 2:
        return [(hits, frozenset())]
    groups = {i: [verbs[i]] for i in owners}
    first = owners[0]
    for hit in hits:
        if _head(hit[0]).i not in groups:
            groups[first].append(hit)
    return [(groups[i], frozenset(owned[i])) for i in owners]


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _fold(text: str) -> str:
    from sitrep.knowledge.gazetteer import normalize

    return normalize(text)


def _blocked_tokens(doc: Document, sdoc: Any) -> set[int]:
    """Tokens inside named actors or places never trigger ("Free Syrian Army", "Operation ...")."""
    blocked: set[int] = set()
    for mention in doc.mentions:
        if mention.kind == "PLACE" or (mention.kind == "ACTOR" and not mention.norm.get("generic")):
            span = sdoc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
            if span is not None and len(span) > 1 or mention.kind == "PLACE":
                blocked.update(range(span.start, span.end) if span is not None else [])
    return blocked


def _salience(hit: tuple[SpacySpan, Trigger]) -> tuple[int, bool, int]:
    """Lower is more central: depth in the parse, a noun that is the subject or object of its
    clause's verb ranking with that verb (a light verb's object carries the act: "launched an
    appeal", "held talks"), a participle modifying a noun ("the besieged town", "occupied
    territory") as deep since it describes a state; then a verb over a noun, then text order."""
    head = _head(hit[0])
    noun = head
    while (noun.pos_ in ("NOUN", "PROPN") and noun.dep_ in ("compound", "amod", "nmod")
           and noun.head.pos_ in ("NOUN", "PROPN") and noun.head != noun):
        noun = noun.head  # "ended mediation efforts"
    if noun.pos_ in ("NOUN", "PROPN") and noun.dep_ in CLAUSE_ARGUMENTS and noun.head.pos_ in ("VERB", "AUX"):
        if noun.head.lemma_.lower() in SPEECH_VERBS:  # "relief officials said": the speaker, not an act
            return (_depth(noun.head) + 4, True, hit[0].start)
        return (_depth(noun.head), False, hit[0].start)  # "staged demonstrations to demand ...": the act staged
    depth = _depth(head) + (4 if head.dep_ == "amod" and head.pos_ == "VERB" else 0)
    return (depth, head.pos_ != "VERB", hit[0].start)


def _depth(token: Token) -> int:
    return sum(1 for _ in token.ancestors)


def _head(span: SpacySpan) -> Token:
    return span.root


def _statement_roles(head: Token, predicate: Token, trigger: Trigger, actors: list[Token],
                     recipients: list[Token]) -> tuple[list[Token], list[Token]]:
    """Roles of statements about another party's act (CAMEO's source/target, not the act's agent):
    "rejected Iraq's proposal" and "dismissed an appeal from the president" target the proposer;
    "demanded that Sudan return the helicopter" and "said Sudan must return it" target Sudan, and the
    one who said it is the source."""
    if trigger.extra.get("frame") and head != predicate and head.dep_ in ("dobj", "nsubjpass"):
        owners = [c for c in head.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
        owners += [c for p in head.children if p.dep_ == "prep" and p.lower_ in ("by", "from", "of")
                   for c in p.children if c.dep_ == "pobj"]
        actors = [t for t in actors if t not in owners]
        recipients = owners + recipients
    if trigger.event_type == "REQUEST":
        clause = head if head.pos_ in ("VERB", "AUX") else predicate
        if any(c.dep_ == "aux" and c.lower_ in ("must", "should", "ought") for c in clause.children):
            speaker = clause.head if clause.dep_ in ("ccomp", "xcomp") and clause.head is not clause else None
            subjects = [c for c in clause.children if c.dep_ == "nsubj"]
            if speaker is not None:  # "Russia said Sudan must return the helicopter"
                return [c for c in speaker.children if c.dep_ == "nsubj"], subjects + recipients
        recipients = recipients + [c for clause_ in predicate.children if clause_.dep_ in ("ccomp", "xcomp")
                                   for c in clause_.children if c.dep_ == "nsubj"]  # "demanded that X do Y"
    return actors, recipients


def _embedded_recipient_tokens(predicate: Token, preps: set[str]) -> list[Token]:
    """Objects and prepositional objects of the clause's own prepositions and of the acts it embeds
    (xcomp/ccomp, two levels): where a statement's or a concession's target is named."""
    out: list[Token] = []
    verbs = [predicate]
    for _ in range(2):
        verbs += [c for v in verbs for c in v.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")
                  and c not in verbs]
    for verb in verbs:
        for child in verb.children:
            if child.dep_ in ("dobj", "dative") and child.pos_ != "ADP" and verb != predicate:
                out.append(child)
                out += [c for p in child.children if p.dep_ == "prep" and p.lower_ in preps for c in p.children
                        if c.dep_ == "pobj"]
            elif (child.dep_ == "prep" or child.dep_ == "dative") and child.lower_ in preps:
                out += [c for c in child.children if c.dep_ == "pobj"]
    return out


def _accusing_verb(head: Token) -> Token | None:
    """The verb of accusing whose object or complement the act is: "condemns [the bombardment]",
    "accused Israel [of shelling]", "blamed the army for [the attack]"; None when there is none."""
    token = head
    for _ in range(3):
        if token.head.i == token.i:
            break
        token = token.head
        if token.pos_ == "VERB":
            return token if token.lemma_.lower() in ACCUSING_VERBS else None
    return None


def _predicate(head: Token) -> Token:
    """The verb whose clause the trigger sits in: itself for verbs, the governing verb for nouns."""
    if head.pos_ in ("VERB", "AUX"):
        return head
    token = head
    if token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd"):
        return token.head
    if token.dep_ == "pobj" and token.head.head.pos_ == "VERB":
        return token.head.head
    if token.dep_ == "conj":
        return _predicate(token.head)
    return head


def _commits(head: Token, predicate: Token) -> bool:
    """An actor commits to the act itself: the trigger is the verb or its direct object ("would
    blockade Paris", "will extend the curfew"), not a noun in an adjunct ("during a rally")."""
    if head.pos_ != "VERB" and not (head.dep_ == "dobj" and head.head == predicate):
        return False
    return _said_by_subject(head, predicate)


def _said_by_subject(head: Token, predicate: Token) -> bool:
    """The planned act has a grammatical subject of its own or through the verb that governs it
    ("they would blockade", "is prepared to impose martial law", "vowed to fight"), so someone
    commits to it; an act merely scheduled or expected ("an offensive is expected") has none."""
    verb = predicate if predicate.pos_ in ("VERB", "AUX") else governing_verb(head)
    for _ in range(3):
        if verb is None:
            return False
        if any(c.dep_ == "nsubj" for c in verb.children):
            return True
        verb = verb.head if verb.dep_ in ("xcomp", "acomp") and verb.head != verb else None
    return False


def _with_conjuncts(tokens: list[Token]) -> list[Token]:
    out = []
    for token in tokens:
        out.append(token)
        out.extend(t for t in token.conjuncts if t not in out)
    return out


def _status(head: Token, predicate: Token, when: DateValue | None, doc: Document) -> str:
    """Negated, hypothetical or planned from the clause; asserted otherwise (claims come later)."""
    clause = [predicate, head]
    if any(c.dep_ == "neg" for t in clause for c in t.children) or any(
        c.lower_ in ("no", "never") and c.dep_ in ("det", "neg", "advmod") for c in head.children
    ):
        return "negated"
    chain = [predicate, *list(predicate.ancestors)[:3]]
    if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for t in chain[:2] for c in t.children):
        return "hypothetical"
    auxes = {c.lower_ for t in clause for c in t.children if c.dep_ in ("aux", "auxpass")}
    future_date = bool(when and doc.source.published and when.start > doc.source.published)
    if auxes & {"will", "'ll", "shall"} or "going" in auxes:
        return "planned"
    if predicate != head and predicate.lemma_.lower() in PLAN_LEMMAS:
        return "planned"  # "talks are planned in Astana", "an offensive is expected"
    if predicate.dep_ == "xcomp" and predicate.head.lemma_.lower() in PLAN_ADJECTIVES:
        return "planned"  # "ready to host", "willing to release"
    infinitive = predicate.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in predicate.children)
    if any(a.lemma_.lower() in PLAN_LEMMAS for a in chain[1:] if a.pos_ in ("VERB", "ADJ", "AUX")) and (
        predicate.dep_ in ("xcomp", "ccomp") or head.dep_ in ("dobj", "pobj") or infinitive
    ):
        return "planned"
    if any(c.lower_ in PLAN_MODIFIERS for c in head.children if c.dep_ in ("amod", "compound")):
        return "planned"
    if "would" in auxes and predicate.dep_ == "ccomp" and predicate.head.lemma_.lower() in REPORTED_FUTURE:
        return "planned"  # "they said they would blockade Paris": the future of reported speech
    if auxes & MODALS:
        return "planned" if future_date else "hypothetical"
    if future_date:
        return "planned"
    return "asserted"


def _abroad(actors: list[dict[str, Any]], location: dict[str, Any] | None) -> None:
    """ACLED codes state forces acting outside their own country as external forces (inter 8)."""
    country = location.get("country") if location else None
    for actor in actors:
        if country and actor.get("acled_inter") == 1 and actor.get("country") not in (None, country):
            actor["acled_inter"] = 8
