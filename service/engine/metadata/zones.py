"""The calendar day of a UTC timestamp where the site is, from the url's country domain.

Pages often declare their publication time in UTC ("2022-11-06T23:00:00Z") while the day
they print and mean is local (7 November in Germany). A country domain (`.de`, `.com.ar`)
names the site's country; tzdata's `zone.tab` lists each country's time zones. When every
zone of that country puts the instant on the same local day, that is the site's day. A
generic use of a country domain (`.io`, `.tv`) says nothing about where a site is.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .datetext import Found

# Country domains used as generic names, and domain names that are not ISO 3166 codes.
GENERIC_COUNTRY_DOMAINS = frozenset("io ai tv me fm co ly gg cc ws to sh ac am la nu im "
                                    "ag gl st vc".split())
DOMAIN_COUNTRIES = {"uk": "GB"}


@cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """ISO country code -> its time zones, from tzdata's zone.tab."""
    table = (files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            zones.setdefault(fields[0], []).append(fields[2])
    return {country: tuple(names) for country, names in zones.items()}


@cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def site_zones(url: str | None) -> tuple[ZoneInfo, ...]:
    """The time zones of the country the url's domain names, if it names one."""
    host = (urlsplit(url).hostname or "") if url else ""
    label = host.rsplit(".", 1)[-1].lower() if "." in host else ""
    if len(label) != 2 or label in GENERIC_COUNTRY_DOMAINS:
        return ()
    names = country_zones().get(DOMAIN_COUNTRIES.get(label, label.upper()), ())
    return tuple(zone for zone in map(_zone, names) if zone is not None)


def local_found(found: Found, zones: tuple[ZoneInfo, ...]) -> Found:
    """A time stated in UTC as the site's local time, when all its country's zones agree on
    the day; anything else as it is."""
    if not zones or found.at is None or found.offset is None or found.offset.total_seconds():
        return found
    moment = datetime.combine(found.day, found.at, tzinfo=ZoneInfo("UTC"))
    local = [moment.astimezone(zone) for zone in zones]
    if len({m.date() for m in local}) != 1:
        return found
    first = local[0]
    return Found(first.date(), first.time().replace(tzinfo=None), first.utcoffset(),
                 found.start, found.end, found.ambiguous)
