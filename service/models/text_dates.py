"""Whether a block holds a date (the ``date_like`` block feature): ``_DATE``'s matches, found
for all the blocks of a page at once with cheaper searches first (``text_block`` uses it).
"""

from __future__ import annotations

import re

import numpy as np

from . import chars

_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}"
    r"|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}"
    r"|(?:updated|published|posted)\b)",
    re.IGNORECASE,
)
# _DATE tries all its alternatives at every position of a block (some 30 ns a character):
# _date_like runs it only on the few blocks that these cheaper searches leave in doubt.
# Every digit alternative holds a digit followed by a date separator and a digit, or four
# digits in a row.
_DATE_SHAPE = re.compile(r"\d(?:[/.:-]\d|\d\d\d)")
# The alternatives of _DATE that start with a digit. Written to start with \d, so that a
# search skips to the digits; (?<!\w\d) after the first digit is the \b before it.
_DATE_BY_DIGIT = re.compile(
    r"\d(?<!\w\d)(?:\d?[/.-]\d{1,2}[/.-]\d{2,4}|\d{3}-\d{2}-\d{2}|\d?:\d{2}"
    r"|\d? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4})",
    re.IGNORECASE,
)
# The month alternative ends with a day and a year.
_DAY_YEAR = re.compile(r"\d,? \d{4}")
_DATE_WORDS = ("updated", "published", "posted")
_DATE_WORDS_ANYCASE = re.compile("|".join(_DATE_WORDS), re.IGNORECASE)
# Under re.IGNORECASE the date words' letters match their two ASCII cases, and these.
_DATE_WORD_ODD_LETTERS = ("İ", "ı", "ſ")


def _date_like(text: str, lower: str) -> bool:
    """Whether ``_DATE`` matches ``text`` (``lower`` is ``text.lower()``)."""
    if _DATE_SHAPE.search(text):
        if _DATE_BY_DIGIT.search(text):
            return True
        # Left: a month then a day and a year, or a date word.
        if not (_DAY_YEAR.search(text) or _may_hold_date_word(text, lower)):
            return False
    elif not _may_hold_date_word(text, lower):
        return False  # without digits in a date's shape only a date word could match
    return _DATE.search(text) is not None


def _may_hold_date_word(text: str, lower: str) -> bool:
    """False only for blocks in which ``_DATE_WORDS_ANYCASE`` finds nothing."""
    # The _DATE_WORDS, spelt out: cheaper than a loop over them.
    if "updated" in lower or "published" in lower or "posted" in lower:
        return True
    # Their letters in ASCII would be in lower(); outside ASCII only a few others match.
    return (
        not text.isascii()
        and any(map(text.__contains__, _DATE_WORD_ODD_LETTERS))
        and _DATE_WORDS_ANYCASE.search(text) is not None
    )


def date_flags(blocks: list[str], page: chars.JoinedBlocks, lowered: chars.JoinedBlocks,
               lower_texts: list[str]) -> np.ndarray:
    """``_date_like`` of each block (``lower_texts``: the blocks lower-cased), run only on
    the blocks with a date's shape (a digit, then a date separator and a digit or three
    more digits) or a date word: the others cannot match."""
    classes = np.append(page.points.classes, np.zeros(3, dtype=np.uint16))
    digit = (classes & chars.DECIMAL) != 0
    separator = (classes & chars.DATE_SEPARATOR) != 0
    shape = digit[:-3] & ((separator[1:-2] & digit[2:-1]) | (digit[1:-2] & digit[2:-1] & digit[3:]))
    candidates = set(page.block_of(np.flatnonzero(shape)).tolist())
    candidates.update(lowered.block_of(lowered.find(_DATE_WORDS)).tolist())
    if not page.text.isascii():
        candidates.update(page.block_of(page.find(_DATE_WORD_ODD_LETTERS)).tolist())
    out = np.zeros(len(blocks))
    for k in candidates:
        out[k] = _date_like(blocks[k], lower_texts[k])
    return out
