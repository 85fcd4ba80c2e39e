"""``natofutures data …``: explore the bundled, sourced data (no network)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

import json
import math
from pathlib import Path

import typer
from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from natofutures.cli._app import app, console
from natofutures.errors import InputError

data_app = typer.Typer(
    name="data",
    help=(
        "Explore the bundled, sourced data (no network).\n\n"
        "Example: natofutures data show spending --year 2024 --sort burden\n\n"
        "More examples, one per command:\n\n"
        "[dim]natofutures data countries --json[/]\n\n"
        "[dim]natofutures data show nato_reported --year 2014 --sort burden[/]\n\n"
        '[dim]natofutures data sql "SELECT iso3, burden FROM panel WHERE year = 2024"[/]\n\n'
        "[dim]natofutures data sources[/]\n\n"
        "[dim]natofutures data check --since 1990[/]\n\n"
        "[dim]natofutures data build --raw data/raw[/]"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(data_app, name="data")

JSON_OPT = typer.Option(False, "--json", help="Print the result as JSON records.")
CSV_OPT = typer.Option(False, "--csv", help="Print the result as CSV.")
PARQUET_OPT = typer.Option(None, "--parquet", help="Write the result to a Parquet file PATH.")
LIMIT_OPT = typer.Option(
    200, "--limit", help="Rows shown on screen (0 = all); --json/--csv/--parquet give all rows."
)
FRACTION_COLUMNS = {"burden", "russia_share", "democracy", "observed_share"}


# --------------------------------------------------------------------------- output helpers
def _fmt(column: str, value: object) -> str:
    import pandas as pd
    if value is None or value is pd.NA:
        return "–"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if column in FRACTION_COLUMNS:
            return f"{value:.4f}"
        if column in ("lat", "lon"):
            return f"{value:.3f}"
        if abs(value) >= 1000 or value == int(value):
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


def _rich_table(df: pd.DataFrame, title: str, caption: str | None = None) -> Table:
    """A compact Rich table: short columns keep their width, long text is cut with '…'."""
    import pandas as pd
    tbl = Table(
        title=title,
        caption=caption,
        header_style="bold cyan",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    cells = {str(c): [_fmt(str(c), v) for v in df[c].tolist()] for c in df.columns}
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col])
        width = max([len(str(col)), *map(len, cells[str(col)])])
        tbl.add_column(
            str(col),
            justify="right" if numeric else "left",
            no_wrap=True,
            overflow="ellipsis",
            min_width=min(width, 32),
            max_width=32,
        )
    for row in zip(*cells.values(), strict=True):
        tbl.add_row(*[escape(v) for v in row])
    return tbl


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    out = json.loads(df.to_json(orient="records", force_ascii=False, double_precision=15))
    return list(out)


def emit(
    df: pd.DataFrame,
    *,
    as_json: bool,
    as_csv: bool,
    parquet: Path | None,
    title: str,
    caption: str | None = None,
    rendered: RenderableType | None = None,
    limit: int = 0,
) -> None:
    """Print ``df`` as a Rich table (``rendered`` if given), JSON or CSV, or write Parquet."""
    if as_json and as_csv:
        raise InputError("--json/--csv: choose one output format, not both")
    if parquet is not None:
        try:
            df.to_parquet(parquet, index=False)
        except OSError as exc:
            raise InputError(f"--parquet: cannot write {str(parquet)!r}: {exc}") from exc
        console.print(f"wrote {len(df)} rows × {df.shape[1]} columns to {parquet}")
        return
    if as_json:
        typer.echo(json.dumps(_records(df), ensure_ascii=False, indent=1))
    elif as_csv:
        typer.echo(df.to_csv(index=False, lineterminator="\n"), nl=False)
    else:
        if rendered is not None:
            console.print(rendered)
        elif limit and len(df) > limit:
            note = (
                f"first {limit:,} of {len(df):,} rows shown; narrow with --country/--year, "
                "raise --limit, or use --csv/--json/--parquet for all"
            )
            print_wide(_rich_table(df.head(limit), title, note))
        else:
            print_wide(_rich_table(df, title, caption))


def print_wide(tbl: Table) -> None:
    """Print a table at its natural width (long text is cut at 32 characters by
    :func:`_rich_table`) rather than squeezed into the terminal; --csv/--json give full text."""
    natural = Measurement.get(console, console.options.update_width(10_000), tbl).maximum
    wide = Console(
        width=max(console.width, natural),
        force_terminal=console.is_terminal,
        no_color=console.no_color,
    )
    wide.print(tbl)


def parse_years(text: str | None) -> list[int] | None:
    """'2024' → [2024]; '2014-2024' → [2014..2024]; '2014,2024' → [2014, 2024]."""
    if text is None or text.strip() == "":
        return None
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        try:
            if "-" in part[1:]:
                lo, hi = part.split("-", 1)
                years.extend(range(int(lo), int(hi) + 1))
            else:
                years.append(int(part))
        except ValueError:
            raise InputError(
                f"--year: {text!r} is not a year; expected e.g. 2024, 2014-2024 or 2014,2024"
            ) from None
    return years


# --------------------------------------------------------------------------- commands
@data_app.command("countries")
def countries_cmd(
    as_json: bool = JSON_OPT, as_csv: bool = CSV_OPT, parquet: Path | None = PARQUET_OPT
) -> None:
    """Every modelled country: ISO3, name, role, NATO accession, region, capital and lat/lon.

    Example: natofutures data countries --json
    """
    from natofutures.data import countries

    df = countries()
    emit(
        df,
        as_json=as_json,
        as_csv=as_csv,
        parquet=parquet,
        title=f"Modelled countries ({len(df)})",
        caption="Capitals: peacesciencer (current capital); lat/lon in degrees.",
    )


_ROLE_STYLE = {"ally": "green", "adversary": "red", "partner": "yellow", "other": "white"}


def _money(value: float, scale: float, digits: int) -> str:
    return "–" if math.isnan(value) else f"{value / scale:,.{digits}f}"


def _spending_table(df: pd.DataFrame, title: str, caption: str) -> Group:
    """The human view of the spending table: $bn, % of GDP, footnotes for filled values."""
    labels = {
        "gdp_usd": "GDP",
        "milex_usd": "defence",
        "burden": "%GDP",
        "milex_per_capita_usd": "$/capita",
    }
    multi_year = df["year"].nunique() > 1
    footnotes: dict[str, int] = {}
    rows: list[list[str]] = []
    for r in df.to_dict("records"):
        notes = []
        for col, lab in labels.items():
            src = str(r[f"{col}_source"])
            if src.startswith("filled"):
                mark = footnotes.setdefault(src, len(footnotes) + 1)
                notes.append(f"{lab}[{mark}]")
        burden = float(r["burden"])
        cells = [str(r["iso3"]), str(r["name"]), str(r["role"])]
        if multi_year:
            cells.append(str(r["year"]))
        cells += [
            _money(float(r["gdp_usd"]), 1e9, 1),
            _money(float(r["milex_usd"]), 1e9, 2),
            "–" if math.isnan(burden) else f"{burden * 100:.2f}",
            _money(float(r["milex_per_capita_usd"]), 1.0, 0),
            " ".join(notes),
        ]
        rows.append(cells)
    heads = ["ISO3", "country", "role", *(["year"] if multi_year else [])]
    heads += ["GDP\n$bn", "defence\n$bn", "%\nGDP", "$ per\ncapita", "notes"]
    tbl = Table(
        title=title,
        header_style="bold cyan",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for j, head in enumerate(heads):
        width = max([len(line) for line in head.split("\n")] + [len(r[j]) for r in rows])
        numeric = head not in ("ISO3", "country", "role", "notes")
        tbl.add_column(
            head,
            justify="right" if numeric else "left",
            no_wrap=True,
            min_width=None if head == "country" else width,
            max_width=16 if head == "country" else None,
            overflow="ellipsis",
        )
    pct_col = heads.index("%\nGDP")
    for cells, r in zip(rows, df.to_dict("records"), strict=True):
        styled = [escape(c) for c in cells]
        styled[2] = f"[{_ROLE_STYLE.get(cells[2], 'white')}]{styled[2]}[/]"
        if float(r["burden"]) >= 0.02:
            styled[pct_col] = f"[bold]{styled[pct_col]}[/]"
        tbl.add_row(*styled)
    from natofutures.data.provenance import fill_rules

    rules = fill_rules()
    legend = []
    for src, n in footnotes.items():
        rule = src.removeprefix("filled: ")
        legend.append(Text(f"[{n}] {rule}: {rules.get(rule, '')}", style="dim"))
    parts: list[RenderableType] = [tbl]
    if not multi_year:
        from natofutures.data import countries

        year = int(df["year"].iloc[0])
        acc = countries().set_index("iso3")["nato_accession"]
        members = df[df["iso3"].map(acc).le(year).fillna(False).astype(bool)]
        n_at = int((members["burden"] >= 0.02).sum())
        n_known = int(members["burden"].notna().sum())
        parts.append(
            Text(
                f"NATO members in {year} at or above 2 % of GDP (SIPRI): {n_at} of {n_known} "
                "shown with data.",
                style="bold",
            )
        )
    return Group(*parts, Text(caption, style="dim"), *legend)


def _show_spending(
    years: list[int] | None, country: str | None, sort: str | None
) -> tuple[pd.DataFrame, str, str]:
    from natofutures.data.views import GDP_BASE_YEAR, MILEX_BASE_YEAR, spending

    df = spending(years=years, countries_=country, sort=sort)
    span = sorted(set(df["year"].astype(int)))
    when = str(span[0]) if len(span) == 1 else f"{span[0]}-{span[-1]}"
    title = f"Defence spending {when} (SIPRI) with GDP (World Bank WDI)"
    caption = (
        f"GDP: World Bank WDI, constant {GDP_BASE_YEAR} US$. Defence: SIPRI (2025 edition), "
        f"constant {MILEX_BASE_YEAR} US$; % GDP: SIPRI share of GDP (bold: ≥ 2 %); "
        f"$/capita: constant {MILEX_BASE_YEAR} US$ per person (population OWID / UN WPP). "
        "– = not available. [n] = filled by a documented rule (natofutures data check)."
    )
    return df, title, caption


def _filter_table(
    name: str, df: pd.DataFrame, years: list[int] | None, country: str | None, sort: str | None
) -> pd.DataFrame:
    import pandas as pd

    from natofutures.data.loaders import check_countries, check_years

    if years is not None:
        if "year" not in df:
            raise InputError(f"--year: table {name!r} has no year column; drop --year")
        df = df[df["year"].isin(check_years(years))]
    if country is not None:
        if "iso3" not in df:
            raise InputError(f"--country: table {name!r} has no iso3 column; drop --country")
        df = df[df["iso3"].isin(check_countries(country))]
    if sort is not None:
        if sort not in df.columns:
            raise InputError(
                f"--sort: {sort!r} is not a column of {name!r}; expected one of "
                f"{', '.join(map(str, df.columns))}"
            )
        numeric = pd.api.types.is_numeric_dtype(df[sort])
        df = df.sort_values(sort, ascending=not numeric, na_position="last", kind="stable")
    return df.reset_index(drop=True)


@data_app.command("show")
def show_cmd(
    table_name: str = typer.Argument(
        ...,
        metavar="TABLE",
        help="spending, or a bundled table: countries, panel, panel_flags, nato_reported, "
        "gas_dependence, borders.",
    ),
    year: str | None = typer.Option(
        None, "--year", help="Year(s): 2024, 2014-2024 or 2014,2024 (spending: latest year)."
    ),
    country: str | None = typer.Option(None, "--country", help="ISO3 codes, e.g. USA,DEU."),
    sort: str | None = typer.Option(
        None,
        "--sort",
        help="spending: burden, milex, gdp, per_capita, iso3 or name; other tables: a column.",
    ),
    as_json: bool = JSON_OPT,
    as_csv: bool = CSV_OPT,
    parquet: Path | None = PARQUET_OPT,
    limit: int = LIMIT_OPT,
) -> None:
    """Show a bundled table, or the per-country defence-spending view.

    Example: natofutures data show spending --year 2024 --sort burden
    """
    from natofutures.data import table, tables

    years = parse_years(year)
    if table_name == "spending":
        df, title, caption = _show_spending(years, country, sort)
        emit(
            df,
            as_json=as_json,
            as_csv=as_csv,
            parquet=parquet,
            title=title,
            rendered=_spending_table(df, title, caption),
        )
        return
    if table_name not in tables():
        raise InputError(
            f"TABLE: {table_name!r} is not a bundled table; expected one of "
            f"spending, {', '.join(tables())}"
        )
    df = _filter_table(table_name, table(table_name), years, country, sort)
    emit(
        df,
        as_json=as_json,
        as_csv=as_csv,
        parquet=parquet,
        title=f"{table_name} ({len(df)} rows)",
        caption="Units and sources: `natofutures data sources`, docs/data.md.",
        limit=max(limit, 0),
    )


@data_app.command("sql")
def sql_cmd(
    query: str = typer.Argument(..., help="One read-only SELECT/WITH query."),
    db: Path | None = typer.Option(
        None, "--db", help="Catalogue file (default: $NATOFUTURES_DB or the user data dir)."
    ),
    as_json: bool = JSON_OPT,
    as_csv: bool = CSV_OPT,
    parquet: Path | None = PARQUET_OPT,
    limit: int = LIMIT_OPT,
) -> None:
    """Read-only SQL (DuckDB) over the catalogue of bundled tables; writes are refused.

    Example: natofutures data sql "SELECT iso3, burden FROM panel WHERE year = 2024"
    """
    from natofutures.data.catalogue import query as run_query

    df = run_query(query, db=db)
    emit(
        df,
        as_json=as_json,
        as_csv=as_csv,
        parquet=parquet,
        title=f"{len(df)} rows",
        limit=max(limit, 0),
    )


@data_app.command("sources")
def sources_cmd(
    as_json: bool = JSON_OPT, as_csv: bool = CSV_OPT, parquet: Path | None = PARQUET_OPT
) -> None:
    """Every bundled table's sources: producer, version, licence, URL/repository, transformations.

    Example: natofutures data sources --json
    """
    from natofutures.data.provenance import table_sources

    df = table_sources()
    if as_json or as_csv or parquet is not None:
        emit(df, as_json=as_json, as_csv=as_csv, parquet=parquet, title="")
        return
    for name, g in df.groupby("table", sort=False):
        console.rule(f"[bold]{name}")
        for rec in g.to_dict("records"):
            r = {k: str(v) for k, v in rec.items()}
            console.print(f"[bold cyan]{escape(r['columns'])}[/] ← {escape(r['producer'])}")
            for key in ("version", "licence", "url", "repository", "transformations"):
                if r[key]:
                    console.print(f"  {key}: {escape(r[key])}", highlight=False)
    console.print("Data terms: see NOTICE. Fill rules: `natofutures data check`.")


@data_app.command("check")
def check_cmd(
    country: str | None = typer.Option(None, "--country", help="ISO3 codes, e.g. USA,DEU."),
    since: int | None = typer.Option(None, "--since", help="Only years from this one on."),
    as_json: bool = JSON_OPT,
) -> None:
    """Validate every table (pandera); report panel coverage: observed, filled (rule), missing.

    Example: natofutures data check --since 1990
    """
    from natofutures.data import coverage
    from natofutures.data.loaders import check_countries, check_years

    codes = check_countries(country) if country is not None else None
    if since is not None:
        check_years(since)
    results = coverage.validate_all()
    counts = coverage.status_counts(codes, since)
    rules = coverage.filled_by_rule(codes, since)
    missing = coverage.missing_ranges(codes, since)
    ok = all(v == "ok" for v in results.values())
    if as_json:
        payload = {
            "schemas": results,
            "status_counts": _records(counts),
            "filled_by_rule": _records(rules),
            "missing": _records(missing),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        schema_tbl = Table(title="Schemas (pandera)", header_style="bold cyan")
        schema_tbl.add_column("table")
        schema_tbl.add_column("result", overflow="fold")
        for name, res in results.items():
            schema_tbl.add_row(name, "[green]ok[/]" if res == "ok" else f"[red]{res}[/]")
        console.print(schema_tbl)
        scope = f"{since}-latest" if since is not None else "all years"
        print_wide(_rich_table(counts, f"Panel coverage, country-years ({scope})"))
        print_wide(_rich_table(rules, "Filled values by documented rule"))
        print_wide(_rich_table(missing, "Missing (left NaN), by column and country"))
        console.print("Fill rules are described in `natofutures data sources` and docs/data.md.")
    if not ok:
        raise typer.Exit(1)


@data_app.command("build")
def build_cmd(
    raw: Path = typer.Option(..., "--raw", help="The raw data folder (data/raw)."),
    out: Path | None = typer.Option(None, "--out", help="Output folder (default: the package's)."),
) -> None:
    """Regenerate every bundled table from the raw source folder (deterministic).

    Example: natofutures data build --raw data/raw
    """
    from natofutures.data.build import write_tables

    for path in write_tables(raw, out):
        console.print(f"wrote {path}")
