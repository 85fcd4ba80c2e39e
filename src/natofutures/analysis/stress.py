"""Stress tests: built-in crisis scenarios run under each posture (docs/scenarios.md).

A stress scenario is an ordinary scenario file (``parameters/scenarios/*.yaml``, the schema
of :mod:`natofutures.scenario`) whose dated shocks describe a crisis. :func:`stress` runs it
through the public engine (:func:`natofutures.simulate`) under each posture - the file's
posture is replaced, everything else kept - and, with the same draws and seed, the posture
without the shocks as a counterfactual. It reports, per posture:

- theatre balances before, during and after the crisis (median and 5-95% band);
- the share of draws in which a war starts in each theatre during the crisis window, forced
  ``war`` shocks included (``p_war_starts``), apart from
- the probability that deterrence fails by itself over the crisis window, ``1 − Π(1 − h)``
  (the model's hazard; a forced war does not enter it);
- the probability that the coalition holds if it fails (the engine's ``hold_probability``
  in the war year);
- whether and when the US re-engages under the offshore-balancing trigger (``reengaged``);
- US power delivered to each theatre before the crisis, in the war year and the year after
  (when the US surge into the theatre at war has drawn on the other: the power "left for the
  other theatre");
- the lowest European balance (5th percentile over draws) against the trigger's threshold;
- the European spending response afterwards, against the counterfactual without shocks;
- for a war in Europe, the short war itself: hours to the first Baltic capital and the heavy
  brigades needed to avoid a rapid defeat (:func:`natofutures.campaign` with the forces the
  engine gives the posture in the war year).

The *start year* of a scenario is the year of its first ``war`` shock, or of its first shock
if it has no war. The *crisis window* runs from the first shock to the last war (without a
war: to three years after the start); "before" is the year before the window, "during" the
war year in the theatre (else the start year), "after" three years later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natofutures.errors import InputError, not_allowed
from natofutures.parameters import PACKAGE_DIR, list_names

__all__ = [
    "StressResult",
    "StressScenario",
    "list_scenarios",
    "load_stress_scenario",
    "scenario_names",
    "stress",
    "write_plots",
]

THEATRES_REPORTED = ("europe", "indo_pacific")
AFTER_YEARS = 3  # "after" = this many years after the crisis peak
RESPONSE_YEARS = 5  # European spending response measured this many years after the crisis
DEFAULT_POSTURES = (
    "business_as_usual",
    "democracy_international",
    "global_vs_china",
    "division_of_labor",
)
_KEEP = (
    "balance",
    "hazard",
    "hold_probability",
    "coalition_holds",
    "war_started",
    "reengaged",
    "delivered",
    "europe_burden",
    "us_allocation",
)


# --------------------------------------------------------------------------- scenarios
def scenario_names() -> list[str]:
    """Names of the built-in stress scenarios."""
    return list_names("scenarios")


@dataclass(frozen=True)
class StressScenario:
    """A stress scenario file, validated: the scenario and what the report needs from it."""

    name: str
    path: Path
    base: Any  # the validated natofutures.scenario.Scenario of the file
    description: str
    start_year: int
    war_years: dict[str, int]  # theatre -> first war year
    window: tuple[int, int]  # crisis window: first shock year .. last war year (or start + 3)
    shocks: tuple[dict[str, Any], ...]

    def scenario(self, posture: Any = None) -> Any:
        """The scenario under ``posture``: that posture's levers with the file's overrides,
        uncertainty specs, shocks, name and horizon (validated again, all-or-nothing).

        ``posture`` is a built-in name, a posture/scenario file or a ``Scenario``; a scenario's
        own overrides and shocks are kept, the stress file's are applied on top.
        """
        if posture is None:
            return self.base
        sc = _posture_scenario(posture).with_overrides(self.base.overrides)
        sc = sc.with_shocks(list(self.shocks))
        return sc.model_copy(
            update={
                "name": self.base.name,
                "description": self.base.description,
                "uncertainty": dict(self.base.uncertainty),
                "horizon": self.base.horizon,
            }
        )

    def shock_summary(self) -> str:
        """One line listing the shocks, e.g. ``war europe 2027; intentions RUS=1 2026+2y``."""
        parts = []
        for s in self.shocks:
            kind, year = s["kind"], s["year"]
            if kind == "war":
                parts.append(f"war {s['theatre']} {year}")
            elif kind == "intentions":
                dur = f"+{s['duration']}y" if s.get("duration") else "+"
                parts.append(f"intentions {s['adversary']}={s['value']:g} {year}{dur}")
            elif kind in ("spending", "gdp"):
                parts.append(f"{kind} {s['country']}×{s['factor']:g} {year}")
            elif kind == "us_withdrawal":
                dur = f"+{s['duration']}y" if s.get("duration") else "+"
                parts.append(f"US withdrawal {s['theatre']} {year}{dur}")
            elif kind == "us_allocation":
                dur = f"+{s['duration']}y" if s.get("duration") else "+"
                parts.append(f"US share {s['theatre']}={s['value']:g} {year}{dur}")
            else:
                parts.append(f"{kind} {s['factor']:g} {year}")
        return "; ".join(parts)


def _posture_scenario(item: Any) -> Any:
    """A posture given as a built-in name, a posture or scenario file, or a ``Scenario``."""
    from natofutures.scenario import Scenario, load_any

    if isinstance(item, Scenario):
        return item
    if not isinstance(item, str | Path):
        raise not_allowed(
            "postures", type(item).__name__, "posture names, posture/scenario files or Scenarios"
        )
    return load_any(item)


def _label(item: Any, sc: Any) -> str:
    """The name a posture goes by in the tables: a Scenario's or file's name, else the posture."""
    from natofutures.scenario import Scenario

    return str(sc.name) if isinstance(item, Scenario) or Path(str(item)).suffix else str(item)


def load_stress_scenario(name_or_path: Any) -> StressScenario:
    """A built-in stress scenario by name, any scenario file, or a ``Scenario`` with shocks;
    validated completely."""
    from natofutures.scenario import Scenario, load_scenario

    if isinstance(name_or_path, Scenario):
        return _stress_scenario(name_or_path, Path(f"{name_or_path.name}.yaml"))
    if not isinstance(name_or_path, str | Path):
        raise not_allowed(
            "scenario", type(name_or_path).__name__,
            "a stress scenario name, a scenario file or a Scenario",
        )
    text = str(name_or_path)
    if text in scenario_names():
        path = PACKAGE_DIR / "scenarios" / f"{text}.yaml"
    else:
        path = Path(text)
        if path.suffix.lower() not in {".yaml", ".yml", ".json"} or not path.is_file():
            from natofutures.scenario import did_you_mean

            raise not_allowed(
                "scenario",
                text,
                f"one of {', '.join(scenario_names())} or a scenario YAML/JSON file"
                f"{did_you_mean(text, scenario_names())}",
            )
    return _stress_scenario(load_scenario(path), path)  # the engine's schema and validation


def _stress_scenario(sc: Any, path: Path) -> StressScenario:
    shocks = tuple(s.model_dump(mode="json") for s in sc.shocks)
    if not shocks:
        raise not_allowed(
            f"{path.name}: shocks", [], "at least one dated shock in a stress scenario"
        )
    wars: dict[str, int] = {}
    for s in shocks:
        if s["kind"] == "war":
            wars[s["theatre"]] = min(wars.get(s["theatre"], 9999), int(s["year"]))
    first = min(int(s["year"]) for s in shocks)
    start = min(wars.values()) if wars else first
    # the crisis: up to the last war, or - without a war - the shock year and the years after
    end = max(wars.values()) if wars else start + AFTER_YEARS
    return StressScenario(
        name=sc.name,
        path=path,
        base=sc,
        description=" ".join(sc.description.split()),
        start_year=start,
        war_years=wars,
        window=(min(first, start), end),
        shocks=shocks,
    )


def list_scenarios() -> pd.DataFrame:
    """The built-in stress scenarios: name, start year, shocks and what each represents."""
    rows = []
    for name in scenario_names():
        s = load_stress_scenario(name)
        rows.append(
            {
                "name": s.name,
                "start_year": s.start_year,
                "shocks": s.shock_summary(),
                "description": s.description,
                "file": str(s.path),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class StressResult:
    """Outcome of a stress test: one summary row per posture and a tidy balance table."""

    scenario: str
    description: str
    start_year: int
    war_years: dict[str, int]
    window: tuple[int, int]
    draws: int
    seed: int
    summary: pd.DataFrame
    balances: pd.DataFrame
    datasets: dict[str, Any] = field(repr=False, default_factory=dict)
    baselines: dict[str, Any] = field(repr=False, default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready result (NaN as None)."""

        def clean(df: pd.DataFrame) -> list[dict[str, Any]]:
            out = df.astype(object).where(df.notna(), None).to_dict(orient="records")
            return [{str(k): _py(v) for k, v in row.items()} for row in out]

        return {
            "scenario": self.scenario,
            "description": self.description,
            "start_year": self.start_year,
            "war_years": self.war_years,
            "crisis_window": list(self.window),
            "draws": self.draws,
            "seed": self.seed,
            "summary": clean(self.summary),
            "balances": clean(self.balances),
        }


def _py(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    return v


# --------------------------------------------------------------------------- the runner
def _check_draws(draws: object) -> int:
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or int(draws) < 0:
        raise not_allowed("draws", draws, "an integer >= 0 (0 = deterministic central case)")
    return int(draws)


def _check_postures(postures: Iterable[Any] | None) -> list[tuple[str, Any]]:
    """(label, Scenario) per posture, validated before any simulation; labels distinct."""
    if isinstance(postures, str | Path):
        postures = [t.strip() for t in str(postures).split(",") if t.strip()]
    items = list(DEFAULT_POSTURES if postures is None else postures)
    if not items:
        raise not_allowed("postures", items, "at least one posture name or posture file")
    out = []
    for item in items:
        sc = _posture_scenario(item)  # raises a one-line error naming the allowed postures
        out.append((_label(item, sc), sc))
    labels = [label for label, _ in out]
    dupes = sorted({x for x in labels if labels.count(x) > 1})
    if dupes:
        raise not_allowed(
            "postures", ", ".join(dupes),
            "distinct names (rename a variant: sc.with_overrides({...}, name='new_name'))",
        )
    return out


def _years(ds: Any) -> list[int]:
    return [int(y) for y in ds.year.values]


def _clip_year(year: int, ds: Any) -> int:
    years = _years(ds)
    return min(max(year, years[0]), years[-1])


def _quantiles(values: np.ndarray) -> tuple[float, float, float]:
    vals = np.asarray(values, dtype=float).ravel()
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return float("nan"), float("nan"), float("nan")
    q = np.quantile(vals, [0.5, 0.05, 0.95])
    return float(q[0]), float(q[1]), float(q[2])


def _phase_years(st: StressScenario, theatre: str, ds: Any) -> dict[str, int]:
    during = st.war_years.get(theatre, st.start_year)
    return {
        "before": _clip_year(st.window[0] - 1, ds),
        "during": _clip_year(during, ds),
        "after": _clip_year(during + AFTER_YEARS, ds),
    }


def _summarise(st: StressScenario, posture: str, ds: Any, base: Any, levers: Any) -> dict[str, Any]:
    """One summary row for one posture."""
    lo, hi = (_clip_year(y, ds) for y in st.window)
    row: dict[str, Any] = {"posture": posture}
    for t in THEATRES_REPORTED:
        h = ds.hazard.sel(theatre=t, year=slice(lo, hi)).to_numpy().astype(float)
        p_fail = 1.0 - np.prod(1.0 - h, axis=1)
        row[f"p_deterrence_fails_{t}"] = float(np.mean(p_fail))
        started = ds.war_started.sel(theatre=t, year=slice(lo, hi)).to_numpy().astype(bool)
        row[f"p_war_starts_{t}"] = float(np.mean(started.any(axis=1)))
        row[f"war_forced_{t}"] = t in st.war_years
        war_year = _clip_year(st.war_years.get(t, st.start_year), ds)
        hold = ds.hold_probability.sel(theatre=t, year=war_year).to_numpy().astype(float)
        row[f"p_holds_if_fails_{t}"] = float(np.mean(hold))
    # offshore-balancing trigger
    reeng = ds.reengaged.to_numpy().astype(bool)
    years = np.array(_years(ds))
    fired = reeng.any(axis=1)
    row["offshore_enabled"] = bool(float(levers.parameter("offshore.enabled")) >= 0.5)
    row["reengaged_share"] = float(fired.mean())
    first = np.where(fired, years[np.argmax(reeng, axis=1)], -1)
    row["reengaged_year_median"] = float(np.median(first[fired])) if fired.any() else None
    # how close the European balance came to the trigger's threshold
    eu_bal = ds.balance.sel(theatre="europe", year=slice(lo, _clip_year(hi + AFTER_YEARS, ds)))
    row["offshore_threshold"] = float(levers.parameter("offshore.threshold"))
    row["europe_balance_low_p05"] = float(
        np.quantile(eu_bal.to_numpy().astype(float).min(axis=1), 0.05)
    )
    # US power in each theatre: before, in the (last) war year, and the year after it, when
    # the US surge into the theatre at war (engine.war_feedback) has drawn on the others
    us = ds.delivered.sel(country="USA")
    before = _clip_year(st.window[0] - 1, ds)
    during_year = _clip_year(max(st.war_years.values(), default=st.start_year), ds)
    response_year = _clip_year(during_year + 1, ds)
    row["us_response_year"] = response_year
    for t in THEATRES_REPORTED:
        for key, year in (("before", before), ("during", during_year), ("response", response_year)):
            row[f"us_power_{t}_{key}"] = float(np.median(us.sel(theatre=t, year=year).to_numpy()))
    others = [t for t in THEATRES_REPORTED if t not in st.war_years]
    row["other_theatre"] = others[0] if st.war_years and len(others) == 1 else None
    if row["other_theatre"] is not None:
        t = row["other_theatre"]
        b, d = row[f"us_power_{t}_before"], row[f"us_power_{t}_response"]
        row["us_power_other_theatre_change"] = (d / b - 1.0) if b > 0 else None
    else:
        row["us_power_other_theatre_change"] = None
    # European spending response afterwards (against the same posture without shocks)
    resp_year = _clip_year(hi + RESPONSE_YEARS, ds)
    eb = ds.europe_burden.sel(year=resp_year).to_numpy().astype(float)
    eb0 = base.europe_burden.sel(year=resp_year).to_numpy().astype(float)
    row["europe_burden_before"] = float(np.median(ds.europe_burden.sel(year=before).to_numpy()))
    row["europe_burden_after"] = float(np.median(eb))
    row["europe_burden_response_pp"] = float(np.median(eb - eb0) * 100.0)
    row["response_year"] = resp_year
    return row


def _campaign_row(st: StressScenario, sc: Any) -> dict[str, Any]:
    """The short war behind a European war shock: the campaign module with the forces the
    engine gives the posture in the war year (natofutures.analysis.campaign)."""
    from natofutures.analysis.campaign import campaign

    year = st.war_years.get("europe")
    if year is None:
        return {
            "campaign_first_objective": None,
            "campaign_hours_to_first": None,
            "campaign_extra_heavy_to_hold": None,
        }
    res = campaign("europe", sc, year=year)
    return {
        "campaign_first_objective": res.first_objective,
        "campaign_hours_to_first": res.hours_to_first,
        "campaign_extra_heavy_to_hold": res.extra_heavy_to_hold,
    }


def _balance_rows(st: StressScenario, posture: str, ds: Any) -> list[dict[str, Any]]:
    rows = []
    for t in THEATRES_REPORTED:
        for phase, year in _phase_years(st, t, ds).items():
            med, p05, p95 = _quantiles(ds.balance.sel(theatre=t, year=year).to_numpy())
            rows.append(
                {
                    "posture": posture,
                    "theatre": t,
                    "phase": phase,
                    "year": year,
                    "median": med,
                    "p05": p05,
                    "p95": p95,
                }
            )
    return rows


def stress(
    scenario: Any,
    postures: Sequence[Any] | str | None = None,
    draws: int = 200,
    seed: int = 0,
    horizon: int | None = None,
    scheduler: str | None = None,
) -> StressResult:
    """Run a crisis scenario under each posture through :func:`natofutures.simulate`.

    Parameters
    ----------
    scenario : a built-in name (:func:`scenario_names`), a scenario YAML/JSON file or a
        ``Scenario`` with shocks.
    postures : built-in posture names, posture/scenario files or ``Scenario`` objects
        (default: the four built-in postures); each is named in the tables by its name.
    draws : Monte Carlo draws (0 = the deterministic central case).
    seed : random seed; the counterfactual without shocks uses the same draws.
    horizon : last simulated year (default: the scenario's, else 2045).
    scheduler : where the draws run (``local``, ``local:N``, ``tcp://HOST:PORT``); results are
        identical on any of them.

    Returns
    -------
    StressResult with ``summary`` (one row per posture) and ``balances`` (posture ×
    theatre × phase), ``datasets`` (the engine's results) and ``to_dict()``.
    """
    from natofutures.engine.simulate import simulate

    st = load_stress_scenario(scenario)
    n = _check_draws(draws)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise not_allowed("seed", seed, "a non-negative integer")
    chosen = _check_postures(postures)
    rows, bal = [], []
    datasets, baselines = {}, {}
    for key, given in chosen:
        sc = st.scenario(given)
        base = sc.model_copy(update={"shocks": ()})
        ds = simulate(
            sc, draws=n, seed=int(seed), horizon=horizon, variables=_KEEP, scheduler=scheduler
        )
        ds0 = simulate(
            base, draws=n, seed=int(seed), horizon=horizon, variables=["europe_burden"],
            scheduler=scheduler,
        )
        if int(ds.year.values[-1]) < st.window[1]:
            raise InputError(
                f"horizon: value {int(ds.year.values[-1])} not allowed; expected a year at or "
                f"after the scenario's last war year {st.window[1]}"
            )
        rows.append({**_summarise(st, key, ds, ds0, sc), **_campaign_row(st, sc)})
        bal.extend(_balance_rows(st, key, ds))
        datasets[key], baselines[key] = ds, ds0
    return StressResult(
        scenario=st.name,
        description=st.description,
        start_year=st.start_year,
        war_years=st.war_years,
        window=st.window,
        draws=n,
        seed=int(seed),
        summary=pd.DataFrame(rows),
        balances=pd.DataFrame(bal),
        datasets=datasets,
        baselines=baselines,
    )


# --------------------------------------------------------------------------- plots
def write_plots(result: StressResult, directory: Path) -> list[Path]:
    """Balance paths per posture (median and 5–95% band), war years marked: PNG + offline HTML."""
    import plotly.graph_objects as go
    from matplotlib.figure import Figure
    from plotly.subplots import make_subplots

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise not_allowed("--plot", str(directory), "a folder (it is a file)")
    directory.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=(11, 4.2))
    axes = fig.subplots(1, len(THEATRES_REPORTED), squeeze=False)[0]
    pfig = make_subplots(rows=1, cols=len(THEATRES_REPORTED), subplot_titles=THEATRES_REPORTED)
    for j, t in enumerate(THEATRES_REPORTED):
        ax = axes[j]
        for posture, ds in result.datasets.items():
            bal = ds.balance.sel(theatre=t)
            years = np.array(_years(ds))
            med = bal.median("draw").to_numpy()
            lo = bal.quantile(0.05, dim="draw").to_numpy()
            hi = bal.quantile(0.95, dim="draw").to_numpy()
            (line,) = ax.plot(years, med, label=posture)
            if result.draws > 0:
                ax.fill_between(years, lo, hi, alpha=0.15, color=line.get_color())
            pfig.add_trace(
                go.Scatter(x=years, y=med, name=f"{posture} ({t})", mode="lines"),
                row=1,
                col=j + 1,
            )
        for wt, wy in result.war_years.items():
            own = wt == t  # the war in this panel's theatre: dashed and labelled; others dotted
            ax.axvline(wy, color="black" if own else "grey", linestyle="--" if own else ":", lw=0.8)
            if own:
                ax.text(wy, ax.get_ylim()[1], f" war {wy}", fontsize=7, va="top")
        ax.set_title(f"balance R, {t}")
        ax.set_xlabel("year")
        ax.set_ylabel("coalition / adversary power")
    axes[0].legend(fontsize=7)
    fig.suptitle(f"Stress test {result.scenario} ({result.draws} draws, seed {result.seed})")
    fig.tight_layout()
    png = directory / f"stress_{result.scenario}.png"
    html = directory / f"stress_{result.scenario}.html"
    fig.savefig(png, dpi=110)
    pfig.update_layout(title=f"Stress test {result.scenario}")
    pfig.write_html(html, include_plotlyjs=True, full_html=True)
    return [png, html]
