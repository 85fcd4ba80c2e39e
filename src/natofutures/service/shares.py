"""Shares of one whole in the service contract: at most one overridden per group, bounded so
the group sums to at most 1 with the posture's values for the others.

The library refuses a scenario whose US allocation shares (``us.allocation.*``, and the initial
ones ``allocation.us_initial.*``) sum to more than 1. A JSON schema cannot state a sum, but it
can state this: one share of a group per request, below ``1 - (the posture's other shares)``
(rounded down to 1e-9). The server enforces exactly that, so ``/openapi.json`` and the server
agree (several shares at once: a scenario file with the CLI or Python API).
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache
from typing import Any

from natofutures.errors import InputError

__all__ = ["SHARE_GROUPS", "check_shares", "share_limits", "shares_schema", "shock_limits"]

THEATRES = ("europe", "indo_pacific", "out_of_area")

SHARE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("us.allocation.europe", "us.allocation.indo_pacific", "us.allocation.out_of_area"),
    (
        "allocation.us_initial.europe",
        "allocation.us_initial.indo_pacific",
        "allocation.us_initial.out_of_area",
    ),
)
DEFAULT_POSTURE = "business_as_usual"


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
                others = sum(float(sc.parameter(o)) for o in group if o != path)  # type: ignore[arg-type]
                room = math.floor((1.0 - others) * 1e9) / 1e9
                limits[path] = max(0.0, min(float(table[path].bounds[1]), room))
        out[name] = limits
    return out


@lru_cache(maxsize=1)
def shock_limits() -> dict[str, dict[str, float]]:
    """``{posture: {theatre: largest us_allocation shock value}}``.

    The other theatres' shares move from their initial to their target value over the
    transition, so at most ``max(initial, target)`` each; the shock's value fits below the rest
    in every year (rounded down to 1e-9).
    """
    import natofutures as nf
    from natofutures.scenario import posture_names

    out: dict[str, dict[str, float]] = {}
    for name in posture_names():
        sc = nf.posture(name)
        peak = {
            t: max(float(sc.parameter(f"allocation.us_initial.{t}")),  # type: ignore[arg-type]
                   float(sc.parameter(f"us.allocation.{t}")))  # type: ignore[arg-type]
            for t in THEATRES
        }
        out[name] = {
            t: max(0.0, min(1.0, math.floor((1.0 - sum(peak[o] for o in THEATRES if o != t))
                                            * 1e9) / 1e9))
            for t in THEATRES
        }
    return out


def check_shares(
    posture: str, overrides: dict[str, Any], where: str,
    shocks: list[dict[str, Any]] | None = None,
) -> None:
    """Refuse what the schema refuses: two shares of a group, or one above its limit; a US
    allocation shock with a share override, in two theatres, or above its theatre's limit."""
    shocks = shocks or []
    alloc = [s for s in shocks if s.get("kind") == "us_allocation"]
    if alloc:
        shares = [p for g in SHARE_GROUPS for p in g if overrides.get(p) is not None]
        if shares:
            raise InputError(
                f"{where}.shocks: a us_allocation shock with an override of {shares[0]} not "
                "allowed; expected one or the other (the shares must sum to at most 1)"
            )
        theatres = sorted({str(s["theatre"]) for s in alloc})
        if len(theatres) > 1:
            raise InputError(
                f"{where}.shocks: us_allocation shocks in {' and '.join(theatres)} not allowed; "
                "expected them all in one theatre (the shares must sum to at most 1)"
            )
        for k, s in enumerate(shocks):
            if s.get("kind") != "us_allocation":
                continue
            limit = shock_limits()[posture][str(s["theatre"])]
            if float(s["value"]) > limit:
                raise InputError(
                    f"{where}.shocks[{k}].value: value {s['value']} not allowed; expected at "
                    f"most {limit} in {s['theatre']} (with posture {posture}'s other shares, "
                    "at most 1 in all)"
                )
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

    def alloc_in(theatre: str | None) -> dict[str, Any]:
        item: dict[str, Any] = {"properties": {"kind": {"const": "us_allocation"}},
                                "required": ["kind"]}
        if theatre is not None:
            item["properties"]["theatre"] = {"const": theatre}
            item["required"] = ["kind", "theatre"]
        return {"properties": {"shocks": {"contains": item}}, "required": ["shocks"]}

    shares = [p for g in SHARE_GROUPS for p in g]
    rules.append({"not": {"allOf": [
        alloc_in(None),
        {"properties": {"overrides": {"anyOf": [
            {"properties": {p: {"type": "number"}}, "required": [p]} for p in shares
        ]}}, "required": ["overrides"]},
    ]}})
    for t1, t2 in itertools.combinations(THEATRES, 2):
        rules.append({"not": {"allOf": [alloc_in(t1), alloc_in(t2)]}})
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
        then = {"properties": {
            "overrides": {"properties": {
                p: {"anyOf": [{"type": "number", "maximum": m}, {"type": "null"}]}
                for p, m in limits.items()
            }},
            "shocks": {"items": {"anyOf": [
                {"not": {"properties": {"kind": {"const": "us_allocation"}}}},
                *[{"properties": {"theatre": {"const": t}, "value": {"maximum": m}}}
                  for t, m in shock_limits()[name].items()],
            ]}},
        }}
        rules.append({"if": cond, "then": then})
    return {"allOf": rules}
