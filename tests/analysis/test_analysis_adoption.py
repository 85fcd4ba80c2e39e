"""Adoption forecast: probabilities sum to 1, clout from data, status-quo bonus helps BAU,
utilities on the fixed value scales (dropping a posture changes no other posture's utility)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from natofutures.analysis import adoption, mcda
from natofutures.analysis.criteria import CRITERION_NAMES, SIMULATED
from natofutures.errors import InputError

POSTURES = ["business_as_usual", "democracy_international", "global_vs_china", "division_of_labor"]
SCALES = mcda.scale_matrix(SIMULATED, years=21)  # the anchors at horizon 2045 from 2024
FULL_SCALES = mcda.scale_matrix(CRITERION_NAMES, years=21)


@pytest.fixture(scope="module")
def people() -> adoption.Stakeholders:
    return adoption.stakeholders()


def outcomes(seed: int = 0, draws: int = 50) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.1, 1.0, size=(draws, 4, len(SIMULATED)))


def test_required_stakeholders_are_present(people: adoption.Stakeholders) -> None:
    required = {
        "us_executive", "us_congress", "germany", "france", "united_kingdom", "poland",
        "baltic_states", "nordic_allies", "italy", "spain", "turkiye", "nato_staff",
    }
    assert required <= set(people.names)


def test_clout_is_derived_from_the_bundled_data(people: adoption.Stakeholders) -> None:
    t = people.table()
    assert t["clout"].sum() == pytest.approx(1.0)
    assert t["weight"].sum() == pytest.approx(1.0)
    # The US (executive + Congress) is the largest economy and spender of the alliance.
    us = t.loc["us_executive", "clout"] + t.loc["us_congress", "clout"]
    assert 0.4 < us < 0.8
    assert t.loc["us_executive", "clout"] / us == pytest.approx(0.6)
    assert t.loc["germany", "clout"] > t.loc["poland", "clout"] > t.loc["baltic_states", "clout"]
    assert t.loc["nato_staff", "clout"] == pytest.approx(0.03)


def test_clout_from_a_synthetic_panel() -> None:
    panel = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB", "AAA", "BBB"],
            "year": [2020, 2020, 2021, 2021],
            "gdp_usd": [1.0, 1.0, 3.0, np.nan],
            "milex_usd": [1.0, 1.0, 1.0, 3.0],
        }
    )
    rule = adoption.load_spec().clout_rule
    share = adoption.alliance_shares(panel, ["AAA", "BBB"], 2021, rule)
    # AAA: GDP share 3/4 (BBB's 2021 GDP missing -> its 2020 value), spending share 1/4.
    assert share["AAA"] == pytest.approx(0.5 * 0.75 + 0.5 * 0.25)
    assert share.sum() == pytest.approx(1.0)


def test_probabilities_sum_to_one_per_draw(people: adoption.Stakeholders) -> None:
    p = adoption.adoption_probabilities(outcomes(), POSTURES, SIMULATED, people, SCALES)
    assert p.shape == (50, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    f = adoption.forecast(outcomes(), POSTURES, SIMULATED, people, SCALES)
    assert f.sum() == pytest.approx(1.0)
    assert list(f.index) == POSTURES


def test_status_quo_bonus_raises_business_as_usual(people: adoption.Stakeholders) -> None:
    x = outcomes(3)
    spec = adoption.load_spec()
    low = adoption.stakeholders(spec, status_quo_bonus=0.0)
    high = adoption.stakeholders(spec, status_quo_bonus=0.075)
    p_low = adoption.forecast(x, POSTURES, SIMULATED, low, SCALES)
    p_high = adoption.forecast(x, POSTURES, SIMULATED, high, SCALES)
    assert p_high["business_as_usual"] > p_low["business_as_usual"]
    assert all(p_high[p] < p_low[p] for p in POSTURES[1:])


def test_equal_outcomes_give_the_status_quo_its_bonus_only(people: adoption.Stakeholders) -> None:
    x = np.ones((1, 4, len(SIMULATED)))
    p = adoption.forecast(x, POSTURES, SIMULATED, people, SCALES)
    e = np.exp(people.decisiveness * people.status_quo_bonus)
    assert p["business_as_usual"] == pytest.approx(e / (e + 3))


def test_a_posture_best_for_everyone_is_the_likeliest(people: adoption.Stakeholders) -> None:
    x = np.empty((1, 4, len(SIMULATED)))
    x[0, :] = SCALES[0]  # every posture at the worst anchors ...
    x[0, 2] = SCALES[1]  # ... but global_vs_china at the best on every criterion
    p = adoption.forecast(x, POSTURES, SIMULATED, people, SCALES)
    assert p.idxmax() == "global_vs_china"
    u = adoption.utilities(x, SIMULATED, people, SCALES)
    np.testing.assert_allclose(u[0, :, 2], 1.0)
    np.testing.assert_allclose(u[0, :, [0, 1, 3]], 0.0, atol=1e-12)


def test_utilities_are_on_fixed_scales_not_relative_to_the_postures_compared(
    people: adoption.Stakeholders,
) -> None:
    # Issue #16: dropping a posture must not change the others' utilities, and the logit
    # then keeps the odds between the remaining postures.
    x = outcomes(5)
    keep = [0, 1, 3]
    u_all = adoption.utilities(x, SIMULATED, people, SCALES)
    u_three = adoption.utilities(x[:, keep], SIMULATED, people, SCALES)
    np.testing.assert_allclose(u_three, u_all[..., keep])
    p_all = adoption.adoption_probabilities(x, POSTURES, SIMULATED, people, SCALES)
    three = [POSTURES[j] for j in keep]
    p_three = adoption.adoption_probabilities(x[:, keep], three, SIMULATED, people, SCALES)
    np.testing.assert_allclose(p_three[:, 1] / p_three[:, 0], p_all[:, 1] / p_all[:, 0])
    np.testing.assert_allclose(p_three[:, 2] / p_three[:, 0], p_all[:, 3] / p_all[:, 0])


def test_absolute_levels_matter(people: adoption.Stakeholders) -> None:
    # Two postures that differ by the same relative amount on a narrow and on a wide part of
    # a scale used to get the same min-max values; on fixed scales the wider gap counts more.
    x = np.tile(SCALES[0], (1, 2, 1))
    near, far = x.copy(), x.copy()
    near[0, 1] = SCALES[0] + 0.1 * (SCALES[1] - SCALES[0])
    far[0, 1] = SCALES[0] + 0.9 * (SCALES[1] - SCALES[0])
    two = POSTURES[1:3]
    p_near = adoption.forecast(near, two, SIMULATED, people, SCALES)
    p_far = adoption.forecast(far, two, SIMULATED, people, SCALES)
    assert p_far[two[1]] > p_near[two[1]] > 0.5


def test_scales_of_the_wrong_shape_are_refused(people: adoption.Stakeholders) -> None:
    with pytest.raises(InputError, match=r"scales: shape \(2, 3\)") as info:
        adoption.utilities(outcomes(), SIMULATED, people, np.ones((2, 3)))
    assert "\n" not in str(info.value)


def test_feasibility_is_ignored_in_utilities(people: adoption.Stakeholders) -> None:
    x = outcomes(1)
    with_f = np.concatenate([x, np.random.default_rng(9).uniform(size=(50, 4, 1))], axis=2)
    a = adoption.forecast(x, POSTURES, SIMULATED, people, SCALES)
    b = adoption.forecast(with_f, POSTURES, CRITERION_NAMES, people, FULL_SCALES)
    pd.testing.assert_series_equal(a, b)


def test_bad_stakeholder_file_gives_one_line_error() -> None:
    raw = adoption.load_yaml(adoption.STAKEHOLDERS_FILE)
    raw["stakeholders"]["poland"]["weights"] = {"glory": 1.0}
    with pytest.raises(InputError, match="glory") as info:
        adoption.load_spec(raw)
    assert "\n" not in str(info.value)


def test_negative_bonus_rejected() -> None:
    with pytest.raises(InputError, match="status_quo_bonus"):
        adoption.stakeholders(status_quo_bonus=-0.1)
