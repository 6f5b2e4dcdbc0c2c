"""The fast paths of the text pipeline compute exactly what their plain definitions say.

Each test holds the plain definition (the slower code it replaced, or the regular expression
it avoids running) and checks the fast code against it on tricky and random inputs: the
results, the fingerprint and the model's input must not move by a bit.
"""

from __future__ import annotations

import math
import random
import re
from hashlib import blake2b

import numpy as np
import pytest
from conftest import SEEDS
from plain_blocks import plain_blocks

from service import clean
from service.engine import generic_text, printfix
from service.engine.detect import _window, by_fingerprint, fingerprint_score
from service.engine.fingerprint import simhash
from service.engine.page import Block
from service.engine.printfix import _DEBRIS_START, _URL_LINE_STARTS
from service.engine.textprep import (
    _CONTROLS,
    _INVISIBLE,
    _RUNS,
    _SPACES,
    Line,
    _trim,
    is_headline,
    normalise,
    split_lines,
)
from service.models import text_block as tb
from service.models import text_dates as td
from service.models import text_features as gt
from service.rules import SignalSet, current_rules

PAGES = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _random_strings(alphabet: list[str], count: int, longest: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(longest)))
            for _ in range(count)]


# ---------------------------------------------------------------------------
# Fingerprint
# ---------------------------------------------------------------------------


def _plain_simhash(text: str) -> str:
    tokens = [t.lower() for t in re.findall(r"\w+", text)]
    if not tokens:
        return "0" * 16
    grams = [" ".join(tokens[i : i + 3]) for i in range(max(1, len(tokens) - 2))]
    votes = [0] * 64
    for gram in grams:
        value = int.from_bytes(blake2b(gram.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            votes[bit] += (value >> (63 - bit)) & 1
    result = sum(1 << (63 - bit) for bit in range(64) if votes[bit] > len(grams) / 2)
    return f"{result:016x}"


def test_simhash_matches_its_plain_definition():
    # Final sigma, a dotted capital I that lowers to two characters, ligatures, marks.
    tricky = ["", " ", "a", "a b", "a b c", "ΣΑΣ Σ ΟΔΟΣ'Σ", "İstanbul x y", "ǅemal ﬁne Straße",
              "...", "x y z w", "ᾼ ß ʰa", "Ⅷ 42 x2 ²3"]
    alphabet = list("aAΣσςİıßﬁǅ1_ -'’.Kſ\u0345\u0301\u02b0")
    texts = tricky + _random_strings(alphabet, 2000, 30) + PAGES
    for text in texts:
        assert simhash(text) == _plain_simhash(text), text


# ---------------------------------------------------------------------------
# Line splitting and normalisation
# ---------------------------------------------------------------------------


def _plain_normalise(text: str) -> str:
    text = _INVISIBLE.sub("", text)
    text = _CONTROLS.sub(" ", text)
    text = _SPACES.sub(" ", text)
    return _RUNS.sub(" ", text).strip()


def _plain_split_lines(source: str) -> list[tuple[str, int, int, int]]:
    lines, pos, gap = [], 0, 0
    for match in re.finditer(r"\r\n|[\n\r\u2028\u2029\x85]", source + "\n"):
        raw_start, raw_end = pos, match.start()
        pos = match.end()
        if raw_start >= len(source):
            break
        text = _plain_normalise(source[raw_start:raw_end])
        if not text:
            gap += 1
            continue
        start, end = raw_start, raw_end
        while start < end and not _plain_normalise(source[start]):
            start += 1
        while end > start and not _plain_normalise(source[end - 1]):
            end -= 1
        lines.append((text, start, end, gap))
        gap = 0
    return lines


def test_normalise_and_trim_match_their_plain_definitions():
    for code in [*range(0x3100), 0x1680, 0x202F, 0x205F, 0x3000, 0xFEFF, 0x10000]:
        c = chr(code)
        for text in (c, f"a{c}b", f" {c} ", f"a {c}{c} b"):
            assert normalise(text) == _plain_normalise(text), hex(code)
            start, end = _trim(text, 0, len(text))
            assert normalise(text[start:end]) == normalise(text), hex(code)
            assert not text[start:end] or (
                _plain_normalise(text[start]) and _plain_normalise(text[end - 1])
            ), hex(code)


def test_split_lines_matches_its_plain_definition():
    pieces = ["\r\n", "\r", "\n", "\u2028", "\u2029", "\x85", "\u00a0", "\u200b", "\x00", "\t",
              " ", "\n\n", "\ufeff", "\u3000", "\x1c", "a", "b c", "é", "Ж"]
    texts = ["", "\n", "a", "a\n", "\na", "\r\n\r\n", "a\r", " \n \n", "a\n\n\nb\n", *PAGES]
    texts += _random_strings(pieces, 3000, 20)
    for text in texts:
        assert [tuple(ln) for ln in split_lines(text)] == _plain_split_lines(text), repr(text)


def test_is_headline_matches_its_plain_definition():
    def plain(text: str, max_words: int, min_words: int) -> bool:
        words = len(text.split())
        return (min_words <= words <= max_words and not re.search(r"[.,;:]$", text)
                and any(ch.isalpha() for ch in text))

    pieces = ["a", "Bb", " ", "  ", "\n", ".", ",", ";", ":", "1", "é", "\u00a0", "-", "x."]
    for text in ["", " ", "a", "a.", "a.\n", "a\n.", *_random_strings(pieces, 3000, 12)]:
        for max_words in (0, 1, 2, 3, 5, 12):
            for min_words in (0, 1, 2, 3):
                assert is_headline(text, max_words, min_words) == plain(
                    text, max_words, min_words), (text, max_words, min_words)


def test_split_lines_of_plain_pages_matches_its_plain_definition():
    # Pages of printable lines with single spaces (most pages: the lines are taken as they
    # are) and the near misses that are not.
    pieces = ["a", "b c", " ", "\n", "\n\n", "é", "Ж", "\u00a0", "\t"]
    texts = ["a b\n\nc", "\n\na\n", "a \nb", " a", "a ", "a  b", *_random_strings(pieces, 3000, 12)]
    for text in texts:
        assert [tuple(ln) for ln in split_lines(text)] == _plain_split_lines(text), repr(text)
        assert all(type(ln) is Line for ln in split_lines(text))


# ---------------------------------------------------------------------------
# Outlet detection
# ---------------------------------------------------------------------------


def test_signal_set_finds_every_signal_a_search_finds():
    rulesets = list(current_rules().values())
    generic = "A quiet street\n\nThe council agreed to close it.\nThe Kyiv Independent"
    for page in [*PAGES, generic]:
        lines = [ln.text for ln in split_lines(page)]
        joined = "\n".join(_window(lines))
        found = SignalSet(rulesets).found(joined)
        assert found is not None
        for n, rs in enumerate(rulesets):
            searched = {i for i, s in enumerate(rs.detect.signals) if s.pattern.search(joined)}
            assert found[n] == searched
            assert fingerprint_score(joined, rs, found[n]) == fingerprint_score(joined, rs)
        assert by_fingerprint(lines, current_rules()) is _plain_by_fingerprint(joined, rulesets)


def _plain_by_fingerprint(page: str, rulesets: list) -> object:
    best, best_score = None, 0
    for rs in rulesets:
        if rs.detect:
            score = fingerprint_score(page, rs)
            if score >= rs.detect.min_score and score > best_score:
                best, best_score = rs, score
    return best


def test_only_h_and_w_start_a_url_case_insensitively():
    letters = re.compile(r"[hw]", re.IGNORECASE)
    starts = {chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000
              and letters.match(chr(c))}
    assert starts == set(_URL_LINE_STARTS)


def test_debris_start_is_a_decimal_or_a_url_start():
    starts = {chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000
              and _DEBRIS_START.match(chr(c))}
    assert starts == {chr(c) for c in range(0x110000) if chr(c).isdecimal()} | _URL_LINE_STARTS


def _plain_line_blocks(lines: list) -> list[Block]:
    """The blocks of a page that is not hard-wrapped, made line by line."""
    blocks: list[Block] = []
    for ln in lines:
        kind = printfix._lone_debris(ln.text) if ln.text[0] in "0123456789hHwW" or (
            ln.text[0].isdecimal()) else None
        if kind:
            blocks.append(Block(ln.text, [(ln.start, ln.end)], ln.gap, kind, f"print:{kind}"))
        elif blocks and printfix._broken_after(blocks[-1], ln):
            blocks[-1].text += " " + ln.text
            blocks[-1].spans.append((ln.start, ln.end))
        else:
            blocks.append(Block(ln.text, [(ln.start, ln.end)], ln.gap))
    return blocks


def test_line_blocks_match_their_line_by_line_definition():
    pieces = ["\n", "\n", "\n\n", "one two three four five six,", "seven eight,", "and so on",
              "Also", "“quoted” text —", "a b c d e f;", "https://example.com/x", "www.x.org 2/3",
              "12/3/2020, 10:15 AM Title", "٣ things", "word", " ", "hello world"]
    for text in [*PAGES, *_random_strings(pieces, 3000, 14)]:
        lines = split_lines(text)
        assert printfix._line_blocks(lines) == _plain_line_blocks(lines), repr(text)


# ---------------------------------------------------------------------------
# Text classifier
# ---------------------------------------------------------------------------


def test_date_like_is_the_date_regex():
    tricky = ["Updated: Mar 3, 2021 10:15", "PUBLİSHED today", "poſted by", "Dec. 3, 2020",
              "in 2021 there were", "3/4/2020", "12:30", "2021-01-05", "x12:30", "a1/2/2020",
              "Posted", "reposted", "updatedness", "3 Januaryy 2020", "March 3 2021"]
    alphabet = [*"0123456789/.-: ,aAjJnNuUpPdDsSmMoOtTeEyYbBrRhHiIlLcCſKİı_é٣",
                "jan", "Mar", "Dec.", "updated", "posted", "PUBLISHED", "2021", "10:15"]
    for text in tricky + _random_strings(alphabet, 20000, 30):
        assert td._date_like(text, text.lower()) == bool(td._DATE.search(text)), text


def _page_blocks(page: str) -> tuple[list[str], list[int]]:
    return generic_text.split_blocks(page)


@pytest.mark.parametrize("page", PAGES)
def test_title_found_by_the_features_is_detect_titles(page):
    blocks, gaps = _page_blocks(page)
    _columns, _info, title = gt.text_matrix(blocks, gaps)
    _verdicts, index = generic_text.classify_page(blocks, gaps)
    assert index == title == gt.detect_title(blocks, gaps)


def test_clean_is_the_same_twice():
    for page in PAGES:
        assert clean(page) == clean(page)


def _plain_stage2_features(probs: list[float], ntoks: list[int]) -> list[list[float]]:
    n = len(probs)
    best, span, cur, start = 0.0, (-1, -1), 0.0, 0
    for i, (p, t) in enumerate(zip(probs, ntoks, strict=True)):
        if cur <= 0:
            cur, start = 0.0, i
        cur += (p - 0.5) * math.sqrt(t + 1)
        if cur > best:
            best, span = cur, (start, i)
    low_prefix, prefix = [0], [0.0]
    for p in probs:
        low_prefix.append(low_prefix[-1] + (p < gt.LOW_PROB))
        prefix.append(prefix[-1] + p)
    rows = []
    for i in range(n):
        q = min(max(probs[i], 1e-4), 1 - 1e-4)
        row = [math.log(q / (1 - q))]
        row += [probs[i + o] if 0 <= i + o < n else -1.0 for o in gt.STAGE2_OFFSETS]
        a, b = span
        if a < 0:
            inseg, dist, between = 0.0, 0, 0
        elif i < a:
            inseg, dist, between = 0.0, a - i, low_prefix[a + 1] - low_prefix[i + 1]
        elif i > b:
            inseg, dist, between = 0.0, i - b, low_prefix[i] - low_prefix[b + 1]
        else:
            inseg, dist, between = 1.0, 0, 0
        row += [inseg, math.log1p(dist), math.log1p(between)]
        for w in gt.STAGE2_WINDOWS:
            lo, hi = max(0, i - w), min(n, i + w + 1)
            row.append((prefix[hi] - prefix[lo]) / (hi - lo))
        row += [max(probs, default=0.0), sum(p > 0.5 for p in probs) / max(n, 1)]
        rows.append(row)
    return rows


def test_stage2_features_match_their_plain_definition():
    rnd = random.Random(11)
    for n in [*range(8), 30, 200]:
        for _ in range(20):
            probs = [rnd.choice([0.0, 1e-5, 0.3, 0.5, 1.0, rnd.random()]) for _ in range(n)]
            ntoks = [rnd.randrange(40) for _ in range(n)]
            got = gt.stage2_columns(np.array(probs), np.array(ntoks)).T
            want = np.array(_plain_stage2_features(probs, ntoks)).reshape(n, gt.STAGE2_COLUMNS)
            assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


def _plain_densest_run(info: list) -> tuple[int, int]:
    best, best_span, cur, start = 0.0, (-1, -1), 0.0, 0
    for i, b in enumerate(info):
        if b.prose:
            gain = min(b.ntok, tb.RUN_TOKEN_CAP) / 10.0
        else:
            gain = -tb.RUN_SHORT_PENALTY if b.ntok <= tb.SHORT_TOKENS else -tb.RUN_NON_PROSE_PENALTY
        if cur <= 0:
            cur, start = 0.0, i
        cur += gain
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def _plain_page_rows(blocks: list[str], gaps: list[int]) -> list[list[float]]:
    """``feature_columns`` row by row, as it was first written (base features aside)."""
    info = plain_blocks(blocks)
    norms = [b.norm for b in info]
    n = len(info)
    title = gt._title_index(blocks[0], norms, max(2, int(n * gt.TITLE_SEARCH_FRACTION)))
    run_start, run_end = _plain_densest_run(info)
    total_chars = sum(len(b) for b in blocks) or 1
    flags = [1.0 if b.prose else 0.0 for b in info]
    prefix = [0.0]
    for f in flags:
        prefix.append(prefix[-1] + f)
    prose_tokens = sum(b.ntok for b in info if b.prose) or 1
    run_tokens = sum(b.ntok for b in info[run_start : run_end + 1] if b.prose)
    run_share = (run_tokens if run_start >= 0 else 0) / prose_tokens
    max_log = max(b.base[0] for b in info)
    order = sorted(range(n), key=lambda j: -info[j].ntok)
    rank = [0.0] * n
    for r, j in enumerate(order):
        rank[j] = min(r, tb.CLIP_DISTANCE) / tb.CLIP_DISTANCE
    clip = tb.CLIP_DISTANCE
    context = [[b.base[tb.BASE_NAMES.index(c)] for c in tb.CONTEXT_BASE[:-1]]
               + [1.0 if b.lex_hits else 0.0] for b in info]
    rows, chars_before = [], 0
    for i, b in enumerate(info):
        def window(w: int, i: int = i) -> float:
            lo, hi = max(0, i - w), min(n, i + w + 1)
            return (prefix[hi] - prefix[lo] - flags[i]) / max(hi - lo - 1, 1)

        if run_start < 0:
            run_dist = float(clip)
        elif i < run_start:
            run_dist = float(min(run_start - i, clip))
        elif i > run_end:
            run_dist = float(min(i - run_end, clip))
        else:
            run_dist = 0.0
        after = 0.0 if title is None else (1.0 if i > title else (-1.0 if i < title else 0.0))
        tdist = 0.0 if title is None else max(-clip, min(clip, i - title)) / clip
        row = list(b.base) + [
            i / max(n - 1, 1), chars_before / total_chars, float(min(gaps[i], 3)),
            float(min(gaps[i + 1], 3)) if i + 1 < n else 3.0, 1.0 if i == title else 0.0,
            after, tdist, 1.0 if title is None else 0.0,
            1.0 if run_start <= i <= run_end else 0.0, math.log1p(run_dist),
            1.0 if i in (run_start - 1, run_end + 1) else 0.0, window(2), window(tb.WIDE_WINDOW),
            prefix[-1] / n, math.log1p(n), 1.0 if b.lex_hits else 0.0, b.base[0] - max_log,
            run_share if run_start <= i <= run_end else 0.0, rank[i],
        ]
        for off in tb.CONTEXT_OFFSETS:
            row += context[i + off] if 0 <= i + off < n else [-1.0] * len(tb.CONTEXT_BASE)
        rows.append(row)
        chars_before += len(b.text)
    return rows


@pytest.mark.parametrize("page", PAGES)
def test_page_features_match_their_plain_definition(page):
    blocks, gaps = _page_blocks(page)
    for cut in (len(blocks), 40, 3, 1):  # whole pages and their heads (no title, no prose)
        columns = gt.feature_columns(blocks[:cut], gaps[:cut])[0]
        assert np.array_equal(columns.T, np.array(_plain_page_rows(blocks[:cut], gaps[:cut])))
