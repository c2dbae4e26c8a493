"""Strict mode: a failing stage raises instead of being recorded as a problem.

Builds isolate failures so one odd article cannot stop a corpus; tests and debugging
want the traceback instead. ``STORYLINE_STRICT=1`` (or ``strict=True`` where a function
takes it) turns isolation off; the test suite sets it for every test but those that
check isolation itself.
"""

from __future__ import annotations

import os

ENV = "STORYLINE_STRICT"


def is_strict(strict: bool | None = None) -> bool:
    """``strict`` when given, else whether ``STORYLINE_STRICT`` is set to a true value."""
    if strict is not None:
        return strict
    return os.environ.get(ENV, "").strip().lower() in ("1", "true", "yes", "on")
