"""Engine throughput and latency benchmark (a script, not a test).

Measures, after a warm-up run (numba compilation and data loading excluded):

- Monte Carlo throughput in country-year-draw steps per second for 1, 10^3, 10^4 and 10^5
  draws (horizon 2045; all output variables up to 10^4 draws, theatre-level and aggregate
  variables only for 10^5 - the full country-level output of 10^5 draws does not fit in
  1 GB), separately for the compiled kernel alone;
- latency of a deterministic run of all four postures (full Dataset);
- peak memory (RSS high-water mark) of the process and per 10^5 draws.

Run:  .venv/bin/python benchmarks/engine_throughput.py [--max-draws 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
import tracemalloc

import natofutures as nf
from natofutures.engine.baseline import default_baseline
from natofutures.engine.simulate import simulate

POSTURES = ("business_as_usual", "democracy_international", "global_vs_china", "division_of_labor")
LEAN = ["balance", "hazard", "cumulative_risk", "war_started", "coalition_holds", "us_allocation",
        "europe_burden", "us_share_europe", "reengaged", "alignment"]  # fmt: skip


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-draws", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    b = default_baseline()
    sc = nf.posture("division_of_labor")
    years = 2045 - b.t0 + 1
    simulate(sc, draws=0, baseline=b)  # warm-up: compile / load the kernel
    simulate(sc, draws=16, seed=0, baseline=b, chunk_size=8)
    print(f"countries={b.n} years={years} (t0={b.t0}, horizon 2045)")
    print(f"{'draws':>8} {'variables':>9} {'seconds':>9} {'M steps/s':>10}")
    for draws in (1, 1_000, 10_000, 100_000):
        if draws > args.max_draws:
            break
        variables = None if draws <= 10_000 else LEAN
        repeat = args.repeat if draws <= 10_000 else 1
        sec = _best(
            lambda d=draws, v=variables: simulate(sc, draws=d, seed=1, baseline=b, variables=v),
            repeat,
        )
        label = "all" if variables is None else "lean"
        print(f"{draws:>8} {label:>9} {sec:>9.3f} {draws * years * b.n / sec / 1e6:>10.1f}")
    # CPU time (robust to other processes on the machine): kernel alone vs the whole run
    import natofutures.engine._kernel as kernel_module

    orig = kernel_module.run_kernel
    spent = [0.0]

    def timed(*a):  # type: ignore[no-untyped-def]
        t0 = time.process_time()
        orig(*a)
        spent[0] += time.process_time() - t0

    kernel_module.run_kernel = timed
    n_cpu = min(20_000, args.max_draws)
    t0 = time.process_time()
    simulate(sc, draws=n_cpu, seed=1, baseline=b, variables=LEAN, chunk_size=n_cpu)
    total = time.process_time() - t0
    kernel_module.run_kernel = orig
    steps = n_cpu * years * b.n
    print(f"single-thread CPU, {n_cpu} draws (lean): run {steps / total / 1e6:.1f} M steps/s, "
          f"kernel alone {steps / spent[0] / 1e6:.1f} M steps/s")  # fmt: skip
    # how much of that is random-number generation (numpy PCG64, float32 normals)
    from natofutures.engine.simulate import _layout, _normals

    width = _layout(len(sc.uncertainties()), years, b.n)["_total"].stop
    n_rng = min(10_000, args.max_draws)
    sec = _best(lambda: _normals(1, 0, n_rng, width), args.repeat)
    print(f"random normals for {n_rng} draws ({width} per draw): {sec:.3f} s "
          f"({n_rng * width / sec / 1e6:.0f} M normals/s)")  # fmt: skip
    # deterministic latency of the four postures
    scs = [nf.posture(p) for p in POSTURES]
    for s in scs:
        simulate(s, baseline=b)
    sec = _best(lambda: [simulate(s, baseline=b) for s in scs], max(args.repeat, 5))
    print(f"deterministic run of all four postures: {sec * 1000:.1f} ms ({sec * 250:.1f} ms each)")
    # memory: traced allocations of one 10^5-draw lean run, and the process high-water mark
    if args.max_draws >= 100_000:
        tracemalloc.start()
        simulate(sc, draws=100_000, seed=1, baseline=b, variables=LEAN)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak traced memory of a 10^5-draw run (lean variables): {peak / 2**20:.0f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
