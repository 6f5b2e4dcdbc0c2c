"""The walk that renders a parsed page to text blocks (``render.render``): one pass over
the elements of the page, block-level elements ending blocks, with what the DOM says about
the text of each block (its hints, ``page.DomHints``).

It runs over every element of every HTML page, so it does as little per element as it can;
tests/test_render_reference.py holds the plain walker it must agree with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .page import DomHints
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
# Sectioning elements (and their ARIA roles / microdata) a block sits in, at any depth:
# bits of the `landmarks` hint.
LANDMARK_NAMES = ("article", "main", "aside", "nav", "header", "footer", "form", "figure",
                  "article_body")
LANDMARKS = {name: 1 << i for i, name in enumerate(LANDMARK_NAMES)}
ROLES = {"main": LANDMARKS["main"], "article": LANDMARKS["article"],
         "complementary": LANDMARKS["aside"], "navigation": LANDMARKS["nav"],
         "banner": LANDMARKS["header"], "contentinfo": LANDMARKS["footer"],
         "articleBody": LANDMARKS["article_body"]}
# An element a browser does not show: the `hidden` attribute, or an inline style that hides
# it (a structured-data copy of the article, a collapsed menu). Its text is rendered (the
# result's offsets cover the source's text) and flagged: generic extraction never keeps it.
HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Inside a figure caption, an element whose class says so holds the photo credit.
CREDIT_CLASS = re.compile(r"credit|copyright|photographer|byline|source", re.I)


@dataclass(slots=True)
class RenderedBlock:
    text: str
    start: int
    end: int
    gap: int
    dom: DomHints


@dataclass
class Rendered:
    text: str
    blocks: list[RenderedBlock]


# How a block-level tag sets its text apart from the text around it: 1 = a blank line before
# (it starts a paragraph), 0 = a line break.
_BLOCK_GAP = {**dict.fromkeys(LINE_TAGS, 0), **dict.fromkeys(PARAGRAPH_TAGS, 1)}
# The tags that change `_Flags` by themselves (see `_Flags.enter`). Any other element shares
# its parent's flags object, unless it sits in a caption (a class can start the credit) or it
# is the article element or one a rule strips.
_FLAG_TAGS = CHROME_TAGS | HEADINGS.keys() | {"figcaption", "a"}


def walk(
    tree: LexborHTMLParser,
    article: LexborNode | None = None,
    strip: dict[int, str] | None = None,
) -> Rendered:
    """The page's visible text as blocks; `strip` maps node mem_id to the kind it strips as."""
    walker = _Walker(article.mem_id if article is not None else None, strip or {})
    if tree.body is not None:
        walker.walk(tree.body)
    walker.flush()
    return Rendered("".join(walker.out), walker.blocks)


# A frame stands for one element the walk is in: [the frame of its parent element, the
# element, its tag, its `_Flags`, its `_Structure` or None until worked out]. The chain of
# frames up from the current one is the walk's stack of open elements, and the frame of the
# last text gathered keeps what the hints need of its enclosing elements after the walk has
# left them. A plain list, as one is made for nearly every element of every page.
_Frame = list[Any]
_FRAME_STRUCTURE = 4
# tags, attrs, ids, landmarks and hidden hints: see `_Walker.structure`.
_Structure = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], int, bool]


class _Walker:
    """Iterative depth-first walk (pages nest deeper than Python's recursion allows).

    It runs over every element of every HTML page, so it does as little per element as it
    can: elements share their parent's `_Flags` unless they change them, and the hints about
    the enclosing elements are worked out once per block (`structure`), not per element.
    """

    def __init__(self, article_id: int | None, strip: dict[int, str]) -> None:
        self.article_id, self.strip = article_id, strip
        self.out: list[str] = []
        self.length = 0
        self.blocks: list[RenderedBlock] = []
        # Emptied in place, never replaced: `walk` holds on to both lists.
        self.parts: list[str] = []
        self.credit_parts: list[str] = []  # the part of a caption that is its credit
        self.pending_gap = 0
        self.link_chars = 0
        # The frame above the root's: no element, nothing to say (its structure is known,
        # so `structure` stops there).
        self.outside: _Frame = [None, None, None, _NO_FLAGS, ((), (), (), 0, False)]
        self.context: _Frame = self.outside  # the element around the text gathered so far

    def walk(self, root: LexborNode) -> None:
        # What the loop uses for every node, in locals.
        parts, credit_parts, flush = self.parts, self.credit_parts, self.flush
        article_id, strip = self.article_id, self.strip
        skip, block_gap, flag_tags = SKIP_TAGS, _BLOCK_GAP, _FLAG_TAGS
        # Elements whose mem_id changes their flags (none when not rendering for an outlet).
        targets = {*strip, article_id} if article_id is not None else set(strip)
        outside = self.outside
        # The frame and flags of the element `node` is in.
        node, frame, flags = root, outside, _NO_FLAGS
        while True:
            tag = node.tag or ""
            if tag == "-text":
                text = node.text_content or ""
                if text and not text.isspace():  # as text.strip(), without making a copy
                    parts.append(text)
                    self.context = frame
                    if flags.credit:
                        credit_parts.append(text)
                    if flags.in_link:
                        self.link_chars += len(normalise(text))
                elif text and parts:
                    parts.append(" ")
            elif tag not in skip and not tag.startswith("-"):
                gap = block_gap.get(tag)
                # A block element starts: the text before it ends a block. With nothing
                # gathered, flush would only note the gap; most block elements start and end
                # with nothing gathered, so that is done here without the call.
                if parts and gap is not None:
                    flush(gap)
                elif gap:
                    self.pending_gap = 1
                child = node.first_child
                if child is not None:
                    if tag in flag_tags or flags.caption or (targets and node.mem_id in targets):
                        flags = flags.enter(node, tag, article_id, strip)
                    frame = [frame, node, tag, flags, None]
                    node = child
                    continue
                # An empty element ends where it starts: nothing gathered since, only the gap
                # its end leaves.
                if gap:
                    self.pending_gap = 1
            # On to the next sibling; after a last child, back to its parent, whose end ends
            # its block too.
            while True:
                if frame is outside:
                    return  # back at the root: what follows it is not part of the walk
                sibling = node.next
                if sibling is not None:
                    node = sibling
                    break
                frame, node, tag, _, _ = frame
                flags = frame[3]
                gap = block_gap.get(tag)
                if parts and gap is not None:
                    flush(gap)
                elif gap:
                    self.pending_gap = 1

    def flush(self, gap: int = 1) -> None:
        text = normalise("".join(self.parts))
        if text:
            blank = max(gap, self.pending_gap) > 0
            if self.blocks:
                sep = "\n\n" if blank else "\n"
                self.out.append(sep)
                self.length += len(sep)
            credit = None
            if self.credit_parts:  # only text in a figure caption can be a credit
                credit = normalise("".join(self.credit_parts))
                if credit == text:
                    credit = None
            density = min(1.0, self.link_chars / max(1, len(text)))
            dom = self.hints(self.context, density, credit or None)
            block = RenderedBlock(text, self.length, self.length + len(text), int(blank), dom)
            self.blocks.append(block)
            self.out.append(text)
            self.length += len(text)
            self.pending_gap = 0
        else:
            self.pending_gap = max(self.pending_gap, gap)
        self.parts.clear()
        self.credit_parts.clear()
        self.link_chars = 0

    def hints(self, frame: _Frame, link_density: float, credit: str | None) -> DomHints:
        """What the DOM says about text inside `frame`'s element."""
        flags = frame[3]
        tags, attrs, ids, landmarks, hidden = self.structure(frame)
        return DomHints(
            flags.in_article, flags.strip_kind, flags.chrome, flags.caption, credit,
            flags.heading, tags, attrs, ids, landmarks, link_density, hidden,
        )

    @staticmethod
    def structure(frame: _Frame) -> _Structure:
        """The tags hint (the innermost 7 enclosing tags), attrs (the innermost 6 non-empty
        class and id values), ids (the innermost 24 enclosing elements' mem_ids), landmarks
        (LANDMARKS bits of all enclosing elements, however deep) and hidden (inside an
        element a browser does not show) for text inside `frame`'s element.

        Each frame's is worked out once, from its parent's: up the chain (a loop, as pages
        nest deep) to the nearest frame already worked out, then down again.
        """
        todo: list[_Frame] = []
        while True:
            parent, _, _, _, known = frame
            if known is not None:
                break
            todo.append(frame)
            frame = parent
        tags, attrs, ids, landmarks, hidden = known
        for frame in reversed(todo):
            _, node, tag, _, _ = frame
            mem_id = node.mem_id
            tags = tags[-6:] + (tag,)
            ids = ids[-23:] + (mem_id,)
            landmarks |= LANDMARKS.get(tag, 0)
            attributes = node.attributes
            if attributes:  # many elements have none: nothing more to look up
                get = attributes.get
                class_, id_ = get("class"), get("id")
                if class_ or id_:
                    marks = f"{class_ or ''} {id_ or ''}".strip()
                    if marks:
                        attrs = attrs[-5:] + (marks,)
                role = get("role") or get("itemprop")
                if role:
                    landmarks |= ROLES.get(role, 0)
                if not hidden:
                    hidden = is_hidden(attributes)
            frame[_FRAME_STRUCTURE] = (tags, attrs, ids, landmarks, hidden)
        return tags, attrs, ids, landmarks, hidden


def is_hidden(attributes: dict) -> bool:
    """Whether an element's attributes hide it from view."""
    if "hidden" in attributes:
        return True
    style = attributes.get("style")
    return bool(style) and HIDING_STYLE.search(style) is not None


class _Flags:
    """What the DOM says about how to read the text inside an element. Elements share their
    parent's unless they change something (most do not); never changed once made."""

    __slots__ = ("in_article", "strip_kind", "chrome", "caption", "credit", "heading", "in_link")

    def __init__(
        self,
        in_article: bool = False,
        strip_kind: str | None = None,
        chrome: bool = False,
        caption: bool = False,
        credit: bool = False,
        heading: int = 0,
        in_link: bool = False,
    ) -> None:
        self.in_article = in_article
        self.strip_kind = strip_kind
        self.chrome = chrome
        self.caption = caption
        self.credit = credit
        self.heading = heading
        self.in_link = in_link

    def enter(
        self, node: LexborNode, tag: str, article_id: int | None, strip: dict[int, str]
    ) -> _Flags:
        """The flags of the text inside `node`, an element inside this one."""
        mem_id = node.mem_id
        caption = self.caption or tag == "figcaption"
        return _Flags(
            in_article=self.in_article or mem_id == article_id,
            strip_kind=strip.get(mem_id, self.strip_kind),
            chrome=self.chrome or tag in CHROME_TAGS,
            caption=caption,
            credit=self.credit or (
                caption
                and (
                    tag in ("cite", "small")
                    or bool(CREDIT_CLASS.search(node.attributes.get("class") or ""))
                )
            ),
            heading=HEADINGS.get(tag, self.heading),
            in_link=self.in_link or tag == "a",
        )


_NO_FLAGS = _Flags()  # outside the root
