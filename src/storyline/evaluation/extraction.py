"""HTML -> article body on trafilatura's evaluation corpus, side by side with trafilatura.

Counts follow trafilatura's own evaluation (tests/eval_common.py in its repository): each
``with`` segment found in the whitespace-normalised output is a true positive (else a false
negative), each ``without`` segment found is a false positive (else a true negative); counts
are summed over the corpus; an extractor that crashes on a page misses all its segments.
"""

from __future__ import annotations

import json
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline.errors import EvalDataError
from storyline.io.readers.decode import decode_bytes
from storyline.stages.clean.document import extract_body

Extractor = Callable[[bytes], str | None]

# Published on these 990 pages (SOURCE.md), so a run can be read against them.
PUBLISHED = {"trafilatura 2.2.0 (standard)": 0.924, "trafilatura 2.2.0 (precision)": 0.920}


def storyline_extract(data: bytes) -> str | None:
    """Storyline's body text for raw page bytes (decoding included, as in ingest)."""
    decoded = decode_bytes(data)
    if decoded.text is None:
        return ""
    return extract_body(decoded.text)


def trafilatura_extract(data: bytes) -> str | None:
    """Trafilatura with its default settings (as in its evaluation)."""
    from trafilatura import extract

    result: str | None = extract(data)
    return result


def trafilatura_precision(data: bytes) -> str | None:
    """Trafilatura with favor_precision=True."""
    from trafilatura import extract

    result: str | None = extract(data, favor_precision=True)
    return result


SYSTEMS: dict[str, Extractor] = {
    "storyline": storyline_extract,
    "trafilatura": trafilatura_extract,
    "trafilatura (precision)": trafilatura_precision,
}


def unpacked_pages(data: Path) -> Path:
    """The folder of HTML pages, unpacked once into the system temp dir and reused."""
    archive = data / "html.tar.xz"
    if (data / "html").is_dir():
        return data / "html"
    if not archive.exists():
        raise EvalDataError(f"no {archive}")
    # keyed by archive size so a new corpus version never reuses a stale copy
    target = Path(tempfile.gettempdir()) / f"storyline-eval-extraction-{archive.stat().st_size}"
    if not (target / "html").is_dir():
        partial = target.with_name(target.name + ".part")
        partial.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:xz") as tar:
            tar.extractall(partial, filter="data")
        partial.rename(target)  # atomic: a half-unpacked folder is never taken as complete
    return target / "html"


def _normalise(text: str) -> str:
    """Whitespace-normalised text, as trafilatura's evaluation compares it."""
    return " ".join(text.split())


def score_page(output: str | None, item: dict[str, Any]) -> tuple[int, int, int, int]:
    """(tp, fn, fp, tn) of one page's output against its with/without segments."""
    with_segments = [_normalise(s) for s in item.get("with", [])]
    without_segments = [_normalise(s) for s in item.get("without", [])]
    if output is None:  # a crash: every segment counts as missed
        return 0, len(with_segments), 0, len(without_segments)
    text = _normalise(output)
    tp = sum(1 for s in with_segments if s in text)
    fp = sum(1 for s in without_segments if s in text)
    return tp, len(with_segments) - tp, fp, len(without_segments) - fp


def metrics(tp: int, fn: int, fp: int, tn: int) -> dict[str, float]:
    """Precision, recall, F1 and accuracy from micro counts."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = tp + fn + fp + tn
    accuracy = (tp + tn) / total if total else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


def evaluate(
    data: Path,
    *,
    limit: int | None = None,
    systems: dict[str, Extractor] | None = None,
) -> dict[str, Any]:
    """Run every system on the corpus pages and count with/without segments."""
    index_path = data / "evaldata.json"
    if not index_path.exists():
        raise EvalDataError(f"no {index_path}")
    index: dict[str, dict[str, Any]] = json.loads(index_path.read_text(encoding="utf-8"))
    pages = unpacked_pages(data)
    chosen = systems or SYSTEMS
    items = sorted(index.items())[:limit] if limit else sorted(index.items())
    counts = {name: [0, 0, 0, 0] for name in chosen}
    seconds = dict.fromkeys(chosen, 0.0)
    crashes = dict.fromkeys(chosen, 0)
    missing = 0
    for _url, item in items:
        path = pages / item["file"]
        if not path.exists():
            missing += 1
            continue
        raw = path.read_bytes()
        for name, extractor in chosen.items():
            started = time.perf_counter()
            try:
                output = extractor(raw)
            except Exception:  # a crash is scored, not raised: that is the protocol
                output = None
                crashes[name] += 1
            seconds[name] += time.perf_counter() - started
            for slot, value in enumerate(score_page(output, item)):
                counts[name][slot] += value
    done = len(items) - missing
    report: dict[str, Any] = {
        "pages": done,
        "missing_pages": missing,
        "segments": {
            "with": sum(len(i.get("with", [])) for _, i in items),
            "without": sum(len(i.get("without", [])) for _, i in items),
        },
        "systems": {},
        "published_f1": PUBLISHED,
    }
    for name in chosen:
        tp, fn, fp, tn = counts[name]
        report["systems"][name] = {
            **{k: round(v, 4) for k, v in metrics(tp, fn, fp, tn).items()},
            "tp": tp,
            "fn": fn,
            "fp": fp,
            "tn": tn,
            "crashes": crashes[name],
            "ms_per_page": round(1000 * seconds[name] / max(1, done), 2),
        }
    return report


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of the report."""
    lines = [
        f"extraction: {report['pages']} pages, {report['segments']['with']} with / "
        f"{report['segments']['without']} without segments",
        f"{'system':<26}{'precision':>10}{'recall':>8}{'F1':>8}{'accuracy':>10}{'ms/page':>9}{'crashes':>9}",
    ]
    for name, row in report["systems"].items():
        lines.append(
            f"{name:<26}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}"
            f"{row['accuracy']:>10.3f}{row['ms_per_page']:>9.1f}{row['crashes']:>9}"
        )
    published = ", ".join(f"{k} F1 {v}" for k, v in report["published_f1"].items())
    lines.append(f"published on all 990 pages: {published}")
    return "\n".join(lines)
