"""The 14 evaluation criteria of MODEL.md section 4.

Each criterion turns one simulated run (the engine's ``xarray.Dataset``) into one number per
Monte Carlo draw, summarised over the projection horizon. The registry :data:`CRITERIA`
gives its unit, its direction (``+1`` higher is better, ``-1`` lower is better) and the
passage of the essay it encodes; ``docs/decision.md`` gives the formulas in prose.

    criterion                 unit                       better  essay
    us_cost                   trillion 2015 US$          lower   Model 1: opportunity cost
    europe_risk               % over horizon             lower   Models 1 and 4
    indo_pacific_risk         % over horizon             lower   Model 1: threats greater in Asia
    european_self_reliance    % of NATO power in Europe  higher  Model 4
    burden_equity             index 0–1                  higher  Model 1: "skewed" burdens
    entrapment                expected crises            lower   Model 1: peripheral conflicts
    intra_european_stability  index 0–1                  higher  Model 1: "American pacifier"
    cohesion                  index 0–1                  higher  Model 1: clear alliance leader
    autocratic_alignment      index 0–1                  lower   Model 2: ties among autocracies
    partner_strain            index 0–1                  lower   Model 2: Saudi Arabia, Vietnam
    transatlantic_rancor      pp of GDP                  lower   Model 3: trans-Atlantic rancor
    energy_dependence         % of gas imports           lower   Model 1: foreign energy supplies
    european_fiscal_cost      % of European GDP          lower   Model 1: welfare states
    feasibility               % probability adopted      higher  Model 1: bureaucratic rigidity

``feasibility`` is the adoption probability of :mod:`natofutures.analysis.adoption`; it needs
every posture's other criteria at once, so :func:`evaluate` (one posture) leaves it out and
:func:`natofutures.analysis.compare.compare` adds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from natofutures.errors import InputError
from natofutures.parameters import load_yaml

if TYPE_CHECKING:
    from natofutures.scenario import Scenario


@dataclass(frozen=True)
class Criterion:
    """Metadata of one criterion (the formula is the function of the same name)."""

    name: str
    label: str
    unit: str
    direction: int  # +1: higher is better; -1: lower is better
    essay: str
    description: str

    @property
    def direction_word(self) -> str:
        """``"higher"`` or ``"lower"`` (is better)."""
        return "higher" if self.direction > 0 else "lower"


_ALL = (
    Criterion(
        "us_cost",
        "US cost",
        "trillion 2015 US$",
        -1,
        "Model 1: 'opportunity cost ... hard for Washington to devote sufficient ... "
        "resources to Asia'; 'let Uncle Sam bear a disproportionate share of the burden'",
        "cumulative US defence spending committed to Europe and out-of-area theatres",
    ),
    Criterion(
        "europe_risk",
        "Europe war risk",
        "% over horizon",
        -1,
        "Model 1: 'countries closest to Russia ... strong U.S. security guarantee'; Model 4: "
        "'go back onshore ... only if the regional balance of power eroded'",
        "cumulative probability that deterrence fails in Europe, 1 − Π(1 − h)",
    ),
    Criterion(
        "indo_pacific_risk",
        "Indo-Pacific war risk",
        "% over horizon",
        -1,
        "Model 1: 'Asia, where threats to the balance of power are significantly greater'",
        "cumulative probability that deterrence fails in the Indo-Pacific",
    ),
    Criterion(
        "european_self_reliance",
        "European self-reliance",
        "% of NATO power in Europe",
        1,
        "Model 4: 'Europe taking primary responsibility for its own security'",
        "European allies' share of NATO power delivered to Europe, mean over the horizon",
    ),
    Criterion(
        "burden_equity",
        "Burden equity",
        "index 0–1",
        1,
        "Model 1: 'Burden-sharing would still be skewed'",
        "min(r, 1/r) of r = European burden / US burden (1 = equal burdens), mean over horizon",
    ),
    Criterion(
        "entrapment",
        "Entrapment",
        "expected crises",
        -1,
        "Model 1: 'drag the United States into peripheral conflicts that may not always be "
        "vital'; Model 2: 'crusading organization'",
        "expected peripheral crises the US is drawn into over the horizon",
    ),
    Criterion(
        "intra_european_stability",
        "Intra-European stability",
        "index 0–1",
        1,
        "Model 1: 'it keeps Europe's \"American pacifier\" in place'",
        "1 − (1 − US share of power in Europe) × inequality of European allies' power",
    ),
    Criterion(
        "cohesion",
        "Cohesion",
        "index 0–1",
        1,
        "Model 1: 'a clear alliance leader ... more rapid and consistent decision-making'; "
        "Model 3: 'states balance not against power alone but against threats'",
        "mean of leadership (largest ally's share of NATO power) and threat alignment",
    ),
    Criterion(
        "autocratic_alignment",
        "Autocratic alignment",
        "index 0–1",
        -1,
        "Model 2: 'bound to reinforce ties among the latter and discourage ... divide-and-rule'",
        "Russia–China alignment pressure from ideological framing and joint containment",
    ),
    Criterion(
        "partner_strain",
        "Partner strain",
        "index 0–1",
        -1,
        "Model 2: 'complicate relations with autocracies ... Saudi Arabia ... Vietnam'",
        "GDP-weighted autocracy of security partners × ideological framing",
    ),
    Criterion(
        "transatlantic_rancor",
        "Trans-Atlantic rancor",
        "pp of GDP",
        -1,
        "Model 3: 'a recipe for disappointment and increased trans-Atlantic rancor'; Model 4: "
        "'backsliding on their pledges is to be expected'",
        "shortfall of what Europe delivers against what the US asks, mean over the horizon",
    ),
    Criterion(
        "energy_dependence",
        "Energy dependence",
        "% of gas imports",
        -1,
        "Model 1: 'easier to ignore the risks of being overly dependent on foreign energy'",
        "European allies' share of gas imports from Russia, mean over the horizon",
    ),
    Criterion(
        "european_fiscal_cost",
        "European fiscal cost",
        "% of European GDP",
        -1,
        "Model 1: 'governments that don't want to trim their generous welfare states'",
        "European allies' aggregate defence burden, mean over the horizon",
    ),
    Criterion(
        "feasibility",
        "Feasibility",
        "% probability adopted",
        1,
        "Model 1: 'given bureaucratic rigidity and political caution, perhaps the most likely'",
        "probability that the alliance adopts the posture (bargaining model)",
    ),
)

CRITERIA: dict[str, Criterion] = {c.name: c for c in _ALL}
CRITERION_NAMES: tuple[str, ...] = tuple(CRITERIA)
SIMULATED: tuple[str, ...] = tuple(n for n in CRITERION_NAMES if n != "feasibility")


# ----------------------------------------------------------------------------- formulas
#
# Judgement constants of the criteria (not of the engine). Each is documented in
# docs/decision.md with its reasoning.

#: Share of European allies' power the US asks for the Indo-Pacific at full containment
#: (framing.containment = 1) while it still protects Europe (guarantee = 1). Judgement: a
#: tenth to a fifth of European power is what "bring Europe's power potential to bear" against
#: China would plausibly mean; 0.15 is the middle.
INDO_PACIFIC_ASK = 0.15

#: Fraction of European power sent to the Indo-Pacific that counts as delivered there.
#: Judgement from the essay, Model 3: European forces are built "to defend against and deter
#: Russia" and "most of these forces would be irrelevant to any conflict involving China".
INDO_PACIFIC_RELEVANCE = 0.5

#: Peripheral crises per year on Europe's edge that could draw in a US first responder.
#: Judgement: five in 1990–2024 (Bosnia 1995, Kosovo 1999, Georgia 2008, Ukraine 2014 and
#: 2022), about 0.15 a year.
PERIPHERAL_CRISIS_RATE_EUROPE = 0.15



@dataclass(frozen=True)
class Context:
    """What the formulas need besides the Dataset: country groups, levers, pledges, data."""

    european: tuple[str, ...]  # European allies
    allies: tuple[str, ...]  # every NATO ally
    levers: dict[str, float]
    pledge_path: dict[int, float]  # year -> core burden asked (fraction of GDP)
    autocracy: dict[str, float]  # iso3 -> GDP share among allies+partners × (1 − democracy)
    us: str = "USA"


def _values(da: Any) -> np.ndarray:
    return np.asarray(da.values, dtype=np.float64)


def _projection(ds: xr.Dataset) -> xr.Dataset:
    """The projected years: drop the base year t0 (identical data for every posture)."""
    t0 = ds.attrs.get("t0")
    if t0 is not None and ds.sizes.get("year", 0) > 1:
        years = ds["year"].values
        if int(years[0]) == int(t0):
            return ds.isel(year=slice(1, None))
    return ds


def _members(ds: xr.Dataset, group: tuple[str, ...]) -> list[str]:
    have = {str(c) for c in ds["country"].values}
    return [c for c in group if c in have]


def us_cost(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """US defence spending committed to Europe and out of area, trillion 2015 US$, cumulative.

    ``Σ_t M_US,t · (a_US,europe,t + a_US,out_of_area,t) / 1000``: the US budget the posture
    ties to other regions' security, which the essay counts as opportunity cost ("hard for
    Washington to devote sufficient time, attention, and resources to Asia"). It moves with
    the posture's US allocation and ``us.budget_multiplier`` and, under offshore balancing,
    with re-engagement. (The total US burden is the same in the four bundled postures, so it
    would not discriminate between them.)
    """
    m = ds["spending"].sel(country=ctx.us)
    a = ds["us_allocation"].sel(theatre=["europe", "out_of_area"]).sum("theatre")
    return _values((m * a).sum("year")) / 1000.0


def _cumulative_risk(ds: xr.Dataset, theatre: str) -> np.ndarray:
    h = ds["hazard"].sel(theatre=theatre)
    return 100.0 * (1.0 - _values((1.0 - h).prod("year")))


def europe_risk(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Cumulative deterrence-failure probability in Europe over the horizon, %.

    ``100 · (1 − Π_t (1 − h_europe,t))`` with the engine's annual hazard (MODEL.md 3.7);
    the expected value, smoother than the sampled ``war_started``.
    """
    return _cumulative_risk(ds, "europe")


def indo_pacific_risk(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Cumulative deterrence-failure probability in the Indo-Pacific over the horizon, %."""
    return _cumulative_risk(ds, "indo_pacific")


def _delivered_europe(ds: xr.Dataset, ctx: Context) -> tuple[Any, Any, Any]:
    d = ds["delivered"].sel(theatre="europe")
    allies = _members(ds, ctx.allies)
    eur = _members(ds, ctx.european)
    total = d.sel(country=allies).sum("country")
    return d, total, d.sel(country=eur)


def european_self_reliance(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """European allies' share of NATO power delivered to Europe, mean over horizon, %.

    ``100 · mean_t Σ_{i∈EU} P[i→europe] / Σ_{i∈NATO} P[i→europe]``.
    """
    _, total, eur = _delivered_europe(ds, ctx)
    share = eur.sum("country") / total
    return 100.0 * _values(share.mean("year"))


def _european_burden(ds: xr.Dataset, ctx: Context) -> Any:
    eur = _members(ds, ctx.european)
    return ds["spending"].sel(country=eur).sum("country") / ds["gdp"].sel(country=eur).sum(
        "country"
    )


def burden_equity(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Evenness of burdens: ``mean_t min(r, 1/r)``, ``r`` = European burden / US burden.

    1 means Europe and the US spend the same share of GDP; 0.5 that one spends twice the
    other's share. The aggregate European burden is spending over GDP of all European allies.
    """
    r = _european_burden(ds, ctx) / ds["burden"].sel(country=ctx.us)
    even = np.minimum(r, 1.0 / r)
    return _values(even.mean("year"))


def entrapment(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Expected peripheral crises the US is drawn into over the horizon.

    ``Σ_t [λ_ooa · e · u_ooa,t + λ_eur · g · u_eur,t]``. Out of area, crises arise at the rate
    ``λ_ooa`` (the central ``hazard.h0.out_of_area`` of the defaults: about one every six to
    seven years, Gulf 1991 … Red Sea 2024), the posture's engagement ``e``
    (``out_of_area.engagement``) says how readily the alliance takes them on, and ``u_ooa`` is
    the US share of the coalition's power there (who ends up fighting). On Europe's periphery
    (Balkans 1995 and 1999, Georgia 2008, Ukraine 2014 and 2022) crises arise at
    ``λ_eur`` = :data:`PERIPHERAL_CRISIS_RATE_EUROPE`; a first responder (declared role
    ``g`` = ``us.guarantee``) with US share ``u_eur`` of NATO power in Europe is drawn in.
    """
    allies = _members(ds, ctx.allies)
    d = ds["delivered"]
    coalition = d.sel(country=allies).sum("country")
    u = (d.sel(country=ctx.us) / coalition.where(coalition > 0)).fillna(0.0)
    lv = ctx.levers
    out_of_area = lv["hazard.h0.out_of_area"] * lv["out_of_area.engagement"] * u.sel(
        theatre="out_of_area"
    )
    europe = PERIPHERAL_CRISIS_RATE_EUROPE * lv["us.guarantee"] * u.sel(theatre="europe")
    return _values((out_of_area + europe).sum("year"))


def _gini(x: np.ndarray) -> np.ndarray:
    """Gini coefficient along the last axis (0 equal … 1 one holds everything)."""
    s = np.sort(x, axis=-1)
    n = s.shape[-1]
    idx = np.arange(1, n + 1)
    total = s.sum(axis=-1)
    g = (2.0 * (s * idx).sum(axis=-1) / np.maximum(n * total, 1e-300)) - (n + 1) / n
    return np.where(total > 0, g, 0.0)


def intra_european_stability(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """The "American pacifier": ``1 − mean_t (1 − u_t) · G_t``.

    ``u_t`` is the US share of NATO power delivered to Europe (the pacifier's presence) and
    ``G_t`` the Gini coefficient of European allies' military power (how unequal power among
    European states is). Rivalry pressure needs both an absent pacifier and unequal power.
    """
    d, total, _ = _delivered_europe(ds, ctx)
    u = d.sel(country=ctx.us) / total
    eur = _members(ds, ctx.european)
    power = ds["power"].sel(country=eur).transpose("draw", "year", "country")
    g = _gini(_values(power))
    pressure = (1.0 - _values(u.transpose("draw", "year"))) * g
    return 1.0 - pressure.mean(axis=1)


def cohesion(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Decision speed from a clear leader and aligned interests: mean of two 0–1 terms.

    Leadership: the Herfindahl index of allies' shares of NATO power delivered to Europe
    (a dominant leader gives values near its share squared). Alignment:
    ``1 − |τ_EU − φ_US|``, with ``τ_EU`` European allies' GDP-weighted share of perceived
    threat coming from Russia (``T_RUS / (T_RUS + T_CHN)``) and ``φ_US`` the US's priority
    for Europe ``a_US,europe / (a_US,europe + a_US,indo_pacific)``: a leader whose attention
    matches what its followers fear.
    """
    d, total, _ = _delivered_europe(ds, ctx)
    allies = _members(ds, ctx.allies)
    shares = d.sel(country=allies) / total
    hhi = (shares**2).sum("country")
    eur = _members(ds, ctx.european)
    t = ds["threat"].sel(country=eur)
    t_rus, t_chn = t.sel(adversary="RUS"), t.sel(adversary="CHN")
    gdp = ds["gdp"].sel(country=eur)
    tau = ((t_rus / (t_rus + t_chn)) * gdp).sum("country") / gdp.sum("country")
    a = ds["us_allocation"]
    phi = a.sel(theatre="europe") / (a.sel(theatre="europe") + a.sel(theatre="indo_pacific"))
    alignment = 1.0 - abs(tau - phi)
    return _values((0.5 * hhi + 0.5 * alignment).mean("year"))


def autocratic_alignment(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Russia–China alignment, mean over the horizon, index 0–1.

    The engine's ``alignment`` when it reports one; else MODEL.md's mechanism from the levers:
    ``clip(a0 + φ_I · ideological framing + φ_C · containment, 0, 1)`` with the defaults'
    ``alignment.*`` parameters ("dividing the world into friendly democracies and hostile
    dictatorships is bound to reinforce ties among the latter").
    """
    if "alignment" in ds:
        a = ds["alignment"]
        return _values(a.mean([dim for dim in a.dims if dim != "draw"]))
    lv = ctx.levers
    value = (
        lv["alignment.base"]
        + lv["alignment.framing_effect"] * lv["framing.ideological"]
        + lv["alignment.containment_effect"] * lv["framing.containment"]
    )
    return np.full(ds.sizes["draw"], float(np.clip(value, 0.0, 1.0)))


def partner_strain(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Strain with autocratic allies and partners: ``framing · Σ_j s_j (1 − democracy_j)``.

    ``s_j`` is country j's share of the GDP of all allies and security partners (data) and
    ``1 − democracy_j`` its autocracy (data): the weighted share of non-democratic partners
    (Saudi Arabia, the Emirates, Vietnam, an illiberal ally), times the posture's ideological
    framing. 0 for a non-ideological alliance or an all-democratic partnership.
    """
    autocratic = sum(ctx.autocracy.values())
    value = ctx.levers["framing.ideological"] * autocratic
    return np.full(ds.sizes["draw"], float(value))


def transatlantic_rancor(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """What the US asks of Europe minus what Europe delivers, mean over horizon, pp of GDP.

    Two asks, both in percentage points of European GDP:

    - spending: the pledge path in force (2% from 2014, rising linearly to the 3.5% core
      target of The Hague by 2035) minus each European ally's burden, floored at 0,
      GDP-weighted;
    - the Indo-Pacific: ``guarantee · containment · INDO_PACIFIC_ASK`` of European power asked,
      ``INDO_PACIFIC_RELEVANCE · europe.indo_pacific_share`` delivered; the shortfall times the
      European burden.
    """
    eur = _members(ds, ctx.european)
    years = [int(y) for y in ds["year"].values]
    ask = np.array([ctx.pledge_path.get(y, 0.0) for y in years])
    burden = ds["burden"].sel(country=eur).transpose("draw", "year", "country")
    gdp = ds["gdp"].sel(country=eur).transpose("draw", "year", "country")
    gap = np.maximum(ask[np.newaxis, :, np.newaxis] - _values(burden), 0.0)
    w = _values(gdp)
    spending_gap = (gap * w).sum(axis=-1) / w.sum(axis=-1)
    lv = ctx.levers
    asked = lv["us.guarantee"] * lv["framing.containment"] * INDO_PACIFIC_ASK
    delivered = INDO_PACIFIC_RELEVANCE * lv["europe.indo_pacific_share"]
    eu_burden = _values(_european_burden(ds, ctx).transpose("draw", "year"))
    indo_gap = max(asked - delivered, 0.0) * eu_burden
    return 100.0 * (spending_gap + indo_gap).mean(axis=1)


def energy_dependence(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """European allies' share of gas imports from Russia, GDP-weighted, mean over horizon, %.

    Allies without Eurostat data (NaN) are left out of the average.
    """
    eur = _members(ds, ctx.european)
    e = ds["energy_dependence"].sel(country=eur).transpose("draw", "year", "country")
    gdp = ds["gdp"].sel(country=eur).transpose("draw", "year", "country")
    ev, w = _values(e), _values(gdp)
    w = np.where(np.isnan(ev), 0.0, w)
    mean = np.nansum(ev * w, axis=-1) / np.maximum(w.sum(axis=-1), 1e-300)
    return 100.0 * mean.mean(axis=1)


def european_fiscal_cost(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """European allies' aggregate defence burden, mean over horizon, % of European GDP.

    ``100 · mean_t Σ_{i∈EU} M_i / Σ_{i∈EU} Y_i`` — the welfare trade-off.
    """
    return 100.0 * _values(_european_burden(ds, ctx).mean("year"))


FORMULAS: dict[str, Callable[[xr.Dataset, Context], np.ndarray]] = {
    "us_cost": us_cost,
    "europe_risk": europe_risk,
    "indo_pacific_risk": indo_pacific_risk,
    "european_self_reliance": european_self_reliance,
    "burden_equity": burden_equity,
    "entrapment": entrapment,
    "intra_european_stability": intra_european_stability,
    "cohesion": cohesion,
    "autocratic_alignment": autocratic_alignment,
    "partner_strain": partner_strain,
    "transatlantic_rancor": transatlantic_rancor,
    "energy_dependence": energy_dependence,
    "european_fiscal_cost": european_fiscal_cost,
}


# ----------------------------------------------------------------------------- evaluation
_LEVERS = (
    "out_of_area.engagement",
    "hazard.h0.out_of_area",
    "framing.ideological",
    "framing.containment",
    "us.guarantee",
    "europe.indo_pacific_share",
    "alignment.base",
    "alignment.framing_effect",
    "alignment.containment_effect",
)


def pledge_path(first: int = 1990, last: int = 2100) -> dict[int, float]:
    """Core burden asked of allies per year, from ``parameters/pledges.yaml``: the engine's
    :func:`natofutures.engine.burden_response.pledge_in_force` (2% from 2014, phasing from
    2% in 2025 to 3.5% in 2035, then 3.5%; 0 before any pledge)."""
    from natofutures.engine.burden_response import pledge_in_force

    pledges = list(load_yaml("pledges.yaml")["pledges"])
    return {year: pledge_in_force(year, pledges) for year in range(first, last + 1)}


@lru_cache(maxsize=1)
def _country_groups() -> tuple[tuple[str, ...], tuple[str, ...], dict[str, float]]:
    from natofutures import data

    c = data.countries()
    allies = tuple(c.loc[c["role"] == "ally", "iso3"].astype(str))
    european = tuple(c.loc[(c["role"] == "ally") & c["european"].astype(bool), "iso3"].astype(str))
    partners = [*(a for a in allies if a != "USA"), *c.loc[c["role"] == "partner", "iso3"]]
    year = data.latest_year()
    p = data.panel(years=list(range(year - 10, year + 1)))
    p = p[p["iso3"].isin(partners)].sort_values("year")
    last = p.groupby("iso3")[["gdp_usd", "democracy"]].last().dropna()
    share = last["gdp_usd"] / last["gdp_usd"].sum()
    autocracy = (share * (1.0 - last["democracy"].clip(0.0, 1.0))).astype(float)
    return allies, european, {str(k): float(v) for k, v in autocracy.items() if v > 0}


def context(scenario: Scenario | None = None) -> Context:
    """The :class:`Context` for a scenario (levers in force) and the bundled data."""
    from natofutures.scenario import parameter_table

    allies, european, autocracy = _country_groups()
    levers: dict[str, float] = {}
    table = parameter_table()
    for name in _LEVERS:
        value = scenario.parameter(name) if scenario is not None else table[name].value
        if not isinstance(value, int | float):
            raise InputError(f"criteria: parameter {name} must be a number, got {value!r}")
        levers[name] = float(value)
    return Context(
        european=european,
        allies=allies,
        levers=levers,
        pledge_path=pledge_path(),
        autocracy=autocracy,
    )


def evaluate(ds: xr.Dataset, scenario: Scenario | None = None) -> pd.DataFrame:
    """The 13 simulated criteria of one posture: a DataFrame of draws × criteria.

    ``ds`` is the engine's result for one scenario; ``scenario`` supplies the posture's levers
    (default: the scenario the engine recorded in ``ds.attrs["scenario_json"]``, else
    the defaults).
    Units and directions are in :data:`CRITERIA`; ``feasibility`` is added by ``compare``.
    """
    if scenario is None and isinstance(ds.attrs.get("scenario_json"), str):
        scenario = _scenario_from_json(ds.attrs["scenario_json"])
    ctx = context(scenario)
    proj = _projection(ds)
    cols = {name: FORMULAS[name](proj, ctx) for name in SIMULATED}
    index = pd.Index(np.asarray(ds["draw"].values), name="draw")
    return pd.DataFrame(cols, index=index)[list(SIMULATED)]


def _scenario_from_json(text: str) -> Scenario:
    """The scenario the engine recorded in ``ds.attrs["scenario_json"]``."""
    import json

    from natofutures.scenario import Scenario as _Scenario

    return _Scenario.model_validate(json.loads(text))
