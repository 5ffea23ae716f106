"""The resolution settings: src/sitrep/data/resolve.yaml, optionally overridden key by key."""

from __future__ import annotations

from functools import cache
from typing import Any

from sitrep.knowledge.loader import data_file, load_yaml


@cache
def _defaults() -> dict[str, Any]:
    return load_yaml(data_file("resolve.yaml"))


def settings(config: dict[str, Any] | None = None) -> dict[str, Any]:
    """The shipped settings with `config`'s keys over them (weights merge, other values replace)."""
    merged = dict(_defaults())
    for key, value in (config or {}).items():
        if key == "weights" and isinstance(value, dict):
            merged["weights"] = {**merged["weights"], **value}
        elif key != "enabled":
            merged[key] = value
    merged["_stop"] = frozenset(w.casefold() for w in merged.get("name_stopwords") or [])
    return merged
