"""An event's evidence in its article: the sentences of a stored document, the other sentences that
speak of the same event, and every source, for the event page and the document endpoint.

The store keeps each event's evidence sentence (offsets into the text, cut by spaCy at ingest) but
not the sentence layer itself, and the web server must not load spaCy. So a stored document's
sentences are rebuilt here: every evidence span of its events is a sentence exactly as the
pipeline cut it; the text between them is split at section edges, line breaks and sentence-final
punctuation followed by a capital, which is right for the rest of a news article (it may split
after an unusual abbreviation; no event depends on it).

Which other sentences "mention the event" (`related_sentences`), in the article's title and body
only (reader comments and reference lists are not the article), is decided from stored data:

- same-event: the sentence holds another event of the same type at the same place (same GeoNames
  id, else same place name): the article retelling or detailing the same happening;
- place: a place mention in it resolves to the event's place (same GeoNames id, else same name),
  when that place is more precise than a country (every sentence naming "Syria" says nothing
  about one strike in Aleppo);
- actor: an actor mention in it resolves to one of the event's actors or recipients (same actor
  id, else same name).

A sentence may have several reasons; all are listed, in that order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ARTICLE_SECTIONS = frozenset({"title", "body"})
FIGURE_KINDS = ("killed", "injured", "displaced", "besieged", "trapped", "detained", "strikes")

# Sentence end: . ! or ? (maybe closed by a quote or bracket), spaces, then what starts a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Maj|Capt|Sgt|Sen|Rep|Gov|Prof|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec|etc|vs|approx)|\b[A-Z])\.$"
)


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    event_ids: list[str] = field(default_factory=list)


def _split_gap(text: str, start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    """Sentences of text[start:end], which holds no evidence span; `cuts` are section edges."""
    pieces: list[tuple[int, int]] = []
    bounds = [start, *[c for c in cuts if start < c < end], end]
    for a, b in zip(bounds, bounds[1:], strict=False):
        for line in re.finditer(r"[^\n]+", text[a:b]):
            line_start = a + line.start()
            cursor = 0
            body = line.group()
            for match in _SENTENCE_END.finditer(body):
                if _ABBREVIATIONS.search(body[: match.start()]):
                    continue
                pieces.append((line_start + cursor, line_start + match.start()))
                cursor = match.end()
            pieces.append((line_start + cursor, line_start + len(body)))
    out = []
    for a, b in pieces:
        chunk = text[a:b]
        stripped = chunk.strip()
        if not stripped or not any(ch.isalnum() for ch in stripped):
            continue
        lead = len(chunk) - len(chunk.lstrip())
        out.append((a + lead, a + lead + len(stripped)))
    return out


def document_sentences(text: str, sections: list[dict[str, Any]], events: list[dict[str, Any]]) -> list[Sentence]:
    """Every sentence of the document in text order, each with the ids of the events it is evidence of."""
    by_span: dict[tuple[int, int], list[str]] = {}
    for record in events:
        ev = record.get("evidence") or {}
        start, end = ev.get("start"), ev.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            by_span.setdefault((start, end), []).append(record["id"])
    known: list[tuple[int, int]] = []
    for span in sorted(by_span):
        if known and span[0] < known[-1][1]:  # overlapping evidence: keep the first one whole
            by_span[known[-1]].extend(by_span.pop(span))
            continue
        known.append(span)
    cuts = sorted({s["start"] for s in sections} | {s["end"] for s in sections})
    sentences: list[Sentence] = []
    position = 0
    for start, end in known:
        sentences += [Sentence(a, b) for a, b in _split_gap(text, position, start, cuts)]
        sentences.append(Sentence(start, end, list(by_span[(start, end)])))
        position = end
    sentences += [Sentence(a, b) for a, b in _split_gap(text, position, len(text), cuts)]
    return sentences


def section_of(offset: int, sections: list[dict[str, Any]]) -> str:
    for section in sections:
        if section["start"] <= offset < section["end"]:
            return str(section["name"])
    return "body"


def _same_place(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if not a or not b:
        return False
    if a.get("geonameid") and b.get("geonameid"):
        return bool(a["geonameid"] == b["geonameid"])
    name_a, name_b = a.get("name") or a.get("text"), b.get("name") or b.get("text")
    return bool(name_a and name_b and name_a.casefold() == name_b.casefold())


def _party_keys(record: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(actor ids, folded actor names) of an event's actors and recipients."""
    ids: set[str] = set()
    names: set[str] = set()
    for party in (record.get("actors") or []) + (record.get("recipients") or []):
        if party.get("id"):
            ids.add(party["id"])
        elif party.get("name"):
            names.add(party["name"].casefold())
    return ids, names


def related_sentences(
    record: dict[str, Any],
    text: str,
    sections: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    events: list[dict[str, Any]],
    sentences: list[Sentence] | None = None,
) -> list[dict[str, Any]]:
    """The other sentences of the article that speak of `record` (rules in the module docstring)."""
    sentences = sentences if sentences is not None else document_sentences(text, sections, events)
    evidence = record.get("evidence") or {}
    own = (evidence.get("start"), evidence.get("end"))
    location = record.get("location") or {}
    place_counts = bool(location.get("name")) and location.get("feature") != "country"
    actor_ids, actor_names = _party_keys(record)
    by_id = {e["id"]: e for e in events}

    out = []
    for sentence in sentences:
        if (sentence.start, sentence.end) == own:
            continue
        section = section_of(sentence.start, sections)
        if section not in ARTICLE_SECTIONS:
            continue
        reasons: list[str] = []
        for event_id in sentence.event_ids:
            other = by_id.get(event_id)
            if (other and other["id"] != record["id"] and other.get("event_type") == record.get("event_type")
                    and _same_place(other.get("location"), location)):
                reasons.append("same-event")
                break
        inside = [m for m in mentions if sentence.start <= m.get("start", -1) and m.get("end", 0) <= sentence.end]
        if place_counts and any(m.get("kind") == "PLACE" and _same_place(m.get("norm"), location) for m in inside):
            reasons.append("place")
        for m in inside:
            norm = m.get("norm") or {}
            if m.get("kind") == "ACTOR" and (
                (norm.get("id") and norm["id"] in actor_ids)
                or (norm.get("name") and norm["name"].casefold() in actor_names)
            ):
                reasons.append("actor")
                break
        if reasons:
            out.append({
                "start": sentence.start, "end": sentence.end, "text": text[sentence.start:sentence.end],
                "section": section, "reasons": reasons, "event_ids": list(sentence.event_ids),
            })
    return out


def sources(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Who says so: the document that reported the event, then the parties it quotes as claiming or
    denying it."""
    source = record.get("source") or {}
    out: list[dict[str, Any]] = [{
        "role": "reported by", "name": source.get("publisher") or source.get("title"), "id": None,
        "url": source.get("url"), "title": source.get("title"), "publisher": source.get("publisher"),
        "published": source.get("published"),
    }]
    for role, key in (("claimed by", "claimed_by"), ("denied by", "denied_by")):
        for party in record.get(key) or []:
            out.append({
                "role": role, "name": party.get("name") or party.get("text"), "id": party.get("id"),
                "url": None, "title": None, "publisher": None, "published": None,
            })
    return out


def figures(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The event's figures as a list, in a fixed order, leaving out the unknown ones."""
    found = record.get("figures") or {}
    kinds = list(FIGURE_KINDS) + sorted(k for k in found if k not in FIGURE_KINDS)
    return [
        {"kind": kind, "low": f.get("low"), "best": f.get("best"), "high": f.get("high"), "hedge": f.get("hedge")}
        for kind in kinds
        if isinstance(f := found.get(kind), dict)
    ]
