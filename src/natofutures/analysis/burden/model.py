"""The burden model: a dynamic panel of the demand for military expenditure, partially pooled.

One step, for ally i from budget year t to t+1 (burdens as fractions of GDP):

    b[i,t+1] = b[i,t] + a_i − λ·b[i,t] + β_T·T[i,t] + θ_Y·b[i,t]·g[i,t+1]
               + β_US·b_US[t] + β_S·S[i,t] + β_M·M[i,t] + ρ·gap[i,t+1] (+ β_ΔT·ΔT[i,t]) + ε

- ``T`` threat (engine index, USSR included), ``g`` real GDP growth (income: θ_Y = −1 means
  spending ignores GDP, 0 means spending moves with GDP), ``b_US`` the US burden (spill-in from
  the US), ``S`` the allies' distance-weighted burden (spill-in from allies), ``M`` US troops per
  host (log(1 + per 1,000 inhabitants)), ``gap = max(0, L[t+1] − b) + max(0, b·((1+aim)/e^g − 1))``
  the gap to the level pledge in force and to the 1978 real-growth aim (gap-closing pledges).
  Free riding is a NEGATIVE response to spill-ins (β_US, β_S) and to US presence (β_M)
  (Murdoch and Sandler 1984; George and Sandler 2018; Plümper and Neumayer 2015).
- ``ΔT`` the surge term (year-on-year change in threat), included only if the frozen
  specification says so (:data:`SPEC`).
- ``a_i`` ally intercepts, partially pooled: a_i ~ N(α, τ²) (random intercepts).

Estimator: maximum likelihood of the random-intercept linear model (a Gaussian mixed model,
the empirical-Bayes equivalent of a hierarchical model with flat priors on the common
coefficients): for a variance ratio γ = τ²/σ² the GLS fit is OLS on quasi-demeaned data
(y − θ_i·ȳ_i with θ_i = 1 − (1 + n_i·γ)^(−1/2)); γ maximises the profile likelihood
(:func:`scipy.optimize.minimize_scalar`). The ally effects are the BLUPs (shrunk towards α).
The sampling distribution of the common coefficients is normal with the cluster-robust (by
ally, CR1) covariance, because one ally's residuals are serially correlated.
References: Laird and Ware (1982) Biometrics 38(4); Baltagi (2021) Econometric Analysis of
Panel Data, ch. 2 and 8; Cameron and Miller (2015) J. Human Resources 50(2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natofutures.analysis.burden.data import Array, Panel, spill_in
from natofutures.errors import InputError

#: the specification frozen on data up to 2005 (docs/validation.md, "frozen specification")
SPEC: dict[str, bool] = {"surge": False}
#: common coefficients: name -> (symbol, meaning, unit)
TERMS: dict[str, tuple[str, str, str]] = {
    "adjustment": ("λ", "adjustment speed (−coefficient on b)", "1/yr"),
    "threat": ("β_T", "threat", "burden per unit of threat index per yr"),
    "income": ("θ_Y", "b·GDP growth (−1: spending ignores GDP)", "1"),
    "us_spill": ("β_US", "US burden (spill-in from the US)", "burden per unit of US burden"),
    "ally_spill": ("β_S", "allies' weighted burden (spill-in)", "burden per unit of burden"),
    "us_troops": ("β_M", "US troops per host, log(1 + per 1,000)", "burden per log unit"),
    "pledge_gap": ("ρ", "gap to the pledge in force, closed per year", "1/yr"),
    "surge": ("β_ΔT", "change of threat (surge)", "burden per unit of threat change"),
}
EXPECTED_FREE_RIDING = ("us_spill", "ally_spill", "us_troops")
MIN_YEARS = 10
FLOOR = 0.0


def terms(spec: Mapping[str, bool] | None = None) -> list[str]:
    s = SPEC if spec is None else spec
    return [k for k in TERMS if k != "surge" or s.get("surge", False)]


# --------------------------------------------------------------------------- one step
def pledge_gap(b: Array, level: Array | float, aim: Array | float, growth: Array) -> Array:
    """Gap to the pledge in force: max(0, L − b) + max(0, b·((1 + aim)·e^(−g) − 1)).

    The second part is the burden needed to grow spending by ``aim`` in real terms when GDP
    grows by ``g`` (the 1978 3% aim), zero when no growth aim is in force.
    """
    lev = np.maximum(np.asarray(level) - b, 0.0) * (np.asarray(level) > 0)
    grow = np.maximum(b * ((1.0 + np.asarray(aim)) * np.exp(-growth) - 1.0), 0.0)
    return np.asarray(lev + np.where(np.asarray(aim) > 0, grow, 0.0), dtype=float)


def burden_step(
    state: Array,
    drivers: Mapping[str, Array | float],
    coefficients: Mapping[str, Array | float],
    shock: Array | float = 0.0,
) -> Array:
    """Next year's burden for every ally (and draw): the model's one-step equation.

    ``state`` b[t] (..., ally). ``drivers``: ``threat`` T[t], ``growth`` g[t+1], ``us_burden``
    b_US[t], ``spill`` S[t] (or omit it and pass ``gdp`` Y[t] and ``weights`` to compute it
    from ``state``), ``troops`` M[t], ``pledge_level`` L[t+1], ``growth_aim`` aim[t+1],
    optional ``threat_change`` ΔT[t]. ``coefficients``: ``intercept`` a_i (..., ally) and the
    :data:`TERMS` (scalars or (..., 1)); missing terms count as 0. ``shock`` ε (fraction of
    GDP). Returns b[t+1] ≥ 0, same shape as ``state``. Pure and vectorised.
    """
    b = np.asarray(state, dtype=float)
    d = drivers
    spill = (
        d["spill"] if "spill" in d else spill_in(b, np.asarray(d["gdp"]), np.asarray(d["weights"]))
    )
    g = np.asarray(d["growth"], dtype=float)
    x = {
        "adjustment": -b,
        "threat": d["threat"],
        "income": b * g,
        "us_spill": d["us_burden"],
        "ally_spill": spill,
        "us_troops": d["troops"],
        "pledge_gap": pledge_gap(b, d["pledge_level"], d["growth_aim"], g),
        "surge": d.get("threat_change", 0.0),
    }
    change = np.asarray(coefficients.get("intercept", 0.0), dtype=float) + shock
    for k, v in x.items():
        if k in coefficients:
            change = change + np.asarray(coefficients[k]) * np.asarray(v)
    return np.asarray(np.maximum(b + change, FLOOR), dtype=float)


# --------------------------------------------------------------------------- design
@dataclass(frozen=True, eq=False)
class Design:
    y: Array  # Δb[t+1]
    x: Array  # (obs, term)
    group: NDArray[np.int64]  # ally index
    year: NDArray[np.int64]  # t+1
    names: tuple[str, ...]
    level: Array  # b[t]


def drivers_at(p: Panel, burden: Array, r: int, spill: Array) -> dict[str, Array]:
    """Drivers of the step from row r to r+1 (as-known exogenous series)."""
    return {
        "threat": p.threat[r],
        "growth": p.growth[r + 1],
        "us_burden": np.full(len(p.iso3), p.us_burden[r]),
        "spill": spill[r],
        "troops": p.troops[r],
        "pledge_level": np.full(len(p.iso3), p.pledge_level[r + 1]),
        "growth_aim": np.full(len(p.iso3), p.growth_aim[r + 1]),
        "threat_change": p.threat[r] - p.threat[max(r - 1, 0)],
    }


def design(
    p: Panel,
    first: int,
    last: int,
    burden: Array | None = None,
    spec: Mapping[str, bool] | None = None,
) -> Design:
    """Ally-years with b[t] and b[t+1] observed, first ≤ t < t+1 ≤ last (nothing after last)."""
    b = p.burden if burden is None else burden
    keep_rows = p.years <= last
    b = np.where(keep_rows[:, None], b, np.nan)  # nothing after ``last`` can enter
    spill = spill_in(b, p.gdp, p.weights)
    names = tuple(terms(spec))
    r0, r1 = p.row(first), p.row(last)
    ys, xs, gs, yrs, lv = [], [], [], [], []
    for r in range(r0, r1):
        d = drivers_at(p, b, r, spill)
        bt, bn = b[r], b[r + 1]
        x = {
            "adjustment": -bt,
            "threat": d["threat"],
            "income": bt * d["growth"],
            "us_spill": d["us_burden"],
            "ally_spill": d["spill"],
            "us_troops": d["troops"],
            "pledge_gap": pledge_gap(bt, d["pledge_level"], d["growth_aim"], d["growth"]),
            "surge": d["threat_change"],
        }
        mat = np.column_stack([x[k] for k in names])
        ok = np.isfinite(bt) & np.isfinite(bn) & np.isfinite(mat).all(axis=1)
        ys.append((bn - bt)[ok])
        xs.append(mat[ok])
        gs.append(np.flatnonzero(ok))
        yrs.append(np.full(ok.sum(), p.years[r + 1]))
        lv.append(bt[ok])
    return Design(
        np.concatenate(ys),
        np.vstack(xs),
        np.concatenate(gs).astype(np.int64),
        np.concatenate(yrs).astype(np.int64),
        names,
        np.concatenate(lv),
    )


# --------------------------------------------------------------------------- estimation
@dataclass(frozen=True, eq=False)
class BurdenFit:
    """Fitted coefficients, their sampling distribution and the ally effects."""

    first: int
    last: int
    iso3: tuple[str, ...]
    names: tuple[str, ...]
    coef: Array  # common coefficients, order of ``names`` (λ is the adjustment speed)
    cov: Array  # cluster-robust
    cov_model: Array  # model-based
    alpha: float  # mean intercept
    alpha_se: float
    effects: Array  # (ally,) BLUP of a_i (NaN for allies not in the window)
    effects_sd: Array  # (ally,) posterior sd of a_i around its BLUP
    sigma: float  # residual sd (fraction of GDP per year)
    tau: float  # sd of the ally intercepts
    n_obs: int
    n_allies: int
    residuals: pd.DataFrame  # iso3, year, actual, fitted, residual

    def value(self, name: str) -> float:
        return float(self.coef[self.names.index(name)])

    def se(self, name: str) -> float:
        return float(np.sqrt(self.cov[self.names.index(name), self.names.index(name)]))

    def table(self) -> pd.DataFrame:
        se = np.sqrt(np.diag(self.cov))
        se_m = np.sqrt(np.diag(self.cov_model))
        return pd.DataFrame(
            {
                "name": list(self.names),
                "symbol": [TERMS[n][0] for n in self.names],
                "meaning": [TERMS[n][1] for n in self.names],
                "unit": [TERMS[n][2] for n in self.names],
                "value": self.coef,
                "se": se,
                "se_model": se_m,
                "low90": self.coef - 1.6449 * se,
                "high90": self.coef + 1.6449 * se,
            }
        )

    def draws(self, n: int, rng: np.random.Generator) -> dict[str, Array]:
        """Coefficient draws (n, 1) and intercepts (n, ally) from the sampling distribution."""
        z = rng.multivariate_normal(self.coef, self.cov, size=n, method="eigh")
        out: dict[str, Array] = {k: z[:, j : j + 1] for j, k in enumerate(self.names)}
        eff = np.nan_to_num(self.effects, nan=self.alpha)
        sd = np.where(
            np.isfinite(self.effects_sd), self.effects_sd, np.hypot(self.tau, self.alpha_se)
        )
        out["intercept"] = eff[None, :] + rng.standard_normal((n, len(eff))) * sd[None, :]
        return out

    def central(self) -> dict[str, Array]:
        out: dict[str, Array] = {k: np.asarray(self.coef[j]) for j, k in enumerate(self.names)}
        out["intercept"] = np.nan_to_num(self.effects, nan=self.alpha)
        return out


def _gls(
    y: Array, x: Array, g: NDArray[np.int64], gamma: float
) -> tuple[Array, Array, Array, float, Array]:
    """Quasi-demeaned OLS for variance ratio gamma: (coef incl. constant, X*, resid*, logL, n_i)."""
    ng = int(g.max()) + 1
    n_i = np.bincount(g, minlength=ng).astype(float)
    theta = 1.0 - 1.0 / np.sqrt(1.0 + np.where(n_i > 0, n_i, 1.0) * gamma)
    xc = np.column_stack([np.ones(len(y)), x])
    mean_y = np.bincount(g, y, minlength=ng) / np.maximum(n_i, 1)
    mean_x = np.column_stack([np.bincount(g, xc[:, j], minlength=ng) for j in range(xc.shape[1])])
    mean_x = mean_x.astype(float) / np.maximum(n_i, 1)[:, None]
    ys = y - theta[g] * mean_y[g]
    xs = xc - theta[g][:, None] * mean_x[g]
    coef, *_ = np.linalg.lstsq(xs, ys, rcond=None)
    res = ys - xs @ coef
    n = len(y)
    s2 = float(res @ res) / n
    ll = -0.5 * (n * np.log(s2) + np.log1p(n_i[n_i > 0] * gamma).sum() + n)
    return coef, xs, res, float(ll), n_i


def fit(
    p: Panel,
    first: int,
    last: int,
    burden: Array | None = None,
    spec: Mapping[str, bool] | None = None,
) -> BurdenFit:
    """Fit on budget years first..last (uses no data after ``last``)."""
    from scipy.optimize import minimize_scalar

    lo, hi = int(p.years[0]), int(p.years[-1])
    for name, val in (("from", first), ("until", last)):
        if isinstance(val, bool) or not isinstance(val, int | np.integer) or not lo <= val <= hi:
            raise InputError(f"{name}: {val!r} is not allowed; expected a year in {lo}..{hi}")
    if last - first + 1 < MIN_YEARS:
        raise InputError(
            f"from: {first} is not allowed with until {last}; expected a window of at least "
            f"{MIN_YEARS} years (from <= until - {MIN_YEARS - 1})"
        )
    d = design(p, first, last, burden, spec)
    res_opt = minimize_scalar(
        lambda lg: -_gls(d.y, d.x, d.group, float(np.exp(lg)))[3],
        bounds=(-12.0, 4.0),
        method="bounded",
        options={"xatol": 1e-4},
    )
    gamma = float(np.exp(res_opt.x))
    coef, xs, res, _, n_i = _gls(d.y, d.x, d.group, gamma)
    n, k = xs.shape
    sigma2 = float(res @ res) / (n - k)
    bread = np.linalg.inv(xs.T @ xs)
    cov_model = sigma2 * bread
    groups = np.unique(d.group)
    scores = np.vstack([xs[d.group == gi].T @ res[d.group == gi] for gi in groups])
    m = len(groups)
    adj = m / (m - 1) * (n - 1) / (n - k)
    cov = adj * bread @ (scores.T @ scores) @ bread
    tau2 = gamma * sigma2
    # BLUP of each ally's deviation from the common intercept
    raw = d.y - np.column_stack([np.ones(n), d.x]) @ coef
    ng = len(p.iso3)
    n_all = np.bincount(d.group, minlength=ng).astype(float)
    mean_raw = np.bincount(d.group, raw, minlength=ng) / np.maximum(n_all, 1)
    shrink = tau2 * n_all / (sigma2 + n_all * tau2)
    u = np.where(n_all > 0, shrink * mean_raw, np.nan)
    u_sd = np.where(n_all > 0, np.sqrt(tau2 * sigma2 / (sigma2 + n_all * tau2)), np.nan)
    fitted = np.column_stack([np.ones(n), d.x]) @ coef + np.nan_to_num(u)[d.group]
    resid = pd.DataFrame(
        {
            "iso3": [p.iso3[j] for j in d.group],
            "year": d.year,
            "actual": d.level + d.y,
            "fitted": d.level + fitted,
            "residual": d.y - fitted,
        }
    )
    return BurdenFit(
        first=first,
        last=last,
        iso3=p.iso3,
        names=d.names,
        coef=coef[1:],
        cov=cov[1:, 1:],
        cov_model=cov_model[1:, 1:],
        alpha=float(coef[0]),
        alpha_se=float(np.sqrt(cov[0, 0])),
        effects=coef[0] + u,
        effects_sd=u_sd,
        sigma=float(np.sqrt(sigma2)),
        tau=float(np.sqrt(tau2)),
        n_obs=n,
        n_allies=int((n_i > 0).sum()),
        residuals=resid,
    )


# --------------------------------------------------------------------------- simulation
def simulate(
    f: BurdenFit,
    p: Panel,
    origin: int,
    horizon: int,
    draws: int,
    seed: int,
    burden: Array | None = None,
) -> tuple[Array, NDArray[np.int64]]:
    """Simulate from the burdens of ``origin`` ``horizon`` years ahead with the model's dynamics.

    Exogenous drivers (threat, GDP growth, US burden, US troops, pledges) are AS KNOWN (the
    realised series: a conditional forecast); the allies' spill-in is recomputed each year from
    the simulated burdens (actual burdens for allies not simulated, e.g. later members).
    Returns (draw, step 1..horizon, ally) and the simulated allies' indices. ``draws=0``: the
    central path (coefficients at their estimates, no shocks).
    """
    b_all = p.burden if burden is None else burden
    r0 = p.row(origin)
    allies = np.flatnonzero(np.isfinite(b_all[r0]))
    rng = np.random.default_rng(seed)
    n = max(draws, 1)
    coefs = f.draws(n, rng) if draws else {k: np.asarray(v)[None] for k, v in f.central().items()}
    coefs = {k: (v[:, allies] if k == "intercept" else v.reshape(-1, 1)) for k, v in coefs.items()}
    b = np.broadcast_to(b_all[r0, allies], (n, len(allies))).copy()
    out = np.full((n, horizon, len(allies)), np.nan)
    w = p.weights
    for s in range(horizon):
        r = r0 + s
        if r + 1 >= len(p.years):
            break
        full = np.broadcast_to(b_all[r], (n, len(p.iso3))).copy()
        full[:, allies] = b
        full = np.where(p.member[r][None, :], full, np.nan)
        spill = spill_in(full, np.broadcast_to(p.gdp[r], full.shape), w)[:, allies]
        d = {k: np.asarray(v)[allies] for k, v in drivers_at(p, b_all, r, p.spill).items()}
        d["spill"] = spill
        shock = rng.standard_normal(b.shape) * f.sigma if draws else 0.0
        b = burden_step(b, d, coefs, shock)
        out[:, s] = b
    return out, allies
