"""Copy the fitted burden values of parameters/calibration.yaml into parameters/defaults.yaml.

Run after `natofutures calibrate burden --write src/natofutures/parameters/calibration.yaml`:
    python scripts/sync_burden_defaults.py
Each engine key gets the mapped draws' value, their 5-95% range and a distribution matched to
them (lognormal: the draws' median and sigma = ln(p95/p05)/3.29; normal: median and sd); the
copula correlations are the Gaussian equivalents 2·sin(π·r_s/6) of the draws' Spearman ranks.
Only numbers on those lines change; the prose around them stays as written.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

PARAMS = Path(__file__).resolve().parents[1] / "src" / "natofutures" / "parameters"
Z95 = 1.6448536269514722


def _num(x: float) -> str:
    return f"{x:.6g}"


def _replace_in_entry(text: str, key: str, field: str, new: str) -> str:
    """Replace ``field: ...`` in the YAML entry of ``key`` (block or flow style)."""
    start = text.index(f"  {key}:")
    end = text.find("\n  burden.", start + 1)
    end = len(text) if end < 0 else end
    body = text[start:end]
    if field == "distribution":
        body = re.sub(r"distribution: \{[^}]*\}", f"distribution: {new}", body, count=1)
    else:
        body = re.sub(rf"({field}: )(\[[^\]]*\]|[-0-9.e]+)", rf"\g<1>{new}", body, count=1)
    return text[:start] + body + text[end:]


def main() -> None:
    cal = yaml.safe_load((PARAMS / "calibration.yaml").read_text())
    path = PARAMS / "defaults.yaml"
    text = path.read_text()
    bounds = yaml.safe_load(text)["parameters"]
    for key, v in cal["parameters"].items():
        hi_bound = bounds[key]["bounds"][1]
        text = _replace_in_entry(text, key, "value", _num(v["value"]))
        lo, hi = v["p05"], min(v["p95"], hi_bound)
        if lo == hi:  # a point estimate (σ_b): its standard error gives the range
            lo, hi = v["value"] - 2 * v["sd"], v["value"] + 2 * v["sd"]
        text = _replace_in_entry(text, key, "range", f"[{_num(lo)}, {_num(hi)}]")
        dist = bounds[key].get("distribution", {}).get("dist")
        if dist == "lognormal":
            sigma = math.log(v["p95"] / v["p05"]) / (2 * Z95)
            new = f"{{dist: lognormal, median: {_num(v['median'])}, sigma: {sigma:.4f}}}"
            text = _replace_in_entry(text, key, "distribution", new)
        elif dist == "normal":
            new = f"{{dist: normal, mean: {_num(v['median'])}, sd: {_num(v['sd'])}}}"
            text = _replace_in_entry(text, key, "distribution", new)
    names = cal["spearman"]["names"]
    mat = cal["spearman"]["matrix"]
    for j, b in enumerate(names[1:], start=1):
        rho = 2 * math.sin(math.pi * mat[0][j] / 6)
        pat = rf"(- a: {re.escape(names[0])}\n    b: {re.escape(b)}\n    rho: )[-0-9.]+"
        text = re.sub(pat, rf"\g<1>{rho:.4f}", text)
    path.write_text(text)
    print(f"updated {path}")


if __name__ == "__main__":
    main()
