"""Entity linking across the articles of one story: one canonical entity per real-world thing.

A corpus stage. Named mentions are grouped by a normalised key (case, accents, hyphens,
possessives and a leading "the" do not matter; country aliases map to one country), then
groups merge by general rules, each for one way news text varies a name:

* a part of a person's full name ("Shoigu", "Chang") is that person, when only one full
  name in the story contains it (otherwise the nearest preceding one in the article);
* spelling variants of one name ("Cheong Seong Chang" / "Cheong Seong-chang");
* an acronym is the name whose initials it spells ("KCNA"), or misspells by one swap of
  letters ("KNCA");
* a name in Cyrillic is the Latin name it transliterates to ("Сергій Шойгу");
* a capital stands for its country only where the text makes it an actor ("Moscow said",
  "cooperation with Moscow"); otherwise it stays a place of its own.

Role mentions ("North Korean leader", "the agency") link to the name they title or stand in
apposition to, or to the entity that the story already gave that role, or to the most recent
organisation of that kind in the same article. The result does not depend on the order of
``docs``: everything is processed in article-id order and ids are content hashes.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import OSA

from storyline.ids import group_id
from storyline.model import AnnotatedArticle, Claim, Entity, Mention, Quote, Span
from storyline.text.gazetteer import (
    CAPITALS,
    ORG_ROLES,
    PERSON_ROLES,
    country_of,
    demonym_country,
    fold,
    is_latin,
    sounds_like,
    transliterate,
)

# Words skipped when reading initials ("Bank of England" -> BOE would be wrong; BE is right).
_ACRONYM_SKIP = frozenset(
    {"of", "the", "and", "for", "de", "la", "le", "du", "des", "et", "&", "in", "on"}
)
# A capital after a speech or stance verb's subject slot, or after a relation noun, acts as
# its government ("Moscow denied", "cooperation with Moscow").
_ACTOR_AFTER = re.compile(
    r"^\s+(?:has\s+|have\s+|had\s+)?(?:said|says|denied|denies|accused|accuses|warned|warns|"
    r"announced|insisted|claimed|rejected|condemned|demanded|threatened|responded|vowed)\b"
)
_ACTOR_BEFORE = re.compile(
    r"\b(?:cooperation|co-operation|ties|relations|talks|deal|agreement|alliance|partnership|"
    r"dialogue|negotiations|contacts)\s+(?:with|between)\s+$"
)
# "Koo Byoungsam, spokesperson of ...," -> the clause between the commas describes the name.
_APPOSITIVE = re.compile(
    r"^,\s+((?:(?:an?|the)\s+)?([a-z][\w-]*)[^,.;:\"“”()]{0,120}?)\s*(?=[,.;]|$)"
)
_PERSON_LABELS = frozenset({"PERSON"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass(slots=True)
class _Group:
    """A growing entity: the mentions that name it."""

    key: str
    mentions: list[tuple[str, Mention]] = field(default_factory=list)  # (article id, mention)
    country: str | None = None
    descriptions: list[str] = field(default_factory=list)
    title_roles: list[str] = field(default_factory=list)
    role_keys: set[tuple[str, str | None]] = field(default_factory=set)
    # the labels of the named mentions, counted as they are added (``label`` is asked for
    # every candidate of every name placed: counting the mentions each time was quadratic)
    named_labels: Counter[str] = field(default_factory=Counter)

    def add(self, article: str, mention: Mention) -> None:
        """Take a mention (the only way mentions enter a group)."""
        self.mentions.append((article, mention))
        if not mention.role:
            self.named_labels[mention.label] += 1

    def names(self) -> list[str]:
        """Surface forms of the named (non-role) mentions."""
        return [" ".join(m.text.split()) for _, m in self.mentions if not m.role]

    def labels(self) -> Counter[str]:
        """Labels of the named mentions."""
        return Counter(self.named_labels)

    def label(self) -> str:
        """The majority label (a country is always a GPE)."""
        if self.country is not None:
            return "GPE"
        counts = self.named_labels
        # the most frequent, the first in order among equals (labels are distinct: min of
        # the key is the first of the sorted list)
        return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else "ORG"

    def name(self) -> str:
        """Canonical name: the most complete Latin-script proper-name form."""
        if self.country is not None:
            return self.country
        names = [n for n in self.names() if is_latin(n)] or self.names()
        return sorted(set(names), key=_name_rank)[0]


def _name_rank(name: str) -> tuple[int, int, int, str]:
    """Sort key: more words, then longer, then not all capitals, then alphabetical."""
    return (-len(name.split()), -len(name), int(name.isupper() and len(name) > 4), name)


@functools.lru_cache(maxsize=1 << 16)  # a story names the same people hundreds of times
def name_key(text: str) -> str:
    """Normalised key of a name: case, accents, hyphens, possessive and leading "the" ignored."""
    key = fold(text)
    key = re.sub(r"['’]s$", "", key)
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"[-‐‑–]", " ", key)
    return " ".join(key.split())


def _initials(name: str) -> str:
    """Initials of the capitalised words of a name ("Korean Central News Agency" -> "KCNA")."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _ACRONYM_SKIP]
    return "".join(w[0].upper() for w in words if w[0].isalpha())


def _is_acronym(text: str) -> bool:
    """An all-capitals single word of two to six letters ("KCNA", "AP")."""
    letters = text.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


def _acronym_matches(acronym: str, initials: str) -> bool:
    """Exact initials, or the same letters with one swap or substitution ("KNCA" ~ "KCNA")."""
    acronym = acronym.replace(".", "").upper()
    if acronym == initials:
        return True
    return (
        len(acronym) >= 3
        and len(acronym) == len(initials)
        and sorted(acronym) == sorted(initials)
        and OSA.distance(acronym, initials) <= 1
    )


def _is_actor(text: str, mention: Mention) -> bool:
    """True when a capital is used for its government (subject of "said", "ties with ...")."""
    after = text[mention.span.end : mention.span.end + 40]
    before = text[max(0, mention.span.start - 40) : mention.span.start]
    return bool(_ACTOR_AFTER.match(after) or _ACTOR_BEFORE.search(before))


def _role_key(text: str) -> tuple[str, str | None]:
    """(head noun, country) of a role phrase: "The DPRK leader" -> ("leader", "North Korea")."""
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    head = words[-1].lower() if words else ""
    modifier = " ".join(words[:-1])
    modifier = re.sub(r"^(?:the|this|that|its|his|her|their|our)\s+", "", modifier, flags=re.I)
    country = None
    for size in range(len(modifier.split()), 0, -1):
        for start in range(len(modifier.split()) - size + 1):
            chunk = " ".join(modifier.split()[start : start + size])
            country = country_of(chunk) or demonym_country(chunk)
            if country:
                break
        if country:
            break
    return head, country


# The most characters between a name and its apposed role (", the " with spaces): a farther
# name is no apposition, and the gap is not sliced or matched at all.
_APPOSITION_GAP = 16


class _Linker:
    """Holds the groups of one story while they are built (one instance per call)."""

    def __init__(self, docs: Sequence[AnnotatedArticle]) -> None:
        self.docs = sorted(docs, key=lambda d: d.article.id)
        self.texts = {d.article.id: d.article.text for d in self.docs}
        self.groups: dict[str, _Group] = {}
        self.assigned: dict[tuple[str, int, int], str] = {}  # (article, start, end) -> group key
        # Indexes of the "name:" groups, so placing a mention looks at the groups that can
        # take it instead of scanning every group (quadratic in a story's mentions):
        # spelling without spaces -> its keys, and each word of a key -> the keys with it.
        self.by_compact: dict[str, set[str]] = defaultdict(set)
        self.by_word: dict[str, set[str]] = defaultdict(set)

    # -- named mentions -------------------------------------------------------------------

    def _group(self, key: str) -> _Group:
        """The group for ``key``, created on first use."""
        if key not in self.groups:
            self.groups[key] = _Group(key)
            if key.startswith("name:"):
                self.by_compact[key[5:].replace(" ", "")].add(key)
                for word in key[5:].split():
                    self.by_word[word].add(key)
        return self.groups[key]

    def _add(self, key: str, article: str, mention: Mention) -> None:
        """Put a mention into the group ``key``."""
        self._group(key).add(article, mention)
        self.assigned[(article, mention.span.start, mention.span.end)] = key

    def named(self) -> None:
        """Group named mentions by key; countries, capitals as actors and spelling variants."""
        pending: list[tuple[str, Mention]] = []
        for doc in self.docs:
            aid = doc.article.id
            for mention in doc.mentions:
                if mention.role:
                    continue
                country = country_of(mention.text)
                if country is None and mention.label in _PLACE_LABELS:
                    capital = CAPITALS.get(" ".join(mention.text.split()))
                    if capital and _is_actor(self.texts[aid], mention):
                        country = capital
                if country is not None and mention.label != "NORP":
                    key = "country:" + country
                    self._add(key, aid, mention)
                    self.groups[key].country = country
                elif is_latin(mention.text):
                    pending.append((aid, mention))
                else:
                    pending.append((aid, mention))
        # Full names first, so that parts and foreign forms find them.
        pending.sort(key=lambda am: (-len(name_key(am[1].text).split()), am[0], am[1].span.start))
        for aid, mention in pending:
            self._place(aid, mention)

    def _place(self, aid: str, mention: Mention) -> None:
        """Choose the group of one named mention (full names are placed before their parts)."""
        key = name_key(mention.text)
        if not is_latin(mention.text):
            target = self._foreign_target(mention.text)
            self._add(target or "name:" + key, aid, mention)
            return
        same = [k for k in self.by_compact.get(key.replace(" ", ""), ()) if k in self.groups]
        if same:  # the first such group in key order, as a scan of the sorted groups finds
            self._add(min(same), aid, mention)
            return
        if mention.label in _PERSON_LABELS or mention.label == "ORG":
            target = self._full_name_for(aid, mention, key)
            if target is not None:
                self._add(target, aid, mention)
                return
        self._add("name:" + key, aid, mention)

    def _full_name_for(self, aid: str, mention: Mention, key: str) -> str | None:
        """The person whose full name contains this shorter name ("Chang" in "Cheong Seong Chang")."""
        words = key.split()
        if words:  # only a group whose key has every word can contain the name
            keys = set.intersection(*(self.by_word.get(w, set()) for w in words))
        else:
            keys = {k for k in self.groups if k.startswith("name:")}
        candidates: list[str] = []
        for gkey in sorted(k for k in keys if k in self.groups):
            if self.groups[gkey].label() != "PERSON":
                continue
            full = gkey[5:].split()
            if len(full) <= len(words):
                continue
            if any(full[i : i + len(words)] == words for i in range(len(full) - len(words) + 1)):
                candidates.append(gkey)
        if mention.label != "PERSON" and len(words) > 1:
            return None
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return None
        # Several people share the word: the nearest full name before it in the same article.
        best: tuple[int, str] | None = None
        for gkey in candidates:
            for art, m in self.groups[gkey].mentions:
                if (
                    art == aid
                    and m.span.end <= mention.span.start
                    and (best is None or m.span.end > best[0])
                ):
                    best = (m.span.end, gkey)
        return best[1] if best else None

    def _foreign_target(self, text: str) -> str | None:
        """The Latin-named person a Cyrillic name transliterates to, if exactly one."""
        forms = (transliterate(text), transliterate(text, russian_g=True))
        hits = sorted(
            gkey
            for gkey, group in self.groups.items()
            if gkey.startswith("name:")
            and group.label() == "PERSON"
            and any(
                sounds_like(form, n) for n in set(group.names()) if is_latin(n) for form in forms
            )
        )
        return hits[0] if len(set(hits)) == 1 else None

    def acronyms(self) -> None:
        """Merge acronyms into the organisation they abbreviate, and misspelt acronyms."""
        names = sorted(k for k in self.groups if k.startswith("name:"))
        full = {
            k: _initials(self.groups[k].name())
            for k in names
            if len(self.groups[k].name().split()) >= 2
        }
        short = [k for k in names if _is_acronym(self.groups[k].name())]
        for key in short:
            if key not in self.groups:
                continue  # merged into a peer spelling earlier in this loop
            acronym = self.groups[key].name()
            hits = sorted(
                {
                    k
                    for k, ini in full.items()
                    if k != key and k in self.groups and _acronym_matches(acronym, ini)
                }
            )
            if len(hits) == 1:
                self._merge(key, hits[0])
                continue
            if not hits:
                # Two spellings of one acronym ("KCNA", "KNCA"): the more frequent wins.
                peers = [
                    k
                    for k in short
                    if k != key
                    and k in self.groups
                    and _acronym_matches(acronym, self.groups[k].name())
                ]
                for peer in peers:
                    a, b = sorted([key, peer], key=lambda k: (-len(self.groups[k].mentions), k))
                    if a in self.groups and b in self.groups:
                        self._merge(b, a)
                        break

    def _merge(self, src: str, dst: str) -> None:
        """Move every mention of group ``src`` into group ``dst``."""
        if src == dst or src not in self.groups or dst not in self.groups:
            return
        for aid, mention in self.groups.pop(src).mentions:
            self._add(dst, aid, mention)

    # -- roles and descriptions -----------------------------------------------------------

    def roles(self) -> None:
        """Link role mentions: titles, appositions, roles the story already gave, recent orgs."""
        later: list[tuple[str, Mention]] = []
        for doc in self.docs:
            aid, text = doc.article.id, doc.article.text
            named = sorted((m for m in doc.mentions if not m.role), key=lambda m: m.span.start)
            starts = [m.span.start for m in named]
            people = [m for m in named if m.label == "PERSON"]
            people_starts = [m.span.start for m in people]
            for mention in doc.mentions:
                if not mention.role:
                    continue
                target = self._titled(aid, text, mention, named, starts) or self._apposed(
                    aid, text, mention, people, people_starts
                )
                if target is not None:
                    group = self.groups[target]
                    group.role_keys.add(_role_key(mention.text))
                    if group.label() == "PERSON" or mention.label != "PERSON":
                        self._add(target, aid, mention)
                        if self._titled(aid, text, mention, named, starts):
                            group.title_roles.append(" ".join(mention.text.split()))
                        continue
                later.append((aid, mention))
        for doc in self.docs:
            self._describe(doc)
        self._index_for_roles()
        for aid, mention in later:
            target = self._by_role(aid, mention)
            if target is not None:
                self._add(target, aid, mention)
                bisect.insort(self._ends.setdefault((target, aid), []), mention.span.end)

    def _titled(
        self, aid: str, text: str, role: Mention, named: Sequence[Mention], starts: list[int]
    ) -> str | None:
        """The name a role directly precedes ("leader Kim Jong Un", "agency KCNA").

        ``named`` is sorted by start and ``starts`` holds their starts (for bisection)."""
        i = bisect.bisect_left(starts, role.span.end)
        if i == len(named):
            return None
        mention = named[i]
        if text[role.span.end : mention.span.start].strip() == "":
            return self.assigned.get((aid, mention.span.start, mention.span.end))
        return None

    def _apposed(
        self, aid: str, text: str, role: Mention, people: Sequence[Mention], starts: list[int]
    ) -> str | None:
        """The person a role stands in apposition to ("Koo Byoungsam, spokesperson of ...").

        ``people`` are the article's named PERSON mentions sorted by start (``starts``)."""
        last = None
        for j in range(bisect.bisect_left(starts, role.span.start) - 1, -1, -1):
            if people[j].span.end <= role.span.start:
                last = people[j]
                break
        if last is None or role.span.start - last.span.end > _APPOSITION_GAP:
            return None
        gap = text[last.span.end : role.span.start]
        if re.fullmatch(r",\s*(?:(?:an?|the)\s+)?", gap):
            return self.assigned.get((aid, last.span.start, last.span.end))
        return None

    def _describe(self, doc: AnnotatedArticle) -> None:
        """Collect appositive descriptions of people ("an analyst at the Sejong Institute")."""
        aid, text = doc.article.id, doc.article.text
        for mention in doc.mentions:
            if mention.role or mention.label != "PERSON":
                continue
            match = _APPOSITIVE.match(text[mention.span.end : mention.span.end + 200])
            if not match or match.group(2).lower() not in PERSON_ROLES | _EXTRA_DESCRIPTORS:
                continue
            key = self.assigned.get((aid, mention.span.start, mention.span.end))
            if key is not None:
                desc = re.sub(r"^(?:an?|the)\s+", "", " ".join(match.group(1).split()))
                self.groups[key].descriptions.append(desc)

    def _index_for_roles(self) -> None:
        """Lookups for the roles left without a name beside them, built once: a long article
        has thousands of role mentions, and scanning every group for each was quadratic."""
        self._holders: dict[str, list[tuple[str, str | None]]] = {}
        self._by_last_word: dict[str, set[str]] = {}
        self._ends: dict[tuple[str, str], list[int]] = {}
        for key, group in self.groups.items():
            for head, country in group.role_keys:
                self._holders.setdefault(head, []).append((key, country))
            for name in group.names():
                if name.split():
                    self._by_last_word.setdefault(name.split()[-1].lower(), set()).add(key)
            for art, m in group.mentions:
                self._ends.setdefault((key, art), []).append(m.span.end)
        for ends in self._ends.values():
            ends.sort()

    def _by_role(self, aid: str, role: Mention) -> str | None:
        """A role with no name beside it: the entity the story gave that role, or a recent org."""
        head, country = _role_key(role.text)
        holders = sorted(
            {
                k
                for k, c in self._holders.get(head, ())
                if country is None or c is None or c == country
            }
        )
        if len(holders) == 1:
            return holders[0]
        if holders:
            return self._most_recent(aid, role, holders)
        if role.label == "ORG" and head in ORG_ROLES:
            # "the agency" after "KCNA": the latest organisation whose name ends in that word
            # (or abbreviates such a name), earlier in the same article.
            return self._most_recent(aid, role, sorted(self._by_last_word.get(head, ())))
        return None

    def _most_recent(self, aid: str, role: Mention, keys: Iterable[str]) -> str | None:
        """Of ``keys``, the group with the latest mention before ``role`` in the same article."""
        best: tuple[int, str] | None = None
        for key in keys:
            ends = self._ends.get((key, aid), [])
            i = bisect.bisect_right(ends, role.span.start)
            if i and (best is None or ends[i - 1] > best[0]):
                best = (ends[i - 1], key)
        return best[1] if best else None

    # -- output ---------------------------------------------------------------------------

    def entities(self) -> tuple[dict[str, str], tuple[Entity, ...]]:
        """(group key -> entity id, entities sorted by id)."""
        ids: dict[str, str] = {}
        out: list[Entity] = []
        for key, group in sorted(self.groups.items()):
            if not group.names():
                continue
            name, label = group.name(), group.label()
            ident = group_id("e", [label, name])
            ids[key] = ident
            spans = sorted(
                {Span(aid, m.span.start, m.span.end) for aid, m in group.mentions},
                key=lambda s: (s.article_id, s.start, s.end),
            )
            aliases = tuple(sorted({" ".join(m.text.split()) for _, m in group.mentions}))
            description = None
            if group.descriptions:
                description = sorted(set(group.descriptions), key=lambda d: (len(d), d))[0]
            elif group.title_roles:
                description = sorted(set(group.title_roles), key=lambda d: (-len(d.split()), d))[0]
            out.append(
                Entity(
                    id=ident,
                    name=name,
                    label=label,
                    aliases=aliases,
                    mentions=tuple(spans),
                    description=description,
                )
            )
        return ids, tuple(sorted(out, key=lambda e: e.id))


# Appositive heads that describe a person though they are not role nouns of their own.
_EXTRA_DESCRIPTORS = frozenset(
    {
        "spokesperson",
        "expert",
        "analyst",
        "researcher",
        "fellow",
        "member",
        "deputy",
        "former",
        "senior",
        "head",
    }
)


def _quote_links(
    quotes: Sequence[Quote],
    mentions: Sequence[Mention],
    index: dict[str, str],
    names: dict[str, str],
) -> tuple[Quote, ...]:
    """Quotes with ``speaker`` and ``via`` set from linked mentions or names.

    Display names become the entity's canonical name, so one speaker reads the same
    in every outlet ("Cheong Seong-chang" in one, "Chang" in another).
    """
    out: list[Quote] = []
    near = _MentionIndex(mentions)
    for quote in quotes:
        speaker = quote.speaker
        if quote.speaker_span is not None:
            found = _mention_at(near.around(quote.speaker_span), quote.speaker_span)
            if found is not None and found.entity_id is not None:
                speaker = found.entity_id
        if speaker is None and quote.speaker_name:
            speaker = index.get(name_key(quote.speaker_name))
        via = quote.via
        if via is None and quote.via_name:
            via = index.get(name_key(quote.via_name))
        out.append(
            replace(
                quote,
                speaker=speaker,
                via=via,
                speaker_name=_canonical(quote.speaker_name, speaker, index, names),
                via_name=_canonical(quote.via_name, via, index, names),
            )
        )
    return tuple(out)


def _canonical(
    name: str | None, entity: str | None, index: dict[str, str], names: dict[str, str]
) -> str | None:
    """The entity's canonical name for ``name`` when ``name`` is one of its variants.

    A speaker phrase naming several parties ("Russia and North Korea") links to one of
    them; its display name must stay the whole phrase.
    """
    if name and entity and index.get(name_key(name)) == entity:
        return names.get(entity, name)
    return name


def _claim_links(
    claims: Sequence[Claim], index: dict[str, str], names: dict[str, str]
) -> tuple[Claim, ...]:
    """Claims whose attributions name a linked entity get its id and canonical name."""
    out: list[Claim] = []
    for claim in claims:
        ids = [index.get(name_key(n)) for n in claim.attributed_to]
        attributed = tuple(
            dict.fromkeys(
                names[i] if i else n for i, n in zip(ids, claim.attributed_to, strict=True)
            )
        )
        out.append(
            replace(
                claim,
                attributed_to=attributed,
                attributed_ids=tuple(dict.fromkeys(i for i in ids if i)) or claim.attributed_ids,
            )
        )
    return tuple(out)


class _MentionIndex:
    """An article's mentions by position: the ones that can overlap a span, found by
    bisection (a long article has thousands of quotes and mentions)."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.order = sorted(range(len(mentions)), key=lambda i: mentions[i].span.start)
        self.starts = [mentions[i].span.start for i in self.order]
        self.longest = max((m.span.end - m.span.start for m in mentions), default=0)
        self.mentions = mentions

    def around(self, span: Span) -> list[Mention]:
        """The mentions that may overlap ``span``, in their original order."""
        lo = bisect.bisect_left(self.starts, span.start - self.longest)
        hi = bisect.bisect_left(self.starts, span.end)
        return [self.mentions[i] for i in sorted(self.order[lo:hi])]


def _mention_at(mentions: Sequence[Mention], span: Span) -> Mention | None:
    """The mention at ``span``: the same span, else the largest linked mention inside or around it."""
    best: Mention | None = None
    for mention in mentions:
        s = mention.span
        if (s.start, s.end) == (span.start, span.end) and mention.entity_id is not None:
            return mention
        overlaps = s.start < span.end and span.start < s.end
        if (
            overlaps
            and mention.entity_id is not None
            and (
                best is None
                or (not mention.role and best.role)
                or (s.end - s.start) > (best.span.end - best.span.start)
            )
        ):
            best = mention
    return best


def link_entities(
    docs: Sequence[AnnotatedArticle],
) -> tuple[tuple[AnnotatedArticle, ...], tuple[Entity, ...]]:
    """Canonical entities across the articles of one story; mentions and quotes get entity ids."""
    linker = _Linker(docs)
    linker.named()
    linker.acronyms()
    linker.roles()
    ids, entities = linker.entities()
    # Each name key is also an alias key, so quotes can be resolved by a speaker's name.
    index_votes: dict[str, set[str]] = defaultdict(set)
    for key, group in linker.groups.items():
        if key in ids:
            for _, mention in group.mentions:
                if not mention.role:
                    index_votes[name_key(mention.text)].add(ids[key])
    index = {k: next(iter(v)) for k, v in index_votes.items() if len(v) == 1}
    names = {e.id: e.name for e in entities}
    out: list[AnnotatedArticle] = []
    for doc in docs:
        aid = doc.article.id
        mentions = tuple(
            replace(
                m, entity_id=ids.get(linker.assigned.get((aid, m.span.start, m.span.end), ""), None)
            )
            for m in doc.mentions
        )
        quotes = _quote_links(doc.quotes, mentions, index, names)
        claims = _claim_links(doc.claims, index, names)
        out.append(replace(doc, mentions=mentions, quotes=quotes, claims=claims))
    return tuple(out), entities
