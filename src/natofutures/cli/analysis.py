"""CLI commands of the analysis area: ``compare`` (the main job), ``sensitivity``, ``forecast``.

Registered on the root app when imported. Every printed number is traceable to the run
footer (run id, seed, draws, horizon, scenario hashes, data and package version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from natofutures._format import sig3 as _fmt
from natofutures.cli._app import (
    POSTURES_HELP,
    app,
    console,
    emit_json,
    postures_and_files,
    split_csv,
    status_spinner,
)
from natofutures.cli._recording import NO_STORE_OPT, SCHEDULER_OPT, STORE_OPT, record_run
from natofutures.errors import InputError


# ----------------------------------------------------------------------------- compare
def _scorecard_table(res: Any) -> Table:
    import numpy as np

    from natofutures.analysis.criteria import CRITERIA, CRITERION_NAMES

    t = Table(
        title="Scorecard: median, and below it the 90% band over the draws "
        "(↑ higher is better, ↓ lower); best median per criterion in green",
        title_justify="left",
    )
    t.add_column("criterion (unit)", ratio=1)
    for p in res.postures:
        t.add_column(p.replace("_", " "), justify="right", min_width=11)
    med = res.scorecard.xs("median", axis=1, level="stat")
    lo = res.scorecard.xs("p05", axis=1, level="stat")
    hi = res.scorecard.xs("p95", axis=1, level="stat")
    for c in CRITERION_NAMES:
        crit = CRITERIA[c]
        values = med[c].to_numpy()
        best = values.max() if crit.direction > 0 else values.min()
        tie = bool(np.isclose(values, best).all())
        cells = []
        for i in range(len(res.postures)):
            text = f"{_fmt(values[i])}\n[dim]{_fmt(lo[c].iloc[i])}–{_fmt(hi[c].iloc[i])}[/]"
            best_here = bool(np.isclose(values[i], best)) and not tie
            cells.append(f"[bold green]{text}[/]" if best_here else text)
        arrow = "↑" if crit.direction > 0 else "↓"
        t.add_row(f"{_breakable(c)} {arrow}\n[dim]{crit.unit}[/]", *cells, end_section=True)
    return t


def _rankings_table(res: Any) -> Table:
    n = len(res.postures)
    t = Table(
        title="Rankings per perspective: weighted sum and TOPSIS of the medians on fixed value "
        "scales (score, rank); SMAA rank acceptability P(rank r) with Dirichlet weights × "
        "draws; ≈ marks postures the Monte Carlo cannot tell apart from another",
        title_justify="left",
    )
    t.add_column("perspective /\nposture", ratio=1)
    t.add_column("w. sum\n(rank)", justify="right", min_width=8)
    t.add_column("TOPSIS\n(rank)", justify="right", min_width=8)
    for r in range(1, n + 1):
        t.add_column(f"P({r})", justify="right", min_width=4)
    t.add_column("mean\nrank", justify="right", min_width=4)
    table = res.rankings.to_dict("index")
    for view in res.perspectives:
        winner = res.winner(view.name)
        t.add_row(f"[bold]{_breakable(view.name)}[/]")
        ties = res.decisiveness.get(view.name, {}).get("indistinguishable", [])
        for k, p in enumerate(res.postures):
            row = table[(view.name, p)]
            tied = any(p in pair for pair in ties)
            label = f"  {p.replace('_', ' ')}" + (" ≈" if tied else "")
            t.add_row(
                f"[bold green]{label}[/]" if p == winner else label,
                f"{row['weighted_sum']:.2f} ({row['weighted_sum_rank']})",
                f"{row['topsis']:.2f} ({row['topsis_rank']})",
                *[f"{row[f'p_rank_{r}']:.0%}" for r in range(1, n + 1)],
                f"{row['mean_rank']:.2f}",
                end_section=k == n - 1,
            )
    return t


def _breakable(name: str) -> str:
    """An identifier shown with spaces, so a narrow terminal wraps it between words."""
    return name.replace("_", " ")


def _lead_from_assumptions(res: Any, view: str) -> tuple[float, list[str]]:
    """Share of the winner's weighted lead over the runner-up that comes from criteria whose
    differences are set by the postures (assumptions), and those criteria."""
    import numpy as np

    from natofutures.analysis import mcda
    from natofutures.analysis.criteria import CRITERION_NAMES

    flagged = res.assumptions()
    median = res.scorecard.xs("median", axis=1, level="stat")[list(CRITERION_NAMES)].to_numpy()
    v = mcda.interval_value(median, res.scales)
    w = np.asarray(next(p for p in res.perspectives if p.name == view).vector())
    win = res.postures.index(res.winner(view))
    ws = mcda.weighted_sum(median, w, res.scales)
    rival = max((i for i in range(len(res.postures)) if i != win), key=lambda i: ws[i])
    contrib = w * (v[win] - v[rival])
    pair = {res.postures[win], res.postures[rival]}
    names = [
        c for j, c in enumerate(CRITERION_NAMES)
        if contrib[j] > 0 and pair & set(flagged.get(c, []))
    ]
    lead = contrib[contrib > 0].sum()
    part = sum(contrib[CRITERION_NAMES.index(c)] for c in names)
    return (float(part / lead) if lead > 0 else 0.0), names


def _verdicts(res: Any) -> None:
    """The first screen: winner per perspective, forecast, decisive assumptions."""
    console.rule("[bold]Verdicts[/]", align="left")
    console.print(
        "Winner = highest SMAA P(1st) under each perspective's swing weights on fixed "
        "scales. ≈ means the Monte Carlo cannot tell it from the runner-up.",
        style="dim", highlight=False,
    )
    for view in res.perspectives:
        win = res.winner(view.name)
        dec = res.decisiveness.get(view.name, {})
        p1 = float(res.smaa[view.name].first_rank[res.postures.index(win)])
        tied = [b if a == win else a for a, b in dec.get("indistinguishable", []) if win in (a, b)]
        mark = f" ≈ {', '.join(tied)} (a tie)" if tied else ""
        console.print(
            f"[bold]{view.name}[/]: {win}, P(1st) {p1:.0%}{mark}", highlight=False
        )
        share, names = _lead_from_assumptions(res, view.name)
        if names and share >= 0.005:
            console.print(
                f"  {share:.0%} of its lead rests on assumptions: {', '.join(names)}",
                highlight=False,
            )
    fd = res.forecast_decisiveness()
    verdict = (
        f"Most likely: {fd['most_likely']}."
        if fd["decisive"]
        else f"Too close to call between {fd['most_likely']} and {fd['runner_up']} "
        f"(difference {fd['difference']:+.1%} ± {2 * fd['standard_error']:.1%})."
    )
    console.print(
        "[bold]Forecast[/] (which NATO emerges; bargaining model): "
        + ", ".join(f"{p} {v:.0%}" for p, v in res.forecast.sort_values(ascending=False).items())
        + f". {verdict}",
        highlight=False,
    )
    flagged = res.assumptions()
    if flagged:
        console.print(
            "[bold]Assumptions, not results[/] (difference from business as usual set "
            "directly by the posture): "
            + "; ".join(f"{c} ({', '.join(ps)})" for c, ps in flagged.items()),
            highlight=False,
        )
    console.print(
        "Feasibility (P adopted) is reported beside the ranking and never weighted.",
        style="dim", highlight=False,
    )


def _attribution_table(res: Any) -> Table:
    """Per criterion and posture: difference from business as usual by mechanism."""
    from natofutures.analysis import attribution as attrib
    from natofutures.analysis.criteria import SIMULATED
    from natofutures.analysis.mcda import value_scales

    t = Table(
        title="Where each difference from business as usual comes from (central case, "
        "Shapley value by mechanism, in the criterion's unit); * = assumption: "
        "set by the posture",
        title_justify="left",
    )
    t.add_column("criterion / posture", ratio=1)
    t.add_column("total", justify="right")
    t.add_column("set by posture", justify="right")
    t.add_column("mechanisms (largest first)", ratio=2)
    flagged = res.assumptions()
    units = value_scales()
    for c in SIMULATED:
        t.add_row(f"[bold]{_breakable(c)}[/] [dim]{units[c].unit}[/]", "", "", "")
        for p, att in res.attribution.items():
            j = att.criteria.index(c)
            parts = {
                name: float(att.contributions[i, j])
                for i, name in enumerate(att.players) if name != attrib.SET_BY_POSTURE
            }
            ranked = sorted(parts.items(), key=lambda kv: -abs(kv[1]))
            text = ", ".join(f"{_breakable(k)} {_fmt(v)}" for k, v in ranked if abs(v) > 0)
            star = " *" if p in flagged.get(c, []) else ""
            t.add_row(
                f"  {_breakable(p)}{star}",
                _fmt(float(att.total[j])),
                _fmt(float(att.contributions[att.players.index(attrib.SET_BY_POSTURE), j])),
                text or "–",
            )
    return t


def _print_swings(res: Any) -> None:
    """Each perspective's largest swing weights, with the anchors they swing between."""
    years = int(res.run["horizon"]) - int(res.run["t0"])
    console.print(
        "[bold]Swing weights[/] (the worth of moving a criterion from its worst to its best "
        "anchor; fixed scales in parameters/value_scales.yaml), largest four:",
        highlight=False,
    )
    for view in res.perspectives:
        parts = [
            f"{_breakable(e['criterion'])} {e['weight']:.2f} "
            f"({_fmt(e['worst'])} → {_fmt(e['best'])} {e['unit']})"
            for e in view.swings(years)[:4]
        ]
        console.print(f"  [bold]{view.name}[/]: " + "; ".join(parts), highlight=False)


def _forecast_table(forecast: Any, title: str) -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column("posture")
    t.add_column("P(adopted)", justify="right")
    top = forecast.idxmax()
    for p, v in forecast.items():
        t.add_row(f"[bold green]{p}[/]" if p == top else str(p), f"{v:.0%}")
    return t


def _central_weights_line(res: Any, view: str) -> str:
    import numpy as np

    from natofutures.analysis.criteria import CRITERION_NAMES

    i = res.postures.index(res.winner(view))
    cw = res.smaa[view].central_weights[i]
    if np.isnan(cw).any():
        return ""
    top = [j for j in np.argsort(-cw)[:3] if cw[j] >= 0.005]
    return ", ".join(f"{CRITERION_NAMES[j]} {cw[j]:.2f}" for j in top)


def _footer(run: dict[str, Any]) -> str:
    hashes = " ".join(f"{k}={v[:12]}" for k, v in run["scenario_hashes"].items())
    return (
        (f"run {run['run_id']}" if run.get("run_id") else "run not stored")
        + f": seed={run['seed']} draws={run['draws']} "
        f"horizon={run['t0']}–{run['horizon']} data={run['data_version']} "
        f"natofutures={run['package_version']}"
        + (f" smaa={run['smaa_samples']}×{run['smaa_method']}" if "smaa_samples" in run else "")
        + f" status_quo_bonus={run['status_quo_bonus']}\nscenarios: {hashes}"
    )


def _write_report(res: Any, directory: Path) -> None:
    """The HTML report (natofutures.report) plus compare.json and the CSVs, written atomically."""
    import shlex

    from natofutures.cli._recording import reproducing_argv
    from natofutures.report import build_report, check_out, from_comparison

    directory = check_out(directory)
    command = "natofutures " + shlex.join(reproducing_argv())
    build_report(from_comparison(res, command), directory)
    tmp = Path(tempfile.mkdtemp(prefix=".natofutures-report-", dir=directory))
    try:
        (tmp / "compare.json").write_text(json.dumps(res.to_dict(), indent=2), encoding="utf-8")
        flat = res.scorecard.copy()
        flat.columns = [f"{c}.{s}" for c, s in flat.columns]
        flat.to_csv(tmp / "scorecard.csv")
        res.rankings.to_csv(tmp / "rankings.csv")
        res.forecast.to_csv(tmp / "forecast.csv")
        for f in tmp.iterdir():
            os.replace(f, directory / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _record_compare(
    res: Any, store: Path | None, perspectives: list[str] | None, weights: str | None,
    smaa_samples: int, status_quo_bonus: float | None,
) -> str:
    """Keep the compare run in the runs store (``natofutures runs``); returns its stored id."""
    from natofutures import runs
    from natofutures.cli._recording import absolute
    from natofutures.scenario import Scenario

    spec = runs.spec_for(
        "compare",
        [Scenario.model_validate_json(j) for j in res.scenario_json.values()],
        draws=int(res.run["draws"]),
        seed=int(res.run["seed"]),
        horizon=int(res.run["horizon"]),
        options={
            "perspectives": [absolute(p) for p in perspectives or []],
            "weights": weights,
            "smaa_samples": smaa_samples,
            "status_quo_bonus": status_quo_bonus,
        },
        source="cli",
    )
    return record_run(
        spec, runs.tables("compare", res), store=store,
        labels={"content_id": str(res.run.get("run_id", ""))},
    )


@app.command("compare")
def compare_cmd(
    files: list[Path] | None = typer.Argument(
        None, help="Posture or scenario YAML/JSON files to compare (with or instead of --postures)."
    ),
    postures: str | None = typer.Option(None, "--postures", help=POSTURES_HELP),
    draws: int = typer.Option(
        1000, "--draws", help="Monte Carlo draws per posture (0 = central case)."
    ),
    seed: int = typer.Option(20220914, "--seed", help="Seed shared by all postures."),
    horizon: int = typer.Option(2045, "--horizon", help="Last simulated year."),
    perspective: list[str] | None = typer.Option(
        None,
        "--perspective",
        help="Perspective name or YAML file; repeat for several (default: all).",
    ),
    weights: str | None = typer.Option(
        None, "--weights", help="Extra perspective 'custom', e.g. europe_risk=3,us_cost=1."
    ),
    smaa_samples: int = typer.Option(
        100_000, "--smaa-samples", help="SMAA samples per perspective."
    ),
    status_quo_bonus: float | None = typer.Option(
        None,
        "--status-quo-bonus",
        help="Bargaining model's status-quo bonus (default from stakeholders.yaml).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print everything as JSON."),
    full: bool = typer.Option(
        False, "--full", help="After the verdicts, print the scorecard, rank and attribution "
        "tables."
    ),
    report: Path | None = typer.Option(
        None, "--report", help="Also write the report (index.html, summary.md, tables) to DIR."
    ),
    scheduler: str = SCHEDULER_OPT,
    store: Path | None = STORE_OPT,
    no_store: bool = NO_STORE_OPT,
) -> None:
    """Compare the futures of NATO: verdicts first (winner per perspective, forecast,
    assumptions); scorecard, rankings and attribution with --full.

    Example: natofutures compare --draws 500 --perspective restrainer --perspective atlanticist
    """
    from natofutures.analysis.compare import compare

    chosen: list[Any] = postures_and_files(postures, files)
    with status_spinner(not as_json) as update:
        res = compare(
            chosen or None,
            draws=draws,
            seed=seed,
            horizon=horizon,
            perspectives=perspective or None,
            weights=weights,
            smaa_samples=smaa_samples,
            status_quo_bonus=status_quo_bonus,
            progress=update,
            scheduler=scheduler,
        )
    stored = None
    if not no_store:
        stored = _record_compare(
            res, store, perspective, weights, smaa_samples, status_quo_bonus
        )
    # one run id: the id printed (footer, JSON, report) is the id in the store
    res.run["run_id"] = stored
    if report is not None:
        _write_report(res, report)
    if as_json:
        emit_json(res.to_dict())
        return
    _verdicts(res)
    if full:
        console.print(_scorecard_table(res))
        console.print(_rankings_table(res))
        console.print(
            _forecast_table(
                res.forecast,
                "Adoption forecast (bargaining model, status-quo bonus)",
            )
        )
        _print_swings(res)
        if res.attribution:
            console.print(_attribution_table(res))
        console.print("[bold]Why[/] (drivers = the winner's weighted lead over the runner-up):")
        for view in res.perspectives:
            cw = _central_weights_line(res, view.name)
            console.print(
                f"  [bold]{view.name}[/]: {res.summary[view.name]}"
                + (f". Central weights: {cw}" if cw else ""),
                highlight=False,
            )
    else:
        console.print(
            "Scorecard, rank tables and attribution: add --full (or --json, --report DIR).",
            style="dim", highlight=False,
        )
    console.print(_footer(res.run), style="dim", highlight=False)
    if stored is not None:
        console.print(f"stored as run {stored} (natofutures runs show {stored})", style="dim")
    if report is not None:
        console.print(f"wrote {report}/index.html (+ summary.md, tables/, figures/, compare.json)")


# ----------------------------------------------------------------------------- forecast
@app.command("forecast")
def forecast_cmd(
    postures: str | None = typer.Option(None, "--postures", help=POSTURES_HELP),
    draws: int = typer.Option(1000, "--draws", help="Monte Carlo draws per posture."),
    seed: int = typer.Option(20220914, "--seed", help="Seed shared by all postures."),
    horizon: int = typer.Option(2045, "--horizon", help="Last simulated year."),
    status_quo_bonus: float | None = typer.Option(
        None,
        "--status-quo-bonus",
        help="Status-quo bonus, in utility on the fixed value scales "
        "(judgement; default 0.03, range 0–0.075).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Forecast which future NATO adopts: stakeholders, clout from data, bargaining model.

    Example: natofutures forecast --status-quo-bonus 0.06
    """
    from natofutures.analysis.compare import forecast

    with status_spinner(not as_json) as update:
        res = forecast(
            split_csv(postures) or None,
            draws=draws,
            seed=seed,
            horizon=horizon,
            status_quo_bonus=status_quo_bonus,
            progress=update,
        )
    if as_json:
        emit_json(res.to_dict())
        return
    postures_list = list(res.forecast.index)
    t = Table(
        title="Stakeholders: clout (share of alliance GDP and spending, from the data), salience "
        "(judgement), bargaining weight ∝ clout × salience, utility per posture (0–1)",
        title_justify="left",
    )
    t.add_column("stakeholder", no_wrap=True)
    for col in ("clout", "salience", "weight"):
        t.add_column(col, justify="right", no_wrap=True)
    for col in postures_list:
        t.add_column(col.replace("_", " "), justify="right")
    table = res.stakeholders.to_dict("index")
    for row in table.values():
        t.add_row(
            str(row["label"]),
            f"{row['clout']:.1%}",
            f"{row['salience']:.2f}",
            f"{row['weight']:.1%}",
            *[
                f"[bold green]{row[f'utility:{p}']:.2f}[/]"
                if p == row["favourite"]
                else f"{row[f'utility:{p}']:.2f}"
                for p in postures_list
            ],
        )
    console.print(t)
    console.print(
        _forecast_table(res.forecast, f"Adoption forecast (status quo: {res.status_quo})")
    )
    sweep = Table(
        title="The forecast over the judgement range of the status-quo bonus",
        title_justify="left",
    )
    sweep.add_column("bonus", justify="right")
    for p in postures_list:
        sweep.add_column(p.replace("_", " "), justify="right")
    for bonus, row in zip(
        res.status_quo_sweep.index, res.status_quo_sweep.to_dict("records"), strict=True
    ):
        sweep.add_row(f"{bonus:.3f}", *[f"{row[p]:.0%}" for p in postures_list])
    console.print(sweep)
    # forecast runs are not recorded: the footer says so rather than print an id
    console.print(_footer({**res.run, "run_id": None}), style="dim", highlight=False)


# ----------------------------------------------------------------------------- sensitivity
def _plot(result: Any, directory: Path, title: str) -> list[Path]:
    """Horizontal bar charts (tornado-style, sorted) per output: PNG and offline HTML."""
    import numpy as np
    import plotly.graph_objects as go
    from matplotlib.figure import Figure
    from plotly.subplots import make_subplots

    directory.mkdir(parents=True, exist_ok=True)
    key = result.main_index
    other = "S1" if result.method == "sobol" else "sigma"
    outputs = list(dict.fromkeys(result.indices.index.get_level_values("output")))
    fig = Figure(figsize=(6 * len(outputs), 0.35 * 20 + 1.5))
    axes = fig.subplots(1, len(outputs), squeeze=False)[0]
    pfig = make_subplots(rows=1, cols=len(outputs), subplot_titles=outputs)
    for k, out in enumerate(outputs):
        df = result.indices.loc[out].sort_values(key)
        y = np.arange(len(df))
        ax = axes[k]
        ax.barh(y + 0.2, df[key].to_numpy(), height=0.4, label=key)
        ax.barh(y - 0.2, df[other].to_numpy(), height=0.4, label=other)
        ax.set_yticks(y, df.index.tolist(), fontsize=7)
        ax.set_title(out, fontsize=9)
        if k == 0:
            ax.legend(fontsize=7)
        for name in (key, other):
            pfig.add_trace(
                go.Bar(
                    x=df[name].to_numpy(),
                    y=df.index.tolist(),
                    orientation="h",
                    name=name,
                    showlegend=k == 0,
                ),
                row=1,
                col=k + 1,
            )
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    png = directory / "sensitivity.png"
    html = directory / "sensitivity.html"
    fig.savefig(png, dpi=110)
    pfig.update_layout(title=title, barmode="group", height=600)
    pfig.write_html(html, include_plotlyjs=True, full_html=True)
    return [png, html]


@app.command("sensitivity")
def sensitivity_cmd(
    method: str = typer.Option("sobol", "--method", help="sobol (S1, ST) or morris (mu*, sigma)."),
    output: str = typer.Option(
        "europe_risk", "--output",
        help="A criterion, rank:PERSPECTIVE or rank:all (who ranks first, per perspective).",
    ),
    n: int | None = typer.Option(
        None, "--n", help="SALib base sample size (default: sobol 256 for rank:, 64 for a "
        "criterion; morris 20)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of SALib's sampler and bootstrap."),
    horizon: int = typer.Option(2045, "--horizon", help="Last simulated year."),
    postures: str | None = typer.Option(None, "--postures", help=POSTURES_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the indices as JSON."),
    plot: Path | None = typer.Option(
        None, "--plot", help="Write sensitivity.png and .html to DIR."
    ),
    scheduler: str = SCHEDULER_OPT,
    store: Path | None = STORE_OPT,
    no_store: bool = NO_STORE_OPT,
) -> None:
    """Global sensitivity (SALib) of an outcome, or of who ranks first, to the uncertain parameters.

    Example: natofutures sensitivity --method morris --output rank:atlanticist
    """
    from natofutures.analysis import sensitivity as sens

    if method not in sens.SENS_METHODS:
        raise InputError(
            f"--method: {method!r} is not allowed; expected one of {', '.join(sens.SENS_METHODS)}"
        )
    ranking = output.strip().startswith("rank:")
    size = n if n is not None else (
        (256 if ranking else 64) if method == "sobol" else 20
    )
    with status_spinner(not as_json) as update:
        update(f"running the model on SALib's {method} sample")
        res = sens.run_model(
            output,
            method=method,
            n=size,
            seed=seed,
            horizon=horizon,
            postures=split_csv(postures) or None,
            scheduler=scheduler,
        )
    label = sens.parse_output(output).label
    stored = (
        None if no_store
        else _record_sensitivity(res, output, method, size, seed, horizon, postures, store)
    )
    if as_json:
        emit_json({"output": label, "horizon": horizon, "run_id": stored, **res.to_dict()})
        return
    outputs = list(dict.fromkeys(res.indices.index.get_level_values("output")))
    groups: dict[str, list[str]] = {}
    for out in outputs:  # rank:all -> one table per perspective
        head, sep, _ = out.partition(":")
        groups.setdefault(head if sep else label, []).append(out)
    for group, members in groups.items():
        console.print(_sensitivity_table(res, group, members, seed))
    if plot is not None:
        files = _plot(res, plot, f"Sensitivity of {label} ({res.method})")
        console.print("wrote " + ", ".join(str(f) for f in files))
    if stored is not None:
        console.print(f"stored as run {stored} (natofutures runs show {stored})", style="dim")


def _sensitivity_table(res: Any, label: str, outputs: list[str], seed: int) -> Table:
    key = res.main_index
    cols = ["S1", "ST"] if res.method == "sobol" else ["mu_star", "sigma"]
    t = Table(
        title=f"Sensitivity of {label} ({res.method}, {res.samples} model evaluations per "
        f"posture, seed {seed}); parameters ordered by {key} of the first posture",
        title_justify="left",
    )
    t.add_column("parameter", no_wrap=True)
    for out in outputs:
        for c in cols:
            t.add_column(f"{_breakable(out.partition(':')[2] or out)}\n{c}", justify="right")
    first = res.indices.loc[outputs[0]].sort_values(key, ascending=False)
    for param in first.index:
        t.add_row(
            str(param),
            *[_fmt(float(res.indices.loc[(out, param), c])) for out in outputs for c in cols],
        )
    return t


def _record_sensitivity(
    res: Any, output: str, method: str, n: int, seed: int, horizon: int, postures: str | None,
    store: Path | None,
) -> str:
    """Keep the sensitivity run (its indices) in the runs store."""
    from natofutures import runs
    from natofutures.analysis.compare import resolve_postures

    names = split_csv(postures)
    spec = runs.spec_for(
        "sensitivity", resolve_postures(names or None), draws=int(res.samples), seed=seed,
        horizon=horizon, options={"output": output, "method": method, "n": n,
                                  "postures": names},
        source="cli",
    )
    return record_run(spec, runs.tables("sensitivity", res), store=store)
