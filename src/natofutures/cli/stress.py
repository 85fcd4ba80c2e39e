"""CLI commands ``stress`` (crisis scenarios under each posture) and ``campaign`` (a short war).

Heavy modules (xarray, the engine, plotting) are imported inside the commands so that
``natofutures --help`` stays fast.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from natofutures.cli._app import app, console, simple_table
from natofutures.cli._recording import NO_STORE_OPT, SCHEDULER_OPT, STORE_OPT, record_run
from natofutures.errors import InputError

JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of tables.")


_table = simple_table


def _pct(v: Any) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1%}"


def _num(v: Any, fmt: str = "{:.2f}") -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else fmt.format(v)


# --------------------------------------------------------------------------- stress
def _print_list(as_json: bool) -> None:
    from natofutures.analysis.stress import list_scenarios

    df = list_scenarios()
    if as_json:
        typer.echo(json.dumps(df.to_dict(orient="records"), ensure_ascii=False, indent=1))
        return
    console.print(
        _table(
            "Built-in stress scenarios (parameters/scenarios/*.yaml)",
            ["name", "start", "shocks"],
            [[r["name"], str(r["start_year"]), r["shocks"]] for r in df.to_dict("records")],
            caption="Run one: natofutures stress --scenario NAME; details in docs/stress.md",
        )
    )
    for r in df.to_dict("records"):
        console.print(
            f"[bold]{escape(r['name'])}[/] — {escape(r['description'])}\n", highlight=False
        )


def _col(key: str, fmt: Any) -> Any:
    return lambda r: fmt(r[key])


def _before_during(prefix: str) -> Any:
    return lambda r: (
        f"{r[prefix + '_before']:.0f} → {r[prefix + '_during']:.0f} → {r[prefix + '_response']:.0f}"
    )


def _low_balance(r: dict[str, Any]) -> str:
    return f"{r['europe_balance_low_p05']:.2f} (trigger {r['offshore_threshold']:g})"


def _burden(r: dict[str, Any]) -> str:
    before, after = r["europe_burden_before"], r["europe_burden_after"]
    return f"{before:.2%} → {after:.2%} ({r['response_year']})"


def _response(r: dict[str, Any]) -> str:
    return f"{r['europe_burden_response_pp']:+.2f} pp"


def _short_war(r: dict[str, Any]) -> str:
    def missing(v: Any) -> bool:  # None, or the NaN a DataFrame row turns it into
        return v is None or (isinstance(v, float) and math.isnan(v))

    if missing(r["campaign_first_objective"]):
        return "–" if missing(r["campaign_extra_heavy_to_hold"]) else "holds"
    hold = r["campaign_extra_heavy_to_hold"]
    extra = "" if missing(hold) else f"; +{hold:.0f} heavy to hold"
    return f"{r['campaign_hours_to_first']:.0f} h ({r['campaign_first_objective']}{extra})"


def _war_starts(theatre: str) -> Any:
    """Share of draws in which a war starts; "(forced)" when the scenario's shock starts it."""

    def cell(r: dict[str, Any]) -> str:
        share = r.get(f"p_war_starts_{theatre}")
        forced = " (forced)" if r.get(f"war_forced_{theatre}") else ""
        return _pct(share) + forced

    return cell


def _reengagement(row: dict[str, Any]) -> str:
    if not row["offshore_enabled"]:
        return "n/a (no trigger)"
    if row["reengaged_share"] == 0:
        return "no (0% of draws)"
    year = row["reengaged_year_median"]
    return f"{row['reengaged_share']:.0%} of draws, median {year:.0f}"


def _print_stress(res: Any) -> None:
    summary = res.summary.to_dict("records")
    postures = [r["posture"] for r in summary]
    bal = res.balances
    rows: list[list[str]] = []
    for t in ("europe", "indo_pacific"):
        for phase in ("before", "during", "after"):
            sel = bal[(bal.theatre == t) & (bal.phase == phase)].set_index("posture")
            year = int(sel["year"].iloc[0])
            cells = []
            for p in postures:
                r = sel.loc[p]
                band = f" [{r['p05']:.2f}–{r['p95']:.2f}]" if res.draws > 0 else ""
                cells.append(f"{r['median']:.2f}{band}")
            rows.append([f"balance {t}, {phase} ({year})", *cells])
    metric_rows = [
        ("War starts in the window, europe", _war_starts("europe")),
        ("P(deterrence fails by itself), europe", _col("p_deterrence_fails_europe", _pct)),
        ("P(holds | attacked), europe", _col("p_holds_if_fails_europe", _pct)),
        ("War starts in the window, indo_pacific", _war_starts("indo_pacific")),
        ("P(deterrence fails by itself), indo_pacific",
         _col("p_deterrence_fails_indo_pacific", _pct)),
        ("P(holds | attacked), indo_pacific", _col("p_holds_if_fails_indo_pacific", _pct)),
        ("Lowest Europe balance, 5th pct", _low_balance),
        ("US re-engages (offshore trigger)", _reengagement),
        ("US power to europe, before → war → year after", _before_during("us_power_europe")),
        (
            "US power to indo_pacific, before → war → year after",
            _before_during("us_power_indo_pacific"),
        ),
        ("US power left for the other theatre (year after)", _col(
            "us_power_other_theatre_change", _pct
        )),
        ("European burden, before → after", _burden),
        ("European spending response vs no shock", _response),
        ("Short war: hours to first Baltic capital", _short_war),
    ]
    for label, fn in metric_rows:
        rows.append([label, *[fn(r) for r in summary]])
    mc = f"{res.draws} draws, seed {res.seed}" if res.draws > 0 else "deterministic central case"
    wars = ", ".join(f"{t} {y}" for t, y in res.war_years.items()) or "none"
    console.print(
        _table(
            f"Stress test {res.scenario} (start {res.start_year}; wars: {wars}) — {mc}",
            ["indicator", *postures],
            rows,
            caption=(
                f"crisis window {res.window[0]}–{res.window[1]}; balances: median [5–95%]; "
                "war starts: share of draws, forced war shocks included; deterrence fails by "
                "itself: the model's hazard over the window, forced wars excluded; "
                "power in billion constant-2015 US$ (PPP-adjusted capital equivalent)"
            ),
        )
    )


@app.command("stress")
def stress_cmd(
    list_: bool = typer.Option(False, "--list", help="List the built-in crisis scenarios."),
    scenario: str | None = typer.Option(
        None, "--scenario", "-s", help="Built-in scenario name or a scenario YAML/JSON file."
    ),
    postures: list[str] = typer.Option(
        [], "--posture", "-p", help="Posture to run (repeatable; default: all four)."
    ),
    draws: int = typer.Option(200, "--draws", "-n", help="Monte Carlo draws (0 = central case)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same results)."),
    as_json: bool = JSON_OPT,
    plot: Path | None = typer.Option(
        None, "--plot", help="Write balance charts (PNG and offline HTML) into this folder."
    ),
    scheduler: str = SCHEDULER_OPT,
    store: Path | None = STORE_OPT,
    no_store: bool = NO_STORE_OPT,
) -> None:
    """Run a crisis scenario under each posture: balances, deterrence, holding, re-engagement.

    Per posture: theatre balances before/during/after; P(deterrence fails); P(holds if it fails).
    Also: whether and when the US re-engages; US power left for the other theatre.
    And: the European spending response afterwards, against the same posture without shocks.

    Example: natofutures stress --scenario baltic_incursion --posture division_of_labor --draws 500
    """
    if list_:
        _print_list(as_json)
        return
    if scenario is None:
        raise InputError(
            "--scenario: value None not allowed; expected a scenario name "
            "(see `natofutures stress --list`) or a scenario file"
        )
    if draws < 0:
        raise InputError(
            f"--draws: value {draws} not allowed; "
            "expected an integer >= 0 (0 = deterministic central case)"
        )
    if seed < 0:
        raise InputError(f"--seed: value {seed} not allowed; expected a non-negative integer")
    from natofutures.analysis.stress import load_stress_scenario, stress, write_plots
    from natofutures.distributed import parse_scheduler

    parse_scheduler(scheduler)
    load_stress_scenario(scenario)  # fail fast on a bad name before any simulation
    res = stress(scenario, postures=postures or None, draws=draws, seed=seed, scheduler=scheduler)
    files = write_plots(res, plot) if plot is not None else []
    stored = None if no_store else _record_stress(res, scenario, postures, store)
    if as_json:
        out = res.to_dict()
        out["plots"] = [str(f) for f in files]
        out["run_id"] = stored
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    _print_stress(res)
    for f in files:
        console.print(f"wrote {escape(str(f))}", highlight=False)
    if stored is not None:
        console.print(f"stored as run {stored} (natofutures runs show {stored})", style="dim")


def _record_stress(res: Any, scenario: str, postures: list[str], store: Path | None) -> str:
    """Keep the stress run in the runs store with the scenarios it ran."""
    from natofutures import runs
    from natofutures.cli._recording import absolute
    from natofutures.scenario import Scenario

    first = next(iter(res.datasets.values()))
    spec = runs.spec_for(
        "stress",
        [Scenario.model_validate_json(str(ds.attrs["scenario_json"]))
         for ds in res.datasets.values()],
        draws=res.draws, seed=res.seed, horizon=int(first.attrs["horizon"]),
        options={"stress_scenario": absolute(scenario),
                 "postures": [absolute(p) for p in postures]},
        source="cli",
    )
    return record_run(spec, runs.tables("stress", res), store=store,
                      labels={"scenario": res.scenario})


# --------------------------------------------------------------------------- campaign
def _print_campaign(res: Any) -> None:
    rows = []
    for name, hours in res.hours_to_objective.items():
        when = (
            "not reached in the campaign"
            if hours is None
            else f"{hours:.0f} h ({hours / 24:.1f} days)"
        )
        rows.append([name, f"{res.distance_km[name]:.0f}", when])
    if res.extra_heavy_to_hold is None:
        hold = "more than 64 extra heavy brigades"
    elif res.extra_heavy_to_hold == 0:
        hold = "none: the defence avoids a rapid defeat"
    else:
        hold = f"{res.extra_heavy_to_hold} more heavy brigade(s) in place at D-day"
    console.print(
        _table(
            f"Campaign, {res.theatre}: {res.title}",
            ["objective", "distance (km)", "time to the attacker's objective"],
            rows,
            caption=(
                f"initial effective force ratio {_num(res.initial_ratio)}; "
                f"rapid defeat = an objective within {res.rapid_defeat_days:g} days: "
                f"{'yes' if res.rapid_defeat else 'no'}; needed to hold: {hold}"
            ),
        )
    )
    rows = [
        [
            f"{r['side']}: {r['name']}",
            r["type"],
            f"{r['count']:.2f}",
            f"{r['power']:.2f}",
            f"{r['arrival_hours']:.0f}",
        ]
        for r in res.forces.to_dict("records")
    ]
    console.print(
        _table(
            "Forces (brigade equivalents; power in ABCT equivalents)",
            ["side / name", "type", "count", "power", "arrives (h)"],
            rows,
            caption="sources and judgements: parameters/campaign.yaml; method: docs/validation.md",
        )
    )


@app.command("campaign")
def campaign_cmd(
    theatre: str = typer.Option("europe", "--theatre", "-t", help="Theatre (europe)."),
    posture_name: str | None = typer.Option(
        None, "--posture", "-p", help="Posture name or posture file (default: business_as_usual)."
    ),
    case: str | None = typer.Option(
        None,
        "--case",
        help="A bundled force case instead of a posture: nato_2016 or rand_seven_brigades.",
    ),
    extra_heavy: float = typer.Option(
        0.0, "--extra-heavy", help="Additional heavy brigades in place at D-day."
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        help="Scale forces by the engine's simulation of the posture in this year "
        "(default: the end state of the posture's levers).",
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """A short, sharp war in a theatre: hours to the attacker's objectives and brigades to hold.

    Brigades with combat-power scores; reinforcement schedules set by the posture's levers.
    Force-ratio → advance-rate relation (Dupuy, Helmbold) with Lanchester attrition.
    Validated against RAND's 2016 Baltic wargames: natofutures campaign --case nato_2016

    Example: natofutures campaign --theatre europe --posture division_of_labor --year 2035
    """
    from natofutures.analysis.campaign import campaign

    if case is not None and posture_name is not None:
        raise InputError(
            f"--case: value {case!r} not allowed together with --posture; "
            "expected either a posture or a force case"
        )
    res = campaign(
        theatre, posture_name or "business_as_usual", case=case, extra_heavy=extra_heavy, year=year
    )
    if as_json:
        typer.echo(json.dumps(res.to_dict(), ensure_ascii=False, indent=1))
        return
    _print_campaign(res)
