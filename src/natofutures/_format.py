"""Number formatting shared by the CLI tables and the report, so both print the same figures."""

from __future__ import annotations


def sig3(x: float) -> str:
    """About three significant figures: 0 → "0", 1234.5 → "1234", 0.01234 → "0.012"."""
    a = abs(x)
    if a == 0:
        return "0"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"
