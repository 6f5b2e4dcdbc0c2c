"""Where the article's header is: the headline and the lines around it.

A date line or a byline is read only near the headline, or, without one, just before the
article's first paragraph: that is where pages print them, and it keeps dates from the
article's prose, from teaser lists and from comments out of the metadata.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..page import Block, Page

# How many blocks after (before) the headline a date line or byline may sit.
AFTER_HEADLINE = 14
BEFORE_HEADLINE = 4
# Without a headline: how many blocks before (after) the first body paragraph.
BEFORE_BODY = 10
AFTER_BODY = 3
# A header line is short; longer blocks are prose, even when they name a date.
MAX_HEADER_WORDS = 30


@dataclass(frozen=True)
class Header:
    """The headline's block index (None when not found) and the first body block's."""

    headline: int | None
    body: int | None

    def indices(self, n: int) -> list[int]:
        """Block indices where header lines may be, nearest the headline first."""
        if self.headline is not None:
            after = range(self.headline + 1, min(n, self.headline + 1 + AFTER_HEADLINE))
            before = range(self.headline - 1, max(-1, self.headline - 1 - BEFORE_HEADLINE), -1)
            return [*after, *before]
        if self.body is not None:
            before = range(self.body - 1, max(-1, self.body - 1 - BEFORE_BODY), -1)
            after = range(self.body, min(n, self.body + AFTER_BODY))
            return [*before, *after]
        return list(range(min(n, BEFORE_BODY)))

    def distance(self, index: int) -> int:
        """How far a block is from the headline (or the body's start), in blocks; lines
        before the headline count as a little further than those after it."""
        if self.headline is not None:
            d = index - self.headline
            return d if d > 0 else 2 - d
        if self.body is not None:
            d = self.body - index
            return d if d > 0 else 3 - d
        return index


def find_header(page: Page, headline: int | None) -> Header:
    """The header of `page`, given the headline's block index if one is known."""
    body = next((i for i, b in enumerate(page.blocks) if b.kept), None)
    return Header(headline, body)


def headline_index(page: Page, title: str | None) -> int | None:
    """The block that shows the headline: one stripped as the title, else the first whose
    text is the title."""
    for i, block in enumerate(page.blocks):
        if block.kind == "title":
            return i
    if title:
        folded = title.casefold()
        for i, block in enumerate(page.blocks):
            if block.text.casefold() == folded:
                return i
    return None


def is_header_line(block: Block) -> bool:
    """Short enough to be a dateline or byline, not a paragraph of prose."""
    return block.words <= MAX_HEADER_WORDS
