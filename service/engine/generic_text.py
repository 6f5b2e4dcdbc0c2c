"""Generic article-body detection on plain text, for pages of outlets without rules.

The page arrives as non-blank text blocks (lines or joined paragraphs) with the number of
blank lines before each. The text classifier (``service.models``: block features, then
two stages of boosted trees trained by ``scripts/train_text_model.py``) scores them, so the
body comes out as the contiguous run of prose it usually is; short gaps inside the body are
bridged, and each dropped block gets the kind its features suggest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from ..models.runtime import load_model, predict_columns
from ..models.text_features import BASE_NAMES, KIND_OF_CATEGORY, BlockInfo, text_columns
from .page import Page
from .textprep import is_prose

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



def _smooth(probs: Sequence[float], info: Sequence[BlockInfo]) -> list[bool]:
    keep = [p >= KEEP_THRESHOLD for p in probs]
    n = len(keep)
    # Bridge short gaps (sub-headings, one-line paragraphs) inside the body.
    for i in range(1, n - 1):
        if not keep[i] and probs[i] >= BRIDGE_THRESHOLD and keep[i - 1] and keep[i + 1]:
            keep[i] = True
    return keep


_BYLINE_LIKE = BASE_NAMES.index("byline_like")
_DATE_LIKE = BASE_NAMES.index("date_like")


def _drop_kind(i: int, b: BlockInfo, title: int | None) -> tuple[str, str]:
    if i == title:
        return "title", "title"
    if b.base[_BYLINE_LIKE]:
        return "byline", "byline"
    if b.base[_DATE_LIKE] and b.ntok <= 10:
        return "date", "date"
    for cat in b.lex_hits:
        return KIND_OF_CATEGORY[cat], f"lexicon:{cat}"
    return "boilerplate", "model"


@cache
def _verdict(keep: bool, kind: str, rule: str) -> Verdict:
    """One shared (frozen) instance per distinct verdict: a page has a handful of them."""
    return Verdict(keep, kind, rule)


def classify_with_model(blocks: Sequence[str], gaps: Sequence[int],
                        model: dict) -> list[Verdict]:
    """``classify_blocks`` with an explicit model (the benchmark passes fold models)."""
    return classify_page(blocks, gaps, model)[0]


def classify_page(blocks: Sequence[str], gaps: Sequence[int],
                  model: dict | None = None) -> tuple[list[Verdict], int | None]:
    """``classify_blocks`` and ``detect_title`` in one: the features already locate the
    headline (the same index ``detect_title`` finds)."""
    if not blocks:
        return [], None
    columns, info, title = text_columns(blocks, gaps)
    model = load_model() if model is None else model
    probs = predict_columns(columns, [b.ntok for b in info], model)
    keep = _smooth(probs, info)
    out = []
    for i, b in enumerate(info):
        if keep[i]:
            rule = "model" if probs[i] >= KEEP_THRESHOLD else "bridge"
            out.append(_verdict(True, "body", rule))
        else:
            out.append(_verdict(False, *_drop_kind(i, b, title)))
    return out, title


def classify_blocks(blocks: Sequence[str], gaps: Sequence[int]) -> list[Verdict]:
    """Decide for each block of a page whether it belongs to the article body."""
    return classify_with_model(blocks, gaps, load_model())


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


def extract_body(text: str, model: dict | None = None) -> str:
    """Body paragraphs of a plain-text page, one per line."""
    blocks, gaps = split_blocks(text)
    verdicts = classify_with_model(blocks, gaps, model or load_model())
    return "\n".join(b for b, v in zip(blocks, verdicts, strict=True) if v.keep)


def mark_page(page: Page, with_title: bool) -> None:
    """Generic classification for the blocks no rule decided (all of them without rules);
    with ``with_title``, the headline it finds becomes the title."""
    if any(b.kept for b in page.blocks):
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
    texts, gaps = [b.text for b in todo], [b.gap for b in todo]
    # The classifier locates the headline on the way (what detect_title would find).
    verdicts, index = classify_page(texts, gaps)
    for block, verdict in zip(todo, verdicts, strict=True):
        if verdict.keep:
            block.keep(f"generic:{verdict.rule}")
        else:
            block.strip(verdict.kind, f"generic:{verdict.rule}")
    if with_title and page.meta.title is None:
        if index is not None and not todo[index].kept:
            page.meta.set("title", todo[index].text, "generic:title")
            todo[index].strip("title", "generic:title")
