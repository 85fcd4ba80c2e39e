"""Fixtures of the service tests: an app with small limits, an in-process client, a live server.

The live server is uvicorn on 127.0.0.1 (a free port) in a background thread; browser tests
drive Debian's Chromium through Playwright (never a downloaded browser).
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette's TestClient warns that it prefers `httpx2`; httpx works and is what we install.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from natofutures.service.app import ServiceConfig, create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
#: small limits keep generated cases fast
TEST_LIMITS: dict[str, Any] = {
    "max_draws": 50,
    "max_compare_draws": 20,
    "max_smaa_samples": 2000,
    "max_robust_samples": 20,
    "max_horizon": 2050,
    "max_body_bytes": 16 * 1024,
}


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runs-store")


@pytest.fixture(scope="session")
def config(store_dir: Path) -> ServiceConfig:
    return ServiceConfig(store=store_dir, warmup=True, **TEST_LIMITS)


@pytest.fixture(scope="session")
def client(config: ServiceConfig) -> Iterator[TestClient]:
    with TestClient(create_app(config)) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_app(store_dir: Path) -> Any:
    """The app behind :func:`live_server` (tests read its job registry)."""
    cfg = ServiceConfig(
        store=store_dir, warmup=True, max_draws=500, max_compare_draws=100, max_smaa_samples=20000,
        max_robust_samples=50,
    )
    return create_app(cfg)


@pytest.fixture(scope="session")
def live_server(live_app: Any) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1 in a background thread; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(live_app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright; fails (never skips) if it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` (it installs Chromium through "
            "scripts/ensure_chromium.sh) or `bash scripts/ensure_chromium.sh`"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def slow_engine(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make every Monte Carlo call of the engine take ``seconds`` longer (a slow machine).

    Results are unchanged (the real engine still runs); jobs then last long enough for a test
    to watch their progress and cancel them. Covers ``nf.simulate`` (simulate jobs) and the
    engine module's ``simulate`` (what ``nf.compare`` calls).
    """
    import natofutures
    import natofutures.engine.simulate as engine

    real = engine.simulate

    def slowed(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("draws", args[1] if len(args) > 1 else 0):
            time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(natofutures, "simulate", slowed)
    monkeypatch.setattr(engine, "simulate", slowed)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
