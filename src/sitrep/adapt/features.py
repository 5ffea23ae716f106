"""What the trained ACLED corrector sees of one event: the rule coder's verdict plus the words around it.

The model corrects the rule-based coder rather than replacing it, so its features start from the
coder's own output (its ACLED type, the PLOVER type and mode, trigger flags, who acted on whom,
which figures are attached) and add word n-grams of the context the coder read (the event's
sentence and its neighbours). A linear model over these learns both when to trust a rule and
which words override it; the same function serves training and application, so the two always
see the same thing.
"""

from __future__ import annotations

import re

from sitrep.components.acled import context_span
from sitrep.document import Document, Event, Span

TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
NUMBER = re.compile(r"\d+")
# ACLED's notes end with coder conventions ("[size=no report]", "N fatalities split up between M events")
# that news text never has; they must not become vocabulary.
CODER_NOTES = re.compile(r"\[[^\]]*\]|\b\d+ fatalities split (?:up )?between \d+ events\b", re.IGNORECASE)
NONE = "NONE"
MASKED = ("PLACE", "DATE")


def prepare(text: str) -> str:
    """Lower case, coder conventions dropped, digits folded to 0 so dates and counts are not vocabulary."""
    return NUMBER.sub("0", CODER_NOTES.sub(" ", text).lower())


def ngrams(text: str, n_max: int) -> list[str]:
    tokens = TOKEN.findall(prepare(text))
    out = list(tokens)
    for n in range(2, n_max + 1):
        out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


def structured(doc: Document, event: Event) -> list[str]:
    """The rule coder's verdict and the event layer it rests on, as named indicator features."""
    acled = event.acled or {}
    sub = acled.get("sub_event_type") or NONE
    out = [f"rule={sub}", f"rule_type={acled.get('event_type') or NONE}", f"plover={event.event_type}",
           f"mode={event.event_type}/{event.mode or NONE}", f"status={event.status}",
           f"trigger={event.trigger_text.lower()}"]
    out += [f"flag={f}" for f in sorted(event.flags)]
    out += [f"context={c}" for c in event.contexts]
    for role, people in (("actor", event.actors), ("recipient", event.recipients)):
        if not people:
            out.append(f"{role}={NONE}")
        for person in people:
            out.append(f"{role}_sector={person.get('sector') or NONE}")
            out.append(f"{role}_inter={person.get('acled_inter') or NONE}")
            # the same actor type means different things under different rule verdicts
            out.append(f"rule={sub}|{role}_inter={person.get('acled_inter') or NONE}")
    for figure in event.figures:
        out.append(f"figure={figure.kind}")
        out.append(f"rule={sub}|figure={figure.kind}")
    context = context_span(doc, event)
    for other in doc.events:
        if other is not event and context.contains(other.sentence):
            out.append(f"near={other.event_type}/{other.mode or NONE}")
            out.append(f"near_rule={(other.acled or {}).get('sub_event_type') or NONE}")
    return out


def masked_text(doc: Document, span: Span) -> str:
    """The text of `span` with place and date mentions replaced by a placeholder word.

    A place or a date says nothing about what kind of event happened, but a classifier fit on one
    country's export would learn its town names and years as evidence and carry that to another.
    """
    parts: list[str] = []
    position = span.start
    inside = sorted((m for m in doc.mentions if m.kind in MASKED and span.contains(m.span)),
                    key=lambda m: m.span.start)
    for mention in inside:
        if mention.span.start < position:
            continue
        parts += [doc.text[position : mention.span.start], f" x{mention.kind.lower()} "]
        position = mention.span.end
    parts.append(doc.text[position : span.end])
    return "".join(parts)


def event_features(doc: Document, event: Event, *, ngram_max: int = 2) -> dict[str, float]:
    """Feature name -> value: structured indicators at 1, context n-grams scaled to unit length.

    The n-grams are normalised together so that a long context does not outweigh the coder's
    verdict; the indicators stay at 1 so a rule's vote counts the same in every event.
    """
    features = dict.fromkeys(structured(doc, event), 1.0)
    grams = set(ngrams(masked_text(doc, context_span(doc, event)), ngram_max))
    if grams:
        weight = 1.0 / len(grams) ** 0.5
        features.update((f"w:{g}", weight) for g in grams)
    return features

