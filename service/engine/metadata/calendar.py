"""Month and weekday names in the languages pages are written in, from dateparser's data.

dateparser ships the CLDR names of months and weekdays (with the genitive and abbreviated
forms pages print: "октября", "Okt.", "juin") for some 200 languages. Only the names are
used, never its parser (tens of milliseconds a page). The tables are built once, on first
use (about 20 ms), from the most used languages first, so where two languages read one word
as different months the more common reading wins.
"""

from __future__ import annotations

import importlib
from functools import cache

MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# How many of dateparser's languages (in its order of use on the web) give names.
LANGUAGES = 60
# Shorter words are too often something else ("ni", "te", "ar" are months in Turkish).
MIN_NAME_CHARS = 3


def _languages() -> list[dict]:
    """dateparser's names of the `LANGUAGES` most used languages that have a table."""
    from dateparser.data.languages_info import language_order

    found = []
    for code in language_order[:LANGUAGES]:
        try:
            module = importlib.import_module(f"dateparser.data.date_translation_data.{code}")
        except ModuleNotFoundError:  # a language it orders but has no names for
            continue
        found.append(module.info)
    return found


def _table(keys: tuple[str, ...]) -> dict[str, int]:
    table: dict[str, int] = {}
    for info in _languages():
        for number, key in enumerate(keys, start=1):
            for name in info.get(key, ()):
                word = name.lower().rstrip(".")
                if len(word) >= MIN_NAME_CHARS and word.isalpha():
                    table.setdefault(word, number)
    return table


@cache
def months() -> dict[str, int]:
    """Lower-case month name or abbreviation (no final dot) -> month number."""
    return _table(MONTH_KEYS)


@cache
def weekdays() -> dict[str, int]:
    """Lower-case weekday name or abbreviation (no final dot) -> ISO weekday number."""
    return _table(WEEKDAY_KEYS)


def month_number(word: str) -> int | None:
    """The month a printed word names ("Oktober", "oct.", "октября"), or None."""
    return months().get(word.lower().rstrip("."))


def is_weekday(word: str) -> bool:
    return word.lower().rstrip(".,") in weekdays()
