"""The engine's static structure and parameter resolver are one public source (issue #17)."""

from __future__ import annotations

import numpy as np

import natofutures as nf
from natofutures.analysis import threat_history as th
from natofutures.engine import simulate
from natofutures.engine.baseline import default_baseline
from natofutures.engine.structure import Params, structure, threat_proximity


def test_the_central_runs_proximity_input_is_the_public_threat_proximity() -> None:
    b = default_baseline()
    sc = nf.posture("business_as_usual").with_overrides({"threat.distance_decay_km": 2500.0})
    nf.simulate(sc, draws=0, horizon=b.t0 + 2, baseline=b, variables=["threat"])
    key = (sc.canonical_json(), b, tuple(range(b.t0, b.t0 + 3)))
    engine_prox = simulate._CENTRAL_ARGS[key].threat_proximity[0]
    public = threat_proximity(Params(sc, {}), structure(b, list(key[2])))
    np.testing.assert_array_equal(engine_prox, public)


def test_a_changed_proximity_parameter_reaches_the_historical_threat() -> None:
    b = default_baseline()
    st = structure(b, [b.t0])
    years = np.arange(2000, b.t0 + 1, dtype=np.int64)
    spend = th.spending(b, years)
    ones = np.ones((len(years), len(st.threat_idx)))
    base = nf.posture("business_as_usual")
    near = base.with_overrides({"threat.land_border_bonus": 2.0})
    t_base = th.threat(Params(base, {}), st, th.adversary_power(Params(base, {}), st, spend), ones)
    t_near = th.threat(Params(near, {}), st, th.adversary_power(Params(near, {}), st, spend), ones)
    land = st.land[st.responders].any(axis=1)
    assert land.any()
    assert (t_near.total().sum(axis=2)[:, land] > t_base.total().sum(axis=2)[:, land]).all()
    np.testing.assert_array_equal(
        t_near.total().sum(axis=2)[:, ~land & ~st.sea[st.responders].any(axis=1)],
        t_base.total().sum(axis=2)[:, ~land & ~st.sea[st.responders].any(axis=1)],
    )

