"""The models' runtime: LightGBM's trees exported as perfect trees score what LightGBM
scores, and training is deterministic."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from service.models import runtime


def _plain_raw(forest: runtime.Forest, row: list[float]) -> float:
    inner = (1 << forest.depth) - 1
    total = 0.0
    for t in range(forest.n_trees):
        k = 0
        while k < inner:
            go_right = row[forest.feature[t * inner + k]] > forest.threshold[t * inner + k]
            k = 2 * k + 1 + int(go_right)
        total += forest.leaf[t * (inner + 1) + k - inner]
    return total


@pytest.mark.parametrize("name", ["text_model", "html_model"])
def test_numpy_walk_is_the_plain_tree_walk(name):
    model = runtime.load(name)
    rnd = random.Random(3)
    columns = np.array([[rnd.choice([0.0, 1.0, -1.0, rnd.random() * 5]) for _ in range(40)]
                        for _ in model.features])
    got = model.stage1.raw(columns)
    want = [_plain_raw(model.stage1, list(columns[:, i])) for i in range(40)]
    assert np.allclose(got, want, rtol=0, atol=1e-12)


def test_a_long_page_is_walked_in_chunks_with_the_same_scores():
    """Past CHUNK_BLOCKS blocks the walk goes a chunk at a time (bounded memory); every
    block's score is the one the whole-page walk gives."""
    model = runtime.load("text_model")
    n = 2 * runtime.CHUNK_BLOCKS + 17
    rng = np.random.default_rng(5)
    columns = rng.choice([0.0, 1.0, -1.0, 0.5, 3.0], size=(len(model.features), n))
    chunked = model.stage1.raw(columns)
    assert chunked.shape == (n,)
    assert np.array_equal(chunked, model.stage1._raw(columns))


def test_no_blocks_no_scores():
    model = runtime.load("text_model")
    assert model.stage1.predict(np.zeros((len(model.features), 0))).shape == (0,)


def _toy_pages(seed: int):
    from training.boost import PageRows

    rng = np.random.default_rng(seed)
    pages = []
    for i in range(30):
        x = rng.normal(size=(5, 60))
        y = (x[0] + 0.5 * rng.normal(size=60) > 0).astype(float)
        w = np.full(60, 1 / 60)
        pages.append(PageRows(f"site{i}", i % 5, x, y, w,
                              lambda p1, x=x: np.concatenate([p1[None, :], x])))
    return pages


def test_export_scores_what_lightgbm_scores():
    lgb = pytest.importorskip("lightgbm")
    from training import boost

    pages = _toy_pages(1)
    x, y, w = boost._stack(pages, [p.x for p in pages])
    booster = lgb.train(boost.PARAMS, lgb.Dataset(x, label=y, weight=w), 20)
    forest = boost.export(booster)
    assert np.allclose(forest.raw(x.T), booster.predict(x, raw_score=True), atol=1e-12)


def test_training_twice_writes_the_same_bytes():
    pytest.importorskip("lightgbm")
    from training import boost

    def once() -> str:
        _s1, _s2, stages = boost.fit_two_stage(_toy_pages(2))
        return json.dumps(boost.model_json(["a", "b", "c", "d", "e"], stages))

    assert once() == once()
