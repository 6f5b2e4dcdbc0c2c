"""Two-stage boosted trees with LightGBM, exported in the runtime's format.

Each stage is fitted with early stopping on a validation split grouped by site (sites
chosen by a hash, never the pages of one site on both sides), then refitted on all its
pages with the number of trees that split found best. Fixed seed, one deterministic
LightGBM configuration: a rerun on the same data writes the same bytes.

Stage 2 learns from out-of-fold stage-1 scores (inner folds by site), so it sees the kind
of noisy scores it gets on unseen pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np

from service.models.runtime import FORMAT, Forest

DEPTH = 4
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "max_depth": DEPTH,
    "num_leaves": 1 << DEPTH,
    "min_data_in_leaf": 20,
    "min_sum_hessian_in_leaf": 1e-3,
    "lambda_l2": 1.0,
    "max_bin": 63,
    "feature_fraction": 1.0,
    "bagging_fraction": 1.0,
    "seed": 7,
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
MAX_TREES = 300
PATIENCE = 30
VALID_SHARE = 5  # one site in this many goes to the early-stopping split
# Stands for +inf in JSON: the padding nodes of a short branch always send rows left.
ALWAYS_LEFT = 1e300


@dataclass
class PageRows:
    """One page's blocks for training: features, labels and weights (0 = unlabelled)."""

    site: str
    fold: int
    x: np.ndarray  # (features, blocks), as the runtime reads them
    y: np.ndarray
    w: np.ndarray
    context: Callable[[np.ndarray], np.ndarray]  # stage-1 scores -> stage-2 rows


def _valid_site(site: str) -> bool:
    return int(hashlib.md5(f"valid:{site}".encode()).hexdigest(), 16) % VALID_SHARE == 0


def _stack(pages: Sequence[PageRows], xs: Sequence[np.ndarray]):
    keep = [p.w > 0 for p in pages]
    x = np.concatenate([a[:, k].T for a, k in zip(xs, keep, strict=True)])
    y = np.concatenate([p.y[k] for p, k in zip(pages, keep, strict=True)])
    w = np.concatenate([p.w[k] for p, k in zip(pages, keep, strict=True)])
    return x, y, w


def fit_stage(pages: Sequence[PageRows], xs: Sequence[np.ndarray],
              params: dict | None = None) -> Forest:
    """One stage: early stopping on a site-grouped split, then a refit on every page."""
    params = PARAMS if params is None else params
    valid = [_valid_site(p.site) for p in pages]
    fit_on = [i for i, v in enumerate(valid) if not v]
    held = [i for i, v in enumerate(valid) if v]
    rounds = MAX_TREES
    if fit_on and held:
        train = _dataset(pages, xs, fit_on)
        check = _dataset(pages, xs, held, reference=train)
        booster = lgb.train(params, train, MAX_TREES, valid_sets=[check],
                            callbacks=[lgb.early_stopping(PATIENCE, verbose=False)])
        rounds = max(booster.best_iteration, 1)
    booster = lgb.train(params, _dataset(pages, xs, range(len(pages))), rounds)
    return export(booster)


def _dataset(pages, xs, idx, reference=None) -> lgb.Dataset:
    x, y, w = _stack([pages[i] for i in idx], [xs[i] for i in idx])
    return lgb.Dataset(x, label=y, weight=w, reference=reference,
                       params={"max_bin": PARAMS["max_bin"], "verbose": -1})


def fit_averaged(pages: Sequence[PageRows], xs: Sequence[np.ndarray], params: dict,
                 seeds: Sequence[int]) -> Forest:
    """One stage fitted once per seed (``fit_stage``), the forests averaged: their trees
    one after the other, each leaf divided by the number of seeds."""
    if len(seeds) == 1:
        return fit_stage(pages, xs, {**params, "seed": seeds[0]})
    forests = [fit_stage(pages, xs, {**params, "seed": s}) for s in seeds]
    return Forest(DEPTH, np.concatenate([f.feature for f in forests]),
                  np.concatenate([f.threshold for f in forests]),
                  np.concatenate([f.leaf / len(forests) for f in forests]),
                  sum(f.n_trees for f in forests))


def fit_two_stage(pages: Sequence[PageRows], stage2_params: dict | None = None,
                  stage2_seeds: Sequence[int] = (PARAMS["seed"],)) -> tuple[
                      Forest, Forest, dict]:
    """(stage 1, stage 2, their JSON) fitted on ``pages``; stage 2 with ``stage2_params``
    (default ``PARAMS``), averaged over ``stage2_seeds``."""
    folds = sorted({p.fold for p in pages})
    oof: list[np.ndarray | None] = [None] * len(pages)
    for k in folds:
        inner = [i for i, p in enumerate(pages) if p.fold != k]
        model = fit_stage([pages[i] for i in inner], [pages[i].x for i in inner])
        for i, p in enumerate(pages):
            if p.fold == k:
                oof[i] = model.predict(p.x)
    stage1 = fit_stage(pages, [p.x for p in pages])
    ctx = [p.context(o) for p, o in zip(pages, oof, strict=True)]
    stage2 = fit_averaged(pages, ctx, stage2_params or PARAMS, stage2_seeds)
    return stage1, stage2, {"stage1": to_json(stage1), "stage2": to_json(stage2)}


def model_json(features: Sequence[str], stages: dict) -> dict:
    return {"format": FORMAT, "features": list(features), **stages}


# ---------------------------------------------------------------------------
# LightGBM trees -> perfect trees
# ---------------------------------------------------------------------------


def export(booster: lgb.Booster) -> Forest:
    """The booster's trees as the runtime's perfect trees of depth ``DEPTH``."""
    inner = (1 << DEPTH) - 1
    trees = booster.dump_model()["tree_info"]
    feature = np.zeros((len(trees), inner), dtype=np.intp)
    threshold = np.full((len(trees), inner), ALWAYS_LEFT)
    leaf = np.zeros((len(trees), inner + 1))
    for t, info in enumerate(trees):
        _fill(info["tree_structure"], 0, 0, feature[t], threshold[t], leaf[t])
    return Forest(DEPTH, feature.reshape(-1), threshold.reshape(-1), leaf.reshape(-1),
                  len(trees))


def _fill(node: dict, k: int, depth: int, feature, threshold, leaf) -> None:
    inner = len(feature)
    if depth == DEPTH:
        leaf[k - inner] = node["leaf_value"]
        return
    if "leaf_value" in node:  # a short branch: padded with always-left nodes
        _fill(node, 2 * k + 1, depth + 1, feature, threshold, leaf)
        _fill(node, 2 * k + 2, depth + 1, feature, threshold, leaf)
        return
    if node.get("decision_type", "<=") != "<=":
        raise ValueError("only numerical <= splits are supported")
    feature[k] = node["split_feature"]
    threshold[k] = node["threshold"]
    _fill(node["left_child"], 2 * k + 1, depth + 1, feature, threshold, leaf)
    _fill(node["right_child"], 2 * k + 2, depth + 1, feature, threshold, leaf)


def to_json(forest: Forest) -> dict:
    inner = (1 << forest.depth) - 1
    shape = (forest.n_trees, inner)
    return {
        "depth": forest.depth,
        "feature": forest.feature.reshape(shape).tolist(),
        "threshold": forest.threshold.reshape(shape).tolist(),
        "leaf": forest.leaf.reshape(forest.n_trees, inner + 1).tolist(),
    }
