"""`text_block.block_table` counts the features of all the blocks of a page at once, on
their code points (`chars`): it must give what the plain per-block definition gives, to the
last bit, on real pages and on text made to trip it (cases that change length or split a
token when lower-cased, characters outside the basic plane, lone surrogates)."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from conftest import SEEDS
from plain_blocks import plain_blocks

from service.engine.generic_text import split_blocks
from service.models import chars
from service.models import text_block as tb

PAGES = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
TRICKY = [
    "By John Smith", "by: x", "BY", "Por Ana", "от редакции", "Autor: Jan", "by\u00a0x",
    "Updated: Mar 3, 2021 10:15", "PUBLİSHED today", "poſted by", "Dec. 3, 2020", "3/4/2020",
    "12:30", "x12:30", "a1/2/2020", "2021-01-05", "٣/٤/٢٠٢٠", "ΣΑΣ Σ ΟΔΟΣ'Σ", "ΟΔΟΣ'Α b",
    "İstanbul İİ x", "ǅemal ﬁne Straße", "Ⅷ 42 x2 ²3 ③", "ⓐⒶ ABCⒶ x", "K KELVIN ſ",
    "\U0001d400\U0001d41a \U0001F600 \U00020000", "a\ud800b", "日本語のテキスト。これは文です。",
    "한국어 문장입니다.", "see www.example.com/x or @user", "mail me@x.org.", "x.community",
    "http://a", "Photo: Jo / Reuters", "(photo AP)", "© 2024", "Read more", "you may also like",
    "Comments (3)", "Tags: a, b", "end. next! why? 。！？", "a | b • c › d « e", "x:", "",
    "ends with space ", "a_b __ _", "e\u0301t\u00e9", "ω\u0345", "ǈubljana ǅ", "ΐ", "ß",
]
ALPHABET = [*"aAΣσςİıßﬁǅ1_ -'’.Kſ\u0345\u0301\u02b0:,©/()|•·»›>«‹。！？…\"”!?é٣Ⅷ²日本한",
            "by ", "Photo:", "updated", "Jan 3, 2020", "12:30", "www.x.com", "@a", "comments",
            "read more", " the ", "\U0001F600", "\U00020000", "Ⓐ", "ǈ"]


def _random_pages(count: int, seed: int = 5) -> list[list[str]]:
    rnd = random.Random(seed)
    pages = []
    for _ in range(count):
        blocks = ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randrange(1, 40)))
                  for _ in range(rnd.randrange(1, 25))]
        pages.append([" ".join(b.split()) or "x" for b in blocks])
    return pages


def _assert_same(blocks: list[str]) -> None:
    table = tb.block_table(blocks)
    plain = plain_blocks(blocks)
    assert np.array_equal(table.base, np.array([p.base for p in plain]).T.reshape(
        len(tb.BASE_NAMES), len(blocks))), blocks
    assert table.ntok.tolist() == [p.ntok for p in plain]
    assert table.prose.tolist() == [p.prose for p in plain]
    assert table.lex_hits == [p.lex_hits for p in plain]
    assert table.norms == [p.norm for p in plain]


@pytest.mark.parametrize("page", PAGES)
def test_block_table_is_the_plain_definition_on_pages(page):
    blocks = split_blocks(page)[0]
    _assert_same(blocks + blocks[:5])  # repeated blocks: log_repeats counts them


def test_block_table_is_the_plain_definition_on_tricky_text():
    _assert_same([t for t in TRICKY if t])
    for text in TRICKY:
        _assert_same([text, text.upper(), text.lower(), "x"])
    _assert_same(["".join(TRICKY)])
    _assert_same([])


def test_block_table_is_the_plain_definition_on_random_text():
    for blocks in _random_pages(400):
        _assert_same(blocks)


def test_character_classes_are_pythons():
    sample = [*range(0x3000), *range(0x10000, 0x10400), 0x1F600, 0x20000, 0xD800, 0x10FFFF]
    text = "".join(map(chr, sample))
    points = chars.CodePoints.of(text)
    assert points.classes.tolist() == [chars.char_class(c) for c in sample]
    for code in sample[:0x3000:7]:
        c = chr(code)
        assert bool(chars.char_class(code) & chars.WORD) == bool(tb._TOKEN.match(c))
        for token in (c, f"A{c}", f"a{c}", f"{c}B"):
            word = tb._TOKEN.fullmatch(token)
            if word:  # a token's upper-case test, from its characters' classes
                classes = [chars.char_class(ord(x)) for x in token]
                upper = not any(k & chars.NOT_UPPER for k in classes) and any(
                    k & chars.UPPER for k in classes)
                assert upper == token.isupper(), token


def test_lowered_off_the_table_is_python_lower_casing():
    # Every character of the basic plane that the table lowers itself, in runs with words
    # around it: the same text, tokens and normalised text as lower-casing by Python; the
    # others (and pages above the plane) are left to Python.
    lower = chars._lower_table()
    codes = [c for c in range(chars.BASIC_PLANE)
             if lower[c] != chars.NOT_TABLED and not 0xD800 <= c < 0xE000]
    for k in range(0, len(codes), 512):
        run = "".join(map(chr, codes[k : k + 512]))
        blocks = [f"Ab {run[i : i + 32]} x_Y" for i in range(0, len(run), 32)]
        page = chars.JoinedBlocks(blocks)
        fast = page.lowered()
        slow = chars.JoinedBlocks(page.text.lower().split("\n"), like=page)
        assert fast is not None
        assert fast.text == slow.text
        assert np.array_equal(fast.points.codes, slow.points.codes)
        assert np.array_equal(fast.points.classes, slow.points.classes)
        assert np.array_equal(fast.word, slow.word)
        assert np.array_equal(fast.first, slow.first) and np.array_equal(fast.end, slow.end)
        assert fast.normalised() == slow.normalised()
    for text in ["ΟΔΟΣ", "İx", "a\U00010400b", "ß Σ"]:
        assert chars.JoinedBlocks([text]).lowered() is None


def test_byline_first_letters_cover_the_byline_words():
    # Every character that can start a _BYLINE match (one of its words' first letters,
    # ignoring case as it does) is one the cheap test lets through.
    words = ("by", "por", "par", "di", "von", "от", "autor", "author")
    assert set(tb._BYLINE.pattern.split("(?:")[1].split(")")[0].split("|")) == set(words)
    first = tb._byline_first()
    for code in range(chars.BASIC_PLANE):
        if any(re.match(re.escape(w[0]), chr(code), re.IGNORECASE) for w in words):
            assert first[code], hex(code)
    assert not tb._byline_flags([""], chars.JoinedBlocks([""]), np.zeros(1, dtype=int)).any()
