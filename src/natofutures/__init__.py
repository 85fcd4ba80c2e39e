"""natofutures: simulate and compare futures of the trans-Atlantic alliance.

The public API is deliberately small; everything not listed in ``__all__`` is private.
"""

from __future__ import annotations

from natofutures import data
from natofutures.errors import DataError, InputError, NatoFuturesError, ScenarioError

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "InputError",
    "NatoFuturesError",
    "ScenarioError",
    "__version__",
    "data",
]
