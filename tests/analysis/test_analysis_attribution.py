"""Attribution: Shapley values over mechanism groups sum to the difference from BAU."""

from __future__ import annotations

import numpy as np
import pytest

from natofutures.analysis import attribution as attrib
from natofutures.analysis.criteria import SIMULATED, evaluate
from natofutures.engine.simulate import simulate
from natofutures.errors import InputError
from natofutures.scenario import posture


def test_shapley_known_answer_for_a_three_player_game() -> None:
    # v(S) = 2·[a] + 3·[b] + 4·[a and b] + 1·[c]: the interaction is split evenly.
    values = np.array(
        [(2 * (m & 1) + 3 * ((m >> 1) & 1) + 4 * (m & 1) * ((m >> 1) & 1) + ((m >> 2) & 1))
         for m in range(8)],
        dtype=float,
    )
    np.testing.assert_allclose(attrib.shapley(values, 3), [4.0, 5.0, 1.0])


def test_shapley_rejects_a_table_of_the_wrong_size() -> None:
    with pytest.raises(InputError, match="coalitions"):
        attrib.shapley(np.zeros(6), 3)


def test_levers_are_grouped_by_the_mechanism_they_drive() -> None:
    assert attrib.mechanism_of("us.guarantee") == "us_commitment"
    assert attrib.mechanism_of("us.allocation.europe") == "us_allocation"
    assert attrib.mechanism_of("europe.indo_pacific_share") == "european_allocation"
    assert attrib.mechanism_of("framing.containment") == "framing"
    assert attrib.mechanism_of("hazard.h0.europe") == "hazard"


def test_many_unrelated_overrides_are_pooled_so_attribution_stays_within_its_limit() -> None:
    # Eleven first components outside the named mechanisms plus set_by_posture would be 12
    # players (2^12 engine runs); they are pooled into one group instead of refusing.
    changed = ["us.guarantee", *(f"x{i}.a" for i in range(11))]
    groups = attrib.lever_groups(changed, shocks=True)
    assert groups["us_commitment"] == ["us.guarantee"]
    assert groups[attrib.OTHER] == [f"x{i}.a" for i in range(11)]
    assert len(groups) + 2 <= attrib.MAX_PLAYERS
    few = attrib.lever_groups(["us.guarantee", "hazard.h0.europe"])
    assert few == {"us_commitment": ["us.guarantee"], "hazard": ["hazard.h0.europe"]}


@pytest.fixture(scope="module")
def division() -> attrib.Attribution:
    return attrib.attribute(
        posture("division_of_labor"), posture("business_as_usual"), horizon=2035
    )


def test_contributions_sum_to_the_central_case_difference(division: attrib.Attribution) -> None:
    bau, dol = posture("business_as_usual"), posture("division_of_labor")
    a = evaluate(simulate(dol, draws=0, seed=0, horizon=2035), dol)[list(SIMULATED)]
    b = evaluate(simulate(bau, draws=0, seed=0, horizon=2035), bau)[list(SIMULATED)]
    expected = a.to_numpy()[0] - b.to_numpy()[0]
    np.testing.assert_allclose(division.total, expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(division.contributions.sum(axis=0), expected, atol=1e-9)
    assert division.players[-1] == attrib.SET_BY_POSTURE
    assert "us_commitment" in division.players and "us_allocation" in division.players


def test_a_criterion_the_engine_computes_has_no_direct_part(
    division: attrib.Attribution,
) -> None:
    # us_cost reads only the simulated US allocation: nothing is set directly by the posture.
    parts = division.as_dict()["us_cost"]
    assert parts[attrib.SET_BY_POSTURE] == pytest.approx(0.0, abs=1e-12)
    assert parts["us_allocation"] != 0.0


def test_a_posture_setting_restated_as_a_criterion_is_flagged_as_an_assumption() -> None:
    # A posture that only changes ideological framing: a criterion read straight from
    # framing.ideological (if the criteria still do) is all set_by_posture, and is flagged;
    # one that moves only through the engine is not.
    bau = posture("business_as_usual")
    framed = bau.with_overrides({"framing.ideological": 0.9}).model_copy(
        update={"name": "framed"}
    )
    att = attrib.attribute(framed, bau, horizon=2035)
    assert att.players == ("framing", attrib.SET_BY_POSTURE)
    flagged = attrib.assumptions({"framed": att})
    share = att.direct_share()
    for j, c in enumerate(att.criteria):
        moved = np.abs(att.contributions[:, j]).sum() > attrib.NEGLIGIBLE
        assert (c in flagged) == bool(moved and share[j] >= attrib.ASSUMPTION_SHARE), c


def test_identical_postures_have_nothing_to_attribute() -> None:
    bau = posture("business_as_usual")
    att = attrib.attribute(bau.model_copy(update={"name": "same"}), bau, horizon=2030)
    assert att.players == (attrib.SET_BY_POSTURE,)
    np.testing.assert_allclose(att.contributions, 0.0, atol=1e-12)
    assert attrib.assumptions({"same": att}) == {}


def test_assumption_rule_on_a_known_split() -> None:
    att = attrib.Attribution(
        posture="p", reference="r", criteria=("a", "b", "c", "d"),
        players=("framing", attrib.SET_BY_POSTURE),
        contributions=np.array([[0.05, 1.0, 0.0, 0.0], [0.95, 1.0, -2.0, 0.0]]),
        total=np.array([1.0, 2.0, -2.0, 0.0]), levers={"framing": ["framing.ideological"]},
    )
    # a: 95% set by the posture -> assumption; b: half -> result; c: all -> assumption;
    # d: no difference -> nothing to flag
    assert attrib.assumptions({"p": att}) == {"a": ["p"], "c": ["p"]}
