"""Perspectives: named, validated weightings of the 14 evaluation criteria.

A perspective is a YAML file (bundled ones in ``parameters/perspectives/``, users' own
anywhere) with the *swing weights* a school of thought puts on the criteria of docs/model.md
section 4, a Dirichlet ``concentration`` saying how tightly its adherents agree on those
weights (used by SMAA), and a rationale tied to the essay. Criteria a file leaves out get
weight 0. A swing weight says how much moving a criterion from the worst to the best anchor
of its fixed scale (``parameters/value_scales.yaml``) matters, relative to the other swings;
:meth:`Perspective.swings` states them with their anchors. ``feasibility`` cannot be weighted:
it is derived from the other criteria (the adoption model) and is reported beside the ranking.

    name: frontline_ally
    label: Frontline ally (Poland, Baltic states)
    concentration: 40
    rationale: ...
    weights: {europe_risk: 5, cohesion: 1.5, ...}
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from natofutures.analysis.criteria import CRITERIA, CRITERION_NAMES
from natofutures.errors import InputError
from natofutures.parameters import PACKAGE_DIR, list_names

FOLDER = "perspectives"
#: Criteria a perspective may not weight (reported beside the ranking instead).
UNWEIGHTED = ("feasibility",)
#: Criteria a perspective may weight.
WEIGHTABLE = tuple(c for c in CRITERION_NAMES if c not in UNWEIGHTED)


class Perspective(BaseModel):
    """One validated perspective: weights over the criteria plus SMAA concentration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    label: str = ""
    rationale: str = ""
    source: str = "judgement"
    concentration: float = Field(default=40.0, gt=0)
    weights: dict[str, float]

    @field_validator("weights")
    @classmethod
    def _known_nonnegative(cls, weights: dict[str, float]) -> dict[str, float]:
        for key, value in weights.items():
            if key not in CRITERIA:
                raise ValueError(
                    f"unknown criterion {key!r}; allowed: {', '.join(WEIGHTABLE)}"
                )
            if key in UNWEIGHTED and value != 0:
                raise ValueError(
                    f"{key!r} cannot be weighted (it is derived from the other criteria and "
                    f"reported beside the ranking); allowed: {', '.join(WEIGHTABLE)}"
                )
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight of {key!r} is {value!r}; expected a number >= 0")
        if sum(weights.values()) <= 0:
            raise ValueError("weights sum to 0; expected at least one positive weight")
        return weights

    def vector(self, criteria: tuple[str, ...] = CRITERION_NAMES) -> list[float]:
        """Normalised weights in the order of ``criteria`` (omitted criteria weigh 0)."""
        raw = [self.weights.get(c, 0.0) for c in criteria]
        total = sum(raw)
        if total <= 0:
            raise InputError(
                f"perspective {self.name!r}: no positive weight on {', '.join(criteria)}"
            )
        return [v / total for v in raw]

    def swings(self, years: int = 1) -> list[dict[str, Any]]:
        """The perspective's swing weights with their anchors, largest first.

        Each entry: ``criterion``, normalised ``weight``, ``worst`` and ``best`` anchor (over
        ``years`` projected years for per-year scales) and ``unit``.
        """
        from natofutures.analysis.mcda import value_scales

        scales = value_scales()
        out = []
        for c, w in zip(CRITERION_NAMES, self.vector(), strict=True):
            if w <= 0:
                continue
            worst, best = scales[c].anchors(years)
            out.append(
                {"criterion": c, "weight": w, "worst": worst, "best": best,
                 "unit": scales[c].unit}
            )
        return sorted(out, key=lambda e: -float(e["weight"]))


def _one_line(exc: ValidationError, where: str) -> InputError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "perspective"
    msg = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    shown = "" if isinstance(value, dict) else f" (got {value!r})"
    return InputError(f"{where}: field {field}: {msg}{shown}")


def perspective_from_dict(data: Any, where: str = "perspective") -> Perspective:
    """Validate a mapping as a :class:`Perspective`; one-line :class:`InputError` if not."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: {type(data).__name__} is not allowed; expected a mapping")
    try:
        return Perspective.model_validate(data)
    except ValidationError as exc:
        raise _one_line(exc, where) from None


def available() -> list[str]:
    """Names of the bundled perspectives."""
    return list_names(FOLDER)


def load(name_or_path: str | Path) -> Perspective:
    """Load a bundled perspective by name, or a user's perspective file by path."""
    text = str(name_or_path)
    path = Path(text)
    if text.endswith((".yaml", ".yml", ".json")) or path.is_file():
        if not path.is_file():
            raise InputError(f"perspective: file {text!r} does not exist")
    elif text in available():
        path = PACKAGE_DIR / FOLDER / f"{text}.yaml"
    else:
        raise InputError(
            f"perspective: {text!r} is not allowed; expected one of {', '.join(available())} "
            "or a path to a YAML file"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(
            f"perspective: {text!r} is not valid YAML ({exc.__class__.__name__})"
        ) from None
    return perspective_from_dict(data, where=f"perspective {path.name}")


def load_all(names: list[str] | None = None) -> list[Perspective]:
    """Load the named perspectives (default: every bundled one)."""
    return [load(n) for n in (names if names else available())]


def parse_weights(spec: str, name: str = "custom") -> Perspective:
    """Parse ``"criterion=w,criterion=w"`` (the CLI's ``--weights``) into a perspective."""
    weights: dict[str, float] = {}
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise InputError(
                f"--weights: {item!r} is not allowed; expected criterion=weight, "
                "e.g. europe_risk=3,us_cost=1"
            )
        if key not in CRITERIA or key in UNWEIGHTED:
            raise InputError(
                f"--weights: criterion {key!r} is not allowed; allowed: {', '.join(WEIGHTABLE)}"
            )
        try:
            w = float(value)
        except ValueError:
            raise InputError(
                f"--weights: weight {value.strip()!r} of {key} is not allowed; expected a "
                "number >= 0"
            ) from None
        weights[key] = w
    if not weights:
        raise InputError(f"--weights: {spec!r} is not allowed; expected criterion=weight,...")
    return perspective_from_dict(
        {"name": name, "label": "Custom weights (--weights)", "weights": weights},
        where="--weights",
    )
