"""Features of rendered HTML blocks for the block classifier, and its two-stage scoring.

Stage 1 reads what the DOM says about the block (tag path, sectioning landmarks, class/id
words such as comment, related, share, footer; link density; heading), what its enclosing
elements hold (their share of the page's prose, their link density: the view a
readability-style scorer takes, from the tree already rendered) and what its text looks
like (:mod:`service.models.text_features`). Stage 2 reads the stage-1 scores of the
block's neighbours and of its enclosing elements: an article's paragraphs share a
container.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..engine.render import LANDMARK_NAMES
from . import text_features
from .elements import CONTAINER_LEVELS, Elements

# Blocks of at least this many tokens count as prose for the container features.
PROSE_TOKENS = 12
# How many enclosing elements' class/id values describe a block's own container.
INNER_ATTRS = 2

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



def dom_feature_names() -> list[str]:
    """Names of the DOM and container features, in order (text features follow)."""
    names = [f"inner_{t}" for t in INNER_TAGS] + [f"path_{t}" for t in PATH_TAGS]
    names += [f"attr_{k}" for k in ATTR_WORDS] + [f"attr_inner_{k}" for k in ATTR_WORDS]
    names += ["caption", "chrome", "heading", "depth", "n_attrs"]
    names += [f"in_{name}" for name in LANDMARK_NAMES]
    names += ["link_density"]
    names += ["group_token_share", "group_log_blocks", "group_prose_share", "group_links"]
    for level in CONTAINER_LEVELS:
        names += [f"up{level}_prose_share", f"up{level}_prose_frac", f"up{level}_links"]
    return names




def feature_names() -> list[str]:
    return dom_feature_names() + text_features.feature_names()


@lru_cache(maxsize=16384)
def _attr_kinds(text: str) -> frozenset[str]:
    """Kinds named by the words of one element's class/id values (one scan of the string;
    no pattern spans white space, so it finds what a scan of each word would). Cached: an
    element's class value recurs on every block inside it, and on the site's other pages."""
    return frozenset(m.lastgroup for m in _ATTR_RE.finditer(text.lower()))


def _attr_flags(attrs: tuple[str, ...]) -> tuple[float, ...]:
    """Class/id word flags over all enclosing elements, then over the innermost ones."""
    kinds = [_attr_kinds(a) for a in attrs]
    inner = frozenset().union(*kinds[-INNER_ATTRS:])
    return _kind_flags(inner.union(*kinds[:-INNER_ATTRS]), inner)


@lru_cache(maxsize=4096)
def _kind_flags(outer: frozenset[str], inner: frozenset[str]) -> tuple[float, ...]:
    # Few distinct pairs of kind sets, where the class values themselves are many.
    return tuple(1.0 if k in outer else 0.0 for k in _ATTR_KINDS) + tuple(
        1.0 if k in inner else 0.0 for k in _ATTR_KINDS
    )


def _dom_flags(doms: Sequence) -> np.ndarray:
    """The blocks' DOM features up to ``link_density`` (``dom_feature_names`` order),
    (features, blocks). The blocks of one list or story share their tag path, class values
    and landmarks: each distinct value is turned into flags once, and the blocks gather
    their rows."""
    n = len(doms)
    tags: dict = {}
    attrs: dict = {}
    marks: dict = {}
    tag_of = np.fromiter((tags.setdefault(d.tags, len(tags)) for d in doms), np.intp, n)
    attr_of = np.fromiter((attrs.setdefault(d.attrs, len(attrs)) for d in doms), np.intp, n)
    mark_of = np.fromiter((marks.setdefault(d.landmarks, len(marks)) for d in doms), np.intp, n)
    own = np.array([(d.caption, d.chrome, d.heading) for d in doms], dtype=np.float64)
    return np.concatenate([
        np.array([_tag_flags(t) for t in tags]).reshape(len(tags), -1)[tag_of].T,
        np.array([_attr_flags(a) for a in attrs]).reshape(len(attrs), -1)[attr_of].T,
        own.reshape(n, 3).T,
        np.array([len(t) for t in tags], dtype=np.float64)[tag_of][None, :],
        np.array([len(a) for a in attrs], dtype=np.float64)[attr_of][None, :],
        np.array([_landmark_flags(m) for m in marks]).reshape(len(marks), -1)[mark_of].T,
    ])


# Cached, each on its own: the blocks of one list, menu or article share their tag path and
# class values, and a page has few distinct landmark sets (a cache of the whole tuple missed
# a third of the time, class values and tag paths combining into many keys).
@lru_cache(maxsize=4096)
def _tag_flags(tags: tuple[str, ...]) -> tuple[float, ...]:
    inner = tags[-1] if tags else ""
    return tuple(1.0 if inner == t else 0.0 for t in INNER_TAGS) + tuple(
        1.0 if t in tags else 0.0 for t in PATH_TAGS
    )


@lru_cache(maxsize=512)
def _landmark_flags(bits: int) -> tuple[float, ...]:
    return tuple(float((bits >> k) & 1) for k in range(len(LANDMARK_NAMES)))


@dataclass(frozen=True)
class HtmlPage:
    """A page's rendered blocks as the classifier reads them."""

    columns: np.ndarray  # stage-1 input, (feature_names, blocks)
    ntok: np.ndarray  # tokens per block
    elements: Elements


def _element_columns(elements: Elements, ntok: np.ndarray,
                     links: np.ndarray) -> list[np.ndarray]:
    """The group's share of the page's tokens, its size, its share of the page's prose, its
    link density; then per enclosing level, the element's share of the page's prose tokens,
    the share of its own tokens that are prose, its link density (what a readability-style
    scorer reads off the tree, from the rendered blocks)."""
    prose = np.where(ntok >= PROSE_TOKENS, ntok, 0.0)
    linked = ntok * links
    total = ntok.sum() or 1.0
    total_prose = prose.sum() or 1.0
    group = elements.groups
    tok = group.sums(ntok)
    columns = [tok / total, np.log1p(group.sums(np.ones_like(ntok))),
               group.sums(prose) / total, group.sums(linked) / np.maximum(tok, 1)]
    for level in elements.levels:
        tok = np.maximum(level.sums(ntok), 1)
        inside = level.sums(prose)
        columns += [inside / total_prose, inside / tok, level.sums(linked) / tok]
    return columns


def html_matrix(blocks: Sequence) -> HtmlPage:
    """The stage-1 input of a page's rendered blocks (and what stage 2 reads again)."""
    texts = [b.text for b in blocks]
    text_columns, table, _title = text_features.feature_columns(texts, [b.gap for b in blocks])
    ntok = table.ntok.astype(np.float64)
    doms = [b.dom for b in blocks]
    links = np.array([d.link_density for d in doms], dtype=np.float64)
    elements = Elements.of(blocks)
    columns = np.concatenate([
        _dom_flags(doms), links[None, :],
        np.array(_element_columns(elements, ntok, links)),
        text_columns,
    ])
    return HtmlPage(columns, ntok, elements)


def gains(ntok: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """A block's evidence for its elements: (p - 0.5) * sqrt(tokens + 1)."""
    return (probs - 0.5) * np.sqrt(ntok + 1)


def container_columns(page: HtmlPage, probs: np.ndarray) -> list[np.ndarray]:
    """Stage-2 features of each block's enclosing elements, from the stage-1 scores.

    For the elements ``CONTAINER_LEVELS`` up from the block: the token-weighted mean score
    of the blocks inside, their share of the page's tokens, how many they are. Then the
    element whose blocks add up the most evidence, sum((p - 0.5) * sqrt(tokens + 1)), as a
    readability-style "best candidate": whether the block is inside it, and its strength.
    """
    weights = page.ntok + 1
    total = weights.sum() or 1.0
    columns = []
    for level in page.elements.levels:
        tok = level.sums(weights)
        columns += [level.sums(weights * probs) / tok, tok / total,
                    np.log1p(level.sums(np.ones_like(weights)))]
    gain = gains(page.ntok, probs)
    best, evidence = page.elements.best(gain)
    n = len(probs)
    if best is None:
        return [*columns, np.zeros(n), np.zeros(n)]
    strength = evidence / (gain[gain > 0].sum() or 1.0)
    return [*columns, page.elements.holds(best).astype(np.float64), np.full(n, strength)]


def stage2_matrix(page: HtmlPage, probs: np.ndarray) -> np.ndarray:
    """Stage-2 input: context over the stage-1 scores (neighbours, best segment, windows,
    enclosing elements), then the stage-1 columns."""
    return np.concatenate([text_features.stage2_columns(probs, page.ntok),
                           np.array(container_columns(page, probs)).reshape(-1, len(probs)),
                           page.columns])
