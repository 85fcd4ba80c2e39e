"""Issue #16 in the API: compare's attribution, and the robust job ("what would you have to
believe?") with the same numbers as ``natofutures robust --json``."""

from __future__ import annotations

import time
import warnings
from typing import Any

import pytest

from natofutures.analysis.attribution import ASSUMPTION_SHARE, SET_BY_POSTURE
from tests.service.conftest import TEST_LIMITS

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def _wait(client: TestClient, job_id: str, timeout: float = 300.0) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        snap = client.get(f"/api/jobs/{job_id}").json()
        seen.append(snap)
        if snap["status"] not in ("queued", "running"):
            return seen
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {seen[-1]['status']} after {timeout} s")


# ----------------------------------------------------------------------------- attribution
def test_compare_splits_each_difference_from_business_as_usual(client: TestClient) -> None:
    body = client.post("/api/compare", json={
        "scenarios": [{"posture": "business_as_usual"}, {"posture": "division_of_labor"}],
        "perspectives": ["atlanticist"], "draws": 4, "seed": 1, "smaa_samples": 200,
        "record": False,
    }).json()
    att, flagged = body["attribution"], body["assumptions"]
    assert set(att) <= set(body["criteria_info"]) and len(att) >= 9
    for criterion, per_posture in att.items():
        assert set(per_posture) == {"division_of_labor"}, criterion  # the reference has none
        parts = per_posture["division_of_labor"]
        assert SET_BY_POSTURE in parts and len(parts) >= 2
        # every player is described: which levers, which mechanism (the dashboard's hover)
        for player in parts:
            assert body["attribution_info"][player]["levers"], player
            assert body["attribution_info"][player]["drives"], player
    # a criterion is flagged as an assumption exactly when the posture sets (almost) all of it
    for criterion, postures in flagged.items():
        assert postures == ["division_of_labor"]
        parts = att[criterion]["division_of_labor"]
        total = sum(abs(v) for v in parts.values())
        assert abs(parts[SET_BY_POSTURE]) >= ASSUMPTION_SHARE * total > 0


# ----------------------------------------------------------------------------- robust job
ROBUST = {"samples": 20, "seed": 3, "postures": ["business_as_usual", "division_of_labor"],
          "perspectives": ["atlanticist", "restrainer"], "horizon": 2040}


def test_robust_job_answers_boxes_regret_and_evppi_as_the_cli(client: TestClient) -> None:
    from natofutures.analysis.robust import robust
    from natofutures.service._json import jsonable

    created = client.post("/api/jobs/robust", json=ROBUST)
    assert created.status_code == 202, created.text
    assert created.json()["kind"] == "robust"
    seen = _wait(client, created.json()["id"])
    done = seen[-1]
    assert done["status"] == "done", done["error"]
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress) and progress[-1] == 1.0
    res = done["result"]
    assert set(res) == {"boxes", "regret", "evppi", "run", "perspectives_info", "elapsed_ms"}
    assert res["run"]["samples"] == 20 and res["run"]["postures"] == ROBUST["postures"]
    assert set(res["regret"]) == set(res["evppi"]) == set(ROBUST["perspectives"])
    for view, r in res["regret"].items():
        assert r["minimax"] in ROBUST["postures"]
        assert sum(r["win_share"].values()) == pytest.approx(1.0), view
        assert res["perspectives_info"][view]["label"]
    for box in res["boxes"]:
        assert {"posture", "perspective", "restrictions", "coverage", "density"} <= set(box)
        assert 0 < box["coverage"] <= 1 and 0 < box["density"] <= 1
        for r in box["restrictions"]:
            assert r["low"] <= r["high"] and r["parameter"]
    # what the library (and `natofutures robust --json`) gives for the same inputs, in the
    # service's JSON form (six significant digits)
    direct = robust(ROBUST["postures"], samples=20, seed=3, horizon=2040,
                    perspectives=ROBUST["perspectives"]).to_dict()
    assert {k: res[k] for k in ("boxes", "regret", "evppi")} == jsonable(direct)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"samples": TEST_LIMITS["max_robust_samples"] + 1}, "samples"),
        ({"samples": 19}, "samples"),
        ({"samples": 20.5}, "samples"),
        ({"horizon": 2051}, "horizon"),
        ({"seed": -1}, "seed"),
        ({"postures": ["nope", "business_as_usual"]}, "postures[0]"),
        ({"postures": ["business_as_usual"]}, "postures"),
        ({"postures": ["business_as_usual", "business_as_usual"]}, "postures"),
        ({"perspectives": ["../x"]}, "perspectives[0]"),
        ({"futures": 20}, "futures"),
    ],
)
def test_bad_robust_input_is_refused_at_once_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    before = client.app.state.jobs.active()  # type: ignore[attr-defined]
    resp = client.post("/api/jobs/robust", json=body)
    assert resp.status_code == 422, resp.text
    detail = resp.json()["detail"]
    assert field in detail and "\n" not in detail
    assert client.app.state.jobs.active() == before  # type: ignore[attr-defined]


def test_the_schema_states_the_robust_limit(client: TestClient) -> None:
    comps = client.get("/openapi.json").json()["components"]["schemas"]
    samples = comps["RobustRequest"]["properties"]["samples"]["anyOf"]
    assert any(s.get("maximum") == TEST_LIMITS["max_robust_samples"] for s in samples)
    assert comps["RobustRequest"]["additionalProperties"] is False
    health = client.get("/api/health").json()
    assert health["limits"]["max_robust_samples"] == TEST_LIMITS["max_robust_samples"]
