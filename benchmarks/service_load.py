"""Bounded load test of the web service on loopback, and slider-to-chart latency in a browser.

Starts ``natofutures serve`` in a subprocess on 127.0.0.1 (a free port), waits for it, then

1. fires ``--requests`` deterministic ``POST /api/simulate`` requests (the dashboard's slider
   call), at most ``--concurrency`` at a time, from an httpx AsyncClient, and reports latency
   percentiles, errors and throughput;
2. with ``--browser``: opens the dashboard in headless Debian Chromium (Playwright), moves a
   slider ``--moves`` times and reads the page's own measurements, all from the input event's
   timestamp: ``window.nfLatency`` (every chart on screen finished drawing: Plotly's promise
   resolved, after ``plotly_afterplot`` or the end of its transition), ``window.nfFrameMs``
   (the next animation frame after that) and ``window.nfFetchMs`` (results parsed). Between
   moves the script waits inside the page (a 25 ms timer there) for the redraw to finish;
   ``--cdp-poll`` instead asks the page over the DevTools protocol every 10 ms, as the first
   version of this script did (that polling itself loads the browser and inflates the figures);
3. with ``--job-draws N``: a Monte Carlo job (``POST /api/jobs/simulate``, N draws) polled
   every 50 ms: time to done, progress updates seen, and the synchronous call for comparison.

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


def _browser(base: str, moves: int, pause: float, query: str, cdp_poll: bool) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    wait_in_page = (
        "n => new Promise((r) => { const c = () => (window.nfRenders > n ? r() : "
        "setTimeout(c, 25)); c(); })"
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(base + "/" + query)
        while not page.evaluate("window.nfRenders >= 1"):
            time.sleep(0.05)
        time.sleep(1.0)
        slider = page.locator("#s-us-resolve")
        for i in range(moves):
            n = page.evaluate("window.nfRenders")
            slider.fill(str(round(0.05 + 0.9 * (i % 19) / 18, 2)))
            if cdp_poll:
                while page.evaluate(f"window.nfRenders <= {n}"):
                    time.sleep(0.01)
            else:
                page.evaluate(wait_in_page, n)
            time.sleep(pause)
        latency = page.evaluate("window.nfLatency")[1:]  # the first entry is the page load
        frame = page.evaluate("window.nfFrameMs")[1:]
        fetch = page.evaluate("window.nfFetchMs")[1:]
        charts = page.evaluate(
            "['chart-burden', 'chart-balance', 'chart-risk', 'chart-allies', 'chart-map']"
            ".filter((id) => { const r = document.getElementById(id).getBoundingClientRect();"
            " return r.bottom > 0 && r.top < innerHeight; }).length"
        )
        browser.close()
    return {"slider_to_chart_ms": _percentiles(latency), "slider_to_frame_ms": _percentiles(frame),
            "slider_to_data_ms": _percentiles(fetch), "charts_on_screen": charts}


def _job(base: str, draws: int) -> dict[str, Any]:
    body = {"scenario": {"posture": "division_of_labor"}, "draws": draws, "seed": 1}
    with httpx.Client(base_url=base, timeout=300) as client:
        t = time.perf_counter()
        sync = client.post("/api/simulate", json=body)
        sync_s = time.perf_counter() - t
        t = time.perf_counter()
        job = client.post("/api/jobs/simulate", json=body).json()
        seen: list[float] = []
        while True:
            state = client.get(f"/api/jobs/{job['id']}").json()
            if not seen or state["progress"] != seen[-1]:
                seen.append(state["progress"])
            if state["status"] not in ("queued", "running"):
                break
            time.sleep(0.05)
        job_s = time.perf_counter() - t
    same = state["status"] == "done" and {
        k: v for k, v in state["result"].items() if k != "elapsed_ms"
    } == {k: v for k, v in sync.json().items() if k != "elapsed_ms"}
    return {"sync_s": sync_s, "job_s": job_s, "updates": len(seen), "status": state["status"],
            "same": same}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--draws", type=int, default=0, help="0 = deterministic (the slider call)")
    ap.add_argument("--browser", action="store_true", help="also measure slider-to-chart latency")
    ap.add_argument("--moves", type=int, default=30)
    ap.add_argument("--pause", type=float, default=0.5, help="seconds between slider moves")
    ap.add_argument("--query", default="", help="page query, e.g. '?b=division_of_labor'")
    ap.add_argument("--cdp-poll", action="store_true",
                    help="wait for redraws by polling over CDP every 10 ms (the old harness)")
    ap.add_argument("--job-draws", type=int, default=0,
                    help="also time a Monte Carlo job with this many draws")
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
            b = _browser(base, args.moves, args.pause, args.query, args.cdp_poll)
            s, fr, f = b["slider_to_chart_ms"], b["slider_to_frame_ms"], b["slider_to_data_ms"]
            print(
                f"browser {args.query or '(one posture)'}, {args.moves} slider moves "
                f"{args.pause} s apart, {b['charts_on_screen']} charts on screen, "
                f"{'CDP polling' if args.cdp_poll else 'waiting in the page'}: "
                f"input -> charts redrawn p50 {s['p50']:.0f} ms, "
                f"p90 {s['p90']:.0f} ms, max {s['max']:.0f} ms; input -> next frame p50 "
                f"{fr['p50']:.0f} ms, p90 {fr['p90']:.0f} ms; input -> data parsed p50 "
                f"{f['p50']:.0f} ms, p90 {f['p90']:.0f} ms; load average "
                f"{os.getloadavg()[0]:.1f}"
            )
        if args.job_draws:
            j = _job(base, args.job_draws)
            print(
                f"Monte Carlo {args.job_draws} draws: POST /api/simulate {j['sync_s']:.2f} s; "
                f"as a job {j['job_s']:.2f} s to {j['status']} ({j['updates']} progress values "
                f"seen polling every 50 ms; result identical: {j['same']})"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
