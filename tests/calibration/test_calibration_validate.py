"""The validation suite runs every check and reports the figure behind each."""

from __future__ import annotations

import math

from natofutures.analysis import validate


def test_every_check_runs_and_reports_a_figure():
    checks = validate.run_checks()
    assert len(checks) >= 12
    groups = {c.group for c in checks}
    assert groups == {"behaviour reproduction", "extreme conditions", "essay claims"}
    for c in checks:
        assert isinstance(c.passed, bool)
        assert c.figure and any(ch.isdigit() for ch in c.figure), c.name
        assert c.threshold
        d = c.as_dict()
        assert d["value"] is None or math.isfinite(d["value"])
    frame = validate.table(checks)
    assert list(frame.columns) == ["group", "name", "passed", "figure", "value", "threshold"]


def test_the_hindcast_check_reports_the_burden_model_figures():
    from natofutures.analysis.burden import run

    hindcast, signs = validate.check_hindcast((), 2013)
    m = run.calibrate(None, 2013).hindcast_metrics
    assert hindcast.value == m["rmse_pp"]
    assert hindcast.passed == (m["rmse_pp"] < m["no_change_rmse_pp"])
    assert "β_US" in signs.figure and "β_M" in signs.figure


def test_checks_can_run_with_the_calibrated_coefficients():
    extra = dict(validate.calibrated_overrides())
    assert set(extra) == {
        "burden.threat_response",
        "burden.free_riding",
        "burden.adjustment_speed",
        "burden.pledge_compliance",
        "burden.noise_sd",
    }
    checks = validate.run_checks(calibrated=True)
    by_name = {c.name: c for c in checks}
    frozen = next(c for n, c in by_name.items() if n.startswith("adjustment speed 0"))
    assert frozen.passed  # an override of the check itself beats the calibrated value
    assert all(c.figure for c in checks)
