"""Scenarios: a posture (levers) + parameter overrides + uncertainty specs + dated shocks.

A scenario is one validated, immutable object. It is read from YAML (safe-loaded) or JSON,
validated completely with pydantic v2 (``extra="forbid"``: unknown keys are errors) and only
then used: all-or-nothing. Every validation problem is raised as
:class:`natofutures.errors.ScenarioError` with a one-line message
``path.to.field: value X not allowed; expected …``.

Its canonical JSON (sorted keys, no whitespace) is hashed with SHA-256; the hash names a run.

Vocabulary (EMA Workbench): *levers* are what a posture decides (``us.guarantee``);
*uncertainties* are parameters with a distribution (``projection.decay_km``); everything else
in ``parameters/defaults.yaml`` is a constant.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from natofutures.errors import ScenarioError
from natofutures.parameters import PACKAGE_DIR, list_names, load_yaml

__all__ = [
    "ParamSpec",
    "Scenario",
    "load_scenario",
    "parameter_table",
    "posture",
    "posture_names",
]

THEATRES: tuple[str, ...] = ("europe", "indo_pacific", "out_of_area")
_STRICT = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- distributions
class Normal(BaseModel):
    """Normal(mean, sd)."""

    model_config = _STRICT
    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)


class LogNormal(BaseModel):
    """Log-normal with the given median and log-scale sigma."""

    model_config = _STRICT
    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0)


class Uniform(BaseModel):
    """Uniform on [low, high]."""

    model_config = _STRICT
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self


class Triangular(BaseModel):
    """Triangular on [low, high] with the given mode."""

    model_config = _STRICT
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("need low <= mode <= high and low < high")
        return self


Distribution = Annotated[Normal | LogNormal | Uniform | Triangular, Field(discriminator="dist")]


# --------------------------------------------------------------------------- shocks
_Year = Annotated[int, Field(ge=1990, le=2100)]
_Theatre = Literal["europe", "indo_pacific", "out_of_area"]
_Adversary = Literal["RUS", "CHN", "IRN", "BLR", "PRK"]


class IntentionsShock(BaseModel):
    """From ``year`` (for ``duration`` years, or for good) an adversary's intentions = ``value``."""

    model_config = _STRICT
    kind: Literal["intentions"]
    year: _Year
    adversary: _Adversary
    value: float = Field(ge=0, le=1)
    duration: int | None = Field(default=None, ge=1, le=100)


class SpendingShock(BaseModel):
    """From ``year`` a country's burden is multiplied by ``factor`` (a Russian reconstitution)."""

    model_config = _STRICT
    kind: Literal["spending"]
    year: _Year
    country: str = Field(pattern=r"^[A-Z]{3}$")
    factor: float = Field(gt=0, le=10)
    duration: int | None = Field(default=None, ge=1, le=100)


class GdpShock(BaseModel):
    """In ``year`` a country's GDP level (every country's: ``ALL``) is multiplied by ``factor``."""

    model_config = _STRICT
    kind: Literal["gdp"]
    year: _Year
    country: str = Field(pattern=r"^([A-Z]{3}|ALL)$")
    factor: float = Field(gt=0, le=2)


class WithdrawalShock(BaseModel):
    """From ``year`` (for ``duration`` years, or for good) the US withdraws from a theatre: its
    planned share and forward presence there are 0. An offshore-balancing trigger that fires
    still brings it back (re-engagement wins over the withdrawal)."""

    model_config = _STRICT
    kind: Literal["us_withdrawal"]
    year: _Year
    theatre: _Theatre
    duration: int | None = Field(default=None, ge=1, le=100)


class UsAllocationShock(BaseModel):
    """From ``year`` (for ``duration`` years, or for good) the US share of its power in a
    theatre is ``value`` - a dated lever, replacing the posture's transition path there - and,
    if given, its forward presence there is ``forward_presence``."""

    model_config = _STRICT
    kind: Literal["us_allocation"]
    year: _Year
    theatre: _Theatre
    value: float = Field(ge=0, le=1)
    forward_presence: float | None = Field(default=None, ge=0, le=1)
    duration: int | None = Field(default=None, ge=1, le=100)


class EnergyShock(BaseModel):
    """In ``year`` every ally's gas-import share from Russia is cut by ``factor`` (0..1)."""

    model_config = _STRICT
    kind: Literal["energy_cutoff"]
    year: _Year
    factor: float = Field(ge=0, le=1)


class WarShock(BaseModel):
    """A war starts in ``theatre`` in ``year`` in every draw (a stress test)."""

    model_config = _STRICT
    kind: Literal["war"]
    year: _Year
    theatre: _Theatre


Shock = Annotated[
    IntentionsShock
    | SpendingShock
    | GdpShock
    | WithdrawalShock
    | UsAllocationShock
    | EnergyShock
    | WarShock,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- parameter table
class ParamSpec(BaseModel):
    """One entry of ``parameters/defaults.yaml``."""

    model_config = _STRICT
    value: float | None = None
    values: dict[int, float] | None = None
    unit: str
    bounds: tuple[float, float]
    range: tuple[float, float] | None = None
    distribution: Distribution | None = None
    lever: bool = False
    judgement: bool = False
    provisional: bool = False
    source: str

    @model_validator(mode="after")
    def _one_of_value(self) -> ParamSpec:
        if (self.value is None) == (self.values is None):
            raise ValueError("give exactly one of `value` or `values`")
        return self

    @property
    def dated(self) -> bool:
        return self.values is not None


class TheatreSpec(BaseModel):
    """A theatre's reference point and sides (constants)."""

    model_config = _STRICT
    lat: float
    lon: float
    reference: str
    principal: str
    adversaries: list[str]
    supporter: str
    coalition: list[str]


class Correlation(BaseModel):
    """Rank correlation of two uncertain parameters (a Gaussian copula on their draws)."""

    model_config = _STRICT
    a: str
    b: str
    rho: float = Field(ge=-0.999, le=0.999)
    source: str


class DefaultsFile(BaseModel):
    """Schema of ``parameters/defaults.yaml``."""

    model_config = _STRICT
    version: int
    theatres: dict[str, TheatreSpec]
    threat_adversaries: list[str]
    parameters: dict[str, ParamSpec]
    correlations: list[Correlation] = []


@lru_cache(maxsize=1)
def _defaults() -> DefaultsFile:
    raw = load_yaml("defaults.yaml")
    try:
        return DefaultsFile.model_validate(raw)
    except ValidationError as exc:  # a packaging bug, reported as a scenario error for clarity
        raise _as_scenario_error(exc, prefix="defaults.yaml") from None


def parameter_table() -> dict[str, ParamSpec]:
    """Every parameter of ``defaults.yaml`` by dotted name (a copy)."""
    return dict(_defaults().parameters)


def correlations() -> list[Correlation]:
    """Correlated pairs of uncertain parameters declared in ``defaults.yaml``."""
    return list(_defaults().correlations)


def theatre_table() -> dict[str, TheatreSpec]:
    """The theatre constants of ``defaults.yaml``."""
    return dict(_defaults().theatres)


def threat_adversaries() -> list[str]:
    """The adversaries whose threat each country perceives (``adversary`` dim)."""
    return list(_defaults().threat_adversaries)


def _spec_for(path: str) -> ParamSpec | None:
    """The spec governing ``path``: itself, or ``prefix.default`` for ``prefix.ISO3``."""
    table = _defaults().parameters
    if path in table:
        return table[path]
    prefix, _, last = path.rpartition(".")
    if prefix and len(last) == 3 and last.isupper() and f"{prefix}.default" in table:
        return table[f"{prefix}.default"]
    return None


# --------------------------------------------------------------------------- error formatting
def _loc(loc: tuple[int | str, ...], prefix: str = "") -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"normal", "lognormal", "uniform", "triangular"} | {
            "intentions",
            "spending",
            "gdp",
            "us_withdrawal",
            "energy_cutoff",
            "war",
        }:
            continue  # discriminator tag pydantic inserts into the location
        else:
            out += f".{part}" if out else str(part)
    return out or "<scenario>"


def _as_scenario_error(exc: ValidationError, prefix: str = "") -> ScenarioError:
    err = exc.errors(include_url=False)[0]
    where = _loc(tuple(err["loc"]), prefix)
    value = err.get("input")
    kind = err["type"]
    if kind == "extra_forbidden":
        expected = "no such field (unknown keys are errors)"
    elif kind == "missing":
        return ScenarioError(f"{where}: missing; expected a value (the field is required)")
    else:
        expected = str(err["msg"]).removeprefix("Value error, ")
        expected = expected[0].lower() + expected[1:] if expected else expected
        expected = expected.removeprefix("input should be ").removeprefix("input ")
    more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
    return ScenarioError(f"{where}: value {_short(value)} not allowed; expected {expected}{more}")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- posture files
class Lever(BaseModel):
    """One lever set by a posture: value and the essay sentence it encodes."""

    model_config = _STRICT
    value: float
    reason: str


class PostureFile(BaseModel):
    """Schema of ``parameters/postures/*.yaml`` (and of a user's own posture file)."""

    model_config = _STRICT
    name: str = Field(pattern=r"^[A-Za-z0-9_\-]+$")
    title: str = ""
    summary: str = ""
    essay: str = ""
    levers: dict[str, Lever] = {}


def _check_value(path: str, value: Any, where: str) -> float | dict[int, float]:
    """Validate one override/lever value against the parameter table; return it normalised."""
    spec = _spec_for(path)
    if spec is None:
        raise ScenarioError(
            f"{where}: value {_short(path)} not allowed; expected a parameter name from "
            "defaults.yaml (see `natofutures posture show business_as_usual` and docs/scenarios.md)"
        )
    lo, hi = spec.bounds
    if isinstance(value, Mapping) and spec.dated:
        out: dict[int, float] = {}
        for year, v in value.items():
            try:
                y = int(year)
            except (TypeError, ValueError):
                raise ScenarioError(
                    f"{where}.{year}: value {_short(year)} not allowed; expected a year"
                ) from None
            out[y] = _check_number(v, lo, hi, f"{where}.{year}", spec.unit)
        if not out:
            raise ScenarioError(
                f"{where}: value {{}} not allowed; expected a non-empty {{year: value}}"
            )
        return out
    return _check_number(value, lo, hi, where, spec.unit)


def _check_number(value: Any, lo: float, hi: float, where: str, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(
            f"{where}: value {_short(value)} not allowed; "
            f"expected a number in [{lo}, {hi}] ({unit})"
        )
    if not lo <= float(value) <= hi:
        raise ScenarioError(
            f"{where}: value {_short(value)} not allowed; "
            f"expected a number in [{lo}, {hi}] ({unit})"
        )
    return float(value)


def _read_mapping(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ScenarioError(
            f"file: value {str(path)!r} not allowed; expected an existing YAML or JSON file"
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise ScenarioError(
            f"file: value {str(path)!r} not allowed; expected valid YAML/JSON ({first})"
        ) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"<scenario>: value {_short(data)} not allowed; expected a mapping of fields"
        )
    return data


@lru_cache(maxsize=32)
def _builtin_posture_raw(name: str) -> Any:
    return load_yaml(f"postures/{name}.yaml")


def _posture_file(name_or_path: str, base: Path | None = None) -> PostureFile:
    if name_or_path in posture_names():
        raw = _builtin_posture_raw(name_or_path)
    else:
        candidate = Path(name_or_path)
        if base is not None and not candidate.is_absolute():
            candidate = base / candidate
        if candidate.suffix.lower() not in {".yaml", ".yml", ".json"} or not candidate.is_file():
            raise ScenarioError(
                f"posture: value {name_or_path!r} not allowed; expected one of "
                f"{', '.join(posture_names())} or a posture YAML/JSON file"
            )
        raw = _read_mapping(candidate)
    try:
        pf = PostureFile.model_validate(raw)
    except ValidationError as exc:
        raise _as_scenario_error(exc, prefix="posture") from None
    for path, lever in pf.levers.items():
        spec = _spec_for(path)
        if spec is None or not spec.lever:
            levers = ", ".join(k for k, s in parameter_table().items() if s.lever)
            raise ScenarioError(
                f"posture.levers.{path}: value {path!r} not allowed; expected a lever ({levers})"
            )
        _check_value(path, lever.value, f"posture.levers.{path}.value")
    return pf


# --------------------------------------------------------------------------- the scenario
class ScenarioFile(BaseModel):
    """Schema of a scenario file (YAML or JSON); see docs/scenarios.md."""

    model_config = _STRICT
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_\-\. ]+$")
    description: str = ""
    posture: str = "business_as_usual"
    overrides: dict[str, float | dict[int, float]] = {}
    uncertainty: dict[str, Distribution] = {}
    shocks: list[Shock] = []
    horizon: int | None = Field(default=None, ge=2025, le=2100)


class Scenario(BaseModel):
    """A validated, immutable scenario; build with :func:`posture` or :func:`load_scenario`."""

    model_config = _STRICT
    name: str
    description: str = ""
    posture: str
    posture_title: str = ""
    posture_summary: str = ""
    levers: dict[str, float]
    lever_reasons: dict[str, str] = {}
    overrides: dict[str, float | dict[int, float]] = {}
    uncertainty: dict[str, Distribution] = {}
    shocks: tuple[Shock, ...] = ()
    horizon: int | None = None

    # ---- derived views
    def parameter(self, path: str) -> float | dict[int, float]:
        """The value in force for ``path``: override, else posture lever, else default."""
        if path in self.overrides:
            return self.overrides[path]
        if path in self.levers:
            return self.levers[path]
        spec = _spec_for(path)
        if spec is None:
            raise ScenarioError(
                f"parameter: value {path!r} not allowed; expected a name from defaults.yaml"
            )
        return dict(spec.values) if spec.values is not None else float(spec.value or 0.0)

    def uncertainties(self) -> dict[str, Distribution]:
        """Distributions in force: defaults' ones, replaced or added by the scenario's.

        A parameter overridden to a fixed value (and not given a scenario distribution) is
        no longer uncertain.
        """
        out: dict[str, Distribution] = {}
        for path, spec in parameter_table().items():
            if spec.distribution is not None and path not in self.overrides:
                out[path] = spec.distribution
        out.update(self.uncertainty)
        return dict(sorted(out.items()))

    def canonical_json(self) -> str:
        """Canonical JSON (sorted keys, compact) of everything that affects results."""
        payload = self.model_dump(
            mode="json",
            exclude={"description", "posture_title", "posture_summary", "lever_reasons"},
        )
        return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    @property
    def hash(self) -> str:
        """SHA-256 of :meth:`canonical_json`."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    # ---- modification (validated, all-or-nothing)
    def with_overrides(self, overrides: Mapping[str, Any]) -> Scenario:
        """A new scenario with parameter overrides; validates all of them before applying any."""
        checked = {str(k): _check_value(str(k), v, f"overrides.{k}") for k, v in overrides.items()}
        merged = {**self.overrides, **checked}
        return self.model_copy(update={"overrides": dict(sorted(merged.items()))})

    def with_shocks(self, shocks: list[Mapping[str, Any]]) -> Scenario:
        """A new scenario with extra dated shocks (validated first)."""
        try:
            parsed = ScenarioFile.model_validate({"shocks": list(shocks)}).shocks
        except ValidationError as exc:
            raise _as_scenario_error(exc) from None
        return self.model_copy(update={"shocks": (*self.shocks, *parsed)})


@lru_cache(maxsize=1)
def _posture_names() -> tuple[str, ...]:
    return tuple(list_names("postures"))


def posture_names() -> list[str]:
    """Names of the built-in postures."""
    return list(_posture_names())


def _build(sf: ScenarioFile, base: Path | None, default_name: str) -> Scenario:
    pf = _posture_file(sf.posture, base)
    levers = {k: float(v.value) for k, v in sorted(pf.levers.items())}
    overrides = {k: _check_value(k, v, f"overrides.{k}") for k, v in sorted(sf.overrides.items())}
    for path, dist in sf.uncertainty.items():
        spec = _spec_for(path)
        if spec is None or spec.dated:
            raise ScenarioError(
                f"uncertainty.{path}: value {path!r} not allowed; "
                "expected a scalar parameter name from defaults.yaml"
            )
        if spec.lever:
            raise ScenarioError(
                f"uncertainty.{path}: value {path!r} not allowed; "
                "expected an uncertain parameter, not a posture lever"
            )
        del dist
    return Scenario(
        name=sf.name or default_name,
        description=sf.description,
        posture=pf.name,
        posture_title=pf.title,
        posture_summary=pf.summary,
        levers=levers,
        lever_reasons={k: v.reason for k, v in pf.levers.items()},
        overrides=overrides,
        uncertainty=dict(sorted(sf.uncertainty.items())),
        shocks=tuple(sf.shocks),
        horizon=sf.horizon,
    )


def scenario_from_mapping(
    data: Mapping[str, Any], base: Path | None = None, default_name: str = "scenario"
) -> Scenario:
    """Validate a scenario given as a mapping (e.g. a parsed JSON body)."""
    try:
        sf = ScenarioFile.model_validate(dict(data))
    except ValidationError as exc:
        raise _as_scenario_error(exc) from None
    return _build(sf, base, default_name)


def posture(name: str) -> Scenario:
    """The scenario of a built-in posture (or a posture file path), with no overrides.

    >>> posture("division_of_labor").levers["us.guarantee"]
    0.3
    """
    return scenario_from_mapping({"posture": name}, default_name=Path(name).stem)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (YAML safe-loaded, or JSON); all-or-nothing."""
    p = Path(path)
    data = _read_mapping(p)
    return scenario_from_mapping(data, base=p.parent, default_name=p.stem)


def builtin_scenario_path(name: str) -> Path:
    """Path of a bundled stress-test scenario in ``parameters/scenarios``."""
    return PACKAGE_DIR / "scenarios" / f"{name}.yaml"
