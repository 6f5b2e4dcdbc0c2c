"""The enclosing elements of a page's rendered blocks, as index arrays for numpy.

Each rendered block knows the elements it sits in (the ``ids`` hint, outermost first). The
container features sum block values per element (its tokens, prose, links, scores) and
hand each block its element's sums: with each block's element as an index, that is one
``bincount`` and one gather per value, for any number of blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

# Enclosing elements (1 = the block's own element) whose blocks' values the features read.
CONTAINER_LEVELS = (2, 3, 4, 6)
# How many enclosing elements' class/id values describe a block's group.
GROUP_ATTRS = 3


@dataclass(frozen=True)
class Grouping:
    """Which group each block is in (``index``), and how many groups there are."""

    index: np.ndarray
    size: int

    def sums(self, values: np.ndarray) -> np.ndarray:
        """For each block, the sum of ``values`` over the blocks of its group."""
        return np.bincount(self.index, values, self.size)[self.index]


def _grouping(keys: np.ndarray) -> Grouping:
    _unique, index = np.unique(keys, return_inverse=True)
    return Grouping(index.reshape(-1), len(_unique))


@dataclass(frozen=True)
class Elements:
    """A page's blocks and the elements around them."""

    levels: tuple[Grouping, ...]  # the element CONTAINER_LEVELS[k] up from each block
    groups: Grouping  # same tag path and nearest class values: one list, one story
    pair_block: np.ndarray  # (block, enclosing element) pairs: the block
    pair_element: np.ndarray  # ... and the element, numbered in order of first appearance
    element_ids: np.ndarray  # the parser's node id of each numbered element

    @classmethod
    def of(cls, blocks: Sequence) -> Elements:
        chains = [b.dom.ids for b in blocks]
        lengths = np.fromiter(map(len, chains), dtype=np.intp, count=len(chains))
        flat = np.fromiter(chain.from_iterable(chains), dtype=np.int64, count=int(lengths.sum()))
        ends = np.cumsum(lengths)
        levels = []
        for level in CONTAINER_LEVELS:
            inside = lengths >= level
            keys = np.full(len(chains), -1, dtype=np.int64)
            keys[inside] = flat[ends[inside] - level]
            levels.append(_grouping(keys))
        number: dict = {}
        group = np.fromiter(
            (number.setdefault((b.dom.tags[:-1], b.dom.attrs[-GROUP_ATTRS:]), len(number))
             for b in blocks), dtype=np.intp, count=len(chains))
        # Elements numbered in order of first appearance (outermost first along a chain).
        ids, first, pair_element = np.unique(flat, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return cls(tuple(levels), Grouping(group, len(number)),
                   np.repeat(np.arange(len(chains), dtype=np.intp), lengths),
                   rank[pair_element.reshape(-1)], ids[order])

    def best(self, gains: np.ndarray) -> tuple[int | None, float]:
        """(the element whose blocks' gains add up the most, that sum); of elements with
        equal sums (wrappers of the same blocks), the outermost."""
        if not len(self.pair_block):
            return None, 0.0
        evidence = np.bincount(self.pair_element, gains[self.pair_block],
                               len(self.element_ids))
        k = int(np.argmax(evidence))
        return k, float(evidence[k])

    def holds(self, element: int) -> np.ndarray:
        """Whether each block is inside the numbered element."""
        inside = np.zeros(len(self.groups.index), dtype=bool)
        inside[self.pair_block[self.pair_element == element]] = True
        return inside
