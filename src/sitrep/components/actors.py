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
"""

from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from sitrep.components.base import BaseComponent, parsed
from sitrep.document import Document, Mention, Span
from sitrep.knowledge.actors import Actor, ActorDictionary, get_actors
from sitrep.knowledge.gazetteer import normalize
from sitrep.nlp import get_nlp

MILITARY_HEADS = {"strike", "airstrike", "raid", "jet", "warplane", "bombing", "bombardment", "shelling",
                  "offensive", "attack", "aircraft", "plane", "helicopter", "drone", "campaign", "operation",
                  "air", "artillery", "missile", "rocket", "assault", "advance", "power", "barrage", "bomb"}


class ActorRecognizer(BaseComponent):
    """Adds ACTOR mentions; `norm["actor"]` is the record object, `norm["id"]` the entry id."""

    def __init__(self, *, extra_files: list[str] | tuple[str, ...] = ()) -> None:
        self.actors: ActorDictionary = get_actors(tuple(str(p) for p in extra_files))
        nlp = get_nlp()
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower_patterns, exact_patterns = [], []
        for actor in self.actors.actors.values():
            for alias in {actor.name, *actor.aliases}:
                short_caps = alias.isupper() and len(alias) <= 4
                (exact_patterns if short_caps else lower_patterns).append(alias)
        self._lower.add("ACTOR", list(nlp.tokenizer.pipe(sorted(set(lower_patterns)))))
        self._exact.add("ACTOR", list(nlp.tokenizer.pipe(sorted(set(exact_patterns)))))

    def __call__(self, doc: Document) -> Document:
        sdoc = parsed(doc)
        focus = doc.ext.get("focus_country")
        when = doc.source.published
        spans = [sdoc[s:e] for _, s, e in [*self._lower(sdoc), *self._exact(sdoc)]]
        spans = [s for s in spans if self._keep(s)]
        spans = filter_spans(spans + self._demonym_spans(sdoc, spans))
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

    def _actor_for(self, span: SpacySpan, focus: str | None, when: object) -> Actor | None:
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
            return self.actors.for_country(actor, focus)
        return actor

    def _best(self, text: str, when: object) -> Actor | None:
        found = self.actors.lookup(text, when=when)  # type: ignore[arg-type]
        return found[0] if found else None
