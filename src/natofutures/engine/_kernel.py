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

SQRT2 = math.sqrt(2.0)

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


@numba.njit(cache=True, nogil=True)
def run_kernel(  # noqa: C901 - one fused loop, by design
    n,
    lo,
    mc,
    z,
    off_gdp,
    off_burden,
    off_war,
    off_hold,
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
    ny = progress.shape[0]
    nc = gdp0.shape[0]
    nt = dist.shape[1]
    na = threat_idx.shape[0]
    ns = base_int.shape[1]
    for d in range(n):
        g = lo + d
        y = gdp0.copy()
        b = b0.copy()
        kap = k0[d].copy()
        cred = np.full(nc, c_prior)
        gas = gas0.copy()
        m = np.empty(nc)
        p = np.empty(nc)
        deliv = np.empty((nc, nt))
        coal = np.empty(nt)
        adv = np.empty(nt)
        ratio = np.empty(nt)
        haz = np.empty(nt)
        surv = np.ones(nt)
        intent = np.empty(ns)
        us_sh = np.empty(nt)
        f_us = np.empty(nt)
        thr = np.empty((nc, na))
        t_tot = np.empty(nc)
        anchor = np.zeros(nc)
        pw = np.empty(na)
        # projection_loss.delivery_factor: fixed per draw for every country but the US
        fac = np.empty((nc, nt))
        for i in range(nc):
            for t in range(nt):
                fac[i, t] = math.exp(-dist[i, t] / decay[d])
        counter = 0.0
        trig = False
        w = 0.0
        u0 = 0.0
        for k in range(ny):
            prog = progress[k]
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
                    u_w = 0.5 * math.erfc(-float(z[d, off_war + k * nt + t]) / SQRT2)
                    war = (u_w < haz[t]) or war_shock[k, t]
                    u_h = 0.5 * math.erfc(-float(z[d, off_hold + k * nt + t]) / SQRT2)
                    holds = (not war) or (u_h < ph)
                else:
                    war = war_shock[k, t]
                    holds = (not war) or (ph >= 0.5)
                if keep[9]:
                    o_haz[g, k, t] = haz[t]
                if keep[10]:
                    o_cum[g, k, t] = 1.0 - surv[t]
                if keep[11]:
                    o_war[g, k, t] = war
                if keep[12]:
                    o_phold[g, k, t] = ph
                if keep[13]:
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
                if keep[0]:
                    o_gdp[g, k, i] = y[i]
                if keep[1]:
                    o_burden[g, k, i] = b[i]
                if keep[2]:
                    o_spend[g, k, i] = m[i]
                if keep[3]:
                    o_cap[g, k, i] = kap[i]
                if keep[4]:
                    o_pow[g, k, i] = p[i]
                if keep[5]:
                    for t in range(nt):
                        o_deliv[g, k, i, t] = deliv[i, t]
                if keep[14]:
                    for a in range(na):
                        o_threat[g, k, i, a] = thr[i, a]
                if keep[16]:
                    o_cred[g, k, i] = np.nan if nonally[i] else cred[i]
                if keep[22]:
                    o_energy[g, k, i] = gas[i]
            for t in range(nt):
                if keep[6]:
                    o_coal[g, k, t] = coal[t]
                if keep[7]:
                    o_adv[g, k, t] = adv[t]
                if keep[8]:
                    o_bal[g, k, t] = ratio[t]
                if keep[17]:
                    o_usal[g, k, t] = us_sh[t]
                if keep[18]:
                    o_usf[g, k, t] = f_us[t]
            if keep[15]:
                for a in range(na):
                    o_int[g, k, a] = intent[threat_slots[a]]
            if keep[19]:
                o_u[g, k] = u_act
            if keep[20]:
                o_eub[g, k] = eu_m / eu_y
            if keep[21]:
                o_reeng[g, k] = trig
            if keep[23]:
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
                    eps = float(z[d, off_burden + k * nc + i]) if mc else 0.0
                    nb = b[i] + lam[d] * (target - b[i]) + sig_b * eps
                    b[i] = min(ceiling, max(floor, nb))
            # --- energy_dependence, capital_stock, economy
            for i in range(nc):
                rate = min(1.0, max(0.0, e_r0 + e_rc * (1.0 - cred[i]) + e_rt * thr[i, 0]))
                gas[i] = gas[i] * (1.0 - rate) * energy_f[k + 1]
                kap[i] = (1.0 - delta[d]) * kap[i] + s_eq[d, i] * m[i]
                eps = float(z[d, off_gdp + k * nc + i]) if mc else 0.0
                y[i] = y[i] * (1.0 + max(growth[d, i] + growth_sd * eps, -0.95)) * gdp_f[k + 1, i]
