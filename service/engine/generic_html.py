"""Generic article extraction from HTML, for pages of outlets without rules.

A learned block classifier (``scripts/train_html_model.py``, two stages of boosted trees)
scores every rendered block of the page. Stage 1 reads what the DOM says about the block
(tag path, sectioning landmarks, class/id words such as comment, related, share, footer;
link density; heading), whether its text is in resiliparse's main-content view of the page
(a rule-based extractor that takes about a millisecond) and what its text looks like (the
features of :mod:`service.generic_text`). Stage 2 reads the stage-1 scores of the block's
neighbours and of its enclosing elements: an article's paragraphs share a container.

The classifier is a cascade. When it is sure of the page (little of the text it keeps
scored in the uncertain band), its kept blocks are the body. Otherwise trafilatura runs in
precision mode on the element that holds the classifier's best evidence (a few levels up:
the article's wrapper, a fraction of the page) and the classifier corrects it:
trafilatura's lines that fall in blocks the classifier rejects are dropped, and blocks it is
sure of that trafilatura missed are added in page order. Either way a page costs about what
one trafilatura run over the whole page costs. When neither finds anything, the generic
text classifier picks the body from the rendered text. Title, authors and date are read by
the metadata stage (``service.engine.metadata``) after this one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from ..models.html_features import best_element, block_scores, load_html_model
from . import generic_text, render
from .page import Page

# trafilatura options: comments are not article text; precision mode drops link lists.
TRAFILATURA_OPTIONS = {"include_comments": False, "favor_precision": True}
# The classifier's "extracted" features come from resiliparse's main-content extraction: a
# recall-leaning view (F1 0.92, recall 0.98 on the benchmark) at ~1 ms a page, where a
# trafilatura run costs ~9 ms (docs/benchmark.md).
VIEW_OPTIONS = {"main_content": True, "list_bullets": False, "alt_texts": False,
                "links": False, "form_fields": False, "noscript": False}
# Cascade: the classifier's own blocks are the body when the tokens it keeps that scored in
# the uncertain band [UNSURE_LOW, UNSURE_HIGH) are at most SURE_SHARE of the tokens it keeps;
# otherwise trafilatura runs and is corrected (tuned on the CV scores, docs/benchmark.md:
# 69 of the benchmark's 121 pages are decided by the classifier alone).
KEEP_FROM = 0.5
UNSURE_LOW, UNSURE_HIGH = 0.15, 0.85
SURE_SHARE = 0.09
# An unsure page's trafilatura run reads only the element holding the classifier's best
# evidence, this many levels up (the article's wrapper, not the page): ~4.6 ms instead of
# ~13 for the whole page, at 0.001 F1 (docs/benchmark.md).
FRAGMENT_LEVELS_UP = 1
MIN_BODY_TOKENS = 20
# trafilatura's lines in blocks scored below DROP_BELOW go; blocks it missed that score at
# least ADD_FROM come in (tuned out of sample, see docs/benchmark.md).
DROP_BELOW = 0.2
ADD_FROM = 0.9
# Blocks of at least this many tokens count as prose for the container features.
# Substring checks allowed for placing trafilatura's lines in blocks (per page).
LINE_SEARCH_BUDGET = 200_000

_WORD = re.compile(r"\w+")


@dataclass
class HtmlArticle:
    """The body found in a page."""

    paragraphs: list[str] = field(default_factory=list)
    # When set: for each block of the `rendered` page given, whether it is the body.
    keep: list[bool] | None = None


def _fold(text: str) -> str:
    return " ".join(text.split())



def is_sure(probs: Sequence[float], ntok: Sequence[int]) -> bool:
    """Whether the classifier's own blocks can stand as the body (the cascade's test)."""
    kept = unsure = 0
    for p, t in zip(probs, ntok, strict=True):
        if p >= KEEP_FROM:
            kept += t
        if UNSURE_LOW <= p < UNSURE_HIGH:
            unsure += t
    return kept > 0 and unsure <= SURE_SHARE * kept


# ---------------------------------------------------------------------------
# Body
# ---------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text))


def _find_block(key: str, norms: list[str], exact: dict[str, list[int]], pos: int,
                budget: list[int]) -> int | None:
    """The block holding an extracted line: the first at or after ``pos`` (both follow page
    order), else the first before it."""
    same = exact.get(key)
    if same:
        return next((j for j in same if j >= pos), same[0])
    if budget[0] <= 0:
        return None
    budget[0] -= len(norms)
    order = list(range(pos, len(norms))) + list(range(pos))
    return next((j for j in order if key in norms[j]), None)


def _line_blocks(lines: list[str], norms: list[str]) -> list[int | None]:
    """For each extracted line, the rendered block holding it, or None.

    Most lines are a whole block (dict lookup); the substring search for the others has a
    budget so that a huge page stays cheap (lines past it count as not placed).
    """
    exact: dict[str, list[int]] = {}
    for j, key in enumerate(norms):
        exact.setdefault(key, []).append(j)
    budget = [LINE_SEARCH_BUDGET]
    out: list[int | None] = []
    pos = 0
    for line in lines:
        key = _norm(line)
        found = _find_block(key, norms, exact, pos, budget) if key else None
        if found is not None:
            pos = found
        out.append(found)
    return out


def merge_body(lines: list[str], blocks: Sequence, probs: Sequence[float]) -> list[str]:
    """trafilatura's lines without those in rejected blocks, plus confident blocks it
    missed, in page order."""
    norms = [_norm(b.text) for b in blocks]
    where = _line_blocks(lines, norms)
    joined = " " + " ".join(_norm(line) for line in lines) + " "
    items: list[tuple[float, int, str]] = []
    last = -1.0
    for k, (line, j) in enumerate(zip(lines, where, strict=True)):
        if j is not None:
            last = float(j)
            if probs[j] < DROP_BELOW:
                continue
        items.append((last, k, line))
    for j, (b, key) in enumerate(zip(blocks, norms, strict=True)):
        if probs[j] >= ADD_FROM and key and f" {key} " not in joined:
            items.append((j - 0.5, -1, b.text))
    items.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in items]


def trafilatura_text(html: str, url: str | None, options: dict | None = None) -> str:
    """trafilatura's body text (production options unless given)."""
    import trafilatura

    return trafilatura.extract(html, url=url, **(options or TRAFILATURA_OPTIONS)) or ""


def view_text(html: str) -> str:
    """resiliparse's main-content text of the page: the classifier's extractor view."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(html), **VIEW_OPTIONS)


def _lines(text: str) -> list[str]:
    return [p for p in (_fold(line) for line in text.splitlines()) if p]


def _fallback_paragraphs(html: str, model: dict | None) -> list[str]:
    """Body by the text classifier on the rendered page (html-text), when available."""
    try:
        import html_text
    except ImportError:
        return []
    body = generic_text.extract_body(html_text.extract_text(html), model=model)
    return [p for p in body.splitlines() if p]


def _substantial(paragraphs: list[str]) -> list[str]:
    return paragraphs if len(_WORD.findall(" ".join(paragraphs))) >= MIN_BODY_TOKENS else []


def main_fragment(tree: LexborHTMLParser, blocks: Sequence, probs: Sequence[float],
                  ntok: Sequence[int]) -> str | None:
    """The HTML of the element that holds the article by the classifier's scores: the one
    whose blocks add up the most evidence, sum((p - 0.5) * sqrt(tokens + 1)), taken
    ``FRAGMENT_LEVELS_UP`` levels up; None when that is the whole page."""
    chains = [b.dom.ids for b in blocks]
    best, _evidence, _gains = best_element(chains, ntok, probs)
    if best is None:
        return None
    chain = next(c for c in chains if best in c)
    target = chain[max(0, chain.index(best) - FRAGMENT_LEVELS_UP)]
    # An ancestor of text comes early in document order: the walk stops soon.
    node = next((n for n in tree.root.traverse() if n.mem_id == target), None)
    if node is None or node.tag in ("html", "body"):
        return None
    return f"<html><body>{node.html}</body></html>"


def body_paragraphs(html: str, url: str | None, tree: LexborHTMLParser, blocks: Sequence,
                    html_model: dict | None) -> tuple[list[str], list[bool] | None]:
    """(body paragraphs, per-block decisions when the classifier alone decided)."""
    if html_model is None or not blocks:
        return _lines(trafilatura_text(html, url)), None
    probs, ntok = block_scores(blocks, view_text(html), html_model)
    if is_sure(probs, ntok):
        keep = [p >= KEEP_FROM for p in probs]
        own = _substantial([b.text for b, k in zip(blocks, keep, strict=True) if k])
        if own:
            return own, keep
    # Unsure: trafilatura on the article's element, corrected by the classifier.
    fragment = main_fragment(tree, blocks, probs, ntok)
    lines = _lines(trafilatura_text(fragment, url)) if fragment else []
    if not lines:
        lines = _lines(trafilatura_text(html, url))
    return (merge_body(lines, blocks, probs) if lines else []), None


# Models chosen for a stretch of code (the benchmark's fold models), as (block classifier,
# text classifier); None: the production models.
_MODELS: ContextVar[tuple[dict, dict | None] | None] = ContextVar("generic_models", default=None)


@contextmanager
def models(html_model: dict, text_model: dict | None = None) -> Iterator[None]:
    """Inside the block, generic HTML extraction (``service.clean`` included) uses these
    models: the benchmark times the whole pipeline on its fold models this way."""
    token = _MODELS.set((html_model, text_model))
    try:
        yield
    finally:
        _MODELS.reset(token)


def extract_html_article(html: str, url: str | None = None, *,
                         model: dict | None = None, tree: LexborHTMLParser | None = None,
                         rendered: object | None = None,
                         html_model: dict | None = None) -> HtmlArticle:
    """Title, authors, date and body paragraphs of an article page.

    ``model`` overrides the text classifier's model and ``html_model`` the block
    classifier's (the benchmark passes fold models); ``tree`` and ``rendered`` are the page
    already parsed and rendered by the pipeline. ``keep`` is set (one decision per block of
    ``rendered``) when the block classifier decided alone.
    """
    tree = tree if tree is not None else render.parse(html)
    if rendered is None:
        rendered = render.render(tree)
    blocks = list(rendered.blocks)
    chosen = _MODELS.get()
    if chosen is not None:
        html_model, model = html_model or chosen[0], model or chosen[1]
    paragraphs, keep = body_paragraphs(html, url, tree, blocks, html_model or load_html_model())
    paragraphs = _substantial(paragraphs)
    if not paragraphs:
        keep = None
        paragraphs = _substantial(_fallback_paragraphs(html, model))
    return HtmlArticle(paragraphs=paragraphs, keep=keep)


def mark_page(doc: render.HtmlDoc, url: str | None) -> Page:
    """Generic extraction: the extractor decides which rendered blocks are the body."""
    from .outlet_html import page_from_rendered

    article = extract_html_article(doc.html, url, tree=doc.tree, rendered=doc.rendered)
    page = page_from_rendered(doc.rendered)
    if article.keep is not None:  # the block classifier decided alone
        for block, keep in zip(page.blocks, article.keep, strict=True):
            if keep:
                block.keep("generic-html:classifier")
            else:
                block.strip("boilerplate", "generic-html:classifier")
    else:
        page.extracted = [p for p in article.paragraphs if p.strip()]
        _match_blocks(page, page.extracted)
    return page


# Characters of the extractor's text that the substring checks of _match_blocks may read in
# all (a block that is not one of its paragraphs costs one scan of it): beyond this, a page
# of thousands of blocks would take seconds, and such blocks count as not extracted.
MATCH_SCAN_BUDGET = 20_000_000


def _match_blocks(page: Page, paragraphs: list[str]) -> None:
    """Account for an extractor's paragraphs in the rendered blocks, by their text: a block
    is kept when it is one of them or, within the budget, part of one."""
    whole = set(paragraphs)
    kept_text = " ".join(paragraphs)
    budget = MATCH_SCAN_BUDGET
    for block in page.blocks:
        inside = block.text in whole
        if not inside and budget > 0:
            budget -= len(kept_text)
            inside = block.text in kept_text
        if inside:
            block.keep("generic-html:extractor")
        else:
            block.strip("boilerplate", "generic-html:not-extracted")
