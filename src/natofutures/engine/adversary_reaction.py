"""Russia's and China's budgets reacting to NATO's (issue #15 item 3; methodology §13).

With the lever ``reaction.enabled`` on, the engine replaces the exogenous budget paths of the
adversaries in :data:`ADVERSARIES` by the error-correction model that ``natofutures calibrate
reaction`` fits on SIPRI/COW 1950-1999 (:mod:`natofutures.analysis.reaction`,
``parameters/reaction_calibration.yaml``), in logs of spending ``m``, US spending ``u``,
European NATO spending ``e`` and own GDP ``y``:

``Δm_t = α + λ·m_{t−1} + φ_US·u_{t−1} + φ_EU·e_{t−1} + φ_Y·y_{t−1}
         + β_US·Δu_{t−1} + β_EU·Δe_{t−1} + β_Y·Δy_t``

where ``u``, ``e`` and ``y`` are the ones simulated in the same draw. Per Monte Carlo draw the
seven slopes are drawn from their sampling distribution (a multivariate normal with the fit's
HAC covariance, through its Cholesky factor), ``λ`` capped at 0 (a positive
``λ`` is a budget running away from its own equilibrium, outside the model). The intercept
``α`` is re-anchored per draw at t0 (:func:`anchored_const`): with NATO's spending and own GDP
held at their t0 values and no changes, the budget stays at its t0 value, so the central path
starts where the data end and moves only with NATO's spending and the adversary's GDP. The
pre-t0 changes ``Δu``, ``Δe`` are taken as 0 (flat history), consistent with that anchor.
Spending shocks multiply the reacted budget of each year on top (not carried into its lag).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: adversaries whose budgets react (ISO3, in this order in the kernel's arrays)
ADVERSARIES: tuple[str, ...] = ("RUS", "CHN")
#: the slopes drawn per draw, in the order of the kernel's coefficient columns 1..7
SLOPES: tuple[str, ...] = (
    "lambda_own",
    "phi_us",
    "phi_europe",
    "phi_gdp",
    "beta_us",
    "beta_europe",
    "beta_gdp",
)
#: columns of the coefficient array: the anchored intercept, then :data:`SLOPES`
N_COEF = 1 + len(SLOPES)


@lru_cache(maxsize=1)
def calibration() -> dict[str, Any]:
    """The fitted coefficients, standard errors and covariance of ``reaction_calibration.yaml``."""
    from natofutures.parameters import load_yaml

    raw = load_yaml("reaction_calibration.yaml")
    return {iso: raw["adversaries"][iso] for iso in ADVERSARIES}


def slope_covariance(iso: str) -> Array:
    """(slope, slope) HAC covariance of :data:`SLOPES` for adversary ``iso`` from the fit.

    The block of the fit's full coefficient covariance (intercept and dummy left out: the
    intercept is re-anchored at t0); its diagonal is the squared standard errors.
    """
    cov = calibration()[iso]["covariance"]
    idx = [cov["terms"].index(s) for s in SLOPES]
    full = np.asarray(cov["matrix"], dtype=float)
    return full[np.ix_(idx, idx)]


@lru_cache(maxsize=1)
def _cholesky() -> Array:
    """(adversary, slope, slope) lower Cholesky factors of :func:`slope_covariance`."""
    return np.stack([np.linalg.cholesky(slope_covariance(a)) for a in ADVERSARIES])


def slope_draws(z: Array | None, n: int) -> Array:
    """(n, adversary, slope) coefficients: the fitted values (``z`` None) or value + L·z.

    ``z``: (n, adversaries · slopes) independent standard normals; ``L`` is the Cholesky
    factor of the fit's slope covariance, so the drawn slopes keep the fit's correlations
    (e.g. the long-run responses to Europe's spending and to own GDP, about −0.85 in both
    fits). ``λ`` is capped at 0.
    """
    cal = calibration()
    value = np.array([[cal[a]["coefficients"][s] for s in SLOPES] for a in ADVERSARIES])
    if z is None:
        out = np.broadcast_to(value, (n, *value.shape)).copy()
    else:
        zz = z.reshape(n, len(ADVERSARIES), len(SLOPES))
        out = value[None] + np.einsum("ast,nat->nas", _cholesky(), zz)
    out[:, :, 0] = np.minimum(out[:, :, 0], 0.0)
    return out


@equation
def equilibrium_gap(lam: Any, phi_us: Any, phi_eu: Any, phi_y: Any, m: Any, u: Any, e: Any,
                    y: Any) -> Any:  # fmt: skip
    """``λ·m + φ_US·u + φ_EU·e + φ_Y·y`` in logs: the error-correction term without α."""
    return lam * np.log(m) + phi_us * np.log(u) + phi_eu * np.log(e) + phi_y * np.log(y)


def anchored_const(slopes: Array, m0: Array, u0: float, e0: float, y0: Array) -> Array:
    """(n, adversary) intercepts α with Δm = 0 when every level stays at t0 and nothing changes.

    ``slopes`` (n, adversary, slope); ``m0``, ``y0`` (adversary,) spending and GDP at t0;
    ``u0``, ``e0`` US and European NATO spending at t0 (any consistent money units).
    """
    return -equilibrium_gap(
        slopes[:, :, 0], slopes[:, :, 1], slopes[:, :, 2], slopes[:, :, 3],
        m0[None, :], u0, e0, y0[None, :],
    )  # fmt: skip


def coefficients(z: Array | None, n: int, m0: Array, u0: float, e0: float, y0: Array) -> Array:
    """(n, adversary, :data:`N_COEF`) per-draw coefficients: anchored α, then the slopes."""
    slopes = slope_draws(z, n)
    out = np.empty((n, len(ADVERSARIES), N_COEF))
    out[:, :, 0] = anchored_const(slopes, m0, u0, e0, y0)
    out[:, :, 1:] = slopes
    return out


@equation
def budget_step(
    alpha: Any, lam: Any, phi_us: Any, phi_eu: Any, phi_y: Any, beta_us: Any, beta_eu: Any,
    beta_y: Any, m_prev: Any, us_prev: Any, us_prev2: Any, eu_prev: Any, eu_prev2: Any,
    gdp: Any, gdp_prev: Any,
) -> Any:  # fmt: skip
    """Adversary spending in year t from year t−1's (the error-correction step; money units
    as the inputs', with α anchored in them). ``*_prev2`` are NATO's in t−2; ``gdp`` is the
    adversary's GDP in t."""
    lm = np.log(m_prev)
    lu = np.log(us_prev)
    le = np.log(eu_prev)
    ly = np.log(gdp_prev)
    dm = (
        alpha
        + lam * lm
        + phi_us * lu
        + phi_eu * le
        + phi_y * ly
        + beta_us * (lu - np.log(us_prev2))
        + beta_eu * (le - np.log(eu_prev2))
        + beta_y * (np.log(gdp) - ly)
    )
    return np.exp(lm + dm)
