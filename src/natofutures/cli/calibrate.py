"""CLI commands ``calibrate`` and ``validate`` (issue #5).

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

from natofutures.cli._app import app, console


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{float(x):.{digits}g}"


@app.command()
def calibrate(
    start: int | None = typer.Option(
        None, "--from", help="First year of the fit (default 1990).", show_default=False
    ),
    until: int | None = typer.Option(
        None,
        "--until",
        help="Last fitted year; later years are hindcast out of sample (default: latest).",
        show_default=False,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    report: Path | None = typer.Option(
        None, "--report", help="Write charts (PNG + offline HTML) and CSV tables into DIR."
    ),
    write: Path | None = typer.Option(
        None, "--write", help="Write the fitted defaults (calibration YAML) to this file."
    ),
) -> None:
    """Fit the burden-response coefficients (β_T, β_F, λ, ρ, b̄_i, σ_b) on real history.

    Example: natofutures calibrate --from 1990 --until 2013 --report calib/
    """
    from natofutures.analysis import calibrate as cal

    # validate every option before computing or writing anything
    cal.check_window(start, until)
    if report is not None:
        cal.check_report_folder(report)
    if write is not None:
        cal.check_write_path(write)
    run = cal.calibrate(start, until)
    if report is not None:
        cal.write_report(run, report)
    if write is not None:
        parts = ["natofutures", "calibrate", "--from", str(run.fit.start)]
        if run.hindcast is not None:
            parts += ["--until", str(run.fit.end)]
        parts += ["--write", str(write)]
        cal.write_calibration(run, write, shlex.join(parts))
    if as_json:
        typer.echo(json.dumps(cal.to_dict(run), ensure_ascii=False, indent=1, default=str))
        return
    _print_calibration(run)
    if report is not None:
        console.print(f"report written to {report}/ (HTML works offline; PNG beside each)")
    if write is not None:
        console.print(f"calibration written to {write}")


def _print_calibration(run: Any) -> None:
    f = run.fit
    table = Table(
        title=f"Burden response fitted on {f.start}-{f.end} ({f.n_obs} ally-years, "
        f"{f.n_clusters} allies; Jacobian condition number {f.condition_number:.3g})"
    )
    for col in ("coefficient", "defaults key", "value", "SE (cluster)", "SE (conv.)"):
        table.add_column(col, justify="right" if col.startswith(("value", "SE")) else "left")
    table.add_column("unrestricted", justify="right")
    table.add_column("status")
    unres = f.unrestricted.coefficients().set_index("name") if f.unrestricted else None
    for _, r in f.coefficients().iterrows():
        u = (
            f"{_fmt(unres.loc[r['name'], 'value'])} ± {_fmt(unres.loc[r['name'], 'se_cluster'], 2)}"
            if unres is not None
            else "–"
        )
        table.add_row(
            f"{r['symbol']} {r['name']}",
            r["defaults_key"],
            _fmt(r["value"]),
            _fmt(r["se_cluster"]),
            _fmt(r["se_conventional"]),
            u,
            r["status"],
        )
    console.print(table)
    fit_table = Table(title="Fit of the European aggregate burden (pp = percentage points of GDP)")
    for col in ("sample", "RMSE (pp)", "R²", "detail"):
        fit_table.add_column(col)
    ins = run.in_sample
    fit_table.add_row(
        f"in-sample {f.start}-{f.end} (one step ahead)",
        _fmt(ins["rmse_pp"], 3),
        _fmt(ins["r2"], 3),
        f"R² of annual changes {_fmt(ins['r2_changes'], 3)}",
    )
    if run.hindcast is not None:
        m = run.hindcast.metrics
        fit_table.add_row(
            f"out-of-sample {f.end + 1}-{run.hindcast.last} (dynamic)",
            _fmt(m["rmse_pp"], 3),
            _fmt(m["r2"], 3),
            f"no-change RMSE {_fmt(m['persistence_rmse_pp'], 3)}; bias {_fmt(m['bias_pp'], 2)}; "
            f"90% band covers {m['coverage_90']:.0%} of ally-years",
        )
    console.print(fit_table)
    allies = Table(title="Per ally: baseline burden b̄_i (% of GDP) and fit (RMSE in pp of GDP)")
    for col in (
        "ally",
        "b̄_i ± SE",
        "in-sample RMSE",
        "in-sample R²",
        "out-of-sample RMSE",
        "out R²",
        "no change",
    ):
        allies.add_column(col, justify="right")
    oos = run.hindcast.per_ally.set_index("iso3") if run.hindcast is not None else None
    for _, r in run.in_sample_allies.iterrows():
        o = oos.loc[r["iso3"]] if oos is not None and r["iso3"] in oos.index else None
        anchor, anchor_se = f.anchors[r["iso3"]]
        allies.add_row(
            r["iso3"],
            f"{anchor * 100:.2f}±{anchor_se * 100:.2f}",
            _fmt(r["rmse_pp"], 3),
            _fmt(r["r2"], 3),
            _fmt(o["rmse_pp"], 3) if o is not None else "–",
            _fmt(o["r2"], 3) if o is not None else "–",
            _fmt(o["persistence_rmse_pp"], 3) if o is not None else "–",
        )
    console.print(allies)
    console.print(f"verdict: {run.verdict}", highlight=False, soft_wrap=True)


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


from natofutures.cli import calibrate_history as _calibrate_history  # noqa: E402

_calibrate_history.attach(app)  # `calibrate hazard` and `calibrate reaction` (issue #15)
