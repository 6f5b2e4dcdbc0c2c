"""The article's authors, and its byline as printed.

A byline is read by its grammar, in any of the languages pages use: a marker ("By",
"von", "Par", "Por", "Di", "Door", "Автор:"), names joined by commas and "and", and what
follows the names (a role, an agency, a date). Roles and agencies stay in `byline` only;
`authors` holds names. Declared authors (JSON-LD, meta, microdata) are read the same way.
Rendering often splits a byline over lines ("By" above "Jane Doe"), and date lines name
their author without a marker ("Jane Doe | 3 March 2024", a forum's "macbacchi 28.09.19").
A name that is the site's own ("The Daily Example", the domain) and an editorial desk
("Redaktion") are authors only when no person is named (the stage reads them last).
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .calendar import is_weekday
from .dates import PUBLISHED_WORDS, UPDATED_WORDS
from .datetext import find_dates, latest_year
from .names import (
    MIN_UNMARKED_NAME_WORDS,
    PARTICLES,
    ROLE_WORDS,
    name_line,
    split_names,
    word_zipf,
)
from .text import clean_text

__all__ = ["byline_names", "dateline_names", "declared_names", "desk_name", "element_names",
           "name_line", "split_byline_names", "split_names"]

# "By X", "von X", "Par X", ... at the start of a byline (or after its date).
_MARKER = (r"(?:written\s+by|posted\s+by|geschrieben\s+von|erstellt\s+von|by|von|vom|par|por|"
           r"di|door|av|af|przez|от|autor(?:in|es|a)?|author(?:s)?|auteur|text|texte|"
           r"redakteur(?:in)?|redaktion(?=\s*:)|reporter|автор(?:ы)?|авторка)")
_CJK_MARKER = r"(责任编辑|作者|编辑|記者)\s*[:：]\s*"
MARKER = re.compile(rf"(?:^|[\s|•·,–—-])({_MARKER})\s*[:.]?\s+|{_CJK_MARKER}", re.I)
# A line with a byline's marker alone ("By", "Von:", "Autor"): the name is on the next line.
_MARKER_ONLY = re.compile(rf"^\s*(?:[^\W\d_]+\s+){{0,2}}(?:{_MARKER})\s*[:.]?\s*$", re.I)
# What ends the names in a byline.
_STOP = re.compile(
    r"\s+(?:[|•·/]|[–—-]\s|on\s|(?:am|em|op)\s|(?:le|el|il)(?:\s*$|\s(?=\d|(?-i:[a-zà-ÿ])))|\d|updated?\b|published\b|"
    r"posted\b|veröffentlicht\b|aktualisiert\b|mis à jour\b|in\s|im\s|vom\s|last\s|under\s|"
    r"at\s|um\s|eine?\s|\w+:\s|(?:\d+\s+)?(?:comments?|kommentare?)\b|categor(?:y|ies)\b|"
    r"kategorien?\b|tags\b|leave\s+a\b|post\s+a\b|schreibe\s+einen\b)|\s*[(\[|•·]|:$",
    re.I)
# A lower-case word followed by more words right after the marker.
_LOWER_WORD_THEN_MORE = re.compile(
    r"^([a-zà-ÿ][\w'-]*)\s+(?!(?:am|on|at|um|le|el|il|in|im|vom|de|du|under)\b)\w")
# A user name standing alone after a marker ("by marc", "von uriebe").
_HANDLE = re.compile(r"^(?=.*[^\W\d_])[\w.-]{2,30}$")
# The parts of a date line, and labels that are not names ("Veröffentlicht am", "Stand").
_PARTS = re.compile(r"\s[|•·/–—-]\s")
_LABEL = re.compile(
    r"\b(?:posted|published|updated|veröffentlicht|aktualisiert|stand|erstellt|publié|"
    r"datum|date|uhr|min|read|lesezeit|kommentar\w*|comment\w*|foto|photo|bild|quelle|source|"
    r"am|on|le|el|il|de)\b", re.I)
# The words of a date line's part up to its first number ("Alexander Roll 1 Kommentar").
_LEADING_WORDS = re.compile(r"[^\d]*")
# Words that lead into a byline before its marker, in the languages pages use.
LEAD_IN_WORDS = frozenset(
    "posted published written veröffentlicht eingestellt geschrieben erstellt verfasst "
    "artikel beitrag ein eine a an story article text interview publié écrit publicado "
    "escrito pubblicato scritto gepubliceerd geplaatst post author autor blog gespeichert "
    "filed".split())
MAX_LEAD_IN_WORDS = 3
# Lower-case words this short may stand before a marker ("am 3. Mai 2020 von X").
MAX_FUNCTION_WORD = 3
# Posts embedded from social networks name their own author.
_EMBED = re.compile(r"geteilt von|shared by|post shared|publication partagée", re.I)


def byline_names(text: str, sites: set[str] | None = None) -> list[str] | None:
    """The names a byline line gives, or None when the line is not a byline."""
    rest = _byline_rest(text)
    if rest is None:
        return None
    names = split_names(rest, sites or set())
    if not names and _HANDLE.match(rest.strip()) and rest.strip().casefold() not in ROLE_WORDS:
        names = [rest.strip()]  # a user name: "Posted by marc"
    return names or None


def _byline_rest(text: str) -> str | None:
    """The part of a byline that holds its names (after the marker, before a date, a role
    or anything else that ends them), or None when the line is not a byline."""
    return _cached_byline_rest(text, latest_year())


# The readers ask about the same header lines several times (headline, byline, date).
LINE_CACHE_SIZE = 4096


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _cached_byline_rest(text: str, max_year: int) -> str | None:
    text = clean_text(text)
    marker = MARKER.search(text)
    if marker is None or _EMBED.search(text):
        return None
    before = text[: marker.start(1) if marker.group(1) else marker.start(2)]
    if before.strip(" |•·,–—-") and not _only_date(before) and not _only_labels(before):
        return None  # words before the marker: a sentence, not a byline
    rest = text[marker.end() :]
    while (again := MARKER.match(rest)) is not None:  # "Post author: By X"
        rest = rest[again.end() :]
    lower = _LOWER_WORD_THEN_MORE.match(rest)
    if lower and lower[1].casefold() not in PARTICLES:
        return None  # "Redakteur für Wirtschaft": a marker word in a phrase, not a byline
    dates = find_dates(rest, max_year)
    if dates:
        rest = rest[: dates[0].start]
    stop = _STOP.search(rest)
    return rest[: stop.start()] if stop else rest


# Words that name an editorial desk rather than a person ("Redaktion", "Staff").
DESK_WORDS = frozenset("redaktion staff editorial rédaction redacción redazione redactie "
                       "newsroom".split())
MAX_DESK_WORDS = 4


def desk_name(text: str) -> str | None:
    """The desk a byline or a date line credits, as printed, when it names no person ("von
    Redaktion", "Redaktion - 31. Januar 2022", "by HLNF Staff Report")."""
    rest = _byline_rest(text)
    if rest is None:
        dates = find_dates(text)
        if not dates:
            return None
        head = text[: dates[0].start].strip(_SEPARATORS)
        rest = head or _PARTS.split(text[dates[-1].end :])[0]
    tokens = rest.strip(_SEPARATORS).split()
    if not 1 <= len(tokens) <= MAX_DESK_WORDS or any(ch.isdigit() for ch in rest):
        return None
    if not any(t.casefold().strip(".,:") in DESK_WORDS for t in tokens):
        return None
    return " ".join(tokens)


def split_byline_names(marker_line: str, following: list[str],
                       sites: set[str]) -> tuple[list[str], int] | None:
    """The names on the lines under a line with only a byline's marker ("By" above "Jane
    Doe", then perhaps "and" above "John Roe"): rendering puts the marker and each linked
    name on lines of their own. The names and how many of the `following` lines they take."""
    if not _MARKER_ONLY.match(marker_line) or not following:
        return None
    name = name_line(following[0], sites, vouched=True)
    if not name:
        return None
    names, used = [name], 1
    while used + 1 < len(following) and _JOINER_LINE.match(following[used]):
        more = name_line(following[used + 1], sites, vouched=True)
        if not more:
            break
        names.append(more)
        used += 2
    return names, used


# A line that only joins two names ("and", "&", "und").
_JOINER_LINE = re.compile(r"^\s*(?:,|&|and|und|et|y|e|i|и)\s*$", re.I)


def dateline_names(text: str, sites: set[str] | None = None) -> list[str] | None:
    """The name a date line gives without a marker: the part before its date, or one of its
    separated parts ("Gunter Frank / 22.04.2020 / 06:15", "Jane Doe 24. April 2020", "Jane
    Doe | Monday 3 March 2024", "3. März 2024 - Jane Doe - 12 Kommentare")."""
    dates = find_dates(text)
    if not dates:
        return None
    before = [_without_weekday(p) for p in _PARTS.split(text[: dates[0].start])]
    before = [p for p in before if p.strip(_SEPARATORS)]
    parts = [before[-1] if before else "", *_PARTS.split(text[dates[-1].end :])]
    for part in parts:
        part = _LEADING_WORDS.match(part.strip(_SEPARATORS))[0].strip(_SEPARATORS)
        if MARKER.match(part):
            return byline_names(part, sites)  # "Home | By Jane Doe | 3 March 2024"
        label = _label_in(part)
        if label is not None and label > 0:
            part = part[:label].strip()
        if not part or _label_in(part) is not None:
            continue
        names = split_names(_before_phrase(part), sites or set())
        if len(names) == 1 and len(names[0].split()) >= MIN_UNMARKED_NAME_WORDS:
            return names
        handle = part.split()[0].strip(".-_")
        return [handle] if user_handle(handle) and len(part.split()) <= MAX_HANDLE_PART else None
    return None


# A user name on a forum's or a blog's date line ("macbacchi 28.09.19 12:44", "1. November
# 2016 surfguard"): one token in lower case or with a capital inside ("HansEhrlich",
# "ThE_PaiN"), letters in it, and no word of the languages pages are written in.
_USER_HANDLE = re.compile(r"^(?=.*[a-z])(?:[a-z0-9_.-]+|[A-Za-z0-9_.-]*[a-z][A-Z][\w.-]*)$")
MIN_HANDLE_CHARS = 3
HANDLE_ZIPF = 3.0
MAX_HANDLE_PART = 3


def user_handle(token: str) -> bool:
    """`token` reads as a user name, not a word."""
    return (len(token) >= MIN_HANDLE_CHARS and bool(_USER_HANDLE.match(token))
            and token.casefold() not in ROLE_WORDS and not is_weekday(token)
            and not PUBLISHED_WORDS.match(token) and not UPDATED_WORDS.match(token)
            and word_zipf(token.casefold()) < HANDLE_ZIPF)


_SEPARATORS = " |•·/–—-,:"
# Labels that are also name particles when capitalised ("Loïc Le Clerc", "Ana De Armas").
_ARTICLE_LABELS = frozenset({"am", "on", "le", "el", "il", "de"})


def _label_in(part: str) -> int | None:
    """Where the first label in a date line's part starts ("Jane Doe am" -> 9), or None."""
    for label in _LABEL.finditer(part):
        word = label[0]
        if label.start() == 0 or word.casefold() not in _ARTICLE_LABELS or word.islower():
            return label.start()
    return None


def _without_weekday(text: str) -> str:
    """The text without the weekday it ends with ("Jane Doe | Monday" -> "Jane Doe |")."""
    words = text.split()
    while words and is_weekday(words[-1]):
        words.pop()
    return " ".join(words)


def _before_phrase(text: str) -> str:
    """The capitalised words before a phrase in lower case, and without the phrase's first
    word ("Jane Doe Leave a comment" -> "Jane Doe", "Jane Doe in Politik" -> "Jane Doe")."""
    tokens = text.split()
    for k, token in enumerate(tokens):
        if k and token[0].islower() and token.casefold() not in PARTICLES:
            cut = k - 1 if k - 1 >= MIN_UNMARKED_NAME_WORDS and tokens[k - 1][0].isupper() else k
            return " ".join(tokens[:cut])
    return text


def _only_labels(text: str) -> bool:
    """A byline's lead-in ("Veröffentlicht von", "Ein Artikel von", "Posted in News by")."""
    words = re.findall(r"\w+", text)
    if words and words[0].casefold() in LEAD_IN_WORDS and len(words) <= MAX_LEAD_IN_WORDS + 1:
        return True  # "Posted in News by X"
    return len(words) <= MAX_LEAD_IN_WORDS and all(
        w.casefold() in LEAD_IN_WORDS or (w[0].islower() and len(w) <= MAX_FUNCTION_WORD)
        for w in words)


def _only_date(text: str) -> bool:
    dates = find_dates(text)
    if not dates:
        return False
    rest = text
    for found in reversed(dates):
        rest = rest[: found.start] + rest[found.end :]
    words = [w for w in re.findall(r"\w+", rest) if not w.isdigit() and not is_weekday(w)]
    return len(words) <= 3


def declared_names(values: list[str], sites: set[str]) -> list[str]:
    """Names from a declared author field ("By Jane Doe and John Roe", "Doe, Jane")."""
    names: list[str] = []
    for value in values:
        value = clean_text(value)
        marker = MARKER.match(value)
        if marker:
            value = value[marker.end() :]
        for name in split_names(value, sites):
            if name not in names:
                names.append(name)
    return names


# Elements whose text is the author's name on blogs and news pages without structured data.
AUTHOR_ELEMENTS = 'a[rel="author"], [class*="author"], [class*="byline"], .vcard .fn'
_NOT_A_NAME_BOX = re.compile(r"comment|avatar|bio|box|description|social|about|image|photo",
                             re.I)
# An author element with more words than this is a box about the author, not a name.
MAX_ELEMENT_WORDS = 12
MAX_ELEMENT_DEPTH = 8


def element_names(tree: LexborHTMLParser, sites: set[str], shown: str | None) -> list[str]:
    """The names in the first author element of the page (`rel=author`, a class that says
    author or byline) that is not part of a comment or an author box; when `shown` (the
    text of the article's header) is given, the first whose names it shows comes first (an
    author element elsewhere may belong to a teaser or another story)."""
    first: list[str] = []
    for node in tree.css(AUTHOR_ELEMENTS):
        if _in_comment(node):
            continue
        text = clean_text(node.text(separator=" "))
        if not text or len(text.split()) > MAX_ELEMENT_WORDS:
            continue
        names = byline_names(text, sites) or split_names(text, sites)
        if names and (shown is None or all(name in shown for name in names)):
            return names
        first = first or names
    return first


def _in_comment(node: LexborNode) -> bool:
    for _ in range(MAX_ELEMENT_DEPTH):
        if node is None or node.tag in ("body", "html"):
            return False
        attributes = node.attributes
        if _NOT_A_NAME_BOX.search(f"{attributes.get('class') or ''} {attributes.get('id') or ''}"):
            return True
        node = node.parent
    return False
