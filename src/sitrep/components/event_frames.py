"""Clause frames: what a trigger reports depends on the clause it sits in.

A trigger names an act, but the clause around it can report the act's end ("halted aid" reduces
relations, "lifted the blockade" is a concession), a refusal of it ("declined to resign", "will not
lift the ban" are rejections), a demand for it ("Iraq must cooperate" is a request) or only an
attitude towards it ("expressed pessimism about a deal" is a statement, not a deal). The CAMEO
codebook codes each of these by the frame, not by the noun, and PLOVER follows it. The word lists
and outcome tables are data (`frames` in plover.yaml); this module only reads the parse.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.knowledge.ontology import Frames, Outcome, Trigger

Hit = tuple[SpacySpan, Trigger]
NOUN_MODIFIER_DEPS = ("compound", "amod", "nmod", "poss")
OBJECT_PREPS = {"on", "from", "of", "out"}  # "reneged on", "withdrew from", "pulled out of"
NEGATION_ABSORBED = "negation_absorbed"


def _sense_words(head: Token) -> set[str]:
    """The lemmas that can tell a trigger's sense: its own modifiers and their phrases ("bus
    drivers' strike", "a strike by teachers") and the parties of the verb that governs it ("teachers
    called off a strike", "miners went on strike"). Not the whole sentence: in "a clinic was hit in
    a further strike, according to rescue workers" the workers report the strike, they do not strike.
    """
    words: set[str] = set()

    def phrase(token: Token) -> None:
        if token.lower_ == "according":
            return
        words.update(t.lemma_.lower() for t in token.subtree)

    for child in head.children:
        phrase(child)
    verb = head.head
    if head.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    if verb != head and verb.pos_ in ("VERB", "AUX"):
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass", "agent") and child != head:
                phrase(child)
    return words


def reframe(sent: SpacySpan, hits: list[Hit], frames: Frames) -> list[Hit]:
    """The sentence's hits with frames applied: retyped, dropped (attitudes) or absorbed (a framing
    verb that was itself a trigger, such as "lift" in "lifted the blockade", gives way to the framed act)."""
    out: list[Hit] = []
    absorbed: set[int] = set()
    lemmas = {t.lemma_.lower() for t in sent}
    heads = {span.root.i for span, _ in hits}
    for span, trigger in hits:
        head = span.root
        if _describes_a_thing(head, heads, frames):
            continue  # "air raid sirens are sounding": the sirens sound, no raid is reported
        sense = trigger.extra.get("sense")
        if sense and _sense_words(head) & set(sense["near"]):  # "teachers called off a strike": a labour strike
            trigger = _retype(trigger, (sense["event_type"], sense.get("mode"), str(sense["cameo"])), frame=False)
        if _in_attitude(head, frames):
            continue
        if _capability(head, frames):
            continue  # "giving the security services wide powers to seize property": nothing seized yet
        if trigger.extra.get("needs_object") and not any(c.dep_ in ("dobj", "nsubjpass") for c in head.children):
            continue  # "return the seized weapons" is a release; "negotiators return to Geneva" is not
        if trigger.extra.get("no_object") and head.pos_ == "VERB" and any(c.dep_ == "dobj" for c in head.children):
            continue  # "protesters marched on parliament" is a demonstration; "marched the pupils away" is not
        if trigger.extra.get("unless_modified_by") and _sense_words(head) & set(trigger.extra["unless_modified_by"]):
            continue  # "during an overnight prayer vigil": worship, not a demonstration
        if trigger.extra.get("unless_object") and _object_lemmas(head) & set(trigger.extra["unless_object"]):
            continue  # "the army released aerial images" releases no one
        if trigger.extra.get("not_prenominal") and head.dep_ == "amod":
            continue  # "displaced families lived in the camps", "the fleeing crowd": people, not a flight
        if trigger.extra.get("not_in_time_clause") and _time_clause(head):
            continue  # "entered the town after the army withdrew": the withdrawal only dates the entry
        if trigger.extra.get("needs_near") and not lemmas & set(trigger.extra["needs_near"]):
            continue  # "a body was found" is a killing; "the governing body" is not
        governor = governing_verb(head)
        framed = trigger
        if governor is not None and frames.has("directive_verbs", governor.lemma_.lower()):
            absorbed.add(governor.i)  # "ordered patrols": the patrols are the event
        if governor is not None and head.pos_ in ("NOUN", "PROPN") and any(
                frames.has("light_verbs", lemma) for lemma in verb_lemmas(governor)):
            absorbed.add(governor.i)  # "delivered a group strike": the strike, not a delivery
        if governor is not None:
            outcome = _reverse(governor, framed, frames)
            if outcome:
                framed = _retype(framed, outcome)
                absorbed.add(governor.i)
        predicate = head if head.pos_ in ("VERB", "AUX") else governor
        if predicate is not None:
            refusal = _refusal(predicate, head, frames)
            outcome = frames.outcome("refuse", framed.event_type, framed.cameo) if refusal else None
            if outcome:
                framed = _retype(framed, outcome, **{NEGATION_ABSORBED: refusal == "neg"})
                if refusal == "object" and governor is not None:
                    absorbed.add(governor.i)
            elif _obliged(predicate, frames):
                outcome = frames.outcome("obligation", framed.event_type, framed.cameo)
                framed = _retype(framed, outcome) if outcome else framed
        out.append((span, framed))
    out = [(span, t) for span, t in out if not (span.root.i in absorbed and len(span) == 1)]
    return out + _denials(sent, out, frames)


TIME_MARKS = {"after", "before", "since", "until", "once"}


def _capability(head: Token, frames: Frames) -> bool:
    """The trigger is the infinitive a noun of permission or ability is for: "powers to seize
    property", "the right to protest" (a conjoined verb shares it: "to restrict and seize")."""
    verb = head
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    if verb.pos_ != "VERB" or verb.dep_ not in ("acl", "relcl"):
        return False
    return frames.has("capability_nouns", verb.head.lemma_.lower()) and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _object_lemmas(head: Token) -> set[str]:
    """What the trigger acts on: a verb's direct object or passive subject, a noun's "of" phrase
    ("the release of images")."""
    out = {c.lemma_.lower() for c in head.children if c.dep_ in ("dobj", "nsubjpass")}
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            out.update(c.lemma_.lower() for c in prep.children if c.dep_ == "pobj")
    return out


def _time_clause(head: Token) -> bool:
    """The trigger heads a clause that only says when another act happened: "after the army
    withdrew", "a day after Israeli forces withdrew", "since fleeing"."""
    if head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in TIME_MARKS for c in head.children):
        return True
    return head.dep_ == "pcomp" and head.head.lower_ in TIME_MARKS


def _describes_a_thing(head: Token, heads: set[int], frames: Frames) -> bool:
    """A noun trigger that only modifies another noun names a kind of thing, not an act: "air raid
    sirens", "attack helicopters", "protest leaders", "bomb shelters". Not when the noun it modifies
    is itself a trigger ("ceasefire talks", "aid convoy") or a series of acts ("an air strike
    campaign", "a wave of attacks" is no compound): the `act_series_nouns` of plover.yaml."""
    if head.pos_ != "NOUN" or head.dep_ != "compound" or head.head.pos_ not in ("NOUN", "PROPN"):
        return False
    if head.tag_ != "NN" or head.head.lower_.endswith("ing"):
        return False  # a plural or a gerund after it is a misparse of a clause: "30 projectiles landing near X"
    return head.head.i not in heads and not frames.has("act_series_nouns", head.head.lemma_.lower())


def governing_verb(head: Token) -> Token | None:
    """The verb whose object the trigger is: "halted [the delivery of] aid", "the strike was called
    off", "reneged on the accord"; a verb trigger governed by another ("stopped shelling")."""
    token = head
    while token.dep_ in NOUN_MODIFIER_DEPS and token.head != token and token.head.pos_ in ("NOUN", "PROPN"):
        token = token.head  # "mediation efforts", "aid deliveries"
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
        token = token.head.head  # "the delivery of aid"
    if token.dep_ in ("dobj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX"):
        return token.head
    if token.dep_ == "pobj" and token.head.lower_ in OBJECT_PREPS and token.head.head.pos_ == "VERB" and not (
            _has_own_object(token.head.head)):
        return token.head.head
    if head.pos_ == "VERB" and head.dep_ == "xcomp" and head.head.pos_ == "VERB":
        return head.head
    return None


def _has_own_object(verb: Token) -> bool:
    """The verb already acts on something else, so a phrase after "from" or "of" is where it
    comes from, not what it acts on: "explosives dropped from drones" drops explosives (a
    participle's object is the noun it modifies), while "withdrew from the talks" leaves them."""
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children):
        return True  # a passive participle ("dropped from drones"); "has withdrawn from" is active
    return any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children)


def verb_lemmas(verb: Token) -> list[str]:
    """The verb's lemma with its particle first ("call off"), then the bare lemma."""
    lemma = verb.lemma_.lower()
    particles = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    return [f"{lemma} {p}" for p in particles] + [lemma]


def _reverse(verb: Token, trigger: Trigger, frames: Frames) -> Outcome | None:
    lemma = next((w for w in verb_lemmas(verb) if frames.has("reverse_verbs", w)), None)
    if lemma is None or any(c.dep_ == "neg" for c in verb.children) and lemma in ("end", "stop"):
        return None
    outcome = frames.outcome("reverse", trigger.event_type, trigger.cameo)
    if outcome and frames.has("reverse_only_cooperation", lemma) and outcome[0] != "SANCTION":
        return None
    return outcome


def _refusal(predicate: Token, head: Token, frames: Frames) -> str | None:
    """How the clause refuses the act: "neg" ("will not lift"), "verb" ("declined to resign",
    "unwilling to negotiate") or "object" ("rejected the proposal"), else None."""
    if any(c.dep_ == "neg" for c in predicate.children):
        return "neg"
    if predicate != head and any(w in frames.words.get("refuse_verbs", ()) for w in verb_lemmas(predicate)):
        return "object"
    parent = predicate.head
    if predicate.dep_ == "xcomp" and parent != predicate:
        words = verb_lemmas(parent) if parent.pos_ in ("VERB", "AUX") else [parent.lemma_.lower()]
        if any(frames.has("refuse_verbs", w) or frames.has("refuse_adjectives", w) for w in words):
            return "verb"
        if parent.pos_ == "AUX" and any(frames.has("refuse_adjectives", c.lemma_.lower())
                                        for c in parent.children if c.dep_ == "acomp"):
            return "verb"
    return None


def _obliged(predicate: Token, frames: Frames) -> bool:
    """'Y must / should do' (also 'Y has to do'): the clause states what someone is to do."""
    if any(c.dep_ == "aux" and frames.has("obligation_auxes", c.lower_) for c in predicate.children):
        return True
    parent = predicate.head
    return predicate.dep_ == "xcomp" and parent.lemma_.lower() == "have" and parent.pos_ in ("VERB", "AUX") and any(
        c.lower_ == "to" for c in predicate.children)


def _in_attitude(head: Token, frames: Frames) -> bool:
    """The trigger is what an attitude is about: "expressed concern about the attack", "is
    skeptical the program would meet", "is considering sending aid". A clause joined by "and" to
    the attitude is not in its scope."""
    token = head
    for _ in range(12):
        if _is_attitude(token, frames):
            return True
        if token.head == token or (token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")):
            return False
        token = token.head
    return False


def _is_attitude(token: Token, frames: Frames) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ == "ADJ" and frames.has("attitude_adjectives", lemma):
        return True
    if token.pos_ == "VERB" and frames.has("attitude_predicates", lemma):
        return True
    if frames.has("attitude_nouns", lemma) and token.pos_ == "NOUN":
        return frames.has("attitude_verbs", token.head.lemma_.lower()) and token.dep_ == "dobj"
    if token.pos_ == "VERB" and frames.has("attitude_verbs", lemma):
        return any(c.dep_ == "dobj" and frames.has("attitude_nouns", c.lemma_.lower()) for c in token.children)
    return False


def _denials(sent: SpacySpan, kept: list[Hit], frames: Frames) -> list[Hit]:
    """"X rejected / denied the accusations" is a denial of responsibility (CAMEO 016): a REJECT at
    the verb, whether or not the verb is itself a trigger (its own REJECT hit is replaced)."""
    if frames.deny is None:
        return []
    out: list[Hit] = []
    for token in sent:
        if token.pos_ != "VERB" or not frames.has("deny_verbs", token.lemma_.lower()):
            continue
        if not any(c.dep_ == "dobj" and frames.has("deny_objects", c.lemma_.lower()) for c in token.children):
            continue
        for index, (span, _kept) in enumerate(kept):
            if span.root.i == token.i:
                kept.pop(index)
                break
        event_type, mode, cameo = frames.deny
        trigger = Trigger(lemmas=(token.lemma_.lower(),), event_type=event_type, mode=mode, cameo=cameo,
                          weight=0.7)
        out.append((sent.doc[token.i : token.i + 1], trigger))
    return out


def _retype(trigger: Trigger, outcome: Outcome, **extra: bool) -> Trigger:
    event_type, mode, cameo = outcome
    flags = {"frame": True, **extra}
    return replace(trigger, event_type=event_type, mode=mode, cameo=cameo,
                   extra={**trigger.extra, **{k: v for k, v in flags.items() if v}})
