"""Decide whether a word split by a hyphen at a line end is one word or a real compound.

`govern-` + `ment` is `government`; `full-` + `scale` is `full-scale`. The page itself is
the best witness (the same word written elsewhere whole or hyphenated); failing that, word
frequencies tell whether the joined form is a word in its own right (English ones, from
the compact table of `models.frequencies`: the same decisions as wordfreq's lists, which
would cost each worker 24 MiB and 0.2 s when the first hyphen is met).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models.frequencies import zipf

# A joined form must be at least this common (Zipf scale, 0-8) in this language to count
# as a word (scripts/build_word_frequencies.py keeps the table exact from there).
MIN_JOINED_ZIPF = 2.0
HYPHEN_LANGUAGE = "en"
_WORD = re.compile(r"\w+(?:-\w+)*")


def page_vocabulary(text: str) -> frozenset[str]:
    """Every word and hyphenated compound on the page, lower-cased."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def join_hyphenated(head: str, tail: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """Join `head` (ending in '-') and `tail` across a line break."""
    stem = head[:-1]
    first, sep, rest = tail.partition(" ")
    left = _last_word(stem)
    whole, compound = (left + first).lower(), f"{left}-{first}".lower()
    if not left or not first[:1].isalpha() or not first[:1].islower() or not left[-1].isalpha():
        glue = "-"
    elif whole in vocabulary and compound not in vocabulary:
        glue = ""
    elif compound in vocabulary and whole not in vocabulary:
        glue = "-"
    else:
        glue = "" if _is_word_of_its_own(whole, left.lower(), _strip_punct(first).lower()) else "-"
    return f"{stem}{glue}{first}{sep}{rest}"


def _last_word(text: str) -> str:
    match = re.search(r"(\w+)$", text)
    return match.group(1) if match else ""


def _strip_punct(word: str) -> str:
    match = re.match(r"\w+", word)
    return match.group(0) if match else word


@lru_cache(maxsize=4096)
def _is_word_of_its_own(whole: str, left: str, right: str) -> bool:
    """True when the joined form is a common word, commoner than its rarer half."""
    whole = whole.rstrip(".,;:!?\"'”’)")
    joined = zipf(whole, HYPHEN_LANGUAGE)
    return joined >= MIN_JOINED_ZIPF and joined > min(
        zipf(left, HYPHEN_LANGUAGE), zipf(right, HYPHEN_LANGUAGE))
