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
              "not_words", "recipient_sectors", "actor_sectors", "not_actor_sectors", "actor_inters"}


def _flatten(items: Any) -> list[str]:
    if isinstance(items, str):
        return [items]
    out: list[str] = []
    for item in items or []:
        out.extend(_flatten(item))
    return out


def word_pattern(words: list[str]) -> re.Pattern[str] | None:
    """One whole-word pattern for a list; a trailing '*' matches any word ending."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        stem = re.escape(word.lower().rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"\w*" if word.endswith("*") else ""))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE) if parts else None


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
    actor_inters: frozenset[int] = frozenset()
    words: re.Pattern[str] | None = None
    all_words: tuple[re.Pattern[str], ...] = ()
    not_words: re.Pattern[str] | None = None
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
            "actor_sectors", "not_actor_sectors")},
        actor_inters=frozenset(int(v) for v in entry.get("actor_inters") or ()),
        words=word_pattern(_flatten(entry.get("words"))),
        all_words=tuple(p for group in entry.get("all_words") or [] if (p := word_pattern(_flatten(group)))),
        not_words=word_pattern(_flatten(entry.get("not_words"))),
    )


@lru_cache(maxsize=1)
def get_rules() -> tuple[AcledRule, ...]:
    data = load_yaml(data_file("acled_rules.yaml"))
    return tuple(_rule(entry) for entry in data["rules"])
