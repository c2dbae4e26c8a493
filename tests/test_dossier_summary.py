"""The dossier summary opens on a reporting sentence, never code, credits or affiliations."""

from __future__ import annotations

import pytest

from storyline.model import AnnotatedArticle, Sentence, Span
from storyline.stages.corpus.dossier import reads_as_prose, summarise
from tests.util import make_article

_REPORT = "Russian drones struck a grain terminal in Odesa overnight, the governor said."
_JS = "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}."
_AFFILIATIONS = (
    "Department of Physics, University of Oxford, Oxford, United Kingdom; "
    "Max Planck Institute for Astronomy, Heidelberg, Germany."
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (_REPORT, True),
        ("“We will rebuild the terminal,” the port's director told reporters.", True),
        ("The ministry said the $5 million fund [sic] would open in May.", True),
        (_JS, False),  # scraped JavaScript
        ("const items = list.map((x) => x.id);", False),
        ("Photo: Jane Doe / Reuters, taken on the pier at dawn.", False),  # a credit line
        ("(Reuters).", False),
        (_AFFILIATIONS, False),  # a list of affiliations: names and commas, no verb
        ("Officials said.", False),  # too short to say anything
        ("Russian drones struck a grain terminal in Odesa overnight", False),  # no end
    ],
)
def test_reads_as_prose(sentence: str, expected: bool) -> None:
    assert reads_as_prose(sentence) is expected


def test_summarise_skips_code_and_affiliations() -> None:
    """The summary's sentence is the first one that reads as prose, in body order."""
    article = make_article(_JS, _AFFILIATIONS, _REPORT, outlet=None)
    spans, pos = [], 0
    for index, text in enumerate((_JS, _AFFILIATIONS, _REPORT)):
        spans.append(Sentence(span=Span(article.id, pos, pos + len(text)), block=index))
        pos += len(text) + 2
    lead = AnnotatedArticle(article=article, sentences=tuple(spans))
    summary = summarise(lead, [article])
    assert summary.startswith(_REPORT)
    assert "function" not in summary and "unknown outlet" in summary
