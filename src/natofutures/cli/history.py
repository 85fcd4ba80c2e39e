"""CLI commands for the history area: ``burden``, ``burden ally ISO3`` and ``pledge``.

Registered on the root app when imported. Every table says which series it uses (SIPRI for
the long history, NATO's own reported figures for NATO's counting and the pledge tracker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

import json
import math
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from natofutures.cli._app import app, console

# natofutures.analysis.history (scipy, statsmodels, plotly, matplotlib) is imported inside
# each command, so that every other command of the CLI starts quickly.

burden_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    help=(
        "Burden-sharing history per year: allies at 2 % and 3.5 %, aggregate burdens, the US "
        "share and the Olson–Zeckhauser exploitation test.\n\n"
        "Example: natofutures burden --from 2000 --to 2024 --plot charts/\n\n"
        "Example: natofutures burden ally POL"
    ),
)
app.add_typer(burden_app, name="burden")

_FROM = typer.Option(None, "--from", help="First year (default 1990).", show_default=False)
_TO = typer.Option(None, "--to", help="Last year (default: latest SIPRI year).", show_default=False)
_JSON = typer.Option(False, "--json", help="Print JSON instead of tables.")


def _missing(value: Any) -> bool:
    """None, pandas NA or NaN: shown as an en dash, never as 0."""
    import pandas as pd
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _pct(value: Any, digits: int = 2) -> str:
    """A fraction as a percentage."""
    return "–" if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def _num(value: Any, digits: int = 2) -> str:
    return "–" if _missing(value) else f"{float(value):.{digits}f}"


def _int(value: Any) -> str:
    return "–" if _missing(value) else str(int(value))


def _echo_json(payload: dict[str, Any], frame: pd.DataFrame) -> None:
    """Print ``payload`` plus ``rows`` (NaN and NA as null) as JSON on stdout."""
    payload = dict(payload)
    payload["rows"] = json.loads(frame.to_json(orient="records", force_ascii=False))
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


def _series_caption(series: dict[str, str], keys: tuple[str, ...]) -> str:
    return "\n".join(f"{k}: {series[k]}" for k in keys if k in series)


@burden_app.callback()
def burden(
    ctx: typer.Context,
    start: int | None = _FROM,
    end: int | None = _TO,
    as_json: bool = _JSON,
    plot: Path | None = typer.Option(
        None, "--plot", help="Write HTML (offline) and PNG charts into this folder."
    ),
    allies: str | None = typer.Option(
        None,
        "--allies",
        help="Comma-separated ISO3 codes for the burden chart.",
        show_default=False,
    ),
) -> None:
    """Per year, for the alliance as it was that year (members by accession date)."""
    from natofutures.analysis import history
    from natofutures.analysis.history import plots

    if ctx.invoked_subcommand is not None:
        return
    # Validate every option before computing or writing anything.
    chosen = _chosen_allies(allies)
    if plot is not None:
        plots.check_folder(plot)
    table = history.burden_history(start, end)
    if plot is not None:
        _plot(plot, table, chosen)
    if as_json:
        first, last = int(table["year"].min()), int(table["year"].max())
        _echo_json(
            {"command": "burden", "from": first, "to": last, "series": table.attrs["series"]}, table
        )
        return
    _print_burden(table)
    if plot is not None:
        console.print(f"charts written to {plot}/ (HTML works offline; PNG beside each)")


def _chosen_allies(allies: str | None) -> list[str]:
    from natofutures.analysis import history
    from natofutures.analysis.history import alliance

    if allies is None:
        return [str(a) for a in history.parameter("highlight_allies")]
    codes = [c for c in (s.strip() for s in allies.split(",")) if c]
    if not codes:
        codes = [allies]  # let check_ally name the empty value
    return [alliance.check_ally(c) for c in codes]


def _plot(folder: Path, table: pd.DataFrame, chosen: list[str]) -> None:
    from natofutures.analysis import history

    first, last = int(table["year"].min()), int(table["year"].max())
    history.write_plots(
        folder,
        history=table,
        allies_burden=history.alliance_panel(first, last),
        gaps=history.pledge_tracker(),
        allies=chosen,
        confidence=float(history.parameter("confidence")),
    )


def _print_burden(t: pd.DataFrame) -> None:
    first, last = int(t["year"].min()), int(t["year"].max())
    share = Table(
        title=f"Burden sharing {first}-{last} (members by accession year)",
        caption=_series_caption(t.attrs["series"], ("sipri", "nato"))
        + "\nCounts are allies at or above / allies with a figure. EurCan = European allies and "
        "Canada: total spending / total GDP. US share = of all members' spending.",
    )
    show_missing = bool(t["missing_burden"].str.len().gt(0).any())
    columns = [
        "Year",
        "Allies",
        "≥2% SIPRI",
        "≥3.5% SIPRI",
        "≥2% NATO",
        "≥3.5% NATO",
        "EurCan",
        "US",
        "US share",
    ] + (["No data"] if show_missing else [])
    for col in columns:
        share.add_column(col, justify="right" if col != "No data" else "left")
    for r in t.to_dict("records"):
        nato2 = "–" if _missing(r["allies_2pct_nato"]) else f"{r['allies_2pct_nato']}/{r['nato_n']}"
        cells = [
            str(r["year"]),
            str(r["members"]),
            f"{r['allies_2pct']}/{r['n_burden']}",
            f"{r['allies_3_5pct']}/{r['n_burden']}",
            nato2,
            _int(r["allies_3_5pct_nato"]),
            _pct(r["europe_canada_burden"]),
            _pct(r["us_burden"]),
            _pct(r["us_share"], 1),
        ]
        share.add_row(*cells, *([r["missing_burden"]] if show_missing else []))
    console.print(share)
    oz = Table(
        title="Olson–Zeckhauser exploitation test: Spearman rho of GDP and burden",
        caption="GDP: World Bank WDI (constant 2015 US$); burden: SIPRI. Partial rho holds GDP "
        "per capita constant (rank residuals, df = n - 3). CI: Fisher z, var 1.06/(n-3).",
    )
    for col in ("Year", "n", "rho", "p", "95% CI", "partial rho", "p (partial)", "note"):
        oz.add_column(col, justify="left" if col == "note" else "right")
    for r in t.to_dict("records"):
        ci = "–" if _missing(r["ci_low"]) else f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]"
        oz.add_row(
            str(r["year"]),
            str(r["n"]),
            _num(r["rho"]),
            _num(r["p_value"], 3),
            ci,
            _num(r["partial_rho"]),
            _num(r["partial_p"], 3),
            r["note"],
        )
    console.print(oz)


@burden_app.command("ally")
def burden_ally(
    iso3: str = typer.Argument(..., help="ISO3 code of a NATO ally, e.g. POL."),
    start: int | None = typer.Option(
        None, "--from", help="First year (default 1990 or accession).", show_default=False
    ),
    end: int | None = _TO,
    as_json: bool = _JSON,
) -> None:
    """One ally's burden path, rank among members and distance to each pledge.

    Example: natofutures burden ally DEU --from 2010
    """
    from natofutures.analysis import history
    from natofutures.analysis.history import alliance

    t = history.ally_history(iso3, start, end)
    code = t.attrs["iso3"]
    names = alliance.allies().set_index("iso3")["name"]
    if as_json:
        _echo_json(
            {
                "command": "burden ally",
                "iso3": code,
                "name": names[code],
                "accession": t.attrs["accession"],
                "series": t.attrs["series"],
                "pledges": {n: p.core for n, p in history.pledges().items()},
            },
            t,
        )
        return
    pl = history.pledges()
    table = Table(
        title=f"{names[code]} ({code}), NATO member since {t.attrs['accession']}",
        caption=_series_caption(t.attrs["series"], ("sipri", "nato"))
        + "\nGap = pledge level − burden (SIPRI); negative means above it. Rank 1 = highest.",
    )
    for col in (
        "Year",
        "Member",
        "Burden SIPRI",
        "Burden NATO",
        "Rank",
        *(f"Gap {p.name} ({p.core:.1%})" for p in pl.values()),
    ):
        table.add_column(col, justify="right")
    for r in t.to_dict("records"):
        rank = "–" if _missing(r["rank"]) else f"{r['rank']}/{r['ranked']}"
        gaps = (_pct(r[f"gap_{n}"]) for n in pl)
        table.add_row(
            str(r["year"]),
            "yes" if r["member"] else "no",
            _pct(r["burden"]),
            _pct(r["burden_nato"]),
            rank,
            *gaps,
        )
    console.print(table)
    console.print(_latest_nato_line(t, pl))


def _latest_nato_line(t: pd.DataFrame, pl: dict[str, Any]) -> str:
    """Where the ally stands against each pledge on NATO's latest reported figure."""
    nato = t[t["burden_nato"].notna()]
    if nato.empty:
        return "No NATO-reported figure in these years."
    last = nato.iloc[-1]
    parts = []
    for p in pl.values():
        gap = p.core - float(last["burden_nato"])
        side = "below" if gap > 0 else "at or above"
        parts.append(f"{abs(gap) * 100:.2f} pp {side} {p.name} ({p.core:.1%})")
    return (
        f"Latest NATO-reported figure: {_pct(last['burden_nato'])} in {int(last['year'])}: "
        + "; ".join(parts)
        + "."
    )


@app.command("pledge")
def pledge(
    year: int | None = typer.Option(
        None,
        "--year",
        help="Due year (default: the pledge's own, 2035 for The Hague).",
        show_default=False,
    ),
    name: str = typer.Option("hague_2025", "--pledge", help="Pledge in parameters/pledges.yaml."),
    gdp_growth: float | None = typer.Option(
        None,
        "--gdp-growth",
        show_default=False,
        help="Real GDP growth per year as a fraction (default from parameters/history.yaml).",
    ),
    base_year: int | None = typer.Option(
        None,
        "--base-year",
        show_default=False,
        help="Year of NATO-reported burden to start from (default: latest full NATO table).",
    ),
    trend_years: int | None = typer.Option(
        None,
        "--trend-years",
        show_default=False,
        help="Years of SIPRI real spending growth that make the 'latest trend' (default 5).",
    ),
    as_json: bool = _JSON,
) -> None:
    """The pledge tracker: each ally's gap to the pledge and the growth that closes it.

    Example: natofutures pledge --year 2035
    """
    from natofutures.analysis import history

    t = history.pledge_tracker(
        name, due=year, gdp_growth=gdp_growth, base_year=base_year, trend_years=trend_years
    )
    p, due, g = t.attrs["pledge"], t.attrs["due"], t.attrs["gdp_growth"]
    if as_json:
        _echo_json(
            {
                "command": "pledge",
                "pledge": p.name,
                "core": p.core,
                "related": p.related,
                "due": due,
                "gdp_growth": g,
                "series": t.attrs["series"],
            },
            t,
        )
        return
    base = int(t["year"].dropna().iloc[0])
    total = (
        ""
        if p.total is None
        else (
            f" The {p.total:.0%} total (core + related) gap is not shown: NATO has not published "
            "related spending by ally, so it is not in the bundled data."
        )
    )
    table = Table(
        title=f"{p.name}: {p.core:.1%} of GDP core defence spending by {due}",
        caption=(
            "\n".join(f"{k}: {v}" for k, v in t.attrs["series"].items())
            + f"\nReal GDP growth assumed {g:.1%}/yr (parameters/history.yaml: IMF WEO Oct 2025)."
            + f" Required = constant real spending growth {base}-{due}; projected = burden in "
            f"{due} if the trend continues.{total}"
        ),
    )
    for col in (
        "Ally",
        f"NATO {base}",
        f"SIPRI {int(t['sipri_year'].iloc[0])}",
        "Gap",
        "Required/yr",
        "Trend/yr",
        f"Projected {due}",
        "On track",
        "Note",
    ):
        table.add_column(col, justify="left" if col in ("Ally", "Note") else "right")
    for r in t.to_dict("records"):
        on = "–" if _missing(r["on_track"]) else ("yes" if r["on_track"] else "no")
        note = "; ".join(
            s for s in str(r["note"]).split("; ") if s and s != "related spending not reported"
        )
        table.add_row(
            r["iso3"],
            _pct(r["burden"]),
            _pct(r["burden_sipri"]),
            _pct(r["gap_core"]),
            _pct(r["required_growth"], 1),
            _pct(r["trend_growth"], 1),
            _pct(r["projected_burden"]),
            on,
            note,
        )
    console.print(table)
    met = int(t["meets_core"].sum())
    track = int(t["on_track"].sum())
    window = f"{int(t['trend_from'].iloc[0])}-{int(t['trend_to'].iloc[0])}"
    console.print(
        f"{met} of {len(t)} allies at or above {p.core:.1%} in {base} (NATO-reported); "
        f"{track} reach it by {due} if their SIPRI {window} real spending trend continues."
    )
