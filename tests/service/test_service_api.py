"""The JSON API, in process: every endpoint answers, every user error is a one-line 4xx."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import natofutures as nf
from natofutures.service.app import STATIC_DIR, ServiceConfig, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _sim(client: TestClient, **body: Any) -> Any:
    return client.post("/api/simulate", json=body)


# ----------------------------------------------------------------------------- reading endpoints
def test_health_reports_versions_and_limits(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["version"] == nf.__version__
    assert body["data_version"] == nf.data.data_version()
    assert body["limits"]["max_draws"] == 50


def test_postures_lists_the_four_futures(client: TestClient) -> None:
    names = [p["name"] for p in client.get("/api/postures").json()]
    assert names == sorted(
        ["business_as_usual", "democracy_international", "division_of_labor", "global_vs_china"]
    )


def test_posture_detail_gives_levers_with_reasons(client: TestClient) -> None:
    body = client.get("/api/postures/division_of_labor").json()
    levers = {lv["path"]: lv for lv in body["levers"]}
    assert levers["us.guarantee"]["value"] == pytest.approx(0.3)
    assert "last resort" in levers["us.guarantee"]["reason"]
    assert levers["us.guarantee"]["default"] == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["nope", "..%2F..%2Fetc%2Fpasswd", "business_as_usual.yaml"])
def test_unknown_posture_is_404_naming_the_field(client: TestClient, name: str) -> None:
    resp = client.get(f"/api/postures/{name}")
    assert resp.status_code == 404  # a decoded "/" matches no route at all
    assert "/" in name.replace("%2F", "/") or resp.json()["detail"].startswith("name:")


def test_parameters_carry_units_and_sources(client: TestClient) -> None:
    params = {p["path"]: p for p in client.get("/api/parameters").json()}
    assert params["us.resolve"]["lever"] is True
    assert params["power.ppp_multiplier.RUS"]["uncertain"] is True
    assert params["intentions.RUS"]["values"]["2022"] == pytest.approx(0.9)
    levers = client.get("/api/parameters", params={"lever": True}).json()
    assert levers and all(p["lever"] for p in levers)


def test_perspectives_have_normalised_weights(client: TestClient) -> None:
    body = client.get("/api/perspectives").json()
    assert {p["name"] for p in body} >= {"atlanticist", "restrainer", "frontline_ally"}
    for p in body:
        assert sum(p["weights"].values()) == pytest.approx(1.0)


def test_criteria_have_direction(client: TestClient) -> None:
    body = client.get("/api/criteria").json()
    assert len(body) == 14
    assert {c["direction"] for c in body} == {"higher", "lower"}


def test_countries_match_the_bundled_table(client: TestClient) -> None:
    body = client.get("/api/countries").json()
    assert len(body) == len(nf.data.countries())
    pol = next(c for c in body if c["iso3"] == "POL")
    assert pol["nato_accession"] == 1999 and pol["european"] is True


def test_panel_filters_by_year_and_country(client: TestClient) -> None:
    rows = client.get("/api/data/panel", params={"year": 2024, "country": "pol"}).json()
    assert len(rows) == 1 and rows[0]["iso3"] == "POL" and rows[0]["year"] == 2024
    expected = nf.data.panel(countries=["POL"], years=[2024])["burden"].iloc[0]
    assert rows[0]["burden"] == pytest.approx(expected, rel=1e-5)
    all_2024 = client.get("/api/data/panel", params={"year": 2024}).json()
    assert len(all_2024) > 30
    assert all(v is None or not (isinstance(v, float) and math.isnan(v))
               for r in all_2024 for v in r.values())


@pytest.mark.parametrize(
    ("params", "field"),
    [({"country": "XXX"}, "country"), ({"country": "../x"}, "country"), ({"year": 1800}, "year")],
)
def test_panel_bad_query_is_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    resp = client.get("/api/data/panel", params=params)
    assert resp.status_code == 422
    assert resp.json()["detail"].startswith(f"{field}:")


# ----------------------------------------------------------------------------- simulate
def test_deterministic_simulate_returns_the_engine_series(client: TestClient) -> None:
    resp = _sim(client, scenario={"posture": "division_of_labor", "overrides": {"us.resolve": 0.3}})
    assert resp.status_code == 200
    body = resp.json()
    assert body["deterministic"] is True and body["draws"] == 0
    assert body["years"][0] == nf.data.latest_year() and body["years"][-1] == 2045
    ds = nf.simulate(nf.posture("division_of_labor").with_overrides({"us.resolve": 0.3}), draws=0)
    want = ds.europe_burden.isel(draw=0).to_numpy()
    np.testing.assert_allclose(body["series"]["europe_burden"]["median"], want, rtol=1e-5)
    assert body["series"]["europe_burden"]["p05"] is None
    assert body["scenario_hash"] == ds.attrs["scenario_hash"]
    assert set(body["by_country"]) == {"burden", "credibility", "threat_RUS", "threat_CHN"}
    assert len(body["by_country"]["burden"]["POL"]) == len(body["years"])
    assert body["units"]["europe_burden"] == "fraction of GDP"


def test_monte_carlo_simulate_returns_ordered_bands(client: TestClient) -> None:
    body = _sim(client, scenario={"posture": "business_as_usual"}, draws=20, seed=3,
                horizon=2035).json()
    assert body["deterministic"] is False and body["years"][-1] == 2035
    band = body["series"]["cumulative_risk_europe"]
    for lo, mid, hi in zip(band["p05"], band["median"], band["p95"], strict=True):
        assert lo <= mid <= hi
    again = _sim(client, scenario={"posture": "business_as_usual"}, draws=20, seed=3,
                 horizon=2035).json()
    assert again["series"] == body["series"]


def test_recorded_run_appears_in_the_runs_store(client: TestClient) -> None:
    body = _sim(client, scenario={"posture": "global_vs_china"}, draws=10, seed=1,
                record=True).json()
    run_id = body["run_id"]
    assert run_id
    listed = client.get("/api/runs").json()
    assert run_id in [r["run_id"] for r in listed]
    detail = client.get(f"/api/runs/{run_id}").json()
    assert detail["kind"] == "simulate" and detail["draws"] == 10
    assert detail["scenario"]["posture"] == "global_vs_china"
    assert {"series", "year", "median"} <= set(detail["tables"]["summary"][0])


@pytest.mark.parametrize("run_id", ["0000000000", "no such run", "a" * 100])
def test_unknown_run_is_404(client: TestClient, run_id: str) -> None:
    resp = client.get(f"/api/runs/{run_id}")
    assert resp.status_code == 404
    assert "run" in resp.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"draws": 51}, "draws"),
        ({"draws": -1}, "draws"),
        ({"horizon": 2051}, "horizon"),
        ({"horizon": 2099}, "horizon"),
        ({"scenario": {"horizon": 2060}}, "horizon"),
        ({"seed": -5}, "seed"),
        ({"scenario": {"posture": "nope"}}, "scenario.posture"),
        ({"scenario": {"posture": "../../etc/passwd"}}, "scenario.posture"),
        ({"scenario": {"posture": "/etc/passwd.yaml"}}, "scenario.posture"),
        ({"scenario": {"overrides": {"us.resolve": 5}}}, "scenario.overrides.us.resolve"),
        ({"scenario": {"overrides": {"no.such.parameter": 1}}}, "scenario.overrides.no.such"),
        ({"scenario": {"shocks": [{"kind": "war", "year": 2030, "theatre": "mars"}]}},
         "scenario.shocks"),
        ({"scenario": {"shocks": [{"kind": "spending", "year": 2030, "country": "XXX",
                                   "factor": 2}]}}, "shocks[0].country"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_bad_simulate_input_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    resp = _sim(client, **body)
    assert resp.status_code == 422, resp.text
    detail = resp.json()["detail"]
    assert field in detail and "\n" not in detail


def test_body_over_the_limit_is_413(client: TestClient) -> None:
    big = {"scenario": {"description": "x" * 20_000}}
    resp = _sim(client, **big)
    assert resp.status_code == 413
    assert resp.json()["detail"].startswith("body:")


def test_malformed_json_is_422(client: TestClient) -> None:
    resp = client.post(
        "/api/simulate", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert resp.status_code == 422


# ----------------------------------------------------------------------------- compare
def test_compare_ranks_postures_under_perspectives(client: TestClient) -> None:
    resp = client.post(
        "/api/compare",
        json={
            "scenarios": [{"posture": "business_as_usual"}, {"posture": "division_of_labor"}],
            "perspectives": ["atlanticist", "restrainer"],
            "draws": 10,
            "seed": 1,
            "smaa_samples": 500,
        },
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["postures"] == ["business_as_usual", "division_of_labor"]
    assert set(body["rankings"]) == {"atlanticist", "restrainer"}
    probs = body["rankings"]["atlanticist"]["business_as_usual"]["rank_probabilities"]
    assert sum(probs) == pytest.approx(1.0)
    assert sum(body["forecast"].values()) == pytest.approx(1.0)
    assert body["criteria_info"]["europe_risk"]["direction"] == "lower"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"draws": 21}, "draws"),
        ({"smaa_samples": 2001}, "smaa_samples"),
        ({"horizon": 2051}, "horizon"),
        ({"perspectives": ["nope"]}, "perspectives[0]"),
        ({"perspectives": ["/etc/passwd.yaml"]}, "perspectives[0]"),
        ({"scenarios": [{"posture": "business_as_usual"}]}, "postures"),
        ({"scenarios": [{"posture": "x/y"}, {"posture": "business_as_usual"}]},
         "scenarios.0.posture"),
    ],
)
def test_bad_compare_input_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    resp = client.post("/api/compare", json={"draws": 5, "smaa_samples": 200, **body})
    assert resp.status_code == 422, resp.text
    assert field in resp.json()["detail"]


# ----------------------------------------------------------------------------- security
def test_token_is_required_on_the_api_when_configured(store_dir: Path) -> None:
    app = create_app(ServiceConfig(token="s3cret", store=store_dir))
    with TestClient(app) as c:
        assert c.get("/api/health").status_code == 401
        bad = c.get("/api/health", headers={"Authorization": "Bearer wrong"})
        assert bad.status_code == 401
        ok = c.get("/api/health", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        assert c.get("/").status_code == 200  # the page itself loads and asks for the token


def test_cors_is_off_by_default(client: TestClient) -> None:
    resp = client.get("/api/health", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in resp.headers
    pre = client.options(
        "/api/simulate",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_origin_can_be_allowed(store_dir: Path) -> None:
    app = create_app(ServiceConfig(cors_origins=("http://localhost:3000",), store=store_dir))
    with TestClient(app) as c:
        resp = c.get("/api/health", headers={"Origin": "http://localhost:3000"})
        assert resp.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_pages_load_no_asset_from_the_internet(client: TestClient) -> None:
    for path in ("/", "/docs"):
        resp = client.get(path)
        assert resp.status_code == 200
        assert "default-src 'self'" in resp.headers["content-security-policy"]
        assert not re.search(r"(src|href)=\"https?://", resp.text), path
    for asset in (
        "/vendor/plotly.min.js",
        "/static/app.js",
        "/static/style.css",
        "/static/geo/europe.geojson",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
    ):
        assert client.get(asset).status_code == 200, asset
    js = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    assert "http://" not in js and "https://" not in js


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in (
        "/api/health", "/api/postures", "/api/postures/{name}", "/api/perspectives",
        "/api/countries", "/api/data/panel", "/api/simulate", "/api/compare", "/api/runs",
        "/api/runs/{run_id}",
    ):
        assert p in paths


def test_europe_geojson_has_every_european_ally() -> None:
    import json

    geo = json.loads((STATIC_DIR / "geo" / "europe.geojson").read_text(encoding="utf-8"))
    ids = {f["id"] for f in geo["features"]}
    countries = nf.data.countries()
    allies = set(countries.loc[countries["european"] & (countries["role"] == "ally"), "iso3"])
    assert allies <= ids
    assert {"RUS", "BLR", "UKR"} <= ids


# ----------------------------------------------------------------------------- the command
def test_serve_refuses_a_public_host_without_a_token(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from natofutures.cli import main

    monkeypatch.delenv("NATOFUTURES_TOKEN", raising=False)
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--host", "0.0.0.0", "--port", "8001"])
    assert exc.value.code == 2
    assert "--host" in capsys.readouterr().err


def test_cli_help_does_not_import_the_web_stack() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from natofutures.cli import app; "
        "print(any(m in sys.modules for m in ('fastapi', 'uvicorn')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
