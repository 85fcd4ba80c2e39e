"""compare(): end to end with small draws; JSON structure; traceability; forecast."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import natofutures as nf
from natofutures.analysis.compare import Comparison, forecast
from natofutures.analysis.criteria import CRITERION_NAMES
from natofutures.errors import InputError

POSTURES = ["business_as_usual", "democracy_international", "division_of_labor", "global_vs_china"]
PERSPECTIVES = {
    "restrainer", "atlanticist", "liberal_internationalist", "china_hawk", "frontline_ally",
    "fiscal_european",
}


@pytest.fixture(scope="module")
def res() -> Comparison:
    return nf.compare(draws=40, seed=5, horizon=2040, smaa_samples=4000)


def test_scorecard_has_every_posture_and_criterion_with_bands(res: Comparison) -> None:
    sc = res.scorecard
    assert list(sc.index) == POSTURES
    assert set(sc.columns.get_level_values("criterion")) == set(CRITERION_NAMES)
    med = sc.xs("median", axis=1, level="stat")
    lo = sc.xs("p05", axis=1, level="stat")
    hi = sc.xs("p95", axis=1, level="stat")
    assert ((lo <= med + 1e-12) & (med <= hi + 1e-12)).all().all()


def test_rankings_rows_sum_to_one_and_scores_are_in_range(res: Comparison) -> None:
    r = res.rankings
    assert set(r.index.get_level_values("perspective")) == PERSPECTIVES
    p = r[[f"p_rank_{k}" for k in range(1, 5)]].to_numpy()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert ((r["weighted_sum"] >= 0) & (r["weighted_sum"] <= 1)).all()
    assert ((r["topsis"] >= 0) & (r["topsis"] <= 1)).all()
    # each rank is taken exactly once per perspective
    for _, grp in r.groupby(level="perspective"):
        np.testing.assert_allclose(grp[[f"p_rank_{k}" for k in range(1, 5)]].sum(), 1.0)


def test_forecast_sums_to_one_and_equals_mean_feasibility(res: Comparison) -> None:
    assert res.forecast.sum() == pytest.approx(1.0)
    feas = res.outcomes[:, :, CRITERION_NAMES.index("feasibility")].mean(axis=0) / 100
    np.testing.assert_allclose(res.forecast.to_numpy(), feas / feas.sum())


def test_json_structure_is_exactly_the_documented_one(res: Comparison) -> None:
    d = json.loads(json.dumps(res.to_dict()))
    assert {"postures", "criteria", "rankings", "forecast"} <= set(d)
    assert d["postures"] == POSTURES
    for p in POSTURES:
        assert set(d["criteria"][p]) == set(CRITERION_NAMES)
        for c in CRITERION_NAMES:
            cell = d["criteria"][p][c]
            assert set(cell) == {"median", "p05", "p95", "unit", "direction"}
            assert cell["direction"] in {"higher", "lower"}
    for view in PERSPECTIVES:
        for p in POSTURES:
            entry = d["rankings"][view][p]
            assert set(entry) == {
                "rank_probabilities", "mean_rank", "weighted_sum", "topsis",
                "indistinguishable_from",
            }
            assert len(entry["rank_probabilities"]) == 4
        total = sum(d["rankings"][view][p]["rank_probabilities"][0] for p in POSTURES)
        assert total == pytest.approx(1.0)
    assert set(d["forecast"]) == set(POSTURES)
    assert sum(d["forecast"].values()) == pytest.approx(1.0)
    # fixed value scales, in each criterion's unit
    assert set(d["value_scales"]) == set(CRITERION_NAMES)
    for c, sc in d["value_scales"].items():
        assert {"worst", "best", "unit"} <= set(sc)
        assert sc["unit"] == d["criteria"][POSTURES[0]][c]["unit"]
    # attribution: {criterion: {posture: {"set_by_posture": x, "<mechanism>": y}}}
    assert set(d["attribution"]) == set(CRITERION_NAMES) - {"feasibility"}
    for parts in d["attribution"]["us_cost"].values():
        assert "set_by_posture" in parts
    assert set(d["attribution"]["us_cost"]) == set(POSTURES) - {"business_as_usual"}
    fd = d["forecast_decisiveness"]
    assert fd["most_likely"] == max(d["forecast"], key=d["forecast"].get)
    assert fd["decisive"] == (abs(fd["difference"]) > 2 * fd["standard_error"])
    for view in PERSPECTIVES:
        dec = d["decisiveness"][view]
        assert dec["winner"] in POSTURES and isinstance(dec["decisive"], bool)
        assert len(dec["paired_differences"]) == 6


def test_every_number_is_traceable_to_the_run(res: Comparison) -> None:
    run = res.run
    assert run["seed"] == 5 and run["draws"] == 40 and run["horizon"] == 2040
    assert set(run["scenario_hashes"]) == set(POSTURES)
    assert run["data_version"] == nf.data.data_version()
    assert len(run["run_id"]) == 12


def test_same_seed_same_result() -> None:
    a = nf.compare(["business_as_usual", "division_of_labor"], draws=10, seed=1, smaa_samples=500)
    b = nf.compare(["business_as_usual", "division_of_labor"], draws=10, seed=1, smaa_samples=500)
    pd.testing.assert_frame_equal(a.scorecard, b.scorecard)
    pd.testing.assert_frame_equal(a.rankings, b.rankings)
    assert a.run["run_id"] == b.run["run_id"]


def test_custom_weights_and_a_user_perspective_file(tmp_path: Path) -> None:
    f = tmp_path / "mine.yaml"
    f.write_text("name: mine\nweights: {us_cost: 1}\n")
    res = nf.compare(
        ["business_as_usual", "division_of_labor"],
        draws=0,
        perspectives=[str(f)],
        weights="europe_risk=1",
        smaa_samples=200,
    )
    assert [p.name for p in res.perspectives] == ["mine", "custom"]
    # Only US cost counts for "mine": the posture with the lower US cost wins outright.
    assert res.winner("mine") == "division_of_labor"
    assert "division_of_labor wins" in res.summary["mine"]


def test_a_posture_file_can_be_compared(tmp_path: Path) -> None:
    f = tmp_path / "half_way.yaml"
    f.write_text(
        "name: half_way\nlevers:\n  us.guarantee: {value: 0.65, reason: half way}\n"
        "  us.allocation.europe: {value: 0.15, reason: half way}\n"
    )
    res = nf.compare(["business_as_usual", str(f)], draws=0, smaa_samples=100)
    assert res.postures == ["business_as_usual", "half_way"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"postures": ["business_as_usual", "nato_2"]}, "postures: 'nato_2'"),
        ({"postures": ["business_as_usual"]}, "at least 2"),
        ({"postures": ["business_as_usual", "business_as_usual"]}, "given twice"),
        ({"draws": -1}, "draws: -1"),
        ({"seed": -3}, "seed: -3"),
        ({"perspectives": ["pacifist"]}, "perspective: 'pacifist'"),
        ({"weights": "europe_risk=0"}, "sum to 0"),
        ({"weights": "peace=1"}, "criterion 'peace' is not allowed"),
        ({"postures": ["business_as_usual", "missing.yaml"]}, "does not exist"),
    ],
)
def test_bad_input_raises_a_one_line_input_error(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        nf.compare(**kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)


def test_forecast_details_and_status_quo_bonus() -> None:
    low = forecast(draws=20, seed=2, horizon=2035, status_quo_bonus=0.0)
    high = forecast(draws=20, seed=2, horizon=2035, status_quo_bonus=0.25)
    assert low.forecast.sum() == pytest.approx(1.0)
    assert high.forecast["business_as_usual"] > low.forecast["business_as_usual"]
    d = high.to_dict()
    assert {"us_executive", "poland", "nato_staff"} <= set(d["stakeholders"])
    # The sweep over the bonus's judgement range: BAU's probability rises with the bonus.
    bau = low.status_quo_sweep["business_as_usual"].to_numpy()
    assert (np.diff(bau) > 0).all()
    np.testing.assert_allclose(low.status_quo_sweep.sum(axis=1), 1.0)
    assert len(d["status_quo_sweep"]) == len(low.status_quo_sweep)
    assert set(d["stakeholders"]["poland"]["utilities"]) == set(POSTURES)


def test_a_perspectives_smaa_does_not_depend_on_the_others() -> None:
    kw = {"postures": ["business_as_usual", "division_of_labor"], "draws": 10, "seed": 4,
          "smaa_samples": 300}
    alone = nf.compare(perspectives=["restrainer"], **kw)  # type: ignore[arg-type]
    both = nf.compare(perspectives=["atlanticist", "restrainer"], **kw)  # type: ignore[arg-type]
    np.testing.assert_array_equal(
        alone.smaa["restrainer"].rank_acceptability, both.smaa["restrainer"].rank_acceptability
    )


def test_dropping_a_posture_leaves_the_others_scores_unchanged(res: Comparison) -> None:
    fewer = nf.compare(
        ["business_as_usual", "division_of_labor"], draws=40, seed=5, horizon=2040,
        smaa_samples=500, attribution=False,
    )
    for view in PERSPECTIVES:
        for p in fewer.postures:
            for col in ("weighted_sum", "topsis"):
                assert fewer.rankings.loc[(view, p), col] == pytest.approx(
                    res.rankings.loc[(view, p), col], abs=1e-12
                )


def test_two_postures_the_monte_carlo_cannot_tell_apart_are_reported_as_such() -> None:
    from natofutures.scenario import posture

    bau = posture("business_as_usual")
    twin = bau.with_overrides({"us.resolve": 0.501}).model_copy(update={"name": "bau_twin"})
    out = nf.compare(
        [bau, twin], draws=30, seed=3, horizon=2035, smaa_samples=2000, attribution=False,
        perspectives=["atlanticist", "restrainer"],
    )
    d = out.to_dict()
    for view in ("atlanticist", "restrainer"):
        assert d["decisiveness"][view]["indistinguishable"] == [["business_as_usual", "bau_twin"]]
        assert d["decisiveness"][view]["decisive"] is False
        assert d["rankings"][view]["bau_twin"]["indistinguishable_from"] == ["business_as_usual"]
        assert "cannot be told apart" in out.summary[view]
    # (the forecast can still separate them: only business_as_usual gets the status-quo bonus)


def test_clearly_different_postures_are_not_called_a_tie() -> None:
    out = nf.compare(
        ["business_as_usual", "division_of_labor"], draws=30, seed=3, horizon=2035,
        smaa_samples=2000, attribution=False, perspectives=["restrainer"],
    )
    pair = out.decisiveness["restrainer"]["paired_differences"]
    diff = pair["business_as_usual - division_of_labor"]
    assert out.decisiveness["restrainer"]["decisive"] == (
        not (diff["p05"] <= 0 <= diff["p95"]) and abs(diff["median"]) >= 0.01
    )


def test_attribution_is_against_business_as_usual_even_when_it_is_not_compared() -> None:
    out = nf.compare(
        ["division_of_labor", "global_vs_china"], draws=0, horizon=2030, smaa_samples=200,
        perspectives=["restrainer"],
    )
    d = out.to_dict()
    assert set(d["attribution"]["us_cost"]) == {"division_of_labor", "global_vs_china"}
    for posture, att in out.attribution.items():
        assert att.reference == "business_as_usual"
        parts = d["attribution"]["us_cost"][posture]
        assert sum(parts.values()) == pytest.approx(float(att.total[0]), abs=1e-9)
    # central case: one draw, so a tie can only come from an immaterial difference
    dec = d["decisiveness"]["restrainer"]
    diff = dec["paired_differences"]["division_of_labor - global_vs_china"]
    assert diff["p05"] == diff["median"] == diff["p95"]
    assert dec["decisive"] == (abs(diff["median"]) >= 0.01)


def test_forecast_decisiveness_known_answer() -> None:
    # Per-draw adoption probabilities: A − B alternates +0.2 / −0.18 (mean 0.01, standard
    # error 0.013) -> too close to call; A − B = 0.5 in every draw -> decisive.
    swing = np.where(np.arange(200) % 2 == 0, 0.1, -0.09)
    noisy = 0.5 + np.stack([swing, -swing], axis=1)
    for p_adopt, expected in ((noisy, False), (np.tile([0.75, 0.25], (200, 1)), True)):
        outcomes = np.zeros((200, 2, len(CRITERION_NAMES)))
        outcomes[:, :, CRITERION_NAMES.index("feasibility")] = 100 * p_adopt
        mean = p_adopt.mean(axis=0)
        res = Comparison(
            postures=["A", "B"], outcomes=outcomes, scorecard=pd.DataFrame(),
            rankings=pd.DataFrame(), forecast=pd.Series(mean / mean.sum(), index=["A", "B"]),
            perspectives=[], smaa={}, summary={}, run={},
        )
        assert res.forecast_decisiveness()["decisive"] is expected
