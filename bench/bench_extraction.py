"""Pages/s and peak memory of storyline's extraction vs trafilatura on the same pages.

Usage: .venv/bin/python bench/bench_extraction.py --data ../shared/eval/extraction [--limit N]
Pages come from the trafilatura evaluation corpus (unpacked once into the system temp dir).
Each system first gets a warm-up pass (imports, lazy models), then a timed pass, then a
pass under tracemalloc for peak Python memory (timed separately: tracing slows code down).
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from storyline.evaluation.extraction import (
    storyline_extract,
    trafilatura_extract,
    trafilatura_precision,
    unpacked_pages,
)
from storyline.io.readers.decode import decode_bytes
from storyline.model import RawDocument
from storyline.stages.clean.document import clean


def storyline_clean(data: bytes) -> str | None:
    """The full clean() stage: extraction plus metadata, captions and block languages."""
    decoded = decode_bytes(data)
    if decoded.text is None:
        return ""
    result = clean(RawDocument(input="bench", content=decoded.text, fmt="html"))
    return getattr(result, "text", "")


SYSTEMS: dict[str, Callable[[bytes], str | None]] = {
    "trafilatura": trafilatura_extract,
    "trafilatura (precision)": trafilatura_precision,
    "storyline (extraction)": storyline_extract,
    "storyline (clean, all metadata)": storyline_clean,
}


def _run(extractor: Callable[[bytes], str | None], pages: list[bytes]) -> float:
    """Seconds to run the extractor over every page (errors count as done)."""
    started = time.perf_counter()
    for page in pages:
        try:
            extractor(page)
        except Exception:  # a crash is the evaluation's business, not the benchmark's
            continue
    return time.perf_counter() - started


def main() -> None:
    """Time each system over the same pages and print a table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/extraction"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    index = json.loads((args.data / "evaldata.json").read_text(encoding="utf-8"))
    folder = unpacked_pages(args.data)
    files = [item["file"] for _, item in sorted(index.items())]
    pages = [(folder / name).read_bytes() for name in files[: args.limit]]
    megabytes = sum(len(p) for p in pages) / 1e6
    print(f"{len(pages)} pages, {megabytes:.1f} MB of HTML")
    print(f"{'system':<34}{'pages/s':>9}{'ms/page':>9}{'MB/s':>7}{'peak MB':>9}")
    for name, extractor in SYSTEMS.items():
        _run(extractor, pages[: args.warmup])
        seconds = _run(extractor, pages)
        tracemalloc.start()
        _run(extractor, pages)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{name:<34}{len(pages) / seconds:>9.1f}{1000 * seconds / len(pages):>9.2f}"
            f"{megabytes / seconds:>7.2f}{peak / 1e6:>9.1f}"
        )


if __name__ == "__main__":
    main()
