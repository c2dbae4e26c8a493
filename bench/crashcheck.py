"""Run real texts through ``storyline annotate`` in strict mode and count the exceptions.

Nothing a real corpus contains may stop a build: this feeds the eval corpora's texts
(PolNeAr quote articles, TempEval-3 bodies, SemEval same-story texts, ECB+ articles)
one record at a time through :func:`storyline.annotate.annotate_records` with
``strict=True`` and reports documents tried and exceptions by type and place (the
innermost storyline frame). Sources are interleaved, so ``--limit`` samples all of them.

Usage:
    .venv/bin/python bench/crashcheck.py --eval ../shared/eval [--limit 300] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from collections import Counter
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path
from typing import Any

from storyline.annotate import annotate_records
from storyline.evaluation.time import load_documents
from storyline.nlp import english

_DATE_IN_NAME = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


def _polnear(root: Path) -> Iterator[dict[str, Any]]:
    for split in ("polnear-dev", "polnear-train"):
        for path in sorted((root / "quotes" / split / "text").glob("*.txt")):
            m = _DATE_IN_NAME.search(path.name)
            yield {
                "id": f"{split}/{path.name}",
                "text": path.read_text(encoding="utf-8"),
                "published": m[1] if m else None,
            }


def _timebank(root: Path) -> Iterator[dict[str, Any]]:
    for split in ("time", "time-train"):
        if (root / split / "input").is_dir():
            for doc in load_documents(root / split):
                yield {"id": f"{split}/{doc.id}", "text": doc.text, "published": doc.dct}


def _same_story(path: Path) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        pair = json.loads(line)
        for side in ("text1", "text2"):
            ident = pair.get("pair_id") or pair.get("id") or str(n)
            yield {"id": f"{path.stem}/{ident}/{side}", "text": pair[side]}


def _ecb(root: Path) -> Iterator[dict[str, Any]]:
    path = root / "stories" / "ecbplus-dev" / "articles.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            yield {"id": f"ecbplus-dev/{item['key']}", "text": item["text"]}


def records(root: Path) -> Iterator[dict[str, Any]]:
    """Every source's records, interleaved one from each in turn."""
    # each same-story file is a source of its own, so a sample reaches the cross-lingual pairs
    pairs = [_same_story(p) for p in sorted((root / "same-story").glob("*.jsonl"))]
    for batch in zip_longest(_polnear(root), _timebank(root), *pairs, _ecb(root)):
        yield from (r for r in batch if r is not None)


def _place(exc: BaseException) -> str:
    """The innermost frame inside the storyline package: file:line function."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/storyline/" in f.filename]
    if not frames:
        return "?"
    f = frames[-1]
    return f"{f.filename.split('/storyline/')[-1]}:{f.lineno} {f.name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    nlp = english()
    tried, failures = 0, Counter[tuple[str, str]]()
    examples: dict[tuple[str, str], str] = {}
    by_source = Counter[str]()
    for record in records(args.eval):
        if args.limit is not None and tried >= args.limit:
            break
        tried += 1
        by_source[record["id"].split("/")[0]] += 1
        try:
            next(annotate_records([record], nlp=nlp, strict=True))
        except Exception as exc:
            key = (type(exc).__name__, _place(exc))
            failures[key] += 1
            examples.setdefault(key, f"{record['id']}: {str(exc)[:120]}")
    report = {
        "documents": tried,
        "by_source": dict(by_source),
        "failed": sum(failures.values()),
        "exceptions": [
            {"type": t, "place": p, "count": n, "first": examples[(t, p)]}
            for (t, p), n in failures.most_common()
        ],
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"documents tried: {tried} ({', '.join(f'{k} {v}' for k, v in by_source.items())})")
        print(f"documents that raised: {report['failed']}")
        for e in report["exceptions"]:
            print(f"  {e['count']:4d}  {e['type']:<16} {e['place']}   e.g. {e['first']}")
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
