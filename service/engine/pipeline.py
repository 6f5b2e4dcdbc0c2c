"""`clean()`: one raw page in, the article and everything stripped from it out.

The stages run once, in order, over one `Page`: split or render into blocks, undo print
artefacts, detect the outlet, apply its rules, let generic extraction decide whatever is
left, and read the result off the marks. HTTP, the CLI and the Python API all call this.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import BadInput, UnknownOutlet
from ..rules import RuleSet, current_rules
from . import generic_text, render
from .dates import normalise_iso
from .detect import detect_outlet
from .fingerprint import simhash
from .outlet_text import add_authors, apply_text_rules, is_prose
from .page import Block, Page
from .printfix import unwrap_print_lines
from .textprep import count_controls, split_lines

SCHEMA_VERSION = "1"


def clean(
    text: str | None = None,
    *,
    html: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
) -> dict[str, Any]:
    """Clean one page given as its visible `text` or its `html` (exactly one of them)."""
    _check_input(text, html, url, outlet)
    rulesets = current_rules()
    if outlet is not None and outlet not in rulesets:
        known = ", ".join(sorted(rulesets)) or "none"
        raise UnknownOutlet(f"no rule set with id {outlet!r} (loaded: {known})")
    if html is not None:
        page, rs = _html_page(html, url, outlet, rulesets)
    else:
        page, rs = _text_page(text or "", url, outlet, rulesets)
    return assemble(page, rs)


def _check_input(text: Any, html: Any, url: Any, outlet: Any) -> None:
    if (text is None) == (html is None):
        raise BadInput("give exactly one of text or html")
    for name, value in (("text", text), ("html", html), ("url", url), ("outlet", outlet)):
        if value is not None and not isinstance(value, str):
            raise BadInput(f"{name} must be a string, not {type(value).__name__}")
    if not (text if text is not None else html).strip():
        raise BadInput("the page is empty")


def _text_page(
    text: str, url: str | None, outlet: str | None, rulesets: dict[str, RuleSet]
) -> tuple[Page, RuleSet | None]:
    lines = split_lines(text)
    blocks, wrapped = unwrap_print_lines(lines, text)
    page = Page(text, blocks, wrapped=wrapped)
    controls = count_controls(text)
    if controls:
        page.notes.append(f"control characters (NUL and the like) read as spaces: {controls}")
    rs = rulesets[outlet] if outlet else detect_outlet([ln.text for ln in lines], url, rulesets)
    if rs is not None:
        apply_text_rules(page, rs)
    _generic_text(page, with_title=rs is None)
    return page, rs


def _generic_text(page: Page, with_title: bool) -> None:
    """Generic classification for the blocks no rule decided (all of them without rules)."""
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
    verdicts, index = generic_text.classify_page(texts, gaps)
    for block, verdict in zip(todo, verdicts, strict=True):
        if verdict.keep:
            block.keep(f"generic:{verdict.rule}")
        else:
            block.strip(verdict.kind, f"generic:{verdict.rule}")
    if with_title and "title" not in page.meta:
        if index is not None and not todo[index].kept:
            page.meta["title"] = todo[index].text
            todo[index].strip("title", "generic:title")


def _html_page(
    html: str, url: str | None, outlet: str | None, rulesets: dict[str, RuleSet]
) -> tuple[Page, RuleSet | None]:
    tree = render.parse(html)
    plain = render.render(tree)
    rs = (
        rulesets[outlet]
        if outlet
        else detect_outlet([b.text for b in plain.blocks] + [_canonical(tree)], url, rulesets)
    )
    if rs is None:
        return _generic_html(html, url, plain, tree), None
    article = render.article_element(tree, rs.html("article", []))
    strip_items = rs.html("strip", [])
    found = render.node_ids(tree, [item["selector"] for item in strip_items])
    protected = render.ancestor_ids(article) | render.ancestor_ids(tree.css_first("h1"))
    strip = {
        mem_id: strip_items[index]["kind"]
        for mem_id, index in found.items()
        if mem_id not in protected  # a strip rule never removes the article or its headline
    }
    rendered = render.render(tree, article, strip, plain.metadata)
    page = _page_from_rendered(rendered, is_html=True)
    _apply_html_metadata(page, rendered.metadata, rs.timezone)
    if article is None:
        generic = _generic_html(html, url, rendered, tree)
        generic.meta = {**generic.meta, **page.meta}
        return generic, rs
    for block in page.blocks:
        _mark_by_dom(block, page)
    apply_text_rules(page, rs)
    _generic_text(page, with_title=False)
    for block in page.blocks:
        if block.kept and not block.hints.get("in_article"):
            kind = "navigation" if block.hints.get("chrome") else "boilerplate"
            block.strip(kind, "html:outside-article")
    return page, rs


def _canonical(tree: Any) -> str:
    node = tree.css_first('link[rel="canonical"]') or tree.css_first('meta[property="og:url"]')
    if node is None:
        return ""
    return node.attributes.get("href") or node.attributes.get("content") or ""


def _page_from_rendered(rendered: render.Rendered, is_html: bool) -> Page:
    blocks = [Block(b.text, [(b.start, b.end)], b.gap, hints=b.hints) for b in rendered.blocks]
    return Page(rendered.text, blocks, is_html=is_html)


def _apply_html_metadata(page: Page, metadata: dict[str, Any], timezone: str | None) -> None:
    if metadata.get("title"):
        page.meta.setdefault("title", metadata["title"])
    add_authors(page, metadata.get("authors") or [])
    if metadata.get("date"):
        iso = normalise_iso(metadata["date"], timezone)
        if iso:
            page.meta.setdefault("date", iso)


def _mark_by_dom(block: Block, page: Page) -> None:
    """Mark what the DOM alone decides: stripped elements, the headline and figure captions
    (wherever they sit: the lead image is often outside the article element). What lies
    outside the article element is left to the text rules (a byline often sits there),
    and stripped afterwards if they would keep it."""
    hints = block.hints
    if hints.get("strip_kind"):
        block.strip(hints["strip_kind"], "html:strip-selector")
    elif hints.get("heading") == 1 and page.meta.get("title") in (None, block.text):
        page.meta["title"] = block.text
        block.strip("title", "html:h1")
    elif hints.get("caption"):
        text, credit = _split_caption(block.text, hints.get("credit"))
        page.captions.append({"text": text, "credit": credit})
        block.strip("caption", "html:figcaption")


def _split_caption(text: str, credit: str | None = None) -> tuple[str | None, str | None]:
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


def _generic_html(
    html: str, url: str | None, rendered: render.Rendered, tree: Any
) -> Page:
    """Generic extraction: the extractor decides which rendered blocks are the body."""
    from .generic_html import extract_html_article

    article = extract_html_article(html, url, tree=tree, rendered=rendered)
    page = _page_from_rendered(rendered, is_html=True)
    if article.keep is not None:  # the block classifier decided alone
        for block, keep in zip(page.blocks, article.keep, strict=True):
            if keep:
                block.keep("generic-html:classifier")
            else:
                block.strip("boilerplate", "generic-html:classifier")
    else:
        page.meta["paragraphs"] = [p for p in article.paragraphs if p.strip()]
        _match_blocks(page, page.meta["paragraphs"])
    if article.title:
        page.meta["title"] = article.title
        for block in page.blocks:
            if block.text == article.title and not block.kept:
                block.kind, block.rule = "title", "generic-html:title"
    add_authors(page, article.authors)
    if article.date:
        page.meta["date"] = normalise_iso(article.date, None) or article.date
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


def assemble(page: Page, rs: RuleSet | None) -> dict[str, Any]:
    """The contract's JSON, read off the page's marks."""
    paragraphs = page.meta.get("paragraphs")
    if paragraphs is None:
        paragraphs = [b.text for b in page.blocks if b.kept]
    body = "\n\n".join(paragraphs)
    result: dict[str, Any] = {
        "outlet": rs.id if rs else None,
        "title": page.meta.get("title"),
        "authors": list(page.meta.get("authors", [])),
        "byline": page.meta.get("byline"),
        "date": page.meta.get("date"),
        "captions": page.captions,
        "paragraphs": paragraphs,
        "body": body,
        "stripped": _stripped(page),
        "kept": _kept(page),
        "fingerprint": simhash(body),
        "input": {
            "format": "html" if page.is_html else "text",
            "length": len(page.source),
            "print_layout": page.wrapped,
            "rules_version": rs.version if rs else None,
        },
        "warnings": list(page.notes),
        "schema_version": SCHEMA_VERSION,
    }
    if page.is_html:
        result["rendered_text"] = page.source
    return result


def _stripped(page: Page) -> list[dict[str, Any]]:
    entries = []
    for block in page.blocks:
        if block.kept:
            continue
        for start, end in _runs(page.source, block.spans):
            entries.append(
                {
                    "kind": block.kind or "boilerplate",
                    "text": page.source[start:end],
                    "start": start,
                    "end": end,
                    "rule": block.rule or "unclassified",
                }
            )
    entries.sort(key=lambda e: e["start"])
    return entries


def _kept(page: Page) -> list[dict[str, int]]:
    """Where the kept paragraphs came from in the input (or the rendered text of HTML)."""
    return [
        {"start": start, "end": end}
        for block in page.blocks
        if block.kept
        for start, end in _runs(page.source, block.spans)
    ]


def _runs(source: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge a block's line spans into runs that only white space separates."""
    if len(spans) == 1:
        return list(spans)  # most blocks are one line
    runs: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if runs and not source[runs[-1][1] : start].strip():
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs
