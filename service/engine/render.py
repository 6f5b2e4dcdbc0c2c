"""Render HTML into a `Page` of text blocks, with what the DOM says about each block.

The rendered text is what offsets in the result point into for HTML input: one block per
block-level element, paragraphs set apart by a blank line as a browser copy would be.
Each block carries hints from the DOM (inside the outlet's article element, inside an
element a rule strips, inside a figure caption, heading level) so the same marking stages
serve HTML and text. What the page declares about its article (JSON-LD, meta tags) is read
from the same tree by the metadata stage (`service.engine.metadata`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..errors import Uncleanable
from .textprep import normalise

# The walk's vocabulary and output, and the walk itself (`render`), for the modules that
# read rendered pages.
from .walk import (  # noqa: F401
    CHROME_TAGS,
    CREDIT_CLASS,
    HEADINGS,
    LANDMARK_NAMES,
    LANDMARKS,
    LINE_TAGS,
    PARAGRAPH_TAGS,
    ROLES,
    SKIP_TAGS,
    Rendered,
    RenderedBlock,
)
from .walk import walk as render


@dataclass
class HtmlDoc:
    """One HTML page, parsed once: its source, the tree every later stage reads, and the
    tree rendered to text blocks."""

    html: str
    tree: LexborHTMLParser
    rendered: Rendered


def load(html: str) -> HtmlDoc:
    """Parse the page and render it to blocks (no outlet known yet)."""
    tree = parse(html)
    return HtmlDoc(html, tree, render(tree))


# Parsing time grows with the square of nesting depth (100,000 levels take ~25 s), so a
# page nested deeper than this is refused before it is parsed.
MAX_DEPTH = 10_000
# Tags that close themselves or are closed implicitly do not nest.
_NON_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd option "
    "tr td th".split()
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>")


def parse(html: str) -> LexborHTMLParser:
    """The parsed page; Uncleanable when it nests too deep to parse in reasonable time."""
    if html.count("<") > MAX_DEPTH:  # fewer tags than that cannot nest that deep
        depth = nesting_depth(html)
        if depth > MAX_DEPTH:
            raise Uncleanable(f"the HTML nests {depth} levels deep; the limit is {MAX_DEPTH}")
    return LexborHTMLParser(html)


def nesting_depth(html: str) -> int:
    """The deepest nesting of elements, counted from the tags alone (an estimate)."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NON_NESTING:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def node_ids(tree: LexborHTMLParser, selectors: list[str]) -> dict[int, int]:
    """mem_id of every node matched by each selector -> the selector's index."""
    found: dict[int, int] = {}
    for index, selector in enumerate(selectors):
        try:
            nodes = tree.css(selector)
        except Exception:  # a selector lexbor rejects matches nothing  # noqa: BLE001
            continue
        for node in nodes:
            found.setdefault(node.mem_id, index)
    return found


def first_match(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> LexborNode | None:
    """The first element the first matching selector finds."""
    for selector in selectors:
        try:
            node = tree.css_first(selector)
        except Exception:  # a selector lexbor rejects matches nothing  # noqa: BLE001
            continue
        if node is not None:
            return node
    return None


def ancestor_ids(node: LexborNode | None) -> set[int]:
    """mem_ids of `node` and every element above it."""
    found: set[int] = set()
    while node is not None:
        found.add(node.mem_id)
        node = node.parent
    return found


# An article element holds at least this much text; less is a teaser card or a stub.
MIN_ARTICLE_CHARS = 200


def article_element(tree: LexborHTMLParser, selectors: list[str]) -> LexborNode | None:
    """The article element: for the first selector that finds a substantial one, the match
    with the most text (pages also use the same markup for teaser cards)."""
    for selector in selectors:
        try:
            nodes = tree.css(selector)
        except Exception:  # a selector lexbor rejects matches nothing  # noqa: BLE001
            continue
        sized = [(len(normalise(node.text(separator=" "))), node) for node in nodes]
        best = max(sized, key=lambda pair: pair[0], default=(0, None))
        if best[0] >= MIN_ARTICLE_CHARS:
            return best[1]
    return None


