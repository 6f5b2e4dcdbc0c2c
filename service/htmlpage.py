"""Render HTML into a `Page` of text blocks, with what the DOM says about each block.

The rendered text is what offsets in the result point into for HTML input: one block per
block-level element, paragraphs set apart by a blank line as a browser copy would be.
Each block carries hints from the DOM (inside the outlet's article element, inside an
element a rule strips, inside a figure caption, heading level) so the same marking stages
serve HTML and text. Metadata the page states in machine-readable form (JSON-LD, meta
tags, `<time>`) is read here too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .errors import Uncleanable
from .textprep import normalise

SKIP_TAGS = frozenset(
    "script style noscript template svg math head iframe object embed canvas select "
    "option button input textarea audio video source track map picture".split()
)
# Block-level tags that start a paragraph of their own (blank line before).
PARAGRAPH_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 blockquote pre figure figcaption ul ol dl table section article "
    "aside header footer nav main form hr address details summary".split()
)
# Block-level tags that start a new line.
LINE_TAGS = frozenset("div li dt dd tr td th caption br legend fieldset label".split())
HEADINGS = {f"h{i}": i for i in range(1, 7)}
CHROME_TAGS = frozenset({"nav", "header", "footer"})
# Inside a figure caption, an element whose class says so holds the photo credit.
CREDIT_CLASS = re.compile(r"credit|copyright|photographer|byline|source", re.I)


@dataclass
class RenderedBlock:
    text: str
    start: int
    end: int
    gap: int
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass
class Rendered:
    text: str
    blocks: list[RenderedBlock]
    metadata: dict[str, Any]


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


def render(
    tree: LexborHTMLParser,
    article: LexborNode | None = None,
    strip: dict[int, str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Rendered:
    """The page's visible text as blocks; `strip` maps node mem_id to the kind it strips as."""
    walker = _Walker(article.mem_id if article is not None else None, strip or {})
    if tree.body is not None:
        walker.walk(tree.body)
    walker.flush()
    if metadata is None:  # a second rendering of the same page reuses the first's metadata
        metadata = read_metadata(tree)
    return Rendered("".join(walker.out), walker.blocks, metadata)


class _Walker:
    """Iterative depth-first walk (pages nest deeper than Python's recursion allows)."""

    def __init__(self, article_id: int | None, strip: dict[int, str]) -> None:
        self.article_id, self.strip = article_id, strip
        self.out: list[str] = []
        self.length = 0
        self.blocks: list[RenderedBlock] = []
        self.parts: list[str] = []
        self.credit_parts: list[str] = []  # the part of a caption that is its credit
        self.pending_gap = 0
        self.link_chars = 0
        self.context = _Context()  # of the text gathered so far

    def walk(self, root: LexborNode) -> None:
        # Each stack entry: (node, context) on entry, or (None, (tag, context)) on exit.
        stack: list[tuple[LexborNode | None, Any]] = [(root, _Context())]
        while stack:
            node, ctx = stack.pop()
            if node is None:
                tag, _ = ctx
                if tag in PARAGRAPH_TAGS or tag in LINE_TAGS:
                    self.flush(gap=1 if tag in PARAGRAPH_TAGS else 0)
                continue
            tag = node.tag or ""
            if tag == "-text":
                text = node.text_content or ""
                if text.strip():
                    self.parts.append(text)
                    self.context = ctx
                    if ctx.credit:
                        self.credit_parts.append(text)
                    if ctx.in_link:
                        self.link_chars += len(normalise(text))
                elif text and self.parts:
                    self.parts.append(" ")
                continue
            if tag.startswith("-") or tag in SKIP_TAGS:
                continue
            if tag in PARAGRAPH_TAGS or tag in LINE_TAGS:
                self.flush(gap=1 if tag in PARAGRAPH_TAGS else 0)
            inner = ctx.enter(node, tag, self.article_id, self.strip)
            stack.append((None, (tag, ctx)))
            children = []
            child = node.child
            while child is not None:
                children.append(child)
                child = child.next
            stack.extend((c, inner) for c in reversed(children))

    def flush(self, gap: int = 1) -> None:
        text = normalise("".join(self.parts))
        if text:
            blank = max(gap, self.pending_gap) > 0
            if self.blocks:
                sep = "\n\n" if blank else "\n"
                self.out.append(sep)
                self.length += len(sep)
            hints = self.context.hints()
            hints["link_density"] = min(1.0, self.link_chars / max(1, len(text)))
            credit = normalise("".join(self.credit_parts))
            if credit and credit != text:
                hints["credit"] = credit
            block = RenderedBlock(text, self.length, self.length + len(text), int(blank), hints)
            self.blocks.append(block)
            self.out.append(text)
            self.length += len(text)
            self.pending_gap = 0
        else:
            self.pending_gap = max(self.pending_gap, gap)
        self.parts, self.credit_parts, self.link_chars = [], [], 0


class _Context:
    """What the DOM says about the text inside a node."""

    __slots__ = (
        "in_article",
        "strip_kind",
        "chrome",
        "caption",
        "credit",
        "heading",
        "in_link",
        "tags",
        "attrs",
    )

    def __init__(self) -> None:
        self.in_article = False
        self.strip_kind: str | None = None
        self.chrome = False
        self.caption = False
        self.credit = False
        self.heading = 0
        self.in_link = False
        self.tags: tuple[str, ...] = ()
        self.attrs: tuple[str, ...] = ()  # class and id values of the enclosing elements

    def enter(
        self, node: LexborNode, tag: str, article_id: int | None, strip: dict[int, str]
    ) -> _Context:
        inner = _Context()
        inner.in_article = self.in_article or node.mem_id == article_id
        inner.strip_kind = strip.get(node.mem_id, self.strip_kind)
        inner.chrome = self.chrome or tag in CHROME_TAGS
        inner.caption = self.caption or tag == "figcaption"
        inner.credit = self.credit or (
            inner.caption
            and (
                tag in ("cite", "small")
                or bool(CREDIT_CLASS.search(node.attributes.get("class") or ""))
            )
        )
        inner.heading = HEADINGS.get(tag, self.heading)
        inner.in_link = self.in_link or tag == "a"
        inner.tags = self.tags[-6:] + (tag,)
        attributes = node.attributes
        marks = f"{attributes.get('class') or ''} {attributes.get('id') or ''}".strip()
        inner.attrs = (self.attrs[-5:] + (marks,)) if marks else self.attrs
        return inner

    def hints(self) -> dict[str, Any]:
        return {
            "in_article": self.in_article,
            "strip_kind": self.strip_kind,
            "chrome": self.chrome,
            "caption": self.caption,
            "heading": self.heading,
            "tags": self.tags,
            "attrs": self.attrs,
        }


# Where pages declare their metadata outside JSON-LD, most trusted first.
META_SELECTORS = {
    "title": ('meta[property="og:title"]', 'meta[name="twitter:title"]'),
    "date": (
        'meta[property="article:published_time"]',
        'meta[name="article:published_time"]',
        'meta[itemprop="datePublished"]',
        'meta[property="og:published_time"]',
        'meta[name="parsely-pub-date"]',
        'meta[name="date"]',
        'meta[name="pubdate"]',
        'meta[name="dc.date"]',
        'meta[name="DC.date.issued"]',
    ),
    "authors": (
        'meta[name="author"]',
        'meta[property="article:author"]',
        'meta[name="parsely-author"]',
        'meta[name="byl"]',
    ),
}
MAX_AUTHORS = 5
_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_BY = re.compile(r"^\s*by\s+", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|;| and | & )\s*")


def read_metadata(tree: LexborHTMLParser) -> dict[str, Any]:
    """Title, authors and date as the page declares them: JSON-LD first, then meta tags,
    `<time datetime>`, and for the title the first `<h1>` or `<title>`."""
    meta: dict[str, Any] = {"authors": []}
    for item in _json_ld_articles(tree):
        meta.setdefault("title", _text(item.get("headline")))
        meta.setdefault("date", _iso_in(_text(item.get("datePublished"))))
        meta.setdefault("modified", _text(item.get("dateModified")))
        meta["authors"] += [a for a in _names(item.get("author")) if a not in meta["authors"]]
    meta["title"] = meta.get("title") or _first(_meta_values(tree, "title")) or _heading(tree)
    dates = _meta_values(tree, "date") + [
        n.attributes.get("datetime") or "" for n in tree.css("time[datetime]")
    ]
    meta["date"] = meta.get("date") or next(filter(None, map(_iso_in, dates)), None)
    if not meta["authors"]:
        meta["authors"] = _meta_authors(tree)
    return {k: v for k, v in meta.items() if v}


def _meta_values(tree: LexborHTMLParser, key: str) -> list[str]:
    values = []
    for selector in META_SELECTORS[key]:
        for node in tree.css(selector):
            content = " ".join((node.attributes.get("content") or "").split())
            if content:
                values.append(content)
    return values


def _meta_authors(tree: LexborHTMLParser) -> list[str]:
    names: list[str] = []
    for value in _meta_values(tree, "authors"):
        if "://" in value:
            continue  # article:author is often a profile url
        names += [n for n in _NAME_SPLIT.split(_BY.sub("", value)) if n and n not in names]
    return names[:MAX_AUTHORS]


def _heading(tree: LexborHTMLParser) -> str | None:
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        text = " ".join(node.text().split()) if node is not None else ""
        if text:
            return text
    return None


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _iso_in(value: str | None) -> str | None:
    """The ISO 8601 date (and time) inside a metadata value, if there is one."""
    match = _ISO_DATE.search(value or "")
    return match.group(0) if match else None


def _json_ld_articles(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "null")
        except (ValueError, RecursionError):
            continue
        queue = [data]
        while queue and len(found) < 20:
            item = queue.pop(0)
            if isinstance(item, list):
                queue.extend(item[:50])
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k.endswith(("Article", "Posting")) for k in kinds):
                    found.append(item)
                if "@graph" in item:
                    queue.append(item["@graph"])
    return found


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and "://" not in name:
            names.append(" ".join(name.split()))
    return names


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None
