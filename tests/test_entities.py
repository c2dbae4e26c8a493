"""Entity mentions: gazetteers and transliteration (no model), rules over spaCy's parse (slow)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from storyline.model import AnnotatedArticle, Article, Block, Mention
from storyline.stages.entities import find_mentions
from storyline.text.gazetteer import (
    country_of,
    demonym_country,
    sounds_like,
    transliterate,
)
from tests.util import make_article


def test_country_aliases() -> None:
    """Acronyms and official names map to one country; demonyms to theirs."""
    assert country_of("DPRK") == "North Korea"
    assert country_of("the Russian Federation") == "Russia"
    assert country_of("U.S.") == country_of("USA") == "United States"
    assert country_of("Pyongyang") is None  # a capital is not its country
    assert demonym_country("North Korean") == "North Korea"


def test_transliteration_matches_latin_names() -> None:
    """Ukrainian spellings match the English ones; unrelated names do not."""
    assert transliterate("Сергій Шойгу") == "Serhiy Shoyhu"
    assert sounds_like(transliterate("Сергій Шойгу", russian_g=True), "Sergei Shoigu")
    assert sounds_like(transliterate("Кім Чен Ин"), "Kim Jong Un")
    assert not sounds_like(transliterate("Кан Сун Нам"), "Kim Jong Un")
    assert not sounds_like(transliterate("Серпень"), "Sergei Shoigu")


def _mentions(article: Article) -> tuple[Mention, ...]:
    """Mentions of ``article`` with the shared model (slow tests only)."""
    from storyline.nlp import english

    return find_mentions(article, english()(article.text))


def _named(mentions: tuple[Mention, ...]) -> set[tuple[str, str]]:
    """(text, label) of the named mentions."""
    return {(m.text, m.label) for m in mentions if not m.role}


def _roles(mentions: tuple[Mention, ...]) -> set[str]:
    """Texts of the role mentions."""
    return {m.text for m in mentions if m.role}


@pytest.mark.slow
def test_titles_possessives_and_determiners() -> None:
    """Titles are roles, not names; "'s" and "the" are not part of a name."""
    article = make_article(
        "Kim was joined by Russian Defense Minister Sergei Shoigu at the parade.",
        "Cheong Seong Chang, an analyst at South Korea’s Sejong Institute, said so.",
        "Tensions rose between the United States and North Korea's army.",
    )
    mentions = _mentions(article)
    named = _named(mentions)
    assert ("Sergei Shoigu", "PERSON") in named
    assert ("Sejong Institute", "ORG") in named
    assert ("South Korea", "GPE") in named
    assert ("United States", "GPE") in named
    assert ("North Korea", "GPE") in named
    assert not any(text in {"Defense", "Defense Minister"} for text, _ in named)
    assert "Russian Defense Minister" in _roles(mentions)
    assert any(text == "Cheong Seong Chang" for text, _ in named)


@pytest.mark.slow
def test_role_nouns() -> None:
    """Definite and titled roles are found; indefinite ones introduce someone new and are not."""
    article = make_article(
        "North Korean leader Kim Jong Un inspected factories. The DPRK leader promised more.",
        "Kim cited precision, said state news agency KCNA. He called for more, the agency said.",
        "He was joined by a Chinese official.",
    )
    roles = _roles(_mentions(article))
    assert {"North Korean leader", "The DPRK leader", "state news agency", "the agency"} <= roles
    assert not any("official" in r for r in roles)


@pytest.mark.slow
def test_speaker_before_said_is_a_person() -> None:
    """A multi-word name that says something is a person, whatever the model guessed."""
    article = make_article("“We regret it,” Koo Byoungsam said.")
    assert ("Koo Byoungsam", "PERSON") in _named(_mentions(article))


@pytest.mark.slow
def test_foreign_block_keeps_only_transliterated_names() -> None:
    """A Ukrainian caption yields no junk, only names found in the English text."""
    en = "Kim Jong Un met Sergei Shoigu in Pyongyang."
    uk = "Лідер КНДР Кім Чен Ин і Сергій Шойгу. Серпень 2023. Фото: Korean Central News Agency via AP"
    text = en + "\n\n" + uk
    article = Article(
        id="a1",
        input="t",
        text=text,
        blocks=(
            Block(kind="paragraph", start=0, end=len(en), language="en"),
            Block(kind="caption", start=len(en) + 2, end=len(text), language="uk"),
        ),
    )
    mentions = _mentions(article)
    in_caption = {m.text for m in mentions if m.span.start >= len(en) and not m.role}
    assert {"Кім Чен Ин", "Сергій Шойгу"} <= in_caption
    assert "Лідер" not in in_caption and "Серпень" not in in_caption
    assert all(c.isascii() or t in {"Кім Чен Ин", "Сергій Шойгу"} for t in in_caption for c in t)


@pytest.mark.slow
def test_spans_index_the_text_and_names_do_not_overlap(seeds_dir: Path) -> None:
    """Every mention's span holds its text; named mentions never overlap each other."""
    from storyline.annotate import article_from_text

    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        article = article_from_text(text, None, path.name)
        mentions = _mentions(article)
        assert mentions
        for m in mentions:
            assert text[m.span.start : m.span.end] == m.text
            assert m.span.article_id == article.id
        named = sorted((m for m in mentions if not m.role), key=lambda m: m.span.start)
        for a, b in itertools.pairwise(named):
            assert a.span.end <= b.span.start


@pytest.mark.slow
def test_seed_entities_are_one_node_each(seeds_dir: Path) -> None:
    """The seed story's entities (EXPECTED.md) each come out as one node with their variants."""
    from storyline.io.readers import read_inputs
    from storyline.stages.clean.document import clean
    from storyline.stages.corpus.link import link_entities

    docs = []
    for raw in read_inputs([seeds_dir]):
        article = clean(raw)
        assert isinstance(article, Article)
        docs.append(AnnotatedArticle(article=article, mentions=_mentions(article)))
    _, entities = link_entities(docs)
    by_name = {e.name: e for e in entities}
    kim = by_name["Kim Jong Un"]
    assert {"Kim", "North Korean leader", "The DPRK leader"} <= set(kim.aliases)
    cheong = by_name["Cheong Seong Chang"]
    assert {"Cheong Seong-chang", "Chang"} <= set(cheong.aliases)
    assert cheong.description and "Sejong Institute" in cheong.description
    koo = by_name["Koo Byoungsam"]
    assert koo.description and "Unification Ministry" in koo.description
    assert "Shoigu" in by_name["Sergei Shoigu"].aliases
    kcna = by_name["Korean Central News Agency"]
    assert {"KCNA", "state news agency", "the agency"} <= set(kcna.aliases)
    assert "DPRK" in by_name["North Korea"].aliases
    assert "Russian Federation" in by_name["Russia"].aliases
    for place in (
        "Pyongyang",
        "South Korea",
        "United States",
        "Ukraine",
        "Wagner Group",
        "Sejong Institute",
    ):
        assert place in by_name
    assert "Pyongyang" not in by_name["North Korea"].aliases


def test_conll_reader_and_alignment(tmp_path: Path) -> None:
    """CoNLL documents rebuild as text whose character spans map back to gold tokens."""
    from storyline.evaluation.ner import read_conll, to_tokens

    data = tmp_path / "mini.txt"
    data.write_text(
        "-DOCSTART- -X- -X- O\n\nJAPAN NNP B-NP B-LOC\nWIN NN I-NP O\n\n"
        "Nadim NNP B-NP B-PER\nLadki NNP I-NP I-PER\nsaid VBD B-VP O\n\n"
        "-DOCSTART- -X- -X- O\n\nKCNA NNP B-NP B-ORG\n",
        encoding="utf-8",
    )
    docs = list(read_conll(data))
    assert [d.text for d in docs] == ["JAPAN WIN\nNadim Ladki said", "KCNA"]
    first = docs[0]
    assert first.gold == {(0, 0, "LOC"), (2, 3, "PER")}
    start = first.text.index("Nadim")
    predicted = to_tokens(first, [(start, start + len("Nadim Ladki"), "PERSON"), (0, 5, "DATE")])
    assert predicted == {(2, 3, "PER")}  # DATE is not a CoNLL type
