"""Shingle-overlap metric of the article-extraction benchmark.

A body is tokenised into ``\\w+`` runs and turned into a multiset of 4-token shingles
(a text of 1-3 tokens yields one shorter shingle, an empty text none). Per page, the
shingle counts of true positives, false positives and false negatives are normalised to
sum to 1; precision is averaged over the pages with a non-empty prediction, recall over the
pages with a non-empty gold body, and F1 is the harmonic mean of those two averages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")

PageCounts = tuple[float, float, float]


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of ``size``-token shingles of ``text``."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        # Short texts still count as one (short) shingle, as in the reference benchmark.
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(gold: str | None, pred: str | None) -> PageCounts:
    """Normalised (tp, fp, fn) of one page; (0, 0, 0) when both bodies are empty."""
    g, p = shingles(gold), shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def _ratio(tp: float, other: float) -> float:
    return tp / (tp + other) if tp + other else 0.0


def _precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else _ratio(tp, fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else _ratio(tp, fn)


def score_counts(rows: Iterable[PageCounts]) -> tuple[float, float, float]:
    """(f1, precision, recall) from per-page normalised counts."""
    rows = list(rows)
    # A page with nothing predicted has no precision; a page with an empty gold no recall.
    ps = [_precision(*r) for r in rows if r[0] + r[1] > 0]
    rs = [_recall(*r) for r in rows if r[0] + r[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, p, r


def score(pairs: Iterable[tuple[str | None, str | None]]) -> tuple[float, float, float]:
    """(f1, precision, recall) over ``(gold, pred)`` pairs, one per page."""
    return score_counts(page_counts(g, p) for g, p in pairs)


# trafilatura's evaluation corpus: snippets that belong to the main text (`with`) and
# snippets that do not (`without`), scored as its tests/evaluate.py does.
SnippetCounts = tuple[int, int, int, int]  # tp, fp, fn, tn


def _folded(text: str | None) -> str:
    return " ".join((text or "").split())


def snippet_counts(with_: Iterable[str], without: Iterable[str],
                   pred: str | None) -> SnippetCounts:
    """(tp, fp, fn, tn) of one page: a `with` snippet found in the output (white space
    folded, as a substring) is a true positive, else a false negative; a `without` snippet
    found is a false positive, else a true negative."""
    out = _folded(pred)
    found = [_folded(s) in out for s in with_]
    leaked = [_folded(s) in out for s in without]
    tp, fp = sum(found), sum(leaked)
    return tp, fp, len(found) - tp, len(leaked) - fp


def score_snippets(rows: Iterable[SnippetCounts]) -> tuple[float, float, float]:
    """(f1, precision, recall) over the set: counts summed over pages, as trafilatura's
    evaluation does."""
    tp = fp = fn = 0
    for a, b, c, _d in rows:
        tp, fp, fn = tp + a, fp + b, fn + c
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r
