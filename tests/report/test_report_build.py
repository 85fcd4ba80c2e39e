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
from natofutures.report.build import fmt, summary_facts

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
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
