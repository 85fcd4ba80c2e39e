"""The US budget answers each posture's commitment (issue #15 item 4): every built-in posture
sets an Indo-Pacific balance target ``us.solve_ratio.indo_pacific`` (a judgement, with its
reason), the solved US budget follows it within ``us.burden_ceiling``, and the US effort then
differs between postures because their commitments differ."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

import natofutures as nf
from natofutures.engine.simulate import simulate
from natofutures.scenario import parameter_table

POSTURES = ("business_as_usual", "democracy_international", "division_of_labor", "global_vs_china")
LEVER = "us.solve_ratio.indo_pacific"


def _posture_yaml(name: str) -> dict:
    from importlib import resources

    text = (resources.files("natofutures") / "parameters" / "postures" / f"{name}.yaml").read_text()
    return yaml.safe_load(text)


@pytest.mark.parametrize("name", POSTURES)
def test_every_posture_sets_a_labelled_us_commitment_in_asia(name: str) -> None:
    lever = _posture_yaml(name)["levers"][LEVER]
    assert 0 < lever["value"] <= parameter_table()[LEVER].bounds[1]
    assert lever["reason"].startswith("Judgement (range")
    assert nf.posture(name).parameter(LEVER) == lever["value"]


RISE = "us.max_burden_rise"


@pytest.fixture(scope="module")
def runs() -> dict[str, object]:
    return {n: simulate(n, draws=0, horizon=2045, backend="numpy") for n in POSTURES}


@pytest.mark.parametrize("name", POSTURES)
def test_the_us_budget_meets_the_target_within_the_ceiling_and_the_ramp(name: str, runs) -> None:
    ds = runs[name]
    ceiling = float(parameter_table()["us.burden_ceiling"].value)
    rise = float(parameter_table()[RISE].value)
    target = nf.posture(name).parameter(LEVER)
    b = ds.burden.sel(country="USA").to_numpy().ravel().astype(float)
    r = ds.balance.sel(theatre="indo_pacific").to_numpy().ravel()[1:]
    cap = np.minimum(ceiling, b[:-1] + rise)  # the most this year's budget may be
    assert (b[1:] <= cap + 1e-7).all()  # float32 outputs
    free = b[1:] < cap - 1e-6  # neither the ramp nor the ceiling binds: the target is met
    np.testing.assert_allclose(r[free], target, rtol=1e-5)
    assert (r[~free] <= target + 1e-6).all()  # at the ramp or the ceiling it may be missed
    assert free.any() == (name == "division_of_labor")  # the others stay on the ramp


def _us_total(name: str, **over: float) -> float:
    sc = nf.posture(name).with_overrides(over) if over else nf.posture(name)
    ds = simulate(sc, draws=0, horizon=2045, backend="numpy")
    return float(ds.spending.sel(country="USA").sum())


def test_the_us_effort_differs_because_the_commitments_differ(runs) -> None:
    total = {n: float(runs[n].spending.sel(country="USA").sum()) for n in POSTURES}
    # the same postures without the commitment: one US budget path for all (the old behaviour)
    off = {n: _us_total(n, **{LEVER: 0.0}) for n in POSTURES}
    assert len({round(v, 6) for v in off.values()}) == 1
    assert all(total[n] > off[n] for n in POSTURES)
    # at the central ramp (0.24 points a year) the three postures that never reach their
    # target share one ramped budget; division of labour reaches its target and spends less
    ramped = [total[n] for n in POSTURES if n != "division_of_labor"]
    assert max(ramped) - min(ramped) < 1e-6 * max(ramped)
    assert total["division_of_labor"] < min(ramped)
    # at a wartime-like ramp (the range's top) all four commitments give different budgets
    fast = {n: _us_total(n, **{RISE: 0.01}) for n in POSTURES}
    assert len({round(v, 3) for v in fast.values()}) == len(POSTURES)
