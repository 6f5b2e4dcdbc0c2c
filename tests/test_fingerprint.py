"""The fingerprint is a 64-bit simhash of the body: copies agree, other articles don't."""

from __future__ import annotations

import re

from conftest import SEEDS

from service import clean
from service.engine.fingerprint import hamming, simhash


def seed(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text()


def test_web_and_print_copy_share_a_fingerprint():
    assert clean(seed("003"))["fingerprint"] == clean(seed("004"))["fingerprint"]


def test_fingerprint_is_16_hex_digits():
    assert re.fullmatch(r"[0-9a-f]{16}", clean(seed("000"))["fingerprint"])


def test_layout_and_case_do_not_move_it():
    body = clean(seed("003"))["body"]
    assert simhash(body) == simhash(body.upper().replace("\n\n", "\n"))


def test_small_edit_moves_it_a_little_and_another_article_a_lot():
    body = clean(seed("003"))["body"]
    edited = body.replace("last week", "on Friday")
    other = clean(seed("000"))["body"]
    assert hamming(simhash(body), simhash(edited)) <= 8
    assert hamming(simhash(body), simhash(other)) >= 12


def test_empty_body():
    assert simhash("") == "0" * 16
