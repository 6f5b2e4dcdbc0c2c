"""What an HTML page declares about its article in machine-readable form.

JSON-LD (including `@graph` and nested entities), microdata (`itemprop`), OpenGraph and
the other `meta` tags publishers and their CMSs write. Read from the tree the page was
parsed into once, in one pass over each kind of element; nothing here parses the page
again. Every value keeps the name of the signal that gave it ("json-ld:datePublished",
"meta:article:published_time"), so a wrong value can be traced to its source.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from .text import clean_text

# Meta names (name, property or itemprop, lower case) that give the publication date, most
# trusted first; modification dates are read apart, as a last resort.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "article:published", "published_time", "article.published",
    "parsely-pub-date", "sailthru.date", "citation_publication_date", "citation_date",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date",
    "dcterms.date", "date", "pubdate", "publishdate", "publish-date", "publish_date",
    "publication_date", "og:pubdate", "article_date_original", "originalpublicationdate",
    "prism.publicationdate", "rnews:datepublished", "date.release", "release_date",
    "pub_date", "article.created", "created", "bt:pubdate", "displaydate",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
    "dc.date.modified", "last-modified", "lastmod", "article.updated", "revised",
)
AUTHOR_META = (
    "author", "article:author", "og:article:author", "parsely-author", "byl", "dc.creator",
    "dcterms.creator", "sailthru.author", "citation_author", "book:author", "authors",
)
TITLE_META = ("og:title", "twitter:title", "dc.title", "parsely-title", "sailthru.title",
              "headline")
SITE_META = ("og:site_name", "application-name", "apple-mobile-web-app-title",
             "twitter:site", "publisher", "dc.publisher", "copyright")
# JSON-LD types whose entity describes the article (also "...Article", "...Posting").
ARTICLE_TYPES = frozenset({"Report", "WebPage", "ItemPage", "AboutPage", "LiveBlogPosting",
                           "Recipe", "Review", "CreativeWork", "VideoObject", "Event"})
# Keys of a publication date in the JSON of a page's scripts.
_SCRIPT_DATE = re.compile(
    r'"(datePublished|published_?[aA]t|publishedDate|publish_?[dD]ate|pubDate|'
    r'first_?[pP]ublished(?:_?[aA]t)?)"\s*:\s*"(\d{4}-\d\d-\d\d[^"]{0,25})"')
MAX_SCRIPT_CHARS = 200_000
# Bounds on what one page's JSON-LD can make the reader walk.
MAX_LD_NODES = 400
MAX_AUTHORS = 8


@dataclass
class Declared:
    """The page's machine-readable claims, each list ordered most trusted first."""

    titles: list[tuple[str, str]] = field(default_factory=list)  # (value, source)
    published: list[tuple[str, str]] = field(default_factory=list)
    modified: list[tuple[str, str]] = field(default_factory=list)
    authors: list[tuple[list[str], str]] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    document_title: str | None = None  # the <title> element


def read_declared(tree: LexborHTMLParser) -> Declared:
    """Everything the page declares, from JSON-LD, microdata and meta tags, and last the
    publication date a page's own scripts carry in their data."""
    declared = Declared()
    _read_json_ld(tree, declared)
    _read_microdata(tree, declared)
    _read_meta(tree, declared)
    if not declared.published:
        _read_script_data(tree, declared)
    node = tree.css_first("title")
    if node is not None:
        declared.document_title = clean_text(node.text()) or None
    return declared


def _read_meta(tree: LexborHTMLParser, declared: Declared) -> None:
    found: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attributes = node.attributes
        content = attributes.get("content")
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = attributes.get(attribute)
            if key:
                found.setdefault(key.strip().lower(), []).append(content)
    for key in PUBLISHED_META:
        declared.published += [(v, f"meta:{key}") for v in found.get(key, ())]
    for key in MODIFIED_META:
        declared.modified += [(v, f"meta:{key}") for v in found.get(key, ())]
    for key in TITLE_META:
        declared.titles += [(clean_text(v), f"meta:{key}") for v in found.get(key, ())]
    for key in AUTHOR_META:
        names = [v for v in found.get(key, ()) if "://" not in v and not v.startswith("@")]
        if names:
            declared.authors.append((names, f"meta:{key}"))
    for key in SITE_META:
        declared.site_names += [clean_text(v).lstrip("@") for v in found.get(key, ())]


def _read_script_data(tree: LexborHTMLParser, declared: Declared) -> None:
    """`"publishedDate": "2016-11-04T20:37:27Z"` in the JSON a page's scripts carry (shop
    systems, single-page apps): the first such value of the page."""
    for script in tree.css("script"):
        attributes = script.attributes
        if "src" in attributes or attributes.get("type") == "application/ld+json":
            continue
        text = script.text() or ""
        if len(text) > MAX_SCRIPT_CHARS:
            text = text[:MAX_SCRIPT_CHARS]
        match = _SCRIPT_DATE.search(text)
        if match:
            declared.published.append((match[2], f"script:{match[1]}"))
            return


def _read_microdata(tree: LexborHTMLParser, declared: Declared) -> None:
    """`itemprop` on elements other than meta (meta tags are read with the others)."""
    for node in tree.css("[itemprop]"):
        if node.tag == "meta":
            continue
        prop = (node.attributes.get("itemprop") or "").strip()
        attributes = node.attributes
        if prop == "datePublished":
            value = attributes.get("datetime") or attributes.get("content") or node.text()
            if value:
                declared.published.append((value, "microdata:datePublished"))
        elif prop == "dateModified":
            value = attributes.get("datetime") or attributes.get("content") or node.text()
            if value:
                declared.modified.append((value, "microdata:dateModified"))
        elif prop == "author" or prop == "creator":
            name_node = node.css_first('[itemprop="name"]')
            name = (name_node.attributes.get("content") or name_node.text()
                    if name_node is not None else attributes.get("content") or node.text())
            name = clean_text(name or "")
            if name:
                declared.authors.append(([name], f"microdata:{prop}"))
        elif prop == "headline":
            value = clean_text(attributes.get("content") or node.text() or "")
            if value:
                declared.titles.append((value, "microdata:headline"))


def _read_json_ld(tree: LexborHTMLParser, declared: Declared) -> None:
    for entity in _json_ld_entities(tree):
        kinds = entity.get("@type")
        kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)]
        if any(k in ("WebSite", "Organization", "NewsMediaOrganization") for k in kinds):
            name = _text(entity.get("name"))
            if name:
                declared.site_names.append(name)
            continue
        if not any(k.endswith(("Article", "Posting")) or k in ARTICLE_TYPES for k in kinds):
            continue
        article = any(k.endswith(("Article", "Posting")) for k in kinds)
        kind = "article" if article else "page"
        for key in ("headline", "name"):
            value = _text(entity.get(key))
            if value:
                declared.titles.append((value, f"json-ld:{kind}.{key}"))
                break
        for key, target in (("datePublished", declared.published),
                            ("dateCreated", declared.published),
                            ("uploadDate", declared.published),
                            ("dateModified", declared.modified)):
            value = _text(entity.get(key))
            if value:
                target.append((value, f"json-ld:{kind}.{key}"))
        names = _names(entity.get("author")) or _names(entity.get("creator"))
        if names:
            declared.authors.append((names, f"json-ld:{kind}.author"))
        publisher = entity.get("publisher")
        if isinstance(publisher, dict) and _text(publisher.get("name")):
            declared.site_names.append(_text(publisher.get("name")) or "")
    # Articles' claims first, then those of the page around them.
    for values in (declared.titles, declared.published, declared.modified, declared.authors):
        values.sort(key=lambda item: ".page" in item[1] or "page." in item[1])


def _json_ld_entities(tree: LexborHTMLParser) -> list[dict[str, Any]]:
    """Every entity (a dict with an @type) in the page's JSON-LD, outer ones first."""
    found: list[dict[str, Any]] = []
    budget = MAX_LD_NODES
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "null", strict=False)
        except (ValueError, RecursionError):
            continue
        queue = [data]
        while queue and budget > 0:
            item = queue.pop(0)
            budget -= 1
            if isinstance(item, list):
                queue.extend(item)
            elif isinstance(item, dict):
                if "@type" in item:
                    found.append(item)
                for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                    if isinstance(item.get(key), (list, dict)):
                        queue.append(item[key])
    return found


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:MAX_AUTHORS]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str) and "://" not in name:
            name = clean_text(name)
            if name and name not in names:
                names.append(name)
    return names


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value")
    return clean_text(value) or None if isinstance(value, str) else None
