"""Sensitivity: SALib's Sobol' and Morris on the Ishigami function with known indices."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.test_functions import Ishigami

from natofutures.analysis import sensitivity as sens
from natofutures.errors import InputError

ISHIGAMI = [sens.Uncertainty(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3)]
# Analytical indices for a = 7, b = 0.1 (Ishigami and Homma 1990; SALib's docs).
S1_TRUE = np.array([0.3139, 0.4424, 0.0])
ST_TRUE = np.array([0.5576, 0.4424, 0.2437])


def test_sobol_recovers_the_ishigami_indices() -> None:
    res = sens.run(ISHIGAMI, Ishigami.evaluate, method="sobol", n=4096, seed=1)
    df = res.indices.loc["y"]
    np.testing.assert_allclose(df["S1"].to_numpy(), S1_TRUE, atol=0.03)
    np.testing.assert_allclose(df["ST"].to_numpy(), ST_TRUE, atol=0.03)
    assert res.samples == 4096 * (3 + 2)


def test_sobol_is_pinned_under_a_seed() -> None:
    a = sens.run(ISHIGAMI, Ishigami.evaluate, method="sobol", n=256, seed=7)
    b = sens.run(ISHIGAMI, Ishigami.evaluate, method="sobol", n=256, seed=7)
    np.testing.assert_array_equal(a.indices.to_numpy(), b.indices.to_numpy())


def test_morris_ranks_the_ishigami_parameters() -> None:
    res = sens.run(ISHIGAMI, Ishigami.evaluate, method="morris", n=200, seed=1)
    mu_star = res.indices.loc["y"]["mu_star"]
    # x3 matters only through its interaction with x1, so its elementary effects are smallest.
    assert mu_star.idxmin() == "x3"
    assert res.samples == 200 * 4


def test_several_outputs_and_constant_output() -> None:
    def f(x: np.ndarray) -> np.ndarray:
        return np.column_stack([x[:, 0] + 0.1 * x[:, 1], np.zeros(len(x))])

    res = sens.run(
        ISHIGAMI[:2], f, method="sobol", n=512, seed=0, outputs=("linear", "constant")
    )
    assert res.indices.loc["linear"]["S1"].idxmax() == "x1"
    assert (res.indices.loc["constant"]["ST"] == 0).all()
    d = res.to_dict()
    assert set(d["indices"]) == {"linear", "constant"}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"method": "fast"}, "--method"), ({"n": 1}, "--n")],
)
def test_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"method": "sobol", "n": 8, "seed": 0}
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        sens.sample(ISHIGAMI, **args)  # type: ignore[arg-type]


def test_empty_range_is_rejected() -> None:
    with pytest.raises(InputError, match="low < high"):
        sens.salib_problem([sens.Uncertainty("x", 1.0, 1.0)])


# ----------------------------------------------------------------------------- on the model
def test_engine_uncertainties_have_ranges() -> None:
    unc = sens.engine_uncertainties()
    names = {u.name for u in unc}
    assert {"hazard.h0.europe", "projection.decay_km", "power.ppp_multiplier.RUS"} <= names
    assert all(u.high > u.low for u in unc)


def test_batched_samples_equal_one_public_simulate_per_sample() -> None:
    from natofutures.analysis.compare import NEEDED_VARIABLES
    from natofutures.analysis.criteria import evaluate
    from natofutures.engine.simulate import simulate
    from natofutures.scenario import posture

    unc = sens.engine_uncertainties()
    paths = [u.name for u in unc]
    x = sens.sample(unc, "sobol", 2, seed=3)[:3]
    sc = posture("division_of_labor")
    batch = sens.simulate_samples(sc, paths, x, 2035)
    loop = np.vstack(
        [
            evaluate(
                simulate(
                    sc.with_overrides(dict(zip(paths, map(float, row), strict=True))),
                    draws=0,
                    horizon=2035,
                    variables=NEEDED_VARIABLES,
                ),
                sc,
            ).to_numpy()
            for row in x
        ]
    )
    np.testing.assert_allclose(batch, loop, rtol=1e-5)


def test_a_subset_of_varied_parameters_keeps_the_others_central() -> None:
    from natofutures.analysis.compare import NEEDED_VARIABLES
    from natofutures.analysis.criteria import evaluate
    from natofutures.engine.simulate import simulate
    from natofutures.scenario import posture

    sc = posture("business_as_usual")
    batch = sens.simulate_samples(sc, ["hazard.h0.europe"], np.array([[0.01], [0.03]]), 2035)
    for row, value in zip(batch, (0.01, 0.03), strict=True):
        one = simulate(
            sc.with_overrides({"hazard.h0.europe": value}), draws=0, horizon=2035,
            variables=NEEDED_VARIABLES,
        )
        np.testing.assert_allclose(row, evaluate(one, sc).to_numpy()[0], rtol=1e-5)


def test_sobol_on_the_model_points_at_the_hazard_parameters() -> None:
    res = sens.run_model(
        "europe_risk",
        method="sobol",
        n=16,
        seed=2,
        horizon=2035,
        postures=["business_as_usual", "division_of_labor"],
    )
    st = res.indices.loc["business_as_usual"]["ST"]
    top = set(st.sort_values(ascending=False).index[:5])
    # Europe's war risk depends on the European hazard parameters, not on China's budget.
    assert {"hazard.h0.europe", "hazard.steepness.europe", "hazard.ratio_half.europe"} & top
    assert st["budgets.scale.CHN"] < st.max()


def test_sobol_on_who_ranks_first_with_n_256() -> None:
    # Two postures: "B ranks first" = 1 − "A ranks first", so both outputs have the same
    # variance decomposition; the fixed value scales make the indicator well defined.
    res = sens.run_model(
        "rank:all", method="sobol", n=256, seed=2, horizon=2030,
        postures=["business_as_usual", "division_of_labor"],
    )
    assert res.samples == 256 * (len(sens.model_uncertainties()) + 2)
    outputs = set(res.indices.index.get_level_values("output"))
    assert "liberal_internationalist:division_of_labor" in outputs
    assert len(outputs) == 2 * 6  # every bundled perspective x posture
    a = res.indices.loc["liberal_internationalist:business_as_usual"]
    b = res.indices.loc["liberal_internationalist:division_of_labor"]
    np.testing.assert_allclose(a["ST"].to_numpy(), b["ST"].to_numpy(), atol=1e-9)
    assert np.isfinite(a["ST"]).all()


def test_the_criteria_judgements_are_varied_with_the_engine_parameters() -> None:
    """`sensitivity` and `robust` vary the criteria's judgement constants too (issue #16)."""
    from natofutures.analysis.criteria import judgement_parameters
    from natofutures.analysis.sensitivity import model_uncertainties, simulate_samples

    names = [u.name for u in model_uncertainties()]
    assert {f"criteria.{k}" for k in judgement_parameters()} <= set(names)
    assert any(not n.startswith("criteria.") for n in names)
    u = next(u for u in model_uncertainties() if u.name.startswith("criteria."))
    values = np.array([[u.low], [u.high]])
    from natofutures import posture

    out = simulate_samples(posture("business_as_usual"), [u.name], values, 2030)
    assert out.shape[0] == 2
    assert not np.allclose(out[0], out[1])  # the judgement reaches the criteria


def test_sobol_gives_zero_indices_for_an_output_constant_in_the_base_samples() -> None:
    unc = [sens.Uncertainty("a", 0.0, 1.0, ""), sens.Uncertainty("b", 0.0, 1.0, "")]
    x = sens.sample(unc, "sobol", 8, 0)
    # constant in every A and B row, moving only in the AB rows of parameter "a"
    y = np.zeros(len(x))
    y[1::4] = x[1::4, 0]
    res = sens.analyse(unc, "sobol", x, y, ["y"], 0)
    assert (res.indices["ST"] == 0.0).all() and (res.indices["S1"] == 0.0).all()


def test_the_verdict_drivers_are_computed_in_analysis_for_every_perspective() -> None:
    """The report only assembles this table (issue #17: thin interfaces)."""
    from natofutures import posture
    from natofutures.analysis import perspectives

    scenarios = [posture("business_as_usual"), posture("division_of_labor")]
    views = [perspectives.load("restrainer"), perspectives.load("atlanticist")]
    table = sens.verdict_drivers(
        scenarios, views, winners={"restrainer": "division_of_labor",
                                   "atlanticist": "business_as_usual"},
        horizon=2030, t0=2024, n=2, seed=1,
    )  # fmt: skip
    assert set(table["perspective"]) == {"restrainer", "atlanticist"}
    assert set(table["parameter"]) == {u.name for u in sens.model_uncertainties()}
    assert (table["relative_mu_star"].between(0.0, 1.0)).all()
    assert table.groupby("perspective")["relative_mu_star"].max().eq(1.0).all()
