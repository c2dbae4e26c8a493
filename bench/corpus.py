"""Build a benchmark corpus of N news articles from the real texts in ../shared/eval.

The distinct real texts (PolNeAR, TempEval-3, SemEval same-story, ECB+: about 3,000) are
not enough for 10k or 100k articles, so the corpus adds reprints, as a news stream has:
the same body republished by other outlets, each with its own site chrome (navigation,
share buttons, a newsletter box, a copyright footer), a shifted publication date and a
light edit (a dropped last paragraph, an added credit line). Reprints stand in for
syndication, so the corpus is larger than the distinct texts and as redundant as a real
stream. Deterministic for a given N and seed.

Output: one JSON-lines file (gzip when the name ends in .gz) with the fields storyline
reads: url, outlet, title, published, text.

Usage:
    .venv/bin/python bench/corpus.py --eval ../shared/eval --n 10000 --out /tmp/corpus-10k.jsonl.gz
    # --distinct: every copy credits its outlet, so N records clean to about N articles
    .venv/bin/python bench/corpus.py --n 10000 --distinct --out /tmp/corpus-10k-distinct.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import zlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

_DATE_IN_NAME = re.compile(r"_(\d{4}-\d{2}-\d{2})_")
OUTLETS = [
    f"{name} {kind}"
    for name in (
        "Harbour",
        "Valley",
        "Capital",
        "Northern",
        "Coastal",
        "Metro",
        "Union",
        "Pacific",
        "Atlantic",
        "Central",
        "Evening",
        "Morning",
        "Daily",
        "Weekly",
        "Continental",
        "Midland",
        "River",
        "Summit",
    )
    for kind in ("Times", "Post", "Herald", "Courier", "Tribune", "Gazette")
]
CHROME_HEAD = [
    "Home | World | Politics | Business | Sport | Culture",
    "Subscribe now for unlimited access",
    "Share on Facebook  Share on Twitter  Email",
    "Advertisement",
]
CHROME_FOOT = [
    "Sign up for our morning newsletter and get the day's top stories in your inbox.",
    "Related: More from this section",
    "© {year} {outlet}. All rights reserved.",
    "Terms of use | Privacy policy | Cookie settings",
]


def real_texts(root: Path) -> Iterator[dict[str, Any]]:
    """Every distinct real news text with its date when the data set gives one."""
    for split in ("polnear-dev", "polnear-train"):
        for path in sorted((root / "quotes" / split / "text").glob("*.txt")):
            m = _DATE_IN_NAME.search(path.name)
            yield {"text": path.read_text("utf-8"), "published": m[1] if m else None}
    from storyline.evaluation.time import load_documents

    for split in ("time", "time-train"):
        if (root / split / "input").is_dir():
            for doc in load_documents(root / split):
                yield {"text": doc.text, "published": doc.dct}
    for path in sorted((root / "same-story").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            pair = json.loads(line)
            for side in ("text1", "text2"):
                yield {"text": pair[side], "published": None}
    ecb = root / "stories" / "ecbplus-dev" / "articles.jsonl"
    if ecb.exists():
        for line in ecb.read_text("utf-8").splitlines():
            yield {"text": json.loads(line)["text"], "published": None}


def _title(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if len(line.split()) >= 4), "")
    return " ".join(first.split()[:14])


def reprint(
    base: dict[str, Any], outlet: str, rng: random.Random, n: int, credit: bool = False
) -> dict[str, Any]:
    """One outlet's copy of a text: its chrome around the body, a date near the original's.

    ``credit``: every copy carries its outlet's credit line, so each outlet's copy is a
    distinct article (without it about half the copies clean to the same text as another
    copy and are one article in the store).
    """
    paragraphs = [p for p in base["text"].split("\n\n") if p.strip()]
    if len(paragraphs) > 3 and rng.random() < 0.4:
        paragraphs = paragraphs[:-1]  # the copy desk cut the last paragraph
    # the roll comes first so ``credit`` leaves the random stream, and the default corpus, as it was
    if rng.random() < 0.3 or credit:
        paragraphs.append(f"Reporting by staff of {outlet}.")
    day = date.fromisoformat(base["published"][:10]) if base["published"] else date(2024, 1, 1)
    day += timedelta(days=rng.choice((0, 0, 0, 1)))
    head = rng.sample(CHROME_HEAD, k=rng.randint(1, len(CHROME_HEAD)))
    foot = [
        line.format(year=day.year, outlet=outlet)
        for line in rng.sample(CHROME_FOOT, k=rng.randint(1, len(CHROME_FOOT)))
    ]
    return {
        "url": f"https://{outlet.lower().replace(' ', '')}.example/news/{n}",
        "outlet": outlet,
        "title": _title(base["text"]),
        "published": day.isoformat() if base["published"] else None,
        "text": "\n\n".join([*head, *paragraphs, *foot]),
    }


def corpus(root: Path, n: int, seed: int = 7, distinct: bool = False) -> Iterator[dict[str, Any]]:
    """``n`` articles: every distinct text once (first outlet), then reprints elsewhere.

    ``distinct``: every copy credits its outlet, so ``n`` records are about ``n`` articles
    (each base text goes to a different outlet in each round, 108 outlets); the default
    keeps the corpus the figures in docs/BENCHMARKS.md before stop 20 were measured on.
    """
    rng = random.Random(seed)
    bases = [b for b in real_texts(root) if len(b["text"].split()) >= 40]
    for i in range(n):
        base = bases[i % len(bases)]
        outlet = OUTLETS[
            (i // len(bases) + zlib.crc32(base["text"][:50].encode()) % 7) % len(OUTLETS)
        ]
        yield reprint(base, outlet, rng, i, credit=distinct)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path("../shared/eval"))
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="every copy credits its outlet: N records, ~N articles",
    )
    args = parser.parse_args()
    opener = gzip.open if args.out.suffix == ".gz" else open
    with opener(args.out, "wt", encoding="utf-8") as handle:  # type: ignore[operator]
        for record in corpus(args.eval, args.n, args.seed, args.distinct):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{args.n} articles -> {args.out}")


if __name__ == "__main__":
    main()
