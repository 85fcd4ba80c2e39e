"""The engine's output variables: one table, from which every output name derives.

:data:`VARIABLES` gives each variable's dims (after ``draw, year``), units and description;
the Dataset of :func:`natofutures.engine.simulate.simulate`, the kernel's output record
(:data:`Outputs`, fields in the table's order) and its keep-flags all follow it.
"""

from __future__ import annotations

from collections import namedtuple

#: output variables: name -> (dims after draw/year, units, description)
VARIABLES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "gdp": (("country",), "billion constant-2015 US$", "real GDP Y"),
    "burden": (("country",), "fraction of GDP", "defence burden b (SIPRI definition)"),
    "spending": (("country",), "billion constant-2015 US$", "defence spending M = b·Y"),
    "capital": (("country",), "billion constant-2015 US$", "military capital stock K"),
    "power": (
        ("country",),
        "billion constant-2015 US$ (PPP-adjusted capital equivalent)",
        "military power P = π(K + ωM)",
    ),
    "delivered": (
        ("country", "theatre"),
        "billion constant-2015 US$ (PPP-adjusted capital equivalent)",
        "power delivered to each theatre",
    ),
    "coalition_power": (
        ("theatre",),
        "billion constant-2015 US$ (PPP-adjusted capital equivalent)",
        "coalition's delivered power",
    ),
    "adversary_power": (
        ("theatre",),
        "billion constant-2015 US$ (PPP-adjusted capital equivalent)",
        "adversaries' delivered power incl. aligned support",
    ),
    "balance": (("theatre",), "ratio", "theatre balance R = coalition / adversary"),
    "hazard": (("theatre",), "probability per year", "annual probability that deterrence fails"),
    "cumulative_risk": (("theatre",), "probability", "1 − Π(1 − h) from t0 to the year"),
    "war_started": (
        ("theatre",),
        "bool",
        "a war starts in the theatre this year (sampled per draw; False in the central case)",
    ),
    "hold_probability": (
        ("theatre",),
        "probability",
        "probability the coalition holds if attacked",
    ),
    "coalition_holds": (
        ("theatre",),
        "bool",
        "False only if a war started this year and the coalition did not hold",
    ),
    "threat": (
        ("country", "adversary"),
        "index (relative)",
        "perceived threat T = power·proximity·offensive·intentions",
    ),
    "intentions": (("adversary",), "index 0..1", "adversary's aggressive intentions I"),
    "credibility": (
        ("country",),
        "index 0..1",
        "ally's perceived credibility of US protection (NaN for non-allies and the US)",
    ),
    "us_allocation": (("theatre",), "share of US power", "US theatre allocation shares"),
    "us_forward_presence": (("theatre",), "fraction", "US forward-presence fraction f"),
    "us_share_europe": ((), "fraction", "US share of NATO power delivered to Europe (u)"),
    "europe_burden": ((), "fraction of GDP", "European allies' aggregate burden ΣM/ΣY"),
    "reengaged": (
        (),
        "bool",
        "the offshore-balancing trigger has fired (US re-engaging in Europe)",
    ),
    "energy_dependence": (
        ("country",),
        "fraction of gas imports",
        "share of gas imports from Russia (NaN without data)",
    ),
    "alignment": ((), "index 0..1", "Russia–China alignment"),
}
BOOL_VARIABLES = {"war_started", "coalition_holds", "reengaged"}

#: output names in the kernel's order (the table's order)
OUT_NAMES: tuple[str, ...] = tuple(VARIABLES)

#: the kernel's output arrays (or their keep-flags), one field per variable, by name
Outputs = namedtuple("Outputs", OUT_NAMES)  # type: ignore[misc]
