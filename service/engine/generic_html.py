"""Generic article extraction from HTML, for pages of outlets without rules.

A learned block classifier (``training/``, two stages of boosted trees) scores every
rendered block of the page. Stage 1 reads what the DOM says about the block (tag path,
sectioning landmarks, class/id words such as comment, related, share, footer; link
density; heading), what its enclosing elements hold (share of the page's prose, link
density) and what its text looks like. Stage 2 reads the stage-1 scores of the block's
neighbours and of its enclosing elements: an article's paragraphs share a container.

The classifier is a cascade. When it is sure of the page (little of the text it keeps
scored in the uncertain band), its kept blocks are the body. Otherwise trafilatura runs in
precision mode on the element that holds the classifier's best evidence, a few levels up
(the article's wrapper: a fraction of the page, never the page again), and the classifier
corrects it: blocks trafilatura kept that the classifier rejects go, blocks it is sure of
that trafilatura missed come in. The body is always a set of rendered blocks. When
neither finds a body, the text classifier reads the rendered blocks as a text page.
Blocks a browser would not show (inside a ``hidden`` element or one styled
``display:none``) are never body, nor a comment thread under an article (``set_aside``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from ..models import runtime
from ..models.html_features import HtmlPage, feature_names, gains, html_matrix, stage2_matrix
from . import generic_text, render
from .page import Page

MODEL = "html_model"
# trafilatura options: comments are not article text; precision mode drops link lists.
TRAFILATURA_OPTIONS = {"include_comments": False, "favor_precision": True}
# Cascade: the classifier's own blocks are the body when the tokens it keeps that scored in
# the uncertain band [UNSURE_LOW, UNSURE_HIGH) are at most SURE_SHARE of the tokens it keeps;
# otherwise trafilatura runs and is corrected. Tuned on the CV scores of both sets
# (docs/benchmark.md): 0.09 / 0.15 / 0.2 send 53 / 39 / 33 % of the pages to trafilatura,
# article 0.969 / 0.968 / 0.964, trafilatura corpus 0.942 / 0.940 / 0.941, at 0.91x /
# 0.74x / 0.69x trafilatura's median time on the article pages.
KEEP_FROM = 0.5
UNSURE_LOW, UNSURE_HIGH = 0.15, 0.85
SURE_SHARE = 0.15
# An unsure page's trafilatura run reads only the element holding the classifier's best
# evidence, this many levels up (the article's wrapper, not the page). On the CV scores of
# both sets, 1 / 2 / 3 / 4 levels: article 0.967 / 0.969 / 0.969 / 0.969, trafilatura
# corpus 0.940 / 0.941 / 0.942 / 0.941 (docs/benchmark.md).
FRAGMENT_LEVELS_UP = 3
MIN_BODY_TOKENS = 20
# Blocks in elements whose class or id names comments are set aside while such elements
# hold less than this share of the page's tokens (see set_aside).
COMMENTS_SHARE = 0.5
_COMMENT_COLUMN = feature_names().index("attr_comment")
# Blocks trafilatura kept that score below DROP_BELOW go; blocks it missed that score at
# least ADD_FROM come in (tuned out of sample, see docs/benchmark.md).
DROP_BELOW = 0.3
ADD_FROM = 0.8
# A block of SHINGLE tokens or more is in trafilatura's text when at least this share of
# its word 4-shingles are (trafilatura re-flows inline text across our block breaks).
SHINGLE = 4
IN_TEXT_SHARE = 0.5

_WORD = re.compile(r"\w+")


@dataclass
class Decision:
    """Which rendered blocks are the body, and which part of the cascade decided."""

    keep: list[bool]
    rule: str  # "classifier", "trafilatura", "text-classifier" or "none"
    aside: list[str | None] | None = None  # why a block is never body (set_aside)


def block_probs(blocks: Sequence) -> tuple[np.ndarray, HtmlPage]:
    """Body probability of each rendered block (the model in use), and the page as the
    classifier read it."""
    page = html_matrix(blocks)
    _p1, probs = runtime.current(MODEL).score(page.columns,
                                              lambda p1: stage2_matrix(page, p1))
    return probs, page


def is_sure(probs: Sequence[float], ntok: Sequence[int]) -> bool:
    """Whether the classifier's own blocks can stand as the body (the cascade's test)."""
    probs, ntok = np.asarray(probs), np.asarray(ntok)
    kept = ntok[probs >= KEEP_FROM].sum()
    unsure = ntok[(probs >= UNSURE_LOW) & (probs < UNSURE_HIGH)].sum()
    return bool(kept > 0 and unsure <= SURE_SHARE * kept)


def main_fragment(tree: LexborHTMLParser, blocks: Sequence, page: HtmlPage,
                  probs: np.ndarray) -> str | None:
    """The HTML of the element that holds the article by the classifier's scores: the one
    whose blocks add up the most evidence, sum((p - 0.5) * sqrt(tokens + 1)), taken
    ``FRAGMENT_LEVELS_UP`` levels up; None when that is the whole page."""
    number, _evidence = page.elements.best(gains(page.ntok, probs))
    if number is None:
        return None
    best = int(page.elements.element_ids[number])
    chain = next(c for c in (b.dom.ids for b in blocks) if best in c)
    target = chain[max(0, chain.index(best) - FRAGMENT_LEVELS_UP)]
    # An ancestor of text comes early in document order: the walk stops soon.
    node = next((n for n in tree.root.traverse() if n.mem_id == target), None)
    if node is None or node.tag in ("html", "body"):
        return None
    return f"<html><body>{node.html}</body></html>"


def trafilatura_text(fragment: str, url: str | None) -> str:
    """trafilatura's body text of an HTML fragment (production options)."""
    import trafilatura

    return trafilatura.extract(fragment, url=url, **TRAFILATURA_OPTIONS) or ""


def _ngrams(tokens: Sequence[str], size: int) -> list[tuple[str, ...]]:
    return list(zip(*(tokens[k:] for k in range(size)), strict=False))


def in_text(blocks: Sequence, text: str, only: Sequence[bool] | None = None) -> list[bool]:
    """Whether each block is in ``text``: its whole word run (under SHINGLE words), else
    most of its word 4-shingles. Set lookups, so a page of thousands of blocks stays
    linear; with ``only``, the blocks not in it count as not in the text unlooked."""
    words = _WORD.findall(text)
    grams = [set(_ngrams(words, size)) for size in range(1, SHINGLE + 1)]
    out = []
    for k, block in enumerate(blocks):
        toks = _WORD.findall(block.text) if only is None or only[k] else None
        if not toks:
            out.append(False)
        elif len(toks) < SHINGLE:
            out.append(tuple(toks) in grams[len(toks) - 1])
        else:
            shingles = _ngrams(toks, SHINGLE)
            found = sum(map(grams[SHINGLE - 1].__contains__, shingles))
            out.append(found >= IN_TEXT_SHARE * len(shingles))
    return out


def merge(blocks: Sequence, text: str, probs: np.ndarray) -> list[bool]:
    """trafilatura's blocks without those the classifier rejects, plus those it is sure of
    that trafilatura missed. Only the blocks scored in between are looked up in its text:
    the others are decided by their score."""
    between = (probs >= DROP_BELOW) & (probs < ADD_FROM)
    extracted = np.array(in_text(blocks, text, between.tolist()), dtype=bool)
    return ((between & extracted) | (probs >= ADD_FROM)).tolist()


def _substantial(blocks: Sequence, keep: Sequence[bool]) -> bool:
    kept = sum(len(_WORD.findall(b.text)) for b, k in zip(blocks, keep, strict=True) if k)
    return kept >= MIN_BODY_TOKENS


def set_aside(blocks: Sequence, page: HtmlPage) -> list[str | None]:
    """Why each block is never body, or None: "hidden", inside an element a browser does not
    show (a structured-data copy of the article, a collapsed menu); "comments", inside an
    element whose class or id names comments (or replies) while such elements hold less
    than COMMENTS_SHARE of the page's tokens (a thread under the article; on a forum's page
    they hold the text itself)."""
    comments = page.columns[_COMMENT_COLUMN] > 0
    if comments.any():
        tokens = page.ntok.sum() or 1.0
        if page.ntok[comments].sum() >= COMMENTS_SHARE * tokens:
            comments[:] = False
    return ["hidden" if b.dom.hidden else "comments" if c else None
            for b, c in zip(blocks, comments.tolist(), strict=True)]


def decide(doc: render.HtmlDoc, url: str | None) -> Decision:
    """The cascade over the rendered blocks of ``doc``; the blocks ``set_aside`` names count
    as scored 0 and are never body."""
    blocks = doc.rendered.blocks
    if not blocks:
        return Decision([], "none")
    probs, page = block_probs(blocks)
    aside = set_aside(blocks, page)
    out = np.array([a is not None for a in aside])
    if out.any():
        probs = np.where(out, 0.0, probs)
    decision = _cascade(doc, url, probs, page)
    if out.any():
        decision.keep = [k and not o for k, o in zip(decision.keep, out.tolist(), strict=True)]
    decision.aside = aside
    return decision


def _cascade(doc: render.HtmlDoc, url: str | None, probs: np.ndarray,
             page: HtmlPage) -> Decision:
    blocks = doc.rendered.blocks
    own = (probs >= KEEP_FROM).tolist()
    if is_sure(probs, page.ntok) and _substantial(blocks, own):
        return Decision(own, "classifier")
    fragment = main_fragment(doc.tree, blocks, page, probs)
    text = trafilatura_text(fragment, url) if fragment else ""
    if text:
        keep = merge(blocks, text, probs)
        if _substantial(blocks, keep):
            return Decision(keep, "trafilatura")
    if _substantial(blocks, own):
        return Decision(own, "classifier")
    verdicts, _title = generic_text.classify_page([b.text for b in blocks],
                                                  [b.gap for b in blocks])
    keep = [v.keep for v in verdicts]
    if _substantial(blocks, keep):
        return Decision(keep, "text-classifier")
    return Decision([False] * len(blocks), "none")


def mark_page(doc: render.HtmlDoc, url: str | None) -> Page:
    """Generic extraction: the cascade decides which rendered blocks are the body (title,
    authors and date are the metadata stage's, after this one)."""
    from .outlet_html import page_from_rendered

    decision = decide(doc, url)
    page = page_from_rendered(doc.rendered)
    rule = f"generic-html:{decision.rule}"
    aside = decision.aside or [None] * len(page.blocks)
    for block, keep, why in zip(page.blocks, decision.keep, aside, strict=True):
        if keep:
            block.keep(rule)
        else:
            block.strip("boilerplate", f"generic-html:{why}" if why else rule)
    return page
