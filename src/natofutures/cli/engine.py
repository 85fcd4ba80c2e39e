"""CLI commands of the engine: postures, posture show/diff, simulate, threat, scenario validate."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xarray as xr

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from natofutures.cli._app import app, console, console_err, simple_table
from natofutures.cli._recording import (
    KEEP_ARRAYS_OPT,
    NO_STORE_OPT,
    SCHEDULER_OPT,
    STORE_OPT,
    record_run,
)
from natofutures.errors import InputError, ScenarioError

posture_app = typer.Typer(
    name="posture",
    help=(
        "Inspect the built-in postures (the four futures) and their levers.\n\n"
        "Example: natofutures posture show division_of_labor"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)
scenario_app = typer.Typer(
    name="scenario",
    help=(
        "Check scenario files (posture + overrides + uncertainty + shocks).\n\n"
        "Example: natofutures scenario validate my_scenario.yaml"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(posture_app, name="posture")
app.add_typer(scenario_app, name="scenario")

JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of tables.")


_table = simple_table


def _lever_rows(name: str) -> list[dict[str, Any]]:
    from natofutures.scenario import parameter_table, posture

    sc = posture(name)
    table = parameter_table()
    rows = []
    for path, spec in table.items():
        if not spec.lever:
            continue
        value = sc.levers.get(path, spec.value)
        reason = sc.lever_reasons.get(path, "(default: business as usual) " + spec.source)
        rows.append({"lever": path, "value": value, "unit": spec.unit, "reason": reason})
    return rows


# --------------------------------------------------------------------------- postures
@app.command("postures")
def postures_cmd(as_json: bool = JSON_OPT) -> None:
    """List the built-in postures (the essay's four futures) with a one-line summary.

    Example: natofutures postures
    """
    from natofutures.scenario import posture, posture_names

    rows = [
        {"name": n, "title": posture(n).posture_title, "summary": posture(n).posture_summary}
        for n in posture_names()
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    console.print(
        _table(
            "Built-in postures",
            ["name", "summary"],
            [[r["name"], r["summary"]] for r in rows],
            caption="Details: natofutures posture show NAME; in Python: nf.postures()",
            left=(0, 1),
        )
    )


@posture_app.command("show")
def posture_show(
    name: str = typer.Argument(..., help="Posture name or posture YAML file."),
    as_json: bool = JSON_OPT,
) -> None:
    """Print every lever of a posture with its value, unit and the reason (the essay's sentence).

    Example: natofutures posture show division_of_labor
    """
    from natofutures.scenario import posture

    sc = posture(name)
    rows = _lever_rows(name)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "name": sc.posture,
                    "title": sc.posture_title,
                    "summary": sc.posture_summary,
                    "levers": rows,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    console.print(
        _table(
            f"{sc.posture_title or sc.posture}",
            ["lever", "value", "unit", "reason"],
            [[r["lever"], f"{r['value']:g}", r["unit"], r["reason"]] for r in rows],
            caption=sc.posture_summary,
            left=(0, 2, 3),
        )
    )


@posture_app.command("diff")
def posture_diff(
    a: str = typer.Argument(..., help="First posture."),
    b: str = typer.Argument(..., help="Second posture."),
    as_json: bool = JSON_OPT,
) -> None:
    """Print only the levers that differ between two postures.

    Example: natofutures posture diff business_as_usual division_of_labor
    """
    ra = {r["lever"]: r for r in _lever_rows(a)}
    rb = {r["lever"]: r for r in _lever_rows(b)}
    diff = [
        {"lever": k, a: ra[k]["value"], b: rb[k]["value"], "unit": ra[k]["unit"]}
        for k in ra
        if ra[k]["value"] != rb[k]["value"]
    ]
    if as_json:
        typer.echo(json.dumps(diff, ensure_ascii=False, indent=1))
        return
    if not diff:
        console.print(f"{a} and {b} set every lever alike.")
        return
    console.print(
        _table(
            f"{a} vs {b}",
            ["lever", a, b, "unit"],
            [[d["lever"], f"{d[a]:g}", f"{d[b]:g}", d["unit"]] for d in diff],
            left=(0, 3),
        )
    )


# --------------------------------------------------------------------------- simulate
def _parse_set(items: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        path, sep, raw = item.partition("=")
        if not sep or not path.strip():
            raise InputError(f"--set: value {item!r} not allowed; expected path.to.param=value")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise InputError(
                f"--set {path}: value {raw!r} not allowed; "
                "expected a number (or a JSON {year: value} map)"
            ) from None
        out[path.strip()] = value
    return out


def _load(posture_or_file: str) -> Any:
    from natofutures.scenario import load_any

    return load_any(posture_or_file)


def parse_years(text: str | None, first: int, last: int) -> list[int] | None:
    """``--years``: ``2031,2032,2033`` or ranges ``2031-2033`` (comma-separated), each year in
    the simulated span [first, last]; None when not given (milestone years)."""
    if text is None:
        return None
    years: list[int] = []
    for part in [t.strip() for t in text.split(",") if t.strip()]:
        lo, sep, hi = part.partition("-")
        try:
            span = range(int(lo), int(hi) + 1) if sep else range(int(lo), int(lo) + 1)
        except ValueError:
            raise InputError(
                f"--years: value {part!r} not allowed; expected years such as 2031,2032 or "
                "2031-2033"
            ) from None
        bad = [y for y in span if not first <= y <= last]
        if bad or not span:
            raise InputError(
                f"--years: value {part!r} not allowed; expected years in the simulated span "
                f"[{first}, {last}] (raise --horizon for later years)"
            )
        years.extend(y for y in span if y not in years)
    if not years:
        raise InputError(f"--years: value {text!r} not allowed; expected at least one year")
    return sorted(years)


def _summary(ds: xr.Dataset, chosen: list[int] | None = None) -> list[dict[str, Any]]:
    """Median and 5-95% band of the shared headline indicators (natofutures.indicators) in the
    chosen years (default: t0, the milestone years and the horizon)."""
    from natofutures.indicators import milestone_rows

    return milestone_rows(ds, years=chosen)


def _fmt(key: str, cell: dict[str, float], mc: bool) -> str:
    if "share_of_draws" in cell:
        return f"{cell['share_of_draws']:.0%}"
    pct = any(k in key for k in ("burden", "hazard", "risk"))

    def one(v: float) -> str:
        if math.isinf(v):
            return "inf"
        return f"{v:.2%}" if pct else f"{v:.2f}"

    return one(cell["median"]) + (f" [{one(cell['p05'])}–{one(cell['p95'])}]" if mc else "")


def _write(ds: xr.Dataset, out: Path) -> None:
    """Write atomically: a temp file in the same folder, renamed when complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".natofutures-", suffix=out.suffix)
    os.close(fd)
    try:
        if out.suffix == ".nc":
            ds.to_netcdf(tmp, engine="h5netcdf")
        else:
            import pandas as pd

            frames = []
            for name, da in ds.data_vars.items():
                df = da.astype(float).to_dataframe(name="value").reset_index()
                df.insert(0, "variable", str(name))
                df["units"] = da.attrs.get("units", "")
                frames.append(df)
            long = pd.concat(frames, ignore_index=True)
            keep = ["variable", "draw", "year", "country", "theatre", "adversary", "value", "units"]
            long = long[[c for c in keep if c in long.columns]]
            long.to_parquet(tmp, index=False)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@app.command("simulate")
def simulate_cmd(
    file: str | None = typer.Argument(
        None,
        metavar="FILE",
        help="Scenario or posture file (YAML/JSON), or a posture name; same as --posture.",
    ),
    posture_name: str | None = typer.Option(
        None,
        "--posture",
        "-p",
        help="Posture name, posture file or scenario file (default: business_as_usual).",
    ),
    horizon: int | None = typer.Option(
        None, "--horizon", help="Last simulated year (default: the scenario's, else 2045)."
    ),
    years_opt: str | None = typer.Option(
        None,
        "--years",
        help="Years to show, e.g. 2031,2032,2033 or 2031-2033 (default: milestone years).",
    ),
    draws: int = typer.Option(
        0, "--draws", "-n", help="Monte Carlo draws; 0 = the deterministic central case."
    ),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same results)."),
    sets: list[str] = typer.Option(
        [], "--set", help="Override a parameter: path.to.param=value (repeatable)."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Write the full results to FILE.nc (netCDF) or FILE.parquet (long format).",
    ),
    as_json: bool = JSON_OPT,
    scheduler: str = SCHEDULER_OPT,
    store: Path | None = STORE_OPT,
    no_store: bool = NO_STORE_OPT,
    keep_arrays: bool = KEEP_ARRAYS_OPT,
) -> None:
    """Run the model and print a summary for milestone years (or the --years chosen).

    European and US burdens, theatre balances, deterrence hazards and cumulative risks,
    European credibility of US protection and re-engagement; Monte Carlo runs show the median
    and the 5–95% range.

    Example: natofutures simulate my_scenario.yaml --draws 500 --years 2031-2033

    Example: natofutures simulate -p division_of_labor --draws 2000 --seed 7 --set us.resolve=0.4
    """
    from natofutures.distributed import parse_scheduler
    from natofutures.engine.simulate import simulate

    if file is not None and posture_name is not None and file != posture_name:
        raise InputError(
            f"--posture: value {posture_name!r} not allowed together with FILE {file!r}; "
            "expected one of them"
        )
    posture_name = file or posture_name or "business_as_usual"
    parse_years(years_opt, 1990, 2100)  # the syntax now; the span once the horizon is known
    parse_scheduler(scheduler)
    if out is not None and out.suffix not in (".nc", ".parquet"):
        raise InputError(
            f"--out: value {str(out)!r} not allowed; expected a file name ending in .nc or .parquet"
        )
    if draws < 0:
        raise InputError(
            f"--draws: value {draws} not allowed; "
            "expected an integer >= 0 (0 = deterministic central case)"
        )
    sc = _load(posture_name)
    if sets:
        sc = sc.with_overrides(_parse_set(sets))
    if draws >= 500:
        with Progress(
            TextColumn("simulating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console_err,
            transient=True,
        ) as bar:
            task = bar.add_task("draws", total=draws)
            ds = simulate(
                sc,
                draws=draws,
                seed=seed,
                horizon=horizon,
                progress=lambda done, _total: bar.update(task, completed=done),
                scheduler=scheduler,
            )
    else:
        ds = simulate(sc, draws=draws, seed=seed, horizon=horizon, scheduler=scheduler)
    chosen = parse_years(years_opt, int(ds.year.values[0]), int(ds.year.values[-1]))
    if out is not None:
        _write(ds, out)
    rows = _summary(ds, chosen)
    stored = None
    if not no_store:
        from natofutures import runs
        from natofutures.indicators import milestone_table

        spec = runs.spec_for(
            "simulate", [sc], draws=draws, seed=seed, horizon=int(ds.attrs["horizon"]),
            source="cli",
        )
        stored = record_run(
            spec, {"milestones": milestone_table(rows)}, store=store,
            arrays=ds if keep_arrays else None,
        )
    if as_json:
        meta = {
            k: ds.attrs[k]
            for k in (
                "posture",
                "scenario",
                "scenario_hash",
                "seed",
                "draws",
                "t0",
                "horizon",
                "data_version",
                "package_version",
            )
        }
        meta = {k: (v.item() if hasattr(v, "item") else v) for k, v in meta.items()}
        payload = {**meta, "out": str(out) if out else None, "run_id": stored, "milestones": rows}
        typer.echo(json.dumps(payload, indent=1))
        return
    keys = [k for k in rows[0] if k != "year"]
    mc = draws > 0
    title = f"{ds.attrs['scenario']} ({ds.attrs['posture']}) — " + (
        f"{draws} draws, seed {seed}" if mc else "deterministic central case"
    )
    tbl = _table(
        title,
        ["indicator", *[str(r["year"]) for r in rows]],
        [[k, *[_fmt(k, r[k], mc) for r in rows]] for k in keys],
        caption=f"scenario {ds.attrs['scenario_hash'][:12]} · data {ds.attrs['data_version']}"
        + (f" · written to {out}" if out else "")
        + (f" · stored as run {stored}" if stored else ""),
    )
    console.print(tbl)


# --------------------------------------------------------------------------- threat
@app.command("threat")
def threat_cmd(
    posture_name: str = typer.Option(
        "business_as_usual", "--posture", "-p", help="Posture name or scenario file."
    ),
    year: int | None = typer.Option(None, "--year", help="Year (default: the base year t0)."),
    country: str | None = typer.Option(
        None, "--country", help="Comma-separated ISO3 codes (default: every European ally)."
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Each ally's perceived threat from each adversary, split into Walt's four components.

    threat = power × proximity × offensive × intentions; ``driver`` is the component that most
    separates the adversaries for that country.

    Example: natofutures threat --country DEU,POL,USA --year 2030
    """
    from natofutures.engine.baseline import default_baseline
    from natofutures.engine.simulate import threat_decomposition

    sc = _load(posture_name)
    b = default_baseline()
    if country is None:
        codes = [c for c, e, r in zip(b.iso3, b.european, b.role, strict=True) if e and r == "ally"]
    else:
        codes = [c.strip().upper() for c in country.split(",") if c.strip()]
        if not codes:
            raise InputError(
                f"--country: value {country!r} not allowed; expected comma-separated ISO3 codes"
            )
    df = threat_decomposition(sc, year=year, countries=codes, baseline=b)
    if as_json:
        typer.echo(df.to_json(orient="records", double_precision=6))
        return
    cols = [
        "country",
        "adversary",
        "power",
        "proximity",
        "offensive",
        "intentions",
        "threat",
        "driver",
    ]
    rows = [
        [r["country"], r["adversary"], *[f"{r[c]:.3g}" for c in cols[2:7]], r["driver"]]
        for r in df.to_dict("records")
    ]
    console.print(
        _table(
            f"Perceived threat, {int(df['year'].iloc[0])} ({sc.posture})",
            cols,
            rows,
            caption="threat = power × proximity × offensive × intentions (Walt 1987)",
        )
    )


# --------------------------------------------------------------------------- scenario validate
@scenario_app.command("validate")
def scenario_validate(
    file: Path = typer.Argument(..., help="Scenario or posture file (YAML or JSON)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Check a scenario or posture file with every check simulate makes.

    The file is validated completely (every problem listed, with a count), then the engine
    reads it as simulate would, on one draw, so what passes here runs there. Every error names
    the field, the value and what is allowed.

    Example: natofutures scenario validate my_scenario.yaml
    """
    from natofutures.engine.simulate import simulate
    from natofutures.scenario import is_posture_file, load_any

    if not file.is_file():
        raise ScenarioError(
            f"file: value {str(file)!r} not allowed; expected an existing YAML or JSON file"
        )
    kind = "posture" if is_posture_file(file) else "scenario"
    sc = load_any(str(file))
    # the engine's own checks of its inputs (shock countries, dated US shares, which
    # parameters may be uncertain): one draw on the plain-NumPy path, nothing recorded
    simulate(sc, draws=1, seed=0, backend="numpy", variables=["europe_burden"])
    info = {
        "valid": True,
        "kind": kind,
        "name": sc.name,
        "posture": sc.posture,
        "levers": len(sc.levers),
        "overrides": len(sc.overrides),
        "uncertainties": len(sc.uncertainty),
        "shocks": len(sc.shocks),
        "horizon": sc.horizon,
        "scenario_hash": sc.hash,
    }
    if as_json:
        typer.echo(json.dumps(info, indent=1))
        return
    what = (
        f"{len(sc.levers)} lever(s)"
        if kind == "posture"
        else f"posture {sc.posture}; {len(sc.overrides)} override(s), "
        f"{len(sc.uncertainty)} uncertainty spec(s), {len(sc.shocks)} shock(s)"
    )
    console.print(
        f"[green]valid[/] {kind}: {escape(sc.name)} ({escape(what)}); hash {sc.hash[:12]}. "
        f"Run it: natofutures simulate {escape(str(file))}",
        highlight=False,
    )
