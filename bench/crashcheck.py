"""Run every real text at hand through the whole pipeline in strict mode; count exceptions.

Nothing a real corpus contains may stop a build. Each document of the eval corpora
(PolNeAR train and dev texts, TempEval-3 bodies of time/ and time-train/, the SemEval
same-story texts in English and across languages, the CoNLL-2003 documents, the 990
extraction pages as HTML and the ECB+ articles) goes the way `storyline build` takes it:
clean (as a text dump or an HTML page), then every article stage with ``strict=True``.
Then each source's articles are clustered into stories as a build would, and every
story is assembled (syndication, linking, timeline, corroboration) and rendered as
JSON, Markdown and HTML, each story in strict mode. Sources are interleaved, so
``--limit`` samples all of them.

It prints the documents and stories tried, the exceptions by type and place (the
innermost storyline frame) and, for each, the smallest set of the first failing
document's paragraphs that still raises it.

Usage:
    .venv/bin/python bench/crashcheck.py --eval ../shared/eval [--limit 520] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice, zip_longest
from pathlib import Path
from typing import Any

from storyline.evaluation.extraction import unpacked_pages
from storyline.evaluation.ner import read_conll
from storyline.evaluation.time import load_documents
from storyline.io.store.sqlite import story_id
from storyline.io.writers import dossier_dict, render_dossier_html, render_markdown
from storyline.model import AnnotatedArticle, InputProblem, RawDocument, Story
from storyline.nlp import english
from storyline.pipeline import annotate_article
from storyline.stages.clean.document import clean
from storyline.stages.clean.newsness import is_news
from storyline.stages.corpus.cluster import assign_stories
from storyline.stages.corpus.dossier import assemble

_DATE_IN_NAME = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


@dataclass(frozen=True, slots=True)
class Source:
    """One document of an eval corpus, as a reader would hand it to ``clean``."""

    source: str
    raw: RawDocument


def _text(ident: str, text: str, published: str | None = None) -> RawDocument:
    return RawDocument(input=ident, content=text, fmt="text", published=published)


def _polnear(root: Path) -> Iterator[Source]:
    for split in ("polnear-dev", "polnear-train"):
        for path in sorted((root / "quotes" / split / "text").glob("*.txt")):
            m = _DATE_IN_NAME.search(path.name)
            raw = _text(f"{split}/{path.name}", path.read_text("utf-8"), m[1] if m else None)
            yield Source(split, raw)


def _timebank(root: Path) -> Iterator[Source]:
    for split in ("time", "time-train"):
        if (root / split / "input").is_dir():
            for doc in load_documents(root / split):
                yield Source(split, _text(f"{split}/{doc.id}", doc.text, doc.dct))


def _same_story(path: Path) -> Iterator[Source]:
    for n, line in enumerate(path.read_text("utf-8").splitlines()):
        pair = json.loads(line)
        ident = pair.get("pair_id") or pair.get("id") or str(n)
        for side in ("text1", "text2"):
            yield Source(path.stem, _text(f"{path.stem}/{ident}/{side}", pair[side]))


def _ecb(root: Path) -> Iterator[Source]:
    path = root / "stories" / "ecbplus-dev" / "articles.jsonl"
    if path.exists():
        for line in path.read_text("utf-8").splitlines():
            item = json.loads(line)
            yield Source("ecbplus-dev", _text(f"ecbplus-dev/{item['key']}", item["text"]))


def _conll(root: Path) -> Iterator[Source]:
    path = root / "ner" / "eng.testb.original.txt"
    if path.exists():
        for n, doc in enumerate(read_conll(path)):
            yield Source("conll", _text(f"conll/{n}", doc.text))


def _extraction(root: Path) -> Iterator[Source]:
    if not (root / "extraction").is_dir():
        return
    for path in sorted(unpacked_pages(root / "extraction").glob("*.html")):
        html = path.read_bytes().decode("utf-8", errors="replace")
        yield Source(
            "extraction", RawDocument(input=f"extraction/{path.name}", content=html, fmt="html")
        )


def documents(root: Path) -> Iterator[Source]:
    """Every source's documents, interleaved one from each in turn."""
    # each same-story file is a source of its own, so a sample reaches the cross-lingual pairs
    pairs = [_same_story(p) for p in sorted((root / "same-story").glob("*.jsonl"))]
    streams = [_polnear(root), _timebank(root), *pairs, _ecb(root), _conll(root), _extraction(root)]
    for batch in zip_longest(*streams):
        yield from (d for d in batch if d is not None)


def _place(exc: BaseException) -> str:
    """The innermost frame inside the storyline package: file:line function."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/storyline/" in f.filename]
    if not frames:
        return "?"
    f = frames[-1]
    return f"{f.filename.split('/storyline/')[-1]}:{f.lineno} {f.name}"


def minimal_input(raw: RawDocument, fails: Callable[[RawDocument], bool]) -> str:
    """The fewest paragraphs of ``raw`` that still make ``fails`` true (greedy removal)."""
    parts = [p for p in raw.content.split("\n\n") if p.strip()]
    i = 0
    while len(parts) > 1 and i < len(parts):
        trial = parts[:i] + parts[i + 1 :]
        if fails(
            RawDocument(
                input=raw.input, content="\n\n".join(trial), fmt=raw.fmt, published=raw.published
            )
        ):
            parts = trial
        else:
            i += 1
    text = "\n\n".join(parts)
    return text if len(text) <= 600 else text[:600] + " …"


class Tally:
    """Exceptions by (type, place), with the first example of each."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.first: dict[tuple[str, str], dict[str, str]] = {}

    def add(
        self, exc: BaseException, where: str, minimal: Callable[[], str] | None = None
    ) -> tuple[str, str]:
        key = (type(exc).__name__, _place(exc))
        self.counts[key] += 1
        if key not in self.first:
            self.first[key] = {
                "where": where,
                "message": str(exc)[:200],
                "minimal": minimal() if minimal else "",
            }
        return key

    def record(self, failure: dict[str, Any]) -> None:
        key = tuple(failure["key"])
        self.counts[key] += 1  # type: ignore[index]
        self.first.setdefault(key, {k: failure[k] for k in ("where", "message", "minimal")})  # type: ignore[arg-type]

    def report(self) -> list[dict[str, Any]]:
        return [
            {"type": t, "place": p, "count": n, **self.first[(t, p)]}
            for (t, p), n in self.counts.most_common()
        ]


def _run_article(raw: RawDocument) -> AnnotatedArticle | None:
    cleaned = clean(raw)
    if isinstance(cleaned, InputProblem):
        return None  # reported as a problem, as a build would: not a crash
    return annotate_article(cleaned, english(), strict=True)


def _raises_same(key: tuple[str, str]) -> Callable[[RawDocument], bool]:
    def fails(raw: RawDocument) -> bool:
        try:
            _run_article(raw)
        except Exception as exc:
            return (type(exc).__name__, _place(exc)) == key
        return False

    return fails


def _try(doc: Source) -> tuple[str, AnnotatedArticle | None, dict[str, Any] | None]:
    """One document through clean and every article stage (in a worker process)."""
    try:
        return doc.source, _run_article(doc.raw), None
    except Exception as exc:
        key = (type(exc).__name__, _place(exc))
        failure = {
            "key": key,
            "where": doc.raw.input,
            "message": str(exc)[:200],
            "minimal": minimal_input(doc.raw, _raises_same(key)),
        }
        return doc.source, None, failure


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--limit", type=int, default=None, help="documents to try (interleaved)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for the articles")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    english()  # loaded once before workers fork

    tally = Tally()
    tried, skipped = Counter[str](), Counter[str]()
    by_source: dict[str, list[AnnotatedArticle]] = defaultdict(list)
    docs = islice(documents(args.eval), args.limit)
    if args.jobs > 1:
        import multiprocessing

        pool = multiprocessing.get_context("fork").Pool(args.jobs)
        results = pool.imap(_try, docs, chunksize=8)
    else:
        pool, results = None, map(_try, docs)
    for source, annotated, failure in results:
        tried[source] += 1
        if failure is not None:
            tally.record(failure)
        elif annotated is not None:
            by_source[source].append(annotated)
        else:
            skipped[source] += 1
    if pool is not None:
        pool.close()
    article_failures = sum(tally.counts.values())

    # corpus stages: each source's articles become stories as a build would make them
    stories_tried = 0
    for source, docs in by_source.items():
        news = [d.article for d in docs if is_news(d.article)]
        try:
            assignments, _ = assign_stories(news, {})
        except Exception as exc:
            tally.add(exc, f"{source}: clustering")
            continue
        members: dict[str, list[AnnotatedArticle]] = defaultdict(list)
        by_id = {d.article.id: d for d in docs}
        for article_id, key in assignments.items():
            members[key].append(by_id[article_id])
        for key, group in sorted(members.items()):
            stories_tried += 1
            story = Story(id=story_id(key), article_ids=tuple(d.article.id for d in group))
            try:
                dossier = assemble(story, group, strict=True)
                json.dumps(dossier_dict(dossier))
                render_markdown(dossier)
                render_dossier_html(dossier)
            except Exception as exc:
                tally.add(exc, f"{source}: story of {len(group)} ({group[0].article.input})")

    report = {
        "documents": sum(tried.values()),
        "by_source": dict(tried),
        "not_articles": dict(skipped),
        "stories": stories_tried,
        "documents_that_raised": article_failures,
        "stories_that_raised": sum(tally.counts.values()) - article_failures,
        "exceptions": tally.report(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(
            f"documents tried: {report['documents']} ({', '.join(f'{k} {v}' for k, v in tried.items())})"
        )
        print(f"reported as not an article (empty, no body): {sum(skipped.values())}")
        print(f"stories built and rendered: {stories_tried}")
        print(
            f"documents that raised: {article_failures}; stories that raised: {report['stories_that_raised']}"
        )
        for e in report["exceptions"]:
            print(
                f"  {e['count']:4d}  {e['type']:<16} {e['place']}   first: {e['where']}: {e['message']}"
            )
            if e["minimal"]:
                print("        minimal input: " + e["minimal"].replace("\n", " ⏎ ")[:300])
        print(f"{report['seconds']} s")
    return 1 if report["exceptions"] else 0


if __name__ == "__main__":
    sys.exit(main())
