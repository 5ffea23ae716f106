"""Actor mentions from the actor dictionary, with generic nouns resolved by document context.

Three kinds of match, longest first, never overlapping:
- a dictionary alias ("Hezbollah", "the Assad regime", "SOHR"); short upper-case aliases
  ("IS", "SDF") match case-sensitively so the verb "is" never becomes Islamic State;
- a demonym or country name before a generic noun ("Syrian government forces", "Russian
  jets") -> that state's government, military or police;
- a generic noun alone ("government forces", "rebels", "civilians") -> made concrete for the
  document's focus country, which the places component found.
A demonym before an attack noun ("Russian air strikes") marks an implicit actor on the
demonym itself, since that is how news names the perpetrator of an air campaign.
An ethnic group, clan or community (data/actors/identity_groups.yaml) before an armed-group noun
("Pokot raiders", "Marehan clan militia", "Turkana and Samburu herders") or as the subject of a verb
("the Orma attacked ...") is ACLED's identity militia of that group (actor type 4), never the group's
civilians ("Kikuyu families", "Luo houses" have no armed-group noun and are left alone).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token as SpacyToken
from spacy.util import filter_spans

from sitrep.components.base import BaseComponent, parsed
from sitrep.document import Document, Mention, Span
from sitrep.knowledge.actors import Actor, ActorDictionary, IdentityGroup
from sitrep.knowledge.bundle import Knowledge, default_knowledge
from sitrep.knowledge.gazetteer import normalize
from sitrep.nlp import get_nlp

MILITARY_HEADS = {"strike", "airstrike", "raid", "jet", "warplane", "bombing", "bombardment", "shelling",
                  "offensive", "attack", "aircraft", "plane", "helicopter", "drone", "campaign", "operation",
                  "air", "artillery", "missile", "rocket", "assault", "advance", "power", "barrage", "bomb"}

# Nouns that make the people of an ethnonym before them an armed side, and the words allowed between
# ("Gabra and Borana pastoralist militia", "armed Pokot cattle raiders").
IDENTITY_HEADS = {"militia", "militias", "militiamen", "militiaman", "raiders", "raider", "herders", "herdsmen",
                  "herdsman", "pastoralists", "youths", "youth", "attackers", "assailants", "gunmen", "warriors",
                  "morans", "moran", "bandits", "fighters", "tribesmen", "clansmen", "clan", "clans", "sub-clan",
                  "subclan", "community", "communities", "group", "groups", "men", "rustlers", "invaders",
                  "vigilantes", "hunters", "forces", "tribe", "tribes"}
IDENTITY_BETWEEN = {"and", ",", "&", "ethnic", "pastoralist", "pastoral", "armed", "rival", "cattle", "clan",
                    "tribal", "community", "sub", "-", "youth", "livestock", "camel", "goat"}
# Where a bare ethnonym is a side: "the Orma attacked", "clashes between Pokot and Turkana", "killed by Pokot".
IDENTITY_SIDE_DEPS = {"nsubj"}
# ...or when it qualifies the act itself, as headlines put it: "Maasai attack Kikuyu farms", "a Pokot raid".
IDENTITY_ACTS = {"attack", "raid", "kill", "clash", "fight", "ambush", "invade", "storm", "torch", "burn",
                 "assault", "reprisal", "incursion", "offensive"}
# Nouns after which any capitalised name is a clan ("the Jibril and Matan clans"): clans are too many to list.
CLAN_HEADS = {"clan", "clans", "sub-clan", "sub-clans", "subclan", "subclans"}
IDENTITY_SIDE_PREPS = {"between", "by", "among", "involving"}
IDENTITY_WINDOW = 4


def alias_matchers(aliases: Iterable[str]) -> tuple[PhraseMatcher, PhraseMatcher]:
    """Matchers for actor names: short upper-case aliases ("TTP", "UPDF") case-sensitively, so that
    ordinary words spelt the same do not match, and every other alias in any case."""
    nlp = get_nlp()
    lower_patterns: set[str] = set()
    exact_patterns: set[str] = set()
    for alias in aliases:
        (exact_patterns if alias.isupper() and len(alias) <= 4 else lower_patterns).add(alias)
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    lower.add("ACTOR", list(nlp.tokenizer.pipe(sorted(lower_patterns))))
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    exact.add("ACTOR", list(nlp.tokenizer.pipe(sorted(exact_patterns))))
    return lower, exact


class ActorRecognizer(BaseComponent):
    """Adds ACTOR mentions; `norm["actor"]` is the record object, `norm["id"]` the entry id.

    The dictionary is `knowledge.actors` (the pipeline's, with the user's actor files); built alone,
    the shipped dictionary plus `extra_files`."""

    def __init__(self, *, extra_files: list[str] | tuple[str, ...] = (), knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge or (Knowledge(actor_files=extra_files) if extra_files else default_knowledge())
        self.actors: ActorDictionary = self.knowledge.actors
        nlp = get_nlp()
        self._lower, self._exact = alias_matchers(
            alias for actor in self.actors.actors.values() for alias in (actor.name, *actor.aliases))
        self._groups = PhraseMatcher(nlp.vocab, attr="ORTH")
        if self.actors.identity_groups:
            self._groups.add("GROUP", list(nlp.tokenizer.pipe(sorted(self.actors.identity_groups))))

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        focus = doc.ext.get("focus_country")
        when = doc.source.published
        spans = [sdoc[s:e] for _, s, e in [*self._lower(sdoc), *self._exact(sdoc)]]
        spans = [s for s in spans if self._keep(s)]
        spans = filter_spans(spans + self._demonym_spans(sdoc, spans) + self._identity_spans(sdoc))
        for span in spans:
            actor = self._actor_for(span, focus, when)
            if actor is None:
                continue
            doc.mentions.append(Mention(
                "ACTOR", Span(span.start_char, span.end_char), span.text,
                {"actor": actor.as_record(span.text), "id": actor.id, "generic": span.label_ == "GENERIC"},
                by="actors", score=0.9,
            ))
        return doc

    @staticmethod
    def _keep(span: SpacySpan) -> bool:
        """Drop single lower-case words inside names ("army" in "Free Syrian Army" is handled by
        longest-match) and matches that are part of a larger proper name."""
        return not (span.end < len(span.doc) and span.doc[span.end].text == "-")

    def _demonym_spans(self, sdoc: SpacyDoc, matched: list[SpacySpan]) -> list[SpacySpan]:
        """Demonym (+ "government") + matched generic noun, or demonym before an attack noun."""
        starts = {s.start: s for s in matched}
        out = []
        for token in sdoc:
            iso3 = self.actors.demonyms.get(normalize(token.text))
            if not iso3 or not token.text[:1].isupper():
                continue
            nxt = token.i + 1
            if nxt < len(sdoc) and sdoc[nxt].text in ("-", "–"):
                continue  # "Turkish-backed rebels" are not Turkish forces
            if nxt in starts:
                span = SpacySpan(sdoc, token.i, starts[nxt].end, label="STATE")
                out.append(span)
            elif token.head.lemma_.lower() in MILITARY_HEADS and token.dep_ in ("amod", "compound", "nmod"):
                out.append(SpacySpan(sdoc, token.i, token.i + 1, label="IMPLICIT"))
        return out

    def _identity_spans(self, sdoc: SpacyDoc) -> list[SpacySpan]:
        """Ethnonym ... armed-group noun, or a bare ethnonym that is a side of the clause."""
        found = filter_spans([sdoc[s:e] for _, s, e in self._groups(sdoc)])
        group_tokens = {i for span in found for i in range(span.start, span.end)}
        out = []
        for span in found:
            if span.start > 0 and sdoc[span.start - 1].text in ("-", "–"):
                continue  # "Pokot-Turkana border", "anti-Kikuyu"
            end = None
            for j in range(span.end, min(len(sdoc), span.end + IDENTITY_WINDOW + 1)):
                word = sdoc[j].lower_
                if word in IDENTITY_HEADS:
                    end = j + 1
                    if word not in IDENTITY_BETWEEN:  # "clan" may be followed by "militia": go on
                        break
                elif not (j in group_tokens or word in IDENTITY_BETWEEN):
                    break
            if end is None and span.end < len(sdoc) and sdoc[span.end].text in ("-", "–"):
                continue
            if end is None and _is_side(span[-1]):
                end = span.end
            if end is not None:
                out.append(SpacySpan(sdoc, span.start, end, label="IDENTITY"))
        return out + self._clan_spans(sdoc, group_tokens)

    @staticmethod
    def _clan_spans(sdoc: SpacyDoc, known: set[int]) -> list[SpacySpan]:
        """Unlisted capitalised names before "clan(s)": "fighting between the Jibril and Matan clans"."""
        out = []
        for token in sdoc:
            if token.lower_ not in CLAN_HEADS or token.i == 0:
                continue
            start = token.i
            while start > 0 and (_clan_name(sdoc[start - 1]) or sdoc[start - 1].text in ("and", ",", "&")):
                start -= 1
            while start < token.i and not _clan_name(sdoc[start]):
                start += 1
            if start < token.i and not any(i in known for i in range(start, token.i)):
                out.append(SpacySpan(sdoc, start, token.i + 1, label="CLAN"))
        return out

    def _actor_for(self, span: SpacySpan, focus: str | None, when: object) -> Actor | None:
        if span.label_ == "CLAN":
            span.label_ = "GENERIC"
            group = IdentityGroup(span[0].text, (focus or "",), ("Clan",))
            return self.actors.identity_militia(group, focus)
        if span.label_ == "IDENTITY":
            group = next(g for k in range(len(span), 0, -1)
                         if (g := self.actors.identity_groups.get(span[:k].text)) is not None)
            span.label_ = "GENERIC"  # its nouns may still trigger events, as a generic noun's do
            return self.actors.identity_militia(group, focus)
        if span.label_ in ("STATE", "IMPLICIT"):
            iso3 = self.actors.demonyms[normalize(span[0].text)]
            if span.label_ == "IMPLICIT":
                return self.actors.state_actor(iso3, "MIL")
            generic = self._best(span[1:].text, when)
            sector = generic.sector if generic and generic.sector in ("GOV", "MIL", "COP") else None
            if generic is not None and sector is None:
                return self.actors.for_country(generic, iso3)
            return self.actors.state_actor(iso3, sector or "MIL")
        actor = self._best(span.text, when)
        if actor is None:
            return None
        if actor.generic:
            span.label_ = "GENERIC"
            return self.actors.for_country(actor, self._possessor_country(span, when) or focus)
        return actor

    def _possessor_country(self, span: SpacySpan, when: object) -> str | None:
        """The country a generic noun belongs to by a possessive: "Russia's defence ministry" is
        Russia's, in a Syrian story ("the ministry" alone takes the document's focus country)."""
        for child in span.root.children:
            if child.dep_ != "poss":
                continue
            words = " ".join(t.text for t in child.subtree if t.dep_ != "case" and t.text not in ("'s", "’s", "'"))
            name = normalize(words)
            iso3 = self.actors.demonyms.get(name) or self.actors.capitals.get(name)
            if iso3:  # a country or its capital ("Moscow's foreign ministry")
                return iso3
            owner = self._best(words, when) if words else None
            if owner is not None and not owner.generic and owner.country:
                return owner.country
        return None

    def _best(self, text: str, when: object) -> Actor | None:
        found = self.actors.lookup(text, when=when)  # type: ignore[arg-type]
        return found[0] if found else None


def _is_side(token: SpacyToken) -> bool:
    """A bare ethnonym names an armed side as the active subject of a verb ("the Orma attacked") or after
    "between"/"by" ("clashes between Pokot and Turkana"); as an object or passive subject it names victims."""
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    if token.dep_ in IDENTITY_SIDE_DEPS and token.head.pos_ in ("VERB", "AUX"):
        return True
    if token.dep_ in ("nsubj", "compound", "amod", "nmod") and token.head.lemma_.lower() in IDENTITY_ACTS:
        return True
    return token.dep_ == "pobj" and token.head.lower_ in IDENTITY_SIDE_PREPS


def _clan_name(token: SpacyToken) -> bool:
    return token.pos_ == "PROPN" and token.text[:1].isupper() and token.is_alpha and len(token.text) > 2
