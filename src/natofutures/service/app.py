"""The FastAPI application: JSON API under ``/api``, the dashboard at ``/``, docs at ``/docs``.

The service holds no model logic: every answer comes from the public functions of the
package (``nf.posture``, ``Scenario.with_overrides``, ``nf.simulate``, ``nf.compare``,
``nf.data``, ``natofutures.runs``). It reads no path a client names: postures and perspectives
are enums of the bundled names, the runs store is the server's.

:func:`create_app` only wires the parts together:

- :mod:`.state` - :class:`ServiceConfig` (limits, token, store), the heavy-run slots, the jobs
- :mod:`.routes` - one router module per concern (catalogue, simulate, compare, jobs, runs,
  pages)
- :mod:`.models` and :mod:`.body` - request models (the library's scenario schema, strict JSON
  types) and the response models
- :mod:`.contract` - error messages and ``/openapi.json`` with this server's limits
- :mod:`.middleware` - body limit (413), bearer token and security headers, exact ``Allow``

Security defaults: bind to 127.0.0.1 (the CLI refuses another host without a token), a bearer
token on every ``/api`` request when configured, bounded bodies (413), bounded draws and
horizon (422 naming the field), no CORS unless origins are given, a strict
Content-Security-Policy (every asset is served from the package: no CDN).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from natofutures.service.contract import install_error_handlers, install_openapi
from natofutures.service.jobs import JobRegistry
from natofutures.service.middleware import (
    AllowHeaderMiddleware,
    BodyLimitMiddleware,
    GuardMiddleware,
)
from natofutures.service.models import ErrorOut
from natofutures.service.routes import catalogue, compare, jobs, pages, runs, simulate
from natofutures.service.routes.pages import STATIC_DIR
from natofutures.service.state import API_PREFIX, ServerBusyError, ServiceConfig

__all__ = ["STATIC_DIR", "ServerBusyError", "ServiceConfig", "create_app"]


def _warm_up() -> None:
    """Compile the engine and build the baseline once, so the first request is fast."""
    import natofutures as nf

    nf.simulate(nf.posture("business_as_usual"), draws=0, variables=simulate.SIM_VARIABLES)
    nf.simulate(nf.posture("business_as_usual"), draws=8, seed=0,
                variables=simulate.SIM_VARIABLES)


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    """Build the app for ``config`` (default limits, no token, default runs store)."""
    cfg = config or ServiceConfig()
    heavy = threading.BoundedSemaphore(cfg.max_concurrent_heavy)
    registry = JobRegistry(
        heavy, max_active=cfg.max_jobs, max_kept=cfg.max_kept_jobs, ttl_s=cfg.job_ttl_s
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if cfg.warmup:
            _warm_up()
        yield
        registry.shutdown()

    app = FastAPI(
        title="natofutures",
        version=catalogue.version(),
        summary="Simulate and compare futures of the trans-Atlantic alliance.",
        description=(
            "JSON API of natofutures: postures, perspectives, bundled data, the alliance "
            "model (`/api/simulate`), decision analysis (`/api/compare`), the same two as "
            "background jobs with progress and cancel (`/api/jobs`) and the runs store. "
            "Errors are one line naming the field and what is wrong with it "
            f"(`{{\"detail\": ...}}`). Server limits: see `GET {API_PREFIX}/health`; they are "
            "also the maxima of the request fields below."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        responses={
            413: {"model": ErrorOut, "description": "Request body too large."},
            401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
            503: {"model": ErrorOut, "description": "Server busy with other Monte Carlo runs."},
        },
    )
    app.state.config = cfg
    app.state.heavy = heavy
    app.state.jobs = registry
    install_error_handlers(app)
    for module in (catalogue, simulate, compare, jobs, runs, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_openapi(app, cfg)

    # middleware, innermost first: exact Allow on 405, token and headers, CORS, body limit
    app.add_middleware(AllowHeaderMiddleware, schema=app.openapi)
    app.add_middleware(GuardMiddleware, token=cfg.token)
    if cfg.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cfg.cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(BodyLimitMiddleware, limit=cfg.max_body_bytes)
    return app
