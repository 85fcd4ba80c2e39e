"""The HTML report: files, self-containment, sections, summary numbers, screenshot."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import natofutures as nf
from natofutures.report import build_report, from_comparison
from natofutures.report.build import count_word, fmt, summary_facts
from tests._browser import ARTIFACTS, page_widths

SECTIONS = ("summary", "futures", "scorecard", "rankings", "drivers", "forecast", "history",
            "stress", "methodology", "sources", "reproduce")
FIGURES = ("scorecard", "smaa", "forecast", "drivers", "burden_history", "pledge_gaps", "stress")
TABLES = (*FIGURES[:1], "rankings", "forecast", "drivers", "burden_history", "pledge_gaps",
          "stress", "parameters", "sources", "postures", "levers")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Path]:
    res = nf.compare(draws=50, seed=1, smaa_samples=2000, horizon=2045)
    data = from_comparison(res, "natofutures compare --draws 50 --seed 1 --smaa-samples 2000")
    out = tmp_path_factory.mktemp("report") / "rep"
    build_report(data, out, stress="baltic_incursion", sensitivity_n=4)
    return res, data, out


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.styles: list[str] = []
        self.scripts = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if k in ("src", "href", "srcset", "action", "data", "poster") and v:
                self.refs.append((tag, k, v))
            if k == "id" and v:
                self.ids.add(v)
            if k == "style" and v:
                self.styles.append(v)
        self._in_style = tag == "style"
        self.scripts += tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _parse(path: Path) -> _Refs:
    p = _Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_files_written(built: tuple[Any, Any, Path]) -> None:
    _, _, out = built
    assert (out / "index.html").is_file() and (out / "summary.md").is_file()
    for name in FIGURES:
        png = out / "figures" / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for name in TABLES:
        csv = pd.read_csv(out / "tables" / f"{name}.csv")
        pq = pd.read_parquet(out / "tables" / f"{name}.parquet")
        assert len(csv) == len(pq) > 0
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".natofutures-report-")]


def test_html_is_self_contained(built: tuple[Any, Any, Path]) -> None:
    _, _, out = built
    p = _parse(out / "index.html")
    assert p.refs, "expected embedded images"
    for tag, attr, value in p.refs:
        assert value.startswith(("data:", "#")), (tag, attr, value[:60])
    for css in p.styles:
        for url in re.findall(r"url\(([^)]*)\)", css):
            assert url.strip("'\" ").startswith("data:"), url
        assert "@import" not in css
    assert p.scripts == 0
    assert "@media print" in (out / "index.html").read_text(encoding="utf-8")


def test_every_section_present(built: tuple[Any, Any, Path]) -> None:
    _, data, out = built
    p = _parse(out / "index.html")
    assert set(SECTIONS) <= p.ids
    html = (out / "index.html").read_text(encoding="utf-8")
    for needle in (data.run["scenario_hash"], data.run["data_version"], data.run["command"],
                   "burden.threat_response", "SIPRI", "Morris", "baltic_incursion"):
        assert needle in html
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert data.run["command"] in md and "## Adoption forecast" in md


def _lead(html: str) -> str:
    m = re.search(r'<p class="lead">(.*?)</p>', html, re.S)
    assert m
    return " ".join(m.group(1).split())


def test_summary_numbers_match_the_run(built: tuple[Any, Any, Path]) -> None:
    res, data, out = built
    text = _lead((out / "index.html").read_text(encoding="utf-8"))
    label = {p: p.replace("_", " ") for p in res.postures}
    m = re.search(
        r"Simulating (\d+) futures of NATO over (\d{4})–(\d{4}) with (\d+) Monte Carlo draws "
        r"each \(seed (\d+)\), the bargaining model expects the alliance to adopt ([a-z ]+) "
        r"\(probability (\d+)%, ahead of ([a-z ]+) at (\d+)%\)\. ([A-Za-z ]+) ranks first "
        r"\(highest SMAA probability\) under (\d+) of (\d+) perspectives \(([a-z ,]+)\)"
        r"((?:, [a-z ]+ under \d+ \([a-z ,]+\))*)\. Under ([a-z ]+) the "
        r"cumulative risk of a war in Europe has a median of ([\d.]+)% over the horizon \(90% "
        r"band ([\d.]+)–([\d.]+)%\)\.",
        text,
    )
    assert m, text
    g = m.groups()
    assert int(g[0]) == len(res.postures)
    assert (int(g[1]), int(g[2]), int(g[3]), int(g[4])) == (res.run["t0"], 2045, 50, 1)
    top = res.forecast.idxmax()
    assert g[5] == label[top] and int(g[6]) == round(100 * res.forecast[top])
    second = res.forecast.drop(top).idxmax()
    assert g[7] == label[second] and int(g[8]) == round(100 * res.forecast[second])
    winners = pd.Series({v.name: res.winner(v.name) for v in res.perspectives})
    counts = winners.value_counts()
    best = next(p for p in res.postures if label[p] == g[9].lower())
    assert counts[best] == counts.max()
    assert int(g[10]) == counts[best] and int(g[11]) == len(res.perspectives)
    assert g[12].split(", ") == [v.replace("_", " ") for v in winners[winners == best].index]
    others = re.findall(r", ([a-z ]+) under (\d+) \(([a-z ,]+)\)", g[13])
    assert len(others) == len(counts) - 1
    for name, k, views in others:
        p = next(q for q in res.postures if label[q] == name)
        assert int(k) == counts[p] <= counts[best]
        assert views.split(", ") == [v.replace("_", " ") for v in winners[winners == p].index]
    assert g[14] == label[top]
    risk = res.scorecard.loc[top, "europe_risk"]
    assert [g[15], g[16], g[17]] == [fmt(float(risk[s])) for s in ("median", "p05", "p95")]
    assert float(g[15]) == pytest.approx(float(risk["median"]), rel=0.01)
    assert summary_facts(data)["top"] == top


def test_scorecard_table_matches(built: tuple[Any, Any, Path]) -> None:
    res, _, out = built
    sc = pd.read_csv(out / "tables" / "scorecard.csv").set_index(["posture", "criterion"])
    for p in res.postures:
        for c in ("europe_risk", "us_cost", "feasibility"):
            for s in ("median", "p05", "p95"):
                assert sc.loc[(p, c), s] == pytest.approx(res.scorecard.loc[p, (c, s)])
    fc = pd.read_csv(out / "tables" / "forecast.csv").set_index("posture")["probability"]
    assert fc.sum() == pytest.approx(1.0)


def test_screenshot(built: tuple[Any, Any, Path]) -> None:
    from playwright.sync_api import sync_playwright

    _, _, out = built
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "index.html").as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(target), full_page=True)
        pdf = page.pdf(format="A4")
        browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert width <= 1200, "the report overflows the page horizontally"
    assert target.stat().st_size > 50_000
    assert pdf[:4] == b"%PDF"


def test_report_fits_a_phone_and_a_desktop(built: tuple[Any, Any, Path]) -> None:
    """No page wider than the viewport at 390 and 1440 px: wide tables scroll in their boxes."""
    _, _, out = built
    widths = page_widths(out / "index.html", "report")
    assert widths[390] <= 390, widths
    assert widths[1440] <= 1440, widths
    html = (out / "index.html").read_text(encoding="utf-8")
    tables = html.count("<table")
    assert tables > 5 and html.count('<div class="scroll">\n  <table') + html.count(
        '<div class="scroll">\n    <table') == tables  # every table sits in a scroll box


def test_heading_counts_the_postures(built: tuple[Any, Any, Path]) -> None:
    res, _, out = built
    html = (out / "index.html").read_text(encoding="utf-8")
    assert len(res.postures) == 4
    assert "<h1>Which NATO? Four futures compared</h1>" in html
    assert "## Four futures compared" in (out / "summary.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("n", "word"), [(2, "Two"), (3, "Three"), (4, "Four"), (12, "Twelve"),
                                         (13, "13")])
def test_count_word(n: int, word: str) -> None:
    assert count_word(n) == word


POSTURE_FILE = """\
name: europe_first
title: "Europe first: the allies lead"
summary: Europe builds its own deterrent while the US stays a back-up.
levers:
  us.guarantee: {value: 0.4, reason: US as backer}
  us.allocation.europe: {value: 0.1, reason: fewer US forces}
"""
SCENARIO_FILE = """\
name: bau_shocked
description: Business as usual with a Russian surge in 2031 and a wider growth band.
posture: business_as_usual
overrides:
  us.resolve: 0.7
uncertainty:
  economy.growth.default: {dist: normal, mean: 0.015, sd: 0.01}
shocks:
  - {kind: intentions, year: 2031, adversary: RUS, value: 0.9, duration: 3}
"""


@pytest.fixture(scope="module")
def custom(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], Path]:
    """A report of a custom posture file, a scenario file and a built-in posture."""
    from natofutures.scenario import load_scenario, posture

    folder = tmp_path_factory.mktemp("custom")
    (folder / "europe_first.yaml").write_text(POSTURE_FILE, encoding="utf-8")
    (folder / "bau_shocked.yaml").write_text(SCENARIO_FILE, encoding="utf-8")
    scs = [posture(str(folder / "europe_first.yaml")),
           load_scenario(folder / "bau_shocked.yaml"), posture("business_as_usual")]
    res = nf.compare(scs, draws=20, seed=2, smaa_samples=500, horizon=2040)
    out = folder / "rep"
    build_report(from_comparison(res, "natofutures compare", scenarios=scs), out,
                 sensitivity_n=2)
    return scs, out


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(html: str, name: str) -> str:
    m = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert m, name
    return m.group(1)


def test_custom_posture_card_has_its_title_and_summary(custom: tuple[list[Any], Path]) -> None:
    _, out = custom
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Which NATO? Three futures compared</h1>" in html
    futures = _text(_section(html, "futures"))
    assert "europe first — Europe first: the allies lead" in futures
    assert "Europe builds its own deterrent while the US stays a back-up." in futures
    assert "europe first — europe_first" not in futures
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "**europe first** — Europe first: the allies lead" in md


def test_lever_table_shows_inherited_values(custom: tuple[list[Any], Path]) -> None:
    scs, out = custom
    lever_table = _section((out / "index.html").read_text(encoding="utf-8"), "futures")
    lever_table = lever_table[lever_table.index("<table"):]
    assert "–" not in _text(lever_table)
    levers = pd.read_csv(out / "tables" / "levers.csv")
    row = levers[(levers["lever"] == "us.resolve")].set_index("posture")
    # europe_first leaves us.resolve out: it inherits the default; bau_shocked overrides it
    default = nf.posture("business_as_usual").parameter("us.resolve")
    assert scs[0].levers.get("us.resolve") is None
    assert row.loc["europe_first", "value"] == pytest.approx(scs[0].parameter("us.resolve"))
    assert row.loc["europe_first", "origin"] == "default"
    assert row.loc["bau_shocked", ["value", "origin"]].tolist() == [0.7, "override"]
    assert row.loc["business_as_usual", "value"] == pytest.approx(default)
    assert row.loc["business_as_usual", "origin"] == "posture"
    assert levers["value"].notna().all()
    assert "default" in _text(lever_table) and "override" in _text(lever_table)


def test_scenario_card_lists_shocks_and_uncertainty(custom: tuple[list[Any], Path]) -> None:
    _, out = custom
    futures = _text(_section((out / "index.html").read_text(encoding="utf-8"), "futures"))
    card = futures[futures.index("bau shocked —"):futures.index("business as usual —")]
    assert "Scenario bau_shocked on posture business_as_usual" in card
    assert "Russian surge in 2031" in card
    assert f"us.resolve = {fmt(0.7)}" in card
    assert f"intentions in 2031: adversary RUS, value {fmt(0.9)}, duration 3" in card
    assert f"economy.growth.default ~ normal(mean {fmt(0.015)}, sd {fmt(0.01)})" in card
    postures = pd.read_csv(out / "tables" / "postures.csv").set_index("posture")
    assert postures.loc["bau_shocked", "shocks"].startswith("intentions in 2031")
    assert bool(postures.loc["europe_first", "scenario"]) is False


def test_custom_report_fits_a_phone(custom: tuple[list[Any], Path]) -> None:
    _, out = custom
    widths = page_widths(out / "index.html", "report-custom")
    assert widths[390] <= 390 and widths[1440] <= 1440, widths


def test_stress_gets_custom_futures_as_scenarios() -> None:
    """Built-in postures go to nf.stress by name (unchanged numbers); any other future as its
    Scenario, so that its levers, overrides and shocks are the ones stressed."""
    from types import SimpleNamespace

    from natofutures.report.build import _stress_targets
    from natofutures.scenario import posture

    bau = posture("business_as_usual")
    tuned = posture("division_of_labor").with_overrides({"us.resolve": 0.9})
    data = SimpleNamespace(postures=["business_as_usual", "division_of_labor"],
                           scenarios={"business_as_usual": bau, "division_of_labor": tuned})
    assert _stress_targets(data) == ["business_as_usual", tuned]  # type: ignore[arg-type]
