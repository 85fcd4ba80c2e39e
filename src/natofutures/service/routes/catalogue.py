"""What the model and its data are: health, postures, parameters, perspectives, criteria,
countries and the country-year panel. Read-only, cheap, from the package's public functions."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from natofutures.service._json import records
from natofutures.service.models import (
    Health,
    LeverOut,
    ParameterOut,
    PerspectiveOut,
    PostureDetail,
    PostureName,
    PostureSummary,
)
from natofutures.service.routes._common import ERRORS, NOT_FOUND
from natofutures.service.state import API_PREFIX, ServiceConfig, config

router = APIRouter(prefix=API_PREFIX)


def _country_codes() -> tuple[str, ...]:
    from natofutures.data import countries

    return tuple(sorted(str(c) for c in countries()["iso3"]))


def _panel_years() -> tuple[int, int]:
    from natofutures.data import latest_year, panel

    return int(panel()["year"].min()), int(latest_year())


#: first and last year of the bundled panel (the bounds of ``year``)
PANEL_YEARS = _panel_years()
#: ISO3 codes of the bundled country table (an enum in the schema)
CountryCode = Literal[_country_codes()]  # type: ignore[valid-type]


def version() -> str:
    from natofutures import __version__

    return __version__


@lru_cache(maxsize=1)
def posture_names() -> tuple[str, ...]:
    from natofutures.scenario import posture_names as names

    return tuple(names())


@router.get("/health", response_model=Health, tags=["service"])
def health(cfg: ServiceConfig = Depends(config)) -> Health:
    """Service status, versions and this server's input limits."""
    from natofutures.data import data_version

    return Health(status="ok", version=version(), data_version=data_version(), limits=cfg.limits())


@router.get("/postures", response_model=list[PostureSummary], tags=["model"])
def postures() -> list[PostureSummary]:
    """The built-in postures (the essay's four futures of NATO)."""
    import natofutures as nf

    out = []
    for n in posture_names():
        sc = nf.posture(n)
        out.append(PostureSummary(name=n, title=sc.posture_title, summary=sc.posture_summary))
    return out


@router.get(
    "/postures/{name}",
    response_model=PostureDetail,
    tags=["model"],
    responses={404: NOT_FOUND, **ERRORS},
)
def posture_detail(name: str) -> Any:
    """Every lever a posture sets, with its value, unit and the essay's reason."""
    import natofutures as nf
    from natofutures.parameters import load_yaml
    from natofutures.scenario import parameter_table

    if name not in posture_names():
        return JSONResponse(
            {
                "detail": f"name: value {name[:60]!r} not allowed; expected one of "
                f"{', '.join(posture_names())}"
            },
            status_code=404,
        )
    sc = nf.posture(name)
    levers = []
    for path, spec in parameter_table().items():
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
    raw = load_yaml(f"postures/{name}.yaml")
    essay = str(raw.get("essay", "")) if isinstance(raw, dict) else ""
    return PostureDetail(
        name=name, title=sc.posture_title, summary=sc.posture_summary, essay=essay, levers=levers
    )


@router.get(
    "/parameters", response_model=list[ParameterOut], tags=["model"], responses=ERRORS
)
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


@router.get("/perspectives", response_model=list[PerspectiveOut], tags=["analysis"])
def perspectives() -> list[PerspectiveOut]:
    """The bundled perspectives: weights each school of thought puts on the criteria."""
    from natofutures.analysis import perspectives as persp
    from natofutures.analysis.criteria import CRITERION_NAMES

    return [
        PerspectiveOut(
            name=p.name,
            label=p.label,
            rationale=p.rationale.strip(),
            source=p.source,
            concentration=p.concentration,
            weights=dict(zip(CRITERION_NAMES, p.vector(), strict=True)),
        )
        for p in persp.load_all()
    ]


@router.get("/criteria", tags=["analysis"])
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


@router.get("/countries", tags=["data"])
def countries() -> list[dict[str, Any]]:
    """Bundled country table: ISO3, name, role, NATO accession, region, capital, lat/lon."""
    from natofutures.data import countries as load

    return records(load())


@router.get("/data/panel", tags=["data"], responses=ERRORS)
def panel(
    year: int | None = Query(
        None, ge=PANEL_YEARS[0], le=PANEL_YEARS[1], description="Only this year (of the data)."
    ),
    country: CountryCode | None = Query(  # type: ignore[valid-type]
        None, description="Only this country (ISO3 code of GET /api/countries)."
    ),
) -> list[dict[str, Any]]:
    """Country-year panel: GDP, defence spending and burden, population, personnel ...

    Units: see docs/data.md; missing values are null, never 0. A year without data gives [].
    """
    from natofutures.data import panel as load_panel

    df = load_panel(
        countries=[str(country)] if country else None, years=[year] if year is not None else None
    )
    return records(df)


__all__ = ["PostureName", "router"]
