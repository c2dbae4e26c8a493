"""Attributed claims on hand-built sentences (loads the spaCy model)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from storyline.annotate import article_from_text
from storyline.model import Article, Claim, header_text, span_text
from storyline.stages.attribution.claims import find_claims, headline_claims
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


def claims(nlp: Language, text: str, outlet: str = "Daily Example") -> tuple[Claim, ...]:
    """Claims of ``text`` as one article of ``outlet``."""
    article = replace(article_from_text(text, None, "t"), outlet=outlet)
    doc = nlp(text)
    mentions = find_mentions(article, doc)
    return find_claims(article, doc, mentions, find_quotes(article, doc, mentions))


def test_outlet_voice_is_a_fact(nlp: Language) -> None:
    """A plain sentence of the outlet is a fact attributed to the outlet."""
    found = claims(nlp, "The company opened three new factories in Ohio last year.")
    assert found[0].attributed_to == ("Daily Example",)
    assert found[0].stance == "fact"


def test_wire_copy_is_attributed_to_the_wire(nlp: Language) -> None:
    """Wire copy speaks with the agency's voice."""
    text = "The company opened three new factories in Ohio last year."
    article = replace(article_from_text(text, None, "t"), outlet="Some Paper", wire="Reuters")
    doc = nlp(text)
    mentions = find_mentions(article, doc)
    found = find_claims(article, doc, mentions, find_quotes(article, doc, mentions))
    assert found[0].attributed_to == ("Reuters",)


def test_hedged_analyst_view(nlp: Language) -> None:
    """An analyst's hedged assessment is a view with its hedges kept."""
    text = (
        "Peter Chang, an analyst at the Lowy Institute, said the visits likely aim "
        "at boosting exports to Russia."
    )
    quoted = [c for c in claims(nlp, text) if "Peter Chang" in c.attributed_to]
    assert quoted and quoted[0].stance == "view"
    assert "likely" in quoted[0].hedges
    assert not quoted[0].text.startswith("that")


def test_denial_points_back(nlp: Language) -> None:
    """ "X denied those claims" is a denial linked to the accusation before it."""
    text = (
        "The United States has accused Russia of supplying weapons to the rebels.\n\n"
        "Russia has denied those claims."
    )
    found = claims(nlp, text)
    accusation = next(c for c in found if c.cue_class == "accuse")
    denial = next(c for c in found if c.polarity == "denied")
    assert "United States" in accusation.attributed_to
    assert denial.denies == accusation.id
    assert "Russia" in denial.attributed_to


def test_headings_are_not_claims(nlp: Language) -> None:
    """A heading-like line without a finite verb is no claim."""
    assert claims(nlp, "Increase in production") == ()


def test_photos_showing_stay_the_outlets_fact(nlp: Language) -> None:
    """ "Photos showed X" is the outlet's single-source fact, its whole sentence the claim."""
    text = "Photos showed the mayor cutting a ribbon outside the new library."
    found = claims(nlp, text)
    assert [c.attributed_to for c in found] == [("Daily Example",)]
    assert found[0].text.startswith("Photos showed the mayor")
    assert found[0].stance == "fact"


def test_directive_claims_carry_their_object(nlp: Language) -> None:
    """ "urged X to move ahead with the production of Y": the object is Y, down the "of" chain."""
    text = (
        "The mayor urged the council to move ahead with the construction of new bridges. "
        "The council opened three new factories in Ohio last year."
    )
    found = claims(nlp, text)
    urged = [c for c in found if c.cue_class == "urge"]
    assert [c.objects for c in urged] == [("bridge",)]
    assert all(c.objects == () for c in found if c.cue_class != "urge")


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        # a complement after the cue: the claim reads from the speaker on
        (
            "The mayor urged the council to move ahead with the construction of new bridges.",
            "The mayor urged the council to move ahead with the construction of new bridges",
        ),
        # a lowercase clause names its speaker too ("they will ..." says nothing alone)
        (
            "The mayor said that the council will build two new bridges next spring.",
            "The mayor said that the council will build two new bridges next spring",
        ),
        # a clause that reads as a sentence is kept as it is
        (
            "The mayor said Parliament will vote on the bridge budget next spring.",
            "Parliament will vote on the bridge budget next spring",
        ),
    ],
)
def test_fragment_claims_read_as_propositions(nlp: Language, text: str, wording: str) -> None:
    """A claim text starts upper case and has a subject; its span stays the evidence."""
    found = [c for c in claims(nlp, text) if c.cue is not None]
    assert len(found) == 1
    claim = found[0]
    assert claim.text == wording
    content = text[claim.span.start : claim.span.end]
    assert not content.startswith("The mayor")  # the span is the content, the evidence


def test_fragment_claim_after_the_cue_names_the_speaker(nlp: Language) -> None:
    """Lowercase content before ", X said" gets the speaker and the cue put before it."""
    text = "the family would appeal the ruling within a week, Anna Berg said."
    found = [c for c in claims(nlp, text) if c.cue is not None]
    assert [c.text for c in found] == [
        "Anna Berg said the family would appeal the ruling within a week"
    ]
    assert text[found[0].span.start : found[0].span.end].startswith("the family")


def test_report_without_a_proposition_leaves_its_sentence_to_the_outlet(nlp: Language) -> None:
    """ "X echoed the message" is no claim of X, but the sentence is still the outlet's evidence."""
    text = (
        "Foreign Minister Sergei Lavrov echoed the message during a visit to Pyongyang on Sunday."
    )
    found = claims(nlp, text)
    assert len(found) == 1
    assert found[0].attributed_to == ("Daily Example",)
    assert found[0].text.startswith("Foreign Minister Sergei Lavrov echoed")


def test_sentence_coverage_by_bisection_matches_a_scan() -> None:
    import random

    from storyline.stages.attribution.claims import _any_within
    from storyline.text.ranges import Ranges

    rng = random.Random(5)
    for _ in range(300):
        ranges = [(a, a + rng.randint(1, 40)) for a in (rng.randint(0, 200) for _ in range(8))]
        start = rng.randint(0, 220)
        end = start + rng.randint(1, 60)
        covered = {i for a, b in ranges for i in range(a, b)}
        expected = len(covered & set(range(start, end))) / (end - start)
        assert abs(Ranges(ranges).share(start, end) - expected) < 1e-9
        assert Ranges(ranges).contains(start) == (start in covered)
        points = sorted(rng.randint(0, 260) for _ in range(5))
        assert _any_within(points, start, end) == any(start <= p < end for p in points)


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        # an opening pronoun in the outlet's voice: its antecedent, the subject before it
        (
            "Maria Lopez visited the new plant on Monday. "
            "Her tour of the plant came after a long strike by the workers.",
            "Maria Lopez’s tour of the plant",
        ),
        # the pronoun speaker of a report: the resolved speaker's name
        (
            "Maria Lopez visited the new plant on Monday. "
            "She also urged the workers to build more trucks for the army.",
            "Maria Lopez also urged the workers",
        ),
        # the speaker's own first-person words: her name and the cue before them
        (
            "“We will build two new plants in the north next year,” Maria Lopez said.",
            "Maria Lopez said “We will build",
        ),
        # no pronoun: the sentence as it is
        (
            "The workers went back to the plant after the long strike ended.",
            "The workers went back",
        ),
    ],
)
def test_claims_open_with_their_subject(nlp: Language, text: str, opening: str) -> None:
    """A claim never opens with "He"/"Her"/"We": it names who; its span stays the evidence."""
    found = claims(nlp, text)
    assert any(c.text.startswith(opening) for c in found), [c.text for c in found]
    for claim in found:
        first = claim.text.split()[0].lower()
        assert first not in ("he", "she", "his", "her", "we", "they", "their")
        assert claim.span.end <= len(text)


def headline_article(title: str, header: tuple[str, ...] = ()) -> Article:
    """An article with ``title`` and header lines the clean-up set aside."""
    body = "The mayor opened the new bridge on Monday."
    article = replace(article_from_text(body, None, "t"), outlet="Daily Example", title=title)
    return replace(article, removed=tuple(("header", line) for line in header))


def test_a_headline_is_an_outlet_claim_on_its_part(nlp: Language) -> None:
    """The title and a standfirst that state something are the outlet's claims; their spans
    address the title and the header lines, not the body."""
    art = headline_article(
        "Lindsay Lohan checks into rehab facility",
        ("The actress has entered a clinic in Malibu for 90 days", "May 3, 2013"),
    )
    found = headline_claims(art, nlp, "Daily Example")
    assert [(c.span.part, c.text) for c in found] == [
        ("title", "Lindsay Lohan checks into rehab facility"),
        ("header", "The actress has entered a clinic in Malibu for 90 days"),
    ]
    for c in found:
        assert span_text(art, c.span) == c.text and c.attributed_to == ("Daily Example",)
    # find_claims with the parser gives them first, then the body's claims
    doc = nlp(art.text)
    everything = find_claims(art, doc, (), (), nlp)
    assert [c.span.part for c in everything] == ["title", "header", "text"]
    assert [c.span.part for c in find_claims(art, doc, (), ())] == ["text"]


def test_a_headline_that_states_nothing_is_no_claim(nlp: Language) -> None:
    """A date line, a label without a verb, a question and a header line repeating the
    title make no claim."""
    title = "Lohan in rehab again"
    art = headline_article(title, (title, "Updated 4:08 p.m. ET", "Is rehab working for her?"))
    assert header_text(art) == "Updated 4:08 p.m. ET\nIs rehab working for her?"
    assert headline_claims(art, nlp, "Daily Example") == ()


@pytest.mark.parametrize(
    ("title", "claim"),
    [
        ("Lindsay Lohan Checks Into Betty Ford Center", True),  # Title Case: read in sentence case
        ("CHARGERS' WILLIAMS ARRESTED ON SUSPICION OF DUI", True),
        ("Five wounded by quake in southern Iran", True),  # a participle states the event
        ("Wellington supermarket fire", False),  # no verb: a label
        ("Last Updated: Monday, 28 November 2005, 02: 24 GMT", False),  # a dateline
        ("Tuesday, May 24, 2005", False),
    ],
)
def test_headline_forms(nlp: Language, title: str, claim: bool) -> None:
    """Headline forms that state an event are claims; labels and datelines are not."""
    found = headline_claims(headline_article(title), nlp, "Daily Example")
    assert [c.text for c in found] == ([title] if claim else [])


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        # the small tagger reads "blocked" as a participle (VBN) heading the sentence, with
        # its subject and no auxiliary: the finite verb it is
        (
            "An undersea telecommunications cable cut on Tuesday partially blocked internet access in East Africa.",
            True,
        ),
        # a participle with no subject states nothing on its own
        ("Photographed from the air above the harbour near the old town wall.", False),
    ],
)
def test_a_participle_read_for_the_finite_verb_still_states(
    nlp: Language, text: str, claim: bool
) -> None:
    """A lede whose only verb the tagger reads as a participle is still a claim."""
    assert bool(claims(nlp, text)) is claim
