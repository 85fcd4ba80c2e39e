"""The validation suite (docs/validation.md, issue #5): behaviour reproduction, extreme
conditions and the essay's reasoned claims, each checked as a RESULT of the model on the
bundled data.

Every check returns the figure behind its verdict. Thresholds are stated here and in
docs/validation.md before the figures were seen; a failing check is reported as failing.

References: Sterman, J. D. (2000), Business Dynamics, ch. 21 (behaviour reproduction and
extreme-conditions tests); Walt, S. M. (2022), Which NATO do we need? (the essay's claims).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

#: check years: the end of the postures' ten-year transitions, and the horizon
MID_YEAR = 2035
HORIZON = 2045
EUROPE_SHARE_SMALL = 0.10  # "small share" of the Indo-Pacific coalition
BACKSLIDE_FRACTION = 0.5  # a non-credible shift keeps less than half of the credible gain


@dataclass(frozen=True)
class Check:
    """One validation check: its verdict and the figure behind it."""

    group: str
    name: str
    passed: bool
    figure: str
    value: float
    threshold: str

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["passed"] = bool(self.passed)
        out["value"] = None if not np.isfinite(self.value) else float(self.value)
        return out


@lru_cache(maxsize=32)
def _run(posture: str, overrides: tuple[tuple[str, float], ...] = ()) -> Any:
    import natofutures as nf

    sc = nf.posture(posture)
    if overrides:
        sc = sc.with_overrides(dict(overrides))
    return nf.simulate(sc, draws=0, seed=0, horizon=HORIZON).isel(draw=0)


Extra = tuple[tuple[str, float], ...]


def _sim(posture: str, overrides: Mapping[str, float] | None = None, extra: Extra = ()) -> Any:
    """Deterministic run; ``extra`` (e.g. the calibrated coefficients) applies underneath."""
    merged = dict(extra)
    merged.update(overrides or {})
    return _run(posture, tuple(sorted(merged.items())))


def calibrated_overrides() -> Extra:
    """The fitted values of ``parameters/calibration.yaml`` as engine overrides."""
    from natofutures.parameters import load_yaml

    doc = load_yaml("calibration.yaml")
    return tuple(sorted((k, float(v["value"])) for k, v in doc["parameters"].items()))


def _european(ds: Any) -> list[str]:
    from natofutures import data

    c = data.countries()
    eu = set(c[(c["role"] == "ally") & c["european"].astype(bool)]["iso3"])
    return [str(x) for x in ds["country"].values if str(x) in eu]


def _eu_burden(ds: Any, year: int) -> float:
    return float(ds["europe_burden"].sel(year=year))


# --------------------------------------------------------------------------- behaviour reproduction
def check_hindcast(extra: Extra = (), until: int = 2013) -> list[Check]:
    """Fit the burden model (issue #14) to ``until``, simulate forward, compare with actuals."""
    from natofutures.analysis.burden import model as bm
    from natofutures.analysis.burden import run as br

    run = br.calibrate(None, until)
    assert run.hindcast_metrics is not None
    m = run.hindcast_metrics
    full = br.calibrate(None, None).fit
    fr = {n: (full.value(n), full.se(n)) for n in bm.EXPECTED_FREE_RIDING}
    signs = ", ".join(f"{bm.TERMS[n][0]} = {v:.3g} ± {s:.2g}" for n, (v, s) in fr.items())
    free_riding = [n for n, (v, s) in fr.items() if v + 1.645 * s < 0]
    return [
        Check(
            "behaviour reproduction",
            f"burden model hindcast {until + 1}-{int(full.last)} beats no change",
            bool(m["rmse_pp"] < m["no_change_rmse_pp"]),
            f"RMSE {m['rmse_pp']:.2f} pp vs no change {m['no_change_rmse_pp']:.2f} pp; 90% "
            f"band covers {m['coverage90']:.0%} of ally-years; fitted {run.fit.first}-{until}",
            m["rmse_pp"],
            "RMSE < no-change RMSE",
        ),
        Check(
            "behaviour reproduction",
            f"free riding: a negative response to US or allies' spill-ins or US troops "
            f"({full.first}-{full.last})",
            bool(free_riding),
            signs,
            float(len(free_riding)),
            "at least one of β_US, β_S, β_M below 0 at 90%",
        ),
    ]


# --------------------------------------------------------------------------- extreme conditions
def check_no_adversary(extra: Extra = ()) -> Check:
    bau = _sim("business_as_usual", extra=extra)
    ds = _sim("business_as_usual", {"budgets.scale.RUS": 0.0, "budgets.scale.CHN": 0.0}, extra)
    bal, bal0 = (
        float(ds["balance"].sel(year=HORIZON, theatre="europe")),
        float(bau["balance"].sel(year=HORIZON, theatre="europe")),
    )
    hz, hz0 = (
        float(ds["hazard"].sel(year=HORIZON, theatre="europe")),
        float(bau["hazard"].sel(year=HORIZON, theatre="europe")),
    )
    b, b0 = _eu_burden(ds, HORIZON), _eu_burden(bau, HORIZON)
    return Check(
        "extreme conditions",
        "no adversary spending: Europe's balance up, hazard and burdens down",
        bool(bal > bal0 and hz < hz0 and b <= b0 + 1e-12),
        f"{HORIZON}: balance {bal:.2f} vs {bal0:.2f}, hazard {hz:.4f} vs {hz0:.4f}, "
        f"European burden {b:.2%} vs {b0:.2%} (BAU)",
        bal / bal0,
        "balance > BAU, hazard < BAU, burden ≤ BAU",
    )


def check_no_us(extra: Extra = ()) -> Check:
    bau = _sim("business_as_usual", extra=extra)
    ds = _sim(
        "business_as_usual",
        {
            "us.allocation.europe": 0.0,
            "us.forward_presence.europe": 0.0,
            "us.guarantee": 0.0,
            "us.resolve": 1.0,
        },
        extra,
    )
    us = float(ds["delivered"].sel(year=HORIZON, country="USA", theatre="europe"))
    bal, bal0 = (
        float(ds["balance"].sel(year=HORIZON, theatre="europe")),
        float(bau["balance"].sel(year=HORIZON, theatre="europe")),
    )
    b, b0 = _eu_burden(ds, HORIZON), _eu_burden(bau, HORIZON)
    return Check(
        "extreme conditions",
        "no US in Europe: no US power there, balance down, burdens not below BAU",
        bool(us == 0.0 and bal < bal0 and b >= b0 - 1e-12),
        f"{HORIZON}: US power delivered {us:.1f}, balance {bal:.2f} vs {bal0:.2f}, "
        f"European burden {b:.2%} vs {b0:.2%}",
        b - b0,
        "US delivered = 0, balance < BAU, burden ≥ BAU",
    )


def check_full_resolve(extra: Extra = ()) -> Check:
    ds = _sim("division_of_labor", {"us.resolve": 1.0, "offshore.enabled": 0.0}, extra)
    eu = _european(ds)
    cred = float(ds["credibility"].sel(year=HORIZON, country=eu).mean())
    g = float(ds["credibility"].sel(year=HORIZON, country=eu).std())
    return Check(
        "extreme conditions",
        "full resolve: credibility converges to the declared guarantee (0.3)",
        bool(abs(cred - 0.3) < 0.02),
        f"{HORIZON}: mean European credibility {cred:.3f} (sd {g:.3f})",
        cred,
        "|c − 0.3| < 0.02",
    )


def check_extreme_threat(extra: Extra = ()) -> Check:
    from natofutures.scenario import parameter_table

    table = parameter_table()
    floor = float(table["burden.floor"].value or 0.0)
    ceiling = float(table["burden.ceiling"].value or 0.0)
    bau = _sim("business_as_usual", extra=extra)
    ds = _sim("business_as_usual", {"intentions.scale.RUS": 5.0, "budgets.scale.RUS": 5.0}, extra)
    eu = _european(ds)
    b = ds["burden"].sel(country=eu)
    hi, lo = float(b.max()), float(b.min())
    eb, eb0 = _eu_burden(ds, HORIZON), _eu_burden(bau, HORIZON)
    return Check(
        "extreme conditions",
        "extreme Russian threat: burdens rise but stay within [floor, ceiling]",
        bool(lo >= floor - 1e-9 and hi <= ceiling + 1e-6 and eb > eb0),
        f"burdens {lo:.2%}..{hi:.2%} (ceiling {ceiling:.0%}); {HORIZON} European burden "
        f"{eb:.2%} vs {eb0:.2%} (BAU)",
        hi,
        "floor ≤ b ≤ ceiling and burden > BAU",
    )


def check_frozen_budgets(extra: Extra = ()) -> Check:
    ds = _sim("business_as_usual", {"burden.adjustment_speed": 0.0}, extra)
    eu = _european(ds)
    b = ds["burden"].sel(country=eu)
    drift = float(np.abs(b - b.isel(year=0)).max())
    return Check(
        "extreme conditions",
        "adjustment speed 0: every European burden stays at its t0 value",
        bool(drift < 1e-6),
        f"largest change from t0: {drift:.2e}",
        drift,
        "max |b − b0| < 1e-6",
    )


# --------------------------------------------------------------------------- essay claims
def check_russia_vs_china(extra: Extra = ()) -> Check:
    ds = _sim("business_as_usual", extra=extra)
    t0 = int(ds["year"].values[0])
    eu = _european(ds)
    th = ds["threat"].sel(year=t0, country=eu)
    t_rus, t_chn = float(th.sel(adversary="RUS").mean()), float(th.sel(adversary="CHN").mean())
    p = ds["power"].sel(year=t0)
    p_rus, p_chn = float(p.sel(country="RUS")), float(p.sel(country="CHN"))
    return Check(
        "essay claims",
        "European allies perceive Russia as a greater threat than China, though China is stronger",
        bool(t_rus > t_chn and p_chn > p_rus),
        f"{t0}: mean threat RUS {t_rus:.3f} vs CHN {t_chn:.3f}; power CHN/RUS {p_chn / p_rus:.2f}",
        t_rus / t_chn,
        "T_RUS > T_CHN and P_CHN > P_RUS",
    )


def check_frontline(extra: Extra = ()) -> Check:
    from natofutures import data

    ds = _sim("business_as_usual", extra=extra)
    t0 = int(ds["year"].values[0])
    eu = _european(ds)
    br = data.borders()
    near = set(br.loc[br["neighbour"] == "RUS", "iso3"]) | set(
        br.loc[br["iso3"] == "RUS", "neighbour"]
    )
    front = [c for c in eu if c in near]
    rest = [c for c in eu if c not in near]
    th = ds["threat"].sel(year=t0, adversary="RUS")
    tf, tr = float(th.sel(country=front).mean()), float(th.sel(country=rest).mean())
    return Check(
        "essay claims",
        "frontline allies (bordering Russia) perceive more threat than distant ones",
        bool(tf > tr),
        f"{t0}: mean threat from Russia {tf:.3f} ({', '.join(front)}) vs {tr:.3f} "
        f"({len(rest)} others)",
        tf / tr,
        "frontline mean > others' mean",
    )


def check_europe_indo_pacific(extra: Extra = ()) -> Check:
    ds = _sim("global_vs_china", extra=extra)
    eu = _european(ds)
    yrs = slice(MID_YEAR, HORIZON)
    mine = ds["delivered"].sel(country=eu, theatre="indo_pacific", year=yrs).sum("country")
    coal = ds["coalition_power"].sel(theatre="indo_pacific", year=yrs)
    share = float((mine / coal).mean())
    return Check(
        "essay claims",
        "European power delivered to the Indo-Pacific is a small share of the coalition there",
        bool(share < EUROPE_SHARE_SMALL),
        f"global_vs_china {MID_YEAR}-{HORIZON}: European allies {share:.1%} of the coalition",
        share,
        f"share < {EUROPE_SHARE_SMALL:.0%}",
    )


def check_credible_shift(extra: Extra = ()) -> list[Check]:
    bau = _eu_burden(_sim("business_as_usual", extra=extra), MID_YEAR)
    cred = _eu_burden(_sim("division_of_labor", {"us.resolve": 0.9}, extra), MID_YEAR)
    weak = _eu_burden(_sim("division_of_labor", {"us.resolve": 0.1}, extra), MID_YEAR)
    gain, kept = cred - bau, weak - bau
    return [
        Check(
            "essay claims",
            "a credible US shift to ally of last resort raises European burdens above BAU",
            bool(gain > 0),
            f"{MID_YEAR}: European burden {cred:.2%} (resolve 0.9) vs {bau:.2%} (BAU), "
            f"{gain * 100:+.2f} pp",
            gain,
            "burden > BAU",
        ),
        Check(
            "essay claims",
            "a non-credible shift: Europe backslides (keeps < half the credible gain)",
            bool(kept < BACKSLIDE_FRACTION * gain),
            f"{MID_YEAR}: European burden {weak:.2%} (resolve 0.1), {kept * 100:+.2f} pp vs "
            f"BAU against {gain * 100:+.2f} pp if credible",
            kept,
            f"gain < {BACKSLIDE_FRACTION:g} × credible gain",
        ),
    ]


def check_opportunity_cost(extra: Extra = ()) -> Check:
    def us_indo(posture: str) -> float:
        d = _sim(posture, extra=extra)["delivered"].sel(
            country="USA", theatre="indo_pacific", year=slice(MID_YEAR, HORIZON)
        )
        return float(d.mean())

    bau, dol, gvc = (
        us_indo("business_as_usual"),
        us_indo("division_of_labor"),
        us_indo("global_vs_china"),
    )
    return Check(
        "essay claims",
        "BAU leaves the US less power for the Indo-Pacific than division of labour or going global",
        bool(bau < dol and bau < gvc),
        f"US power delivered to the Indo-Pacific {MID_YEAR}-{HORIZON}: BAU {bau:.0f}, "
        f"division of labour {dol:.0f}, going global {gvc:.0f}",
        min(dol, gvc) - bau,
        "BAU < both",
    )


CHECKS: tuple[Callable[[Extra], Check | list[Check]], ...] = (
    check_hindcast,
    check_no_adversary,
    check_no_us,
    check_full_resolve,
    check_extreme_threat,
    check_frozen_budgets,
    check_russia_vs_china,
    check_frontline,
    check_europe_indo_pacific,
    check_credible_shift,
    check_opportunity_cost,
)


def run_checks(calibrated: bool = False) -> list[Check]:
    """Run every check; each returns pass/fail and the figure behind it.

    With ``calibrated`` every simulation uses the fitted coefficients of
    ``parameters/calibration.yaml`` instead of the provisional defaults.
    """
    extra = calibrated_overrides() if calibrated else ()
    out: list[Check] = []
    for check in CHECKS:
        res = check(extra)
        out.extend(res if isinstance(res, list) else [res])
    return out


def table(checks: list[Check]) -> pd.DataFrame:
    """Checks as a DataFrame (group, name, passed, figure, value, threshold)."""
    return pd.DataFrame([c.as_dict() for c in checks])
