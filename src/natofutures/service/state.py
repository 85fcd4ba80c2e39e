"""Per-app settings and shared state of the service: limits, the heavy-run slots, the jobs.

Routes read them from ``request.app.state`` through the small accessors here, so each router
module is a plain set of functions (no closures over a config).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from natofutures.errors import NatoFuturesError
from natofutures.service.jobs import JobRegistry

__all__ = ["ServerBusyError", "ServiceConfig", "config", "heavy", "jobs", "slot"]

API_PREFIX = "/api"
DEFAULT_HORIZON = 2045


@dataclass(frozen=True)
class ServiceConfig:
    """Limits and security settings of one app instance (the CLI fills it from options).

    The limits are part of the HTTP contract: ``/openapi.json`` states them as the bounds of
    the request fields they limit.
    """

    max_draws: int = 5000
    max_compare_draws: int = 1000
    max_smaa_samples: int = 100_000
    #: futures in a robust (scenario discovery) job: ~30 s for 400 on one core
    max_robust_samples: int = 1000
    max_horizon: int = 2075
    max_body_bytes: int = 64 * 1024
    max_concurrent_heavy: int = 2
    #: background jobs: at most this many queued or running (more: 429) ...
    max_jobs: int = 6
    #: ... at most this many kept in memory, and a finished job is forgotten after job_ttl_s
    max_kept_jobs: int = 50
    job_ttl_s: int = 600
    token: str | None = None
    store: Path | None = None
    cors_origins: tuple[str, ...] = ()
    warmup: bool = False

    def limits(self) -> dict[str, int]:
        return {
            "max_draws": self.max_draws,
            "max_compare_draws": self.max_compare_draws,
            "max_smaa_samples": self.max_smaa_samples,
            "max_robust_samples": self.max_robust_samples,
            "max_horizon": self.max_horizon,
            "max_body_bytes": self.max_body_bytes,
            "max_concurrent_heavy": self.max_concurrent_heavy,
            "max_jobs": self.max_jobs,
            "job_ttl_s": self.job_ttl_s,
        }


class ServerBusyError(NatoFuturesError):
    """Too many Monte Carlo / compare runs at once."""


def config(request: Request) -> ServiceConfig:
    """The app's :class:`ServiceConfig`."""
    cfg: ServiceConfig = request.app.state.config
    return cfg


def heavy(request: Request) -> threading.BoundedSemaphore:
    """The semaphore bounding concurrent Monte Carlo and compare runs."""
    sem: threading.BoundedSemaphore = request.app.state.heavy
    return sem


def jobs(request: Request) -> JobRegistry:
    """The app's background-job registry."""
    registry: JobRegistry = request.app.state.jobs
    return registry


class slot:
    """Hold one of the heavy-run slots (Monte Carlo, compare) or answer 503."""

    def __init__(self, sem: threading.BoundedSemaphore, needed: bool) -> None:
        self.sem = sem
        self.needed = needed

    def __enter__(self) -> None:
        if self.needed and not self.sem.acquire(timeout=30):
            raise ServerBusyError("server: busy with other Monte Carlo runs; try again shortly")

    def __exit__(self, *exc: object) -> None:
        if self.needed:
            self.sem.release()
