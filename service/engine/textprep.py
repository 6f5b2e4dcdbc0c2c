"""Normalise raw page text and split it into lines with offsets into the input.

Normalisation never rewrites the input: offsets always point into the text as received.
It only decides what each line's text is (no-break and odd spaces become spaces,
zero-width characters go, runs of white space fold to one space).
"""

from __future__ import annotations

import re
from functools import partial
from itertools import accumulate, compress, repeat
from operator import add, sub
from typing import NamedTuple

# No-break, figure, thin, ideographic ... spaces read as a plain space.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]+")
# Zero-width and formatting characters carry no text.
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_RUNS = re.compile(r"\s+")
# A block reads as prose when it has this many words and ends like a sentence.
MIN_PROSE_WORDS = 10
SENTENCE_END = re.compile(r"[.!?…\"”’»]\)?$|[.!?]\W{0,2}$")
_HEADLINE_BAD_END = re.compile(r"[.,;:]$")
# Control characters other than the line breaks are never text.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# \r\n, \r, \n and the Unicode line and paragraph separators all end a line (captured, so
# that splitting at them keeps them and the offsets of the lines can be summed up).
_LINE_END = re.compile(r"(\r\n|[\n\r\u2028\u2029\x85])")
# The line ends other than \n: without them str.split("\n") splits the same, several times
# faster than the regular expression.
_OTHER_LINE_ENDS = re.compile(r"[\r\u2028\u2029\x85]")


class Line(NamedTuple):
    """One non-blank line (a named tuple: made for every line of every page, and cheaper to
    make than a frozen dataclass)."""

    text: str  # normalised; never empty
    start: int  # offset of its first non-space character in the input
    end: int  # offset just after its last non-space character
    gap: int  # blank lines before it


def count_controls(text: str) -> int:
    """Control characters (NUL and the like) that normalisation reads as spaces."""
    return len(_CONTROLS.findall(text))


def normalise(text: str) -> str:
    """One line's text as the result shows it."""
    if text.isprintable():
        # The common case: a printable line holds no control, invisible or odd space
        # character, and its only white space is the plain space, so folding runs of spaces
        # is all there is to do.
        return " ".join(text.split())
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return _RUNS.sub(" ", text).strip()


def split_lines(source: str) -> list[Line]:
    """The non-blank lines of `source`, each with its offsets and the blank lines before it."""
    if _is_plain(source):
        return _plain_lines(source)
    lines: list[Line] = []
    pos, gap = 0, 0
    if _OTHER_LINE_ENDS.search(source):
        parts = _LINE_END.split(source)  # line, line end, line, ..., line
        pieces = zip(parts[::2], map(len, [*parts[1::2], ""]), strict=True)
    else:
        pieces = zip(source.split("\n"), repeat(1))  # (line, length of its line end)
    for raw, end_length in pieces:
        start, end = pos, pos + len(raw)
        pos = end + end_length
        if not raw:
            gap += 1
            continue
        if raw.isprintable():
            # As in normalise (and _trim): only plain spaces to fold and to trim.
            text = " ".join(raw.split())
            if text and text != raw:
                start += len(raw) - len(raw.lstrip(" "))
                end -= len(raw) - len(raw.rstrip(" "))
        else:
            text = normalise(raw)
            if text:
                start, end = _trim(source, start, end)
        if not text:
            gap += 1
            continue
        lines.append(Line(text, start, end, gap))
        gap = 0
    return lines


def _is_plain(source: str) -> bool:
    """Whether every line of `source` is as normalise gives it (most pages): printable, so
    with plain spaces only, none of them doubled or at either end; and split at \n only
    (the other line ends are not printable)."""
    return (
        source.replace("\n", " ").isprintable()
        and "  " not in source
        and " \n" not in source
        and "\n " not in source
        and source[:1] != " "
        and source[-1:] != " "
    )


# A Line made from a tuple of its fields in C (the named tuple's own constructor is Python).
_as_line = partial(tuple.__new__, Line)


def _plain_lines(source: str) -> list[Line]:
    """split_lines of a page that _is_plain: its non-blank lines as they are, each line's
    offsets summed up and its gap read off them, with no Python code per line."""
    raws = source.split("\n")
    # Where each line starts (a line and its \n after it); a blank line is empty.
    starts = list(compress(accumulate(map(add, map(len, raws), repeat(1)), initial=0), raws))
    texts = list(filter(None, raws))
    ends = list(map(add, starts, map(len, texts)))
    # The blank lines before a line: the line breaks after the previous one's end, but one.
    gaps = map(sub, starts, [0, *map(add, ends[:-1], repeat(1))])
    return list(map(_as_line, zip(texts, starts, ends, gaps, strict=True)))


def _trim(source: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to its visible characters."""
    line = source[start:end]
    if line.isprintable():
        return start + len(line) - len(line.lstrip()), end - len(line) + len(line.rstrip())
    while start < end and _is_blank(source[start]):
        start += 1
    while end > start and _is_blank(source[end - 1]):
        end -= 1
    return start, end


def _is_blank(ch: str) -> bool:
    return ch.isspace() or bool(_INVISIBLE.match(ch)) or bool(_CONTROLS.match(ch))


def is_prose(text: str) -> bool:
    """A paragraph of prose: enough words, and it ends like a sentence."""
    return len(text.split()) >= MIN_PROSE_WORDS and bool(SENTENCE_END.search(text))


def is_headline(text: str, max_words: int, min_words: int = 1) -> bool:
    """A headline's shape: a few words with letters, not ending like a clause."""
    # Split no further than one word past max_words (more is as bad as that many); a match
    # of _HEADLINE_BAD_END lies in the last two characters (one before a final \n); the
    # letters are looked for in C.
    words = len(text.split(None, max_words))
    return (
        min_words <= words <= max_words
        and not _HEADLINE_BAD_END.search(text[-2:])
        and any(map(str.isalpha, text))
    )
