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


@pytest.fixture(scope="module")
def runs() -> dict[str, object]:
    return {n: simulate(n, draws=0, horizon=2045, backend="numpy") for n in POSTURES}


@pytest.mark.parametrize("name", POSTURES)
def test_the_us_budget_meets_the_target_within_the_ceiling(name: str, runs) -> None:
    ds = runs[name]
    ceiling = float(parameter_table()["us.burden_ceiling"].value)
    target = nf.posture(name).parameter(LEVER)
    b = ds.burden.sel(country="USA").to_numpy().ravel()[1:]
    r = ds.balance.sel(theatre="indo_pacific").to_numpy().ravel()[1:]
    assert (b <= ceiling + 1e-12).all()
    below = b < ceiling - 1e-9  # where the ceiling does not bind, the target is met exactly
    assert below.any()
    np.testing.assert_allclose(r[below], target, rtol=1e-5)
    assert (r[~below] <= target + 1e-9).all()  # at the ceiling the target may be missed


def test_the_us_effort_differs_because_the_commitments_differ(runs) -> None:
    total = {n: float(runs[n].spending.sel(country="USA").sum()) for n in POSTURES}
    assert len({round(v, 3) for v in total.values()}) == len(POSTURES)
    # the same postures without the commitment: one US budget path for all (the old behaviour)
    off = {
        n: float(
            simulate(nf.posture(n).with_overrides({LEVER: 0.0}), draws=0, horizon=2045,
                     backend="numpy").spending.sel(country="USA").sum()
        )
        for n in POSTURES
    }  # fmt: skip
    assert len({round(v, 6) for v in off.values()}) == 1
    assert all(total[n] >= off[n] for n in POSTURES)
