"""Dask scaling of a Monte Carlo run (issue #8; a script, not a test).

Runs the same ``--draws`` (default 10^5) draw run of ``division_of_labor`` (horizon 2045,
theatre-level and aggregate variables) in-process and with ``scheduler="local:1"`` and
``"local:2"`` (a Dask LocalCluster with 1 or 2 single-threaded worker processes, started for
the run: its start-up is included in the wall time, as a user would see it), then on an
already running and warmed-up LocalCluster of 1 and 2 workers (``scheduler="tcp://..."``:
the steady state, without cluster start-up and worker warm-up). Reports wall and CPU time
(this process only: the workers' CPU is not visible here), speed-up against the in-process
run, and checks that every variable is bit-identical to the in-process run.

Run:  .venv/bin/python benchmarks/dask_scaling.py [--draws 100000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import gc
import os
import time

import numpy as np
import xarray as xr

import natofutures as nf

THEATRE_LEVEL = ["balance", "hazard", "cumulative_risk", "war_started", "coalition_holds",
                 "coalition_power", "adversary_power", "hold_probability", "us_allocation",
                 "us_forward_presence", "europe_burden", "us_share_europe", "reengaged",
                 "alignment", "intentions"]  # fmt: skip


def _identical(a: xr.Dataset, b: xr.Dataset) -> bool:
    return (
        list(a.data_vars) == list(b.data_vars)
        and all(
            a[v].dtype == b[v].dtype and a[v].to_numpy().tobytes() == b[v].to_numpy().tobytes()
            for v in a.data_vars
        )
        and np.array_equal(a["draw"], b["draw"])
        and a.attrs == b.attrs
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    sc = nf.posture("division_of_labor")
    kw = {"draws": args.draws, "seed": args.seed, "horizon": 2045, "variables": THEATRE_LEVEL}
    nf.simulate(sc, draws=16, seed=0, variables=THEATRE_LEVEL)  # warm-up (compile, data)
    steps = args.draws * 22 * 47
    print(f"{args.draws} draws x 22 years x 47 countries = {steps / 1e6:.0f} M steps; "
          f"{len(THEATRE_LEVEL)} theatre-level variables; cpus={os.cpu_count()}")  # fmt: skip
    print(f"{'scheduler':>10} {'load':>5} {'wall best':>10} {'wall med':>9} {'M steps/s':>10} "
          f"{'speed-up':>9} {'CPU s here':>11} {'bit-identical':>14}")  # fmt: skip
    reference: xr.Dataset | None = None
    base = 0.0
    for scheduler in (None, "local:1", "local:2", "running:1", "running:2"):
        cluster = None
        label = scheduler or "in-process"
        if scheduler is not None and scheduler.startswith("running:"):
            from dask.distributed import LocalCluster

            cluster = LocalCluster(
                n_workers=int(scheduler.split(":")[1]), threads_per_worker=1, processes=True,
                dashboard_address=None, host="127.0.0.1",
            )  # fmt: skip
            scheduler = cluster.scheduler_address
            nf.simulate(sc, draws=64, seed=0, variables=THEATRE_LEVEL, scheduler=scheduler)
        walls, cpus = [], []
        result = None
        load = f"{os.getloadavg()[0]:.1f}"
        for _ in range(args.repeat):
            result = None
            gc.collect()
            w, c = time.perf_counter(), time.process_time()
            result = nf.simulate(sc, scheduler=scheduler, **kw)  # type: ignore[arg-type]
            cpus.append(time.process_time() - c)
            walls.append(time.perf_counter() - w)
        assert result is not None
        if cluster is not None:
            cluster.close()
        if reference is None:
            reference, base = result, min(walls)
            same = "(reference)"
        else:
            same = "yes" if _identical(reference, result) else "NO"
        walls.sort()
        print(f"{label:>10} {load:>5} {walls[0]:>10.2f} "
              f"{walls[len(walls) // 2]:>9.2f} {steps / walls[0] / 1e6:>10.1f} "
              f"{base / walls[0]:>9.2f} {min(cpus):>11.2f} {same:>14}")  # fmt: skip


if __name__ == "__main__":
    main()
