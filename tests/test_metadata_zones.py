"""A UTC timestamp read as the day where the site is, from its country domain."""

from __future__ import annotations

from service.engine.metadata.datetext import parse_machine
from service.engine.metadata.zones import local_found, site_zones


def _local(url: str, value: str) -> str:
    found = parse_machine(value)
    assert found is not None
    return local_found(found, site_zones(url)).iso()


def test_a_utc_time_on_a_country_domain_is_the_local_day() -> None:
    assert _local("https://www.example.de/a", "2022-11-06T23:00:00Z") == (
        "2022-11-07T00:00:00+01:00")
    assert _local("https://www.example.com.ar/a", "Wed, 04 May 2022 00:25:56 GMT") == (
        "2022-05-03T21:25:56-03:00")
    assert _local("https://www.example.co.uk/a", "2022-07-06T23:30:00Z") == (
        "2022-07-07T00:30:00+01:00")


def test_no_country_or_zones_that_disagree_leave_the_time_as_stated() -> None:
    assert _local("https://example.com/a", "2022-11-06T23:00:00Z") == "2022-11-06T23:00:00+00:00"
    assert _local("https://example.io/a", "2022-11-06T23:00:00Z") == "2022-11-06T23:00:00+00:00"
    # Madrid is past midnight, the Canaries are not: the day is not known.
    assert _local("https://example.es/a", "2022-11-06T23:30:00Z") == "2022-11-06T23:30:00+00:00"
    # A time the page states with its own offset is its local time already.
    assert _local("https://example.de/a", "2022-11-06T23:00:00-05:00") == (
        "2022-11-06T23:00:00-05:00")
