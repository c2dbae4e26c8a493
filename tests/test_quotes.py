"""Quotation finding on hand-built sentences (loads the spaCy model)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from storyline.annotate import article_from_text
from storyline.model import Quote
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


def quotes(nlp: Language, text: str) -> tuple[Quote, ...]:
    """Quotations of ``text`` as one article."""
    article = article_from_text(text, None, "t")
    doc = nlp(text)
    return find_quotes(article, doc, find_mentions(article, doc))


def speaker_text(text: str, quote: Quote) -> str | None:
    """The speaker phrase of a quote in ``text``."""
    span = quote.speaker_span
    return None if span is None else text[span.start : span.end]


def test_direct_quote_speaker_after(nlp: Language) -> None:
    """A curly-quoted statement followed by "X said" is a direct quote of X, marks excluded."""
    text = "“We will not accept these terms under any circumstances,” Maria Lopez said."
    found = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert len(found) == 1
    assert found[0].text == "We will not accept these terms under any circumstances"
    assert found[0].speaker_name == "Maria Lopez"
    assert found[0].cue == "said"


def test_straight_quotes_speaker_before(nlp: Language) -> None:
    """Straight quotes with the cue before them."""
    text = 'John Smith told reporters: "The bridge will reopen next week after the repairs."'
    found = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert found and found[0].speaker_name == "John Smith"


def test_indirect_speech_and_pronoun(nlp: Language) -> None:
    """ "He said that ..." is indirect speech resolved to the nearest person."""
    text = "Maria Lopez visited the plant on Monday.\n\nShe said that the plant would close in May."
    found = [q for q in quotes(nlp, text) if q.kind == "indirect"]
    assert found[0].speaker_name == "Maria Lopez"
    assert speaker_text(text, found[0]) == "She"
    assert found[0].text.startswith("that the plant")


def test_according_to_uses_full_name(nlp: Language) -> None:
    """ "According to Chang" names the speaker by the fullest name in the article."""
    text = (
        "Peter Chang, an analyst, said the talks had failed.\n\n"
        "According to Chang, the next round will not take place this year."
    )
    found = [q for q in quotes(nlp, text) if q.cue == "According to"]
    assert found and found[0].speaker_name == "Peter Chang"
    assert found[0].text.startswith("the next round")


def test_fragment_speaker_is_clause_subject(nlp: Language) -> None:
    """A quoted phrase inside a reported clause is a fragment of the clause's subject."""
    text = (
        "Anna Berg visited two plants, calling the new furnaces “a national priority” for the year."
    )
    found = [q for q in quotes(nlp, text) if q.kind == "fragment"]
    assert found and found[0].text == "a national priority"
    assert found[0].speaker_name == "Anna Berg"


def test_relay_through_news_agency(nlp: Language) -> None:
    """Words of a leader reported by "the agency" are the leader's, via the agency."""
    text = (
        "Kim cited better production, said state news agency KCNA.\n\n"
        'He called for the mass production of "new engines that will change the balance of power," '
        "the agency said."
    )
    direct = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert direct and direct[0].speaker_name == "Kim"
    assert direct[0].via_name == "KCNA"


def test_multi_paragraph_quote(nlp: Language) -> None:
    """A paragraph left open continues into the next one that reopens the quote."""
    text = (
        "Maria Lopez said: “The first part of the plan is ready and we will start soon.\n\n"
        "“The second part will follow next year when the money arrives.”"
    )
    direct = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert len(direct) == 1
    assert "second part" in direct[0].text
    assert direct[0].speaker_name == "Maria Lopez"


def test_scare_quotes_are_not_quotations(nlp: Language) -> None:
    """A quoted title with no cue above it is no quotation."""
    text = "The band played “American Skin” at the end of the show in Chicago."
    assert not [q for q in quotes(nlp, text) if q.kind != "indirect"]


def test_continued_quote_shares_the_cue(nlp: Language) -> None:
    """ "“A,” she said. “B.”": the second part has the first part's cue and speaker."""
    text = (
        "“The plant will close in May and nobody will lose a job,” Maria Lopez said. "
        "“We have found places for all of the workers in the other plants.”"
    )
    direct = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert len(direct) == 2
    assert direct[0].cue_span == direct[1].cue_span
    assert direct[1].speaker_span == direct[0].speaker_span


def test_interrupted_clause(nlp: Language) -> None:
    """ "Y, X said, Z": the clause around the cue is the content."""
    text = "The latest test, the ministry said, was the biggest one in the history of the program."
    found = [q for q in quotes(nlp, text) if q.cue == "said"]
    assert found and found[0].text.startswith("The latest test")
    assert found[0].text.endswith("program")


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Maria Lopez wants to triple the size of the program.", "wants", "to triple the size"),
        ("The senator plans to release his tax returns next week.", "plans", "to release his"),
        ("The company opposes the new rules on emissions.", "opposes", "the new rules"),
    ],
)
def test_intent_and_attitude_cues(nlp: Language, text: str, cue: str, content: str) -> None:
    """Wanting, planning and opposing are stances of their subject."""
    found = [q for q in quotes(nlp, text) if q.cue == cue]
    assert found and found[0].text.startswith(content)


def test_noun_cue_with_owner(nlp: Language) -> None:
    """ "Contrary to his claim that ..." is the owner's claim."""
    text = (
        "Peter Chang spoke on Monday.\n\nContrary to his claim that prices would fall, they rose."
    )
    found = [q for q in quotes(nlp, text) if q.cue == "claim"]
    assert found and found[0].text.startswith("that prices would fall")
    assert found[0].speaker_name == "Peter Chang"


def test_labelled_paragraph(nlp: Language) -> None:
    """A transcript line "NAME: words" is a statement of NAME."""
    text = "WALLACE: Let us start with the news about the debate tonight."
    found = [q for q in quotes(nlp, text) if q.cue == ":"]
    assert found and found[0].text.startswith("Let us start")
    assert speaker_text(text, found[0]) == "WALLACE"


def test_dash_credit(nlp: Language) -> None:
    """ "“...” ― Name": a quotation credited after a dash."""
    text = "“Maybe we can build a wall around the whole campaign.” ― Steve Quinlan"
    found = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert found and found[0].speaker_name == "Steve Quinlan"


def test_nested_cue_inside_quotation_is_dropped(nlp: Language) -> None:
    """ "I think" inside someone's quotation is no separate report."""
    text = "“I think the plan will fail before the winter comes,” Maria Lopez said."
    found = quotes(nlp, text)
    assert not [q for q in found if q.cue == "think"]
    assert [q for q in found if q.kind == "direct" and q.speaker_name == "Maria Lopez"]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The Senate approved a bill that limits campaign donations.", "approved", "a bill"),
        ("Maria Lopez spoke about the dangers of the new dam.", "spoke", "the dangers"),
        ("She bemoaned the unrest in the city after the shooting.", "bemoaned", "the unrest"),
        ("Maria Lopez congratulated the team on its win.", "congratulated", "the team"),
        ("The mayor said it must end, referring to the strike.", "referring to", "the strike"),
    ],
)
def test_action_cues_with_an_agent(nlp: Language, text: str, cue: str, content: str) -> None:
    """An agent's action on an object (approving, speaking of, bemoaning) is attributed."""
    found = [q for q in quotes(nlp, text) if q.cue == cue]
    assert found and found[0].text.startswith(content)


@pytest.mark.parametrize(
    "text",
    [
        "The storm released a lot of rain on the coast last night.",  # no agent subject
        "Maria Lopez spoke to reporters at the airport on Monday.",  # an audience, no topic
        "The new data challenged the old theory of the crash.",  # no agent subject
    ],
)
def test_action_cues_need_an_agent_and_a_topic(nlp: Language, text: str) -> None:
    """A thing as subject, or "spoke to X", reports nothing."""
    assert not [q for q in quotes(nlp, text) if q.kind == "indirect"]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The governor seems to have changed his mind about the tax.", "seems", "The governor"),
        ("He allegedly brandished a pistol during the run-in.", "allegedly", "He"),
        ("It is clear that the deal will not pass the Senate.", "It is clear", "that the deal"),
    ],
)
def test_unsourced_views(nlp: Language, text: str, cue: str, content: str) -> None:
    """ "X seems to Y", "allegedly", "it is clear that": a view with no source."""
    found = [q for q in quotes(nlp, text) if q.cue == cue]
    assert found and found[0].text.startswith(content)
    assert found[0].speaker_span is None


def test_said_clause_hung_as_adverbial(nlp: Language) -> None:
    """ "said after the convention he would ...": the parser's adverbial is the content."""
    text = "Trump said after the convention he would not accept Cruz's endorsement if offered."
    found = [q for q in quotes(nlp, text) if q.cue == "said"]
    assert found and "would not accept" in found[0].text


def test_trailing_participle_cue_is_its_own_report(nlp: Language) -> None:
    """ "said X, citing Y": X ends at the comma; "citing" reports Y."""
    text = (
        "Foreign policy analysts said geopolitical factors have contributed to the change, "
        "citing the strategic importance of the country."
    )
    found = [q for q in quotes(nlp, text) if q.cue == "said"]
    assert found and found[0].text.endswith("the change")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Satellite imagery showed the convoy crossing the river near the border.", None),
        ("The footage depicts soldiers loading crates onto a truck at night.", None),
        ("The minister showed that the budget had grown by a third since 2019.", "minister"),
    ],
)
def test_media_showing_is_evidence_not_speech(
    nlp: Language, text: str, speaker: str | None
) -> None:
    """Photos or footage that "show" something display it: no quotation; a person's is one."""
    found = [q for q in quotes(nlp, text) if q.cue and q.cue.split()[-1] in ("showed", "depicts")]
    if speaker is None:
        assert found == []
    else:
        assert [(speaker_text(text, q) or "").lower() for q in found] == [f"the {speaker}"]


def test_two_apostrophes_are_a_quote_mark(nlp: Language) -> None:
    """``''A,'' X said. ''B.''`` (newspaper archive style): two direct quotes, one cue."""
    text = (
        "''We are ready to sign the deal as soon as tomorrow,'' Maria Lopez said. "
        "''The rest of the plan can wait until the spring.''"
    )
    direct = [q for q in quotes(nlp, text) if q.kind == "direct"]
    assert [q.text for q in direct] == [
        "We are ready to sign the deal as soon as tomorrow",
        "The rest of the plan can wait until the spring.",
    ]
    assert direct[0].cue_span == direct[1].cue_span
    assert direct[1].speaker_name == "Maria Lopez"


def test_possessive_apostrophes_open_no_quotation(nlp: Language) -> None:
    """A plural possessive ("the Joneses' car") is no quote mark."""
    text = "The Joneses' car and the Smiths' house were sold at the auction on Monday morning."
    assert not [q for q in quotes(nlp, text) if q.kind in ("direct", "fragment")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "A poll released Saturday found that most voters back the plan.",
            "A poll released Saturday",
        ),
        ("Maria Lopez, who runs the plant, said that it would close in May.", "Maria Lopez"),
        (
            "ORLANDO, Fla. (Reuters) - President Barack Obama said that the law would stand.",
            "President Barack Obama",
        ),
        (
            "Governor Mary Fallin (R-OK) said that the state would appeal.",
            "Governor Mary Fallin (R-OK)",
        ),
        ("Maria Lopez (an aide) said that the state would appeal the ruling.", "Maria Lopez"),
    ],
)
def test_speaker_span_keeps_restrictive_clauses(nlp: Language, text: str, speaker: str) -> None:
    """The source is the whole mention ("a poll released Saturday"), not a comma clause."""
    found = [q for q in quotes(nlp, text) if q.kind == "indirect"]
    assert found and speaker_text(text, found[0]) == speaker


def test_bare_reference_is_no_quotation_but_a_denial_keeps_it(nlp: Language) -> None:
    """ "echoed the message" reports nothing; "denied those claims" is a denial to link."""
    echoed = quotes(nlp, "Kim Jong Un echoed the message in visits to two other factories.")
    assert not [q for q in echoed if q.cue == "echoed"]
    denied = quotes(nlp, "Russia and North Korea have denied those claims.")
    assert [q for q in denied if q.text == "those claims" and q.cue == "have denied"]
    # a message with its content is a report
    full = quotes(nlp, "Kim Jong Un echoed the message that production must grow.")
    assert [q for q in full if q.cue == "echoed" and "production must grow" in q.text]


def test_report_inside_a_report_is_the_outer_speakers(nlp: Language) -> None:
    """ "X said Y believes Z": one quotation, X's; Y's "believes" is no quotation of its own."""
    text = "Senator Mary Jones said the governor believes the plant will close in May."
    found = quotes(nlp, text)
    assert [q.cue for q in found] == ["said"]
    assert found[0].speaker_name == "Senator Mary Jones"
    assert "believes the plant will close" in found[0].text


def test_gerund_after_a_preposition_takes_the_clause_subject(nlp: Language) -> None:
    """ "opened by thanking X": the gerund's speaker is the subject of "opened"."""
    text = "Mayor Anna Berg opened the meeting by thanking the volunteers for their work."
    found = [q for q in quotes(nlp, text) if q.cue == "thanking"]
    assert found and found[0].speaker_name == "Mayor Anna Berg"
    assert found[0].text == "the volunteers for their work"


def test_inserted_report_is_the_cue_of_the_clause_around_it(nlp: Language) -> None:
    """``At one point, she said, she was considering X``: one quotation, cue "said"."""
    text = "At one point, she said, she was considering supporting Donald Trump."
    found = quotes(nlp, text)
    assert [(q.cue, q.text) for q in found] == [
        ("said", "At one point, she said, she was considering supporting Donald Trump")
    ]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "The White House is now considering a proposal to keep one base in Afghanistan, "
            "according to American military officials.",
            "The White House is now considering a proposal to keep one base in Afghanistan",
        ),
        (
            "The senator said the plan was dead, according to two aides.",
            "The senator said the plan was dead",
        ),
    ],
)
def test_according_to_after_a_report_is_the_sentences_cue(
    nlp: Language, text: str, content: str
) -> None:
    """A verb's content stops before a trailing ``according to X``, the sentence's own cue."""
    found = quotes(nlp, text)
    according = [q for q in found if q.cue == "according to"]
    assert [q.text for q in according] == [content]
    assert all("according" not in q.text for q in found)


@pytest.mark.parametrize(
    ("headline", "found"),
    [
        ("Sanders: Brexit’s message could draw Trump support in US.", True),
        ("Update: Brexit’s message could draw Trump support in US.", False),
    ],
)
def test_headline_label_named_elsewhere_in_the_article(
    nlp: Language, headline: str, found: bool
) -> None:
    """A title-case ``NAME: words`` headline is a quotation when NAME is a name of the article."""
    text = f"{headline}\n\nBernie Sanders warned on Sunday that the vote was a sign of anger."
    labelled = [q for q in quotes(nlp, text) if q.cue == ":"]
    expected = ["Brexit’s message could draw Trump support in US."] if found else []
    assert [q.text for q in labelled] == expected


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "Mr. Trump is expected to deliver a victory speech later tonight.",
            "is expected",
            "Mr. Trump is expected to deliver a victory speech later tonight",
        ),
        (
            "The senator was asked whether she would run again.",
            "was asked",
            "whether she would run again",
        ),
    ],
)
def test_agentless_passive_cue_is_a_report_without_speaker(
    nlp: Language, text: str, cue: str, content: str
) -> None:
    """``X is expected to Y`` / ``was asked whether Y``: a quotation with no speaker."""
    found = [q for q in quotes(nlp, text) if q.cue == cue]
    assert [(q.text, q.speaker_span) for q in found] == [(content, None)]


def test_naming_and_finding_passives_are_no_reports(nlp: Language) -> None:
    """``a man called John``, ``was found to``: passives that name or find, no quotation."""
    assert quotes(nlp, "The body was found to have been moved.") == ()
    assert quotes(nlp, "A man called John Smith won the race.") == ()


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "An outside group backing Mr. Cruz spent millions on ads.",
            "Mr. Cruz",
            "An outside group",
        ),
        (
            "His office released a statement saying the senator would not resign.",
            "the senator would not resign",
            "His office",
        ),
    ],
)
def test_speech_participle_on_a_noun_speaks_for_its_owner(
    nlp: Language, text: str, content: str, speaker: str
) -> None:
    """``a group backing X`` / ``his statement saying X``: the owner, else the noun, speaks."""
    found = quotes(nlp, text)
    assert [(q.text, speaker_text(text, q)) for q in found] == [(content, speaker)]


def test_indirect_question_hung_as_adverbial_is_the_content(nlp: Language) -> None:
    """``asked the students if they were serious``: the "if" clause is what was asked."""
    found = quotes(nlp, "He asked the students if they were always so serious.")
    assert [(q.cue, q.text) for q in found] == [("asked", "if they were always so serious")]
