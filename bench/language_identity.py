"""Language identification: the same answers as main's code, and its CPU per article.

Cleans every real text of ../shared/eval (the documents ``bench/crashcheck.py`` reads:
PolNeAR, TempEval-3, SemEval same-story, ECB+, CoNLL-2003, the extraction HTML pages) and
every record of a bench corpus (``bench/corpus.py`` JSON lines) twice, each time in its own
process: once with main's code (``git archive <ref> src`` into a temporary directory) and
once with this tree's ``src``. Each run times ``BlockLanguage.detect`` (process CPU seconds,
after a warm-up that loads lingua's models) and counts the calls that reach lingua. The
parent prints both runs' detect CPU per article and the number of blocks and documents whose
language differs between the two (it must be 0).

Usage:
    .venv/bin/python bench/language_identity.py --eval ../shared/eval \
        --corpus /tmp/c1k.jsonl [--ref main] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# Texts in several of the detector's languages, none from the corpora: the first lingua call
# loads the models it needs, which costs seconds and must not count as per-article CPU.
_WARM_UP = (
    "Der Bundestag hat am Donnerstag über den Haushalt beraten und abgestimmt.",
    "Верховна Рада ухвалила закон про державний бюджет на наступний рік.",
    "Le gouvernement a présenté jeudi son projet de budget pour l'année prochaine.",
    "El gobierno presentó el jueves su proyecto de presupuesto para el próximo año.",
    "Il governo ha presentato giovedì il progetto di bilancio per il prossimo anno.",
    "Rząd przedstawił w czwartek projekt budżetu na przyszły rok kalendarzowy.",
    "政府は木曜日に来年度の予算案を発表しました。",
    "The government presented its budget for next year on Thursday afternoon.",
)


def _documents(eval_root: Path | None, corpus: Path | None) -> Iterator[tuple[str, Any]]:
    """(name, RawDocument) for the eval texts, then the corpus records."""
    if eval_root is not None:
        sys.path.insert(0, str(HERE))
        from crashcheck import documents

        for doc in documents(eval_root):
            yield doc.raw.input, doc.raw
    if corpus is not None:
        from storyline.io.readers import read_inputs
        from storyline.model import RawDocument

        for n, raw in enumerate(read_inputs([corpus])):
            if isinstance(raw, RawDocument):
                yield f"corpus#{n}", raw


class _Counting:
    """Stands in for the lingua detector and counts the calls that reach it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return method(*args, **kwargs)

        return counted


def worker(eval_root: Path | None, corpus: Path | None, limit: int | None, out: Path) -> None:
    """Clean every document with the storyline on sys.path; write languages and CPU."""
    from storyline.model import InputProblem
    from storyline.stages.clean.document import clean
    from storyline.text import language

    found = language.detector()
    for text in _WARM_UP:
        found.detect(text)
    counting = _Counting(found._detector)
    found._detector = counting  # type: ignore[assignment]
    spent = [0.0]
    calls = [0]
    original = language.BlockLanguage.detect

    def timed(self: Any, text: str) -> str | None:
        start = time.process_time()
        try:
            return original(self, text)
        finally:
            spent[0] += time.process_time() - start
            calls[0] += 1

    language.BlockLanguage.detect = timed  # type: ignore[method-assign]
    docs: dict[str, Any] = {}
    per_source: dict[str, list[float]] = {}
    for n, (name, raw) in enumerate(islice(_documents(eval_root, corpus), limit)):
        before = spent[0]
        article = clean(raw)
        source = "corpus" if name.startswith("corpus#") else "eval"
        tally = per_source.setdefault(source, [0, 0.0])
        tally[0] += 1
        tally[1] += spent[0] - before
        key = f"{n}:{name}"  # a few eval names repeat (the same pair id in two files)
        if isinstance(article, InputProblem):
            docs[key] = None
            continue
        docs[key] = [article.language, [b.language for b in article.blocks]]
    out.write_text(
        json.dumps(
            {
                "docs": docs,
                "detect_cpu_s": spent[0],
                "detect_calls": calls[0],
                "lingua_calls": counting.calls,
                "per_source": per_source,
            }
        )
    )


def _run(src: Path, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--out", str(out)]
    if args.eval is not None:
        command += ["--eval", str(args.eval.resolve())]
    if args.corpus is not None:
        command += ["--corpus", str(args.corpus.resolve())]
    if args.limit is not None:
        command += ["--limit", str(args.limit)]
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run(command, check=True, env=env, cwd=src.parent)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, int]:
    """Documents and blocks whose language differs between the two runs."""
    counts = {"documents": 0, "blocks": 0, "doc_language_diff": 0, "block_language_diff": 0}
    for name, was in old["docs"].items():
        now = new["docs"].get(name, "missing")
        counts["documents"] += 1
        if was is None or now is None or now == "missing":
            counts["doc_language_diff"] += was != now
            continue
        counts["blocks"] += len(was[1])
        counts["doc_language_diff"] += was[0] != now[0]
        if len(was[1]) != len(now[1]):
            counts["block_language_diff"] += max(len(was[1]), len(now[1]))
        else:
            counts["block_language_diff"] += sum(
                a != b for a, b in zip(was[1], now[1], strict=True)
            )
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eval", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--ref", default="main", help="git ref of the old code")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.eval, args.corpus, args.limit, args.out)
        return 0
    root = HERE.parent
    with tempfile.TemporaryDirectory(prefix="langid-") as tmp:
        old_root = Path(tmp) / "old"
        old_root.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", args.ref, "src"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive, check=True)
        old = _run(old_root / "src", args, Path(tmp) / "old.json")
        new = _run(root / "src", args, Path(tmp) / "new.json")
    counts = compare(old, new)
    report: dict[str, Any] = {"counts": counts}
    for label, run in (("old", old), ("new", new)):
        report[label] = {
            "detect_cpu_s": round(run["detect_cpu_s"], 3),
            "detect_calls": run["detect_calls"],
            "lingua_calls": run["lingua_calls"],
            "ms_per_article": {
                source: round(1000 * cpu / max(n, 1), 3)
                for source, (n, cpu) in run["per_source"].items()
            },
            "articles": {source: n for source, (n, _) in run["per_source"].items()},
        }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"documents {counts['documents']}, blocks {counts['blocks']}")
        print(
            f"differing document languages {counts['doc_language_diff']}, "
            f"differing block languages {counts['block_language_diff']}"
        )
        for label in ("old", "new"):
            r = report[label]
            print(
                f"{label}: detect CPU {r['detect_cpu_s']} s over {r['detect_calls']} calls, "
                f"{r['lingua_calls']} reach lingua; ms per article {r['ms_per_article']} "
                f"(articles {r['articles']})"
            )
    return 0 if counts["doc_language_diff"] == 0 and counts["block_language_diff"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
