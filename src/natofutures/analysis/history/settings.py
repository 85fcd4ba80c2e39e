"""Values of ``parameters/history.yaml`` (each with value, unit, range and source there)."""

from __future__ import annotations

from functools import cache
from typing import Any

from natofutures.errors import ScenarioError, not_allowed
from natofutures.parameters import load_yaml


@cache
def _parameters() -> dict[str, Any]:
    raw = load_yaml("history.yaml")
    for name, entry in raw.items():
        if not isinstance(entry, dict) or not {"value", "unit", "source"} <= set(entry):
            raise ScenarioError(f"history.yaml: {name!r} needs value, unit and source")
    return {name: entry["value"] for name, entry in raw.items()}


def parameter(name: str) -> Any:
    """One value from ``parameters/history.yaml`` (e.g. ``parameter("gdp_growth")``)."""
    params = _parameters()
    if name not in params:
        raise not_allowed("parameter", name, "one of " + ", ".join(params))
    return params[name]
