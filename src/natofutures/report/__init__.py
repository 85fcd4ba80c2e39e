"""Reports of a compare run: one self-contained HTML file, a Markdown summary, tables, PNGs.

>>> from natofutures.report import build_report, from_comparison  # doctest: +SKIP
>>> build_report(from_comparison(nf.compare(draws=50), "natofutures compare"), "out")  # +SKIP
"""

from __future__ import annotations

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
