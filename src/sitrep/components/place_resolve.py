"""Joint toponym resolution over a document: which of a name's gazetteer places the text means.

Each candidate gets a prior (population, its feature against the text's hint, how the name
matched) and then context, recomputed in two rounds as choices settle:
- the document's focus country (votes from demonyms, from actors of a known state and from each
  mention's likeliest place; countries tied for the most votes share it);
- containment: the admin units and countries named right after a place ("Badah town
  (Larkana, Sindh)", "Merida, Merida state", "Alexandria ... Rapides Parish") pull it inside
  them, and an admin unit is pulled towards the places the text puts in it;
- nearness to the other places resolved (news about one area names places close together).
Mentions with the same name resolve together. Gazetteer-only matches must also be plausible
(large, in the focus country, an admin unit, or placed by a neighbouring admin unit), which
keeps ordinary capitalised words from becoming villages.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span as SpacySpan

from sitrep.knowledge.gazetteer import Candidate, Place, distance_km, normalize, similarity

ADMIN1_WORDS = {"province", "provinces", "governorate", "governorates", "state", "states", "oblast", "region",
                "regions", "prefecture", "wilayat", "departamento", "department", "estado"}
ADMIN2_WORDS = {"district", "districts", "county", "counties", "parish", "lga", "municipality", "municipalities",
                "sub-district", "subdistrict", "division", "commune", "tehsil", "raion", "rayon", "sub", "woreda"}
SETTLEMENT_WORDS = {"city", "town", "village", "villages", "neighbourhood", "neighborhood", "camp", "suburb",
                    "township", "locality", "hamlet", "settlement", "quarter"}
# compass words that may stand between a place and the unit it is in: "Delmas, north-east South Africa"
COMPASS_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                 "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
                 "southeastern", "southwestern", "north-east", "north-west", "south-east", "south-west"}
AREA_WORDS = {"countryside", "area", "areas", "outskirts", "environs", "vicinity", "surroundings"}
SETTLEMENTS = frozenset({"city", "town", "village"})
ADMIN_FEATURES = frozenset({"admin1", "admin2", "country"})
NO_POINT = frozenset({"country", "continent"})
KM_PER_DEGREE = 6371.0 * math.pi / 180  # of latitude, on the sphere distance_km uses
# prepositions that put what follows at a place: "near Kalynove", "in Arnissa", "outside Goma"
LOCATIVE_PREPOSITIONS = {"in", "near", "at", "outside", "around", "inside", "across", "towards", "toward"}
MAX_CANDIDATES = 80
LIST_BONUS = 2.0
LIST_COUNTRY_BONUS = 1.0
PAIR_BONUS = 3.5
ALIAS_PENALTY = 1.5


@dataclass
class Toponym:
    """A place name found in the text, its gazetteer candidates and (once resolved) the place chosen."""

    start: int
    end: int
    text: str
    token_start: int
    token_end: int
    candidates: list[Candidate]
    hint: str | None = None  # admin1, admin2, settlement or area, from the words around it
    from_ner: bool = False
    weak: bool = False  # the NER called it a person or organisation, or it names a known actor
    dateline: bool = False  # "TORRINGTON —": the place a news story was filed from
    label: str = ""
    place: Place | None = None
    scores: dict[int, float] = field(default_factory=dict)


def feature_hint(doc: SpacyDoc, span: SpacySpan) -> str | None:
    """What the words around a name say it is: "Idlib province", "the city of Homs", "Nabha district"."""
    window = doc[span.end : min(len(doc), span.end + 5)]
    listed = False
    for token in window:
        word = token.lower_
        for words, hint in ((ADMIN1_WORDS, "admin1"), (ADMIN2_WORDS, "admin2"), (SETTLEMENT_WORDS, "settlement"),
                            (AREA_WORDS, "area")):
            if word in words and (not listed or word.endswith("s") and word not in ("outskirts", "environs")):
                return hint  # across a list only a plural counts: "Daraa and Latakia provinces"
        listed = True
        if token.is_punct and token.text != "," or word in ("in", "on", "near", "the", "of", "to", "from", "at"):
            break  # the list "Daraa and Latakia provinces" may run on; a new phrase may not
        if not (token.text == "," or word in ("and", "&") or token.text[:1].isupper()):
            break
    before = doc[max(0, span.start - 3) : span.start]
    words = [t.lower_ for t in before]
    if len(words) >= 2 and words[-1] == "of":
        for word, hint in ((words[-2], None),):
            del hint
            if word in ADMIN1_WORDS:
                return "admin1"
            if word in ADMIN2_WORDS:
                return "admin2"
            if word in SETTLEMENT_WORDS:
                return "settlement"
            if word in AREA_WORDS:
                return "area"
    return None


def prior(candidate: Candidate, hint: str | None) -> float:
    place = candidate.place
    value = math.log10(max(place.population, 0) + 10)
    feature = place.feature
    settlement = feature in SETTLEMENTS or (place.source == "sitrep" and feature not in ("region", "countryside"))
    if hint == "admin1":
        value += 4.0 if feature == "admin1" else -1.0 if settlement else 0.0
    elif hint == "admin2":
        value += 4.0 if feature == "admin2" else 1.0 if feature == "admin1" else -0.5 if settlement else 0.0
    elif hint == "settlement":
        value += 2.0 if settlement else -3.0
    elif hint == "area":
        value += 1.0 if settlement else 0.5 if feature == "countryside" else -1.0
    else:
        # a bare admin1 name is usually the town of that name, unless the unit is large and well known
        # ("Florida", "Alberta"), when a village sharing the name is the odd reading
        admin1 = -1.0 if place.population < 1_000_000 or not candidate.primary else 0.0
        value += {"admin1": admin1, "admin2": -2.5, "region": -1.0, "country": 1.5}.get(feature, 0.0)
    if not candidate.primary and feature in ("admin1", "country"):
        value -= 1.2  # "New Netherland" is an old name of New York: "Netherlands" is the country
    if candidate.generated and hint not in ("admin1", "admin2"):
        value -= 1.0
    if not candidate.primary:
        value -= 0.3
    if place.source == "sitrep":
        value += 1.0
    value -= (100.0 - candidate.similarity) / 8.0
    return value


def resolve_toponyms(sdoc: SpacyDoc, toponyms: list[Toponym], demonyms: dict[str, str], min_population: int,
                     *, fixed: bool = False, focus: str | None = None, check: bool = True,
                     evidence: Counter[str] | None = None) -> str | None:
    """Choose a place for every toponym (in place); returns the focus country (ISO3).

    With `fixed`, toponyms that already have a place keep it and only serve as context; with
    `check` off, a toponym known to be a place (a gold span) is not tested for plausibility.
    `evidence` holds country votes the text gives besides its places and NORP demonyms (actors
    whose country is known: "Kenyan police", "Boko Haram").
    """
    todo = [t for t in toponyms if not (fixed and t.place is not None)]
    for top in todo:
        top.candidates = sorted(top.candidates, key=lambda c: -prior(c, top.hint))[:MAX_CANDIDATES]
        top.scores = {c.place.id: prior(c, top.hint) for c in top.candidates}
        if top.hint != "admin1":
            for c in top.candidates:  # "Hama", "Kandahar": a province named after its city means the city
                if c.place.feature == "admin1" and any(
                        o.place.feature in SETTLEMENTS and o.place.population >= 50_000 and o.place.country ==
                        c.place.country and o.place.admin1_code == c.place.admin1_code for o in top.candidates):
                    top.scores[c.place.id] -= 1.0
        exact = max((c.place.population for c in top.candidates if c.primary and c.similarity == 100), default=None)
        for c in top.candidates if exact is not None else []:  # "Missouri", an old name of Bozeman: the state
            if not (c.primary or c.generated) and c.place.population * 10 <= exact and similarity(
                    normalize(c.place.name), normalize(top.text)) < 40:
                top.scores[c.place.id] -= ALIAS_PENALTY
        top.place = max(top.candidates, key=lambda c: top.scores[c.place.id]).place if top.candidates else None
    leaders = frozenset({focus} if focus else ())
    if focus is None:
        focus, leaders = _focus(sdoc, toponyms, demonyms, min_population, evidence)
    # each toponym's chain of containers depends only on the positions, fixed for this call
    chains: dict[int, list[Toponym]] = {}
    groups: dict[str, list[Toponym]] = defaultdict(list)
    for top in todo:
        groups[f"{normalize(top.text)}|{top.hint in ('admin1', 'admin2')}"].append(top)  # "Merida, Merida state"
    for round_ in range(3):
        for members in groups.values():
            _choose(members, toponyms, sdoc, leaders, chains)
        if round_ == 1 and not fixed:
            focus, leaders = _focus(sdoc, toponyms, demonyms, min_population, evidence)  # with the places chosen
    for top in todo if check else []:
        containers = _adjacent_containers(top, toponyms, sdoc, chains) if top.place is not None else []
        place = top.place
        if containers and place is not None and place.feature != "country" and not any(
                _inside(place, c) for c in containers) and all(c.country != place.country for c in containers):
            top.place = None  # "El Campito, Merida state": not the Mexican El Campito
        elif top.place is not None and not _plausible(top, toponyms, sdoc, focus, min_population, chains):
            top.place = None
    return focus


def _focus(sdoc: SpacyDoc, toponyms: list[Toponym], demonyms: dict[str, str], min_population: int,
           evidence: Counter[str] | None = None) -> tuple[str | None, frozenset[str]]:
    """The country the text is about: votes from demonyms, actors and each mention's likeliest place;
    with it, every country tied with it for the most votes ("forces of Armenia fired on forces of
    Azerbaijan at X": the story is about both, and neither may claim X by coming first)."""
    votes: Counter[str] = Counter(evidence or {})
    for token in sdoc:
        if token.ent_type_ == "NORP":
            iso3 = demonyms.get(normalize(token.text))
            if iso3:
                votes[iso3] += 1
    for top in toponyms:
        place = top.place
        if place is None or not place.country3 or any(
                c.place.id == place.id and c.similarity < 100 for c in top.candidates) or _acronym(top, place):
            continue  # a transliteration guess does not vote, nor an acronym ("GNA" is not Guna, India)
        if top.from_ner or place.population >= min_population or place.feature in ADMIN_FEATURES or top.hint:
            # an admin unit's name is rarely ambiguous across countries: it weighs most
            votes[place.country3] += 1 if place.feature == "country" else 3 if place.feature in ADMIN_FEATURES else 2
    if not votes:
        return None, frozenset()
    (focus, most), = votes.most_common(1)
    return focus, frozenset(country for country, count in votes.items() if count == most)


def _choose(members: list[Toponym], toponyms: list[Toponym], sdoc: SpacyDoc, focus: frozenset[str],
            chains: dict[int, list[Toponym]] | None = None) -> None:
    """One choice for every mention of a name: the candidate with the best summed score."""
    totals: dict[int, float] = defaultdict(float)
    by_id: dict[int, Place] = {}
    for top in members:
        others = [t for t in toponyms if t.place is not None and normalize(t.text) != normalize(top.text)]
        containers = _adjacent_containers(top, toponyms, sdoc, chains)
        listed_as = _list_of_units_features(top, toponyms, sdoc)
        listed = bool(listed_as)
        if listed:
            containers = []  # "Arkansas, Colorado, Delaware, Idaho": a list of units, not "village, state"
        contents = [] if listed else [t for t in toponyms if t is not top and any(
            normalize(c.text) == normalize(top.text) for c in _adjacent_container_toponyms(t, toponyms, sdoc, chains))]
        # "El Alto, La Paz": the units the names after it may be, not only the one chosen so far
        units = [] if listed else [c.place for t in _adjacent_container_toponyms(top, toponyms, sdoc, chains)
                                   for c in t.candidates if c.place.feature in ADMIN_FEATURES and c.primary]
        for candidate in top.candidates:
            place = candidate.place
            by_id[place.id] = place
            totals[place.id] += top.scores[place.id] + _context(place, others, containers, focus)
            if not any(_inside(place, c) for c in containers) and any(_inside(place, u) for u in units):
                totals[place.id] += PAIR_BONUS
            if candidate.primary and place.feature in listed_as:
                totals[place.id] += LIST_BONUS  # a name in a list of states is a state, not a town
                if place.feature == "admin1" and place.country in listed_as["admin1"]:
                    totals[place.id] += LIST_COUNTRY_BONUS  # ... of the country the other states are in
            if place.feature in ADMIN_FEATURES and any(
                    _inside(c.place, place) for t in contents for c in t.candidates):
                totals[place.id] += 3.0  # "Amritsar city (Punjab)": the Punjab that has an Amritsar
    if not totals:
        return
    best = by_id[max(totals, key=lambda pid: totals[pid])]
    for top in members:
        top.place = best


def _context(place: Place, others: list[Toponym], containers: list[Place], focus: frozenset[str]) -> float:
    value = 0.0
    if place.country3 in focus:
        value += 2.5
    for container in containers:
        if _inside(place, container):
            value += 4.0
            break
    near = math.inf
    pointed = place.feature not in NO_POINT and place.lat is not None and place.lon is not None
    for other in others:
        chosen = other.place
        if chosen is None or chosen.id == place.id:
            continue
        if (chosen.feature in ("admin1", "admin2") and _inside(place, chosen)) or (
                place.feature in ("admin1", "admin2") and _inside(chosen, place)):
            value += 1.5
        if pointed and near > 50 and chosen.feature not in NO_POINT and None not in (chosen.lat, chosen.lon):
            # only the band of the nearest distance counts (<= 50, <= 200, farther): a place whose
            # latitude alone puts it beyond the band's edge (great-circle >= the latitude arc; 1 km
            # of slack for rounding) cannot change it, so its haversine is not computed
            if abs(place.lat - chosen.lat) * KM_PER_DEGREE > (51.0 if near <= 200 else 201.0):  # type: ignore[operator]
                continue
            near = min(near, distance_km(place.lat, place.lon, chosen.lat, chosen.lon))  # type: ignore[arg-type]
    if near <= 50:
        value += 2.0
    elif near <= 200:
        value += 1.0
    return value


def _inside(place: Place, container: Place) -> bool:
    """Whether `place` lies in the admin unit or country `container` (by codes, not geometry)."""
    if place.country != container.country or place.id == container.id:
        return False
    if container.feature == "country":
        return place.feature != "country"
    if container.feature == "admin1":
        return place.feature not in ("country", "admin1") and place.admin1_code == container.admin1_code
    if container.feature == "admin2":
        return place.feature in SETTLEMENTS | {"region"} and place.admin1_code == container.admin1_code and (
            place.admin2 is not None and place.admin2 == container.admin2)
    return False


def _list_of_units_features(top: Toponym, toponyms: list[Toponym], sdoc: SpacyDoc) -> dict[str, set[str]]:
    """The unit kinds (admin1, country) of the list of such units a name stands in, if any, each with
    the countries of its neighbours in the list: "Ghana, Niger and Togo" lists countries, so Niger
    there is the country, not the Nigerian state; "Alberta, Manitoba, Ontario" lists Canadian provinces."""
    features = {c.place.feature for c in top.candidates if c.primary and c.place.feature in ("admin1", "country")}
    if not features:
        return {}
    found: dict[str, set[str]] = defaultdict(set)
    for other in toponyms:
        if other is top or normalize(other.text) == normalize(top.text):
            continue
        if other.token_end <= top.token_start:
            gap = sdoc[other.token_end : top.token_start]
        elif other.token_start >= top.token_end:
            gap = sdoc[top.token_end : other.token_start]
        else:
            continue
        if 0 < len(gap) <= 2 and all(t.text == "," or t.lower_ in ("and", "or") for t in gap):
            if other.place is not None and other.place.feature in features:
                found[other.place.feature].add(other.place.country)
            elif other.place is None:
                for c in other.candidates:
                    if c.primary and c.place.feature in features:
                        found[c.place.feature].add(c.place.country)
    return dict(found)


def _adjacent_containers(top: Toponym, toponyms: list[Toponym], sdoc: SpacyDoc,
                         chains: dict[int, list[Toponym]] | None = None) -> list[Place]:
    """Admin units and countries named just after a place: "X (A, B)", "X, A", "X in A", "X of A"."""
    return [t.place for t in _adjacent_container_toponyms(top, toponyms, sdoc, chains)
            if t.place is not None and t.place.feature in ADMIN_FEATURES]


def _adjacent_container_toponyms(top: Toponym, toponyms: list[Toponym], sdoc: SpacyDoc,
                                 chains: dict[int, list[Toponym]] | None = None) -> list[Toponym]:
    """The toponyms named just after a place, in the chain "X (A, B)", "X, A", "X in A", "X of A".

    `chains` memoises the answer per toponym for one `resolve_toponyms` call (the same list of
    toponyms, whose positions do not change there): place resolution asks it of every toponym
    for every other, per round, which made the places stage quadratic with a sort inside."""
    if chains is not None:
        key = id(top)
        if key not in chains:
            chains[key] = _adjacent_container_toponyms(top, toponyms, sdoc)
        return chains[key]
    out: list[Toponym] = []
    later = [t for t in toponyms if t.token_start >= top.token_end]
    cursor = top.token_end
    for other in sorted(later, key=lambda t: t.token_start):
        gap = sdoc[cursor : other.token_start]
        # an unknown name may sit in the chain: "Bamenda town (Mezam, Nord-Ouest)"
        if len(gap) > 5 or any(not ((t.is_punct and t.text not in ("/", "&")) or t.lower_ in ("in", "of", "the") or
                                    t.lower_ in ADMIN1_WORDS | ADMIN2_WORDS | SETTLEMENT_WORDS | AREA_WORDS
                                    or t.lower_ in COMPASS_WORDS
                                    or (t.text[:1].isupper() and t.pos_ == "PROPN"))
                               for t in gap):
            break
        if any(t.text in (".", ";", ")") for t in gap) and not out:
            break
        out.append(other)
        cursor = other.token_end
    return out


def _acronym(top: Toponym, place: Place) -> bool:
    """Whether a toponym is an upper-case acronym, which names an organisation far more often than a
    place ("GNA" is not Guna, "RSF" not Rsf); countries ("US", "DRC") and dotted abbreviations of
    places ("S.C.", "D.C.") and datelines ("BEIRUT") are places."""
    abbreviation = "." in top.text and any(c.place.id == place.id and c.similarity == 100 for c in top.candidates)
    return (top.text.isupper() and len(top.text.replace(".", "")) <= 5 and place.feature != "country"
            and not (top.dateline or abbreviation))


def _focus_is_admin(toponyms: list[Toponym], focus: str) -> bool:
    """Whether the text names an admin unit or the country itself of its focus country."""
    return any(t.place is not None and t.place.country3 == focus and t.place.feature in ADMIN_FEATURES
               for t in toponyms)


def _plausible(top: Toponym, toponyms: list[Toponym], sdoc: SpacyDoc, focus: str | None,
               min_population: int, chains: dict[int, list[Toponym]] | None = None) -> bool:
    """A gazetteer-only (or NER-doubtful) match must be one a reader would take for a place."""
    place = top.place
    assert place is not None
    in_focus = focus is not None and place.country3 == focus
    contained = any(_inside(place, c) for c in _adjacent_containers(top, toponyms, sdoc, chains))
    multiword = len(top.text.split()) > 1
    candidate = next((c for c in top.candidates if c.place.id == place.id), None)
    if candidate is not None and candidate.similarity < 100 and not (in_focus or contained):
        return False  # a transliteration guess far from the story's country
    if (focus and not in_focus and not contained and place.feature in SETTLEMENTS and place.population < 20000
            and place.source != "sitrep"):
        return False  # a village abroad sharing a name with an unknown local place ("Wuji")
    supported = any(o is not top and o.place is not None and o.place.country == place.country for o in toponyms)
    if (focus and not in_focus and not contained and not supported and place.feature in SETTLEMENTS
            and place.population < 200_000 and place.source != "sitrep" and _focus_is_admin(toponyms, focus)):
        return False  # "Dara" in a story set in Samangan is not the Syrian town
    if _acronym(top, place):
        return False  # "GNA", "RSF", "ISWAP": acronyms are organisations, except "US", "UK", "DRC"
    if (top.from_ner or top.dateline) and not top.weak:
        return True
    if top.weak:
        # "Valencia, Sangre Grande": an admin unit named right after another place is where that place is
        holds = place.feature in ("admin1", "admin2") and any(
            o is not top and (o.place is not None or o.from_ner)
            and any(c is top for c in _adjacent_container_toponyms(o, toponyms, sdoc, chains)) for o in toponyms)
        # "near Kalynove", "in Arnissa": a name the NER doubted, but placed by a preposition of place, is
        # taken in a text that names no other country (its likeliest place is then the story's own)
        located = (top.token_start > 0 and sdoc[top.token_start - 1].lower_ in LOCATIVE_PREPOSITIONS
                   and candidate is not None and candidate.similarity == 100 and candidate.primary)
        if located and (focus is None or in_focus):
            return True
        return (in_focus or contained or holds) and (
            place.feature in ADMIN_FEATURES or contained or place.population >= 5000 or place.source == "sitrep")
    if place.feature in ("country", "continent") or place.source == "sitrep":
        return True
    if place.feature in ("admin1", "admin2", "region"):
        return in_focus or top.hint in ("admin1", "admin2") or contained or (multiword and place.feature != "admin2")
    return (place.population >= min_population or contained or top.hint is not None
            or (in_focus and place.population >= 1000))
