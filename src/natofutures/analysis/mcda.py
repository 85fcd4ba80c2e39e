"""Multi-criteria decision analysis: value functions on fixed scales, weighted sum, TOPSIS.

Every function works on a *decision matrix* ``x`` of shape ``(..., alternatives, criteria)``:
the trailing two axes are one matrix, any leading axes (Monte Carlo draws, SMAA samples) are
broadcast, so a million matrices are scored in one vectorised call. ``scales`` has shape
``(2, criteria)``: row 0 the *worst* anchor, row 1 the *best* anchor of each criterion's
interval scale (``parameters/value_scales.yaml``, :func:`value_scales`); a criterion where
lower is better simply has ``best < worst``. ``weights`` has shape ``(..., criteria)``, is
non-negative and is normalised to sum to 1 here; with fixed anchors they are *swing weights*.

The partial value ``v = (x − worst) / (best − worst)`` does not depend on which other
alternatives are compared (unlike min–max scaling across them), so dropping an alternative
never changes another's score, and a change of units that moves the anchors with the data
(percent instead of fraction) leaves every score unchanged. The tests check both.

References
----------
Hwang, C.-L. and Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
Applications*. Springer. doi:10.1007/978-3-642-48318-9 (TOPSIS).
Belton, V. and Stewart, T. (2002). *Multiple Criteria Decision Analysis: An Integrated
Approach*. Springer. doi:10.1007/978-1-4615-1495-4 (value functions, weighted sum).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natofutures.errors import InputError
from natofutures.parameters import load_yaml

FloatArray = NDArray[np.float64]
Method = Literal["weighted_sum", "topsis"]
METHODS: tuple[Method, ...] = ("weighted_sum", "topsis")

_TINY = 1e-300


def _as_matrix(x: ArrayLike) -> FloatArray:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim < 2:
        raise InputError(
            f"decision matrix: shape {arr.shape} is not allowed; expected "
            "(..., alternatives, criteria)"
        )
    if not np.all(np.isfinite(arr)):
        raise InputError("decision matrix: contains NaN or infinite values; expected finite")
    return arr


def _as_directions(directions: ArrayLike, n_criteria: int) -> FloatArray:
    d = np.asarray(directions, dtype=np.float64)
    if d.shape != (n_criteria,) or not np.all(np.isin(d, (-1.0, 1.0))):
        raise InputError(
            f"directions: {d.tolist()!r} is not allowed; expected {n_criteria} values of +1 "
            "(higher is better) or -1 (lower is better)"
        )
    return d


def normalise_weights(weights: ArrayLike) -> FloatArray:
    """Scale non-negative weights to sum to 1 along the last axis.

    Raises :class:`InputError` for negative, non-finite or all-zero weights.
    """
    w = np.asarray(weights, dtype=np.float64)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InputError(f"weights: {w.tolist()!r} is not allowed; expected finite values >= 0")
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise InputError("weights: they sum to 0; expected at least one positive weight")
    return w / total


@dataclass(frozen=True)
class ValueScale:
    """The fixed interval scale of one criterion: value 0 at ``worst``, 1 at ``best``."""

    criterion: str
    worst: float
    best: float
    unit: str
    anchor: str
    source: str
    judgement: bool
    per_year: bool = False
    range: tuple[float, float] | None = None
    #: which anchor the judgement ``range`` is about: ``"worst"`` or ``"best"``
    range_of: str = "worst"

    def anchors(self, years: int = 1) -> tuple[float, float]:
        """``(worst, best)`` in the criterion's unit; per-year anchors times ``years``."""
        k = float(years) if self.per_year else 1.0
        return self.worst * k, self.best * k


@lru_cache(maxsize=1)
def value_scales() -> dict[str, ValueScale]:
    """The bundled scales of every criterion (``parameters/value_scales.yaml``)."""
    raw = load_yaml("value_scales.yaml")
    out: dict[str, ValueScale] = {}
    for name, spec in raw.items():
        worst, best = float(spec["worst"]), float(spec["best"])
        if not (math.isfinite(worst) and math.isfinite(best)) or worst == best:
            raise InputError(
                f"value_scales.yaml: {name}: worst {worst!r} and best {best!r} are not "
                "allowed; expected two different finite numbers"
            )
        rng = spec.get("range")
        out[str(name)] = ValueScale(
            criterion=str(name),
            worst=worst,
            best=best,
            unit=str(spec["unit"]),
            anchor=" ".join(str(spec.get("anchor", "")).split()),
            source=str(spec.get("source", "")),
            judgement=bool(spec.get("judgement", False)),
            per_year=bool(spec.get("per_year", False)),
            range=(float(rng[0]), float(rng[1])) if rng else None,
            range_of=str(spec.get("range_of", "worst")),
        )
        if out[str(name)].range_of not in ("worst", "best"):
            raise InputError(
                f"value_scales.yaml: {name}: range_of {spec.get('range_of')!r} is not "
                "allowed; expected worst or best"
            )
    return out


def scale_matrix(criteria: Sequence[str], years: int = 1) -> FloatArray:
    """``(2, criteria)`` array of worst and best anchors for ``criteria`` over ``years``."""
    scales = value_scales()
    missing = [c for c in criteria if c not in scales]
    if missing:
        raise InputError(
            f"criteria: {', '.join(missing)} have no value scale; expected one of "
            f"{', '.join(scales)} (parameters/value_scales.yaml)"
        )
    return np.array([scales[c].anchors(years) for c in criteria], dtype=np.float64).T


def _as_scales(scales: ArrayLike, n_criteria: int) -> FloatArray:
    s = np.asarray(scales, dtype=np.float64)
    if s.shape != (2, n_criteria) or not np.all(np.isfinite(s)) or np.any(s[0] == s[1]):
        raise InputError(
            f"scales: shape {s.shape} is not allowed; expected (2, {n_criteria}) finite "
            "worst/best anchors with worst != best"
        )
    return s


def interval_value(x: ArrayLike, scales: ArrayLike) -> FloatArray:
    """Linear partial value on fixed anchors: ``(x − worst) / (best − worst)``.

    0 at the worst anchor, 1 at the best; not clipped (a value beyond an anchor extrapolates),
    so the scale stays an interval scale. Independent of the other alternatives.
    """
    m = _as_matrix(x)
    s = _as_scales(scales, m.shape[-1])
    return (m - s[0]) / (s[1] - s[0])


def minmax_value(x: ArrayLike, directions: ArrayLike) -> FloatArray:
    """Linear partial value in [0, 1] *across the alternatives* (reference only).

    Not used for rankings: it depends on which alternatives are compared and turns importance
    weights into swing weights over whatever range the alternatives happen to span (issue
    #16). Kept for tests and for users who ask for it explicitly.

    ``v = (x − min) / (max − min)`` for a benefit criterion, ``(max − x) / (max − min)`` for
    a cost criterion. A criterion on which all alternatives tie gets 0.5 for every one, so it
    cannot change a ranking. Invariant to any positive affine change of units.
    """
    m = _as_matrix(x)
    d = _as_directions(directions, m.shape[-1])
    lo = m.min(axis=-2, keepdims=True)
    hi = m.max(axis=-2, keepdims=True)
    span = hi - lo
    # relative tolerance, so that a change of units cannot turn a tie into a difference
    tied = span <= 1e-12 * np.maximum(np.abs(hi), np.abs(lo))
    benefit = (m - lo) / np.where(tied, 1.0, span)
    value = np.where(d > 0, benefit, 1.0 - benefit)
    return np.where(tied, 0.5, value)


def weighted_sum(x: ArrayLike, weights: ArrayLike, scales: ArrayLike) -> FloatArray:
    """Additive value ``Σ_c w_c · v_c(x)`` with partial values on the fixed ``scales``.

    Returns shape ``(..., alternatives)``: 0 if every criterion sits at its worst anchor, 1 at
    its best. Higher is better.
    """
    v = interval_value(x, scales)
    w = normalise_weights(weights)
    return np.einsum("...ac,...c->...a", v, w)


def topsis_fixed(v: FloatArray, weights: FloatArray) -> FloatArray:
    """TOPSIS closeness from partial values ``v`` with fixed ideal (all 1) and anti-ideal (0).

    ``d± = sqrt(Σ_c w_c² (v_c − ideal±_c)²)``; closeness ``d− / (d+ + d−)``.
    """
    wv = weights[..., np.newaxis, :]
    d_plus = np.sqrt(np.square(wv * (v - 1.0)).sum(axis=-1))
    d_minus = np.sqrt(np.square(wv * v).sum(axis=-1))
    total = d_plus + d_minus
    return np.where(total > 0, d_minus / np.maximum(total, _TINY), 0.5)


def topsis(x: ArrayLike, weights: ArrayLike, scales: ArrayLike) -> FloatArray:
    """TOPSIS closeness to fixed reference points, in [0, 1] inside the anchors. Higher is better.

    Partial values on the fixed ``scales``, weighting, and Euclidean distances to the *fixed*
    ideal (every criterion at its best anchor) and anti-ideal (every criterion at its worst):
    the absolute-reference variant of TOPSIS (Hwang and Yoon 1981), which, unlike the
    textbook version with ideals taken from the alternatives, does not change when an
    alternative is added or dropped. Returns shape ``(..., alternatives)``.
    """
    v = interval_value(x, scales)
    w = normalise_weights(weights)
    return topsis_fixed(v, w)


def score(x: ArrayLike, weights: ArrayLike, scales: ArrayLike, method: Method) -> FloatArray:
    """Score alternatives with ``method`` (``"weighted_sum"`` or ``"topsis"``)."""
    if method == "weighted_sum":
        return weighted_sum(x, weights, scales)
    if method == "topsis":
        return topsis(x, weights, scales)
    raise InputError(f"method: {method!r} is not allowed; expected one of {', '.join(METHODS)}")


def rank(scores: ArrayLike) -> NDArray[np.int64]:
    """Ranks (1 = best) from scores along the last axis; higher score ranks better.

    Ties are broken by the alternatives' order (the first listed ranks better), which keeps
    ranks a permutation so that rank-acceptability rows sum to 1.
    """
    s = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-s, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    positions = np.broadcast_to(np.arange(1, s.shape[-1] + 1), s.shape)
    np.put_along_axis(ranks, order, positions, axis=-1)
    return ranks.astype(np.int64)
