"""Campaign module: the force-ratio relation, hand-computed cases, monotonicity, validation."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from natofutures.analysis.campaign import (
    CampaignResult,
    Force,
    RelationParams,
    advance_rate,
    campaign,
    campaign_cases,
    run_campaign,
)
from natofutures.errors import InputError

NO_ATTRITION = RelationParams(attrition_per_day=0.0, horizon_days=30.0)


def heavy(count: float, side: str = "defender", arrival: float = 0.0) -> Force:
    return Force("heavy", side, "heavy", count, 1.0, arrival)


# --------------------------------------------------------------------------- the relation
@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (0.0, 0.0),  # no attacker, no advance
        (2.5, 75.0),  # half the unopposed rate at r½
        (1.0, 150.0 / (1.0 + 2.5**4)),  # parity: about 3.7 km/day
        (5.0, 150.0 * 16.0 / 17.0),  # (5/2.5)^4 = 16
        (math.inf, 150.0),  # undefended front: the unopposed rate
    ],
)
def test_advance_rate_known_answers(ratio: float, expected: float) -> None:
    assert advance_rate(ratio) == pytest.approx(expected)


def test_advance_rate_rises_with_the_force_ratio() -> None:
    rates = [advance_rate(r / 10) for r in range(1, 80)]
    assert all(b > a for a, b in itertools.pairwise(rates))
    assert advance_rate(1000.0) < 150.0


# --------------------------------------------------------------------------- hand-computed cases
@pytest.mark.parametrize(
    ("name", "attacker", "defenders", "distance", "expected_hours"),
    [
        # r = 2.5 exactly -> 75 km/day -> 150 km in 48 h
        ("ratio at r_half", 2.5, [heavy(1.0)], 150.0, 48.0),
        # nobody defends -> 150 km/day -> 75 km in 12 h
        ("undefended front", 1.0, [], 75.0, 12.0),
        # r = 5 -> 150*16/17 km/day -> 141.176 km in 24 h
        ("five to one", 5.0, [heavy(1.0)], 150.0 * 16.0 / 17.0, 24.0),
        # 75 km in the first day at r = 2.5, then a second brigade arrives: r = 1.25 ->
        # 150 * 0.0625 / 1.0625 = 8.8235 km/day; 75 + 8.8235 km takes exactly 48 h
        ("reinforced after a day", 2.5, [heavy(1.0), heavy(1.0, arrival=24.0)], 83.8235294, 48.0),
    ],
)  # fmt: skip
def test_time_to_objective_hand_computed(
    name: str, attacker: float, defenders: list[Force], distance: float, expected_hours: float
) -> None:
    hours = run_campaign(
        [heavy(attacker, side="attacker")], defenders, {"objective": distance}, rel=NO_ATTRITION
    )
    assert hours["objective"] == pytest.approx(expected_hours, abs=1e-6), name


def test_a_defence_at_a_tenth_of_the_attacker_ratio_does_not_reach_far_objectives() -> None:
    # r = 0.25: 150 * 0.0001 / 1.0001 km/day = 0.015 km/day -> 100 km never in 30 days
    hours = run_campaign(
        [heavy(1.0, side="attacker")], [heavy(4.0)], {"far": 100.0}, rel=NO_ATTRITION
    )
    assert hours["far"] is None


def test_square_law_attrition_speeds_up_an_outnumbered_defender_collapse() -> None:
    with_attrition = RelationParams(attrition_per_day=0.05, horizon_days=30.0)
    args = ([heavy(3.0, side="attacker")], [heavy(1.0)], {"obj": 400.0})
    slow = run_campaign(*args, rel=NO_ATTRITION)["obj"]
    fast = run_campaign(*args, rel=with_attrition)["obj"]
    assert slow is not None and fast is not None and fast < slow


# --------------------------------------------------------------------------- monotonicity
groups = st.lists(
    st.tuples(
        st.floats(min_value=0.0, max_value=6.0),  # brigades
        st.sampled_from([0.25, 0.35, 0.6, 1.0]),  # score
        st.floats(min_value=-24.0, max_value=400.0),  # arrival hour
    ),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(
    attacker=st.floats(min_value=0.5, max_value=20.0),
    base=groups,
    extra=st.tuples(
        st.floats(min_value=0.01, max_value=6.0),
        st.sampled_from([0.25, 0.35, 0.6, 1.0]),
        st.floats(min_value=-24.0, max_value=400.0),
    ),
    attrition=st.floats(min_value=0.0, max_value=0.1),
)
def test_more_defending_brigades_never_shorten_the_time_to_an_objective(
    attacker: float,
    base: list[tuple[float, float, float]],
    extra: tuple[float, float, float],
    attrition: float,
) -> None:
    rel = RelationParams(attrition_per_day=attrition, horizon_days=20.0)
    distances = {"near": 60.0, "far": 250.0}
    defenders = [Force("d", "defender", "x", c, s, h) for c, s, h in base]
    more = [*defenders, Force("extra", "defender", "x", *extra)]
    before = run_campaign([heavy(attacker, "attacker")], defenders, distances, rel=rel)
    after = run_campaign([heavy(attacker, "attacker")], more, distances, rel=rel)
    for name in distances:
        t0 = math.inf if before[name] is None else before[name]
        t1 = math.inf if after[name] is None else after[name]
        assert t1 >= t0 - 1e-9


def test_extra_heavy_brigades_lengthen_the_2016_campaign() -> None:
    times = [
        campaign(case="nato_2016", extra_heavy=k, find_hold=False).hours_to_first for k in (0, 1, 2)
    ]
    assert times[0] is not None and times[1] is not None and times[2] is not None
    assert times[0] < times[1] < times[2]


# --------------------------------------------------------------------------- validation: RAND 2016
def test_2016_posture_reaches_tallinn_or_riga_within_the_published_36_to_60_hours() -> None:
    res = campaign(case="nato_2016")
    assert res.first_objective in {"tallinn", "riga"}
    assert res.hours_to_first is not None
    assert 36.0 <= res.hours_to_first <= 60.0
    assert res.rapid_defeat


def test_seven_brigades_incl_three_heavy_with_air_and_fires_avert_rapid_defeat() -> None:
    res = campaign(case="rand_seven_brigades")
    nato = res.forces[(res.forces.side == "defender") & (res.forces.type != "national_light")]
    assert nato["count"].sum() == pytest.approx(7.0)
    assert nato.loc[nato.type == "heavy", "count"].sum() == pytest.approx(3.0)
    assert not res.rapid_defeat
    assert res.extra_heavy_to_hold == 0


def test_2016_posture_needs_more_heavy_brigades_to_hold() -> None:
    res = campaign(case="nato_2016")
    assert res.extra_heavy_to_hold is not None and res.extra_heavy_to_hold >= 2
    held = campaign(case="nato_2016", extra_heavy=res.extra_heavy_to_hold, find_hold=False)
    assert not held.rapid_defeat
    short = campaign(case="nato_2016", extra_heavy=res.extra_heavy_to_hold - 1, find_hold=False)
    assert short.rapid_defeat


def test_distances_come_from_bundled_coordinates() -> None:
    res = campaign(case="nato_2016", find_hold=False)
    # straight line Narva -> Tallinn is about 195 km, Terehova -> Riga about 258 km
    assert 190 < res.distance_km["tallinn"] < 230
    assert 250 < res.distance_km["riga"] < 300


# --------------------------------------------------------------------------- postures
@pytest.mark.parametrize(
    "name", ["business_as_usual", "democracy_international", "global_vs_china", "division_of_labor"]
)
def test_every_posture_gives_a_tidy_result(name: str) -> None:
    res = campaign("europe", name)
    assert isinstance(res, CampaignResult)
    d = res.to_dict()
    assert d["case"] == name and set(d["hours_to_objective"]) == {"tallinn", "riga"}
    assert list(res.table().columns) == [
        "theatre",
        "case",
        "objective",
        "distance_km",
        "hours",
        "days",
    ]
    assert {"hour", "force_ratio", "advance_km"} <= set(res.timeline.columns)


def test_us_forward_brigades_follow_the_posture_levers() -> None:
    bau = campaign(posture="business_as_usual", find_hold=False).forces
    dol = campaign(posture="division_of_labor", find_hold=False).forces
    us_fwd = lambda f: f.loc[f.group == "us_forward", "count"].sum()  # noqa: E731
    # division_of_labor: forward presence 0.2/0.6 and Europe share 0.05/0.25 of today's
    assert us_fwd(dol) == pytest.approx(us_fwd(bau) * (0.2 / 0.6) * (0.05 / 0.25))
    eu = lambda f: f.loc[f.group == "europe_forward", "count"].sum()  # noqa: E731
    assert eu(dol) > eu(bau)


def test_a_posture_override_changes_the_schedule() -> None:
    import natofutures as nf

    sc = nf.posture("business_as_usual").with_overrides({"us.forward_presence.europe": 0.0})
    res = campaign(posture=sc, find_hold=False)
    assert res.forces.loc[res.forces.group == "us_forward", "count"].sum() == 0.0


def test_cases_are_listed() -> None:
    assert campaign_cases() == ["nato_2016", "rand_seven_brigades"]


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"theatre": "pacific"}, ["theatre", "'pacific'", "europe"]),
        ({"case": "nato_1989"}, ["case", "'nato_1989'", "nato_2016"]),
        ({"extra_heavy": -1}, ["extra_heavy", "-1", ">= 0"]),
        ({"attacker_scale": float("nan")}, ["attacker_scale", "nan"]),
        ({"parameters": {"v_max": 100}}, ["parameters.v_max", "v_max_km_per_day"]),
        ({"parameters": {"ratio_half": -2.0}}, ["parameters.ratio_half", "-2.0", "positive"]),
        ({"posture": "no_such_posture"}, ["posture", "'no_such_posture'", "business_as_usual"]),
    ],
)
def test_bad_input_names_field_value_and_allowed(kwargs: dict, words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        campaign(**kwargs)
    msg = str(err.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg


# --------------------------------------------------------------------------- engine-dated forces
def test_year_scales_forces_by_the_engine_simulation() -> None:
    import natofutures as nf

    t0 = int(nf.simulate(nf.posture("division_of_labor"), draws=0, horizon=2025).year.values[0])
    today = campaign(posture="division_of_labor", year=t0, find_hold=False)
    bau = campaign(posture="business_as_usual", find_hold=False)
    # in the base year every posture still has today's forces
    assert today.forces["count"].tolist() == pytest.approx(bau.forces["count"].tolist())
    later = campaign(posture="division_of_labor", year=2035, find_hold=False)
    us = lambda r: r.forces.loc[r.forces.group.str.startswith("us_"), "count"].sum()  # noqa: E731
    eu = lambda r: r.forces.loc[r.forces.group == "europe_forward", "count"].sum()  # noqa: E731
    assert us(later) < us(today) and eu(later) > eu(today)
    assert "2035" in later.title


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"year": 1800}, ["year", "1800"]),
        ({"year": "2030"}, ["year", "'2030'"]),
        ({"case": "nato_2016", "year": 2030}, ["year", "2030", "case"]),
    ],
)
def test_bad_years_are_rejected(kwargs: dict, words: list[str]) -> None:
    with pytest.raises(InputError) as err:
        campaign(**kwargs)
    for w in words:
        assert w in str(err.value)
