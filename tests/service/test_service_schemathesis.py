"""Property-based API fuzzing: schemathesis generates requests from the app's own /openapi.json.

Every operation gets up to ``EXAMPLES`` generated cases (over 1,000 in all) and every
schemathesis check runs on each answer: no server error, status codes and bodies as documented,
schema-valid requests accepted and schema-violating ones refused, ``Allow`` on 405, a deleted
job gone. The job endpoints are among them: generated bodies start, poll and cancel real jobs.
The app uses small limits (max 50 draws, SMAA samples 2,000) so that the cases run in seconds.
The same against ``natofutures serve`` with ``schemathesis run --checks all``: docs/service.md.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

from natofutures.service.app import ServiceConfig, create_app
from tests.service.conftest import TEST_LIMITS

EXAMPLES = 30
CASES: list[str] = []

_STORE = Path(tempfile.mkdtemp(prefix="natofutures-fuzz-store-"))
_app = create_app(ServiceConfig(warmup=True, store=_STORE, **TEST_LIMITS))
schema = schemathesis.openapi.from_asgi("/openapi.json", _app)


@pytest.fixture(scope="module", autouse=True)
def _stop_jobs() -> Iterator[None]:
    """Generated POST /api/jobs/... cases start real jobs: cancel what is left at the end."""
    yield
    _app.state.jobs.shutdown()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_api_never_fails_on_generated_requests(case: schemathesis.Case) -> None:
    CASES.append(f"{case.method} {case.path}")
    # every built-in check; a compare computes its Shapley attribution (a few engine runs per
    # posture), which on a loaded 2-core machine can pass the client's default 10 s
    case.call_and_validate(timeout=120)


def test_at_least_a_thousand_cases_ran() -> None:
    """Guard: the generated suite above really exercised the API (runs after it in this file)."""
    print(f"{len(CASES)} generated cases")
    assert len(CASES) >= 1000, f"only {len(CASES)} generated cases ran"
    assert any(c.startswith("POST /api/jobs/") for c in CASES)
    assert any(c.startswith("DELETE /api/jobs/") for c in CASES)
