"""Generic article extraction from HTML, for pages of outlets without rules.

The body starts from trafilatura tuned for precision (comments off, ``favor_precision``). A
learned block classifier (``scripts/train_html_model.py``) then scores every rendered block
of the page from what the DOM says about it (tag path, class/id words such as comment,
related, share, footer; link density; heading), whether its text is in trafilatura's output
and what its text looks like (the features of :mod:`service.generic_text`). trafilatura's
lines that fall in blocks the classifier rejects are dropped, and blocks it is sure of that
trafilatura missed are added in page order. When trafilatura finds nothing, the generic text
classifier picks the body from the rendered text. Title, authors and date are read from the
page's own metadata (Open Graph, ``meta`` tags, ``<time>``, ``<h1>``) with selectolax, which
is several times cheaper than trafilatura's metadata pass.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from . import generic_text
from .htmlpage import read_metadata

HTML_MODEL_FILE = generic_text.DATA_DIR / "html_model.json"
# trafilatura options: comments are not article text; precision mode drops link lists.
TRAFILATURA_OPTIONS = {"include_comments": False, "favor_precision": True}
# The classifier's "extracted" features come from a second, cheaper trafilatura run in its
# default (recall-leaning) mode without fallbacks: a different view from the body it
# corrects measured better than the same view (0.972 vs 0.965 F1, docs/benchmark.md).
FEATURE_OPTIONS = {"include_comments": False, "fast": True}
# A body shorter than this is a menu or an error page, not an article.
MIN_BODY_TOKENS = 20
# trafilatura's lines in blocks scored below DROP_BELOW go; blocks it missed that score at
# least ADD_FROM come in (tuned out of sample, see docs/benchmark.md).
DROP_BELOW = 0.2
ADD_FROM = 0.9
# Blocks of at least this many tokens count as prose for the container features.
PROSE_TOKENS = 12
SHINGLE = 4
CLIP_DISTANCE = 30
# Substring checks allowed for placing trafilatura's lines in blocks (per page).
LINE_SEARCH_BUDGET = 200_000
# How many enclosing elements' class/id values describe a block's own container.
INNER_ATTRS = 2
GROUP_ATTRS = 3

_WORD = re.compile(r"\w+")

# DOM vocabulary of the block classifier.
INNER_TAGS = (
    "p", "li", "a", "span", "div", "td", "th", "blockquote", "figcaption", "pre", "dd", "dt",
    "em", "strong", "b", "i", "time", "label", "h1", "h2", "h3", "h4", "h5", "h6", "cite",
    "small", "header", "footer", "section", "article", "aside",
)
PATH_TAGS = (
    "article", "main", "section", "aside", "nav", "header", "footer", "form", "figure", "ul",
    "ol", "table", "li", "a", "blockquote", "p", "h1", "h2", "h3",
)
# Words of class/id values, by what they usually mark (any language's sites use English).
ATTR_WORDS = {
    "comment": r"comment|disqus|reply|respond",
    "related": r"related|recommend|more|popular|trending|read-?next|also|outbrain|taboola"
               r"|teaser|card",
    "share": r"share|social|sharing|facebook|twitter|whatsapp",
    "footer": r"foot",
    "header": r"head|masthead|top-?bar",
    "nav": r"nav|menu|breadcrumb|pagination|skip",
    "promo": r"promo|\bad\b|ads|advert|sponsor|banner|dfp|gpt",
    "newsletter": r"newsletter|subscri|signup|sign-up|paywall|regwall|register",
    "caption": r"caption|credit|figure|photo|image|img|media|gallery|video",
    "byline": r"byline|author|writer|contributor",
    "tags": r"tag|topic|keyword|categor|label",
    "meta": r"date|time|meta|publish|updated",
    "content": r"article|content|story|post|body|entry|text|prose|main|rich",
    "side": r"side|widget|rail|aside|column",
    "hidden": r"hidden|sr-only|visually|screen-reader|print",
    "title": r"title|headline|heading|hed\b|dek|summary|standfirst|lede|intro",
}
# One alternation with a named group per kind: one scan of a class string finds them all.
_ATTR_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in ATTR_WORDS.items()))
_ATTR_KINDS = tuple(ATTR_WORDS)


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


# ---------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Block features
# ---------------------------------------------------------------------------


def dom_feature_names() -> list[str]:
    """Names of the DOM and trafilatura features, in order (text features follow)."""
    names = [f"inner_{t}" for t in INNER_TAGS] + [f"path_{t}" for t in PATH_TAGS]
    names += [f"attr_{k}" for k in ATTR_WORDS] + [f"attr_inner_{k}" for k in ATTR_WORDS]
    names += ["link_density", "caption", "chrome", "heading", "depth", "n_attrs"]
    names += ["extracted", "extracted_share", "in_extracted_span", "extracted_dist",
              "group_extracted", "group_token_share", "group_log_blocks", "group_prose_share"]
    return names


def feature_names() -> list[str]:
    return dom_feature_names() + generic_text.feature_names()


@lru_cache(maxsize=16384)
def _word_kinds(word: str) -> frozenset[str]:
    return frozenset(m.lastgroup for m in _ATTR_RE.finditer(word))


def _attr_kinds(text: str) -> set[str]:
    """Kinds named by the words of class/id values. No pattern spans white space, so
    matching word by word finds the same, and the words repeat across blocks and pages."""
    found: set[str] = set()
    for word in text.lower().split():
        found |= _word_kinds(word)
    return found


@lru_cache(maxsize=4096)
def _attr_flags(attrs: tuple[str, ...]) -> tuple[float, ...]:
    """Class/id word flags over all enclosing elements, then over the innermost ones.

    Cached: the blocks of one list or article share their ancestors' class values.
    """
    outer, inner = _attr_kinds(" ".join(attrs)), _attr_kinds(" ".join(attrs[-INNER_ATTRS:]))
    return tuple(1.0 if k in outer else 0.0 for k in _ATTR_KINDS) + tuple(
        1.0 if k in inner else 0.0 for k in _ATTR_KINDS
    )


def _tag_flags(tags: tuple[str, ...]) -> list[float]:
    inner = tags[-1] if tags else ""
    return [1.0 if inner == t else 0.0 for t in INNER_TAGS] + [
        1.0 if t in tags else 0.0 for t in PATH_TAGS
    ]


def _extracted(tokens: list[list[str]], extracted: str) -> tuple[list[float], list[float]]:
    """Per block: its whole token run is in the extractor's output; share of its shingles."""
    ext = _WORD.findall(extracted)
    joined = " " + " ".join(ext) + " "
    shingles = {tuple(ext[i : i + SHINGLE]) for i in range(len(ext) - SHINGLE + 1)}
    member, share = [], []
    for toks in tokens:
        inside = 1.0 if toks and f" {' '.join(toks)} " in joined else 0.0
        member.append(inside)
        if len(toks) >= SHINGLE:
            sh = [tuple(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)]
            share.append(sum(s in shingles for s in sh) / len(sh))
        else:
            share.append(inside)
    return member, share


def _groups(blocks: Sequence, ntok: list[int], share: list[float]) -> list[list[float]]:
    """Features of each block's container (same tag path and class values): how much of it
    was extracted, its share of the page's tokens and prose, its size."""
    keys = [(b.hints["tags"][:-1], b.hints["attrs"][-GROUP_ATTRS:]) for b in blocks]
    tok: dict = defaultdict(float)
    ext: dict = defaultdict(float)
    count: dict = defaultdict(int)
    prose: dict = defaultdict(float)
    for key, n, s in zip(keys, ntok, share, strict=True):
        tok[key] += n
        ext[key] += n * s
        count[key] += 1
        prose[key] += n if n >= PROSE_TOKENS else 0
    total = sum(ntok) or 1
    return [[ext[k] / max(tok[k], 1), tok[k] / total, math.log1p(count[k]), prose[k] / total]
            for k in keys]


def _span_features(member: list[float], ntok: list[int]) -> list[tuple[float, float]]:
    """(inside the extracted span, log distance to it) per block."""
    idx = [i for i, m in enumerate(member) if m and ntok[i] >= SHINGLE]
    lo, hi = (idx[0], idx[-1]) if idx else (-1, -1)
    out = []
    for i in range(len(member)):
        if lo < 0:
            out.append((0.0, math.log1p(CLIP_DISTANCE)))
        elif i < lo or i > hi:
            out.append((0.0, math.log1p(min(max(lo - i, i - hi), CLIP_DISTANCE))))
        else:
            out.append((1.0, 0.0))
    return out


def block_features(blocks: Sequence, extracted: str) -> tuple[list[list[float]], list[int]]:
    """Feature rows of the rendered blocks of a page, given the extractor's output text."""
    tokens = [_WORD.findall(b.text) for b in blocks]
    ntok = [len(t) for t in tokens]
    member, share = _extracted(tokens, extracted)
    groups = _groups(blocks, ntok, share)
    spans = _span_features(member, ntok)
    text_rows, _info, _title = generic_text.page_features(
        [b.text for b in blocks], [b.gap for b in blocks]
    )
    rows = []
    for i, b in enumerate(blocks):
        h = b.hints
        row = _tag_flags(h["tags"]) + list(_attr_flags(h["attrs"]))
        row += [h.get("link_density", 0.0), float(bool(h["caption"])), float(bool(h["chrome"])),
                float(h["heading"]), float(len(h["tags"])), float(len(h["attrs"]))]
        row += [member[i], share[i], *spans[i], *groups[i]]
        rows.append(row + text_rows[i])
    return rows, ntok


@lru_cache(maxsize=1)
def load_html_model() -> dict | None:
    """The block classifier (boosted trees) or None when it was not trained."""
    if not HTML_MODEL_FILE.exists():
        return None
    return json.loads(HTML_MODEL_FILE.read_text(encoding="utf-8"))


_COMPILED: dict[int, tuple] = {}


def _scorer(model: dict):
    key = id(model)
    if key not in _COMPILED:
        # Keep the model referenced so its id is not reused while cached.
        _COMPILED[key] = (model, generic_text.compile_trees(model["stage1"]))
    return _COMPILED[key][1]


def block_scores(blocks: Sequence, extracted: str, model: dict) -> list[float]:
    """Body probability of each rendered block."""
    rows, _ntok = block_features(blocks, extracted)
    score = _scorer(model)
    return [score(r) for r in rows]


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


def _rendered_blocks(tree: LexborHTMLParser, rendered: object | None) -> list:
    if rendered is None:
        from . import htmlpage

        rendered = htmlpage.render(tree)
    return list(rendered.blocks)


def body_paragraphs(html: str, url: str | None, tree: LexborHTMLParser,
                    rendered: object | None, html_model: dict | None) -> list[str]:
    """trafilatura's body corrected by the block classifier (when trained)."""
    lines = _lines(trafilatura_text(html, url))
    if html_model is None or not lines:
        return lines
    blocks = _rendered_blocks(tree, rendered)
    if not blocks:
        return lines
    view = trafilatura_text(html, url, FEATURE_OPTIONS)
    return merge_body(lines, blocks, block_scores(blocks, view, html_model))


def extract_html_article(html: str, url: str | None = None, *,
                         model: dict | None = None, tree: LexborHTMLParser | None = None,
                         rendered: object | None = None,
                         html_model: dict | None = None) -> HtmlArticle:
    """Title, authors, date and body paragraphs of an article page.

    ``model`` overrides the text classifier's model and ``html_model`` the block
    classifier's (the benchmark passes fold models); ``tree`` and ``rendered`` are the page
    already parsed and rendered by the pipeline.
    """
    tree = tree if tree is not None else LexborHTMLParser(html)
    paragraphs = _substantial(
        body_paragraphs(html, url, tree, rendered, html_model or load_html_model())
    )
    paragraphs = paragraphs or _substantial(_fallback_paragraphs(html, model))
    metadata = rendered.metadata if rendered is not None else read_metadata(tree)
    return HtmlArticle(
        title=metadata.get("title"),
        authors=metadata.get("authors", []),
        date=metadata.get("date"),
        paragraphs=paragraphs,
    )
