"""Generic article extraction from HTML, for pages of outlets without rules.

The body comes from trafilatura tuned for precision (comments off, ``favor_precision``),
which measured best among the cheap combinations tried (see docs/benchmark.md). When
trafilatura finds nothing, the page is rendered to text and the generic text classifier
(:mod:`service.generic_text`) picks the body. Title, authors and date are read from the
page's own metadata (Open Graph, ``meta`` tags, ``<time>``, ``<h1>``) with selectolax, which
is several times cheaper than trafilatura's metadata pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from . import generic_text

# trafilatura options: comments are not article text; precision mode drops link lists.
TRAFILATURA_OPTIONS = {"include_comments": False, "favor_precision": True}
MAX_AUTHORS = 5
# A body shorter than this is a menu or an error page, not an article.
MIN_BODY_TOKENS = 20

_TITLE_META = ('meta[property="og:title"]', 'meta[name="twitter:title"]')
_DATE_META = (
    'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]', 'meta[name="date"]', 'meta[name="pubdate"]',
    'meta[property="og:published_time"]', 'meta[name="parsely-pub-date"]',
    'meta[name="dc.date"]', 'meta[name="DC.date.issued"]',
)
_AUTHOR_META = ('meta[name="author"]', 'meta[property="article:author"]',
                'meta[name="parsely-author"]', 'meta[name="byl"]')
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?"
                       r"(?:Z|[+-]\d{2}:?\d{2})?)?")
_WORD = re.compile(r"\w+")
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


@dataclass
class HtmlArticle:
    """The article found in a page."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    # When set: for each block of the `rendered` page given, whether it is the body.
    keep: list[bool] | None = None


def _fold(text: str) -> str:
    return " ".join(text.split())


def _meta(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> list[str]:
    out = []
    for sel in selectors:
        for node in tree.css(sel):
            value = _fold(node.attributes.get("content") or "")
            if value:
                out.append(value)
    return out


def _title(tree: LexborHTMLParser) -> str | None:
    found = _meta(tree, _TITLE_META)
    if found:
        return found[0]
    for sel in ("h1", "title"):
        node = tree.css_first(sel)
        if node is not None and _fold(node.text()):
            return _fold(node.text())
    return None


def _date(tree: LexborHTMLParser) -> str | None:
    candidates = _meta(tree, _DATE_META)
    candidates += [n.attributes.get("datetime") or "" for n in tree.css("time[datetime]")]
    for value in candidates:
        m = _ISO_DATE.search(value)
        if m:
            return m.group(0)
    return None


def _authors(tree: LexborHTMLParser) -> list[str]:
    out: list[str] = []
    for value in _meta(tree, _AUTHOR_META):
        if value.startswith(("http://", "https://")):
            continue  # article:author is often a profile URL
        for name in re.split(r"\s*(?:,|;| and | & )\s*", _BY.sub("", value)):
            if name and name not in out:
                out.append(name)
    return out[:MAX_AUTHORS]


def _trafilatura_paragraphs(html: str, url: str | None) -> list[str]:
    import trafilatura

    text = trafilatura.extract(html, url=url, **TRAFILATURA_OPTIONS) or ""
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


def extract_html_article(html: str, url: str | None = None, *,
                         model: dict | None = None, tree: LexborHTMLParser | None = None,
                         rendered: object | None = None) -> HtmlArticle:
    """Title, authors, date and body paragraphs of an article page.

    ``model`` overrides the text classifier's model (the benchmark passes fold models);
    ``tree`` and ``rendered`` are the page already parsed and rendered by the pipeline.
    """
    tree = tree if tree is not None else LexborHTMLParser(html)
    paragraphs = _substantial(_trafilatura_paragraphs(html, url))
    paragraphs = paragraphs or _substantial(_fallback_paragraphs(html, model))
    return HtmlArticle(
        title=_title(tree),
        authors=_authors(tree),
        date=_date(tree),
        paragraphs=paragraphs,
    )
