"""The runtime of the boosted-trees models: load a model file, compile its trees once, score.

Generated nested ``if`` statements run several times faster than walking node lists.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .text_features import DATA_DIR, stage2_columns

MODEL_FILE = DATA_DIR / "text_model.json"


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> dict:
    """The two-stage boosted-trees model (``stage1``, ``stage2``) from JSON."""
    return json.loads(Path(path or MODEL_FILE).read_text(encoding="utf-8"))



# ---------------------------------------------------------------------------
# Scoring and decisions
# ---------------------------------------------------------------------------


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def _tree_source(tree: list, nid: int, indent: str) -> list[str]:
    node = tree[nid]
    if len(node) == 1:
        return [f"{indent}s += {float(node[0])!r}"]
    feat, thr = int(node[0]), float(node[1])
    return (
        [f"{indent}if x{feat} <= {thr!r}:"]
        + _tree_source(tree, 2 * nid + 1, indent + " ")
        + [f"{indent}else:"]
        + _tree_source(tree, 2 * nid + 2, indent + " ")
    )


def _used_features(model: dict) -> list[int]:
    """The features the trees split on, in order."""
    splits = [node for tree in model["trees"] for node in tree if node and len(node) == 2]
    return sorted({int(node[0]) for node in splits})


def _trees_body(model: dict, indent: str) -> list[str]:
    """Source lines that add the trees' raw score of the row ``x`` to ``s``."""
    # Each feature the trees split on is read into a local once: a few hundred comparisons
    # per row read far fewer distinct features.
    lines = [f"{indent}s = {float(model['base'])!r}"]
    lines += [f"{indent}x{k} = x[{k}]" for k in _used_features(model)]
    for tree in model["trees"]:
        lines += _tree_source(tree, 0, indent)
    return lines


def _exec_source(lines: list[str]):
    scope: dict = {"exp": math.exp}
    exec(compile("\n".join(lines), "<text-model>", "exec"), scope)  # noqa: S102
    return scope["f"]


def compile_trees(model: dict):
    """Turn boosted trees (JSON numbers only) into one Python function x -> probability.

    Generated nested ``if`` statements run several times faster than walking node lists.
    """
    raw = _exec_source(["def f(x):", *_trees_body(model, " "), " return s"])
    return lambda x: _sigmoid(raw(x))


def compile_trees_batch(model: dict):
    """``compile_trees`` for a list of rows at once (rows -> probabilities): the loop runs
    inside the generated function, one call per page instead of one per block."""
    # The probability is computed in place, as _sigmoid does it (one call less per block).
    return _exec_source([
        "def f(rows):", " out = []", " for x in rows:", *_trees_body(model, "  "),
        "  out.append(0.0 if s < -30 else 1.0 if s > 30 else 1.0 / (1.0 + exp(-s)))",
        " return out",
    ])


def _merged_trees_source(model: dict, indent: str) -> list[str]:
    """Source lines that set ``s`` to the trees' raw score of the features ``x<k>``, with
    each comparison that several trees make at the same depth made once for all of them.

    Trees often split on the same feature at the same threshold (the 690 splits of the
    stage-1 trees test 238 distinct conditions): the trees are walked together, those whose
    current nodes test the same condition sharing one ``if``, and tree k's leaf value goes
    to ``t<k>``. The values are then added up in the trees' order, as the one tree after
    another code does, so the score is the same float to the last bit.
    """
    trees = model["trees"]

    def walk(nodes: list[tuple[int, int]], ind: str) -> list[str]:
        """The code of the subtrees rooted at ``nodes`` (tree index, node index)."""
        lines = []
        groups: dict[tuple[int, float], list[tuple[int, int]]] = {}
        for k, nid in nodes:
            node = trees[k][nid]
            if len(node) == 1:
                lines.append(f"{ind}t{k} = {float(node[0])!r}")
            else:
                groups.setdefault((int(node[0]), float(node[1])), []).append((k, nid))
        for (feat, thr), members in groups.items():
            lines.append(f"{ind}if x{feat} <= {thr!r}:")
            lines += walk([(k, 2 * nid + 1) for k, nid in members], ind + " ")
            lines.append(f"{ind}else:")
            lines += walk([(k, 2 * nid + 2) for k, nid in members], ind + " ")
        return lines

    total = " + ".join([repr(float(model["base"]))] + [f"t{k}" for k in range(len(trees))])
    return [*walk([(k, 0) for k in range(len(trees))], indent), f"{indent}s = {total}"]


def compile_trees_columns(model: dict):
    """``compile_trees_batch`` for a page given column by column (columns -> probabilities,
    one per block): the features the trees read are zipped from their columns straight into
    the locals, with no rows to build and none to index into."""
    used = _used_features(model)
    if used:
        names = "".join(f"x{k}, " for k in used)
        loop = f" for {names}in zip({', '.join(f'columns[{k}]' for k in used)}):"
    else:  # trees without a split (a constant): one score per block all the same
        loop = " for _ in columns[0]:"
    return _exec_source([
        "def f(columns):", " out = []", loop, *_merged_trees_source(model, "  "),
        "  out.append(0.0 if s < -30 else 1.0 if s > 30 else 1.0 / (1.0 + exp(-s)))",
        " return out",
    ])


_COMPILED: dict[int, tuple] = {}


def _compiled(model: dict) -> tuple:
    key = id(model)
    if key not in _COMPILED:
        _COMPILED[key] = (model, compile_trees_columns(model["stage1"]),
                          compile_trees_columns(model["stage2"]))
    return _COMPILED[key][1:]

def predict_proba(rows: Sequence[Sequence[float]], ntoks: Sequence[int],
                  model: dict) -> list[float]:
    """Body probability of each block: stage-1 trees, then stage-2 trees on the context."""
    if not rows:
        return []
    return predict_columns(list(zip(*rows, strict=True)), ntoks, model)


def predict_columns(columns: Sequence[Sequence[float]], ntoks: Sequence[int],
                     model: dict) -> list[float]:
    """``predict_proba`` of the feature columns of a page (not empty)."""
    f1, f2 = _compiled(model)
    p1 = f1(columns)
    # Stage 2 reads its context features, then the stage-1 features.
    return f2([*stage2_columns(p1, ntoks), *columns])


