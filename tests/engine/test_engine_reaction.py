"""Adversaries that react (issue #15 item 3, methodology §13): with ``reaction.enabled`` on,
Russia's and China's budgets follow the fitted error-correction model, answering NATO's
spending simulated in the same draw; off (the default), the engine is what it was."""

from __future__ import annotations

import numpy as np
import pytest

import natofutures as nf
from natofutures.analysis.reaction import adversary_budget_step
from natofutures.engine import adversary_reaction
from natofutures.engine.baseline import Baseline
from natofutures.engine.simulate import simulate
from natofutures.errors import ScenarioError

BACKENDS = ("numba", "numpy")
ON = {"reaction.enabled": 1}


def _coef(iso: str) -> dict[str, float]:
    return dict(adversary_reaction.calibration()[iso]["coefficients"])


def _step_args(c: np.ndarray) -> list[float]:
    return [float(x) for x in c]


@pytest.mark.parametrize("iso", adversary_reaction.ADVERSARIES)
def test_the_engine_step_is_the_calibrated_equation(iso: str) -> None:
    coef = _coef(iso)
    levels = (120.0, 900.0, 870.0, 400.0, 380.0, 5200.0, 5000.0)  # m, u, u2, e, e2, Y_t, Y_t-1
    expected = adversary_budget_step(
        np.array([levels[0]]), np.array([levels[1]]), np.array([levels[2]]),
        np.array([levels[3]]), np.array([levels[4]]), np.array([levels[5]]),
        np.array([levels[6]]), coef,
    )[0]  # fmt: skip
    alpha = coef["const"] + coef.get("post1991", 0.0)
    slopes = [coef[s] for s in adversary_reaction.SLOPES]
    got = adversary_reaction.budget_step(alpha, *slopes, *levels)
    assert got == pytest.approx(expected, rel=1e-12)


def test_the_anchored_intercept_holds_the_t0_level_when_nothing_changes() -> None:
    m0, y0 = np.array([100.0, 300.0]), np.array([5000.0, 30000.0])
    c = adversary_reaction.coefficients(None, 1, m0, 900.0, 400.0, y0)
    for j in range(2):
        got = adversary_reaction.budget_step(
            *_step_args(c[0, j]), m0[j], 900.0, 900.0, 400.0, 400.0, y0[j], y0[j]
        )
        assert got == pytest.approx(m0[j], rel=1e-12)


def test_slopes_are_drawn_around_the_fit_with_its_standard_errors() -> None:
    z = np.random.default_rng(0).standard_normal((4000, 14))
    s = adversary_reaction.slope_draws(z, 4000)
    cal = adversary_reaction.calibration()["RUS"]
    j = adversary_reaction.SLOPES.index("phi_europe")
    assert s[:, 0, j].mean() == pytest.approx(cal["coefficients"]["phi_europe"], abs=0.03)
    assert s[:, 0, j].std() == pytest.approx(cal["se"]["phi_europe"], rel=0.05)
    assert (s[:, :, 0] <= 0.0).all()  # λ capped at 0: no budget running away from equilibrium


@pytest.mark.parametrize("iso", adversary_reaction.ADVERSARIES)
def test_slopes_are_drawn_with_the_fits_correlations(iso: str) -> None:
    n = 40_000
    z = np.random.default_rng(1).standard_normal((n, 14))
    a = adversary_reaction.ADVERSARIES.index(iso)
    s = adversary_reaction.slope_draws(z, n)[:, a, 1:]  # λ (column 0) is capped: left out
    cov = adversary_reaction.slope_covariance(iso)[1:, 1:]
    sd = np.sqrt(np.diag(cov))
    want = cov / np.outer(sd, sd)
    assert np.abs(want[np.triu_indices(len(sd), 1)]).max() > 0.3  # the fit's slopes correlate
    np.testing.assert_allclose(np.corrcoef(s, rowvar=False), want, atol=0.03)
    np.testing.assert_allclose(s.std(axis=0), sd, rtol=0.03)


def test_the_slope_covariance_agrees_with_the_listed_standard_errors() -> None:
    for iso in adversary_reaction.ADVERSARIES:
        se = adversary_reaction.calibration()[iso]["se"]
        cov = adversary_reaction.slope_covariance(iso)
        got = np.sqrt(np.diag(cov))
        want = [se[s] for s in adversary_reaction.SLOPES]
        np.testing.assert_allclose(got, want, atol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_off_by_default_the_adversaries_follow_their_exogenous_paths(
    backend: str, baseline: Baseline
) -> None:
    assert nf.posture("business_as_usual").parameter("reaction.enabled") == 0
    sc = nf.posture("division_of_labor")
    base = simulate(sc, horizon=2035, baseline=baseline, backend=backend)
    off = simulate(sc.with_overrides({"reaction.enabled": 0}), horizon=2035, baseline=baseline,
                   backend=backend)  # fmt: skip
    for v in base.data_vars:
        np.testing.assert_array_equal(base[v].to_numpy(), off[v].to_numpy(), err_msg=v)
    rus = baseline.iso3.index("RUS")
    burden = base.burden.sel(country="RUS").to_numpy().ravel()
    path = sc.parameter("budgets.path.RUS")
    assert isinstance(path, dict)
    assert burden[-1] == pytest.approx(baseline.burden0[rus] * path[2035] / path[2024])


def test_off_the_monte_carlo_draws_are_unchanged(baseline: Baseline) -> None:
    sc = nf.posture("business_as_usual")
    kw = {"draws": 6, "seed": 4, "horizon": 2030, "baseline": baseline}
    a = simulate(sc, **kw)  # type: ignore[arg-type]
    b = simulate(sc.with_overrides({"reaction.enabled": 0}), **kw)  # type: ignore[arg-type]
    for v in a.data_vars:
        np.testing.assert_array_equal(a[v].to_numpy(), b[v].to_numpy(), err_msg=v)


@pytest.mark.parametrize("backend", BACKENDS)
def test_on_the_central_path_starts_where_the_data_end(backend: str, baseline: Baseline) -> None:
    ds = simulate(nf.posture("business_as_usual").with_overrides(ON), horizon=2030,
                  baseline=baseline, backend=backend)  # fmt: skip
    for iso in adversary_reaction.ADVERSARIES:
        i = baseline.iso3.index(iso)
        m = ds.spending.sel(country=iso).to_numpy().ravel()
        assert m[0] == pytest.approx(baseline.burden0[i] * baseline.gdp0[i])
        # one year on, only NATO's and the adversary's own growth have moved it: no jump
        assert abs(np.log(m[1] / m[0])) < 0.1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_posture_that_rearms_europe_moves_russia_the_way_the_fit_says(
    backend: str, baseline: Baseline
) -> None:
    same_us_target = {"us.solve_ratio.indo_pacific": 0.0}  # US budget on its exogenous path

    def run(name: str):  # type: ignore[no-untyped-def]
        sc = nf.posture(name).with_overrides({**ON, **same_us_target})
        return simulate(sc, horizon=2035, baseline=baseline, backend=backend)

    bau, dol = run("business_as_usual"), run("division_of_labor")
    allies = [c for c in bau.country.values if c in {"DEU", "FRA", "POL", "ITA", "GBR"}]
    eu_bau = float(bau.spending.sel(country=allies, year=2035).sum())
    eu_dol = float(dol.spending.sel(country=allies, year=2035).sum())
    assert eu_dol > eu_bau  # the posture makes Europe re-arm
    np.testing.assert_array_equal(  # ... and leaves the US budget where it was
        bau.spending.sel(country="USA").to_numpy(), dol.spending.sel(country="USA").to_numpy()
    )
    rus_bau = float(bau.spending.sel(country="RUS", year=2035).squeeze())
    rus_dol = float(dol.spending.sel(country="RUS", year=2035).squeeze())
    coef = _coef("RUS")
    long_run = -coef["phi_europe"] / coef["lambda_own"]  # θ_EU, sign of the fitted response
    assert np.sign(rus_dol - rus_bau) == np.sign(long_run)
    assert abs(np.log(rus_dol / rus_bau)) > 0.01  # a visible move, not rounding


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_spending_shock_on_russia_still_applies_on_top(backend: str, baseline: Baseline) -> None:
    sc = nf.posture("business_as_usual").with_overrides(ON)
    shocked = sc.with_shocks([{"kind": "spending", "year": 2028, "country": "RUS", "factor": 0.5}])
    a = simulate(sc, horizon=2030, baseline=baseline, backend=backend)
    b = simulate(shocked, horizon=2030, baseline=baseline, backend=backend)
    ma = a.spending.sel(country="RUS").to_numpy().ravel()
    mb = b.spending.sel(country="RUS").to_numpy().ravel()
    years = list(a.year.values)
    k = years.index(2028)
    np.testing.assert_array_equal(ma[:k], mb[:k])
    assert mb[k] == pytest.approx(0.5 * ma[k], rel=1e-12)


def test_numpy_and_numba_agree_in_monte_carlo(baseline: Baseline) -> None:
    sc = nf.posture("division_of_labor").with_overrides(ON)
    kw = {"draws": 12, "seed": 9, "horizon": 2035, "baseline": baseline}
    a = simulate(sc, **kw)  # type: ignore[arg-type]
    b = simulate(sc, backend="numpy", **kw)  # type: ignore[arg-type]
    for v in a.data_vars:
        np.testing.assert_allclose(a[v].to_numpy(), b[v].to_numpy(), rtol=1e-12, atol=1e-15,
                                   equal_nan=True, err_msg=v)  # fmt: skip


def test_coefficients_vary_per_draw_and_depend_only_on_seed_and_draw(baseline: Baseline) -> None:
    sc = nf.posture("business_as_usual").with_overrides(ON)
    kw = {"seed": 21, "horizon": 2032, "baseline": baseline}
    few = simulate(sc, draws=5, **kw)  # type: ignore[arg-type]
    many = simulate(sc, draws=11, chunk_size=4, **kw)  # type: ignore[arg-type]
    rus = few.spending.sel(country="RUS", year=2032).to_numpy()
    assert np.unique(rus).size == 5  # the response differs draw by draw
    np.testing.assert_array_equal(rus, many.spending.sel(country="RUS", year=2032)[:5].to_numpy())
    again = simulate(sc, draws=5, **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(few.spending.to_numpy(), again.spending.to_numpy())


def test_a_bad_lever_value_is_refused_naming_the_field() -> None:
    with pytest.raises(ScenarioError, match=r"reaction\.enabled"):
        nf.posture("business_as_usual").with_overrides({"reaction.enabled": 2})
