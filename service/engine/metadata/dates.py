"""The page's publication date, from every signal that states it.

The signals: the article's structured data (JSON-LD `datePublished`, OpenGraph
`article:published_time`, microdata), the date line in the article's header (near the
headline, or just before the first paragraph, or the dateline that opens the first
paragraph: "BERLIN, 3. März 2024 – ..."), the `<time>` elements of the article's header,
the date in the url, the page's weaker meta tags, and last its modification date. A date
is never read from the article's prose: only short header lines and datelines count.

The signals vote: where they disagree, the date shown under the headline counts most, and
two signals that agree outweigh it. A structured time in UTC can fall on another day than
the date the page shows (a story posted at 00:30 local time is 22:30 UTC the day before);
the shown local date then wins, and is never moved through UTC. A UTC time on a site whose
country domain places it in one time zone's day is read on that local day (`zones`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..page import Page
from .datetext import Found, find_dates, latest_year, parse_machine, valid_date
from .header import Header, is_header_line
from .structured import Declared
from .zones import local_found, site_zones

# Structured signals that speak for the article itself (its JSON-LD entity, OpenGraph,
# microdata); the other meta tags ("date", "pubdate", ...) are weaker.
STRONG_SOURCES = ("json-ld:article.", "meta:article:published_time", "meta:og:",
                  "microdata:datePublished", "meta:datepublished", "meta:parsely-pub-date",
                  "meta:sailthru.date")
# Words that mark a date line's date as the publication (or update) date.
PUBLISHED_WORDS = re.compile(
    r"\b(?:published|posted|veröffentlicht|erschienen|publié|publicado|pubblicato|"
    r"gepubliceerd|publiziert|eingetragen|opublikowano|опубликовано|erstellt|created|"
    r"datum)\b", re.I)
UPDATED_WORDS = re.compile(
    r"\b(?:updated?|aktualisiert|geändert|modifié|mis à jour|actualizado|atualizado|"
    r"aggiornato|bijgewerkt|zaktualizowano|обновлено|edited|last modified|stand)\b", re.I)
# A date line has at most this many words besides its date (a byline, a label, a time).
MAX_OTHER_WORDS = 12
# How much each signal's date counts when they disagree: the nearest header date lines
# (what the reader sees under the headline), the article's structured data, the url, the
# weaker meta tags, `<time>` elements, the modification date and a date line elsewhere.
# When the page shows a date one day off a UTC timestamp, the shown local date outvotes it.
HEADER_WEIGHTS = (3.0, 1.0, 0.5)
WEIGHTS = {"strong": 2.0, "url": 2.5, "weak": 1.0, "time": 0.5, "modified": 0.5,
           "anywhere": 0.3}
# Update lines rank as if this many blocks further from the headline.
UPDATED_PENALTY = 6
_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)[/_.-]?(0[1-9]|1[0-2])[/_.-]?(0[1-9]|[12]\d|3[01])(?!\d)")
_URL_SEPARATED = re.compile(
    r"(?<!\d)((?:19|20)\d\d)([/_.-])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?!\d)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/")
# A day before the month in a path ("/meldungen/29-10-2021"), read only when the day cannot
# be a month.
_URL_DAY_FIRST = re.compile(
    r"(?<![\d])(1[3-9]|2\d|3[01])([_.-])(0?[1-9]|1[0-2])\2((?:19|20)\d\d)(?!\d)")
# `<time>` elements in these are another item's (an embedded post, a teaser, a comment).
_ELSEWHERE_TAGS = frozenset({"blockquote", "aside", "footer", "nav"})
_ELSEWHERE_CLASS = re.compile(
    r"comment|related|sidebar|widget|teaser|recommend|promo|instagram|twitter|embed|"
    r"reply|more-|read-?next|trending|popular", re.I)
_PUBLISHED_MARK = re.compile(r"pub|published|datePublished|post-date|entry-date", re.I)
# How many enclosing elements of a `<time>` are looked at.
MAX_TIME_DEPTH = 12
# Dates that are not when the article was published.
_NOT_PUBLICATION = re.compile(
    r"registriert|registered|joined|member since|mitglied seit|"
    r"\bversion\b|geteilt von|shared by|a post shared|\(@\w+\)", re.I)
# Crawlers that store a page's visible text put the capture's date before it
# (" date 2024-11-10 "): when the page was fetched, not when the article was published.
CAPTURE_LINE = re.compile(r"^date \d{4}-\d\d-\d\d\b")
# A line with a link names another page's date (a url with /2024/11/10/ in it).
_LINK = re.compile(r"://|\bwww\.")
# A separator between a line's parts ("By X | March 3, 2024 | 2 comments").
_SEPARATED = re.compile(r"^\s*(?:[|•·/–—:,-]|by\b|von\b|par\b|por\b|door\b|\d)|[|•·–—]\s*$", re.I)
# Words a date line's label or tail may have without separators ("Veröffentlicht am").
MAX_LABEL_WORDS = 5
SENTENCE_ENDS = (".", "!", "?", ":")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright", re.I)
_RANGE = re.compile(r"^\s*[–—-]\s*$|^\s*(?:bis|to|au|al|до)\s*$")


@dataclass(frozen=True)
class Dated:
    """A candidate date with the signal that gave it and, for header lines, its block."""

    found: Found
    source: str
    block: int | None = None
    others: tuple[Found, ...] = ()  # the other dates a header line states


def url_date(url: str | None) -> date | None:
    """A full date in the url's path (/2019/10/31/, /2020-02-19/, _22.04.2020_)."""
    if not url:
        return None
    path = urlsplit(url).path
    # (pattern, its groups of year, month and day)
    for pattern, groups in ((_URL_SEPARATED, (1, 3, 4)), (_URL_DAY_FIRST, (4, 3, 1))):
        match = pattern.search(path)
        if match:
            return valid_date(*(int(match[k]) for k in groups))
    for found in find_dates(path.replace("_", " ")):
        return found.day
    return None


def url_month(url: str | None) -> tuple[int, int] | None:
    """The year and month a url's path names (/2019/10/...)."""
    match = _URL_MONTH.search(urlsplit(url).path) if url else None
    return (int(match[1]), int(match[2])) if match else None


def header_dates(page: Page, header: Header) -> list[Dated]:
    """Date lines in the article's header, nearest the headline first."""
    found = []
    start = header.headline if header.headline is not None else header.body or 0
    leads = [i for i, b in enumerate(page.blocks[start:], start) if b.kept][:LEAD_PARAGRAPHS]
    for index in header.indices(len(page.blocks)):
        block = page.blocks[index]
        if block.dom.caption:
            continue
        if not is_header_line(block):
            opening = lead_date(block.text) if index in leads else None
            if opening is not None:
                found.append((header.distance(index), Dated(opening, "text:lead-date", index)))
            continue
        dated = line_date(block.text)
        if dated is not None:
            rank = header.distance(index) + (UPDATED_PENALTY if dated[1] else 0)
            others = tuple(f for f in find_dates(block.text) if f.day != dated[0].day)
            found.append((rank, Dated(dated[0], "text:date-line", index, others)))
    found.sort(key=lambda pair: pair[0])
    return [dated for _, dated in found]


# A dateline that opens the article's first paragraph: a few words (a place, "Press release
# of"), the date, then a dash, a bar, a colon or a quotation ("27.1.2022 - At the ...").
MAX_LEAD_WORDS = 3
_LEAD_AFTER = re.compile(r"\s*(?:[–—|:•·-]|[„“\"«])")


def lead_date(text: str) -> Found | None:
    """The date a paragraph opens with, as a news dateline does, or None."""
    dates = find_dates(text[:LEAD_CHARS])
    if not dates or len(text[: dates[0].start].split()) > MAX_LEAD_WORDS:
        return None
    if _COPYRIGHT.search(text, 0, dates[0].start) or not _LEAD_AFTER.match(text, dates[0].end):
        return None
    return dates[0]


LEAD_CHARS = 80
# The article's first paragraphs (a standfirst may come before the dateline's).
LEAD_PARAGRAPHS = 2


def first_date_line(page: Page) -> Dated | None:
    """The first date line anywhere on the page that says it gives the publication date
    ("Veröffentlicht am 3. März 2024", "Erschienen am: 01.11.2023"), else the first date
    line, when no other signal gives a date; an update line only when there is no other."""
    first = update = None
    for index, block in enumerate(page.blocks):
        if not is_header_line(block) or block.dom.caption:
            continue
        dated = line_date(block.text)
        if dated is None:
            continue
        if dated[1]:
            update = update or Dated(dated[0], "text:first-date-line", index)
        elif PUBLISHED_WORDS.search(block.text, 0, dated[0].start):
            return Dated(dated[0], "text:first-date-line", index)
        else:
            first = first or Dated(dated[0], "text:first-date-line", index)
    return first or update


def line_date(text: str) -> tuple[Found, bool] | None:
    """The date a header line states, and whether it is only an update date; None when the
    line is not a date line: no date, too many other words, a date range, a sentence that
    mentions a date, or a date that is not the article's (a copyright, a sign-up date)."""
    if not _TWO_DIGITS.search(text):
        return None  # no date can be printed without digits
    return _line_date(text, latest_year())


# The readers ask about the same header lines several times (headline, byline, date).
LINE_CACHE_SIZE = 4096
_TWO_DIGITS = re.compile(r"\d\d")


@lru_cache(maxsize=LINE_CACHE_SIZE)
def _line_date(text: str, max_year: int) -> tuple[Found, bool] | None:
    dates = find_dates(text, max_year)
    if not dates or _NOT_PUBLICATION.search(text) or _LINK.search(text):
        return None
    if CAPTURE_LINE.match(text) or _COPYRIGHT.search(text, 0, dates[0].start):
        return None  # a capture date, or the date of a copyright notice
    rest = text
    for found in reversed(dates):
        rest = rest[: found.start] + " " + rest[found.end :]
    if len(rest.split()) > MAX_OTHER_WORDS:
        return None
    if len(dates) >= 2 and _RANGE.match(text[dates[0].end : dates[1].start]):
        return None  # an event's dates, not the article's
    if not _framed(text, dates[0], dates[-1]):
        return None
    for i, found in enumerate(dates):
        before = text[dates[i - 1].end if i else 0 : found.start]
        if UPDATED_WORDS.search(before) and not PUBLISHED_WORDS.search(before):
            if i + 1 < len(dates):
                continue
            return found, True
        return found, False
    return dates[0], False


def _framed(text: str, first: Found, last: Found) -> bool:
    """The dates stand as a line's label would, not inside a sentence: a few words before
    them (or a byline), and after them a separator, a name, a byline or little else."""
    before, after = text[: first.start].split(), text[last.end :].strip()
    if len(before) > MAX_LABEL_WORDS and not _SEPARATED.search(text[: first.start]):
        return False
    words = after.split()
    if len(words) <= MAX_LABEL_WORDS or _SEPARATED.match(after):
        return True
    return not words[0][0].islower() and not after.endswith(SENTENCE_ENDS)


def time_elements(tree: LexborHTMLParser) -> list[Dated]:
    """`<time>` elements of the article, not of an embedded post, a teaser list, a comment
    or the sidebar; those that mark themselves as the publication time (pubdate, itemprop,
    a class that says published) first."""
    marked, plain = [], []
    for node in tree.css("time"):
        value = node.attributes.get("datetime") or node.text()
        parsed = parse_machine(value or "")
        if parsed is None:
            continue
        marks = " ".join(filter(None, (node.attributes.get("class"),
                                        node.attributes.get("itemprop"),
                                        "pubdate" if "pubdate" in node.attributes else "")))
        if UPDATED_WORDS.search(marks) or "modified" in marks or _elsewhere(node):
            continue
        target = marked if _PUBLISHED_MARK.search(marks) else plain
        target.append(Dated(parsed, "html:time"))
    return marked + plain


def _elsewhere(node: Any) -> bool:
    """Inside an element that holds something other than the article's header."""
    node = node.parent
    for _ in range(MAX_TIME_DEPTH):
        if node is None or node.tag in ("body", "html"):
            return False
        if node.tag in _ELSEWHERE_TAGS:
            return True
        attributes = node.attributes
        marks = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
        if _ELSEWHERE_CLASS.search(marks):
            return True
        node = node.parent
    return False


def choose_date(
    declared: Declared | None, header: list[Dated], times: list[Dated], url: str | None,
    anywhere: Callable[[], Dated | None] | None = None,
) -> Dated | None:
    """The publication date: the day the signals vote for (WEIGHTS), given as the most
    precise candidate for that day (a structured time with its offset first)."""
    zones = site_zones(url)
    published = _parsed(declared.published, zones) if declared else []
    strong = [d for d in published if d.source.startswith(STRONG_SOURCES)]
    weak = [d for d in published if not d.source.startswith(STRONG_SOURCES)]
    modified = _parsed(declared.modified, zones) if declared else []
    times = [Dated(local_found(d.found, zones), d.source, d.block) for d in times]
    month = url_month(url)
    if month is not None:
        # /2019/10/...: a header date of another month further from the headline is another
        # item's; the nearest stays (the url keeps the month a story was filed in).
        header = header[:1] + [d for d in header[1:]
                               if (d.found.day.year, d.found.day.month) == month]
    ballots: list[tuple[Dated | None, float]] = [
        (_first(strong), WEIGHTS["strong"]), (_first(weak), WEIGHTS["weak"]),
        (_first(times), WEIGHTS["time"]), (_first(modified), WEIGHTS["modified"])]
    from_url = url_date(url)
    if from_url is not None:
        ballots.append((Dated(Found(from_url), "url"), WEIGHTS["url"]))
    stated = {one.found.day for one, _ in ballots if one is not None and one not in modified}
    header = [_confirmed(d, stated) for d in header]
    ballots = list(zip(header, HEADER_WEIGHTS, strict=False)) + ballots
    if not any(one for one, _ in ballots) and anywhere is not None:
        ballots.append((anywhere(), WEIGHTS["anywhere"]))
    votes: dict[date, float] = {}
    candidates: list[Dated] = []
    for one, weight in ballots:
        if one is not None:
            votes[one.found.day] = votes.get(one.found.day, 0.0) + weight
            candidates.append(one)
    _merge_swapped(votes, header)
    if not votes:
        return None
    day = max(votes, key=lambda d: votes[d])
    same = [d for d in candidates if d.found.day == day]
    return min(same, key=lambda d: (d.found.offset is None, d.found.at is None))


def _confirmed(dated: Dated, stated: set[date]) -> Dated:
    """A header line with several dates ("2018-08-29 14:15 2018-06-22 10:20": updated and
    published) counts for the one another signal states, when its first is not."""
    if dated.found.day in stated:
        return dated
    other = next((f for f in dated.others if f.day in stated), None)
    return Dated(other, dated.source, dated.block) if other is not None else dated


def _first(values: list[Dated]) -> Dated | None:
    return values[0] if values else None


def _merge_swapped(votes: dict[date, float], header: list[Dated]) -> None:
    """A header date printed as 11/01/2021 was read day first; when another signal votes
    for the month-first reading, its votes go there."""
    for dated in header[: len(HEADER_WEIGHTS)]:
        day = dated.found.day
        if not dated.found.ambiguous or day not in votes:
            continue
        try:
            swapped = day.replace(month=day.day, day=day.month)
        except ValueError:
            continue
        if swapped in votes:
            votes[swapped] += votes.pop(day)


def _parsed(values: list[tuple[str, str]], zones: tuple = ()) -> list[Dated]:
    out = []
    for value, source in values:
        found = parse_machine(value)
        if found is not None:
            out.append(Dated(local_found(found, zones), source))
    return out
