"""Build the report of a compare run: ``index.html``, ``summary.md``, tables and figures.

The HTML is one self-contained file (figures embedded as base64 PNG data URIs, CSS inline,
no scripts, no external requests) that prints well. Every figure's table is written as CSV
and Parquet under ``tables/``, every figure as PNG under ``figures/``. Files are written to a
temporary folder beside ``out`` first and moved into place only when all are ready, so an
error leaves nothing behind.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from natofutures._format import sig3 as fmt
from natofutures.errors import InputError
from natofutures.report import figures as figs
from natofutures.report.data import ReportData, check_consistent

#: Morris trajectories of the default "what drives the ranking" analysis (about 2 s).
DEFAULT_SENSITIVITY_N = 8
#: First year of the burden-sharing history shown.
HISTORY_FROM = 1990


@dataclass
class Section:
    """A built section: its tables (name -> DataFrame) and figures (name -> PNG bytes)."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)


def check_out(out: Path | str) -> Path:
    """``--out``: a folder (created if missing, whose parent exists); never a file."""
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise InputError(f"--out: {str(path)!r} is a file; expected a directory")
    parent = path.resolve().parent
    if not parent.is_dir():
        raise InputError(f"--out: parent folder {str(parent)!r} does not exist")
    return path


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=figs.DPI)
    return buf.getvalue()


# ----------------------------------------------------------------------------- sections
def _base_posture(name: str) -> Any:
    from natofutures.scenario import posture, posture_names

    return posture(name) if name in posture_names() else None


#: Number words for the report's heading ("Two futures compared").
_NUMBER_WORDS = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
                 "Ten", "Eleven", "Twelve")


def count_word(n: int) -> str:
    """``n`` as a capitalised English word up to twelve, else as digits."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _value_text(value: Any) -> str:
    """A parameter value as printed: 3 significant digits; dated values as ``year: value``."""
    if isinstance(value, dict):
        return "; ".join(f"{y}: {fmt(float(v))}" for y, v in sorted(value.items()))
    return fmt(float(value))


def _spec_text(model: Any, skip: tuple[str, ...]) -> str:
    """``key value, …`` of a shock or distribution model, leaving out ``skip`` and unset fields."""
    fields = model.model_dump(mode="json")
    return ", ".join(
        f"{k.replace('_', ' ')} {_value_text(v) if isinstance(v, float) else v}"
        for k, v in fields.items() if k not in skip and v is not None
    )


def _scenario_card(sc: Any) -> dict[str, Any]:
    """Title, summary and what a scenario changes: overrides, dated shocks, uncertainty."""
    from natofutures.scenario import parameter_table

    base = _base_posture(sc.posture)
    title = sc.posture_title or (base.posture_title if base is not None else "") or sc.posture
    summary = sc.posture_summary or (base.posture_summary if base is not None else "")
    units = {k: v.unit for k, v in parameter_table().items()}
    return {
        "posture": sc.name,
        "title": title,
        "summary": summary,
        # a scenario built on a posture (its own name, overrides, shocks or distributions)
        "scenario": sc.name != sc.posture or bool(sc.overrides or sc.shocks or sc.uncertainty),
        "base": sc.posture,
        "description": sc.description,
        "overrides": [f"{k} = {_value_text(v)} ({units.get(k, '')})"
                      for k, v in sorted(sc.overrides.items())],
        "shocks": [f"{sh.kind.replace('_', ' ')} in {sh.year}: {_spec_text(sh, ('kind', 'year'))}"
                   for sh in sc.shocks],
        "uncertainty": [f"{k} ~ {d.dist}({_spec_text(d, ('dist',))})"
                        for k, d in sorted(sc.uncertainty.items())],
    }


def _lever_rows(scenarios: list[Any]) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The levers (and overridden parameters) whose values in force differ between scenarios.

    Returns a long table (lever, unit, posture, value, value_text, origin) and the rows of the
    report's table. A value in force is the scenario's override, else its posture's lever,
    else the default from defaults.yaml (a posture file that leaves a lever out inherits the
    default): every cell has a value and says where it comes from.
    """
    from natofutures.scenario import parameter_table

    table = parameter_table()
    paths = sorted({k for sc in scenarios for k in (*sc.levers, *sc.overrides)})
    long, rows = [], []
    for path in paths:
        values = [sc.parameter(path) for sc in scenarios]
        texts = [_value_text(v) for v in values]
        if len(set(texts)) < 2:
            continue
        unit = table[path].unit if path in table else ""
        cells = []
        for sc, value, text in zip(scenarios, values, texts, strict=True):
            origin = ("override" if path in sc.overrides
                      else "posture" if path in sc.levers else "default")
            cells.append({"text": text, "origin": origin})
            long.append({"lever": path, "unit": unit, "posture": sc.name,
                         "value": float("nan") if isinstance(value, dict) else float(value),
                         "value_text": text, "origin": origin})
        rows.append({"lever": path, "unit": unit, "cells": cells})
    columns = ["lever", "unit", "posture", "value", "value_text", "origin"]
    return pd.DataFrame(long, columns=columns), rows


def _futures(data: ReportData) -> Section:
    """The futures compared: title, summary and changes of each, and the levers that differ."""
    cards: list[dict[str, Any]] = []
    known = []
    for p in data.postures:
        sc = data.scenarios.get(p)
        if sc is None:
            cards.append({"posture": p, "title": p, "summary": "", "scenario": False,
                          "base": p, "description": "", "overrides": [], "shocks": [],
                          "uncertainty": []})
            continue
        cards.append(_scenario_card(sc))
        known.append(sc)
    levers, rows = _lever_rows(known)
    listed = pd.DataFrame(
        [{**c, **{k: "; ".join(c[k]) for k in ("overrides", "shocks", "uncertainty")}}
         for c in cards]
    )
    return Section(
        tables={"postures": listed, "levers": levers},
        context={"postures": cards, "levers": rows, "lever_postures": [sc.name for sc in known]},
    )


def _scorecard(data: ReportData) -> Section:
    from natofutures.analysis.criteria import CRITERIA

    rows = []
    for crit in dict.fromkeys(data.scorecard.columns.get_level_values("criterion")):
        spec = CRITERIA.get(str(crit))
        for p in data.postures:
            rows.append({
                "criterion": crit,
                "label": spec.label if spec else crit,
                "unit": spec.unit if spec else "",
                "direction": spec.direction if spec else 1,
                "posture": p,
                **{s: float(data.scorecard.loc[p, (crit, s)]) for s in ("median", "p05", "p95")},
            })
    table = pd.DataFrame(rows)
    return Section(
        tables={"scorecard": table},
        figures={"scorecard": _png(figs.scorecard(table, data.postures))},
        context={"rows": _scorecard_rows(table, data.postures)},
    )


def _scorecard_rows(table: pd.DataFrame, postures: list[str]) -> list[dict[str, Any]]:
    out = []
    for crit, g in table.groupby("criterion", sort=False):
        g = g.set_index("posture").loc[postures]
        d = int(g["direction"].iloc[0])
        med = g["median"].to_numpy()
        best = med.max() if d > 0 else med.min()
        tie = bool(np.isclose(med, best).all())
        cells = [
            {
                "median": fmt(float(r["median"])),
                "band": f"{fmt(float(r['p05']))}–{fmt(float(r['p95']))}",
                "best": (not tie) and bool(np.isclose(r["median"], best)),
            }
            for _, r in g.iterrows()
        ]
        out.append({
            "criterion": crit, "label": g["label"].iloc[0], "unit": g["unit"].iloc[0],
            "arrow": "↑" if d > 0 else "↓", "cells": cells,
        })
    return out


def _rankings(data: ReportData) -> Section:
    table = data.rankings.reset_index()
    views = []
    for view in data.perspectives:
        sub = table[table["perspective"] == view].set_index("posture").loc[data.postures]
        n = len(data.postures)
        views.append({
            "name": view,
            "label": data.perspective_labels.get(view, view),
            "winner": data.winner(view),
            "verdict": data.verdicts.get(view, ""),
            "rows": [
                {
                    "posture": p,
                    "ws": f"{r['weighted_sum']:.2f} ({int(r['weighted_sum_rank'])})",
                    "topsis": f"{r['topsis']:.2f} ({int(r['topsis_rank'])})",
                    "p": [f"{float(r[f'p_rank_{k}']):.0%}" for k in range(1, n + 1)],
                    "mean_rank": f"{float(r['mean_rank']):.2f}",
                }
                for p, r in sub.iterrows()
            ],
        })
    return Section(
        tables={"rankings": table},
        figures={"smaa": _png(figs.smaa(table, data.postures))},
        context={"views": views, "ranks": list(range(1, len(data.postures) + 1))},
    )


def _forecast(data: ReportData) -> Section:
    table = data.forecast.rename("probability").rename_axis("posture").reset_index()
    return Section(
        tables={"forecast": table},
        figures={"forecast": _png(figs.forecast(table, data.postures))},
        context={"rows": [
            {"posture": r.posture, "p": f"{r.probability:.0%}"} for r in table.itertuples()
        ]},
    )


def drivers_table(data: ReportData, n: int, seed: int) -> pd.DataFrame:
    """The report's inputs to :func:`natofutures.analysis.sensitivity.verdict_drivers`."""
    from natofutures.analysis import perspectives as persp
    from natofutures.analysis import sensitivity
    from natofutures.analysis.compare import resolve_postures
    from natofutures.data import latest_year

    if set(data.scenarios) >= set(data.postures):
        scenarios = [data.scenarios[p] for p in data.postures]
    else:
        scenarios = resolve_postures(data.postures)
    views = [persp.load(v) for v in data.perspectives if v != "custom"]
    return sensitivity.verdict_drivers(
        scenarios,
        views,
        winners={v.name: data.winner(v.name) for v in views},
        horizon=int(data.run["horizon"]),
        t0=int(data.run.get("t0") or latest_year()),
        n=n,
        seed=seed,
    )


def _drivers(data: ReportData, n: int, seed: int) -> Section:
    table = drivers_table(data, n, seed)
    summary = []
    for view, g in table.groupby("perspective", sort=False):
        g = g.sort_values("mu_star", ascending=False)
        top = [r for r in g.to_dict("records") if float(r["relative_mu_star"]) > 0][:3]
        summary.append({
            "perspective": view,
            "winner": data.winner(str(view)),
            "top": ", ".join(f"{r['parameter']} ({float(r['relative_mu_star']):.2f})" for r in top)
            or "none of the uncertain parameters changes the lead",
        })
    return Section(
        tables={"drivers": table},
        figures={"drivers": _png(figs.drivers(table))},
        context={"summary": summary, "n": n, "samples": table.attrs.get("samples", 0),
                 "k": table["parameter"].nunique(), "seed": seed},
    )


def _history() -> Section:
    from natofutures.analysis.history import burden_history, pledge_tracker

    hist = burden_history(HISTORY_FROM, None)
    keep = ["year", "members", "allies_2pct", "allies_3_5pct", "europe_canada_burden",
            "us_burden", "us_share"]
    hist = hist[keep].copy()
    gaps = pledge_tracker()
    pledge = gaps.attrs["pledge"]
    gap_cols = ["iso3", "name", "year", "burden", "target", "gap_core", "meets_core",
                "required_growth", "trend_growth", "on_track", "note"]
    gaps = gaps[gap_cols].copy()
    last = hist.dropna(subset=["europe_canada_burden"]).iloc[-1]
    below = gaps[gaps["gap_core"] > 0]
    return Section(
        tables={"burden_history": hist, "pledge_gaps": gaps},
        figures={
            "burden_history": _png(figs.burden_history(hist)),
            "pledge_gaps": _png(figs.pledge_gaps(gaps, float(pledge.core))),
        },
        context={
            "last_year": int(last["year"]),
            "us_burden": f"{100 * float(last['us_burden']):.2f}%",
            "eu_burden": f"{100 * float(last['europe_canada_burden']):.2f}%",
            "us_share": f"{100 * float(last['us_share']):.0f}%",
            "allies_2pct": int(last["allies_2pct"]),
            "members": int(last["members"]),
            "pledge": pledge,
            "base_year": int(gaps["year"].iloc[0]),
            "n_below": len(below),
            "n_allies": len(gaps),
            "largest": [
                {"name": str(r["name"]), "burden": f"{100 * float(r['burden']):.2f}%",
                 "gap": f"{100 * float(r['gap_core']):.2f}"}
                for r in below.head(8).to_dict("records")
            ],
        },
    )


def _stress_targets(data: ReportData) -> list[Any]:
    """What to stress: a built-in posture by name, any other future as its Scenario object."""
    out: list[Any] = []
    for p in data.postures:
        sc = data.scenarios.get(p)
        plain = sc is None or (sc.name == sc.posture and _base_posture(p) is not None
                               and sc.canonical_json() == _base_posture(p).canonical_json())
        out.append(p if plain else sc)
    return out


def _stress(data: ReportData, name: str) -> Section:
    import natofutures as nf

    draws = min(int(data.run["draws"] or 0), 200)
    res = nf.stress(name, postures=_stress_targets(data), draws=draws, seed=int(data.run["seed"]))
    table = res.summary.copy()
    cols = ["posture", "p_deterrence_fails_europe", "p_holds_if_fails_europe",
            "europe_burden_before", "europe_burden_after", "europe_burden_response_pp",
            "response_year"]
    shown = table[[c for c in cols if c in table.columns]]
    return Section(
        tables={"stress": table.astype({c: "string" for c in table.columns
                                       if table[c].dtype == object})},
        figures={"stress": _png(figs.stress(table, data.postures))},
        context={"name": res.scenario, "description": res.description, "draws": draws,
                 "seed": res.seed, "window": res.window, "columns": list(shown.columns),
                 "rows": [[_cell(v, c) for v, c in zip(row, shown.columns, strict=True)]
                          for row in shown.itertuples(index=False)]},
    )


def _cell(v: Any, column: str = "") -> str:
    """A stress-table cell: probabilities and burdens in %, responses in pp, years as is."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "–"
    if isinstance(v, float | np.floating | int | np.integer) and not isinstance(v, bool):
        x = float(v)
        if column.startswith("p_"):
            return f"{100 * x:.1f}%"
        if column.startswith("europe_burden_") and not column.endswith("_pp"):
            return f"{100 * x:.2f}%"
        if column.endswith("_pp"):
            return f"{x:+.3f} pp"
        if column.endswith("year"):
            return f"{x:.0f}"
        return fmt(x)
    return str(v)


def _methodology() -> Section:
    from natofutures.data.provenance import table_sources
    from natofutures.scenario import parameter_table

    rows = []
    for path, spec in parameter_table().items():
        value = (spec.value if spec.value is not None
                 else "; ".join(f"{y}: {v:g}" for y, v in (spec.values or {}).items()))
        rows.append({
            "parameter": path,
            "value": value if isinstance(value, str) else f"{value:g}",
            "unit": spec.unit,
            "range": "" if spec.range is None else f"{spec.range[0]:g} – {spec.range[1]:g}",
            "distribution": "" if spec.distribution is None else str(spec.distribution.dist),
            "kind": "lever" if spec.lever else ("judgement" if spec.judgement else "sourced"),
            "source": spec.source,
        })
    params = pd.DataFrame(rows)
    src = table_sources()
    keep = [c for c in ("table", "source", "producer", "version", "licence", "url")
            if c in src.columns]
    src = src[keep]
    return Section(tables={"parameters": params, "sources": src},
                   context={"parameters": rows, "sources": src.to_dict("records")})


# ----------------------------------------------------------------------------- summary
def summary_facts(data: ReportData) -> dict[str, Any]:
    """The numbers of the summary paragraph, straight from the run's tables."""
    fc = data.forecast
    top = str(fc.idxmax())
    wins = {v: data.winner(v) for v in data.perspectives}
    ranked = sorted(set(wins.values()), key=lambda p: (-list(wins.values()).count(p),
                                                         data.postures.index(p)))
    firsts = [
        {"posture": p, "count": list(wins.values()).count(p),
         "views": [v for v, w in wins.items() if w == p]}
        for p in ranked
    ]
    best = ranked[0]
    criteria = set(data.scorecard.columns.get_level_values(0))
    risk: Any = data.scorecard.loc[top, "europe_risk"] if "europe_risk" in criteria else None
    return {
        "draws": int(data.run["draws"] or 0),
        "seed": int(data.run["seed"] or 0),
        "t0": data.run.get("t0"),
        "horizon": int(data.run["horizon"] or 0),
        "n_postures": len(data.postures),
        "top": top,
        "top_p": float(fc[top]),
        "runner_up": str(fc.drop(top).idxmax()),
        "runner_up_p": float(fc.drop(top).max()),
        "best": best,
        "best_wins": firsts[0]["count"],
        "n_perspectives": len(wins),
        "best_views": firsts[0]["views"],
        "firsts": firsts,
        "risk": None if risk is None else {k: float(risk[k]) for k in ("median", "p05", "p95")},
    }


def summary_paragraph(facts: dict[str, Any]) -> str:
    """One paragraph: what the run found (every number from :func:`summary_facts`)."""
    lab = figs._label
    span = f"{facts['t0']}–{facts['horizon']}" if facts["t0"] else f"to {facts['horizon']}"
    text = (
        f"Simulating {facts['n_postures']} futures of NATO over {span} with "
        f"{facts['draws']} Monte Carlo draws each (seed {facts['seed']}), the bargaining model "
        f"expects the alliance to adopt {lab(facts['top'])} (probability "
        f"{100 * facts['top_p']:.0f}%, ahead of {lab(facts['runner_up'])} at "
        f"{100 * facts['runner_up_p']:.0f}%). {lab(facts['best']).capitalize()} ranks first "
        f"(highest SMAA probability) under {facts['best_wins']} of {facts['n_perspectives']} "
        f"perspectives ({', '.join(lab(v) for v in facts['best_views'])})"
    )
    for other in facts["firsts"][1:]:
        text += (
            f", {lab(other['posture'])} under {other['count']} "
            f"({', '.join(lab(v) for v in other['views'])})"
        )
    text += "."
    if facts["risk"]:
        r = facts["risk"]
        text += (
            f" Under {lab(facts['top'])} the cumulative risk of a war in Europe has a median of "
            f"{fmt(r['median'])}% over the horizon (90% band {fmt(r['p05'])}–{fmt(r['p95'])}%)."
        )
    return text


# ----------------------------------------------------------------------------- build
def _env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("natofutures.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _write_tables(sections: dict[str, Section], folder: Path) -> list[str]:
    names = []
    (folder / "tables").mkdir()
    for sec in sections.values():
        for name, df in sec.tables.items():
            df = df.copy()
            df.attrs = {}
            df.columns = [str(c) for c in df.columns]
            df.to_csv(folder / "tables" / f"{name}.csv", index=False)
            df.to_parquet(folder / "tables" / f"{name}.parquet", index=False)
            names.append(name)
    return names


def _write_figures(sections: dict[str, Section], folder: Path) -> dict[str, str]:
    (folder / "figures").mkdir()
    uris = {}
    for sec in sections.values():
        for name, png in sec.figures.items():
            (folder / "figures" / f"{name}.png").write_bytes(png)
            uris[name] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return uris


def build_report(
    data: ReportData,
    out: Path | str,
    *,
    stress: str | None = None,
    sensitivity_n: int = DEFAULT_SENSITIVITY_N,
    sensitivity_seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the report of ``data`` to folder ``out``; returns the path of ``index.html``."""
    out = check_out(out)
    if isinstance(sensitivity_n, bool) or not isinstance(sensitivity_n, int) or sensitivity_n < 2:
        raise InputError(
            f"--sensitivity-n: {sensitivity_n!r} is not allowed; expected an integer >= 2"
        )
    check_consistent(data)
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    sections: dict[str, Section] = {}
    say("describing the futures")
    sections["futures"] = _futures(data)
    say("drawing the scorecard")
    sections["scorecard"] = _scorecard(data)
    sections["rankings"] = _rankings(data)
    sections["forecast"] = _forecast(data)
    say(f"Morris sensitivity of the verdicts (n={sensitivity_n})")
    sections["drivers"] = _drivers(data, sensitivity_n, sensitivity_seed)
    say("burden-sharing history and pledge gaps")
    sections["history"] = _history()
    if stress:
        say(f"stress test {stress}")
        sections["stress"] = _stress(data, stress)
    sections["methodology"] = _methodology()
    facts = summary_facts(data)
    parent = out.resolve().parent
    tmp = Path(tempfile.mkdtemp(prefix=".natofutures-report-", dir=parent))
    try:
        tables = _write_tables(sections, tmp)
        uris = _write_figures(sections, tmp)
        ctx = {
            "data": data, "run": data.run, "facts": facts,
            "summary": summary_paragraph(facts), "s": {k: v.context for k, v in sections.items()},
            "img": uris, "tables": tables, "label": figs._label,
            "n_futures": count_word(len(data.postures)),
            "elapsed": f"{time.perf_counter() - started:.0f}",
        }
        env = _env()
        (tmp / "index.html").write_text(env.get_template("report.html.j2").render(**ctx),
                                        encoding="utf-8")
        (tmp / "summary.md").write_text(env.get_template("summary.md.j2").render(**ctx),
                                        encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        for sub in ("tables", "figures"):
            shutil.rmtree(out / sub, ignore_errors=True)
        for f in tmp.iterdir():
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out / "index.html"
