"""Role fillers: who did it, to whom, to what and with what, as the text names them.

The events component gives each event `actors` and `recipients` resolved to dictionary actors
("Military Forces of Peru"), which is what ACLED codes but not what a reader of the report needs to
see: the named victim ("Hector Oqueli Colindres"), the physical target ("power pylons", "the
embassy"), the weapon ("a car bomb", "dynamite") and the perpetrator as written ("urban
guerrillas", "the Farabundo Marti National Liberation Front"). This stage, run after the event
layer and the narrative stage, fills four fields on every event from the noun phrases of the
sentences that report it (its own and those of its merged `mentions`):

- `perpetrators`: `{text, start, end, kind}`, kind `individual` (people, groups of people) or
  `organization` (a named or institutional body);
- `victims`: people harmed, by name or description;
- `targets`: physical targets (buildings, vehicles, power pylons);
- `weapons`: instruments of violence.

An ASSAULT whose trigger gave no mode ("an attack") and whose own sentence names an explosive
weapon ("a dynamite attack on the bank") gets mode `explosives`: the instrument says how.

Each candidate phrase (a noun chunk, a named entity, a chunk with its "of" phrase, a chunk without
its leading determiner or number) is described by its parse (head word, dependency, governing
verb or preposition, relation to the event's trigger, entity label, head-noun class from
data/roles.yaml) and labelled by a multinomial logistic regression stored as JSON
(data/roles_model.json, written by `sitrep train muc4`), applied without scikit-learn as the ACLED
corrector is. Without a model file the head-noun lexicon alone decides (a weapon head is a weapon,
a physical head in an object position is a target), so the component never fails for lack of one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.components.base import BaseComponent, parsed
from sitrep.document import Document, Event
from sitrep.nlp import noun_chunks

ROLE_FIELDS = {"PerpInd": "perpetrators", "PerpOrg": "perpetrators", "Target": "targets", "Victim": "victims",
               "Weapon": "weapons"}
PERPETRATOR_KIND = {"PerpInd": "individual", "PerpOrg": "organization"}
NONE = "none"
FORMAT = "sitrep-roles/1"
MAX_TOKENS = 12  # a candidate longer than this is a clause, not a filler
NEIGHBOURS = True  # also read the sentence after the event's own
STRIP_POS = {"DET", "NUM", "PRON"}
ENTITY_LABELS = {"PERSON", "ORG", "NORP", "FAC", "PRODUCT"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One phrase that may fill a role: token range [start, end) in the parse and how it was found."""

    start: int
    end: int
    source: str  # chunk, entity, of (chunk + "of" phrase), stripped (chunk minus determiner or number)


# -- knowledge -------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    """data/roles.yaml: head-noun classes (lemmas, lower case), checked against its schema."""
    from sitrep.knowledge.loader import data_file, load_yaml

    data = load_yaml(data_file("roles.yaml"))
    return {name: frozenset(w.lower() for w in words) for name, words in data["heads"].items()}


def default_model_path() -> Path:
    from sitrep.knowledge.loader import data_file

    return Path(data_file("roles_model.json"))


@dataclass(frozen=True)
class RoleModel:
    """A multinomial logistic regression over sparse string features, with a threshold per role."""

    classes: list[str]
    weights: dict[str, list[float]]
    intercept: list[float]
    thresholds: dict[str, float]
    meta: dict[str, Any]

    def probabilities(self, features: Iterable[str]) -> list[float]:
        scores = list(self.intercept)
        weights = self.weights
        for name in features:
            row = weights.get(name)
            if row is not None:  # the same additions, in the same order, as a loop over k
                scores = [score + weight for score, weight in zip(scores, row, strict=True)]
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def label(self, features: Iterable[str]) -> tuple[str, float]:
        """The most probable role other than none, when its probability clears that role's threshold.

        Thresholds are chosen on held-out documents when the model is trained (`sitrep train muc4`),
        so a role that is rarely right alone (a victim's bare surname) can ask for more evidence.
        """
        probs = self.probabilities(features)
        best = max((k for k, c in enumerate(self.classes) if c != NONE), key=probs.__getitem__)
        role = self.classes[best]
        if probs[best] < self.thresholds.get(role, 0.5):
            return NONE, probs[best]
        return role, probs[best]

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "classes": self.classes, "thresholds": self.thresholds, "meta": self.meta,
                "intercept": [round(v, 4) for v in self.intercept],
                "weights": {f: [round(v, 4) for v in row] for f, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoleModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a sitrep role model (format {data.get('format')!r}, expected {FORMAT!r})")
        return cls(list(data["classes"]), dict(data["weights"]), list(data["intercept"]),
                   {k: float(v) for k, v in data["thresholds"].items()}, dict(data.get("meta") or {}))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def load_model(path: str) -> RoleModel | None:
    file = Path(path)
    if not file.exists():
        return None
    return RoleModel.from_json(json.loads(file.read_text(encoding="utf-8")))


# -- candidates ------------------------------------------------------------------------------
def _chunks(sdoc: SpacySpan | SpacyDoc) -> list[SpacySpan]:
    try:
        return noun_chunks(sdoc)
    except ValueError:  # a parse without dependencies has no noun chunks
        return []


def candidates(sent: SpacySpan) -> list[Candidate]:
    """Every phrase of the sentence that could fill a role, each token range once.

    Beside spaCy's noun chunks: each chunk's suffixes from any word up to its head ("presidential
    candidate Luis Carlos Galan" gives "Luis Carlos Galan", "at least ten power pylons" gives "power
    pylons"), the parts of a chunk the parser joined across "and" or a comma, the noun compounds inside
    a chunk ("car bomb" in "a car bomb attack"), a chunk with its "of" phrase ("members of the
    Camilist Union", "one of the vehicles"), runs of proper nouns and named entities.
    """
    sdoc = sent.doc
    seen: dict[tuple[int, int], Candidate] = {}

    def add(start: int, end: int, source: str) -> None:
        for k in range(start, min(end, start + 4)):  # a bracketed header tag ("[TEXT]") opens the sentence
            if sdoc[k].text == "]":
                start = k + 1
        while start < end and (sdoc[start].is_punct or sdoc[start].is_space):
            start += 1
        while end > start and (sdoc[end - 1].is_punct or sdoc[end - 1].is_space or sdoc[end - 1].tag_ == "POS"):
            end -= 1
        if 0 < end - start <= MAX_TOKENS and (start, end) not in seen:
            seen[(start, end)] = Candidate(start, end, source)

    for chunk in _chunks(sent):
        add(chunk.start, chunk.end, "chunk")
        root = chunk.root
        for first in range(chunk.start + 1, root.i + 1):
            add(first, chunk.end, "stripped" if sdoc[first - 1].pos_ in STRIP_POS else "suffix")
        for part in _split_coordination(chunk):
            add(part[0], part[1], "part")
        for token in chunk:
            if token.dep_ == "compound" and token.i < root.i and token.pos_ in ("NOUN", "PROPN"):
                left = min(t.i for t in token.subtree)
                add(max(left, chunk.start), token.i + 1, "compound")
        of_end = _of_phrase_end(chunk)
        if of_end:
            add(chunk.start, of_end, "of")
            first = chunk.start
            while first < root.i and sdoc[first].pos_ in STRIP_POS:
                first += 1
            if first > chunk.start:
                add(first, of_end, "of")
    for token in sent:
        if token.lower_ == "one" and token.i + 2 < sent.end and sdoc[token.i + 1].lower_ == "of":
            for chunk in _chunks(sdoc[token.i + 2 : min(sent.end, token.i + 2 + MAX_TOKENS)]):
                if chunk.start == token.i + 2:
                    add(token.i, chunk.end, "of")
    run: list[int] = []
    for token in [*sent, None]:
        if token is not None and token.pos_ == "PROPN":
            run.append(token.i)
            continue
        if len(run) >= 2:
            add(run[0], run[-1] + 1, "propn")
        run = []
    for ent in sent.ents:
        if ent.label_ in ENTITY_LABELS:
            add(ent.start, ent.end, "entity")
    return sorted(seen.values(), key=lambda c: (c.start, c.end))


def _split_coordination(chunk: SpacySpan) -> list[tuple[int, int]]:
    """The parts of a chunk the parser did not split at "and", "or" or a comma (two names in one chunk)."""
    cuts = [t.i for t in chunk if t.dep_ == "cc" or t.text == ","]
    if not cuts:
        return []
    parts, start = [], chunk.start
    for cut in [*cuts, chunk.end]:
        if cut > start:
            parts.append((start, cut))
        start = cut + 1
    return parts


def _of_phrase_end(chunk: SpacySpan) -> int | None:
    """The end of "<chunk> of <noun phrase>" ("members of the Camilist Union"), if the chunk has one."""
    root = chunk.root
    for prep in root.rights:
        if prep.lower_ == "of" and prep.i == chunk.end:
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if objects:
                obj = objects[0]
                end = max(t.i for t in obj.subtree if not (t.dep_ in ("relcl", "acl", "prep", "cc", "conj", "punct",
                                                                      "appos") and t.i > obj.i)
                          and all(a.i == obj.i or a.dep_ not in ("relcl", "acl", "prep", "conj", "appos")
                                  for a in _path_to(t, obj)))
                return end + 1
    return None


def _path_to(token: Token, top: Token) -> list[Token]:
    """`token` and its ancestors up to (not past) `top`."""
    out = [token]
    while token.i != top.i and token.head.i != token.i:
        token = token.head
        out.append(token)
    return out


# -- features --------------------------------------------------------------------------------
def _head_class(lemma: str) -> list[str]:
    return [name for name, words in lexicon().items() if lemma in words]


def candidate_features(sdoc: SpacyDoc, cand: Candidate, *, trigger: Token | None, sentence_rank: int,
                       text_counts: dict[str, int] | None = None, doc_text: str = "") -> list[str]:
    """String features of one candidate: its words, its place in the parse, its relation to the trigger."""
    span = sdoc[cand.start : cand.end]
    root = span.root
    lemma = root.lemma_.lower()
    feats = [f"src={cand.source}", f"head={lemma}", f"last={span[-1].lower_}", f"first={span[0].lower_}",
             f"dep={root.dep_}", f"gov={root.head.lemma_.lower()}", f"dep_gov={root.dep_}:{root.head.lemma_.lower()}",
             f"ent={root.ent_type_ or '-'}", f"pos={root.pos_}", f"len={min(len(span), 6)}",
             f"suffix={lemma[-3:]}", f"rank={min(sentence_rank, 3)}"]
    feats += [f"class={c}" for c in _head_class(lemma)] or ["class=-"]
    feats += [f"class_dep={c}:{root.dep_}" for c in _head_class(lemma)]
    if any(t.pos_ == "NUM" for t in span):
        feats.append("has_num")
    if span[0].pos_ == "DET":
        feats.append(f"det={span[0].lower_}")
    if all(t.pos_ == "PROPN" for t in span if not t.is_punct):
        feats.append("all_propn")
    if root.dep_ == "pobj":
        prep = root.head
        feats += [f"prep={prep.lower_}", f"prep_gov={prep.lower_}:{prep.head.lemma_.lower()}"]
    if root.dep_ in ("conj", "appos"):
        feats.append(f"{root.dep_}_of_dep={root.head.dep_}")
    words = " ".join(t.lower_ for t in span if not t.is_punct)
    if len(span) <= 4:
        feats.append(f"text={words}")  # names recur across reports ("the FMLN", "Shining Path")
    before = sdoc[cand.start - 1].lower_ if cand.start > 0 else "^"
    feats.append(f"before={before}")
    if trigger is not None:
        feats += _trigger_relation(root, trigger)
    if text_counts is not None:
        key = " ".join(span.text.lower().split())
        feats.append(f"freq={min(text_counts.get(key, 0), 3)}")
    return feats


def _trigger_relation(root: Token, trigger: Token) -> list[str]:
    """How the candidate hangs off the event's trigger: its direct argument, through a preposition, or apart."""
    if root.i == trigger.i:
        return ["rel=trigger"]
    trig = trigger.lemma_.lower()
    if root.head.i == trigger.i:
        return [f"rel=arg:{root.dep_}", f"rel_trig={root.dep_}:{trig}"]
    if root.dep_ == "pobj" and root.head.head.i == trigger.i:
        return [f"rel=prep:{root.head.lower_}", f"rel_trig={root.head.lower_}:{trig}"]
    if trigger.head.i == root.i:
        return [f"rel=governs:{trigger.dep_}"]
    if trigger.i in {a.i for a in root.ancestors}:
        return ["rel=under", "side=" + ("left" if root.i < trigger.i else "right")]
    return ["rel=apart", "side=" + ("left" if root.i < trigger.i else "right")]


def text_counts(sdoc: SpacyDoc) -> dict[str, int]:
    """How often each noun chunk's words occur as a chunk in the document (names repeat, noise does not)."""
    counts: dict[str, int] = {}
    for chunk in _chunks(sdoc):
        key = " ".join(chunk.text.lower().split())
        counts[key] = counts.get(key, 0) + 1
    return counts


# -- the component -----------------------------------------------------------------------------
def event_phrases(sdoc: SpacyDoc, sentence: tuple[int, int], trigger: tuple[int, int],
                  mentions: Iterable[dict[str, Any]], ranks: dict[int, int],
                  counts: dict[str, int]) -> list[tuple[Candidate, list[str]]]:
    """Every candidate phrase of the sentences reporting one event, with its features.

    Character spans in, so the component (reading `Event`s) and the trainer share this exactly. The
    sentences are the event's own (`where=own`), its merged mentions' (`where=mention`) and the one
    after its own (`where=next`: wire reports name the victim or the weapon in the next sentence).
    """
    out: list[tuple[Candidate, list[str]]] = []
    for sent, token, where in sentences_of(sdoc, sentence, trigger, mentions):
        for cand in candidates(sent):
            feats = candidate_features(sdoc, cand, trigger=token, sentence_rank=ranks.get(sent.start, 0),
                                       text_counts=counts)
            out.append((cand, [*feats, f"where={where}"]))
    return out


def sentences_of(sdoc: SpacyDoc, sentence: tuple[int, int], trigger: tuple[int, int],
                 mentions: Iterable[dict[str, Any]] = ()) -> list[tuple[SpacySpan, Token | None, str]]:
    """The event's sentences, each with its trigger token (None in a sentence without it) and where it is."""
    spans: list[tuple[int, int, tuple[int, int] | None, str]] = [(sentence[0], sentence[1], trigger, "own")]
    for mention in mentions:
        start, end = mention.get("start"), mention.get("end")
        if isinstance(start, int) and isinstance(end, int):
            spans.append((start, end, None, "mention"))
    out: list[tuple[SpacySpan, Token | None, str]] = []
    seen: set[int] = set()
    for start, end, trig, where in spans:
        span = sdoc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        sent = span[0].sent
        if sent.start in seen:
            continue
        seen.add(sent.start)
        token = None
        if trig is not None:
            tspan = sdoc.char_span(trig[0], trig[1], alignment_mode="expand")
            token = tspan.root if tspan is not None and len(tspan) else None
        out.append((sent, token or (sent.root if where == "own" else None), where))
    if NEIGHBOURS and out:
        own = out[0][0]
        if own.end < len(sdoc):
            nxt = sdoc[own.end].sent
            if nxt.start not in seen and any(t.is_alpha for t in nxt):
                out.append((nxt, None, "next"))
    return out


def sentence_ranks(sdoc: SpacyDoc) -> dict[int, int]:
    """Each sentence's (first token's) rank among the document's sentences with words."""
    ranks: dict[int, int] = {}
    for sent in sdoc.sents:
        if any(t.is_alpha for t in sent):
            ranks[sent.start] = len(ranks)
    return ranks


class RoleFiller(BaseComponent):
    """Fills `perpetrators`, `victims`, `targets` and `weapons` on every event (see the module docstring)."""

    def __init__(self, *, path: str | None = None) -> None:
        self.path = str(path or default_model_path())

    def __call__(self, doc: Document) -> Document:
        if not doc.events:
            return doc
        sdoc = parsed(doc)
        model = load_model(self.path)
        ranks = sentence_ranks(sdoc)
        counts = text_counts(sdoc)
        for event in doc.events:
            fill_event(doc, sdoc, event, model, ranks, counts)
        return doc

    def pipe(self, docs: Iterable[Document], *, batch_size: int = 32) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


def fill_event(doc: Document, sdoc: SpacyDoc, event: Event, model: RoleModel | None,
               ranks: dict[int, int], counts: dict[str, int]) -> None:
    """Label the candidates of the event's sentences and keep, per role, the best of overlapping phrases."""
    picks: list[tuple[str, float, int, int]] = []
    phrases = event_phrases(sdoc, (event.sentence.start, event.sentence.end), (event.trigger.start, event.trigger.end),
                            event.mentions, ranks, counts)
    for cand, feats in phrases:
        role, prob = model.label(feats) if model else lexicon_label(sdoc, cand, feats)
        if role != NONE:
            picks.append((role, prob, cand.start, cand.end))
    fields: dict[str, list[dict[str, Any]]] = {"perpetrators": [], "victims": [], "targets": [], "weapons": []}
    for role, prob, start, end in select(picks):
        span = sdoc[start:end]
        entry: dict[str, Any] = {"text": doc.text[span.start_char : span.end_char], "start": span.start_char,
                                 "end": span.end_char, "score": round(prob, 3)}
        if role in PERPETRATOR_KIND:
            entry["kind"] = PERPETRATOR_KIND[role]
        fields[ROLE_FIELDS[role]].append(entry)
    event.perpetrators = fields["perpetrators"]
    event.victims = fields["victims"]
    event.targets = fields["targets"]
    event.weapons = fields["weapons"]
    if event.event_type == "ASSAULT" and event.mode is None and _names_explosive(sdoc, event):
        event.mode = "explosives"  # "a dynamite attack": the instrument says how, the trigger did not


def _names_explosive(sdoc: SpacyDoc, event: Event) -> bool:
    """Whether a weapon found in the event's own sentence has an explosive head ("dynamite", "car bomb")."""
    for weapon in event.weapons:
        if not event.sentence.start <= weapon["start"] < event.sentence.end:
            continue
        span = sdoc.char_span(weapon["start"], weapon["end"], alignment_mode="expand")
        if span is not None and len(span) and span.root.lemma_.lower() in lexicon()["explosive"]:
            return True
    return False


def select(picks: Iterable[tuple[str, float, int, int]]) -> list[tuple[str, float, int, int]]:
    """Per role, the most probable of each group of overlapping phrases ("the guerrillas" or "urban
    guerrillas", not both), in text order; a phrase keeps only its most probable role."""
    by_span: dict[tuple[int, int], tuple[str, float, int, int]] = {}
    for pick in picks:
        key = (pick[2], pick[3])
        if key not in by_span or pick[1] > by_span[key][1]:
            by_span[key] = pick
    kept: list[tuple[str, float, int, int]] = []
    for role, prob, start, end in sorted(by_span.values(), key=lambda p: -p[1]):
        if all(r != role or end <= s or start >= e for r, _, s, e in kept):
            kept.append((role, prob, start, end))
    return sorted(kept, key=lambda p: (p[2], p[3]))


def lexicon_label(sdoc: SpacyDoc, cand: Candidate, feats: list[str]) -> tuple[str, float]:
    """Without a model: in the event's own sentence, a weapon head is a weapon; a physical head is a
    target when it is the act's object or under it; a named person who is its object is a victim."""
    if cand.source not in ("chunk", "entity") or "where=own" not in feats:
        return NONE, 0.0
    root = sdoc[cand.start : cand.end].root
    classes = set(_head_class(root.lemma_.lower()))
    relation = next((f for f in feats if f.startswith("rel=")), "rel=apart")
    if "weapon" in classes:
        return "Weapon", 1.0
    object_like = relation in ("rel=arg:dobj", "rel=arg:nsubjpass") or relation.startswith("rel=prep:")
    if "physical" in classes and (object_like or relation == "rel=under"):
        return "Target", 1.0
    if root.ent_type_ == "PERSON" and object_like:
        return "Victim", 1.0
    if relation in ("rel=arg:nsubj", "rel=prep:by") and ("perpetrator" in classes or "organisation" in classes):
        return ("PerpOrg" if "organisation" in classes else "PerpInd"), 1.0
    return NONE, 0.0
