"""Quotation / attribution evaluation on PolNeAR: storyline against textacy, side by side.

Each article is annotated through the ``storyline annotate`` contract (part ``quotes``) and
by textacy's ``direct_quotations`` over a parse by the same spaCy model, in one run.

Gold: one annotator per article, the first ``<article>_<annotator>.ann`` by name, so the
choice is deterministic. An attribution is (content, source, cue); discontinuous spans
(``;``) are kept as several ranges.

Scores, for each system:

* relations: storyline's quotations that share a cue are one relation (PolNeAR's unit:
  one cue, one source, content that may be discontinuous);
* content: predicted content vs gold content, matched one-to-one (largest overlap first);
  "overlap" = any shared character, "exact" = the same range after trimming spaces, quote
  marks and edge punctuation on both sides (gold contents keep their quote marks, ours
  drop them: the trim makes the two conventions comparable and applies to both systems);
* source and cue, given a matched content: among content-matched pairs, precision over
  pairs where the system gives a source (cue), recall over pairs where the gold has one;
* attribution: content and source both overlap, over all predictions and all gold items;
* sources: PolNeAR's source is the whole noun phrase with its apposition ("X, an analyst
  at Y, said"); both systems give the name, so the apposition up to the cue is added to
  their source before scoring (``_with_apposition``);
* words/s: whitespace words over the wall time of the whole run (parse included).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Ranges = tuple[tuple[int, int], ...]
EDGE = " \t\r\n\"'“”‘’«».,;:!?—–-()"


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution: content ranges and, when given, source and cue ranges."""

    content: Ranges
    source: Ranges = ()
    cue: Ranges = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A PolNeAR article with its gold attributions (one annotator)."""

    name: str
    text: str
    gold: tuple[Attribution, ...]


def load(data: Path, *, limit: int | None = None) -> list[Article]:
    """Articles of a PolNeAR split folder (``text/``, ``attributions/``)."""
    texts = sorted((data / "text").glob("*.txt"))
    annotations = sorted((data / "attributions").glob("*.ann"))
    out: list[Article] = []
    for path in texts:
        stem = path.stem
        chosen = next((a for a in annotations if a.stem.rsplit("_", 1)[0] == stem), None)
        if chosen is None:
            continue
        text = path.read_text(encoding="utf-8")
        gold = parse_ann(chosen.read_text(encoding="utf-8"))
        out.append(Article(name=stem, text=text, gold=gold))
        if limit is not None and len(out) >= limit:
            break
    return out


def parse_ann(standoff: str) -> tuple[Attribution, ...]:
    """Attributions of a brat standoff file (T lines for spans, E lines linking them)."""
    spans: dict[str, Ranges] = {}
    events: list[dict[str, str]] = []
    for line in standoff.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            kind_and_ranges = parts[1].split(" ", 1)
            if len(kind_and_ranges) != 2:
                continue
            ranges = []
            for chunk in kind_and_ranges[1].split(";"):
                start, end = chunk.split()
                ranges.append((int(start), int(end)))
            spans[parts[0]] = tuple(ranges)
        elif parts[0].startswith("E"):
            roles = dict(item.split(":", 1) for item in parts[1].split() if ":" in item)
            events.append(roles)
    out: list[Attribution] = []
    for roles in events:
        content = spans.get(roles.get("Content", ""), ())
        if not content:
            continue
        out.append(
            Attribution(
                content=content,
                source=spans.get(roles.get("Source", ""), ()),
                cue=spans.get(roles.get("Cue", ""), ()),
            )
        )
    return tuple(out)


def _trim(text: str, ranges: Ranges) -> tuple[int, int] | None:
    """The extent of ``ranges`` with spaces, quote marks and edge punctuation trimmed."""
    if not ranges:
        return None
    start = min(s for s, _ in ranges)
    end = max(e for _, e in ranges)
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return (start, end) if end > start else None


def _overlap(a: Ranges, b: Ranges) -> int:
    """Characters shared by two range sets."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _match(gold: list[Attribution], pred: list[Attribution]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs, largest content overlap first."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            shared = _overlap(g.content, p.content)
            if shared > 0:
                pairs.append((shared, gi, pi))
    return _one_to_one(pairs)


class _Counts:
    """True positives and denominators for one score."""

    def __init__(self) -> None:
        """Start at zero."""
        self.tp_p = 0
        self.tp_r = 0
        self.pred = 0
        self.gold = 0

    def add(self, tp: int, pred: int, gold: int, tp_r: int | None = None) -> None:
        """Add counts (``tp_r`` when recall's true positives differ from precision's)."""
        self.tp_p += tp
        self.tp_r += tp if tp_r is None else tp_r
        self.pred += pred
        self.gold += gold

    def scores(self) -> dict[str, float]:
        """Precision, recall and F1."""
        p = self.tp_p / self.pred if self.pred else 0.0
        r = self.tp_r / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


METRICS = (
    "content_exact",
    "content_overlap",
    "source_exact",
    "source_overlap",
    "cue_exact",
    "cue_overlap",
    "attribution",
)
# The definitions used for independent checks (issue 13), printed beside the others:
# content matched when the prediction overlaps at least half of the gold content span
# (one-to-one, largest overlap first); speaker and cue exact over those matched pairs.
CHECK_METRICS = ("content_50", "speaker_exact_50", "cue_exact_50")
HALF = 0.5
_PRONOUN_WORDS = "i me we us you he him she her it they them who this that"
_DETERMINER_WORDS = "the a an his her their its our my your this that these those"
PRONOUNS = frozenset(_PRONOUN_WORDS.split())
DETERMINERS = frozenset(_DETERMINER_WORDS.split())
# Two apostrophes are a double quote mark in the New York Times archive texts of PolNeAR.
QUOTE_MARKS = ('"', "“", "”", "''")


def gold_kind(text: str, attribution: Attribution) -> str:
    """How the gold content is reported: "direct" (opens with a quote mark), "mixed", "indirect"."""
    pieces = [text[start:end] for start, end in attribution.content]
    if not any(mark in piece for piece in pieces for mark in QUOTE_MARKS):
        return "indirect"
    return "direct" if "".join(pieces).strip().startswith(QUOTE_MARKS) else "mixed"


def speaker_kind(text: str, attribution: Attribution) -> str:
    """The gold source's kind: "pronoun", "name", "role noun", or "none"."""
    if not attribution.source:
        return "none"
    start = min(s for s, _ in attribution.source)
    end = max(e for _, e in attribution.source)
    words = text[start:end].split()
    if not words:
        return "none"
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return "pronoun"
    if words[0].lower() in DETERMINERS or words[0][:1].islower():
        return "role noun"
    return "name"


def score(
    text: str, gold: list[Attribution], pred: list[Attribution], counts: dict[str, _Counts]
) -> None:
    """Add one article's counts for every metric."""
    exact_gold = {_trim(text, g.content) for g in gold} - {None}
    exact_pred = [_trim(text, p.content) for p in pred]
    hits = sum(1 for e in set(exact_pred) if e in exact_gold)
    counts["content_exact"].add(hits, len(pred), len(gold))
    matched = _match(gold, pred)
    counts["content_overlap"].add(len(matched), len(pred), len(gold))
    for role in ("source", "cue"):
        pred_has = [pair for pair in matched if getattr(pred[pair[1]], role)]
        gold_has = [pair for pair in matched if getattr(gold[pair[0]], role)]
        exact = overlap = 0
        for gi, pi in matched:
            g_r: Ranges = getattr(gold[gi], role)
            p_r: Ranges = getattr(pred[pi], role)
            if not g_r or not p_r:
                continue
            if _trim(text, g_r) == _trim(text, p_r):
                exact += 1
            if _overlap(g_r, p_r) > 0:
                overlap += 1
        counts[f"{role}_exact"].add(exact, len(pred_has), len(gold_has))
        counts[f"{role}_overlap"].add(overlap, len(pred_has), len(gold_has))
    both = sum(1 for gi, pi in matched if _overlap(gold[gi].source, pred[pi].source) > 0)
    counts["attribution"].add(both, len(pred), len(gold))
    half = _match_half(gold, pred)
    counts["content_50"].add(len(half), len(pred), len(gold))
    for gi in range(len(gold)):
        kind = f"content_50/{gold_kind(text, gold[gi])}"
        counts.setdefault(kind, _Counts()).add(0, 0, 1, tp_r=int(any(g == gi for g, _ in half)))
    for role, metric in (("source", "speaker_exact_50"), ("cue", "cue_exact_50")):
        exact = 0
        for gi, pi in half:
            g_r, p_r = getattr(gold[gi], role), getattr(pred[pi], role)
            hit = bool(g_r and p_r and _trim(text, g_r) == _trim(text, p_r))
            exact += hit
            if role == "source" and g_r:
                kind = f"speaker_exact_50/{speaker_kind(text, gold[gi])}"
                counts.setdefault(kind, _Counts()).add(0, 0, 1, tp_r=int(hit))
        n_pred = sum(1 for _, pi in half if getattr(pred[pi], role))
        n_gold = sum(1 for gi, _ in half if getattr(gold[gi], role))
        counts[metric].add(exact, n_pred, n_gold)


def _match_half(gold: list[Attribution], pred: list[Attribution]) -> list[tuple[int, int]]:
    """One-to-one pairs whose overlap covers at least half of the gold content."""
    pairs = []
    for gi, g in enumerate(gold):
        size = sum(e - s for s, e in g.content)
        for pi, p in enumerate(pred):
            shared = _overlap(g.content, p.content)
            if size and shared >= HALF * size:
                pairs.append((shared, gi, pi))
    return _one_to_one(pairs)


def _one_to_one(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """(gold, prediction) pairs taken greedily by largest overlap, each side used once."""
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, gi, pi in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _storyline(articles: list[Article]) -> Iterator[list[Attribution]]:
    """storyline's quotations through the annotate contract."""
    from storyline.annotate import annotate_records

    records = ({"id": a.name, "text": a.text, "published": None} for a in articles)
    for out in annotate_records(records, parts=frozenset({"quotes"})):
        yield _relations(out.get("quotes", []))


def _relations(quotes: list[dict[str, Any]]) -> list[Attribution]:
    """Quotations as attribution relations: the quotations that share a cue are one relation.

    PolNeAR annotates one relation per cue, its content discontinuous where the cue
    interrupts it (``“A,” she said. “B.”``); storyline gives each piece its own Quote
    with the same cue, so the pieces are joined back here. A quoted fragment inside the
    content of another quotation (``urged the “rapid expansion” of production``) is part of
    that relation's content, not a relation of its own.
    """
    whole = [(q["start"], q["end"]) for q in quotes if q.get("kind") != "fragment"]
    quotes = [
        q
        for q in quotes
        if q.get("kind") != "fragment"
        or not any(s <= q["start"] and q["end"] <= e for s, e in whole)
    ]
    by_cue: dict[tuple[int, int], list[dict[str, Any]]] = {}
    alone: list[list[dict[str, Any]]] = []
    for q in quotes:
        cue = q.get("cue")
        if cue:
            by_cue.setdefault((cue["start"], cue["end"]), []).append(q)
        else:
            alone.append([q])
    preds: list[Attribution] = []
    for group in [*by_cue.values(), *alone]:
        source = next((q["speaker"] for q in group if q.get("speaker")), None)
        cue = group[0].get("cue")
        preds.append(
            Attribution(
                content=tuple(sorted((q["start"], q["end"]) for q in group)),
                source=((source["start"], source["end"]),) if source else (),
                cue=((cue["start"], cue["end"]),) if cue else (),
            )
        )
    return preds


def _textacy(articles: list[Article]) -> Iterator[list[Attribution]]:
    """textacy's direct quotations over a parse by the same spaCy model."""
    from textacy.extract.triples import direct_quotations

    from storyline.nlp import english

    nlp = english()
    for article in articles:
        doc = nlp(article.text)
        preds: list[Attribution] = []
        try:
            triples = list(direct_quotations(doc))
        except ValueError:
            # textacy refuses documents with an odd number of quote marks: nothing found.
            triples = []
        for triple in triples:
            speaker = tuple((t.idx, t.idx + len(t.text)) for t in triple.speaker)
            cue = tuple((t.idx, t.idx + len(t.text)) for t in triple.cue)
            content = triple.content
            preds.append(
                Attribution(
                    content=((content.start_char, content.end_char),),
                    source=_extent(speaker),
                    cue=_extent(cue),
                )
            )
        yield preds


APPOSITION = re.compile(r",[^\"“”\n,]{1,200}(?:,[^\"“”\n,]{1,200})?,\s*")


def _with_appositions(text: str, pred: Attribution) -> Attribution:
    """The source with its apposition, before or after the cue."""
    return _with_trailing_apposition(text, _with_apposition(text, pred))


def _with_apposition(text: str, pred: Attribution) -> Attribution:
    """The source with the apposition between it and the cue ("X, an analyst at Y, said").

    PolNeAR's source is the speaker's whole noun phrase; both systems give the name (the
    mention that entity linking resolves), so the apposition up to the cue is added.
    """
    if len(pred.source) != 1 or not pred.cue:
        return pred
    (s_start, s_end), c_start = pred.source[0], pred.cue[0][0]
    if s_end > c_start or not APPOSITION.fullmatch(text, s_end, c_start):
        return pred
    if _first_word(text, s_end + 1) in NOT_APPOSITION:
        return pred  # "Clinton, in her campaigning, said": an aside, not the speaker's phrase
    gap_end = text.rindex(",", s_end, c_start) + 1
    if len(text[s_end:gap_end].split()) > 30:
        return pred
    return Attribution(content=pred.content, source=((s_start, gap_end),), cue=pred.cue)


# A title's or an initial's full stop is no sentence end ("who came to hear Mr. Trump").
_ABBREVIATION = r"\b(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Gov|Sen|Rep|Gen|Lt|Col|Maj|Capt|Sgt|Rev|Prof|[A-Z])\."
# Words that open an aside between a name and its cue rather than an apposition ("X, for
# his part, said"; "X, however, said"): prepositions and sentence adverbs.
NOT_APPOSITION = frozenset(
    {
        "in", "for", "at", "on", "by", "with", "from", "after", "before", "during", "since",
        "however", "meanwhile", "though", "too", "also", "then", "now", "instead", "still",
        "yet", "again", "likewise", "indeed",
    }
)  # fmt: skip


def _first_word(text: str, at: int) -> str:
    """The lower-cased first word of ``text`` from ``at`` on."""
    words = text[at : at + 40].split(maxsplit=1)
    return words[0].lower().strip(",") if words else ""


_APPOSITION_PART = rf"(?:{_ABBREVIATION}|[^\"“”\n,.;:]){{1,200}}"
# one comma inside, as in the leading form ("said X, an executive at Y's parent, Z.")
TRAILING_APPOSITION = re.compile(rf",{_APPOSITION_PART}(?:,{_APPOSITION_PART})?(?=[.;]|$)")


def _with_trailing_apposition(text: str, pred: Attribution) -> Attribution:
    """The source with its apposition when it follows the cue ("said X, an analyst at Y.").

    The same PolNeAR convention as ``_with_apposition``, for the order cue-first: the
    apposition runs from the comma after the name to the end of the sentence.
    """
    if len(pred.source) != 1 or not pred.cue:
        return pred
    (s_start, s_end), c_end = pred.source[0], pred.cue[-1][1]
    if s_start < c_end or any(s <= s_end < e for s, e in pred.content):
        return pred
    match = TRAILING_APPOSITION.match(text, s_end)
    if match is None or len(match.group(0).split()) > 20:
        return pred
    return Attribution(content=pred.content, source=((s_start, match.end()),), cue=pred.cue)


def _extent(ranges: Ranges) -> Ranges:
    """One range from the first start to the last end (token lists to a span)."""
    if not ranges:
        return ()
    return ((min(s for s, _ in ranges), max(e for _, e in ranges)),)


def evaluate(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Score storyline and textacy on a PolNeAR split; returns a JSON-ready report."""
    from storyline.nlp import english

    articles = load(Path(data), limit=limit)
    words = sum(len(a.text.split()) for a in articles)
    english()  # load the model before any clock starts: both systems share it
    systems: dict[str, Any] = {}
    for name, run in (("storyline", _storyline), ("textacy", _textacy)):
        counts = {m: _Counts() for m in (*METRICS, *CHECK_METRICS)}
        started = time.perf_counter()
        predictions = list(run(articles))
        elapsed = time.perf_counter() - started
        for article, preds in zip(articles, predictions, strict=True):
            preds = [_with_appositions(article.text, p) for p in preds]
            score(article.text, list(article.gold), preds, counts)
        systems[name] = {
            **{m: counts[m].scores() for m in (*METRICS, *CHECK_METRICS)},
            "by_kind": {
                m: {"recall": c.scores()["r"], "gold": c.gold}
                for m, c in sorted(counts.items())
                if "/" in m
            },
            "predicted": counts["content_overlap"].pred,
            "seconds": round(elapsed, 3),
            "words_per_second": round(words / elapsed) if elapsed else None,
        }
    return {
        "data": str(data),
        "articles": len(articles),
        "words": words,
        "gold_attributions": sum(len(a.gold) for a in articles),
        "annotator": "first .ann file by name per article",
        "systems": systems,
    }


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of the report."""
    lines = [
        f"PolNeAR quotations: {report['articles']} articles, {report['words']} words, "
        f"{report['gold_attributions']} gold attributions ({report['annotator']})",
        "",
        f"{'metric':<18}" + "".join(f"{name:>26}" for name in report["systems"]),
    ]
    for metric in (*METRICS, *CHECK_METRICS):
        cells = []
        for system in report["systems"].values():
            s = system[metric]
            cells.append(f"{s['f1']:.3f} (P {s['p']:.3f} R {s['r']:.3f})")
        lines.append(f"{metric:<18}" + "".join(f"{c:>26}" for c in cells))
    lines.append(
        f"{'predicted':<18}" + "".join(f"{s['predicted']:>26}" for s in report["systems"].values())
    )
    lines.append(
        f"{'words/s':<18}"
        + "".join(f"{s['words_per_second']!s:>26}" for s in report["systems"].values())
    )
    kinds = sorted({k for system in report["systems"].values() for k in system["by_kind"]})
    lines += ["", f"{'by gold kind (recall)':<30}" + "".join(f"{n:>16}" for n in report["systems"])]
    for kind in kinds:
        cells = [
            f"{s['by_kind'][kind]['recall']:.3f}" if kind in s["by_kind"] else "-"
            for s in report["systems"].values()
        ]
        gold_n = next(
            s["by_kind"][kind]["gold"] for s in report["systems"].values() if kind in s["by_kind"]
        )
        lines.append(f"{kind + f' (n={gold_n})':<30}" + "".join(f"{c:>16}" for c in cells))
    lines += [
        "",
        "Independent-check definitions: content_50 = the prediction overlaps >= 50% of the gold",
        "content span (one-to-one); speaker_exact_50 / cue_exact_50 = exact source (speaker",
        "mention with its apposition, as PolNeAR marks it) / cue over content_50 pairs. By kind:",
        "content by how the gold reports it (direct = quoted whole, mixed, indirect); speaker",
        "exact by the gold source's kind (name, pronoun, role noun).",
        "",
        "source_* and cue_* are scored on content-matched pairs; attribution = content and",
        "source both overlap, over all items. Exact = same range after trimming spaces, quote",
        "marks and edge punctuation on both sides.",
    ]
    return "\n".join(lines)
