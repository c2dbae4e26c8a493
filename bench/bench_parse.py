"""The parse's CPU with the model's components as shipped and in storyline's bulk forms (issue 9).

Usage:
    PYTHONPATH=src .venv/bin/python bench/bench_parse.py CORPUS.jsonl N

Parses the texts of the first N records of CORPUS (JSON lines with "text") in batches of
``pipeline.BATCH``, each batch by both pipelines in turn (the order alternating from batch
to batch), with ``storyline.nlp.ModelLoader(bulk=False)`` (the model as shipped, plus
storyline's paragraph component) and ``ModelLoader()`` (the attribute ruler and the
lemmatizer in their bulk forms). Prints each pipeline's CPU per text and per component
(``time.process_time``, components timed one after the other over the batch), and how
many parses are identical in every token attribute a stage reads.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections import defaultdict

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.tokens import Doc

from storyline.nlp import ModelLoader
from storyline.pipeline import BATCH

ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]


def timed_parse(nlp: Language, texts: list[str], cpu: dict[str, float]) -> list[Doc]:
    """``nlp.pipe(texts)``, component by component, adding each one's CPU to ``cpu``."""
    started = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    cpu["tokenizer"] += time.process_time() - started
    for name, component in nlp.pipeline:
        started = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=BATCH))
        else:
            docs = [component(doc) for doc in docs]
        cpu[name] += time.process_time() - started
    return docs


def same(a: Doc, b: Doc) -> bool:
    """The two parses agree in every attribute the stages read."""
    return bool(np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS))) and [
        (str(t.morph), t.lemma_) for t in a
    ] == [(str(t.morph), t.lemma_) for t in b]


def main(corpus: str, n: int) -> None:
    with open(corpus, encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in itertools.islice(handle, n)]
    pipelines = {"shipped": ModelLoader(bulk=False).get(), "bulk": ModelLoader().get()}
    cpu: dict[str, defaultdict[str, float]] = {name: defaultdict(float) for name in pipelines}
    identical = 0
    for turn, start in enumerate(range(0, len(texts), BATCH)):
        batch = texts[start : start + BATCH]
        order = list(pipelines) if turn % 2 == 0 else list(reversed(pipelines))
        docs = {name: timed_parse(pipelines[name], batch, cpu[name]) for name in order}
        identical += sum(same(a, b) for a, b in zip(docs["shipped"], docs["bulk"], strict=True))
    for name, parts in cpu.items():
        per_text = {k: round(v / len(texts) * 1000, 2) for k, v in parts.items()}
        total = round(sum(parts.values()) / len(texts) * 1000, 2)
        print(f"{name}: {total} ms CPU a text; by component {per_text}")
    print(f"identical parses: {identical} of {len(texts)}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
