"""The compiled year loop (numba): the mechanism modules' equations, fused.

:func:`natofutures.engine.simulate.simulate` resolves a scenario into a
:class:`~natofutures.engine.inputs.KernelInputs` record (every input by name; per-draw
parameters in its ``per_draw`` record) and calls :func:`run_kernel`, which runs the years of a
chunk of draws with no temporaries, at tens of millions of country-year-draw steps per second.
The equations are not written here: each is an ``@equation`` of its mechanism module
(:mod:`natofutures.engine.equation`), whose compiled twin numba inlines into this loop; this
module holds the order of a year, the state, the SIMD layout, the random numbers and the
records. ``tests/engine/test_engine_kernel.py`` checks that this kernel and the plain-numpy
reference loop (``backend="numpy"``, the same equations on arrays) give the same results.

Layout - draws innermost. The chunk's draws are taken in blocks of ``block`` draws (default
:data:`BLOCK`). A block's state lives in (country, draw) and (theatre, draw) arrays, its
per-draw parameters are copied once into (…, draw) buffers, and every equation is a loop over
the block's draws, the innermost loop, which the compiler turns into SIMD code (AVX2: four
draws per instruction). A year is a few passes: power and delivered power per country (summed
into the theatres' sides in country order), the theatres' balance, hazard and wars, then one
pass per country for threat perception and next year's credibility, burden, capital, energy
and GDP. Each draw still goes through exactly the same floating-point operations in the same
order as in a draw-by-draw loop: no fast-math (so no reassociation or fused multiply-add),
IEEE division, min/max as selects, sums over countries in their order. So the results do not
depend on the block size, bit for bit. Powers and exponentials stay scalar ``libm`` calls,
the same calls whatever the block; two are skipped where their value cannot matter or is
exact (``x ** 1.0`` is ``x``; a delivery factor multiplying a zero share).

Entry points: :func:`run_kernel` (any number of draws, blocks of ``block``) and
:func:`run_kernel_one` (a single draw - the deterministic central case), both the same
:func:`kernel_body`, inlined and specialised by the compiler: with block and draw count the
constant 1, every loop over a block's draws is one scalar iteration without SIMD set-up.

Random numbers: a year's Philox blocks of all the block's draws are computed side by side
(SIMD), then the ziggurat's fast path runs over the draws and its rare rejections are redone
one by one; each draw gets exactly the numbers :func:`year_noise` gives it (which the numpy
reference backend uses via :func:`dynamic_noise`).

The kernel releases the GIL (``nogil``): simulate() runs memory chunks of draws in threads;
draws are independent and write disjoint slices, so results do not depend on threading.
"""

from __future__ import annotations

import math
import sys

import numba
import numpy as np

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
    power,
    projection_loss,
    threat_perception,
    war_feedback,
)
from natofutures.engine.equation import kernel
from natofutures.engine.inputs import EUROPE, INDO_PACIFIC

# the mechanisms' equations (compiled twins, inlined into the year loop)
planned = kernel(allocation.planned)
blend = kernel(allocation.blend)
military_power = kernel(power.military_power)
delivery_factor = kernel(projection_loss.delivery_factor)
hazard_draw = kernel(deterrence_hazard.hazard_draw)
hold = kernel(deterrence_hazard.hold)
MIN_RATIO = deterrence_hazard.MIN_RATIO
effective = kernel(credibility.effective)
believed = kernel(credibility.believed)
credibility_update = kernel(credibility.update_draw)
carried_losses = kernel(war_feedback.carried_losses)
free_riding = kernel(burden_response.free_riding)
anchor_draw = kernel(burden_response.anchor_draw)
target_draw = kernel(burden_response.target_draw)
adjust_draw = kernel(burden_response.adjust_draw)
accumulate = kernel(capital_stock.accumulate)
energy_decline = kernel(energy_dependence.decline)
energy_update = kernel(energy_dependence.update)
growth_rate = kernel(economy.growth_rate)
power_term = kernel(threat_perception.power_term)
severity = kernel(threat_perception.severity)
exogenous_burden = kernel(exogenous_budgets.burden)
required_burden = kernel(exogenous_budgets.required_burden)
ramped_burden = kernel(exogenous_budgets.ramped_burden)
reaction_step = kernel(adversary_reaction.budget_step)
survive = kernel(deterrence_hazard.survive)
cut_share = kernel(war_feedback.cut_share)
gdp_factor = kernel(war_feedback.gdp_factor)
MIN_GROWTH = economy.MIN_GROWTH

#: draws per block of :func:`run_kernel` (the SIMD loops run over a block's draws; the block's
#: state, about 60 (country or theatre, draw) float64 arrays, stays in the L2 cache)
BLOCK = 64

# --------------------------------------------------------------------------- random numbers
# Counter-based generator Philox4x32-10 (Salmon et al. 2011, "Parallel random numbers: as easy
# as 1, 2, 3"; the generator of Random123, cuRAND and JAX). Block ``(c0, c1, c2, c3)`` under
# key ``(k0, k1)`` gives four independent 32-bit words; the engine uses the counter
# ``(draw, stream, position, position 2)``, so every number is a pure function of (seed, draw,
# stream, position): a draw's numbers do not depend on chunking, threads, workers or how many
# draws are run, and different (draw, stream, position) never share a block. Normals of the
# per-year shocks come from a 256-layer ziggurat on one 32-bit word (Marsaglia and Tsang 2000,
# the float32 variant numpy uses); its rare rejections take fresh words from stream 2.
PHILOX_M0 = np.uint64(0xD2511F53)
PHILOX_M1 = np.uint64(0xCD9E8D57)
PHILOX_W0 = np.uint64(0x9E3779B9)
PHILOX_W1 = np.uint64(0xBB67AE85)
MASK32 = np.uint64(0xFFFFFFFF)
SHIFT32 = np.uint64(32)
STREAM_PARAMS = 0  # the uncertain parameters' standard normals
STREAM_DYNAMICS = 1  # per-year war/hold uniforms, burden and GDP normals
STREAM_REJECT = 2  # extra words for the ziggurat's rejections
STREAM_REACTION = 3  # adversary_reaction: the adversaries' response coefficients


def _ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ki (uint64), wi, fi of a 256-layer ziggurat for 23-bit magnitudes (Marsaglia-Tsang)."""
    m = float(2**23)
    dn = tn = ZIG_R
    vn = 4.92867323399e-3  # area of each layer
    q = vn / math.exp(-0.5 * dn * dn)
    ki = np.zeros(256, dtype=np.uint64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    ki[0] = np.uint64((dn / q) * m)
    wi[0], wi[255] = q / m, dn / m
    fi[0], fi[255] = 1.0, math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(vn / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = np.uint64((dn / tn) * m)
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / m
    return ki, wi, fi


ZIG_R = 3.6541528853610088  # start of the tail of the 256-layer ziggurat
ZIG_KI, ZIG_WI, ZIG_FI = _ziggurat_tables()


@numba.njit(cache=True, nogil=True, inline="always")
def philox_round(c0, c1, c2, c3, k0, k1):
    """One Philox4x32 round on 32-bit words held in uint64 (Salmon et al. 2011)."""
    p0 = PHILOX_M0 * c0
    p1 = PHILOX_M1 * c2
    return (
        ((p1 >> SHIFT32) ^ c1 ^ k0) & MASK32,
        p1 & MASK32,
        ((p0 >> SHIFT32) ^ c3 ^ k1) & MASK32,
        p0 & MASK32,
    )


@numba.njit(cache=True, nogil=True, inline="always")
def philox4x32(c0, c1, c2, c3, k0, k1):
    """Philox4x32-10 of counter (c0..c3) under key (k0, k1); all uint64 holding 32-bit words."""
    for _ in range(10):
        c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
        k0 = (k0 + PHILOX_W0) & MASK32
        k1 = (k1 + PHILOX_W1) & MASK32
    return c0, c1, c2, c3


@numba.njit(cache=True, nogil=True, inline="always")
def uniform32(word):
    """A uniform in (0, 1) from a 32-bit word (never 0 or 1)."""
    return (float(np.int64(word)) + 0.5) * 2.3283064365386963e-10


@numba.njit(cache=True, nogil=True)
def ndtri(p):
    """Standard normal quantile, Wichura (1988) AS241 PPND16 (relative accuracy ~1e-16)."""
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return (
            q
            * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r
            + 67265.770927008700853) * r + 45921.953931549871457) * r
            + 13731.693765509461125) * r + 1971.5909503065514427) * r
            + 133.14166789178437745) * r + 3.387132872796366608)
            / (((((((5226.495278852545925 * r + 28729.085735721942674) * r
            + 39307.89580009271061) * r + 21213.794301586595867) * r
            + 5394.1960214247511077) * r + 687.1870074920579083) * r
            + 42.313330701600911252) * r + 1.0)
        )  # fmt: skip
    r = p if q < 0.0 else 1.0 - p
    r = math.sqrt(-math.log(r))
    if r <= 5.0:
        r -= 1.6
        v = (
            ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r
            + 0.24178072517745061177) * r + 1.27045825245236838258) * r
            + 3.64784832476320460504) * r + 5.7694972214606914055) * r
            + 4.6303378461565452959) * r + 1.42343711074968357734
        ) / (
            ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r
            + 0.0151986665636164571966) * r + 0.14810397642748007459) * r
            + 0.68976733498510000455) * r + 1.6763848301838038494) * r
            + 2.05319162663775882187) * r + 1.0
        )  # fmt: skip
    else:
        r -= 5.0
        v = (
            ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
            + 0.0012426609473880784386) * r + 0.026532189526576123093) * r
            + 0.29656057182850489123) * r + 1.7848265399172913358) * r
            + 5.4637849111641143699) * r + 6.6579046435011037772
        ) / (
            ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r
            + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r
            + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
            + 0.59983220655588793769) * r + 1.0
        )  # fmt: skip
    return -v if q < 0.0 else v


@numba.njit(cache=True, nogil=True, inline="always")
def fill_words(buf, n_words, g, stream, pos, k0, k1):
    """Fill ``buf[:n_words]`` with the words of blocks (g, stream, pos, 0), (.., 1), ..."""
    gl = np.uint64(g)
    st = np.uint64(stream)
    ps = np.uint64(pos)
    j = 0
    blk = np.uint64(0)
    while j < n_words:
        r0, r1, r2, r3 = philox4x32(gl, st, ps, blk, k0, k1)
        buf[j] = r0
        if j + 1 < n_words:
            buf[j + 1] = r1
        if j + 2 < n_words:
            buf[j + 2] = r2
        if j + 3 < n_words:
            buf[j + 3] = r3
        j += 4
        blk += np.uint64(1)


@numba.njit(cache=True, nogil=True)
def param_normals(k0, k1, g0, n, n_par):
    """(n, n_par) standard normals of the uncertain parameters of draws g0 .. g0 + n - 1."""
    out = np.empty((n, n_par))
    buf = np.empty(n_par + 4, dtype=np.uint64)
    for d in range(n):
        fill_words(buf, n_par, g0 + d, STREAM_PARAMS, 0, k0, k1)
        for j in range(n_par):
            out[d, j] = ndtri(uniform32(buf[j]))
    return out


@numba.njit(cache=True, nogil=True)
def reaction_normals(k0, k1, g0, n, n_par):
    """(n, n_par) standard normals of the adversaries' response coefficients of draws
    g0 .. g0 + n - 1 (stream 3: drawn only when ``reaction.enabled``, so that the other
    numbers never change with the lever)."""
    out = np.empty((n, n_par))
    buf = np.empty(n_par + 4, dtype=np.uint64)
    for d in range(n):
        fill_words(buf, n_par, g0 + d, STREAM_REACTION, 0, k0, k1)
        for j in range(n_par):
            out[d, j] = ndtri(uniform32(buf[j]))
    return out


@numba.njit(cache=True, nogil=True)
def ziggurat_fix(word, g, pos, k0, k1):
    """The ziggurat's slow path for a rejected first word (about 1% of the normals)."""
    gl = np.uint64(g)
    st = np.uint64(STREAM_REJECT)
    ps = np.uint64(pos)
    attempt = np.uint64(0)
    while True:
        idx = word & np.uint64(0xFF)
        neg = (word >> np.uint64(8)) & np.uint64(1)
        rabs = word >> np.uint64(9)
        x = float(np.int64(rabs)) * ZIG_WI[idx]
        if rabs < ZIG_KI[idx]:
            return -x if neg else x
        if idx == 0:  # the tail beyond ZIG_R (Marsaglia 1964), repeated until accepted
            while True:
                r0, r1, _, _ = philox4x32(gl, st, ps, attempt, k0, k1)
                attempt += np.uint64(1)
                xx = -math.log(uniform32(r0)) / ZIG_R
                yy = -math.log(uniform32(r1))
                if yy + yy > xx * xx:
                    return -(ZIG_R + xx) if neg else ZIG_R + xx
        r0, r1, r2, _ = philox4x32(gl, st, ps, attempt, k0, k1)
        attempt += np.uint64(1)
        if (ZIG_FI[idx - 1] - ZIG_FI[idx]) * uniform32(r0) + ZIG_FI[idx] < math.exp(-0.5 * x * x):
            return -x if neg else x
        word = r2


@numba.njit(cache=True, nogil=True, inline="always")
def ziggurat(word, g, pos, k0, k1):
    """A standard normal from a 32-bit word: 8 bits layer, 1 sign, 23 magnitude (fast path)."""
    idx = word & np.uint64(0xFF)
    rabs = word >> np.uint64(9)
    if rabs < ZIG_KI[idx]:
        x = float(np.int64(rabs)) * ZIG_WI[idx]
        return -x if (word >> np.uint64(8)) & np.uint64(1) else x
    return ziggurat_fix(word, g, pos, k0, k1)


@numba.njit(cache=True, nogil=True, inline="always")
def year_noise(buf, noise, g, k, nt, nr, nc, k0, k1):
    """Year k's random numbers of draw g into ``noise``: war and hold uniforms (nt each), burden
    normals of the nr responders, GDP normals of the nc countries (in that order)."""
    n_words = 2 * nt + nr + nc
    fill_words(buf, n_words, g, STREAM_DYNAMICS, k, k0, k1)
    for j in range(2 * nt):
        noise[j] = uniform32(buf[j])
    for j in range(2 * nt, n_words):
        noise[j] = ziggurat(buf[j], g, k * 65536 + j, k0, k1)


@numba.njit(cache=True, nogil=True)
def dynamic_noise(k0, k1, g0, n, ny, nt, nr, nc):
    """(n, ny, 2·nt + nr + nc) per-year random numbers of draws g0 .. g0 + n - 1, exactly as
    :func:`run_kernel` draws them (for the numpy reference backend)."""
    width = 2 * nt + nr + nc
    out = np.empty((n, ny, width))
    buf = np.empty(width + 4, dtype=np.uint64)
    for d in range(n):
        for k in range(ny):
            year_noise(buf, out[d, k], g0 + d, k, nt, nr, nc, k0, k1)
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def philox4x32_unrolled(c0, c1, c2, c3, k0, k1):
    """:func:`philox4x32` with its ten rounds written out, so that a loop over draws around it
    is a SIMD loop (the multiplies of 32-bit words become ``vpmuludq``). Same words."""
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    c0, c1, c2, c3 = philox_round(c0, c1, c2, c3, k0, k1)
    k0 = (k0 + PHILOX_W0) & MASK32
    k1 = (k1 + PHILOX_W1) & MASK32
    return philox_round(c0, c1, c2, c3, k0, k1)


@numba.njit(cache=True, nogil=True)
def block_noise(words, noise, nb, g, k, nt, nr, nc, k0, k1):
    """Year k's random numbers of draws g .. g + nb - 1 into the columns of ``noise`` (width,
    block): for every draw exactly the numbers of :func:`year_noise`, drawn draw-innermost.

    The Philox blocks (g + d, stream 1, k, j) of all the block's draws are computed side by
    side (draw indices, years and keys are below 2**32, so masking them changes nothing but
    tells the compiler the multiplies are 32 x 32 bits); the ziggurat's fast path runs over
    all draws, and the rare rejected words (~1%) are then redone one by one.
    """
    width = 2 * nt + nr + nc
    n_blk = (width + 3) // 4
    ka = k0 & MASK32
    kb = k1 & MASK32
    st = np.uint64(STREAM_DYNAMICS)
    ps = np.uint64(k) & MASK32
    for bl in range(n_blk):
        c3 = np.uint64(bl)
        j = 4 * bl
        for d in range(nb):
            r0, r1, r2, r3 = philox4x32_unrolled(np.uint64(g + d) & MASK32, st, ps, c3, ka, kb)
            words[j, d] = r0
            words[j + 1, d] = r1
            words[j + 2, d] = r2
            words[j + 3, d] = r3
    for j in range(2 * nt):
        for d in range(nb):
            noise[j, d] = uniform32(words[j, d])
    for j in range(2 * nt, width):
        rejected = 0
        for d in range(nb):
            word = words[j, d]
            idx = word & np.uint64(0xFF)
            rabs = (word >> np.uint64(9)) & np.uint64(0x7FFFFF)
            x = float(np.int32(rabs)) * ZIG_WI[idx]
            noise[j, d] = -x if (word >> np.uint64(8)) & np.uint64(1) else x
            rejected += rabs >= ZIG_KI[idx]
        d = 0
        while rejected:
            word = words[j, d]
            if (word >> np.uint64(9)) >= ZIG_KI[word & np.uint64(0xFF)]:
                noise[j, d] = ziggurat_fix(word, g + d, k * 65536 + j, k0, k1)
                rejected -= 1
            d += 1


@numba.njit(cache=True, nogil=True)
def record_c(out, g, k, x, nb, nc):
    """``out[g + d, k, i] = x[i, d]``: a (country, draw) block into a (draw, year, country)
    output (cast to the output's dtype)."""
    for d in range(nb):
        for i in range(nc):
            out[g + d, k, i] = x[i, d]


@numba.njit(cache=True, nogil=True)
def record_t(out, g, k, x, nb, nt):
    """``out[g + d, k, t] = x[t, d]``: a (theatre, draw) block into a (draw, year, theatre)
    output."""
    for d in range(nb):
        for t in range(nt):
            out[g + d, k, t] = x[t, d]


@numba.njit(cache=True, nogil=True, forceinline=True)
def kernel_body(  # noqa: C901 - one fused loop, by design
    block, n, lo, mode, g0, key0, key1, inp, keep, outs
):
    """Run draws ``g0 .. g0 + n - 1`` of the scenario resolved in ``inp`` (a
    :class:`~natofutures.engine.inputs.KernelInputs`) into rows ``lo ..`` of ``outs`` (an
    :data:`~natofutures.engine.variables.Outputs` of arrays; ``keep`` the same record of flags).
    """
    # the inputs by name, as locals (loaded once, not in every inner iteration)
    prm = inp.per_draw
    resp_pos = inp.responder_position
    gdp0 = inp.gdp0
    b0 = inp.burden0
    k0 = inp.capital0
    gas0 = inp.energy0
    growth = inp.economy_growth
    growth_sd = inp.economy_growth_sd
    s_eq = inp.capital_equipment_share
    delta = prm.capital_depreciation
    ppp = inp.power_ppp_multiplier
    omega = inp.power_current_weight
    shares0 = inp.allocation_shares
    dist = inp.theatre_distance_km
    decay = prm.projection_decay_km
    coal_m = inp.coalition_member
    adv_m = inp.adversary_member
    us = inp.us
    is_resp = inp.is_responder
    is_eu_ally = inp.is_european_ally
    is_nato = inp.is_nato
    nonally = inp.no_credibility
    size_w = inp.burden_size_weight
    us_init = inp.allocation_us_initial
    us_target = inp.us_allocation
    f_init = inp.allocation_us_initial_forward_presence
    f_target = inp.us_forward_presence
    progress = inp.transition_progress
    withdrawal = inp.shock_withdrawal
    supporter = inp.supporter
    support = inp.alignment_support_share
    align = inp.alignment
    base_int = inp.intentions
    int_scale = inp.intentions_scale
    int_override = inp.shock_intentions
    principal = inp.principal_slot
    threat_idx = inp.threat_country
    threat_slots = inp.threat_slot
    h0 = inp.hazard_h0
    r_half = inp.hazard_ratio_half
    k_haz = inp.hazard_steepness
    hold_half = inp.hazard_hold_ratio_half
    hold_k = inp.hazard_hold_steepness
    war_shock = inp.shock_war
    prox = inp.threat_proximity
    offensive = inp.threat_offensive
    p_ref = inp.threat_reference_power
    w_p = inp.threat_power_exponent
    sig_b = inp.burden_noise_sd
    floor = inp.burden_floor
    ceiling = inp.burden_ceiling
    pledge = inp.pledge
    c_prior = inp.credibility_prior
    guarantee = inp.us_guarantee
    resolve = inp.us_resolve
    off_on = inp.offshore_enabled
    off_thr = inp.offshore_threshold
    off_years = inp.offshore_trigger_years
    off_lag = inp.offshore_lag
    e_r0 = inp.energy_base_rate
    e_rc = inp.energy_credibility_rate
    e_rt = inp.energy_threat_rate
    energy_f = inp.shock_energy_factor
    is_exo = inp.is_exogenous
    path_mult = inp.budgets_path_multiplier
    scale = inp.budgets_scale
    spend_f = inp.shock_spending_factor
    gdp_f = inp.shock_gdp_factor
    us_share_set = inp.shock_us_share
    us_fwd_set = inp.shock_us_forward
    us_member = inp.us_in_coalition
    loss_win = inp.war_loss_winner
    loss_lose = inp.war_loss_loser
    us_surge = inp.war_us_surge
    surge_years = inp.war_surge_years
    int_after = inp.war_intentions_after
    memory_years = inp.war_memory_years
    rebuild_years = inp.war_rebuild_years
    e_gdp = inp.energy_gdp_loss_per_share
    solve_ratio = inp.us_solve_ratio_indo_pacific
    us_ceiling = inp.us_burden_ceiling
    us_rise = prm.us_max_burden_rise
    ea = inp.energy_adversary
    react_on = inp.reaction_enabled
    react_c = inp.reaction_country
    react_coef = inp.reaction_coef
    o_gdp = outs.gdp
    o_burden = outs.burden
    o_spend = outs.spending
    o_cap = outs.capital
    o_pow = outs.power
    o_deliv = outs.delivered
    o_coal = outs.coalition_power
    o_adv = outs.adversary_power
    o_bal = outs.balance
    o_haz = outs.hazard
    o_cum = outs.cumulative_risk
    o_war = outs.war_started
    o_phold = outs.hold_probability
    o_holds = outs.coalition_holds
    o_threat = outs.threat
    o_int = outs.intentions
    o_cred = outs.credibility
    o_usal = outs.us_allocation
    o_usf = outs.us_forward_presence
    o_u = outs.us_share_europe
    o_eub = outs.europe_burden
    o_reeng = outs.reengaged
    o_energy = outs.energy_dependence
    o_align = outs.alignment
    # the output switches as locals (loaded once, not in every inner iteration)
    kp0 = keep.gdp
    kp1 = keep.burden
    kp2 = keep.spending
    kp3 = keep.capital
    kp4 = keep.power
    kp5 = keep.delivered
    kp6 = keep.coalition_power
    kp7 = keep.adversary_power
    kp8 = keep.balance
    kp9 = keep.hazard
    kp10 = keep.cumulative_risk
    kp11 = keep.war_started
    kp12 = keep.hold_probability
    kp13 = keep.coalition_holds
    kp14 = keep.threat
    kp15 = keep.intentions
    kp16 = keep.credibility
    kp17 = keep.us_allocation
    kp18 = keep.us_forward_presence
    kp19 = keep.us_share_europe
    kp20 = keep.europe_burden
    kp21 = keep.reengaged
    kp22 = keep.energy_dependence
    kp23 = keep.alignment
    ny = progress.shape[0]
    nc = gdp0.shape[0]
    nt = dist.shape[1]
    na = threat_idx.shape[0]
    ns = base_int.shape[1]
    # mode 0: central case (no noise, no sampled wars); 1: Monte Carlo, random numbers drawn
    # here from the counter-based streams of (seed, draw); 2: Monte Carlo semantics with all
    # noise at its central value (uniforms 0.5, normals 0) - used by experiments().
    mc = mode != 0
    if mode == 1 and g0 + n > 4294967296:
        raise ValueError("draw indices must stay below 2**32 (Philox counter word)")
    nr = 0
    for i in range(nc):
        if resp_pos[i] >= 0:
            nr += 1
    width = 2 * nt + nr + nc
    bs = max(1, min(block, n))  # draws per block
    words = np.empty(((width + 3) // 4 * 4, bs), dtype=np.uint64)
    noise = np.empty((width, bs))
    if mode != 1:
        for j in range(2 * nt):
            noise[j, :] = 0.5
        for j in range(2 * nt, width):
            noise[j, :] = 0.0
    # per-draw parameters of the block, draw innermost
    ppp_b = np.empty((nc, bs))
    growth_b = np.empty((nc, bs))
    s_eq_b = np.empty((nc, bs))
    scale_b = np.empty((nc, bs))
    decay_b = np.empty(bs)
    align_b = np.empty((ny, bs))
    prox_b = np.empty((nc, na, bs))
    off_b = np.empty((na, bs))
    h0_b = np.empty((nt, bs))
    rh_b = np.empty((nt, bs))
    k_b = np.empty((nt, bs))
    int_scale_b = np.empty((ns, bs))
    fac = np.empty((nc, nt, bs))
    # state of the block's draws: (country, draw), (theatre, draw), (draw,)
    y = np.empty((nc, bs))
    b = np.empty((nc, bs))
    kap = np.empty((nc, bs))
    cred = np.empty((nc, bs))
    gas = np.empty((nc, bs))
    anchor = np.zeros((nc, bs))
    surv = np.empty((nt, bs))
    counter = np.empty(bs)
    trig = np.empty(bs, dtype=np.bool_)
    w = np.empty(bs)
    u0 = np.empty(bs)
    # the year's intermediate values
    p = np.empty((nc, bs))
    deliv = np.empty((nc if kp5 else 1, nt, bs))
    deliv_us = np.empty((nt, bs))
    fac_us = np.empty((nt, bs))
    thr_i = np.empty((na, bs))
    t_tot = np.empty(bs)
    coal = np.empty((nt, bs))
    adv = np.empty((nt, bs))
    ratio = np.empty((nt, bs))
    haz = np.empty((nt, bs))
    ph = np.empty((nt, bs))
    war = np.empty((nt, bs), dtype=np.bool_)
    holds = np.empty((nt, bs), dtype=np.bool_)
    us_sh = np.empty((nt, bs))
    f_us = np.empty((nt, bs))
    intent = np.empty((ns, bs))
    pw = np.empty((na, bs))
    u_act = np.empty(bs)
    u_perc = np.empty(bs)
    nato_eu = np.empty(bs)
    eu_m = np.empty(bs)
    eu_y = np.empty(bs)
    al = np.empty(bs)
    c_star = np.empty(bs)
    # adversary_reaction state: per reacting adversary, coefficients (coef, draw), its own
    # spending and GDP of the year before; NATO's spending one and two years before
    nra = react_c.shape[0]
    react_pos = np.full(nc, -1, dtype=np.int64)
    if react_on:
        for j in range(nra):
            react_pos[react_c[j]] = j
    rc_b = np.empty((nra, 8, bs))
    rm1 = np.empty((nra, bs))
    ry1 = np.empty((nra, bs))
    us1 = np.empty(bs)
    us2 = np.empty(bs)
    eu1 = np.empty(bs)
    eu2 = np.empty(bs)
    # war_feedback state: surge and memory years left, capital still to be replaced
    surge_left = np.empty((nt, bs))
    memory_left = np.empty((ns, bs))
    outstanding = np.empty((nc, bs))
    lost = np.empty(bs)
    a_ip_b = np.empty(bs)  # adversary's delivered power in the Indo-Pacific (solved budget)
    c_oth_b = np.empty(bs)  # the coalition's there without the US
    us_prev = np.empty(bs)  # the US burden reached last year (the solved budget ramps)
    surging = np.empty(nt, dtype=np.bool_)
    solve = solve_ratio > 0
    keep_out = 1.0 - 1.0 / rebuild_years  # share of war losses not yet replaced (hoisted)
    inc_w = 1.0 / max(off_lag, 1.0)
    # pow(x, 1.0) is x (IEEE 754; libm pow is exact when the result is representable)
    w_p_one = w_p == 1.0
    for d0 in range(0, n, bs):
        nb = min(bs, n - d0)
        g = lo + d0  # first output row of the block
        # --- the block's parameters, transposed to draw-innermost
        for d in range(nb):
            dd = d0 + d
            decay_b[d] = decay[dd]
            for k in range(ny):
                align_b[k, d] = align[dd, k]
            for i in range(nc):
                ppp_b[i, d] = ppp[dd, i]
                growth_b[i, d] = growth[dd, i]
                s_eq_b[i, d] = s_eq[dd, i]
                scale_b[i, d] = scale[dd, i]
                kap[i, d] = k0[dd, i]
                for a in range(na):
                    prox_b[i, a, d] = prox[dd, i, a]
            for a in range(na):
                off_b[a, d] = offensive[dd, a]
            for t in range(nt):
                h0_b[t, d] = h0[dd, t]
                rh_b[t, d] = r_half[dd, t]
                k_b[t, d] = k_haz[dd, t]
            for s in range(ns):
                int_scale_b[s, d] = int_scale[dd, s]
            if react_on:
                for j in range(nra):
                    for col in range(8):
                        rc_b[j, col, d] = react_coef[dd, j, col]
        # --- initial state
        for i in range(nc):
            for d in range(nb):
                y[i, d] = gdp0[i]
                b[i, d] = b0[i]
                cred[i, d] = c_prior
                gas[i, d] = gas0[i]
        for t in range(nt):
            for d in range(nb):
                surv[t, d] = 1.0
                surge_left[t, d] = 0.0
        for s in range(ns):
            for d in range(nb):
                memory_left[s, d] = 0.0
        for i in range(nc):
            for d in range(nb):
                outstanding[i, d] = 0.0
        if react_on:  # t0 levels; the history before t0 flat (adversary_reaction's anchor)
            for d in range(nb):
                us1[d] = b0[us] * gdp0[us]
                eu1[d] = 0.0
            for i in range(nc):
                if is_eu_ally[i]:
                    for d in range(nb):
                        eu1[d] += b0[i] * gdp0[i]
            for j in range(nra):
                ci = react_c[j]
                for d in range(nb):
                    rm1[j, d] = b0[ci] * gdp0[ci]
                    ry1[j, d] = gdp0[ci]
        # projection_loss.delivery_factor: fixed per draw for every country but the US (whose
        # factor, fac_us, changes with its forward presence every year). Where a country's
        # share is 0, its delivered power 0·P·f is ±0 (or NaN) for every finite f ≥ 0, so
        # f = exp(q) with q ≤ 0 need not be computed: 1.0 gives the same result.
        for i in range(nc):
            if i == us:
                continue
            for t in range(nt):
                di = dist[i, t]
                if shares0[i, t] == 0.0:
                    for d in range(nb):
                        q = -di / decay_b[d]
                        fac[i, t, d] = 1.0 if q <= 0.0 else math.exp(q)
                else:
                    for d in range(nb):
                        fac[i, t, d] = delivery_factor(di, 0.0, decay_b[d])
        for d in range(nb):
            counter[d] = 0.0
            trig[d] = False
            w[d] = 0.0
            u0[d] = 0.0
        for k in range(ny):
            prog = progress[k]
            if mode == 1:
                block_noise(words, noise, nb, g0 + d0, k, nt, nr, nc, key0, key1)
            # --- exogenous_budgets.burden, power.military_power (M = b·Y, P = ppp·(K + ω·M)),
            # European allies' spending and GDP (in country order, as the reference sums them)
            for d in range(nb):
                eu_m[d] = 0.0
                eu_y[d] = 0.0
            if solve:  # last year's US burden, before the path replaces it
                for d in range(nb):
                    us_prev[d] = b[us, d]
            for i in range(nc):
                if k > 0 and is_exo[i] and react_pos[i] >= 0:
                    # --- adversary_reaction.budget_step: the budget answers NATO's
                    sf = spend_f[k, i]
                    j = react_pos[i]
                    for d in range(nb):
                        yi = y[i, d]
                        m_new = reaction_step(
                            rc_b[j, 0, d], rc_b[j, 1, d], rc_b[j, 2, d], rc_b[j, 3, d],
                            rc_b[j, 4, d], rc_b[j, 5, d], rc_b[j, 6, d], rc_b[j, 7, d],
                            rm1[j, d], us1[d], us2[d], eu1[d], eu2[d], yi, ry1[j, d],
                        )
                        rm1[j, d] = m_new
                        ry1[j, d] = yi
                        b[i, d] = m_new / yi * sf
                elif k > 0 and is_exo[i]:
                    sf = spend_f[k, i]
                    b0i = b0[i]  # loaded once: the loop over draws stores into b
                    pm = path_mult[k, i]
                    for d in range(nb):
                        b[i, d] = exogenous_burden(b0i, pm, scale_b[i, d]) * sf
                for d in range(nb):
                    p[i, d] = military_power(kap[i, d], b[i, d] * y[i, d], ppp_b[i, d], omega)
                if is_eu_ally[i]:
                    for d in range(nb):
                        eu_m[d] += b[i, d] * y[i, d]
                        eu_y[d] += y[i, d]
            for t in range(nt):  # allocation.us_shares (+ re-engagement)
                ui = us_init[t]
                fi = f_init[t]
                us_plan = planned(us_init[t], us_target[t], prog)
                f_plan = planned(f_init[t], f_target[t], prog)
                sv = us_share_set[k, t]
                if sv == sv:  # a dated lever (us_allocation shock) replaces the path
                    us_plan = sv
                fv = us_fwd_set[k, t]
                if fv == fv:
                    f_plan = fv
                if withdrawal[k, t]:  # a withdrawal: planned 0, re-engagement still wins
                    us_plan = 0.0
                    f_plan = 0.0
                for d in range(nb):
                    wd = w[d]
                    us_sh[t, d] = blend(us_plan, ui, wd)
                    f_us[t, d] = blend(f_plan, fi, wd)
                du = dist[us, t]  # projection_loss.delivery_factor of the US
                for d in range(nb):
                    fac_us[t, d] = delivery_factor(du, f_us[t, d], decay_b[d])
                for d in range(nb):
                    coal[t, d] = 0.0
                    adv[t, d] = 0.0
            # --- war_feedback.surge: the US moves part of its other shares to a theatre at war
            for d in range(nb):
                nw = 0
                for t in range(nt):
                    sg = surge_left[t, d] > 0 and us_member[t] and not withdrawal[k, t]
                    surging[t] = sg
                    if sg:
                        nw += 1
                if nw > 0:
                    pool = 0.0
                    for t in range(nt):
                        if not surging[t]:
                            pool += us_surge * us_sh[t, d]
                    each = pool / nw
                    for t in range(nt):
                        if surging[t]:
                            us_sh[t, d] = us_sh[t, d] + each
                        else:
                            us_sh[t, d] = us_sh[t, d] * (1.0 - us_surge)
            # --- exogenous_budgets.solved_us_burden: the US burden meeting R[indo_pacific]
            if solve and k > 0:
                sp = supporter[INDO_PACIFIC]
                for d in range(nb):
                    a_ip_b[d] = 0.0
                    c_oth_b[d] = 0.0
                for i in range(nc):  # in country order, a loop over draws per country
                    if i == us:
                        continue
                    sh = shares0[i, INDO_PACIFIC]
                    am = adv_m[i, INDO_PACIFIC]
                    cm = coal_m[i, INDO_PACIFIC]
                    for d in range(nb):
                        dl = sh * p[i, d] * fac[i, INDO_PACIFIC, d]
                        a_ip_b[d] += dl * am
                        c_oth_b[d] += dl * cm
                for d in range(nb):
                    a_ip = a_ip_b[d]
                    c_oth = c_oth_b[d]
                    if sp >= 0:
                        a_ip = a_ip + align_b[k, d] * support * p[sp, d]
                    per_unit = us_sh[INDO_PACIFIC, d] * fac_us[INDO_PACIFIC, d] * ppp_b[us, d]
                    if per_unit > 0:
                        need = required_burden(
                            solve_ratio, a_ip, c_oth, per_unit, kap[us, d], omega, y[us, d]
                        )
                        bu = ramped_burden(
                            b[us, d], us_ceiling, us_prev[d] + us_rise[d0 + d], need
                        )
                        b[us, d] = bu
                        p[us, d] = military_power(kap[us, d], bu * y[us, d], ppp_b[us, d], omega)
            if react_on:  # NATO's spending of this year becomes next year's lag
                for d in range(nb):
                    us2[d] = us1[d]
                    us1[d] = b[us, d] * y[us, d]
                    eu2[d] = eu1[d]
                    eu1[d] = eu_m[d]
            for d in range(nb):
                nato_eu[d] = 0.0
            # --- projection_loss.delivered_power + theatre_balance.side_power
            for i in range(nc):
                for t in range(nt):
                    cm = coal_m[i, t]
                    am = adv_m[i, t]
                    if i == us:
                        for d in range(nb):
                            dl = us_sh[t, d] * p[i, d] * fac_us[t, d]
                            deliv_us[t, d] = dl
                            coal[t, d] += dl * cm
                            adv[t, d] += dl * am
                    else:
                        sh = shares0[i, t]
                        for d in range(nb):
                            dl = sh * p[i, d] * fac[i, t, d]
                            coal[t, d] += dl * cm
                            adv[t, d] += dl * am
                    if t == EUROPE and is_nato[i]:  # NATO's power delivered to Europe
                        if i == us:
                            for d in range(nb):
                                nato_eu[d] += deliv_us[EUROPE, d]
                        else:
                            sh = shares0[i, EUROPE]
                            for d in range(nb):
                                nato_eu[d] += sh * p[i, d] * fac[i, EUROPE, d]
                    if kp5:
                        if i == us:
                            for d in range(nb):
                                deliv[i, t, d] = deliv_us[t, d]
                        else:
                            sh = shares0[i, t]
                            for d in range(nb):
                                deliv[i, t, d] = sh * p[i, d] * fac[i, t, d]
            for d in range(nb):
                al[d] = align_b[k, d]
            for t in range(nt):
                sp = supporter[t]
                if sp >= 0:
                    for d in range(nb):
                        adv[t, d] += al[d] * support * p[sp, d]
                for d in range(nb):
                    ratio[t, d] = coal[t, d] / adv[t, d] if adv[t, d] > 0 else np.inf
            for s in range(ns):
                ov = int_override[k, s]
                if ov == ov:  # not NaN: a shock sets the value
                    for d in range(nb):
                        intent[s, d] = ov
                else:
                    bi = base_int[k, s]
                    for d in range(nb):
                        v = bi * (int_scale_b[s, d] if k > 0 else 1.0)
                        intent[s, d] = min(1.0, max(0.0, v))
                for d in range(nb):  # war_feedback.intentions_floor: an attack is remembered
                    if memory_left[s, d] > 0:
                        intent[s, d] = max(intent[s, d], int_after)
            for t in range(nt):  # deterrence_hazard
                pr = principal[t]
                for d in range(nb):
                    # h0·I·A^k/(A^k + (C/R*)^k) = h0·I/(1 + (C/(R*·A))^k), one power, not two
                    if adv[t, d] > 0:
                        h = hazard_draw(
                            coal[t, d], adv[t, d], h0_b[t, d], intent[pr, d], rh_b[t, d], k_b[t, d]
                        )
                    else:
                        h = 0.0
                    haz[t, d] = h
                    surv[t, d] = survive(surv[t, d], h)
                    ph[t, d] = hold(max(ratio[t, d], MIN_RATIO), hold_half, hold_k)
                ws = war_shock[k, t]
                if mc:
                    for d in range(nb):
                        wr = (noise[t, d] < haz[t, d]) or ws
                        war[t, d] = wr
                        holds[t, d] = (not wr) or (noise[nt + t, d] < ph[t, d])
                else:
                    for d in range(nb):
                        war[t, d] = ws
                        holds[t, d] = (not ws) or (ph[t, d] >= 0.5)
            for a in range(na):  # threat_perception: power x offensive x intentions
                ti = threat_idx[a]
                sl = threat_slots[a]
                if w_p_one:
                    for d in range(nb):
                        pw[a, d] = severity(max(p[ti, d], 0.0) / p_ref, off_b[a, d], intent[sl, d])
                else:
                    for d in range(nb):
                        pt = power_term(max(p[ti, d], 0.0), p_ref, w_p)
                        pw[a, d] = severity(pt, off_b[a, d], intent[sl, d])
            # offshore_trigger: the US share of NATO's power in Europe, as perceived
            for d in range(nb):
                ne = nato_eu[d]
                ua = deliv_us[EUROPE, d] / ne if ne > 0 else 0.0
                u_act[d] = ua
                if k == 0:
                    u0[d] = ua
                u_perc[d] = believed(effective(resolve, w[d]), ua, u0[d])
            # --- record year k (rows g .. g + nb - 1); threat is recorded below
            if kp0:
                record_c(o_gdp, g, k, y, nb, nc)
            if kp1:
                record_c(o_burden, g, k, b, nb, nc)
            if kp2:
                for d in range(nb):
                    for i in range(nc):
                        o_spend[g + d, k, i] = b[i, d] * y[i, d]
            if kp3:
                record_c(o_cap, g, k, kap, nb, nc)
            if kp4:
                record_c(o_pow, g, k, p, nb, nc)
            if kp5:
                for d in range(nb):
                    for i in range(nc):
                        for t in range(nt):
                            o_deliv[g + d, k, i, t] = deliv[i, t, d]
            if kp16:
                for d in range(nb):
                    for i in range(nc):
                        o_cred[g + d, k, i] = np.nan if nonally[i] else cred[i, d]
            if kp22:
                record_c(o_energy, g, k, gas, nb, nc)
            if kp6:
                record_t(o_coal, g, k, coal, nb, nt)
            if kp7:
                record_t(o_adv, g, k, adv, nb, nt)
            if kp8:
                record_t(o_bal, g, k, ratio, nb, nt)
            if kp9:
                record_t(o_haz, g, k, haz, nb, nt)
            if kp10:
                for d in range(nb):
                    for t in range(nt):
                        o_cum[g + d, k, t] = 1.0 - surv[t, d]
            if kp11:
                record_t(o_war, g, k, war, nb, nt)
            if kp12:
                record_t(o_phold, g, k, ph, nb, nt)
            if kp13:
                record_t(o_holds, g, k, holds, nb, nt)
            if kp17:
                record_t(o_usal, g, k, us_sh, nb, nt)
            if kp18:
                record_t(o_usf, g, k, f_us, nb, nt)
            if kp15:
                for d in range(nb):
                    for a in range(na):
                        o_int[g + d, k, a] = intent[threat_slots[a], d]
            for d in range(nb):
                if kp19:
                    o_u[g + d, k] = u_act[d]
                if kp20:
                    o_eub[g + d, k] = eu_m[d] / eu_y[d]
                if kp21:
                    o_reeng[g + d, k] = trig[d]
                if kp23:
                    o_align[g + d, k] = al[d]
            last = k == ny - 1
            if not last:
                for d in range(nb):
                    # --- offshore_trigger.step
                    c = counter[d] + 1.0 if ratio[EUROPE, d] < off_thr else 0.0
                    counter[d] = c
                    wd = w[d]
                    td = trig[d]
                    if off_on:
                        if td:
                            wd = min(1.0, wd + inc_w)
                        td = td or c >= off_years
                    w[d] = wd
                    trig[d] = td
                    # --- credibility.target
                    g_eff = effective(guarantee, wd)
                    c_star[d] = believed(effective(resolve, wd), g_eff, c_prior)
            pl0 = pledge[0]
            pl = pledge[k + 1] if not last else 0.0
            ef = energy_f[k + 1] if not last else 0.0
            for i in range(nc):
                # --- threat_perception.perceived_threat: power x offensive x intentions x
                # proximity, and its total over adversaries (summed in adversary order)
                for d in range(nb):
                    t_tot[d] = 0.0
                for a in range(na):
                    for d in range(nb):
                        v = pw[a, d] * prox_b[i, a, d]
                        thr_i[a, d] = v
                        t_tot[d] += v
                if kp14:
                    for d in range(nb):
                        for a in range(na):
                            o_threat[g + d, k, i, a] = thr_i[a, d]
                if last:
                    continue
                # --- credibility.update
                for d in range(nb):
                    cred[i, d] = credibility_update(prm, np.uint64(d0 + d), cred[i, d], c_star[d])
                # --- war_feedback.side_losses and outstanding_losses (theatres added in order;
                # a loop per theatre over the draws, so that it is a SIMD loop)
                for d in range(nb):
                    lost[d] = 0.0
                for t in range(nt):
                    in_coal = coal_m[i, t] > 0
                    in_adv = adv_m[i, t] > 0
                    sh0 = shares0[i, t]
                    for d in range(nb):
                        if in_coal:
                            rt = loss_win if holds[t, d] else loss_lose
                        elif in_adv:
                            rt = loss_lose if holds[t, d] else loss_win
                        else:
                            rt = 0.0
                        sh = us_sh[t, d] if i == us else sh0
                        ld = lost[d]
                        lost[d] = ld + rt * sh if war[t, d] else ld
                for d in range(nb):
                    lo_d = min(lost[d], 1.0)
                    lost[d] = lo_d
                    outstanding[i, d] = carried_losses(outstanding[i, d], keep_out, lo_d, kap[i, d])
                # --- burden_response (European allies and Canada)
                if is_resp[i]:
                    swi = size_w[i]
                    b0i = b0[i]
                    sf = spend_f[k + 1, i]
                    row = 2 * nt + resp_pos[i]
                    if k == 0:
                        for d in range(nb):
                            anchor[i, d] = anchor_draw(
                                prm, np.uint64(d0 + d), b0i, t_tot[d], swi, c_prior, u0[d], pl0
                            )
                    zero_den = 0
                    for d in range(nb):
                        bi = b[i, d]
                        free = free_riding(swi, cred[i, d], u_perc[d])
                        # war_feedback.replacement_burden: rebuild what a war destroyed (a zero
                        # denominator is counted and raised after the loop, as Python would:
                        # no branch out of the loop, so that it stays a SIMD loop)
                        den = s_eq_b[i, d] * rebuild_years * y[i, d]
                        zero_den += den == 0.0
                        rep_b = outstanding[i, d] / (den if den != 0.0 else 1.0)
                        ix = np.uint64(d0 + d)  # unsigned: no negative-index wraparound
                        target = (
                            target_draw(prm, ix, anchor[i, d], t_tot[d], free, pl) + rep_b
                        ) * sf
                        nbd = adjust_draw(prm, ix, bi, target, sig_b, noise[row, d])
                        # capital_stock.accumulate uses this year's spending M = b·Y, after
                        # this year's war losses
                        kap[i, d] = accumulate(
                            kap[i, d] * (1.0 - lost[d]), bi * y[i, d], delta[ix], s_eq_b[i, d]
                        )
                        b[i, d] = min(ceiling, max(floor, nbd))
                    if zero_den:
                        raise ZeroDivisionError("war_feedback.replacement_burden: s·R·Y is 0")
                else:
                    for d in range(nb):
                        kap[i, d] = accumulate(
                            kap[i, d] * (1.0 - lost[d]), b[i, d] * y[i, d],
                            delta[np.uint64(d0 + d)], s_eq_b[i, d],
                        )
                # --- energy_dependence, economy
                gf = gdp_f[k + 1, i]
                row = 2 * nt + nr + i
                for d in range(nb):
                    rate = energy_decline(cred[i, d], thr_i[ea, d], e_r0, e_rc, e_rt)
                    gm = energy_update(gas[i, d], min(1.0, max(0.0, rate)))
                    gas[i, d] = gm * ef
                    # war_feedback.energy_gdp_factor: a gas cut-off costs GDP
                    cut = cut_share(gm, ef)
                    gfac = gdp_factor(cut, e_gdp) if math.isfinite(cut) else 1.0
                    gr = max(growth_rate(growth_b[i, d], growth_sd, noise[row, d]), MIN_GROWTH)
                    y[i, d] = y[i, d] * (1.0 + gr) * gf * gfac
            if not last:
                # --- this year's wars: a US surge and remembered intent in the years after
                for t in range(nt):
                    for d in range(nb):
                        sl = max(surge_left[t, d] - 1.0, 0.0)
                        surge_left[t, d] = surge_years if war[t, d] else sl
                for s in range(ns):
                    for d in range(nb):
                        memory_left[s, d] = max(memory_left[s, d] - 1.0, 0.0)
                for t in range(nt):
                    pr = principal[t]
                    for d in range(nb):
                        if war[t, d]:
                            memory_left[pr, d] = memory_years


# The two entry points share :func:`kernel_body` (inlined into each, so the compiler
# specialises it): ``run_kernel`` for any number of draws in blocks of ``block``;
# ``run_kernel_one`` for a single draw (the deterministic central case), where block and draw
# count are the constant 1, so every loop over a block's draws is a single scalar iteration
# (no SIMD set-up; the central path stays as fast as a draw-by-draw loop).
@numba.njit(cache=True, nogil=True)
def run_kernel(n, lo, mode, g0, key0, key1, block, inp, keep, outs):
    """Run draws ``g0 .. g0 + n - 1`` into output rows ``lo .. lo + n - 1``."""
    kernel_body(block, n, lo, mode, g0, key0, key1, inp, keep, outs)


@numba.njit(cache=True, nogil=True)
def run_kernel_one(n, lo, mode, g0, key0, key1, block, inp, keep, outs):
    """:func:`run_kernel` for ``n == 1`` (``block`` is ignored)."""
    kernel_body(1, 1, lo, mode, g0, key0, key1, inp, keep, outs)


# numba's on-disk cache of a function is keyed by its own source file only, but the kernel
# inlines the mechanisms' equations from their modules: when one of those modules changes, the
# cached kernel would silently keep the old equation. So the cache of the kernel body and of
# its entry points is dropped whenever the sources they inline differ from those it was
# compiled with.
_INLINED = (
    adversary_reaction,
    allocation,
    burden_response,
    capital_stock,
    credibility,
    deterrence_hazard,
    economy,
    energy_dependence,
    exogenous_budgets,
    power,
    projection_loss,
    threat_perception,
    war_feedback,
)


def sources_digest(modules: tuple[object, ...]) -> str:
    """sha256 of the modules' source files (what the cached kernel was compiled from)."""
    import hashlib
    from pathlib import Path

    h = hashlib.sha256()
    for m in modules:
        h.update(Path(str(getattr(m, "__file__", ""))).read_bytes())
    return h.hexdigest()


def drop_stale_cache(entries: dict[str, object], digest: str) -> list[str]:
    """Flush the on-disk cache of each entry point whose stamp (``<name>.sources.sha256``
    beside numba's cache files) differs from ``digest``; return the names flushed."""
    from pathlib import Path

    flushed = []
    for name, entry in entries.items():
        cache = getattr(entry, "_cache", None)
        path = getattr(cache, "_cache_path", None)
        if cache is None or path is None:
            continue
        stamp = Path(path) / f"_kernel.{name}.sources.sha256"
        try:
            if stamp.read_text() == digest:
                continue
        except OSError:
            pass
        cache.flush()
        flushed.append(name)
        try:
            stamp.write_text(digest)
        except OSError:  # a read-only install: numba then caches elsewhere or not at all
            pass
    return flushed


drop_stale_cache(
    {"kernel_body": kernel_body, "run_kernel": run_kernel, "run_kernel_one": run_kernel_one},
    sources_digest((*_INLINED, sys.modules[__name__.rsplit(".", 1)[0] + ".inputs"])),
)
