"""The fast `render.render` (`walk.walk`) gives what the straightforward walker it replaced
gave.

`render` shares flags between elements and works the enclosing elements' hints out only for
the text that ends up in a block. The reference implementation below is the plain version
(one context per element): both must agree on every block and hint. (Metadata is read by
the metadata stage: tests/test_metadata_structured.py.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from service.engine import render as htmlpage
from service.engine.render import (
    CHROME_TAGS,
    CREDIT_CLASS,
    HEADINGS,
    LANDMARKS,
    LINE_TAGS,
    PARAGRAPH_TAGS,
    ROLES,
    SKIP_TAGS,
)
from service.engine.textprep import normalise

ROOT = Path(__file__).resolve().parent.parent


class _RefContext:
    def __init__(self) -> None:
        self.in_article, self.strip_kind, self.chrome, self.caption = False, None, False, False
        self.credit, self.heading, self.in_link = False, 0, False
        self.tags: tuple = ()
        self.attrs: tuple = ()
        self.ids: tuple = ()
        self.landmarks = 0
        self.hidden = False

    def enter(self, node: Any, tag: str, article_id: int | None, strip: dict) -> _RefContext:
        inner = _RefContext()
        attributes = node.attributes
        inner.in_article = self.in_article or node.mem_id == article_id
        inner.strip_kind = strip.get(node.mem_id, self.strip_kind)
        inner.chrome = self.chrome or tag in CHROME_TAGS
        inner.caption = self.caption or tag == "figcaption"
        inner.credit = self.credit or (
            inner.caption
            and (
                tag in ("cite", "small")
                or bool(CREDIT_CLASS.search(attributes.get("class") or ""))
            )
        )
        inner.heading = HEADINGS.get(tag, self.heading)
        inner.in_link = self.in_link or tag == "a"
        inner.tags = self.tags[-6:] + (tag,)
        inner.ids = self.ids[-23:] + (node.mem_id,)
        marks = f"{attributes.get('class') or ''} {attributes.get('id') or ''}".strip()
        inner.attrs = (self.attrs[-5:] + (marks,)) if marks else self.attrs
        inner.landmarks = self.landmarks | LANDMARKS.get(tag, 0) | ROLES.get(
            attributes.get("role") or attributes.get("itemprop") or "", 0)
        inner.hidden = self.hidden or "hidden" in attributes or bool(re.search(
            r"display\s*:\s*none|visibility\s*:\s*hidden", attributes.get("style") or "", re.I))
        return inner

    def hints(self) -> dict[str, Any]:
        return {"in_article": self.in_article, "strip_kind": self.strip_kind,
                "chrome": self.chrome, "caption": self.caption, "heading": self.heading,
                "tags": self.tags, "attrs": self.attrs, "ids": self.ids,
                "landmarks": self.landmarks, "hidden": self.hidden}


def _reference_render(tree: Any, article: Any = None, strip: dict | None = None) -> tuple:
    """(text, [(text, start, end, gap, hints)]) as the plain walker renders the page."""
    article_id, strip = (article.mem_id if article is not None else None), strip or {}
    state = {"out": [], "length": 0, "blocks": [], "parts": [], "credit": [], "pending": 0,
             "link": 0, "context": _RefContext()}

    def flush(gap: int = 1) -> None:
        text = normalise("".join(state["parts"]))
        if text:
            blank = max(gap, state["pending"]) > 0
            if state["blocks"]:
                sep = "\n\n" if blank else "\n"
                state["out"].append(sep)
                state["length"] += len(sep)
            hints = state["context"].hints()
            hints["link_density"] = min(1.0, state["link"] / max(1, len(text)))
            credit = normalise("".join(state["credit"]))
            if credit and credit != text:
                hints["credit"] = credit
            start = state["length"]
            state["blocks"].append((text, start, start + len(text), int(blank), hints))
            state["out"].append(text)
            state["length"] += len(text)
            state["pending"] = 0
        else:
            state["pending"] = max(state["pending"], gap)
        state["parts"], state["credit"], state["link"] = [], [], 0

    stack: list = [(tree.body, _RefContext())] if tree.body is not None else []
    while stack:
        node, ctx = stack.pop()
        if node is None:
            if ctx[0] in PARAGRAPH_TAGS or ctx[0] in LINE_TAGS:
                flush(1 if ctx[0] in PARAGRAPH_TAGS else 0)
            continue
        tag = node.tag or ""
        if tag == "-text":
            text = node.text_content or ""
            if text.strip():
                state["parts"].append(text)
                state["context"] = ctx
                if ctx.credit:
                    state["credit"].append(text)
                if ctx.in_link:
                    state["link"] += len(normalise(text))
            elif text and state["parts"]:
                state["parts"].append(" ")
            continue
        if tag.startswith("-") or tag in SKIP_TAGS:
            continue
        if tag in PARAGRAPH_TAGS or tag in LINE_TAGS:
            flush(1 if tag in PARAGRAPH_TAGS else 0)
        inner = ctx.enter(node, tag, article_id, strip)
        stack.append((None, (tag, ctx)))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, inner) for c in reversed(children))
    flush()
    return "".join(state["out"]), state["blocks"]


SYNTHETIC = [
    "<body><figure><img><figcaption>A cat on a wall <span class='credit'>Photo: Jo "
    "<b>Bloggs</b></span> <cite>AP</cite></figcaption></figure><p>x <a href=#>link <b>bold"
    "</b></a> tail</p><div role=main itemprop=articleBody><p>in main</p></div> <br> text "
    "<h2 id=h class=c>Head</h2>&nbsp; <p> </p><p>\u200b</p><ul><li>a<li>b</ul>"
    "<table><tr><td>1<td>2</table><!-- note --><script>var x</script><svg><text>no</text>"
    "</svg><nav><a href=/>Home</a></nav><footer role=contentinfo><small>c</small></footer>"
    "<span></span><div></div><p></p>end<div hidden><p>h1</p></div><div style='DISPLAY: none'>"
    "h2<i>h3</i></div><p style='visibility:hidden' aria-hidden=true>h4</p><i style=''>v</i>"
    "</body>",
    "<body>" + "<div class=d><span>" * 3000 + "deep text" + "</span></div>" * 3000
    + "<p>after</p></body>",
    "<body>" + "".join(f"<section id=s{i}><p>para {i}</p>t{i} " for i in range(300))
    + "</body>",
    "<body><article><header><h1>Title</h1></header><p>" + "Body text. " * 40
    + "</p><aside><p>Related</p></aside></article><nav><ul><li><a>One</a></li></ul></nav>"
    "</body>",
    "",
    "<html><head><title>x</title></head></html>",
    "<body>only <i>inline</i> text<br>line two\u00a0\u00a0and<wbr>more\n\nlast</body>",
]


def _pages() -> list[str]:
    fixtures = sorted((ROOT / "rules" / "fixtures").glob("*/*.html"))
    fixtures += sorted((ROOT / "seeds").rglob("*.html"))
    return [f.read_text(encoding="utf-8", errors="replace") for f in fixtures] + SYNTHETIC


def _blocks(rendered: htmlpage.Rendered) -> tuple:
    return rendered.text, [(b.text, b.start, b.end, b.gap, _hints(b.dom)) for b in rendered.blocks]


def _hints(dom) -> dict[str, Any]:
    """The typed hints as the plain walker's dictionary (credit only when there is one)."""
    hints = {name: getattr(dom, name) for name in (
        "in_article", "strip_kind", "chrome", "caption", "heading", "tags", "attrs", "ids",
        "landmarks", "link_density", "hidden")}
    if dom.credit is not None:
        hints["credit"] = dom.credit
    return hints


@pytest.mark.parametrize("html", _pages())
def test_render_gives_what_the_plain_walker_gives(html: str) -> None:
    tree = htmlpage.parse(html)
    assert _blocks(htmlpage.render(tree)) == _reference_render(tree)
    # As outlets render: the article element and the elements a rule strips marked.
    article = tree.css_first("article") or tree.css_first("main") or tree.css_first("div")
    strip = {n.mem_id: "navigation" for n in tree.css("nav")}
    strip.update({n.mem_id: "related" for n in tree.css("aside, footer")})
    assert _blocks(htmlpage.render(tree, article, strip)) == _reference_render(
        tree, article, strip)
