"""The dashboard, the API docs (Swagger UI) and the vendored assets: nothing from a CDN."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

STATIC_DIR = Path(str(resources.files("natofutures.service"))) / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


@router.get("/docs")
def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="natofutures API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


@router.get("/vendor/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.min.js shipped inside the ``plotly`` Python package (no CDN)."""
    path = Path(str(resources.files("plotly"))) / "package_data" / "plotly.min.js"
    return FileResponse(path, media_type="text/javascript")
