"""User-facing errors.

Every error a user can cause (a bad scenario field, an unknown country, a negative draw
count) is raised as a :class:`NatoFuturesError` whose message is one line naming the field,
the value and what is allowed. The CLI prints that line and exits with status 2; the web
service turns it into a 4xx. Anything else is a bug and keeps its traceback.

    NatoFuturesError
    ├── InputError        bad value from the user (CLI option, API field, Python argument)
    │   └── ScenarioError a scenario / posture / parameter file that does not validate
    └── DataError         bundled data or catalogue missing or inconsistent
"""

from __future__ import annotations


class NatoFuturesError(Exception):
    """Base class for every error a user can cause; the message is one line."""

    exit_code: int = 2


class InputError(NatoFuturesError, ValueError):
    """A value supplied by the user is not allowed."""


class ScenarioError(InputError):
    """A scenario, posture or parameter file does not validate."""


class DataError(NatoFuturesError):
    """Bundled data or the catalogue is missing, stale or inconsistent."""


def short_repr(value: object, limit: int = 60) -> str:
    """``repr(value)`` on one line, cut to ``limit`` characters (never a 2 kB object dump)."""
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def not_allowed(field: str, value: object, allowed: str) -> InputError:
    """Build the standard one-line message: field, offending value, what is allowed."""
    return InputError(f"{field}: {short_repr(value)} is not allowed; expected {allowed}")
