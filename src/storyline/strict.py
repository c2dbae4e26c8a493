"""Strict mode and stage isolation: a failing stage is recorded, or raises in strict mode.

Builds isolate failures so one odd article (or story) cannot stop a corpus; tests and
debugging want the traceback instead. ``STORYLINE_STRICT=1`` (or ``strict=True`` where a
function takes it) turns isolation off; the test suite sets it for every test but those
that check isolation itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from storyline.model import StageProblem

ENV = "STORYLINE_STRICT"
T = TypeVar("T")


def is_strict(strict: bool | None = None) -> bool:
    """``strict`` when given, else whether ``STORYLINE_STRICT`` is set to a true value."""
    if strict is not None:
        return strict
    return os.environ.get(ENV, "").strip().lower() in ("1", "true", "yes", "on")


def problem_of(exc: BaseException, stage: str, article_id: str = "", **extra: Any) -> StageProblem:
    """The record of a stage failure (the sentence, when the stage attached one)."""
    sentence = getattr(exc, "sentence", None)
    return StageProblem(
        article_id=article_id,
        stage=stage,
        error=type(exc).__name__,
        message=str(exc)[:500],
        sentence=sentence[:500] if isinstance(sentence, str) else None,
        **extra,
    )


class Guard:
    """Runs the stages of one article or one story, each isolated from the others.

    ``guard.run("quotes", find, ())`` returns what ``find()`` returns, or records a
    :class:`StageProblem` in ``guard.problems`` and returns the fallback, so the stages
    after it still run on what did succeed. In strict mode the exception propagates.
    """

    def __init__(
        self, *, article_id: str = "", story_id: str | None = None, strict: bool | None = None
    ) -> None:
        self.article_id = article_id
        self.story_id = story_id
        self.raise_ = is_strict(strict)
        self.problems: list[StageProblem] = []

    def run(self, stage: str, step: Callable[[], T], fallback: T) -> T:
        """``step()``, or ``fallback`` with the failure recorded."""
        if self.raise_:
            return step()
        try:
            return step()
        except Exception as exc:  # isolation: record it, keep the other stages' results
            extra = {"story_id": self.story_id} if self.story_id else {}
            self.problems.append(problem_of(exc, stage, self.article_id, **extra))
            return fallback
