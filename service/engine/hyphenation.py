"""Decide whether a word split by a hyphen at a line end is one word or a real compound.

`govern-` + `ment` is `government`; `full-` + `scale` is `full-scale`. The page itself is
the best witness (the same word written elsewhere whole or hyphenated); failing that, word
frequencies tell whether the joined form is a word in its own right.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A joined form must be at least this common (Zipf scale, 0-8) to count as a word.
MIN_JOINED_ZIPF = 2.0
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
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a dependency; be safe anyway
        return False
    joined = zipf_frequency(whole, "en")
    return joined >= MIN_JOINED_ZIPF and joined > min(
        zipf_frequency(left, "en"), zipf_frequency(right, "en")
    )
