"""Features of rendered HTML blocks for the block classifier, and its two-stage scoring.

Stage 1 reads what the DOM says about the block (tag path, sectioning landmarks, class/id
words such as comment, related, share, footer; link density; heading), whether its text is
in an extractor's view of the page, and what its text looks like (the features of
:mod:`service.models.text_features`). Stage 2 reads the stage-1 scores of the block's
neighbours and of its enclosing elements: an article's paragraphs share a container.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from ..engine.render import LANDMARK_NAMES
from . import runtime, text_features

HTML_MODEL_FILE = text_features.DATA_DIR / "html_model.json"
# Enclosing elements (1 = the block's own element) whose blocks' stage-1 scores stage 2 reads.
CONTAINER_LEVELS = (2, 3, 4, 6)
# A body shorter than this is a menu or an error page, not an article.
# Blocks of at least this many tokens count as prose for the container features.
PROSE_TOKENS = 12
SHINGLE = 4
CLIP_DISTANCE = 30
# Substring checks allowed for placing trafilatura's lines in blocks (per page).
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
    """Names of the DOM and trafilatura features, in order (text features follow)."""
    names = [f"inner_{t}" for t in INNER_TAGS] + [f"path_{t}" for t in PATH_TAGS]
    names += [f"attr_{k}" for k in ATTR_WORDS] + [f"attr_inner_{k}" for k in ATTR_WORDS]
    names += ["caption", "chrome", "heading", "depth", "n_attrs"]
    names += [f"in_{name}" for name in LANDMARK_NAMES]
    names += ["link_density"]
    names += ["extracted", "extracted_share", "in_extracted_span", "extracted_dist",
              "group_extracted", "group_token_share", "group_log_blocks", "group_prose_share"]
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


def _ngrams(tokens: list[str], size: int) -> list[tuple[str, ...]]:
    """The token n-grams of a run (zip of shifted copies; it stops at the shortest)."""
    return list(zip(*(tokens[k:] for k in range(size)), strict=False))


def _extracted(tokens: list[list[str]], extracted: str) -> tuple[list[float], list[float]]:
    """Per block: its whole token run is in the extractor's output; share of its shingles.

    Lookups of token n-grams instead of a substring search of the output per block (which
    made a page of thousands of blocks quadratic): a run of under SHINGLE tokens is in the
    output when it is one of the output's n-grams of its size; a longer run can only be in
    it when all its shingles are, and then it is compared with the output where its rarest
    shingle occurs.
    """
    ext = _WORD.findall(extracted)
    grams = [set(_ngrams(ext, size)) for size in range(1, SHINGLE)]
    where: dict[tuple[str, ...], list[int]] = {}
    for at, gram in enumerate(_ngrams(ext, SHINGLE)):
        where.setdefault(gram, []).append(at)
    member, share = [], []
    for toks in tokens:
        size = len(toks)
        if size < SHINGLE:
            inside = 1.0 if size and tuple(toks) in grams[size - 1] else 0.0
            member.append(inside)
            share.append(inside)
            continue
        sh = _ngrams(toks, SHINGLE)
        found = sum(map(where.__contains__, sh)) / len(sh)
        share.append(found)
        inside = 0.0
        if found == 1.0:
            offset, starts = min(enumerate(map(where.__getitem__, sh)),
                                 key=lambda item: len(item[1]))
            if any(ext[at - offset : at - offset + size] == toks
                   for at in starts if at >= offset):
                inside = 1.0
        member.append(inside)
    return member, share


def _groups(blocks: Sequence, ntok: list[int], share: list[float]) -> list[list[float]]:
    """Features of each block's container (same tag path and class values): how much of it
    was extracted, its share of the page's tokens and prose, its size."""
    keys = [(b.dom.tags[:-1], b.dom.attrs[-GROUP_ATTRS:]) for b in blocks]
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


def block_columns(blocks: Sequence, extracted: str) -> tuple[list[Sequence[float]], list[int]]:
    """The features of the rendered blocks of a page, column by column (``feature_names``
    order), given the extractor's output text; and the blocks' token counts.

    Columns, not rows: the compiled trees read the columns they split on straight from
    them, and stage 2 adds its columns in front without copying a row per block.
    """
    tokens = [_WORD.findall(b.text) for b in blocks]
    ntok = [len(t) for t in tokens]
    member, share = _extracted(tokens, extracted)
    doms = [b.dom for b in blocks]
    columns: list[Sequence[float]] = list(zip(*(
        _dom_flags(d.tags, d.attrs, d.landmarks, d.caption, d.chrome, d.heading) for d in doms
    ), strict=True))
    columns.append([d.link_density for d in doms])
    columns += [member, share]
    columns += list(zip(*_span_features(member, ntok), strict=True))
    columns += list(zip(*_groups(blocks, ntok, share), strict=True))
    text_columns, _info, _title = text_features.feature_columns(
        [b.text for b in blocks], [b.gap for b in blocks]
    )
    return columns + list(text_columns), ntok


def block_features(blocks: Sequence, extracted: str) -> tuple[list[list[float]], list[int]]:
    """``block_columns`` as one row per block (training and tests)."""
    if not blocks:
        return [], []
    columns, ntok = block_columns(blocks, extracted)
    return text_features.transpose(columns), ntok


@lru_cache(maxsize=1)
def load_html_model() -> dict | None:
    """The block classifier (boosted trees) or None when it was not trained."""
    if not HTML_MODEL_FILE.exists():
        return None
    return json.loads(HTML_MODEL_FILE.read_text(encoding="utf-8"))


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
    masses = [w * p for w, p in zip(weights, probs, strict=True)]
    total = sum(weights) or 1
    columns = []
    for level in CONTAINER_LEVELS:
        keys = [c[-level] if len(c) >= level else -1 for c in chains]
        tok: dict = {}
        mass: dict = {}
        count: dict = {}
        for key, w, m in zip(keys, weights, masses, strict=True):
            tok[key] = tok.get(key, 0) + w
            mass[key] = mass.get(key, 0.0) + m
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


def stage2_columns(blocks: Sequence, columns: Sequence[Sequence[float]],
                   ntok: Sequence[int], probs: Sequence[float]) -> list[Sequence[float]]:
    """Stage-2 input: context over the stage-1 scores (neighbours, best segment, windows,
    enclosing elements), then the stage-1 features."""
    return [*text_features.stage2_columns(probs, ntok), *container_columns(blocks, ntok, probs),
            *columns]


def stage2_rows(blocks: Sequence, rows: Sequence[Sequence[float]], ntok: Sequence[int],
                probs: Sequence[float]) -> list[list[float]]:
    """``stage2_columns`` as one row per block, from stage-1 rows (training)."""
    if not rows:
        return []
    columns = list(zip(*rows, strict=True))
    return text_features.transpose(stage2_columns(blocks, columns, ntok, probs))


_COMPILED: dict[int, tuple] = {}


def _scorers(model: dict) -> tuple:
    key = id(model)
    if key not in _COMPILED:
        # Keep the model referenced so its id is not reused while cached.
        _COMPILED[key] = (model, runtime.compile_trees_columns(model["stage1"]),
                          runtime.compile_trees_columns(model["stage2"]))
    return _COMPILED[key][1:]


def block_scores(blocks: Sequence, view: str, model: dict) -> tuple[list[float], list[int]]:
    """Body probability of each rendered block (and its token count)."""
    columns, ntok = block_columns(blocks, view)
    stage1, stage2 = _scorers(model)
    probs = stage1(columns)
    return stage2(stage2_columns(blocks, columns, ntok, probs)), ntok


