"""Word frequencies (Zipf) in the languages names are read in, from a compact table.

The metadata stage's name readers, and print repair's hyphen joins (in English), compare
these values with a few thresholds. wordfreq's `zipf_frequency` would load a dictionary of
300,000-600,000 words per language on first use (about 25-35 MiB each, 250 MiB for the
seven, and 3 s), so `data/word_frequencies.npz` keeps just the words whose values can
change a decision (built from wordfreq's lists by scripts/build_word_frequencies.py):

- every word at or above its language's `exact_from` in a language, with that language's
  value: 3.0 (the lowest threshold a word's highest value is compared with), and 2.0 in
  English (the lowest value a word joined across a line-end hyphen is compared with);
- every word used in at least `GIVEN_NAME_LANGUAGES` languages (at least `GIVEN_NAME_ZIPF`
  in each), with all its values: the spread of a given name's values is compared.

A word is keyed by the first 8 bytes of its BLAKE2b digest (no two words of the lists
share one) and carries wordfreq's own value for each language, its rounded centibel
("bucket": Zipf = 9 - bucket / 100), or `ABSENT`. Looking a word up goes as wordfreq's does
(its tokenizer, numbers smashed to zeroes and weighted by `digit_freq`, a word of several
tokens rarer than each), so a value at or above its language's `exact_from`, and every
value of a word whose tokens are all used across languages, is wordfreq's exactly; any
other value is below `exact_from`, as wordfreq's is (a token left out of the table reads
as unknown: 0). About 6 MiB in memory, loaded in milliseconds.
"""

from __future__ import annotations

import hashlib
import math
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
TABLE_FILE = Path(__file__).resolve().parent / "data" / "word_frequencies.npz"
ABSENT = np.iinfo(np.uint16).max
# wordfreq's words are at most this rare (its "large" lists stop at 10^-8): the smallest
# frequency it returns, for an unknown word, is Zipf 0.
_UNKNOWN_ZIPF = 0.0
# The frequencies of a word of several tokens are rounded to this many significant digits
# (the lists are precise to about 1%).
_SIGNIFICANT_DIGITS = 3


def word_key(word: str) -> int:
    """The table's key of a word (as wordfreq's lists spell it)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(),
                          "little")


@cache
def _table() -> tuple[np.ndarray, np.ndarray]:
    with np.load(TABLE_FILE, allow_pickle=False) as data:
        if tuple(data["languages"]) != LANGUAGES:  # pragma: no cover - a stale table
            raise RuntimeError(f"{TABLE_FILE} is for other languages: rebuild it")
        return data["keys"], data["buckets"]


@cache
def _wordfreq() -> ModuleType:
    """wordfreq, imported on first use (its tokenizer's imports take about 0.1 s); its
    lists are never loaded."""
    import wordfreq

    return wordfreq


@cache
def _tokenizations() -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The languages wordfreq reads a word in alike (the same normalisation and tokenizer),
    grouped: (one of them, the table's columns of all of them)."""
    from wordfreq.language_info import get_language_info

    groups: dict[str, tuple[str, list[int]]] = {}
    for column, language in enumerate(LANGUAGES):
        info = repr(sorted(get_language_info(language).items()))
        groups.setdefault(info, (language, []))[1].append(column)
    return tuple((language, tuple(columns)) for language, columns in groups.values())


# A token as looked up: its buckets (None when the table has no row for it) and the weight
# of its digits (None without any: wordfreq's lists count all numbers of a form as one).
_Token = tuple[list[int] | None, float | None]


def _token(token: str) -> _Token:
    wordfreq = _wordfreq()
    smashed = wordfreq.smash_numbers(token)
    keys, buckets = _table()
    key = np.uint64(word_key(smashed))
    at = int(np.searchsorted(keys, key))
    row = buckets[at].tolist() if at < len(keys) and keys[at] == key else None
    return row, (wordfreq.digit_freq(token) if smashed != token else None)


def zipf(word: str, language: str) -> float:
    """The word's Zipf frequency in one of `LANGUAGES` (see the module's note)."""
    return zipf_values(word)[LANGUAGES.index(language)]


@lru_cache(maxsize=8192)
def zipf_values(word: str) -> tuple[float, ...]:
    """The word's Zipf frequency in each of `LANGUAGES` (see the module's note)."""
    values = [0.0] * len(LANGUAGES)
    for language, columns in _tokenizations():
        tokens = [_token(token) for token in _wordfreq().lossy_tokenize(word, language)]
        for column in columns:
            values[column] = _zipf(tokens, column)
    return tuple(values)


def _zipf(tokens: list[_Token], column: int) -> float:
    """Zipf frequency of a word read as `tokens` in one language: 1 / f = sum of 1 / f_i,
    rounded as wordfreq rounds it."""
    wordfreq = _wordfreq()
    unknown = wordfreq.zipf_to_freq(_UNKNOWN_ZIPF)
    inverse = 0.0
    for row, weight in tokens:
        if row is None or row[column] == ABSENT:
            return round(wordfreq.freq_to_zipf(unknown), 2)
        frequency = wordfreq.cB_to_freq(-row[column])
        if weight is not None:
            frequency *= weight
        inverse += 1.0 / frequency
    if not tokens:
        return round(wordfreq.freq_to_zipf(unknown), 2)
    frequency = max(1.0 / inverse, unknown)
    digits = math.floor(-math.log(frequency, 10)) + _SIGNIFICANT_DIGITS
    return round(wordfreq.freq_to_zipf(round(frequency, digits)), 2)
