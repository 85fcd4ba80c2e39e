"""Engine throughput, latency and memory benchmark (a script, not a test).

Measures, after a warm-up run (numba compilation and data loading excluded), on the posture
``division_of_labor`` with horizon 2045 (47 countries x 22 years = 1034 steps per draw):

- Monte Carlo throughput in country-year-draw steps per second for 10^3, 10^4 (all output
  variables) and 10^5 draws (theatre-level and aggregate variables only: the full
  country-level output of 10^5 draws is about 5 GB in float32). Wall time *and* process CPU
  time (all threads) are reported, best and median of ``--repeat`` runs: on a shared machine
  the wall time depends on the load, CPU time much less so. ``M steps/s per CPU-s`` is the
  throughput per core actually used;
- the compiled kernel alone (CPU time of ``run_kernel`` in one thread);
- latency of a deterministic run of all four postures (full Datasets);
- memory: peak RSS of a fresh process running one 10^5-draw lean run (``--memory``; the
  high-water mark is reset after the warm-up), and the traced numpy allocations of that run.

The load average (1 minute) is printed before every measurement.

Run:  .venv/bin/python benchmarks/engine_throughput.py [--max-draws 100000] [--repeat 5]
          [--memory] [--threads N]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

import natofutures as nf
from natofutures.engine.baseline import default_baseline
from natofutures.engine.simulate import simulate

POSTURES = ("business_as_usual", "democracy_international", "global_vs_china", "division_of_labor")
LEAN = ["balance", "hazard", "cumulative_risk", "war_started", "coalition_holds", "us_allocation",
        "europe_burden", "us_share_europe", "reengaged", "alignment"]  # fmt: skip


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _measure(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (process_time: every thread of this process) seconds of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    return walls, cpus


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _memory_child(draws: int) -> None:
    """One lean run of ``draws`` draws in this fresh process: RSS before, peak RSS, traced MiB.

    The RSS high-water mark is reset after the warm-up (``/proc/self/clear_refs``, Linux) so
    that numba compilation and data loading do not count.
    """
    b = default_baseline()
    sc = nf.posture("division_of_labor")
    simulate(sc, draws=0, baseline=b)
    simulate(sc, draws=16, seed=0, baseline=b)
    gc.collect()
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    before = _status_mib("VmRSS")
    tracemalloc.start()
    simulate(sc, draws=draws, seed=1, baseline=b, variables=LEAN)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{before:.0f} {_status_mib('VmHWM'):.0f} {traced / 2**20:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-draws", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--memory", action="store_true", help="measure peak RSS in a fresh process")
    ap.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        _memory_child(args.memory_child)
        return
    b = default_baseline()
    sc = nf.posture("division_of_labor")
    years = 2045 - b.t0 + 1
    per_draw = years * b.n
    simulate(sc, draws=0, baseline=b)  # warm-up: compile / load the kernel
    simulate(sc, draws=16, seed=0, baseline=b, chunk_size=8)
    import natofutures.engine._kernel as kernel_module

    block = getattr(kernel_module, "BLOCK", 1)  # draws per SIMD block (1: draw by draw)
    print(f"countries={b.n} years={years} (t0={b.t0}, horizon 2045), steps/draw={per_draw}, "
          f"cpus={os.cpu_count()}, kernel block={block} draws")  # fmt: skip
    print(f"{'draws':>7} {'vars':>5} {'load':>5} {'wall best':>10} {'wall med':>9} "
          f"{'M steps/s':>10} {'(median)':>9} {'CPU s':>7} {'M steps/CPU-s':>14}")  # fmt: skip
    for draws in (1_000, 10_000, 100_000):
        if draws > args.max_draws:
            break
        variables = None if draws <= 10_000 else LEAN
        load = _load()
        walls, cpus = _measure(
            lambda d=draws, v=variables: simulate(sc, draws=d, seed=1, baseline=b, variables=v),
            args.repeat,
        )
        steps = draws * per_draw
        label = "all" if variables is None else "lean"
        cpu, med = statistics.median(cpus), statistics.median(walls)
        print(f"{draws:>7} {label:>5} {load:>5} {min(walls):>10.4f} {med:>9.4f}"
              f" {steps / min(walls) / 1e6:>10.1f} {steps / med / 1e6:>9.1f}"
              f" {cpu:>7.3f} {steps / cpu / 1e6:>14.1f}")  # fmt: skip
    # the compiled kernel alone, one thread (CPU time)
    orig = kernel_module.run_kernel
    spent = [0.0]

    def timed(*a):  # type: ignore[no-untyped-def]
        t0 = time.process_time()
        orig(*a)
        spent[0] += time.process_time() - t0

    kernel_module.run_kernel = timed
    cpu_count = os.cpu_count
    os.cpu_count = lambda: 1  # one thread: simulate() then runs its chunks one after another
    n_cpu = min(20_000, args.max_draws)
    rates = []
    load = _load()
    for _ in range(args.repeat):
        spent[0] = 0.0
        t0 = time.process_time()
        simulate(sc, draws=n_cpu, seed=1, baseline=b, variables=LEAN, chunk_size=n_cpu)
        total = time.process_time() - t0
        rates.append((n_cpu * per_draw / total / 1e6, n_cpu * per_draw / spent[0] / 1e6))
    kernel_module.run_kernel = orig
    os.cpu_count = cpu_count
    print(f"one thread, {n_cpu} draws lean, load {load}: whole run "
          f"{max(r[0] for r in rates):.1f} M steps/CPU-s (best), compiled kernel (with its "
          f"random numbers) {max(r[1] for r in rates):.1f} M steps/CPU-s (best)")  # fmt: skip
    # deterministic latency of the four postures
    scs = [nf.posture(p) for p in POSTURES]
    for s in scs:
        simulate(s, baseline=b)
    load = _load()
    walls, cpus = _measure(lambda: [simulate(s, baseline=b) for s in scs], max(args.repeat, 20))
    print(f"deterministic run of all four postures, load {load}: best {min(walls) * 1000:.2f} ms, "
          f"median {statistics.median(walls) * 1000:.2f} ms wall; median CPU "
          f"{statistics.median(cpus) * 1000:.2f} ms")  # fmt: skip
    if args.memory and args.max_draws >= 100_000:
        res = subprocess.run(
            [sys.executable, __file__, "--memory-child", "100000"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        before, peak, traced = res.stdout.split()
        print(f"10^5-draw lean run in a fresh process: RSS {before} MiB after warm-up, peak "
              f"{peak} MiB during the run (+{int(peak) - int(before)} MiB); traced numpy/Python "
              f"allocations {traced} MiB")  # fmt: skip
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this process's peak RSS (incl. the 10^4-draw full outputs): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
