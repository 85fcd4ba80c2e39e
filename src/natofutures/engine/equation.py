"""``@equation``: one copy of a mechanism's equation for numpy and for the compiled kernel.

A mechanism module writes each equation once, as a plain function of floats or numpy arrays
(arithmetic only: no branches on values, no ``min``/``max``, so that it means the same on a
scalar and on an array), and marks it ``@equation``. The function stays an ordinary numpy
function for Python callers (the ``backend="numpy"`` reference loop, calibration, tests);
``kernel(fn)`` is its compiled twin, which :mod:`natofutures.engine._kernel` calls on scalars
and numba inlines into the fused year loop (same floating-point operations in the same order,
so the kernel's results do not change when an equation moves into its module).

Equations whose parameters may be uncertain take the per-draw record
(:data:`natofutures.engine.inputs.PerDraw`) and a draw index ``d`` and read their own fields:
the kernel passes a draw's index as an unsigned integer (``np.uint64``: numba then omits the
negative-index wraparound, which otherwise cost about 5% of the kernel's speed in its SIMD
loops); the numpy loop passes :data:`COLUMN`, which turns each (draw,) field into a (draw, 1)
column that broadcasts over countries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba

F = TypeVar("F", bound=Callable[..., Any])

#: the draw index of the numpy loop: every draw, as a column
COLUMN = (slice(None), None)


def equation(fn: F) -> F:
    """Mark ``fn`` as a mechanism equation; attach its compiled, always-inlined twin."""
    fn.kernel = numba.njit(cache=True, nogil=True, inline="always")(fn)  # type: ignore[attr-defined]
    return fn


def kernel(fn: Callable[..., Any]) -> Any:
    """The compiled twin of an ``@equation`` (for the kernel module's globals)."""
    return fn.kernel  # type: ignore[attr-defined]
