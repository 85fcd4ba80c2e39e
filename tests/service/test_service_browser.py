"""The dashboard in a real browser: Debian's Chromium driven by Playwright against uvicorn.

Screenshots go to tests/artifacts/ (git-ignored). Nothing here asserts wall-clock times; the
slider-to-chart latency the page records is printed for benchmarks/README.md. Monte Carlo
tests slow the engine down (``slow_engine``: same results, later) so that a job's progress
can be watched and cancelled.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from tests.service.conftest import slow_engine


def _wait(page: Any, js: str, timeout: float = 90.0) -> None:
    """Poll a JS expression (Playwright's wait_for_function uses eval, which our CSP forbids)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if page.evaluate(js):
            return
        time.sleep(0.05)
    status = page.evaluate(
        "[...document.querySelectorAll('.status')].map((e) => e.id + ': ' + e.textContent)"
    )
    raise AssertionError(f"timed out waiting for: {js}; the page says {status}")


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
    # the file says how to run it, under the name the browser saves it as
    name = dl.value.suggested_filename
    assert name == "natofutures-division_of_labor.yaml"
    assert f"# run it with: natofutures simulate {name}\n" in path.read_text(encoding="utf-8")
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


PCT = re.compile(r"^Running… (\d+)%$")
BANDS = (
    "document.getElementById('chart-burden').data.filter(t => t.fill === 'tonexty').length >= 2"
)


def _watch_progress(
    page: Any, prefix: str, done_js: str, timeout: float = 90.0, shot: Path | None = None
) -> list[int]:
    """Percentages the page shows (text and the progressbar's aria-valuenow) until done.

    ``shot``: a screenshot of the progress bar's surroundings at the first percentage seen
    between 0 and 100.
    """
    seen: list[int] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        state = page.evaluate(
            f"""() => {{
              const bar = document.getElementById('{prefix}-bar');
              return [document.getElementById('{prefix}-progress').hidden,
                      document.getElementById('{prefix}-pct').textContent,
                      bar.getAttribute('role'), bar.getAttribute('aria-valuenow'),
                      {done_js}];
            }}"""
        )
        hidden, text, role, now, done = state
        if not hidden:
            m = PCT.match(text)
            assert m, text
            assert role == "progressbar" and now == m.group(1)  # the bar says what the text says
            if not seen or seen[-1] != int(m.group(1)):
                seen.append(int(m.group(1)))
                if shot is not None and 0 < seen[-1] < 100:
                    page.locator(f"#{prefix}-progress").scroll_into_view_if_needed()
                    page.screenshot(path=str(shot))
                    shot = None
        if done:
            return seen
        time.sleep(0.03)
    raise AssertionError(f"timed out; progress seen: {seen}")


def test_monte_carlo_shows_its_progress_then_the_bands(
    open_page: Any, artifacts: Path, live_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_engine(monkeypatch, 0.25)  # 200 draws in 8 blocks: about 2 s per posture
    # at laptop and at phone width, with a screenshot at the first percentage between 0 and 100
    for width, height, shot in ((1440, 1000, "dashboard-montecarlo-progress.png"),
                                (390, 844, "dashboard-montecarlo-progress-phone.png")):
        w = open_page("?b=division_of_labor", width=width, height=height)
        page = w.page
        page.select_option("#draws", "200")
        page.click("#run-mc")
        assert page.is_visible("#cancel-mc")
        seen = _watch_progress(
            page, "mc", "document.getElementById('mc-status').textContent.startsWith('Done')",
            shot=artifacts / shot,
        )
        assert seen == sorted(seen), seen
        assert [p for p in seen if 0 < p < 100], seen  # a real percentage between start and end
        _wait(page, "document.getElementById('mc-progress').hidden")  # after the charts drew
        assert page.is_hidden("#cancel-mc") and page.is_enabled("#run-mc")
        _wait(page, BANDS)  # median and 5-95% band of each posture
        assert "Monte Carlo: 200 draws" in page.inner_text("#status")
        assert live_app.state.jobs.active() == 0
        assert w.errors == []
        assert w.outside() == []


def test_cancel_stops_the_monte_carlo_jobs(
    open_page: Any, live_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_engine(monkeypatch, 0.3)
    w = open_page()
    page = w.page
    page.select_option("#draws", "200")
    before = page.evaluate("document.getElementById('chart-burden').data.length")
    page.click("#run-mc")
    _wait(page, "Number(document.getElementById('mc-bar').getAttribute('aria-valuenow')) > 0")
    page.click("#cancel-mc")
    assert page.inner_text("#mc-status") == "Cancelled."
    assert page.is_hidden("#mc-progress") and page.is_enabled("#run-mc")
    end = time.monotonic() + 10
    while live_app.state.jobs.active():  # the page told the server (DELETE)
        assert time.monotonic() < end, "jobs still running after Cancel"
        time.sleep(0.05)
    # a Monte Carlo run is also cancelled by moving a slider (the charts show the central case)
    page.click("#run-mc")
    _wait(page, "Number(document.getElementById('mc-bar').getAttribute('aria-valuenow')) > 0")
    renders = page.evaluate("window.nfRenders")
    page.locator("#s-us-resolve").fill("0.8")
    _wait(page, f"window.nfRenders > {renders}")
    assert page.inner_text("#mc-status").startswith("Cancelled: a slider moved")
    assert page.evaluate("document.getElementById('chart-burden').data.length") == before
    end = time.monotonic() + 10
    while live_app.state.jobs.active():
        assert time.monotonic() < end, "jobs still running after the slider moved"
        time.sleep(0.05)
    assert w.errors == []


def test_monte_carlo_and_ranking_draw_bands_scorecard_and_smaa(
    open_page: Any, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = open_page("?b=division_of_labor")
    page = w.page
    page.select_option("#draws", "200")
    page.click("#run-mc")
    _wait(page, "document.getElementById('mc-status').textContent.startsWith('Done')")
    # Monte Carlo adds a 5-95% band (two extra traces per series); the chart may be off screen
    # (the button scrolled the page) and then follows a moment after the ones on screen
    _wait(page, BANDS)
    slow_engine(monkeypatch, 0.3)  # four postures: about 1.5 s
    page.select_option("#cmp-draws", "100")
    page.click("#run-compare")
    seen = _watch_progress(
        page, "cmp", "document.getElementById('cmp-status').textContent.startsWith('Done')",
        shot=artifacts / "dashboard-ranking-progress.png",
    )
    assert seen == sorted(seen) and [p for p in seen if 0 < p < 100], seen
    assert page.evaluate("document.getElementById('chart-scorecard').data[0].type") == "heatmap"
    assert page.evaluate("document.getElementById('chart-smaa').data.length") == 4
    page.select_option("#perspective", "restrainer")
    _wait(page, "document.getElementById('chart-smaa').layout.title.text.includes('estrain')")
    page.screenshot(path=str(artifacts / "dashboard-montecarlo-ranking.png"), full_page=True)
    assert w.errors == []
    assert w.outside() == []


def test_incremental_redraws_equal_a_fresh_page(open_page: Any) -> None:
    """Slider moves update the charts in place (Plotly's transition path, fixed axis ranges);
    what is drawn must be exactly what a page opened on the same state draws from scratch."""
    snapshot = """() => Object.fromEntries(
      ['chart-burden', 'chart-balance', 'chart-risk', 'chart-allies'].map((id) => {
        const el = document.getElementById(id);
        return [id, {
          paths: Array.from(el.querySelectorAll('.scatterlayer path.js-line, .barlayer path'))
            .map((p) => p.getAttribute('d')),
          yticks: Array.from(el.querySelectorAll('.ytick text')).map((t) => t.textContent),
          xticks: Array.from(el.querySelectorAll('.xtick text')).map((t) => t.textContent),
          range: el._fullLayout.yaxis.range,
        }];
      }))"""
    w = open_page("?b=division_of_labor")
    page = w.page
    moves = [("#s-power-ppp_multiplier-RUS", "1.5"), ("#s-power-ppp_multiplier-RUS", "4"),
             ("#s-us-resolve", "0.1"), ("#s-us-resolve", "0.9"),
             ("#s-intentions-scale-RUS", "0.2"), ("#s-intentions-scale-RUS", "1.5")]
    for selector, value in moves:
        renders = page.evaluate("window.nfRenders")
        page.locator(selector).fill(value)
        _wait(page, f"window.nfRenders > {renders}")
    incremental = page.evaluate(snapshot)
    fresh = open_page("?" + page.url.split("?", 1)[1]).page.evaluate(snapshot)
    assert incremental == fresh
    assert len(incremental["chart-balance"]["paths"]) == 6  # three theatres x two postures
    latencies = page.evaluate("window.nfLatency")[1:]
    frames = page.evaluate("window.nfFrameMs")[1:]
    assert len(latencies) == len(moves) and all(x > 0 for x in latencies)
    assert len(frames) == len(moves) and all(f >= x for f, x in zip(frames, latencies, strict=True))
    print(f"slider-to-chart latency (ms): {[round(x) for x in latencies]}")
    assert w.errors == []


# Text of every chart that lies (partly) outside its chart's box: a clipped title or label.
CLIPPED_TEXT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((gd) => {
  const box = gd.getBoundingClientRect();
  return [...gd.querySelectorAll('text')].filter((t) => t.textContent.trim())
    .map((t) => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1
                                       || r.top < box.top - 1 || r.bottom > box.bottom + 1))
    .map(([text]) => gd.id + ': ' + text);
})"""
OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def _rank(page: Any) -> None:
    page.select_option("#cmp-draws", "100")
    page.click("#run-compare")
    _wait(page, "document.getElementById('cmp-status').textContent.startsWith('Done')")


def _draw_every_chart(page: Any) -> None:
    """Scroll through the page so that the charts drawn only on screen are all drawn."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {y})")
        time.sleep(0.15)
    _wait(page, "['chart-allies', 'chart-map'].every((id) => document.getElementById(id).data)")
    page.evaluate("window.scrollTo(0, 0)")


def test_phone_width_layout(open_page: Any, artifacts: Path) -> None:
    """At 390 x 844: a chart first, the sliders folded, a readable scorecard, nothing clipped."""
    w = open_page("?b=division_of_labor", width=390, height=844)
    page = w.page
    chart = page.locator("#fig-burden").bounding_box()
    sliders = page.locator("#sliders-card").bounding_box()
    assert chart["y"] < 844 / 2 and chart["y"] < sliders["y"]  # the first chart on screen
    assert page.evaluate("document.getElementById('sliders-card').open") is False
    assert page.is_hidden("#s-us-resolve")
    page.click("#sliders-card > summary")  # unfolds on a tap
    assert page.is_visible("#s-us-resolve")
    page.click("#sliders-card > summary")
    _rank(page)
    _draw_every_chart(page)
    assert page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
    # no mode bar over the titles; every title and label inside its chart
    assert page.evaluate("document.querySelectorAll('.modebar').length") == 0
    assert page.evaluate(CLIPPED_TEXT) == []
    # the scorecard as a table: one row per criterion, each cell a median with its unit
    assert page.is_hidden("#chart-scorecard") and page.is_visible("#scorecard-table")
    rows = page.locator("#scorecard-table tbody tr")
    assert rows.count() == 14
    us_cost = rows.first.inner_text()
    assert "US cost" in us_cost and "trillion 2015 US$" in us_cost and "tn$" in us_cost
    assert page.locator("#scorecard-table thead th").count() == 1 + 4
    box = page.locator("#scorecard-table").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(artifacts / "dashboard-phone.png"), full_page=True)
    page.screenshot(path=str(artifacts / "dashboard-phone-first-screen.png"))
    assert w.errors == []


def test_desktop_after_ranking_has_no_overflow(open_page: Any, artifacts: Path) -> None:
    w = open_page("?b=division_of_labor", width=1440, height=1000)
    page = w.page
    _rank(page)
    _draw_every_chart(page)
    assert page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate(CLIPPED_TEXT) == []
    assert page.evaluate("document.getElementById('sliders-card').open") is True
    # heatmap cells carry their unit: a share in %, a cost in trillion US$, rancor in pp
    text = page.evaluate("document.getElementById('chart-scorecard').data[0].text[0]")
    labels = page.evaluate("document.getElementById('chart-scorecard').data[0].x")
    crit = {label.split(" ")[0]: t for label, t in zip(labels, text, strict=True)}
    assert crit["US"].endswith(" tn$") and crit["Europe"].endswith("%")
    assert crit["Trans-Atlantic"].endswith(" pp")
    assert any("(index 0–1)" in label for label in labels)
    page.screenshot(path=str(artifacts / "dashboard-desktop-ranked.png"), full_page=True)
    assert w.errors == []


def test_tablet_width_after_ranking(open_page: Any, artifacts: Path) -> None:
    """At 800 px the charts share the page with the controls: titles wrap, the scorecard
    (too narrow for 14 heatmap columns) is a table, and nothing overflows or is clipped."""
    w = open_page("?b=division_of_labor", width=800, height=1000)
    page = w.page
    _rank(page)
    _draw_every_chart(page)
    assert page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate(CLIPPED_TEXT) == []
    assert page.is_visible("#scorecard-table") and page.is_hidden("#chart-scorecard")
    assert "<br>" in page.evaluate("document.getElementById('chart-smaa').layout.title.text")
    page.screenshot(path=str(artifacts / "dashboard-tablet-ranked.png"), full_page=True)
    assert w.errors == []


# ----------------------------------------------------------------------------- issue #16
ATTR_LABELS = "document.getElementById('chart-attribution').data[0].y"
ATTR_COLOURS = ("Object.fromEntries(document.getElementById('chart-attribution').data"
                ".map((t) => [t.name, t.marker.color]))")
ROBUST_DONE = "document.getElementById('rob-status').textContent.startsWith('Done')"


def _attribution_shows_groups_and_assumptions(page: Any) -> None:
    """After ranking: the posture menu offers every posture but business as usual, the chart
    stacks the lever groups and "set by posture", and flagged criteria carry the flag."""
    options = page.eval_on_selector_all("#attr-posture option", "(os) => os.map((o) => o.value)")
    assert "business_as_usual" not in options and "division_of_labor" in options
    assert page.input_value("#attr-posture") == "division_of_labor"  # the second posture
    names = page.evaluate("document.getElementById('chart-attribution').data.map((t) => t.name)")
    assert names[-1] == "set by posture" and len(names) >= 3
    labels = page.evaluate(ATTR_LABELS)
    assert len(labels) >= 9
    note = page.inner_text("#attr-assumptions")
    flagged = [label for label in labels if label.endswith("⚑")]
    if flagged:
        assert note.startswith("⚑ Assumptions for")
    else:
        assert note.startswith("No criterion")
    colours = page.evaluate(ATTR_COLOURS)
    page.select_option("#attr-posture", "global_vs_china")
    _wait(page, "document.getElementById('chart-attribution').layout.title.text"
                ".replace(/<br>/g, ' ').includes('China')")
    # a lever group keeps its colour when the posture changes
    after = page.evaluate(ATTR_COLOURS)
    shared = set(colours) & set(after)
    assert len(shared) >= 2
    assert {g: colours[g] for g in shared} == {g: after[g] for g in shared}


def _robust_shows_shares_and_sentences(page: Any, samples: str) -> None:
    page.select_option("#rob-samples", samples)
    page.click("#run-robust")
    _wait(page, ROBUST_DONE, timeout=300)
    assert page.is_hidden("#rob-progress") and page.is_enabled("#run-robust")
    data = page.evaluate("document.getElementById('chart-robust').data"
                         ".map((t) => ({name: t.name, x: t.x, y: t.y}))")
    assert len(data) == 4  # one trace per posture
    views = data[0]["y"]
    assert len(views) == 6
    for k in range(len(views)):  # each perspective's shares of futures add up to one
        assert sum(t["x"][k] for t in data) == pytest.approx(1.0)
    text = page.locator("#robust-text")
    assert text.locator("h4").count() == 6
    assert "ranks first in" in text.inner_text()
    assert text.locator("li", has_text="Smallest worst-case regret").count() == 6
    assert f"{samples} futures" in page.inner_text("#rob-status")


def test_attribution_and_what_you_would_have_to_believe_on_a_laptop(
    open_page: Any, artifacts: Path
) -> None:
    w = open_page("?b=division_of_labor", width=1440, height=1000)
    page = w.page
    _rank(page)
    _attribution_shows_groups_and_assumptions(page)
    _robust_shows_shares_and_sentences(page, "50")
    _draw_every_chart(page)
    assert page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate(CLIPPED_TEXT) == []
    page.locator("#fig-attribution").screenshot(path=str(artifacts / "dashboard-attribution.png"))
    page.locator("#fig-robust").screenshot(path=str(artifacts / "dashboard-robust.png"))
    assert w.errors == []
    assert w.outside() == []


def test_attribution_and_what_you_would_have_to_believe_on_a_phone(
    open_page: Any, artifacts: Path
) -> None:
    w = open_page("?b=division_of_labor", width=390, height=844)
    page = w.page
    _rank(page)
    _attribution_shows_groups_and_assumptions(page)
    _robust_shows_shares_and_sentences(page, "50")
    _draw_every_chart(page)
    assert page.evaluate(OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
    assert page.evaluate(CLIPPED_TEXT) == []
    for fig in ("#fig-attribution", "#fig-robust"):
        box = page.locator(fig).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, fig
    page.locator("#fig-attribution").screenshot(
        path=str(artifacts / "dashboard-attribution-phone.png"))
    page.locator("#fig-robust").screenshot(path=str(artifacts / "dashboard-robust-phone.png"))
    assert w.errors == []


def test_what_differs_shows_the_slider_value_in_force(open_page: Any) -> None:
    w = open_page("?b=division_of_labor&us.allocation.europe=0.2")
    page = w.page
    row = page.locator("#diff tr", has_text="us.allocation.europe")
    cells = row.locator("td.num")
    for i in range(2):
        assert cells.nth(i).locator(".in-force").inner_text() == "0.20"
    assert "posture 0.25" in cells.nth(0).inner_text()
    assert "set by a slider for both" in row.inner_text()
    # without the slider, each posture's own value
    renders = page.evaluate("window.nfRenders")
    page.click("#reset")
    _wait(page, f"window.nfRenders > {renders}")
    cells = page.locator("#diff tr", has_text="us.allocation.europe").locator("td.num")
    assert cells.nth(0).inner_text() == "0.25" and cells.nth(1).inner_text() != "0.25"
    assert page.locator("#diff .in-force").count() == 0
    assert w.errors == []


def test_map_greys_out_adversaries_with_a_legend(open_page: Any) -> None:
    w = open_page("?map=threat_RUS")
    page = w.page
    _draw_every_chart(page)
    traces = page.evaluate(
        "document.getElementById('chart-map').data.map((t) => [t.name || '', t.fillcolor || '',"
        " t.showlegend === true])"
    )
    fill = {name.split(":")[0]: colour for name, colour, _ in traces}
    assert fill["Russia"] == fill["Belarus"] == "#5b6470"
    assert fill["Poland"] not in ("#5b6470", "#d9d9d9")
    legend = [name for name, _, shown in traces if shown]
    assert legend == ["adversary (not coloured)", "not simulated"]
    assert w.errors == []


def test_slider_units_match_their_text(open_page: Any) -> None:
    w = open_page()
    page = w.page
    from natofutures.scenario import parameter_table

    spec = parameter_table()["burden.threat_response"]
    assert "fraction of GDP" in spec.unit
    out = page.locator("#s-burden-threat_response-out")
    assert out.inner_text() == f"{spec.value:.3f}"  # the fraction itself, as the unit says
    hint = page.locator("#s-burden-threat_response").locator("xpath=..").inner_text()
    assert "fraction of GDP" in hint and "pts" not in hint
    renders = page.evaluate("window.nfRenders")
    page.locator("#s-burden-threat_response").fill("0.1")
    _wait(page, f"window.nfRenders > {renders}")
    assert out.inner_text() == "0.100"
    assert w.errors == []


def test_monte_carlo_brings_the_changed_charts_into_view(open_page: Any) -> None:
    w = open_page("?b=division_of_labor", width=1440, height=900)
    page = w.page
    page.select_option("#draws", "200")
    page.locator("#run-mc").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    top = "document.getElementById('fig-burden').getBoundingClientRect().top"
    assert page.evaluate(f"{top} < 0")  # the chart is off screen when the button is pressed
    page.click("#run-mc")
    _wait(page, "document.getElementById('mc-status').textContent.startsWith('Done')")
    _wait(page, f"{top} >= -1 && {top} < window.innerHeight / 2")
    assert "scrolled into view" in page.inner_text("#mc-status")
    _wait(page, BANDS)
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
