"""``natofutures serve``: the web dashboard and JSON API (FastAPI + uvicorn).

fastapi and uvicorn are imported inside the command so that ``natofutures --help`` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from natofutures.cli._app import app, console_err
from natofutures.errors import InputError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@app.command("serve")
def serve_cmd(
    host: str = typer.Option(
        "127.0.0.1", help="Address to bind (other than loopback needs --token)."
    ),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    token: str | None = typer.Option(
        None,
        help="Bearer token required on /api requests (default: NATOFUTURES_TOKEN).",
        show_default=False,
    ),
    max_draws: int = typer.Option(5000, min=0, help="Largest Monte Carlo draw count per request."),
    max_horizon: int = typer.Option(2075, min=2025, max=2100, help="Latest horizon year allowed."),
    max_compare_draws: int = typer.Option(
        1000, min=0, help="Largest Monte Carlo draw count per posture of a compare request."
    ),
    max_smaa_samples: int = typer.Option(
        100_000, min=1, help="Largest SMAA sample count of a compare request."
    ),
    max_robust_samples: int = typer.Option(
        1000, min=20, help="Largest number of sampled futures of a robust job."
    ),
    store: Path | None = typer.Option(
        None, "--store", help="Runs store folder (default: NATOFUTURES_STORE or user data dir)."
    ),
    cors_origin: list[str] = typer.Option(
        [], "--cors-origin", help="Allow cross-origin requests from this origin (repeatable)."
    ),
) -> None:
    """Serve the dashboard at http://HOST:PORT/, the API under /api, docs at /docs.

    Example: natofutures serve --port 8000
    """
    token = token or os.environ.get("NATOFUTURES_TOKEN") or None
    if host not in LOOPBACK and not token:
        raise InputError(
            f"--host: value {host!r} not allowed without a token; give --token or set "
            "NATOFUTURES_TOKEN (API requests then need 'Authorization: Bearer TOKEN')"
        )
    try:
        # natofutures.service names every missing package of the extra in its ImportError
        from natofutures.service.app import ServiceConfig, create_app
    except ImportError as exc:
        raise InputError(
            "serve: the web service is an optional extra and is not installed "
            f"({str(exc).splitlines()[0]}); expected: pip install 'natofutures[service]'"
        ) from None
    import uvicorn

    config = ServiceConfig(
        max_draws=max_draws,
        max_horizon=max_horizon,
        max_compare_draws=max_compare_draws,
        max_smaa_samples=max_smaa_samples,
        max_robust_samples=max_robust_samples,
        token=token,
        store=store,
        cors_origins=tuple(cors_origin),
        warmup=True,
    )
    shown = f"[{host}]" if ":" in host else host
    console_err.print(
        f"natofutures dashboard: http://{shown}:{port}/  (API docs: /docs; Ctrl-C to stop)",
        highlight=False,
    )
    uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
