"""Web service and dashboard (``natofutures serve``): FastAPI JSON API + static dashboard.

Import :func:`natofutures.service.app.create_app` to embed the app; the package itself imports
nothing heavy so that ``natofutures --help`` stays fast.
"""

import importlib.util as _util
import sys as _sys


def _absent(module: str) -> bool:
    if module in _sys.modules:
        return _sys.modules[module] is None  # None: import blocked
    return _util.find_spec(module) is None


_MISSING = [m for m in ("fastapi", "uvicorn") if _absent(m)]
if _MISSING:
    raise ImportError(
        f"natofutures.service needs {' and '.join(_MISSING)}: "
        "pip install 'natofutures[service]'"
    )
