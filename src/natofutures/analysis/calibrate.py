"""Calibration of the burden-response equation on real history (issue #5).

See docs/methodology.md §9 and docs/validation.md.

The engine's equation for European allies and Canada (:mod:`natofutures.engine.burden_response`)

    b[i,t+1] = b[i,t] + λ·(b̄_i + β_T·T[i,t] − β_F·F[i,t] + ρ·pledge[t+1] − b[i,t]) + σ_b·ε

is fitted on the real SIPRI burdens of the allies (country-years from each ally's accession),
driven by historical series computed with the engine's own mechanism functions:

- ``T[i,t]`` the engine's total threat index: Russian and Chinese power from their real
  spending (burden × GDP → perpetual-inventory capital stock → power, :mod:`capital_stock`,
  :mod:`power`), proximity from capitals, borders and :func:`threat_perception.proximity`,
  the dated intentions paths of ``defaults.yaml`` and :func:`threat_perception.components`,
  with the defaults' central parameters. At t0 it equals the engine's ``threat`` summed over
  adversaries (tested).
- ``F[i,t] = w_i,t · (c·u)_t`` the free-riding term. US presence in Europe stands in for
  credibility × US share: ``(c·u)_t = c_prior·u0 · troops_t / troops_t0`` with ``troops`` the
  US active-duty personnel stationed in European allies (bundled ``us_troops``), ``u0`` the
  engine's US share of NATO power delivered to Europe at t0 and ``c_prior`` the engine's
  credibility at t0, so that at t0 F equals the engine's free-riding term exactly. The 2008
  troop count (a doubled DMDC report) is replaced by the mean of 2007 and 2009.
- ``pledge[t]`` the core pledge in force (:func:`burden_response.pledge_in_force`).

The starting state is the engine's own, not a copy: the responders, adversaries, their
distances and borders come from the engine's static structure (``engine.simulate._structure``),
the central parameters from its resolver (``engine.simulate._Params``), and ``u0`` from the
engine's capital, power and delivery functions (:func:`capital_stock.initial_stock`,
:func:`power.military_power`, :func:`projection_loss.delivered_power`); the free-riding term
is :func:`burden_response.free_riding`.

Estimator: conditional (one-step-ahead) nonlinear least squares with
:func:`scipy.optimize.least_squares` on the structural parameters (λ, β_T, β_F, ρ and one b̄_i
per ally). With Gaussian ε this is the likelihood of the engine's own stochastic equation,
and σ_b is the residual standard deviation - the engine's ``burden.noise_sd``. Standard errors
come from the Jacobian: cluster-robust by ally (residuals of one ally are serially correlated
and allies differ in volatility; 25-30 clusters) and conventional. ``ρ`` is not identified in a
window without a pledge (before 2014) and is then held at its default. A coefficient whose
estimate falls outside the engine's bounds (a wrong sign) is held at the bound and the rest
re-estimated; the unrestricted fit is kept beside it. Results and limits: docs/validation.md.

References: Nickell, S. (1981), Biases in Dynamic Models with Fixed Effects, Econometrica 49(6)
(the O(1/T) bias of this estimator); Cameron, A. C. and Miller, D. L. (2015), A Practitioner's
Guide to Cluster-Robust Inference, Journal of Human Resources 50(2).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from natofutures.analysis._outputs import check_report_folder, check_write_path
from natofutures.engine import (
    burden_response,
    capital_stock,
    exogenous_budgets,
    power,
    projection_loss,
    threat_perception,
)
from natofutures.errors import InputError

Array = NDArray[np.float64]

#: fitted common coefficients: short name -> (defaults.yaml key, symbol, unit)
COEFFICIENTS: dict[str, tuple[str, str, str]] = {
    "threat_response": ("burden.threat_response", "β_T", "burden per unit of threat index"),
    "free_riding": ("burden.free_riding", "β_F", "burden per unit of w·c·u"),
    "adjustment_speed": ("burden.adjustment_speed", "λ", "1/yr"),
    "pledge_compliance": ("burden.pledge_compliance", "ρ", "dimensionless"),
}
NOISE_KEY = "burden.noise_sd"
FIRST_YEAR = 1990  # Russia's spending series starts in 1992 (backfilled to 1990 as the engine does)
MIN_WINDOW = 6  # years
EXPECTED_SIGN = {"threat_response": 1.0, "free_riding": 1.0, "pledge_compliance": 1.0}
BAND_DRAWS = 400
SEED = 20140905  # Wales summit date; fixed seed for the hindcast bands


# --------------------------------------------------------------------------- drivers
@dataclass(frozen=True, eq=False)
class History:
    """Historical drivers and burdens on the engine's scales, one row per year.

    Arrays are (year, country) over the responders (European allies and Canada) unless noted.
    """

    years: NDArray[np.int64]
    iso3: tuple[str, ...]
    european: NDArray[np.bool_]
    burden: Array  # fraction of GDP, NaN where missing
    gdp: Array  # billion constant-2015 US$
    member: NDArray[np.bool_]
    threat: Array  # engine T summed over threat adversaries
    threat_russia: Array
    troops: Array  # (year,) US active-duty personnel in European allies
    presence: Array  # (year,) troops / troops in 1990
    cu: Array  # (year,) credibility × US share equivalent
    size_weight: Array
    free_riding: Array  # w · (c·u)
    pledge: Array  # (year,) core pledge in force
    russia_power: Array  # (year,)
    china_power: Array  # (year,)
    u0: float
    c_prior: float
    t0: int
    data_version: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def frame(self, values: Array) -> pd.DataFrame:
        return pd.DataFrame(values, index=self.years, columns=list(self.iso3))


def _param(sc: Any, path: str) -> Any:
    return sc.parameter(path)


def _per_country(sc: Any, prefix: str, iso: str) -> float:
    """``prefix.ISO`` or ``prefix.default``, resolved as the engine resolves it."""
    from natofutures.engine.simulate import _Params

    return float(_Params(sc, {}).per_country(prefix, (iso,))[0, 0])


def _power_path(spend: Array, delta: float, share: float, ppp: float, omega: float) -> Array:
    """P_t = π(K_t + ωM_t) with K by perpetual inventory from K_first = s·M_first/δ."""
    k = np.empty_like(spend)
    k[0] = share * spend[0] / delta
    for t in range(1, len(spend)):
        k[t] = capital_stock.accumulate(k[t - 1], spend[t - 1], delta, np.asarray(share))
    return np.asarray(power.military_power(k, spend, np.asarray(ppp), omega), dtype=float)


def _spending(b: Any, years: NDArray[np.int64]) -> Array:
    """(country, year) spending: baseline history (≤ t0−1) then burden0·gdp0 at t0."""
    hist = pd.DataFrame(b.history, columns=b.history_years)
    hist[b.t0] = b.burden0 * b.gdp0
    return hist.reindex(columns=years).to_numpy(dtype=float)


def _troops(panel: pd.DataFrame, european: list[str], years: NDArray[np.int64]) -> Array:
    sub = panel[panel["iso3"].isin(european)]
    troops = sub.groupby("year")["us_troops"].sum(min_count=1).reindex(years)
    if {2007, 2008, 2009} <= set(troops.index):
        troops = troops.where(troops.index != 2008, 0.5 * (troops[2007] + troops[2009]))
    return troops.interpolate(limit_area="inside").bfill().ffill().to_numpy(dtype=float)


@lru_cache(maxsize=1)
def history() -> History:
    """The historical drivers from the bundled data and the defaults' central parameters."""
    from natofutures import data
    from natofutures.engine.baseline import default_baseline
    from natofutures.engine.simulate import _Params, _structure
    from natofutures.scenario import posture

    sc = posture("business_as_usual")
    p = _Params(sc, {})  # the engine's resolution of the central parameters
    b = default_baseline()
    t0 = b.t0
    # the engine's static structure: responders, adversaries, their distances and borders
    st = _structure(b, [t0])
    years = np.arange(FIRST_YEAR, t0 + 1, dtype=np.int64)
    iso_all = list(b.iso3)
    resp = [int(k) for k in st.responders]
    iso3 = tuple(iso_all[k] for k in resp)
    panel = data.panel()
    wide = panel[panel["iso3"].isin(iso3)]
    burden = wide.pivot(index="year", columns="iso3", values="burden").reindex(
        index=years, columns=list(iso3)
    )
    gdp = (
        wide.pivot(index="year", columns="iso3", values="gdp_usd")
        .reindex(index=years, columns=list(iso3))
        .interpolate(limit_area="inside")
        / 1e9
    )
    countries = data.countries().set_index("iso3")
    accession = countries["nato_accession"].reindex(list(iso3)).astype(float).to_numpy()
    member = years[:, None] >= accession[None, :]

    # --- adversary power and threat, with the engine's mechanism functions
    delta = p.f("capital.depreciation")
    omega = p.f("power.current_weight")
    spend = _spending(b, years)
    adv_idx = [int(j) for j in st.threat_idx]
    advs = [iso_all[j] for j in adv_idx]
    shares_eq = p.per_country("capital.equipment_share", tuple(advs))[0]
    ppp = p.per_country("power.ppp_multiplier", tuple(advs))[0]
    powers = np.column_stack(
        [
            _power_path(spend[j], delta, float(shares_eq[a]), float(ppp[a]), omega)
            for a, j in enumerate(adv_idx)
        ]
    )  # (year, adversary)
    prox = threat_perception.proximity(
        st.threat_dist[resp],
        st.land[resp],
        st.sea[resp],
        p.f("threat.distance_decay_km"),
        p.f("threat.land_border_bonus"),
        p.f("threat.sea_border_bonus"),
    )
    offensive = p.per_country("threat.offensive", tuple(advs))[0]
    intentions = np.column_stack(
        [
            exogenous_budgets.dated_values(dict(_param(sc, f"intentions.{a}")), years.astype(float))
            for a in advs
        ]
    )
    comps = threat_perception.components(
        powers,
        p.f("threat.reference_power"),
        p.f("threat.power_exponent"),
        prox,
        offensive,
        intentions,
    )
    threat_ij = comps.total()  # (year, country, adversary)

    # --- US presence standing in for credibility × US share
    troops = _troops(panel, [c for c, e in zip(iso3, b.european[resp], strict=True) if e], years)
    c_prior = p.f("credibility.prior")  # the engine's credibility at t0
    u0 = _us_share_europe_t0(p, b, st)
    us_share = u0 * troops / troops[-1]  # the engine's u, moved by US presence
    cu = c_prior * us_share
    gdp_arr = gdp.to_numpy(dtype=float)
    size_w = burden_response.size_weight(
        np.nan_to_num(gdp_arr, nan=0.0), p.f("burden.size_effect")
    )
    pledges = list(_pledges())
    return History(
        years=years,
        iso3=iso3,
        european=np.asarray(b.european[resp], dtype=bool),
        burden=burden.to_numpy(dtype=float),
        gdp=gdp_arr,
        member=member,
        threat=threat_ij.sum(axis=2),
        threat_russia=threat_ij[:, :, advs.index("RUS")],
        troops=troops,
        presence=troops / troops[0],
        cu=cu,
        size_weight=size_w,
        free_riding=burden_response.free_riding(size_w, c_prior, us_share[:, None]),
        pledge=np.array([burden_response.pledge_in_force(int(y), pledges) for y in years]),
        russia_power=powers[:, advs.index("RUS")],
        china_power=powers[:, advs.index("CHN")],
        u0=u0,
        c_prior=c_prior,
        t0=t0,
        data_version=b.data_version,
        notes=(
            "us_troops 2008 replaced by the mean of 2007 and 2009 (doubled DMDC report)",
            "Russian spending 1990-1991 backfilled with 1992 (USSR years), as the engine does",
        ),
    )


def _pledges() -> list[dict[str, float]]:
    from natofutures.parameters import load_yaml

    return list(load_yaml("pledges.yaml")["pledges"])


def _us_share_europe_t0(p: Any, b: Any, st: Any) -> float:
    """The engine's u at t0: US power delivered to Europe / NATO power delivered to Europe.

    ``p`` the engine's resolved central parameters, ``st`` its static structure; the starting
    capital, power and delivery are the engine's own functions, as the engine's first year.
    """
    from natofutures.engine import allocation
    from natofutures.engine.inputs import EUROPE

    h_start = int(p.f("capital.history_start"))
    hist = b.history[:, b.history_years >= h_start]
    if hist.shape[1] == 0:
        hist = (b.burden0 * b.gdp0)[:, None]
    shares_eq = p.per_country("capital.equipment_share", b.iso3)[0]
    ppp = p.per_country("power.ppp_multiplier", b.iso3)[0]
    k0 = capital_stock.initial_stock(hist, np.array([p.f("capital.depreciation")]), shares_eq)[0]
    p0 = power.military_power(k0, b.burden0 * b.gdp0, ppp, p.f("power.current_weight"))
    eu_share = allocation.european_shares(
        p.f("europe.indo_pacific_share"), p.f("europe.out_of_area_share")
    )[0]
    fwd = np.zeros(b.n)
    fwd[st.us] = p.f("allocation.us_initial.forward_presence.europe")
    factor = projection_loss.delivery_factor(
        st.theatre_dist[:, EUROPE], fwd, p.f("projection.decay_km")
    )
    share = np.zeros(b.n)
    share[st.responders] = eu_share
    share[st.us] = p.f("allocation.us_initial.europe")
    deliv = projection_loss.delivered_power(p0, share[:, None], factor[:, None])[:, 0]
    return float(deliv[st.us] / deliv[st.nato].sum())


# --------------------------------------------------------------------------- window checks
def check_window(
    start: int | None, end: int | None, hist: History | None = None
) -> tuple[int, int]:
    """Validate ``--from``/``--until``; return the fit window (first, last year)."""
    h = hist or history()
    lo, hi = int(h.years[0]), int(h.years[-1])
    first = lo if start is None else start
    last = hi if end is None else end
    for name, val in (("from", first), ("until", last)):
        if isinstance(val, bool) or not isinstance(val, int | np.integer):
            raise InputError(f"{name}: {val!r} is not allowed; expected a year in {lo}..{hi}")
        if not lo <= val <= hi:
            raise InputError(
                f"{name}: {val} is not allowed; expected a year in {lo}..{hi} "
                "(the historical drivers: Russian spending and US presence)"
            )
    if last - first + 1 < MIN_WINDOW:
        raise InputError(
            f"from: {first} is not allowed with until {last}; expected a window of at least "
            f"{MIN_WINDOW} years (from <= until - {MIN_WINDOW - 1})"
        )
    return int(first), int(last)


# --------------------------------------------------------------------------- estimation
@dataclass(frozen=True, eq=False)
class Fit:
    """Fitted burden-response coefficients with their uncertainty."""

    start: int
    end: int
    iso3: tuple[str, ...]
    names: tuple[str, ...]  # free common coefficients, order of ``cov``
    params: dict[str, float]  # every common coefficient (free and fixed)
    se: dict[str, float]  # cluster-robust (nan for fixed)
    se_conventional: dict[str, float]
    cov: Array  # cluster-robust covariance of ``names``
    cov_conventional: Array
    fixed: dict[str, str]  # coefficient -> reason it is held at its default
    anchors: dict[str, tuple[float, float]]  # b̄_i (value, conventional SE)
    noise_sd: float
    noise_sd_se: float
    n_obs: int
    n_clusters: int
    condition_number: float
    identification: dict[str, str]
    residuals: pd.DataFrame  # iso3, year, actual, fitted (one step ahead), residual
    cost: float
    unrestricted: Fit | None = None  # the fit without the engine's bounds (restricted fits)

    def coefficients(self) -> pd.DataFrame:
        """Table of coefficients: value, SEs, t, 95% interval, identification, defaults key."""
        rows = []
        for name, (key, symbol, unit) in COEFFICIENTS.items():
            v, s = self.params[name], self.se.get(name, math.nan)
            rows.append(
                {
                    "name": name,
                    "symbol": symbol,
                    "defaults_key": key,
                    "value": v,
                    "se_cluster": s,
                    "se_conventional": self.se_conventional.get(name, math.nan),
                    "t": v / s if s and np.isfinite(s) else math.nan,
                    "ci_low": v - 1.96 * s,
                    "ci_high": v + 1.96 * s,
                    "status": self.identification[name],
                    "unit": unit,
                }
            )
        rows.append(
            {
                "name": "noise_sd",
                "symbol": "σ_b",
                "defaults_key": NOISE_KEY,
                "value": self.noise_sd,
                "se_cluster": self.noise_sd_se,
                "se_conventional": self.noise_sd_se,
                "t": self.noise_sd / self.noise_sd_se,
                "ci_low": self.noise_sd - 1.96 * self.noise_sd_se,
                "ci_high": self.noise_sd + 1.96 * self.noise_sd_se,
                "status": "identified",
                "unit": "fraction of GDP per year",
            }
        )
        return pd.DataFrame(rows)


#: The engine's values of this specification before the burden model of issue #14 replaced
#: them (calibration of 2026-11-29, data b35169c67145; β_F and ρ were judgement values). A
#: coefficient this specification cannot identify in a window is held here, so that the
#: ``previous`` baseline of ``calibrate burden --evaluate`` stays the previous engine and does
#: not borrow the new model's mapped defaults.
PREVIOUS_VALUES = {
    "burden.threat_response": 0.084627,
    "burden.free_riding": 0.05,
    "burden.adjustment_speed": 0.086546,
    "burden.pledge_compliance": 0.5,
    "burden.noise_sd": 0.001778,
}


def _default(name: str) -> float:
    """The previous engine value of a coefficient (:data:`PREVIOUS_VALUES`)."""
    return PREVIOUS_VALUES[COEFFICIENTS[name][0]]


@dataclass(frozen=True)
class _Design:
    country: NDArray[np.int64]  # index into iso3 of the fit
    year: NDArray[np.int64]  # year t of the pair (t, t+1)
    b: Array
    b_next: Array
    x: dict[str, Array]  # regressor per coefficient (T, F, pledge)
    iso3: tuple[str, ...]


def _design(h: History, first: int, last: int, burden: Array | None = None) -> _Design:
    """Pairs (t, t+1) with first <= t and t+1 <= last, member at t, both burdens observed."""
    bb = h.burden if burden is None else burden
    sel = (h.years >= first) & (h.years < last)
    rows_t = np.flatnonzero(sel)
    b_t, b_n = bb[rows_t], bb[rows_t + 1]
    ok = np.isfinite(b_t) & np.isfinite(b_n) & h.member[rows_t]
    counts = ok.sum(axis=0)
    keep_c = np.flatnonzero(counts >= 3)
    ok[:, np.setdiff1d(np.arange(len(h.iso3)), keep_c)] = False
    r, c = np.nonzero(ok)
    remap = {int(k): n for n, k in enumerate(keep_c)}
    return _Design(
        country=np.array([remap[int(k)] for k in c], dtype=np.int64),
        year=h.years[rows_t[r]],
        b=b_t[r, c],
        b_next=b_n[r, c],
        x={
            "threat_response": h.threat[rows_t[r], c],
            "free_riding": -h.free_riding[rows_t[r], c],
            "pledge_compliance": h.pledge[rows_t[r] + 1],
        },
        iso3=tuple(h.iso3[int(k)] for k in keep_c),
    )


def _start_values(d: _Design, free: list[str]) -> Array:
    """OLS of Δb on (country dummies, b, regressors): the reduced form of the equation."""
    g = len(d.iso3)
    dummies = np.zeros((len(d.b), g))
    dummies[np.arange(len(d.b)), d.country] = 1.0
    cols = [dummies, -d.b[:, None]] + [d.x[n][:, None] for n in free]
    coef, *_ = np.linalg.lstsq(np.hstack(cols), d.b_next - d.b, rcond=None)
    lam = float(np.clip(coef[g], 0.02, 1.0))
    betas = coef[g + 1 :] / lam
    return np.concatenate([[lam], betas, coef[:g] / lam])


def _model(
    theta: Array, d: _Design, free: list[str], fixed: dict[str, float]
) -> tuple[Array, Array]:
    """One-step prediction and its Jacobian in (λ, free betas, b̄_i)."""
    lam = theta[0]
    betas = dict(zip(free, theta[1 : 1 + len(free)], strict=True))
    anchors = theta[1 + len(free) :]
    gap = anchors[d.country] - d.b
    for n in ("threat_response", "free_riding", "pledge_compliance"):
        gap = gap + betas.get(n, fixed.get(n, 0.0)) * d.x[n]
    pred = d.b + lam * gap
    jac = np.zeros((len(d.b), len(theta)))
    jac[:, 0] = gap
    for k, n in enumerate(free):
        jac[:, 1 + k] = lam * d.x[n]
    jac[np.arange(len(d.b)), 1 + len(free) + d.country] = lam
    return pred, jac


def fit(
    start: int | None = None,
    end: int | None = None,
    *,
    burden: Array | None = None,
    restricted: bool = True,
) -> Fit:
    """Fit λ, β_T, β_F, ρ, b̄_i and σ_b on the window [start, end] (defaults: all years).

    With ``restricted`` (the default) a coefficient whose unrestricted estimate falls outside
    the engine's bounds in ``defaults.yaml`` (e.g. a negative β_F) is held at the nearest bound
    and the others are re-estimated; the unrestricted fit is kept in ``Fit.unrestricted``.
    ``burden`` replaces the bundled burdens (same shape as ``history().burden``): the tests use
    it to fit data simulated by the engine's own equation.
    """
    h = history()
    first, last = check_window(start, end, h)
    d = _design(h, first, last, burden)
    if len(d.iso3) < 3:
        raise InputError(
            f"from: {first} is not allowed with until {last}; expected a window with at "
            "least 3 allies observed for 3 years"
        )
    fixed: dict[str, str] = {}
    fixed_val: dict[str, float] = {}
    for n in ("threat_response", "free_riding", "pledge_compliance"):
        if np.ptp(d.x[n]) < 1e-12:
            fixed[n] = f"not identified in {first}-{last} (regressor constant); held at default"
            fixed_val[n] = _default(n)
    free_fit = _estimate(d, first, last, fixed, fixed_val)
    if not restricted:
        return free_fit
    current = free_fit
    for _ in range(len(COEFFICIENTS)):
        out = {n: b for n, b in _bounds().items() if n in current.names and _outside(current, n, b)}
        if not out:
            break
        for n, (lo, hi) in out.items():
            at = lo if current.params[n] < lo else hi
            fixed[n] = (
                f"unrestricted estimate {free_fit.params[n]:.4g} outside the engine's bounds "
                f"[{lo:g}, {hi:g}]; held at the bound {at:g}"
            )
            fixed_val[n] = at
        current = _estimate(d, first, last, fixed, fixed_val)
    return _with_unrestricted(current, free_fit)


def _bounds() -> dict[str, tuple[float, float]]:
    from natofutures.scenario import parameter_table

    table = parameter_table()
    out = {}
    for n, (key, _, _) in COEFFICIENTS.items():
        b = table[key].bounds
        out[n] = (float(b[0]), float(b[1])) if b is not None else (-math.inf, math.inf)
    return out


def _outside(f: Fit, name: str, bounds: tuple[float, float]) -> bool:
    return not bounds[0] <= f.params[name] <= bounds[1]


def _with_unrestricted(f: Fit, free_fit: Fit) -> Fit:
    from dataclasses import replace

    return replace(f, unrestricted=free_fit)


def _estimate(
    d: _Design, first: int, last: int, fixed: dict[str, str], fixed_val: dict[str, float]
) -> Fit:
    from scipy.optimize import least_squares

    free = [n for n in ("threat_response", "free_riding", "pledge_compliance") if n not in fixed]
    theta0 = _start_values(d, free)
    fv = dict(fixed_val)
    res = least_squares(
        lambda th: d.b_next - _model(th, d, free, fv)[0],
        theta0,
        jac=lambda th: -_model(th, d, free, fv)[1],
        method="lm",
        xtol=1e-12,
        ftol=1e-12,
    )
    theta = res.x
    pred, jac = _model(theta, d, free, fv)
    resid = d.b_next - pred
    n, k = jac.shape
    bread = np.linalg.pinv(jac.T @ jac)
    s2 = float(resid @ resid) / (n - k)
    cov_conv = s2 * bread
    meat = np.zeros((k, k))
    for g in range(len(d.iso3)):
        sg = jac[d.country == g].T @ resid[d.country == g]
        meat += np.outer(sg, sg)
    n_cl = len(d.iso3)
    cov_cl = n_cl / (n_cl - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    cond = float(np.linalg.cond(jac / np.linalg.norm(jac, axis=0)))
    names = ["adjustment_speed", *free]
    idx = list(range(1 + len(free)))
    params = {nm: float(theta[i]) for nm, i in zip(names, idx, strict=True)}
    params.update(fv)
    se = {nm: float(np.sqrt(cov_cl[i, i])) for nm, i in zip(names, idx, strict=True)}
    se_c = {nm: float(np.sqrt(cov_conv[i, i])) for nm, i in zip(names, idx, strict=True)}
    ident = {nm: _identification(nm, params[nm], se.get(nm), cond, fixed) for nm in COEFFICIENTS}
    off = 1 + len(free)
    anchors = {
        iso: (float(theta[off + g]), float(np.sqrt(cov_conv[off + g, off + g])))
        for g, iso in enumerate(d.iso3)
    }
    sigma = math.sqrt(s2)
    residuals = pd.DataFrame(
        {
            "iso3": [d.iso3[int(c)] for c in d.country],
            "year": d.year + 1,
            "actual": d.b_next,
            "fitted": pred,
            "residual": resid,
        }
    )
    return Fit(
        start=first,
        end=last,
        iso3=d.iso3,
        names=tuple(names),
        params=params,
        se=se,
        se_conventional=se_c,
        cov=cov_cl[np.ix_(idx, idx)],
        cov_conventional=cov_conv[np.ix_(idx, idx)],
        fixed=dict(fixed),
        anchors=anchors,
        noise_sd=sigma,
        noise_sd_se=sigma / math.sqrt(2.0 * (n - k)),
        n_obs=n,
        n_clusters=n_cl,
        condition_number=cond,
        identification=ident,
        residuals=residuals,
        cost=float(res.cost),
    )


def _identification(
    name: str, value: float, se: float | None, cond: float, fixed: dict[str, str]
) -> str:
    if name in fixed:
        return "at bound" if "bound" in fixed[name] else "fixed (not identified in window)"
    if se is None or not np.isfinite(se) or cond > 1e8:
        return "not identified (singular Jacobian)"
    notes = []
    if se > abs(value):
        notes.append("weakly identified (SE > |estimate|)")
    if name in EXPECTED_SIGN and value * EXPECTED_SIGN[name] < 0:
        notes.append("wrong sign")
    if name == "adjustment_speed" and not 0.0 < value <= 1.0:
        notes.append("outside (0, 1]")
    return "; ".join(notes) if notes else "identified"


# --------------------------------------------------------------------------- fit statistics
def _rmse(a: Any, b: Any) -> float:
    return float(np.sqrt(np.mean((np.asarray(a) - np.asarray(b)) ** 2)))


def _r2(actual: Any, pred: Any) -> float:
    actual, pred = np.asarray(actual, dtype=float), np.asarray(pred, dtype=float)
    sst = float(np.sum((actual - actual.mean()) ** 2))
    return 1.0 - float(np.sum((actual - pred) ** 2)) / sst if sst > 0 else math.nan


def _aggregate(values: pd.DataFrame, gdp: pd.DataFrame) -> pd.Series:
    """Σ b·Y / Σ Y over the columns observed in each row (the European aggregate burden)."""
    w = gdp.where(values.notna())
    return (values * w).sum(axis=1, min_count=1) / w.sum(axis=1, min_count=1)


def in_sample(f: Fit) -> tuple[dict[str, float], pd.DataFrame]:
    """One-step-ahead fit: aggregate metrics and per-ally RMSE / R² (levels and changes)."""
    h = history()
    r = f.residuals.copy()
    b = h.frame(h.burden)
    arr = b.to_numpy(dtype=float)
    row = {int(y): k for k, y in enumerate(b.index)}
    col = {c: k for k, c in enumerate(b.columns)}
    r["previous"] = [
        arr[row[int(y) - 1], col[c]] for y, c in zip(r["year"], r["iso3"], strict=True)
    ]
    rows = []
    for iso, g in r.groupby("iso3", sort=False):
        rows.append(
            {
                "iso3": iso,
                "n": len(g),
                "rmse_pp": 100 * _rmse(g["actual"], g["fitted"]),
                "r2": _r2(g["actual"], g["fitted"]),
                "r2_changes": _r2(g["actual"] - g["previous"], g["fitted"] - g["previous"]),
            }
        )
    eu = [c for c, e in zip(h.iso3, h.european, strict=True) if e]
    sub = r[r["iso3"].isin(eu)]
    act = sub.pivot(index="year", columns="iso3", values="actual")
    fit_ = sub.pivot(index="year", columns="iso3", values="fitted")
    prv = sub.pivot(index="year", columns="iso3", values="previous")
    gdp = h.frame(h.gdp).reindex(index=act.index, columns=act.columns)
    a, p, q = _aggregate(act, gdp), _aggregate(fit_, gdp), _aggregate(prv, gdp)
    agg = {
        "rmse_pp": 100 * _rmse(a, p),
        "r2": _r2(a, p),
        "r2_changes": _r2(a - q, p - q),
        "n_obs": float(f.n_obs),
    }
    return agg, pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class Hindcast:
    """Dynamic out-of-sample simulation from the last fitted year (no actual burden after it)."""

    until: int
    last: int
    iso3: tuple[str, ...]
    actual: pd.DataFrame  # year (until..last) × ally
    predicted: pd.DataFrame  # central path (no noise)
    low: pd.DataFrame  # 5% band (coefficient and noise uncertainty)
    high: pd.DataFrame
    aggregate: pd.DataFrame  # year: actual, predicted, low, high, persistence
    per_ally: pd.DataFrame  # iso3, rmse_pp, r2, persistence_rmse_pp
    metrics: dict[str, float]


def _draw_coefficients(f: Fit, n: int, rng: np.random.Generator) -> dict[str, Array]:
    """Coefficient draws from the fit's cluster-robust normal approximation, within bounds."""
    out = {k: np.full(n, v) for k, v in f.params.items()}
    if n > 1 and f.names:
        mean = np.array([f.params[k] for k in f.names])
        z = rng.multivariate_normal(mean, f.cov, size=n, method="eigh")
        for j, k in enumerate(f.names):
            lo, hi = _bounds()[k]
            out[k] = np.clip(z[:, j], lo, hi)
    return out


def simulate_burdens(
    f: Fit,
    start: int,
    last: int,
    initial: Array,
    iso3: Sequence[str],
    draws: int = 0,
    seed: int = SEED,
) -> Array:
    """Run the engine's burden equation from ``initial`` (burdens in ``start``) to ``last``.

    Uses only exogenous drivers (threat, US presence, GDP, pledges) and the engine's
    :func:`burden_response.target_burden` and :func:`burden_response.adjust`. Returns
    (draw, year, ally) for years start..last; ``draws=0`` is the central path without noise.
    """
    from natofutures.scenario import posture

    h = history()
    sc = posture("business_as_usual")
    floor, ceiling = float(_param(sc, "burden.floor")), float(_param(sc, "burden.ceiling"))
    cols = [h.iso3.index(c) for c in iso3]
    rows = np.flatnonzero((h.years >= start) & (h.years <= last))
    n = max(draws, 1)
    rng = np.random.default_rng(seed)
    coef = _draw_coefficients(f, n, rng) if draws else _draw_coefficients(f, 1, rng)
    anchor = np.array([f.anchors[c][0] for c in iso3])[None, :]
    if draws:
        anchor = anchor + rng.standard_normal((n, len(cols))) * np.array(
            [f.anchors[c][1] for c in iso3]
        )
    out = np.empty((n, len(rows), len(cols)))
    b = np.broadcast_to(np.asarray(initial, dtype=float), (n, len(cols))).copy()
    out[:, 0] = b
    for k, r in enumerate(rows[:-1]):
        target = burden_response.target_burden(
            anchor,
            h.threat[r, cols][None, :],
            h.free_riding[r, cols][None, :],
            float(h.pledge[r + 1]),
            coef["threat_response"][:, None],
            coef["free_riding"][:, None],
            coef["pledge_compliance"][:, None],
        )
        eps = rng.standard_normal((n, len(cols))) if draws else np.zeros((n, len(cols)))
        sd = f.noise_sd if draws else 0.0
        b = burden_response.adjust(
            b, target, coef["adjustment_speed"][:, None], sd, eps, floor, ceiling
        )
        out[:, k + 1] = b
    return out


def hindcast(f: Fit, last: int | None = None, draws: int = BAND_DRAWS) -> Hindcast:
    """Simulate from ``f.end`` (the last fitted year) to ``last`` and score against actuals.

    Allies enter if they were members with an observed burden in ``f.end`` and have an
    actual burden in every later year; nothing observed after ``f.end`` is used to predict.
    """
    h = history()
    last = int(h.years[-1]) if last is None else last
    if last <= f.end:
        raise InputError(
            f"until: {f.end} is not allowed for a hindcast; expected a year before {last}"
        )
    act = h.frame(h.burden).loc[f.end : last]
    member = pd.DataFrame(h.member, index=h.years, columns=list(h.iso3)).loc[f.end]
    iso3 = tuple(c for c in f.iso3 if member[c] and act[c].notna().all())
    init = act.loc[f.end, list(iso3)].to_numpy(dtype=float)
    central = simulate_burdens(f, f.end, last, init, iso3)[0]
    band = simulate_burdens(f, f.end, last, init, iso3, draws=draws)
    years = act.index
    pred = pd.DataFrame(central, index=years, columns=list(iso3))
    low = pd.DataFrame(np.quantile(band, 0.05, axis=0), index=years, columns=list(iso3))
    high = pd.DataFrame(np.quantile(band, 0.95, axis=0), index=years, columns=list(iso3))
    actual = act[list(iso3)]
    oos = years > f.end
    per = [
        {
            "iso3": c,
            "rmse_pp": 100 * _rmse(actual.loc[oos, c], pred.loc[oos, c]),
            "r2": _r2(actual.loc[oos, c], pred.loc[oos, c]),
            "persistence_rmse_pp": 100
            * _rmse(actual.loc[oos, c], np.full(oos.sum(), actual.loc[f.end, c])),
        }
        for c in iso3
    ]
    eu = [c for c in iso3 if h.european[h.iso3.index(c)]]
    gdp = h.frame(h.gdp).loc[years, eu]
    agg_band = np.stack(
        [
            _aggregate(
                pd.DataFrame(band[d][:, [iso3.index(c) for c in eu]], index=years, columns=eu), gdp
            )
            for d in range(band.shape[0])
        ]
    )
    agg = pd.DataFrame(
        {
            "actual": _aggregate(actual[eu], gdp),
            "predicted": _aggregate(pred[eu], gdp),
            "low": np.quantile(agg_band, 0.05, axis=0),
            "high": np.quantile(agg_band, 0.95, axis=0),
        },
        index=years,
    )
    agg["persistence"] = float(agg["actual"].iloc[0])
    a = agg.loc[oos]
    inside = (actual.loc[oos] >= low.loc[oos]) & (actual.loc[oos] <= high.loc[oos])
    metrics = {
        "rmse_pp": 100 * _rmse(a["actual"], a["predicted"]),
        "r2": _r2(a["actual"], a["predicted"]),
        "persistence_rmse_pp": 100 * _rmse(a["actual"], a["persistence"]),
        "bias_pp": 100 * float((a["predicted"] - a["actual"]).mean()),
        "end_error_pp": 100 * float(a["predicted"].iloc[-1] - a["actual"].iloc[-1]),
        "coverage_90": float(inside.to_numpy().mean()),
        "aggregate_coverage_90": float(
            ((a["actual"] >= a["low"]) & (a["actual"] <= a["high"])).mean()
        ),
        "n_allies": float(len(iso3)),
    }
    return Hindcast(
        until=f.end,
        last=last,
        iso3=iso3,
        actual=actual,
        predicted=pred,
        low=low,
        high=high,
        aggregate=agg,
        per_ally=pd.DataFrame(per),
        metrics=metrics,
    )


# --------------------------------------------------------------------------- the whole run
@dataclass(frozen=True, eq=False)
class Calibration:
    """A calibration run: the fit, its in-sample statistics, the hindcast and the verdict."""

    fit: Fit
    in_sample: dict[str, float]
    in_sample_allies: pd.DataFrame
    hindcast: Hindcast | None
    verdict: str
    passed: bool | None


def _sign_note(f: Fit) -> str:
    u = f.unrestricted or f
    wrong = [
        COEFFICIENTS[n][1]
        for n in EXPECTED_SIGN
        if n in u.names and "wrong sign" in u.identification[n]
    ]
    weak = [
        COEFFICIENTS[n][1]
        for n in COEFFICIENTS
        if n in u.names and "weakly" in u.identification[n] and COEFFICIENTS[n][1] not in wrong
    ]
    parts = []
    if wrong:
        parts.append(f"{', '.join(wrong)} wrong-signed in the data (held at 0)")
    if weak:
        parts.append(f"{', '.join(weak)} weakly identified")
    held = [COEFFICIENTS[n][1] for n, why in f.fixed.items() if "not identified" in why]
    if held:
        parts.append(f"{', '.join(held)} not identified in the window (default used)")
    return "; ".join(parts)


def calibrate(start: int | None = None, until: int | None = None) -> Calibration:
    """Fit on [start, until]; if ``until`` is before the latest year, hindcast the rest."""
    h = history()
    first, last = check_window(start, until, h)
    f = fit(first, last)
    agg, allies = in_sample(f)
    latest = int(h.years[-1])
    hc = hindcast(f, latest) if last < latest else None
    note = _sign_note(f)
    if hc is None:
        verdict = (
            f"IN-SAMPLE ONLY ({first}-{last}): one-step RMSE {agg['rmse_pp']:.2f} pp of GDP, "
            f"R² of annual changes {agg['r2_changes']:.2f}" + (f"; {note}" if note else "")
        )
        return Calibration(f, agg, allies, None, verdict, None)
    m = hc.metrics
    ok = m["rmse_pp"] < m["persistence_rmse_pp"]
    verdict = (
        f"{'PASS' if ok else 'FAIL'}: fitted on {first}-{last}, the {last + 1}-{latest} "
        f"hindcast of the European burden has RMSE {m['rmse_pp']:.2f} pp of GDP "
        f"(R² {_r2_text(m['r2'])}) vs {m['persistence_rmse_pp']:.2f} pp for no change"
        + (f"; {note}" if note else "")
    )
    return Calibration(f, agg, allies, hc, verdict, ok)


# --------------------------------------------------------------------------- outputs
def to_dict(c: Calibration) -> dict[str, Any]:
    """JSON-ready summary of a calibration run."""
    f = c.fit
    coef = f.coefficients()
    out: dict[str, Any] = {
        "window": {"from": f.start, "until": f.end},
        "observations": f.n_obs,
        "clusters": f.n_clusters,
        "condition_number": f.condition_number,
        "coefficients": json_records(coef),
        "fixed": f.fixed,
        "unrestricted": json_records(f.unrestricted.coefficients()) if f.unrestricted else None,
        "anchors": {k: {"value": v, "se": s} for k, (v, s) in f.anchors.items()},
        "in_sample": c.in_sample,
        "out_of_sample": c.hindcast.metrics if c.hindcast else None,
        "out_of_sample_allies": json_records(c.hindcast.per_ally) if c.hindcast else None,
        "correlation": {
            "names": list(f.names),
            "matrix": _correlation(f.cov).round(4).tolist(),
        },
        "verdict": c.verdict,
        "passed": c.passed,
        "data_version": history().data_version,
    }
    return _clean(out)


def _correlation(cov: Array) -> Array:
    sd = np.sqrt(np.diag(cov))
    return np.asarray(cov / np.outer(sd, sd), dtype=float)


def _clean(obj: Any) -> Any:
    """NaN and infinities as None (valid JSON), recursively."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return float(obj) if math.isfinite(obj) else None
    return obj


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with NaN as None."""
    import json

    return list(json.loads(frame.to_json(orient="records", force_ascii=False)))


def calibration_yaml(c: Calibration, command: str) -> dict[str, Any]:
    """The content of ``parameters/calibration.yaml`` for a run (see docs/validation.md)."""
    from natofutures import __version__

    f, h = c.fit, history()
    params: dict[str, Any] = {}
    for name, (key, symbol, unit) in COEFFICIENTS.items():
        u = f.unrestricted or f
        params[key] = {
            "symbol": symbol,
            "value": round(f.params[name], 6),
            "se": _num(f.se.get(name)),
            "se_conventional": _num(f.se_conventional.get(name)),
            "unit": unit,
            "status": f.identification[name],
            "unrestricted_value": round(u.params[name], 6),
            "unrestricted_se": _num(u.se.get(name)),
            "note": f.fixed.get(name, "estimated"),
        }
    params[NOISE_KEY] = {
        "symbol": "σ_b",
        "value": round(f.noise_sd, 6),
        "se": round(f.noise_sd_se, 6),
        "unit": "fraction of GDP per year",
        "status": "identified",
        "note": "residual standard deviation of the one-step-ahead fit",
    }
    return {
        "version": 1,
        "produced_by": {
            "command": command,
            "natofutures_version": __version__,
            "data_version": h.data_version,
            "date": dt.date.today().isoformat(),
        },
        "fit_window": {"from": f.start, "until": f.end},
        "estimator": (
            "conditional NLS (scipy.optimize.least_squares) of b[t+1] = b + λ(b̄_i + β_T·T "
            "- β_F·w·c·u + ρ·pledge[t+1] - b); covariance cluster-robust by ally; "
            "coefficients outside the engine's bounds held at the bound"
        ),
        "observations": f.n_obs,
        "clusters": f.n_clusters,
        "jacobian_condition_number": round(f.condition_number, 3),
        "parameters": params,
        "covariance": {
            "names": [COEFFICIENTS[n][0] for n in f.names],
            "kind": "cluster-robust (by ally)",
            "matrix": [[float(f"{x:.6g}") for x in row] for row in f.cov],
            "correlation": [[round(float(x), 4) for x in row] for row in _correlation(f.cov)],
        },
        "not_fitted": {
            "burden.size_effect": "kept at its default; enters the free-riding term w_i",
            "anchors": "b̄_i are not transferred: the engine re-anchors b̄_i at t0",
        },
        "drivers": {
            "threat": "engine threat index T (sum over threat_adversaries) from real spending",
            "free_riding": (
                f"w_i·c_prior·u0·troops_t/troops_{h.t0}; c_prior = {h.c_prior}, "
                f"u0 = {h.u0:.4f} (engine US share of NATO power delivered to Europe at t0), "
                f"troops_{h.t0} = {h.troops[-1]:.0f}"
            ),
            "pledge": "core pledge in force (parameters/pledges.yaml)",
            "notes": list(h.notes),
        },
        "anchors": {k: round(v, 6) for k, (v, _) in f.anchors.items()},
        "in_sample": {k: _num(v) for k, v in c.in_sample.items()},
        "out_of_sample": (
            {k: _num(v) for k, v in c.hindcast.metrics.items()} if c.hindcast else None
        ),
        "verdict": c.verdict,
    }


def _num(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 6)




def write_calibration(c: Calibration, path: str | Path, command: str) -> Path:
    """Write the calibration YAML (the fitted defaults with their covariance)."""
    import yaml

    out = check_write_path(path)
    header = (
        "# Burden-response coefficients fitted on history (issue #5). Generated - do not edit;\n"
        f"# regenerate with: {command}\n"
        "# Keys under `parameters` are the defaults.yaml names they replace\n"
        "# (see docs/validation.md).\n"
    )
    text = yaml.safe_dump(calibration_yaml(c, command), sort_keys=False, allow_unicode=True)
    out.write_text(header + text, encoding="utf-8")
    return out


def write_report(c: Calibration, folder: str | Path) -> list[Path]:
    """Charts (PNG + offline HTML), residuals and the parameter table (CSV) into ``folder``."""
    out = check_report_folder(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    table = c.fit.coefficients()
    if c.fit.unrestricted is not None:
        u = c.fit.unrestricted.coefficients().set_index("name")
        table["unrestricted_value"] = table["name"].map(u["value"])
        table["unrestricted_se"] = table["name"].map(u["se_cluster"])
    for name, frame in (
        ("parameters.csv", table),
        ("residuals.csv", c.fit.residuals),
        ("in_sample_allies.csv", c.in_sample_allies),
    ):
        frame.to_csv(out / name, index=False)
        written.append(out / name)
    if c.hindcast is not None:
        c.hindcast.per_ally.to_csv(out / "out_of_sample_allies.csv", index=False)
        c.hindcast.aggregate.rename_axis("year").to_csv(out / "hindcast_aggregate.csv")
        written += [out / "out_of_sample_allies.csv", out / "hindcast_aggregate.csv"]
    written += _plot_all(c, out)
    return written


# --------------------------------------------------------------------------- charts
def _series(c: Calibration) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Actual, one-step fitted and hindcast burdens (year × ally), in % of GDP."""
    h = history()
    actual = h.frame(h.burden).loc[c.fit.start :, list(c.fit.iso3)] * 100
    fitted = c.fit.residuals.pivot(index="year", columns="iso3", values="fitted") * 100
    hc = c.hindcast.predicted * 100 if c.hindcast is not None else pd.DataFrame()
    return actual, fitted.reindex(columns=list(c.fit.iso3)), hc


def _save(fig_html: Any, fig_png: Any, folder: Path, stem: str) -> list[Path]:
    html, png = folder / f"{stem}.html", folder / f"{stem}.png"
    fig_html.write_html(html, include_plotlyjs=True, full_html=True, include_mathjax=False)
    fig_png.savefig(png, dpi=110, bbox_inches="tight")
    return [html, png]


def _figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def _plot_all(c: Calibration, folder: Path) -> list[Path]:
    return _plot_aggregate(c, folder) + _plot_allies(c, folder) + _plot_residuals(c, folder)


def _aggregate_lines(c: Calibration) -> dict[str, pd.Series]:
    h = history()
    eu = [x for x in c.fit.iso3 if h.european[h.iso3.index(x)]]
    gdp = h.frame(h.gdp)
    actual, fitted, _ = _series(c)
    lines = {
        "actual": _aggregate(actual[eu], gdp.loc[actual.index, eu]),
        "fitted (one step ahead)": _aggregate(
            fitted[eu].dropna(how="all"), gdp.loc[fitted.dropna(how="all").index, eu]
        ),
    }
    if c.hindcast is not None:
        agg = c.hindcast.aggregate * 100
        lines["hindcast"] = agg["predicted"]
        lines["hindcast 5%"] = agg["low"]
        lines["hindcast 95%"] = agg["high"]
    return lines


def _plot_aggregate(c: Calibration, folder: Path) -> list[Path]:
    import plotly.graph_objects as go

    lines = _aggregate_lines(c)
    title = f"European allies' aggregate burden: actual vs model ({c.verdict.split(':')[0]})"
    fig = go.Figure()
    png = _figure(8, 4.5)
    ax = png.add_subplot(1, 1, 1)
    if "hindcast 5%" in lines:
        lo, hi = lines.pop("hindcast 5%"), lines.pop("hindcast 95%")
        fig.add_trace(go.Scatter(x=hi.index, y=hi, line={"width": 0}, showlegend=False))
        fig.add_trace(
            go.Scatter(x=lo.index, y=lo, fill="tonexty", line={"width": 0}, name="hindcast 90%")
        )
        ax.fill_between(lo.index, lo, hi, alpha=0.25, label="hindcast 90% band")
    for name, ser in lines.items():
        fig.add_trace(go.Scatter(x=ser.index, y=ser, name=name, mode="lines+markers"))
        ax.plot(ser.index, ser, marker=".", label=name)
    fig.update_layout(title=title, xaxis_title="year", yaxis_title="% of GDP")
    ax.set(title=title, xlabel="year", ylabel="% of GDP (GDP-weighted)")
    ax.legend(fontsize=8)
    return _save(fig, png, folder, "aggregate")


def _plot_allies(c: Calibration, folder: Path) -> list[Path]:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    actual, fitted, hc = _series(c)
    iso = list(c.fit.iso3)
    ncol = 6
    nrow = math.ceil(len(iso) / ncol)
    fig = make_subplots(rows=nrow, cols=ncol, subplot_titles=iso)
    png = _figure(16, 2.2 * nrow)
    for k, code in enumerate(iso):
        r, col = divmod(k, ncol)
        ax = png.add_subplot(nrow, ncol, k + 1)
        parts = [("actual", actual[code]), ("fitted", fitted[code])]
        if code in hc:
            parts.append(("hindcast", hc[code]))
        for name, ser in parts:
            ser = ser.dropna()
            fig.add_trace(
                go.Scatter(x=ser.index, y=ser, name=name, legendgroup=name, showlegend=k == 0),
                row=r + 1,
                col=col + 1,
            )
            ax.plot(ser.index, ser, label=name, lw=1)
        ax.set_title(code, fontsize=8)
        ax.tick_params(labelsize=6)
    png.axes[0].legend(fontsize=6)
    png.suptitle("Burden per ally (% of GDP): actual, one-step fitted, hindcast")
    png.tight_layout(rect=(0, 0, 1, 0.97))
    fig.update_layout(
        title="Burden per ally (% of GDP): actual, one-step fitted, hindcast",
        height=220 * nrow,
    )
    return _save(fig, png, folder, "allies")


def _plot_residuals(c: Calibration, folder: Path) -> list[Path]:
    import plotly.graph_objects as go

    r = c.fit.residuals
    fig = go.Figure(
        go.Scatter(
            x=r["year"],
            y=r["residual"] * 100,
            mode="markers",
            text=r["iso3"],
            name="residual",
        )
    )
    fig.add_hline(y=0)
    title = (
        f"One-step residuals, {c.fit.start}-{c.fit.end} "
        f"(pp of GDP; σ_b = {c.fit.noise_sd * 100:.2f})"
    )
    fig.update_layout(title=title, xaxis_title="year", yaxis_title="pp of GDP")
    png = _figure(8, 4)
    ax = png.add_subplot(1, 1, 1)
    ax.scatter(r["year"], r["residual"] * 100, s=6, alpha=0.6)
    ax.axhline(0, color="k", lw=0.8)
    ax.set(title=title, xlabel="year", ylabel="pp of GDP")
    return _save(fig, png, folder, "residuals")


def _r2_text(r2: float) -> str:
    return f"{r2:.2f}" if math.isfinite(r2) else "n/a"
