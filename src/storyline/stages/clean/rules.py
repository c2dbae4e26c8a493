"""Line-level signals for news clean-up: noise, captions, credits, bylines, wire agencies.

Every rule is a general signal (shape, position, punctuation, a pattern shared by many
sites), never a string from one site; each says why it exists.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from storyline.stages.time.lexicon import MONTH_ABBR_EN, MONTHS_EN, WEEKDAYS_EN

# Wire agencies, canonical name -> pattern. Wire copy counts as its origin when claims are
# corroborated, so "By REUTERS" and "(AP) —" must be recognised across spellings. Acronyms
# are case-sensitive ("AP" is no "ap"), spelled-out names are not ("ASSOCIATED PRESS").
WIRE_AGENCIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I if case_free else 0))
    for name, pattern, case_free in (
        ("Reuters", r"\breuters\b", True),
        ("AP", r"\b(?:AP|A\.P\.)\b|\b(?i:associated press)\b", False),
        ("AFP", r"\bAFP\b|\b(?i:agence france[- ]presse)\b", False),
        ("dpa", r"\bdpa\b|\b(?i:deutsche presse[- ]agentur)\b", False),
        ("Yonhap", r"\byonhap\b", True),
        ("Interfax", r"\binterfax\b", True),
        ("Xinhua", r"\bxinhua\b", True),
        ("ANSA", r"\bANSA\b", False),
        ("EFE", r"\bEFE\b", False),
        ("Kyodo", r"\bkyodo\b", True),
        ("PA", r"\bPA(?: Media)?\b|\b(?i:press association)\b", False),
        ("UPI", r"\bUPI\b|\b(?i:united press international)\b", False),
        ("TASS", r"\bTASS\b", False),
        ("PAP", r"\bPAP\b", False),
        ("Ukrinform", r"\bukrinform\b", True),
        ("Anadolu", r"\banadolu\b", True),
        ("Bloomberg", r"\bbloomberg\b", True),
    )
)
_AGENCY_WORDS = "|".join(
    [
        "Reuters",
        "AP",
        "AFP",
        "dpa",
        "Yonhap",
        "Interfax",
        "Xinhua",
        "ANSA",
        "EFE",
        "Kyodo",
        "PA",
        "UPI",
        "TASS",
        "Bloomberg",
    ]
)
# Wire datelines open a paragraph: "SEOUL (Reuters) -", "WASHINGTON, Aug 6 (AP) —".
DATELINE = re.compile(r"^[^\n()]{0,60}\((?P<agency>" + _AGENCY_WORDS + r")\)\s*[-—–]", re.I)
# Bylines are short lines opening with "By" (and its equivalents in other languages).
BYLINE = re.compile(r"^(?:by|von|par|por|di|door|av|автор:?|від)\s+(?P<who>[^\n]{2,80}?)\s*$", re.I)
# Metadata lines that state when a piece appeared; kept as metadata, never as body text.
PUBLISHED_LINE = re.compile(
    r"^(?:date|published|posted|updated|last updated|last modified|first published|modified|news date|veröffentlicht|aktualisiert|zuletzt aktualisiert|letzte änderung|stand|erstellt|publié|mis à jour|publicado|actualizado|fecha|pubblicato|aggiornato|opublikowano|aktualizacja|опубліковано|опубликовано|оновлено)(?:\s+(?:on|am|le|el|il))?\s*:?\s*(?P<rest>.+)$",
    re.I,
)
# Photo credits: "(photo credit: X)", "(credit: X)", "Photo: X", "Фото: X", "Image by X".
CREDIT_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "(Foto: Getty)", "(crédito: X)" closing a caption
    re.compile(
        r"\s*\((?:photo(?:graph)?|foto|bild|image|picture|crédito|credito|crédit|credit|фото|zdjęcie|fot)s?\.?\s*(?:credit)?\s*:\s*(?P<credit>[^()]{1,100})\)\s*\.?$",
        re.I,
    ),
    # "Fot. Name / Agency": the abbreviated label some languages use, without a colon
    re.compile(r"(?:^|(?<=[\s.]))(?:fot|phot)\.\s*(?P<credit>[^\n.]{2,80})$", re.I),
    # "(REUTERS/Denis Balibouse)", "(AP Photo/Name)": agency slash photographer
    re.compile(
        r"\s*\((?P<credit>(?:[A-Z][A-Z.&-]+|[A-Z][\w.&-]* Photo)(?: [A-Z][A-Z.&-]+)*/[^()/]{2,60})\)\s*\.?$"
    ),
    re.compile(
        r"\s*\((?:photo\s*|image\s*|picture\s*)?credits?\s*:?\s*(?P<credit>[^()]{1,100})\)\s*\.?$",
        re.I,
    ),
    re.compile(
        r"(?:^|(?<=[\s.,;|]))(?:photo(?:graph)?s?|pictures?|images?|image illustrative|foto|fotos|bild|titelbild|beitragsbild|bildquelle|bildnachweis|quelle|source|fuente|fonte|crédits? photos?|copyright|фото|світлина|credit|illustration|video)\s*(?:credit)?\s*:\s*(?P<credit>[^\n]{1,120}?)\s*\.?$",
        re.I,
    ),
    re.compile(
        r"\s*\(?(?:photo|image|picture)\s+(?:by|courtesy of)\s+(?P<credit>[^()\n]{1,100}?)\)?\s*\.?$",
        re.I,
    ),
)
# Card numbers (13-19 digits in groups) and IBANs: donation blocks under an article.
_CARD = re.compile(r"(?<!\d)\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,4})?\b")
_IBAN_WORD = re.compile(
    r"\b(?:IBAN|SWIFT|BIC|bank card|bank account|account number|routing number|paypal)\b", re.I
)
# Widget and template leftovers: button labels, page furniture that survived scraping.
_WIDGET = re.compile(
    r"^(?:button( text)?|table of contents|contents|inhaltsverzeichnis|inhalt|índice|sommaire|spis treści|click here|enter your e-?mail(?: address)?|your e-?mail(?: address)?|read more|load more|show more|see more|learn more|continue reading|read the full (?:story|article)|advertisement|advert|sponsored(?: content)?|skip to (?:main )?content|back to top|print|e-?mail|menu|search|close|open|toggle navigation|loading\.*|next|previous|prev|top|home|log ?in|sign ?in|register|image|photo|video|watch|listen|play|more|tags?:.*|topics?:.*|filed under:?.*)\s*[.:»›>]*$",
    re.I,
)
# Social sharing and "follow us" prompts: they sit right after the article and start the footer.
_SHARE = re.compile(
    r"^(?:share(?: (?:this|the) (?:post|article|story|page))?(?: (?:on|via) \w+)?|tweet|follow us(?: on \w+)?|like us on \w+|spread the word|share on \w+|teilen|partager|compartir|поділитися|поделиться)\s*[:!.]?"
    # a share bar often lists its networks on the same line: "Share this article: Facebook Twitter Email"
    r"(?:\s*(?:facebook|twitter|x|e-?mail|whatsapp|telegram|linkedin|reddit|pinterest|print|messenger|viber|flipboard|copy link|copy)[\s,|/·•]*)*$",
    re.I,
)
# Newsletter, donation and membership appeals: short lines, never reporting.
_APPEAL = re.compile(
    r"\b(?:subscribe|subscription|newsletter|sign up|donat\w*|support (?:us|our|independent)|become a (?:member|patron|subscriber)|make a contribution|patreon|buy me a coffee|suscr[ií]be\w*|suscrib[ií]te|hazte (?:miembro|socio)|abonnieren|abonniere|mitglied werden|unterstütze\w*|abonnez-vous|soutenez|prenumeru\w*|wesprzyj|subskrypcj\w*|підтримати|підтримайте|пожертв\w*)\b",
    re.I,
)
# Advertising and affiliate disclosures: they label the page, not the story.
_ADVERT = re.compile(
    r"^\W*(?:anzeige|werbung|advertisement|advertorial|publicidad|publicité|reklama|sponsored|gesponsert)\b|\baffiliate[- ]links?\b|\bone or more of our advertisers\b",
    re.I,
)
# Sign-offs of wire copy and photo agencies: "aja/PAP", "DCV / Oppitz", "dpa/lnw".
_SIGN_OFF = re.compile(r"^\(?[\w.-]{2,20}(?:\s?/\s?[\w.-]{2,20}){1,2}\)?$")
# Download rows ("PDF | 38 KB") and consent gates of embedded players ("click to load").
_ATTACHMENT = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:KB|MB|kB)\b")
_EMBED_GATE = re.compile(
    r"\b(?:klicken sie|click|cliquez|haga clic)\b.{0,80}\b(?:laden|load|charger|cargar)\b", re.I
)
# Comment counters and empty comment sections ("Keine Kommentare", "Kommentare insgesamt: 0").
_COMMENT_COUNT = re.compile(
    r"\b(?:comments?|kommentare?|comentarios?|commentaires?|commenti|komentarze?)\b", re.I
)
# Cookie and paywall notices.
_NOTICE = re.compile(
    r"©|\b(?:all rights reserved|alle rechte vorbehalten|todos los derechos reservados|tous droits réservés|tutti i diritti riservati|wszelkie prawa zastrzeżone|chroniony prawem autorskim|cookies?|javascript is disabled|enable javascript|ad ?blocker|subscribers? only|to continue reading|already a subscriber|log ?in to (?:read|continue)|this content is (?:only )?available|pour lire la suite|la suite est réservée|réservé aux abonnés|nur für abonnenten|exklusiv für abonnenten|solo para suscriptores|exclusivo para suscriptores|contenido exclusivo|tylko dla prenumeratorów|ten tekst przeczytasz)\b",
    re.I,
)
# "Follow us on Twitter", "our YouTube channel": promotion of the outlet's own channels.
_SOCIAL = re.compile(
    r"\b(?:twitter|facebook|instagram|telegram|youtube|linkedin|tiktok|whatsapp|mastodon|rss)\b",
    re.I,
)
_FIRST_PERSON = re.compile(
    r"\b(?:follow|join|our|us|síguenos|siguenos|únete|nuestro|nuestra|folge|folgen|unser\w*|uns|suivez|notre|nos|seguici|nostro|obserwuj|nasz\w*|підписуйтесь|наш\w*)\b",
    re.I,
)
# Contact boxes of press releases: labels and phone/e-mail rows, not reporting.
_CONTACT = re.compile(
    r"^(?:kontakt|contact|ansprechpartner\w*|pressekontakt|press contact|media contact|pressesprecher\S*|contacto|kontakt dla mediów)\b|\b(?:tel\.?|telefon|phone|fax|e-?mail)\s*:",
    re.I,
)
# Comment sections, "related"/"read more" lists and author boxes start below the article.
_FOOTER_HEAD = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|leave a (?:comment|reply)|post a comment|add a comment|join the (?:conversation|discussion)|related(?: articles| stories| posts| news| content| coverage)?|read (?:also|more|next)|see also|more (?:from|on|stories|news|like this)|recommended(?: for you)?|you (?:may|might) also like|most (?:read|popular|viewed)|trending(?: now)?|about the author|author bio|popular (?:posts|stories)|latest (?:news|stories|posts))\b\s*[:»›]*\s*(?:\(\d+\))?$",
    re.I,
)
# Comment sections, related lists and "more on this" blocks in the other languages news
# pages come in: they open the footer just as their English equivalents do.
_FOOTER_HEAD_INTL = re.compile(
    r"^(?:\d+\s+)?(?:weitere (?:artikel|beiträge|themen|nachrichten|meldungen|news)|ähnliche (?:artikel|beiträge|themen)|verwandte (?:artikel|themen|beiträge)|empfohlene (?:artikel|beiträge)|(?:keine )?kommentare|kommentar (?:schreiben|verfassen)|das könnte (?:sie|dich) auch interessieren|mehr themen|top-themen|contenidos? relacionados?|(?:notas|noticias|artículos|articulos) relacionad[oa]s|comentarios|más noticias|articles? similaires|sur le même sujet|commentaires|articoli correlati|commenti|powiązane(?: artykuły)?|komentarze|artigos relacionados|comentários|gerelateerde artikelen|reacties|похожие (?:статьи|новости)|коментарі|комментарии)\b\s*[:»›]*\s*(?:\(\d+\))?$",
    re.I,
)
# Heads of "related" boxes alone on a line. In a text dump the box may sit inside the
# article (a head, a few teaser headlines, then the reporting goes on), so clean_lines
# checks what follows before treating one as the start of the footer.
_RELATED_HEAD = re.compile(
    r"^(?:related(?: articles| stories| posts| news| content| coverage)?|read (?:also|more|next)|see also|more (?:on this|stories|news|like this)|recommended(?: for you)?|you (?:may|might) also like)\s*[:»›]*$",
    re.I,
)
# "Read also: <headline>" teasers inside the body, in many languages: a label, then a link.
_READ_ALSO = re.compile(
    r"^(?:lea (?:también|más)|lee (?:también|más)|vea (?:también|más)|mira|mire|(?:le|te) puede interesar|puede interesarte|puedes ver|también te puede interesar|read (?:more|also|next)|see also|also read|related|à lire aussi|lire aussi|voir aussi|à voir aussi|lesen sie auch|auch lesen|lies auch|mehr zum thema|weiterlesen|zum weiterlesen|schon gelesen|auch interessant|das könnte (?:sie|dich) (?:auch )?interessieren|czytaj (?:też|także|więcej|również)|zobacz (?:też|także|również)|leia (?:também|mais)|veja (?:também|mais)|leggi anche|vedi anche|lees ook|læs også|les også|läs även|читайте (?:также|також)|дивіться також)\b\s*[:»›?!-]",
    re.I,
)
# Short "more on this topic at X" pointers, with or without a colon.
_MORE_ON = re.compile(
    r"^(?:mehr zum thema|weitere infos(?:rmationen)? unter|more on this|más sobre|plus sur|więcej o)\b",
    re.I,
)
# Staff credits wire services close their copy with ("(Reporting by X; Editing by Y)",
# "Additional reporting by Z"): they name the newsroom staff, not the story.
_STAFF_CREDIT = re.compile(
    r"^\(\s*(?:additional |further )?(?:reporting|writing|editing|compiled)(?: and \w+)? by\b[^()]*\)\.?$"
    r"|^(?:additional|further) reporting by\b[^.]*\.?$"
    r"|^(?:reporting|writing) by\b[^.;]*;\s*(?:editing|writing|additional reporting) by\b[^.]*\.?$",
    re.I,
)
# Copyright lines ("© 2023 Site. All rights reserved.", "Copyright 2023 The Associated Press")
# close a page: in a text dump whatever follows them is site footer or an author box.
_COPYRIGHT = re.compile(
    r"^\W*(?:©|\(c\)|copyright\b)|\ball rights reserved\b|\balle rechte vorbehalten\b|\btous droits réservés\b|\btodos los derechos reservados\b",
    re.I,
)
# Lines that are only a date or a clock time: publication stamps, not sentences.
_STAMP = re.compile(
    r"^\W*(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\W*)?(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h)?)?\W*$",
    re.I,
)
# Taxonomy rows ("Category: Press Releases", "Tags: ...") label the page, not the story.
_LABEL_ROW = re.compile(
    r"^(?:categor(?:y|ies|ía|ias)|kategorien?|rubrik|tags?|schlagw(?:ö|o)rte?r?|stichw(?:ö|o)rter|themen|temas|etiquetas|mots-clés|tematy|tagi|filed under)\s*:",
    re.I,
)
_WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")
# Sentence-final punctuation, optionally inside closing quotes/brackets.
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$|[\"”»]$")


def words(text: str) -> list[str]:
    """Word tokens of a line (letters/digits, keeping inner apostrophes and hyphens)."""
    return _WORD.findall(text)


# Invisible characters pages use for hyphenation hints and layout (soft hyphen, zero-width
# space, word joiner, stray BOM); they split words for every later substring match.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


def visible(text: str) -> str:
    """Text without invisible formatting characters, whitespace collapsed."""
    return " ".join(text.translate(_INVISIBLE).split())


# Combining marks (accents after NFKD) and runs of non-alphanumerics, for comparison keys;
# regexes rather than a per-character loop, which dominated the clean-up's run time.
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_ALNUM = re.compile(r"[\W_]+")


def norm_key(text: str) -> str:
    """A comparison key: case, accents, punctuation and spacing do not matter."""
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return _NON_ALNUM.sub(" ", folded).strip()


def is_prose(text: str) -> bool:
    """A reporting sentence: enough words and sentence-final punctuation."""
    return len(words(text)) >= 8 and _TERMINAL.search(text.rstrip()) is not None


def ends_sentence(text: str) -> bool:
    """True when the line ends like a sentence (so it is no heading)."""
    return _TERMINAL.search(text.rstrip()) is not None


def _luhn(digits: str) -> bool:
    """Luhn checksum: real card numbers pass it, phone numbers and ids mostly do not."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def has_card_number(text: str) -> bool:
    """True when the line holds a payment card number (13-19 digits passing Luhn)."""
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 13 <= len(digits) <= 19 and _luhn(digits):
            return True
    return False


def noise_kind(text: str) -> str | None:
    """Why a line is page furniture rather than article text, or None when it is text."""
    stripped = text.strip()
    count = len(words(stripped))
    # payment details sit in short donation lines; a long paragraph is reporting
    if count <= 12 and (
        has_card_number(stripped) or _IBAN.search(stripped) or _IBAN_WORD.search(stripped)
    ):
        return "payment"
    if _WIDGET.match(stripped) or _SHARE.match(stripped):
        return "widget"
    if count <= 40 and _STAFF_CREDIT.match(stripped):
        return "staff"
    if count <= 30 and _READ_ALSO.match(stripped):
        return "related"
    if (_STAMP.match(stripped) and any(c.isdigit() for c in stripped)) or (
        count <= 12 and _LABEL_ROW.match(stripped)
    ):
        return "label"
    if count <= 25 and _APPEAL.search(stripped):
        return "appeal"
    if count <= 40 and _NOTICE.search(stripped):
        return "notice"
    if count <= 3 and _SIGN_OFF.match(stripped) and not stripped[:1].isdigit():
        return "signature"
    if count <= 25 and (_ATTACHMENT.search(stripped) or _EMBED_GATE.search(stripped)):
        return "widget"
    if count <= 30 and _ADVERT.search(stripped):
        return "advert"
    if count <= 4 and _COMMENT_COUNT.search(stripped):
        return "widget"
    if count <= 8 and _MORE_ON.match(stripped):
        return "related"
    if count <= 25 and _SOCIAL.search(stripped) and _FIRST_PERSON.search(stripped):
        return "appeal"
    if count <= 25 and _CONTACT.search(stripped):
        return "contact"
    return None


def starts_footer(text: str) -> bool:
    """True for a line after which a page's furniture (share, comments, related) begins."""
    stripped = text.strip()
    if _SHARE.match(stripped) or _FOOTER_HEAD.match(stripped) or _FOOTER_HEAD_INTL.match(stripped):
        return True
    return len(words(stripped)) <= 12 and _APPEAL.search(stripped) is not None


def is_related_head(text: str) -> bool:
    """A "Related" / "Read more" box head on a line of its own."""
    return _RELATED_HEAD.match(text.strip()) is not None


def is_copyright(text: str) -> bool:
    """A copyright / "all rights reserved" line: the end of a page's own content."""
    return len(words(text)) <= 40 and _COPYRIGHT.search(text.strip()) is not None


# What may stand beside an agency name on a line of its own: "Reuters Staff", "AFP News".
_AGENCY_FILLER = {"staff", "news", "agency", "wire", "service", "the", "and", "via"}


def agency_only(text: str) -> str | None:
    """The agency a line names when it is nothing but that name ("AFP", "ASSOCIATED PRESS").

    Wire copy often carries the agency as a bare byline without "By"; a longer line that
    merely mentions an agency is reporting.
    """
    agency = wire_of(text)
    if agency is None or len(words(text)) > 4 or ends_sentence(text.rstrip(".")):
        return None
    rest = words(strip_agencies(text))
    return agency if all(w.casefold() in _AGENCY_FILLER for w in rest) else None


def strip_agencies(text: str) -> str:
    """The text with every wire agency name taken out."""
    for _, pattern in WIRE_AGENCIES:
        text = pattern.sub(" ", text)
    return " ".join(text.split())


def split_credit(text: str) -> tuple[str, str] | None:
    """(caption without credit, credit) when the line ends with a photo credit."""
    for pattern in CREDIT_PATTERNS:
        match = pattern.search(text)
        if match and match.group("credit").strip():
            caption = text[: match.start()].rstrip(" -–—|,")
            return caption, match.group("credit").strip().rstrip(".")
    return None


def halve_repeat(text: str) -> str:
    """A line glued to a copy of itself ("AB" + "AB") -> one copy."""
    stripped = text.strip()
    size = len(stripped)
    cuts = range(max(1, size // 2 - 2), min(size, size // 2 + 3))
    for cut in cuts:  # exact copies first, so closing punctuation stays on the first half
        if stripped[:cut].strip() == stripped[cut:].strip():
            return stripped[:cut].strip()
    for cut in cuts:  # then copies that differ only in spacing or punctuation
        if stripped[cut - 1] != stripped[-1]:
            continue  # the cheap test first: two keys per cut were most of the clean-up's time
        head = norm_key(stripped[:cut])
        if head and head == norm_key(stripped[cut:]):
            return stripped[:cut].strip()
    return stripped


def wire_of(text: str) -> str | None:
    """The wire agency a byline or dateline names, if any."""
    for name, pattern in WIRE_AGENCIES:
        if pattern.search(text):
            return name
    return None


def is_menu(text: str) -> bool:
    """A navigation bar flattened into one line: many capitalised words, no sentence."""
    tokens = words(text)
    if len(tokens) < 6 or ends_sentence(text):
        return False
    alpha = [t for t in tokens if t[0].isalpha()]
    capital = sum(1 for t in alpha if t[0].isupper()) / max(1, len(alpha))
    keys = [t.casefold() for t in tokens]
    pairs = list(itertools.pairwise(keys))
    # a repeated word pair ("News News", "Israel News Israel News") is a menu/breadcrumb echo
    repeated = len(pairs) != len(set(pairs))
    return capital >= 0.75 or (repeated and capital >= 0.5)


def site_suffix(text: str) -> tuple[str, str] | None:
    """Split "Headline - Site" / "Headline | Site" into (headline, site)."""
    match = re.match(r"^(?P<head>.+?)\s+[-|–—•:·]{1,2}\s+(?P<site>[^-|–—•]{2,60})$", text.strip())
    if not match:
        return None
    site = match.group("site").strip()
    if len(words(site)) > 5 or (ends_sentence(site) and not site.endswith(".")):
        return None
    return match.group("head").strip(), site


def site_prefix(text: str) -> str | None:
    """ "Site - tagline ..." at the start of a header/menu line -> Site."""
    match = re.match(r"^(?P<site>[^-|–—•]{2,50}?)\s+[-|–—•]\s+\S", text.strip())
    if not match:
        return None
    site = match.group("site").strip()
    tokens = words(site)
    if not 1 <= len(tokens) <= 5 or not all(
        t[0].isupper() or t.casefold() in {"the", "of", "and", "de", "la", "le", "der", "die"}
        for t in tokens
    ):
        return None
    return site


# A headline is a short line: a kicker or section name is shorter, a lead paragraph longer.
HEADLINE_MIN_WORDS = 3
HEADLINE_MAX_WORDS = 25
# A full stop ends a sentence paragraph; headlines end bare, or on "?", "!" or a quote.
_HEADLINE_BAD_END = re.compile(r"[.:;,…]$")
# A second sentence inside the line ("... said. The ...") makes it a paragraph; a lone capital
# before the stop ("U.S. Senate") is an initial, not a sentence end.
_INNER_SENTENCE = re.compile(r"[^\W\d_]{2,}[.!?]\s+[A-Z\"“]")


def reads_as_headline(text: str) -> bool:
    """True when a line reads as a headline: 3-25 words, capitalised, no closing full stop.

    Dates, menus, bylines and page furniture never do; the caller rules those out first when
    it knows more (the outlet's name), this check only looks at the line itself.
    """
    line = text.strip()
    count = len(words(line))
    if not HEADLINE_MIN_WORDS <= count <= HEADLINE_MAX_WORDS:
        return False
    first = next((c for c in line if c.isalnum()), "")
    if not first or (first.isalpha() and not first.isupper()):
        return False  # sentence-case and title-case both open on a capital
    if _HEADLINE_BAD_END.search(line.rstrip("\"'”’»)")) or _INNER_SENTENCE.search(line):
        return False
    if BYLINE.match(line) or PUBLISHED_LINE.match(line) or is_menu(line):
        return False
    return noise_kind(line) is None and split_credit(line) is None


# Words of a date or update line ("Last Updated: Monday, 28 November 2005, 02: 24 GMT"):
# a header line with fewer than two other words is a dateline, not a headline. The month
# and weekday names are the time lexicon's (one list per concept).
_UPDATE_WORDS = "last updated update posted published modified am pm gmt utc et edt est bst cet"
DATELINE_WORDS = frozenset([*_UPDATE_WORDS.split(), *MONTHS_EN, *MONTH_ABBR_EN, *WEEKDAYS_EN])


def dateline(line: str) -> bool:
    """A line that is a date or an update time ("Last Updated: Monday, 28 November 2005,
    02: 24 GMT", "9 / 10 / 2010 @ 1: 19PM"), not a headline: fewer than two other words."""
    words = [w for w in re.findall(r"[^\W\d_]{2,}", line.lower()) if w not in DATELINE_WORDS]
    return len(words) < 2
