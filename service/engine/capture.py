"""What a crawler adds to a page it captured, and what its size limit cuts off.

- The capture line: a crawler may open the text it stored with its own metadata,
  `date YYYY-MM-DD`, glued to the page's first line. It is the capture's date, not the
  article's: it is split off and stripped with a kind of its own (`capture`), so it is never
  read as a title or a date, and the page's own first line is read as it is.
- A cut-off last line: a capture stored up to a size limit ends in the middle of a
  paragraph. That last fragment is not a paragraph of the article (`page_artifact`).
"""

from __future__ import annotations

import re

from .page import Block, Page
from .textprep import Line

CAPTURE_KIND = "capture"
_CAPTURE_LINE = re.compile(r"date \d{4}-\d{2}-\d{2}(?= |$)")
# A last line of at least this many words that stops in mid-sentence is a cut paragraph,
# before any rule reads the page (so that no rule reads it as a headline) ...
MIN_CUT_WORDS = 4
# ... and a shorter one that the rules or the extractor kept as body, afterwards; shorter
# still, a label ...
MIN_CUT_BODY_WORDS = 2
# ... unless the page is as long as the crawler's captures are when its size limit cut them
# (UTF-8 bytes): then any last line kept as body that does not end complete was cut.
CUT_CAPTURE_BYTES = (1_900, 2_000)
# What a paragraph ends with when it is complete: punctuation, closing quotes and brackets
# (a closing single quote only after punctuation: after a letter it is an apostrophe).
_COMPLETE_END = re.compile(r"(?:[.!?…:;][\"”’»)\]]*|[\"”»)\]])\s*$")


def split_capture_line(lines: list[Line]) -> tuple[Line | None, list[Line]]:
    """(the crawler's capture line, the page's lines without it) when the page opens with
    one; the rest of its first line stays a line of the page."""
    if not lines:
        return None, lines
    first = lines[0]
    match = _CAPTURE_LINE.match(first.text)
    if match is None:
        return None, lines
    capture = Line(match.group(0), first.start, first.start + match.end(), first.gap)
    rest = first.text[match.end():].lstrip()
    if not rest:
        return capture, lines[1:]
    offset = first.end - len(rest)
    return capture, [Line(rest, offset, first.end, 0), *lines[1:]]


def capture_block(line: Line) -> Block:
    return Block(line.text, [(line.start, line.end)], line.gap, CAPTURE_KIND, "text:capture-line")


def mark_cut_off(page: Page, kept_only: bool = False) -> None:
    """Strip the page's last block when it stops in mid-sentence (a capture's size limit cut
    it): a long one while nothing is decided, a short one once it was kept as body."""
    if not page.blocks:
        return
    last = page.blocks[-1]
    if kept_only:
        short = last.words < MIN_CUT_BODY_WORDS and not _at_size_limit(page.source)
        if not last.kept or short:
            return
    elif last.decided or last.words < MIN_CUT_WORDS:
        return
    if not _COMPLETE_END.search(last.text):
        last.strip("page_artifact", "text:cut-off-last-line")


def _at_size_limit(source: str) -> bool:
    low, high = CUT_CAPTURE_BYTES
    return low <= len(source.encode("utf-8", "surrogatepass")) <= high
