"""What a war leaves behind (engine/war_feedback.py): losses, US surge, remembered intent;
the GDP cost of a gas cut-off; dated US withdrawals that re-engagement overrides; dated US
allocation levers.

Hand-computed cases for the pure functions, then the engine (both backends) on forced shocks
in the deterministic central case, where every effect can be traced to its year.
"""

from __future__ import annotations

import numpy as np
import pytest

import natofutures as nf
from natofutures.engine import war_feedback as wf
from natofutures.engine.simulate import simulate
from natofutures.scenario import parameter_table

BACKENDS = ("numba", "numpy")


# --------------------------------------------------------------------------- pure functions
@pytest.mark.parametrize(
    ("holds", "expected"),
    [
        # coalition holds: coalition members lose 0.1 of what they committed, adversary 0.3
        (True, [0.1 * 0.5, 0.1 * 1.0, 0.3 * 1.0, 0.0]),
        # coalition fails: the other way round
        (False, [0.3 * 0.5, 0.3 * 1.0, 0.1 * 1.0, 0.0]),
    ],
)
def test_losses_follow_the_side_and_the_committed_share(holds: bool, expected: list[float]):
    # countries: US (half its power in the theatre), an ally, the attacker, a bystander
    shares = np.array([[[0.5], [1.0], [1.0], [1.0]]])
    coalition = np.array([[1.0], [1.0], [0.0], [0.0]])
    adversary = np.array([[0.0], [0.0], [1.0], [0.0]])
    got = wf.side_losses(
        np.array([[True]]), np.array([[holds]]), shares, coalition, adversary, 0.1, 0.3
    )
    np.testing.assert_allclose(got[0], expected)


def test_no_war_no_losses_and_two_lost_wars_cannot_destroy_more_than_everything():
    shares = np.array([[[0.6, 0.4]]])
    member = np.array([[1.0, 1.0]])
    none = np.zeros((1, 2))
    no_war = wf.side_losses(np.array([[False, False]]), np.array([[True, True]]), shares,
                            member, none, 0.1, 0.3)  # fmt: skip
    assert no_war.tolist() == [[0.0]]
    both_lost = wf.side_losses(np.array([[True, True]]), np.array([[False, False]]), shares,
                               member, none, 0.9, 1.0)  # fmt: skip
    assert both_lost.tolist() == [[1.0]]


def test_surge_moves_a_fraction_of_the_other_theatres_to_the_one_at_war():
    shares = np.array([[0.2, 0.4, 0.1], [0.2, 0.4, 0.1]])
    surging = np.array([[True, False, False], [False, False, False]])
    got = wf.surge(shares, surging, 0.5)
    # draw 0: indo_pacific and out_of_area give half: 0.2 + 0.05; Europe gets 0.25
    np.testing.assert_allclose(got[0], [0.45, 0.2, 0.05])
    np.testing.assert_array_equal(got[1], shares[1])  # no war: unchanged
    np.testing.assert_allclose(got.sum(axis=1), shares.sum(axis=1))  # nothing created


def test_two_theatres_at_war_split_the_pool_equally():
    got = wf.surge(np.array([[0.2, 0.4, 0.2]]), np.array([[True, True, False]]), 0.5)
    np.testing.assert_allclose(got[0], [0.25, 0.45, 0.1])


def test_intentions_floor_only_raises_and_only_where_remembered():
    intent = np.array([[0.3, 0.95]])
    got = wf.intentions_floor(intent, np.array([[True, True]]), 0.9)
    assert got.tolist() == [[0.9, 0.95]]
    assert wf.intentions_floor(intent, np.array([[False, False]]), 0.9).tolist() == [[0.3, 0.95]]


def test_energy_gdp_factor():
    # share 0.5 fully cut at 0.03 per unit share: 1.5% of GDP; no data (NaN): no loss
    got = wf.energy_gdp_factor(np.array([0.5, np.nan, 0.5]), 0.0, 0.03)
    np.testing.assert_allclose(got, [0.985, 1.0, 1.0 - 0.03 * 0.25 * 2])
    np.testing.assert_allclose(wf.energy_gdp_factor(np.array([0.5]), 1.0, 0.03), [1.0])


def test_war_parameters_are_labelled_judgements_with_ranges():
    table = parameter_table()
    paths = ["war.loss_loser", "war.loss_winner", "war.us_surge", "war.surge_years",
             "war.intentions_after", "war.memory_years", "war.rebuild_years",
             "energy.gdp_loss_per_share", "us.burden_ceiling"]  # fmt: skip
    for path in paths:
        spec = table[path]
        assert spec.judgement and spec.range is not None and spec.source
        assert spec.range[0] <= spec.value <= spec.range[1]


# --------------------------------------------------------------------------- in the engine
def _run(shocks: list[dict], backend: str, posture: str = "business_as_usual", **over: float):
    sc = nf.posture(posture).with_shocks(shocks)
    if over:
        sc = sc.with_overrides(over)
    return simulate(sc, draws=0, horizon=2040, backend=backend)


def _at(da, year: int, **sel):
    return float(da.sel(year=year, **sel).squeeze())


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_war_destroys_capital_of_both_sides_from_the_next_year(backend: str):
    war = [{"kind": "war", "year": 2028, "theatre": "europe"}]
    base, hit = _run([], backend), _run(war, backend)
    for iso in ("POL", "DEU", "RUS", "USA"):
        assert _at(hit.capital, 2028, country=iso) == _at(base.capital, 2028, country=iso)
        assert _at(hit.capital, 2029, country=iso) < _at(base.capital, 2029, country=iso)
    # the coalition holds in the central case, so Russia (loser) loses the larger fraction
    ratio = {iso: _at(hit.capital, 2029, country=iso) / _at(base.capital, 2029, country=iso)
             for iso in ("POL", "RUS")}  # fmt: skip
    assert ratio["RUS"] < ratio["POL"]
    # a country fighting nowhere near loses nothing
    assert _at(hit.capital, 2029, country="JPN") == _at(base.capital, 2029, country="JPN")


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_us_surges_into_the_theatre_at_war_for_the_surge_years(backend: str):
    years = int(parameter_table()["war.surge_years"].value)
    war = [{"kind": "war", "year": 2028, "theatre": "europe"}]
    base, hit = _run([], backend), _run(war, backend)
    al, al0 = hit.us_allocation, base.us_allocation
    assert _at(al, 2028, theatre="europe") == _at(al0, 2028, theatre="europe")
    for year in range(2029, 2029 + years):
        assert _at(al, year, theatre="europe") > _at(al0, year, theatre="europe")
        assert _at(al, year, theatre="indo_pacific") < _at(al0, year, theatre="indo_pacific")
        total = float(al.sel(year=year).sum()) - float(al0.sel(year=year).sum())
        assert total == pytest.approx(0.0, abs=1e-6)  # moved, not created
    after = 2029 + years
    assert _at(al, after, theatre="europe") == pytest.approx(_at(al0, after, theatre="europe"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_surge_without_the_parameter(backend: str):
    war = [{"kind": "war", "year": 2028, "theatre": "europe"}]
    base, hit = _run([], backend), _run(war, backend, **{"war.us_surge": 0.0})
    np.testing.assert_array_equal(hit.us_allocation.values, base.us_allocation.values)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_attackers_intent_is_remembered_and_european_spending_answers(backend: str):
    war = [{"kind": "war", "year": 2027, "theatre": "europe"}]
    base, hit = _run([], backend), _run(war, backend)
    floor = float(parameter_table()["war.intentions_after"].value)
    memory = int(parameter_table()["war.memory_years"].value)
    for year in range(2028, min(2028 + memory, 2041)):
        assert _at(hit.intentions, year, adversary="RUS") >= floor
    # Europe budgets to replace its losses: a faster rebuild asks for more spending at once.
    # (Whether the burden ends above the no-war path depends on the fitted coefficients: with
    # the slow adjustment and strong free riding the burden model estimates (issue #14), the
    # US surge and Russia's own losses outweigh it; see docs/stress.md.)
    slow = _run(war, backend, **{"war.rebuild_years": 30.0})
    assert _at(hit.europe_burden, 2030) > _at(slow.europe_burden, 2030)
    # China's intentions are not touched by a war in Europe
    np.testing.assert_array_equal(
        hit.intentions.sel(adversary="CHN").values, base.intentions.sel(adversary="CHN").values
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_energy_cutoff_costs_the_dependent_economies_gdp(backend: str):
    cut = [{"kind": "energy_cutoff", "year": 2027, "factor": 1.0}]
    base, hit = _run([], backend), _run(cut, backend)
    hun = _at(hit.gdp, 2027, country="HUN") / _at(base.gdp, 2027, country="HUN")
    share = _at(base.energy_dependence, 2026, country="HUN")
    assert 0 < share
    assert hun < 1.0
    assert _at(hit.gdp, 2027, country="USA") == _at(base.gdp, 2027, country="USA")
    # the more dependent economy loses more
    esp = _at(hit.gdp, 2027, country="ESP") / _at(base.gdp, 2027, country="ESP")
    assert hun < esp


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_dated_withdrawal_ends_after_its_duration(backend: str):
    out = [{"kind": "us_withdrawal", "year": 2027, "theatre": "europe", "duration": 3}]
    base, hit = _run([], backend), _run(out, backend)
    for year in (2027, 2028, 2029):
        assert _at(hit.us_allocation, year, theatre="europe") == 0.0
    assert _at(hit.us_allocation, 2030, theatre="europe") == _at(
        base.us_allocation, 2030, theatre="europe"
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_reengagement_wins_over_a_withdrawal(backend: str):
    out = [{"kind": "us_withdrawal", "year": 2026, "theatre": "europe"}]
    over = {"offshore.threshold": 3.0, "offshore.trigger_years": 1.0}
    hit = _run(out, backend, "division_of_labor", **over)
    reeng = hit.reengaged.to_numpy().ravel()
    assert reeng.any()
    first = int(hit.year.values[np.argmax(reeng)])
    assert _at(hit.us_allocation, first - 1, theatre="europe") == 0.0
    assert _at(hit.us_allocation, first + 1, theatre="europe") > 0.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_allies_budget_to_replace_their_losses_the_year_after(backend: str):
    war = [{"kind": "war", "year": 2028, "theatre": "europe"}]
    base, hit = _run([], backend), _run(war, backend)
    slow = _run(war, backend, **{"war.rebuild_years": 50.0})
    pol = {name: _at(ds.burden, 2029, country="POL") for name, ds in
           (("base", base), ("hit", hit), ("slow", slow))}  # fmt: skip
    assert pol["hit"] > pol["slow"] > pol["base"]
    # the US and Russia follow their budget paths: no replacement term
    assert _at(hit.burden, 2029, country="RUS") == _at(base.burden, 2029, country="RUS")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_dated_lever_sets_the_us_share_for_its_years(backend: str):
    lever = [{"kind": "us_allocation", "year": 2030, "theatre": "europe", "value": 0.1,
              "forward_presence": 0.2, "duration": 4}]  # fmt: skip
    base, hit = _run([], backend), _run(lever, backend)
    for year in range(2030, 2034):
        assert _at(hit.us_allocation, year, theatre="europe") == pytest.approx(0.1)
        assert _at(hit.us_forward_presence, year, theatre="europe") == pytest.approx(0.2)
    for year in (2029, 2034):
        assert _at(hit.us_allocation, year, theatre="europe") == _at(
            base.us_allocation, year, theatre="europe"
        )
    # the other theatres keep the posture's path
    np.testing.assert_array_equal(
        hit.us_allocation.sel(theatre="indo_pacific").values,
        base.us_allocation.sel(theatre="indo_pacific").values,
    )


def test_a_dated_lever_that_overfills_the_us_shares_is_refused():
    lever = [{"kind": "us_allocation", "year": 2030, "theatre": "europe", "value": 0.9}]
    with pytest.raises(nf.ScenarioError, match=r"shocks: us_allocation .* 2030 not allowed"):
        _run(lever, "numpy")


def test_a_withdrawal_wins_over_a_dated_lever_in_the_same_theatre():
    shocks = [{"kind": "us_allocation", "year": 2030, "theatre": "europe", "value": 0.3},
              {"kind": "us_withdrawal", "year": 2032, "theatre": "europe"}]  # fmt: skip
    hit = _run(shocks, "numpy")
    assert _at(hit.us_allocation, 2031, theatre="europe") == pytest.approx(0.3)
    assert _at(hit.us_allocation, 2032, theatre="europe") == 0.0
