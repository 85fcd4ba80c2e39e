"""Response declarations shared by the routers."""

from __future__ import annotations

from typing import Any

from natofutures.service.models import ErrorOut

ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut, "description": "Invalid input; the message names the field."},
    413: {"model": ErrorOut, "description": "Request body too large."},
}
NOT_FOUND = {"model": ErrorOut, "description": "No such resource; the message names the field."}
