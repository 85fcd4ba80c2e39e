"""Shares of one whole in the service contract: at most one overridden per group, bounded so
the group sums to at most 1 with the posture's values for the others.

The library refuses a scenario whose US allocation shares (``us.allocation.*``, and the initial
ones ``allocation.us_initial.*``) sum to more than 1. A JSON schema cannot state a sum, but it
can state this: one share of a group per request, below ``1 - (the posture's other shares)``
(rounded down to 1e-9). The server enforces exactly that, so ``/openapi.json`` and the server
agree (several shares at once: a scenario file with the CLI or Python API). For the same
reason the service takes no ``us_allocation`` shocks (a dated share that must fit below the
others in every year): :data:`natofutures.service.models.ShockIn`.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import Any

from natofutures.errors import InputError

__all__ = ["SHARE_GROUPS", "check_shares", "share_limits", "shares_schema"]

SHARE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("us.allocation.europe", "us.allocation.indo_pacific", "us.allocation.out_of_area"),
    (
        "allocation.us_initial.europe",
        "allocation.us_initial.indo_pacific",
        "allocation.us_initial.out_of_area",
    ),
)
DEFAULT_POSTURE = "business_as_usual"


def _scalar(value: float | dict[int, float]) -> float:
    if isinstance(value, dict):
        raise TypeError("a share of one whole is a scalar parameter")
    return float(value)


@lru_cache(maxsize=1)
def share_limits() -> dict[str, dict[str, float]]:
    """``{posture: {share path: largest value}}`` for one overridden share of each group."""
    import natofutures as nf
    from natofutures.scenario import parameter_table, posture_names

    table = parameter_table()
    out: dict[str, dict[str, float]] = {}
    for name in posture_names():
        sc = nf.posture(name)
        limits: dict[str, float] = {}
        for group in SHARE_GROUPS:
            for path in group:
                others = sum(_scalar(sc.parameter(o)) for o in group if o != path)
                room = math.floor((1.0 - others) * 1e9) / 1e9
                limits[path] = max(0.0, min(float(table[path].bounds[1]), room))
        out[name] = limits
    return out


def check_shares(posture: str, overrides: dict[str, Any], where: str) -> None:
    """Refuse what the schema refuses: two shares of a group, or one above its limit."""
    for group in SHARE_GROUPS:
        given = [p for p in group if overrides.get(p) is not None]
        if len(given) > 1:
            raise InputError(
                f"{where}.overrides: {' and '.join(given)} given together not allowed; expected "
                "at most one share of a group per request (they must sum to at most 1)"
            )
        for path in given:
            limit = share_limits()[posture][path]
            if float(overrides[path]) > limit:
                raise InputError(
                    f"{where}.overrides.{path}: value {overrides[path]} not allowed; expected at "
                    f"most {limit} (with posture {posture}'s other shares, at most 1 in all)"
                )


def shares_schema() -> dict[str, Any]:
    """JSON-schema keywords for ``ScenarioIn``: the two rules above."""
    rules: list[dict[str, Any]] = []

    for group in SHARE_GROUPS:
        for a, b in itertools.combinations(group, 2):
            rules.append({
                "not": {"properties": {"overrides": {"required": [a, b],
                        "properties": {a: {"type": "number"}, b: {"type": "number"}}}},
                        "required": ["overrides"]}
            })
    for name, limits in share_limits().items():
        cond: dict[str, Any] = (
            {"anyOf": [{"required": ["posture"], "properties": {"posture": {"const": name}}},
                       {"not": {"required": ["posture"]}}]}
            if name == DEFAULT_POSTURE
            else {"required": ["posture"], "properties": {"posture": {"const": name}}}
        )
        then = {"properties": {"overrides": {"properties": {
            p: {"anyOf": [{"type": "number", "maximum": m}, {"type": "null"}]}
            for p, m in limits.items()
        }}}}
        rules.append({"if": cond, "then": then})
    return {"allOf": rules}
