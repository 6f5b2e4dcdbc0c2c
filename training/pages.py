"""Training rows of the two benchmarks' development pages, per track.

- text: the page rendered with ``html_text.extract_text`` (the text track's input), split
  into blocks as the text pipeline splits a page, with the text model's features;
- html: the page parsed and rendered as the pipeline does (``render.load``), with the
  block classifier's features.

Labels: ``labels.gold_labels`` for the article benchmark, ``labels.snippet_labels`` for
trafilatura's corpus. Each page's weights sum to 1, an article-benchmark page's to
``ARTICLE_WEIGHT[track]``: its blocks are all labelled, where a page of trafilatura's
corpus has a few labelled snippets; without it the 872 sparsely labelled pages outweigh
the 121 and precision on the article benchmark drops (docs/benchmark.md has the figures).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from service.engine import render
from service.engine.generic_text import split_blocks
from service.models import html_features, text_features
from service.tools.datasets import BenchPage

from .boost import PageRows
from .labels import gold_labels, snippet_labels

ARTICLE_WEIGHT = {"text": 16.0, "html": 4.0}


@dataclass
class TrackPage:
    """A page's training rows and what scoring its decisions needs."""

    page: BenchPage
    texts: list[str]
    rows: PageRows


def _labels(page: BenchPage, texts: list[str], track: str) -> tuple[np.ndarray, np.ndarray]:
    if page.gold is not None:
        y, w = gold_labels(texts, page.gold)
        w = [v * ARTICLE_WEIGHT[track] for v in w]
    else:
        y, w = snippet_labels(texts, page.with_, page.without)
    return np.array(y, dtype=np.float64), np.array(w, dtype=np.float64)


def text_page(page: BenchPage) -> TrackPage:
    import html_text

    texts, gaps = split_blocks(html_text.extract_text(page.html))
    if texts:
        x, table, _title = text_features.text_matrix(texts, gaps)
        ntok = table.ntok
    else:
        x, ntok = np.zeros((len(text_features.text_feature_names()), 0)), []

    def context(p1: np.ndarray) -> np.ndarray:
        return text_features.stage2_matrix(p1, ntok, x)

    y, w = _labels(page, texts, "text")
    return TrackPage(page, texts, PageRows(page.site, page.fold, x, y, w, context))


def html_page(page: BenchPage) -> TrackPage:
    blocks = render.load(page.html).rendered.blocks
    texts = [b.text for b in blocks]
    if not blocks:  # scored (an empty body), never trained on
        x = np.zeros((len(html_features.feature_names()), 0))
        return TrackPage(page, [], PageRows(page.site, page.fold, x, x[0], x[0], None))
    matrix = html_features.html_matrix(blocks)
    x = matrix.columns

    def context(p1: np.ndarray) -> np.ndarray:
        return html_features.stage2_matrix(matrix, p1)

    y, w = _labels(page, texts, "html")
    return TrackPage(page, texts, PageRows(page.site, page.fold, x, y, w, context))
