"""What reads as a person's name: in a list of names, alone on a line, after a byline's
marker.

A name is one to five words, each capitalised (or a particle: "von der", "de la"), none a
role or an agency ("Staff Writer", "AP"), not the site's own name. A line with nothing but
a name is read more strictly, as menus and section labels are short capitalised lines too:
no common word, one rare one (a surname), by wordfreq's frequencies (`frequencies`).
"""

from __future__ import annotations

import re

from ...models.frequencies import zipf_values
from .calendar import is_weekday, month_number

# Words of a role or an agency after a name ("AP Auto Writer", "Staff Reporter").
ROLE_WORDS = frozenset(
    "writer reporter correspondent editor editors columnist contributor staff redakteur "
    "redakteurin redaktion korrespondent korrespondentin autor autorin journalist "
    "journalistin photographer fotograf press presse associated agency agence news desk "
    "team chief senior deputy managing political business science sports national "
    "international foreign bureau freelance special guest ap afp dpa reuters upi kna epd "
    "sid ans apa ansa efe ria tass rédaction rédacteur correspondant author unknown "
    "anonymous admin administrator phd md marketing project".split()
)
# Words that are never a name on their own: page furniture and calendar words are checked
# apart (see `_person`).
NOT_NAMES = frozenset(
    "follow share teilen mehr more menu home abonnieren subscribe profile profil kontakt "
    "contact mail email e-mail twitter facebook instagram linkedin von vom by par por di "
    "door text texte redaktion editorial cookie cookies newsletter login datenschutz "
    "impressum privacy".split())
# Name particles that are written in lower case ("Ursula von der Leyen").
PARTICLES = frozenset("von van der den de del della da dos das du le la bin al ibn ter "
                      "zu y e".split())
MAX_NAME_WORDS = 5
MIN_NAME_CHARS = 2
MAX_AUTHORS = 8
# A name a line gives without a marker has at least this many words.
MIN_UNMARKED_NAME_WORDS = 2
# Names are joined by these.
_JOINERS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bи\b|\bi\b|\bor\b)\s*",
                      re.I)


class SiteNames(set[str]):
    """The site's names as keys (letters and digits, casefolded), noting whether a name was
    refused as the site's own: a personal site is named for its author."""

    refused: bool = False


def split_names(text: str, sites: set[str]) -> list[str]:
    """Person names in a list of names ("A, B and C", "X, AP Auto Writer"): roles,
    agencies and the site's own name left out."""
    names: list[str] = []
    parts = _JOINERS.split(text)
    for i, part in enumerate(parts):
        name = _person(_without_role(part), sites)
        if name and names and len(name.split()) == 1 and text.find(part) > 0 and "," in (
            text[: text.find(part)][-3:]
        ) and i == len(parts) - 1:
            continue  # "X, Google": an affiliation after the names
        if name and name not in names:
            names.append(name)
    return names[:MAX_AUTHORS]


# A role glued to the name by rendering ("HalperStaff Writer"): a lower-case letter, then it.
_GLUED_ROLE = re.compile(r"(?<=[a-zà-ÿ])([A-ZÀ-Þ][a-zà-ÿ]+)$")


def _without_role(part: str) -> str:
    """A name without the role written after it ("Jane Doe Staff Writer" -> "Jane Doe"), when
    two words or more are left; a part of roles only stays as it is (and is no name)."""
    tokens = []
    for token in part.split():
        glued = _GLUED_ROLE.search(token)
        if glued and glued[1].casefold() in ROLE_WORDS:
            tokens += [token[: glued.start()], glued[1]]
        else:
            tokens.append(token)
    end = len(tokens)
    while end > MIN_UNMARKED_NAME_WORDS and tokens[end - 1].casefold().strip(".,") in ROLE_WORDS:
        end -= 1
    return " ".join(tokens[:end]) if end < len(tokens) else part


def _person(part: str, sites: set[str]) -> str | None:
    part = part.strip(" .:;'\"()[]")
    tokens = part.split()
    if not tokens or len(tokens) > MAX_NAME_WORDS:
        return None
    folded = [t.casefold().strip(".,") for t in tokens]
    if any(f in ROLE_WORDS or any(p in ROLE_WORDS for p in f.split("-")[1:]) for f in folded):
        return None
    if len(tokens) == 1 and (folded[0] in NOT_NAMES or len(folded[0]) < MIN_NAME_CHARS
                             or month_number(folded[0]) or is_weekday(folded[0])):
        return None
    if any(not _name_word(t) for t in tokens):
        return None
    if not any(t[0].isupper() or _caseless(t[0]) for t in tokens):
        return None
    key = re.sub(r"\W+", "", part.casefold())
    if any(key == s or (len(s) >= 4 and s in key) for s in sites):
        if isinstance(sites, SiteNames):
            sites.refused = True
        return None
    if part.isupper() and len(part) > 3:
        part = " ".join(t.capitalize() if t.isupper() else t for t in tokens)
    return part


def _name_word(token: str) -> bool:
    if token.casefold() in PARTICLES:
        return True
    core = token.strip(".,")
    return bool(core) and (core[0].isupper() or _caseless(core[0])) and not any(
        ch.isdigit() or ch in "@/:#" for ch in core
    )


def _caseless(char: str) -> bool:
    """A character of a script without capitals (Chinese, Japanese, Arabic, ...)."""
    return char.isalpha() and char.lower() == char.upper()


# A line that is only a person's name ("Jane Whitfield" under the headline): two to four
# capitalised words, none of them a common word of the languages below (a menu's "Latest
# News" is), one of them a rare one (a surname).
NAME_LINE_WORDS = (2, 4)
_NOT_NAME_LINE = re.compile(r"[,:;!?|/()]|[.:!?]$")
COMMON_WORD_ZIPF = 5.0
RARE_WORD_ZIPF = 4.3


def name_line(text: str, sites: set[str], vouched: bool = False) -> str | None:
    """The name a line that shows only a person's name gives, or None. A line `vouched` for
    (a byline's marker above it, the date line next to it) may have only common words when
    its first word is a given name ("Edward Russell")."""
    tokens = text.split()
    if not NAME_LINE_WORDS[0] <= len(tokens) <= NAME_LINE_WORDS[1] or _NOT_NAME_LINE.search(text):
        return None
    if any(t.isupper() and len(t) > 1 for t in tokens) and not text.isupper():
        return None  # an acronym: a service's or a section's name
    name = _person(text, sites)
    if name is None or any(t.casefold() in PARTICLES for t in tokens[:1]):
        return None
    if any(t.casefold() in NOT_NAMES and t.casefold() not in PARTICLES for t in tokens):
        return None  # page furniture ("Cookie Einstellungen")
    rarity = [word_zipf(t.casefold().strip(".")) for t in tokens
              if t.casefold() not in PARTICLES]
    if max(rarity) >= COMMON_WORD_ZIPF or min(rarity) >= RARE_WORD_ZIPF:
        if not (vouched and given_name_first(name) and max(rarity[1:] or [0]) < COMMON_WORD_ZIPF
                and rarity[0] < COMMON_GIVEN_NAME_ZIPF):
            return None
    return name


# A given name is used across languages ("Anna", "Thomas", "Alice"), about as often in each:
# the first word of a name line is at least this frequent (Zipf) in at least this many of
# `frequencies.LANGUAGES`, and at most `GIVEN_NAME_SPREAD` more frequent in its most frequent
# language than in the median one; a dictionary word is frequent in its own language only
# ("Aktuelle", "Startseite", "Recent", "Über"). Values chosen on the development pages
# (the spread is 0.1-2.0 for the names there, 2.1-3.7 for the words).
GIVEN_NAME_ZIPF = 1.5
GIVEN_NAME_LANGUAGES = 6
GIVEN_NAME_SPREAD = 2.0
# The most common given names ("James", "Thomas") are about this frequent; function words
# ("About", "Über", "Zum") far more.
COMMON_GIVEN_NAME_ZIPF = 5.5


def given_name_first(name: str) -> bool:
    """The name's first word is used as a given name across languages (see above)."""
    word = name.split()[0].casefold().strip(".")
    if month_number(word) or is_weekday(word):
        return False  # "April Roach" is a name, but "May" opens dates too often
    found = sorted(zipf_values(word))
    used = sum(value >= GIVEN_NAME_ZIPF for value in found)
    return used >= GIVEN_NAME_LANGUAGES and found[-1] - found[len(found) // 2] <= GIVEN_NAME_SPREAD


def word_zipf(word: str) -> float:
    """The word's highest Zipf frequency in `frequencies.LANGUAGES` (0 when unknown): wordfreq's
    when it is 3.0 or more, below 3.0 when wordfreq's is (see `frequencies`)."""
    return max(zipf_values(word))
