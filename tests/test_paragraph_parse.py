"""The paragraph parse (storyline.nlp.paragraphs): a paragraph parsed once a process, the
same parse whether it came from the cache or from the parser."""

from __future__ import annotations

import pytest
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, ORTH, POS, SPACY, TAG

from storyline.nlp import english
from storyline.nlp.paragraphs import ParseCache, ParseCacheConfig, paragraphs

EVERY = [ORTH, NORM, SPACY, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]

WIRE = [
    "SEOUL, Aug 14 (Reuters) - North Korean leader Kim Jong Un inspected weapons factories "
    "and called for more production of missiles, state media KCNA said on Monday.\n\n",
    "Kim visited the factories from Friday to Sunday, the agency said.\n\n",
    "\u201cWe must prepare for war,\u201d Kim told the workers, according to KCNA.\n",
]
CREDIT = "Reporting by Hyonhee Shin; Editing by Michael Perry"


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    return (
        a.text == b.text
        and (a.to_array(EVERY) == b.to_array(EVERY)).all()
        and [(e.start, e.end, e.label_) for e in a.ents]
        == [(e.start, e.end, e.label_) for e in b.ents]
        and [s.start for s in a.sents] == [s.start for s in b.sents]
    )


@pytest.mark.parametrize(
    "text", ["", "one line", "a\n\nb", "\n\nstarts blank", "ends\n", "a\r\nb\n\n\nc  ", " \n \n"]
)
def test_paragraphs_join_to_the_text(text: str) -> None:
    parts = paragraphs(text)
    assert "".join(parts) == text
    assert all(p.strip("\n") == "" or "\n" not in p.rstrip("\n") for p in parts)


def test_a_reprint_is_parsed_from_the_cache_as_the_parser_parses_it() -> None:
    nlp = english()
    cache = ParseCache(nlp)
    origin = "".join(WIRE)
    reprint = "".join(WIRE[:2]) + CREDIT  # the last paragraph dropped, a credit line added
    (first,) = cache.parse([origin])
    assert cache.misses == 3 and cache.hits == 0
    (copy,) = cache.parse([reprint])
    assert cache.misses == 4 and cache.hits == 2  # only the credit line was parsed
    (alone,) = ParseCache(nlp).parse([reprint])  # a cache that never saw the origin
    assert _same(copy, alone)
    assert copy.text == reprint and first.text == origin
    assert [e.text for e in copy.ents if e.label_ == "PERSON"][:1] == ["Kim Jong Un"]
    # a paragraph's parse does not depend on what it was batched with, nor on the cache
    batched = ParseCache(nlp).parse([CREDIT + "\n", origin, reprint])
    assert _same(batched[1], first) and _same(batched[2], copy)


def test_the_cache_keeps_at_most_its_tokens_least_recently_used_dropped() -> None:
    nlp = english()
    cache = ParseCache(nlp, ParseCacheConfig(max_tokens=60))
    texts = [
        f"Officials in Town{i} opened a new bridge on Monday after {i} years.\n" for i in range(8)
    ]
    cache.parse(texts)
    assert 0 < cache._kept.tokens <= 60
    kept = list(cache._kept.codes)
    assert kept == texts[-len(kept) :]  # the oldest went first
    assert len(kept) < len(texts)
    cache.parse([texts[-len(kept)]])  # a hit makes it the most recent
    assert list(cache._kept.codes)[-1] == texts[-len(kept)]


def test_a_paragraph_over_the_size_limit_is_parsed_in_parts_and_not_kept() -> None:
    nlp = english()
    cache = ParseCache(nlp, ParseCacheConfig(max_paragraph=200))
    long_line = " ".join(f"The council of Town{i} met on Monday." for i in range(20))
    (doc,) = cache.parse([long_line + "\n\nA short line.\n"])
    assert doc.text == long_line + "\n\nA short line.\n"
    assert list(cache._kept.codes) == ["A short line.\n"]
    assert sum(1 for _ in doc.sents) >= 21


def test_paragraphs_kept_before_a_call_survive_the_new_ones_dropping_them() -> None:
    # a full cache: keeping this call's new paragraphs drops the ones it found kept (a
    # KeyError on 3 of the 10k bench corpus's articles before the fix)
    nlp = english()
    cache = ParseCache(nlp, ParseCacheConfig(max_tokens=40))
    old = "Officials in Jarrow opened a new bridge on Monday.\n"
    cache.parse([old])
    new = [f"The mayor of Town{i} said the bridge would cut travel times.\n" for i in range(3)]
    (doc,) = cache.parse([old + "".join(new)])
    assert old not in cache._kept and cache.hits == 1
    (alone,) = ParseCache(nlp).parse([old + "".join(new)])
    assert _same(doc, alone)


def test_a_worker_restores_what_another_worker_parsed() -> None:
    # two workers, each with its own pipeline and vocab; the process that hands out the
    # work keeps what one parsed and sends it with the other's batch (pickled, as it goes)
    import pickle

    from storyline.nlp import ModelLoader
    from storyline.nlp.paragraphs import SharedParses

    first = ParseCache(english())
    first.hand_on = True
    first.parse(["".join(WIRE)])
    shared = SharedParses()
    shared.add(pickle.loads(pickle.dumps(first.take_fresh())))
    assert first.take_fresh().texts == ()  # handed on once

    reprint = "".join(WIRE[:2]) + "Unique words: Zorblatt Quimbly.\n"
    known = shared.known([reprint])
    assert known is not None and known.texts == tuple(WIRE[:2])
    other_nlp = ModelLoader().get()
    # strings the receiving vocab never saw (lemmas such as "KCNA") come with the parses
    assert [s for s in known.strings.values() if s not in other_nlp.vocab.strings]
    second = ParseCache(other_nlp)
    second.adopt(pickle.loads(pickle.dumps(known)))
    (doc,) = second.parse([reprint])
    assert (second.hits, second.misses) == (2, 1)
    (alone,) = ParseCache(ModelLoader().get()).parse([reprint])
    assert _same(doc, alone)
    assert [t.lemma_ for t in doc] == [t.lemma_ for t in alone]
    assert [str(t.morph) for t in doc] == [str(t.morph) for t in alone]
