"""Pydantic models of the JSON API (request and response bodies, documented in /openapi.json).

Requests reuse the library's scenario schema, forbid unknown fields, take strict JSON types
(no booleans or strings for numbers) and bound every size (number of overrides, shocks,
postures, string lengths). Postures and perspectives are enums of the bundled names. The
server's own limits on draws, SMAA samples and horizon
(:class:`~natofutures.service.state.ServiceConfig`) are written into ``/openapi.json`` as the
fields' maxima (:func:`natofutures.service.contract.openapi_with_limits`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from natofutures.scenario import (
    EnergyShock,
    GdpShock,
    IntentionsShock,
    LogNormal,
    Normal,
    ScenarioFile,
    SpendingShock,
    WarShock,
    WithdrawalShock,
)

NAME_PATTERN = r"^[A-Za-z0-9_]{1,64}$"
PARAM_PATTERN = r"^[A-Za-z0-9_.]{1,100}$"
MAX_OVERRIDES = 100
MAX_SHOCKS = 20
MAX_UNCERTAINTY = 50

Series = list[float | None]


# ----------------------------------------------------------------------------- names
def _names(kind: str) -> tuple[str, ...]:
    if kind == "postures":
        from natofutures.scenario import posture_names

        return tuple(posture_names())
    from natofutures.analysis import perspectives as persp

    return tuple(persp.available())


#: built-in posture names (an enum in the schema: the service reads no file a client names)
PostureName = Literal[_names("postures")]  # type: ignore[valid-type]
#: bundled perspective names
PerspectiveName = Literal[_names("perspectives")]  # type: ignore[valid-type]

_STRICT_REQ = ConfigDict(extra="forbid", frozen=True, strict=True)

#: parameters whose lower bound is exclusive (none today: the equipment share, which the
#: engine divides by, has a positive lower bound in defaults.yaml)
_POSITIVE_ONLY: set[str] = set()


def _simulated_countries() -> tuple[str, ...]:
    from natofutures.engine.baseline import default_baseline

    return tuple(str(c) for c in default_baseline().iso3)


def _overrides_model() -> type[BaseModel]:
    """One optional field per parameter of defaults.yaml, bounded as the library checks it.

    Scalar parameters take a number in their bounds; dated ones a number or a non-empty
    ``{"YYYY": number}`` map.
    """
    from natofutures.scenario import parameter_table

    fields: dict[str, Any] = {}
    for i, (path, spec) in enumerate(sorted(parameter_table().items())):
        lo, hi = spec.bounds
        bound = Field(gt=lo, le=hi) if path in _POSITIVE_ONLY else Field(ge=lo, le=hi)
        number = Annotated[float, bound]
        kind: Any = number
        if spec.dated:
            kind = number | Annotated[
                dict[_YearKey, number],
                Field(min_length=1, json_schema_extra={"additionalProperties": False}),
            ]
        fields[f"p{i}"] = (
            kind | None,
            Field(default=None, alias=path, description=f"{spec.unit}; bounds [{lo}, {hi}]"),
        )
    model: type[BaseModel] = create_model(
        "OverridesIn",
        __config__=ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=False),
        __doc__="Parameter overrides by dotted name (GET /api/parameters), within bounds. "
        "Shares of one whole (us.allocation.*, allocation.us_initial.*) must also sum to at "
        "most 1 with the posture's values for the others; the server answers 422 otherwise.",
        **fields,
    )
    return model


def _uncertain_names() -> tuple[str, ...]:
    from natofutures.scenario import parameter_table

    return tuple(
        sorted(
            p for p, s in parameter_table().items()
            if s.distribution is not None and not s.lever and not s.dated
            and p not in _POSITIVE_ONLY
        )
    )


_YearKey = Annotated[str, StringConstraints(pattern=r"^(19|20|21)[0-9]{2}$")]
OverridesIn = _overrides_model()
UncertainName = Literal[_uncertain_names()]  # type: ignore[valid-type]
SimCountry = Literal[_simulated_countries()]  # type: ignore[valid-type]
SimCountryOrAll = Literal[(*_simulated_countries(), "ALL")]  # type: ignore[valid-type]


class NormalIn(Normal):
    """Normal(mean, sd), with the service's finite bounds."""

    mean: float = Field(ge=-1e6, le=1e6)
    sd: float = Field(gt=0, le=1e6)


class LogNormalIn(LogNormal):
    """Log-normal(median, sigma), with the service's bounds (no overflow on sampling)."""

    median: float = Field(gt=0, le=1e6)
    sigma: float = Field(gt=0, le=5)


class SpendingShockIn(SpendingShock):
    country: SimCountry = Field(description="A simulated country (ISO3).")  # type: ignore[valid-type]


class GdpShockIn(GdpShock):
    country: SimCountryOrAll = Field(  # type: ignore[valid-type]
        description="A simulated country (ISO3), or ALL."
    )


#: the service's distributions and shocks: those whose constraints a JSON schema states
#: exactly. Uniform and triangular need low < high, a us_allocation shock a share that fits
#: below the other theatres' in every year; a schema cannot say either (use a scenario file
#: with the CLI or Python API).
DistributionIn = Annotated[NormalIn | LogNormalIn, Field(discriminator="dist")]
ShockIn = Annotated[
    IntentionsShock | SpendingShockIn | GdpShockIn | WithdrawalShock | EnergyShock | WarShock,
    Field(discriminator="kind"),
]


# ----------------------------------------------------------------------------- requests
class ScenarioIn(ScenarioFile):
    """A scenario: a built-in posture plus parameter overrides, uncertainty specs and shocks.

    The library's scenario-file schema (:class:`natofutures.scenario.ScenarioFile`, see
    docs/scenarios.md) with the service's bounds: ``posture`` is one of the built-in postures
    (the service reads no file a client names) and every list and map has a maximum size.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "posture": "division_of_labor",
                    "overrides": {"us.resolve": 0.4, "power.ppp_multiplier.RUS": 3.0},
                }
            ]
        },
    )
    posture: PostureName = Field(  # type: ignore[valid-type]
        default="business_as_usual", description="Built-in posture name (GET /api/postures)."
    )
    name: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_\-\. ]{1,80}$", description="Label of the scenario."
    )
    description: str = Field(default="", max_length=2000)
    overrides: OverridesIn = Field(  # type: ignore[valid-type]
        default_factory=lambda: OverridesIn(),
        description=(
            "Parameter overrides by dotted name from defaults.yaml (GET /api/parameters), e.g. "
            '{"us.resolve": 0.4}; dated parameters take {"year": value}.'
        ),
    )
    uncertainty: dict[UncertainName, DistributionIn] = Field(  # type: ignore[valid-type,assignment]
        default_factory=dict,
        max_length=MAX_UNCERTAINTY,
        description='Distributions replacing the defaults of uncertain parameters, e.g. '
        '{"projection.decay_km": {"dist": "normal", "mean": 6000, "sd": 1500}}; the service '
        "takes normal and lognormal (uniform and triangular: in a scenario file).",
    )
    shocks: list[ShockIn] = Field(  # type: ignore[assignment]
        default_factory=list,
        max_length=MAX_SHOCKS,
        description='Dated shocks, e.g. {"kind": "war", "year": 2030, "theatre": "europe"} '
        "(us_allocation shocks: in a scenario file).",
    )
    horizon: int | None = Field(default=None, ge=2025, le=2100, description="Last simulated year.")


class SimulateRequest(BaseModel):
    """``POST /api/simulate``: one scenario, draws (0 = deterministic central case), seed."""

    model_config = ConfigDict(
        **_STRICT_REQ,
        json_schema_extra={
            "examples": [{"scenario": {"posture": "division_of_labor"}, "draws": 0, "seed": 1}]
        },
    )
    scenario: ScenarioIn = Field(default_factory=lambda: ScenarioIn())
    draws: int = Field(
        default=0, ge=0, description="0 = deterministic central case; else Monte Carlo draws."
    )
    seed: int = Field(default=0, ge=0, le=2**63 - 1, description="Seed (same seed, same results).")
    horizon: int | None = Field(
        default=None,
        ge=2025,
        le=2100,
        description="Last simulated year (default: scenario's or 2045).",
    )
    record: bool = Field(
        default=False,
        description="Keep the run in the runs store (its id is `run_id`; rerun it with "
        "`natofutures runs rerun ID`).",
    )


class CentralRequest(BaseModel):
    """``POST /api/simulate/central``: the deterministic central case of 1-4 scenarios at once."""

    model_config = ConfigDict(
        **_STRICT_REQ,
        json_schema_extra={
            "examples": [
                {
                    "scenarios": [
                        {"posture": "business_as_usual", "overrides": {"us.resolve": 0.4}},
                        {"posture": "division_of_labor", "overrides": {"us.resolve": 0.4}},
                    ],
                    "horizon": 2045,
                }
            ]
        },
    )
    scenarios: list[ScenarioIn] = Field(
        min_length=1, max_length=4, description="One to four scenarios (e.g. two postures)."
    )
    horizon: int | None = Field(
        default=None,
        ge=2025,
        le=2100,
        description="Last simulated year (default: each scenario's or 2045).",
    )


class CompareRequest(BaseModel):
    """``POST /api/compare``: several scenarios ranked under each perspective."""

    model_config = ConfigDict(
        **_STRICT_REQ,
        json_schema_extra={
            "examples": [
                {
                    "scenarios": [
                        {"posture": "business_as_usual"},
                        {"posture": "division_of_labor"},
                    ],
                    "draws": 100,
                    "seed": 1,
                }
            ]
        },
    )
    scenarios: list[ScenarioIn] | None = Field(
        default=None,
        min_length=2,
        max_length=8,
        description="Two to eight scenarios to compare (default, or null: the four built-in "
        "postures). Scenarios with the same name get a suffix (_2, _3 ...).",
    )
    perspectives: list[PerspectiveName] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=20,
        description="Bundled perspective names (default: all; see GET /api/perspectives); "
        "a name given twice counts once.",
    )
    draws: int | None = Field(
        default=None, ge=0,
        description="Monte Carlo draws per scenario (default or null: 100, or this server's "
        "limit if lower).",
    )
    seed: int = Field(default=20220914, ge=0, le=2**63 - 1)
    horizon: int = Field(default=2045, ge=2025, le=2100)
    smaa_samples: int | None = Field(
        default=None, ge=1,
        description="SMAA weight/outcome samples (default or null: 20,000, or this server's "
        "limit if lower).",
    )
    record: bool = Field(
        default=True,
        description="Keep the run in the runs store (its id is `run.run_id`; rerun it with "
        "`natofutures runs rerun ID`); false: `run.run_id` is null.",
    )


class RobustRequest(BaseModel):
    """``POST /api/jobs/robust``: what would you have to believe for each posture to rank first?

    Scenario discovery (PRIM), minimax regret and EVPPI over an ensemble of futures
    (:func:`natofutures.analysis.robust.robust`, as ``natofutures robust --json``).
    """

    model_config = ConfigDict(
        **_STRICT_REQ,
        json_schema_extra={"examples": [{"samples": 200, "seed": 0}]},
    )
    postures: list[PostureName] | None = Field(  # type: ignore[valid-type]
        default=None,
        min_length=2,
        max_length=8,
        description="Two or more different built-in postures (default, or null: all four).",
        json_schema_extra={"uniqueItems": True},
    )
    perspectives: list[PerspectiveName] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=20,
        description="Bundled perspective names (default: all); a name given twice counts once.",
    )
    samples: int | None = Field(
        default=None,
        ge=20,
        description="Futures in the ensemble (default or null: 200, or this server's limit if "
        "lower). About 30 s for 400 futures on one core.",
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="Seed (same seed, same results).")
    horizon: int = Field(default=2045, ge=2025, le=2100, description="Last simulated year.")


# ----------------------------------------------------------------------------- responses
class Health(BaseModel):
    status: str = Field(description="'ok' when the service answers.")
    version: str = Field(description="natofutures package version.")
    data_version: str = Field(description="Short hash of the bundled data.")
    limits: dict[str, int] = Field(description="This server's input limits.")


class PostureSummary(BaseModel):
    name: str
    title: str
    summary: str


class LeverOut(BaseModel):
    path: str = Field(description="Dotted parameter name.")
    value: float
    unit: str
    reason: str = Field(description="The essay's sentence the value encodes ('' = default).")
    default: float = Field(description="Value in defaults.yaml (business as usual).")


class PostureDetail(PostureSummary):
    essay: str = ""
    levers: list[LeverOut]


class ParameterOut(BaseModel):
    path: str = Field(description="Dotted name, as used in scenario overrides.")
    value: float | None = Field(description="Central value (null for a dated path).")
    values: dict[str, float] | None = Field(description="Dated path {year: value}, if dated.")
    unit: str
    bounds: list[float] = Field(description="Hard limits of an override.")
    range: list[float] | None = Field(description="Plausible range.")
    uncertain: bool = Field(description="Sampled in Monte Carlo.")
    lever: bool = Field(description="Set by a posture (a decision, not an uncertainty).")
    judgement: bool = Field(description="A modelling judgement (see source), not data.")
    provisional: bool = Field(description="Awaiting calibration on history.")
    source: str


class PerspectiveOut(BaseModel):
    name: str
    label: str
    rationale: str
    source: str
    concentration: float = Field(description="Dirichlet concentration of SMAA weights.")
    weights: dict[str, float] = Field(description="Normalised weight per criterion (sum 1).")


class Band(BaseModel):
    """A series over years: the median and, for Monte Carlo, the 5th-95th percentile band."""

    median: Series
    p05: Series | None = None
    p95: Series | None = None


class CountryOut(BaseModel):
    iso3: str
    name: str
    role: str
    european: bool


class SimulateResult(BaseModel):
    """Results over years; NaN and infinite values are null."""

    posture: str
    scenario_name: str
    scenario_hash: str = Field(description="SHA-256 of the scenario's canonical JSON.")
    scenario: dict[str, Any] = Field(description="The validated scenario (canonical form).")
    draws: int
    seed: int
    deterministic: bool
    years: list[int]
    countries: list[CountryOut] = Field(description="Countries of `by_country` series.")
    series: dict[str, Band] = Field(description="Alliance-level series by name.")
    by_country: dict[str, dict[str, Series]] = Field(
        description="Per-country series: variable -> iso3 -> values (median for Monte Carlo)."
    )
    units: dict[str, str]
    labels: dict[str, str] = Field(description="One-line explanation of each series.")
    data_version: str
    package_version: str
    elapsed_ms: float
    run_id: str | None = Field(default=None, description="Runs-store id when `record` was set.")


class CentralResult(BaseModel):
    """The central case of each scenario, in the order given."""

    results: list[SimulateResult] = Field(
        description="What POST /api/simulate answers (draws 0) for each scenario."
    )


class RunSummary(BaseModel):
    run_id: str
    created_at: str
    kind: str
    posture: str | None
    seed: int | None
    draws: int | None
    horizon: int | None
    scenario_hash: str
    data_version: str
    package_version: str
    has_arrays: bool
    command: str


class RunDetail(RunSummary):
    scenario: Any = Field(description="The run's scenario JSON.")
    spec: dict[str, Any] | None = Field(
        default=None,
        description="The run spec (kind, scenarios, draws, seed, horizon, options, versions) "
        "that `natofutures runs rerun` recomputes; null for an old run recorded without one.",
    )
    labels: dict[str, str]
    tables: dict[str, list[dict[str, Any]]] = Field(
        description="Summary tables as records (at most 2,000 rows each)."
    )


JobKind = Literal["simulate", "compare", "robust"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


class JobOut(BaseModel):
    """A background run (``POST /api/jobs/simulate`` or ``/api/jobs/compare``) and its state.

    Poll ``GET /api/jobs/{id}`` until ``status`` is ``done`` (``result`` holds what the
    synchronous endpoint answers), ``failed`` (``error``) or ``cancelled``.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f9c0a6b2d1e4f58",
                    "kind": "simulate",
                    "status": "running",
                    "progress": 0.4,
                    "message": "simulating draws 401-600 of 1,000",
                    "created_at": "2026-11-29T10:00:00.000Z",
                    "started_at": "2026-11-29T10:00:00.012Z",
                    "finished_at": None,
                    "elapsed_ms": 412.0,
                    "expires_in_s": None,
                    "result": None,
                    "error": None,
                    "error_status": None,
                }
            ]
        }
    )
    id: str = Field(description="Job id: poll GET /api/jobs/{id}, cancel with DELETE.")
    kind: JobKind = Field(description="Which synchronous endpoint the job runs.")
    status: JobStatus = Field(
        description="queued (waiting for one of the server's heavy-run slots), running, done, "
        "failed or cancelled."
    )
    progress: float = Field(
        ge=0.0,
        le=1.0,
        description="Share of the work done (0-1): Monte Carlo draws simulated, then the "
        "summaries; for compare, the postures simulated and the perspectives ranked.",
    )
    message: str = Field(description="What the job is doing now, in a few words.")
    created_at: str = Field(description="When the job was accepted (ISO 8601, UTC).")
    started_at: str | None = Field(description="When it got a slot and started running.")
    finished_at: str | None = Field(description="When it finished, failed or was cancelled.")
    elapsed_ms: float | None = Field(description="Running time so far (or in all), in ms.")
    expires_in_s: float | None = Field(
        description="Seconds until a finished job (and its result) is forgotten (then 404)."
    )
    result: SimulateResult | dict[str, Any] | None = Field(
        description="When done: exactly what POST /api/simulate (a SimulateResult) or "
        "POST /api/compare answers for the same body; for a robust job, ``natofutures robust "
        "--json`` (boxes, regret, evppi) plus ``run``, ``perspectives_info`` and ``elapsed_ms``."
    )
    error: str | None = Field(
        description="When failed: one line naming the field, its value and what is allowed."
    )
    error_status: int | None = Field(
        description="When failed: the HTTP status the synchronous endpoint would have given."
    )


class ErrorOut(BaseModel):
    detail: str = Field(description="One line naming the field, its value and what is allowed.")
