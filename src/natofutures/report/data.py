"""What a report is built from: a compare run, fresh or read back from the runs store.

:class:`ReportData` holds the tables every section needs (scorecard, rankings with SMAA rank
acceptabilities, adoption forecast) and the run's provenance. It is made either from a
:class:`~natofutures.analysis.compare.Comparison` (:func:`from_comparison`) or from a stored
compare run (:func:`from_record`); a stored run that lacks a table is recomputed
deterministically from its recorded seed, draws and horizon, and the report says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from natofutures.errors import InputError

#: The tables a stored compare run must hold for the report to use them as they are.
STORED_TABLES = ("scorecard", "rankings", "forecast")


@dataclass
class ReportData:
    """Everything a report shows about one compare run.

    ``scorecard``: index posture, columns ``(criterion, stat)`` with stat ``median``, ``p05``,
    ``p95``. ``rankings``: index ``(perspective, posture)`` with ``weighted_sum``, ``topsis``,
    their ranks, ``mean_rank`` and ``p_rank_1..n``. ``forecast``: probability per posture.
    ``run``: seed, draws, horizon, t0, data_version, package_version, run_id, scenario_hash,
    command (the command line that reproduces the numbers). ``notes``: what was recomputed.
    """

    postures: list[str]
    scorecard: pd.DataFrame
    rankings: pd.DataFrame
    forecast: pd.Series
    run: dict[str, Any]
    perspective_labels: dict[str, str] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: the Scenario of each posture (rebuilt from its canonical JSON), for re-simulation
    scenarios: dict[str, Any] = field(default_factory=dict)
    #: decision layer of a fresh compare: value_scales, attribution, assumptions,
    #: decisiveness (as in ``compare --json``); empty for a stored run
    decision: dict[str, Any] = field(default_factory=dict)

    @property
    def perspectives(self) -> list[str]:
        """Perspective names in the order of the rankings table."""
        return list(dict.fromkeys(self.rankings.index.get_level_values("perspective")))

    def winner(self, perspective: str) -> str:
        """The posture with the highest SMAA P(rank 1) under ``perspective``."""
        return str(self.rankings.loc[perspective]["p_rank_1"].idxmax())


def scenario_hash(scenario_json: dict[str, str]) -> str:
    """The combined scenario hash, computed as the runs store does for compare runs."""
    text = json.dumps(scenario_json, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def scenarios_from_json(specs: dict[str, Any]) -> dict[str, Any]:
    """``{posture: Scenario}`` from ``{posture: canonical JSON}`` (as stored with a run)."""
    from natofutures.scenario import Scenario

    out = {}
    for name, spec in specs.items():
        text = spec if isinstance(spec, str) else json.dumps(spec)
        out[name] = Scenario.model_validate_json(text)
    return out


def _described(res: Any, given: Any) -> dict[str, Any]:
    """``{posture: Scenario}`` with titles, summaries and descriptions where they are known.

    A compare result stores each scenario as canonical JSON, which leaves out the text that
    does not change results (a posture file's ``title`` and ``summary``, a scenario's
    ``description``). The Scenario objects themselves carry it: the caller may pass them
    (``scenarios``), or the result may hold them (a ``scenarios`` attribute); otherwise the
    scenarios are rebuilt from the JSON and built-in postures get their text back later.
    """
    rebuilt = scenarios_from_json(dict(res.scenario_json))
    objects = given if given is not None else getattr(res, "scenarios", None)
    if isinstance(objects, dict):
        objects = list(objects.values())
    for sc in objects or ():
        name = getattr(sc, "name", None)
        if name in rebuilt and sc.canonical_json() == rebuilt[name].canonical_json():
            rebuilt[name] = sc
    return rebuilt


def from_comparison(res: Any, command: str, scenarios: Any = None) -> ReportData:
    """Report data of a fresh :func:`natofutures.compare` result.

    ``scenarios``: the Scenario objects compared (a sequence or ``{name: Scenario}``), so that
    the report shows the title, summary and description of custom posture and scenario files.
    """
    labels = {view.name: getattr(view, "label", "") or view.name for view in res.perspectives}
    run = {
        "seed": int(res.run["seed"]),
        "draws": int(res.run["draws"]),
        "horizon": int(res.run["horizon"]),
        "t0": int(res.run["t0"]),
        "data_version": str(res.run["data_version"]),
        "package_version": str(res.run["package_version"]),
        "run_id": str(res.run.get("run_id") or ""),
        "smaa_samples": res.run.get("smaa_samples"),
        "scenario_hash": scenario_hash(dict(res.scenario_json)),
        "command": command,
        "source": "computed for this report",
    }
    return ReportData(
        postures=list(res.postures),
        scorecard=res.scorecard.copy(),
        rankings=res.rankings.copy(),
        forecast=res.forecast.copy(),
        run=run,
        perspective_labels=labels,
        verdicts=dict(res.summary),
        scenarios=_described(res, scenarios),
        decision=_decision(res),
    )


def _decision(res: Any) -> dict[str, Any]:
    """The decision-layer keys of ``compare --json`` (empty if the result has none)."""
    if not hasattr(res, "assumptions"):
        return {}
    d = res.to_dict()
    return {k: d[k] for k in ("value_scales", "attribution", "assumptions", "decisiveness")}


def _scorecard_from_flat(flat: pd.DataFrame) -> pd.DataFrame:
    df = flat.set_index("posture")
    cols = [c for c in df.columns if "." in str(c)]
    df = df[cols].astype(float)
    df.columns = pd.MultiIndex.from_tuples(
        [tuple(str(c).rsplit(".", 1)) for c in cols], names=["criterion", "stat"]
    )
    return df


def _labels(names: list[str]) -> dict[str, str]:
    from natofutures.analysis import perspectives as persp

    out = {}
    for name in names:
        try:
            out[name] = persp.load(name).label or name
        except InputError:
            out[name] = name
    return out


def from_record(record: Any, command_prefix: str = "natofutures") -> ReportData:
    """Report data of a stored compare run (``natofutures.runs.get(ID)``).

    Missing tables are recomputed with :func:`natofutures.compare` from the record's seed,
    draws, horizon and postures (deterministic: the same inputs give the same numbers).
    """
    if record.kind != "compare":
        raise InputError(
            f"--run: run {record.run_id} is a {record.kind!r} run; expected a 'compare' run"
        )
    missing = [t for t in STORED_TABLES if t not in record.tables]
    notes: list[str] = []
    try:
        scenarios = scenarios_from_json(json.loads(record.scenario_json))
    except ValueError as exc:
        raise InputError(
            f"--run: run {record.run_id} has a scenario this version cannot read ({exc})"
        ) from None
    run = {
        "seed": record.seed,
        "draws": record.draws,
        "horizon": record.horizon,
        "t0": None,
        "data_version": record.data_version,
        "package_version": record.package_version,
        "run_id": record.run_id,
        "smaa_samples": None,
        "scenario_hash": record.scenario_hash,
        "command": f"{command_prefix} {record.command}".strip()
        if not record.command.startswith(command_prefix)
        else record.command,
        "source": f"stored run {record.run_id} ({record.created_at:%Y-%m-%d %H:%M} UTC)",
    }
    if missing:
        return _recompute(record, run, missing, scenarios)
    scorecard = _scorecard_from_flat(record.tables["scorecard"])
    rankings = record.tables["rankings"].set_index(["perspective", "posture"])
    fc = record.tables["forecast"].set_index("posture")
    forecast = fc[fc.columns[0]].astype(float)
    forecast.name = "probability"
    postures = list(scorecard.index)
    from natofutures.data import latest_year

    run["t0"] = int(latest_year())
    data = ReportData(
        postures=postures,
        scorecard=scorecard,
        rankings=rankings,
        forecast=forecast,
        run=run,
        notes=notes,
        scenarios=scenarios,
    )
    data.perspective_labels = _labels(data.perspectives)
    data.verdicts = {
        p: f"{data.winner(p)} wins (P(1st) {rankings.loc[p]['p_rank_1'].max():.0%})"
        for p in data.perspectives
    }
    notes.append(
        f"Scorecard, rankings and forecast are the tables stored with run {record.run_id}; "
        "the drivers of each verdict are not stored with a compare run, so the verdicts name "
        "the winner only."
    )
    return data


def _recompute(
    record: Any, run: dict[str, Any], missing: list[str], scenarios: dict[str, Any]
) -> ReportData:
    """Recompute a stored compare run in-process from its RunSpec (natofutures.runs)."""
    from natofutures import runs

    del scenarios  # the spec holds them
    spec = record.run_spec()
    res = runs.compute(spec)
    data = from_comparison(res, run["command"])
    data.run.update({k: run[k] for k in ("run_id", "command", "source", "scenario_hash")})
    data.notes.append(
        f"Stored run {record.run_id} lacks the table(s) {', '.join(missing)}; every table was "
        f"recomputed deterministically from its recorded spec (seed {spec.seed}, "
        f"{spec.draws} draws, horizon {spec.horizon})."
    )
    return data


def check_consistent(data: ReportData) -> None:
    """Sanity checks: every posture in every table, probabilities that sum to one."""
    if set(data.forecast.index) != set(data.postures):
        raise InputError("report: forecast and scorecard name different postures")
    if not np.isclose(float(data.forecast.sum()), 1.0, atol=1e-6):
        raise InputError("report: adoption probabilities do not sum to 1")
