"""The outlet comes from the url's domain when there is one, else from content fingerprints."""

from __future__ import annotations

import pytest
from conftest import SEEDS

from service import clean
from service.engine.detect import detect_outlet, domain_of
from service.rules import current_rules

RULES = current_rules()
GENERIC_PAGE = (
    "A quiet street in the old town\n\n"
    + "The council agreed on Monday to close the street to cars on weekends, after a year "
    "of complaints from residents about noise and fumes in the evenings.\n\n" * 3
)


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text()


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://kyivindependent.com/some-story/", "kyiv_independent"),
        ("https://www.kyivindependent.com/some-story/", "kyiv_independent"),
        ("http://www.themoscowtimes.com/2024/11/10/a-story-a85000", "moscow_times"),
        ("themoscowtimes.com/2024/11/10/a-story", "moscow_times"),
        ("https://news.example.org/story", None),
        ("https://kyivindependent.com.evil.example/story", None),
    ],
)
def test_domain_decides_when_a_url_is_given(url, outlet):
    rs = detect_outlet(["nothing that looks like any template"], url, RULES)
    assert (rs.id if rs else None) == outlet


def test_url_of_another_site_overrides_fingerprints():
    # A page from elsewhere that quotes an outlet's furniture gets no outlet rules.
    result = clean(seed("001"), url="https://news.example.org/story")
    assert result["outlet"] is None


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("000", "kyiv_independent"),
        ("001", "kyiv_independent"),
        ("002", None),
        ("003", "moscow_times"),
        ("004", "moscow_times"),
    ],
)
def test_fingerprints_decide_without_a_url(name, outlet):
    assert clean(seed(name))["outlet"] == outlet


def test_generic_page_matches_no_outlet():
    assert clean(GENERIC_PAGE)["outlet"] is None


def test_a_passing_mention_is_not_a_fingerprint():
    page = GENERIC_PAGE.replace("residents", "residents, The Kyiv Independent reported,", 1)
    assert clean(page)["outlet"] is None


def test_outlet_hint_forces_the_rule_set():
    assert clean(GENERIC_PAGE, outlet="moscow_times")["outlet"] == "moscow_times"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://WWW.Example.org:8443/x?y", "example.org"),
        ("example.org/path", "example.org"),
        ("", None),
        (None, None),
        ("http://[::1", None),
        ("javascript:alert(1)", None),
    ],
)
def test_domain_of(url, host):
    assert domain_of(url) == host
