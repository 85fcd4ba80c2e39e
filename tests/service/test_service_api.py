"""The JSON API, in process: every endpoint answers, every user error is a one-line 4xx."""

from __future__ import annotations

import math
import re
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import natofutures as nf
from natofutures.service.app import STATIC_DIR, ServiceConfig, create_app
from tests.service.conftest import TEST_LIMITS, slow_engine

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
    assert body["limits"]["max_jobs"] >= 1 and body["limits"]["job_ttl_s"] > 0


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
    rows = client.get("/api/data/panel", params={"year": 2024, "country": "POL"}).json()
    assert len(rows) == 1 and rows[0]["iso3"] == "POL" and rows[0]["year"] == 2024
    expected = nf.data.panel(countries=["POL"], years=[2024])["burden"].iloc[0]
    assert rows[0]["burden"] == pytest.approx(expected, rel=1e-5)
    all_2024 = client.get("/api/data/panel", params={"year": 2024}).json()
    assert len(all_2024) > 30
    assert all(v is None or not (isinstance(v, float) and math.isnan(v))
               for r in all_2024 for v in r.values())


@pytest.mark.parametrize(
    ("params", "field"),
    [({"country": "XXX"}, "country"), ({"country": "../x"}, "country"), ({"year": 1800}, "year"),
     ({"country": "pol"}, "country")],
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
    assert {"indicator", "year", "median"} <= set(detail["tables"]["milestones"][0])
    assert detail["spec"]["source"] == "service" and detail["spec"]["draws"] == 10


def test_a_service_recorded_run_reruns_exactly(client: TestClient, store_dir: Path) -> None:
    body = {"scenario": {"posture": "division_of_labor", "overrides": {"us.resolve": 0.35},
                         "shocks": [{"kind": "war", "year": 2031, "theatre": "europe"}]},
            "draws": 12, "seed": 9, "horizon": 2040, "record": True}
    run_id = _sim(client, **body).json()["run_id"]
    result = nf.runs.rerun(run_id, store=store_dir)
    assert result["identical"], result["tables"]
    assert result["tables"] == {"milestones": "identical"}
    # a recorded job is the same run: same spec, same stored table
    job = client.post("/api/jobs/simulate", json=body).json()
    job_run = _wait_job(client, job["id"])[-1]["result"]["run_id"]
    a, b = nf.runs.get(run_id, store=store_dir), nf.runs.get(job_run, store=store_dir)
    assert a.run_spec() == b.run_spec()
    pd.testing.assert_frame_equal(a.tables["milestones"], b.tables["milestones"])


def test_compare_is_recorded_under_the_id_it_answers(client: TestClient, store_dir: Path) -> None:
    body = {"scenarios": [{"posture": "business_as_usual"}, {"posture": "business_as_usual",
                                                            "overrides": {"us.resolve": 0.4}}],
            "perspectives": ["restrainer", "restrainer"], "draws": 4, "smaa_samples": 200}
    resp = client.post("/api/compare", json=body)
    assert resp.status_code == 200, resp.text
    out = resp.json()
    # same name twice: told apart by a suffix; a perspective given twice counts once
    assert out["postures"] == ["business_as_usual", "business_as_usual_2"]
    assert list(out["rankings"]) == ["restrainer"]
    run_id = out["run"]["run_id"]
    assert nf.runs.get(run_id, store=store_dir).run_spec().source == "service"
    assert nf.runs.rerun(run_id, store=store_dir)["identical"]
    unrecorded = client.post("/api/compare", json={**body, "record": False}).json()
    assert unrecorded["run"]["run_id"] is None


def test_central_cases_of_several_scenarios_in_one_call(client: TestClient) -> None:
    scenarios = [
        {"posture": "business_as_usual", "overrides": {"us.resolve": 0.4}},
        {"posture": "division_of_labor", "overrides": {"us.resolve": 0.4}},
    ]
    resp = client.post("/api/simulate/central", json={"scenarios": scenarios, "horizon": 2040})
    assert resp.status_code == 200, resp.text
    results = resp.json()["results"]
    assert [r["posture"] for r in results] == ["business_as_usual", "division_of_labor"]
    for sc, got in zip(scenarios, results, strict=True):
        one = _sim(client, scenario=sc, horizon=2040).json()
        assert _without_timing(got) == _without_timing(one)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scenarios": []}, "scenarios"),
        ({"scenarios": [{"posture": "business_as_usual"}] * 5}, "scenarios"),
        ({"scenarios": [{"posture": "business_as_usual"}, {"posture": "nope"}]},
         "scenarios[1].posture"),
        ({"scenarios": [{"posture": "business_as_usual", "overrides": {"us.resolve": 5}}]},
         "scenarios[0].overrides.us.resolve"),
        ({"scenarios": [{"posture": "business_as_usual"}], "horizon": 2051}, "horizon"),
        ({"scenarios": [{"posture": "business_as_usual"}], "draws": 10}, "draws"),
    ],
)
def test_bad_central_input_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    resp = client.post("/api/simulate/central", json=body)
    assert resp.status_code == 422, resp.text
    assert field in resp.json()["detail"]


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
        ({"scenario": {"overrides": {"no.such.parameter": 1}}},
         "scenario.overrides: unknown field 'no.such.parameter'"),
        ({"scenario": {"overrides": {"us.resolv": 0.5}}},
         "did you mean scenario.overrides.us.resolve?"),
        ({"posture": "division_of_labor"},
         "unknown field 'posture' — did you mean scenario.posture?"),
        ({"seed": False}, "seed: value False not allowed"),
        ({"record": 0}, "record: value 0 not allowed"),
        ({"scenario": {"shocks": [{"kind": "war", "year": "2030", "theatre": "europe"}]}},
         "scenario.shocks[0].year: value '2030' not allowed"),
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
        ({"scenarios": [{"posture": "business_as_usual"}]}, "scenarios"),
        ({"scenarios": [{"posture": "x/y"}, {"posture": "business_as_usual"}]},
         "scenarios[0].posture"),
    ],
)
def test_bad_compare_input_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    resp = client.post("/api/compare", json={"draws": 5, "smaa_samples": 200, **body})
    assert resp.status_code == 422, resp.text
    assert field in resp.json()["detail"]


def test_compare_accepts_a_world_with_no_threat(client: TestClient) -> None:
    """Both adversaries' intentions at 0 is schema-valid; the criteria must stay finite
    (schemathesis found a 422 'decision matrix: contains NaN' here)."""
    calm = {"intentions.scale.RUS": 0.0, "intentions.scale.CHN": 0.0}
    resp = client.post(
        "/api/compare",
        json={
            "scenarios": [
                {"posture": "business_as_usual", "overrides": calm},
                {"posture": "division_of_labor", "overrides": calm},
            ],
            "draws": 4,
            "seed": 1,
            "smaa_samples": 200,
            "record": False,
        },
    )
    assert resp.status_code == 200, resp.text


# ----------------------------------------------------------------------------- background jobs
def _wait_job(c: TestClient, job_id: str, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Poll a job until it leaves queued/running; every state seen, in order."""
    seen: list[dict[str, Any]] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        resp = c.get(f"/api/jobs/{job_id}")
        assert resp.status_code == 200, resp.text
        seen.append(resp.json())
        if seen[-1]["status"] not in ("queued", "running"):
            return seen
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} still {seen[-1]['status']} after {timeout} s")


def _without_timing(result: dict[str, Any]) -> dict[str, Any]:
    """The result without its timing and (each run is recorded apart) its runs-store id."""
    out = {k: v for k, v in result.items() if k != "elapsed_ms"}
    if isinstance(out.get("run"), dict):
        out["run"] = {k: v for k, v in out["run"].items() if k != "run_id"}
    return out


def _job_app(store_dir: Path, **limits: Any) -> Any:
    return create_app(ServiceConfig(store=store_dir, **{**TEST_LIMITS, **limits}))


def test_simulate_job_reports_progress_then_gives_the_synchronous_result(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import natofutures.service.routes.simulate as service

    slow_engine(monkeypatch, 0.05)
    monkeypatch.setattr(service, "MIN_JOB_BLOCK", 5)  # 50 draws in 10 blocks
    body = {"scenario": {"posture": "division_of_labor", "overrides": {"us.resolve": 0.3}},
            "draws": 50, "seed": 11, "horizon": 2040}
    app = _job_app(store_dir)
    with TestClient(app) as c:
        created = c.post("/api/jobs/simulate", json=body)
        assert created.status_code == 202, created.text
        job = created.json()
        assert created.headers["location"] == f"/api/jobs/{job['id']}"
        assert job["kind"] == "simulate" and job["status"] in ("queued", "running")
        assert job["progress"] == 0.0 and job["result"] is None
        seen = _wait_job(c, job["id"])
        sync = c.post("/api/simulate", json=body).json()
    done = seen[-1]
    assert done["status"] == "done" and done["progress"] == 1.0 and done["error"] is None
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress)  # never goes back
    between = {p for p in progress if 0.0 < p < 1.0}
    assert len(between) >= 3, progress  # the bar really moves while the draws run
    assert any("draws" in s["message"] for s in seen)
    assert done["expires_in_s"] > 0 and done["finished_at"] and done["elapsed_ms"] > 0
    # one progress report per engine chunk at least, increasing, ending at 1
    history = app.state.jobs.job(done["id"]).history
    assert history == sorted(history) and history[-1] == 1.0 and len(set(history)) >= 10
    # exactly what the synchronous endpoint answers for the same body and seed
    assert _without_timing(done["result"]) == _without_timing(sync)


def test_deterministic_job_matches_the_synchronous_central_case(client: TestClient) -> None:
    body = {"scenario": {"posture": "global_vs_china"}, "draws": 0}
    job = client.post("/api/jobs/simulate", json=body).json()
    done = _wait_job(client, job["id"])[-1]
    assert done["status"] == "done"
    assert _without_timing(done["result"]) == _without_timing(_sim(client, **body).json())


def test_compare_job_steps_through_postures_and_perspectives(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_engine(monkeypatch, 0.1)
    body = {"draws": 10, "seed": 4, "smaa_samples": 500,
            "perspectives": ["atlanticist", "restrainer"]}
    created = client.post("/api/jobs/compare", json=body)
    assert created.status_code == 202, created.text
    seen = _wait_job(client, created.json()["id"])
    done = seen[-1]
    assert done["status"] == "done" and done["kind"] == "compare"
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert len({p for p in progress if 0.0 < p < 1.0}) >= 2, progress
    assert any(s["message"].startswith("simulating") for s in seen)
    sync = client.post("/api/compare", json=body).json()
    assert _without_timing(done["result"]) == _without_timing(sync)


def test_recorded_job_appears_in_the_runs_store(client: TestClient) -> None:
    job = client.post("/api/jobs/simulate", json={
        "scenario": {"posture": "democracy_international"}, "draws": 10, "seed": 2,
        "record": True}).json()
    done = _wait_job(client, job["id"])[-1]
    run_id = done["result"]["run_id"]
    assert run_id in [r["run_id"] for r in client.get("/api/runs").json()]
    detail = client.get(f"/api/runs/{run_id}").json()
    assert detail["kind"] == "simulate" and detail["draws"] == 10


def test_cancel_stops_a_running_job(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import natofutures.service.routes.simulate as service

    slow_engine(monkeypatch, 0.1)
    monkeypatch.setattr(service, "MIN_JOB_BLOCK", 2)  # 50 draws in 25 blocks: ~2.5 s
    app = _job_app(store_dir)
    with TestClient(app) as c:
        job = c.post("/api/jobs/simulate", json={"draws": 50, "seed": 1}).json()
        end = time.monotonic() + 30
        while c.get(f"/api/jobs/{job['id']}").json()["progress"] == 0.0:
            assert time.monotonic() < end
            time.sleep(0.01)
        resp = c.delete(f"/api/jobs/{job['id']}")
        assert resp.status_code == 200
        cancelled = resp.json()
        assert cancelled["status"] == "cancelled" and cancelled["result"] is None
        assert 0.0 < cancelled["progress"] < 1.0
        # the worker thread stops at its next block, well before the run would have ended
        name = f"natofutures-job-{job['id']}"
        end = time.monotonic() + 2.0
        while any(t.name == name for t in threading.enumerate()):
            assert time.monotonic() < end, "the cancelled job kept running"
            time.sleep(0.01)
        assert c.get(f"/api/jobs/{job['id']}").status_code == 404  # a deleted job is gone
        assert app.state.jobs.active() == 0
        # its slot is free again: the next job runs to the end
        again = c.post("/api/jobs/simulate", json={"draws": 2, "seed": 1}).json()
        assert _wait_job(c, again["id"])[-1]["status"] == "done"


def test_cancel_a_queued_job_and_forget_a_finished_one(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_engine(monkeypatch, 0.3)
    app = _job_app(store_dir, max_concurrent_heavy=1)
    with TestClient(app) as c:
        first = c.post("/api/jobs/simulate", json={"draws": 5}).json()
        second = c.post("/api/jobs/simulate", json={"draws": 5}).json()
        assert c.get(f"/api/jobs/{second['id']}").json()["status"] == "queued"
        gone = c.delete(f"/api/jobs/{second['id']}").json()
        assert gone["status"] == "cancelled" and gone["started_at"] is None
        assert c.get(f"/api/jobs/{second['id']}").status_code == 404
        assert _wait_job(c, first["id"])[-1]["status"] == "done"
        forgot = c.delete(f"/api/jobs/{first['id']}")
        assert forgot.status_code == 200 and forgot.json()["status"] == "done"
        assert c.get(f"/api/jobs/{first['id']}").status_code == 404


@pytest.mark.parametrize("job_id", ["0000000000000000", "simulate", "no such job", "a" * 100])
def test_unknown_job_is_404_naming_the_field(client: TestClient, job_id: str) -> None:
    for resp in (client.get(f"/api/jobs/{job_id}"), client.delete(f"/api/jobs/{job_id}")):
        assert resp.status_code == 404
        detail = resp.json()["detail"]
        assert detail.startswith("job_id:") and "\n" not in detail


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("simulate", {"draws": 51}, "draws"),
        ("simulate", {"draws": -1}, "draws"),
        ("simulate", {"horizon": 2051}, "horizon"),
        ("simulate", {"scenario": {"posture": "nope"}}, "scenario.posture"),
        ("simulate", {"scenario": {"overrides": {"us.resolve": 5}}},
         "scenario.overrides.us.resolve"),
        ("simulate", {"unexpected": 1}, "unexpected"),
        ("compare", {"draws": 21}, "draws"),
        ("compare", {"smaa_samples": 2001}, "smaa_samples"),
        ("compare", {"perspectives": ["nope"]}, "perspectives[0]"),
        ("compare", {"scenarios": [{"posture": "business_as_usual"}]}, "scenarios"),
    ],
)
def test_bad_job_input_is_refused_at_once_naming_the_field(
    client: TestClient, kind: str, body: dict[str, Any], field: str
) -> None:
    before = client.app.state.jobs.active()  # type: ignore[attr-defined]
    small = {"draws": 5, "smaa_samples": 200} if kind == "compare" else {}
    resp = client.post(f"/api/jobs/{kind}", json={**small, **body})
    assert resp.status_code == 422, resp.text
    detail = resp.json()["detail"]
    assert field in detail and "\n" not in detail
    assert client.app.state.jobs.active() == before  # type: ignore[attr-defined]


def test_job_body_over_the_limit_is_413(client: TestClient) -> None:
    resp = client.post("/api/jobs/simulate", json={"scenario": {"description": "x" * 20_000}})
    assert resp.status_code == 413


def test_too_many_jobs_is_429(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow_engine(monkeypatch, 0.3)
    app = _job_app(store_dir, max_jobs=2, max_concurrent_heavy=1)
    with TestClient(app) as c:
        ids = [c.post("/api/jobs/simulate", json={"draws": 5}).json()["id"] for _ in range(2)]
        full = c.post("/api/jobs/compare", json={"draws": 2, "smaa_samples": 10})
        assert full.status_code == 429
        assert full.json()["detail"].startswith("jobs:") and "at most 2" in full.json()["detail"]
        assert full.headers["retry-after"]
        for job_id in ids:
            c.delete(f"/api/jobs/{job_id}")
        # a cancelled job holds its place until its thread stops (within one step)
        end = time.monotonic() + 10
        while app.state.jobs.active():
            assert time.monotonic() < end
            time.sleep(0.01)
        again = c.post("/api/jobs/simulate", json={"draws": 0})
        assert again.status_code == 202, again.text


def test_finished_jobs_expire_and_memory_is_bounded(store_dir: Path) -> None:
    with TestClient(_job_app(store_dir, max_kept_jobs=3, max_jobs=2)) as c:
        ids = []
        for seed in range(4):
            job = c.post("/api/jobs/simulate", json={"draws": 2, "seed": seed}).json()
            assert _wait_job(c, job["id"])[-1]["status"] == "done"
            ids.append(job["id"])
        # only the newest three are kept
        assert c.get(f"/api/jobs/{ids[0]}").status_code == 404
        assert all(c.get(f"/api/jobs/{i}").status_code == 200 for i in ids[1:])
    with TestClient(_job_app(store_dir, job_ttl_s=1)) as c:
        job = c.post("/api/jobs/simulate", json={"draws": 2}).json()
        done = _wait_job(c, job["id"])[-1]
        assert done["status"] == "done" and 0 < done["expires_in_s"] <= 1
        time.sleep(1.1)
        assert c.get(f"/api/jobs/{job['id']}").status_code == 404


def test_a_failing_job_reports_its_error(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise nf.InputError("draws: value 7 not allowed; expected a broken engine")

    monkeypatch.setattr(nf, "simulate", broken)
    job = client.post("/api/jobs/simulate", json={"draws": 7}).json()
    failed = _wait_job(client, job["id"])[-1]
    assert failed["status"] == "failed" and failed["result"] is None
    assert failed["error"].startswith("draws:") and failed["error_status"] == 422


def test_jobs_need_the_token_when_one_is_configured(store_dir: Path) -> None:
    app = create_app(ServiceConfig(token="s3cret", store=store_dir))
    with TestClient(app) as c:
        assert c.post("/api/jobs/simulate", json={}).status_code == 401
        assert c.get("/api/jobs/x").status_code == 401
        ok = c.post("/api/jobs/simulate", json={}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 202


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
        "/api/runs/{run_id}", "/api/jobs/simulate", "/api/jobs/compare", "/api/jobs/{job_id}",
        "/api/simulate/central", "/api/jobs/robust",
    ):
        assert p in paths
    for kind in ("simulate", "compare", "robust"):
        post = paths[f"/api/jobs/{kind}"]["post"]
        assert {"202", "413", "422", "429"} <= set(post["responses"])
        assert post["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/JobOut"
        )
    assert {"get", "delete"} <= set(paths["/api/jobs/{job_id}"])
    assert "404" in paths["/api/jobs/{job_id}"]["get"]["responses"]


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


def test_serve_passes_its_limits_to_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from natofutures.cli import main

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(app))
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--max-robust-samples", "200", "--max-smaa-samples", "5000"])
    assert exc.value.code == 0
    cfg = served[0].state.config
    assert (cfg.max_robust_samples, cfg.max_smaa_samples) == (200, 5000)
    served[0].state.jobs.shutdown()


def test_serve_refuses_a_robust_limit_below_the_smallest_job(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from natofutures.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["serve", "--max-robust-samples", "5"])
    assert exc.value.code == 2
    assert "--max-robust-samples" in capsys.readouterr().err


def test_cli_help_does_not_import_the_web_stack() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from natofutures.cli import app; "
        "print(any(m in sys.modules for m in ('fastapi', 'uvicorn')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("scenario", "needle"),
    [
        ({"overrides": {"us.allocation.out_of_area": 1.0}},
         "scenario.overrides.us.allocation.out_of_area: value 1.0 not allowed; expected at most"),
        ({"overrides": {"us.allocation.europe": 0.1, "us.allocation.out_of_area": 0.1}},
         "given together not allowed"),
        ({"shocks": [{"kind": "us_allocation", "year": 2033, "theatre": "europe", "value": 0.1}]},
         "scenario.shocks[0]: value"),
    ],
)
def test_shares_of_one_whole_are_refused_as_the_schema_says(
    client: TestClient, scenario: dict[str, Any], needle: str
) -> None:
    resp = _sim(client, scenario=scenario)
    assert resp.status_code == 422, resp.text
    assert needle in resp.json()["detail"]
    rules = client.get("/openapi.json").json()["components"]["schemas"]["ScenarioIn"]["allOf"]
    assert any("if" in r for r in rules) and any("not" in r for r in rules)


def test_the_schema_states_this_servers_limits(client: TestClient) -> None:
    comps = client.get("/openapi.json").json()["components"]["schemas"]
    assert comps["SimulateRequest"]["properties"]["draws"]["maximum"] == TEST_LIMITS["max_draws"]
    horizons = comps["SimulateRequest"]["properties"]["horizon"]["anyOf"]
    assert any(h.get("maximum") == TEST_LIMITS["max_horizon"] for h in horizons)
    scen = comps["ScenarioIn"]["properties"]
    assert scen["posture"]["enum"] == nf.scenario.posture_names()
    assert comps["SimulateRequest"]["additionalProperties"] is False
    assert comps["CompareRequest"]["properties"]["scenarios"]["anyOf"][0]["minItems"] == 2


def test_405_lists_every_method_of_the_path(client: TestClient) -> None:
    resp = client.request("PUT", "/api/jobs/abc")
    assert resp.status_code == 405
    assert resp.headers["allow"] == "DELETE, GET"


def test_without_the_service_extra_serve_says_what_to_install() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['fastapi'] = None; sys.modules['uvicorn'] = None\n"
        "from natofutures.cli import main\n"
        "main(['serve', '--port', '8009'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert len(err.splitlines()) == 1
    assert "pip install 'natofutures[service]'" in err and "fastapi and uvicorn" in err


def test_without_dask_a_cluster_scheduler_says_what_to_install() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['dask.distributed'] = None\n"
        "from natofutures.cli import main\n"
        "main(['simulate', '--draws', '4', '--horizon', '2026', '--scheduler', 'local:2',"
        " '--no-store'])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'natofutures[distributed]'" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
