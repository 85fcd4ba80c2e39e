"""ASGI middleware of the service: body size limit, bearer token and security headers, and
an exact ``Allow`` header on 405 answers.

Plain ASGI classes (no per-request Request/Response wrapping): they sit on the slider's hot path.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, MutableMapping
from typing import Any

from fastapi.responses import JSONResponse

from natofutures.service.state import API_PREFIX

__all__ = ["AllowHeaderMiddleware", "BodyLimitMiddleware", "GuardMiddleware"]


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


class AllowHeaderMiddleware:
    """On a 405, list in ``Allow`` every method the path accepts (RFC 9110, 15.5.6).

    Starlette answers 405 from the first route whose path matches and lists only that route's
    methods; a path served by two routes (``GET`` and ``DELETE /api/jobs/{id}``) then
    advertises one of them. The methods are read from the app's own OpenAPI paths, so
    ``Allow`` says exactly what ``/openapi.json`` documents.
    """

    def __init__(self, app: Any, schema: Callable[[], dict[str, Any]]) -> None:
        self.app = app
        self.schema = schema
        self._table: list[tuple[re.Pattern[str], list[str]]] | None = None

    def _allowed(self, path: str) -> list[str]:
        if self._table is None:
            table = []
            for template, ops in self.schema().get("paths", {}).items():
                pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
                methods = sorted(m.upper() for m in ops if m in _METHODS)
                table.append((re.compile(f"^{pattern}$"), methods))
            self._table = table
        for compiled, methods in self._table:
            if compiled.match(path):
                return methods
        return []

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_allow(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 405:
                allowed = self._allowed(str(scope.get("path", "")))
                if allowed:
                    headers = [
                        (k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"
                    ]
                    headers.append((b"allow", ", ".join(allowed).encode()))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_allow)


_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
