"""Credibility of US protection as perceived by each ally (MODEL.md 3.10).

``c[t+1] = c + μ·(c* − c)`` with ``c* = resolve·guarantee + (1 − resolve)·c_prior``:
``guarantee`` is the declared US role (first responder 1.0 … ally of last resort ≈ 0.3),
``resolve`` how far Europe believes the declared change. Low resolve keeps c near c_prior,
so European spending backslides - the essay's warning about model 4 without a credible
commitment ("backsliding on their pledges is to be expected").
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs)
PARAMETERS: tuple[str, ...] = ("credibility.speed",)


def target(resolve: Array, guarantee: Array, prior: float | Array) -> Array:
    """c* = resolve·guarantee + (1 − resolve)·c_prior."""
    return resolve * guarantee + (1.0 - resolve) * prior


def update(credibility: Array, target_value: Array, speed: Array) -> Array:
    """c + μ(c* − c)."""
    return credibility + speed * (target_value - credibility)
