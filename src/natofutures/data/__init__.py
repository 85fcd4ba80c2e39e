"""Bundled, sourced data: loaders for the country registry, the panel and other tables.

Everything is read from files shipped in ``natofutures/data/tables`` (no network). Units and
sources: docs/data.md and ``natofutures/data/sources.yaml``.

Example
-------
>>> import natofutures as nf
>>> nf.data.panel(countries="USA,DEU", years=2024)[["iso3", "burden"]]  # doctest: +SKIP
"""

from __future__ import annotations

from natofutures.data.loaders import (
    arms_races,
    borders,
    capabilities,
    cold_war_milex,
    conflict_dyads,
    countries,
    data_version,
    gas_dependence,
    latest_year,
    long_run_gdp,
    nato_reported,
    panel,
    panel_flags,
    table,
    tables,
)

__all__ = [
    "arms_races",
    "borders",
    "capabilities",
    "cold_war_milex",
    "conflict_dyads",
    "countries",
    "data_version",
    "gas_dependence",
    "latest_year",
    "long_run_gdp",
    "nato_reported",
    "panel",
    "panel_flags",
    "table",
    "tables",
]
