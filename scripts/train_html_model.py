"""Train the HTML block classifier (two-stage boosted trees) and its CV fold models.

Each benchmark page is parsed and rendered as the pipeline does (``service.htmlpage``), and
resiliparse's main-content view is taken as in production (``generic_html.view_text``);
every rendered block gets the features of ``service.generic_html.block_features`` and a
label from the gold body (the rule of ``train_text_model.block_labels``). Stage 2 reads the
stage-1 scores of the neighbours and of the enclosing elements
(``generic_html.stage2_rows``), learned from out-of-fold stage-1 scores.

Writes ``service/data/html_model.json`` (all 121 pages) and
``service/data/html_model_folds.json`` (one model per fold, trained without that fold's
sites; the benchmark scores each page with the model that did not see its site).
Needs numpy (training only). Deterministic: no sampling anywhere. About 10 minutes.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import gbdt  # noqa: E402
from train_text_model import block_labels  # noqa: E402

from service.engine import generic_html  # noqa: E402
from service.engine import render as htmlpage  # noqa: E402
from service.models import html_features as gh  # noqa: E402
from service.models import text_features  # noqa: E402
from service.tools.bench import N_FOLDS, fold_of, load_dataset  # noqa: E402

STAGE1_TREES = 150
STAGE2_TREES = 60


def page_matrix(html: str, gold: str) -> tuple:
    """(rows, labels, weights, blocks, token counts) of one page's rendered blocks."""
    blocks = htmlpage.render(htmlpage.parse(html)).blocks
    if not blocks:
        return [], [], [], [], []
    rows, ntok = gh.block_features(blocks, generic_html.view_text(html))
    labels = block_labels([b.text for b in blocks], gold)
    # Weight blocks by length (the metric counts shingles), each page summing to 1.
    raw = [math.sqrt(n + 1) for n in ntok]
    total = sum(raw) or 1.0
    return rows, labels, [r / total for r in raw], blocks, ntok


def fit(mats: dict[str, tuple], ids: list[str], fold: dict[str, int],
        trees: tuple[int, int] = (STAGE1_TREES, STAGE2_TREES)) -> dict:
    def context(pid: str, probs: list[float]) -> list[list[float]]:
        rows, _labels, _weights, blocks, ntok = mats[pid]
        return gh.stage2_rows(blocks, rows, ntok, probs) if rows else []

    stage1, stage2 = gbdt.fit_two_stage(mats, ids, fold, context, *trees)
    return {"features": gh.feature_names(), "stage1": stage1, "stage2": stage2}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default=str(ROOT.parent / "shared/bench/article-extraction"))
    ap.add_argument("--out-dir", default=str(text_features.DATA_DIR))
    ap.add_argument("--trees", type=int, nargs=2, default=(STAGE1_TREES, STAGE2_TREES),
                    metavar=("STAGE1", "STAGE2"), help="boosted trees per stage")
    a = ap.parse_args(argv)
    pages = load_dataset(Path(a.dataset))
    mats = {pid: page_matrix(p["html"], p["gold"]) for pid, p in pages.items()}
    ids = sorted(pages)
    fold = {i: fold_of(pages[i]["url"]) for i in ids}
    trees = tuple(a.trees)
    gbdt.write_cv_models(
        "html_model", lambda subset: fit(mats, subset, fold, trees), ids, fold, a.out_dir, N_FOLDS
    )
    print(f"trained on {len(ids)} pages, {sum(len(m[1]) for m in mats.values())} blocks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
