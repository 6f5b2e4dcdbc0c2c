"""The outlet's HTML rules: its article element, the elements it strips, then its text rules.

The page was parsed and rendered once (``render.HtmlDoc``). With an outlet's rules it is
rendered again from the same tree, now knowing which element is the article and which
elements the rules strip, so every block carries what the DOM says about it. The DOM
decides what it can (stripped elements, the headline, figure captions); the outlet's text
rules read the rest, and whatever they keep outside the article element is stripped.
"""

from __future__ import annotations

import re

from ..rules import RuleSet
from . import generic_html, render
from .generic_text import mark_page
from .outlet_text import apply_text_rules
from .page import Block, Caption, Page


def apply_html_rules(doc: render.HtmlDoc, rs: RuleSet, url: str | None) -> Page:
    """The page of `doc` marked by the outlet's rules (generic extraction when its article
    element is not found)."""
    tree = doc.tree
    article = render.article_element(tree, rs.html("article", []))
    strip_items = rs.html("strip", [])
    found = render.node_ids(tree, [item["selector"] for item in strip_items])
    protected = render.ancestor_ids(article) | render.ancestor_ids(tree.css_first("h1"))
    strip = {
        mem_id: strip_items[index]["kind"]
        for mem_id, index in found.items()
        if mem_id not in protected  # a strip rule never removes the article or its headline
    }
    rendered = render.render(tree, article, strip)
    page = page_from_rendered(rendered)
    if article is None:
        generic = generic_html.mark_page(render.HtmlDoc(doc.html, tree, rendered), url)
        for name in ("title", "byline", "date"):
            if getattr(page.meta, name):
                setattr(generic.meta, name, getattr(page.meta, name))
                generic.meta.sources[name] = page.meta.sources.get(name, "html")
        if page.meta.authors:
            generic.meta.authors = page.meta.authors
        return generic
    for block in page.blocks:
        _mark_by_dom(block, page)
    apply_text_rules(page, rs)
    mark_page(page, with_title=False)
    for block in page.blocks:
        if block.kept and not block.dom.in_article:
            kind = "navigation" if block.dom.chrome else "boilerplate"
            block.strip(kind, "html:outside-article")
    return page


def page_from_rendered(rendered: render.Rendered) -> Page:
    blocks = [Block(b.text, [(b.start, b.end)], b.gap, dom=b.dom) for b in rendered.blocks]
    return Page(rendered.text, blocks, is_html=True)


def _mark_by_dom(block: Block, page: Page) -> None:
    """Mark what the DOM alone decides: stripped elements, the headline and figure captions
    (wherever they sit: the lead image is often outside the article element). What lies
    outside the article element is left to the text rules (a byline often sits there),
    and stripped afterwards if they would keep it."""
    dom = block.dom
    if dom.strip_kind:
        block.strip(dom.strip_kind, "html:strip-selector")
    elif dom.heading == 1 and page.meta.title in (None, block.text):
        page.meta.title = block.text
        page.meta.sources["title"] = "html:h1"
        block.strip("title", "html:h1")
    elif dom.caption:
        text, credit = split_caption(block.text, dom.credit)
        page.meta.captions.append(Caption(text, credit))
        block.strip("caption", "html:figcaption")


def split_caption(text: str, credit: str | None = None) -> tuple[str | None, str | None]:
    """Caption text and its credit: marked up as such, '(Name/Agency)' at the end, or
    'Photo: Name'."""
    if credit and text.endswith(credit):
        rest = text[: -len(credit)].strip()
        return (rest or None), credit.strip("() ")
    match = re.match(r"^(.*?)\s*\(([^()]{2,120})\)\s*$", text)
    if match:
        return match.group(1) or None, match.group(2)
    match = re.match(r"^(.*?[.!?])?\s*(?:Photo|Credit|Image|Фото)\s*(?:by|:)\s*(.+)$", text, re.I)
    if match:
        return (match.group(1) or None), match.group(2)
    return text, None
