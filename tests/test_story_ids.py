"""Story ids are stable: an article joining a story keeps the story's id (and its links)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import api
from storyline.io.store.sqlite import story_id

SEED_NAMES = ("000_7ad4c010def9a89b.txt", "003_88fbbbda507f7614.txt")


@pytest.mark.parametrize("order", [SEED_NAMES, SEED_NAMES[::-1]])
def test_story_id_survives_a_later_ingest(
    seeds_dir: Path, tmp_path: Path, order: tuple[str, str]
) -> None:
    first, second = (seeds_dir / name for name in order)
    with api.open_store(tmp_path / "s.db") as store:
        assert api.ingest([first], store).added == 1
        before = api.cluster(store)
        assert len(before) == 1 and len(before[0].article_ids) == 1
        assert api.ingest([second], store).added == 1
        after = api.cluster(store)
    assert len(after) == 1, "the two seed reports are one story"
    assert after[0].id == before[0].id
    assert len(after[0].article_ids) == 2
    assert after[0].article_ids[0] == before[0].article_ids[0]


def test_story_id_is_prefixed_hex_of_the_founding_article() -> None:
    sid = story_id("a0123456789abcd")
    assert sid.startswith("s") and len(sid) == 13
    int(sid[1:], 16)
    assert story_id("a0123456789abcd") == sid
    assert story_id("a0123456789abce") != sid
