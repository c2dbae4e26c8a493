"""The model's attribute ruler and lemmatizer in bulk forms, with the same annotations.

Both shipped components do their work through a Python call per token or per match: the
attribute ruler runs a Matcher over 179 rules (its predicate checks alone were 7 ms an
article) and applies each of its ~300 matches an article through a Span; the lemmatizer
reads every token's morphology and calls its rules per token. Together they were 20% of
the parse's CPU (bench/bench_parse.py). The forms here read and write the doc's arrays,
test the ruler's one-token rules by a dictionary of the words they name, and lemmatise
each distinct (form, part of speech, morphology) once. Every token ends with the
attributes the shipped components give it (tests/test_nlp_bulk.py, and the bench over
1,000 real articles compares every parse).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler, Lemmatizer
    from spacy.tokens import Doc

# The token attributes a one-token rule is tested on here, by the Matcher's key; a rule
# testing anything else (or by a regular expression) is left to spaCy's Matcher.
_TESTED = {"LOWER": LOWER, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
# What the rules set that is written through the doc's arrays (anything else, per token).
_BULK = (POS, MORPH, LEMMA)


@dataclass(frozen=True, slots=True)
class _Test:
    """One condition of a one-token rule: the token's ``attr`` is (or is not) one of
    ``values`` (string hashes; 1 or 0 for a flag)."""

    attr: int
    values: frozenset[int]
    negate: bool = False

    def holds(self, value: int) -> bool:
        return (value in self.values) != self.negate

    def mask(self, column: np.ndarray) -> np.ndarray:
        found = np.isin(column, np.fromiter(self.values, dtype=column.dtype))
        return ~found if self.negate else found


def _test(attr: int, value: Any, strings: Any) -> _Test | None:
    """The condition ``{key: value}`` of a Matcher pattern, or None if not one of ours."""
    if isinstance(value, bool):
        return _Test(attr, frozenset({int(value)})) if attr == IS_SPACE else None
    if isinstance(value, str):
        return _Test(attr, frozenset({strings.add(value)}))
    if isinstance(value, dict) and len(value) == 1:
        ((op, items),) = value.items()
        if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in items):
            return _Test(attr, frozenset(strings.add(v) for v in items), negate=op == "NOT_IN")
    return None


def _compiled(token: Mapping[str, Any], strings: Any) -> list[_Test] | None:
    """A one-token pattern as conditions, or None when spaCy's Matcher must test it."""
    tests = []
    for key, value in token.items():
        attr = _TESTED.get(key)
        test = None if attr is None else _test(attr, value, strings)
        if test is None or (attr == IS_SPACE and test.negate):
            return None
        tests.append(test)
    return tests


class BulkAttributeRules:
    """The model's ``attribute_ruler``, applied in bulk with the same result.

    The ruler matches every rule on the doc as it is, then applies the matches in rule
    order (a later rule's value wins). Here: the tag rules (a tag alone gives the part of
    speech and morphology: the old tag map) are written for all tokens of a tag at once;
    the one-token rules that name words are tested only at the tokens with those words;
    the other one-token rules as array masks; what is left (rules over two tokens, regular
    expressions) goes through a Matcher of its own. Each token that any non-tag rule
    matched gets its tag rules and those rules applied in rule order, as in the ruler.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        from spacy.matcher import Matcher

        strings = ruler.vocab.strings
        self.strings = strings
        self.attrs: list[dict[int, int]] = list(ruler.attrs)  # normalised: attr id -> value
        self.by_tag: defaultdict[int, list[int]] = defaultdict(list)  # tag -> its rules
        self.by_word: defaultdict[int, list[tuple[int, list[_Test]]]] = defaultdict(list)
        self.unkeyed: list[tuple[int, list[_Test]]] = []  # one-token rules naming no word
        self.matcher = Matcher(ruler.vocab)
        self.indices: list[int] = list(ruler.indices)
        for rule, spec in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = spec["patterns"]  # type: ignore[assignment]
            for pattern in patterns:
                tests = _compiled(pattern[0], strings) if len(pattern) == 1 else None
                if tests is None or self.indices[rule] not in (0, -1):
                    self.matcher.add(str(rule), [pattern])
                elif _is_tag_rule(tests, self.attrs[rule]):
                    for tag in tests[0].values:
                        self.by_tag[tag].append(rule)
                else:
                    words = [t for t in tests if t.attr == LOWER and not t.negate]
                    if words:
                        rest = [t for t in tests if t is not words[0]]
                        for word in words[0].values:
                            self.by_word[word].append((rule, rest))
                    else:
                        self.unkeyed.append((rule, tests))
        self.tag_values = {tag: _merged(self.attrs, rules) for tag, rules in self.by_tag.items()}
        self.words = np.fromiter(self.by_word, dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # every rule is matched on the doc as it was, before any rule is applied
        columns = {attr: doc.to_array(attr) for attr in _TESTED.values()}
        matched = self._matches(doc, columns)
        tags = columns[TAG]
        values = {attr: doc.to_array(attr) for attr in _BULK}
        for tag in np.unique(tags).tolist():
            for attr, value in self.tag_values.get(tag, {}).items():
                values[attr][tags == tag] = value
        per_token: list[tuple[int, dict[int, int]]] = []
        tag_list = tags.tolist()
        for i, rules in matched.items():
            merged = _merged(self.attrs, [*rules, *self.by_tag.get(tag_list[i], ())])
            for attr in _BULK:
                if attr in merged:
                    values[attr][i] = merged.pop(attr)
            if merged:
                per_token.append((i, merged))
        doc.from_array(list(_BULK), np.stack([values[a] for a in _BULK], axis=1))  # type: ignore[arg-type]
        if per_token:
            from spacy.tokens._retokenize import set_token_attrs

            for i, rest in per_token:  # a tag or dependency set by a rule (spaces)
                set_token_attrs(doc[i], rest)
        return doc

    def _matches(self, doc: Doc, columns: Mapping[int, np.ndarray]) -> dict[int, list[int]]:
        """The non-tag rules each token matches (tokens that match none are left out)."""
        matched: defaultdict[int, list[int]] = defaultdict(list)
        for key, start, end in self.matcher(doc, allow_missing=True, as_spans=False):
            rule = int(self.strings[key])
            matched[doc[start:end][self.indices[rule]].i].append(rule)
        lists = {attr: column.tolist() for attr, column in columns.items()}
        lower = lists[LOWER]
        for i in np.flatnonzero(np.isin(columns[LOWER], self.words)).tolist():
            for rule, tests in self.by_word[lower[i]]:
                if all(t.holds(lists[t.attr][i]) for t in tests):
                    matched[i].append(rule)
        for rule, tests in self.unkeyed:
            mask = np.ones(len(doc), dtype=bool)
            for test in tests:
                mask &= test.mask(columns[test.attr])
            for i in np.flatnonzero(mask).tolist():
                matched[i].append(rule)
        return matched


def _is_tag_rule(tests: Sequence[_Test], attrs: Mapping[int, int]) -> bool:
    """A rule of the tag map: one tag (or several) tested, part of speech or morphology set."""
    return (
        len(tests) == 1
        and tests[0].attr == TAG
        and not tests[0].negate
        and set(attrs) <= {POS, MORPH}
    )


def _merged(attrs: Sequence[Mapping[int, int]], rules: Sequence[int]) -> dict[int, int]:
    """What ``rules`` applied in rule order leave (a later rule's value wins)."""
    merged: dict[int, int] = {}
    for rule in sorted(set(rules)):
        merged.update(attrs[rule])
    return merged


class BulkLemmas:
    """The model's lemmatizer, with the same result, one call per distinct word form.

    A lemma depends only on the token's form, part of speech and morphology (the
    lemmatizer's own cache is keyed by them), so each distinct triple is lemmatised once
    and kept (up to :data:`LEMMA_MEMO` of them), and the lemmas are written through the
    doc's array. A lemma a rule set before is kept, as the lemmatizer keeps it.
    """

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lemmatizer = self.lemmatizer
        if not lemmatizer._validated:
            lemmatizer._validate_tables()
        if len(self.memo) > LEMMA_MEMO:
            self.memo.clear()
        # one attribute per to_array call: a two-column read costs ten times two of them
        orth = doc.to_array(ORTH).tolist()
        pos = doc.to_array(POS).tolist()
        morph = doc.to_array(MORPH).tolist()
        lemmas = doc.to_array(LEMMA)
        memo, strings = self.memo, doc.vocab.strings
        for i, lemma in enumerate(lemmas.tolist()):
            if lemma and not lemmatizer.overwrite:
                continue
            key = (orth[i], pos[i], morph[i])
            value = memo.get(key)
            if value is None:
                value = memo[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]
        return doc


LEMMA_MEMO = 500_000  # distinct (form, part of speech, morphology) kept per process


def _bulk_attribute_rules(nlp: Language, name: str) -> BulkAttributeRules:
    return BulkAttributeRules(nlp.get_pipe("attribute_ruler"))  # type: ignore[arg-type]


def _bulk_lemmas(nlp: Language, name: str) -> BulkLemmas:
    return BulkLemmas(nlp.get_pipe("lemmatizer"))  # type: ignore[arg-type]


_BULK_FORMS: tuple[tuple[str, str, Callable[[Language, str], object]], ...] = (
    ("attribute_ruler", "storyline_attribute_rules", _bulk_attribute_rules),
    ("lemmatizer", "storyline_lemmas", _bulk_lemmas),
)


def use_bulk_components(nlp: Language) -> None:
    """Swap the model's attribute ruler and lemmatizer for their bulk forms (same output)."""
    from spacy.language import Language

    for old, new, factory in _BULK_FORMS:
        if old not in nlp.pipe_names:
            continue
        if not Language.has_factory(new):
            Language.factory(new, func=factory)
        # the factory's annotations are strings here (postponed): spaCy cannot check them
        nlp.add_pipe(new, before=old, validate=False)
        nlp.remove_pipe(old)
