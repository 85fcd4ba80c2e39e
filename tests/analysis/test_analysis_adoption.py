"""Adoption forecast: probabilities sum to 1, clout from data, status-quo bonus helps BAU."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from natofutures.analysis import adoption
from natofutures.analysis.criteria import CRITERION_NAMES, SIMULATED
from natofutures.errors import InputError

POSTURES = ["business_as_usual", "democracy_international", "global_vs_china", "division_of_labor"]


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
    p = adoption.adoption_probabilities(outcomes(), POSTURES, SIMULATED, people)
    assert p.shape == (50, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    f = adoption.forecast(outcomes(), POSTURES, SIMULATED, people)
    assert f.sum() == pytest.approx(1.0)
    assert list(f.index) == POSTURES


def test_status_quo_bonus_raises_business_as_usual(people: adoption.Stakeholders) -> None:
    x = outcomes(3)
    spec = adoption.load_spec()
    low = adoption.stakeholders(spec, status_quo_bonus=0.0)
    high = adoption.stakeholders(spec, status_quo_bonus=0.25)
    p_low = adoption.forecast(x, POSTURES, SIMULATED, low)
    p_high = adoption.forecast(x, POSTURES, SIMULATED, high)
    assert p_high["business_as_usual"] > p_low["business_as_usual"]
    assert all(p_high[p] < p_low[p] for p in POSTURES[1:])


def test_equal_outcomes_give_the_status_quo_its_bonus_only(people: adoption.Stakeholders) -> None:
    x = np.ones((1, 4, len(SIMULATED)))
    p = adoption.forecast(x, POSTURES, SIMULATED, people)
    e = np.exp(people.decisiveness * people.status_quo_bonus)
    assert p["business_as_usual"] == pytest.approx(e / (e + 3))


def test_a_posture_best_for_everyone_is_the_likeliest(people: adoption.Stakeholders) -> None:
    x = np.zeros((1, 4, len(SIMULATED)))
    directions = np.array([1 if c in {"european_self_reliance", "burden_equity",
                                      "intra_european_stability", "cohesion"} else -1
                           for c in SIMULATED])
    x[0, 2] = np.where(directions > 0, 1.0, 0.0)  # posture 2 best on every criterion
    x[0, [0, 1, 3]] = np.where(directions > 0, 0.0, 1.0)
    p = adoption.forecast(x, POSTURES, SIMULATED, people)
    assert p.idxmax() == "global_vs_china"


def test_feasibility_is_ignored_in_utilities(people: adoption.Stakeholders) -> None:
    x = outcomes(1)
    with_f = np.concatenate([x, np.random.default_rng(9).uniform(size=(50, 4, 1))], axis=2)
    a = adoption.forecast(x, POSTURES, SIMULATED, people)
    b = adoption.forecast(with_f, POSTURES, CRITERION_NAMES, people)
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
