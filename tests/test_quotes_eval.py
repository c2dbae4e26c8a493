"""The quotation evaluation's reading of PolNeAR's speaker convention (no model loaded)."""

from __future__ import annotations

import pytest

from storyline.evaluation.quotes import Attribution, _with_appositions


def _source(text: str, name: str, cue: str) -> str:
    """The source span the evaluation scores for a prediction naming ``name`` after ``cue``."""
    content = (0, text.index(cue) - 2)
    cue_at = text.index(cue)
    name_at = text.index(name, cue_at)
    pred = Attribution(
        content=(content,),
        source=((name_at, name_at + len(name)),),
        cue=((cue_at, cue_at + len(cue)),),
    )
    ((start, end),) = _with_appositions(text, pred).source
    return text[start:end]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        # a title's full stop inside the apposition does not end it
        (
            "''I have been through the racks,'' said Bob Mason, a retired letter carrier "
            "who lined up to hear Mr. Trump here on Tuesday.",
            "Bob Mason, a retired letter carrier who lined up to hear Mr. Trump here on Tuesday",
        ),
        # one comma inside the apposition
        (
            "''We will keep the plant,'' said Robert McDonough, a senior executive at "
            "Carrier's parent company, United Technologies.",
            "Robert McDonough, a senior executive at Carrier's parent company, United Technologies",
        ),
        # the sentence's own full stop does
        (
            "''It works,'' said Louisa Ermelino, the reviews director. She smiled.",
            "Louisa Ermelino, the reviews director",
        ),
    ],
)
def test_trailing_apposition_joins_the_speaker(text: str, source: str) -> None:
    """PolNeAR's source is the speaker's whole noun phrase, apposition included."""
    name = " ".join(source.split(",")[0].split())
    assert _source(text, name, "said") == source


def _leading_source(text: str, name: str, cue: str) -> str:
    """The scored source for a prediction naming ``name`` before ``cue`` (content after)."""
    cue_at = text.index(cue)
    pred = Attribution(
        content=((cue_at + len(cue) + 1, len(text)),),
        source=((text.index(name), text.index(name) + len(name)),),
        cue=((cue_at, cue_at + len(cue)),),
    )
    ((start, end),) = _with_appositions(text, pred).source
    return text[start:end]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Howard Rubel, a senior analyst at Jefferies, said the deal would close.",
            "Howard Rubel, a senior analyst at Jefferies,",
        ),
        # an aside between the name and the cue is not part of the speaker's phrase
        ("Hillary Clinton, in her campaigning, said the plan would work.", "Hillary Clinton"),
        ("Mr. Coleman, for example, said the plan would work.", "Mr. Coleman"),
    ],
)
def test_leading_apposition_but_not_an_aside(text: str, source: str) -> None:
    """The apposition before the cue joins the speaker; an aside does not."""
    name = source.split(",")[0]
    assert _leading_source(text, name, "said") == source


def test_a_fragment_inside_a_quotation_is_part_of_its_relation() -> None:
    """ "Kim urged the “rapid expansion” of production": one relation, not two; a fragment
    quoted on its own stays a relation of its own."""
    from storyline.evaluation.quotes import _relations

    kim = {"start": 0, "end": 3}
    urged = {"start": 4, "end": 9}
    quotes = [
        {"start": 10, "end": 45, "kind": "indirect", "cue": urged, "speaker": kim},
        {"start": 15, "end": 30, "kind": "fragment", "cue": urged, "speaker": kim},
        {"start": 60, "end": 75, "kind": "fragment", "cue": {"start": 50, "end": 56}},
    ]
    relations = _relations(quotes)
    assert sorted(r.content for r in relations) == [((10, 45),), ((60, 75),)]
