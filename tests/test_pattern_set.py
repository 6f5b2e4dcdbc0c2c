"""A PatternSet finds what searching each of its patterns finds, on every line of every
rule fixture, and the rule loops built on it record the same hits."""

from pathlib import Path

import pytest

from service.rules import current_rules
from service.rules.patterns import PatternSet, record_hits

FIXTURES = Path(__file__).resolve().parents[1] / "rules" / "fixtures"
LINES = sorted({line.strip() for path in FIXTURES.rglob("*.txt")
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()})
SETS = ("line_set", "anchor_set", "section_set", "end_set", "recognised_set")


@pytest.mark.parametrize("outlet", sorted(current_rules()))
def test_a_set_matches_what_each_pattern_matches(outlet):
    text = current_rules()[outlet].text
    checked = 0
    for name in SETS:
        patterns = getattr(text, name)
        for line in LINES:
            expected = [p for p in patterns.patterns if p.regex.search(line)]
            assert patterns.matching(line) == expected, (name, line)
            checked += bool(expected)
    assert checked > 0  # the fixtures exercise the sets


def test_search_any_records_the_first_pattern_that_matches_only():
    text = next(iter(current_rules().values())).text
    both = PatternSet((*text.bylines, *text.bylines))
    line = next(line for line in LINES if both.matching(line))
    with record_hits() as hits:
        assert both.search_any(line)
    assert hits == {both.matching(line)[0].name}
    assert not both.search_any("")


def test_an_empty_set_matches_nothing():
    assert PatternSet(()).matching("anything") == []
