"""Multi-criteria decision analysis: normalisation, weighted sum and TOPSIS.

Every function works on a *decision matrix* ``x`` of shape ``(..., alternatives, criteria)``:
the trailing two axes are one matrix, any leading axes (Monte Carlo draws, SMAA samples) are
broadcast, so a million matrices are scored in one vectorised call. ``directions`` holds
``+1`` for a criterion where higher is better and ``-1`` where lower is better (MODEL.md
section 4); ``weights`` has shape ``(..., criteria)``, is non-negative and is normalised to
sum to 1 here.

Both methods are invariant to a positive rescaling of any criterion (a change of units:
percent instead of fraction, trillions instead of billions), which the tests check.

References
----------
Hwang, C.-L. and Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
Applications*. Springer. doi:10.1007/978-3-642-48318-9 (TOPSIS).
Belton, V. and Stewart, T. (2002). *Multiple Criteria Decision Analysis: An Integrated
Approach*. Springer. doi:10.1007/978-1-4615-1495-4 (value functions, weighted sum).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from natofutures.errors import InputError

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


def minmax_value(x: ArrayLike, directions: ArrayLike) -> FloatArray:
    """Linear partial value in [0, 1] across the alternatives: 1 for the best, 0 the worst.

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


def vector_normalise(x: ArrayLike) -> FloatArray:
    """Euclidean (vector) normalisation down each criterion column, as TOPSIS uses.

    ``r_ij = x_ij / sqrt(Σ_i x_ij²)``; an all-zero column stays zero. Invariant to a positive
    rescaling of a criterion (not to a shift, which is why criteria are defined on
    non-negative scales).
    """
    m = _as_matrix(x)
    norm = np.sqrt(np.einsum("...ac,...ac->...c", m, m))[..., np.newaxis, :]
    return m / np.maximum(norm, _TINY)


def weighted_sum(x: ArrayLike, weights: ArrayLike, directions: ArrayLike) -> FloatArray:
    """Additive value: ``Σ_c w_c · v_c(x)`` with min–max partial values. Higher is better.

    Returns an array of shape ``(..., alternatives)`` in [0, 1].
    """
    v = minmax_value(x, directions)
    w = normalise_weights(weights)
    return np.einsum("...ac,...c->...a", v, w)


def topsis_from_normalised(
    r: FloatArray, weights: FloatArray, directions: FloatArray
) -> FloatArray:
    """TOPSIS closeness from an already vector-normalised matrix (the SMAA hot path)."""
    v = r * weights[..., np.newaxis, :]
    hi = v.max(axis=-2, keepdims=True)
    lo = v.min(axis=-2, keepdims=True)
    ideal = np.where(directions > 0, hi, lo)
    anti = np.where(directions > 0, lo, hi)
    d_plus = np.sqrt(np.square(v - ideal).sum(axis=-1))
    d_minus = np.sqrt(np.square(v - anti).sum(axis=-1))
    total = d_plus + d_minus
    # All alternatives identical on every weighted criterion: a tie at 0.5.
    return np.where(total > 0, d_minus / np.maximum(total, _TINY), 0.5)


def topsis(x: ArrayLike, weights: ArrayLike, directions: ArrayLike) -> FloatArray:
    """TOPSIS relative closeness to the ideal solution, in [0, 1]. Higher is better.

    Vector normalisation, weighting, positive ideal (best value per criterion) and negative
    ideal (worst), Euclidean distances ``d+`` and ``d−``; closeness ``d− / (d+ + d−)``
    (Hwang and Yoon 1981). Returns shape ``(..., alternatives)``.
    """
    m = _as_matrix(x)
    d = _as_directions(directions, m.shape[-1])
    w = normalise_weights(weights)
    return topsis_from_normalised(vector_normalise(m), w, d)


def score(x: ArrayLike, weights: ArrayLike, directions: ArrayLike, method: Method) -> FloatArray:
    """Score alternatives with ``method`` (``"weighted_sum"`` or ``"topsis"``)."""
    if method == "weighted_sum":
        return weighted_sum(x, weights, directions)
    if method == "topsis":
        return topsis(x, weights, directions)
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
