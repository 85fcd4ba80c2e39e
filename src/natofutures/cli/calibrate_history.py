"""CLI commands ``calibrate hazard`` and ``calibrate reaction`` (issue #15).

They attach to the ``calibrate`` group with :func:`register`. :func:`attach` finds that group
on the root app; while ``calibrate`` is still a single command (before the burden rewrite of
issue #14) it turns it into a group whose bare invocation runs the old command unchanged.
statsmodels, matplotlib and the engine are imported inside the commands.
"""

from __future__ import annotations

import json
import math
import shlex
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from natofutures.cli._app import console


def _fmt(x: Any, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{float(x):.{digits}g}"


def hazard(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    report: Path | None = typer.Option(
        None, "--report", help="Write charts (PNG) and CSV tables into DIR."
    ),
    write: Path | None = typer.Option(
        None, "--write", help="Write the engine mapping (hazard_calibration.yaml) to this file."
    ),
    decay_km: float | None = typer.Option(
        None, "--decay-km", help="Boulding decay scale D in km (default: projection.decay_km)."
    ),
) -> None:
    """Fit the deterrence hazard to the disputes of 1816-1945; evaluate on 1946-2010.

    Example: natofutures calibrate hazard --report hazard/
    """
    from natofutures.analysis import hazard_fit as hf

    d_km = hf.check_decay(decay_km)
    if report is not None:
        hf.check_report_folder(report)
    if write is not None:
        hf.check_output_path(write, "write")
    run = hf.calibrate_hazard(d_km)
    if report is not None:
        hf.write_report(run, report)
    if write is not None:
        parts = ["natofutures", "calibrate", "hazard", "--write", str(write)]
        if decay_km is not None:
            parts += ["--decay-km", str(decay_km)]
        hf.write_calibration(run, write, shlex.join(parts))
    if as_json:
        typer.echo(json.dumps(hf.to_dict(run), ensure_ascii=False, indent=1))
        return
    _print_hazard(run)
    if report is not None:
        console.print(f"report written to {report}/")
    if write is not None:
        console.print(f"engine mapping written to {write}")


def _print_hazard(run: Any) -> None:
    m = run.main
    t = Table(
        title=f"War onset hazard, logit, {m.first}-{m.last}: {m.n_events} onsets in {m.n_obs} "
        "directed dyad-years (SE clustered by dyad; peace-years spline not shown)"
    )
    for col in ("term", "coef.", "SE", "90% interval"):
        t.add_column(col, justify="left" if col == "term" else "right")
    for name, c in m.coefficients().items():
        lo, hi = c["ci90"]
        t.add_row(name, _fmt(c["value"]), _fmt(c["se"], 2), f"{_fmt(lo)} … {_fmt(hi)}")
    console.print(t)
    ev = Table(title="Out of sample 1946-2010 (base rate = share of onsets in 1816-1945)")
    for col in ("model", "onsets", "Brier", "Brier base rate", "AUC", "mean predicted", "observed"):
        ev.add_column(col, justify="right")
    for f in (m, *run.others):
        e = f.evaluation
        ev.add_row(
            f.name if f.name != "main" else "main (war)",
            str(e["n_events"]),
            _fmt(e["brier"], 4),
            _fmt(e["brier_base_rate"], 4),
            _fmt(e["auc"]),
            _fmt(e["mean_predicted"]),
            _fmt(e["observed_rate"]),
        )
    console.print(ev)
    pd_t = Table(title="Present-day anchor (NMC 2022 capabilities; prior = engine 2024 hazard)")
    for col in (
        "dyad",
        "R delivered (CINC)",
        "war hazard",
        "at 1946-2010 level",
        "fit 1816-2010",
        "severe hazard",
        "prior",
    ):
        pd_t.add_column(col, justify="left" if col == "dyad" else "right")
    for row in run.present.values():
        pd_t.add_row(
            row["label"],
            _fmt(row["ratio_delivered"]),
            f"{row['fitted_hazard']:.2%}",
            f"{row['fitted_hazard_post1945_level']:.2%}",
            f"{row['fitted_hazard_full_period']:.2%}",
            f"{row['fitted_hazard_severe']:.2%}",
            f"{row['prior_hazard_2024_engine']:.2%}",
        )
    console.print(pd_t)
    en = Table(title="Into the engine: h = h0·I/(1+(R/R*)^k) (90% intervals; * = judgement)")
    for col in ("theatre", "h0", "R*", "k", "prior h0 / R* / k"):
        en.add_column(col, justify="left" if col == "theatre" else "right")
    for th, mp in run.engine.items():
        cells = []
        for name in ("h0", "ratio_half", "steepness"):
            v, (lo, hi) = getattr(mp, name), mp.intervals[name]
            star = "*" if mp.judgement[name] else ""
            band = "" if mp.judgement[name] else f" ({_fmt(lo)}–{_fmt(hi)})"
            cells.append(f"{_fmt(v)}{star}{band}")
        prior_h0 = mp.alternative.get("h0", mp.h0)
        en.add_row(th, *cells, f"{_fmt(prior_h0)} / 1.5 / 3")
    console.print(en)
    console.print(f"verdict: {run.verdict}", highlight=False, soft_wrap=True)


def reaction(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    report: Path | None = typer.Option(
        None, "--report", help="Write charts (PNG) and CSV tables into DIR."
    ),
    write: Path | None = typer.Option(
        None, "--write", help="Write the fit (reaction_calibration.yaml) to this file."
    ),
) -> None:
    """Fit Russia's and China's budgets as an action-reaction model on 1950-1999; test 2000-2024.

    Example: natofutures calibrate reaction --json
    """
    from natofutures.analysis import reaction as rx

    if report is not None:
        rx.check_report_folder(report)
    if write is not None:
        rx.check_output_path(write, "write")
    run = rx.calibrate_reaction()
    if report is not None:
        rx.write_report(run, report)
    if write is not None:
        cmd = shlex.join(["natofutures", "calibrate", "reaction", "--write", str(write)])
        rx.write_calibration(run, write, cmd)
    if as_json:
        typer.echo(json.dumps(rx.to_dict(run), ensure_ascii=False, indent=1))
        return
    _print_reaction(run)
    if report is not None:
        console.print(f"report written to {report}/")
    if write is not None:
        console.print(f"reaction fit written to {write}")


def _print_reaction(run: Any) -> None:
    payload = run.as_dict()
    for adv, fit in payload["adversaries"].items():
        t = Table(
            title=f"{adv}: Δln milex_t, OLS {fit['window'][0]}-{fit['window'][1]} "
            f"(n = {fit['n_obs']}, HAC SE); long run = −θ/λ"
        )
        for col in ("term", "coef.", "SE", "90% interval"):
            t.add_column(col, justify="left" if col == "term" else "right")
        for name, c in fit["coefficients"].items():
            lo, hi = c["ci90"]
            t.add_row(name, _fmt(c["value"]), _fmt(c["se"], 2), f"{_fmt(lo)} … {_fmt(hi)}")
        console.print(t)
        o = fit["out_of_sample"]
        console.print(
            f"  out of sample {o['first']}-{o['last']} (one step ahead): RMSE {_fmt(o['rmse'])} "
            f"vs no change {_fmt(o['rmse_no_change'])} (log points)",
            highlight=False,
        )
    console.print(f"verdict: {run.verdict}", highlight=False, soft_wrap=True)


def register(group: typer.Typer) -> None:
    """Add ``hazard`` and ``reaction`` to a ``calibrate`` Typer group."""
    group.command("hazard")(hazard)
    group.command("reaction")(reaction)

