"""Block labels from the two benchmarks' annotations.

- article benchmark (a gold body): a block is body when most of its word 4-shingles (or,
  under four words, its whole word run) occur in the gold body; a short block only when it
  sits next to long body blocks ("Health" in a menu also occurs in the article).
- trafilatura's corpus (snippets): a block that holds a `with` snippet, or part of one that
  spans blocks, is body; one that holds a `without` snippet is not; the others are
  unlabelled (weight 0).

Weights follow the metrics: blocks count by sqrt(words + 1), each page sums to 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

LABEL_MIN_SHARE = 0.5
SHORT_LABEL_REACH = 3
SHINGLE = 4
_TOKEN = re.compile(r"\w+")

Labels = tuple[list[int], list[float]]


def gold_labels(blocks: Sequence[str], gold: str) -> Labels:
    """(label, weight) of each block against a gold body."""
    gold_toks = _TOKEN.findall(gold)
    gold_str = " " + " ".join(gold_toks) + " "
    gold_sh = {tuple(gold_toks[i : i + SHINGLE]) for i in range(len(gold_toks) - SHINGLE + 1)}
    tokens = [_TOKEN.findall(b) for b in blocks]
    out = []
    for toks in tokens:
        if not toks:
            out.append(0)
        elif len(toks) < SHINGLE:
            out.append(int((" " + " ".join(toks) + " ") in gold_str))
        else:
            sh = [tuple(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)]
            out.append(int(sum(s in gold_sh for s in sh) / len(sh) > LABEL_MIN_SHARE))
    long_body = [i for i, t in enumerate(tokens) if out[i] and len(t) >= SHINGLE]
    for i, toks in enumerate(tokens):
        if out[i] and len(toks) < SHINGLE:
            out[i] = int(any(abs(i - j) <= SHORT_LABEL_REACH for j in long_body))
    return out, _weights([len(t) for t in tokens], [1] * len(tokens))


def snippet_labels(blocks: Sequence[str], with_: Sequence[str],
                   without: Sequence[str]) -> Labels:
    """(label, weight) of each block from the snippets; unlabelled blocks weigh 0."""
    folded = [" ".join(b.split()) for b in blocks]
    starts, pos = [], 0
    for b in folded:
        starts.append(pos)
        pos += len(b) + 1
    page = " ".join(folded)
    body = _holding(page, starts, with_)
    furniture = _holding(page, starts, without)
    labels, known = [], []
    for i in range(len(blocks)):
        labels.append(1 if i in body and i not in furniture else 0)
        known.append(1 if (i in body) != (i in furniture) else 0)
    return labels, _weights([len(_TOKEN.findall(b)) for b in blocks], known)


def _holding(page: str, starts: list[int], snippets: Sequence[str]) -> set[int]:
    """The blocks every occurrence of each snippet overlaps."""
    import bisect

    found: set[int] = set()
    for snippet in snippets:
        key = " ".join(snippet.split())
        if not key:
            continue
        at = page.find(key)
        while at >= 0:
            first = bisect.bisect_right(starts, at) - 1
            last = bisect.bisect_right(starts, at + len(key) - 1) - 1
            found.update(range(first, last + 1))
            at = page.find(key, at + 1)
    return found


def _weights(ntok: Sequence[int], known: Sequence[int]) -> list[float]:
    raw = [math.sqrt(n + 1) * k for n, k in zip(ntok, known, strict=True)]
    total = sum(raw) or 1.0
    return [r / total for r in raw]
