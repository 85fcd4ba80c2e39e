"""The HTTP contract: one-line errors naming the field, and ``/openapi.json`` stating this
server's limits as the bounds of the fields they limit.

Errors are ``{"detail": "<field>: <what is wrong>; <what is allowed>"}``; an unknown field gets
a "did you mean" from the body's own field paths (``unknown field 'posture' — did you mean
scenario.posture?``), and several problems are counted (``(and 2 more problem(s))``).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from natofutures.errors import DataError, InputError, NatoFuturesError
from natofutures.service.body import BODY_MODELS, add_body_schemas
from natofutures.service.jobs import JobsFullError
from natofutures.service.shares import shares_schema
from natofutures.service.state import ServerBusyError, ServiceConfig

__all__ = ["install_error_handlers", "install_openapi", "validation_message"]

#: pydantic's union-branch labels in error locations ("float", "dict[int,float]" ...) and the
#: tags of the shock and distribution unions ("war", "normal" ...): not part of the field path
_TYPE_LABEL = re.compile(
    r"^(float|int|str|bool|none|function-\w+|[\w-]+\[.*\]|intentions|spending|gdp"
    r"|us_withdrawal|us_allocation|energy_cutoff|war|normal|lognormal|uniform|triangular)$"
)


def _field_paths(model: type[BaseModel], prefix: str = "", depth: int = 0) -> list[str]:
    """Dotted paths of a model's fields (by alias), nested models included (three levels)."""
    out: list[str] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{info.alias or name}"
        out.append(path)
        ann = info.annotation
        if depth < 3 and isinstance(ann, type) and issubclass(ann, BaseModel):
            out += _field_paths(ann, f"{path}.", depth + 1)
    return out


def _did_you_mean(name: str, where: list[str], model: type[BaseModel] | None) -> str:
    """`` — did you mean X?``: a close field name here, else the same name elsewhere."""
    if model is None:
        return ""
    paths = _field_paths(model)
    here = ".".join(where)
    local = (
        [p[len(here) + 1:] for p in paths if p.startswith(here + ".")] if here
        else [p for p in paths if "." not in p]
    )
    close = difflib.get_close_matches(name, local, n=1, cutoff=0.75)
    if close:
        return f" — did you mean {f'{here}.' if here else ''}{close[0]}?"
    elsewhere = [p for p in paths if p == name or p.endswith(f".{name}")]
    if elsewhere:
        return f" — did you mean {elsewhere[0]}?"
    return ""


def _dotted(parts: list[Any]) -> str:
    """``["scenarios", 1, "posture"]`` -> ``scenarios[1].posture`` (the library's style)."""
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def validation_message(errors: list[Any], model: type[BaseModel] | None = None) -> str:
    """One line for pydantic/FastAPI validation errors: the first problem, and how many more."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    loc = [
        p for p in first.get("loc", ())
        if p not in ("body", "query", "path") and not _TYPE_LABEL.match(str(p))
    ]
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    if first.get("type") == "extra_forbidden" and loc:
        name, where = str(loc[-1]), loc[:-1]
        at = f"{_dotted(where)}: " if where else ""
        hint = _did_you_mean(name, [str(w) for w in where if not isinstance(w, int)], model)
        return f"{at}unknown field {name!r}{hint or '; not a field of this request'}{more}"
    where_text = _dotted(loc) or "body"
    value = first.get("input")
    shown = repr(value) if value is not None and len(repr(value)) <= 60 else "given"
    msg = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where_text}: value {shown} not allowed; {msg[:1].lower()}{msg[1:]}{more}"


def _body_model(request: Request) -> type[BaseModel] | None:
    route = request.scope.get("route")
    extra = getattr(route, "openapi_extra", None) or {}
    ref = (
        extra.get("requestBody", {}).get("content", {}).get("application/json", {})
        .get("schema", {}).get("$ref", "")
    )
    return BODY_MODELS.get(ref.rsplit("/", 1)[-1])


def install_error_handlers(app: FastAPI) -> None:
    """User errors 4xx with one line; server-side data problems 500; busy 503; full 429."""

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
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {"detail": validation_message(list(exc.errors()), _body_model(request))},
            status_code=422,
        )


def _set_max(prop: dict[str, Any], maximum: int) -> None:
    """Set ``maximum`` on an integer property (inside ``anyOf`` for a nullable one)."""
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") == "integer":
            branch["maximum"] = maximum


def install_openapi(app: FastAPI, cfg: ServiceConfig) -> None:
    """``/openapi.json`` with the strict body models and this server's limits as maxima."""
    limits = {
        ("SimulateRequest", "draws"): cfg.max_draws,
        ("CompareRequest", "draws"): cfg.max_compare_draws,
        ("CompareRequest", "smaa_samples"): cfg.max_smaa_samples,
        ("RobustRequest", "samples"): cfg.max_robust_samples,
        ("RobustRequest", "horizon"): cfg.max_horizon,
        ("SimulateRequest", "horizon"): cfg.max_horizon,
        ("CentralRequest", "horizon"): cfg.max_horizon,
        ("CompareRequest", "horizon"): cfg.max_horizon,
        ("ScenarioIn", "horizon"): cfg.max_horizon,
    }

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = FastAPI.openapi(app)
        add_body_schemas(schema)
        comps = schema["components"]["schemas"]
        for (model, field), maximum in limits.items():
            if model in comps:
                _set_max(comps[model]["properties"][field], maximum)
        if "ScenarioIn" in comps:
            comps["ScenarioIn"].update(shares_schema())
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
