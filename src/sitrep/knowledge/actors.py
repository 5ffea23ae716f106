"""The actor dictionary: named actors, states expanded into government/military/police, and
generic nouns ("government forces", "rebels") whose country the document's context supplies.

Entries are data (`sitrep/data/actors/*.yaml`, plus a user's own files of the same shape);
this module only indexes them. States are written compactly (one entry per state) and
expanded here into ACLED-named actors ("Military Forces of Syria (2000-)"), so 190 states do
not need 570 hand-written entries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.knowledge.gazetteer import normalize
from sitrep.knowledge.loader import data_file, load_yaml


@dataclass(frozen=True, slots=True)
class Actor:
    """One dictionary entry; `generic` entries have no country until a document gives one."""

    id: str
    name: str
    country: str | None
    sector: str
    acled_inter: int | None
    aliases: tuple[str, ...] = ()
    affiliation: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    generic: bool = False
    name_template: str | None = None  # generic entries: ACLED's name for the document's country

    def valid_on(self, when: date | None) -> bool:
        if when is None:
            return True
        return (self.valid_from is None or self.valid_from <= when) and (
            self.valid_to is None or when <= self.valid_to
        )

    def as_record(self, text: str) -> dict[str, Any]:
        """The actor object of the event record (DESIGN.md section 4)."""
        return {"text": text, "name": self.name, "id": self.id, "country": self.country,
                "sector": self.sector, "acled_inter": self.acled_inter}


@dataclass(frozen=True, slots=True)
class State:
    iso3: str
    name: str
    demonyms: tuple[str, ...]
    capital: str | None
    leaders: tuple[str, ...]


_STATE_ROLES = {
    # sector -> (id suffix, ACLED name pattern, alias key in states.yaml)
    "GOV": ("GOV", "Government of {name}", "government_aliases"),
    "MIL": ("MIL", "Military Forces of {name}", "military_aliases"),
    "COP": ("COP", "Police Forces of {name}", "police_aliases"),
}


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _actor(entry: dict[str, Any]) -> Actor:
    return Actor(
        id=entry["id"], name=entry["name"], country=entry.get("country"), sector=entry["sector"],
        acled_inter=entry.get("acled_inter"), aliases=tuple(entry.get("aliases") or ()),
        affiliation=entry.get("affiliation"), valid_from=_as_date(entry.get("valid_from")),
        valid_to=_as_date(entry.get("valid_to")), generic=bool(entry.get("generic")),
        name_template=entry.get("name_template"),
    )


def expand_state(entry: dict[str, Any]) -> list[Actor]:
    """One states.yaml entry -> its government, military and police actors."""
    since = entry.get("regime_since")
    suffix = f" ({since}-)" if since else ""
    out = []
    for sector, (suffix_id, pattern, alias_key) in _STATE_ROLES.items():
        aliases = list(entry.get(alias_key) or [])
        if sector == "GOV":
            aliases += list(entry.get("leaders") or [])
        out.append(Actor(
            id=f"{entry['iso3']}_{suffix_id}", name=pattern.format(name=entry["name"]) + suffix,
            country=entry["iso3"], sector=sector, acled_inter=1, aliases=tuple(aliases),
        ))
    return out


@dataclass(frozen=True, slots=True)
class IdentityGroup:
    """An ethnic group, clan or community whose armed members ACLED codes as an identity militia (type 4)."""

    name: str
    countries: tuple[str, ...]  # ISO3, in the order the data lists them
    kinds: tuple[str, ...]  # per country, ACLED's word before "Militia": Ethnic, Clan, Communal, Tribal, ...


# Files in data/actors/ that are not lists of actor entries.
NOT_ACTOR_FILES = {"states.yaml", "identity_groups.yaml"}


def load_identity_groups(path: Path) -> dict[str, IdentityGroup]:
    """identity_groups.yaml -> {spelling: group}; a group listed under several countries keeps them all
    so the document's country can pick ("Borana" in Kenya or in Ethiopia)."""
    countries: dict[str, list[str]] = defaultdict(list)
    kinds: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, str] = {}
    for entry in load_yaml(path) or []:
        for group in entry["groups"]:
            name, aliases = (group, []) if isinstance(group, str) else (group["name"], group.get("aliases") or [])
            if entry["country"] not in countries[name]:
                countries[name].append(entry["country"])
                kinds[name].append(entry["kind"])
            for spelling in (name, *aliases):
                spellings.setdefault(spelling, name)
                if not spelling.endswith("s") and " " not in spelling:
                    spellings.setdefault(spelling + "s", name)  # "the Pokots", "Kikuyus"
    return {s: IdentityGroup(n, tuple(countries[n]), tuple(kinds[n])) for s, n in spellings.items()}


@dataclass
class ActorDictionary:
    """Indexes over the entries: by id, by folded alias, by demonym and country name."""

    actors: dict[str, Actor] = field(default_factory=dict)
    states: dict[str, State] = field(default_factory=dict)
    by_alias: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    demonyms: dict[str, str] = field(default_factory=dict)  # folded demonym or country name -> ISO3
    capitals: dict[str, str] = field(default_factory=dict)  # folded capital -> ISO3
    identity_groups: dict[str, IdentityGroup] = field(default_factory=dict)  # spelling (case kept) -> group

    def add(self, actor: Actor) -> None:
        if actor.id in self.actors:
            raise ValueError(f"duplicate actor id {actor.id!r}")
        self.actors[actor.id] = actor
        for alias in {actor.name, *actor.aliases}:
            norm = normalize(alias)
            if norm and actor.id not in self.by_alias[norm]:
                self.by_alias[norm].append(actor.id)

    def add_state(self, entry: dict[str, Any]) -> None:
        state = State(entry["iso3"], entry["name"], tuple(entry.get("demonyms") or ()),
                      entry.get("capital"), tuple(entry.get("leaders") or ()))
        self.states[state.iso3] = state
        for actor in expand_state(entry):
            self.add(actor)
        for word in (state.name, *state.demonyms):
            self.demonyms.setdefault(normalize(word), state.iso3)
        if state.capital:
            self.capitals.setdefault(normalize(state.capital), state.iso3)

    def lookup(self, name: str, *, when: date | None = None) -> list[Actor]:
        """Actors called `name`, those valid on `when` first."""
        found = [self.actors[i] for i in self.by_alias.get(normalize(name), [])]
        return sorted(found, key=lambda a: (not a.valid_on(when), a.generic))

    def for_country(self, generic: Actor, iso3: str | None) -> Actor:
        """A generic actor made concrete for the document's country ("rebels" -> Rebels (Syria))."""
        if iso3 is None:
            return generic
        if generic.sector in ("GOV", "MIL", "COP") and f"{iso3}_{generic.sector}" in self.actors:
            return self.actors[f"{iso3}_{generic.sector}"]
        country = self.states[iso3].name if iso3 in self.states else iso3
        template = generic.name_template or (generic.name if "{country}" in generic.name else None)
        name = template.format(country=country) if template else f"{generic.name} ({country})"
        return Actor(id=f"{iso3}_{generic.sector}", name=name, country=iso3, sector=generic.sector,
                     acled_inter=generic.acled_inter, aliases=generic.aliases, generic=False)

    def identity_militia(self, group: IdentityGroup, iso3: str | None) -> Actor:
        """ACLED's actor for armed members of a group: "Pokot Ethnic Militia (Kenya)", inter 4, in the
        document's country when the group lives there, else in the group's first country."""
        index = group.countries.index(iso3) if iso3 in group.countries else 0
        country, kind = group.countries[index], group.kinds[index]
        key = "".join(ch for ch in group.name.upper() if ch.isalnum())
        if not country:  # no country known (an unlisted clan in a document without a focus country)
            return Actor(id=f"IDM_{key}", name=f"{group.name} {kind} Militia", country=None, sector="UAF",
                         acled_inter=4)
        country_name = self.states[country].name if country in self.states else country
        return Actor(id=f"{country}_IDM_{key}", name=f"{group.name} {kind} Militia ({country_name})",
                     country=country, sector="UAF", acled_inter=4)

    def state_actor(self, iso3: str, sector: str) -> Actor | None:
        return self.actors.get(f"{iso3}_{sector}")


def build_dictionary(extra_files: list[str | Path] | tuple[str | Path, ...] = ()) -> ActorDictionary:
    """Load the shipped actor files, then a user's own (same shape as data/actors/*.yaml)."""
    dictionary = ActorDictionary()
    folder = data_file("actors")
    states = folder / "states.yaml"
    if states.exists():
        for entry in load_yaml(states) or []:
            dictionary.add_state(entry)
    groups = folder / "identity_groups.yaml"
    if groups.exists():
        dictionary.identity_groups = load_identity_groups(groups)
    files = sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_ACTOR_FILES)
    for path in [*files, *(Path(p) for p in extra_files)]:
        for entry in load_yaml(Path(path)) or []:
            try:
                dictionary.add(_actor(entry))
            except (KeyError, ValueError) as err:
                raise ValueError(f"{path}: bad actor entry {entry.get('id', entry)!r}: {err}") from err
    return dictionary


@lru_cache(maxsize=4)
def get_actors(extra_files: tuple[str, ...] = ()) -> ActorDictionary:
    return build_dictionary(extra_files)
