"""Entity linking across a story, on hand-built articles and mentions (no model needed)."""

from __future__ import annotations

import itertools
import re

from storyline.ids import group_id
from storyline.model import AnnotatedArticle, Article, Block, Entity, Mention, Quote, Span
from storyline.stages.corpus.link import link_entities, name_key
from tests.util import make_article


def mention(
    article: Article, text: str, label: str, nth: int = 0, *, role: bool = False
) -> Mention:
    """The ``nth`` occurrence of ``text`` in ``article`` as a mention."""
    starts = [m.start() for m in re.finditer(re.escape(text), article.text)]
    start = starts[nth]
    return Mention(
        span=Span(article.id, start, start + len(text)), text=text, label=label, role=role
    )


def annotated(article: Article, *specs: tuple[str, str, int, bool]) -> AnnotatedArticle:
    """An AnnotatedArticle with mentions given as (text, label, nth, role)."""
    mentions = tuple(mention(article, t, label, nth, role=r) for t, label, nth, r in specs)
    return AnnotatedArticle(
        article=article, mentions=tuple(sorted(mentions, key=lambda m: m.span.start))
    )


def entity_of(entities: tuple[Entity, ...], name: str) -> Entity:
    """The entity whose canonical name is ``name``."""
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, [e.name for e in entities]
    return found[0]


def story() -> list[AnnotatedArticle]:
    """Two articles of one story with the variations linking must resolve."""
    a = make_article(
        "North Korean leader Kim Jong Un inspected factories. The DPRK leader promised more.",
        "Cheong Seong Chang, an analyst at the Sejong Institute, said the visits mattered.",
        "According to Chang, Kim wants exports to Russia and cooperation with Moscow.",
        "Russian Defense Minister Sergei Shoigu visited Pyongyang. Shoigu met Kim.",
        "Сергій Шойгу зустрічається з міністром.",
        "As reported, in the war against the Russian Federation, the U.S. said more.",
    )
    b = make_article(
        "Kim's tour was reported by North Korea's Korean Central News Agency (credit: KNCA).",
        "Kim cited precision, said state news agency KCNA. He called for more, the agency said.",
        "Cheong Seong-chang, an expert on North Korea's strategy at the Sejong Institute near Seoul, said so.",
        "The United States accused the DPRK, and Russia denied it.",
    )
    return [
        annotated(
            a,
            ("North Korean", "NORP", 0, False),
            ("North Korean leader", "PERSON", 0, True),
            ("Kim Jong Un", "PERSON", 0, False),
            ("The DPRK leader", "PERSON", 0, True),
            ("Cheong Seong Chang", "PERSON", 0, False),
            ("Sejong Institute", "ORG", 0, False),
            ("Chang", "PERSON", 1, False),
            ("Kim", "PERSON", 1, False),
            ("Russia", "GPE", 0, False),
            ("Moscow", "GPE", 0, False),
            ("Russian Defense Minister", "PERSON", 0, True),
            ("Sergei Shoigu", "PERSON", 0, False),
            ("Pyongyang", "GPE", 0, False),
            ("Shoigu", "PERSON", 1, False),
            ("Kim", "PERSON", 2, False),
            ("Сергій Шойгу", "PERSON", 0, False),
            ("Russian Federation", "GPE", 0, False),
            ("U.S.", "GPE", 0, False),
        ),
        annotated(
            b,
            ("Kim", "PERSON", 0, False),
            ("North Korea", "GPE", 0, False),
            ("Korean Central News Agency", "ORG", 0, False),
            ("KNCA", "ORG", 0, False),
            ("Kim", "PERSON", 1, False),
            ("state news agency", "ORG", 0, True),
            ("KCNA", "ORG", 0, False),
            ("the agency", "ORG", 0, True),
            ("Cheong Seong-chang", "PERSON", 0, False),
            ("North Korea", "GPE", 1, False),
            ("Sejong Institute", "ORG", 0, False),
            ("Seoul", "GPE", 0, False),
            ("United States", "GPE", 0, False),
            ("DPRK", "ORG", 0, False),
            ("Russia", "GPE", 0, False),
        ),
    ]


def test_variants_parts_and_descriptions() -> None:
    """Full names, hyphen variants and name parts are one person, with the appositive role."""
    _, entities = link_entities(story())
    cheong = entity_of(entities, "Cheong Seong Chang")
    assert {"Cheong Seong Chang", "Cheong Seong-chang", "Chang"} <= set(cheong.aliases)
    assert cheong.description == "analyst at the Sejong Institute"
    shoigu = entity_of(entities, "Sergei Shoigu")
    assert {"Shoigu", "Сергій Шойгу", "Russian Defense Minister"} <= set(shoigu.aliases)
    assert shoigu.description == "Russian Defense Minister"


def test_roles_link_to_their_holder() -> None:
    """Title roles, roles given earlier in the story and "the agency" find their entity."""
    _, entities = link_entities(story())
    kim = entity_of(entities, "Kim Jong Un")
    assert {"Kim", "North Korean leader", "The DPRK leader"} <= set(kim.aliases)
    kcna = entity_of(entities, "Korean Central News Agency")
    assert {"KCNA", "KNCA", "state news agency", "the agency"} <= set(kcna.aliases)


def test_countries_and_capitals() -> None:
    """Country aliases merge; a capital stays a place unless the text makes it an actor."""
    _, entities = link_entities(story())
    assert {"DPRK", "North Korea"} <= set(entity_of(entities, "North Korea").aliases)
    russia = entity_of(entities, "Russia")
    assert {"Russian Federation", "Moscow"} <= set(russia.aliases)  # "cooperation with Moscow"
    assert {"U.S.", "United States"} <= set(entity_of(entities, "United States").aliases)
    pyongyang = entity_of(entities, "Pyongyang")
    assert pyongyang.label == "GPE" and "North Korea" not in pyongyang.aliases
    assert entity_of(entities, "North Korea").label == "GPE"  # "DPRK" came in as ORG


def test_capital_as_a_place_stays_separate() -> None:
    """ "in Moscow" is the city, not the government."""
    a = make_article("Talks were held in Moscow, and Russia sent a delegation.")
    doc = annotated(a, ("Moscow", "GPE", 0, False), ("Russia", "GPE", 0, False))
    _, entities = link_entities([doc])
    assert {e.name for e in entities} == {"Moscow", "Russia"}


def test_order_independent_and_stable_ids() -> None:
    """Any order of the articles gives the same entities and the same mention links."""
    docs = story()
    first_docs, first = link_entities(docs)
    for order in itertools.permutations(docs):
        out_docs, entities = link_entities(list(order))
        assert entities == first
        by_id = {d.article.id: d.mentions for d in out_docs}
        assert all(by_id[d.article.id] == d.mentions for d in first_docs)
    for entity in first:
        assert entity.id == group_id("e", [entity.label, entity.name])


def test_every_mention_is_linked_and_inside_the_text() -> None:
    """Named mentions all get an entity; every entity span indexes its article's text."""
    docs, entities = link_entities(story())
    texts = {d.article.id: d.article.text for d in docs}
    for doc in docs:
        for m in doc.mentions:
            assert texts[m.span.article_id][m.span.start : m.span.end] == m.text
            assert m.role or m.entity_id is not None
    known = {e.id for e in entities}
    for entity in entities:
        for span in entity.mentions:
            assert 0 <= span.start < span.end <= len(texts[span.article_id])
    assert all(m.entity_id in known for d in docs for m in d.mentions if m.entity_id)


def test_ambiguous_surname_takes_the_nearest_full_name() -> None:
    """With two Kims in the story, a bare "Kim" is the nearest one named before it."""
    a = make_article("Kim Jong Un met Kim Yo Jong. Later Kim Yo Jong spoke, and Kim smiled.")
    doc = annotated(
        a,
        ("Kim Jong Un", "PERSON", 0, False),
        ("Kim Yo Jong", "PERSON", 0, False),
        ("Kim Yo Jong", "PERSON", 1, False),
        ("Kim", "PERSON", 3, False),
    )
    _, entities = link_entities([doc])
    assert "Kim" in entity_of(entities, "Kim Yo Jong").aliases
    assert "Kim" not in entity_of(entities, "Kim Jong Un").aliases


def test_quotes_get_speaker_and_relay() -> None:
    """A quote's speaker span and relay name resolve to the linked entities."""
    a = make_article('Kim Jong Un spoke. "We will win," Kim said, according to KCNA.')
    kim_span = mention(a, "Kim", "PERSON", 1).span
    quote = Quote(
        id="q1",
        span=Span(a.id, a.text.index("We"), a.text.index("win") + 3),
        text="We will win",
        kind="direct",
        speaker_name="Kim",
        speaker_span=kim_span,
        via_name="KCNA",
    )
    doc = annotated(
        a,
        ("Kim Jong Un", "PERSON", 0, False),
        ("Kim", "PERSON", 1, False),
        ("KCNA", "ORG", 0, False),
    )
    doc = AnnotatedArticle(article=a, mentions=doc.mentions, quotes=(quote,))
    out, entities = link_entities([doc])
    linked = out[0].quotes[0]
    assert linked.speaker == entity_of(entities, "Kim Jong Un").id
    assert linked.via == entity_of(entities, "KCNA").id


def test_acronym_needs_a_unique_expansion() -> None:
    """An acronym that two names could spell stays on its own."""
    a = make_article("Central Bank and Canadian Broadcasting both start with CB, said CB.")
    doc = annotated(
        a,
        ("Central Bank", "ORG", 0, False),
        ("Canadian Broadcasting", "ORG", 0, False),
        ("CB", "ORG", 1, False),
    )
    _, entities = link_entities([doc])
    assert {e.name for e in entities} == {"Central Bank", "Canadian Broadcasting", "CB"}


def test_name_key_ignores_cosmetics() -> None:
    """Case, hyphens, a possessive and a leading "the" do not change the key."""
    assert name_key("Cheong Seong-chang") == name_key("cheong seong chang")
    assert name_key("the Sejong Institute") == name_key("Sejong Institute")
    assert name_key("Kim’s") == name_key("Kim")


def test_foreign_block_name_links_by_transliteration() -> None:
    """A Ukrainian caption's "Кім Чен Ин" is Kim Jong Un of the English text."""
    text = "Kim Jong Un visited a factory.\n\nЛідер КНДР Кім Чен Ин на заводі."
    a = Article(
        id="a1",
        input="t",
        text=text,
        blocks=(
            Block(kind="paragraph", start=0, end=30, language="en"),
            Block(kind="caption", start=32, end=len(text), language="uk"),
        ),
    )
    doc = annotated(a, ("Kim Jong Un", "PERSON", 0, False), ("Кім Чен Ин", "PERSON", 0, False))
    _, entities = link_entities([doc])
    assert len(entities) == 1 and "Кім Чен Ин" in entities[0].aliases


def test_acronym_spellings_merged_away_are_not_looked_up_again() -> None:
    """A misspelt acronym merged into its peer earlier in the pass is skipped, not a KeyError."""
    a = make_article(
        "The FBI said on Monday it opened a case. FBI agents searched the office.",
        "A FIB spokesman declined to comment.",
    )
    b = make_article(
        "The Federal Bureau of Investigation said the F.B.I. would report, said Ann Lee.",
    )
    docs = [
        annotated(a, ("FBI", "ORG", 0, False), ("FBI", "ORG", 1, False), ("FIB", "ORG", 0, False)),
        annotated(
            b,
            ("Federal Bureau of Investigation", "ORG", 0, False),
            ("F.B.I.", "ORG", 0, False),
            ("Ann Lee", "PERSON", 0, False),
        ),
    ]
    _, entities = link_entities(docs[:1])
    assert [e.name for e in entities if e.label == "ORG"] == ["FBI"]
    _, entities = link_entities(docs)
    orgs = [e for e in entities if e.label == "ORG"]
    assert [e.name for e in orgs] == ["Federal Bureau of Investigation"]
    assert "FBI" in orgs[0].aliases
