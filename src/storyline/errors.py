"""Every error storyline raises, with a code and a hint at the fix.

The library raises these; only the CLI and the web app turn them into messages.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base class: ``code`` identifies the error, ``hint`` says what to do."""

    code = "E000"
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        text = f"[{self.code}] {super().__str__()}"
        return f"{text} ({self.hint})" if self.hint else text


class InputError(StorylineError):
    """An input could not be read or cleaned."""

    code = "E001"

    def __init__(self, path: str, reason: str, detail: str = "") -> None:
        self.path = path
        self.reason = reason
        self.detail = detail
        super().__init__(f"{path}: {reason}" + (f": {detail}" if detail else ""))


class StoreError(StorylineError):
    """The store is missing, locked, or of an unknown schema."""

    code = "E002"
    hint = "check the --store path, or build a new store with `storyline ingest`"


class NotFoundError(StorylineError):
    """A story or article id that the store does not have."""

    code = "E003"
    hint = "list the ids with `storyline stories`"


class ConfigError(StorylineError):
    """An invalid setting."""

    code = "E004"


class EvalDataError(StorylineError):
    """Evaluation data missing or malformed."""

    code = "E005"
    hint = "pass --data with the folder from ../shared/eval"
