"""Reports of a compare run: one self-contained HTML file, a Markdown summary, tables, PNGs.

>>> from natofutures.report import build_report, from_comparison  # doctest: +SKIP
>>> build_report(from_comparison(nf.compare(draws=50), "natofutures compare"), "out")  # +SKIP
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from natofutures.report.build import DEFAULT_SENSITIVITY_N, build_report, check_out
from natofutures.report.data import ReportData, from_comparison, from_record

__all__ = [
    "DEFAULT_SENSITIVITY_N",
    "ReportData",
    "build_report",
    "check_out",
    "from_comparison",
    "from_record",
]


class _CallableModule(types.ModuleType):
    """``nf.report`` is this package *and* the function :func:`natofutures._report_api.report`:
    importing the package binds ``natofutures.report`` to it, so the package must be callable
    for ``nf.report(postures, "out")`` to keep working after ``from natofutures.report import``.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Path:
        from natofutures._report_api import report

        return report(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
