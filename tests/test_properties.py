"""Properties that hold for any input: clean() never raises anything but CleanError, kept
and stripped account for the whole input, a clean body comes back unchanged, and the same
input always gives the same result."""

from __future__ import annotations

from conftest import SEEDS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from service import CleanError, clean

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

# Text shaped like pages: lines of words, punctuation, blank lines, odd characters.
WORD = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12
)
LINE = st.lists(
    st.one_of(WORD, st.sampled_from([",", ".", "—", "“", "”", "(", ")", "-", "•", "|", "\u00a0"])),
    max_size=40,
).map(" ".join)
PAGE = st.lists(st.one_of(LINE, st.just(""), st.just("\r"), st.text(max_size=20)), max_size=40).map(
    "\n".join
)
SENTENCE = st.lists(
    st.sampled_from(
        "the council said on Monday that its plan would cut traffic in the old town and that "
        "residents had asked for more trees quiet streets and safer crossings for children".split()
    ),
    min_size=8,
    max_size=30,
).map(lambda words: " ".join(words).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=2, max_size=5).map(" ".join)
CLEAN_BODY = st.lists(PARAGRAPH, min_size=2, max_size=8).map("\n\n".join)


def uncovered(result: dict, text: str) -> list[int]:
    marks = bytearray(len(text))
    for span in result["stripped"] + result["kept"]:
        marks[span["start"] : span["end"]] = b"\x01" * (span["end"] - span["start"])
    return [i for i, ch in enumerate(text) if not marks[i] and ch.strip() and ch.isprintable()]


@SETTINGS
@given(st.one_of(PAGE, st.text()))
def test_clean_never_raises_anything_but_clean_error(text):
    try:
        clean(text)
    except CleanError:
        assert not text.strip() or not any(ch.isprintable() and not ch.isspace() for ch in text)


@SETTINGS
@given(PAGE)
def test_kept_and_stripped_account_for_the_whole_input(text):
    try:
        result = clean(text)
    except CleanError:
        return
    assert uncovered(result, text) == []


@SETTINGS
@given(CLEAN_BODY)
def test_a_clean_body_comes_back_unchanged(body):
    result = clean(body)
    assume(result["outlet"] is None)
    assert result["body"] == body


def test_cleaning_a_cleaned_seed_changes_nothing():
    for path in sorted(SEEDS.glob("*.txt")):
        first = clean(path.read_text())
        again = clean(first["body"], outlet=first["outlet"])
        assert again["paragraphs"] == first["paragraphs"], path.name


@settings(max_examples=50, deadline=None)
@given(PAGE)
def test_results_are_deterministic(text):
    try:
        assert clean(text) == clean(text)
    except CleanError:
        pass
