"""Undo print artefacts: hard-wrapped lines, hyphenation at line ends, page-break debris.

Text printed to PDF and extracted comes back as lines cut at a fixed width, with the
page's URL, page numbers and running headers dropped in wherever a page broke. This stage
finds the wrap width, rejoins lines into paragraphs, marks the debris, and makes a
paragraph that a page break split whole again. Pages that are not hard-wrapped (a
browser copy: one paragraph per line) pass through one block per line, with only the
debris that is unmistakable (bare URL lines, browser print headers) marked.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import compress, count, repeat
from operator import itemgetter

from .hyphenation import join_hyphenated, page_vocabulary
from .page import Block
from .textprep import Line

# A page is hard-wrapped when its common line length is at most this many characters ...
MAX_WRAP_WIDTH = 160
# ... and at least this share of its lines run on into a lower-case next line.
MIN_RUN_ON_SHARE = 0.2
MIN_RUN_ON_LINES = 3
# A line is "full" when it reaches this share of the wrap width.
FULL_LINE_SHARE = 0.75
# Share of the wrap width below which a line with a next word that would have fitted ended
# its paragraph.
FIT_SLACK = 0.9

# A bare url, alone or with a page counter ("2/3"), or numbered as a text-mode browser lists
# a page's links ("12. https://...").
_URL_LINE = re.compile(
    r"^(?:\d{1,4}\.\s+)?(?:https?://|www\.)\S+(?:\s+\d{1,3}\s*/\s*\d{1,3})?$", re.I
)
# The first characters of _URL_LINE matches other than digits (\d is str.isdecimal); no
# other character matches h or w case-insensitively.
_URL_LINE_STARTS = frozenset("hHwW")
# A line that can be debris starts with a decimal digit (\d) or one of _URL_LINE_STARTS.
_DEBRIS_START = re.compile(r"[\dhHwW]")
_PRINT_HEADER = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b", re.I)
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:page|p\.|seite|página|pagina|стр\.?|сторінка)\s*)?\d{1,4}"
    r"(?:\s*(?:/|of|из|з|von|de)\s*\d{1,4})?(?:\s*[-–—])?$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»)\]]$")
# In text that is not hard-wrapped, a line ending on one of these with the next line going on
# in lower case is one paragraph broken in two (at least MIN_BROKEN_WORDS words before it).
_OPEN_CLAUSE_ENDS = frozenset(",;—–")
_OPEN_CLAUSE_END_TUPLE = tuple(_OPEN_CLAUSE_ENDS)
MIN_BROKEN_WORDS = 6
_HYPHEN_END = re.compile(r"\w-$")


def unwrap_print_lines(lines: list[Line], source: str) -> tuple[list[Block], bool]:
    """Blocks made from `lines`, and whether the page was hard-wrapped print text."""
    width = wrap_width(lines)
    if width is None:
        return _line_blocks(lines), False
    debris = _debris_kinds(lines, width)
    vocabulary = page_vocabulary(source)
    return _rejoin(lines, debris, width, vocabulary), True


def _line_blocks(lines: list[Line]) -> list[Block]:
    """The blocks of a page that is not hard-wrapped: one per line, its unmistakable debris
    marked, and a paragraph broken inside a sentence (``_broken_after``) made whole. Each
    test runs in C over all the lines; Python looks only at the few lines it leaves."""
    if not lines:
        return []
    texts, starts, ends, gaps = zip(*lines, strict=True)
    blocks = list(map(Block, texts, [[span] for span in zip(starts, ends, strict=True)], gaps))
    for k in compress(count(), map(_DEBRIS_START.match, texts)):
        kind = _lone_debris(texts[k])
        if kind:
            blocks[k].kind, blocks[k].rule = kind, f"print:{kind}"
    # Line k may carry on the block of line k - 1 when that line ends a clause open.
    candidates = compress(count(1), map(str.endswith, texts[:-1], repeat(_OPEN_CLAUSE_END_TUPLE)))
    owner = blocks.copy()  # the block each line is in
    merged = False
    for k in candidates:
        prev, line = owner[k - 1], lines[k]
        if not blocks[k].decided and _broken_after(prev, line):
            prev.text += " " + line.text
            prev.spans.append((line.start, line.end))
            owner[k], merged = prev, True
    if merged:
        return [b for b, o in zip(blocks, owner, strict=True) if b is o]
    return blocks


def _lone_debris(text: str) -> str | None:
    """The kind of debris a line of a page that is not hard-wrapped is, or None."""
    if _URL_LINE.match(text):
        return "url"
    if _PRINT_HEADER.match(text):
        return "page_artifact"
    return None


def _broken_after(prev: Block, line: Line) -> bool:
    """A paragraph broken inside a sentence (a line break in the middle of a quote): the
    line before stops on a comma or a dash and this one carries on in lower case, with no
    blank line between."""
    return (
        line.gap == 0
        and not prev.decided
        and prev.text[-1:] in _OPEN_CLAUSE_ENDS
        and prev.words >= MIN_BROKEN_WORDS
        and _starts_lower(line.text)
    )


def wrap_width(lines: list[Line]) -> int | None:
    """The width the page was wrapped at, or None when it is not hard-wrapped."""
    if len(lines) < MIN_RUN_ON_LINES + 1:
        return None
    lengths = list(map(len, map(itemgetter(0), lines)))
    width = sorted(lengths)[int(0.9 * (len(lengths) - 1))]
    if width > MAX_WRAP_WIDTH or width < 30:
        return None
    # Only a full line runs on into the next: too few of them, and no line is looked at.
    full = list(compress(count(), map((FULL_LINE_SHARE * width).__le__, lengths[:-1])))
    needed = max(MIN_RUN_ON_LINES, MIN_RUN_ON_SHARE * len(lines))
    if len(full) < needed:
        return None
    run_ons = sum(1 for k in full if lines[k + 1].gap == 0 and _starts_lower(lines[k + 1].text))
    if run_ons < needed:
        return None
    return width


def _debris_kinds(lines: list[Line], width: int | None) -> list[str | None]:
    """For each line, the kind of page debris it is, or None."""
    kinds: list[str | None] = []
    repeated = _running_lines(lines, width) if width else set()
    for ln in lines:
        # Only a line that starts with a digit, "h" or "w" can be a url or a print header:
        # checked first, it saves most lines both searches.
        first = ln.text[:1]
        maybe_url = first.isdecimal() or first in _URL_LINE_STARTS
        if maybe_url and _URL_LINE.match(ln.text):
            kinds.append("url")
        elif maybe_url and _PRINT_HEADER.match(ln.text):
            kinds.append("page_artifact")
        elif width and (_PAGE_NUMBER.match(ln.text) or _shape(ln.text) in repeated):
            kinds.append("page_artifact")
        else:
            kinds.append(None)
    return kinds


def _running_lines(lines: list[Line], width: int) -> set[str]:
    """Lines that recur on the page standing alone: running headers and footers.

    A body line is never alone (wrapped text runs on), so only lines shorter than a full
    line with a blank line (or the page's edge) on both sides count."""
    alone = [
        _shape(ln.text)
        for i, ln in enumerate(lines)
        if len(ln.text) < FULL_LINE_SHARE * width
        and (i == 0 or ln.gap > 0)
        and (i == len(lines) - 1 or lines[i + 1].gap > 0)
    ]
    return {shape for shape, n in Counter(alone).items() if n >= 2}


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _rejoin(
    lines: list[Line], debris: list[str | None], width: int, vocabulary: frozenset[str]
) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None  # the open paragraph
    last_line: Line | None = None  # its last line
    debris_since = False
    for ln, kind in zip(lines, debris, strict=True):
        if kind:
            blocks.append(Block(ln.text, [(ln.start, ln.end)], ln.gap, kind, f"print:{kind}"))
            debris_since = True
            continue
        if current and last_line and _continues(last_line, ln, width, debris_since):
            current.text = glue_lines(current.text, ln.text, vocabulary)
            current.spans.append((ln.start, ln.end))
            if debris_since:  # keep the block where its paragraph ends, after the debris
                blocks.remove(current)
                blocks.append(current)
        else:
            gap = 1 if debris_since else ln.gap
            current = Block(ln.text, [(ln.start, ln.end)], gap)
            blocks.append(current)
        last_line, debris_since = ln, False
    return blocks


def _continues(prev: Line, line: Line, width: int, after_debris: bool) -> bool:
    """Whether `line` carries on the paragraph that `prev` ended."""
    mid_sentence = not _SENTENCE_END.search(prev.text)
    if line.gap == 0 and not after_debris:
        next_word = line.text.split(" ", 1)[0]
        would_not_fit = len(prev.text) + 1 + len(next_word) > FIT_SLACK * width
        return would_not_fit or (mid_sentence and _starts_lower(line.text))
    # Across blank lines or page debris only a sentence cut in two is rejoined.
    full = len(prev.text) >= FULL_LINE_SHARE * width
    return mid_sentence and _starts_lower(line.text) and (full or after_debris)


def glue_lines(text: str, nxt: str, vocabulary: frozenset[str]) -> str:
    """Two lines of one paragraph as one: a word hyphenated at the break is joined or keeps
    its hyphen as the page's vocabulary says; otherwise a space."""
    if _HYPHEN_END.search(text):
        return join_hyphenated(text, nxt, vocabulary)
    return f"{text} {nxt}"


def _starts_lower(text: str) -> bool:
    first = text.lstrip("\"'“‘«([")[:1]
    return first.isalpha() and first.islower()
