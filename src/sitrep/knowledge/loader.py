"""Reading the data files shipped under `sitrep/data/` (and a user's own, same shape)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

# libyaml's safe loader, where PyYAML was built with it: the shipped data files (the actor dictionary
# alone is 33k nodes) took 3.7 s to read with the pure-Python loader on every run, 0.4 s with this.
SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_file(*parts: str) -> Path:
    """Path of a shipped data file (the package is installed from its source tree or a wheel)."""
    path = resources.files("sitrep") / "data"
    for part in parts:
        path = path / part
    return Path(str(path))


def load_yaml(path: Path) -> Any:
    """A data file's content; the same result as yaml.safe_load, read by libyaml when it is there."""
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML: {err}") from err
