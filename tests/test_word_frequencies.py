"""The word frequencies of the name readers and the hyphen joins: a compact table that
decides as wordfreq does."""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from service.engine.hyphenation import (
    HYPHEN_LANGUAGE,
    MIN_JOINED_ZIPF,
    _is_word_of_its_own,
)
from service.engine.metadata.authors import HANDLE_ZIPF
from service.engine.metadata.names import (
    COMMON_GIVEN_NAME_ZIPF,
    COMMON_WORD_ZIPF,
    GIVEN_NAME_LANGUAGES,
    GIVEN_NAME_SPREAD,
    GIVEN_NAME_ZIPF,
    RARE_WORD_ZIPF,
    given_name_first,
    word_zipf,
)
from service.models.frequencies import LANGUAGES, TABLE_FILE, _table, zipf, zipf_values

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (HANDLE_ZIPF, RARE_WORD_ZIPF, COMMON_WORD_ZIPF, COMMON_GIVEN_NAME_ZIPF)
EXACT_FROM = min(THRESHOLDS)


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location(
        "build_word_frequencies", ROOT / "scripts" / "build_word_frequencies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_is_what_the_script_builds(script) -> None:
    built = script.build()
    with np.load(TABLE_FILE, allow_pickle=False) as shipped:
        assert sorted(shipped.files) == sorted(built)
        for name, array in built.items():
            assert shipped[name].dtype == array.dtype, name
            assert np.array_equal(shipped[name], array), f"{name}: run {script.__file__}"
    floors = dict(zip(LANGUAGES, built["exact_from"].tolist(), strict=True))
    assert floors == {language: EXACT_FROM for language in LANGUAGES} | {
        HYPHEN_LANGUAGE: MIN_JOINED_ZIPF}


def test_table_is_small_and_shipped() -> None:
    keys, buckets = _table()
    assert keys.nbytes + buckets.nbytes < 8 * 2**20
    assert np.all(keys[1:] > keys[:-1])
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["service"]
    relative = TABLE_FILE.relative_to(ROOT / "service")
    assert any(relative.match(pattern) for pattern in patterns)


def _given_name(values: tuple[float, ...]) -> bool:
    found = sorted(values)
    used = sum(value >= GIVEN_NAME_ZIPF for value in found)
    return used >= GIVEN_NAME_LANGUAGES and found[-1] - found[len(found) // 2] <= GIVEN_NAME_SPREAD


def _words() -> list[str]:
    """Words of the lists, glued into tokens wordfreq splits, with digits, cased; and words
    pages give as names and handles."""
    import wordfreq

    rng = random.Random(7)
    words = []
    for language in LANGUAGES:
        pack = wordfreq.get_frequency_list(language)
        for bucket in (0, 150, 300, 450, 550, 600, 601, 650, 700, 750, 751, 799):
            if bucket < len(pack) and pack[bucket]:
                words += rng.sample(pack[bucket], min(12, len(pack[bucket])))
    glued = []
    for _ in range(300):
        a, b = rng.choice(words), rng.choice(words)
        glued += [f"{a}-{b}", f"{a}'{b}", f"{a}_{b}", f"{a}{rng.randint(0, 2100)}", a.title()]
    named = ["anna", "thomas", "elizabeth", "jean-pierre", "o'brien", "l'homme", "macbacchi",
             "the_pain", "2016", "1999", "42", "user123", "über", "straße", "recent", "aktuelle",
             "startseite", "", "-", "’s", "zum", "about"]
    return words + glued + [str(n) for n in range(0, 2100, 7)] + named


def test_decides_as_wordfreq() -> None:
    """At or above the lowest threshold a value is wordfreq's; below it, it stays below;
    whether a word is a given name is decided on the same values."""
    from wordfreq import zipf_frequency

    exact = 0
    for word in _words():
        reference = tuple(zipf_frequency(word, language) for language in LANGUAGES)
        values = zipf_values(word)
        for value, expected in zip(values, reference, strict=True):
            assert value == expected if expected >= EXACT_FROM else value < EXACT_FROM, word
        for threshold in THRESHOLDS:
            assert (max(values) >= threshold) == (max(reference) >= threshold), word
        assert _given_name(values) == _given_name(reference), word
        exact += values == reference
    assert exact > len(_words()) // 2


def test_no_language_guesses_word_breaks() -> None:
    """wordfreq lowers a word's frequency for each break a tokenizer guesses (Chinese); the
    table's languages have none, so the table's lookups leave that out."""
    from wordfreq.language_info import get_language_info

    assert all(get_language_info(language)["tokenizer"] == "regex" for language in LANGUAGES)


def test_word_values() -> None:
    assert word_zipf("the") == pytest.approx(7.73, abs=0.2)
    assert word_zipf("xqzvlorp") == 0.0
    assert given_name_first("Anna Schmidt") and not given_name_first("Über uns")


def _hyphen_cases() -> list[tuple[str, str, str]]:
    """(whole, left, right) splits of words of the hyphen language's list at every bucket
    the joins can reach, and of glued pairs of them."""
    import wordfreq

    rng = random.Random(11)
    pack = wordfreq.get_frequency_list(HYPHEN_LANGUAGE)
    words = [w for bucket in range(0, len(pack), 25) for w in pack[bucket][:40]
             if len(w) > 3 and w.isalpha()]
    cases = [(w, w[:k], w[k:]) for w in words for k in (2, len(w) // 2)]
    for _ in range(400):
        a, b = rng.choice(words), rng.choice(words)
        cases.append((a + b, a, b))
    return cases


def test_hyphen_joins_decide_as_wordfreq() -> None:
    """A word split at a line end is joined when wordfreq's English list would join it."""
    from wordfreq import zipf_frequency

    def reference(whole: str, left: str, right: str) -> bool:
        joined = zipf_frequency(whole, HYPHEN_LANGUAGE)
        return joined >= MIN_JOINED_ZIPF and joined > min(
            zipf_frequency(left, HYPHEN_LANGUAGE), zipf_frequency(right, HYPHEN_LANGUAGE))

    cases = _hyphen_cases()
    decided = [_is_word_of_its_own(*case) for case in cases]
    assert decided == [reference(*case) for case in cases]
    assert 0 < sum(decided) < len(cases)  # both answers occur
    assert zipf("government", HYPHEN_LANGUAGE) == zipf_frequency("government", "en")


def test_cleaning_never_loads_a_wordfreq_list() -> None:
    """A printed page with a hyphen the page cannot settle, and a byline, read in a fresh
    process: neither the hyphen join nor the name readers load one of wordfreq's lists."""
    page = ("Regional officials said the new rules would take effect in the spring, "
            "after a long\nreview by the regional govern-\nment and several committees "
            "that met\nthroughout the winter to discuss them.\n\nBy Anna Schmidt\n")
    code = (
        "import sys, wordfreq\nfrom service import clean\n"
        "result = clean(text=sys.stdin.read())\n"
        "loaded = wordfreq.get_frequency_list.cache_info().currsize"
        " + wordfreq.get_frequency_dict.cache_info().currsize\n"
        "print(loaded, 'government' in result['body'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input=page, capture_output=True,
                          text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["0", "True"]
