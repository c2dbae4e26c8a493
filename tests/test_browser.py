"""Browser tests (issue 12): the workbench as a person uses it, in Debian's headless chromium.

Playwright drives /usr/bin/chromium (installed by `make test`'s `browser` target) on pages
served on 127.0.0.1 from a store built from examples/seeds plus one hostile article.
Skipped with the reason only when chromium is missing outside CI; in CI (CI=true) a
missing browser fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline import api
from tests.test_web import make_inputs

pytestmark = pytest.mark.slow

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from storyline.web.screenshots import CHROMIUM, VIEWPORT, browser, served  # noqa: E402

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI needs {CHROMIUM}: `make browser` installs it")
    pytest.skip(f"no chromium at {CHROMIUM} (run `make browser`)", allow_module_level=True)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    db = root / "b.db"
    with api.open_store(db) as store:
        api.ingest([make_inputs(root, seeds_dir)], store)
        api.refresh_dossiers(store)
    with served(str(db)) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as instance:
        yield instance


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=VIEWPORT)
    p = context.new_page()
    dialogs: list[str] = []
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.dialogs = dialogs
    yield p
    context.close()


def open_seed_story(page: Any, base: str) -> None:
    page.goto(f"{base}/")
    page.locator("a.story-link").first.click()  # largest story first: the two seed articles
    page.wait_for_url("**/story/s*")


def test_seed_story_shows_timeline_and_claim_statuses(page: Any, base: str) -> None:
    open_seed_story(page, base)
    assert page.locator("#timeline li").count() > 0
    assert page.locator("#timeline .when").first.inner_text().startswith("20")
    statuses = page.locator("#claims .badge").all_inner_texts()
    assert "corroborated" in statuses and "single-source" in statuses
    assert page.locator("#coverage td.cell a").count() > 0


def test_claim_evidence_opens_the_article_with_the_sentence_highlighted(
    page: Any, base: str
) -> None:
    open_seed_story(page, base)
    row = page.locator("#claims tbody tr").filter(has=page.locator(".status-corroborated")).first
    link = row.locator("a.ev").first
    quoted = link.inner_text().split("“", 1)[1].rstrip("”").rstrip("…").strip()
    link.click()
    page.wait_for_url("**/article/a*span=*")
    mark = page.locator("mark#hl")
    assert mark.count() == 1 and mark.is_visible()
    assert mark.inner_text().startswith(quoted[:60])
    box, header = mark.bounding_box(), page.locator("header.top").bounding_box()
    assert box is not None and header is not None
    assert header["y"] + header["height"] <= box["y"] < VIEWPORT["height"], (
        "in view, not under the header"
    )


def test_search_finds_shoigu(page: Any, base: str) -> None:
    page.goto(f"{base}/")
    page.locator("header input[name=q]").fill("Shoigu")
    page.locator("header input[name=q]").press("Enter")
    page.wait_for_url("**/search?q=Shoigu")
    hits = page.locator("ol.hits li")
    assert hits.count() >= 1 and "Shoigu" in hits.first.inner_text()
    hits.first.locator("a.hit").click()
    page.wait_for_url("**/article/a*")
    assert "Shoigu" in page.locator("article.reader").inner_text()


def test_malformed_search_shows_a_message(page: Any, base: str) -> None:
    response = page.goto(f"{base}/search?q=%22unclosed")
    assert response.status == 400
    assert "cannot read the search" in page.locator("p.error").inner_text()


def test_hostile_article_renders_payloads_as_text_and_runs_nothing(page: Any, base: str) -> None:
    page.goto(f"{base}/?sort=size&page=1")
    page.locator("a.story-link").last.click()  # the one-article hostile story
    page.locator("#articles a").first.click()
    page.wait_for_url("**/article/a*")
    text = page.locator("article.reader").inner_text()
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert "onerror=" in text and "<script>document.title='pwned'</script>" in text
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    assert page.title() != "pwned" and "pwned" not in page.title()
    assert page.dialogs == []


@pytest.mark.parametrize("path", ["/", "/search?q=Kim"])
def test_pages_fit_1400px(page: Any, base: str, path: str) -> None:
    page.goto(base + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT["width"]


def test_story_page_fits_1400px(page: Any, base: str) -> None:
    open_seed_story(page, base)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
