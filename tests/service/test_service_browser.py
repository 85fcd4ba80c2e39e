"""The dashboard in a real browser: Debian's Chromium driven by Playwright against uvicorn.

Screenshots go to tests/artifacts/ (git-ignored). Nothing here asserts wall-clock times; the
slider-to-chart latency the page records is printed for benchmarks/README.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml


def _wait(page: Any, js: str, timeout: float = 90.0) -> None:
    """Poll a JS expression (Playwright's wait_for_function uses eval, which our CSP forbids)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if page.evaluate(js):
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {js}")


class PageWatch:
    """A page plus every console error, page error and request it made."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def outside(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).scheme in ("http", "https") and urlparse(u).hostname != "127.0.0.1"
        ]


@pytest.fixture()
def open_page(browser: Any, live_server: str) -> Iterator[Any]:
    contexts = []

    def opener(query: str = "", width: int = 1440, height: int = 1000) -> PageWatch:
        ctx = browser.new_context(viewport={"width": width, "height": height},
                                  accept_downloads=True)
        contexts.append(ctx)
        watch = PageWatch(ctx.new_page())
        watch.page.goto(live_server + "/" + query)
        _wait(watch.page, "window.nfRenders >= 1")
        return watch

    yield opener
    for ctx in contexts:
        ctx.close()


def _trace_y(page: Any, chart: str, index: int = 0) -> list[float]:
    return page.evaluate(
        f"Array.from(document.getElementById('{chart}').data[{index}].y)"
    )


def test_page_loads_without_errors_or_outside_requests(
    open_page: Any, artifacts: Path
) -> None:
    w = open_page("?b=division_of_labor")
    page = w.page
    for chart in ("chart-burden", "chart-balance", "chart-risk", "chart-allies", "chart-map"):
        assert page.evaluate(f"document.getElementById('{chart}').data.length") > 0, chart
        title = page.evaluate(f"document.getElementById('{chart}').layout.title.text")
        assert title, chart
    assert "Error" not in page.inner_text("#status")
    page.screenshot(path=str(artifacts / "dashboard-desktop.png"), full_page=True)
    assert w.errors == []
    assert w.outside() == []


def test_moving_a_slider_changes_the_charts(open_page: Any, artifacts: Path) -> None:
    w = open_page()
    page = w.page
    before = _trace_y(page, "chart-burden")
    renders = page.evaluate("window.nfRenders")
    slider = page.locator("#s-us-resolve")
    slider.fill("1")  # dispatches `input`, as a drag does
    _wait(page, f"window.nfRenders > {renders}")
    after = _trace_y(page, "chart-burden")
    assert after != before
    assert "us.resolve=1" in page.url  # the shareable URL follows the sliders
    # keyboard moves on another slider, several quickly: stale requests are aborted
    renders = page.evaluate("window.nfRenders")
    ppp = page.locator("#s-power-ppp_multiplier-RUS")
    ppp.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    _wait(page, f"window.nfRenders > {renders}")
    time.sleep(0.3)
    latencies = page.evaluate("window.nfLatency")
    print(f"slider-to-chart latency (ms): {[round(x) for x in latencies]}")
    assert page.locator("#s-power-ppp_multiplier-RUS-out").inner_text() == "×3.0"
    page.screenshot(path=str(artifacts / "dashboard-slider-moved.png"), full_page=False)
    assert w.errors == []


def test_shareable_url_restores_the_sliders(open_page: Any) -> None:
    w = open_page("?a=global_vs_china&b=business_as_usual&us.resolve=0.3&horizon=2050&year=2040")
    page = w.page
    assert page.locator("#postureA").input_value() == "global_vs_china"
    assert page.locator("#postureB").input_value() == "business_as_usual"
    assert float(page.locator("#s-us-resolve").input_value()) == pytest.approx(0.3)
    assert page.evaluate("document.getElementById('chart-burden').data[0].x.slice(-1)[0]") == 2050
    assert "2040" in page.evaluate("document.getElementById('chart-allies').layout.title.text")


def test_posture_comparison_shows_what_differs(open_page: Any) -> None:
    w = open_page()
    page = w.page
    renders = page.evaluate("window.nfRenders")
    page.select_option("#postureB", "division_of_labor")
    _wait(page, f"window.nfRenders > {renders}")
    diff = page.inner_text("#diff")
    assert "us.guarantee" in diff and "last resort" in diff
    assert "Outcomes in 2045" in diff
    assert page.evaluate("document.getElementById('chart-allies').data.length") == 2
    assert w.errors == []


def test_downloads_give_a_valid_scenario_and_csv(open_page: Any, tmp_path: Path) -> None:
    import natofutures as nf
    from natofutures.scenario import scenario_from_mapping

    w = open_page("?a=division_of_labor&us.resolve=0.4")
    page = w.page
    with page.expect_download() as dl:
        page.click("#dl-yaml")
    path = tmp_path / "scenario.yaml"
    dl.value.save_as(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sc = scenario_from_mapping(data)
    assert sc.posture == "division_of_labor"
    assert sc.parameter("us.resolve") == pytest.approx(0.4)
    with page.expect_download() as dl:
        page.click("#dl-csv")
    csv = tmp_path / "results.csv"
    dl.value.save_as(csv)
    import pandas as pd

    df = pd.read_csv(csv)
    row = df[(df["variable"] == "europe_burden") & (df["year"] == 2045)]
    ds = nf.simulate(sc, draws=0)
    assert float(row["median"].iloc[0]) == pytest.approx(
        float(ds.europe_burden.sel(year=2045).isel(draw=0)), rel=1e-4
    )


def test_monte_carlo_and_ranking_draw_bands_scorecard_and_smaa(
    open_page: Any, artifacts: Path
) -> None:
    w = open_page("?b=division_of_labor")
    page = w.page
    page.select_option("#draws", "200")
    page.click("#run-mc")
    _wait(page, "document.getElementById('mc-status').textContent.startsWith('Done')")
    # Monte Carlo adds a 5-95% band (two extra traces per series)
    fills = page.evaluate(
        "document.getElementById('chart-burden').data.filter(t => t.fill === 'tonexty').length"
    )
    assert fills >= 2
    page.select_option("#cmp-draws", "100")
    page.click("#run-compare")
    _wait(page, "document.getElementById('cmp-status').textContent.startsWith('Done')")
    assert page.evaluate("document.getElementById('chart-scorecard').data[0].type") == "heatmap"
    assert page.evaluate("document.getElementById('chart-smaa').data.length") == 4
    page.select_option("#perspective", "restrainer")
    _wait(page, "document.getElementById('chart-smaa').layout.title.text.includes('estrain')")
    page.screenshot(path=str(artifacts / "dashboard-montecarlo-ranking.png"), full_page=True)
    assert w.errors == []
    assert w.outside() == []


def test_phone_width_layout(open_page: Any, artifacts: Path) -> None:
    w = open_page("?b=division_of_labor", width=390, height=844)
    page = w.page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # no horizontal scrolling
    page.screenshot(path=str(artifacts / "dashboard-phone.png"), full_page=True)
    assert w.errors == []


def test_docs_page_works_offline(browser: Any, live_server: str, artifacts: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    w = PageWatch(ctx.new_page())
    w.page.goto(live_server + "/docs")
    _wait(w.page, "document.querySelectorAll('.opblock').length > 5")
    w.page.screenshot(path=str(artifacts / "docs.png"))
    assert w.outside() == []
    assert w.errors == []
    ctx.close()
