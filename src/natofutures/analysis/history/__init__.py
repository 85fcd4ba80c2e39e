"""Burden-sharing history: who pays for NATO, then and now (issue #3).

Generic functions work on any DataFrame (a researcher's own 1960s table, say):

- :func:`exploitation_test` — the Olson–Zeckhauser test, Spearman rank correlation of size
  and burden per year, with Fisher-z interval and the partial correlation holding GDP per
  capita constant;
- :func:`compliance` — members at or above a burden threshold per year;
- :func:`pledge_gaps` — gap to a pledge and the real spending growth that closes it.

Functions on the bundled data (:mod:`natofutures.data`), members counted by accession year:
:func:`burden_history`, :func:`ally_history`, :func:`pledge_tracker`; charts:
:func:`write_plots`. The method and the literature are in ``docs/history.md``.
"""

from __future__ import annotations

from natofutures.analysis.history.alliance import (
    SERIES,
    alliance_panel,
    ally_history,
    burden_history,
    membership,
    nato_years,
    pledge_tracker,
    spending_trend,
)
from natofutures.analysis.history.compliance import compliance
from natofutures.analysis.history.pledges import (
    Pledge,
    get_pledge,
    pledge_gaps,
    pledges,
    projected_burden,
    required_growth,
)
from natofutures.analysis.history.plots import write_plots
from natofutures.analysis.history.settings import parameter
from natofutures.analysis.history.statistics import (
    exploitation_test,
    fisher_interval,
    partial_spearman,
)

__all__ = [
    "SERIES",
    "Pledge",
    "alliance_panel",
    "ally_history",
    "burden_history",
    "compliance",
    "exploitation_test",
    "fisher_interval",
    "get_pledge",
    "membership",
    "nato_years",
    "parameter",
    "partial_spearman",
    "pledge_gaps",
    "pledge_tracker",
    "pledges",
    "projected_burden",
    "required_growth",
    "spending_trend",
    "write_plots",
]
