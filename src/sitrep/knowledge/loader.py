"""Reading the data files shipped under `sitrep/data/` (and a user's own, same shape)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def data_file(*parts: str) -> Path:
    """Path of a shipped data file (the package is installed from its source tree or a wheel)."""
    path = resources.files("sitrep") / "data"
    for part in parts:
        path = path / part
    return Path(str(path))


def load_yaml(path: Path) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {err}") from err
