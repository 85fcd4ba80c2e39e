"""Request bodies validated strictly, as the schema says: JSON types exactly (no booleans or
strings for numbers, anywhere in the body, nested scenario parts included).

FastAPI validates bodies in pydantic's lax mode, which turns ``"seed": false`` into 0 and
``"year": "2030"`` into 2030, although ``/openapi.json`` says integer. Integral numbers written
with a fraction (``725.0``) are integers in JSON Schema and are taken as such. The routes
therefore take their body through :func:`json_body` (a dependency that validates with
``strict=True``) and declare it in the schema with the same model (``openapi_extra``).
"""

from __future__ import annotations

import json
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
            data = _integral_floats_as_ints(json.loads(raw))
        except (ValueError, RecursionError):
            raise RequestValidationError(
                [{"loc": ("body",), "msg": "expected a JSON object (the body is not valid JSON)",
                  "type": "json_invalid", "input": None}]
            ) from None
        try:
            return model.model_validate_json(json.dumps(data), strict=True)
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None

    return parse


def _integral_floats_as_ints(value: Any) -> Any:
    """``725.0`` -> ``725`` everywhere: JSON Schema's integers include them (a number field
    still takes the int); booleans and strings are left for strict validation to refuse."""
    if isinstance(value, dict):
        return {k: _integral_floats_as_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral_floats_as_ints(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def add_body_schemas(schema: dict[str, Any]) -> None:
    """Add every body model's JSON schema (and the models it uses) to ``components.schemas``."""
    comps = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, model in BODY_MODELS.items():
        js = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for def_name, sub in js.pop("$defs", {}).items():
            comps.setdefault(def_name, sub)
        comps[name] = js
