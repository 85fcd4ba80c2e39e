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

import math
import secrets
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from natofutures.errors import DataError, InputError, NatoFuturesError
from natofutures.service.models import (
    CompareRequest,
    CountryOut,
    ErrorOut,
    Health,
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
    out = a.tolist()
    if np.isfinite(a).all():
        return out
    return _nan_to_none(out)


def _nan_to_none(x: Any) -> Any:
    if isinstance(x, list):
        return [_nan_to_none(v) for v in x]
    return x if math.isfinite(x) else None


def _series(arr: Any) -> list[float | None]:
    return _rows(np.asarray(arr, dtype=np.float64).ravel())


def _band(values: np.ndarray, mc: bool) -> dict[str, Any]:
    """values: (draw, year). Median and, for Monte Carlo, the 5-95% band."""
    v = np.asarray(values, dtype=np.float64)
    if not mc:
        return {"median": _series(v[0]), "p05": None, "p95": None}
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanquantile(np.where(np.isinf(v), np.nan, v), [0.05, 0.5, 0.95], axis=0)
    return {"median": _series(q[1]), "p05": _series(q[0]), "p95": _series(q[2])}


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
    """Validate a scenario body into a :class:`~natofutures.scenario.Scenario` (no files read)."""
    from natofutures.scenario import scenario_from_mapping

    _check_posture(sc_in.posture, f"{where}.posture")
    data = sc_in.model_dump(exclude_none=True)
    try:
        return scenario_from_mapping(data, base=None, default_name=sc_in.posture)
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
    with warnings.catch_warnings():
        # all-NaN slices (credibility of non-allies, missing data) are expected: they become null
        warnings.simplefilter("ignore", RuntimeWarning)
        return _summarise_inner(ds, mc)


def _summarise_inner(
    ds: Any, mc: bool
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    arrays = {name: ds[name].to_numpy() for name in SIM_VARIABLES}
    units = {name: str(ds[name].attrs["units"]) for name in SIM_VARIABLES}
    countries = [str(c) for c in ds.country.to_numpy()]
    roles = ds.role.to_numpy()
    euro = ds.european.to_numpy() & (roles == "ally")
    theatres = [str(t) for t in ds.theatre.to_numpy()]
    usa = countries.index("USA")
    europe = theatres.index("europe")
    series: dict[str, Any] = {
        "europe_burden": _band(arrays["europe_burden"], mc),
        "us_burden": _band(arrays["burden"][:, :, usa], mc),
        "us_share_europe": _band(arrays["us_share_europe"], mc),
        "us_allocation_europe": _band(arrays["us_allocation"][:, :, europe], mc),
        "europe_credibility": _band(np.nanmean(arrays["credibility"][:, :, euro], axis=2), mc),
        "alignment": _band(arrays["alignment"], mc),
    }
    out_units = {
        "europe_burden": units["europe_burden"],
        "us_burden": units["burden"],
        "us_share_europe": units["us_share_europe"],
        "us_allocation_europe": units["us_allocation"],
        "europe_credibility": units["credibility"],
        "alignment": units["alignment"],
    }
    for var in ("balance", "hazard", "cumulative_risk"):
        for k, t in enumerate(theatres):
            series[f"{var}_{t}"] = _band(arrays[var][:, :, k], mc)
            out_units[f"{var}_{t}"] = units[var]

    def per_country(arr: np.ndarray) -> dict[str, list[float | None]]:
        mid = np.nanmedian(arr, axis=0) if mc else arr[0]
        return dict(zip(countries, _rows(np.asarray(mid, dtype=np.float64).T), strict=True))

    by_country = {
        "burden": per_country(arrays["burden"]),
        "credibility": per_country(arrays["credibility"]),
    }
    out_units["burden"] = units["burden"]
    out_units["credibility"] = units["credibility"]
    for j, adv in enumerate(str(a) for a in ds.adversary.to_numpy()):
        by_country[f"threat_{adv}"] = per_country(arrays["threat"][:, :, :, j])
        out_units[f"threat_{adv}"] = units["threat"]
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

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        if cfg.warmup:
            _warm_up()
        yield

    app = FastAPI(
        title="natofutures",
        version=_version(),
        summary="Simulate and compare futures of the trans-Atlantic alliance.",
        description=(
            "JSON API of natofutures: postures, perspectives, bundled data, the alliance "
            "model (`/api/simulate`), decision analysis (`/api/compare`) and the runs store. "
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

    # --- errors: one line, 4xx for user errors
    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=422)

    @app.exception_handler(ServerBusyError)
    async def _busy(_: Request, exc: ServerBusyError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

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

    # --- auth, headers
    @app.middleware("http")
    async def _guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        path = request.url.path
        if cfg.token and path.startswith(API_PREFIX + "/"):
            given = request.headers.get("authorization", "")
            expected = f"Bearer {cfg.token}"
            if not secrets.compare_digest(given.encode(), expected.encode()):
                return JSONResponse(
                    {"detail": "authorization: missing or wrong bearer token"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            CSP_DOCS if path == "/docs" else CSP_DASHBOARD
        )
        return response

    if cfg.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cfg.cors_origins),
            allow_methods=["GET", "POST"],
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
    def simulate(req: SimulateRequest) -> Any:
        """Run the alliance model on one scenario.

        ``draws = 0``: the deterministic central case, full series (fast: a few ms, what the
        dashboard's sliders call). ``draws > 0``: Monte Carlo; series are medians with
        5-95% bands, per-country series are medians.
        """
        import natofutures as nf

        if req.draws > cfg.max_draws:
            raise InputError(
                f"draws: value {req.draws} not allowed; expected an integer in "
                f"[0, {cfg.max_draws}] (this server's limit)"
            )
        t_start = time.perf_counter()
        sc = _scenario(req.scenario)
        hz = _horizon(req.horizon, sc, cfg)
        mc = req.draws > 0
        with _slot(heavy, mc):
            ds = nf.simulate(sc, draws=req.draws, seed=req.seed, horizon=hz,
                             variables=SIM_VARIABLES)
        series, by_country, units = _summarise(ds, mc)
        run_id = _record_simulation(cfg, sc, req, hz, ds, series) if req.record else None
        result = dict(
            posture=sc.posture,
            scenario_name=sc.name,
            scenario_hash=sc.hash,
            scenario=_scenario_out(sc),
            draws=req.draws,
            seed=req.seed,
            deterministic=not mc,
            years=[int(y) for y in ds.year.to_numpy()],
            countries=_country_list(ds),
            series=series,
            by_country=by_country,
            units=units,
            labels=LABELS,
            data_version=str(ds.attrs["data_version"]),
            package_version=str(ds.attrs["package_version"]),
            elapsed_ms=0.0,
            run_id=run_id,
        )
        # built from validated parts; skip re-validating ~5,000 numbers (the slider's hot path)
        result["elapsed_ms"] = round((time.perf_counter() - t_start) * 1000, 2)
        return JSONResponse(result)

    @app.post(f"{API_PREFIX}/compare", tags=["analysis"], responses=errors)
    def compare(req: CompareRequest) -> dict[str, Any]:
        """Score and rank scenarios under every perspective; forecast which NATO emerges.

        Returns ``nf.compare(...).to_dict()`` (postures, criteria with median and 90% band,
        rankings with SMAA rank probabilities per perspective, adoption forecast, summary lines,
        run inputs) plus criterion metadata and ``elapsed_ms``.
        """
        import natofutures as nf
        from natofutures.analysis import perspectives as persp
        from natofutures.analysis.criteria import CRITERIA

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
        t_start = time.perf_counter()
        with _slot(heavy, True):
            res = nf.compare(
                scenarios,
                draws=req.draws,
                seed=req.seed,
                horizon=req.horizon,
                perspectives=list(req.perspectives) or None,
                smaa_samples=req.smaa_samples,
            )
        out = res.to_dict()
        out["criteria_info"] = {
            c.name: {"label": c.label, "unit": c.unit, "direction": c.direction_word}
            for c in CRITERIA.values()
        }
        out["perspectives_info"] = {
            p.name: {"label": p.label} for p in res.perspectives
        }
        out["elapsed_ms"] = round((time.perf_counter() - t_start) * 1000, 2)
        return _jsonable(out)

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
        import json
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
    return [
        CountryOut(iso3=str(c), name=str(n), role=str(r), european=bool(e)).model_dump()
        for c, n, r, e in zip(
            ds.country.to_numpy(),
            ds.country_name.to_numpy(),
            ds.role.to_numpy(),
            ds.european.to_numpy(),
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
