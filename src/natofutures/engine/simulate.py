"""``simulate()``: the year loop of docs/methodology.md, vectorised over draws and countries.

The loop runs over years only; every step operates on whole (draw, country[, theatre]) arrays
by calling the mechanism modules of this package (the ``numpy`` reference backend), or the
fused compiled twin in :mod:`natofutures.engine._kernel` (the default). Monte Carlo draws are
processed in memory chunks; their random numbers come from the counter-based generator
Philox4x32-10 keyed by the seed with the draw index in the counter - so draw i's numbers
depend only on (seed, i) and the scenario, and a chunked, threaded, offset or distributed run
equals an unchunked one bit for bit.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache, lru_cache

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import NDArray
from scipy.special import ndtr

from natofutures.distributed import chunk_bounds
from natofutures.engine import (
    adversary_reaction,
    allocation,
    burden_response,
    capital_stock,
    credibility,
    deterrence_hazard,
    economy,
    energy_dependence,
    exogenous_budgets,
    offshore_trigger,
    power,
    projection_loss,
    theatre_balance,
    threat_perception,
    war_feedback,
)
from natofutures.engine.baseline import Baseline, default_baseline
from natofutures.engine.equation import COLUMN
from natofutures.engine.inputs import (
    EUROPE,
    INDO_PACIFIC,
    PER_DRAW_PATHS,
    KernelInputs,
    per_draw,
)
from natofutures.engine.shocks import compile_shocks
from natofutures.engine.structure import (
    INTENTION_SLOTS,
    Params,
    Structure,
    structure,
    threat_proximity,
)
from natofutures.engine.variables import BOOL_VARIABLES, OUT_NAMES, VARIABLES, Outputs
from natofutures.errors import InputError, ScenarioError
from natofutures.parameters import load_yaml
from natofutures.scenario import (
    THEATRES,
    Distribution,
    LogNormal,
    Normal,
    Scenario,
    Triangular,
    Uniform,
    parameter_table,
    posture,
)

Array = NDArray[np.float64]
DEFAULT_CHUNK = 2048
MIN_THREAD_CHUNK = 64
MAX_DRAWS = 10_000_000


# --------------------------------------------------------------------------- parameters
@lru_cache(maxsize=1)
def _pledges() -> list[dict[str, float]]:
    return list(load_yaml("pledges.yaml")["pledges"])


def _sample(dist: Distribution, z: Array) -> Array:
    if isinstance(dist, Normal):
        return dist.mean + dist.sd * z
    if isinstance(dist, LogNormal):
        return dist.median * np.exp(dist.sigma * z)
    u = ndtr(z)
    if isinstance(dist, Uniform):
        return dist.low + (dist.high - dist.low) * u
    assert isinstance(dist, Triangular)
    a, c, b = dist.low, dist.mode, dist.high
    fc = (c - a) / (b - a)
    left = a + np.sqrt(u * (b - a) * (c - a))
    right = b - np.sqrt((1 - u) * (b - a) * (b - c))
    return np.where(u < fc, left, right)


def _correlate(zp: Array, uncertain: dict[str, Distribution], sc: Scenario) -> Array:
    """Impose the declared correlations on the parameters' standard normals (Gaussian copula).

    For a pair (a, b) with correlation rho: z_b <- rho·z_a + sqrt(1 − rho²)·z_b. Applies only
    when both parameters keep their default distributions (a scenario that gives its own
    distribution for either one, or fixes it, drops the pair).
    """
    from natofutures.scenario import correlations

    order = list(uncertain)
    for pair in correlations():
        if pair.a not in uncertain or pair.b not in uncertain:
            continue
        if pair.a in sc.uncertainty or pair.b in sc.uncertainty:
            continue
        ia, ib = order.index(pair.a), order.index(pair.b)
        zp[:, ib] = pair.rho * zp[:, ia] + math.sqrt(1.0 - pair.rho**2) * zp[:, ib]
    return zp


# --------------------------------------------------------------------------- random numbers
@lru_cache(maxsize=64)
def _seed_key(seed: int) -> tuple[np.uint64, np.uint64]:
    """The 64-bit Philox key of a seed (two 32-bit words hashed by ``SeedSequence``)."""
    k = np.random.SeedSequence(seed).generate_state(2, np.uint32)
    return np.uint64(k[0]), np.uint64(k[1])


def _param_normals(seed: int, lo: int, hi: int, n_unc: int) -> Array:
    """Standard normals of the uncertain parameters for draws [lo, hi): (hi - lo, n_unc).

    Draw i's row depends only on (seed, i): it is Philox4x32-10 of the counters
    ``(i, index, stream 0)`` under the seed's key (see :mod:`natofutures.engine._kernel`).
    """
    from natofutures.engine._kernel import param_normals

    k0, k1 = _seed_key(seed)
    if n_unc == 0:
        return np.empty((hi - lo, 0))
    return np.asarray(param_normals(k0, k1, lo, hi - lo, n_unc))


def _reaction_inputs(
    p: Params, b: Baseline, st: Structure, n: int, mode: int, g0: int, k0: np.uint64,
    k1: np.uint64,
) -> tuple[bool, np.ndarray, Array]:
    """adversary_reaction's kernel inputs: the lever, the adversaries' country indices and
    the (n, adversary, 8) per-draw coefficients (drawn from stream 3 in Monte Carlo only)."""
    on = p.f("reaction.enabled") >= 0.5
    advs = adversary_reaction.ADVERSARIES
    if on and any(a not in b.iso3 for a in advs):
        raise ScenarioError(
            f"reaction.enabled: value 1 not allowed with this baseline; expected countries "
            f"{list(advs)} in it"
        )
    idx = np.array([b.iso3.index(a) if a in b.iso3 else -1 for a in advs], dtype=np.int64)
    if not on:
        return False, idx, np.zeros((n, len(advs), adversary_reaction.N_COEF))
    z = None
    if mode == 1:
        from natofutures.engine._kernel import reaction_normals

        z = np.asarray(reaction_normals(k0, k1, g0, n, len(advs) * len(adversary_reaction.SLOPES)))
    m0 = b.burden0 * b.gdp0
    coef = adversary_reaction.coefficients(
        z, n, m0[idx], float(m0[st.us]), _europe_t0(b, st), b.gdp0[idx]
    )
    return True, idx, coef


def _europe_t0(b: Baseline, st: Structure) -> float:
    """European allies' spending at t0, summed in country order (as the kernel sums it)."""
    e0 = 0.0
    for i in st.european_allies:
        e0 += float(b.burden0[i] * b.gdp0[i])
    return e0


# --------------------------------------------------------------------------- the loop
CENTRAL_CACHE_SIZE = 64
#: kernel inputs of central-case runs: (canonical scenario JSON, baseline, years) -> args
_CENTRAL_ARGS: dict[tuple[str, Baseline, tuple[int, ...]], KernelInputs] = {}
_CENTRAL_LOCK = threading.Lock()


def _call_kernel(
    inputs: KernelInputs,
    n: int,
    lo: int,
    mode: int,
    g0: int,
    seed: int,
    keep: set[str],
    out: dict[str, np.ndarray],
) -> None:
    """Run the compiled kernel on prepared inputs, writing the kept variables into ``out``.

    The kernel runs the draws in SIMD blocks of ``_kernel.BLOCK`` draws; the block size changes
    nothing but speed (results are bit-identical for any block). A single draw (the central
    case) takes the kernel's scalar entry point.
    """
    from natofutures.engine import _kernel

    outs = Outputs._make([out[v] if v in keep else _dummy_out(v) for v in OUT_NAMES])
    flags = _keep_flags(frozenset(keep))
    k0, k1 = _seed_key(seed)
    kernel: Callable[..., None] = _kernel.run_kernel_one if n == 1 else _kernel.run_kernel
    kernel(n, lo, mode, g0, k0, k1, _kernel.BLOCK, inputs, flags, outs)


@lru_cache(maxsize=64)
def _keep_flags(keep: frozenset[str]) -> tuple[bool, ...]:
    """The kernel's keep-flags: an :data:`Outputs` record of bools."""
    return Outputs._make(v in keep for v in OUT_NAMES)


@cache
def _dummy_out(name: str) -> np.ndarray:
    """A (1, 1, ...) stand-in for a variable that is not kept (never written)."""
    dims = VARIABLES[name][0]
    dtype = np.bool_ if name in BOOL_VARIABLES else np.float32
    return np.zeros((1,) * (2 + len(dims)), dtype=dtype)

def _run_chunk(  # noqa: C901 - the model's year loop reads best in one place
    sc: Scenario,
    b: Baseline,
    st: Structure,
    zp: Array | None,
    n: int,
    out: dict[str, np.ndarray],
    lo: int,
    keep: set[str],
    backend: str = "numba",
    mode: int = 0,
    g0: int = 0,
    seed: int = 0,
    sc_json: str | None = None,
) -> None:
    """Run draws ``g0 .. g0 + n - 1`` into rows ``lo .. lo + n - 1`` of ``out``.

    ``zp``: the parameters' standard normals (n, n_unc) or None (central values). ``mode``:
    0 central case; 1 Monte Carlo (per-year random numbers from the seed's Philox streams);
    2 Monte Carlo with every per-year random number at its central value (experiments()).
    """
    years = st.years
    cache_key = None
    if backend == "numba" and zp is None and n == 1:
        # the central case's kernel inputs depend only on (scenario, baseline, years): reuse them
        cache_key = (sc_json if sc_json is not None else sc.canonical_json(), b, tuple(years))
        cached = _CENTRAL_ARGS.get(cache_key)
        if cached is not None:
            _call_kernel(cached, n, lo, mode, g0, seed, keep, out)
            return
    ny, nc, nt = len(years), b.n, len(THEATRES)
    uncertain = sc.uncertainties()
    sampled: dict[str, Array] = {}
    if zp is not None:
        zp = _correlate(np.array(zp, dtype=float), uncertain, sc)
        for k, (path, dist) in enumerate(uncertain.items()):
            spec = parameter_table().get(path) or parameter_table().get(
                path.rsplit(".", 1)[0] + ".default"
            )
            lo_b, hi_b = spec.bounds if spec is not None else (-np.inf, np.inf)
            sampled[path] = np.clip(_sample(dist, zp[:, k]), lo_b, hi_b)
    p = Params(sc, sampled)
    mc = mode != 0
    k0, k1 = _seed_key(seed)

    cols = per_draw(p.get, n)  # the mechanisms' declared per-draw parameters
    plan = compile_shocks(sc.shocks, years, list(b.iso3), list(INTENTION_SLOTS), list(THEATRES))
    pledge_path = np.array([burden_response.pledge_in_force(y, _pledges()) for y in years])

    # --- parameters as arrays
    growth = p.per_country("economy.growth", b.iso3)
    growth_sd = p.f("economy.growth_sd")
    delta = np.broadcast_to(
        np.asarray(p.get("capital.depreciation"), dtype=float).reshape(-1), (n,)
    )
    s_eq = p.per_country("capital.equipment_share", b.iso3)
    h_start = int(p.f("capital.history_start"))
    hist = b.history[:, b.history_years >= h_start]
    if hist.shape[1] == 0:
        hist = (b.burden0 * b.gdp0)[:, None]
    ppp = p.per_country("power.ppp_multiplier", b.iso3)
    omega = p.f("power.current_weight")
    decay = p.col("projection.decay_km")[:, :, None]  # (draw,1,1)
    h0, r_half, k_haz = (
        np.hstack(np.broadcast_arrays(*[p.col(f"hazard.{name}.{t}") for t in THEATRES]))
        for name in deterrence_hazard.PER_THEATRE
    )
    hold_half, hold_k = p.f("hazard.hold_ratio_half"), p.f("hazard.hold_steepness")
    offensive = p.per_country("threat.offensive", tuple(b.iso3[i] for i in st.threat_idx))
    d_t = p.col("threat.distance_decay_km")[:, :, None]
    prox = threat_perception.proximity(
        st.threat_dist[None],
        st.land[None],
        st.sea[None],
        d_t,
        p.f("threat.land_border_bonus"),
        p.f("threat.sea_border_bonus"),
    )
    p_ref, w_p = p.f("threat.reference_power"), p.f("threat.power_exponent")
    sig_b, size_eff = p.f("burden.noise_sd"), p.f("burden.size_effect")
    floor, ceiling = p.f("burden.floor"), p.f("burden.ceiling")
    c_prior = p.f("credibility.prior")
    guarantee, resolve = p.f("us.guarantee"), p.f("us.resolve")
    # levers
    us_init = np.array([p.f(f"allocation.us_initial.{t}") for t in THEATRES])
    us_target = np.array([p.f(f"us.allocation.{t}") for t in THEATRES])
    f_init = np.array([p.f(f"allocation.us_initial.forward_presence.{t}") for t in THEATRES])
    f_target = np.array([p.f(f"us.forward_presence.{t}") for t in THEATRES])
    for name, arr in (("us.allocation", us_target), ("allocation.us_initial", us_init)):
        if arr.sum() > 1.0 + 1e-9:
            raise ScenarioError(
                f"{name}: value {arr.round(3).tolist()} not allowed; "
                "expected shares summing to at most 1"
            )
    t_years = p.f("us.transition_years")
    for k_year, year_k in enumerate(years):  # dated levers must keep the US shares feasible
        if np.isnan(plan.us_share[k_year]).all():
            continue
        w_k = allocation.transition_weight(k_year, t_years)
        planned = allocation.us_shares(
            us_init, us_target, w_k, np.zeros(1), us_init, None, plan.us_share[k_year]
        )[0]
        if planned.sum() > 1.0 + 1e-9:
            raise ScenarioError(
                f"shocks: us_allocation gives US shares {planned.round(3).tolist()} in "
                f"{year_k} not allowed; expected shares summing to at most 1"
            )
    eu_shares = allocation.european_shares(
        p.f("europe.indo_pacific_share"), p.f("europe.out_of_area_share")
    )
    if eu_shares[0] < 0:
        raise ScenarioError(
            "europe.indo_pacific_share: value too large not allowed; "
            "expected European shares summing to at most 1"
        )
    off_on = p.f("offshore.enabled") >= 0.5
    off_thr, off_years, off_lag = (
        p.f("offshore.threshold"),
        p.f("offshore.trigger_years"),
        p.f("offshore.lag"),
    )
    # alignment moves from today's level with the change of framing and containment
    ideo = p.f("framing.ideological") - float(p.table["framing.ideological"].value or 0.0)
    cont = p.f("framing.containment") - float(p.table["framing.containment"].value or 0.0)
    align_eff = np.asarray(p.get("alignment.framing_effect"), dtype=float).reshape(-1)
    align_base, align_cont = p.f("alignment.base"), p.f("alignment.containment_effect")
    support = p.f("alignment.support_share")
    e_r0, e_rc, e_rt = (
        p.f("energy.base_rate"),
        p.f("energy.credibility_rate"),
        p.f("energy.threat_rate"),
    )
    e_gdp = p.f("energy.gdp_loss_per_share")
    # war_feedback: what a war leaves behind
    loss_win, loss_lose = p.f("war.loss_winner"), p.f("war.loss_loser")
    us_surge, surge_years = p.f("war.us_surge"), p.f("war.surge_years")
    rebuild_years = p.f("war.rebuild_years")
    # exogenous_budgets.solved_us_burden: US budget solved for an Indo-Pacific balance target
    solve_ratio, us_ceiling = p.f("us.solve_ratio.indo_pacific"), p.f("us.burden_ceiling")
    int_after, memory_years = p.f("war.intentions_after"), p.f("war.memory_years")
    us_member = st.coal[st.us] > 0  # theatres where the US fights in the coalition

    # fixed allocation shares (country, theatre)
    shares0 = np.zeros((nc, nt))
    for k in range(nc):
        iso = b.iso3[k]
        if k in st.responders:
            shares0[k] = eu_shares
        else:
            for j, t in enumerate(THEATRES):
                path = f"allocation.{iso}.{t}"
                if path in p.table or path in sc.overrides:
                    shares0[k, j] = p.f(path)
            if shares0[k].sum() == 0:
                # a country's power stays in the theatre of its coalition or side, else nowhere
                member = np.flatnonzero((st.coal[k] + st.adv[k]) > 0)
                if len(member) and iso != "USA":
                    shares0[k, member[0]] = 1.0
    # exogenous burden paths: multiplier per year per country (1 if no path)
    exo = np.array([k not in st.responders for k in range(nc)])
    path_mult = np.ones((ny, nc))
    scale = np.ones((n, nc))
    for k, iso in enumerate(b.iso3):
        if f"budgets.path.{iso}" in p.table or f"budgets.path.{iso}" in sc.overrides:
            vals = exogenous_budgets.dated_values(p.dated(f"budgets.path.{iso}"), years)
            path_mult[:, k] = vals / vals[0]
        if f"budgets.scale.{iso}" in p.table:
            scale[:, k] = np.asarray(p.get(f"budgets.scale.{iso}"), dtype=float).reshape(-1)
    path_mult[1:, st.us] *= p.f("us.budget_multiplier")
    react_on, react_idx, react_coef = _reaction_inputs(p, b, st, n, mode, g0, k0, k1)
    # intentions per year (draw, slot)
    int_paths = {a: p.dated(f"intentions.{a}") for a in INTENTION_SLOTS}
    int_scale = np.ones((n, len(INTENTION_SLOTS)))
    for j, a in enumerate(INTENTION_SLOTS):
        if f"intentions.scale.{a}" in p.table:
            int_scale[:, j] = np.asarray(p.get(f"intentions.scale.{a}"), dtype=float).reshape(-1)
    threat_slots = np.array(
        [INTENTION_SLOTS.index(b.iso3[i]) for i in st.threat_idx], dtype=np.int64
    )

    advs = [b.iso3[i] for i in st.threat_idx]
    if energy_dependence.SUPPLIER not in advs:
        raise ScenarioError(
            f"threat_adversaries: value {advs!r} not allowed; expected "
            f"{energy_dependence.SUPPLIER!r} among them (the gas supplier of energy_dependence)"
        )
    energy_adv = advs.index(energy_dependence.SUPPLIER)
    resp = st.responders
    size_w = burden_response.size_weight(b.gdp0[resp], size_eff)
    k_state = capital_stock.initial_stock(hist, delta, s_eq)
    gas0 = b.gas_share * np.where(b.gas_year < 2022, p.f("energy.post_2022_factor"), 1.0)
    nonally = ~st.allies_mask.copy()
    nonally[st.us] = True
    if backend == "numba":
        def bn(a: object, shape: tuple[int, ...]) -> Array:
            return np.broadcast_to(np.asarray(a, dtype=float), shape).copy()

        progress_y = np.array([allocation.transition_weight(k, t_years) for k in range(ny)])
        align = np.clip(
            align_base
            + progress_y[None, :] * (align_eff.reshape(-1, 1) * ideo + align_cont * cont),
            0.0,
            1.0,
        )
        base_int = np.stack(
            [exogenous_budgets.dated_values(int_paths[a], years) for a in INTENTION_SLOTS], axis=1
        )
        is_resp = np.zeros(nc, dtype=np.bool_)
        is_resp[resp] = True
        size_full = np.zeros(nc)
        size_full[resp] = size_w
        flag = np.zeros(nc, dtype=np.bool_)
        flag[st.european_allies] = True
        nato_flag = np.zeros(nc, dtype=np.bool_)
        nato_flag[st.nato] = True
        resp_pos = np.full(nc, -1, dtype=np.int64)
        resp_pos[resp] = np.arange(len(resp))
        inputs = KernelInputs(
            per_draw=cols,
            gdp0=b.gdp0.astype(float),
            burden0=b.burden0.astype(float),
            capital0=bn(k_state, (n, nc)),
            energy0=gas0,
            us=st.us,
            responder_position=resp_pos,
            is_responder=is_resp,
            is_european_ally=flag,
            is_nato=nato_flag,
            is_exogenous=exo,
            no_credibility=nonally,
            theatre_distance_km=st.theatre_dist,
            coalition_member=st.coal,
            adversary_member=st.adv,
            supporter=st.supporter,
            principal_slot=st.principal_slot,
            threat_country=st.threat_idx,
            threat_slot=threat_slots,
            energy_adversary=energy_adv,
            us_in_coalition=us_member,
            allocation_shares=shares0,
            burden_size_weight=size_full,
            transition_progress=progress_y,
            pledge=pledge_path,
            economy_growth=bn(growth, (n, nc)),
            capital_equipment_share=bn(s_eq, (n, nc)),
            power_ppp_multiplier=bn(ppp, (n, nc)),
            budgets_scale=scale,
            hazard_h0=bn(h0, (n, nt)),
            hazard_ratio_half=bn(r_half, (n, nt)),
            hazard_steepness=bn(k_haz, (n, nt)),
            threat_proximity=bn(prox, (n, nc, len(st.threat_idx))),
            threat_offensive=bn(offensive, (n, len(st.threat_idx))),
            intentions_scale=bn(int_scale, (n, len(INTENTION_SLOTS))),
            alignment=bn(align, (n, ny)),
            reaction_coef=react_coef,
            economy_growth_sd=growth_sd,
            power_current_weight=omega,
            allocation_us_initial=us_init,
            us_allocation=us_target,
            allocation_us_initial_forward_presence=f_init,
            us_forward_presence=f_target,
            alignment_support_share=support,
            intentions=base_int,
            hazard_hold_ratio_half=hold_half,
            hazard_hold_steepness=hold_k,
            threat_reference_power=p_ref,
            threat_power_exponent=w_p,
            burden_noise_sd=sig_b,
            burden_floor=floor,
            burden_ceiling=ceiling,
            credibility_prior=c_prior,
            us_guarantee=guarantee,
            us_resolve=resolve,
            offshore_enabled=off_on,
            offshore_threshold=off_thr,
            offshore_trigger_years=off_years,
            offshore_lag=off_lag,
            energy_base_rate=e_r0,
            energy_credibility_rate=e_rc,
            energy_threat_rate=e_rt,
            energy_gdp_loss_per_share=e_gdp,
            budgets_path_multiplier=path_mult,
            war_loss_winner=loss_win,
            war_loss_loser=loss_lose,
            war_us_surge=us_surge,
            war_surge_years=surge_years,
            war_intentions_after=int_after,
            war_memory_years=memory_years,
            war_rebuild_years=rebuild_years,
            us_solve_ratio_indo_pacific=solve_ratio,
            us_burden_ceiling=us_ceiling,
            reaction_enabled=react_on,
            reaction_country=react_idx,
            shock_withdrawal=plan.withdrawal,
            shock_intentions=plan.intentions,
            shock_war=plan.war,
            shock_energy_factor=plan.energy_factor,
            shock_spending_factor=plan.spending_factor,
            shock_gdp_factor=plan.gdp_factor,
            shock_us_share=plan.us_share,
            shock_us_forward=plan.us_forward,
        )
        if cache_key is not None:
            with _CENTRAL_LOCK:
                _CENTRAL_ARGS[cache_key] = inputs
                while len(_CENTRAL_ARGS) > CENTRAL_CACHE_SIZE:
                    _CENTRAL_ARGS.pop(next(iter(_CENTRAL_ARGS)))
        _call_kernel(inputs, n, lo, mode, g0, seed, keep, out)
        return

    # --- initial state (reference implementation with the mechanism modules)
    y_state = np.broadcast_to(b.gdp0, (n, nc)).copy()
    b_state = np.broadcast_to(b.burden0, (n, nc)).copy()
    c_state = np.full((n, nc), c_prior)
    e_state = np.broadcast_to(gas0, (n, nc)).copy()
    survival = np.ones((n, nt))
    counter = np.zeros(n)
    triggered = np.zeros(n, dtype=bool)
    weight = np.zeros(n)
    surge_left = np.zeros((n, nt))  # years of US surge still to come, per theatre
    memory_left = np.zeros((n, len(INTENTION_SLOTS)))  # years a war's intent is remembered
    outstanding = np.zeros((n, nc))  # capital lost in wars, still to be replaced
    anchor: Array | None = None
    u0: Array | None = None
    sl = slice(lo, lo + n)
    nr = len(resp)
    if mode == 1:
        from natofutures.engine._kernel import dynamic_noise

        dyn = dynamic_noise(k0, k1, g0, n, ny, nt, nr, nc)
    else:  # central values: uniforms 0.5, normals 0
        dyn = np.zeros((n, ny, 2 * nt + nr + nc))
        dyn[:, :, : 2 * nt] = 0.5

    if react_on:  # adversary_reaction: t0 levels, the history before t0 flat
        m0 = b.burden0 * b.gdp0
        us_lag = np.full((2, n), m0[st.us])
        eu_lag = np.full((2, n), _europe_t0(b, st))
        own_m = np.broadcast_to(m0[react_idx], (n, len(react_idx))).copy()
        own_y = np.broadcast_to(b.gdp0[react_idx], (n, len(react_idx))).copy()
    for k, year in enumerate(years):
        progress = allocation.transition_weight(k, t_years)
        us_prev = b_state[:, st.us].copy()  # last year's US burden: the solved budget ramps
        if k > 0:
            b_state[:, exo] = (
                exogenous_budgets.burden(b.burden0[exo], path_mult[k, exo], scale[:, exo])
                * plan.spending_factor[k, exo]
            )
            if react_on:
                c = react_coef
                own_m = adversary_reaction.budget_step(
                    c[:, :, 0], c[:, :, 1], c[:, :, 2], c[:, :, 3], c[:, :, 4], c[:, :, 5],
                    c[:, :, 6], c[:, :, 7], own_m, us_lag[0][:, None], us_lag[1][:, None],
                    eu_lag[0][:, None], eu_lag[1][:, None], y_state[:, react_idx], own_y,
                )
                own_y = y_state[:, react_idx].copy()
                b_state[:, react_idx] = own_m / own_y * plan.spending_factor[k, react_idx]
        m_state = b_state * y_state
        p_state = power.military_power(k_state, m_state, ppp, omega)
        # allocation and delivery
        withdrawn = plan.withdrawal[k]
        us_sh = allocation.us_shares(
            us_init, us_target, progress, weight, us_init, withdrawn, plan.us_share[k]
        )
        f_us = allocation.us_shares(
            f_init, f_target, progress, weight, f_init, withdrawn, plan.us_forward[k]
        )
        us_sh = war_feedback.surge(
            us_sh, (surge_left > 0) & (us_member & ~withdrawn)[None, :], us_surge
        )
        shares = np.broadcast_to(shares0, (n, nc, nt)).copy()
        shares[:, st.us, :] = us_sh
        fwd = np.zeros((n, nc, nt))
        fwd[:, st.us, :] = f_us
        factor = projection_loss.delivery_factor(st.theatre_dist[None], fwd, decay)
        deliv = projection_loss.delivered_power(p_state, shares, factor)
        alignment = np.clip(
            align_base + progress * (align_eff * ideo + align_cont * cont), 0.0, 1.0
        )
        alignment = np.broadcast_to(alignment, (n,))
        has_sup = st.supporter >= 0
        if solve_ratio > 0 and k > 0:
            ip = INDO_PACIFIC
            others = st.coal[:, ip].copy()
            others[st.us] = 0.0
            adv_ip = deliv[:, :, ip] @ st.adv[:, ip]
            if has_sup[ip]:
                adv_ip = adv_ip + alignment * support * p_state[:, st.supporter[ip]]
            b_state[:, st.us] = exogenous_budgets.solved_us_burden(
                solve_ratio,
                adv_ip,
                deliv[:, :, ip] @ others,
                us_sh[:, ip],
                factor[:, st.us, ip],
                np.broadcast_to(ppp, (n, nc))[:, st.us],
                k_state[:, st.us],
                omega,
                y_state[:, st.us],
                b_state[:, st.us],
                us_ceiling,
                us_prev,
                cols[PER_DRAW_PATHS.index("us.max_burden_rise")],
            )
            m_state = b_state * y_state
            p_state = power.military_power(k_state, m_state, ppp, omega)
            deliv = projection_loss.delivered_power(p_state, shares, factor)
        if react_on:  # NATO's spending of this year becomes next year's lag
            eu_sum = np.zeros(n)
            for i in st.european_allies:  # in country order, as the kernel sums them
                eu_sum = eu_sum + m_state[:, i]
            us_lag = np.stack([m_state[:, st.us].copy(), us_lag[0]])
            eu_lag = np.stack([eu_sum, eu_lag[0]])
        # balance and hazard
        coal = theatre_balance.side_power(deliv, st.coal)
        adv = theatre_balance.side_power(deliv, st.adv)
        adv[:, has_sup] += alignment[:, None] * support * p_state[:, st.supporter[has_sup]]
        ratio = theatre_balance.balance_ratio(coal, adv)
        base_int = np.array(
            [exogenous_budgets.dated_value(int_paths[a], year) for a in INTENTION_SLOTS]
        )
        intent = np.clip(base_int[None, :] * (int_scale if k > 0 else 1.0), 0.0, 1.0)
        override = plan.intentions[k]
        intent = np.where(np.isnan(override)[None, :], intent, override[None, :])
        intent = war_feedback.intentions_floor(intent, memory_left > 0, int_after)
        has_adv = adv > 0
        h = deterrence_hazard.hazard_draw(
            coal, np.where(has_adv, adv, 1.0), h0, intent[:, st.principal_slot], r_half, k_haz
        )
        h = np.where(has_adv, h, 0.0)
        survival, cum = deterrence_hazard.cumulative_risk(survival, h)
        p_hold = deterrence_hazard.hold_probability(ratio, hold_half, hold_k)
        if mc:
            war = (dyn[:, k, :nt] < h) | plan.war[k][None, :]
            holds = ~war | (dyn[:, k, nt : 2 * nt] < p_hold)
        else:
            war = np.broadcast_to(plan.war[k][None, :], (n, nt))
            holds = ~war | (p_hold >= 0.5)
        # threat perception
        comps = threat_perception.components(
            p_state[:, st.threat_idx], p_ref, w_p, prox, offensive, intent[:, threat_slots]
        )
        threat = comps.total()
        t_total = threat.sum(axis=2)
        us_eu = deliv[:, st.us, EUROPE]
        nato_eu = deliv[:, st.nato, EUROPE].sum(axis=1)
        u_act = np.divide(us_eu, nato_eu, out=np.zeros(n), where=nato_eu > 0)
        if u0 is None:
            u0 = u_act.copy()
        u_perc = credibility.believed(credibility.effective(resolve, weight), u_act, u0)

        # --- record year k
        rec = {
            "gdp": y_state,
            "burden": b_state,
            "spending": m_state,
            "capital": k_state,
            "power": p_state,
            "delivered": deliv,
            "coalition_power": coal,
            "adversary_power": adv,
            "balance": ratio,
            "hazard": h,
            "cumulative_risk": cum,
            "war_started": war,
            "hold_probability": p_hold,
            "coalition_holds": holds,
            "threat": threat,
            "intentions": intent[:, threat_slots],
            "credibility": np.where(nonally[None, :], np.nan, c_state),
            "us_allocation": us_sh,
            "us_forward_presence": f_us,
            "us_share_europe": u_act,
            "europe_burden": m_state[:, st.european_allies].sum(1)
            / y_state[:, st.european_allies].sum(1),
            "reengaged": triggered,
            "energy_dependence": e_state,
            "alignment": alignment,
        }
        for name in keep:
            out[name][sl, k] = rec[name]
        if k == ny - 1:
            break

        # --- update to year k+1
        counter, new_trig, weight = offshore_trigger.step(
            counter, triggered, weight, ratio[:, EUROPE], off_on, off_thr, off_years, off_lag
        )
        triggered = new_trig
        g_eff = credibility.effective(guarantee, weight)
        c_target = credibility.believed(credibility.effective(resolve, weight), g_eff, c_prior)
        c_state = credibility.update_draw(cols, COLUMN, c_state, c_target[:, None])
        lost = war_feedback.side_losses(
            war, holds, shares, st.coal, st.adv, loss_win, loss_lose
        )
        outstanding = war_feedback.outstanding_losses(outstanding, k_state, lost, rebuild_years)
        free = burden_response.free_riding(size_w[None, :], c_state[:, resp], u_perc[:, None])
        if anchor is None:
            anchor = burden_response.anchor_draw(
                cols, COLUMN, b.burden0[resp][None, :], t_total[:, resp], size_w[None, :],
                c_prior, u0[:, None], pledge_path[0],
            )
        target = burden_response.target_draw(
            cols, COLUMN, anchor, t_total[:, resp], free, pledge_path[k + 1]
        )
        replace = war_feedback.replacement_burden(
            outstanding[:, resp],
            np.broadcast_to(s_eq, (n, nc))[:, resp],
            y_state[:, resp],
            rebuild_years,
        )
        target = (target + replace) * plan.spending_factor[k + 1, resp][None, :]
        moved = burden_response.adjust_draw(
            cols, COLUMN, b_state[:, resp], target, sig_b, dyn[:, k, 2 * nt : 2 * nt + nr]
        )
        b_state[:, resp] = np.clip(moved, floor, ceiling)
        rate = energy_dependence.decline_rate(c_state, threat[:, :, energy_adv], e_r0, e_rc, e_rt)
        e_mid = energy_dependence.update(e_state, rate)
        e_state = e_mid * plan.energy_factor[k + 1]
        k_state = capital_stock.accumulate(k_state * (1.0 - lost), m_state, delta[:, None], s_eq)
        y_state = (
            economy.grow(y_state, growth, growth_sd, dyn[:, k, 2 * nt + nr :])
            * plan.gdp_factor[k + 1][None, :]
            * war_feedback.energy_gdp_factor(e_mid, plan.energy_factor[k + 1], e_gdp)
        )
        # wars of this year: a US surge and remembered intent in the years after
        surge_left = np.maximum(surge_left - 1.0, 0.0)
        surge_left = np.where(war, surge_years, surge_left)
        memory_left = np.maximum(memory_left - 1.0, 0.0)
        for t_i in range(nt):
            slot = int(st.principal_slot[t_i])
            memory_left[:, slot] = np.where(war[:, t_i], memory_years, memory_left[:, slot])


# --------------------------------------------------------------------------- public API
def _validate_args(draws: object, seed: object, horizon: object, t0: int) -> tuple[int, int, int]:
    if (
        isinstance(draws, bool)
        or not isinstance(draws, int | np.integer)
        or not 0 <= int(draws) <= MAX_DRAWS
    ):
        raise InputError(
            f"draws: value {draws!r} not allowed; "
            f"expected an integer in [0, {MAX_DRAWS}] (0 = deterministic central case)"
        )
    if seed is None:
        seed = 0
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise InputError(f"seed: value {seed!r} not allowed; expected a non-negative integer")
    if (
        isinstance(horizon, bool)
        or not isinstance(horizon, int | np.integer)
        or not t0 < int(horizon) <= 2100
    ):
        raise InputError(
            f"horizon: value {horizon!r} not allowed; expected a year in [{t0 + 1}, 2100]"
        )
    return int(draws), int(seed), int(horizon)


def _check_options(
    sc: Scenario, b: Baseline, chunk_size: object, backend: str, variables: Iterable[str] | None
) -> set[str]:
    """Validate the remaining simulate() options; return the output variables to keep."""
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError(
            f"chunk_size: value {chunk_size!r} not allowed; expected a positive integer"
        )
    if backend not in ("numba", "numpy"):
        raise InputError(f"backend: value {backend!r} not allowed; expected 'numba' or 'numpy'")
    keep = set(VARIABLES) if variables is None else set(variables)
    unknown = sorted(keep - set(VARIABLES))
    if unknown:
        raise InputError(
            f"variables: value {unknown!r} not allowed; expected names from {sorted(VARIABLES)}"
        )
    for k, s in enumerate(sc.shocks):
        country = getattr(s, "country", None)
        if country not in (None, "ALL") and country not in b.iso3:
            raise ScenarioError(
                f"shocks[{k}].country: value {country!r} not allowed; "
                f"expected a simulated country ({', '.join(b.iso3)})"
            )
    return keep


def _chunks(draws: int, chunk_size: int, cpus: int) -> list[tuple[int, int]]:
    """Memory chunks: at most ``chunk_size`` draws, at least one per core when worth it.

    Split by :func:`natofutures.distributed.chunk_bounds`; the split changes nothing but speed.
    """
    pieces = cpus if cpus > 1 and draws >= 2 * MIN_THREAD_CHUNK else 1
    return chunk_bounds(draws, pieces, max_size=chunk_size, min_size=MIN_THREAD_CHUNK)


def simulate(
    scenario: Scenario | str,
    draws: int = 0,
    seed: int | None = 0,
    horizon: int | None = None,
    *,
    baseline: Baseline | None = None,
    variables: Iterable[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int, int], None] | None = None,
    backend: str = "numba",
    draw_offset: int = 0,
    scheduler: str | None = None,
) -> xr.Dataset:
    """Run the alliance model; a pure function of (scenario, draws, seed, horizon, data).

    Parameters
    ----------
    scenario : a :class:`~natofutures.scenario.Scenario` or a built-in posture name.
    draws : 0 for the deterministic central case (a ``draw`` dim of length 1, uncertain
        parameters at their central values, no shocks sampled), else the number of Monte
        Carlo draws.
    seed : non-negative integer; same inputs and seed give bit-identical arrays.
    horizon : last simulated year (default: the scenario's horizon, else 2045).
    baseline : initial state (default: built from the bundled data).
    variables : subset of output variables to keep (default all; see :data:`VARIABLES`) -
        restrict it for very large draw counts to bound memory.
    chunk_size : draws per memory chunk (results do not depend on it).
    progress : optional callback ``(draws_done, draws_total)``.
    backend : ``"numba"`` (the compiled kernel, default) or ``"numpy"`` (the reference loop
        built from the mechanism modules; slower, same results to rounding).
    draw_offset : compute draws ``[draw_offset, draw_offset + draws)`` of the seed's stream
        (used to split a run across workers; the pieces concatenate to the whole run).
    scheduler : ``None``/``"local"`` (in-process), ``"local:N"`` (a Dask LocalCluster with N
        workers) or ``"tcp://HOST:PORT"`` (an existing Dask cluster); the result is
        bit-identical whatever the scheduler (see :mod:`natofutures.distributed`).

    Returns
    -------
    xarray.Dataset with dims ``draw, year, country, theatre, adversary``; units in each
    variable's ``attrs["units"]``; ``attrs`` hold the posture, scenario hash, seed, draws,
    data and package versions.
    """
    sc = posture(scenario) if isinstance(scenario, str) else scenario
    if not isinstance(sc, Scenario):
        raise InputError(
            f"scenario: value {type(scenario).__name__} not allowed; "
            "expected a Scenario or posture name"
        )
    b = baseline if baseline is not None else default_baseline()
    draws, seed, hz = _validate_args(
        draws, seed, horizon if horizon is not None else (sc.horizon or 2045), b.t0
    )
    keep = _check_options(sc, b, chunk_size, backend, variables)
    if (
        isinstance(draw_offset, bool)
        or not isinstance(draw_offset, int | np.integer)
        or draw_offset < 0
        or (draw_offset > 0 and draws == 0)
        or draw_offset + draws > MAX_DRAWS
    ):
        raise InputError(
            f"draw_offset: value {draw_offset!r} not allowed; expected a non-negative integer "
            f"with draws > 0 and draw_offset + draws <= {MAX_DRAWS}"
        )
    offset = int(draw_offset)
    from natofutures.distributed import parse_scheduler, simulate_distributed

    if parse_scheduler(scheduler)[0] != "local" and offset == 0:
        return simulate_distributed(
            sc, draws, seed, hz, str(scheduler), progress=progress, baseline=baseline,
            variables=None if variables is None else sorted(keep), chunk_size=chunk_size,
            backend=backend,
        )
    years = list(range(b.t0, hz + 1))
    st = structure(b, years)
    n_total = max(draws, 1)
    sizes = {"country": b.n, "theatre": len(THEATRES), "adversary": len(st.threat_idx)}
    out: dict[str, np.ndarray] = {}
    for name in keep:
        dims = VARIABLES[name][0]
        shape = (n_total, len(years), *(sizes[d] for d in dims))
        out[name] = np.empty(shape, dtype=bool if name in BOOL_VARIABLES else np.float32)
    sc_json = sc.canonical_json()
    if draws == 0:
        _run_chunk(sc, b, st, None, 1, out, 0, keep, backend, sc_json=sc_json)
    else:
        n_unc = len(sc.uncertainties())
        cpus = os.cpu_count() or 1
        bounds = _chunks(draws, chunk_size, cpus if backend == "numba" else 1)

        def work(lo_hi: tuple[int, int]) -> int:
            lo, hi = lo_hi
            zp = _param_normals(seed, offset + lo, offset + hi, n_unc)
            _run_chunk(sc, b, st, zp, hi - lo, out, lo, keep, backend, 1, offset + lo, seed)
            return hi - lo

        workers = min(len(bounds), cpus) if backend == "numba" else 1
        done = 0
        if workers > 1:
            # the kernel releases the GIL; chunks write disjoint slices, so threads change nothing
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for size in pool.map(work, bounds):
                    done += size
                    if progress is not None:
                        progress(done, draws)
        else:
            for lo_hi in bounds:
                done += work(lo_hi)
                if progress is not None:
                    progress(done, draws)
    return _dataset(out, sc, b, st, years, draws, seed, offset, sc_json)


@lru_cache(maxsize=32)
def _coords(
    b: Baseline,
    years: tuple[int, ...],
    n_draws: int,
    adversaries: tuple[str, ...],
    offset: int = 0,
) -> xr.Coordinates:
    """Coordinates with their indexes, built once per shape (xarray index creation is slow).

    The cached arrays are shared by every Dataset of that shape, so they are made read-only.
    """
    coords = xr.Coordinates(
        {
            "draw": np.arange(offset, offset + n_draws),
            "year": np.array(years),
            "country": list(b.iso3),
            "theatre": list(THEATRES),
            "adversary": list(adversaries),
            "country_name": ("country", list(b.name)),
            "role": ("country", list(b.role)),
            "european": ("country", b.european.copy()),
        }
    )
    for name in coords:
        data = coords[name].variable.data
        if isinstance(data, np.ndarray):
            data.flags.writeable = False
    return coords


def _dataset(
    out: dict[str, np.ndarray],
    sc: Scenario,
    b: Baseline,
    st: Structure,
    years: list[int],
    draws: int,
    seed: int,
    offset: int = 0,
    sc_json: str | None = None,
) -> xr.Dataset:
    from natofutures import __version__

    n_draws = next(iter(out.values())).shape[0] if out else max(draws, 1)
    coords = _coords(b, tuple(years), n_draws, tuple(b.iso3[i] for i in st.threat_idx), offset)
    sc_json = sc.canonical_json() if sc_json is None else sc_json
    attrs = {
        "title": "natofutures simulation (docs/methodology.md)",
        "posture": sc.posture,
        "scenario": sc.name,
        "scenario_hash": hashlib.sha256(sc_json.encode()).hexdigest(),
        "scenario_json": sc_json,
        "seed": seed,
        "draws": draws,
        "deterministic": int(draws == 0),
        "t0": b.t0,
        "horizon": years[-1],
        "data_version": b.data_version,
        "package_version": __version__,
        "excluded_countries": ",".join(b.excluded),
    }
    variables: dict[str, xr.Variable] = {}
    for name in VARIABLES:
        if name in out:
            dims, units, desc = VARIABLES[name]
            variables[name] = xr.Variable(
                ("draw", "year", *dims), out[name], {"units": units, "long_name": desc}
            )
    construct = getattr(xr.Dataset, "_construct_direct", None)
    if construct is not None:
        # Fast path (xarray's own constructor for already-consistent variables): the generic
        # Dataset() merges and aligns every variable, most of a central run's latency.
        all_vars: dict[Hashable, xr.Variable] = {}
        all_vars.update(variables.items())
        all_vars.update({k: v.copy(deep=False) for k, v in coords.variables.items()})
        try:
            return construct(
                all_vars, set(coords), dict(coords.sizes), dict(attrs), dict(coords.xindexes)
            )
        except TypeError:  # pragma: no cover - a future xarray with another signature
            pass
    return xr.Dataset(variables, coords=coords, attrs=attrs)  # pragma: no cover


def threat_decomposition(
    scenario: Scenario | str = "business_as_usual",
    year: int | None = None,
    countries: Iterable[str] | None = None,
    *,
    baseline: Baseline | None = None,
) -> pd.DataFrame:
    """Each country's perceived threat from each adversary split into Walt's four components.

    Deterministic central case. Returns a DataFrame with one row per (country, adversary):
    ``power, proximity, offensive, intentions`` (multiplicative; their product is
    ``threat``) and ``driver``: the component whose log deviates most from its mean over the
    country's adversaries, i.e. the one that most drives the difference between them.
    """

    b = baseline if baseline is not None else default_baseline()
    sc = posture(scenario) if isinstance(scenario, str) else scenario
    yr = b.t0 if year is None else year
    if isinstance(yr, bool) or not isinstance(yr, int | np.integer) or not b.t0 <= int(yr) <= 2100:
        raise InputError(f"year: value {yr!r} not allowed; expected a year in [{b.t0}, 2100]")
    horizon = max(int(yr), b.t0 + 1)
    ds = simulate(
        sc, draws=0, horizon=horizon, baseline=b, variables=["power", "intentions", "threat"]
    )
    sel = list(b.iso3) if countries is None else [str(c).strip().upper() for c in countries]
    bad = [c for c in sel if c not in b.iso3]
    if bad:
        raise InputError(
            f"country: value {','.join(bad)!r} not allowed; "
            f"expected ISO3 codes of simulated countries ({', '.join(b.iso3)})"
        )
    st = structure(b, [b.t0])
    p = Params(sc, {})
    advs = [b.iso3[i] for i in st.threat_idx]
    prox = threat_proximity(p, st)
    offensive = p.per_country("threat.offensive", tuple(advs))[0]
    at = ds.sel(year=int(yr)).isel(draw=0)
    pw = threat_perception.power_term(
        at["power"].sel(country=advs).to_numpy().astype(float),
        p.f("threat.reference_power"),
        p.f("threat.power_exponent"),
    )
    intent = at["intentions"].to_numpy().astype(float)
    rows = []
    for c in sel:
        i = b.index(c)
        for j, a in enumerate(advs):
            comp = {
                "power": pw[j],
                "proximity": prox[i, j],
                "offensive": offensive[j],
                "intentions": intent[j],
            }
            total = math.prod(comp.values())
            rows.append({"country": c, "adversary": a, "year": int(yr), **comp, "threat": total})
    df = pd.DataFrame(rows)
    # driver: the component whose log-ratio to the other adversary's contributes most
    logs = df[["power", "proximity", "offensive", "intentions"]].clip(lower=1e-300).apply(np.log)
    rel = logs - logs.groupby(df["country"].to_numpy()).transform("mean")
    df["driver"] = rel.abs().idxmax(axis=1)
    return df


def experiments(
    scenario: Scenario | str,
    paths: Sequence[str],
    values: NDArray[np.float64],
    horizon: int | None = None,
    *,
    baseline: Baseline | None = None,
    variables: Iterable[str] | None = None,
    scheduler: str | None = None,
) -> xr.Dataset:
    """Run the central case once per row of ``values``: draw ``i`` sets ``paths`` to ``values[i]``.

    The experiment design of a sensitivity analysis (EMA Workbench's "experiments"): no GDP or
    burden noise and no sampled wars, every uncertain parameter not in ``paths`` at its central
    value — row ``i`` equals ``simulate(scenario.with_overrides(dict(zip(paths, values[i]))),
    draws=0)``, but all rows run as draws of one vectorised engine call. With a Dask
    ``scheduler`` the rows are split into chunks computed on the cluster; the result is the same.
    """
    from natofutures.distributed import parse_scheduler

    sc = posture(scenario) if isinstance(scenario, str) else scenario
    b = baseline if baseline is not None else default_baseline()
    vals = np.asarray(values, dtype=float)
    if vals.ndim != 2 or vals.shape[1] != len(paths) or vals.shape[0] < 1:
        raise InputError(
            f"values: shape {vals.shape} not allowed; expected (samples >= 1, {len(paths)})"
        )
    if vals.shape[0] > MAX_DRAWS:
        raise InputError(f"values: {vals.shape[0]} rows not allowed; at most {MAX_DRAWS}")
    _, _, hz = _validate_args(0, 0, horizon if horizon is not None else (sc.horizon or 2045), b.t0)
    keep = _check_options(sc, b, DEFAULT_CHUNK, "numba", variables)
    if parse_scheduler(scheduler)[0] != "local":
        return _experiments_distributed(sc, list(paths), vals, hz, b, keep, str(scheduler))
    # Uncertain parameters that are not varied sit at their central value, exactly as in the
    # deterministic case: fix them by override. Each varied one gets a standard-normal
    # "distribution" whose input *is* the value; all other random inputs are 0 (no GDP or
    # burden noise, no sampled wars): the central path.
    fixed = {p: sc.parameter(p) for p in sc.uncertainties() if p not in paths}
    sc_fixed = sc.with_overrides(fixed) if fixed else sc
    unit_normal = Normal(dist="normal", mean=0.0, sd=1.0)
    kept = {p: d for p, d in sc_fixed.uncertainty.items() if p not in fixed}
    varied = {**kept, **dict.fromkeys(paths, unit_normal)}
    sc_run = sc_fixed.model_copy(update={"uncertainty": varied})
    order = list(sc_run.uncertainties())
    years = list(range(b.t0, hz + 1))
    st = structure(b, years)
    n = vals.shape[0]
    zp = np.zeros((n, len(order)))
    for k, path in enumerate(paths):
        zp[:, order.index(path)] = vals[:, k]
    sizes = {"country": b.n, "theatre": len(THEATRES), "adversary": len(st.threat_idx)}
    out: dict[str, np.ndarray] = {}
    for name in keep:
        dims = VARIABLES[name][0]
        dtype = bool if name in BOOL_VARIABLES else np.float32
        out[name] = np.empty((n, len(years), *(sizes[d] for d in dims)), dtype=dtype)
    _run_chunk(sc_run, b, st, zp, n, out, 0, keep, "numba", 2)
    return _dataset(out, sc_run, b, st, years, n, 0)


def _experiments_distributed(
    sc: Scenario,
    paths: list[str],
    vals: NDArray[np.float64],
    hz: int,
    b: Baseline,
    keep: set[str],
    scheduler: str,
) -> xr.Dataset:
    from natofutures.distributed import dask_client

    with dask_client(scheduler) as client:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        bounds = chunk_bounds(vals.shape[0], 4 * n_workers)
        futures = [
            client.submit(
                experiments, sc, paths, vals[lo:hi], hz, baseline=b, variables=sorted(keep),
                pure=False,
            )
            for lo, hi in bounds
        ]
        parts = client.gather(futures)
    ds = xr.concat(parts, dim="draw", combine_attrs="override")
    ds = ds.assign_coords(draw=np.arange(vals.shape[0]))
    ds.attrs["draws"] = vals.shape[0]
    return ds
