"""The headline of a page given as text.

Text dumped from HTML opens with the document title ("Headline | Site"), and shows the
headline again further down, right above its date line or byline and the article; the
url's slug often spells it too. Each line near the top is scored on these signals and the
best one at `HEADLINE_SCORE` or above is the headline; without one, the document title
without the site's name, the line the slug spells, or the line a byline follows replace a
generic guess. An outlet's rules, when they found the headline, are never overridden.
"""

from __future__ import annotations

from ..page import Page
from ..textprep import is_headline
from . import authors as author_reader
from .dates import line_date
from .header import headline_index, is_header_line
from .text import words
from .title import (
    MAX_HEADLINE_WORDS,
    MIN_HEADLINE_WORDS,
    agrees,
    repeated_headlines,
    site_keys,
    slug_headline,
    slug_words,
    strip_site,
)

RULE = "metadata"
# The first blocks of a text page the url's slug (and the headline) is looked for in.
SLUG_SEARCH_BLOCKS = 200
# A generic title this short that no byline or date line follows reads as navigation
# ("Skip to main content") when a headline with its byline comes later.
MAX_NAVIGATION_WORDS = 4
# How many blocks under a headline its date line or byline may be.
HEADER_LINE_REACH = 4
# A line's score as the headline: a date line or byline within `SCORED_REACH` blocks under
# it, the Dice overlap of its words with the document title's (site name left out), the
# share of its words the url's slug spells. The weights and the bar were chosen on
# trafilatura's development pages (text track), a few round values: the scores of the
# neighbouring values differ by less than 1 % of the pages.
UNDER_LINE_WEIGHT = 1.0
TITLE_OVERLAP_WEIGHT = 4.0
SLUG_WEIGHT = 1.0
HEADLINE_SCORE = 2.0
SCORED_REACH = 2
# Lines are scored up to this many blocks after the article's first paragraph.
AFTER_BODY_START = 8


def read_text_title(page: Page, url: str | None) -> int | None:
    """The headline's block index of a text page (and `page.meta.title` set), or None."""
    meta = page.meta
    index = headline_index(page, meta.title)
    if meta.title and not meta.sources.get("title", "").startswith("generic"):
        return index  # the outlet's rules found the headline
    sites = site_keys([], url)
    scored = scored_headline(page, url, sites)
    if scored is not None:
        if index is not None and index != scored:
            kind = "title" if index == 0 else "navigation"
            page.blocks[index].strip(kind, f"{RULE}:not-the-headline")
        _set_headline(page, scored, "text:headline")
        return scored
    document = _document_title(page, sites)
    if document is not None:
        return _from_document_title(page, document, index, sites)
    return _guess_or_better(page, index, url, sites)


def scored_headline(page: Page, url: str | None, sites: set[str]) -> int | None:
    """The line near the top that scores best as the headline (the first of equals), when
    it scores `HEADLINE_SCORE` or more; never the first line, the document title itself."""
    blocks = page.blocks
    if len(blocks) < 2:
        return None
    title = set(words(strip_site(blocks[0].text, sites)))
    slug = slug_words(url)
    if not title and not slug:
        return None
    body = next((i for i, b in enumerate(blocks) if b.kept), len(blocks))
    end = min(len(blocks), body + AFTER_BODY_START, SLUG_SEARCH_BLOCKS)
    scores: dict[int, float] = {}
    for i in range(1, end):
        text = blocks[i].text
        if not is_headline(text, MAX_HEADLINE_WORDS):
            continue
        own = set(words(text))
        if not own:
            continue
        score = (TITLE_OVERLAP_WEIGHT * 2 * len(own & title) / (len(own) + len(title))
                 + SLUG_WEIGHT * len(own & slug) / len(own))
        if score + UNDER_LINE_WEIGHT < HEADLINE_SCORE or _meta_line(page, i, sites):
            continue
        if _header_line_under(page, i, SCORED_REACH):
            score += UNDER_LINE_WEIGHT
        scores[i] = score
    best = max(scores, key=scores.__getitem__, default=None)  # the first of equals
    return best if best is not None and scores[best] >= HEADLINE_SCORE else None


def _meta_line(page: Page, index: int, sites: set[str]) -> bool:
    """A date line, a byline or a line with only a name: never the headline."""
    block = page.blocks[index]
    if block.kind in ("date", "byline"):
        return True
    text = block.text
    if not is_header_line(block):
        return False
    return bool(line_date(text) or author_reader.byline_names(text, sites)
                or author_reader.name_line(text, sites))


def _header_line_under(page: Page, index: int, reach: int) -> bool:
    """A date line or byline within `reach` blocks under the block."""
    for block in page.blocks[index + 1 : index + 1 + reach]:
        if is_header_line(block) and (
            line_date(block.text) or author_reader.byline_names(block.text)
        ):
            return True
    return False


def _guess_or_better(page: Page, index: int | None, url: str | None,
                     sites: set[str]) -> int | None:
    """The line the url's slug spells, or the line a byline follows, in place of a generic
    guess; then the later line that repeats it without the site's name."""
    better, source = slug_headline(page, url, SLUG_SEARCH_BLOCKS), "text:url-slug"
    if better is None and (
        index is None or not _header_line_under(page, index, HEADER_LINE_REACH)
    ):
        above = _above_header_line(page)
        if above is not None and (
            index is None
            or page.blocks[index].words <= MAX_NAVIGATION_WORDS
            or agrees(page.blocks[index].text, page.blocks[above].text)
        ):
            better, source = above, "text:above-byline"
    if better is not None and better != index:
        if index is not None:
            page.blocks[index].strip("navigation", f"{RULE}:not-the-headline")
        index = better
        _set_headline(page, better, source)
    if index is None:
        return None
    repeated = _repeated_headline(page, index, sites)
    if repeated is not None:
        page.blocks[index].strip("title", f"{RULE}:document-title")
        index = repeated
        _set_headline(page, repeated, "text:headline")
    return index


def _from_document_title(page: Page, document: int, guess: int | None, sites: set[str]) -> int:
    """The page opens with its document title: the headline is the line that repeats it,
    else the title without the site's name (and the generic guess stays the header's
    anchor)."""
    page.blocks[document].strip("title", f"{RULE}:document-title")
    repeated = _repeated_headline(page, document, sites)
    if repeated is not None:
        _set_headline(page, repeated, "text:headline")
        return repeated
    if (guess is not None and guess != document
            and _header_line_under(page, guess, HEADER_LINE_REACH)):
        return guess  # the generic guess has a byline under it: the headline shown
    page.meta.title = strip_site(page.blocks[document].text, sites)
    page.meta.sources["title"] = "text:document-title"
    return guess if guess is not None else document


def _repeated_headline(page: Page, index: int, sites: set[str]) -> int | None:
    """The repeat of the title a date line or byline follows, else the first repeat."""
    repeats = repeated_headlines(page, index, SLUG_SEARCH_BLOCKS, sites)
    return next((i for i in repeats if _header_line_under(page, i, HEADER_LINE_REACH)),
                repeats[0] if repeats else None)


def _document_title(page: Page, sites: set[str]) -> int | None:
    """The first block when it reads as a document title, "Headline | Site" (the site known
    from the url): text dumped from HTML opens with it."""
    if not page.blocks or not sites or page.blocks[0].kept:
        return None
    text = page.blocks[0].text
    stripped = strip_site(text, sites)
    return 0 if stripped != text and stripped else None


def _above_header_line(page: Page) -> int | None:
    """The first headline-shaped block that a date line or byline directly follows, before
    the article's first paragraph."""
    body = next((i for i, b in enumerate(page.blocks) if b.kept), len(page.blocks))
    for i, block in enumerate(page.blocks[: body + 1]):
        if block.kept or not is_headline(block.text, MAX_HEADLINE_WORDS, MIN_HEADLINE_WORDS):
            continue
        nxt = page.blocks[i + 1] if i + 1 < len(page.blocks) else None
        if nxt is not None and is_header_line(nxt) and (
            line_date(nxt.text) or author_reader.byline_names(nxt.text)
        ):
            return i
    return None


def _set_headline(page: Page, index: int, source: str) -> None:
    page.meta.title, page.meta.sources["title"] = page.blocks[index].text, source
    page.blocks[index].strip("title", f"{RULE}:{source}")
