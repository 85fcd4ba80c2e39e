"""The compiled kernel (default backend) and the numpy reference loop give the same results."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

import natofutures as nf
from natofutures.engine.baseline import Baseline
from natofutures.engine.simulate import experiments, simulate


def _close(a: xr.Dataset, b: xr.Dataset) -> None:
    for v in a.data_vars:
        x, y = a[v].to_numpy(), b[v].to_numpy()
        if x.dtype == bool:
            assert np.array_equal(x, y), v
        else:
            np.testing.assert_allclose(x, y, rtol=2e-5, atol=1e-9, equal_nan=True, err_msg=v)


@pytest.mark.parametrize("name", ["business_as_usual", "division_of_labor"])
def test_kernel_matches_reference_deterministic(name: str, baseline: Baseline) -> None:
    _close(simulate(name, baseline=baseline), simulate(name, baseline=baseline, backend="numpy"))


def test_kernel_matches_reference_monte_carlo_with_shocks(baseline: Baseline) -> None:
    sc = nf.load_scenario("tests/engine/fixtures/good_baltic.yaml").with_shocks(
        [
            {"kind": "us_withdrawal", "year": 2031, "theatre": "europe"},
            {"kind": "spending", "year": 2027, "country": "RUS", "factor": 1.5},
            {"kind": "gdp", "year": 2028, "country": "DEU", "factor": 0.95},
        ]
    )
    a = simulate(sc, draws=40, seed=11, baseline=baseline)
    b = simulate(sc, draws=40, seed=11, baseline=baseline, backend="numpy")
    _close(a, b)


def test_threaded_chunks_equal_one_chunk(baseline: Baseline) -> None:
    kw = {"draws": 50, "seed": 5, "horizon": 2030, "baseline": baseline}
    a = simulate("democracy_international", chunk_size=7, **kw)  # type: ignore[arg-type]
    b = simulate("democracy_international", chunk_size=50, **kw)  # type: ignore[arg-type]
    for v in a.data_vars:
        assert np.array_equal(a[v].to_numpy(), b[v].to_numpy(), equal_nan=True), v


def _same(a: xr.Dataset, b: xr.Dataset) -> None:
    for v in a.data_vars:
        assert np.array_equal(a[v].to_numpy(), b[v].to_numpy(), equal_nan=True), v


@pytest.mark.parametrize("power_exponent", [1.0, 0.8])
def test_block_size_does_not_change_results(
    power_exponent: float, baseline: Baseline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kernel runs draws in SIMD blocks; every draw sees the same operations in the same
    order whatever the block, so blocks of 1, 7 and 64 draws give bit-identical arrays."""
    import natofutures.engine._kernel as kernel

    sc = (
        nf.load_scenario("tests/engine/fixtures/good_baltic.yaml")
        .with_overrides({"threat.power_exponent": power_exponent})
        .with_shocks(
            [
                {"kind": "us_withdrawal", "year": 2031, "theatre": "europe"},
                {"kind": "war", "year": 2029, "theatre": "indo_pacific"},
                {"kind": "intentions", "year": 2027, "adversary": "RUS", "value": 0.9},
            ]
        )
    )
    runs = []
    for block in (1, 7, 64):
        monkeypatch.setattr(kernel, "BLOCK", block)
        runs.append(
            (
                simulate(sc, draws=70, seed=3, baseline=baseline, chunk_size=70),
                simulate(sc, draws=70, seed=3, baseline=baseline, chunk_size=33),
                experiments(
                    sc,
                    ["hazard.h0.europe", "power.ppp_multiplier.RUS"],
                    np.column_stack([np.linspace(0.01, 0.05, 9), np.linspace(1.0, 3.0, 9)]),
                    baseline=baseline,
                ),
            )
        )
    for other in runs[:2]:
        for a, b in zip(runs[2], other, strict=True):
            _same(a, b)
    _same(runs[2][0], runs[2][1])


def test_block_noise_equals_per_draw_noise() -> None:
    """The SIMD random-number block gives each draw exactly the numbers of the per-draw
    generator (which the numpy reference backend uses)."""
    from natofutures.engine._kernel import block_noise, dynamic_noise

    nt, nr, nc, ny = 3, 31, 47, 4
    width = 2 * nt + nr + nc
    k0, k1 = np.uint64(0x6D67A3F1), np.uint64(0x0BADC0DE)
    for g0, n in ((0, 70), (2**23 - 5, 9)):
        ref = dynamic_noise(k0, k1, g0, n, ny, nt, nr, nc)  # (draw, year, number)
        words = np.empty(((width + 3) // 4 * 4, 64), dtype=np.uint64)
        noise = np.empty((width, 64))
        for d0 in range(0, n, 64):
            nb = min(64, n - d0)
            for k in range(ny):
                block_noise(words, noise, nb, g0 + d0, k, nt, nr, nc, k0, k1)
                assert np.array_equal(noise[:, :nb].T, ref[d0 : d0 + nb, k])


def test_single_draw_entry_equals_the_block_entry(
    baseline: Baseline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One draw (the central case, or a 1-draw Monte Carlo run) takes the kernel's scalar entry
    point; it gives exactly what the SIMD entry gives for that draw."""
    import natofutures.engine._kernel as kernel

    sc = nf.load_scenario("tests/engine/fixtures/good_baltic.yaml").with_shocks(
        [{"kind": "war", "year": 2029, "theatre": "europe"}]
    )
    one = [simulate(sc, baseline=baseline), simulate(sc, draws=1, seed=4, baseline=baseline)]
    monkeypatch.setattr(kernel, "run_kernel_one", kernel.run_kernel)
    block = [simulate(sc, baseline=baseline), simulate(sc, draws=1, seed=4, baseline=baseline)]
    for a, b in zip(one, block, strict=True):
        _same(a, b)
