"""Generic article-body detection on plain text, for pages of outlets without rules.

The page arrives as non-blank text blocks (lines or joined paragraphs) with the number of
blank lines before each. The text classifier (``service.models``: block features, then
two stages of boosted trees trained by ``training/``) scores them, so the body comes out
as the contiguous run of prose it usually is; short gaps inside the body are bridged, and
each dropped block gets the kind its features suggest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

import numpy as np

from ..models import runtime
from ..models.text_block import BASE_NAMES, KIND_OF_CATEGORY, BlockTable
from ..models.text_features import stage2_matrix, text_matrix
from .page import BODY, Page
from .textprep import is_prose

MODEL = "text_model"
# Decision thresholds (probability from the model).
KEEP_THRESHOLD = 0.5
# A short block between two kept blocks is kept when its own score is at least this.
BRIDGE_THRESHOLD = 0.2


@dataclass(frozen=True)
class Verdict:
    """Decision on one block: kept as body or dropped as some kind of page furniture."""

    keep: bool
    kind: str
    rule: str


def _smooth(probs: np.ndarray) -> list[bool]:
    keep = (probs >= KEEP_THRESHOLD).tolist()
    # Bridge short gaps (sub-headings, one-line paragraphs) inside the body.
    for i in range(1, len(keep) - 1):
        if not keep[i] and keep[i - 1] and keep[i + 1] and probs[i] >= BRIDGE_THRESHOLD:
            keep[i] = True
    return keep


_BYLINE_LIKE = BASE_NAMES.index("byline_like")
_DATE_LIKE = BASE_NAMES.index("date_like")


def _drop_kind(i: int, title: int | None, byline: float, dated: bool,
               lex_hits: tuple[str, ...]) -> tuple[str, str]:
    if i == title:
        return "title", "title"
    if byline:
        return "byline", "byline"
    if dated:
        return "date", "date"
    for cat in lex_hits:
        return KIND_OF_CATEGORY[cat], f"lexicon:{cat}"
    return "boilerplate", "model"


@cache
def _verdict(keep: bool, kind: str, rule: str) -> Verdict:
    """One shared (frozen) instance per distinct verdict: a page has a handful of them."""
    return Verdict(keep, kind, rule)


def block_probs(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        np.ndarray, BlockTable, int | None]:
    """The body probability of each block (the model in use), the blocks' base features
    and the headline's index."""
    columns, table, title = text_matrix(blocks, gaps)
    _p1, probs = runtime.current(MODEL).score(
        columns, lambda p1: stage2_matrix(p1, table.ntok, columns))
    return probs, table, title


def classify_page(blocks: Sequence[str], gaps: Sequence[int]) -> tuple[
        list[Verdict], int | None]:
    """Whether each block of a page belongs to the article body, with the kind of each
    dropped block; and the index of the headline the features found (or None)."""
    if not blocks:
        return [], None
    probs, table, title = block_probs(blocks, gaps)
    keep = _smooth(probs)
    # Read off the arrays in one go: numpy's scalars cost more than the tests.
    sure = (probs >= KEEP_THRESHOLD).tolist()
    byline = table.base[_BYLINE_LIKE].tolist()
    dated = ((table.base[_DATE_LIKE] != 0) & (table.ntok <= 10)).tolist()
    out = []
    for i, kept in enumerate(keep):
        if kept:
            out.append(_verdict(True, "body", "model" if sure[i] else "bridge"))
        else:
            kind = _drop_kind(i, title, byline[i], dated[i], table.lex_hits[i])
            out.append(_verdict(False, *kind))
    return out, title


def split_blocks(text: str) -> tuple[list[str], list[int]]:
    """Non-blank lines of ``text`` (whitespace folded) and the blank lines before each."""
    blocks: list[str] = []
    gaps: list[int] = []
    gap = 0
    for line in text.splitlines():
        folded = " ".join(line.split())
        if not folded:
            gap += 1
            continue
        blocks.append(folded)
        gaps.append(gap)
        gap = 0
    return blocks, gaps


def mark_page(page: Page, with_title: bool) -> None:
    """Generic classification for the blocks no rule decided (all of them without rules);
    with ``with_title``, the headline it finds becomes the title."""
    if BODY in map(attrgetter("kind"), page.blocks):  # a block is kept (C-level scan)
        for block in page.undecided():
            block.keep("rules:inside-article")
        return
    todo = page.undecided()
    if not todo:
        return
    if all(is_prose(b.text) for b in todo):
        # Nothing but prose: the page is already clean and comes back whole.
        for block in todo:
            block.keep("generic:all-prose")
        return
    verdicts, index = classify_page([b.text for b in todo], [b.gap for b in todo])
    for block, verdict in zip(todo, verdicts, strict=True):
        if verdict.keep:
            block.keep(f"generic:{verdict.rule}")
        else:
            block.strip(verdict.kind, f"generic:{verdict.rule}")
    if with_title and page.meta.title is None:
        if index is not None and not todo[index].kept:
            page.meta.set("title", todo[index].text, "generic:title")
            todo[index].strip("title", "generic:title")
