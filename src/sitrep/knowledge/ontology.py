"""PLOVER types and modes, the trigger lexicon and the ACLED/CAMEO crosswalk, as loaded data."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitrep.knowledge.loader import data_file, load_yaml


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry: a lemma sequence that signals an event type (and maybe a mode)."""

    lemmas: tuple[str, ...]
    event_type: str
    mode: str | None
    cameo: str | None
    pos: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    weight: float = 0.8
    extra: dict[str, Any] = field(default_factory=dict)


Outcome = tuple[str, str | None, str]  # (event_type, mode, cameo) a frame gives a trigger


@dataclass(frozen=True, slots=True)
class Frames:
    """Clause frames from plover.yaml: word lists and the outcome tables keyed by type or CAMEO prefix."""

    words: dict[str, frozenset[str]] = field(default_factory=dict)
    tables: dict[str, dict[str, Outcome]] = field(default_factory=dict)
    deny: Outcome | None = None

    def has(self, kind: str, word: str) -> bool:
        return word in self.words.get(kind, frozenset())

    def outcome(self, kind: str, event_type: str, cameo: str | None) -> Outcome | None:
        """The table's row for a trigger: the longest matching "cameo:<prefix>" key, else its type."""
        table = self.tables.get(kind, {})
        code = cameo or ""
        for size in range(len(code), 1, -1):
            row = table.get(f"cameo:{code[:size]}")
            if row:
                return row
        return table.get(event_type)


def _frames(raw: dict[str, Any] | None) -> Frames:
    raw = raw or {}
    words = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list) and all(isinstance(w, str) for w in v)}
    tables = {k: {key: (row[0], row[1], str(row[2])) for key, row in v.items()}
              for k, v in raw.items() if isinstance(v, dict)}
    deny = raw.get("deny")
    return Frames(words=words, tables=tables, deny=(deny[0], deny[1], str(deny[2])) if deny else None)


@dataclass(frozen=True, slots=True)
class Ontology:
    """Everything the event component needs to type an event and map it to ACLED and CAMEO."""

    event_types: dict[str, dict[str, Any]]
    contexts: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    acled_rows: tuple[dict[str, Any], ...]
    acled_precedence: dict[str, list[str]]
    acled_event_type_order: tuple[str, ...]
    quad_schemes: dict[str, dict[str, int]]
    default_quad_scheme: str
    future_collapse: dict[str, str] = field(default_factory=dict)
    frames: Frames = field(default_factory=Frames)
    recipient_preps: dict[str, frozenset[str]] = field(default_factory=dict)
    noun_object_of: frozenset[str] = frozenset()

    def recipient_prepositions(self, event_type: str) -> frozenset[str]:
        """Prepositions introducing the recipient of an event of this type (plover.yaml `recipient_preps`)."""
        return self.recipient_preps.get("default", frozenset()) | self.recipient_preps.get(event_type, frozenset())

    def quad(self, event_type: str) -> int | None:
        return self.quad_schemes.get(self.default_quad_scheme, {}).get(event_type) or self.event_types.get(
            event_type, {}
        ).get("quad")

    def acled(self, event_type: str, mode: str | None) -> dict[str, Any]:
        """The first crosswalk row for this type and mode, else the type's catch-all row."""
        for row in self.acled_rows:
            if row["event_type"] == event_type and row.get("mode") in (mode, None):
                if row.get("mode") is None and mode is not None and self._has_mode_row(event_type, mode):
                    continue
                return row
        return {"acled_event_type": None, "acled_sub_event_type": None,
                "cameo": self.event_types.get(event_type, {}).get("default_cameo")}

    def _has_mode_row(self, event_type: str, mode: str) -> bool:
        return any(r["event_type"] == event_type and r.get("mode") == mode for r in self.acled_rows)

    def acled_rank(self, acled_event_type: str | None, sub_event_type: str | None) -> tuple[int, int]:
        """Lower is higher precedence (ACLED's order of event types, then of sub-types)."""
        if not acled_event_type:
            return (99, 99)
        order = list(self.acled_event_type_order)
        subs = self.acled_precedence.get(acled_event_type, [])
        return (
            order.index(acled_event_type) if acled_event_type in order else 98,
            subs.index(sub_event_type) if sub_event_type in subs else 98,
        )


def _trigger(entry: dict[str, Any]) -> Trigger:
    known = {"trigger", "event_type", "mode", "cameo", "pos", "contexts", "weight"}
    return Trigger(
        lemmas=tuple(str(entry["trigger"]).lower().split()),
        event_type=entry["event_type"],
        mode=entry.get("mode"),
        cameo=str(entry["cameo"]) if entry.get("cameo") is not None else None,
        pos=tuple(entry.get("pos") or ()),
        contexts=tuple(entry.get("contexts") or ()),
        weight=float(entry.get("weight", 0.8)),
        extra={k: v for k, v in entry.items() if k not in known},
    )


@lru_cache(maxsize=1)
def get_ontology() -> Ontology:
    plover = load_yaml(data_file("plover.yaml"))
    crosswalk = load_yaml(data_file("crosswalk.yaml"))
    triggers = load_yaml(data_file("triggers.yaml"))
    return Ontology(
        event_types=plover["event_types"],
        contexts=tuple(plover.get("contexts", [])),
        triggers=tuple(_trigger(t) for t in triggers),
        acled_rows=tuple(crosswalk["acled"]),
        acled_precedence=crosswalk.get("acled_precedence", {}),
        acled_event_type_order=tuple(crosswalk.get("acled_event_type_order", [])),
        quad_schemes=crosswalk.get("quad_schemes", {}),
        default_quad_scheme=crosswalk.get("default_quad_scheme", "plover"),
        future_collapse=plover.get("future_collapse", {}),
        frames=_frames(plover.get("frames")),
        recipient_preps={k: frozenset(v) for k, v in (plover.get("recipient_preps") or {}).items()},
        noun_object_of=frozenset(plover.get("noun_object_of") or ()),
    )
