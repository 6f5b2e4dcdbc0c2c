"""The article's headline.

On HTML the headline is the `<h1>` the page shows when it agrees with what the page
declares (the JSON-LD headline, `og:title`, the `<title>`); otherwise the declared title
without the site's name. On text it is the headline line (the one the generic classifier
or the outlet's rules found, or the line the url's slug spells), never navigation.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..page import Page
from .structured import Declared
from .text import clean_text, overlap, words

# A heading agrees with a declared title when this share of the shorter one's words is in
# the other.
AGREEMENT = 0.8
# A title part this long is never the site's name.
MAX_SITE_WORDS = 6
# A headline has at least this many words and at most this many.
MIN_HEADLINE_WORDS = 2
MAX_HEADLINE_WORDS = 30
# Share of a line's words that must be in the url's slug for the slug to name it.
SLUG_AGREEMENT = 0.6
MIN_SLUG_WORDS = 3
# A repeat of the title is at least this share of it.
REPEAT_SHARE = 0.4
# How far after the document title the same text may stand and still be the headline.
SAME_TEXT_REACH = 40
_SEPARATOR = re.compile(r"(\s+[|–—·•»:/~-]{1,2}\s+|\s+[|–—]\s*|\s*[|–—]\s+)")


Shown = tuple[str, str, int | None]  # (title, signal, index of the block that shows it)


def html_title(page: Page, declared: Declared, url: str | None) -> Shown | None:
    """(title, signal, index of the block that shows it) for an HTML page."""
    sites = site_keys(declared.site_names, url)
    references = [t for t, _ in declared.titles if t]
    if declared.document_title:
        references.append(declared.document_title)
    headings = [i for i, b in enumerate(page.blocks) if b.dom.heading == 1]
    for index in headings:
        text = page.blocks[index].text
        if any(agrees(text, strip_site(ref, sites)) for ref in references):
            return text, "html:h1", index
    if declared.titles:
        value, source = declared.titles[0]
        return strip_site(value, sites), source, _shown_at(page, strip_site(value, sites))
    if headings:
        return page.blocks[headings[0]].text, "html:h1", headings[0]
    if declared.document_title:
        title = strip_site(declared.document_title, sites, longest=True)
        return title, "html:title", _shown_at(page, title)
    return None


def agrees(heading: str, title: str) -> bool:
    a, b = heading.casefold(), title.casefold()
    return bool(a and b) and (a in b or b in a or overlap(a, b) >= AGREEMENT)


def _shown_at(page: Page, title: str) -> int | None:
    folded = title.casefold()
    for i, block in enumerate(page.blocks):
        if block.text.casefold() == folded:
            return i
    return None


def site_keys(site_names: list[str], url: str | None) -> set[str]:
    """The site's names as letters and digits only, and its domain's name."""
    keys = {_key(name) for name in site_names if name}
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [p for p in host.split(".") if p not in ("www", "m", "amp")]
    if len(labels) >= 2:
        keys.add(labels[-2])
        keys.add("".join(labels))
    return {k for k in keys if len(k) >= 3}


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _is_site(part: str, sites: set[str]) -> bool:
    if len(part.split()) > MAX_SITE_WORDS:
        return False
    key = _key(part)
    return bool(key) and any(key == s or (len(s) >= 4 and s in key) or key in s for s in sites)


def strip_site(title: str, sites: set[str], longest: bool = False) -> str:
    """The title without the site's name before or after a separator ("Headline | Site");
    with `longest`, when no part names the site, the longest part."""
    title = clean_text(title)
    pieces = _SEPARATOR.split(title)
    parts = pieces[0::2]
    if len(parts) < 2:
        return title
    while len(parts) > 1 and _is_site(parts[-1], sites):
        parts, pieces = parts[:-1], pieces[:-2]
    while len(parts) > 1 and _is_site(parts[0], sites):
        parts, pieces = parts[1:], pieces[2:]
    if len(parts) > 1 and longest and len(parts) == len(_SEPARATOR.split(title)[0::2]):
        return max(parts, key=len).strip()
    return "".join(pieces).strip()


def slug_words(url: str | None) -> set[str]:
    """The words of the url's last meaningful path segment ("…/council-expands-bus-network")."""
    if not url:
        return set()
    for segment in reversed(urlsplit(url).path.split("/")):
        found = [w for w in re.split(r"[-_+.]+", segment.casefold())
                 if w.isalpha() and w not in ("html", "htm", "php", "aspx", "shtml")]
        if len(found) >= MIN_SLUG_WORDS:
            return set(found)
    return set()


def slug_headline(page: Page, url: str | None, limit: int) -> int | None:
    """The first block among the first `limit` that the url's slug spells."""
    slug = slug_words(url)
    if not slug:
        return None
    for i, block in enumerate(page.blocks[:limit]):
        if block.kept or not MIN_HEADLINE_WORDS <= block.words <= MAX_HEADLINE_WORDS:
            continue
        own = set(words(block.text))
        if own and len(own & slug) / len(own) >= SLUG_AGREEMENT and len(own & slug) >= 2:
            return i
    return None


def repeated_headlines(page: Page, index: int, limit: int, sites: set[str]) -> list[int]:
    """The blocks after `index` that repeat its title, the site's name left out: a page's
    text often opens with its document title ("Headline | Site"), and the headline the page
    shows comes later, right above the byline and the article. The same text again counts
    only nearby (further down it is a teaser or a link back to the story)."""
    title = strip_site(page.blocks[index].text, sites).casefold()
    found = []
    for i in range(index + 1, min(len(page.blocks), index + 1 + limit)):
        block = page.blocks[i]
        if not MIN_HEADLINE_WORDS <= block.words <= MAX_HEADLINE_WORDS:
            continue
        text = block.text.casefold()
        if len(text) < REPEAT_SHARE * len(title):
            continue  # a part of the title (the site's name), not the headline
        if text in title and (text != title or i - index <= SAME_TEXT_REACH):
            found.append(i)
    return found
