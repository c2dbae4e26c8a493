"""Corroboration's candidate pairs: the indexed pairs group claims exactly as every pair does."""

from __future__ import annotations

import random
from dataclasses import fields, replace

import pytest

from storyline.model import AnnotatedArticle, Article, Claim, Span, Story
from storyline.stages.corpus import corroborate as module
from storyline.stages.corpus.corroborate import CONFIG, CorroborateConfig, corroborate

WORDS = """army inspected missile factories border rockets rebels supplied talks ceasefire
shelling village hospital wounded killed died death evacuated convoy bridge minister resigned
parliament vote budget sanctions export grain port blockade""".split()  # noqa: SIM905
NAMES = ("Kim", "Shoigu", "Reuters", "Paper A", "the ministry")
FIGURES = ("12 people", "14 people", "$160 million", "$200 million", "June 24", "2005", "")


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(3, 8))
    return " ".join(words).capitalize() + (" " + rng.choice(FIGURES)).rstrip()


def synthetic_story(seed: int) -> tuple[Story, list[AnnotatedArticle]]:
    """Articles with claims drawn from a small vocabulary (so many pairs share words, and
    many do not), some articles reprints of others (same claims, another outlet), with
    headlines, views, directives, first-person claims, figures and denials."""
    rng = random.Random(seed)
    docs: list[AnnotatedArticle] = []
    originals: list[list[tuple[str, dict[str, object]]]] = []
    for n in range(rng.randint(4, 9)):
        aid = f"a{n:02d}"
        if originals and rng.random() < 0.4:
            texts = rng.choice(originals)  # a reprint: the same claims in another outlet
        else:
            texts = []
            for _ in range(rng.randint(2, 7)):
                extra: dict[str, object] = {}
                roll = rng.random()
                if roll < 0.15:
                    extra = {"stance": "view", "cue": "said"}
                elif roll < 0.25:
                    extra = {"objects": (rng.choice(WORDS),), "cue": "urged"}
                elif roll < 0.35:
                    extra = {"polarity": "denied", "cue": "denied", "cue_class": "deny"}
                elif roll < 0.7:
                    extra = {"cue": "said"}
                text = _sentence(rng) + (" we" if rng.random() < 0.1 else "")
                texts.append((text, extra))
            originals.append(texts)
        claims = []
        pos = 0
        for k, (text, extra) in enumerate(texts):
            part = "title" if k == 0 and rng.random() < 0.5 else "text"
            start = 0 if part == "title" else pos
            claims.append(
                Claim(
                    id=f"{aid}c{k}",
                    span=Span(aid, start, start + len(text), part=part),  # type: ignore[arg-type]
                    text=text,
                    attributed_to=(rng.choice(NAMES),),
                    **extra,  # type: ignore[arg-type]
                )
            )
            pos += len(text) + 1
        body = " ".join(t for t, _ in texts)
        art = Article(id=aid, input=aid, outlet=f"Outlet {n}", text=body, title=texts[0][0])
        docs.append(AnnotatedArticle(article=art, claims=tuple(claims)))
    story = Story(id="s", article_ids=tuple(d.article.id for d in docs))
    return story, docs


def _every_pair(
    members: list[module._Member], config: CorroborateConfig
) -> module.Callable[[int], module.Sequence[int]]:
    return lambda i: range(i + 1, len(members))


class _NoMemo(module._SimilarityMemo):
    """Every score computed afresh, and every member its own content."""

    def kind(self, member: module._Member) -> int:
        self.held.append(member)
        return id(member)

    def score(
        self, kind_a: int, kind_b: int, a: module._Member, b: module._Member, *, keep: bool = True
    ) -> float:
        return module._similarity(a, b, self.weights, self.config)


CONFIGS = (
    CONFIG,
    replace(CONFIG, core_share=0.5),
    replace(CONFIG, shared_core=False),
    replace(CONFIG, also_evidence=False),
    replace(CONFIG, headlines_last=False, link_floor=0.8, headline_floor=0.6),
    replace(CONFIG, same_claim=0.15, same_view_bonus=0.3, also_clique=False),
    replace(CONFIG, same_claim=0.4, containment=0.8),
)


@pytest.mark.parametrize("config", CONFIGS)
def test_indexed_pairs_group_like_every_pair(
    config: CorroborateConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Synthetic stories under varied configs: the same groups, conflicts and evidence
    whether grouping scores the indexed candidate pairs, each pair of contents once and
    copies of a claim as one unit, or every pair of claims afresh (every claim its own
    content, so its own unit)."""
    grouped = 0
    for seed in range(12):
        story, docs = synthetic_story(seed)
        fast = corroborate(story, docs, (), config)
        with monkeypatch.context() as patch:
            patch.setattr(module, "_pair_candidates", _every_pair)
            patch.setattr(module, "_SimilarityMemo", _NoMemo)
            full = corroborate(story, docs, (), config)
        assert fast == full
        grouped += sum(len(g.claims) > 1 for g in fast)
    assert grouped > 10  # the stories do group claims: the comparison is not vacuous


def _members(docs: list[AnnotatedArticle]) -> list[module._Member]:
    """The claims as grouping sees them (through ``_cluster``'s first argument)."""
    seen: list[module._Member] = []

    def spy(
        members: list[module._Member], weights: dict[str, float], config: CorroborateConfig
    ) -> tuple[list[list[module._Member]], dict[int, set[int]], dict[int, list[module._Member]]]:
        seen.extend(members)
        return [], {}, {}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_cluster", spy)
        corroborate(Story(id="s", article_ids=()), docs, ())
    return seen


def test_candidates_are_exactly_the_pairs_sharing_a_core_word() -> None:
    """With the default config the candidates of i are the j > i that share a core stem,
    ascending, and they are fewer than every pair."""
    total = every = 0
    for seed in range(6):
        _, docs = synthetic_story(seed)
        members = _members(docs)
        later = module._pair_candidates(members, CONFIG)
        for i, a in enumerate(members):
            want = [j for j in range(i + 1, len(members)) if a.core & members[j].core]
            assert list(later(i)) == want
            total += len(want)
            every += len(members) - i - 1
    assert 0 < total < every


def test_copies_of_a_claim_share_one_content() -> None:
    """Reprinted claims are one content to the memo; claims of other wording are not."""
    _, docs = synthetic_story(1)
    members = _members(docs)
    memo = module._SimilarityMemo({}, CONFIG)
    kinds = [memo.kind(m) for m in members]
    texts = [m.claim.text for m in members]
    assert len(set(kinds)) < len(kinds)  # the story has reprints
    for i in range(len(members)):
        for j in range(len(members)):
            if kinds[i] == kinds[j]:
                assert texts[i] == texts[j]
                assert members[i].stems == members[j].stems
                assert members[i].speakers == members[j].speakers


def test_content_leaves_out_only_where_a_claim_stands() -> None:
    """``_content`` names every field of a member and its claim but the position ones: a
    field added to either record must be added there (or here, if it is a position)."""
    position = {"claim", "article", "order", "source"}
    claim_position = {"id", "span", "denies"}
    assert {f.name for f in fields(module._Member)} - position == {
        "stems",
        "entities",
        "speakers",
        "objects",
        "numbers",
        "deictic",
        "headline",
        "core",
        "events",
    }
    assert {f.name for f in fields(Claim)} - claim_position == {
        "text",
        "attributed_to",
        "attributed_ids",
        "cue",
        "cue_class",
        "hedges",
        "stance",
        "polarity",
        "objects",
    }
    _, docs = synthetic_story(2)
    a = _members(docs)[0]
    other = replace(a, article="zz", order=99, source="elsewhere")
    other = replace(
        other,
        claim=replace(a.claim, id="x", span=Span("zz", 5, 9, part=a.claim.span.part), denies="y"),
    )
    assert module._content(other) == module._content(a)
    for change in (
        {"stems": frozenset({"zzz"})},
        {"speakers": frozenset({"someone"})},
        {"headline": not a.headline},
        {"claim": replace(a.claim, cue="zz")},
        {"claim": replace(a.claim, stance="view" if a.claim.stance == "fact" else "fact")},
        {"claim": replace(a.claim, span=replace(a.claim.span, part="header"))},
    ):
        assert module._content(replace(a, **change)) != module._content(a)  # type: ignore[arg-type]


def test_other_configs_get_every_pair() -> None:
    _, docs = synthetic_story(0)
    members = _members(docs)
    for config in (replace(CONFIG, core_share=0.9), replace(CONFIG, shared_core=False)):
        later = module._pair_candidates(members, config)
        assert list(later(0)) == list(range(1, len(members)))


def test_a_reprinted_text_is_grouped_as_its_distinct_claims(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Thirty outlets reprint one report: grouping pairs its 5 distinct claims, not the
    150 copies, and gives the groups grouping every copy gives."""
    texts = [
        "Rebels shelled the border village on Monday.",
        "The army evacuated the hospital after the shelling.",
        "Twelve people were wounded in the village.",
        "The ministry said the convoy reached the port.",
        "Parliament will vote on the budget for the grain port.",
    ]
    body = " ".join(texts)
    docs = []
    for n in range(30):
        aid = f"a{n:02d}"
        starts = [body.index(t) for t in texts]
        claims = tuple(
            Claim(id=f"{aid}c{k}", span=Span(aid, st, st + len(t)), text=t, cue="said")
            for k, (t, st) in enumerate(zip(texts, starts, strict=True))
        )
        art = Article(id=aid, input=aid, outlet=f"Outlet {n}", text=body, title="Shelling")
        docs.append(AnnotatedArticle(article=art, claims=claims))
    story = Story(id="s", article_ids=tuple(d.article.id for d in docs))
    paired: list[int] = []
    real = module._pair_candidates

    def counting(members: list[module._Member], config: CorroborateConfig) -> object:
        paired.append(len(members))
        return real(members, config)

    with monkeypatch.context() as patch:
        patch.setattr(module, "_pair_candidates", counting)
        grouped = corroborate(story, docs, ())
    assert paired[0] == 5  # (then the denials: none)
    assert len(grouped) == 5 and all(len(g.claims) == 30 for g in grouped)
    assert all(g.status == "corroborated" for g in grouped)
    assert grouped == corroborate(story, docs, (), replace(CONFIG, group_copies=False))


class _KeepAll(module._SimilarityMemo):
    """Every score kept, as the memo did before it was told which pairs come again."""

    def score(
        self, kind_a: int, kind_b: int, a: module._Member, b: module._Member, *, keep: bool = True
    ) -> float:
        return super().score(kind_a, kind_b, a, b, keep=True)


_MADE: list[_Counting] = []


class _Counting(module._SimilarityMemo):
    """Counts the scores computed; every instance made is listed in ``_MADE``."""

    def __init__(self, weights: dict[str, float], config: CorroborateConfig) -> None:
        super().__init__(weights, config)
        self.computed = 0
        _MADE.append(self)

    def score(
        self, kind_a: int, kind_b: int, a: module._Member, b: module._Member, *, keep: bool = True
    ) -> float:
        if (kind_a, kind_b) not in self.scores:
            self.computed += 1
        return super().score(kind_a, kind_b, a, b, keep=keep)


def test_grouping_keeps_only_the_pair_scores_it_can_ask_for_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pair of contents that comes once is scored and not kept (kept, every scored pair
    of the 100k bench corpus's largest story took 4.4 GB): the same groups as keeping all,
    with far fewer scores held."""
    kept = computed = 0
    for seed in range(12):
        story, docs = synthetic_story(seed)
        with monkeypatch.context() as patch:
            patch.setattr(module, "_SimilarityMemo", _KeepAll)
            every = corroborate(story, docs, (), CONFIG)
        _MADE.clear()
        with monkeypatch.context() as patch:
            patch.setattr(module, "_SimilarityMemo", _Counting)
            assert corroborate(story, docs, (), CONFIG) == every
        kept += sum(len(m.scores) for m in _MADE)
        computed += sum(m.computed for m in _MADE)
    assert computed > 100 and kept < computed / 2
