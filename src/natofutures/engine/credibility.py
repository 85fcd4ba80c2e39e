"""Credibility of US protection as perceived by each ally (docs/methodology.md §10).

``c[t+1] = c + μ·(c* − c)`` with ``c* = resolve·guarantee + (1 − resolve)·c_prior``:
``guarantee`` is the declared US role (first responder 1.0 … ally of last resort ≈ 0.3),
``resolve`` how far Europe believes the declared change. Low resolve keeps c near c_prior,
so European spending backslides - the essay's warning about model 4 without a credible
commitment ("backsliding on their pledges is to be expected").
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from natofutures.engine.equation import equation

Array = NDArray[np.float64]

#: scalar parameters the kernel takes per draw (see natofutures.engine.inputs)
PARAMETERS: tuple[str, ...] = ("credibility.speed",)


@equation
def effective(level: Any, weight: Any) -> Any:
    """A declared level as re-engagement restores it: ``x + w·(1 − x)`` (resolve, guarantee).

    ``w`` is the offshore-balancing re-engagement weight in [0, 1] (0 before a trigger, 1 once
    the US is fully back): effective resolve ``resolve + w·(1 − resolve)``, effective guarantee
    ``guarantee + w·(1 − guarantee)``.
    """
    return level + weight * (1.0 - level)


@equation
def believed(resolve: Any, declared: Any, prior: Any) -> Any:
    """What allies believe of a declared value: ``resolve·declared + (1 − resolve)·prior``.

    With ``declared`` the guarantee and ``prior`` c_prior this is the target credibility c*;
    with the actual US share of NATO power in Europe and its t0 value it is the share as
    perceived (burden_response's u).
    """
    return resolve * declared + (1.0 - resolve) * prior


@equation
def update_draw(prm: Any, d: Any, credibility: Any, target_value: Any) -> Any:
    """c + μ(c* − c) with μ = ``credibility.speed`` of draw ``d`` (see engine.equation)."""
    return credibility + prm.credibility_speed[d] * (target_value - credibility)


def target(resolve: Array, guarantee: Array, prior: float | Array) -> Array:
    """c* = resolve·guarantee + (1 − resolve)·c_prior (:func:`believed`)."""
    return np.asarray(believed(resolve, guarantee, prior))


def update(credibility: Array, target_value: Array, speed: Array) -> Array:
    """c + μ(c* − c) (:func:`update_draw` with the speed given)."""
    return np.asarray(
        update_draw(SimpleNamespace(credibility_speed=np.asarray(speed)), ..., credibility,
                    target_value)
    )
