"""CLI command ``parameters``: every model parameter with value, unit, bounds, distribution,
source and whether it is a judgement - the names a scenario's ``overrides:`` and a posture's
``levers:`` use (the same table as the service's ``/api/parameters``)."""

from __future__ import annotations

import json
from typing import Any

import typer

from natofutures.cli._app import app, console, simple_table
from natofutures.errors import InputError


def _distribution(dist: Any) -> str:
    """``triangular(low=0.05, mode=0.07, high=0.1)``, or ``–`` for a constant."""
    if dist is None:
        return "–"
    fields = dist.model_dump()
    kind = fields.pop("dist")
    return f"{kind}(" + ", ".join(f"{k}={v:g}" for k, v in fields.items()) + ")"


def parameter_rows(search: str | None = None, levers_only: bool = False) -> list[dict[str, Any]]:
    """One record per parameter of ``defaults.yaml`` matching ``search`` (case-insensitive, in
    the name, unit or source)."""
    from natofutures.scenario import parameter_table

    word = (search or "").strip().lower()
    rows = []
    for name, spec in parameter_table().items():
        if levers_only and not spec.lever:
            continue
        if word and word not in f"{name} {spec.unit} {spec.source}".lower():
            continue
        rows.append(
            {
                "name": name,
                "value": spec.value,
                "values": {str(k): v for k, v in spec.values.items()} if spec.values else None,
                "unit": spec.unit,
                "bounds": list(spec.bounds),
                "range": list(spec.range) if spec.range else None,
                "distribution": spec.distribution.model_dump() if spec.distribution else None,
                "lever": spec.lever,
                "judgement": spec.judgement,
                "provisional": spec.provisional,
                "source": spec.source,
                "_dist": _distribution(spec.distribution),
            }
        )
    return rows


def _value(row: dict[str, Any]) -> str:
    if row["values"]:
        return ", ".join(f"{y}: {v:g}" for y, v in row["values"].items())
    return f"{row['value']:g}"


def _kind(row: dict[str, Any]) -> str:
    parts = ["lever" if row["lever"] else ("uncertain" if row["distribution"] else "constant")]
    if row["judgement"]:
        parts.append("judgement")
    if row["provisional"]:
        parts.append("provisional")
    return ", ".join(parts)


@app.command("parameters")
def parameters_cmd(
    search: str | None = typer.Option(
        None, "--search", "-s", help="Only parameters whose name, unit or source contains WORD."
    ),
    levers: bool = typer.Option(False, "--levers", help="Only posture levers."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List every model parameter: value, unit, bounds, distribution, kind and source.

    The names are those of a scenario's overrides and uncertainty and of a posture's levers.
    Kind: lever (a posture decides it), uncertain (sampled in Monte Carlo) or constant; and
    judgement (a modelling judgement, with a range) rather than data.

    Example: natofutures parameters --search resolve
    """
    rows = parameter_rows(search, levers)
    if not rows:
        raise InputError(
            f"--search: value {search!r} not allowed; expected a word found in a parameter's "
            "name, unit or source (natofutures parameters lists them all)"
        )
    if as_json:
        typer.echo(
            json.dumps([{k: v for k, v in r.items() if k != "_dist"} for r in rows], indent=1)
        )
        return
    console.print(
        simple_table(
            f"{len(rows)} parameter(s) of parameters/defaults.yaml",
            ["parameter", "value", "unit", "bounds", "distribution", "kind", "source"],
            [
                [
                    r["name"],
                    _value(r),
                    r["unit"],
                    f"[{r['bounds'][0]:g}, {r['bounds'][1]:g}]",
                    r["_dist"],
                    _kind(r),
                    r["source"],
                ]
                for r in rows
            ],
            caption="override one: natofutures simulate -p NAME --set parameter=value",
            left=(0, 2, 4, 5, 6),
        )
    )
