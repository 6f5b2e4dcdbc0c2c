"""Read the dates that pages print into ISO 8601.

Only dates the page states are read (a byline, a dateline, a `<time>` element, metadata),
never dates mentioned in the article's prose. A date with a time of day gets the outlet's
UTC offset when its time zone is known; otherwise it is a local time with no offset.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"([A-Za-z]{3,9})\.?"
_FORMS = [
    (re.compile(rf"^{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})$"), ("month", "day", "year")),
    (re.compile(rf"^(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})$"), ("day", "month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("year", "month", "day")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("day", "month", "year")),
]
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([AaPp]\.?[Mm]\.?)?$")


def parse_date(text: str) -> date | None:
    """A calendar date written as 'November 10, 2024', '10 Nov 2024' or '2024-11-10'."""
    text = text.strip()
    for pattern, order in _FORMS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = parts["month"]
        number = MONTHS.get(month.lower()) if not month.isdigit() else int(month)
        try:
            return date(int(parts["year"]), number or 0, int(parts["day"]))
        except ValueError:
            return None
    return None


def parse_time(text: str) -> time | None:
    """A time of day written as '9:57 PM' or '21:57'."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    meridiem = (match.group(4) or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:
        return None


def to_iso(day: date, at: time | None, timezone: str | None) -> str:
    """ISO 8601: a date alone, a local time, or a time with the zone's offset that day."""
    if at is None:
        return day.isoformat()
    moment = datetime.combine(day, at)
    zone = _zone(timezone)
    if zone is not None:
        moment = moment.replace(tzinfo=zone)
    return moment.isoformat()


def iso_from_parts(
    date_text: str | None, time_text: str | None, timezone: str | None
) -> str | None:
    """The ISO form of a printed date and optional time, or None if the date doesn't parse."""
    day = parse_date(date_text) if date_text else None
    if day is None:
        return None
    return to_iso(day, parse_time(time_text) if time_text else None, timezone)


def normalise_iso(value: str, timezone: str | None) -> str | None:
    """A machine-readable date from HTML metadata, as ISO 8601 (offset kept if it has one)."""
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        day = parse_date(value[:10]) if len(value) >= 10 else None
        return day.isoformat() if day else None
    if len(value) <= 10:
        return moment.date().isoformat()
    if moment.tzinfo is None:
        zone = _zone(timezone)
        if zone is not None:
            moment = moment.replace(tzinfo=zone)
    elif timezone and _zone(timezone) is not None:
        moment = moment.astimezone(_zone(timezone))
    return moment.isoformat()


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
