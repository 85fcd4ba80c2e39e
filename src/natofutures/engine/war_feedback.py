"""What a war leaves behind: losses, a US surge, hostile intent (docs/methodology.md §14).

A war that starts in theatre θ in year t (sampled from the hazard in Monte Carlo, or forced by
a ``war`` shock) changes the years after it through three channels, each a judgement with a
documented range (``war.*`` in ``parameters/defaults.yaml``):

- **attrition**: every country fighting in θ loses a fraction of the capital it had committed
  there (its allocation share ``a[i,θ]``): ``war.loss_loser`` for the side that lost (the
  coalition if it did not hold, else the adversary), ``war.loss_winner`` for the other side;
  ``K[i,t+1] = (1−δ)·K[i,t]·(1 − L_i) + s_i·M[i,t]``;
- **replacement**: European allies and Canada (whose burden responds) budget to rebuild what
  they lost over ``war.rebuild_years``: the outstanding loss ``L`` (billion constant-2015
  US$) adds ``L / (s_i·R·Y_i)`` to the target burden (the spending whose equipment share
  replaces ``L/R`` a year; perpetual inventory, docs/methodology.md §2), and ``L`` shrinks
  by ``1/R`` a year;
- **US surge**: for ``war.surge_years`` years the US moves a fraction ``war.us_surge`` of the
  shares it keeps in theatres *not* at war into the theatre(s) at war (equal parts), where it
  fights in the coalition and has not withdrawn - the power "left for the other theatre"
  falls accordingly;
- **demonstrated intent** (balance of threat: an attack reveals aggressive intentions): the
  theatre's principal adversary's intentions are at least ``war.intentions_after`` for
  ``war.memory_years`` years, which raises allies' threat perception and, through the burden
  response, their spending.

Energy coercion has its own channel (:func:`energy_gdp_factor`): gas imports from Russia cut
by a shock cost GDP in proportion to the import share lost (``energy.gdp_loss_per_share``).

The compiled kernel (:mod:`natofutures.engine._kernel`) applies the same equations in the
same order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def side_losses(
    war: BoolArray,
    holds: BoolArray,
    shares: Array,
    coalition: Array,
    adversary: Array,
    loss_winner: float,
    loss_loser: float,
) -> Array:
    """Fraction of each country's capital destroyed this year, shape (draw, country), ≤ 1.

    ``war``, ``holds``: (draw, theatre); ``shares``: allocation a[i,θ], (draw, country,
    theatre); ``coalition``, ``adversary``: membership 0/1, (country, theatre). Theatres are
    added in order; a country fighting in two lost wars can lose everything it committed.
    """
    n, nc, nt = shares.shape
    loss = np.zeros((n, nc))
    for t in range(nt):
        l_coal = np.where(holds[:, t], loss_winner, loss_loser)  # (draw,)
        l_adv = np.where(holds[:, t], loss_loser, loss_winner)
        rate = np.where(
            coalition[None, :, t] > 0,
            l_coal[:, None],
            np.where(adversary[None, :, t] > 0, l_adv[:, None], 0.0),
        )
        loss = loss + np.where(war[:, t, None], rate * shares[:, :, t], 0.0)
    return np.minimum(loss, 1.0)


@equation
def carried_losses(outstanding: Any, kept: Any, lost: Any, capital: Any) -> Any:
    """Capital still to be replaced: last year's times the share not yet replaced
    ``kept = 1 − 1/R``, plus this year's losses ``lost·K`` (billion constant-2015 US$)."""
    return outstanding * kept + lost * capital


def outstanding_losses(outstanding: Array, capital: Array, lost: Array, years: float) -> Array:
    """Capital still to be replaced (billion constant-2015 US$): last year's, less the 1/R
    a year replaced, plus this year's losses ``lost·K`` (``lost`` from :func:`side_losses`)."""
    return np.asarray(carried_losses(outstanding, 1.0 - 1.0 / years, lost, capital))


def replacement_burden(
    outstanding: Array, equipment_share: Array, gdp: Array, years: float
) -> Array:
    """Burden added to the target to replace ``outstanding`` capital over ``years``:
    ``L / (s·R·Y)`` (fraction of GDP)."""
    return outstanding / (equipment_share * years * gdp)


def surge(us_shares: Array, surging: BoolArray, fraction: float) -> Array:
    """US shares after a surge, shape (draw, theatre); the total is unchanged.

    ``surging`` (draw, theatre): theatres receiving the surge. Each other theatre gives up
    ``fraction`` of its US share; the pool is split equally among the surging theatres.
    """
    n_war = surging.sum(axis=1)
    active = (n_war > 0)[:, None]
    donors = ~surging & active
    pool = np.zeros(us_shares.shape[0])
    for t in range(us_shares.shape[1]):  # in theatre order, as the kernel adds them
        pool = pool + np.where(donors[:, t], fraction * us_shares[:, t], 0.0)
    each = pool / np.maximum(n_war, 1)
    return np.where(
        donors,
        us_shares * (1.0 - fraction),
        np.where(surging, us_shares + each[:, None], us_shares),
    )


def intentions_floor(intentions: Array, remembered: BoolArray, floor: float) -> Array:
    """Intentions (draw, slot) raised to at least ``floor`` where a war is remembered."""
    return np.where(remembered, np.maximum(intentions, floor), intentions)


def energy_gdp_factor(share_before_cut: Array, cut_factor: float, loss_per_share: float) -> Array:
    """GDP level factor from a gas cut-off: ``1 − e·s·(1 − f)`` per country (1 without data).

    ``share_before_cut``: the gas-import share from Russia that the cut applies to (fraction);
    ``cut_factor``: the share kept (``1 − factor`` of the ``energy_cutoff`` shock);
    ``loss_per_share``: GDP fraction lost per unit of import share cut.
    """
    cut = cut_share(share_before_cut, cut_factor)
    return np.where(np.isfinite(cut), gdp_factor(cut, loss_per_share), 1.0)


@equation
def cut_share(share_before_cut: Any, cut_factor: Any) -> Any:
    """The gas-import share cut off: ``s·(1 − f)`` (f the share kept)."""
    return share_before_cut * (1.0 - cut_factor)


@equation
def gdp_factor(cut: Any, loss_per_share: Any) -> Any:
    """GDP level factor ``1 − e·cut`` of a finite cut share (callers keep 1 for NaN data)."""
    return 1.0 - loss_per_share * cut
