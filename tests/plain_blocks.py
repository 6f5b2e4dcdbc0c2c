"""The block features as first written, one block at a time with Python's string methods
and regular expressions: the plain definition `text_block.block_table` (which counts for
all the blocks of a page at once, with numpy) must agree with to the last bit."""

from __future__ import annotations

import math
from collections import Counter
from typing import NamedTuple

from service.models import text_block as tb
from service.models import text_dates as td


class PlainBlock(NamedTuple):
    text: str
    ntok: int
    base: tuple[float, ...]
    prose: bool
    lex_hits: tuple[str, ...]
    norm: str


def plain_block(text: str, repeats: int = 1) -> PlainBlock:
    """One block's base features (``tb.BASE_NAMES``) as if ``repeats`` blocks of the page
    had its normalised text."""
    toks = tb._TOKEN.findall(text)
    words = tb._TOKEN.findall(text.lower())
    norm = " ".join(words)
    ntok, nchar = len(toks), len(text)
    per_tok = max(ntok, 1)
    firsts = [t[0] for t in toks]
    ends = 1.0 if tb._SENT_END.search(text) else 0.0
    cjk = 0.0 if text.isascii() else len(tb._CJK.findall(text)) / nchar
    lower = text.lower()
    found = tb._lexicon_kinds(lower[: tb.LEXICON_HEAD_CHARS], words[: tb.LEXICON_HEAD_WORDS])
    hits = tuple(k for k in tb.LEXICON_KINDS if k in found)
    base = (
        math.log1p(ntok),
        math.log1p(nchar),
        ends,
        1.0 if text.endswith(":") else 0.0,
        len(tb._SENT_PUNCT.findall(text)) / per_tok,
        text.count(",") / per_tok,
        sum(t.isdigit() for t in toks) / per_tok,
        sum(t.isupper() for t in toks) / per_tok,
        sum(c.isalpha() and c.isupper() for c in firsts) / max(sum(map(str.isalpha, firsts)), 1),
        sum(w in tb._stopwords() for w in words) / per_tok,
        sum(map(len, toks)) / per_tok / 10.0,
        1.0 if tb._URLISH.search(text) else 0.0,
        len(tb._SEPARATORS.findall(text)) / per_tok,
        math.log(repeats),
        1.0 if td._DATE.search(text) else 0.0,
        1.0 if ntok <= 12 and tb._BYLINE.match(text) else 0.0,
        cjk,
        1.0 if ntok <= tb.SHORT_TOKENS else 0.0,
    ) + tuple(1.0 if k in hits else 0.0 for k in tb.LEXICON_KINDS)
    long_enough = ntok >= tb.PROSE_MIN_TOKENS or (cjk > 0.3 and nchar >= 2 * tb.PROSE_MIN_TOKENS)
    return PlainBlock(text, ntok, base, bool(ends) and long_enough, hits, norm)


def plain_blocks(blocks: list[str]) -> list[PlainBlock]:
    """The base features of each block of a page (log_repeats counts the page's blocks with
    the same normalised text)."""
    counts = Counter(plain_block(b).norm for b in blocks)
    return [plain_block(b, counts[plain_block(b).norm]) for b in blocks]
