"""Scale-out on Dask: split Monte Carlo draws into chunks and run them on a cluster.

Why it is bit-identical: the engine's random numbers for draw ``i`` come from a counter-based
generator keyed by ``(seed, i)`` alone, so a chunk ``[lo, hi)`` computed anywhere
(``simulate(..., draw_offset=lo)``) equals rows ``lo:hi`` of a local run. Chunks are gathered in
order and concatenated along ``draw``; whatever the scheduler, the number of workers or the chunk
size, the arrays are the same bit for bit.

Schedulers (the ``--scheduler`` option):

- ``local`` — in this process (the default; no Dask needed);
- ``local:N`` — a Dask ``LocalCluster`` with N single-threaded worker processes, started for the
  run and closed afterwards;
- ``tcp://HOST:PORT`` — an existing Dask scheduler (workers need natofutures installed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from natofutures.errors import InputError

_LOCAL_N = re.compile(r"^local:(\d+)$")
_TCP = re.compile(r"^tcp://[A-Za-z0-9.\-\[\]:]+:\d+$")
MAX_LOCAL_WORKERS = 64


def parse_scheduler(spec: object) -> tuple[str, int | str | None]:
    """Parse a scheduler spec: ("local", None), ("cluster", N) or ("remote", address)."""
    if spec is None or spec == "local":
        return ("local", None)
    if not isinstance(spec, str):
        raise InputError(
            f"scheduler: value {spec!r} not allowed; expected 'local', 'local:N' or "
            "'tcp://HOST:PORT'"
        )
    m = _LOCAL_N.match(spec)
    if m:
        n = int(m.group(1))
        if not 1 <= n <= MAX_LOCAL_WORKERS:
            raise InputError(
                f"scheduler: value {spec!r} not allowed; expected local:N with N in "
                f"[1, {MAX_LOCAL_WORKERS}]"
            )
        return ("cluster", n)
    if _TCP.match(spec):
        return ("remote", spec)
    raise InputError(
        f"scheduler: value {spec!r} not allowed; expected 'local', 'local:N' or 'tcp://HOST:PORT'"
    )


@contextmanager
def dask_client(spec: str) -> Iterator[Any]:
    """A Dask client for ``spec`` (a LocalCluster is started and closed around the block)."""
    kind, arg = parse_scheduler(spec)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError(
            f"scheduler: value {spec!r} needs Dask, an optional extra that is not installed; "
            "expected: pip install 'natofutures[distributed]' (or --scheduler local)"
        ) from exc
    if kind == "cluster":
        assert isinstance(arg, int)
        with (
            LocalCluster(
                n_workers=arg,
                threads_per_worker=1,
                processes=True,
                # a free local port: the default 8787 may be taken (another cluster, another
                # user), which Dask answers with a warning and a different port
                dashboard_address="127.0.0.1:0",
                host="127.0.0.1",
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
    elif kind == "remote":
        try:
            client = Client(str(arg), timeout="10s")
        except OSError as exc:
            raise InputError(
                f"scheduler: could not reach the Dask scheduler at {arg!r} ({exc}); "
                "start one with `dask scheduler` or use local:N"
            ) from exc
        try:
            yield client
        finally:
            client.close()
    else:
        raise InputError("scheduler: 'local' runs in-process and needs no Dask client")


def chunk_bounds(
    draws: int, n_chunks: int = 1, *, max_size: int | None = None, min_size: int = 1
) -> list[tuple[int, int]]:
    """Split ``[0, draws)`` into contiguous pieces: the one splitter of draws in the project.

    The pieces are as even as ``n_chunks`` pieces allow, then no smaller than ``min_size``
    (draws per piece) and no larger than ``max_size``; only the last piece may be shorter.
    The engine's memory/thread chunks, Dask pieces and service job blocks all come from here.
    Draws are independent (their random numbers depend only on (seed, draw)), so the split
    changes nothing but speed and memory. ``draws == 0`` gives no pieces.
    """
    size = max(min_size, math.ceil(draws / max(1, min(n_chunks, draws))))
    if max_size is not None:
        size = min(size, max_size)
    size = max(size, 1)
    return [(lo, min(draws, lo + size)) for lo in range(0, draws, size)]


def _run_piece(scenario: Any, draws: int, seed: int, horizon: int, offset: int,
               options: dict[str, Any]) -> Any:
    from natofutures.engine.simulate import simulate

    return simulate(scenario, draws=draws, seed=seed, horizon=horizon, draw_offset=offset,
                    **options)


def simulate_distributed(
    scenario: Any,
    draws: int,
    seed: int,
    horizon: int,
    scheduler: str,
    *,
    chunk_draws: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> Any:
    """Run ``draws`` Monte Carlo draws as chunks on the Dask cluster named by ``scheduler``.

    ``options`` are passed to :func:`natofutures.simulate` on the workers (baseline, variables,
    backend). Returns the same ``xarray.Dataset`` as a local run, bit for bit.
    """
    import xarray as xr

    if draws <= 0:
        # the deterministic central case is a single path: nothing to distribute
        return _run_piece(scenario, 0, seed, horizon, 0, options)
    with dask_client(scheduler) as client:
        from dask.distributed import as_completed

        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        if chunk_draws is not None:
            if isinstance(chunk_draws, bool) or not isinstance(chunk_draws, int) or chunk_draws < 1:
                raise InputError(
                    f"chunk_draws: value {chunk_draws!r} not allowed; expected a positive integer"
                )
            bounds = chunk_bounds(draws, max_size=chunk_draws)
        else:
            bounds = chunk_bounds(draws, 4 * n_workers)
        futures = {
            client.submit(
                _run_piece, scenario, hi - lo, seed, horizon, lo, options, pure=False
            ): lo
            for lo, hi in bounds
        }
        parts: dict[int, Any] = {}
        done = 0
        for fut in as_completed(futures):
            lo = futures[fut]
            parts[lo] = fut.result()
            done += parts[lo].sizes["draw"]
            if progress is not None:
                progress(done, draws)
    ordered = [parts[lo] for lo, _ in bounds]
    ds = xr.concat(ordered, dim="draw", data_vars="all", coords="minimal", compat="override",
                   join="exact", combine_attrs="override")
    ds.attrs["draws"] = draws
    return ds
