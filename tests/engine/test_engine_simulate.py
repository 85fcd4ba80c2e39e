"""simulate(): the Dataset contract, determinism, chunking, shocks and required properties."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import natofutures as nf
from natofutures.engine.baseline import Baseline
from natofutures.engine.simulate import VARIABLES, simulate
from natofutures.errors import InputError, ScenarioError

from .conftest import POSTURES

CONTRACT = {
    "gdp": ("draw", "year", "country"),
    "burden": ("draw", "year", "country"),
    "spending": ("draw", "year", "country"),
    "capital": ("draw", "year", "country"),
    "power": ("draw", "year", "country"),
    "delivered": ("draw", "year", "country", "theatre"),
    "balance": ("draw", "year", "theatre"),
    "hazard": ("draw", "year", "theatre"),
    "threat": ("draw", "year", "country", "adversary"),
    "credibility": ("draw", "year", "country"),
    "us_allocation": ("draw", "year", "theatre"),
    "reengaged": ("draw", "year"),
    "energy_dependence": ("draw", "year", "country"),
    "war_started": ("draw", "year", "theatre"),
    "coalition_holds": ("draw", "year", "theatre"),
    "cumulative_risk": ("draw", "year", "theatre"),
}


def _same(a: object, b: object) -> bool:
    import xarray as xr

    assert isinstance(a, xr.Dataset) and isinstance(b, xr.Dataset)
    return all(
        np.array_equal(a[v].to_numpy(), b[v].to_numpy(), equal_nan=True) for v in a.data_vars
    )


def test_dataset_has_the_contracted_dims_variables_units_and_attrs(baseline: Baseline) -> None:
    ds = simulate(nf.posture("division_of_labor"), draws=0, horizon=2045, baseline=baseline)
    for name, dims in CONTRACT.items():
        assert ds[name].dims == dims, name
        assert ds[name].attrs["units"], name
    assert ds.sizes["draw"] == 1 and ds.year.values[0] == baseline.t0 and ds.year.values[-1] == 2045
    assert list(ds.theatre.values) == ["europe", "indo_pacific", "out_of_area"]
    assert list(ds.adversary.values) == ["RUS", "CHN"]
    assert ds.sizes["country"] == baseline.n and "PRK" in ds.attrs["excluded_countries"]
    for key in ("posture", "scenario_hash", "seed", "draws", "data_version", "package_version"):
        assert key in ds.attrs
    assert ds.attrs["posture"] == "division_of_labor" and len(ds.attrs["scenario_hash"]) == 64


def test_t0_state_reproduces_the_data(baseline: Baseline) -> None:
    ds = simulate("business_as_usual", baseline=baseline).isel(draw=0).sel(year=baseline.t0)
    np.testing.assert_allclose(ds.burden.to_numpy(), baseline.burden0, rtol=1e-6)
    np.testing.assert_allclose(ds.gdp.to_numpy(), baseline.gdp0, rtol=1e-6)
    np.testing.assert_allclose(ds.spending.to_numpy(), baseline.burden0 * baseline.gdp0, rtol=1e-6)


def test_monte_carlo_is_deterministic_under_a_seed(baseline: Baseline) -> None:
    a = simulate("division_of_labor", draws=30, seed=7, horizon=2035, baseline=baseline)
    b = simulate("division_of_labor", draws=30, seed=7, horizon=2035, baseline=baseline)
    c = simulate("division_of_labor", draws=30, seed=8, horizon=2035, baseline=baseline)
    assert _same(a, b)
    assert not np.array_equal(a.gdp.to_numpy(), c.gdp.to_numpy())
    assert a.attrs["seed"] == 7 and a.attrs["draws"] == 30


def test_a_draw_depends_only_on_seed_and_its_index(baseline: Baseline) -> None:
    big = simulate(
        "global_vs_china", draws=40, seed=3, horizon=2030, baseline=baseline, chunk_size=7
    )
    small = simulate("global_vs_china", draws=10, seed=3, horizon=2030, baseline=baseline)
    assert _same(big.isel(draw=slice(0, 10)), small)


def test_a_draw_does_not_depend_on_how_many_draws_run(baseline: Baseline) -> None:
    few = simulate("business_as_usual", draws=3, seed=1, horizon=2027, baseline=baseline)
    many = simulate("business_as_usual", draws=11, seed=1, horizon=2027, baseline=baseline)
    assert _same(few, many.isel(draw=slice(0, 3)))


def test_monte_carlo_spreads_around_the_central_case(baseline: Baseline) -> None:
    ds = simulate(
        "business_as_usual",
        draws=200,
        seed=1,
        horizon=2045,
        baseline=baseline,
        variables=["europe_burden", "war_started", "hazard"],
    )
    central = simulate(
        "business_as_usual", draws=0, baseline=baseline, variables=["europe_burden"]
    ).isel(draw=0)
    lo, hi = ds.europe_burden.sel(year=2045).quantile([0.02, 0.98]).to_numpy()
    assert lo < float(central.europe_burden.sel(year=2045)) < hi
    # sampled wars: their frequency matches the mean hazard
    freq = float(ds.war_started.sel(theatre="indo_pacific").mean())
    assert freq == pytest.approx(float(ds.hazard.sel(theatre="indo_pacific").mean()), abs=0.01)
    assert set(ds.data_vars) == {"europe_burden", "war_started", "hazard"}


# ------------------------------------------------------------------ required properties (from data)
def test_europe_perceives_russia_as_a_greater_threat_than_stronger_china(
    baseline: Baseline,
) -> None:
    ds = simulate("business_as_usual", baseline=baseline).isel(draw=0)
    at = ds.sel(year=baseline.t0)
    assert float(at.power.sel(country="CHN")) > float(at.power.sel(country="RUS"))
    europeans = [
        c
        for c, e, r in zip(baseline.iso3, baseline.european, baseline.role, strict=True)
        if e and r == "ally"
    ]
    for year in (baseline.t0, 2035, 2045):
        t = ds.threat.sel(year=year, country=europeans)
        assert (t.sel(adversary="RUS") > t.sel(adversary="CHN")).all(), year


def test_russia_threat_exceeds_china_even_with_equal_intentions(baseline: Baseline) -> None:
    sc = nf.posture("business_as_usual").with_overrides(
        {"intentions.CHN": {1990: 0.9}, "intentions.RUS": {1990: 0.9}}
    )
    df = nf.threat_decomposition(sc, countries=["DEU", "POL", "FRA", "ITA"], baseline=baseline)
    wide = df.pivot(index="country", columns="adversary", values="threat")
    assert (wide["RUS"] > wide["CHN"]).all()
    assert set(df["driver"]) == {"proximity"}


def _burden_2045(sc: nf.Scenario, baseline: Baseline) -> float:
    return float(
        simulate(sc, baseline=baseline, variables=["europe_burden"])
        .europe_burden.sel(year=2045)
        .item()
    )


def test_credible_ally_of_last_resort_raises_european_burdens_low_resolve_backslides(
    baseline: Baseline,
) -> None:
    bau = _burden_2045(nf.posture("business_as_usual"), baseline)
    credible = _burden_2045(
        nf.posture("division_of_labor").with_overrides({"us.resolve": 0.9}), baseline
    )
    fragile = _burden_2045(
        nf.posture("division_of_labor").with_overrides({"us.resolve": 0.1}), baseline
    )
    assert credible > bau + 0.003
    assert fragile < credible - 0.003
    assert fragile - bau < (credible - bau) / 2


def test_business_as_usual_leaves_the_us_least_power_for_the_indo_pacific(
    baseline: Baseline,
) -> None:
    us_ip = {
        name: float(
            simulate(name, baseline=baseline)
            .delivered.sel(country="USA", theatre="indo_pacific", year=2035)
            .item()
        )
        for name in ("business_as_usual", "global_vs_china", "division_of_labor")
    }
    assert us_ip["business_as_usual"] < us_ip["global_vs_china"]
    assert us_ip["business_as_usual"] < us_ip["division_of_labor"]


@pytest.mark.parametrize("name", POSTURES)
def test_every_posture_runs_with_sane_values(name: str, baseline: Baseline) -> None:
    ds = simulate(name, draws=20, seed=2, baseline=baseline)
    for var in ("capital", "spending", "power", "gdp", "burden", "delivered", "hazard", "balance"):
        assert (ds[var] >= 0).all(), var
    for var in ("us_allocation", "hazard", "cumulative_risk", "alignment"):
        assert ((ds[var] >= 0) & (ds[var] <= 1)).all(), var
    assert float(ds.us_allocation.sum("theatre").max()) <= 1.0 + 1e-6
    assert (ds.cumulative_risk.diff("year") >= -1e-7).all()


# ------------------------------------------------------------------ extreme conditions
def test_no_adversary_power_means_no_hazard_in_that_theatre(baseline: Baseline) -> None:
    zero = np.array([c in ("RUS", "BLR") for c in baseline.iso3])
    b0 = dataclasses.replace(
        baseline,
        burden0=np.where(zero, 0.0, baseline.burden0),
        history=np.where(zero[:, None], 0.0, baseline.history),
    )
    sc = nf.posture("division_of_labor").with_overrides({"alignment.support_share": 0.0})
    ds = simulate(sc, draws=10, seed=1, baseline=b0)
    assert (ds.hazard.sel(theatre="europe") == 0).all()
    assert (ds.cumulative_risk.sel(theatre="europe") == 0).all()
    assert not ds.war_started.sel(theatre="europe").any()
    assert np.isinf(ds.balance.sel(theatre="europe")).all()


def test_zero_resolve_leaves_credibility_unchanged_by_the_posture(baseline: Baseline) -> None:
    sc = nf.posture("division_of_labor").with_overrides({"us.resolve": 0.0, "offshore.enabled": 0})
    ds = simulate(sc, baseline=baseline)
    cred = ds.credibility.sel(
        country=[
            c
            for c, r in zip(baseline.iso3, baseline.role, strict=True)
            if r == "ally" and c != "USA"
        ]
    )
    np.testing.assert_allclose(cred.to_numpy(), 0.9, rtol=1e-6)


def test_offshore_trigger_brings_the_us_back_when_europe_collapses(baseline: Baseline) -> None:
    # a huge Russian build-up (a war economy) under an ally-of-last-resort posture
    sc = nf.posture("division_of_labor").with_overrides({"offshore.threshold": 1.5})
    sc = sc.with_shocks([{"kind": "spending", "year": 2026, "country": "RUS", "factor": 6.0}])
    ds = simulate(sc, baseline=baseline).isel(draw=0)
    assert bool(ds.reengaged.sel(year=2045))
    assert float(ds.us_allocation.sel(year=2045, theatre="europe")) == pytest.approx(0.25, abs=1e-6)
    calm = simulate("division_of_labor", baseline=baseline).isel(draw=0)
    assert not calm.reengaged.any()


def test_shocks_take_effect(baseline: Baseline) -> None:
    sc = nf.load_scenario("tests/engine/fixtures/good_withdrawal.json").with_shocks(
        [
            {"kind": "war", "year": 2030, "theatre": "indo_pacific"},
            {"kind": "energy_cutoff", "year": 2030, "factor": 0.5},
        ]
    )
    ds = simulate(sc, baseline=baseline).isel(draw=0)
    base = simulate("business_as_usual", baseline=baseline).isel(draw=0)
    assert float(ds.us_allocation.sel(year=2028, theatre="europe")) == 0.0
    assert bool(ds.war_started.sel(year=2030, theatre="indo_pacific")) and not bool(
        ds.war_started.sel(year=2031, theatre="indo_pacific")
    )
    assert float(ds.burden.sel(year=2027, country="RUS")) == pytest.approx(
        1.3 * float(base.burden.sel(year=2027, country="RUS")), rel=1e-6
    )
    ratio = ds.energy_dependence.sel(year=2030, country="DEU") / ds.energy_dependence.sel(
        year=2029, country="DEU"
    )
    assert float(ratio) < 0.5


def test_gdp_and_intention_shocks(baseline: Baseline) -> None:
    sc = nf.posture("business_as_usual").with_shocks(
        [
            {"kind": "gdp", "year": 2030, "country": "ALL", "factor": 0.9},
            {"kind": "intentions", "year": 2030, "adversary": "CHN", "value": 1.0, "duration": 2},
        ]
    )
    ds = simulate(sc, baseline=baseline).isel(draw=0)
    base = simulate("business_as_usual", baseline=baseline).isel(draw=0)
    assert float(
        ds.gdp.sel(year=2030, country="DEU") / base.gdp.sel(year=2030, country="DEU")
    ) == pytest.approx(0.9, rel=1e-5)
    assert list(
        ds.intentions.sel(adversary="CHN", year=[2029, 2030, 2031, 2032]).round(3).to_numpy()
    ) == [0.65, 1.0, 1.0, 0.65]


# ------------------------------------------------------------------ user errors
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"draws": -1}, "draws"),
        ({"draws": 1.5}, "draws"),
        ({"seed": -3}, "seed"),
        ({"horizon": 2024}, "horizon"),
        ({"horizon": 2101}, "horizon"),
        ({"variables": ["nope"]}, "variables"),
        ({"chunk_size": 0}, "chunk_size"),
    ],
)
def test_bad_arguments_are_one_line_input_errors(
    kwargs: dict[str, object], field: str, baseline: Baseline
) -> None:
    with pytest.raises(InputError, match=rf"^{field}: "):
        simulate("business_as_usual", baseline=baseline, **kwargs)  # type: ignore[arg-type]


def test_unknown_shock_country_and_unknown_posture(baseline: Baseline) -> None:
    sc = nf.posture("business_as_usual").with_shocks(
        [{"kind": "spending", "year": 2030, "country": "XXX", "factor": 2}]
    )
    with pytest.raises(ScenarioError, match=r"shocks\[0\]\.country"):
        simulate(sc, baseline=baseline)
    with pytest.raises(ScenarioError, match="posture"):
        simulate("no_such_posture", baseline=baseline)


def test_variables_table_lists_every_output() -> None:
    assert set(CONTRACT) <= set(VARIABLES)
