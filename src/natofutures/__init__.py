"""natofutures: simulate and compare futures of the trans-Atlantic alliance.

The public API is deliberately small; everything not listed in ``__all__`` is private.
Submodules load on first use (PEP 562), so ``import natofutures`` and the CLI start quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from natofutures.errors import DataError, InputError, NatoFuturesError, ScenarioError

__version__ = "0.1.0"

# public name -> (module, attribute or None for the module itself)
_LAZY: dict[str, tuple[str, str | None]] = {
    "campaign": ("natofutures.analysis.campaign", "campaign"),
    "compare": ("natofutures.analysis.compare", "compare"),
    "data": ("natofutures.data", None),
    "history": ("natofutures.analysis.history", None),
    "runs": ("natofutures.runs", None),
    "simulate": ("natofutures.engine.simulate", "simulate"),
    "stress": ("natofutures.analysis.stress", "stress"),
    "threat_decomposition": ("natofutures.engine.simulate", "threat_decomposition"),
    "Scenario": ("natofutures.scenario", "Scenario"),
    "load_scenario": ("natofutures.scenario", "load_scenario"),
    "posture": ("natofutures.scenario", "posture"),
    "postures": ("natofutures.scenario", "posture_names"),
    # the report package, callable as nf.report(...) (see natofutures.report._CallableModule)
    "report": ("natofutures.report", None),
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from natofutures import data, runs
    from natofutures._report_api import report
    from natofutures.analysis import history
    from natofutures.analysis.campaign import campaign
    from natofutures.analysis.compare import compare
    from natofutures.analysis.stress import stress
    from natofutures.engine.simulate import simulate, threat_decomposition
    from natofutures.scenario import Scenario, load_scenario, posture
    from natofutures.scenario import posture_names as postures

__all__ = [
    "DataError",
    "InputError",
    "NatoFuturesError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "campaign",
    "compare",
    "data",
    "history",
    "load_scenario",
    "posture",
    "postures",
    "report",
    "runs",
    "simulate",
    "stress",
    "threat_decomposition",
]


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'natofutures' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Only the public API (``__all__``): ``dir(nf)`` is a table of contents, not internals."""
    return sorted(__all__)
