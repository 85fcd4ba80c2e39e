"""Adoption forecast: which future NATO is likely to choose (docs/decision.md).

A weighted-salience expected-utility bargaining model with a status-quo advantage and a
multinomial logit over postures:

1. **Utilities.** Stakeholder ``s`` values posture ``p`` by the weighted sum of its
   criteria under the stakeholder's weights: ``U[s, p] = Σ_c w[s, c] · v_c(x[p])`` with
   ``v_c`` the partial value on the criterion's fixed value scale (0 at its worst anchor,
   1 at its best; ``parameters/value_scales.yaml``, the scales the rankings use), so a
   posture's utility does not depend on which other postures are compared and a weight is
   a swing weight over stated anchors (issue #16). ``feasibility`` is left out (it is
   what this model produces).
2. **Weight in the bargain.** ``ω_s ∝ clout_s · salience_s`` (Bueno de Mesquita's
   capability × salience). Clout is *derived from the bundled data*: the stakeholder's share
   of alliance GDP and of alliance defence spending in the base year
   (``natofutures.data.panel``); the US executive and Congress split US clout by a judgement
   share, NATO staff has a judgement clout.
3. **Collective support.** ``V[p] = Σ_s ω_s U[s, p] + bonus · [p is the status quo]`` — the
   status-quo bonus encodes bureaucratic inertia and the consensus rule
   (``business_as_usual`` is the status quo).
4. **Choice.** ``P(p) = exp(λ V[p]) / Σ_q exp(λ V[q])`` with decisiveness ``λ``.

With Monte Carlo outcomes the model runs per draw and the forecast is the mean probability
over draws, so outcome uncertainty enters the forecast.

References
----------
Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
*European Community Decision Making*, Yale UP, 71–104.
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
*Frontiers in Econometrics*, Academic Press, 105–142.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from natofutures.analysis import perspectives as _persp
from natofutures.analysis.criteria import CRITERIA, CRITERION_NAMES
from natofutures.analysis.mcda import FloatArray, interval_value
from natofutures.errors import DataError, InputError
from natofutures.parameters import load_yaml

STAKEHOLDERS_FILE = "stakeholders.yaml"
UTILITY_CRITERIA: tuple[str, ...] = tuple(c for c in CRITERION_NAMES if c != "feasibility")


class _Judgement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    range: tuple[float, float]
    unit: str = ""
    source: str


class _CloutRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gdp_share: float = Field(ge=0)
    spending_share: float = Field(ge=0)
    source: str


class StakeholderSpec(BaseModel):
    """One stakeholder as written in ``stakeholders.yaml``."""

    model_config = ConfigDict(extra="forbid")
    label: str
    countries: list[str] | str
    country_share: float = Field(default=1.0, gt=0, le=1)
    salience: float = Field(ge=0, le=1)
    perspectives: dict[str, float] = {}
    weights: dict[str, float] = {}
    why: str

    @field_validator("weights")
    @classmethod
    def _known(cls, weights: dict[str, float]) -> dict[str, float]:
        for key in weights:
            if key not in CRITERIA:
                raise ValueError(f"unknown criterion {key!r}; allowed: {', '.join(CRITERIA)}")
        return weights


class StakeholderFile(BaseModel):
    """The whole ``stakeholders.yaml``."""

    model_config = ConfigDict(extra="forbid")
    status_quo: str
    status_quo_bonus: _Judgement
    decisiveness: _Judgement
    clout_rule: _CloutRule
    staff_clout: _Judgement
    stakeholders: dict[str, StakeholderSpec]


@dataclass(frozen=True)
class Stakeholders:
    """Resolved stakeholders: utility weights, salience and data-derived clout."""

    names: tuple[str, ...]
    labels: tuple[str, ...]
    weights: FloatArray  # (stakeholders, UTILITY_CRITERIA), rows sum to 1
    salience: FloatArray
    clout: FloatArray  # sums to 1
    status_quo: str
    status_quo_bonus: float
    decisiveness: float
    base_year: int | None = None
    sources: dict[str, str] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """One row per stakeholder: label, clout, salience and bargaining weight."""
        influence = self.clout * self.salience
        return pd.DataFrame(
            {
                "label": list(self.labels),
                "clout": self.clout,
                "salience": self.salience,
                "weight": influence / influence.sum(),
            },
            index=pd.Index(list(self.names), name="stakeholder"),
        )


def load_spec(data: Any | None = None) -> StakeholderFile:
    """Validate the stakeholder file (the bundled one by default)."""
    raw = load_yaml(STAKEHOLDERS_FILE) if data is None else data
    try:
        return StakeholderFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise InputError(f"stakeholders: field {loc}: {msg}") from None


def _utility_weights(spec: StakeholderSpec, name: str) -> FloatArray:
    total = np.zeros(len(UTILITY_CRITERIA))
    for pname, share in spec.perspectives.items():
        if share < 0:
            raise InputError(f"stakeholders.{name}.perspectives.{pname}: {share} must be >= 0")
        p = _persp.load(pname)
        total += share * np.array([p.weights.get(c, 0.0) for c in UTILITY_CRITERIA]) / sum(
            p.weights.get(c, 0.0) for c in UTILITY_CRITERIA
        )
    if spec.weights:
        own = np.array([spec.weights.get(c, 0.0) for c in UTILITY_CRITERIA])
        total += own / own.sum()
    if total.sum() <= 0:
        raise InputError(f"stakeholders.{name}: no positive weight on any criterion")
    return total / total.sum()


def alliance_shares(
    panel: pd.DataFrame, members: list[str], year: int, rule: _CloutRule
) -> pd.Series:
    """Each ally's clout share: ``a·GDP share + b·spending share`` among ``members``.

    ``panel`` has columns ``iso3``, ``year``, ``gdp_usd``, ``milex_usd`` (natofutures.data).
    Allies missing a value in ``year`` use their latest earlier value.
    """
    df = panel[panel["iso3"].isin(members) & (panel["year"] <= year)]
    # groupby.last() skips NaN: each ally's latest available value up to ``year``.
    latest = df.sort_values("year").groupby("iso3")[["gdp_usd", "milex_usd"]].last()
    missing = sorted(set(members) - set(latest.dropna().index))
    if missing:
        raise DataError(f"clout: no GDP or spending data for {', '.join(missing)} up to {year}")
    gdp = latest["gdp_usd"] / latest["gdp_usd"].sum()
    mil = latest["milex_usd"] / latest["milex_usd"].sum()
    total = rule.gdp_share + rule.spending_share
    share = (rule.gdp_share * gdp + rule.spending_share * mil) / total
    return share.astype(float)


def stakeholders(
    spec: StakeholderFile | None = None,
    *,
    panel: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
    year: int | None = None,
    status_quo_bonus: float | None = None,
    decisiveness: float | None = None,
) -> Stakeholders:
    """Resolve the stakeholders: weights from perspectives, clout from the bundled data.

    ``panel``/``countries``/``year`` default to ``natofutures.data.panel()``,
    ``countries()`` and ``latest_year()``; pass them to use other data.
    """
    spec = spec or load_spec()
    if panel is None or countries is None or year is None:
        from natofutures import data as _data

        panel = _data.panel() if panel is None else panel
        countries = _data.countries() if countries is None else countries
        year = _data.latest_year() if year is None else year
    members = sorted(
        countries.loc[countries["role"] == "ally", "iso3"].astype(str).tolist()
    )
    share = alliance_shares(panel, members, year, spec.clout_rule)

    claimed: set[str] = set()
    for name, s in spec.stakeholders.items():
        if isinstance(s.countries, list):
            unknown = sorted(set(s.countries) - set(members))
            if unknown:
                raise InputError(
                    f"stakeholders.{name}.countries: {', '.join(unknown)} not NATO allies"
                )
            claimed |= set(s.countries)

    names, labels, weights, salience, clout = [], [], [], [], []
    staff = spec.staff_clout.value
    for name, s in spec.stakeholders.items():
        if s.countries == "rest":
            group = [m for m in members if m not in claimed]
        elif isinstance(s.countries, str):
            raise InputError(
                f"stakeholders.{name}.countries: {s.countries!r} is not allowed; expected a "
                "list of ISO3 codes or 'rest'"
            )
        else:
            group = s.countries
        c = staff if not group else (1.0 - staff) * s.country_share * float(share[group].sum())
        names.append(name)
        labels.append(s.label)
        weights.append(_utility_weights(s, name))
        salience.append(s.salience)
        clout.append(c)
    clout_arr = np.asarray(clout)
    bonus = spec.status_quo_bonus.value if status_quo_bonus is None else status_quo_bonus
    lam = spec.decisiveness.value if decisiveness is None else decisiveness
    if bonus < 0:
        raise InputError(f"status_quo_bonus: {bonus!r} is not allowed; expected >= 0")
    if not lam > 0:
        raise InputError(f"decisiveness: {lam!r} is not allowed; expected > 0")
    return Stakeholders(
        names=tuple(names),
        labels=tuple(labels),
        weights=np.vstack(weights),
        salience=np.asarray(salience, dtype=float),
        clout=clout_arr / clout_arr.sum(),
        status_quo=spec.status_quo,
        status_quo_bonus=bonus,
        decisiveness=lam,
        base_year=year,
        sources={
            "status_quo_bonus": spec.status_quo_bonus.source,
            "decisiveness": spec.decisiveness.source,
            "clout": spec.clout_rule.source,
        },
    )


def utilities(
    outcomes: ArrayLike, criteria: tuple[str, ...], people: Stakeholders, scales: ArrayLike
) -> FloatArray:
    """Each stakeholder's utility ``U[..., s, p]`` for outcomes ``(..., p, c)``.

    ``scales`` is the ``(2, len(criteria))`` worst and best anchors of ``criteria``
    (:func:`natofutures.analysis.mcda.scale_matrix`): 0 with every valued criterion at its
    worst anchor, 1 at its best; beyond an anchor the value extrapolates.
    """
    x = np.asarray(outcomes, dtype=float)
    s = np.asarray(scales, dtype=float)
    if s.shape != (2, len(criteria)):
        raise InputError(
            f"scales: shape {s.shape} is not allowed; expected (2, {len(criteria)}), the worst "
            "and best anchors of the criteria"
        )
    idx = [criteria.index(c) for c in UTILITY_CRITERIA if c in criteria]
    if not idx:
        raise InputError("adoption: outcomes hold none of the criteria stakeholders value")
    cols = [UTILITY_CRITERIA.index(criteria[i]) for i in idx]
    v = interval_value(x[..., idx], s[:, idx])  # (..., p, c)
    w = people.weights[:, cols]
    w = w / w.sum(axis=1, keepdims=True)
    return np.asarray(np.einsum("...pc,sc->...sp", v, w), dtype=float)


def support(
    outcomes: ArrayLike,
    postures: list[str],
    criteria: tuple[str, ...],
    people: Stakeholders,
    scales: ArrayLike,
) -> FloatArray:
    """Collective support ``V[..., p]`` (before the logit) for outcomes ``(..., p, c)``."""
    utility = utilities(outcomes, criteria, people, scales)  # (..., s, p)
    influence = people.clout * people.salience
    influence = influence / influence.sum()
    value = np.einsum("...sp,s->...p", utility, influence)
    if people.status_quo in postures:
        value = value + people.status_quo_bonus * (
            np.asarray(postures) == people.status_quo
        ).astype(float)
    return np.asarray(value, dtype=float)


def adoption_probabilities(
    outcomes: ArrayLike,
    postures: list[str],
    criteria: tuple[str, ...],
    people: Stakeholders,
    scales: ArrayLike,
) -> FloatArray:
    """Per-draw probability that each posture is adopted: shape ``(..., postures)``.

    ``outcomes`` is ``(..., postures, criteria)`` (e.g. draws × postures × criteria), valued
    on the fixed ``scales`` of ``criteria``; each row of the result sums to 1. Dropping a
    posture leaves the odds between the others unchanged (the logit's independence from
    irrelevant alternatives, now that utilities are on fixed scales).
    """
    value = support(outcomes, postures, criteria, people, scales)
    z = people.decisiveness * value
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=-1, keepdims=True), dtype=float)


def forecast(
    outcomes: ArrayLike,
    postures: list[str],
    criteria: tuple[str, ...],
    people: Stakeholders,
    scales: ArrayLike,
) -> pd.Series:
    """Probability of adoption of each posture, averaged over the outcome draws (sums to 1)."""
    p = adoption_probabilities(outcomes, postures, criteria, people, scales)
    mean = p.reshape(-1, len(postures)).mean(axis=0)
    return pd.Series(mean / mean.sum(), index=pd.Index(postures, name="posture"), name="p")
