"""A run split over a real Dask LocalCluster equals the local run bit for bit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import xarray as xr

import natofutures as nf
from natofutures.distributed import chunk_bounds, parse_scheduler, simulate_distributed
from natofutures.errors import InputError


def _assert_bit_identical(a: xr.Dataset, b: xr.Dataset) -> None:
    assert list(a.data_vars) == list(b.data_vars)
    for name in a.data_vars:
        x, y = a[name].to_numpy(), b[name].to_numpy()
        assert x.dtype == y.dtype, name
        assert x.tobytes() == y.tobytes(), name
    assert a.attrs == b.attrs
    np.testing.assert_array_equal(a["draw"], b["draw"])


@pytest.fixture(scope="module")
def local_run() -> xr.Dataset:
    return nf.simulate("division_of_labor", draws=600, seed=11, horizon=2035)


def test_two_worker_cluster_equals_local_for_several_chunk_sizes(local_run: xr.Dataset) -> None:
    sc = nf.posture("division_of_labor")
    for chunk in (600, 128, 77):
        dist = simulate_distributed(sc, 600, 11, 2035, "local:2", chunk_draws=chunk)
        _assert_bit_identical(local_run, dist)


def test_public_simulate_accepts_a_scheduler(local_run: xr.Dataset) -> None:
    seen: list[int] = []
    dist = nf.simulate(
        "division_of_labor", draws=600, seed=11, horizon=2035, scheduler="local:2",
        progress=lambda done, total: seen.append(done),
    )
    _assert_bit_identical(local_run, dist)
    assert seen[-1] == 600 and seen == sorted(seen)


def test_a_local_cluster_starts_cleanly_when_the_default_dask_port_is_taken(
    local_run: xr.Dataset,
) -> None:
    """Dask's default dashboard port 8787 busy (another cluster, another user): no warning
    (warnings are errors in this suite), same numbers."""
    import socket

    holder = socket.socket()
    try:
        holder.bind(("0.0.0.0", 8787))
        holder.listen()
    except OSError:
        pass  # already taken by someone else: the condition under test holds anyway
    try:
        dist = nf.simulate(
            "division_of_labor", draws=600, seed=11, horizon=2035, scheduler="local:1"
        )
    finally:
        holder.close()
    _assert_bit_identical(local_run, dist)


def test_draw_offsets_concatenate_to_the_whole_run(local_run: xr.Dataset) -> None:
    pieces = [
        nf.simulate("division_of_labor", draws=hi - lo, seed=11, horizon=2035, draw_offset=lo)
        for lo, hi in chunk_bounds(600, 7)
    ]
    whole = xr.concat(pieces, dim="draw", combine_attrs="override")
    whole.attrs["draws"] = 600
    _assert_bit_identical(local_run, whole)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(None, ("local", None)), ("local", ("local", None)), ("local:3", ("cluster", 3)),
     ("tcp://127.0.0.1:8786", ("remote", "tcp://127.0.0.1:8786"))],
)
def test_scheduler_specs(spec: str | None, expected: tuple[str, object]) -> None:
    assert parse_scheduler(spec) == expected


@pytest.mark.parametrize("spec", ["local:0", "local:x", "cluster", "http://host:1", "local:999"])
def test_bad_scheduler_specs_name_the_field(spec: str) -> None:
    with pytest.raises(InputError, match=r"^scheduler: value"):
        parse_scheduler(spec)


def test_bad_draw_offset_is_refused() -> None:
    with pytest.raises(InputError, match=r"^draw_offset: value -1"):
        nf.simulate("business_as_usual", draws=10, draw_offset=-1)
    with pytest.raises(InputError, match=r"^draw_offset"):
        nf.simulate("business_as_usual", draws=0, draw_offset=5)


def test_chunk_bounds_cover_every_draw_once() -> None:
    for draws, n in [(1, 4), (10, 3), (1000, 8), (7, 7)]:
        bounds = chunk_bounds(draws, n)
        assert bounds[0][0] == 0 and bounds[-1][1] == draws
        assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))


def test_chunk_bounds_respect_piece_limits() -> None:
    # as even as the number of pieces allows, then clipped to [min_size, max_size] draws
    assert chunk_bounds(10, 3) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_bounds(10, max_size=4) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_bounds(10, 5, min_size=4) == [(0, 4), (4, 8), (8, 10)]
    assert chunk_bounds(1000, 2, max_size=300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]
    assert chunk_bounds(0, 4) == []


def test_engine_chunks_are_the_shared_splitter() -> None:
    from natofutures.engine.simulate import MIN_THREAD_CHUNK, _chunks

    # worth threading: one piece per core, but never below MIN_THREAD_CHUNK draws
    assert _chunks(1000, 10_000, 4) == chunk_bounds(1000, 4)
    assert _chunks(3 * MIN_THREAD_CHUNK, 10_000, 8) == chunk_bounds(3 * MIN_THREAD_CHUNK, 3)
    # too few draws to thread: one chunk, or pieces of chunk_size
    assert _chunks(MIN_THREAD_CHUNK, 10_000, 8) == [(0, MIN_THREAD_CHUNK)]
    assert _chunks(100, 30, 1) == [(0, 30), (30, 60), (60, 90), (90, 100)]
