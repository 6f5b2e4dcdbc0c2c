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

import math
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..engine.render import LANDMARK_NAMES
from . import text_features

# Enclosing elements (1 = the block's own element) whose blocks stage 1 and stage 2 read.
CONTAINER_LEVELS = (2, 3, 4, 6)
# Blocks of at least this many tokens count as prose for the container features.
PROSE_TOKENS = 12
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


def _dom_flags(tags: tuple[str, ...], attrs: tuple[str, ...], landmarks: int, caption: bool,
               chrome: bool, heading: int) -> tuple[float, ...]:
    """The block's DOM features up to ``link_density`` (``dom_feature_names`` order)."""
    return (
        _tag_flags(tags) + _attr_flags(attrs)
        + (float(caption), float(chrome), float(heading), float(len(tags)), float(len(attrs)))
        + _landmark_flags(landmarks)
    )


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


def _groups(blocks: Sequence, ntok: list[int], links: list[float]) -> list[list[float]]:
    """Features of each block's group (same tag path and class values: the items of one
    list, the paragraphs of one story): its share of the page's tokens, its size, its share
    of the page's prose, its link density."""
    keys = [(b.dom.tags[:-1], b.dom.attrs[-GROUP_ATTRS:]) for b in blocks]
    tok: dict = {}
    count: dict = {}
    prose: dict = {}
    linked: dict = {}
    for key, n, ld in zip(keys, ntok, links, strict=True):
        tok[key] = tok.get(key, 0) + n
        count[key] = count.get(key, 0) + 1
        prose[key] = prose.get(key, 0) + (n if n >= PROSE_TOKENS else 0)
        linked[key] = linked.get(key, 0.0) + n * ld
    total = sum(ntok) or 1
    return [[tok[k] / total for k in keys], [math.log1p(count[k]) for k in keys],
            [prose[k] / total for k in keys], [linked[k] / max(tok[k], 1) for k in keys]]


def _by_element(chains: Sequence[tuple[int, ...]], level: int, weights: Sequence[float],
                values: Sequence[float]) -> tuple[list, dict, dict]:
    """For the elements ``level`` up from each block: (each block's element, the weights
    inside each element, the weighted values inside it)."""
    keys = [c[-level] if len(c) >= level else -1 for c in chains]
    tok: dict = {}
    mass: dict = {}
    for key, w, v in zip(keys, weights, values, strict=True):
        tok[key] = tok.get(key, 0) + w
        mass[key] = mass.get(key, 0.0) + w * v
    return keys, tok, mass


def _element_columns(blocks: Sequence, ntok: list[int], links: list[float]) -> list[list[float]]:
    """Per enclosing level: the element's share of the page's prose tokens, the share of
    its own tokens that are prose, its link density (what a readability-style scorer reads
    off the tree, from the rendered blocks)."""
    chains = [b.dom.ids for b in blocks]
    prose = [1.0 if n >= PROSE_TOKENS else 0.0 for n in ntok]
    total_prose = sum(n for n, p in zip(ntok, prose, strict=True) if p) or 1
    columns = []
    for level in CONTAINER_LEVELS:
        keys, tok, mass = _by_element(chains, level, ntok, prose)
        _keys, _tok, linked = _by_element(chains, level, ntok, links)
        columns.append([mass[k] / total_prose for k in keys])
        columns.append([mass[k] / max(tok[k], 1) for k in keys])
        columns.append([linked[k] / max(tok[k], 1) for k in keys])
    return columns


def html_matrix(blocks: Sequence) -> tuple[np.ndarray, list[int]]:
    """The stage-1 input of a page's rendered blocks, (``feature_names``, blocks); and the
    blocks' token counts."""
    texts = [b.text for b in blocks]
    text_columns, info, _title = text_features.feature_columns(texts, [b.gap for b in blocks])
    ntok = [b.ntok for b in info]
    doms = [b.dom for b in blocks]
    links = [d.link_density for d in doms]
    columns: list[Sequence[float]] = list(zip(*(
        _dom_flags(d.tags, d.attrs, d.landmarks, d.caption, d.chrome, d.heading) for d in doms
    ), strict=True))
    columns.append(links)
    columns += _groups(blocks, ntok, links)
    columns += _element_columns(blocks, ntok, links)
    matrix = np.array(columns + list(text_columns), dtype=np.float64)
    return matrix.reshape(-1, len(blocks)), ntok


def container_columns(blocks: Sequence, ntok: Sequence[int],
                      probs: Sequence[float]) -> list[list[float]]:
    """Stage-2 features of each block's enclosing elements, from the stage-1 scores.

    For the elements ``CONTAINER_LEVELS`` up from the block: the token-weighted mean score
    of the blocks inside, their share of the page's tokens, how many they are. Then the
    element whose blocks add up the most evidence, sum((p - 0.5) * sqrt(tokens + 1)), as a
    readability-style "best candidate": whether the block is inside it, and its strength.
    """
    n = len(blocks)
    chains = [b.dom.ids for b in blocks]
    weights = [t + 1 for t in ntok]
    total = sum(weights) or 1
    columns = []
    for level in CONTAINER_LEVELS:
        keys, tok, mass = _by_element(chains, level, weights, probs)
        count: dict = {}
        for key in keys:
            count[key] = count.get(key, 0) + 1
        columns.append([mass[k] / tok[k] for k in keys])
        columns.append([tok[k] / total for k in keys])
        columns.append([math.log1p(count[k]) for k in keys])
    best, evidence, gains = best_element(chains, ntok, probs)
    if best is not None:
        strength = evidence / (sum(g for g in gains if g > 0) or 1.0)
        columns.append([1.0 if best in chain else 0.0 for chain in chains])
    else:
        strength = 0.0
        columns.append([0.0] * n)
    columns.append([strength] * n)
    return columns


def best_element(chains: Sequence[tuple[int, ...]], ntok: Sequence[int],
                 probs: Sequence[float]) -> tuple[int | None, float, list[float]]:
    """(the element whose blocks add up the most evidence, that evidence, each block's gain).

    A block's gain is (p - 0.5) * sqrt(tokens + 1); ``chains`` are the blocks' enclosing
    elements (the ``ids`` hint). Of elements with equal evidence (wrappers of the same
    blocks), the outermost."""
    gains = [(p - 0.5) * math.sqrt(t + 1) for t, p in zip(ntok, probs, strict=True)]
    evidence: dict[int, float] = {}
    for chain, gain in zip(chains, gains, strict=True):
        for key in chain:  # an element is never its own ancestor: no key repeats
            evidence[key] = evidence.get(key, 0.0) + gain
    if not evidence:
        return None, 0.0, gains
    best = max(evidence, key=evidence.__getitem__)
    return best, evidence[best], gains


def stage2_matrix(blocks: Sequence, columns: np.ndarray, ntok: Sequence[int],
                  probs: np.ndarray) -> np.ndarray:
    """Stage-2 input: context over the stage-1 scores (neighbours, best segment, windows,
    enclosing elements), then the stage-1 columns."""
    p = probs.tolist()
    context = text_features.stage2_columns(p, ntok) + container_columns(blocks, ntok, p)
    rows = text_features.STAGE2_COLUMNS + 3 * len(CONTAINER_LEVELS) + 2
    return np.concatenate([np.array(context, dtype=np.float64).reshape(rows, len(p)), columns])
