"""CLI ``natofutures robust``: what would you have to believe for each posture to rank first?"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from natofutures.cli._app import (
    POSTURES_HELP,
    app,
    console,
    emit_json,
    split_csv,
    status_spinner,
)


def box_sentence(box: dict[str, Any]) -> str:
    """A PRIM box in words: ``a in [lo, hi] and b in [lo, hi]`` (or "almost always")."""
    from natofutures._format import sig3

    parts = [f"{r['parameter']} in [{sig3(r['low'])}, {sig3(r['high'])}]"
             for r in box["restrictions"]]
    return " and ".join(parts) if parts else "almost always (no restriction needed)"


def no_box(result: Any) -> list[tuple[str, str, float]]:
    """(perspective, posture, win share) of postures that win sometimes but have no box."""
    have = {(b["perspective"], b["posture"]) for b in result.boxes}
    return [
        (view, p, float(share))
        for view, r in result.regret.items()
        for p, share in r["win_share"].items()
        if share > 0 and (view, p) not in have
    ]


def no_box_sentence(share: float) -> str:
    """Why a posture that sometimes ranks first has no box."""
    from natofutures.analysis.robust import MIN_WIN_SHARE

    if share < MIN_WIN_SHARE:
        return f"ranks first in {share:.0%} of futures (under {MIN_WIN_SHARE:.0%}: not searched)"
    return f"ranks first in {share:.0%} of futures, with no pattern PRIM can confirm"


def evppi_sentence(e: dict[str, Any]) -> str:
    """The parameters whose EVPPI exceeds the noise floor (value points), largest first."""
    above = [(k, v) for k, v in e["parameters"].items() if v > e["noise_floor"]][:3]
    if not above:
        return f"none above the noise floor ({e['noise_floor']:.4f}); EVPI {e['evpi']:.4f}"
    return (", ".join(f"{k} {v:.4f}" for k, v in above)
            + f" (noise floor {e['noise_floor']:.4f}, EVPI {e['evpi']:.4f})")


def write_report(result: Any, directory: Path) -> list[Path]:
    """robust.html (self-contained), robust.png, robust.json and ensemble.csv, atomically."""
    import jinja2

    from natofutures.analysis.robust import figure
    from natofutures.report import check_out

    directory = check_out(directory)
    fig = figure(result)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    png = buf.getvalue()
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("natofutures.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    words = [{**b, "text": box_sentence(b)} for b in result.boxes]
    words += [
        {"perspective": v, "posture": p, "coverage": 1.0, "density": share,
         "text": "no box: it " + no_box_sentence(share)}
        for v, p, share in no_box(result)
    ]
    evppi = {v: evppi_sentence(e) for v, e in result.evppi.items()}
    html = env.get_template("robust_page.html.j2").render(
        r=result.to_dict(), run=result.run, words=words, evppi=evppi,
        img="data:image/png;base64," + base64.b64encode(png).decode(),
    )
    directory.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".natofutures-robust-", dir=directory))
    try:
        (tmp / "robust.html").write_text(html, encoding="utf-8")
        (tmp / "robust.png").write_bytes(png)
        (tmp / "robust.json").write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
        result.ensemble.to_csv(tmp / "ensemble.csv", index=False)
        names = [f.name for f in tmp.iterdir()]
        for f in tmp.iterdir():
            os.replace(f, directory / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [directory / n for n in sorted(names)]


def _print(result: Any) -> None:
    t = Table(title="Who ranks first across the futures, and the robust (minimax-regret) choice",
              title_justify="left")
    t.add_column("perspective", ratio=1)
    t.add_column("ranks first (share of futures)", ratio=2)
    t.add_column("robust", ratio=1)
    for view, r in result.regret.items():
        shares = sorted(r["win_share"].items(), key=lambda kv: -kv[1])
        t.add_row(view.replace("_", " "),
                  ", ".join(f"{p.replace('_', ' ')} {s:.0%}" for p, s in shares if s > 0),
                  r["minimax"].replace("_", " "))
    console.print(t)
    console.print("[bold]What you would have to believe[/] (PRIM boxes: coverage, density):")
    for b in result.boxes:
        console.print(
            f"  {b['perspective']}: {b['posture']} ranks first if {box_sentence(b)} "
            f"(coverage {b['coverage']:.0%}, density {b['density']:.0%})",
            highlight=False,
        )
    for view, p, share in no_box(result):
        console.print(f"  {view}: {p} {no_box_sentence(share)}", highlight=False)
    console.print("[bold]Worth knowing[/] (EVPPI, value points; noise floor in brackets):")
    for view, e in result.evppi.items():
        console.print(f"  {view}: {evppi_sentence(e)}", highlight=False)
    run = result.run
    console.print(
        f"robust: samples={run['samples']} seed={run['seed']} horizon={run['horizon']}",
        style="dim", highlight=False,
    )


@app.command("robust")
def robust_cmd(
    postures: str | None = typer.Option(None, "--postures", help=POSTURES_HELP),
    samples: int = typer.Option(
        400, "--samples", help="Futures in the ensemble (Latin hypercube), 20 to 20000."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the ensemble and the weights."),
    horizon: int = typer.Option(2045, "--horizon", help="Last simulated year."),
    perspective: list[str] | None = typer.Option(
        None, "--perspective", help="Perspective name or YAML file; repeat (default: all)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print boxes, regret and EVPPI as JSON."),
    report: Path | None = typer.Option(
        None, "--report", help="Write robust.html, robust.png, robust.json, ensemble.csv to DIR."
    ),
) -> None:
    """What would you have to believe? Scenario discovery (PRIM), minimax regret and EVPPI.

    Example: natofutures robust --samples 400 --perspective restrainer --report out
    """
    from natofutures.analysis.robust import robust
    from natofutures.report import check_out

    if report is not None:
        check_out(report)  # a bad --report fails before any work
    with status_spinner(not as_json) as update:
        result = robust(
            split_csv(postures) or None, samples=samples, seed=seed, horizon=horizon,
            perspectives=perspective or None, progress=update,
        )
    written = write_report(result, report) if report is not None else []
    if as_json:
        emit_json(result.to_dict())
        return
    _print(result)
    if written:
        console.print("wrote " + ", ".join(str(p) for p in written))
