"""Claim alignment on ECB+ (cross-document event coreference): storyline against a TF-IDF baseline.

Gold (``claims/ecbplus-dev/gold.json``, see its SOURCE.md): annotated sentences of the
articles of ``stories/ecbplus-dev``, each carrying the event chains it mentions. Two
sentences of different articles of one story that share a chain report the same event: a
claim two outlets back.

storyline runs its real path: every article of ``articles.jsonl`` is read by the JSONL
reader, cleaned, annotated (:func:`storyline.pipeline.annotate_article`), and the articles
of each gold story are assembled into a dossier (:func:`storyline.stages.corpus.dossier.assemble`,
which links entities and runs the corroborate stage). Each claim group's evidence spans are
mapped onto the gold sentences they overlap, after aligning the cleaned text to the gold
text word by word (the cleaner keeps the first line as the title and separates paragraphs
with blank lines, so offsets differ).

Metrics (SOURCE.md, per split: train topics, dev topics; per view: ``body`` excludes the
title line, ``all`` keeps it):

* coverage: share of gold sentences covered by some claim's evidence;
* chain recall: of the chains whose sentences lie in >= 2 articles, the share for which
  one claim covers sentences of the chain in >= 2 of those articles;
* strict claim precision: of the claims whose covered gold sentences lie in >= 2 articles,
  the share whose covered cross-article sentence pairs all share a chain;
* pairwise P/R/F1 over the gold sentence pairs (predicted same = one claim covers both).

Baseline, in the same run: each story's sentences (the gold text's lines: the baseline is
given the gold stories and a perfect sentence split) as TF-IDF vectors, average-link
clustering by cosine, one cluster = one claim; its threshold is chosen on the train topics
(best harmonic mean of chain recall and strict precision, body view) and applied to both.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from storyline.errors import EvalDataError
from storyline.model import (
    AnnotatedArticle,
    Article,
    ClaimGroup,
    InputProblem,
    SpanPart,
    Story,
    part_text,
)

VIEWS = ("body", "all")
PARTS: tuple[SpanPart, ...] = ("text", "title", "header")
SPLITS = ("train", "dev")
# Thresholds tried for the baseline (cosine of TF-IDF sentence vectors), tuned on train.
BASELINE_GRID = tuple(round(0.05 * i, 2) for i in range(1, 19))
_WORD = re.compile(r"\S+")
_TERM = re.compile(r"[^\W\d_]+")
# Function words left out of the baseline's vectors (they say nothing about the event).
_STOP_WORDS = """a an the and or but of to in on at for with by from as is are was were be been has have
    had it its this that he she his her they their we you i not will would said says"""
_BASELINE_STOP = frozenset(_STOP_WORDS.split())

# One predicted claim: the gold sentence ids it covers, per article key.
Cover = dict[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """An annotated sentence: where it is and which event chains it carries."""

    sid: str
    article: str
    story: str
    split: str
    start: int
    end: int
    title: bool
    chains: frozenset[str]


@dataclass(slots=True)
class Gold:
    """The gold data: article texts, annotated sentences, stories and splits."""

    texts: dict[str, str]  # article key -> gold text (title line first)
    inputs: dict[str, str]  # "articles.jsonl#L<n>" -> article key
    story: dict[str, str]  # article key -> story
    split: dict[str, str]  # story -> train | dev
    sentences: list[GoldSentence] = field(default_factory=list)


def load(data: Path) -> Gold:
    """The gold file of ``data`` (a folder holding ``gold.json``, or the file itself)."""
    path = data / "gold.json" if data.is_dir() else data
    if not path.exists():
        raise EvalDataError(f"no {path}")
    raw = json.loads(path.read_text(encoding="utf-8"))
    texts: dict[str, str] = {}
    inputs: dict[str, str] = {}
    story: dict[str, str] = {}
    split: dict[str, str] = {}
    for key, item in raw["articles"].items():
        texts[key] = item["text"]
        inputs[item["input"]] = key
        story[key] = item["story"]
        split[item["story"]] = item["split"]
    sentences = [
        GoldSentence(
            sid=s["sid"],
            article=s["article"],
            story=s["story"],
            split=s["split"],
            start=s["start"],
            end=s["end"],
            title=s["start"] == 0,
            chains=frozenset(s["chains"]),
        )
        for s in raw["sentences"]
    ]
    return Gold(texts=texts, inputs=inputs, story=story, split=split, sentences=sentences)


def _articles_path(data: Path) -> Path:
    """``stories/ecbplus-dev/articles.jsonl`` next to the claims folder."""
    folder = data if data.is_dir() else data.parent
    path = folder.parent.parent / "stories" / folder.name / "articles.jsonl"
    if not path.exists():
        raise EvalDataError(f"no {path} (the articles the gold sentences index)")
    return path


def read_articles(path: Path, wanted: Mapping[str, str]) -> dict[str, Article]:
    """Article key -> the article as storyline's JSONL reader and cleaner make it."""
    from storyline.io.readers import read_bytes
    from storyline.stages.clean.document import clean

    out: dict[str, Article] = {}
    for item in read_bytes(path.name, path.read_bytes()):
        if isinstance(item, InputProblem):
            continue
        key = wanted.get(item.input)
        if key is None:
            continue
        article = clean(item)
        if isinstance(article, Article):
            out[key] = article
    return out


def annotate_articles(articles: Mapping[str, Article]) -> dict[str, AnnotatedArticle]:
    """Every article through storyline's article stages (one model load)."""
    from storyline.nlp import english
    from storyline.pipeline import annotate_article

    nlp = english()
    return {key: annotate_article(article, nlp) for key, article in articles.items()}


def storyline_claims(
    gold: Gold, docs: Mapping[str, AnnotatedArticle]
) -> dict[str, list[ClaimGroup]]:
    """Story -> the claim groups of its dossier (assembled from the story's articles)."""
    from storyline.stages.corpus.dossier import assemble

    by_story: dict[str, list[str]] = {}
    for key in sorted(docs):
        by_story.setdefault(gold.story[key], []).append(key)
    out: dict[str, list[ClaimGroup]] = {}
    for story, keys in sorted(by_story.items()):
        members = [docs[k] for k in keys]
        ids = tuple(d.article.id for d in members)
        dossier = assemble(Story(id=story, article_ids=ids), members)
        out[story] = list(dossier.claims)
    return out


def word_map(clean_text: str, gold_text: str) -> list[tuple[int, int, int]]:
    """(clean start, clean end, gold start) of each word found in both texts, in order."""
    clean_words = list(_WORD.finditer(clean_text))
    gold_words = list(_WORD.finditer(gold_text))
    matcher = SequenceMatcher(
        None, [m.group() for m in clean_words], [m.group() for m in gold_words], autojunk=False
    )
    out: list[tuple[int, int, int]] = []
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            word = clean_words[block.a + k]
            out.append((word.start(), word.end(), gold_words[block.b + k].start()))
    return out


def covered_sentences(
    start: int,
    end: int,
    words: Sequence[tuple[int, int, int]],
    sentences: Sequence[GoldSentence],
) -> frozenset[str]:
    """Gold sentences that a clean-text span ``[start, end)`` overlaps (by aligned words)."""
    hit: set[str] = set()
    for w_start, w_end, g_start in words:
        if w_end <= start or w_start >= end:
            continue
        for sentence in sentences:
            if sentence.start <= g_start < sentence.end:
                hit.add(sentence.sid)
    return frozenset(hit)


def claim_covers(
    gold: Gold,
    docs: Mapping[str, AnnotatedArticle],
    groups: Mapping[str, Sequence[ClaimGroup]],
) -> dict[str, list[Cover]]:
    """Story -> each claim group as the gold sentences it covers per article."""
    key_of = {doc.article.id: key for key, doc in docs.items()}
    by_article: dict[str, list[GoldSentence]] = {}
    for sentence in gold.sentences:
        by_article.setdefault(sentence.article, []).append(sentence)
    # one word map per part a span can index (body, title, header lines)
    maps = {
        (key, part): word_map(part_text(doc.article, part), gold.texts[key])
        for key, doc in docs.items()
        if key in by_article
        for part in PARTS
    }
    out: dict[str, list[Cover]] = {}
    for story, claims in groups.items():
        covers: list[Cover] = []
        for group in claims:
            cover: dict[str, set[str]] = {}
            for span in group.evidence:
                key = key_of.get(span.article_id)
                if key is None or (key, span.part) not in maps:
                    continue
                words = maps[(key, span.part)]
                hit = covered_sentences(span.start, span.end, words, by_article[key])
                if hit:
                    cover.setdefault(key, set()).update(hit)
            covers.append({k: frozenset(v) for k, v in cover.items()})
        out[story] = covers
    return out


def score(
    gold: Gold,
    covers: Mapping[str, Sequence[Cover]],
    split: str,
    view: str,
    stories: set[str] | None = None,
) -> dict[str, Any]:
    """SOURCE.md's metrics for the stories of ``split`` over the sentences of ``view``.

    ``stories`` are the stories evaluated (default: all); a gold sentence of an article the
    system dropped still counts, uncovered.
    """
    sentences = {
        s.sid: s
        for s in gold.sentences
        if s.split == split
        and (stories is None or s.story in stories)
        and (view == "all" or not s.title)
    }
    claims = [
        {a: frozenset(x for x in sids if x in sentences) for a, sids in cover.items()}
        for story, story_covers in covers.items()
        if gold.split.get(story) == split
        for cover in story_covers
    ]
    claims = [{a: s for a, s in c.items() if s} for c in claims]
    claims = [c for c in claims if c]
    covered = {sid for c in claims for sids in c.values() for sid in sids}
    # chain recall
    chain_articles: dict[str, set[str]] = {}
    for sentence in sentences.values():
        for chain in sentence.chains:
            chain_articles.setdefault(chain, set()).add(sentence.article)
    chains = [c for c, arts in chain_articles.items() if len(arts) >= 2]
    found = 0
    for chain in chains:
        for claim in claims:
            arts = {
                a for a, sids in claim.items() if any(chain in sentences[x].chains for x in sids)
            }
            if len(arts) >= 2:
                found += 1
                break
    # strict claim precision
    multi = [c for c in claims if len(c) >= 2]
    pure = sum(1 for c in multi if _pure(c, sentences))
    # pairwise, over the gold pairs of this view
    together: set[tuple[str, str]] = set()
    for claim in claims:
        items = sorted((a, sid) for a, sids in claim.items() for sid in sids)
        for i, (a1, s1) in enumerate(items):
            for a2, s2 in items[i + 1 :]:
                if a1 != a2:
                    together.add((min(s1, s2), max(s1, s2)))
    tp = fp = fn = 0
    by_story: dict[str, list[GoldSentence]] = {}
    for sentence in sentences.values():
        by_story.setdefault(sentence.story, []).append(sentence)
    for story_sentences in by_story.values():
        for i, g1 in enumerate(story_sentences):
            for g2 in story_sentences[i + 1 :]:
                if g1.article == g2.article:
                    continue
                positive = bool(g1.chains & g2.chains)
                same = (min(g1.sid, g2.sid), max(g1.sid, g2.sid)) in together
                tp, fp, fn = (
                    tp + (same and positive),
                    fp + (same and not positive),
                    fn + (positive and not same),
                )
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "sentences": len(sentences),
        "chains": len(chains),
        "claims_multi_article": len(multi),
        "coverage": _round(len(covered) / len(sentences) if sentences else 0.0),
        "chain_recall": _round(found / len(chains) if chains else 0.0),
        "strict_precision": _round(pure / len(multi) if multi else 0.0),
        "pair_precision": _round(precision),
        "pair_recall": _round(recall),
        "pair_f1": _round(2 * precision * recall / (precision + recall) if tp else 0.0),
    }


def _pure(claim: Cover, sentences: Mapping[str, GoldSentence]) -> bool:
    """Every two covered sentences of different articles share an event chain."""
    items = [(a, sentences[x]) for a, sids in claim.items() for x in sids]
    return all(
        s1.chains & s2.chains
        for i, (a1, s1) in enumerate(items)
        for a2, s2 in items[i + 1 :]
        if a1 != a2
    )


def _round(value: float) -> float:
    return round(value, 4)


def _balance(figures: Mapping[str, Any]) -> float:
    """Harmonic mean of chain recall and strict precision (what the baseline is tuned on)."""
    r, p = float(figures["chain_recall"]), float(figures["strict_precision"])
    return 2 * p * r / (p + r) if p + r else 0.0


# --- the TF-IDF sentence baseline -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    article: str
    start: int
    end: int
    title: bool


def _lines(gold: Gold, keys: Iterable[str]) -> list[_Line]:
    out: list[_Line] = []
    for key in keys:
        text = gold.texts[key]
        pos = 0
        for number, line in enumerate(text.split("\n")):
            if line.strip():
                out.append(_Line(key, pos, pos + len(line), number == 0))
            pos += len(line) + 1
    return out


def _merges(vectors: list[dict[str, float]]) -> list[tuple[float, int, int]]:
    """Average-link merge sequence (similarity, kept cluster, absorbed cluster), best first."""
    import numpy as np

    n = len(vectors)
    if n < 2:
        return []
    vocab = {t: i for i, t in enumerate(sorted({t for v in vectors for t in v}))}
    matrix = np.zeros((n, max(1, len(vocab))))
    for row, vec in enumerate(vectors):
        for term, weight in vec.items():
            matrix[row, vocab[term]] = weight
    sums = matrix @ matrix.T  # sum of pairwise cosines between clusters (rows: clusters)
    size = np.ones(n)
    alive = np.ones(n, dtype=bool)
    out: list[tuple[float, int, int]] = []
    for _ in range(n - 1):
        average = sums / np.outer(size, size)
        average[~alive, :] = -1.0
        average[:, ~alive] = -1.0
        np.fill_diagonal(average, -1.0)
        flat = int(np.argmax(average))
        i, j = divmod(flat, n)
        best = float(average[i, j])
        if best <= 0.0:
            break
        i, j = min(i, j), max(i, j)
        out.append((best, i, j))
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        size[i] += size[j]
        alive[j] = False
    return out


def _tfidf(texts: list[str]) -> list[dict[str, float]]:
    bags = [Counter(t for t in _TERM.findall(x.lower()) if t not in _BASELINE_STOP) for x in texts]
    df: Counter[str] = Counter(t for bag in bags for t in bag)
    n = len(bags)
    out: list[dict[str, float]] = []
    for bag in bags:
        vec = {t: (1 + math.log(c)) * math.log((1 + n) / (1 + df[t])) for t, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({t: v / norm for t, v in vec.items()})
    return out


def baseline_covers(
    gold: Gold, stories: Iterable[str], view: str, thresholds: Sequence[float]
) -> dict[float, dict[str, list[Cover]]]:
    """Threshold -> story -> the baseline's clusters as covered gold sentences."""
    by_article: dict[str, list[GoldSentence]] = {}
    for sentence in gold.sentences:
        by_article.setdefault(sentence.article, []).append(sentence)
    out: dict[float, dict[str, list[Cover]]] = {t: {} for t in thresholds}
    for story in stories:
        keys = sorted(k for k, s in gold.story.items() if s == story)
        lines = [x for x in _lines(gold, keys) if view == "all" or not x.title]
        vectors = _tfidf([gold.texts[x.article][x.start : x.end] for x in lines])
        merges = _merges(vectors)
        for threshold in thresholds:
            parent = list(range(len(lines)))
            for sim, i, j in merges:
                if sim < threshold:
                    break
                parent[j] = i

            def root(i: int, parent: list[int] = parent) -> int:
                while parent[i] != i:
                    i = parent[i]
                return i

            clusters: dict[int, dict[str, set[str]]] = {}
            for index, line in enumerate(lines):
                hit = {
                    s.sid
                    for s in by_article.get(line.article, [])
                    if s.start < line.end and line.start < s.end
                }
                if hit:
                    clusters.setdefault(root(index), {}).setdefault(line.article, set()).update(hit)
            out[threshold][story] = [
                {a: frozenset(s) for a, s in c.items()} for c in clusters.values()
            ]
    return out


def evaluate(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Score storyline's claim groups and the TF-IDF baseline on both splits, both views.

    ``limit`` keeps the first N stories of each split (by name), for quick runs.
    """
    gold = load(data)
    stories = _stories(gold, limit)
    keys = {k for k, s in gold.story.items() if s in stories}
    wanted = {inp: key for inp, key in gold.inputs.items() if key in keys}
    started = time.perf_counter()
    articles = read_articles(_articles_path(data), wanted)
    docs = annotate_articles(articles)
    groups = storyline_claims(gold, docs)
    elapsed = time.perf_counter() - started
    return report(gold, docs, groups, stories, data=data, seconds=elapsed)


def _stories(gold: Gold, limit: int | None) -> set[str]:
    out: set[str] = set()
    for split in SPLITS:
        names = sorted(s for s, sp in gold.split.items() if sp == split)
        out.update(names[:limit] if limit is not None else names)
    return out


def report(
    gold: Gold,
    docs: Mapping[str, AnnotatedArticle],
    groups: Mapping[str, Sequence[ClaimGroup]],
    stories: set[str],
    *,
    data: Path,
    seconds: float = 0.0,
) -> dict[str, Any]:
    """The JSON-ready report for annotated articles and their claim groups."""
    covers = claim_covers(gold, docs, groups)
    out: dict[str, Any] = {
        "data": str(data),
        "split": "train topics (tuning) and dev topics (report); test topics kept apart",
        "articles": len(docs),
        "stories": len(stories),
        "seconds": round(seconds, 1),
        "storyline": {},
        "baseline": {},
    }
    for view in VIEWS:
        base = baseline_covers(gold, sorted(stories), view, BASELINE_GRID)
        tuned = {t: score(gold, base[t], "train", view, stories) for t in BASELINE_GRID}
        # tuned on the body view's train topics; the all view is tuned on its own train topics
        threshold = max(BASELINE_GRID, key=lambda t: (_balance(tuned[t]), -t))
        for split in SPLITS:
            out["storyline"][f"{split}/{view}"] = score(gold, covers, split, view, stories)
            figures = score(gold, base[threshold], split, view, stories)
            figures["threshold"] = threshold
            out["baseline"][f"{split}/{view}"] = figures
    return out


def format_report(report: dict[str, Any]) -> str:
    """A human-readable report: one line per system, split and view."""
    lines = [
        f"claim alignment on {report['data']}: {report['articles']} articles, "
        f"{report['stories']} stories; {report['split']}",
        "  view  split  system     sents chains multi  cover  chainR  strictP  pairP  pairR  pairF1",
    ]
    for view in VIEWS:
        for split in SPLITS:
            for system in ("storyline", "baseline"):
                f = report[system][f"{split}/{view}"]
                name = system if system == "storyline" else f"tfidf@{f['threshold']:.2f}"
                lines.append(
                    f"  {view:<5} {split:<6} {name:<10} {f['sentences']:>5} {f['chains']:>6} "
                    f"{f['claims_multi_article']:>5}  {f['coverage']:.3f}  {f['chain_recall']:.3f}"
                    f"   {f['strict_precision']:.3f}    {f['pair_precision']:.3f}  "
                    f"{f['pair_recall']:.3f}  {f['pair_f1']:.3f}"
                )
    lines.append(
        "  cover = gold sentences covered by a claim's evidence; chainR = chains over >= 2 "
        "articles that one claim spans in >= 2 articles; strictP = multi-article claims whose "
        "cross-article sentence pairs all share a chain; pair* = over gold sentence pairs. "
        "The baseline (TF-IDF sentences, average link, gold stories) is tuned on train."
    )
    return "\n".join(lines)
