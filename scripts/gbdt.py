"""Small gradient-boosted decision trees (logistic loss) for the training scripts (numpy).

Histogram splits over feature quantiles; trees are exported as plain JSON (heap-ordered
nodes: ``[feature, threshold]`` for a split, taken left when ``x[feature] <= threshold``,
``[leaf_value]`` for a leaf) so that inference needs no numpy.
"""

from __future__ import annotations

import numpy as np

N_BINS = 32
MIN_NODE = 20
MIN_HESS = 1e-3


def _edges(x: np.ndarray) -> list[np.ndarray]:
    qs = np.linspace(0, 1, N_BINS + 1)[1:-1]
    return [np.unique(np.quantile(x[:, j], qs)) for j in range(x.shape[1])]


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, n_trees: int = 100, depth: int = 3,
        lr: float = 0.1, l2: float = 1.0) -> dict:
    """Boosted trees for P(y=1 | x) with sample weights ``w``."""
    w = w / w.sum() * len(w)
    edges = _edges(x)
    bins = np.column_stack(
        [np.searchsorted(e, x[:, j], side="left") for j, e in enumerate(edges)]
    ).astype(np.int32)
    base = float(np.log((np.sum(w * y) + 1) / (np.sum(w * (1 - y)) + 1)))
    raw = np.full(len(x), base)
    trees = []
    for _ in range(n_trees):
        p = 1 / (1 + np.exp(-raw))
        g, h = w * (p - y), w * p * (1 - p)
        nodes: dict[int, list] = {}
        _grow(np.arange(len(x)), 0, 0, bins, edges, g, h, depth, lr, l2, nodes)
        tree = [nodes.get(i) for i in range(max(nodes) + 1)]
        trees.append(tree)
        raw += predict_tree(tree, x)
    return {"base": base, "trees": trees}


def _grow(idx, d, nid, bins, edges, g, h, depth, lr, l2, nodes) -> None:
    gs, hs = g[idx].sum(), h[idx].sum()
    leaf = [round(float(-gs / (hs + l2) * lr), 6)]
    if d == depth or len(idx) < MIN_NODE:
        nodes[nid] = leaf
        return
    best_gain, best = 0.0, None
    parent = gs * gs / (hs + l2)
    sub, gi, hi = bins[idx], g[idx], h[idx]
    for j in range(bins.shape[1]):
        gl = np.cumsum(np.bincount(sub[:, j], weights=gi, minlength=N_BINS + 1))[:-1]
        hl = np.cumsum(np.bincount(sub[:, j], weights=hi, minlength=N_BINS + 1))[:-1]
        gr, hr = gs - gl, hs - hl
        gain = gl * gl / (hl + l2) + gr * gr / (hr + l2) - parent
        gain[(hl <= MIN_HESS) | (hr <= MIN_HESS)] = -1.0
        k = int(np.argmax(gain))
        if gain[k] > best_gain and k < len(edges[j]):
            best_gain, best = gain[k], (j, k)
    if best is None:
        nodes[nid] = leaf
        return
    j, k = best
    nodes[nid] = [j, float(edges[j][k])]
    left = sub[:, j] <= k
    _grow(idx[left], d + 1, 2 * nid + 1, bins, edges, g, h, depth, lr, l2, nodes)
    _grow(idx[~left], d + 1, 2 * nid + 2, bins, edges, g, h, depth, lr, l2, nodes)


def predict_tree(tree: list, x: np.ndarray) -> np.ndarray:
    out = np.zeros(len(x))

    def walk(nid: int, idx: np.ndarray) -> None:
        node = tree[nid]
        if len(node) == 1:
            out[idx] = node[0]
            return
        left = x[idx, node[0]] <= node[1]
        walk(2 * nid + 1, idx[left])
        walk(2 * nid + 2, idx[~left])

    walk(0, np.arange(len(x)))
    return out


def predict(model: dict, x: np.ndarray) -> np.ndarray:
    raw = np.full(len(x), model["base"])
    for tree in model["trees"]:
        raw += predict_tree(tree, x)
    return 1 / (1 + np.exp(-raw))


def stack(mats: dict, ids: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, w) of the pages ``ids``; ``mats[i]`` starts with (rows, labels, weights)."""
    x = [r for i in ids for r in mats[i][0]]
    y = [v for i in ids for v in mats[i][1]]
    w = [v for i in ids for v in mats[i][2]]
    return np.array(x, dtype=float), np.array(y, dtype=float), np.array(w, dtype=float)


def fit_two_stage(mats: dict, ids: list, fold: dict, context, stage1_trees: int,
                  stage2_trees: int) -> tuple[dict, dict]:
    """Stage-1 trees on block features; stage-2 trees on context over stage-1 probabilities.

    Stage 2 learns from out-of-fold stage-1 probabilities (inner folds by site), so it sees
    the kind of noisy scores it will get on unseen pages. ``context(page_id, probs)`` gives
    a page's stage-2 rows."""
    oof: dict = {}
    for k in sorted({fold[i] for i in ids}):
        model = fit(*stack(mats, [i for i in ids if fold[i] != k]), n_trees=stage1_trees)
        for i in ids:
            if fold[i] == k:
                rows = np.array(mats[i][0], dtype=float)
                oof[i] = list(predict(model, rows)) if len(rows) else []
    stage1 = fit(*stack(mats, ids), n_trees=stage1_trees)
    ctx = {i: (context(i, oof[i]), *mats[i][1:3]) for i in ids}
    stage2 = fit(*stack(ctx, ids), n_trees=stage2_trees)
    return stage1, stage2


def write_cv_models(name, fit_on, ids, fold, out_dir, n_folds):
    """Fit one model per fold on the other folds' pages (the out-of-sample figures) and one
    on every page (the model the service uses); write `<name>.json` and `<name>_folds.json`.

    `fit_on(page_ids)` returns a model as JSON-ready data."""
    import json
    from pathlib import Path

    folds = []
    for k in range(n_folds):
        folds.append(fit_on([i for i in ids if fold[i] != k]))
        print(f"fold {k} done", flush=True)
    out = Path(out_dir)
    (out / f"{name}.json").write_text(json.dumps(fit_on(ids)) + "\n")
    (out / f"{name}_folds.json").write_text(
        json.dumps({"n_folds": n_folds, "fold_key": "md5(url host) % n_folds", "models": folds})
        + "\n"
    )
