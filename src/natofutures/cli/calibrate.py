"""CLI commands ``calibrate`` (a group: ``calibrate burden``, issue #14) and ``validate``.

Registered on the root app when imported. scipy, plotly, matplotlib and the engine are
imported inside the commands so that ``natofutures --help`` stays fast.
"""

from __future__ import annotations

import json
import math
import shlex
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from natofutures.cli import calibrate_history as _calibrate_history
from natofutures.cli._app import app, console


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{float(x):.{digits}g}"


calibrate_app = typer.Typer(
    help="Estimate models on real history. `natofutures calibrate [flags]` = `calibrate burden`.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(calibrate_app, name="calibrate")

FROM_OPT = typer.Option(
    None, "--from", help="First year of the fit (default 1949).", show_default=False
)
UNTIL_OPT = typer.Option(
    None,
    "--until",
    help="Last fitted year; later years are hindcast out of sample (default: latest).",
    show_default=False,
)
JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of tables.")
REPORT_OPT = typer.Option(
    None,
    "--report",
    help="Write charts (PNG + offline HTML: fit per ally, skill by horizon, coefficients) "
    "and CSV tables into DIR.",
)
WRITE_OPT = typer.Option(
    None, "--write", help="Write the fitted engine defaults (calibration YAML) to this file."
)
EVALUATE_OPT = typer.Option(
    False,
    "--evaluate",
    help="Rolling-origin out-of-sample evaluation (origins 2000-2019, horizons 1-10) "
    "against previous, no_change, drift and ar1.",
)
ORIGINS_OPT = typer.Option(
    None,
    "--origins",
    help="With --evaluate: comma-separated origin years (default 2000..2019).",
    show_default=False,
)


@calibrate_app.callback()
def calibrate(
    ctx: typer.Context,
    start: int | None = FROM_OPT,
    until: int | None = UNTIL_OPT,
    as_json: bool = JSON_OPT,
    report: Path | None = REPORT_OPT,
    write: Path | None = WRITE_OPT,
    evaluate: bool = EVALUATE_OPT,
    origins: str | None = ORIGINS_OPT,
) -> None:
    """Estimate models on real history; without a subcommand this is `calibrate burden`.

    Example: natofutures calibrate --until 2013 --report calib/
    """
    if ctx.invoked_subcommand is None:
        _burden(start, until, as_json, report, write, evaluate, origins)


@calibrate_app.command("burden")
def burden(
    start: int | None = FROM_OPT,
    until: int | None = UNTIL_OPT,
    as_json: bool = JSON_OPT,
    report: Path | None = REPORT_OPT,
    write: Path | None = WRITE_OPT,
    evaluate: bool = EVALUATE_OPT,
    origins: str | None = ORIGINS_OPT,
) -> None:
    """The burden-sharing model: threat, income, spill-ins, US troops, gap-closing pledges.

    Partially pooled across allies (random intercepts), fitted on SIPRI 1949-2024 with the
    USSR from COW NMC. With --evaluate: the rolling out-of-sample evaluation.

    Example: natofutures calibrate burden --evaluate --json
    """
    _burden(start, until, as_json, report, write, evaluate, origins)


# `calibrate hazard` and `calibrate reaction` (issue #15) live in their own module.
_calibrate_history.register(calibrate_app)


def _parse_origins(text: str | None) -> list[int] | None:
    from natofutures.errors import InputError

    if text is None:
        return None
    try:
        out = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise InputError(
            f"origins: {text!r} is not allowed; expected comma-separated years, e.g. 2005,2014"
        ) from None
    if not out:
        raise InputError(f"origins: {text!r} is not allowed; expected at least one year")
    return out


def _check_burden_options(
    start: int | None, until: int | None, write: Path | None, evaluate: bool, origins: str | None
) -> list[int] | None:
    """Validate the option combination before computing or writing anything."""
    from natofutures.analysis.burden import evaluate as ev
    from natofutures.analysis.burden.data import build
    from natofutures.errors import InputError

    if evaluate and (start is not None or until is not None or write is not None):
        which = "from" if start is not None else "until" if until is not None else "write"
        raise InputError(
            f"{which}: not allowed with --evaluate; the evaluation refits from 1949 up to "
            "each origin (choose origins with --origins)"
        )
    if origins is not None and not evaluate:
        raise InputError(f"origins: {origins!r} is not allowed without --evaluate")
    org = _parse_origins(origins)
    if org is not None:
        ev.check_origins(org, build())
    return org


def _evaluation_output(errors: Any, report: Path | None, as_json: bool) -> None:
    from natofutures.analysis.burden import evaluate as ev
    from natofutures.analysis.burden import run

    payload = ev.summarise(errors)
    if report is not None:
        from natofutures.analysis.burden import report as rep

        rep.write_report(run.calibrate(None, None), report, errors)
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    _print_evaluation(payload, errors)
    if report is not None:
        console.print(f"report written to {report}/ (HTML works offline; PNG beside each)")


def _burden(
    start: int | None,
    until: int | None,
    as_json: bool,
    report: Path | None,
    write: Path | None,
    evaluate: bool,
    origins: str | None,
) -> None:
    from natofutures.analysis.burden import evaluate as ev
    from natofutures.analysis.burden import run

    org = _check_burden_options(start, until, write, evaluate, origins)
    run.check_window(start, until)
    if report is not None:
        run.check_report_folder(report)
    if write is not None:
        run.check_write_path(write)
    errors = ev.evaluate(tuple(org) if org else ev.ORIGINS) if evaluate or report else None
    if evaluate:
        assert errors is not None
        _evaluation_output(errors, report, as_json)
        return
    res = run.calibrate(start, until)
    if report is not None:
        from natofutures.analysis.burden import report as rep

        rep.write_report(res, report, errors)
    if write is not None:
        parts = ["natofutures", "calibrate", "burden", "--from", str(res.fit.first)]
        if res.hindcast is not None:
            parts += ["--until", str(res.fit.last)]
        parts += ["--write", str(write)]
        run.write_calibration(res, write, shlex.join(parts))
    if as_json:
        typer.echo(json.dumps(run.to_dict(res), ensure_ascii=False, indent=1, default=str))
        return
    _print_burden(res)
    if report is not None:
        console.print(f"report written to {report}/ (HTML works offline; PNG beside each)")
    if write is not None:
        console.print(f"calibration written to {write}")


def _print_burden(res: Any) -> None:
    f = res.fit
    table = Table(
        title=f"Burden model fitted on {f.first}-{f.last} ({f.n_obs} ally-years, {f.n_allies} "
        f"allies; σ = {f.sigma * 100:.2f} pp, τ = {f.tau * 100:.3f} pp)"
    )
    for col in ("coefficient", "meaning", "value", "SE (cluster)", "90% interval"):
        table.add_column(col, justify="right" if col[0] in "vS9" else "left")
    for _, r in f.table().iterrows():
        table.add_row(
            f"{r['symbol']} {r['name']}",
            r["meaning"],
            _fmt(r["value"]),
            _fmt(r["se"], 2),
            f"[{_fmt(r['low90'], 3)}, {_fmt(r['high90'], 3)}]",
        )
    console.print(table)
    mp = Table(title="Mapped onto the engine's burden equation (defaults.yaml keys)")
    for col in ("key", "central", "median", "5%", "95%"):
        mp.add_column(col, justify="left" if col == "key" else "right")
    for k, v in res.mapping["parameters"].items():
        mp.add_row(k, _fmt(v["value"]), _fmt(v["median"]), _fmt(v["p05"]), _fmt(v["p95"]))
    console.print(mp)
    ins = res.in_sample
    console.print(f"in-sample one-step RMSE {ins['rmse_pp']:.3f} pp of GDP", highlight=False)
    if res.hindcast_metrics is not None:
        m = res.hindcast_metrics
        console.print(
            f"hindcast {f.last + 1}-: RMSE {m['rmse_pp']:.3f} pp vs no change "
            f"{m['no_change_rmse_pp']:.3f} pp; bias {m['bias_pp']:+.3f} pp; 90% band covers "
            f"{m['coverage90']:.0%} of {m['ally_years']:.0f} ally-years",
            highlight=False,
        )
    console.print(f"verdict: {res.verdict}", highlight=False, soft_wrap=True)


def _print_evaluation(payload: dict[str, Any], errors: Any) -> None:
    from natofutures.analysis.burden import evaluate as ev

    summ = payload["evaluation"]["summary"]
    table = Table(title="Rolling-origin evaluation, all origins and horizons (pp of GDP)")
    for col in ("model", "RMSE", "CRPS", "90% coverage"):
        table.add_column(col, justify="left" if col == "model" else "right")
    for m, v in summ.items():
        table.add_row(m, f"{v['rmse']:.3f}", f"{v['crps']:.3f}", f"{v['coverage90']:.0%}")
    console.print(table)
    hz = ev.by_horizon(errors)
    ht = Table(title="RMSE by horizon (pp of GDP)")
    ht.add_column("horizon", justify="right")
    for m in hz.columns:
        ht.add_column(str(m), justify="right")
    for h, row in hz.iterrows():
        ht.add_row(str(h), *[f"{x:.3f}" for x in row])
    console.print(ht)
    o14 = errors[errors["origin"] == 2014]
    if len(o14):
        s14 = ev.summarise(o14)["evaluation"]["summary"]
        console.print(
            "origin 2014: " + "; ".join(f"{m} RMSE {v['rmse']:.3f}" for m, v in s14.items()),
            highlight=False,
        )


@app.command()
def validate(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any check fails."),
    calibrated: bool = typer.Option(
        False,
        "--calibrated",
        help="Simulate with the fitted coefficients of parameters/calibration.yaml.",
    ),
) -> None:
    """Run the validation suite: hindcast, extreme conditions and the essay's claims.

    Example: natofutures validate --json
    """
    from natofutures.analysis import validate as val

    checks = val.run_checks(calibrated=calibrated)
    failed = sum(not c.passed for c in checks)
    if as_json:
        payload = {
            "coefficients": "calibrated" if calibrated else "defaults",
            "checks": [c.as_dict() for c in checks],
            "passed": len(checks) - failed,
            "failed": failed,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        which = "calibration.yaml" if calibrated else "defaults.yaml"
        table = Table(title=f"Validation checks, coefficients from {which} (docs/validation.md)")
        for col in ("group", "check", "result", "figure"):
            table.add_column(col)
        for c in checks:
            table.add_row(
                c.group, c.name, "[green]pass[/]" if c.passed else "[red]FAIL[/]", c.figure
            )
        console.print(table)
        console.print(f"{len(checks) - failed} of {len(checks)} checks pass", highlight=False)
    if strict and failed:
        raise typer.Exit(1)

