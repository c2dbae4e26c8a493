"""Built-into-stories figures of the cross-lingual same-story pairs, per tuning half.

The cross-lingual pairs have no train split: half A (the tuning half) holds the pairs
whose sha256(pair id) starts with an even byte, half B the rest (only reported). Every
text of the file is clustered in one batch, as ``storyline eval same-story`` does; the
embeddings are timed on their own (CPU seconds of this process).

Usage:
    PYTHONPATH=src .venv/bin/python bench/same_story_halves.py --data ../shared/eval/same-story
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from storyline.evaluation import same_story
from storyline.stages.corpus.cluster import assign_stories
from storyline.stages.corpus.embed import embed_articles


def half(pair_id: str) -> str:
    """'A' (tuning) or 'B' (held out) by the parity of the first byte of sha256(pair id)."""
    return "A" if hashlib.sha256(pair_id.encode()).digest()[0] % 2 == 0 else "B"


def figures(path: Path) -> dict[str, Any]:
    rows = same_story._load(path)
    articles = same_story.pair_articles(rows)
    started = time.process_time()
    vectors = embed_articles(articles)
    embed_ms = 1000 * (time.process_time() - started) / max(1, len(articles))
    assigned, _ = assign_stories(articles, {}, embeddings=vectors)
    counts: dict[str, list[int]] = {}
    for row in rows:
        overall = same_story._overall(row)
        if same_story.SAME_MAX < overall < same_story.DIFFERENT_MIN:
            continue
        first, second = same_story._ids(row)
        together, gold = assigned[first] == assigned[second], overall <= same_story.SAME_MAX
        pair_id = str(row.get("pair_id") or row.get("id"))
        for part in ("all", half(pair_id)):
            c = counts.setdefault(part, [0, 0, 0, 0])
            if gold:
                c[0], c[1] = c[0] + together, c[1] + 1
            else:
                c[2], c[3] = c[2] + (not together), c[3] + 1
    return {
        "embed_cpu_ms_per_text": round(embed_ms, 2),
        **{
            part: {"together": f"{c[0]}/{c[1]}", "apart": f"{c[2]}/{c[3]}"}
            for part, c in sorted(counts.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/same-story"))
    args = parser.parse_args()
    report = {
        name: figures(args.data / name)
        for name in (same_story.XLING_FILE, same_story.EN_FILE)
        if (args.data / name).exists()
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
