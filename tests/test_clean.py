"""clean(): body blocks, captions, headings, metadata and noise, on seeds and hand-built pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storyline.ids import article_id
from storyline.io.readers import read_inputs
from storyline.model import Article, InputProblem, RawDocument
from storyline.stages.clean import rules
from storyline.stages.clean.document import clean, extract_body


def _seed(seeds_dir: Path, prefix: str) -> Article:
    """The cleaned seed article whose file name starts with prefix."""
    for raw in read_inputs([seeds_dir]):
        if isinstance(raw, RawDocument) and Path(raw.input).name.startswith(prefix):
            article = clean(raw)
            assert isinstance(article, Article)
            return article
    raise AssertionError(prefix)


def _blocks(article: Article, kind: str) -> list[str]:
    """Texts of the blocks of one kind."""
    return [article.text[b.start : b.end] for b in article.blocks if b.kind == kind]


def _check_offsets(article: Article) -> None:
    """Blocks tile the text: joined by blank lines, in order, non-empty."""
    pieces = [article.text[b.start : b.end] for b in article.blocks]
    assert "\n\n".join(pieces) == article.text
    assert all(piece.strip() == piece and piece for piece in pieces)
    assert article.id == article_id(article.text)


def test_clean_seed_000(seeds_dir: Path) -> None:
    """Seed 000: outlet from the title line, no date, Ukrainian captions, no donation noise."""
    article = _seed(seeds_dir, "000")
    _check_offsets(article)
    assert article.title == "North Korea inspecting arms factories"
    assert article.outlet == "Militarnyi"
    assert article.published is None and article.published_time is None
    assert article.wire is None and article.byline is None
    assert any(c.endswith("via AP") for c in article.credits)
    assert article.language == "en"
    captions = [b for b in article.blocks if b.kind == "caption"]
    assert len(captions) == 2 and all(b.language == "uk" for b in captions)
    assert _blocks(article, "heading") == ["Increase in production"]
    for noise in (
        "Share this post",
        "5169",
        "IBAN",
        "Button Text",
        "Bank card",
        "Фото:",
        "via AP",
        "- Militarnyi",
    ):
        assert noise not in article.text, noise
    assert article.text.count("North Korea inspecting arms factories") == 0
    assert article.text.startswith("North Korea’s top leadership has begun inspections")
    assert article.text.endswith("using rockets manufactured in North Korea.")


def test_clean_seed_003(seeds_dir: Path) -> None:
    """Seed 003: header date and time, Reuters wire, one caption, three noise-free headings."""
    article = _seed(seeds_dir, "003")
    _check_offsets(article)
    assert article.title == "Kim Jong Un tells North Korea arms factories to boost capacity"
    assert article.outlet == "The Jerusalem Post"
    assert article.published is not None
    assert article.published.start == article.published.end == date(2023, 8, 6)
    assert article.published.precision == "day" and not article.published.estimate
    assert article.published_time == "09:28"
    assert article.wire == "Reuters"
    assert ("published", "header") in article.meta_sources
    assert article.credits == ("KNCA/REUTERS",)
    assert _blocks(article, "heading") == [
        "North Korea's growing weapons arsenal",
        "North Korean exports to Russia",
    ]
    captions = _blocks(article, "caption")
    assert len(captions) == 1 and "field guidance" in captions[0]
    for noise in (
        "date 2023",
        "Israel News",
        "Health & Wellness",
        "By REUTERS",
        "Published:",
        "credit",
    ):
        assert noise not in article.text, noise
    assert article.text.count("gives field guidance at a major weapon factory") == 1
    assert article.text.endswith("Russia and North Korea have denied those claims.")


NEWS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Port reopens after storm - Coastal Herald</title>
<meta property="og:site_name" content="Coastal Herald">
<meta property="article:published_time" content="2024-03-02T14:05:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Port reopens after storm</h1>
<p class="lead">The harbour of the coastal town reopened on Saturday after three days of closure.</p>
<p>By Jane Doe</p>
<p>Harbour officials said the main quay had been cleared of debris overnight, and the first ferries left at dawn with reduced capacity.</p>
<figure><img src="a.jpg"><figcaption>Ferries leave the harbour on Saturday morning. (Photo: Jane Doe)</figcaption></figure>
<h2>Damage assessment</h2>
<p>Engineers are still inspecting the northern breakwater, which lost several concrete blocks during the storm surge on Wednesday night.</p>
<p>The town council expects repairs to take at least two months and to cost several million euros, the mayor told reporters.</p>
<p>Share this article</p>
<p>Subscribe to our newsletter for daily updates</p>
</article>
<footer>Cookies help us deliver our services. By using our services, you accept cookies.</footer>
</body></html>"""


def test_clean_html_article() -> None:
    """An HTML page: metadata from meta tags, headings from markup, noise dropped."""
    article = clean(RawDocument(input="page.html", content=NEWS_PAGE, fmt="html"))
    assert isinstance(article, Article)
    _check_offsets(article)
    assert article.outlet == "Coastal Herald"
    assert article.published is not None and article.published.start == date(2024, 3, 2)
    assert article.published_time == "14:05"
    assert "Harbour officials said" in article.text
    assert "Damage assessment" in _blocks(article, "heading")
    for noise in ("Share this article", "newsletter", "Cookies", "Home News Sport", "By Jane Doe"):
        assert noise not in article.text, noise
    assert article.language == "en"


def test_clean_container_metadata_wins() -> None:
    """Metadata a container (JSONL, RSS) gave is used as given."""
    raw = RawDocument(
        input="a.jsonl#L1",
        content=NEWS_PAGE,
        fmt="html",
        published="2024-03-01",
        outlet="Feed Name",
        title="Feed Title",
    )
    article = clean(raw)
    assert isinstance(article, Article)
    assert article.published is not None and article.published.start == date(2024, 3, 1)
    assert (article.outlet, article.title) == ("Feed Name", "Feed Title")
    assert ("published", "container") in article.meta_sources


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><head><title>x</title></head><body></body></html>",
        "<<<>>> <div <p unclosed",
        "<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 10 + "</body></html>",
    ],
)
def test_clean_html_without_article(html: str) -> None:
    """Pages with no article (or broken beyond use) are a clear problem, never a crash."""
    result = clean(RawDocument(input="x.html", content=html, fmt="html"))
    assert isinstance(result, InputProblem) and result.reason in {"no_article", "extract"}


def test_clean_malformed_html_keeps_text() -> None:
    """Unclosed tags and stray markup do not lose the reporting."""
    body = "".join(
        f"<p>Paragraph {i} of a malformed page still carries a full sentence of reporting."
        for i in range(8)
    )
    html = f"<html><head><title>Broken</title><body><div><article>{body}</div></span></html>"
    article = clean(RawDocument(input="broken.html", content=html, fmt="html"))
    assert isinstance(article, Article)
    assert "Paragraph 7 of a malformed page" in article.text


def test_clean_huge_page_is_bounded() -> None:
    """A very large page is handled (the reader caps file size; clean must not blow up)."""
    sentence = "A sentence about the harbour and the storm damage, number {}. "
    paragraphs = "".join(
        "<p>" + "".join(sentence.format(i * 20 + j) for j in range(20)) + "</p>" for i in range(400)
    )
    html = "<html><body><article>" + paragraphs + "</article></body></html>"
    result = clean(RawDocument(input="huge.html", content=html, fmt="html"))
    assert isinstance(result, Article) and len(result.text) > 10000


def test_clean_text_dateline_wire_and_no_date() -> None:
    """A "(Reuters) -" dateline marks wire copy; an undated text stays undated."""
    text = (
        "Harbour reopens\n\n"
        "LISBON (Reuters) - The harbour reopened on Saturday after three days of closure, officials said.\n\n"
        "Ferries left at dawn with reduced capacity and more sailings are planned for Sunday.\n"
    )
    article = clean(RawDocument(input="t.txt", content=text, fmt="text"))
    assert isinstance(article, Article)
    assert article.wire == "Reuters"
    assert article.published is None  # never the day of the run
    assert article.title == "Harbour reopens"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("5169 3351 0164 7408", "payment"),
        ("Bank Account in UAH (IBAN)", "payment"),
        ("UA21 3223 1300 0002 6007 2335 6600 1", "payment"),
        ("Button Text", "widget"),
        ("Share this post:", "widget"),
        ("Read more: Another story about something", "related"),
        ("Lea también: Otra noticia", "related"),
        ("23.10.2018", "label"),
        ("Subscribe to our newsletter", "appeal"),
        ("We use cookies to improve your experience.", "notice"),
    ],
)
def test_clean_noise_rules(line: str, reason: str) -> None:
    """General noise signals: payment data, widgets, read-also teasers, stamps, appeals."""
    assert rules.noise_kind(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "The company said 1234 5678 workers were affected by the closure of the plant.",
        "Tagessieger resümierte nach dem Wettkampf, es sei ein schwerer Tag gewesen.",
        "286,35 €",
    ],
)
def test_clean_noise_rules_keep_text(line: str) -> None:
    """Reporting that merely contains digits or look-alike words is kept."""
    assert rules.noise_kind(line) is None


def test_clean_caption_glued_twice() -> None:
    """A caption printed twice and glued to its credit becomes one caption, credit split off."""
    caption = "Workers clear the quay on Saturday. (credit: HARBOUR/AGENCY)"
    assert rules.halve_repeat(caption + caption) == caption
    assert rules.split_credit(caption) == ("Workers clear the quay on Saturday.", "HARBOUR/AGENCY")


def test_extract_body_is_text() -> None:
    """The evaluation entry point returns the cleaned body text."""
    text = extract_body(NEWS_PAGE)
    assert "Harbour officials said" in text and "newsletter" not in text


def test_clean_html_figure_caption_is_a_caption_block() -> None:
    """A <figcaption> comes back as a caption block in place, its credit split off."""
    article = clean(RawDocument(input="page.html", content=NEWS_PAGE, fmt="html"))
    assert isinstance(article, Article)
    kinds = [b.kind for b in article.blocks]
    assert kinds.index("caption") < kinds.index("heading")
    assert _blocks(article, "caption") == ["Ferries leave the harbour on Saturday morning."]
    assert "Jane Doe" in article.credits
    assert "Ferries leave" not in extract_body(NEWS_PAGE)  # captions are not body text


@pytest.mark.parametrize(
    "line",
    [
        "The duo lost to a pair from abroad (Israel/France).",
        "The board can be moderated live (whitelist/blacklist).",
    ],
)
def test_clean_parenthesised_slash_is_no_credit(line: str) -> None:
    """Only an agency-like "(AGENCY/Name)" closing a line is a photo credit."""
    assert rules.split_credit(line) is None


LEAD_PAGE = """<html><head><title>Dam plan - Valley Post</title></head><body>
<h1 class="logo">Valley Post</h1>
<header><h1>Council approves dam plan</h1>
<div class="intro"><p>The council approved the new dam plan late on Tuesday after a long and heated debate.</p></div>
<span class="date">12.03.2024</span></header>
<div class="content"><div class="text">
<p>The project, first proposed a decade ago, will cost an estimated forty million euros over six years.</p>
<p>Opponents said the reservoir would flood farmland and promised to challenge the decision in court.</p>
<p>Supporters argued that the region needs a reliable water supply as summers grow hotter and drier.</p>
<p>Construction is expected to begin next spring once the final permits have been issued by the state.</p>
</div></div>
<footer><p>Follow us on Twitter and Facebook for more news.</p></footer>
</body></html>"""


def test_clean_html_lead_between_headline_and_body() -> None:
    """The standfirst under the headline, outside the body container, is kept first."""
    text = extract_body(LEAD_PAGE)
    assert text.startswith("The council approved the new dam plan late on Tuesday")
    assert "12.03.2024" not in text and "Follow us" not in text


def test_clean_text_wire_sign_off() -> None:
    """A closing "initials/AGENCY" sign-off marks wire copy and leaves the body."""
    text = (
        "Trade deal approved\n\n"
        "The parliament approved the trade agreement on Wednesday with a large majority of votes.\n\n"
        "The agreement still needs to be signed by both governments before it takes effect.\n\n"
        "aja/PAP\n"
    )
    article = clean(RawDocument(input="t.txt", content=text, fmt="text"))
    assert isinstance(article, Article)
    assert article.wire == "PAP" and "aja/PAP" not in article.text


def test_clean_html_metadata_canonical_updated_and_share_bar() -> None:
    from storyline.model import Article, RawDocument
    from storyline.stages.clean.document import clean

    page = """<html><head><title>Flood waters recede - Daily Example</title>
    <link rel="canonical" href="https://example.org/news/flood">
    <meta property="og:site_name" content="Daily Example">
    <meta property="article:published_time" content="2024-11-02T08:15:00Z">
    <meta property="article:modified_time" content="2024-11-03T10:00:00Z"></head>
    <body><article><h1>Flood waters recede</h1>
    <p>VALENCIA, Spain (AP) — Flood waters began to recede on Saturday in the eastern region, where rescuers were still searching for missing people, officials said.</p>
    <p>Residents have criticised the authorities for sending alerts to mobile phones only hours after the first flooding began on Tuesday evening.</p>
    <p>Share this article: Facebook Twitter Email</p></article></body></html>"""
    article = clean(RawDocument(input="p.html", content=page, fmt="html"))
    assert isinstance(article, Article)
    assert article.canonical_url == "https://example.org/news/flood"
    assert article.published is not None and article.published.start.isoformat() == "2024-11-02"
    assert article.updated is not None and article.updated.start.isoformat() == "2024-11-03"
    assert article.wire == "AP"
    assert ("updated", "meta") in article.meta_sources
    assert "Share this article" not in article.text


_BODY = (
    "The harbour reopened on Saturday after three days of closure, port officials said.\n\n"
    "Ferries left at dawn with reduced capacity and more sailings are planned for Sunday.\n"
)


_HEAD = "Harbour reopens after three-day storm closure"
_QUESTION = "Will the harbour reopen before the holiday weekend rush begins?"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (_HEAD + "\n\n" + _BODY, _HEAD),
        # a kicker above the headline is too short to be one
        ("Ports\n" + _HEAD + "\n\n" + _BODY, _HEAD),
        # a headline asking a question reads like prose but is still the headline
        (_QUESTION + "\n\n" + _BODY, _QUESTION),
        # a date line above the headline is the dateline, not the title
        ("October 4, 2023\n" + _HEAD + "\n\n" + _BODY, _HEAD),
    ],
)
def test_clean_text_first_headline_line_is_the_title(text: str, title: str) -> None:
    article = clean(RawDocument(input="t.txt", content=text, fmt="text"))
    assert isinstance(article, Article)
    assert article.title == title
    assert title not in article.text


def test_clean_text_sentence_paragraph_is_no_title() -> None:
    """A dump opening on a reporting paragraph has no headline to take."""
    article = clean(RawDocument(input="t.txt", content=_BODY, fmt="text"))
    assert isinstance(article, Article)
    assert article.title is None
    assert article.text.startswith("The harbour reopened")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Harbour reopens after three-day storm closure", True),
        ("U.S. Senate passes harbour funding bill", True),
        ("Is the harbour safe?", True),
        ("'We will rebuild,' mayor says", True),
        ("The harbour reopened on Saturday, officials said.", False),  # full stop: a sentence
        ("Harbour reopens. Ferries return at dawn", False),  # two sentences
        ("Ports", False),  # a kicker: too short
        ("harbour reopens after storm", False),  # no capital: a fragment
        ("By Jane Doe and John Roe", False),  # a byline
        ("Published: October 4, 2023", False),  # a date line
        ("World Politics Business Tech Sports Opinion", False),  # a menu
    ],
)
def test_reads_as_headline(line: str, expected: bool) -> None:
    assert rules.reads_as_headline(line) is expected


@pytest.mark.parametrize(
    ("text", "english"),
    [
        (
            "The council said on Tuesday that the harbour plan was approved and that the work "
            "would start in the spring, with the first ships expected from the north.",
            True,
        ),
        (
            "Der Rat hat am Dienstag den Plan für den Hafen gebilligt, und die Arbeiten sollen "
            "im Frühjahr beginnen, wie die Stadt mitteilte, die ersten Schiffe im Sommer.",
            False,
        ),
        (
            "De gemeenteraad heeft dinsdag het plan voor de haven goedgekeurd en het werk is "
            "in de lente begonnen, zo meldde de stad, de eerste schepen komen in de zomer aan.",
            False,
        ),
        (
            "Rada miasta zatwierdziła we wtorek plan portu i to jest pierwszy krok, a prace "
            "mają ruszyć wiosną, jak podało miasto, pierwsze statki przypłyną latem do portu.",
            False,
        ),
        ("The plan was approved.", False),  # too short to say without the detector
    ],
)
def test_plainly_english_needs_english_only_function_words(text: str, english: bool) -> None:
    from storyline.text.language import detector, plainly_english

    assert plainly_english(text) is english
    if english:
        assert detector().detect(text) == "en"


# A scraped page whose container title is its dateline; the headline is the next line.
DATELINE_PAGE = (
    "Tuesday, March 4, 2014 | 9: 15 AM\n"
    "Storm Floods Harbour Town As River Bursts Its Banks\n"
    "The river burst its banks on Monday night and flooded the harbour town, officials said.\n"
    "Residents of forty homes spent the night in the school gym while crews pumped water.\n"
)


def test_a_dateline_title_gives_way_to_the_headline_below() -> None:
    """A container title that is only a date is the page's dateline: the headline set aside
    under it (a Title Case line, read as a menu item) is the title."""
    title = DATELINE_PAGE.split("\n")[0]
    article = clean(RawDocument(input="t.txt", content=DATELINE_PAGE, fmt="text", title=title))
    assert isinstance(article, Article)
    assert article.title == "Storm Floods Harbour Town As River Bursts Its Banks"
    assert rules.dateline(title)
    assert not rules.dateline(article.title)


def test_a_real_title_stays_and_a_lone_dateline_stays() -> None:
    """A container title that is a headline is kept over the lines below it; a dateline
    with no headline set aside under it stays the title (nothing better is known)."""
    given = "River floods harbour town"
    article = clean(RawDocument(input="t.txt", content=DATELINE_PAGE, fmt="text", title=given))
    assert isinstance(article, Article)
    assert article.title == given
    bare = "March 4, 2014\n" + "\n".join(DATELINE_PAGE.split("\n")[2:])
    alone = clean(RawDocument(input="t.txt", content=bare, fmt="text", title="March 4, 2014"))
    assert isinstance(alone, Article)
    assert alone.title == "March 4, 2014"


def test_a_dateline_title_passes_over_a_navigation_bar() -> None:
    """Under a dateline title, a navigation bar set aside before the headline ("Home | World
    | ...": Title Case words parted by separators) is not taken for the headline."""
    lines = DATELINE_PAGE.split("\n")
    page = "\n".join([lines[0], "Home | World | Politics | Business | Sport | Culture", *lines[1:]])
    article = clean(RawDocument(input="t.txt", content=page, fmt="text", title=lines[0]))
    assert isinstance(article, Article)
    assert article.title == "Storm Floods Harbour Town As River Bursts Its Banks"


def test_dateline_words_are_update_words_and_the_time_lexicons_names() -> None:
    """The dateline test reads months and weekdays from the time lexicon (one list)."""
    from storyline.stages.time.lexicon import MONTH_ABBR_EN, MONTHS_EN, WEEKDAYS_EN

    assert {*MONTHS_EN, *MONTH_ABBR_EN, *WEEKDAYS_EN} <= rules.DATELINE_WORDS
    assert rules.dateline("Sept. 9, 2010 | Updated 1: 19 PM GMT")
    assert not rules.dateline("Storm floods harbour town")
