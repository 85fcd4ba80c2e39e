"""Request bodies validated strictly, as the schema says: JSON types exactly (no booleans or
strings for numbers, anywhere in the body, nested scenario parts included).

FastAPI validates bodies in pydantic's lax mode, which turns ``"seed": false`` into 0 and
``"year": "2030"`` into 2030, although ``/openapi.json`` says integer. The routes therefore take
their body through :func:`json_body` (a dependency that validates with ``strict=True``) and
declare it in the schema with the same model (``openapi_extra``).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

__all__ = ["BODY_MODELS", "json_body"]

#: models used as request bodies (their schemas are added to ``components.schemas``)
BODY_MODELS: dict[str, type[BaseModel]] = {}


def json_body(model: type[BaseModel], *, dependency: bool = False) -> Any:
    """The ``openapi_extra`` declaring ``model`` as the JSON body, or (``dependency=True``) the
    dependency that parses and strictly validates it."""
    BODY_MODELS[model.__name__] = model
    if not dependency:
        return {
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}
                    }
                },
            }
        }

    async def parse(request: Request) -> Any:
        raw = await request.body()
        if not raw.strip():
            raise RequestValidationError(
                [{"loc": ("body",), "msg": "expected a JSON object", "type": "missing",
                  "input": None}]
            )
        try:
            return model.model_validate_json(raw, strict=True)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None

    return parse


def add_body_schemas(schema: dict[str, Any]) -> None:
    """Add every body model's JSON schema (and the models it uses) to ``components.schemas``."""
    comps = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, model in BODY_MODELS.items():
        js = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, sub in js.pop("$defs", {}).items():
            comps.setdefault(def_name, sub)
        comps[name] = js
