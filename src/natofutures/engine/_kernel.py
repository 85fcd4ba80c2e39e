"""The compiled year loop (numba): the same equations as the mechanism modules, fused.

:func:`natofutures.engine.simulate.simulate` prepares every parameter as an array (per draw
where uncertain) and calls :func:`run_kernel`, which loops over draws, years
and countries with scalar arithmetic - no temporaries, so it runs at tens of millions of
country-year-draw steps per second. Each line mirrors a mechanism module (named in the
comments); ``tests/engine/test_engine_kernel.py`` checks that this kernel and the plain-numpy
reference loop (``backend="numpy"``) give the same results.

The kernel releases the GIL (``nogil``): simulate() runs memory chunks of draws in threads;
draws are independent and write disjoint slices, so results do not depend on threading.
"""

from __future__ import annotations

import math

import numba
import numpy as np

# output slots (order of the ``outs`` tuple and of ``keep``)
OUT_NAMES: tuple[str, ...] = (
    "gdp",
    "burden",
    "spending",
    "capital",
    "power",
    "delivered",
    "coalition_power",
    "adversary_power",
    "balance",
    "hazard",
    "cumulative_risk",
    "war_started",
    "hold_probability",
    "coalition_holds",
    "threat",
    "intentions",
    "credibility",
    "us_allocation",
    "us_forward_presence",
    "us_share_europe",
    "europe_burden",
    "reengaged",
    "energy_dependence",
    "alignment",
)

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
def philox4x32(c0, c1, c2, c3, k0, k1):
    """Philox4x32-10 of counter (c0..c3) under key (k0, k1); all uint64 holding 32-bit words."""
    for _ in range(10):
        p0 = PHILOX_M0 * c0
        p1 = PHILOX_M1 * c2
        n0 = ((p1 >> SHIFT32) ^ c1 ^ k0) & MASK32
        n2 = ((p0 >> SHIFT32) ^ c3 ^ k1) & MASK32
        c0, c1, c2, c3 = n0, p1 & MASK32, n2, p0 & MASK32
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


@numba.njit(cache=True, nogil=True)
def run_kernel(  # noqa: C901 - one fused loop, by design
    n,
    lo,
    mode,
    g0,
    key0,
    key1,
    resp_pos,
    gdp0,
    b0,
    k0,
    gas0,
    growth,
    growth_sd,
    s_eq,
    delta,
    ppp,
    omega,
    shares0,
    dist,
    decay,
    coal_m,
    adv_m,
    us,
    is_resp,
    is_eu_ally,
    is_nato,
    nonally,
    size_w,
    us_init,
    us_target,
    f_init,
    f_target,
    progress,
    withdrawal,
    supporter,
    support,
    align,
    base_int,
    int_scale,
    int_override,
    principal,
    threat_idx,
    threat_slots,
    h0,
    r_half,
    steep,
    hold_half,
    hold_k,
    war_shock,
    prox,
    offensive,
    p_ref,
    w_p,
    beta_t,
    beta_f,
    lam,
    rho,
    sig_b,
    floor,
    ceiling,
    pledge,
    c_prior,
    mu,
    guarantee,
    resolve,
    off_on,
    off_thr,
    off_years,
    off_lag,
    e_r0,
    e_rc,
    e_rt,
    energy_f,
    is_exo,
    path_mult,
    scale,
    spend_f,
    gdp_f,
    keep,
    outs,
):
    (
        o_gdp,
        o_burden,
        o_spend,
        o_cap,
        o_pow,
        o_deliv,
        o_coal,
        o_adv,
        o_bal,
        o_haz,
        o_cum,
        o_war,
        o_phold,
        o_holds,
        o_threat,
        o_int,
        o_cred,
        o_usal,
        o_usf,
        o_u,
        o_eub,
        o_reeng,
        o_energy,
        o_align,
    ) = outs
    # the output switches as locals (loaded once, not in every inner iteration)
    kp0 = keep[0]
    kp1 = keep[1]
    kp2 = keep[2]
    kp3 = keep[3]
    kp4 = keep[4]
    kp5 = keep[5]
    kp6 = keep[6]
    kp7 = keep[7]
    kp8 = keep[8]
    kp9 = keep[9]
    kp10 = keep[10]
    kp11 = keep[11]
    kp12 = keep[12]
    kp13 = keep[13]
    kp14 = keep[14]
    kp15 = keep[15]
    kp16 = keep[16]
    kp17 = keep[17]
    kp18 = keep[18]
    kp19 = keep[19]
    kp20 = keep[20]
    kp21 = keep[21]
    kp22 = keep[22]
    kp23 = keep[23]
    ny = progress.shape[0]
    nc = gdp0.shape[0]
    nt = dist.shape[1]
    na = threat_idx.shape[0]
    ns = base_int.shape[1]
    # mode 0: central case (no noise, no sampled wars); 1: Monte Carlo, random numbers drawn
    # here from the counter-based streams of (seed, draw); 2: Monte Carlo semantics with all
    # noise at its central value (uniforms 0.5, normals 0) - used by experiments().
    mc = mode != 0
    nr = 0
    for i in range(nc):
        if resp_pos[i] >= 0:
            nr += 1
    width = 2 * nt + nr + nc
    buf = np.empty(width + 4, dtype=np.uint64)
    noise = np.empty(width)
    if mode != 1:
        for j in range(2 * nt):
            noise[j] = 0.5
        for j in range(2 * nt, width):
            noise[j] = 0.0
    y = np.empty(nc)
    b = np.empty(nc)
    kap = np.empty(nc)
    cred = np.empty(nc)
    gas = np.empty(nc)
    m = np.empty(nc)
    p = np.empty(nc)
    deliv = np.empty((nc, nt))
    coal = np.empty(nt)
    adv = np.empty(nt)
    ratio = np.empty(nt)
    haz = np.empty(nt)
    surv = np.empty(nt)
    intent = np.empty(ns)
    us_sh = np.empty(nt)
    f_us = np.empty(nt)
    thr = np.empty((nc, na))
    t_tot = np.empty(nc)
    anchor = np.zeros(nc)
    pw = np.empty(na)
    fac = np.empty((nc, nt))
    for d in range(n):
        g = lo + d
        for i in range(nc):
            y[i] = gdp0[i]
            b[i] = b0[i]
            kap[i] = k0[d, i]
            cred[i] = c_prior
            gas[i] = gas0[i]
        for t in range(nt):
            surv[t] = 1.0
        # projection_loss.delivery_factor: fixed per draw for every country but the US
        for i in range(nc):
            for t in range(nt):
                fac[i, t] = math.exp(-dist[i, t] / decay[d])
        counter = 0.0
        trig = False
        w = 0.0
        u0 = 0.0
        for k in range(ny):
            prog = progress[k]
            if mode == 1:
                year_noise(buf, noise, g0 + d, k, nt, nr, nc, key0, key1)
            if k > 0:  # exogenous_budgets.burden
                for i in range(nc):
                    if is_exo[i]:
                        b[i] = b0[i] * path_mult[k, i] * scale[d, i] * spend_f[k, i]
            for i in range(nc):  # power.military_power
                m[i] = b[i] * y[i]
                p[i] = ppp[d, i] * (kap[i] + omega * m[i])
            for t in range(nt):  # allocation.us_shares (+ re-engagement)
                us_sh[t] = (1 - w) * (
                    us_init[t] + prog * (us_target[t] - us_init[t])
                ) + w * us_init[t]
                f_us[t] = (1 - w) * (f_init[t] + prog * (f_target[t] - f_init[t])) + w * f_init[t]
                if withdrawal[k, t]:
                    us_sh[t] = 0.0
                    f_us[t] = 0.0
                coal[t] = 0.0
                adv[t] = 0.0
            for t in range(nt):
                fac[us, t] = math.exp(-(1.0 - f_us[t]) * dist[us, t] / decay[d])
            for i in range(nc):  # projection_loss + theatre_balance.side_power
                for t in range(nt):
                    sh = us_sh[t] if i == us else shares0[i, t]
                    dl = sh * p[i] * fac[i, t]
                    deliv[i, t] = dl
                    coal[t] += dl * coal_m[i, t]
                    adv[t] += dl * adv_m[i, t]
            al = align[d, k]
            for t in range(nt):
                if supporter[t] >= 0:
                    adv[t] += al * support * p[supporter[t]]
                ratio[t] = coal[t] / adv[t] if adv[t] > 0 else np.inf
            for s in range(ns):
                ov = int_override[k, s]
                if ov == ov:  # not NaN: a shock sets the value
                    intent[s] = ov
                else:
                    v = base_int[k, s] * (int_scale[d, s] if k > 0 else 1.0)
                    intent[s] = min(1.0, max(0.0, v))
            for t in range(nt):  # deterrence_hazard
                # h0·I·A^k/(A^k + (C/R*)^k) = h0·I/(1 + (C/(R*·A))^k), one power instead of two
                if adv[t] > 0:
                    x = coal[t] / (r_half * adv[t])
                    haz[t] = h0[d, t] * intent[principal[t]] / (1.0 + x ** steep[d])
                else:
                    haz[t] = 0.0
                surv[t] = surv[t] * (1.0 - haz[t])
                r = max(ratio[t], 1e-12)
                ph = 1.0 / (1.0 + (hold_half / r) ** hold_k)
                if mc:
                    war = (noise[t] < haz[t]) or war_shock[k, t]
                    holds = (not war) or (noise[nt + t] < ph)
                else:
                    war = war_shock[k, t]
                    holds = (not war) or (ph >= 0.5)
                if kp9:
                    o_haz[g, k, t] = haz[t]
                if kp10:
                    o_cum[g, k, t] = 1.0 - surv[t]
                if kp11:
                    o_war[g, k, t] = war
                if kp12:
                    o_phold[g, k, t] = ph
                if kp13:
                    o_holds[g, k, t] = holds
            for a in range(na):  # threat_perception: power x offensive x intentions
                pw[a] = (
                    (max(p[threat_idx[a]], 0.0) / p_ref) ** w_p
                    * offensive[d, a]
                    * intent[threat_slots[a]]
                )
            for i in range(nc):  # ... x proximity
                tot = 0.0
                for a in range(na):
                    v = pw[a] * prox[d, i, a]
                    thr[i, a] = v
                    tot += v
                t_tot[i] = tot
            nato_eu = 0.0
            for i in range(nc):
                if is_nato[i]:
                    nato_eu += deliv[i, 0]
            u_act = deliv[us, 0] / nato_eu if nato_eu > 0 else 0.0
            if k == 0:
                u0 = u_act
            r_eff = resolve + w * (1 - resolve)
            u_perc = r_eff * u_act + (1 - r_eff) * u0
            # --- record
            eu_m = 0.0
            eu_y = 0.0
            for i in range(nc):
                if is_eu_ally[i]:
                    eu_m += m[i]
                    eu_y += y[i]
                if kp0:
                    o_gdp[g, k, i] = y[i]
                if kp1:
                    o_burden[g, k, i] = b[i]
                if kp2:
                    o_spend[g, k, i] = m[i]
                if kp3:
                    o_cap[g, k, i] = kap[i]
                if kp4:
                    o_pow[g, k, i] = p[i]
                if kp5:
                    for t in range(nt):
                        o_deliv[g, k, i, t] = deliv[i, t]
                if kp14:
                    for a in range(na):
                        o_threat[g, k, i, a] = thr[i, a]
                if kp16:
                    o_cred[g, k, i] = np.nan if nonally[i] else cred[i]
                if kp22:
                    o_energy[g, k, i] = gas[i]
            for t in range(nt):
                if kp6:
                    o_coal[g, k, t] = coal[t]
                if kp7:
                    o_adv[g, k, t] = adv[t]
                if kp8:
                    o_bal[g, k, t] = ratio[t]
                if kp17:
                    o_usal[g, k, t] = us_sh[t]
                if kp18:
                    o_usf[g, k, t] = f_us[t]
            if kp15:
                for a in range(na):
                    o_int[g, k, a] = intent[threat_slots[a]]
            if kp19:
                o_u[g, k] = u_act
            if kp20:
                o_eub[g, k] = eu_m / eu_y
            if kp21:
                o_reeng[g, k] = trig
            if kp23:
                o_align[g, k] = al
            if k == ny - 1:
                break
            # --- offshore_trigger.step
            counter = counter + 1.0 if ratio[0] < off_thr else 0.0
            if off_on:
                if trig:
                    w = min(1.0, w + 1.0 / max(off_lag, 1.0))
                trig = trig or counter >= off_years
            # --- credibility.target / update
            g_eff = guarantee + w * (1 - guarantee)
            r_eff = resolve + w * (1 - resolve)
            c_star = r_eff * g_eff + (1.0 - r_eff) * c_prior
            for i in range(nc):
                cred[i] = cred[i] + mu[d] * (c_star - cred[i])
            # --- burden_response (European allies and Canada)
            for i in range(nc):
                if is_resp[i]:
                    if k == 0:
                        anchor[i] = (
                            b0[i]
                            - beta_t[d] * t_tot[i]
                            + beta_f[d] * size_w[i] * c_prior * u0
                            - rho[d] * pledge[0]
                        )
                    free = size_w[i] * cred[i] * u_perc
                    target = (
                        anchor[i] + beta_t[d] * t_tot[i] - beta_f[d] * free + rho[d] * pledge[k + 1]
                    ) * spend_f[k + 1, i]
                    eps = noise[2 * nt + resp_pos[i]]
                    nb = b[i] + lam[d] * (target - b[i]) + sig_b * eps
                    b[i] = min(ceiling, max(floor, nb))
            # --- energy_dependence, capital_stock, economy
            for i in range(nc):
                rate = min(1.0, max(0.0, e_r0 + e_rc * (1.0 - cred[i]) + e_rt * thr[i, 0]))
                gas[i] = gas[i] * (1.0 - rate) * energy_f[k + 1]
                kap[i] = (1.0 - delta[d]) * kap[i] + s_eq[d, i] * m[i]
                eps = noise[2 * nt + nr + i]
                y[i] = y[i] * (1.0 + max(growth[d, i] + growth_sd * eps, -0.95)) * gdp_f[k + 1, i]
