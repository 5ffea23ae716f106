"""Which of a sentence's places an event happened at.

The place attached to the trigger or its clause by a preposition ("in", "near", "north of")
or as its object ("shelled Douma") wins, then the most specific (a town before a province
before a country), then the nearest. Places that name an actor ("Russia withdrew", "Moscow
denied"), a party to a relation ("an agreement with Washington", data/metonymy.yaml) or sit
inside an actor's name are not locations.

A sentence that names no place continues the story of the ones around it ("In X, gunmen
attacked a bus. Two passengers were killed."): the event takes the most specific place of the
nearest earlier sentence that names one (else of the nearest later one). The document's places
reach the event layer through `remember_story`, which a component running after places calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from sitrep.document import Mention
from sitrep.knowledge.acled_units import with_acled_admin1
from sitrep.knowledge.bundle import default_knowledge
from sitrep.knowledge.gazetteer import Gazetteer, normalize
from sitrep.knowledge.loader import data_file, load_yaml

PLACE_PREPS = {"in", "near", "at", "around", "outside", "of", "across", "into", "on", "towards", "toward",
               "inside", "throughout", "within", "north", "south", "east", "west", "from", "to"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
STORY_KEY = "sitrep_story_places"  # the document's PLACE and ACTOR mentions, on the spaCy Doc
TOPONYMS_KEY = "sitrep_story_toponyms"  # every place name found, resolved or not, with its candidates
FEATURE_RANK = {"country": 3, "continent": 3, "region": 2, "admin1": 2, "admin2": 1}


def remember_story(sdoc: Doc, mentions: list[Mention], toponyms: Iterable[Any] = ()) -> None:
    """Keep the document's places (and the actors that may contain them) for `choose_location`,
    and the place names the resolver left open, whose candidates may still frame an event."""
    sdoc.user_data[STORY_KEY] = [m for m in mentions if m.kind in ("PLACE", "ACTOR")]
    sdoc.user_data[TOPONYMS_KEY] = list(toponyms)


def choose_location(head: Token, predicate: Token, mentions: list[Mention],
                    actors: list[dict[str, Any]], gazetteer: Gazetteer | None = None) -> dict[str, Any] | None:
    """The location object (DESIGN.md section 4) for the event whose trigger is `head`, its admin1
    in ACLED's units (knowledge/acled_units.py: Malawi's regions, Uganda's districts, ...).

    `gazetteer` is the one the places were found in (the pipeline's, with the user's extra files);
    the shipped one when none is given."""
    location = _where(head, predicate, mentions, actors, gazetteer or default_knowledge().gazetteer)
    if location is None:
        return None
    admin2 = location.pop(ADMIN2_KEY, None)
    return with_acled_admin1(location, admin2)


ADMIN2_KEY = "_admin2"  # the place's GeoNames admin2, carried to the ACLED unit conversion and dropped


def _where(head: Token, predicate: Token, mentions: list[Mention],
           actors: list[dict[str, Any]], gazetteer: Gazetteer) -> dict[str, Any] | None:
    actor_texts = {a["text"] for a in actors}
    places = [m for m in mentions if m.kind == "PLACE" and m.norm.get("location")
              and m.text not in actor_texts and not _inside_actor(m, mentions)
              and not _is_subject(head, m) and not _is_partner(head.doc, m)]
    # where the wounded were taken or people fled to is not where the event happened: the story's
    # place is ("were taken across the border to hospitals in Turkey" after a strike in Idlib)
    places = [m for m in places if not _is_destination_mention(head.doc, m) and not _affiliation(head.doc, m)]
    if not places:
        frame = _unit_frame(head)
        named = _named_village(head, predicate)
        if named is not None and (frame is None or (named["country"], named["admin1"]) == (
                frame["country"], frame["admin1"])):
            return named
        return frame or _story_location(head, gazetteer)
    scope = {t.i for t in predicate.subtree} | {t.i for t in head.subtree}

    def rank(mention: Mention) -> tuple[int, int, int, int]:
        """A place inside a country before an area shared by countries before any country (a sentence
        that names a town and a country is about the town: "protested in X (Y) against ... in
        Argentina", "returned to Venezuela"), then attached to the event before not, then the most
        specific, then the nearest."""
        span = head.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        root = _phrase_root(span.root) if span is not None else None
        attached = root is not None and root.i in scope and root.head.lower_ in PLACE_PREPS
        attached = attached or (root is not None and root.head in (head, predicate)
                                and root.dep_ in ("dobj", "pobj", "npadvmod"))
        feature = mention.norm["location"]["feature"]
        specificity = 2 if feature == "country" else 1 if feature == "admin1" else 0
        distance = abs((span.root.i if span is not None else 0) - head.i)
        # a sea, lake or region shared by several countries places less than any place in one country
        # ("at Black Sea junction in Mogadishu", "in Dumba ... and at Lake Chad")
        shared_area = mention.norm["location"].get("country") is None
        kind = 2 if feature in ("country", "continent") else 1 if shared_area else 0
        return (kind, 0 if attached else 1, specificity, distance)

    chosen = min(places, key=rank)
    framed = _framed(head.doc, chosen, mentions, places, gazetteer)
    if framed is not None:
        return framed
    if chosen.norm["location"].get("feature") == "country":
        return _unit_frame(head, chosen.norm["location"].get("country")) or _location_of(head.doc, chosen)
    return _location_of(head.doc, chosen)


# nouns naming what kind of place a name is ("X village", "Y province"); a neighbourhood or an area
# is left out: "X neighborhood" names a part of the town the report frames it with, not a place of its own
UNIT_NOUNS = {"village", "villages", "town", "city", "district", "province", "county", "state", "governorate",
              "municipality", "region", "township", "camp", "sub-district", "subdistrict", "division", "commune",
              "prefecture", "oblast", "tehsil", "lga", "department", "upazila"}

SETTLEMENT_NOUNS = {"village", "villages", "town", "city", "township", "camp"}


def _phrase_root(token: Token) -> Token:
    """The noun a place name modifies, which is what a preposition or verb governs: "at [X] village",
    "shelled [X] province", "in [X] city" (the parser makes the name a compound of the noun)."""
    noun = token.head
    if token.dep_ != "compound" or noun.lower_ not in UNIT_NOUNS:
        return token
    if (noun.lower_ not in SETTLEMENT_NOUNS and noun.head.lower_ == "of"
            and noun.head.head.lower_ in UNIT_NOUNS | {"area", "areas"}):
        return token  # "the X area of [Y State]" frames X; "the X area of [Y city]" is in the city
    return noun


def _location_of(doc: Doc, mention: Mention) -> dict[str, Any]:
    location = {**mention.norm["location"], ADMIN2_KEY: mention.norm.get("admin2")}
    if location.get("geo_precision") == 1 and _vague(doc, mention):
        location["geo_precision"] = 2
    return location


def _framed(doc: Doc, chosen: Mention, mentions: list[Mention], places: list[Mention],
            gazetteer: Gazetteer) -> dict[str, Any] | None:
    """The event's place again when it falls outside the admin units named just after it.

    Reports frame a small place with its district and province ("in X village of Y district,
    Z province", "X (Y, Z)", "near X, Z"). When the chosen place lies outside the admin1 of that
    frame, its name was matched to a namesake elsewhere (the gazetteer lacks most villages, so a
    lone match far away is as suspect as an ambiguous one): the namesake inside the frame is taken
    when the gazetteer has one, else the most specific framing place the event may be at (the
    district, else the province), as ACLED codes an event whose village it cannot find. A city is
    trusted over its frame (reports do misname a province: "Mariupol, Zaporizhia"), and a province
    or country chosen is replaced only by a same-named place inside the frame.
    """
    location = chosen.norm["location"]
    if location.get("feature") in ("country", "continent") or not location.get("country"):
        return None
    frames = _frame_places(doc, chosen, mentions)
    admin1s = {m.norm["location"].get("admin1") for m in frames} - {None}
    if not admin1s or location.get("admin1") in admin1s:
        return None
    nearest = frames[0]
    admin1 = nearest.norm["location"]["admin1"]
    candidates = gazetteer.candidates(chosen.text)
    inside = [c.place for c in candidates
              if c.place.country3 == location["country"] and c.place.admin1 == admin1
              and c.place.feature not in ("country", "continent")]
    if inside:
        best = max(inside, key=lambda p: (p.feature == location.get("feature"), p.population))
        settlement = best.feature in ("city", "town", "village")
        return {**best.as_location(chosen.text, geo_precision=location.get("geo_precision") if settlement else None),
                ADMIN2_KEY: best.admin2}
    matched = next((c for c in candidates if c.place.geonameid == location.get("geonameid")
                    and c.place.name == location.get("name")), None)
    if (location.get("feature") in ("city", "town", "village") and matched is not None
            and matched.similarity == 100 and (chosen.norm.get("population") or 0) >= TRUSTED_POPULATION
            and not _neighbourhood(doc, chosen)):
        return None
    if location.get("feature") in ("admin1", "region"):
        return None
    usable = [m for m in places if m is not chosen and m.norm["location"].get("admin1") == admin1
              and m.norm["location"].get("feature") not in ("country", "continent")] or [nearest]
    fallback = min(usable, key=lambda m: (FEATURE_RANK.get(m.norm["location"]["feature"], 0),
                                          abs(m.span.start - chosen.span.start)))
    framed = {**fallback.norm["location"], ADMIN2_KEY: fallback.norm.get("admin2")}
    if framed.get("geo_precision") == 1:
        framed["geo_precision"] = 2  # the event is somewhere near the framing place, not at it
    return framed


# words that may sit between a place and the units framing it: "X village of Y district", "X sector
# area (Y district, Z)", "Poienile de sub Munte of the Z county"
CHAIN_WORDS = {
    "of", "in", "the", "sector", "de", "del", "la", "el", "al", "du", "des", "di", "da", "do", "sub", "district",
    "districts", "province", "provinces", "state", "region", "county", "municipality", "governorate", "department",
    "township", "lga", "village", "town", "city", "area", "sub-district", "subdistrict", "division", "commune",
    "prefecture", "oblast", "raion", "rayon"}


TRUSTED_POPULATION = 100_000  # a city is known by its name: a frame naming another province is the report's slip


def _frame_places(doc: Doc, chosen: Mention, mentions: list[Mention]) -> list[Mention]:
    """The admin units (or cities) that frame `chosen`: its chain after it, else those its sentence
    names elsewhere when they all lie in one province ("In Guadalajara, Jalisco, gunmen attacked
    two men in Colonia X"); a sentence naming two provinces frames nothing by itself."""
    country = chosen.norm["location"].get("country")

    def usable(m: Mention) -> bool:
        return (_frames(m) and normalize(m.text) != normalize(chosen.text)
                and m.norm["location"].get("country") == country)

    chain = [m for m in _chain(doc, chosen, mentions) if usable(m)]
    if chain:
        return chain
    named = sorted((m for m in mentions if m.kind == "PLACE" and m.norm.get("location") and usable(m)),
                   key=lambda m: abs(m.span.start - chosen.span.start))
    return named if len({m.norm["location"].get("admin1") for m in named}) == 1 else []


def _chain(doc: Doc, chosen: Mention, mentions: list[Mention]) -> list[Mention]:
    """The places named right after `chosen` as its frame: "X (Y, Z)", "X, Z", "X village of Y district"."""
    later = sorted((m for m in mentions if m.kind == "PLACE" and m.norm.get("location")
                    and m.span.start >= chosen.span.end), key=lambda m: m.span.start)
    out: list[Mention] = []
    cursor = chosen.span.end
    for mention in later:
        gap = doc.char_span(cursor, mention.span.start, alignment_mode="expand") if mention.span.start > cursor else []
        if gap is None or len(gap) > 10 or any(
                not (t.text in (",", "(", ")", "-", "'", '"') or t.lower_ in CHAIN_WORDS or t.text[:1].isupper()
                     or (t.i > 0 and not doc[t.i - 1].whitespace_))  # "Shahrak-e-Turkmania"
                for t in gap):
            break
        out.append(mention)
        cursor = mention.span.end
    return out


NEIGHBOURHOOD_WORDS = {"neighborhood", "neighborhoods", "neighbourhood", "neighbourhoods", "community", "communities",
                       "slum", "slums", "favela", "favelas", "suburb", "colony", "colonia", "barrio", "estate"}


def _neighbourhood(doc: Doc, mention: Mention) -> bool:
    """Whether the name is of a part of a town ("X neighborhood", "the X community", "Colonia X"):
    such a name matched to a city elsewhere is a namesake, however large that city."""
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None:
        return False
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return after in NEIGHBOURHOOD_WORDS or before in ("colonia", "barrio", "colony")


def _frames(mention: Mention) -> bool:
    """Whether a place can frame another: an admin unit, or a city (ACLED writes "X, Luhansk")."""
    feature = mention.norm["location"].get("feature")
    return feature in ("admin1", "admin2") or (feature == "city" and (mention.norm.get("population") or 0) >= 100_000)


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


def _story_location(head: Token, gazetteer: Gazetteer) -> dict[str, Any] | None:
    """The place of the story around a sentence that names none (see the module docstring)."""
    story: list[Mention] = head.doc.user_data.get(STORY_KEY) or []
    sent = head.sent
    by_sentence: dict[int, list[Mention]] = {}
    for mention in story:
        if mention.kind != "PLACE" or not mention.norm.get("location") or _inside_actor(mention, story):
            continue
        span = head.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
        if (span is None or span.sent.start == sent.start or _is_subject(span.root, mention)
                or _is_partner(head.doc, mention) or _is_destination(span.root)):
            continue
        by_sentence.setdefault(span.sent.start, []).append(mention)
    if not by_sentence:
        return None
    focus = _focus_settlement(sent, by_sentence)
    if focus is not None:
        return _location_of(head.doc, focus)
    earlier = [s for s in by_sentence if s < sent.start]
    nearest = max(earlier) if earlier else min(by_sentence)
    chosen = min(by_sentence[nearest], key=lambda m: (FEATURE_RANK.get(m.norm["location"]["feature"], 0),
                                                     m.span.start))
    return (_framed(head.doc, chosen, by_sentence[nearest], by_sentence[nearest], gazetteer)
            or _location_of(head.doc, chosen))


SETTLEMENTS = ("city", "town", "village")
ANAPHORIC_PLACE_NOUNS = {"city", "town", "village", "camp"}


def _focus_settlement(sent: Any, by_sentence: dict[int, list[Mention]]) -> Mention | None:
    """The story's own town for "the city" / "the town" in a sentence that names none: the
    settlement the document names most often (at least twice), not the last one named in passing
    ("people who had fled to Kutum ... more than 800,000 are trapped inside the city" of a story
    about El Fasher)."""
    if not any(t.lower_ in ANAPHORIC_PLACE_NOUNS and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)
               and not any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children) for t in sent):
        return None
    counts: dict[int, list[Mention]] = {}
    for mentions in by_sentence.values():
        for mention in mentions:
            location = mention.norm["location"]
            if location.get("feature") in SETTLEMENTS and location.get("geonameid"):
                counts.setdefault(location["geonameid"], []).append(mention)
    if not counts:
        return None
    best = max(counts.values(), key=lambda ms: (len(ms), -min(m.span.start for m in ms)))
    return min(best, key=lambda m: m.span.start) if len(best) >= 2 else None


def _named_village(head: Token, predicate: Token) -> dict[str, Any] | None:
    """The small place the event is said to be at ("observed explosions near X", "clashed in X")
    when the resolver left it open for want of context.

    A note often names nothing but the village; the resolver, which must keep "Wuji" or
    "Mineralne" from becoming a far-off hamlet, wants a country or a larger population before it
    believes a gazetteer-only name. Here the syntax vouches for it: the name is the object of a
    place preposition attached to the event. It is taken only when its exact-name settlements all
    lie in one province (of a country the story names, when it names one); the largest is
    chosen, as a reader would.
    """
    doc = head.doc
    every = doc.user_data.get(TOPONYMS_KEY) or []
    known = {t.place.country3 for t in every if t.place is not None and t.place.feature != "continent"}
    scope = {t.i for t in predicate.subtree} | {t.i for t in head.subtree}
    for top in sorted(every, key=lambda t: abs(t.token_start - head.i)):
        if top.place is not None or not top.candidates or (top.text.isupper() and len(top.text) <= 5):
            continue
        root = doc[top.token_start:top.token_end].root
        attached = root.i in scope and root.head.lower_ in PLACE_PREPS and root.dep_ == "pobj"
        if not attached or root.sent.start != head.sent.start:
            continue
        places = [c.place for c in top.candidates if c.similarity == 100 and c.place.feature in SETTLEMENTS]
        if known:
            places = [p for p in places if p.country3 in known]
        if not places or len({(p.country3, p.admin1_code) for p in places}) != 1:
            continue
        best = max(places, key=lambda p: p.population)
        location = {**best.as_location(top.text), ADMIN2_KEY: best.admin2}
        if location.get("geo_precision") == 1 and root.head.lower_ not in ("in", "near", "at", "around", "outside",
                                                                           "inside"):
            location["geo_precision"] = 2
        return location
    return None


UNIT_RANK = {"admin2": 0, "city": 1, "admin1": 2}
FRAME_SIMILARITY = 90.0  # "Middle Shabelle" ~ "Gobolka Shabeellaha Dhexe" through its alias


def _unit_frame(head: Token, country: str | None = None) -> dict[str, Any] | None:
    """The district, city or province that frames the event's unknown place: "in X (Y)", "X (Y, Z)",
    "X village, Y".

    Conflict reports and ACLED's own notes frame a village with its units. When the gazetteer
    lacks the village (or the sentence names only a country) and the resolver left the frame's
    names open for want of context (a note often names no country), the frame still says where
    the event is: a unit whose candidates all lie in one province is taken (the most specific:
    a district, then a city, then the province), at ACLED's precision 2 (near a town or in a
    district) or 3 (a province), as ACLED codes an event whose village it cannot find.
    """
    doc = head.doc
    sent = head.sent
    every = doc.user_data.get(TOPONYMS_KEY) or []
    toponyms = [t for t in every
                if t.place is None and sent.start_char <= t.start < sent.end_char and _in_frame(doc, t, every)]
    known = {t.place.country3 for t in every if t.place is not None and t.place.feature != "continent"}
    options = []
    for top in toponyms:
        units = [c.place for c in top.candidates if c.similarity >= FRAME_SIMILARITY and (
            c.place.feature in ("admin1", "admin2")
            or (c.place.feature == "city" and c.place.population >= TRUSTED_POPULATION))]
        if country is not None:
            units = [p for p in units if p.country3 == country]
        elif known:
            units = [p for p in units if p.country3 in known] or units
        if units and len({(p.country3, p.admin1_code) for p in units}) == 1:
            options.append((top, min(units, key=lambda p: (UNIT_RANK[p.feature], -p.population))))
    if not options:
        return None
    top, place = min(options, key=lambda o: (UNIT_RANK[o[1].feature], o[0].start))
    return {**place.as_location(top.text, geo_precision=3 if place.feature == "admin1" else 2),
            ADMIN2_KEY: place.admin2}


def _in_frame(doc: Doc, top: Any, toponyms: list[Any]) -> bool:
    """Whether a name frames another place: after "(" or a comma that follows a (place) name, itself
    perhaps followed by its feature word ("X village (Y, Z)", "X, Y"). "On 9 May, GNA and LNA
    forces clashed" is no frame, and an acronym is an organisation's, not a unit's."""
    if top.text.isupper() and len(top.text) <= 5:
        return False
    i = top.token_start - 1
    if i < 1 or doc[i].text not in ("(", ","):
        return False
    i -= 1
    while i > 0 and doc[i].lower_ in CHAIN_WORDS:
        i -= 1
    return doc[i].text[:1].isupper() or any(t is not top and t.token_start <= i < t.token_end for t in toponyms)


def _affiliation(doc: Doc, place: Mention) -> bool:
    """A country named only as a modifier of a noun says whose, not where: "a missile fired at a US
    destroyer", "a US-Canadian citizen", "UK troops". A town in the same position usually does
    place ("a Kharkiv hospital"), so only countries are left out."""
    if place.norm["location"].get("feature") != "country":
        return False
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return False
    root, after = span.root, span.end
    if after < len(doc) and doc[after].text == "-" and after + 1 < len(doc) and doc[after + 1].is_alpha:
        return True  # "US-Canadian", "UK-made"
    return root.dep_ in ("compound", "amod", "nmod") and root.head.i > root.i and root.head.pos_ == "NOUN"


def _inside_actor(place: Mention, mentions: list[Mention]) -> bool:
    return any(m.kind == "ACTOR" and m.span.contains(place.span) and m.span != place.span
               and not m.norm.get("generic") for m in mentions)


def _is_subject(head: Token, place: Mention) -> bool:
    """A country or city that is a clause's subject acts ("Moscow began bombing"); it is not where."""
    span = head.doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in SUBJECT_DEPS


@lru_cache(maxsize=1)
def _metonymy() -> tuple[frozenset[str], frozenset[str]]:
    """(prepositions, head lemmas) of data/metonymy.yaml."""
    data = load_yaml(data_file("metonymy.yaml"))
    return frozenset(data["partner_prepositions"]), frozenset(data["partner_heads"])


def _is_partner(doc: Doc, place: Mention) -> bool:
    """A place that is a party to a relation stands for its government: "suspended an agreement
    with Washington", "talks between Moscow and Ankara" (the second conjunct too); not where."""
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    if token.dep_ != "pobj":
        return False
    preps, heads = _metonymy()
    prep = token.head
    return prep.lower_ in preps and (prep.head.lemma_.lower() in heads or prep.head.lower_ in heads)


def _is_destination(token: Token) -> bool:
    """Whether a place is (in) where someone was taken or fled to: the object of "to", "into" or
    "towards" after a verb of movement (data/metonymy.yaml), directly or through the phrase it sits
    in ("taken to hospitals in Turkey"). "Crossed into Cameroon and attacked" is in Cameroon:
    "cross" counts only for the people who flee, so an attack's own verb is never a destination."""
    data = _destinations()
    for _ in range(3):
        if token.dep_ == "pobj" and token.head.lower_ in data[0]:
            verb = token.head.head
            return verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in data[1] and not _attacks_too(verb)
        if token.head == token or token.head.pos_ in ("VERB", "AUX"):
            return False
        token = token.head
    return False


def _attacks_too(verb: Token) -> bool:
    """"Gunmen crossed into Cameroon and attacked a village": the movement leads the attack."""
    return any(c.dep_ == "conj" and c.pos_ == "VERB" for c in verb.children)


@lru_cache(maxsize=1)
def _destinations() -> tuple[frozenset[str], frozenset[str]]:
    data = load_yaml(data_file("metonymy.yaml"))
    return frozenset(data["destination_prepositions"]), frozenset(data["destination_verbs"])


def _is_destination_mention(doc: Doc, place: Mention) -> bool:
    span = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
    return span is not None and _is_destination(span.root)
