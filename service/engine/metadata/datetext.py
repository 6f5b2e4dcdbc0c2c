"""Read dates as pages print them and as machines write them, into ISO 8601.

Only dates the page states are read (a byline, a dateline, a `<time>` element, metadata),
never dates mentioned in the article's prose: this module parses a given piece of text,
and the readers decide which pieces are date lines. A time keeps the UTC offset the page
states with it; a time without one stays a local time, or takes the outlet's time zone
when its rule file declares one. A shown local date is never moved through UTC.
"""

from __future__ import annotations

import re
import time as time_module
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from email.utils import parsedate_tz
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .calendar import is_weekday, month_number

# Years a publication date can have; the upper end is next year (pages are dated ahead
# by time zones and by scheduled posts).
MIN_YEAR = 1990
SECONDS_PER_DAY = 86_400
# A two-digit year (19.10.19) is 20yy up to this many years ahead of now, else 19yy.
TWO_DIGIT_YEAR_AHEAD = 1
# How far after (before) a date its time of day may be printed.
TIME_AFTER_CHARS = 24
TIME_BEFORE_CHARS = 14

_L = r"[^\W\d_]"  # a letter of any script
_MON = rf"(?P<mon>{_L}{{3,}}\.?)"
_DAY = r"(?P<d>[0-3]?\d)(?:\s?(?:st|nd|rd|th)\b|er\b|\.|º)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_FORMS = [
    # 2024-03-03, 2024/03/03, 2024.03.03 (with a time and offset in machine values)
    re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)"
               r"(?P<d>[0-3]?\d)(?![\d])"),
    # 30.11.2020, 30/11/2020, 30-11-2020, 19.10.19
    re.compile(r"(?<![\d.:/])(?P<d>[0-3]?\d)(?P<sep>[./-])\s?(?P<m>[0-3]?\d)(?P=sep)\s?"
               r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d/]|\.\d)"),
    # 19. Oktober 2019, 27 juin 2019, 19 de octubre de 2019, 31 Donnerstag Okt 2019
    re.compile(rf"(?<![\d.]){_DAY}(?:\s+de)?[\s,]*(?:(?P<wd>{_L}{{2,}}\.?),?\s+)?{_MON}"
               rf"(?:\s+de|,)?\s*{_YEAR}(?!\d)"),
    # March 3, 2024, Feb. 19, 2020, Oct 30 2020
    re.compile(rf"(?<!{_L}){_MON}\s*{_DAY},?\s+{_YEAR}(?!\d)"),
    # 2019. október 19., 2019 Oct 19
    re.compile(rf"(?<![\d.]){_YEAR}\.?\s+{_MON}\s+(?P<d>[0-3]?\d)\b"),
    # 2019年10月19日, 2019년 10월 19일
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<m>[01]?\d)\s*[月월]\s*(?P<d>[0-3]?\d)"),
]
_DAY_FIRST = _FORMS[1]
_MERIDIEM = re.compile(r"\d\s?[ap]\.?m\b\.?", re.I)
_TIME = (r"(?P<H>[0-2]?\d)(?:[:h](?P<M>[0-5]\d)|\.(?P<M2>[0-5]\d)(?=\s*(?:Uhr|h\b)))"
         r"(?::(?P<S>[0-5]\d))?(?:\.\d+)?\s*(?P<ampm>[aApP]\.?\s?[mM]\.?)?(?:\s*Uhr)?")
_ZONE = r"(?:\s*(?P<tz>Z\b|UTC|GMT|[+-]\d\d:?\d\d\b|[A-Z]{2,4}\b)(?P<tzoff>[+-]\d\d?(?::?\d\d)?)?)?"
_TIME_AFTER = re.compile(
    r"(?:T|\s*[,|/–—·•@-]?\s*(?:(?:um|at|à|a las|alle|в|o|kl\.?|om|às|ab)\s+)?)" + _TIME + _ZONE
)
_TIME_BEFORE = re.compile(_TIME + r"\s*(?:Uhr)?[\s,|/–—·•-]*$")
# Time zone abbreviations pages print after a time, as offsets (hours).
ZONE_HOURS = {"UTC": 0, "GMT": 0, "Z": 0, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "BST": 1,
              "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
              "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "IST": 5.5, "JST": 9, "KST": 9}


_TWO_DIGITS = re.compile(r"\d\d")


def latest_year() -> int:
    """The latest year a publication date can have: next year (time zones, scheduled posts)."""
    return _latest_year(int(time_module.time() // SECONDS_PER_DAY))


@lru_cache(maxsize=1)
def _latest_year(day_number: int) -> int:
    return date.fromordinal(date(1970, 1, 1).toordinal() + day_number).year + 1


@dataclass(frozen=True, slots=True)
class Found:
    """A date stated in a piece of text: the day, the time of day and UTC offset when
    stated, and where it was found."""

    day: date
    at: time | None = None
    offset: timedelta | None = None
    start: int = 0
    end: int = 0
    ambiguous: bool = False  # printed as 03/04/2020: the other reading is possible too

    def iso(self, zone: str | None = None) -> str:
        """ISO 8601: the day; with a time, its own offset, else the zone's, else none."""
        if self.at is None:
            return self.day.isoformat()
        moment = datetime.combine(self.day, self.at)
        if self.offset is not None:
            moment = moment.replace(tzinfo=timezone(self.offset))
            target = _zone(zone)
            return (moment.astimezone(target) if target else moment).isoformat()
        target = _zone(zone)
        return (moment.replace(tzinfo=target) if target else moment).isoformat()


def find_dates(text: str, max_year: int | None = None, month_first: bool = False) -> list[Found]:
    """Every calendar date printed in `text` ('March 3, 2024', '30.11.2020 18:14',
    '19. Oktober 2019', '2020-10-04 15:05'), in text order, each with its time of day.
    `month_first` reads an ambiguous 03/04/2020 as March 4, as US pages write it (and as a
    line that tells the time in a.m. and p.m. does)."""
    if not _TWO_DIGITS.search(text):
        return []  # every date form has a year: most lines of a page have no digits at all
    max_year = max_year or latest_year()
    month_first = month_first or bool(_MERIDIEM.search(text))
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for pattern in _FORMS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            day = _day_of(match, max_year, month_first)
            if day is None:
                continue
            at, offset, start, end = _time_near(text, start, end)
            taken.append((start, end))
            # 01.11.2023 is day first wherever dots are written; 01/11/2023 is not
            ambiguous = (pattern is _DAY_FIRST and match["sep"] == "/" and day.day <= 12
                         and day.day != day.month)
            found.append(Found(day, at, offset, start, end, ambiguous))
    found.sort(key=lambda f: f.start)
    return found


def _day_of(match: re.Match, max_year: int, month_first: bool) -> date | None:
    groups = match.groupdict()
    if groups.get("mon"):
        month = month_number(groups["mon"])
        if month is None or (groups.get("wd") and not is_weekday(groups["wd"])):
            return None
    else:
        month = int(groups["m"])
    day, year = int(groups["d"]), int(groups["y"])
    if year < 100:
        if groups.get("sep") == "-":
            return None  # 10-19-19 is as often a code as a date
        ahead = (date.today().year + TWO_DIGIT_YEAR_AHEAD) % 100
        year += 2000 if year <= ahead else 1900
    if match.re is _DAY_FIRST:
        if month > 12 >= day or (month_first and groups["sep"] == "/" and day <= 12):
            day, month = month, day  # 03/30/2020: the month came first
    if not MIN_YEAR <= year <= max_year:
        return None
    return valid_date(year, month, day)


def valid_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is no such day (31 April, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _time_near(text: str, start: int, end: int) -> tuple[time | None, timedelta | None, int, int]:
    """The time of day printed right after (or right before) a date, its offset, and the
    span of date and time together."""
    after = _TIME_AFTER.match(text, end, end + TIME_AFTER_CHARS + 10)
    if after:
        at = _clock(after)
        if at is not None:
            return at, _offset(after), start, after.end()
    before = _TIME_BEFORE.search(text, max(0, start - TIME_BEFORE_CHARS), start)
    if before:
        at = _clock(before)
        if at is not None:
            return at, None, before.start(), end
    return None, None, start, end


def _clock(match: re.Match) -> time | None:
    hour = int(match["H"])
    minute = int(match["M"] or match["M2"] or 0)
    second = int(match["S"] or 0)
    meridiem = (match["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23:
        return None
    return time(hour, minute, second)


def _offset(match: re.Match) -> timedelta | None:
    name = match.groupdict().get("tz")
    if not name:
        return None
    if name[0] in "+-":
        return _numeric_offset(name)
    hours = ZONE_HOURS.get(name)
    if hours is None:
        return None
    extra = match.groupdict().get("tzoff")
    return timedelta(hours=hours) + (_numeric_offset(extra) or timedelta(0) if extra else
                                     timedelta(0))


def _numeric_offset(value: str) -> timedelta | None:
    digits = value[1:].replace(":", "")
    if not digits.isdigit():
        return None
    hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (
        int(digits), 0)
    if hours > 14 or minutes >= 60:
        return None
    sign = -1 if value[0] == "-" else 1
    return sign * timedelta(hours=hours, minutes=minutes)


_ISO = re.compile(
    r"^\s*(?P<y>\d{4})-?(?P<m>\d\d)-?(?P<d>\d\d)(?:[T ](?P<H>\d\d):?(?P<M>\d\d)(?::?(?P<S>\d\d))?"
    r"(?:[.,]\d+)?\s*(?P<tz>Z|[+-]\d\d(?::?\d\d)?)?)?"
)


def parse_machine(value: str, max_year: int | None = None) -> Found | None:
    """A date as metadata writes it: ISO 8601 (offset kept), RFC 2822, or a printed form."""
    value = value.strip()
    if not value:
        return None
    max_year = max_year or latest_year()
    match = _ISO.match(value)
    if match:
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            at = (time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
                  if match["H"] else None)
        except ValueError:
            return None
        if not MIN_YEAR <= day.year <= max_year:
            return None
        tz = match["tz"]
        offset = timedelta(0) if tz == "Z" else _numeric_offset(tz) if tz else None
        return Found(day, at, offset if at else None, 0, match.end())
    if value[:3].isalpha() and "," in value[:5]:
        parts = parsedate_tz(value)
        if parts:
            try:
                day = date(*parts[:3])
            except ValueError:
                return None
            offset = timedelta(seconds=parts[9]) if parts[9] is not None else None
            return Found(day, time(*parts[3:6]), offset, 0, len(value))
    found = find_dates(value, max_year)
    return found[0] if found else None


# ---------------------------------------------------------------------------
# The outlets' rule files name the printed date and time of their bylines separately.
# ---------------------------------------------------------------------------

_LONE_TIME = re.compile(r"^\s*" + _TIME + r"\s*$")


def parse_date(text: str) -> date | None:
    """A calendar date written as 'November 10, 2024', '10 Nov 2024' or '2024-11-10'."""
    found = find_dates(text.strip())
    return found[0].day if found else None


def parse_time(text: str) -> time | None:
    """A time of day written as '9:57 PM' or '21:57'."""
    match = _LONE_TIME.match(text)
    return _clock(match) if match else None


def to_iso(day: date, at: time | None, zone: str | None) -> str:
    """ISO 8601: a date alone, a local time, or a time with the zone's offset that day."""
    return Found(day, at).iso(zone)


def iso_from_parts(date_text: str | None, time_text: str | None, zone: str | None) -> str | None:
    """The ISO form of a printed date and optional time, or None if the date doesn't parse."""
    day = parse_date(date_text) if date_text else None
    if day is None:
        return None
    return to_iso(day, parse_time(time_text) if time_text else None, zone)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
