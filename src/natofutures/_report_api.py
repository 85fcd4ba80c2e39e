"""``nf.report``: the HTML report of a comparison, from Python.

A thin entry point over :mod:`natofutures.report` so that a user's own postures (``Scenario``
objects or posture/scenario files) reach the report, and its stress section, exactly as a
built-in name does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def report(
    postures: Any = None,
    out: str | Path = "report",
    *,
    draws: int | None = None,
    seed: int | None = None,
    horizon: int = 2045,
    stress: str | Path | None = None,
    sensitivity_n: int | None = None,
    **compare_options: Any,
) -> Path:
    """Write the report of a comparison to folder ``out``; returns the path of ``index.html``.

    Parameters
    ----------
    postures : a :class:`~natofutures.analysis.compare.Comparison` already computed, or what
        :func:`natofutures.compare` accepts: built-in names, posture/scenario files and
        ``Scenario`` objects (default: the four built-in postures).
    out : folder to write (created if missing; its parent must exist).
    draws, seed, horizon, compare_options : passed to :func:`natofutures.compare` when
        ``postures`` is not a Comparison (defaults as there).
    stress : also run this built-in stress scenario (or scenario file) under the postures.
    sensitivity_n : Morris trajectories of the "what drives the ranking" section.
    """
    from natofutures.analysis.compare import DEFAULT_DRAWS, DEFAULT_SEED, Comparison, compare
    from natofutures.report import DEFAULT_SENSITIVITY_N, build_report, check_out, from_comparison

    check_out(out)
    if isinstance(postures, Comparison):
        res = postures
    else:
        chosen = postures if postures is None or isinstance(postures, Sequence) else [postures]
        res = compare(
            chosen,
            draws=DEFAULT_DRAWS if draws is None else draws,
            seed=DEFAULT_SEED if seed is None else seed,
            horizon=horizon,
            **compare_options,
        )
    data = from_comparison(res, "natofutures.report (Python API)")
    return build_report(
        data,
        out,
        stress=None if stress is None else str(stress),
        sensitivity_n=DEFAULT_SENSITIVITY_N if sensitivity_n is None else sensitivity_n,
    )
