"""Bounded load test of the web service on loopback, and slider-to-chart latency in a browser.

Starts ``natofutures serve`` in a subprocess on 127.0.0.1 (a free port), waits for it, then

1. fires ``--requests`` deterministic ``POST /api/simulate`` requests (the dashboard's slider
   call), at most ``--concurrency`` at a time, from an httpx AsyncClient, and reports latency
   percentiles, errors and throughput;
2. with ``--browser``: opens the dashboard in headless Debian Chromium (Playwright), moves a
   slider ``--moves`` times and reads the page's own measurements (``window.nfLatency``:
   input event -> last ``plotly_afterplot`` of the charts on screen; ``window.nfFetchMs``:
   input event -> results parsed).

Run:  .venv/bin/python benchmarks/service_load.py --requests 200 --concurrency 200 --browser
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
import numpy as np


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "natofutures", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 180 s")


def _percentiles(values: list[float]) -> dict[str, float]:
    a = np.asarray(values, dtype=float)
    return {
        "n": float(len(a)),
        "p50": float(np.percentile(a, 50)),
        "p90": float(np.percentile(a, 90)),
        "p99": float(np.percentile(a, 99)),
        "max": float(a.max()),
    }


async def _load(base: str, requests: int, concurrency: int, draws: int) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    sem = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    errors = 0
    postures = ["business_as_usual", "democracy_international", "division_of_labor",
                "global_vs_china"]

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:

        async def one(i: int) -> None:
            nonlocal errors
            body = {
                "scenario": {
                    "posture": postures[i % 4],
                    "overrides": {"us.resolve": round((i % 21) / 20, 2)},
                },
                "draws": draws,
                "seed": i,
            }
            async with sem:
                t = time.perf_counter()
                try:
                    resp = await client.post("/api/simulate", json=body)
                    ok = resp.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - t) * 1000)
                if not ok:
                    errors += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(requests)))
        wall = time.perf_counter() - t0
    return {"latency_ms": _percentiles(latencies), "errors": errors, "wall_s": wall,
            "throughput_rps": requests / wall}


def _browser(base: str, moves: int, pause: float) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(base + "/")
        while not page.evaluate("window.nfRenders >= 1"):
            time.sleep(0.05)
        time.sleep(1.0)
        slider = page.locator("#s-us-resolve")
        for i in range(moves):
            n = page.evaluate("window.nfRenders")
            slider.fill(str(round(0.05 + 0.9 * (i % 19) / 18, 2)))
            while page.evaluate(f"window.nfRenders <= {n}"):
                time.sleep(0.01)
            time.sleep(pause)
        latency = page.evaluate("window.nfLatency")[1:]  # the first entry is the page load
        fetch = page.evaluate("window.nfFetchMs")[1:]
        browser.close()
    return {"slider_to_chart_ms": _percentiles(latency), "slider_to_data_ms": _percentiles(fetch)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--draws", type=int, default=0, help="0 = deterministic (the slider call)")
    ap.add_argument("--browser", action="store_true", help="also measure slider-to-chart latency")
    ap.add_argument("--moves", type=int, default=30)
    ap.add_argument("--pause", type=float, default=0.5, help="seconds between slider moves")
    args = ap.parse_args()
    port = _free_port()
    proc = _start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        res = asyncio.run(_load(base, args.requests, args.concurrency, args.draws))
        lat = res["latency_ms"]
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        print(
            f"POST /api/simulate draws={args.draws}: {args.requests} requests, "
            f"concurrency {args.concurrency}: p50 {lat['p50']:.0f} ms, p90 {lat['p90']:.0f} ms, "
            f"p99 {lat['p99']:.0f} ms, max {lat['max']:.0f} ms; errors {res['errors']}; "
            f"{res['throughput_rps']:.0f} requests/s ({res['wall_s']:.1f} s)"
        )
        if args.browser:
            b = _browser(base, args.moves, args.pause)
            s, f = b["slider_to_chart_ms"], b["slider_to_data_ms"]
            print(
                f"browser, {args.moves} slider moves {args.pause} s apart: "
                f"input -> charts redrawn p50 {s['p50']:.0f} ms, "
                f"p90 {s['p90']:.0f} ms, max {s['max']:.0f} ms; input -> data parsed p50 "
                f"{f['p50']:.0f} ms, p90 {f['p90']:.0f} ms"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
