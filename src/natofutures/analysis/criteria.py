"""The 14 evaluation criteria of docs/decision.md.

Each criterion turns one simulated run (the engine's ``xarray.Dataset``) into one number per
Monte Carlo draw, summarised over the projection horizon. The registry :data:`CRITERIA`
gives its unit, its direction (``+1`` higher is better, ``-1`` lower is better) and the
passage of the essay it encodes; ``docs/decision.md`` gives the formulas in prose.

    criterion                 unit                       better  essay
    us_cost                   trillion 2015 US$          lower   Model 1: opportunity cost
    europe_risk               % over horizon             lower   Models 1 and 4
    indo_pacific_risk         % over horizon             lower   Model 1: threats greater in Asia
    european_self_reliance    % of adversary power       higher  Model 4
    burden_equity             index 0–1                  higher  Model 1: "skewed" burdens
    entrapment                expected wars (US share)   lower   Model 1: peripheral conflicts
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
from dataclasses import dataclass, field
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
        "% of adversary power in Europe",
        1,
        "Model 4: 'Europe taking primary responsibility for its own security'",
        "power European allies deliver to Europe as % of the adversaries' there, mean over horizon",
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
        "expected wars (US share)",
        -1,
        "Model 1: 'drag the United States into peripheral conflicts that may not always be "
        "vital'; Model 2: 'crusading organization'",
        "expected wars in Europe and out of area the US is drawn into (hazard × US share)",
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
        "mean of leadership (HHI of power in Europe) and shared threat (what allies fear vs "
        "where the alliance's power goes)",
    ),
    Criterion(
        "autocratic_alignment",
        "Autocratic alignment",
        "index 0–1",
        -1,
        "Model 2: 'bound to reinforce ties among the latter and discourage ... divide-and-rule'",
        "Russia–China alignment from their ATOP tie, the joint threat of one coalition facing "
        "both, and ideological framing",
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
# Constants of the criteria (not of the engine) live in ``parameters/criteria.yaml`` with
# value, unit, range, source and a judgement flag; docs/decision.md explains each formula.


@lru_cache(maxsize=1)
def judgement_parameters() -> dict[str, dict[str, Any]]:
    """The criteria's constants from ``parameters/criteria.yaml``: name -> entry.

    Each entry has ``value``, ``unit``, ``range`` ([low, high], what a sensitivity analysis
    should vary), ``judgement`` (True for a judgement, False for a value read from data) and
    ``source``. Pass other values to :func:`evaluate` as ``judgement={name: value}``.
    """
    raw = load_yaml("criteria.yaml")["parameters"]
    return {str(k): dict(v) for k, v in raw.items()}


def judgement_uncertainties() -> list[Any]:
    """The criteria's constants as :class:`~natofutures.analysis.sensitivity.Uncertainty`.

    Named ``criteria.<name>`` so that a sensitivity analysis can tell them from the engine's
    parameters; pass the sampled values back (without the prefix) as
    ``evaluate(ds, scenario, judgement={name: values_per_draw})``.
    """
    from natofutures.analysis.sensitivity import Uncertainty

    return [
        Uncertainty(f"criteria.{name}", float(e["range"][0]), float(e["range"][1]), str(e["unit"]))
        for name, e in judgement_parameters().items()
    ]


def _judgement_value(name: str) -> float:
    return float(judgement_parameters()[name]["value"])


#: Share of European allies' power the US asks for the Indo-Pacific at full containment
#: (framing.containment = 1) while it still protects Europe (guarantee = 1). Judgement, see
#: ``parameters/criteria.yaml`` (range 0.10–0.20).
INDO_PACIFIC_ASK = _judgement_value("indo_pacific_ask")

#: Fraction of European power sent to the Indo-Pacific that counts as delivered there.
#: Judgement from the essay, Model 3 (range 0.25–0.75).
INDO_PACIFIC_RELEVANCE = _judgement_value("indo_pacific_relevance")

#: Depth of the Russia–China treaty tie in ATOP v5 (2018: non-aggression and consultation).
ATOP_TIE_RUSSIA_CHINA = _judgement_value("atop_tie_russia_china")

#: Engine variables that restate posture settings rather than simulate a mechanism: the US
#: theatre allocation (the posture's shares, moved only by transition and re-engagement) and
#: the Russia–China ``alignment`` (levers × judgement coefficients). :func:`channel_effects`
#: counts a criterion's difference through these as "set by the posture".
SETTING_VARIABLES = ("us_allocation", "alignment")

#: Engine variables the criteria read (a caller may pass ``variables=`` to the engine).
NEEDED_VARIABLES = (
    "gdp",
    "burden",
    "spending",
    "power",
    "delivered",
    "hazard",
    "threat",
    "us_allocation",
    "energy_dependence",
)


#: A criteria constant: one number, or one value per draw.
Judgement = float | np.ndarray


def _default_judgement() -> dict[str, Judgement]:
    return {name: float(e["value"]) for name, e in judgement_parameters().items()}


@dataclass(frozen=True)
class Context:
    """What the formulas need besides the Dataset: country groups, levers, pledges, data."""

    european: tuple[str, ...]  # European allies
    allies: tuple[str, ...]  # every NATO ally
    levers: dict[str, float]
    pledge_path: dict[int, float]  # year -> core burden asked (fraction of GDP)
    autocracy: dict[str, float]  # iso3 -> GDP share among allies+partners × (1 − democracy)
    us: str = "USA"
    partners: tuple[str, ...] = ()  # security partners (JPN, KOR, AUS, SAU, VNM, ...)
    adversaries: tuple[str, ...] = ("RUS", "BLR", "CHN", "IRN")
    #: iso3 -> 1 − democracy (data); with it partner_strain weights by the simulated GDP
    autocracy_index: dict[str, float] = field(default_factory=dict)
    judgement: dict[str, Judgement] = field(default_factory=_default_judgement)


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

    ``100 · (1 − Π_t (1 − h_europe,t))`` with the engine's annual hazard (docs/methodology.md §7);
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


def _theatre_power(ds: xr.Dataset, group: tuple[str, ...], theatre: str) -> Any:
    """Power the countries of ``group`` deliver to ``theatre`` (draw, year), billion US$."""
    return ds["delivered"].sel(country=_members(ds, group), theatre=theatre).sum("country")


def european_self_reliance(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Power European allies deliver to Europe against the adversaries', mean over horizon, %.

    ``100 · mean_t Σ_{i∈EU} P[i→europe] / Σ_{j∈adversaries} P[j→europe]``: 100 means Europe
    alone matches what Russia (and Belarus) bring to bear in Europe (docs/methodology.md §5-3.6).
    The US does not appear: US power neither adds to nor (through a denominator) takes from
    Europe's own, so a US withdrawal raises self-reliance only if Europe spends more
    (the engine's burden response) - Model 4's "primary responsibility for its own security".
    """
    own = _theatre_power(ds, ctx.european, "europe")
    need = _theatre_power(ds, ctx.adversaries, "europe")
    return 100.0 * _values((own / need.where(need > 0)).mean("year"))


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


def _us_share(ds: xr.Dataset, ctx: Context) -> Any:
    """US share of the power the allies deliver to each theatre (draw, year, theatre)."""
    d = ds["delivered"]
    coalition = d.sel(country=_members(ds, ctx.allies)).sum("country")
    return (d.sel(country=ctx.us) / coalition.where(coalition > 0)).fillna(0.0)


def entrapment(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Expected wars on the periphery the US is drawn into over the horizon.

    ``Σ_t Σ_{θ∈{europe, out_of_area}} h_θ,t · u_θ,t``: the engine's annual hazard of a war
    in the theatre (docs/methodology.md §7) times the US share ``u`` of the allies' power delivered
    there (who ends up fighting it). Snyder (1984), "The security dilemma in alliance
    politics", World Politics 36(4): the risk of entrapment grows with the conflict
    propensity of the theatre and the depth of one's commitment to it. The Indo-Pacific is
    left out: for the US it is the vital theatre, not a periphery (essay, Model 1).
    """
    u = _us_share(ds, ctx)
    h = ds["hazard"]
    drawn = (h * u).sel(theatre=["europe", "out_of_area"]).sum("theatre")
    return _values(drawn.sum("year"))


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
    """Decision speed from a clear leader and shared threats: mean of two 0–1 terms.

    Leadership: the Herfindahl index of allies' shares of NATO power delivered to Europe
    (a dominant leader gives values near its share squared). Shared threat (Walt 1987, The
    Origins of Alliances: alliances form and hold against common threats):
    ``1 − mean_i |τ_i − ε|`` over the allies (equal weights: NATO decides by consensus), with
    ``τ_i`` ally i's share of perceived threat coming from Russia (the engine's
    ``T_RUS / (T_RUS + T_CHN)``, docs/methodology.md §3) and ``ε`` the share of the allies'
    delivered power that faces Russia (``P_europe / (P_europe + P_indo_pacific)``): the spread
    of what allies fear around what the alliance does. An ally that perceives no threat from
    either adversary has nothing to disagree about (its ``τ_i`` is taken as ``ε``); with no
    allied power in either theatre ``ε`` is ½, and with none in Europe the leadership term is 0.
    """
    d = ds["delivered"]
    allies = _members(ds, ctx.allies)
    europe = d.sel(country=allies, theatre="europe")
    p_eur = europe.sum("country")
    shares = (europe / p_eur.where(p_eur > 0)).fillna(0.0)
    hhi = (shares**2).sum("country")
    t = ds["threat"].sel(country=allies)
    t_rus, t_chn = t.sel(adversary="RUS"), t.sel(adversary="CHN")
    p_both = p_eur + d.sel(country=allies, theatre="indo_pacific").sum("country")
    eps = (p_eur / p_both.where(p_both > 0)).fillna(0.5)
    t_both = t_rus + t_chn
    tau = (t_rus / t_both.where(t_both > 0)).fillna(eps)
    shared = 1.0 - abs(tau - eps).mean("country")
    return _values((0.5 * hhi + 0.5 * shared).mean("year"))


def joint_threat(ds: xr.Dataset, ctx: Context) -> Any:
    """Overlap of the coalitions facing Russia and China (draw, year), 0–1.

    ``Σ_i min(s_i,europe, s_i,indo_pacific)`` with ``s_i,θ`` country i's share of the power
    allies and partners deliver to theatre θ: 0 when different states face the two
    adversaries, 1 when the same states in the same proportions face both. Walt (1987):
    states align against the source of threat they share.
    """
    coalition = _members(ds, tuple(dict.fromkeys((*ctx.allies, *ctx.partners))))
    d = ds["delivered"].sel(country=coalition, theatre=["europe", "indo_pacific"])
    s = d / d.sum("country")
    return s.min("theatre").sum("country")


def autocratic_alignment(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Russia–China alignment, mean over the horizon, index 0–1.

    ``1 − (1 − a_ATOP) · (1 − J_t) · (1 − φ_I · ι)``: an existing tie ``a_ATOP`` (ATOP v5,
    2018: non-aggression and consultation, :data:`ATOP_TIE_RUSSIA_CHINA`), the joint threat
    ``J_t`` of the coalition both face (:func:`joint_threat`, from the engine's delivered
    power) and the posture's ideological framing ``ι`` times the judgement ``φ_I``
    (``alignment.framing_effect``: "dividing the world into friendly democracies and hostile
    dictatorships is bound to reinforce ties among the latter"). Each pushes independently
    towards alignment (a noisy-or), so the index stays in 0–1 without clipping.
    """
    name = "atop_tie_russia_china"
    tie = _per_draw(ctx.judgement.get(name, ATOP_TIE_RUSSIA_CHINA), ds, name)
    lv = ctx.levers
    framing = lv["alignment.framing_effect"] * lv["framing.ideological"]
    apart = (1.0 - tie) * (1.0 - joint_threat(ds, ctx)) * (1.0 - framing)
    return _values((1.0 - apart).mean("year"))


def partner_strain(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """Strain with autocratic allies and partners: ``ι · mean_t Σ_j s_j,t (1 − democracy_j)``.

    ``s_j,t`` is country j's share of the simulated GDP of all allies but the US and of the
    security partners, ``1 − democracy_j`` its autocracy (data): the weighted share of
    non-democratic partners (Saudi Arabia, the Emirates, Vietnam, an illiberal ally), times
    the posture's ideological framing ``ι``. A judgement criterion: framing is a posture
    setting; its spread across draws comes from the partners' simulated GDP.
    Without ``ctx.autocracy_index`` the fixed data weights ``ctx.autocracy`` are used.
    """
    iota = ctx.levers["framing.ideological"]
    have = _members(ds, tuple(ctx.autocracy_index))
    if not have:
        autocratic = sum(ctx.autocracy.values())
        return np.full(ds.sizes["draw"], float(iota * autocratic))
    gdp = ds["gdp"].sel(country=have)
    index = xr.DataArray(
        [ctx.autocracy_index[c] for c in have], dims="country", coords={"country": have}
    )
    weighted = (gdp * index).sum("country") / gdp.sum("country")
    return _values(iota * weighted.mean("year"))


def transatlantic_rancor(ds: xr.Dataset, ctx: Context) -> np.ndarray:
    """What the US asks of Europe minus what Europe delivers, mean over horizon, pp of GDP.

    Two asks, both in percentage points of European GDP:

    - spending: the pledge path in force (2% from 2014, rising linearly to the 3.5% core
      target of The Hague by 2035) minus each European ally's burden, floored at 0,
      GDP-weighted;
    - the Indo-Pacific: ``guarantee · containment · INDO_PACIFIC_ASK`` of European power asked
      (a judgement on what the US asks, see ``parameters/criteria.yaml``), and
      ``INDO_PACIFIC_RELEVANCE · Σ_EU P[i→indo_pacific] / Σ_EU P_i`` delivered: the share of
      European power the engine delivers to the Indo-Pacific after projection losses
      (docs/methodology.md §6); the shortfall times the European burden.
    """
    eur = _members(ds, ctx.european)
    years = [int(y) for y in ds["year"].values]
    pledge = np.array([ctx.pledge_path.get(y, 0.0) for y in years])
    burden = ds["burden"].sel(country=eur).transpose("draw", "year", "country")
    gdp = ds["gdp"].sel(country=eur).transpose("draw", "year", "country")
    gap = np.maximum(pledge[np.newaxis, :, np.newaxis] - _values(burden), 0.0)
    w = _values(gdp)
    spending_gap = (gap * w).sum(axis=-1) / w.sum(axis=-1)
    lv, jp = ctx.levers, ctx.judgement
    ask = _per_draw(jp.get("indo_pacific_ask", INDO_PACIFIC_ASK), ds, "indo_pacific_ask")
    relevance = _per_draw(
        jp.get("indo_pacific_relevance", INDO_PACIFIC_RELEVANCE), ds, "indo_pacific_relevance"
    )
    asked = lv["us.guarantee"] * lv["framing.containment"] * ask
    sent = _theatre_power(ds, ctx.european, "indo_pacific") / ds["power"].sel(country=eur).sum(
        "country"
    )
    short = np.maximum(asked - relevance * sent, 0.0) * _european_burden(ds, ctx)
    indo_gap = _values(short.transpose("draw", "year"))
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
    "framing.ideological",
    "framing.containment",
    "us.guarantee",
    "alignment.framing_effect",
)


def pledge_path(first: int = 1990, last: int = 2100) -> dict[int, float]:
    """Core burden asked of allies per year, from ``parameters/pledges.yaml``: the engine's
    :func:`natofutures.engine.burden_response.pledge_in_force` (2% from 2014, phasing from
    2% in 2025 to 3.5% in 2035, then 3.5%; 0 before any pledge)."""
    from natofutures.engine.burden_response import pledge_in_force

    pledges = list(load_yaml("pledges.yaml")["pledges"])
    return {year: pledge_in_force(year, pledges) for year in range(first, last + 1)}


@dataclass(frozen=True)
class _Groups:
    allies: tuple[str, ...]
    european: tuple[str, ...]
    partners: tuple[str, ...]
    adversaries: tuple[str, ...]
    autocracy: dict[str, float]  # GDP share among allies but the US and partners × autocracy
    autocracy_index: dict[str, float]  # 1 − democracy


@lru_cache(maxsize=1)
def _country_groups() -> _Groups:
    from natofutures import data

    c = data.countries()
    role = c["role"].astype(str)
    allies = tuple(c.loc[role == "ally", "iso3"].astype(str))
    european = tuple(c.loc[(role == "ally") & c["european"].astype(bool), "iso3"].astype(str))
    partners = tuple(c.loc[role == "partner", "iso3"].astype(str))
    adversaries = tuple(c.loc[role == "adversary", "iso3"].astype(str))
    weighted = [*(a for a in allies if a != "USA"), *partners]
    year = data.latest_year()
    p = data.panel(years=list(range(year - 10, year + 1)))
    p = p[p["iso3"].isin(weighted)].sort_values("year")
    last = p.groupby("iso3")[["gdp_usd", "democracy"]].last().dropna()
    gap = 1.0 - last["democracy"].clip(0.0, 1.0)
    share = last["gdp_usd"] / last["gdp_usd"].sum()
    autocracy = (share * gap).astype(float)
    return _Groups(
        allies=allies,
        european=european,
        partners=partners,
        adversaries=adversaries,
        autocracy={str(k): float(v) for k, v in autocracy.items() if v > 0},
        autocracy_index={str(k): float(v) for k, v in gap.items()},
    )


def context(
    scenario: Scenario | None = None, judgement: dict[str, Judgement] | None = None
) -> Context:
    """The :class:`Context` for a scenario (levers in force) and the bundled data.

    ``judgement`` overrides constants of ``parameters/criteria.yaml`` by name (e.g. for a
    sensitivity analysis); an unknown name or a value outside the entry's range is an error.
    """
    from natofutures.scenario import parameter_table

    g = _country_groups()
    levers: dict[str, float] = {}
    table = parameter_table()
    for name in _LEVERS:
        value = scenario.parameter(name) if scenario is not None else table[name].value
        if not isinstance(value, int | float):
            raise InputError(f"criteria: parameter {name} must be a number, got {value!r}")
        levers[name] = float(value)
    return Context(
        european=g.european,
        allies=g.allies,
        levers=levers,
        pledge_path=pledge_path(),
        autocracy=g.autocracy,
        partners=g.partners,
        adversaries=g.adversaries,
        autocracy_index=g.autocracy_index,
        judgement=_checked_judgement(judgement),
    )


def _checked_judgement(overrides: dict[str, Judgement] | None) -> dict[str, Judgement]:
    """The criteria's constants with ``overrides`` applied, each checked against its range.

    A value is a number, or a 1-D array with one value per draw (a sensitivity analysis
    that runs its samples as the draws of one engine call).
    """
    params = judgement_parameters()
    out: dict[str, Judgement] = dict(_default_judgement())
    for name, value in (overrides or {}).items():
        if name not in params:
            allowed = ", ".join(sorted(params))
            raise InputError(f"criteria: judgement {name!r} is unknown; allowed: {allowed}")
        low, high = (float(x) for x in params[name]["range"])
        arr = np.asarray(value, dtype=np.float64) if _numeric(value) else None
        if arr is None or arr.ndim > 1 or not ((arr >= low) & (arr <= high)).all():
            raise InputError(
                f"criteria: judgement {name} = {value!r} is outside its range [{low}, {high}]"
            )
        out[name] = float(arr) if arr.ndim == 0 else arr
    return out


def _numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, np.ndarray | list | tuple) and np.asarray(value).dtype.kind in "iuf"


def _per_draw(value: Judgement, ds: xr.Dataset, name: str) -> float | xr.DataArray:
    """A judgement as a number, or as a DataArray over the Dataset's draws."""
    if isinstance(value, float | int):
        return float(value)
    if value.shape != (ds.sizes["draw"],):
        raise InputError(
            f"criteria: judgement {name} has {value.shape[0]} values; the run has "
            f"{ds.sizes['draw']} draws (give one number or one value per draw)"
        )
    return xr.DataArray(value, dims="draw", coords={"draw": ds["draw"].values})


def evaluate(
    ds: xr.Dataset,
    scenario: Scenario | None = None,
    judgement: dict[str, Judgement] | None = None,
) -> pd.DataFrame:
    """The 13 simulated criteria of one posture: a DataFrame of draws × criteria.

    ``ds`` is the engine's result for one scenario; ``scenario`` supplies the posture's levers
    (default: the scenario the engine recorded in ``ds.attrs["scenario_json"]``, else
    the defaults).
    ``judgement`` overrides the criteria's constants (:func:`judgement_parameters`), each a
    number or one value per draw.
    Units and directions are in :data:`CRITERIA`; ``feasibility`` is added by ``compare``.
    """
    if scenario is None and isinstance(ds.attrs.get("scenario_json"), str):
        scenario = _scenario_from_json(ds.attrs["scenario_json"])
    ctx = context(scenario, judgement)
    proj = _projection(ds)
    cols = {name: FORMULAS[name](proj, ctx) for name in SIMULATED}
    index = pd.Index(np.asarray(ds["draw"].values), name="draw")
    return pd.DataFrame(cols, index=index)[list(SIMULATED)]


def _scenario_from_json(text: str) -> Scenario:
    """The scenario the engine recorded in ``ds.attrs["scenario_json"]``."""
    import json

    from natofutures.scenario import Scenario as _Scenario

    return _Scenario.model_validate(json.loads(text))


# ----------------------------------------------------------------------------- channels
def _swap(ds: xr.Dataset, donor: xr.Dataset) -> xr.Dataset:
    """``ds`` with its :data:`SETTING_VARIABLES` taken from ``donor``."""
    names = [v for v in SETTING_VARIABLES if v in ds and v in donor]
    return ds.assign({v: donor[v] for v in names})


def channel_effects(
    runs: dict[str, tuple[xr.Dataset, Scenario | None]],
    base: str = "business_as_usual",
    judgement: dict[str, Judgement] | None = None,
) -> pd.DataFrame:
    """How much of each criterion's difference from ``base`` comes through mechanisms.

    A one-at-a-time check (the Shapley attribution of ``compare`` is the full method). For a
    posture P and the base B, with ``f`` the criterion's mean over draws:

    - ``mechanism``: ``f(run of P with B's settings, B's levers) − f(B)``: what the engine's
      simulated variables of P change when every posture setting is held at B's;
    - ``setting``: ``f(run of B with P's settings, P's levers) − f(B)``: what P's levers
      change directly, and through the engine variables that restate them
      (:data:`SETTING_VARIABLES`), when the simulated variables are held at B's;
    - ``interaction``: ``total − mechanism − setting``.

    ``runs`` maps posture name to (its engine Dataset, its scenario); all Datasets must have
    the same draws and years. Returns one row per (criterion, posture ≠ base), in the
    criterion's unit, with ``mechanism_share = |mechanism| / (|mechanism| + |setting|)``
    (NaN when neither moves it).
    """
    if base not in runs:
        raise InputError(f"criteria: base posture {base!r} is not among {sorted(runs)}")
    ds_b = _projection(runs[base][0])
    ctx_b = context(runs[base][1], judgement)
    rows = []
    for name, (ds, scenario) in runs.items():
        if name == base:
            continue
        ds_p = _projection(ds)
        if ds_p.sizes != ds_b.sizes:
            raise InputError(
                f"criteria: run {name!r} has sizes {dict(ds_p.sizes)}, the base has "
                f"{dict(ds_b.sizes)}; channel_effects needs the same draws and years"
            )
        ctx_p = context(scenario, judgement)
        mech_ds, set_ds = _swap(ds_p, ds_b), _swap(ds_b, ds_p)
        for crit in SIMULATED:
            f = FORMULAS[crit]
            ref = float(np.mean(f(ds_b, ctx_b)))
            total = float(np.mean(f(ds_p, ctx_p))) - ref
            mech = float(np.mean(f(mech_ds, ctx_b))) - ref
            sett = float(np.mean(f(set_ds, ctx_p))) - ref
            denom = abs(mech) + abs(sett)
            rows.append(
                {
                    "criterion": crit,
                    "posture": name,
                    "total": total,
                    "mechanism": mech,
                    "setting": sett,
                    "interaction": total - mech - sett,
                    "mechanism_share": abs(mech) / denom if denom > 0 else float("nan"),
                }
            )
    return pd.DataFrame(rows).set_index(["criterion", "posture"])


def mostly_mechanisms(effects: pd.DataFrame, rel_tol: float = 1e-9) -> list[str]:
    """Criteria that differ between postures, more through mechanisms than settings.

    Summed over postures: ``Σ|mechanism| > Σ|setting|`` and ``Σ|total|`` above ``rel_tol``
    of the criterion's largest channel (so a criterion that does not move is not counted).
    """
    a = effects.abs().groupby(level="criterion").sum()
    scale = a[["total", "mechanism", "setting"]].max(axis=1)
    moves = a["total"] > rel_tol * scale.where(scale > 0, 1.0)
    keep = moves & (a["mechanism"] > a["setting"]) & (scale > 0)
    return [c for c in SIMULATED if c in keep.index and bool(keep[c])]
