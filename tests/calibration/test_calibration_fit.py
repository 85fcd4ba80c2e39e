"""The fit recovers known coefficients, never peeks past the split, and matches the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from natofutures.analysis import calibrate as cal
from natofutures.errors import InputError
from tests.calibration.conftest import NOISE, TRUE


def test_fit_recovers_the_coefficients_of_data_simulated_by_the_engines_equation(synthetic):
    f = cal.fit(1990, 2024, burden=synthetic, restricted=False)
    # one-step NLS with ally effects has a small Nickell bias O(1/T) (docs/validation.md)
    for name in ("threat_response", "free_riding", "pledge_compliance"):
        assert f.params[name] == pytest.approx(TRUE[name], rel=0.3), name
        assert f.identification[name] == "identified"
    assert f.params["adjustment_speed"] == pytest.approx(TRUE["adjustment_speed"], abs=0.06)
    assert f.noise_sd == pytest.approx(NOISE, rel=0.15)
    assert f.condition_number < 1e3


def test_restricted_fit_equals_unrestricted_when_every_estimate_is_inside_the_bounds(synthetic):
    f = cal.fit(1990, 2024, burden=synthetic)
    assert f.unrestricted is not None
    assert f.params == pytest.approx(f.unrestricted.params)
    assert not f.fixed


def test_the_fit_to_2013_is_unchanged_when_post_split_burdens_are_perturbed():
    h = cal.history()
    base = cal.fit(1990, 2013)
    noisy = h.burden.copy()
    after = h.years > 2013
    rng = np.random.default_rng(1)
    noisy[after] = noisy[after] * rng.uniform(0.2, 3.0, noisy[after].shape)
    other = cal.fit(1990, 2013, burden=noisy)
    assert other.params == base.params
    assert other.anchors == base.anchors
    assert other.noise_sd == base.noise_sd
    np.testing.assert_array_equal(other.cov, base.cov)


def test_the_hindcast_uses_only_the_last_fitted_state_and_exogenous_drivers(hindcast_run):
    f, hc = hindcast_run.fit, hindcast_run.hindcast
    assert hc is not None and hc.until == 2013
    init = hc.actual.loc[2013].to_numpy()
    again = cal.simulate_burdens(f, 2013, hc.last, init, hc.iso3)[0]
    np.testing.assert_allclose(again, hc.predicted.to_numpy())
    # the central path is a function of the 2013 state only
    other = cal.simulate_burdens(f, 2013, hc.last, init * 1.0, hc.iso3)[0]
    np.testing.assert_array_equal(other, again)
    assert (hc.predicted.loc[2013] == hc.actual.loc[2013]).all()


def test_pledge_compliance_is_held_at_its_default_when_the_window_has_no_pledge(hindcast_run):
    f = hindcast_run.fit
    assert "pledge_compliance" in f.fixed
    assert "pledge_compliance" not in f.names
    assert math.isnan(f.se.get("pledge_compliance", math.nan))
    assert f.identification["pledge_compliance"].startswith("fixed")


def test_wrong_signed_estimates_are_reported_and_held_at_the_engines_bound():
    f = cal.fit(1990, 2024)
    assert f.unrestricted is not None
    for name, why in f.fixed.items():
        if "bound" in why:
            assert f.unrestricted.params[name] < 0 <= f.params[name]
            assert "wrong sign" in f.unrestricted.identification[name]
    table = f.coefficients()
    assert set(table["defaults_key"]) == {
        "burden.threat_response",
        "burden.free_riding",
        "burden.adjustment_speed",
        "burden.pledge_compliance",
        "burden.noise_sd",
    }


def test_the_historical_drivers_match_the_engine_at_t0():
    import natofutures as nf

    h = cal.history()
    ds = nf.simulate(nf.posture("business_as_usual"), draws=0, horizon=h.t0 + 1).isel(draw=0)
    year = ds.sel(year=h.t0)
    threat = year["threat"].sum("adversary").sel(country=list(h.iso3)).to_numpy()
    np.testing.assert_allclose(h.threat[-1], threat, rtol=1e-5)
    np.testing.assert_allclose(
        h.russia_power[-1], float(year["power"].sel(country="RUS")), rtol=1e-5
    )
    assert h.u0 == pytest.approx(float(year["us_share_europe"]), rel=1e-5)
    assert h.cu[-1] == pytest.approx(h.c_prior * h.u0)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(2014, 2013, "from"), (1980, 2013, "from"), (1990, 2030, "until"), (2010, 2012, "from")],
)
def test_bad_windows_raise_input_error_naming_the_field(start, end, field):
    with pytest.raises(InputError, match=rf"^{field}: .*not allowed.*; expected"):
        cal.check_window(start, end)


def test_write_calibration_round_trips(tmp_path, hindcast_run):
    import yaml

    path = cal.write_calibration(hindcast_run, tmp_path / "c.yaml", "natofutures calibrate")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["fit_window"] == {"from": 1990, "until": 2013}
    assert doc["out_of_sample"]["rmse_pp"] == pytest.approx(
        hindcast_run.hindcast.metrics["rmse_pp"], rel=1e-4
    )
    with pytest.raises(InputError, match=r"^write: "):
        cal.write_calibration(hindcast_run, tmp_path / "missing" / "c.yaml", "x")


def test_the_history_takes_the_engines_structure_not_a_copy():
    from natofutures.engine import burden_response
    from natofutures.engine.baseline import default_baseline
    from natofutures.engine.simulate import _structure

    h = cal.history()
    b = default_baseline()
    st = _structure(b, [b.t0])
    assert h.iso3 == tuple(b.iso3[k] for k in st.responders)
    # at t0 the free-riding term is the engine's equation with its t0 credibility and share
    np.testing.assert_array_equal(
        h.free_riding[-1], burden_response.free_riding(h.size_weight[-1], h.c_prior, h.u0)
    )
