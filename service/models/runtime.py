"""The runtime of the body classifiers: two stages of boosted trees, scored with numpy.

A model file (``data/*_model.json``, written by ``training/``) holds, per stage, LightGBM's
trees laid out as perfect binary trees of one depth: for tree t, node k (heap order) sends a
row left when ``x[feature[t][k]] <= threshold[t][k]``; a leaf above the full depth is
padded with always-left nodes down to it. The distinct tests (feature, threshold) of a
stage, a third of its nodes, are made once for all the blocks of a page; all the trees then
advance together, one level at a time, reading those answers: a few numpy operations per
level instead of a Python comparison per node and block (docs/benchmark.md has the
figures).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
FORMAT = "news-cleaner-forest/1"
# Blocks walked at a time: the walk holds a test answer per (node, block) and a position
# per (tree, block), about 3 KB a block for the text model; a page of 200,000 one-word
# lines would otherwise need 2 GB for a moment. Pages have a few hundred blocks.
CHUNK_BLOCKS = 4096


@dataclass(frozen=True, eq=False)
class Forest:
    """Boosted trees of one stage as perfect trees of ``depth`` levels."""

    depth: int
    feature: np.ndarray  # (trees * inner nodes,) feature index of each inner node
    threshold: np.ndarray  # (trees * inner nodes,) go left when x <= threshold
    leaf: np.ndarray  # (trees * leaves,) leaf values
    n_trees: int

    @classmethod
    def from_json(cls, data: dict) -> Forest:
        depth = int(data["depth"])
        feature = np.asarray(data["feature"], dtype=np.intp).reshape(-1)
        threshold = np.asarray(data["threshold"], dtype=np.float64).reshape(-1)
        leaf = np.asarray(data["leaf"], dtype=np.float64).reshape(-1)
        n_trees = len(data["leaf"])
        return cls(depth, feature, threshold, leaf, n_trees)

    @cached_property
    def _tests(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(feature, threshold) of each distinct test, and the test of each node."""
        pairs = np.stack([self.feature.astype(np.float64), self.threshold])
        tests, node_test = np.unique(pairs, axis=1, return_inverse=True)
        return tests[0].astype(np.intp), tests[1][:, None], node_test.reshape(-1)

    def raw(self, columns: np.ndarray) -> np.ndarray:
        """The summed leaf values of each block; ``columns`` is (features, blocks)."""
        n = columns.shape[1]
        if not self.n_trees or not n:
            return np.zeros(n)
        if n > CHUNK_BLOCKS:  # each block's sum is its own: the same values, bounded memory
            return np.concatenate([self._raw(columns[:, at : at + CHUNK_BLOCKS])
                                   for at in range(0, n, CHUNK_BLOCKS)])
        return self._raw(columns)

    def _raw(self, columns: np.ndarray) -> np.ndarray:
        n = columns.shape[1]
        inner = (1 << self.depth) - 1
        feature, threshold, node_test = self._tests
        # goes_right[t * inner + k, i]: block i leaves node k of tree t to the right
        # (np.take: cheaper than indexing for the same rows).
        goes_right = (np.take(columns, feature, axis=0) > threshold).take(node_test, axis=0)
        # Positions in goes_right as 32-bit integers while the walk's largest (twice the
        # last node's) fits: half the memory to move at each step.
        ints = np.int32 if 2 * self.n_trees * max(inner, 1) * n < 2**31 else np.intp
        # at[i, t]: where in goes_right (flat) the node block i has reached in tree t is;
        # block by block, so that the leaf values come out as the rows that are summed. Heap
        # order within a tree: the children of node k are 2k + 1 and 2k + 2, n places apart
        # per node. The first step reads the root row as it is.
        root = np.add.outer(np.arange(n, dtype=ints),
                            np.arange(self.n_trees, dtype=ints) * ints(inner * n))
        at = root.copy()
        if self.depth:
            at += n + goes_right[::inner].T * ints(n)
        back = root - n
        goes_right = goes_right.reshape(-1)
        for _ in range(self.depth - 1):
            step = goes_right.take(at) * ints(n)  # read before ``at`` moves on, in place
            at *= 2
            at -= back
            at += step
        # The leaf (heap index inner..2 * inner) as an index into self.leaf.
        at -= root
        at //= n
        at += np.arange(self.n_trees, dtype=ints) * ints(inner + 1) - inner
        # Summed tree by tree for each block, in the order of the trees.
        return self.leaf.take(at).sum(axis=1)

    def predict(self, columns: np.ndarray) -> np.ndarray:
        """P(body) of each block; ``columns`` is (features, blocks)."""
        return 1.0 / (1.0 + np.exp(-self.raw(columns)))


@dataclass(frozen=True, eq=False)
class TwoStage:
    """Stage 1 scores each block from its features; stage 2 from context over the stage-1
    scores (neighbours, containers) followed by the stage-1 features."""

    features: tuple[str, ...]
    stage1: Forest
    stage2: Forest

    @classmethod
    def from_json(cls, data: dict) -> TwoStage:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model")
        return cls(tuple(data["features"]), Forest.from_json(data["stage1"]),
                   Forest.from_json(data["stage2"]))

    def score(self, columns: np.ndarray,
              context: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(stage-1, stage-2) probabilities of the blocks of a page given its feature
        ``columns`` (features, blocks); ``context(p1)`` gives the stage-2 columns."""
        p1 = self.stage1.predict(columns)
        return p1, self.stage2.predict(context(p1))


@cache
def load(name: str) -> TwoStage:
    """A shipped model by name (``text_model``, ``html_model``), read once."""
    return load_file(DATA_DIR / f"{name}.json")


def load_file(path: Path) -> TwoStage:
    return TwoStage.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


# Models chosen for a stretch of code (the benchmark's fold models), by name.
_CHOSEN: ContextVar[dict[str, TwoStage] | None] = ContextVar("chosen_models", default=None)


@contextmanager
def using(**models: TwoStage) -> Iterator[None]:
    """Inside the block, ``current(name)`` is the model given for ``name`` (the benchmark
    runs all of ``clean()`` on the fold models this way)."""
    token = _CHOSEN.set({**(_CHOSEN.get() or {}), **models})
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def current(name: str) -> TwoStage:
    """The model in use for ``name``: one chosen by ``using``, else the shipped one."""
    chosen = (_CHOSEN.get() or {}).get(name)
    return chosen if chosen is not None else load(name)
