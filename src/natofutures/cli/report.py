"""CLI command ``report``: the HTML report of a compare run (fresh or from the runs store).

Registered on the root app when imported; heavy modules load inside the command.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import typer

from natofutures.cli._app import app, console, console_err, postures_and_files
from natofutures.cli._recording import SCHEDULER_OPT, STORE_OPT, reproducing_argv
from natofutures.errors import InputError

_COMPARE_OPTIONS = ("--postures", "--draws", "--seed", "--horizon", "--perspective", "--weights",
                    "--smaa-samples", "--status-quo-bonus")


def _check_run_alone(run: str | None, given: dict[str, Any]) -> None:
    if run is None:
        return
    clash = [name for name, value in given.items() if value]
    if clash:
        raise InputError(
            f"--run: cannot be combined with {clash[0]}; a stored run fixes the inputs"
        )


def _compare_command(argv: list[str]) -> str:
    """The ``natofutures compare`` line that reproduces the numbers of a fresh report."""
    keep: list[str] = []
    skip = False
    for arg in argv[1:] if argv and argv[0] == "report" else argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--stress", "--sensitivity-n"):
            skip = "=" not in arg
            continue
        keep.append(arg)
    return "natofutures compare " + shlex.join(keep) if keep else "natofutures compare"


@app.command("report")
def report_cmd(
    files: list[Path] | None = typer.Argument(
        None, help="Posture or scenario YAML/JSON files to compare (as in compare)."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the report to."),
    run: str | None = typer.Option(
        None, "--run", help="Rebuild the report of a stored compare run (natofutures runs list)."
    ),
    postures: str | None = typer.Option(
        None,
        "--postures",
        help="Comma-separated built-in postures (default: all four, with FILES added).",
    ),
    draws: int | None = typer.Option(
        None, "--draws", help="Monte Carlo draws per posture (default 1000; 0 = central case)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Seed (default 20220914)."),
    horizon: int | None = typer.Option(None, "--horizon", help="Last simulated year (2045)."),
    perspective: list[str] | None = typer.Option(
        None, "--perspective", help="Perspective name or YAML file; repeat (default: all)."
    ),
    weights: str | None = typer.Option(
        None, "--weights", help="Extra perspective 'custom', e.g. europe_risk=3,us_cost=1."
    ),
    smaa_samples: int | None = typer.Option(
        None, "--smaa-samples", help="SMAA samples per perspective (default 100000)."
    ),
    status_quo_bonus: float | None = typer.Option(
        None, "--status-quo-bonus", help="Bargaining model's status-quo bonus."
    ),
    stress: str | None = typer.Option(
        None, "--stress", help="Also run this stress-test scenario (natofutures stress --list)."
    ),
    sensitivity_n: int = typer.Option(
        8, "--sensitivity-n", help="Morris trajectories of the 'what drives the ranking' section."
    ),
    scheduler: str = SCHEDULER_OPT,
    store: Path | None = STORE_OPT,
) -> None:
    """Write the report of a compare run: index.html (self-contained), summary.md, tables, PNGs.

    Example: natofutures report --draws 200 --out report/ ; natofutures report --run ID --out r/
    """
    from natofutures.report import build_report, check_out

    check_out(out)
    given = {"FILES": files, "--postures": postures, "--draws": draws is not None,
             "--seed": seed is not None, "--horizon": horizon is not None,
             "--perspective": perspective, "--weights": weights,
             "--smaa-samples": smaa_samples is not None,
             "--status-quo-bonus": status_quo_bonus is not None}
    _check_run_alone(run, given)
    if sensitivity_n < 2:
        raise InputError(f"--sensitivity-n: {sensitivity_n!r} is not allowed; expected >= 2")
    if draws is not None and draws < 0:
        raise InputError(f"--draws: {draws!r} is not allowed; expected an integer >= 0")
    with console_err.status("starting") as status:
        data = _data(run, store, files, postures, draws, seed, horizon, perspective, weights,
                     smaa_samples, status_quo_bonus, scheduler, status.update)
        index = build_report(data, out, stress=stress, sensitivity_n=sensitivity_n,
                             progress=status.update)
    console.print(f"wrote {index} (+ summary.md, tables/, figures/)", highlight=False)
    for note in data.notes:
        console.print(note, style="dim", highlight=False)


def _data(
    run: str | None, store: Path | None, files: list[Path] | None, postures: str | None,
    draws: int | None, seed: int | None, horizon: int | None, perspective: list[str] | None,
    weights: str | None, smaa_samples: int | None, status_quo_bonus: float | None,
    scheduler: str, update: Any,
) -> Any:
    from natofutures.report import from_comparison, from_record

    if run is not None:
        import natofutures as nf

        update(f"reading run {run}")
        return from_record(nf.runs.get(run, store=store))
    from natofutures.analysis.compare import DEFAULT_DRAWS, DEFAULT_SEED, compare

    res = compare(
        postures_and_files(postures, files) or None,
        draws=DEFAULT_DRAWS if draws is None else draws,
        seed=DEFAULT_SEED if seed is None else seed,
        horizon=2045 if horizon is None else horizon,
        perspectives=perspective or None,
        weights=weights,
        smaa_samples=100_000 if smaa_samples is None else smaa_samples,
        status_quo_bonus=status_quo_bonus,
        progress=update,
        scheduler=scheduler,
    )
    res.run["run_id"] = _record_report_run(res, store, perspective, weights, smaa_samples,
                                           status_quo_bonus)
    return from_comparison(res, _compare_command(reproducing_argv()))


def _record_report_run(
    res: Any, store: Path | None, perspectives: list[str] | None, weights: str | None,
    smaa_samples: int | None, status_quo_bonus: float | None,
) -> str:
    """Record the report's compare run, so the id the report shows is in the runs store."""
    from natofutures import runs
    from natofutures.cli._recording import absolute
    from natofutures.scenario import Scenario

    spec = runs.spec_for(
        "compare",
        [Scenario.model_validate_json(j) for j in res.scenario_json.values()],
        draws=int(res.run["draws"]), seed=int(res.run["seed"]), horizon=int(res.run["horizon"]),
        options={"perspectives": [absolute(p) for p in perspectives or []], "weights": weights,
                 "smaa_samples": int(res.run["smaa_samples"]),
                 "status_quo_bonus": status_quo_bonus},
        source="report",
    )
    return runs.record(spec, runs.tables("compare", res), store=store,
                       command=_compare_command(reproducing_argv()))
