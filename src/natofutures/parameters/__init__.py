"""Parameter files shipped with the package: defaults, postures, perspectives, pledges, scenarios.

The YAML files are the single source of every number the model uses that is not data. Each
entry carries ``value``, ``unit``, ``range`` (or ``distribution``) and ``source``; judgement
values say so in ``source`` and give the reasoning.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from natofutures.errors import DataError

PACKAGE_DIR = Path(str(resources.files(__name__)))


def load_yaml(relative: str) -> Any:
    """Safe-load one bundled parameter file, e.g. ``load_yaml("pledges.yaml")``."""
    path = PACKAGE_DIR / relative
    if not path.is_file():
        raise DataError(f"parameter file {relative!r} is not bundled (looked in {PACKAGE_DIR})")
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def list_names(folder: str) -> list[str]:
    """Names (file stems) of the YAML files in a bundled parameter folder, sorted."""
    return sorted(p.stem for p in (PACKAGE_DIR / folder).glob("*.yaml"))
