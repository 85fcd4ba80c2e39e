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

import difflib
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
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
    "scenario_problems",
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
_TAGS = {"normal", "lognormal", "uniform", "triangular"} | {
    "intentions", "spending", "gdp", "us_withdrawal", "us_allocation", "energy_cutoff", "war",
}
# the member names pydantic puts into the location of a union's alternative ("float", ...)
_UNION_MEMBERS = {"float", "int", "str", "bool", "dict[int,float]", "list", "dict"}


def _loc(loc: tuple[int | str, ...], prefix: str = "") -> str:
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _TAGS or part in _UNION_MEMBERS or "[" in part:
            continue  # discriminator tags and union members pydantic inserts into the location
        else:
            out += f".{part}" if out else str(part)
    return out or "<scenario>"


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``choices`` to ``word`` (difflib), or ``""``.

    Used in every "unknown name" message so a typo is one edit away from a fix.
    """
    close = difflib.get_close_matches(str(word), sorted(choices), n=2, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


#: parameters split into one per theatre (issue #15): the old name's error names the new ones
SPLIT_PER_THEATRE = ("hazard.ratio_half", "hazard.steepness")


def _path_hint(path: str, choices: Iterable[str]) -> str:
    """:func:`did_you_mean`, or for a parameter split per theatre the names that replaced it."""
    if path in SPLIT_PER_THEATRE:
        return (
            f" (it is now one per theatre: did you mean '{path}.europe', "
            f"'{path}.indo_pacific' or '{path}.out_of_area'?)"
        )
    return did_you_mean(path, choices)


def _known_fields() -> set[str]:
    """Every field name of the scenario, posture, shock and distribution schemas."""
    models: list[type[BaseModel]] = [
        ScenarioFile, PostureFile, Lever, Normal, LogNormal, Uniform, Triangular,
        IntentionsShock, SpendingShock, GdpShock, WithdrawalShock, UsAllocationShock,
        EnergyShock, WarShock,
    ]
    return {name for m in models for name in m.model_fields}


def _one_problem(err: Any, prefix: str) -> str:
    where = _loc(tuple(err["loc"]), prefix)
    value = err.get("input")
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(err["loc"][-1]) if err["loc"] else ""
        hint = did_you_mean(key, _known_fields())
        return f"{where}: no such field{hint}; expected known keys only (unknown keys are errors)"
    if kind == "missing":
        return f"{where}: missing; expected a value (the field is required)"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        ctx = err.get("ctx") or {}
        field = str(ctx.get("discriminator", "kind")).strip("'")
        tag = ctx.get("tag")
        if tag is None:
            return f"{where}.{field}: missing; expected one of {ctx.get('expected_tags', '')}"
        return (
            f"{where}.{field}: value {tag!r} not allowed{did_you_mean(tag, _TAGS)}; "
            f"expected one of {ctx.get('expected_tags', '')}"
        )
    expected = str(err["msg"]).removeprefix("Value error, ")
    expected = expected[0].lower() + expected[1:] if expected else expected
    expected = expected.removeprefix("input should be ").removeprefix("input ")
    return f"{where}: value {_short(value)} not allowed; expected {expected}"


def _validation_problems(exc: ValidationError, prefix: str = "") -> list[str]:
    """Every problem of a pydantic error, one line each, without duplicates."""
    out: list[str] = []
    for err in exc.errors(include_url=False):
        msg = _one_problem(err, prefix)
        if msg not in out:
            out.append(msg)
    return out


def _joined(problems: list[str]) -> ScenarioError:
    """One line: the first problem, then ``(and N more: …; …)`` listing the others."""
    first, rest = problems[0], problems[1:]
    if not rest:
        return ScenarioError(first)
    return ScenarioError(f"{first} (and {len(rest)} more: {'; '.join(rest)})")


def _as_scenario_error(exc: ValidationError, prefix: str = "") -> ScenarioError:
    return _joined(_validation_problems(exc, prefix))


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
        hint = _path_hint(path, _defaults().parameters)
        raise ScenarioError(
            f"{where}: no parameter named {_short(path)}{hint}"
            "; expected a parameter name from defaults.yaml (list them: "
            "`natofutures parameters --search WORD`)"
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
        raise ScenarioError(
            f"file: value {str(path)!r} not allowed; expected valid YAML/JSON ({_syntax(exc)})"
        ) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"<scenario>: value {_short(data)} not allowed; expected a mapping of fields"
        )
    return data


def _syntax(exc: Exception) -> str:
    """``line L, column C: problem`` of a YAML or JSON syntax error (1-based, as editors count)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return str(problem)
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"


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
                f"posture: value {name_or_path!r} not allowed"
                f"{did_you_mean(name_or_path, posture_names())}; expected one of "
                f"{', '.join(posture_names())} or a posture YAML/JSON file"
            )
        raw = _read_mapping(candidate)
    try:
        pf = PostureFile.model_validate(raw)
    except ValidationError as exc:
        raise _as_scenario_error(exc, prefix="posture") from None
    problems: list[str] = []
    lever_names = [k for k, s in parameter_table().items() if s.lever]
    for path, lever in pf.levers.items():
        spec = _spec_for(path)
        if spec is None or not spec.lever:
            problems.append(
                f"posture.levers.{path}: value {path!r} not allowed"
                f"{did_you_mean(path, lever_names)}; expected a lever (list them: "
                "`natofutures parameters --levers`)"
            )
            continue
        try:
            _check_value(path, lever.value, f"posture.levers.{path}.value")
        except ScenarioError as exc:
            problems.append(str(exc))
    if problems:
        raise _joined(problems)
    return pf


# --------------------------------------------------------------------------- the scenario
class ScenarioFile(BaseModel):
    """Schema of a scenario file (YAML or JSON); see docs/scenarios.md."""

    model_config = _STRICT
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_\-\. ]+$")
    description: str = ""
    posture: str = "business_as_usual"
    overrides: dict[str, Any] = {}  # each value checked against defaults.yaml in _build
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
    def with_overrides(
        self, overrides: Mapping[str, Any] | None = None, *, name: str | None = None
    ) -> Scenario:
        """A new scenario with parameter overrides (and, with ``name``, a new name).

        Validates every override before applying any (all problems in one message), and
        checks the result is feasible (e.g. US shares summing to at most 1). Rename a
        variant so it can be compared with the posture it came from:

        >>> posture("division_of_labor").with_overrides({"us.resolve": 0.5}, name="dol_firm").name
        'dol_firm'
        """
        checked, problems = _checked_overrides(overrides or {})
        if name is not None and not (
            isinstance(name, str) and name.strip() and len(name) <= 80 and "\n" not in name
        ):
            problems.append(f"name: value {_short(name)} not allowed; expected a one-line name")
        if problems:
            raise _joined(problems)
        merged = {**self.overrides, **checked}
        update: dict[str, Any] = {"overrides": dict(sorted(merged.items()))}
        if name is not None:
            update["name"] = name.strip()
        out = self.model_copy(update=update)
        feasibility = _feasibility_problems(out)
        if feasibility:
            raise _joined(feasibility)
        return out

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
    """Names of the built-in postures (``nf.postures()``), e.g. ``business_as_usual``."""
    return list(_posture_names())


def _checked_overrides(overrides: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Every override checked against defaults.yaml: (normalised values, problems)."""
    checked: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in overrides.items():
        try:
            checked[str(key)] = _check_value(str(key), value, f"overrides.{key}")
        except ScenarioError as exc:
            problems.append(str(exc))
    return checked, problems


def _uncertainty_problems(uncertainty: Mapping[str, Any]) -> list[str]:
    problems = []
    table = _defaults().parameters
    for path in uncertainty:
        spec = _spec_for(path)
        if spec is None or spec.dated:
            problems.append(
                f"uncertainty.{path}: value {path!r} not allowed"
                f"{_path_hint(path, [k for k, s in table.items() if not s.dated])}; "
                "expected a scalar parameter name from defaults.yaml"
            )
        elif spec.lever:
            problems.append(
                f"uncertainty.{path}: value {path!r} not allowed; "
                "expected an uncertain parameter, not a posture lever"
            )
    return problems


def _scalar(sc: Scenario, path: str) -> float:
    value = sc.parameter(path)
    return float(value) if not isinstance(value, dict) else float(value[max(value)])


def _feasibility_problems(sc: Scenario) -> list[str]:
    """Joint constraints the engine needs (docs/decision.md): shares that sum to at most 1.

    Checked here so that ``scenario validate``, ``with_overrides`` and ``simulate`` agree.
    """
    problems = []
    for prefix in ("us.allocation", "allocation.us_initial"):
        shares = {t: _scalar(sc, f"{prefix}.{t}") for t in THEATRES}
        if sum(shares.values()) > 1.0 + 1e-9:
            listed = ", ".join(f"{prefix}.{t}={v:g}" for t, v in shares.items())
            problems.append(
                f"{prefix}: shares {listed} (sum {sum(shares.values()):.3g}) not allowed; "
                "expected shares of US power summing to at most 1"
            )
    eu = _scalar(sc, "europe.indo_pacific_share") + _scalar(sc, "europe.out_of_area_share")
    if eu > 1.0 + 1e-9:
        problems.append(
            f"europe.indo_pacific_share + europe.out_of_area_share: value {eu:.3g} not allowed; "
            "expected European shares summing to at most 1"
        )
    return problems


def scenario_problems(sc: Scenario) -> list[str]:
    """Problems of an already-built scenario that only show jointly (empty when feasible)."""
    return _feasibility_problems(sc)


def _build(sf: ScenarioFile, base: Path | None, default_name: str) -> Scenario:
    problems: list[str] = []
    try:
        pf: PostureFile | None = _posture_file(sf.posture, base)
    except ScenarioError as exc:
        problems.append(str(exc))
        pf = None
    overrides, bad = _checked_overrides(dict(sorted(sf.overrides.items())))
    problems += bad + _uncertainty_problems(sf.uncertainty)
    if problems or pf is None:
        raise _joined(problems)
    sc = Scenario(
        name=sf.name or default_name,
        description=sf.description,
        posture=pf.name,
        posture_title=pf.title,
        posture_summary=pf.summary,
        levers={k: float(v.value) for k, v in sorted(pf.levers.items())},
        lever_reasons={k: v.reason for k, v in pf.levers.items()},
        overrides=overrides,
        uncertainty=dict(sorted(sf.uncertainty.items())),
        shocks=tuple(sf.shocks),
        horizon=sf.horizon,
    )
    feasibility = _feasibility_problems(sc)
    if feasibility:
        raise _joined(feasibility)
    return sc


def scenario_from_mapping(
    data: Mapping[str, Any], base: Path | None = None, default_name: str = "scenario"
) -> Scenario:
    """Validate a scenario given as a mapping (e.g. a parsed JSON body)."""
    try:
        sf = ScenarioFile.model_validate(dict(data))
    except ValidationError as exc:
        raise _joined(_validation_problems(exc) + _more_problems(data, base)) from None
    return _build(sf, base, default_name)


def _more_problems(data: Mapping[str, Any], base: Path | None) -> list[str]:
    """The problems of the posture and overrides of a file whose structure is also broken,
    so that one run of ``scenario validate`` lists them all."""
    problems: list[str] = []
    name = data.get("posture", "business_as_usual")
    if isinstance(name, str):
        try:
            _posture_file(name, base)
        except ScenarioError as exc:
            problems.append(str(exc))
    overrides = data.get("overrides")
    if isinstance(overrides, Mapping):
        problems += _checked_overrides(overrides)[1]
    return problems


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


def is_posture_file(path: str | Path) -> bool:
    """Whether ``path`` is a posture file (it has ``levers:``) rather than a scenario file."""
    p = Path(path)
    if p.suffix.lower() not in {".yaml", ".yml", ".json"} or not p.is_file():
        return False
    try:
        raw = _read_mapping(p)
    except ScenarioError:
        return False  # load_scenario reports the syntax error with its line and column
    return "levers" in raw


def load_any(name_or_path: str | Path) -> Scenario:
    """A built-in posture name, a posture file or a scenario file, validated completely.

    The one entry point where a user may give either: ``simulate``, ``scenario validate``,
    ``stress --posture`` and ``nf.stress`` all read their argument with it.
    """
    text = str(name_or_path)
    if text in posture_names() or not Path(text).suffix:
        return posture(text)
    if is_posture_file(text):
        return posture(text)
    return load_scenario(text)


def builtin_scenario_path(name: str) -> Path:
    """Path of a bundled stress-test scenario in ``parameters/scenarios``."""
    return PACKAGE_DIR / "scenarios" / f"{name}.yaml"
