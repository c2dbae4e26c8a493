"""Speaker resolution and denials on small articles written in the style of real failures.

Each case is a failure seen in a 272-article corpus (issue 13): a role noun given to the
person named in between, "she said" given to the man the quotation is about, a person named
inside a quotation taken as the antecedent, "dismissed" read as "denied".
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from storyline.annotate import article_from_text
from storyline.model import Claim, Quote
from storyline.stages.attribution.claims import find_claims
from storyline.stages.attribution.quotes import find_quotes
from storyline.stages.entities import find_mentions

if TYPE_CHECKING:
    from spacy.language import Language

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The shared English pipeline."""
    from storyline.nlp import english

    return english()


def annotate(nlp: Language, text: str) -> tuple[tuple[Quote, ...], tuple[Claim, ...]]:
    """Quotes and claims of ``text`` as one article of an outlet."""
    article = replace(article_from_text(text, None, "t"), outlet="Daily Example")
    doc = nlp(text)
    mentions = find_mentions(article, doc)
    quotes = find_quotes(article, doc, mentions)
    return quotes, find_claims(article, doc, mentions, quotes)


def quote_with(quotes: tuple[Quote, ...], words: str) -> Quote:
    (quote,) = [q for q in quotes if words in q.text]
    return quote


def test_role_noun_goes_to_the_titled_person(nlp: Language) -> None:
    """ "the governor" is the governor named before, not the premier named in between."""
    text = (
        "Governor John Baird announced on Monday that Premier Li Wen had been arrested in "
        'the capital. "This is a dark day for our province," the governor said.'
    )
    quotes, _ = annotate(nlp, text)
    speaker = quote_with(quotes, "dark day").speaker_name or ""
    assert "Baird" in speaker
    assert "Li Wen" not in speaker


def test_pronoun_goes_to_the_subject_not_the_person_spoken_about(nlp: Language) -> None:
    """ "she said" after a sentence about a man is the woman who spoke, never the man."""
    text = (
        "Hillary Clinton spoke at the memorial for Chris Stevens, the ambassador who was "
        'killed in Benghazi. "He gave his life for his country," she said.'
    )
    quotes, _ = annotate(nlp, text)
    assert quote_with(quotes, "gave his life").speaker_name == "Hillary Clinton"


def test_person_named_inside_a_quotation_is_no_antecedent(nlp: Language) -> None:
    """A name inside someone's quotation is not who "she" is in the next quotation."""
    text = (
        "Senator Mary Smith met voters in Ohio on Friday.\n\n"
        '"I spoke with Joe Biden this morning," she said. "He agrees with us," she added.'
    )
    quotes, _ = annotate(nlp, text)
    assert quote_with(quotes, "He agrees").speaker_name == "Mary Smith"


def test_denial_is_given_to_its_denier_and_points_back(nlp: Language) -> None:
    """ "Pyongyang denied those claims": Pyongyang denies the accusation before it."""
    text = (
        "The United States accused North Korea of supplying rockets to Russia. "
        "Pyongyang denied those claims on Sunday."
    )
    _, claims = annotate(nlp, text)
    (denial,) = [c for c in claims if c.polarity == "denied"]
    (accusation,) = [c for c in claims if c.cue_class == "accuse"]
    assert denial.attributed_to == ("Pyongyang",)
    assert denial.cue_class == "deny"
    assert denial.denies == accusation.id


@pytest.mark.parametrize(
    ("text", "cue_class", "polarity"),
    [
        ("The ministry denied the report about the arms shipments.", "deny", "denied"),
        ("The ministry disputed the figures in the report on Monday.", "dispute", "denied"),
        ("The judge dismissed the lawsuit against the company on Friday.", "dismiss", "asserted"),
        ("The ministry said that the shipments had arrived in the port.", "assert", "asserted"),
    ],
)
def test_denial_dispute_and_dismissal_are_kept_apart(
    nlp: Language, text: str, cue_class: str, polarity: str
) -> None:
    """Only a denial or a dispute contests a claim; "dismissed" is not "denied"."""
    _, claims = annotate(nlp, text)
    attributed = [c for c in claims if c.cue is not None]
    assert attributed, claims
    assert attributed[0].cue_class == cue_class
    assert attributed[0].polarity == polarity


def test_a_name_set_after_its_noun_is_the_speaker(nlp: Language) -> None:
    """ "The Post columnist Ruth Marcus wrote": the speaker is Ruth Marcus, and the speaker
    phrase runs to her name (a close apposition, with no comma: part of the phrase)."""
    text = "The Washington Post columnist Ruth Marcus wrote that the plan was a mistake."
    quotes, _ = annotate(nlp, text)
    quote = quote_with(quotes, "the plan was a mistake")
    assert quote.speaker_name == "Ruth Marcus"
    assert quote.speaker_span is not None
    assert text[quote.speaker_span.start : quote.speaker_span.end].endswith("Ruth Marcus")
    # an appositive set off by commas stays out of the phrase, and names the speaker
    text = "Howard Rubel, a senior analyst at Jefferies, said the deal was done."
    quote = quote_with(annotate(nlp, text)[0], "the deal was done")
    assert quote.speaker_name == "Howard Rubel"
    assert quote.speaker_span is not None
    assert text[quote.speaker_span.start : quote.speaker_span.end] == "Howard Rubel"
