"""Attribution: which mechanism makes a posture differ from business as usual, per criterion.

A posture moves a criterion in two ways. Its levers drive the engine's mechanisms (US
credibility and the deterrence hazard, the allocation of forces, offshore balancing, threat
perception, out-of-area engagement), whose simulated results the criteria read; and some
criteria read a lever *directly* (``framing.ideological`` enters ``partner_strain`` as a
factor). The second path is "set by the posture": an assumption restated, not a result.

The difference ``Δ = v(posture) − v(business as usual)`` of every criterion, in the central
case (no noise, uncertain parameters at their central values, so it is exact and
deterministic), is split by the **Shapley value** over the players

- one player per *mechanism group* of levers the posture changes (:data:`MECHANISMS`); the
  engine runs business as usual with that group's levers set to the posture's values,
- ``set_by_posture``: the criteria read the posture's levers instead of business as usual's,
- ``shocks``: a scenario's dated shocks, when they differ.

``φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))``; the φ sum to Δ
exactly (efficiency). Each coalition of engine players is one central-case engine run (the
engine takes levers as scalars, so coalitions cannot share a call); the criteria are then
evaluated twice on it, with and without the posture's direct settings. A posture with five
groups costs 32 central-case runs. Grouping levers by mechanism keeps ``2^n`` small and the
answer readable.

A criterion whose difference is (almost) all set by the posture is an **assumption**:
:func:`assumptions` flags it when ``|φ_set_by_posture| ≥ ASSUMPTION_SHARE · Σ_i |φ_i|``.

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the Theory of Games
II*, 307–317. Princeton University Press. doi:10.1515/9781400881970-018
Štrumbelj, E. and Kononenko, I. (2014). Explaining prediction models and individual
predictions with feature contributions. *Knowledge and Information Systems* 41, 647–665.
doi:10.1007/s10115-013-0679-x (Shapley values to attribute a model's output to its inputs).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from natofutures.errors import InputError

#: Lever groups by the engine mechanism they drive: (name, path prefixes, what it drives).
MECHANISMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("us_commitment", ("us.guarantee", "us.resolve"),
     "US credibility and the deterrence hazard (credibility, deterrence_hazard)"),
    ("us_allocation", ("us.allocation.", "us.transition_years", "us.forward_presence.",
                       "us.budget_multiplier", "us.solve_ratio.", "us.burden_ceiling"),
     "where US power goes and how much arrives (allocation, projection_loss)"),
    ("european_allocation", ("europe.",), "where European power goes (allocation)"),
    ("offshore_balancing", ("offshore.",), "the US return if Europe's balance erodes "
                                           "(offshore_trigger)"),
    ("framing", ("framing.",), "ideological framing and containment (threat_perception, "
                               "alignment)"),
    ("out_of_area", ("out_of_area.",), "engagement in peripheral crises (hazard out of area)"),
)
SET_BY_POSTURE = "set_by_posture"
SHOCKS = "shocks"
#: Where levers outside the named mechanisms go when they would make too many groups.
OTHER = "other_parameters"
#: Share of the absolute contributions above which a difference counts as an assumption.
#: Judgement (range 0.8–1.0): "all, or nearly all, of it is the posture's own setting".
ASSUMPTION_SHARE = 0.9
#: Differences smaller than this (relative to the criterion's scale span) count as none.
NEGLIGIBLE = 1e-6
#: At most this many players (2^n central-case rows per posture).
MAX_PLAYERS = 10


def lever_groups(changed: Iterable[str], *, shocks: bool = False) -> dict[str, list[str]]:
    """Changed parameter paths grouped by mechanism, at most :data:`MAX_PLAYERS` players.

    Paths outside the named :data:`MECHANISMS` form one group per first path component; if
    that would exceed the limit (with ``shocks`` and ``set_by_posture`` counted), they are
    pooled into one :data:`OTHER` group, so a custom scenario that overrides many unrelated
    parameters still gets an attribution.
    """
    groups: dict[str, list[str]] = {}
    for p in changed:
        groups.setdefault(mechanism_of(p), []).append(p)
    if len(groups) + int(shocks) + 1 <= MAX_PLAYERS:
        return groups
    named = {name for name, _, _ in MECHANISMS}
    pooled: dict[str, list[str]] = {g: ps for g, ps in groups.items() if g in named}
    other = [p for g, ps in groups.items() if g not in named for p in ps]
    if other:
        pooled[OTHER] = other
    return pooled


def mechanism_of(path: str) -> str:
    """The mechanism group of a parameter path (its first component if no group matches)."""
    for name, prefixes, _ in MECHANISMS:
        if any(path == p or (p.endswith(".") and path.startswith(p)) for p in prefixes):
            return name
    return path.split(".", 1)[0]


def shapley(values: np.ndarray, n: int) -> np.ndarray:
    """Shapley values from the value of every coalition.

    ``values[mask]`` is ``v(S)`` for the coalition whose members are the set bits of
    ``mask`` (shape ``(2^n, ...)``); returns ``(n, ...)``, summing to ``v(N) − v(∅)``.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.shape[0] != 1 << n:
        raise InputError(f"values: {v.shape[0]} coalitions are not allowed; expected {1 << n}")
    masks = np.arange(1 << n)
    size = np.array([bin(int(m)).count("1") for m in masks])
    out = np.zeros((n, *v.shape[1:]))
    for i in range(n):
        bit = 1 << i
        without = masks[(masks & bit) == 0]
        s = size[without]
        weight = np.array(
            [math.factorial(int(k)) * math.factorial(n - int(k) - 1) for k in s], dtype=float
        ) / math.factorial(n)
        delta = v[without | bit] - v[without]
        out[i] = np.tensordot(weight, delta, axes=(0, 0))
    return out


@dataclass(frozen=True)
class Attribution:
    """Shapley attribution of one posture's central-case difference from the reference.

    ``players``: mechanism groups (then ``shocks``, ``set_by_posture``); ``contributions``:
    ``(players, criteria)`` in each criterion's unit; ``total``: ``(criteria,)``, their sum;
    ``levers``: the changed parameters of each group.
    """

    posture: str
    reference: str
    criteria: tuple[str, ...]
    players: tuple[str, ...]
    contributions: np.ndarray
    total: np.ndarray
    levers: dict[str, list[str]]

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{criterion: {player: contribution}}`` (``set_by_posture`` always present)."""
        return {
            c: {p: float(self.contributions[i, j]) for i, p in enumerate(self.players)}
            for j, c in enumerate(self.criteria)
        }

    def direct_share(self) -> np.ndarray:
        """Share of each criterion's absolute contributions that is set by the posture."""
        k = self.players.index(SET_BY_POSTURE)
        mag = np.abs(self.contributions).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.abs(self.contributions[k]) / mag
        return np.where(mag > 0, share, 0.0)


def _changed(sc: Any, ref: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parameters whose value differs between ``sc`` and ``ref``: (posture's, reference's)."""
    paths = sorted({*sc.levers, *sc.overrides, *ref.levers, *ref.overrides})
    mine, theirs = {}, {}
    for p in paths:
        a, b = sc.parameter(p), ref.parameter(p)
        if a != b:
            mine[p], theirs[p] = a, b
    return mine, theirs


def attribute(
    sc: Any,
    ref: Any,
    *,
    horizon: int,
    criteria: Sequence[str] | None = None,
) -> Attribution:
    """Shapley attribution of ``sc − ref`` for every simulated criterion (central case)."""
    from natofutures.analysis.compare import NEEDED_VARIABLES
    from natofutures.analysis.criteria import SIMULATED, evaluate
    from natofutures.engine.simulate import simulate

    names = tuple(criteria) if criteria is not None else SIMULATED
    mine, _ = _changed(sc, ref)
    groups = lever_groups(mine, shocks=tuple(sc.shocks) != tuple(ref.shocks))
    engine_players = [*groups, *((SHOCKS,) if tuple(sc.shocks) != tuple(ref.shocks) else ())]
    players = (*engine_players, SET_BY_POSTURE)
    n = len(players)
    if n > MAX_PLAYERS:
        raise InputError(
            f"attribution: {n} mechanism groups are not allowed; expected at most {MAX_PLAYERS}"
        )
    values = np.zeros((1 << n, len(names)))
    direct_bit = 1 << (n - 1)
    for mask in range(1 << (n - 1)):
        on = [g for j, g in enumerate(engine_players) if (mask >> j) & 1]
        overrides = {p: mine[p] for g in on if g != SHOCKS for p in groups[g]}
        base = ref.with_overrides(overrides) if overrides else ref
        if SHOCKS in on:
            base = base.model_copy(update={"shocks": sc.shocks})
        ds = simulate(base, draws=0, seed=0, horizon=horizon, variables=NEEDED_VARIABLES)
        values[mask] = evaluate(ds, ref)[list(names)].to_numpy()[0]
        values[mask | direct_bit] = evaluate(ds, sc)[list(names)].to_numpy()[0]
    phi = shapley(values, n)
    return Attribution(
        posture=sc.name,
        reference=ref.name,
        criteria=names,
        players=players,
        contributions=phi,
        total=values[(1 << n) - 1] - values[0],
        levers=groups,
    )


def attribute_all(
    scenarios: Sequence[Any], *, horizon: int, reference: str = "business_as_usual"
) -> dict[str, Attribution]:
    """Attribution of every scenario but the reference (built-in if not among them)."""
    from natofutures.scenario import posture

    by_name = {s.name: s for s in scenarios}
    ref = by_name.get(reference) or posture(reference)
    return {
        s.name: attribute(s, ref, horizon=horizon)
        for s in scenarios
        if s.name != ref.name
    }


def to_json(attributions: dict[str, Attribution]) -> dict[str, dict[str, dict[str, float]]]:
    """``{criterion: {posture: {"set_by_posture": x, "<mechanism>": y, ...}}}``."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for posture, att in attributions.items():
        for criterion, parts in att.as_dict().items():
            out.setdefault(criterion, {})[posture] = parts
    return out


def assumptions(
    attributions: dict[str, Attribution], spans: dict[str, float] | None = None
) -> dict[str, list[str]]:
    """``{criterion: [postures]}`` where the difference from the reference is set by the posture.

    A (criterion, posture) is flagged when the difference is not negligible (relative to the
    criterion's scale span ``spans[c]``, default 1) and ``set_by_posture`` carries at least
    :data:`ASSUMPTION_SHARE` of the absolute contributions.
    """
    out: dict[str, list[str]] = {}
    for posture, att in attributions.items():
        share = att.direct_share()
        mag = np.abs(att.contributions).sum(axis=0)
        for j, c in enumerate(att.criteria):
            span = (spans or {}).get(c, 1.0)
            if mag[j] > NEGLIGIBLE * span and share[j] >= ASSUMPTION_SHARE:
                out.setdefault(c, []).append(posture)
    return out
