"""ACLED coding rules (data/acled_rules.yaml), compiled once into regular expressions.

The rules are data so an analyst can adjust them; this module only checks their shape and
turns each word list into one case-insensitive whole-word pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitrep.knowledge.loader import data_file, load_yaml

CONDITIONS = {"types", "modes", "context_types", "context_modes", "context_flags", "words", "all_words",
              "not_words", "phrases", "not_phrases", "recipient_sectors", "actor_sectors", "not_actor_sectors",
              "actor_inters", "not_actor_inters", "no_recipient_sectors", "triggers"}
# Words allowed between the parts of a phrase: "killed [three Afghan] soldiers", "soldiers were [reportedly] shot".
PHRASE_GAP = 3
# Words a phrase may not reach across: "shot [by] gunmen" names the attacker, not the victim.
GAP_STOPS = r"(?:by|who|when|while|whom|after|before)\b"


def _flatten(items: Any) -> list[str]:
    if isinstance(items, str):
        return [items]
    out: list[str] = []
    for item in items or []:
        out.extend(_flatten(item))
    return out


def _alternation(words: list[str]) -> str:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        stem = re.escape(word.lower().rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"\w*" if word.endswith("*") else ""))
    return "(?:" + "|".join(parts) + ")"


def word_pattern(words: list[str]) -> re.Pattern[str] | None:
    """One whole-word pattern for a list; a trailing '*' matches any word ending."""
    if not words:
        return None
    return re.compile(r"(?<!\w)" + _alternation(words) + r"(?!\w)", re.IGNORECASE)


def phrase_pattern(groups: list[list[str]], gap: int = PHRASE_GAP) -> re.Pattern[str] | None:
    """Word groups in order, each a word list, with at most `gap` words between neighbours
    (never across a sentence, a "by" or a clause word, see GAP_STOPS).

    This is how a rule says who was hit without a parser: "killed ... soldiers" and "soldiers
    were ... wounded" name the victims, where "soldiers killed ..." names the attackers.
    """
    groups = [g for g in groups if g]
    if not groups:
        return None
    between = rf"(?:[^\w.;]+(?!{GAP_STOPS})[\w'-]+){{0,{gap}}}?[^\w.;]+"
    return re.compile(r"(?<!\w)" + between.join(_alternation(g) for g in groups) + r"(?!\w)", re.IGNORECASE)


def _phrases(items: Any) -> re.Pattern[str] | None:
    """A list of phrases (each a list of word groups) -> one pattern matching any of them."""
    patterns = [p for phrase in items or [] if (p := phrase_pattern([_flatten(g) for g in phrase]))]
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class AcledRule:
    name: str
    acled: tuple[str, str] | None
    actor_inter: int | None = None
    types: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset()
    context_types: frozenset[str] = frozenset()
    context_modes: frozenset[str] = frozenset()
    context_flags: frozenset[str] = frozenset()
    recipient_sectors: frozenset[str] = frozenset()
    actor_sectors: frozenset[str] = frozenset()
    not_actor_sectors: frozenset[str] = frozenset()
    no_recipient_sectors: frozenset[str] = frozenset()
    actor_inters: frozenset[int] = frozenset()
    not_actor_inters: frozenset[int] = frozenset()
    words: re.Pattern[str] | None = None
    triggers: re.Pattern[str] | None = None
    all_words: tuple[re.Pattern[str], ...] = ()
    not_words: re.Pattern[str] | None = None
    phrases: re.Pattern[str] | None = None
    not_phrases: re.Pattern[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _rule(entry: dict[str, Any]) -> AcledRule:
    unknown = set(entry) - CONDITIONS - {"name", "acled", "actor_inter"}
    if unknown:
        raise ValueError(f"ACLED rule {entry.get('name')!r}: unknown keys {sorted(unknown)}")
    acled = entry.get("acled")
    return AcledRule(
        name=entry["name"],
        acled=(acled[0], acled[1]) if acled else None,
        actor_inter=entry.get("actor_inter"),
        **{key: frozenset(_flatten(entry.get(key))) for key in (
            "types", "modes", "context_types", "context_modes", "context_flags", "recipient_sectors",
            "actor_sectors", "not_actor_sectors", "no_recipient_sectors")},
        actor_inters=frozenset(int(v) for v in entry.get("actor_inters") or ()),
        not_actor_inters=frozenset(int(v) for v in entry.get("not_actor_inters") or ()),
        words=word_pattern(_flatten(entry.get("words"))),
        triggers=word_pattern(_flatten(entry.get("triggers"))),
        all_words=tuple(p for group in entry.get("all_words") or [] if (p := word_pattern(_flatten(group)))),
        not_words=word_pattern(_flatten(entry.get("not_words"))),
        phrases=_phrases(entry.get("phrases")),
        not_phrases=_phrases(entry.get("not_phrases")),
    )


@lru_cache(maxsize=16)
def get_word_list(name: str) -> re.Pattern[str] | None:
    """A named top-level word list of acled_rules.yaml as one pattern (the coder's own cues, e.g. the
    words that make violence communal when no perpetrator is named)."""
    return word_pattern(_flatten(load_yaml(data_file("acled_rules.yaml")).get(name)))


@lru_cache(maxsize=1)
def get_rules() -> tuple[AcledRule, ...]:
    data = load_yaml(data_file("acled_rules.yaml"))
    return tuple(_rule(entry) for entry in data["rules"])
