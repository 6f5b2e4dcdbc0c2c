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
from .page import Block, Caption, DomHints, Page
from .textprep import normalise


def apply_html_rules(doc: render.HtmlDoc, rs: RuleSet, url: str | None) -> Page:
    """The page of `doc` marked by the outlet's rules (generic extraction when its article
    element is not found)."""
    tree = doc.tree
    article = render.article_element(tree, rs.html.article)
    headline = render.first_match(tree, rs.html.title) if article is not None else None
    found = render.node_ids(tree, [item.selector for item in rs.html.strip])
    protected = render.ancestor_ids(article) | render.ancestor_ids(headline)
    strip = {
        mem_id: rs.html.strip[index].kind
        for mem_id, index in found.items()
        if mem_id not in protected  # a strip rule never removes the article or its headline
    }
    if article is None:
        # The template's article element is not on the page (a redesign, another page type):
        # generic extraction finds the body; the metadata stage still reads the page.
        page = generic_html.mark_page(doc, url)
        _strip_known_lines(page, rs)
        page.fallback = "article_not_found"
        page.notes.append(f"{rs.name} rules: none of the article selectors "
                          f"{list(rs.html.article)} matched; generic extraction gave the body")
        return page
    rendered = render.render(tree, article, strip)
    page = page_from_rendered(rendered)
    if rs.html.authors:
        # The byline's names, not the metadata's (which may name the publisher instead).
        page.meta.add_authors(_byline_authors(tree, rs.html.authors), f"{rs.id}:html.authors")
        page.meta.settled.add("authors")
    headline_id = headline.mem_id if headline is not None else None
    for block in page.blocks:
        _mark_by_dom(block, page, headline_id)
    apply_text_rules(page, rs)
    mark_page(page, with_title=False)
    for block in page.blocks:
        if block.kept and not block.dom.in_article:
            kind = "navigation" if block.dom.chrome else "boilerplate"
            block.strip(kind, "html:outside-article")
            block.region = True
    return page


def _byline_authors(tree: render.LexborHTMLParser, selectors: tuple[str, ...]) -> list[str]:
    """The text of the author-name elements the selectors find, in page order, once each."""
    names: list[str] = []
    for selector in selectors:
        try:
            nodes = tree.css(selector)
        except Exception:  # a selector lexbor rejects matches nothing  # noqa: BLE001
            continue
        for node in nodes:
            name = normalise(node.text(separator=" "))
            if name and name not in names:
                names.append(name)
        if names:
            break
    return names


def _strip_known_lines(page: Page, rs: RuleSet) -> None:
    """What generic extraction kept that the outlet's rules know is stripped all the same: a
    line a line rule knows (a label, an appeal), and a section the rules know the start and
    the end of (an appeal of several paragraphs)."""
    section = None
    for block in page.blocks:
        if section is None:
            section = next((s for s in rs.text.sections
                            if s.ends is not None and s.starts.search(block.text)), None)
        if section is not None:
            if block.kept:
                block.strip(section.kind, section.starts.name)
            if section.ends.search(block.text):
                section = None
            continue
        if not block.kept:
            continue
        rule = next((r for r in rs.text.lines if r.pattern.search(block.text)), None)
        if rule is not None:
            block.strip(rule.kind, rule.pattern.name)


def page_from_rendered(rendered: render.Rendered) -> Page:
    blocks = [Block(b.text, [(b.start, b.end)], b.gap, dom=b.dom) for b in rendered.blocks]
    return Page(rendered.text, blocks, is_html=True)


def _mark_by_dom(block: Block, page: Page, headline_id: int | None) -> None:
    """Mark what the DOM alone decides: stripped elements, the headline and figure captions
    (wherever they sit: the lead image is often outside the article element). What lies
    outside the article element is left to the text rules (a byline often sits there),
    and stripped afterwards if they would keep it."""
    dom = block.dom
    if dom.strip_kind:
        block.strip(dom.strip_kind, "html:strip-selector")
    elif _is_headline(dom, headline_id) and page.meta.title in (None, block.text):
        page.meta.title = block.text
        page.meta.sources["title"] = "html:title-selector"
        block.strip("title", "html:title-selector")
    elif dom.caption:
        text, credit = split_caption(block.text, dom.credit)
        page.meta.captions.append(Caption(text, credit, block.start))
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


def _is_headline(dom: DomHints, headline_id: int | None) -> bool:
    """Text of the element the rules' `html.title` selectors chose (an h1 without them)."""
    if headline_id is None:
        return dom.heading == 1
    return headline_id in dom.ids
