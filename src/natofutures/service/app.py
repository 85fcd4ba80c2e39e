"""The FastAPI application: JSON API under ``/api``, the dashboard at ``/``, docs at ``/docs``.

The service holds no model logic: every answer comes from the public functions of the
package (``nf.posture``, ``Scenario.with_overrides``, ``nf.simulate``, ``nf.compare``,
``nf.data``, ``natofutures.store.RunStore``). It reads no path a client names: postures and
perspectives are looked up among the bundled names only, the runs store is the server's.

Security defaults: bind to 127.0.0.1 (the CLI refuses another host without a token), a bearer
token on every ``/api`` request when configured, bounded bodies (413), bounded draws and
horizon (422 naming the field), no CORS unless origins are given, a strict
Content-Security-Policy (every asset is served from the package: no CDN).
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from natofutures.errors import DataError, InputError, NatoFuturesError
from natofutures.service.jobs import JobContext, JobRegistry, JobsFullError
from natofutures.service.models import (
    CentralRequest,
    CentralResult,
    CompareRequest,
    ErrorOut,
    Health,
    JobOut,
    LeverOut,
    ParameterOut,
    PerspectiveOut,
    PostureDetail,
    PostureSummary,
    RunDetail,
    RunSummary,
    ScenarioIn,
    SimulateRequest,
    SimulateResult,
)

__all__ = ["ServiceConfig", "create_app"]

STATIC_DIR = Path(str(resources.files("natofutures.service"))) / "static"
API_PREFIX = "/api"
DEFAULT_HORIZON = 2045
RUN_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"
ISO3_PATTERN = r"^[A-Za-z]{3}$"
MAX_TABLE_ROWS = 2000

#: Engine variables the dashboard shows (fewer variables, faster answers).
SIM_VARIABLES = (
    "burden",
    "europe_burden",
    "balance",
    "hazard",
    "cumulative_risk",
    "threat",
    "credibility",
    "us_share_europe",
    "us_allocation",
    "alignment",
)

LABELS = {
    "europe_burden": "European allies' defence spending as a share of their combined GDP",
    "us_burden": "US defence spending as a share of US GDP",
    "us_share_europe": "US share of NATO power delivered to Europe",
    "us_allocation_europe": "Share of US military power allocated to Europe",
    "europe_credibility": "European allies' mean belief in US protection (0 = none, 1 = full)",
    "alignment": "Russia–China alignment (0 = none, 1 = full alliance)",
    "balance_europe": "Coalition / adversary power delivered to Europe (1 = parity)",
    "balance_indo_pacific": "Coalition / adversary power delivered to the Indo-Pacific",
    "balance_out_of_area": "Coalition / adversary power delivered out of area",
    "hazard_europe": "Annual probability that deterrence fails in Europe",
    "hazard_indo_pacific": "Annual probability that deterrence fails in the Indo-Pacific",
    "hazard_out_of_area": "Annual probability of a crisis out of area drawing in the coalition",
    "cumulative_risk_europe": "Probability of at least one deterrence failure in Europe so far",
    "cumulative_risk_indo_pacific": "Same for the Indo-Pacific",
    "cumulative_risk_out_of_area": "Same out of area",
    "burden": "Defence spending as a share of GDP, by country",
    "threat_RUS": "Perceived threat from Russia (relative index), by country",
    "threat_CHN": "Perceived threat from China (relative index), by country",
    "credibility": "Belief in US protection, by ally (0-1)",
}


# ----------------------------------------------------------------------------- configuration
@dataclass(frozen=True)
class ServiceConfig:
    """Limits and security settings of one app instance (the CLI fills it from options)."""

    max_draws: int = 5000
    max_compare_draws: int = 1000
    max_smaa_samples: int = 100_000
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
            "max_horizon": self.max_horizon,
            "max_body_bytes": self.max_body_bytes,
            "max_concurrent_heavy": self.max_concurrent_heavy,
            "max_jobs": self.max_jobs,
            "job_ttl_s": self.job_ttl_s,
        }


class ServerBusyError(NatoFuturesError):
    """Too many Monte Carlo / compare runs at once."""


# ----------------------------------------------------------------------------- helpers
def _num(v: float) -> float | None:
    """A JSON-safe float: None for NaN/inf, else 6 significant digits."""
    f = float(v)
    if not math.isfinite(f):
        return None
    return float(f"{f:.6g}")


def _round_sig(a: np.ndarray, digits: int = 6) -> np.ndarray:
    """Round to ``digits`` significant digits, vectorised (exact powers of ten only)."""
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(all="ignore"):
        finite = np.isfinite(a) & (a != 0)
        exp = np.where(finite, digits - 1 - np.floor(np.log10(np.abs(np.where(finite, a, 1.0)))), 0)
        exp = exp.astype(np.int64)
        up = 10.0 ** np.clip(exp, 0, 300)
        down = 10.0 ** np.clip(-exp, 0, 300)
        return np.where(exp >= 0, np.round(a * up) / up, np.round(a / down) * down)


def _rows(arr: Any) -> list[Any]:
    """A numpy array as nested lists of JSON-safe floats (NaN and inf -> None)."""
    a = _round_sig(np.asarray(arr, dtype=np.float64))
    finite = np.isfinite(a)
    if finite.all():
        return a.tolist()
    obj = a.astype(object)
    obj[~finite] = None
    return obj.tolist()


QUANTILES = (0.05, 0.5, 0.95)


def _over_draws(
    x: np.ndarray,
    fast: Callable[[np.ndarray], np.ndarray],
    nan_aware: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Reduce ``x`` over its first axis (draws), skipping NaN; all-NaN columns give NaN.

    The NaN-free columns go through ``fast`` (numpy's nan-functions are several times slower)
    and only columns holding some NaN through ``nan_aware``; both give the same numbers on
    NaN-free data, so the split changes nothing but speed. No warning is raised (all-NaN
    columns never reach numpy), so nothing here depends on the process-wide warnings filters,
    which worker threads cannot safely change.
    """
    with np.errstate(all="ignore"):
        out = np.asarray(fast(x), dtype=np.float64)
        nan = np.isnan(x)
        some, every = nan.any(axis=0), nan.all(axis=0)
        out[..., every] = np.nan
        partial = some & ~every
        if partial.any():
            out[..., partial] = nan_aware(x[:, partial])
    return out


def _nanmean_last(a: np.ndarray) -> np.ndarray:
    """``np.nanmean(a, axis=-1)`` (same numbers) without its warning on all-NaN rows (-> NaN)."""
    a = np.asarray(a)
    nan = np.isnan(a)
    count = (~nan).sum(axis=-1)
    total = np.where(nan, 0, a).sum(axis=-1)
    with np.errstate(all="ignore"):
        mean = (total.astype(np.float64) / count).astype(total.dtype)
    return np.where(count > 0, mean, np.nan)


def _bands(named: dict[str, np.ndarray], mc: bool) -> dict[str, dict[str, Any]]:
    """Each ``(draw, year)`` array -> its median and, for Monte Carlo, the 5-95% band.

    All series are stacked and rounded in one go (the slider's hot path).
    """
    names = list(named)
    stack = np.stack([np.asarray(named[n], dtype=np.float64) for n in names])  # (s, draw, year)
    if not mc:
        rows = _rows(stack[:, 0, :])
        return {n: {"median": rows[i], "p05": None, "p95": None} for i, n in enumerate(names)}
    q = _over_draws(
        np.moveaxis(np.where(np.isinf(stack), np.nan, stack), 1, 0),
        lambda a: np.quantile(a, QUANTILES, axis=0),
        lambda a: np.nanquantile(a, QUANTILES, axis=0),
    )
    p05, mid, p95 = (_rows(q[k]) for k in range(3))
    return {n: {"median": mid[i], "p05": p05[i], "p95": p95[i]} for i, n in enumerate(names)}


@lru_cache(maxsize=1)
def _posture_names() -> tuple[str, ...]:
    from natofutures.scenario import posture_names

    return tuple(posture_names())


def _check_posture(name: str, where: str) -> str:
    if name not in _posture_names():
        raise InputError(
            f"{where}: value {name!r} not allowed; expected one of {', '.join(_posture_names())}"
        )
    return name


def _scenario(sc_in: ScenarioIn, where: str = "scenario") -> Any:
    """Validate a scenario body into a :class:`~natofutures.scenario.Scenario` (no files read).

    Scenarios are immutable, so the last few hundred validated ones are reused (a slider
    sends the same few bodies again and again).
    """
    _check_posture(sc_in.posture, f"{where}.posture")
    # json (not pydantic's dump) keeps NaN/inf as they came, so the library reports them
    return _scenario_from_json(json.dumps(sc_in.model_dump(exclude_none=True)), where)


@lru_cache(maxsize=512)
def _scenario_from_json(body: str, where: str) -> Any:
    from natofutures.scenario import scenario_from_mapping

    data = json.loads(body)
    try:
        return scenario_from_mapping(data, base=None, default_name=data["posture"])
    except InputError as exc:
        msg = str(exc).splitlines()[0]
        if msg.startswith("<scenario>"):
            msg = msg.replace("<scenario>", where, 1)
        else:
            msg = f"{where}.{msg}"
        raise type(exc)(msg) from None


def _horizon(requested: int | None, sc: Any, cfg: ServiceConfig) -> int:
    hz = requested if requested is not None else (sc.horizon or DEFAULT_HORIZON)
    if hz > cfg.max_horizon:
        raise InputError(
            f"horizon: value {hz} not allowed; expected a year in [2025, {cfg.max_horizon}] "
            "(this server's limit)"
        )
    return int(hz)


def _summarise(ds: Any, mc: bool) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """Alliance-level bands, per-country series and units from a simulation Dataset."""
    # all-NaN slices (credibility of non-allies, missing data) are expected: they become null
    return _summarise_inner(ds, mc)


def _summarise_inner(
    ds: Any, mc: bool
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    var = ds.variables  # plain Variables: much cheaper than building DataArrays
    arrays = {name: np.asarray(var[name].values) for name in SIM_VARIABLES}
    units = {name: str(var[name].attrs["units"]) for name in SIM_VARIABLES}
    countries = [str(c) for c in var["country"].values]
    roles = np.asarray(var["role"].values)
    euro = np.asarray(var["european"].values) & (roles == "ally")
    theatres = [str(t) for t in var["theatre"].values]
    usa = countries.index("USA")
    europe = theatres.index("europe")
    named: dict[str, np.ndarray] = {
        "europe_burden": arrays["europe_burden"],
        "us_burden": arrays["burden"][:, :, usa],
        "us_share_europe": arrays["us_share_europe"],
        "us_allocation_europe": arrays["us_allocation"][:, :, europe],
        "europe_credibility": _nanmean_last(arrays["credibility"][:, :, euro]),
        "alignment": arrays["alignment"],
    }
    out_units = {
        "europe_burden": units["europe_burden"],
        "us_burden": units["burden"],
        "us_share_europe": units["us_share_europe"],
        "us_allocation_europe": units["us_allocation"],
        "europe_credibility": units["credibility"],
        "alignment": units["alignment"],
    }
    for name in ("balance", "hazard", "cumulative_risk"):
        for k, t in enumerate(theatres):
            named[f"{name}_{t}"] = arrays[name][:, :, k]
            out_units[f"{name}_{t}"] = units[name]
    series = _bands(named, mc)

    # per-country series (median over draws for Monte Carlo): one (variable, country, year)
    # stack, rounded and converted in one go
    per: dict[str, np.ndarray] = {
        "burden": arrays["burden"],
        "credibility": arrays["credibility"],
    }
    out_units["burden"] = units["burden"]
    out_units["credibility"] = units["credibility"]
    for j, adv in enumerate(str(a) for a in var["adversary"].values):
        per[f"threat_{adv}"] = arrays["threat"][:, :, :, j]
        out_units[f"threat_{adv}"] = units["threat"]
    mids = [
        _over_draws(
            np.asarray(arr),  # medians in the engine's float32, as nf.simulate gives them
            lambda a: np.median(a, axis=0),
            lambda a: np.nanmedian(a, axis=0),
        )
        if mc
        else arr[0]
        for arr in per.values()
    ]  # each (year, country)
    stack = np.stack([np.asarray(m, dtype=np.float64).T for m in mids])  # (var, country, year)
    rows = _rows(stack)
    by_country = {
        name: dict(zip(countries, rows[i], strict=True)) for i, name in enumerate(per)
    }
    return series, by_country, out_units


# ----------------------------------------------------------------------------- middleware
class BodyLimitMiddleware:
    """Reject request bodies over ``limit`` bytes with 413 (checked as the body streams in)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._reject(send, int(declared))
            return
        seen = 0
        too_big = False

        async def limited_receive() -> Any:
            nonlocal seen, too_big
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    too_big = True
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await self._reject(send, seen)

    async def _reject(self, send: Any, size: int) -> None:
        resp = JSONResponse(
            {"detail": f"body: {size} bytes not allowed; expected at most {self.limit} bytes"},
            status_code=413,
        )
        await resp({"type": "http"}, _noop_receive, send)


class GuardMiddleware:
    """Bearer token on ``/api`` (when configured) and the security headers on every response."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode() if token else None

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        csp = (CSP_DOCS if path == "/docs" else CSP_DASHBOARD).encode()

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v) for k, v in message.get("headers", [])
                    if k.lower() not in _SECURITY_HEADER_NAMES
                ]
                headers += [*_SECURITY_HEADERS, (b"content-security-policy", csp)]
                message["headers"] = headers
            await send(message)

        if self.expected is not None and path.startswith(API_PREFIX + "/"):
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not secrets.compare_digest(given, self.expected):
                resp = JSONResponse(
                    {"detail": "authorization: missing or wrong bearer token"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await resp(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)


_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_SECURITY_HEADER_NAMES = {k for k, _ in _SECURITY_HEADERS} | {b"content-security-policy"}


class _BodyTooLarge(Exception):
    pass


async def _noop_receive() -> dict[str, Any]:  # pragma: no cover - never awaited by JSONResponse
    return {"type": "http.disconnect"}


CSP_DASHBOARD = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
CSP_DOCS = CSP_DASHBOARD.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


# ----------------------------------------------------------------------------- the app
def create_app(config: ServiceConfig | None = None) -> FastAPI:  # noqa: C901 - routes live here
    """Build the app for ``config`` (default limits, no token, default runs store)."""
    cfg = config or ServiceConfig()
    heavy = threading.BoundedSemaphore(cfg.max_concurrent_heavy)
    jobs = JobRegistry(
        heavy, max_active=cfg.max_jobs, max_kept=cfg.max_kept_jobs, ttl_s=cfg.job_ttl_s
    )

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        if cfg.warmup:
            _warm_up()
        yield
        jobs.shutdown()

    app = FastAPI(
        title="natofutures",
        version=_version(),
        summary="Simulate and compare futures of the trans-Atlantic alliance.",
        description=(
            "JSON API of natofutures: postures, perspectives, bundled data, the alliance "
            "model (`/api/simulate`), decision analysis (`/api/compare`), the same two as "
            "background jobs with progress and cancel (`/api/jobs`) and the runs store. "
            "Errors are one line naming the field, its value and what is allowed "
            f"(`{{\"detail\": ...}}`). Server limits: see `GET {API_PREFIX}/health`."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        responses={
            422: {"model": ErrorOut, "description": "Invalid input; the message names the field."},
            413: {"model": ErrorOut, "description": "Request body too large."},
            400: {"model": ErrorOut, "description": "Body is not parseable (not valid JSON)."},
            401: {"model": ErrorOut, "description": "Missing or wrong bearer token."},
            503: {"model": ErrorOut, "description": "Server busy with other Monte Carlo runs."},
        },
    )
    app.state.config = cfg
    app.state.jobs = jobs

    # --- errors: one line, 4xx for user errors
    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=422)

    @app.exception_handler(ServerBusyError)
    async def _busy(_: Request, exc: ServerBusyError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(JobsFullError)
    async def _jobs_full(_: Request, exc: JobsFullError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=429, headers={"Retry-After": "2"})

    @app.exception_handler(DataError)
    async def _data_error(_: Request, exc: DataError) -> JSONResponse:
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=500)

    @app.exception_handler(NatoFuturesError)
    async def _nf_error(_: Request, exc: NatoFuturesError) -> JSONResponse:
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        where = ".".join(loc) or "body"
        value = first.get("input")
        shown = repr(value) if value is not None and len(repr(value)) <= 60 else "given"
        msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        return JSONResponse(
            {"detail": f"{where}: value {shown} not allowed; {msg[:1].lower()}{msg[1:]}{more}"},
            status_code=422,
        )

    # --- auth, headers (a plain ASGI middleware: no per-request Request/Response wrapping)
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

    errors: dict[int | str, dict[str, Any]] = {
        422: {"model": ErrorOut, "description": "Invalid input; the message names the field."},
        413: {"model": ErrorOut, "description": "Request body too large."},
    }

    # --- API ---------------------------------------------------------------------------------
    @app.get(f"{API_PREFIX}/health", response_model=Health, tags=["service"])
    def health() -> Health:
        """Service status, versions and this server's input limits."""
        from natofutures.data import data_version

        return Health(
            status="ok", version=_version(), data_version=data_version(), limits=cfg.limits()
        )

    @app.get(f"{API_PREFIX}/postures", response_model=list[PostureSummary], tags=["model"])
    def postures() -> list[PostureSummary]:
        """The built-in postures (the essay's four futures of NATO)."""
        import natofutures as nf

        out = []
        for n in _posture_names():
            sc = nf.posture(n)
            out.append(PostureSummary(name=n, title=sc.posture_title, summary=sc.posture_summary))
        return out

    @app.get(
        f"{API_PREFIX}/postures/{{name}}",
        response_model=PostureDetail,
        tags=["model"],
        responses={404: {"model": ErrorOut, "description": "No such posture."}, **errors},
    )
    def posture_detail(name: str) -> Any:
        """Every lever a posture sets, with its value, unit and the essay's reason."""
        import natofutures as nf
        from natofutures.scenario import parameter_table

        if name not in _posture_names():
            return JSONResponse(
                {
                    "detail": f"name: value {name[:60]!r} not allowed; expected one of "
                    f"{', '.join(_posture_names())}"
                },
                status_code=404,
            )
        sc = nf.posture(name)
        table = parameter_table()
        levers = []
        for path, spec in table.items():
            if not spec.lever:
                continue
            value = sc.parameter(path)
            levers.append(
                LeverOut(
                    path=path,
                    value=float(value) if not isinstance(value, dict) else math.nan,
                    unit=spec.unit,
                    reason=sc.lever_reasons.get(path, ""),
                    default=float(spec.value or 0.0),
                )
            )
        essay = _posture_essay(name)
        return PostureDetail(
            name=name,
            title=sc.posture_title,
            summary=sc.posture_summary,
            essay=essay,
            levers=levers,
        )

    @app.get(f"{API_PREFIX}/parameters", response_model=list[ParameterOut], tags=["model"])
    def parameters(
        lever: bool | None = Query(None, description="Only levers (true) or only non-levers."),
    ) -> list[ParameterOut]:
        """Every model parameter of defaults.yaml: value, unit, bounds, range, source."""
        from natofutures.scenario import parameter_table

        out = []
        for path, spec in parameter_table().items():
            if lever is not None and spec.lever != lever:
                continue
            out.append(
                ParameterOut(
                    path=path,
                    value=spec.value,
                    values={str(k): v for k, v in spec.values.items()} if spec.values else None,
                    unit=spec.unit,
                    bounds=list(spec.bounds),
                    range=list(spec.range) if spec.range else None,
                    uncertain=spec.distribution is not None,
                    lever=spec.lever,
                    judgement=spec.judgement,
                    provisional=spec.provisional,
                    source=spec.source,
                )
            )
        return out

    @app.get(f"{API_PREFIX}/perspectives", response_model=list[PerspectiveOut], tags=["analysis"])
    def perspectives() -> list[PerspectiveOut]:
        """The bundled perspectives: weights each school of thought puts on the criteria."""
        from natofutures.analysis import perspectives as persp

        out = []
        for p in persp.load_all():
            vec = p.vector()
            from natofutures.analysis.criteria import CRITERION_NAMES

            out.append(
                PerspectiveOut(
                    name=p.name,
                    label=p.label,
                    rationale=p.rationale.strip(),
                    source=p.source,
                    concentration=p.concentration,
                    weights=dict(zip(CRITERION_NAMES, vec, strict=True)),
                )
            )
        return out

    @app.get(f"{API_PREFIX}/criteria", tags=["analysis"])
    def criteria() -> list[dict[str, Any]]:
        """The 14 evaluation criteria: label, unit, direction (higher/lower is better)."""
        from natofutures.analysis.criteria import CRITERIA

        return [
            {
                "name": c.name,
                "label": c.label,
                "unit": c.unit,
                "direction": c.direction_word,
                "description": c.description,
            }
            for c in CRITERIA.values()
        ]

    @app.get(f"{API_PREFIX}/countries", tags=["data"])
    def countries() -> list[dict[str, Any]]:
        """Bundled country table: ISO3, name, role, NATO accession, region, capital, lat/lon."""
        from natofutures.data import countries as load

        return _records(load())

    @app.get(f"{API_PREFIX}/data/panel", tags=["data"], responses=errors)
    def panel(
        year: int | None = Query(None, ge=1949, le=2100, description="Only this year."),
        country: str | None = Query(
            None, pattern=ISO3_PATTERN, description="Only this country (ISO3)."
        ),
    ) -> list[dict[str, Any]]:
        """Country-year panel: GDP, defence spending and burden, population, personnel ...

        Units: see docs/data.md; missing values are null, never 0.
        """
        from natofutures.data import countries as load_countries
        from natofutures.data import panel as load_panel

        iso = None
        if country is not None:
            iso = country.upper()
            known = set(load_countries()["iso3"])
            if iso not in known:
                raise InputError(
                    f"country: value {country!r} not allowed; expected an ISO3 code of "
                    f"GET {API_PREFIX}/countries"
                )
        df = load_panel(
            countries=[iso] if iso else None, years=[year] if year is not None else None
        )
        return _records(df)

    @app.post(
        f"{API_PREFIX}/simulate", response_model=SimulateResult, tags=["model"], responses=errors
    )
    async def simulate(req: SimulateRequest) -> Any:
        """Run the alliance model on one scenario.

        ``draws = 0``: the deterministic central case, full series (fast: a few ms, what the
        dashboard's sliders call). ``draws > 0``: Monte Carlo; series are medians with
        5-95% bands, per-country series are medians. For long runs with progress and
        cancel, use ``POST /api/jobs/simulate``.
        """
        t_start = time.perf_counter()
        sc, hz = _plan_simulate(req, cfg)
        if req.draws == 0 and not req.record:
            # a few ms of work: run it here rather than pay for a worker thread
            ds = _simulate_dataset(sc, req, hz)
            result = _simulate_result(cfg, sc, req, hz, ds, t_start)
        else:

            def run() -> dict[str, Any]:
                with _slot(heavy, req.draws > 0):
                    ds = _simulate_dataset(sc, req, hz)
                return _simulate_result(cfg, sc, req, hz, ds, t_start)

            result = await run_in_threadpool(run)
        # built from validated parts; skip re-validating ~5,000 numbers (the slider's hot path)
        return JSONResponse(result)

    @app.post(
        f"{API_PREFIX}/simulate/central",
        response_model=CentralResult,
        tags=["model"],
        responses=errors,
    )
    async def simulate_central(req: CentralRequest) -> Any:
        """The deterministic central case of one to four scenarios in one call.

        Each result is what ``POST /api/simulate`` answers with ``draws = 0`` for that
        scenario; one request instead of several (the dashboard's sliders with two postures
        side by side).
        """
        t_start = time.perf_counter()
        plans = []
        for k, sc_in in enumerate(req.scenarios):
            sc = _scenario(sc_in, f"scenarios[{k}]")
            one = SimulateRequest(scenario=sc_in, draws=0, seed=0, horizon=req.horizon)
            plans.append((sc, one, _horizon(req.horizon, sc, cfg)))
        results = []
        for sc, one, hz in plans:
            ds = _simulate_dataset(sc, one, hz)
            results.append(_simulate_result(cfg, sc, one, hz, ds, t_start))
            t_start = time.perf_counter()
        return JSONResponse({"results": results})

    @app.post(f"{API_PREFIX}/compare", tags=["analysis"], responses=errors)
    def compare(req: CompareRequest) -> dict[str, Any]:
        """Score and rank scenarios under every perspective; forecast which NATO emerges.

        Returns ``nf.compare(...).to_dict()`` (postures, criteria with median and 90% band,
        rankings with SMAA rank probabilities per perspective, adoption forecast, summary lines,
        run inputs) plus criterion metadata and ``elapsed_ms``. For progress and cancel, use
        ``POST /api/jobs/compare``.
        """
        scenarios = _plan_compare(req, cfg)
        with _slot(heavy, True):
            return _compare_result(req, scenarios)

    # --- background jobs ------------------------------------------------------------------------
    job_errors: dict[int | str, dict[str, Any]] = {
        **errors,
        429: {
            "model": ErrorOut,
            "description": "Too many jobs queued or running on this server; retry later.",
        },
    }
    no_job: dict[int | str, dict[str, Any]] = {
        404: {"model": ErrorOut, "description": "No such job (unknown, or expired)."},
        **errors,
    }

    def accepted(snap: dict[str, Any]) -> JSONResponse:
        return JSONResponse(
            snap, status_code=202, headers={"Location": f"{API_PREFIX}/jobs/{snap['id']}"}
        )

    @app.post(
        f"{API_PREFIX}/jobs/simulate",
        status_code=202,
        summary="Start /api/simulate as a background job",
        response_model=JobOut,
        tags=["jobs"],
        responses=job_errors,
    )
    async def simulate_job(req: SimulateRequest) -> Any:
        """Start ``POST /api/simulate`` for this body as a background job (202 + the job).

        Input is checked at once (422/413 as for ``/api/simulate``). The job waits for one of
        the server's heavy-run slots, then simulates the draws in blocks, reporting progress
        after each; poll ``GET /api/jobs/{id}``. Its result is exactly the synchronous
        answer (the engine's draws do not depend on how a run is split). ``"record": true``
        keeps it in the runs store, as ``/api/simulate`` does.
        """
        sc, hz = _plan_simulate(req, cfg)

        def work(ctx: JobContext) -> dict[str, Any]:
            t_start = time.perf_counter()
            ds = _simulate_dataset(sc, req, hz, ctx)
            if req.draws > 0:
                ctx.report(SIM_SHARE, "computing medians and 5-95% bands")
            result = _simulate_result(cfg, sc, req, hz, ds, t_start)
            ctx.check()
            return result

        return accepted(jobs.submit("simulate", work))

    @app.post(
        f"{API_PREFIX}/jobs/compare",
        status_code=202,
        summary="Start /api/compare as a background job",
        response_model=JobOut,
        tags=["jobs"],
        responses=job_errors,
    )
    async def compare_job(req: CompareRequest) -> Any:
        """Start ``POST /api/compare`` for this body as a background job (202 + the job).

        Progress counts the postures simulated, the adoption forecast and the perspectives
        ranked (weighted by their usual share of the run time); cancel stops the job at the
        next of these steps.
        """
        scenarios = _plan_compare(req, cfg)
        return accepted(
            jobs.submit("compare", lambda ctx: _compare_result(req, scenarios, ctx))
        )

    @app.get(
        f"{API_PREFIX}/jobs/{{job_id}}",
        response_model=JobOut,
        tags=["jobs"],
        responses=no_job,
        summary="A job's status, progress and result",
    )
    async def job_status(job_id: str) -> Any:
        """A job's status and progress; its result once done, its error if it failed."""
        snap = jobs.get(job_id)
        if snap is None:
            return _no_such_job(job_id, cfg)
        return JSONResponse(snap)

    @app.delete(
        f"{API_PREFIX}/jobs/{{job_id}}",
        response_model=JobOut,
        tags=["jobs"],
        responses=no_job,
        summary="Cancel a job (or forget a finished one)",
    )
    async def job_cancel(job_id: str) -> Any:
        """Cancel a queued or running job (it stops within one step; the record stays until
        it expires), or forget a finished one and its result (then 404)."""
        snap = jobs.cancel(job_id)
        if snap is None:
            return _no_such_job(job_id, cfg)
        return JSONResponse(snap)

    @app.get(f"{API_PREFIX}/runs", response_model=list[RunSummary], tags=["runs"])
    def runs(
        limit: int = Query(100, ge=1, le=1000, description="At most this many, newest first."),
    ) -> list[RunSummary]:
        """Stored runs of this server's runs store, newest first."""
        from natofutures.store import RunStore

        df = RunStore(cfg.store).list().head(limit)
        return [RunSummary(**_run_row({str(k): v for k, v in r.items()}))
                for r in df.to_dict("records")]

    @app.get(
        f"{API_PREFIX}/runs/{{run_id}}",
        response_model=RunDetail,
        tags=["runs"],
        responses={404: {"model": ErrorOut, "description": "No such run."}, **errors},
    )
    def run_detail(run_id: str) -> Any:
        """One stored run: inputs, versions and summary tables."""
        import re

        from natofutures.store import RunStore

        if not re.fullmatch(RUN_ID_PATTERN, run_id):
            return JSONResponse(
                {"detail": f"run_id: value {run_id[:60]!r} not allowed; expected a run id"},
                status_code=404,
            )
        try:
            rec = RunStore(cfg.store).get(run_id)
        except InputError as exc:
            return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=404)
        row = _run_row(
            {k: getattr(rec, k) for k in RunSummary.model_fields if hasattr(rec, k)}
        )
        return RunDetail(
            **row,
            scenario=json.loads(rec.scenario_json) if rec.scenario_json else None,
            labels=rec.labels,
            tables={
                name: _records(df.head(MAX_TABLE_ROWS)) for name, df in rec.tables.items()
            },
        )

    # --- dashboard, docs, assets ---------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="natofutures API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(_plotly_js(), media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


# ----------------------------------------------------------------------------- internals
def _version() -> str:
    from natofutures import __version__

    return __version__


#: share of a Monte Carlo job's progress bar for the draws (the rest: medians and bands)
SIM_SHARE = 0.9
#: a Monte Carlo job simulates its draws in about this many blocks (progress and cancel points)
JOB_BLOCKS = 20
MIN_JOB_BLOCK = 25


def _plan_simulate(req: SimulateRequest, cfg: ServiceConfig) -> tuple[Any, int]:
    """Check a simulate body against this server's limits: (scenario, horizon) or InputError."""
    if req.draws > cfg.max_draws:
        raise InputError(
            f"draws: value {req.draws} not allowed; expected an integer in "
            f"[0, {cfg.max_draws}] (this server's limit)"
        )
    sc = _scenario(req.scenario)
    return sc, _horizon(req.horizon, sc, cfg)


def _simulate_dataset(sc: Any, req: SimulateRequest, hz: int, ctx: JobContext | None = None) -> Any:
    """``nf.simulate`` for the request; for a job, in blocks of draws with progress.

    A job's blocks are the draws ``[lo, hi)`` of the seed's stream (``draw_offset``),
    concatenated: bit-identical to one call (a documented property of the engine), so the job's
    result equals the synchronous one. Between blocks (and between the engine's own chunks) the
    job reports progress and stops if it was cancelled.
    """
    import natofutures as nf

    draws = req.draws
    if ctx is None or draws == 0:
        if ctx is not None:
            ctx.report(0.0, "simulating the central case")
        return nf.simulate(sc, draws=draws, seed=req.seed, horizon=hz, variables=SIM_VARIABLES)
    block = max(MIN_JOB_BLOCK, math.ceil(draws / JOB_BLOCKS))
    parts = []
    for lo in range(0, draws, block):
        n = min(block, draws - lo)
        ctx.report(SIM_SHARE * lo / draws, f"simulating draws {lo + 1:,}-{lo + n:,} of {draws:,}")

        def progress(done: int, _total: int, lo: int = lo) -> None:
            ctx.report(SIM_SHARE * (lo + done) / draws)

        parts.append(
            nf.simulate(
                sc, draws=n, seed=req.seed, horizon=hz, variables=SIM_VARIABLES,
                draw_offset=lo, progress=progress,
            )
        )
    return _concat_draws(parts)


def _concat_draws(parts: list[Any]) -> Any:
    """Datasets of consecutive draw blocks -> one Dataset over all draws."""
    import xarray as xr

    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    data_vars = {
        name: xr.Variable(
            first.variables[name].dims,
            np.concatenate([p.variables[name].values for p in parts]),
            first.variables[name].attrs,
        )
        for name in first.data_vars
    }
    coords = {name: first.coords[name] for name in first.coords if "draw" not in first[name].dims}
    coords["draw"] = np.concatenate([p.variables["draw"].values for p in parts])
    return xr.Dataset(data_vars, coords=coords, attrs=dict(first.attrs))


def _simulate_result(
    cfg: ServiceConfig, sc: Any, req: SimulateRequest, hz: int, ds: Any, t_start: float
) -> dict[str, Any]:
    """The ``SimulateResult`` JSON for a simulated Dataset (recorded when asked)."""
    mc = req.draws > 0
    series, by_country, units = _summarise(ds, mc)
    run_id = _record_simulation(cfg, sc, req, hz, ds, series) if req.record else None
    return {
        "posture": sc.posture,
        "scenario_name": sc.name,
        "scenario_hash": sc.hash,
        "scenario": _scenario_out(sc),
        "draws": req.draws,
        "seed": req.seed,
        "deterministic": not mc,
        "years": [int(y) for y in ds.variables["year"].values],
        "countries": _country_list(ds),
        "series": series,
        "by_country": by_country,
        "units": units,
        "labels": LABELS,
        "data_version": str(ds.attrs["data_version"]),
        "package_version": str(ds.attrs["package_version"]),
        "elapsed_ms": round((time.perf_counter() - t_start) * 1000, 2),
        "run_id": run_id,
    }


def _plan_compare(req: CompareRequest, cfg: ServiceConfig) -> list[Any]:
    """Check a compare body against this server's limits: the scenarios, or InputError."""
    from natofutures.analysis import perspectives as persp

    if req.draws > cfg.max_compare_draws:
        raise InputError(
            f"draws: value {req.draws} not allowed; expected an integer in "
            f"[0, {cfg.max_compare_draws}] (this server's limit)"
        )
    if req.smaa_samples > cfg.max_smaa_samples:
        raise InputError(
            f"smaa_samples: value {req.smaa_samples} not allowed; expected an integer in "
            f"[1, {cfg.max_smaa_samples}] (this server's limit)"
        )
    if req.horizon > cfg.max_horizon:
        raise InputError(
            f"horizon: value {req.horizon} not allowed; expected a year in "
            f"[2025, {cfg.max_horizon}] (this server's limit)"
        )
    names = persp.available()
    for k, p in enumerate(req.perspectives):
        if p not in names:
            raise InputError(
                f"perspectives[{k}]: value {p[:60]!r} not allowed; expected one of "
                f"{', '.join(names)}"
            )
    items = req.scenarios or [ScenarioIn(posture=n) for n in _posture_names()]
    scenarios = [_scenario(s, f"scenarios[{k}]") for k, s in enumerate(items)]
    # checked here too (nf.compare would), so that a job is refused at once with 422
    if len(scenarios) < 2:
        raise InputError(
            f"scenarios: {len(scenarios)} given not allowed; expected at least 2 to compare "
            "(or none for the four postures)"
        )
    labels = [sc.name for sc in scenarios]
    twice = sorted({n for n in labels if labels.count(n) > 1})
    if twice:
        raise InputError(
            f"scenarios: {', '.join(twice)} given twice not allowed; expected distinct "
            "scenarios (give each a different name)"
        )
    return scenarios


#: relative cost of compare's steps (measured: a posture's draws >> the adoption forecast >>
#: one perspective's ranking); progress is the share of these weights done
_COMPARE_STEP_WEIGHTS = (("simulating", 1.0), ("forecasting", 0.5), ("ranking", 0.1))


def _compare_result(
    req: CompareRequest, scenarios: list[Any], ctx: JobContext | None = None
) -> dict[str, Any]:
    """``nf.compare(...).to_dict()`` plus criterion metadata and ``elapsed_ms``."""
    import natofutures as nf
    from natofutures.analysis import perspectives as persp
    from natofutures.analysis.criteria import CRITERIA

    on_step: Callable[[str], None] | None = None
    if ctx is not None:
        job = ctx
        n_views = len(req.perspectives) or len(persp.available())
        total = len(scenarios) * 1.0 + 0.5 + n_views * 0.1
        steps = {"done": 0.0, "current": 0.0}

        def on_step(message: str) -> None:
            # a step's message arrives when it starts: the step before it is done
            steps["done"] += steps["current"]
            steps["current"] = next(
                (w for prefix, w in _COMPARE_STEP_WEIGHTS if message.startswith(prefix)), 0.0
            )
            job.report(min(steps["done"] / total, 0.99), message)

        job.report(0.0, "loading perspectives")
    t_start = time.perf_counter()
    res = nf.compare(
        scenarios,
        draws=req.draws,
        seed=req.seed,
        horizon=req.horizon,
        perspectives=list(req.perspectives) or None,
        smaa_samples=req.smaa_samples,
        progress=on_step,
    )
    out = res.to_dict()
    out["criteria_info"] = {
        c.name: {"label": c.label, "unit": c.unit, "direction": c.direction_word}
        for c in CRITERIA.values()
    }
    out["perspectives_info"] = {p.name: {"label": p.label} for p in res.perspectives}
    out["elapsed_ms"] = round((time.perf_counter() - t_start) * 1000, 2)
    result: dict[str, Any] = _jsonable(out)
    return result


def _no_such_job(job_id: str, cfg: ServiceConfig) -> JSONResponse:
    return JSONResponse(
        {
            "detail": f"job_id: value {job_id[:60]!r} not allowed; expected the id of a job "
            f"on this server (finished jobs are forgotten after {cfg.job_ttl_s} s)"
        },
        status_code=404,
    )


def _warm_up() -> None:
    """Compile the engine and build the baseline once, so the first request is fast."""
    import natofutures as nf

    nf.simulate(nf.posture("business_as_usual"), draws=0, variables=SIM_VARIABLES)
    nf.simulate(nf.posture("business_as_usual"), draws=8, seed=0, variables=SIM_VARIABLES)


def _plotly_js() -> Path:
    """plotly.min.js shipped inside the ``plotly`` Python package (no CDN)."""
    return Path(str(resources.files("plotly"))) / "package_data" / "plotly.min.js"


class _slot:
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


def _posture_essay(name: str) -> str:
    from natofutures.parameters import load_yaml

    raw = load_yaml(f"postures/{name}.yaml")
    return str(raw.get("essay", "")) if isinstance(raw, dict) else ""


def _scenario_out(sc: Any) -> dict[str, Any]:
    """The scenario in the fields of a scenario file (what the dashboard downloads as YAML)."""
    dumped = sc.model_dump(mode="json")
    return {
        "name": dumped["name"],
        "posture": dumped["posture"],
        "overrides": dumped["overrides"],
        "uncertainty": dumped["uncertainty"],
        "shocks": dumped["shocks"],
        "horizon": dumped["horizon"],
    }


def _country_list(ds: Any) -> list[dict[str, Any]]:
    var = ds.variables
    return [
        {"iso3": str(c), "name": str(n), "role": str(r), "european": bool(e)}
        for c, n, r, e in zip(
            var["country"].values,
            var["country_name"].values,
            var["role"].values,
            var["european"].values,
            strict=True,
        )
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | np.floating):
        return _num(float(value))
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _records(df: Any) -> list[dict[str, Any]]:
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
                clean[str(k)] = _jsonable(v.item() if hasattr(v, "item") else v)
        out.append(clean)
    return out


def _run_row(r: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    def opt_int(v: Any) -> int | None:
        return None if v is None or pd.isna(v) else int(v)

    created = r.get("created_at")
    return {
        "run_id": str(r["run_id"]),
        "created_at": str(created.isoformat()) if created is not None else "",
        "kind": str(r["kind"]),
        "posture": None if r.get("posture") is None else str(r["posture"]),
        "seed": opt_int(r.get("seed")),
        "draws": opt_int(r.get("draws")),
        "horizon": opt_int(r.get("horizon")),
        "scenario_hash": str(r.get("scenario_hash", "")),
        "data_version": str(r.get("data_version", "")),
        "package_version": str(r.get("package_version", "")),
        "has_arrays": bool(r.get("has_arrays", False)),
        "command": str(r.get("command", "")),
    }


def _record_simulation(
    cfg: ServiceConfig, sc: Any, req: SimulateRequest, hz: int, ds: Any, series: dict[str, Any]
) -> str:
    import pandas as pd

    from natofutures.store import RunStore

    years = [int(y) for y in ds.year.to_numpy()]
    rows = []
    for name, band in series.items():
        for k, y in enumerate(years):
            rows.append(
                {
                    "series": name,
                    "year": y,
                    "median": band["median"][k],
                    "p05": (band.get("p05") or [None] * len(years))[k],
                    "p95": (band.get("p95") or [None] * len(years))[k],
                }
            )
    return RunStore(cfg.store).record(
        kind="simulate",
        command=f"POST {API_PREFIX}/simulate (natofutures serve)",
        scenario_json=sc.canonical_json(),
        scenario_hash=sc.hash,
        package_version=str(ds.attrs["package_version"]),
        data_version=str(ds.attrs["data_version"]),
        tables={"summary": pd.DataFrame(rows)},
        posture=sc.posture,
        seed=req.seed,
        draws=req.draws,
        horizon=hz,
        labels={"source": "service"},
    )
