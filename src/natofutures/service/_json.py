"""JSON-safe numbers for the API: 6 significant digits, NaN and infinity as null."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["jsonable", "num", "records", "rows"]


def num(v: float) -> float | None:
    """A JSON-safe float: None for NaN/inf, else 6 significant digits."""
    f = float(v)
    if not math.isfinite(f):
        return None
    return float(f"{f:.6g}")


def round_sig(a: np.ndarray, digits: int = 6) -> np.ndarray:
    """Round to ``digits`` significant digits, vectorised (exact powers of ten only)."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        finite = np.isfinite(a) & (a != 0)
        exp = np.where(finite, digits - 1 - np.floor(np.log10(np.abs(np.where(finite, a, 1.0)))), 0)
        exp = exp.astype(np.int64)
        up = 10.0 ** np.clip(exp, 0, 300)
        down = 10.0 ** np.clip(-exp, 0, 300)
        return np.where(exp >= 0, np.round(a * up) / up, np.round(a / down) * down)


def rows(arr: Any) -> list[Any]:
    """A numpy array as nested lists of JSON-safe floats (NaN and inf -> None)."""
    a = round_sig(np.asarray(arr, dtype=np.float64))
    finite = np.isfinite(a)
    if finite.all():
        return a.tolist()
    obj = a.astype(object)
    obj[~finite] = None
    return obj.tolist()


def jsonable(value: Any) -> Any:
    """Nested dicts/lists with numpy scalars and non-finite floats made JSON-safe."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float | np.floating):
        return num(float(value))
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def records(df: Any) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-safe dicts (NaN/NA -> null)."""
    import pandas as pd

    out = []
    for row in df.to_dict("records"):
        clean: dict[str, Any] = {}
        for k, v in row.items():
            if v is None or (not isinstance(v, str | bytes | list | dict) and pd.isna(v)):
                clean[str(k)] = None
            elif isinstance(v, pd.Timestamp):
                clean[str(k)] = v.isoformat()
            else:
                clean[str(k)] = jsonable(v.item() if hasattr(v, "item") else v)
        out.append(clean)
    return out
