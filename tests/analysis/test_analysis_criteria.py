"""Criteria: known answers on a small synthetic run, and the essay's claims on the real model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from natofutures.analysis import criteria as cr
from natofutures.analysis.criteria import CRITERIA, SIMULATED, Context

COUNTRIES = ["USA", "DEU", "POL", "RUS", "CHN"]
THEATRES = ["europe", "indo_pacific", "out_of_area"]
YEARS = [2024, 2025, 2026]


def synthetic(draws: int = 2) -> xr.Dataset:
    """Two projected years after t0 = 2024, constant in time, easy numbers."""
    d, y, c, t = draws, len(YEARS), len(COUNTRIES), len(THEATRES)

    def full(shape: tuple[int, ...], values: list[float], axis: int) -> np.ndarray:
        arr = np.zeros(shape)
        idx = [np.newaxis] * len(shape)
        idx[axis] = slice(None)
        arr[...] = np.asarray(values)[tuple(idx)]
        return arr

    gdp = full((d, y, c), [20000, 4000, 1000, 2000, 18000], 2)
    burden = full((d, y, c), [0.04, 0.02, 0.04, 0.06, 0.02], 2)
    power = full((d, y, c), [3000, 300, 100, 900, 2000], 2)
    delivered = np.zeros((d, y, c, t))
    delivered[:, :, 0, :] = [100.0, 500.0, 50.0]  # USA
    delivered[:, :, 1, 0] = 250.0  # DEU in Europe
    delivered[:, :, 2, 0] = 50.0  # POL in Europe
    delivered[:, :, 1, 2] = 50.0  # DEU out of area
    hazard = full((d, y, t), [0.1, 0.2, 0.05], 2)
    threat = np.zeros((d, y, c, 2))
    threat[..., 0] = 3.0  # RUS
    threat[..., 1] = 1.0  # CHN
    alloc = full((d, y, t), [0.25, 0.5, 0.15], 2)
    energy = full((d, y, c), [np.nan, 0.1, 0.3, np.nan, np.nan], 2)
    return xr.Dataset(
        {
            "gdp": (("draw", "year", "country"), gdp),
            "burden": (("draw", "year", "country"), burden),
            "spending": (("draw", "year", "country"), gdp * burden),
            "power": (("draw", "year", "country"), power),
            "delivered": (("draw", "year", "country", "theatre"), delivered),
            "hazard": (("draw", "year", "theatre"), hazard),
            "threat": (("draw", "year", "country", "adversary"), threat),
            "us_allocation": (("draw", "year", "theatre"), alloc),
            "energy_dependence": (("draw", "year", "country"), energy),
            "alignment": (("draw", "year"), np.full((d, y), 0.4)),
        },
        coords={
            "draw": np.arange(d),
            "year": YEARS,
            "country": COUNTRIES,
            "theatre": THEATRES,
            "adversary": ["RUS", "CHN"],
        },
        attrs={"t0": 2024},
    )


LEVERS = {
    "out_of_area.engagement": 0.5,
    "hazard.h0.out_of_area": 0.2,
    "framing.ideological": 0.5,
    "framing.containment": 0.0,
    "us.guarantee": 1.0,
    "europe.indo_pacific_share": 0.0,
    "alignment.base": 0.3,
    "alignment.framing_effect": 0.3,
    "alignment.containment_effect": 0.15,
}


@pytest.fixture
def ctx() -> Context:
    return Context(
        european=("DEU", "POL"),
        allies=("USA", "DEU", "POL"),
        levers=dict(LEVERS),
        pledge_path={y: 0.035 for y in YEARS},
        autocracy={"SAU": 0.1, "TUR": 0.05},
    )


def values(ctx: Context, ds: xr.Dataset | None = None) -> pd.Series:
    proj = cr._projection(ds if ds is not None else synthetic())
    return pd.Series({name: cr.FORMULAS[name](proj, ctx)[0] for name in SIMULATED})


def test_known_answers_on_a_synthetic_run(ctx: Context) -> None:
    v = values(ctx)
    # US spending 800/yr, 40% of it committed to Europe + out of area, 2 projected years.
    assert v["us_cost"] == pytest.approx(2 * 800 * 0.40 / 1000)
    assert v["europe_risk"] == pytest.approx(100 * (1 - 0.9**2))
    assert v["indo_pacific_risk"] == pytest.approx(100 * (1 - 0.8**2))
    # Europe: USA 100, DEU 250, POL 50 -> Europeans deliver 300/400.
    assert v["european_self_reliance"] == pytest.approx(75.0)
    # European burden (80 + 40) / 5000 = 2.4% against the US 4%.
    assert v["burden_equity"] == pytest.approx(0.024 / 0.04)
    assert v["european_fiscal_cost"] == pytest.approx(2.4)
    # Out of area: h0 0.2 x engagement 0.5 x US share 50/100; Europe: 0.15 x 1 x 100/400.
    assert v["entrapment"] == pytest.approx(2 * (0.2 * 0.5 * 0.5 + 0.15 * 1.0 * 0.25))
    # Gini of European power (300, 100) is 0.25; pressure (1 - 0.25) x 0.25.
    assert v["intra_european_stability"] == pytest.approx(1 - 0.75 * 0.25)
    # HHI of (0.25, 0.625, 0.125); tau = 3/4 for both; phi = 0.25 / 0.75.
    hhi = 0.25**2 + 0.625**2 + 0.125**2
    assert v["cohesion"] == pytest.approx(0.5 * hhi + 0.5 * (1 - abs(0.75 - 1 / 3)))
    assert v["autocratic_alignment"] == pytest.approx(0.4)
    assert v["partner_strain"] == pytest.approx(0.5 * 0.15)
    # Pledge 3.5%: DEU short by 1.5 pp, POL by 0 -> GDP-weighted 1.2 pp.
    assert v["transatlantic_rancor"] == pytest.approx(100 * 0.015 * 4000 / 5000)
    # Gas: DEU 10%, POL 30%, GDP-weighted.
    assert v["energy_dependence"] == pytest.approx(100 * (0.1 * 4000 + 0.3 * 1000) / 5000)


def test_indo_pacific_ask_adds_rancor(ctx: Context) -> None:
    base = values(ctx)["transatlantic_rancor"]
    asked = Context(**{**ctx.__dict__, "levers": {**ctx.levers, "framing.containment": 1.0}})
    extra = values(asked)["transatlantic_rancor"] - base
    assert extra == pytest.approx(100 * cr.INDO_PACIFIC_ASK * 0.024)


def test_alignment_from_levers_when_the_engine_gives_none(ctx: Context) -> None:
    ds = synthetic().drop_vars("alignment")
    assert values(ctx, ds)["autocratic_alignment"] == pytest.approx(0.3 + 0.3 * 0.5)


def test_gini_known_values() -> None:
    x = np.array([[1.0, 1.0], [0.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(cr._gini(x), [0, 0.5, 0])


def test_pledge_path_follows_the_summits() -> None:
    path = cr.pledge_path()
    assert path[2013] == 0.0
    assert path[2014] == pytest.approx(0.02)
    assert path[2030] == pytest.approx(0.02 + 0.015 * 0.5)
    assert path[2035] == path[2045] == pytest.approx(0.035)


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    """Median criteria of the four postures from the real engine (central case)."""
    from natofutures.engine.simulate import simulate
    from natofutures.scenario import posture, posture_names

    rows = {}
    for name in posture_names():
        ds = simulate(posture(name), draws=0, horizon=2040)
        rows[name] = cr.evaluate(ds).iloc[0]
    return pd.DataFrame(rows).T


def test_evaluate_returns_finite_draws_by_criteria() -> None:
    from natofutures.engine.simulate import simulate

    ds = simulate("business_as_usual", draws=20, seed=3, horizon=2035)
    df = cr.evaluate(ds)
    assert list(df.columns) == list(SIMULATED)
    assert len(df) == 20 and df.index.name == "draw"
    assert np.isfinite(df.to_numpy()).all()
    # directions and units exist for every column
    assert all(CRITERIA[c].unit for c in df.columns)


def test_model4_europe_is_most_self_reliant_and_cheapest_for_the_us(real: pd.DataFrame) -> None:
    assert real["european_self_reliance"].idxmax() == "division_of_labor"
    assert real["us_cost"].idxmin() == "division_of_labor"
    assert real["entrapment"].idxmin() == "division_of_labor"
    # ... but Europe pays more (the welfare trade-off).
    assert real["european_fiscal_cost"].idxmax() == "division_of_labor"


def test_model2_strains_partners_and_pushes_autocracies_together(real: pd.DataFrame) -> None:
    assert real["partner_strain"].idxmax() == "democracy_international"
    assert real["autocratic_alignment"].idxmax() == "democracy_international"


def test_model1_keeps_the_pacifier_and_the_clear_leader(real: pd.DataFrame) -> None:
    assert real["intra_european_stability"].idxmax() == "business_as_usual"
    assert real["cohesion"].idxmax() == "business_as_usual"


def test_model3_breeds_the_most_rancor(real: pd.DataFrame) -> None:
    assert real["transatlantic_rancor"].idxmax() == "global_vs_china"
