"""Casualty statements with no event of their own, given to the violent happening they count.

Local news tells one shooting over many sentences, and the toll is often stated where no trigger
is: "He was pronounced dead at the hospital.", "The 22-year-old died at the scene.", "Two others
were wounded." (when "wound" is no trigger in that sentence's reading). The event layer attaches
figures sentence by sentence, so these counts reached no event and the article's happening was
reported with no dead. This step, run by the narrative stage once it has merged the mentions of
one happening, gives each such sentence's killed, injured and shot counts to the nearest violent
occurrence (preferring the one before it, within the narrative's sentence gap; when the sentence
names a place, the nearest one placed within 25 km of it), where they count as one more statement
of its toll (the largest per kind is kept, as the merge does). Run after the merge so that a
count it adds does not change how the mention was read (a bare "the attack" with no figure is
a reference back; with one it would be a new happening).

Which event types a toll can join is data (`toll_event_types` in data/figures.yaml).
"""

from __future__ import annotations

from sitrep.components.figures import is_subset, lexicon
from sitrep.document import Document, Event, Figure, Span
from sitrep.knowledge.gazetteer.store import distance_km

TOLL_KINDS = ("killed", "injured", "shot")
NAMED_PLACE_KM = 25.0
OCCURRED = frozenset({"asserted", "claimed"})


def attach_orphan_tolls(doc: Document, events: list[Event], max_sentence_gap: int) -> None:
    """Add the killed/injured/shot figures of event-less body sentences to the nearest violent event."""
    types = set(lexicon().get("toll_event_types", ()))
    violent = [e for e in events if e.event_type in types and e.kind == "occurrence" and e.status in OCCURRED
               and e.section == "body"]
    if not violent:
        return
    index = {span.start: i for i, span in enumerate(doc.sentences)}
    with_event = {e.sentence.start for e in doc.events}
    for sentence in doc.sentences:
        if sentence.start in with_event or doc.section_at(sentence.start) != "body":
            continue
        tolls = _sentence_tolls(doc, sentence)
        if not tolls:
            continue
        here = index[sentence.start]
        named = _named_points(doc, sentence)
        candidates = [e for e in violent if _agrees(e, named)] if named else violent
        target = _nearest(candidates, here, index, max_sentence_gap)
        if target is None:
            continue
        figures = {f.kind: f for f in target.figures}
        for figure in tolls:
            current = figures.get(figure.kind)
            if current is None or figure.best > current.best:
                figures[figure.kind] = figure
        target.figures = list(figures.values())


def _sentence_tolls(doc: Document, sentence: Span) -> list[Figure]:
    """Per kind, the largest count of the sentence that is not a sub-count ("including two children")."""
    best: dict[str, Figure] = {}
    for mention in doc.mentions:
        if mention.kind != "FIGURE" or not sentence.contains(mention.span):
            continue
        figure = mention.norm["figure"]
        if figure.kind not in TOLL_KINDS or is_subset(doc.text, mention.span.start):
            continue
        if figure.kind not in best or figure.best > best[figure.kind].best:
            best[figure.kind] = figure
    return list(best.values())


def _named_points(doc: Document, sentence: Span) -> list[tuple[float, float]]:
    """The points of the places the toll sentence names ("The Dnipro toll has risen to 30")."""
    points = []
    for mention in doc.mentions:
        location = mention.norm.get("location") if mention.kind == "PLACE" else None
        if location and sentence.contains(mention.span) and location.get("lat") is not None:
            points.append((float(location["lat"]), float(location["lon"])))
    return points


def _agrees(event: Event, named: list[tuple[float, float]]) -> bool:
    """Whether the event is placed within 25 km of a place the toll sentence names: a toll that
    names its place counts only for a happening there (a live blog reports several)."""
    location = event.location or {}
    if location.get("lat") is None or location.get("lon") is None:
        return False
    return any(distance_km(location["lat"], location["lon"], lat, lon) <= NAMED_PLACE_KM for lat, lon in named)


def _nearest(violent: list[Event], here: int, index: dict[int, int], gap: int) -> Event | None:
    """The violent event with a mention nearest before sentence `here` (else nearest after), at
    most `gap` sentences away; a merged event is as near as the nearest of its mentions."""
    def places(event: Event) -> list[int]:
        starts = [event.sentence.start, *(m.get("start") for m in event.mentions if m.get("section") == "body")]
        return [index[s] for s in starts if s in index]

    before = [(here - i, e) for e in violent for i in places(e) if 0 < here - i <= gap]
    if before:
        return min(before, key=lambda pair: pair[0])[1]
    after = [(i - here, e) for e in violent for i in places(e) if 0 < i - here <= gap]
    return min(after, key=lambda pair: pair[0])[1] if after else None
