"""Train the HTML block classifier (boosted trees) and its CV fold models.

Each benchmark page is parsed and rendered as the pipeline does (``service.htmlpage``), and
trafilatura runs on it with the production options; every rendered block gets the features
of ``service.generic_html.block_features`` and a label from the gold body (the rule of
``train_text_model.block_labels``).

Writes ``service/data/html_model.json`` (all 121 pages) and
``service/data/html_model_folds.json`` (one model per fold, trained without that fold's
sites; the benchmark scores each page with the model that did not see its site).
Needs numpy (training only). Deterministic: no sampling anywhere.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import gbdt  # noqa: E402
from train_text_model import block_labels  # noqa: E402

from service import generic_html as gh  # noqa: E402
from service import htmlpage  # noqa: E402
from service.bench import N_FOLDS, fold_of, load_dataset  # noqa: E402

N_TREES = 150


def page_matrix(html: str, url: str, gold: str) -> tuple:
    """(rows, labels, weights) of one page's rendered blocks."""
    blocks = htmlpage.render(htmlpage.parse(html)).blocks
    if not blocks:
        return [], [], []
    rows, ntok = gh.block_features(blocks, gh.trafilatura_text(html, url, gh.FEATURE_OPTIONS))
    labels = block_labels([b.text for b in blocks], gold)
    # Weight blocks by length (the metric counts shingles), each page summing to 1.
    raw = [math.sqrt(n + 1) for n in ntok]
    total = sum(raw) or 1.0
    return rows, labels, [r / total for r in raw]


def stack(mats: dict[str, tuple], ids: list[str]) -> tuple[np.ndarray, ...]:
    x = [r for i in ids for r in mats[i][0]]
    y = [v for i in ids for v in mats[i][1]]
    w = [v for i in ids for v in mats[i][2]]
    return np.array(x, dtype=float), np.array(y, dtype=float), np.array(w, dtype=float)


def fit(mats: dict[str, tuple], ids: list[str]) -> dict:
    return {"features": gh.feature_names(), "stage1": gbdt.fit(*stack(mats, ids), n_trees=N_TREES)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default=str(ROOT.parent / "shared/bench/article-extraction"))
    ap.add_argument("--out-dir", default=str(gh.generic_text.DATA_DIR))
    a = ap.parse_args(argv)
    pages = load_dataset(Path(a.dataset))
    mats = {pid: page_matrix(p["html"], p["url"], p["gold"]) for pid, p in pages.items()}
    ids = sorted(pages)
    fold = {i: fold_of(pages[i]["url"]) for i in ids}
    gbdt.write_cv_models(
        "html_model", lambda subset: fit(mats, subset), ids, fold, a.out_dir, N_FOLDS
    )
    print(f"trained on {len(ids)} pages, {sum(len(m[1]) for m in mats.values())} blocks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
