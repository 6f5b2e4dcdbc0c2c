"""The benchmark metric, pinned on small examples worked out by hand."""

import pytest

from service.tools.metric import page_counts, score, shingles


def test_shingles_are_a_multiset_of_four_token_windows():
    assert shingles("a b c d a b c d")[("a", "b", "c", "d")] == 2
    assert sum(shingles("a b c d a b c d").values()) == 5


def test_short_text_is_one_short_shingle_and_empty_text_none():
    assert shingles("hi, there!") == {("hi", "there"): 1}
    assert not shingles("  ... ")


def test_page_counts_are_normalised():
    # gold: abcd bcde; pred: abcd bcdx -> tp 1, fp 1, fn 1
    assert page_counts("a b c d e", "a b c d x") == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    # repeated gold shingle counted twice, matched once: tp 1, fp 0, fn 4
    assert page_counts("a b c d a b c d", "a b c d") == pytest.approx((0.2, 0.0, 0.8))
    assert page_counts("", "") == (0.0, 0.0, 0.0)


def test_score_averages_precision_over_predicted_pages_only():
    pairs = [
        ("a b c d e", "a b c d x"),  # P 0.5, R 0.5
        ("one two three four", ""),  # nothing predicted: no precision, R 0
    ]
    f1, p, r = score(pairs)
    assert p == pytest.approx(0.5)
    assert r == pytest.approx(0.25)
    assert f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_perfect_and_empty_scores():
    assert score([("x y z w v", "x y z w v")]) == pytest.approx((1.0, 1.0, 1.0))
    assert score([]) == (0.0, 0.0, 0.0)
