"""Pinned results of the four postures (SALib-style regression tests).

If a deliberate change of the model, its defaults or the bundled data moves these numbers,
update them here *and* say so in CHANGELOG.md. The burden-response coefficients are still
PROVISIONAL (issue #5), so these pins are expected to move once calibrated defaults land.
"""

from __future__ import annotations

import pytest

import natofutures as nf
from natofutures.engine.baseline import Baseline

# posture -> (European burden 2045, cumulative risk Europe 2045, US power delivered to the
# Indo-Pacific 2045), deterministic central case, data version b35169c67145
PINNED = {
    "business_as_usual": (0.029429, 0.109121, 569.28),
    "democracy_international": (0.03002, 0.145659, 640.43),
    "global_vs_china": (0.030877, 0.160794, 916.04),
    "division_of_labor": (0.036979, 0.132272, 1056.97),
}


@pytest.mark.parametrize(("name", "expected"), sorted(PINNED.items()))
def test_central_case_is_pinned(
    name: str, expected: tuple[float, float, float], baseline: Baseline
) -> None:
    if baseline.data_version != "b35169c67145":
        pytest.xfail("pinned against data version b35169c67145")  # pragma: no cover
    at = nf.simulate(name, baseline=baseline).isel(draw=0).sel(year=2045)
    got = (
        float(at.europe_burden),
        float(at.cumulative_risk.sel(theatre="europe")),
        float(at.delivered.sel(country="USA", theatre="indo_pacific")),
    )
    assert got == pytest.approx(expected, rel=1e-4)


def test_seeded_monte_carlo_is_pinned(baseline: Baseline) -> None:
    if baseline.data_version != "b35169c67145":
        pytest.xfail("pinned against data version b35169c67145")  # pragma: no cover
    at = nf.simulate("division_of_labor", draws=100, seed=7, baseline=baseline).sel(year=2045)
    assert float(at.europe_burden.mean()) == pytest.approx(0.036591, rel=1e-4)
    assert float(at.cumulative_risk.sel(theatre="indo_pacific").mean()) == pytest.approx(
        0.387991, rel=1e-4
    )
